"""The review page showed a control character in a name as a space (``new\\nline.jpg`` read ``new line.jpg``,
like a real space; an escape was a box), where the terminal shows ``new\\x0aline.jpg``. The names the page gets
(a card's name, its folder, the detail's path, the files that go with it, the folder filter) now show them as
``\\xNN`` too, and the folder filter reads such a folder back (``new\\ndir``), from its list and from the address
``blurscan review FOLDER`` opens."""
from __future__ import annotations

import os
from urllib.parse import parse_qs, quote, urlsplit

from blurscan.review.app import create_app
from blurscan.review.server import ReviewServer
from blurscan.store import Store
from helpers_review import BASE, CSRF, PORT, TOKEN, _get, _photo, _record

NAMES = {"new\nline.jpg": "new\\x0aline.jpg", "cr\rname.jpg": "cr\\x0dname.jpg", "tab\there.jpg": "tab\\x09here.jpg",
         "esc\x1b[2Jname.jpg": "esc\\x1b[2Jname.jpg", "nel\u0085name.jpg": "nel\\xc2\\x85name.jpg"}


def _library(tmp_path):
    lib = tmp_path / "lib"
    odd, plain = lib / "new\ndir", lib / "plain"
    odd.mkdir(parents=True)
    plain.mkdir()
    records = [_record(_photo(odd / name, 3.0, i), "blurry", 0.9 - i / 100) for i, name in enumerate(NAMES)]
    records.append(_record(_photo(plain / "ok.jpg", 3.0, 9), "blurry", 0.5))
    (odd / "new\nline.jpg.xmp").write_bytes(b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    db = lib / ".blurscan.db"
    with Store(db) as store:
        store.put(records, "test")
    return lib, db


def _client(db):
    c = create_app(db, TOKEN, port=PORT).test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    return c


def test_the_page_shows_control_characters_as_the_terminal_does(tmp_path):
    lib, db = _library(tmp_path)
    client = _client(db)
    shown_dir = str(lib) + "/new\\x0adir"
    items = _get(client, "/api/items?filter=all").get_json()["items"]
    got = {it["name"]: it for it in items}
    assert sorted(got) == sorted([*NAMES.values(), "ok.jpg"])
    for name in NAMES.values():
        assert got[name]["folder"] == shown_dir and got[name]["path"] == shown_dir + "/" + name
    ident = got["new\\x0aline.jpg"]["id"]
    detail = _get(client, f"/api/item/{ident}").get_json()
    assert detail["path"] == shown_dir + "/new\\x0aline.jpg"
    assert "new\\x0aline.jpg.xmp" in [f["name"] for f in detail["companions"]]
    r = client.post("/api/decision", json={"id": got["cr\\x0dname.jpg"]["id"], "decision": "discard"}, base_url=BASE,
                    headers=CSRF)
    assert r.status_code == 200
    undone = client.post("/api/undo", json={}, base_url=BASE, headers=CSRF).get_json()
    assert undone["name"] == "cr\\x0dname.jpg"  # (the toast names it)


def test_the_folder_filter_reads_a_folder_with_a_newline_back(tmp_path):
    lib, db = _library(tmp_path)
    client = _client(db)
    folders = {f["folder"]: f for f in _get(client, "/api/folders").get_json()["folders"]}
    shown_dir = str(lib) + "/new\\x0adir"
    assert sorted(folders) == sorted([str(lib / "plain"), shown_dir])
    assert (folders[shown_dir]["photos"], folders[shown_dir]["flagged"]) == (len(NAMES), len(NAMES))
    names = [it["name"] for it in _get(client, f"/api/items?filter=all&folder={quote(shown_dir)}").get_json()["items"]]
    assert sorted(names) == sorted(NAMES.values())
    # `blurscan review lib/new<newline>dir`: the address opens the page on that folder's photos
    with ReviewServer(db, port=0, folder=str(lib / "new\ndir")) as server:
        [folder] = parse_qs(urlsplit(server.url).query)["folder"]
    assert folder == shown_dir and "\n" not in server.url
    assert len(_get(client, f"/api/items?filter=all&folder={quote(folder)}").get_json()["items"]) == len(NAMES)


def test_a_folder_with_a_control_character_past_ascii_reads_back(tmp_path):
    """U+0085 (a control character of two UTF-8 bytes) is shown as those bytes, ``\\xc2\\x85``: the filter reads
    ``\\xNN`` back as bytes (as it must for a name that is not UTF-8), so ``\\x85`` would have named another folder."""
    lib = tmp_path / "lib"
    odd = lib / "nel\u0085dir"
    odd.mkdir(parents=True)
    with Store(lib / ".blurscan.db") as store:
        store.put([_record(_photo(odd / "a.jpg", 3.0, 1), "blurry", 0.9)], "test")
    client = _client(lib / ".blurscan.db")
    [folder] = [f["folder"] for f in _get(client, "/api/folders").get_json()["folders"]]
    assert folder == str(lib) + "/nel\\xc2\\x85dir"
    assert [it["name"] for it in _get(client, f"/api/items?filter=all&folder={quote(folder)}").get_json()["items"]] \
        == ["a.jpg"]
    assert os.path.isdir(odd)
