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
                                  "Cafe\u0301.jpg", "\u05e9\u05dc\u05d5\u05dd.jpg", "IMG_0001.jpg",
                                  "\u2764\ufe0f\u200d\U0001f525.jpg",  # a joiner after an emoji's selector
                                  "\u0915\u094d\u200d\u0937.jpg",  # a Devanagari half form: joiner after virama
                                  "\u1820\u180b.jpg"])  # a Mongolian letter's variant (free variation selector)
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


EDGES = {"\u200d\u0633\u0641\u0631": "\\u200d\u0633\u0641\u0631",  # a joiner first: it joins nothing
         "/p/\u0633\u0641\u0631\u200d": "/p/\u0633\u0641\u0631\\u200d",  # a joiner last (a folder's name)
         "\ufe0f\u65c5\u884c": "\\ufe0f\u65c5\u884c",  # a selector first (a folder's name): it selects nothing
         "/p/\u3164\u200d\u65c5.jpg": "/p/\\u3164\\u200d\u65c5.jpg",  # a joiner after a filler shown escaped
         "/p/x\u180by.jpg": "/p/x\\u180by.jpg",  # a Mongolian variation selector after a Latin letter
         "/p/a\u1160b.jpg": "/p/a\\u1160b.jpg", "/p/a\u17b5b.jpg": "/p/a\\u17b5b.jpg",
         "/p/a\U000e0fffb.jpg": "/p/a\\U000e0fffb.jpg"}


@pytest.mark.parametrize("name", sorted(EDGES))
def test_a_joiner_or_selector_that_shapes_nothing_and_the_ends_of_the_ranges_are_shown_escaped(name):
    assert printable_path(name) == EDGES[name] and shown_name(name) == EDGES[name]
    assert unshown_name(EDGES[name]) == name


def test_every_blank_that_looks_like_a_space_is_shown_escaped():
    """Unicode's space separators (category Zs) but the space itself and the ideographic space (two letters
    wide, typed in Japanese and Chinese names): ``a b.jpg`` and ``a<U+205F>b.jpg`` read alike."""
    import unicodedata

    blanks = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Zs" and c not in (0x20, 0x3000)]
    assert len(blanks) >= 15
    for ch in blanks:
        assert printable_path(f"/p/a{ch}b.jpg") == f"/p/a\\u{ord(ch):04x}b.jpg", hex(ord(ch))


@pytest.mark.parametrize("literal", ["trip\\u200b", "odd\\ud800", "odd\\U00110000"])
def test_the_folder_filter_finds_a_folder_whose_name_holds_an_escape_as_text(tmp_path, literal):
    """A folder named with a backslash (``trip\\u200b`` typed, or copied from Windows) is shown as it is, and
    the filter that names it must find it, not the folder the escape would name (``trip<U+200B>``, here with
    photos of its own), nor fail on an escape that names no character (a surrogate, past U+10FFFF)."""
    lib = tmp_path / "lib"
    (lib / literal).mkdir(parents=True)
    (lib / "trip\u200b").mkdir()
    with Store(lib / ".blurscan.db") as store:
        store.put([_record(_photo(lib / literal / "IMG_1.jpg", 3.0, 1), "blurry", 0.9),
                   _record(_photo(lib / "trip\u200b" / "IMG_2.jpg", 3.0, 2), "blurry", 0.8)], "test")
    client = create_app(lib / ".blurscan.db", TOKEN, port=PORT).test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    folders = [f["folder"] for f in _get(client, "/api/folders").get_json()["folders"]]
    assert str(lib / literal) in folders, folders
    listed = _get(client, f"/api/items?filter=all&folder={quote(str(lib / literal))}")
    assert listed.status_code == 200
    assert [it["name"] for it in listed.get_json()["items"]] == ["IMG_1.jpg"]


class _Counting:
    """A stand-in for a module or pattern that counts the calls of one of its functions."""

    def __init__(self, real, name: str) -> None:
        self.real, self.name, self.calls = real, name, 0

    def __getattr__(self, attr):
        value = getattr(self.real, attr)
        if attr != self.name:
            return value

        def counted(*args, **kwargs):
            self.calls += 1
            return value(*args, **kwargs)
        return counted


def test_escaping_a_name_looks_at_the_characters_shown_escaped_not_at_every_one(monkeypatch):
    """A name holding one character shown escaped (a library in ``my<U+00A0>lib``: every path under it) is
    escaped with work for that character, not for each character of the name: ``printable_path`` asked each
    character's Unicode category and ``shown_name`` matched each against the controls, which made the table of a
    scan, a move's dry run or the review page's list of such a library several times slower (2-12 times the
    time a name). Same text as before."""
    import blurscan.errors as errors

    name = "/home/me/my\u00a0lib/" + "Été à Tōkyō, مینا " * 100 + "\u200b\x1b.jpg"
    category = _Counting(errors.unicodedata, "category")
    controls = _Counting(errors._CONTROLS, "match")
    monkeypatch.setattr(errors, "unicodedata", category)
    monkeypatch.setattr(errors, "_CONTROLS", controls)
    shown = "/home/me/my\\u00a0lib/" + "Été à Tōkyō, مینا " * 100 + "\\u200b\\x1b.jpg"
    assert printable_path(name) == shown
    assert shown_name(name) == shown
    assert category.calls <= 10 and controls.calls <= 10


def test_the_review_grid_writes_a_folder_shown_escaped_once_not_once_a_photo(tmp_path, monkeypatch):
    """A library in ``my<U+00A0>lib``: every photo's folder is shown escaped on the review page; its 30 photos
    share one, written once (it was written for each card: the grid of such a library took twice its time)."""
    from blurscan import pipeline
    from blurscan.config import ScanSettings
    from blurscan.records import ScanRecord
    from blurscan.review import library

    folder = tmp_path / "my\u00a0lib" / "2024"
    folder.mkdir(parents=True)
    records = []
    for i in range(30):
        photo = folder / f"IMG_{i}.jpg"
        photo.write_bytes(b"x")
        st = photo.stat()
        records.append(ScanRecord(path=str(photo), size=st.st_size, mtime_ns=st.st_mtime_ns, verdict="blurry",
                                  p_blurry=0.9, laplacian_var=3.0, width=10, height=10, format="JPEG"))
    with Store(tmp_path / "x.db") as store:
        store.put(records, pipeline.cache_key(ScanSettings(workers=1, model="none"), None))
        asked = []
        real = library.shown_name
        monkeypatch.setattr(library, "shown_name", lambda path: asked.append(path) or real(path))
        items = library.items(store, filter_="flagged")
    assert len(items) == 30
    assert {item["folder"] for item in items} == {str(folder).replace("\u00a0", "\\u00a0")}
    assert {item["name"] for item in items} == {f"IMG_{i}.jpg" for i in range(30)}
    assert asked.count(str(folder)) == 1
