"""Each photo of the list gives its name, folder and path as the page shows them (``\\xNN`` for a byte that is not
UTF-8 and for a control character, :func:`blurscan.errors.shown_name`). Since 2026-12-06 the list writes the path
out once and takes its name and folder from it as they are when nothing in it needed a ``\\xNN`` (most paths: about a
tenth of the time of the *all* list on 100,000 photos went on writing each photo's path, name and folder out
separately); a path that needs one still has each written out. Here, every mix of a plain and an odd folder and
name gives what each written out on its own gives."""
from __future__ import annotations

import os

from blurscan.errors import shown_name
from blurscan.review.app import create_app
from blurscan.store import Store
from helpers_review import BASE, TOKEN, PORT, _get, _photo, _record

FOLDERS = {"plain": "plain", "été": "été", "new\ndir": "new\\x0adir", os.fsdecode(b"caf\xe9"): "caf\\xe9"}
NAMES = {"IMG_1.jpg": "IMG_1.jpg", "ü.jpg": "ü.jpg", "tab\tname.jpg": "tab\\x09name.jpg",
         os.fsdecode(b"\xff.jpg"): "\\xff.jpg"}


def test_every_mix_of_plain_and_odd_folders_and_names_is_shown_as_written_out(tmp_path):
    lib = tmp_path / "lib"
    records, expected = [], {}
    for k, (folder, shown_folder) in enumerate(FOLDERS.items()):
        (lib / folder).mkdir(parents=True)
        for i, (name, shown) in enumerate(NAMES.items()):
            path = lib / folder / name
            records.append(_record(_photo(path, 3.0, 4 * k + i), "blurry", 0.9 - (4 * k + i) / 100))
            expected[shown_name(str(path))] = (shown, shown_name(str(lib)) + "/" + shown_folder)
    with Store(lib / ".blurscan.db") as store:
        store.put(records, "test")
    client = create_app(lib / ".blurscan.db", TOKEN, port=PORT).test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    items = _get(client, "/api/items?filter=all").get_json()["items"]
    got = {it["path"]: (it["name"], it["folder"]) for it in items}
    assert got == expected
    for it in items:  # (the path as the name and folder give it)
        assert it["path"] == it["folder"] + "/" + it["name"]
