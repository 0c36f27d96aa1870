"""Files that are known not to be photos, met by the real command line: named by a shell's ``DIR/*`` with the
photos (a phone export's videos, ``.AAE`` and ``.json`` sidecars, ``Thumbs.db``), and macOS's AppleDouble files
(``._IMG_0001.JPG`` beside each photo a Mac copied, a zip's ``__MACOSX``), which ``--include-hidden`` meets.
Each was an error record and an error line (an audit of a phone export, 2026-12-05); now they are passed over
and counted in the closing line, as a folder walk does with the other files of a folder."""
from __future__ import annotations

import os

from helpers_cli import cli, jsonl
from helpers_images import save_jpeg, textured
import pytest

NOT_PHOTOS = ("IMG_0001.AAE", "IMG_5001.MOV", "IMG_5002.mp4", "Thumbs.db", "desktop.ini", "IMG_0001.JPG.json",
              "IMG_0002.JPG.json", "IMG_0001.xmp")
#: The first bytes of every AppleDouble file (RFC 1740).
MAGIC = b"\x00\x05\x16\x07"
#: What the closing line says of them (commonest first, then by name; six named).
PASSED_OVER = "; passed over 8 files that are not photos: 2 .json, 1 .AAE, 1 .MOV, 1 .db, 1 .ini, 1 .mp4, 1 other"


def _scan(*args):
    out = cli("scan", *args, "--format", "jsonl", "--model", "none", "--workers", "1")
    assert out.returncode == 0, out.stderr
    return jsonl(out.stdout), out.stderr.decode().splitlines()


def _export(lib):
    """A phone export: two photos and the files a phone and a PC keep beside them."""
    save_jpeg(lib / "IMG_0001.JPG", textured(1))
    save_jpeg(lib / "IMG_0002.JPG", textured(2))
    for name in NOT_PHOTOS:
        (lib / name).write_bytes(b"{\"not\": \"a photo\"}\n")
    return lib


@pytest.mark.slow
def test_files_named_by_a_glob_that_are_not_photos_are_passed_over_and_counted(tmp_path):
    """`blurscan scan lib/*` said `IMG_0001.AAE: not an image (text file?)`, `IMG_5001.MOV: unsupported format
    (video file)` ... and "8 errors" where `blurscan scan lib` passed over the same files without a word and
    counted them: now both give the same records and the same count."""
    lib = _export(tmp_path / "lib")
    named = sorted(str(p) for p in lib.iterdir())  # what the shell makes of lib/*
    for args, db in ((named, tmp_path / "named.db"), ([lib], tmp_path / "walked.db")):
        records, lines = _scan(*args, "--db", db)
        assert sorted(os.path.basename(r["path"]) for r in records) == ["IMG_0001.JPG", "IMG_0002.JPG"], records
        assert all(r["status"] == "ok" for r in records), records
        assert len(lines) == 1, lines  # no error line, only the closing one
        assert lines[0].startswith("scanned 2 files: ") and ", 2 sharp, 0 errors (" in lines[0], lines
        assert lines[0].endswith(PASSED_OVER), (args, lines)


def test_a_named_file_with_a_photo_suffix_or_an_unknown_one_is_still_read(tmp_path):
    """Only the known non-photo suffixes are passed over: a named file with a photo's suffix, or one that says
    nothing (no suffix, `.dat`, `.txt`), is read, and says so when it is not an image; a folder walk still
    passes over the latter."""
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "fake.jpg").write_bytes(b"just some text, not a JPEG\n")
    (odd / "export.dat").write_bytes(b"just some text\n")
    (odd / "README").write_bytes(b"just some text\n")
    (odd / "clip.MOV").write_bytes(b"\x00\x00\x00\x18ftypqt  ")
    records, lines = _scan(*sorted(str(p) for p in odd.iterdir()), "--db", tmp_path / "x.db")
    assert sorted((os.path.basename(r["path"]), r["status"]) for r in records) == \
        [("README", "error"), ("export.dat", "error"), ("fake.jpg", "error")], records
    assert len(lines) == 4 and all(": not an image" in line for line in lines[:3]), lines
    assert lines[-1].startswith("scanned 3 files: ") and " 0 sharp, 3 errors (" in lines[-1] and \
        lines[-1].endswith("; passed over 1 file that is not a photo: 1 .MOV"), lines


