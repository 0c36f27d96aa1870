"""Checks of the review server that a change could drop with no other test noticing (found by changing the
code on purpose, 2026-12-05): a photo touched since the scan (same size), a folder of the library linked to
another disk, a stored path that is not a regular file or lies outside the library, an unknown sort, a
database removed while the page is open, and the headers every answer carries. Libraries made by a real
``blurscan scan``."""
from __future__ import annotations

import os
import urllib.parse

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.review import security
from blurscan.review.thumbs import THUMB_LONG_SIDE, ThumbCache, cache_dir_for

from helpers_images import blurred, save_jpeg, textured
from helpers_review import BASE, _get, _post, review_client


def _scan(lib, *args):
    r = CliRunner().invoke(main, ["scan", str(lib), *args])
    assert r.exit_code == 0, r.output


def _library(lib, names=("a.jpg", "b.jpg")):
    for i, name in enumerate(names):
        save_jpeg(lib / name, blurred(textured(seed=i + 1), 4.0))


def _served(tmp_path):
    """A scanned library of a.jpg and b.jpg, its review server's client, and a.jpg's item."""
    lib = tmp_path / "lib"
    _library(lib)
    _scan(lib)
    client = review_client((lib / ".blurscan.db", None))
    return lib, client, _items(client)["a.jpg"]


def _items(client):
    return {it["name"]: it for it in _get(client, "/api/items?filter=all").get_json()["items"]}


