"""The review app's behaviour: the photo list and header, thumbnails cache, full-size photos, bursts, CLI (the
decisions and their undo: ``test_review_decisions.py``)."""
from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from blurscan.review import decisions, security
from blurscan.review.app import create_app
from blurscan.review.thumbs import CACHE_DIR_NAME, ThumbCache, cache_key
from blurscan.store import Store

from helpers_review import (BASE, CSRF, PORT, TOKEN, _get, _names, _photo, _post, _record, build_review_library,
                            review_client)


@pytest.fixture()
def lib(tmp_path):
    return build_review_library(tmp_path)


@pytest.fixture()
def client(lib):
    return review_client(lib)


def test_filters_and_sorts(client, lib):
    assert _names(client, "filter=flagged") == ["blurry.jpg", "soft.png", "odd.bmp", "partial.jpg"]
    assert _names(client, "filter=blurry") == ["blurry.jpg", "soft.png", "odd.bmp"]
    assert _names(client, "filter=partial") == ["partial.jpg"]
    assert _names(client, "filter=sharp") == ["sharp.jpg"]
    assert _names(client, "filter=errors") == ["broken.jpg"]
    assert len(_names(client, "filter=all")) == 6
    folder_b = os.path.dirname(lib[1]["sharp.jpg"].path)
    assert _names(client, "filter=flagged&folder=" + folder_b) == ["soft.png", "odd.bmp"]
    by_size = _names(client, "filter=flagged&sort=size")
    sizes = {n: lib[1][n].size for n in by_size}
    assert by_size == sorted(sizes, key=lambda n: -sizes[n])
    assert client.get("/api/items?filter=nope", base_url=BASE).status_code == 400
    folders = _get(client, "/api/folders").get_json()["folders"]
    assert {f["folder"]: (f["photos"], f["flagged"]) for f in folders}[folder_b] == (4, 2)


def test_summary_counts_flagged_space(client, lib):
    s = _get(client, "/api/summary").get_json()
    flagged = [r for r in lib[1].values() if r.verdict in ("blurry", "partial")]
    assert s["flagged"] == 4 and s["errors"] == 1 and s["photos"] == 6
    assert s["flagged_bytes"] == sum(r.size for r in flagged)


def test_summary_figures_add_up_with_decisions_on_photos_not_flagged(client, lib):
    """The header read "9 flagged · 6 to review · 2 kept · 2 discarded" (10 of 9) after a sharp burst shot was
    made the keeper: kept / discarded counted decisions on every photo. They now count the flagged photos
    (to review + kept + discarded = flagged, as the filters show them); the others are counted apart."""
    recs = lib[1]
    ids = {n: security.path_id(r.path) for n, r in recs.items()}
    for name, decision in [("blurry.jpg", "keep"), ("partial.jpg", "discard"),  # flagged
                           ("sharp.jpg", "discard"), ("broken.jpg", "keep")]:  # not flagged: sharp, unreadable
        assert _post(client, "/api/decision", {"id": ids[name], "decision": decision}).status_code == 200
    with Store(lib[0]) as store:  # a decision on an older version of the file: no decision, to review again
        decisions.set_decision(store, recs["soft.png"].path, "discard", size=1, mtime_ns=1)
    s = _get(client, "/api/summary").get_json()
    assert (s["flagged"], s["undecided"], s["kept"], s["discarded"]) == (4, 2, 1, 1)
    assert s["undecided"] + s["kept"] + s["discarded"] == s["flagged"]
    assert s["discarded_bytes"] == recs["partial.jpg"].size
    assert s["undecided_bytes"] == recs["soft.png"].size + recs["odd.bmp"].size
    assert s["flagged_bytes"] == s["undecided_bytes"] + s["discarded_bytes"] + recs["blurry.jpg"].size
    assert (s["other_kept"], s["other_discarded"], s["other_discarded_bytes"]) == (1, 1, recs["sharp.jpg"].size)
    # the header's figures are the filters' counts
    assert sorted(_names(client, "filter=undecided")) == ["odd.bmp", "soft.png"]
    flagged = _get(client, "/api/items?filter=flagged").get_json()["items"]
    assert len(flagged) == s["flagged"]
    assert sum(it["decision"] == "keep" for it in flagged) == s["kept"]
    assert sum(it["decision"] == "discard" for it in flagged) == s["discarded"]
    # what a tab shown again compares its marks with: the decisions the list shows (none on an older version)
    everything = _get(client, "/api/items?filter=all").get_json()["items"]
    now = _get(client, "/api/decisions").get_json()
    assert now["decisions"] == {it["id"]: it["decision"] for it in everything if it["decision"]}
    assert len(now["decisions"]) == 4 and ids["soft.png"] not in now["decisions"] and now["summary"] == s


