"""Names that hold a character that shows nothing (a zero-width space U+200B, a word joiner U+2060, a byte order
mark U+FEFF, a soft hyphen U+00AD, a right-to-left mark U+200F) or a blank that looks like a space (a no-break
space U+00A0) looked the same as another name in every list blurscan prints and on the review page:
``IMG_1.jpg`` and ``IMG_<U+200B>1.jpg`` were two lines reading ``IMG_1.jpg`` in ``move``'s dry run, the one
list a user reads before photos go. Such characters are shown as ``\\uNNNN`` now, as the direction controls
were (:func:`blurscan.errors.printable_path`, :func:`~blurscan.errors.shown_name`); JSONL keeps the name exact.
A joiner between the letters of a Persian word or in an emoji, and an emoji's variation selector, shape what is
shown and are kept."""
from __future__ import annotations

import json
import os
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.errors import printable_path, shown_name, unshown_name
from blurscan.review.app import create_app
from blurscan.store import Store
from helpers_review import BASE, PORT, TOKEN, _get, _photo, _record

HIDDEN = {"IMG_\u200b1.jpg": "IMG_\\u200b1.jpg", "IMG_1\u2060.jpg": "IMG_1\\u2060.jpg",
          "\ufeffIMG_1.jpg": "\\ufeffIMG_1.jpg", "IMG\u00ad_1.jpg": "IMG\\u00ad_1.jpg",
          "IMG_1\u200f.jpg": "IMG_1\\u200f.jpg", "IMG\u00a01.jpg": "IMG\\u00a01.jpg",
          "IMG_1\ufe0f.jpg": "IMG_1\\ufe0f.jpg", "IMG_1\U000e0041.jpg": "IMG_1\\U000e0041.jpg",
          "IMG_\u3164.jpg": "IMG_\\u3164.jpg", "a\u200db.jpg": "a\\u200db.jpg"}


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_a_character_that_shows_nothing_is_shown_escaped(name):
    assert printable_path("/p/" + name) == "/p/" + HIDDEN[name]
    assert shown_name("/p/" + name) == "/p/" + HIDDEN[name]
    assert unshown_name(shown_name("/p/" + name)) == "/p/" + name  # (the page's folder filter reads it back)


@pytest.mark.parametrize("name", ["\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645.jpg",  # a Persian word's ZWNJ
                                  "\U0001f468\u200d\U0001f469\u200d\U0001f467.jpg",  # a family emoji
                                  "\u2764\ufe0f.jpg", "\u65c5\u884c\u3000\u5199\u771f.jpg",  # ideographic space
                                  "Cafe\u0301.jpg", "\u05e9\u05dc\u05d5\u05dd.jpg", "IMG_0001.jpg"])
def test_names_whose_every_character_shows_are_left_as_they_are(name):
    assert printable_path(name) == name and shown_name(name) == name


def test_move_dry_run_tells_two_names_that_looked_the_same_apart(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    with Store(lib / ".blurscan.db") as store:
        store.put([_record(_photo(lib / "IMG_1.jpg", 3.0, 1), "blurry", 0.9),
                   _record(_photo(lib / "IMG_\u200b1.jpg", 3.0, 2), "blurry", 0.8)], "test")
    runner = CliRunner()
    report = runner.invoke(main, ["report", str(lib)]).output
    assert "\u200b" not in report and "IMG_\\u200b1.jpg" in report, report
    dry = runner.invoke(main, ["move", str(lib), "--to", str(tmp_path / "out"), "--all-blurry"])
    assert dry.exit_code == 0, dry.output
    lines = [line for line in dry.output.splitlines() if line.startswith("would move")]
    assert len(lines) == 2 and "\u200b" not in dry.output, dry.output
    assert any("would move IMG_\\u200b1.jpg " in line for line in lines), dry.output
    jsonl = runner.invoke(main, ["report", str(lib), "--format", "jsonl"]).output
    assert sorted(json.loads(line)["path"] for line in jsonl.splitlines()) == \
        sorted([str(lib / "IMG_1.jpg"), str(lib / "IMG_\u200b1.jpg")])  # the contract: the path as it is
    assert sorted(os.listdir(lib)) == sorted([".blurscan.db", "IMG_1.jpg", "IMG_\u200b1.jpg"])  # a dry run


def test_the_review_page_tells_them_apart_and_its_folder_filter_reads_them_back(tmp_path):
    lib = tmp_path / "lib"
    odd = lib / "trip\u200b"
    odd.mkdir(parents=True)
    (lib / "trip").mkdir()
    records = [_record(_photo(odd / "IMG_\u200b1.jpg", 3.0, 1), "blurry", 0.9),
               _record(_photo(odd / "IMG_1.jpg", 3.0, 2), "blurry", 0.8),
               _record(_photo(lib / "trip" / "IMG_1.jpg", 3.0, 3), "blurry", 0.7)]
    with Store(lib / ".blurscan.db") as store:
        store.put(records, "test")
    client = create_app(lib / ".blurscan.db", TOKEN, port=PORT).test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    shown_dir = str(lib) + "/trip\\u200b"
    items = _get(client, "/api/items?filter=all").get_json()["items"]
    assert sorted((it["folder"], it["name"]) for it in items) == sorted(
        [(shown_dir, "IMG_\\u200b1.jpg"), (shown_dir, "IMG_1.jpg"), (str(lib / "trip"), "IMG_1.jpg")])
    assert shown_dir + "/IMG_\\u200b1.jpg" in [it["path"] for it in items]
    folders = [f["folder"] for f in _get(client, "/api/folders").get_json()["folders"]]
    assert sorted(folders) == sorted([shown_dir, str(lib / "trip")])
    names = [it["name"] for it in _get(client, f"/api/items?filter=all&folder={quote(shown_dir)}").get_json()["items"]]
    assert sorted(names) == ["IMG_1.jpg", "IMG_\\u200b1.jpg"]