@pytest.mark.slow
def test_a_file_named_and_in_a_walked_folder_is_counted_once(tmp_path):
    """`scan lib lib/IMG_5001.MOV` (or the other way round) names the video twice: counted once; and the
    database in use, named by `lib/*`, is blurscan's file: neither read nor counted."""
    lib = _export(tmp_path / "lib")
    for args in ([lib, lib / "IMG_5001.MOV"], [lib / "IMG_5001.MOV", lib / "IMG_0001.AAE", lib]):
        records, lines = _scan(*args, "--db", tmp_path / "x.db")
        assert len(records) == 2 and lines[-1].endswith(PASSED_OVER), (args, lines)
    _scan(lib, "--db", lib / "card.db")  # the database now exists in the library
    records, lines = _scan(*sorted(str(p) for p in lib.iterdir()), "--db", lib / "card.db")
    assert len(records) == 2 and len(lines) == 1 and lines[0].endswith(PASSED_OVER), lines


def _appledouble(path):
    """What a Mac writes beside a file it copies to a FAT card: the AppleDouble header and a few bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(MAGIC + b"\x00\x02\x00\x00" + b"Mac OS X        " + b"\x00" * 64)
    return path


def _card(tmp_path):
    """A card copied by a Mac, and a zip of it unpacked: a photo, its `._` file and the zip's __MACOSX folder."""
    card = tmp_path / "card"
    save_jpeg(card / "DCIM" / "IMG_0001.JPG", textured(1))
    save_jpeg(card / "DCIM" / ".hidden.jpg", textured(3))  # a hidden photo, which --include-hidden takes
    _appledouble(card / "DCIM" / "._IMG_0001.JPG")
    _appledouble(card / "DCIM" / "._DSC_0002.NEF")
    save_jpeg(card / "unzipped" / "IMG_0002.JPG", textured(2))
    _appledouble(card / "unzipped" / "__MACOSX" / "._IMG_0002.JPG")
    _appledouble(card / "unzipped" / "__MACOSX" / "sub" / "._IMG_0003.JPG")
    return card


def test_appledouble_files_are_passed_over_and_counted_with_include_hidden(tmp_path):
    """`scan card --include-hidden` made one error record `not an image (unknown file signature)` per photo a Mac
    had copied (its `._` file), and one per file of a zip's __MACOSX: now passed over, counted as AppleDouble.
    A `._` file that is not AppleDouble inside (a photo saved under such a name) is still read."""
    card = _card(tmp_path)
    save_jpeg(card / "DCIM" / "._real.jpg", textured(4))
    records, lines = _scan(card, "--include-hidden", "--db", tmp_path / "x.db")
    assert sorted((os.path.basename(r["path"]), r["status"]) for r in records) == \
        [("._real.jpg", "ok"), (".hidden.jpg", "ok"), ("IMG_0001.JPG", "ok"), ("IMG_0002.JPG", "ok")], records
    assert len(lines) == 1, lines
    assert lines[0].startswith("scanned 4 files: ") and lines[0].endswith(
        "; passed over 4 files that are not photos: 4 AppleDouble (macOS ._ files)"), lines


def test_without_include_hidden_appledouble_files_are_skipped_as_before(tmp_path):
    """Without --include-hidden they are hidden files and a system folder: skipped, and not counted (as
    before)."""
    card = _card(tmp_path)
    records, lines = _scan(card, "--db", tmp_path / "x.db")
    assert sorted(os.path.basename(r["path"]) for r in records) == ["IMG_0001.JPG", "IMG_0002.JPG"], records
    assert len(lines) == 1 and lines[0].startswith("scanned 2 files: ") and "passed over" not in lines[0], lines


@pytest.mark.slow
def test_appledouble_files_named_on_the_command_line_are_passed_over(tmp_path):
    """A shell that names hidden files with `*` (bash's dotglob, zsh's globdots) names the `._` files, and any
    shell names a zip's __MACOSX folder: passed over too, named as they are met in a walk."""
    card = _card(tmp_path)
    dcim = sorted(str(p) for p in (card / "DCIM").iterdir())
    unzipped = sorted(str(p) for p in (card / "unzipped").iterdir())
    records, lines = _scan(*dcim, *unzipped, "--include-hidden", "--db", tmp_path / "x.db")
    assert sorted(os.path.basename(r["path"]) for r in records) == [".hidden.jpg", "IMG_0001.JPG", "IMG_0002.JPG"]
    assert len(lines) == 1 and lines[0].endswith(
        "; passed over 4 files that are not photos: 4 AppleDouble (macOS ._ files)"), lines
    records, lines = _scan(*dcim, *unzipped, "--db", tmp_path / "y.db")
    # (a hidden photo named is passed over too, as in a walk, with a note: until 2026-12-06 it was read)
    assert sorted(os.path.basename(r["path"]) for r in records) == ["IMG_0001.JPG", "IMG_0002.JPG"]
    assert [line for line in lines if "a hidden file" in line] == \
        [f"note: {card / 'DCIM' / '.hidden.jpg'}: a hidden file, passed over as in a folder walk; --include-hidden scans it"]
    lines = [line for line in lines if not line.startswith("note:")]
    assert len(lines) == 1 and lines[0].endswith(
        "; passed over 2 files that are not photos: 2 AppleDouble (macOS ._ files)"), lines