def test_detail_has_blur_map_and_exif(client, lib):
    r = lib[1]["blurry.jpg"]
    d = _get(client, f"/api/item/{security.path_id(r.path)}").get_json()
    assert d["grid"] == [[0.9, 0.8], [None, 0.7]] and d["grid_box"] == [0.0, 0.05, 1.0, 0.95]
    assert d["exif"]["make"] == "TestMaker" and d["exif"]["model"] == "Cam 1"
    assert d["blur_type"] == "defocus" and d["path"] == r.path


def test_detail_reads_the_exif_of_a_heic_in_a_fresh_server_process(tmp_path):
    """An iPhone HEIC's camera was missing from the detail view when the server had not decoded a HEIC yet (its
    thumbnails cached from an earlier run): Pillow's HEIF opener was only registered by the decoder. Run in a
    fresh interpreter, where nothing has imported the decoder."""
    import subprocess
    import sys

    pillow_heif = pytest.importorskip("pillow_heif")
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 13"
    heif = pillow_heif.from_pillow(Image.new("RGB", (64, 48), (90, 120, 60)))
    heif.save(tmp_path / "IMG_0052.HEIC", quality=80, exif=exif.tobytes())
    code = ("import sys, blurscan.review.app as app; "
            "row = {'captured_at': None, 'width': 64, 'height': 48, 'status': 'ok', 'path': sys.argv[1], "
            "'size': None, 'mtime_ns': None}; "
            "app.security.open_known_file = lambda path, size, mtime, pins, folders=None: open(path, 'rb'); "
            "print(app._exif(row, {}))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "IMG_0052.HEIC")], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "'make': 'Apple'" in out.stdout and "'model': 'iPhone 13'" in out.stdout, out.stdout


def test_full_size_serves_originals_and_converts_other_formats(client, lib):
    for name in ("blurry.jpg", "soft.png"):
        r = _get(client, f"/full/{security.path_id(lib[1][name].path)}")
        assert r.data == Path(lib[1][name].path).read_bytes()
    bmp = _get(client, f"/full/{security.path_id(lib[1]['odd.bmp'].path)}")
    assert bmp.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(bmp.data)).size == (160, 120)
    assert client.get(f"/full/{security.path_id(lib[1]['broken.jpg'].path)}", base_url=BASE).status_code == 415


def test_thumbnails_are_made_once_and_cached_next_to_the_db(lib):
    calls = []

    def counting(path, long_side):
        from blurscan.decode import thumbnail

        calls.append(path)
        return thumbnail(path, long_side)

    app = create_app(lib[0], TOKEN, port=PORT, thumbnailer=counting)
    c = app.test_client()
    c.get(f"/?token={TOKEN}", base_url=BASE)
    r = lib[1]["blurry.jpg"]
    url = f"/thumb/{security.path_id(r.path)}"
    first = _get(c, url)
    im = Image.open(io.BytesIO(first.data))
    assert im.format == "JPEG" and max(im.size) <= 384
    assert _get(c, url).data == first.data
    assert calls == [r.path]
    cached = list((lib[0].parent / CACHE_DIR_NAME).glob("*/*.jpg"))
    assert len(cached) == 1 and cached[0].read_bytes() == first.data
    assert "max-age" in first.headers["Cache-Control"]
    # an error record gets no thumbnail (415), not a crash
    assert c.get(f"/thumb/{security.path_id(lib[1]['broken.jpg'].path)}", base_url=BASE).status_code == 415