def test_a_photo_touched_since_the_scan_is_not_served_though_its_size_is_the_same(tmp_path):
    lib, client, a = _served(tmp_path)
    st = os.stat(lib / "a.jpg")
    os.utime(lib / "a.jpg", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # edited in place: same size
    for url in (f"/thumb/{a['id']}", f"/full/{a['id']}"):
        r = client.get(url, base_url=BASE)
        assert r.status_code == 409 and b"changed since the scan" in r.data, (url, r.status_code, r.data)


def test_photos_of_a_folder_linked_to_another_disk_are_served(tmp_path):
    lib, elsewhere = tmp_path / "lib", tmp_path / "other-disk" / "trip"
    _library(lib, ("a.jpg",))
    _library(elsewhere, ("far.jpg",))
    os.symlink(elsewhere, lib / "trip")  # the library's folder on another disk, linked in
    _scan(lib, "--follow-symlinks")
    client = review_client((lib / ".blurscan.db", None))
    far = _items(client)["far.jpg"]
    assert far["path"] == str(lib / "trip" / "far.jpg")
    for url in (f"/thumb/{far['id']}", f"/full/{far['id']}", f"/api/item/{far['id']}"):
        r = client.get(url, base_url=BASE)
        assert r.status_code == 200, (url, r.status_code, r.data[:200])


def test_a_known_path_that_is_no_longer_a_regular_file_is_refused(tmp_path):
    fifo = tmp_path / "a.jpg"
    os.mkfifo(fifo)
    st = os.stat(fifo)  # (its own size and time: a record that matches, as forged or by chance)
    with pytest.raises(security.RefusedFile, match="not a regular file"):
        security.check_known_file(str(fifo), st.st_size, st.st_mtime_ns)
    folder = tmp_path / "b.jpg"
    folder.mkdir()
    st = os.stat(folder)
    with pytest.raises(security.RefusedFile, match="not a regular file"):
        security.check_known_file(str(folder), st.st_size, st.st_mtime_ns)


def test_a_known_file_outside_the_librarys_folders_is_refused(tmp_path):
    lib, outside = tmp_path / "lib", tmp_path / "private"
    lib.mkdir()
    outside.mkdir()
    photo = outside / "a.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"x" * 100)
    st = photo.stat()
    with pytest.raises(security.RefusedFile, match="outside the library"):
        security.check_known_file(str(photo), st.st_size, st.st_mtime_ns, folders=(str(lib),))
    assert security.check_known_file(str(photo), st.st_size, st.st_mtime_ns, folders=(str(outside),))


def test_an_unknown_sort_or_filter_is_a_400(tmp_path):
    lib = tmp_path / "lib"
    _library(lib)
    _scan(lib)
    client = review_client((lib / ".blurscan.db", None))
    for query in ("sort=largest", "filter=deleted", "sort=name&filter=bogus"):
        r = client.get(f"/api/items?{query}", base_url=BASE)
        assert r.status_code == 400 and "unknown filter or sort" in r.get_json()["error"], (query, r.status_code)


def test_a_database_removed_while_the_page_is_open_is_an_error_not_an_empty_answer(tmp_path):
    lib = tmp_path / "lib"
    _library(lib)
    _scan(lib)
    db = lib / ".blurscan.db"
    client = review_client((db, None))
    a = _items(client)["a.jpg"]
    for name in os.listdir(lib):
        if name.startswith(".blurscan.db"):
            os.remove(lib / name)
    r = client.get("/api/items", base_url=BASE)
    assert r.status_code == 400 and ".blurscan.db" in r.get_json()["error"], (r.status_code, r.data)
    r = _post(client, "/api/decision", {"id": a["id"], "v": a["v"], "decision": "keep"})
    assert r.status_code == 400 and ".blurscan.db" in r.get_json()["error"], (r.status_code, r.data)
    assert not db.exists()  # (not made again, empty, by the write)


def test_every_answer_carries_the_security_headers(tmp_path):
    lib, client, a = _served(tmp_path)
    for url in ("/", "/api/items", f"/thumb/{a['id']}", f"/full/{a['id']}", "/static/app.js", "/thumb/0"):
        r = client.get(url, base_url=BASE)
        assert r.headers["X-Content-Type-Options"] == "nosniff", url
        assert r.headers["Referrer-Policy"] == "no-referrer", url
        assert r.headers["Cross-Origin-Resource-Policy"] == "same-origin", url
        assert "default-src 'none'" in r.headers["Content-Security-Policy"], url


def test_the_page_escapes_a_database_path_with_markup_in_its_name(tmp_path):
    lib = tmp_path / 'trip "2024"><img src=x onerror=alert(1)>'
    _library(lib)
    _scan(lib)
    client = review_client((lib / ".blurscan.db", None))
    page = _get(client, "/").text
    assert "<img src=x" not in page and '"2024">' not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_keep_no_longer_marks_a_photo_touched_since_in_the_scan_report(tmp_path):
    """A decision belongs to the version of the file it was made on (its size and modification time): a photo
    kept, then edited in place (same size, a later time) and scanned again, is flagged again."""
    lib = tmp_path / "lib"
    _library(lib)
    _scan(lib)
    client = review_client((lib / ".blurscan.db", None))
    items = _items(client)
    for name in ("a.jpg", "b.jpg"):
        r = _post(client, "/api/decision", {"id": items[name]["id"], "v": items[name]["v"], "decision": "keep"})
        assert r.status_code == 200, r.data
    st = os.stat(lib / "a.jpg")
    os.utime(lib / "a.jpg", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    _scan(lib)
    out = CliRunner().invoke(main, ["report", str(lib)])
    assert out.exit_code == 0, out.output
    lines = {name: [ln for ln in out.output.splitlines() if ln.rstrip().endswith(name)] for name in ("a.jpg", "b.jpg")}
    assert len(lines["a.jpg"]) == 1 and "(kept)" not in lines["a.jpg"][0], out.output
    assert len(lines["b.jpg"]) == 1 and "(kept)" in lines["b.jpg"][0], out.output
    assert _items(client)["a.jpg"]["decision"] is None and _items(client)["b.jpg"]["decision"] == "keep"


def test_the_folder_filter_leaves_out_a_folder_whose_name_only_starts_the_same(tmp_path):
    lib = tmp_path / "lib"
    _library(lib / "trip", ("a.jpg",))
    _library(lib / "trip 2", ("b.jpg",))
    _library(lib / "trip2", ("c.jpg",))
    _scan(lib)
    client = review_client((lib / ".blurscan.db", None))
    for folder, names in (("trip", ["a.jpg"]), ("trip2", ["c.jpg"])):
        r = _get(client, "/api/items?filter=all&sort=name&folder=" + urllib.parse.quote(str(lib / folder)))
        assert [it["name"] for it in r.get_json()["items"]] == names, folder
        r = _get(client, "/api/items?filter=all&sort=name&folder=" + urllib.parse.quote(str(lib / folder) + "/"))
        assert [it["name"] for it in r.get_json()["items"]] == names, folder


def test_a_sharp_photo_discarded_counts_its_sidecar_in_the_bytes_move_frees(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "s.jpg", textured(seed=7))  # sharp: not flagged, discarded from the "all" filter
    (lib / "s.xmp").write_bytes(b"<x:xmpmeta/>" * 100)
    _scan(lib)
    client = review_client((lib / ".blurscan.db", None))
    s = _items(client)["s.jpg"]
    assert s["verdict"] == "sharp"
    r = _post(client, "/api/decision", {"id": s["id"], "v": s["v"], "decision": "discard"})
    assert r.status_code == 200, r.data
    want = os.path.getsize(lib / "s.jpg") + os.path.getsize(lib / "s.xmp")
    assert r.get_json()["summary"]["other_discarded_bytes"] == want
    _get(client, "/")  # (the page loaded again: every figure counted afresh)
    assert _get(client, "/api/summary").get_json()["other_discarded_bytes"] == want


def test_the_folder_filter_reads_a_folder_named_with_a_backslash_x_as_it_is_written(tmp_path):
    r"""A folder literally named ``scan\x41`` (a backslash in its name) is not read back as ``scanA``."""
    lib = tmp_path / "lib"
    _library(lib / "scan\\x41", ("a.jpg",))
    _scan(lib)
    client = review_client((lib / ".blurscan.db", None))
    (folder,) = [f["folder"] for f in _get(client, "/api/folders").get_json()["folders"] if f["folder"].endswith("41")]
    assert folder == str(lib / "scan\\x41")
    r = _get(client, "/api/items?filter=all&folder=" + urllib.parse.quote(folder))
    assert [it["name"] for it in r.get_json()["items"]] == ["a.jpg"]


def test_a_thumbnail_that_cannot_be_cached_leaves_no_temporary_file(tmp_path):
    """The place of a photo's thumbnail taken by a folder: the thumbnail is served, not kept, and the temporary
    file it was written to first is removed."""
    lib = tmp_path / "lib"
    _library(lib, ("a.jpg",))
    _scan(lib)
    db = lib / ".blurscan.db"
    client = review_client((db, None))
    a = _items(client)["a.jpg"]
    st = os.stat(lib / "a.jpg")
    target = ThumbCache(cache_dir_for(db)).file_for(str(lib / "a.jpg"), st.st_size, st.st_mtime_ns, THUMB_LONG_SIDE)
    (target / "in-the-way").mkdir(parents=True)
    r = client.get(f"/thumb/{a['id']}", base_url=BASE)
    assert r.status_code == 200 and r.data[:3] == b"\xff\xd8\xff"
    assert sorted(os.listdir(target.parent)) == [target.name]