def test_the_non_photo_suffixes_are_no_photo_suffixes():
    """(A guard: a suffix in both lists would pass photos over.)"""
    from blurscan.config import IMAGE_SUFFIXES, NON_PHOTO_SUFFIXES, RAW_SUFFIXES

    assert not NON_PHOTO_SUFFIXES & (IMAGE_SUFFIXES | RAW_SUFFIXES)
    assert all(s.startswith(".") and s == s.lower() for s in NON_PHOTO_SUFFIXES)


def _report(db):
    out = cli("report", "--db", db, "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    return sorted((os.path.basename(r["path"]), r["status"]) for r in jsonl(out.stdout))


@pytest.mark.slow
def test_old_error_records_of_named_files_passed_over_are_forgotten(tmp_path):
    """Before 2026-12-05 `scan lib/*` stored an error record of each `.MOV`, `.AAE`, `.json` it was given (and
    of a named `._` AppleDouble file); after the upgrade `scan lib/*` passed them over but left those records,
    which `report` listed as errors for good (only `scan lib` pruned them). Now a named file passed over has
    its stored record forgotten; the records of the photos, and of a file not named, stay."""
    from blurscan.records import ScanRecord
    from blurscan.store import Store

    lib = _export(tmp_path / "lib")
    _appledouble(lib / "._IMG_0002.JPG")
    elsewhere = tmp_path / "other" / "notes.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(b"not scanned now\n")
    db = tmp_path / "w7.db"
    named = sorted(str(p) for p in lib.iterdir())
    _scan(*named, "--db", db)
    old = [ScanRecord.from_error(os.path.realpath(lib / name), "not an image (text file?)") for name in NOT_PHOTOS]
    old.append(ScanRecord.from_error(os.path.realpath(lib / "._IMG_0002.JPG"), "not an image (unknown file signature)"))
    old.append(ScanRecord.from_error(os.path.realpath(elsewhere), "not an image (text file?)"))
    with Store(db) as store:  # what the code before stored of them
        store.put(old, "old")
    records, lines = _scan(*named, "--db", db)
    assert sorted(os.path.basename(r["path"]) for r in records) == ["IMG_0001.JPG", "IMG_0002.JPG"], records
    assert _report(db) == [("IMG_0001.JPG", "ok"), ("IMG_0002.JPG", "ok"), ("notes.txt", "error")]


def test_a_named_file_with_a_non_photo_suffix_that_holds_an_image_is_read(tmp_path):
    """Files are read by content, not name: a picture saved as `photo.json` (or `.MOV`), named on the command
    line, was scored before 2026-12-05, then passed over without a word ("no image files found"); now its
    first bytes are looked at, and a picture is read. A folder walk still never reads such a file (counted)."""
    card = tmp_path / "card"
    save_jpeg(card / "photo.json", textured(1))
    save_jpeg(card / "clip.MOV", textured(2))
    (card / "meta.json").write_bytes(b"{\"not\": \"a photo\"}\n")
    (card / "empty.AAE").write_bytes(b"")
    records, lines = _scan(*sorted(str(p) for p in card.iterdir()), "--db", tmp_path / "x.db")
    assert sorted((os.path.basename(r["path"]), r["status"]) for r in records) == \
        [("clip.MOV", "ok"), ("photo.json", "ok")], records
    assert len(lines) == 1 and lines[0].startswith("scanned 2 files: ") and lines[0].endswith(
        "; passed over 2 files that are not photos: 1 .AAE, 1 .json"), lines
    out = cli("scan", card, "--db", tmp_path / "y.db", "--model", "none", "--workers", "1")
    assert b"no image files found" in out.stderr and b"passed over 4 files" in out.stderr, out.stderr