def test_thumb_cache_key_changes_with_the_file(tmp_path):
    assert cache_key("/a.jpg", 1, 2, 384) != cache_key("/a.jpg", 1, 3, 384)
    assert cache_key("/a.jpg", 1, 2, 384) != cache_key("/a.jpg", 2, 2, 384)
    assert cache_key("/a.jpg", 1, 2, 384) != cache_key("/b.jpg", 1, 2, 384)
    cache = ThumbCache(tmp_path / "t", make=lambda p, n: b"\xff\xd8\xffjpeg-" + p.encode())
    assert cache.get("/a.jpg", 1, 2) == b"\xff\xd8\xffjpeg-/a.jpg"
    assert cache.file_for("/a.jpg", 1, 2).read_bytes() == b"\xff\xd8\xffjpeg-/a.jpg"
    # (removing the thumbnails no photo uses: test_review_thumbs_prune.py)


def test_bursts_view_and_changing_the_keeper(client, lib):
    db, recs = lib
    a, b = recs["blurry.jpg"].path, recs["partial.jpg"].path
    assert _get(client, "/api/bursts").get_json()["groups"] == []
    with Store(db) as store, store.transaction() as conn:
        conn.executemany("INSERT INTO burst_groups (group_id, path, rank, is_keeper, reason, figures) "
                         "VALUES (?,?,?,?,?,?)",
                         [(7, a, 1, 1, "sharpest", json.dumps({"lv": 10, "captured_subsec": 0.4})),
                          (7, b, 2, 0, None, None)])
    groups = _get(client, "/api/bursts").get_json()["groups"]
    assert [p["name"] for p in groups[0]["photos"]] == ["blurry.jpg", "partial.jpg"]
    # the fraction of a second stored beside the figures is the shot's, not a sharpness figure
    assert groups[0]["photos"][0]["figures"] == {"lv": 10} and groups[0]["photos"][0]["captured_subsec"] == 0.4
    assert groups[0]["photos"][0]["is_keeper"] and groups[0]["chosen_by"] == "auto"
    assert _get(client, "/api/summary").get_json()["burst_groups"] == 1
    r = client.post("/api/bursts/7/keeper", json={"id": security.path_id(b)}, base_url=BASE, headers=CSRF)
    assert r.status_code == 200
    with Store(db) as store:
        rows = store.conn.execute("SELECT path, rank, is_keeper, chosen_by FROM burst_groups ORDER BY rank")
        assert [tuple(x) for x in rows] == [(b, 1, 1, "person"), (a, 2, 0, "person")]
        # the reasons say so, as `blurscan bursts` and choose_keeper write them (a's said "sharpest" still)
        reasons = store.conn.execute("SELECT reason FROM burst_groups ORDER BY rank").fetchall()
        assert [r[0] for r in reasons] == ["chosen by a person", "a person chose partial.jpg"]
        # the chosen shot is marked keep as well: if a later `bursts` run regroups (a shot moved away and
        # back, other options) and proposes another keeper, move/trash --from-bursts still never take it
        assert decisions.decision_for(store, b, recs["partial.jpg"].size, recs["partial.jpg"].mtime_ns) == "keep"
        conn = store.conn
        conn.execute("UPDATE burst_groups SET is_keeper = (path = ?), chosen_by = 'auto'", (a,))
        from blurscan.actions import select
        assert b not in {c.path for c in select(store, from_bursts=True)[0]}
    assert r.get_json()["summary"]["kept"] >= 1
    other = security.path_id(recs["sharp.jpg"].path)
    assert client.post("/api/bursts/7/keeper", json={"id": other}, base_url=BASE, headers=CSRF).status_code == 404


def test_page_is_self_contained(client):
    page = _get(client, "/").text
    assert "http://" not in page and "https://" not in page  # no CDN, nothing from the network
    # the page's scripts, in the order it loads them: every .js file shipped in static/ (none left out)
    scripts = re.findall(r'<script src="/static/([^"]+)"></script>', page)
    static = Path(security.__file__).parent / "static"
    assert scripts[-1] == "app.js" and sorted(scripts) == sorted(p.name for p in static.glob("*.js"))
    assert page.count("<script") == len(scripts)  # no inline script (the CSP would refuse it)
    js = "\n".join(_get(client, "/static/" + name).text for name in scripts)
    css = _get(client, "/static/app.css").text
    assert "://" not in js and "://" not in css and "@import" not in css
    assert ".innerHTML" not in js  # database text is set with textContent only
    assert "fetch(" in js and "X-Blurscan-CSRF" in js


# -- CLI ----------------------------------------------------------------------------------------------------

def test_cli_review_without_database_is_an_error(tmp_path):
    Image.new("RGB", (64, 48), "gray").save(tmp_path / "a.jpg")  # a folder of photos never scanned
    r = CliRunner().invoke(main, ["review", str(tmp_path), "--no-browser"])
    assert r.exit_code == 1 and "no blurscan database found here or in a parent folder" in r.output


def test_cli_review_of_a_subfolder_finds_the_librarys_database(lib, tmp_path, monkeypatch):
    """As `report` and the actions do: PATH's nearest parent with a database."""
    from blurscan.review import server as server_mod

    opened = []

    class Recorder:
        def __init__(self, db_path, **kwargs):
            opened.append((db_path, kwargs.get("folder")))
            raise SystemExit(0)

    monkeypatch.setattr(server_mod, "ReviewServer", Recorder)
    sub = os.path.dirname(lib[1]["sharp.jpg"].path)
    r = CliRunner().invoke(main, ["review", sub, "--no-browser"])
    assert r.exit_code == 0, r.output
    library = os.path.dirname(str(lib[0]))
    assert opened == [(str(lib[0]), None if sub == library else sub)]  # the page opens filtered to PATH
    r = CliRunner().invoke(main, ["review", library, "--no-browser"])
    assert opened[-1] == (str(lib[0]), None)                           # the library itself: no filter
    r = CliRunner().invoke(main, ["review", lib[1]["sharp.jpg"].path, "--no-browser"])
    assert opened[-1] == (str(lib[0]), sub)                            # a photo: its folder (was: everything)
    r = CliRunner().invoke(main, ["review", os.path.join(library, "nope"), "--no-browser"])
    assert r.exit_code == 1 and "nope: no such file or directory" in r.output


def test_cli_review_path_and_db_together_is_a_usage_error(tmp_path):
    r = CliRunner().invoke(main, ["review", str(tmp_path), "--db", str(tmp_path / "x.db"), "--no-browser"])
    assert r.exit_code == 2 and "either PATH or --db" in r.output


def test_cli_review_is_registered():
    r = CliRunner().invoke(main, ["review", "--help"])
    assert r.exit_code == 0 and "--no-browser" in r.output and "--port" in r.output


def test_cli_review_help_says_the_browser_is_given_a_one_time_login_code():
    """The browser `blurscan review` opens gets a one-time login code (review/signin.py), not the printed URL with its
    token, which the help said protected the page alone."""
    text = " ".join(CliRunner().invoke(main, ["review", "--help"]).output.split())
    assert "the URL printed carries a random token, the browser opened a one-time login code" in text, text


def test_cli_review_help_lists_the_keys_as_the_page_does():
    """`blurscan review --help`'s keys say what the page's Keys line and docs/review.md say: k / d go on to the next
    photo, and r reads the list again (until 2026-12-07 it named neither)."""
    text = " ".join(CliRunner().invoke(main, ["review", "--help"]).output.split())
    assert "k keep, d discard (either then goes to the next photo), u undo the last decision" in text, text
    assert "r read the list again (the photos new since the page was loaded)" in text, text


@pytest.mark.slow
def test_cli_review_serves_the_printed_url(lib):
    """`blurscan review --no-browser` prints a loopback URL with the token, and that URL opens the page."""
    import http.client
    import subprocess
    import sys
    from urllib.parse import urlsplit

    from helpers_signals import default_signals

    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "review", "--db", str(lib[0]), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_signals)  # (SIGTERM, below, heeded: a runner's SIGTERM ignored is not)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Review page: http://127.0.0.1:"), line
        url = urlsplit(line.split(": ", 1)[1].strip())
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        conn.request("GET", f"{url.path}?{url.query}")
        r = conn.getresponse()
        assert r.status == 303 and "HttpOnly" in r.getheader("Set-Cookie")
        conn.close()
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        conn.request("GET", "/api/items")  # no token, no cookie
        assert conn.getresponse().status == 403
        conn.close()
    finally:
        proc.terminate()
        proc.communicate(timeout=60)  # (its pipes closed too)


def test_cli_review_port_in_use_names_the_way_out(lib):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = CliRunner().invoke(main, ["review", "--db", str(lib[0]), "--port", str(port), "--no-browser"])
    assert r.exit_code == 2, r.output
    assert f"port {port} on 127.0.0.1 is in use by another program: choose another with --port" in r.output


def test_photos_moved_by_blurscan_leave_the_grid_until_undone(client, lib, tmp_path):
    from blurscan.actions import execute, plan_move, undo

    moved = lib[1]["blurry.jpg"].path
    with Store(lib[0]) as store:
        decisions.set_decision(store, moved, "discard")
        execute(store, plan_move(store, str(tmp_path / "rejects")))
    before = _get(client, "/api/summary").get_json()
    got = _get(client, "/api/items?filter=all").get_json()
    assert moved not in [it["path"] for it in got["items"]]
    assert got["summary"]["discarded"] == 0  # the header counts what the grid shows
    with Store(lib[0]) as store:
        undo(store)
    got = _get(client, "/api/items?filter=all").get_json()
    assert moved in [it["path"] for it in got["items"]]
    assert got["summary"]["discarded"] == 1 and got["summary"]["photos"] == before["photos"] + 1


def test_folder_counts_are_what_the_folder_filter_shows(client, lib):
    """The filter selects a folder and its sub-folders: so do its counts (they counted the folder alone)."""
    from urllib.parse import quote

    sharp = lib[1]["sharp.jpg"].path
    nested = os.path.join(os.path.dirname(sharp), "sub", "nested.jpg")
    os.makedirs(os.path.dirname(nested))
    with Store(lib[0]) as store:
        store.put([_record(_photo(nested, 4.0, 9), "blurry", 0.9)], "test")
    folders = _get(client, "/api/folders").get_json()["folders"]
    assert any(f["folder"].endswith(os.sep + "sub") for f in folders)
    for f in folders:
        shown = _get(client, f"/api/items?filter=all&folder={quote(f['folder'])}").get_json()["items"]
        flagged = _get(client, f"/api/items?filter=flagged&folder={quote(f['folder'])}").get_json()["items"]
        assert (f["photos"], f["flagged"]) == (len(shown), len(flagged)), f


def test_cli_review_help_names_a_move_that_works_typed_outside_the_library(lib, tmp_path, monkeypatch):
    """The move `blurscan review --help` suggests after the review, its PATH the library's folder, typed in another
    folder, lists the photo marked discard: until 2026-12-07 the help said `blurscan move --to DIR`, which typed
    outside the library found no database (and inside a sub-folder took only the photos under it)."""
    db, recs = lib
    photo = recs["partial.jpg"].path
    st = os.stat(photo)
    with Store(db) as store:
        decisions.set_decision(store, photo, "discard", size=st.st_size, mtime_ns=st.st_mtime_ns)
    text = " ".join(CliRunner().invoke(main, ["review", "--help"]).output.split())
    suggested = re.search(r"`blurscan (move --to DIR[^`]*)`", text)
    assert suggested, text
    args = [str(db.parent) if word == "PATH" else str(tmp_path / "rejects") if word == "DIR" else word
            for word in suggested.group(1).split()]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, (args, r.output)
    assert "would move a/partial.jpg [discard]" in r.output and "Dry run: 1 photo" in r.output, r.output
    assert os.path.exists(photo)
