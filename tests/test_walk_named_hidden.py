"""Files a folder walk never meets, named explicitly: by hand, or in a ``find DIR -type f`` list fed to
``scan --files-from -``. ``find`` lists hidden files, the review page's thumbnail cache, a sync tool's hidden
old versions and a NAS's thumbnails; until 2026-12-06 each was read (thumbnails and old versions stored as the
library's photos, the others error records, like a ``manifest.csv``), where ``blurscan scan DIR`` passes them over."""
from __future__ import annotations

import os

from helpers_cli import jsonl, run
from helpers_images import blurred, save_jpeg, textured

from blurscan.walk import walk


def _find(root):
    """What ``find ROOT -type f`` prints, one path a line."""
    return "".join(os.path.join(folder, name) + "\n" for folder, _, names in os.walk(root) for name in names)


def _library(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "one.jpg", textured(1))
    save_jpeg(lib / "sub" / "two.jpg", blurred(textured(2), 4.0))
    (lib / ".blurscan-demo").write_text('{"demo": 1}\n')      # a hidden text file (the demo's marker)
    (lib / "manifest.csv").write_text("path,label\none.jpg,sharp\n")
    save_jpeg(lib / ".blurscan-thumbs" / "ab" / "ab12.jpg", blurred(textured(1), 4.0))  # the review page's cache
    save_jpeg(lib / ".stversions" / "one~20261206-101010.jpg", blurred(textured(1), 4.0))  # Syncthing's old one
    save_jpeg(lib / "@eaDir" / "one.jpg" / "SYNOPHOTO_THUMB_S.jpg", blurred(textured(1), 4.0))
    save_jpeg(lib / ".hidden.jpg", blurred(textured(3), 4.0))
    return lib


def test_a_find_list_scans_what_a_scan_of_the_folder_scans(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lib = _library(tmp_path)
    listed = run("scan", "--files-from", "-", "--model", "none", "--format", "jsonl", input=_find("lib"))
    assert listed.exit_code == 0, listed.output
    assert sorted(r["path"] for r in jsonl(listed.stdout)) == [str(lib / "one.jpg"), str(lib / "sub" / "two.jpg")]
    assert "not an image" not in listed.stderr and "passed over 1 file that is not a photo: 1 .csv" in listed.stderr
    assert "note:" not in listed.stderr, listed.stderr  # (a list's files passed over without a word)
    walked = run("scan", "lib", "--model", "none", "--format", "jsonl")
    assert sorted(r["path"] for r in jsonl(walked.stdout)) == sorted(r["path"] for r in jsonl(listed.stdout))
    moved = run("move", "lib", "--all-blurry", "--to", tmp_path / "rejects")  # no thumbnail offered
    assert "Dry run: 1 photo" in moved.output and "ab12" not in moved.output, moved.output


def test_a_hidden_file_named_by_hand_is_passed_over_with_a_note_unless_include_hidden(tmp_path):
    lib = _library(tmp_path)
    res = run("scan", lib / ".hidden.jpg", "--model", "none", "--format", "jsonl")
    assert res.exit_code == 0 and res.stdout == "", res.output
    assert ".hidden.jpg: a hidden file, passed over as in a folder walk; --include-hidden scans it" in res.stderr
    res = run("scan", lib / ".hidden.jpg", "--include-hidden", "--model", "none", "--format", "jsonl")
    assert [r["path"] for r in jsonl(res.stdout)] == [str(lib / ".hidden.jpg")]


def test_the_thumbnail_cache_is_never_taken_when_named_even_with_include_hidden(tmp_path):
    lib = _library(tmp_path)
    thumb = lib / ".blurscan-thumbs" / "ab" / "ab12.jpg"
    assert list(walk([thumb], include_hidden=True)) == []
    assert [r.path for r in walk([lib / ".stversions" / "one~20261206-101010.jpg"], include_hidden=True,
                                 database=lib / ".blurscan.db")] == [str(lib / ".stversions" / "one~20261206-101010.jpg")]


def test_a_library_in_a_hidden_folder_fed_back_from_its_jsonl_is_scanned(tmp_path):
    """Hidden folders count below the database's folder only: a library may live in one (``~/.photos``)."""
    lib = tmp_path / ".photos" / "lib"
    save_jpeg(lib / "one.jpg", textured(1))
    first = run("scan", lib, "--model", "none", "--format", "jsonl")
    paths = [r["path"] for r in jsonl(first.stdout)]
    assert paths == [str(lib / "one.jpg")]
    again = run("scan", "--files-from", "-", "--model", "none", "--format", "jsonl", input="\n".join(paths) + "\n")
    assert [r["path"] for r in jsonl(again.stdout)] == paths and "1 unchanged, reused" in again.stderr


def test_a_file_in_a_hidden_or_system_folder_typed_by_hand_is_passed_over_with_a_note(tmp_path):
    """``scan lib/.stversions/one~....jpg`` (the library scanned before): passed over as in a folder walk, and
    said so; until 2026-12-06 only ``no image files found``, where ``scan lib/.stversions`` scans it."""
    lib = _library(tmp_path)
    assert run("scan", lib, "--model", "none").exit_code == 0
    old = lib / ".stversions" / "one~20261206-101010.jpg"
    for path, folder in ((old, "a hidden folder (.stversions)"),
                         (lib / "@eaDir" / "one.jpg" / "SYNOPHOTO_THUMB_S.jpg", "a system folder (@eaDir)")):
        res = run("scan", path, "--model", "none", "--format", "jsonl")
        assert res.exit_code == 0 and res.stdout == "", res.output
        assert f"{path.name}: in {folder}, passed over as in a folder walk; --include-hidden scans it" \
            in res.stderr, res.stderr
    res = run("scan", old, "--include-hidden", "--model", "none", "--format", "jsonl")
    assert [r["path"] for r in jsonl(res.stdout)] == [str(old)] and "note:" not in res.stderr
    folder = run("scan", lib / ".stversions", "--model", "none", "--format", "jsonl")  # a hidden folder typed
    assert [r["path"] for r in jsonl(folder.stdout)] == [str(old)] and "note:" not in folder.stderr, folder.output
    thumb = run("scan", lib / ".blurscan-thumbs" / "ab" / "ab12.jpg", "--include-hidden", "--model", "none",
                "--format", "jsonl")
    assert thumb.stdout == ""  # (never scanned: --include-hidden is no way)


def test_hidden_folders_count_below_the_database_folder_only_not_beside_it(tmp_path):
    """A database in ``lib``: ``lib2/.hidden/b.jpg`` (a folder whose name begins like the library's) is outside
    the library, its hidden folder not the library's."""
    save_jpeg(tmp_path / "lib2" / ".hidden" / "b.jpg", textured(2))
    named = tmp_path / "lib2" / ".hidden" / "b.jpg"
    assert [r.path for r in walk([named], database=tmp_path / "lib" / ".blurscan.db")] == [str(named)]
    assert list(walk([named], database=tmp_path / "lib2" / ".blurscan.db")) == []


def test_a_file_typed_by_hand_in_a_folder_a_walk_passes_over_says_why(tmp_path):
    """Until 2026-12-06 only a hidden file itself got a note: a file typed by hand inside a system folder, a hidden
    folder, the review page's thumbnail cache, a photo application's cache or a Photos library's thumbnails said
    ``no image files found``, and nothing of why. A find list's files are still passed over without a word."""
    lib = _library(tmp_path)
    save_jpeg(lib / "Lightroom Catalog Previews.lrdata" / "1" / "p.jpg", blurred(textured(1), 4.0))
    save_jpeg(lib / "Photos Library.photoslibrary" / "resources" / "derivatives" / "d.jpg", blurred(textured(2), 4.0))
    run("scan", lib, "--model", "none")  # (the library's database: hidden folders count below its folder)
    typed = {
        lib / "@eaDir" / "one.jpg" / "SYNOPHOTO_THUMB_S.jpg":
            "in a system folder (@eaDir), passed over as in a folder walk; --include-hidden scans it",
        lib / ".stversions" / "one~20261206-101010.jpg":
            "in a hidden folder (.stversions), passed over as in a folder walk; --include-hidden scans it",
        lib / ".blurscan-thumbs" / "ab" / "ab12.jpg":
            "in the review page's thumbnail cache (.blurscan-thumbs), never scanned",
        lib / "Lightroom Catalog Previews.lrdata" / "1" / "p.jpg":
            "in Lightroom Catalog Previews.lrdata, a photo application's cache, passed over",
        lib / "Photos Library.photoslibrary" / "resources" / "derivatives" / "d.jpg":
            "in an Apple Photos library (Photos Library.photoslibrary) but not among its originals",
    }
    for path, why in typed.items():
        res = run("scan", path, "--model", "none", "--format", "jsonl")
        assert res.exit_code == 0 and res.stdout == "", res.output
        assert f"note: {path}: {why}" in res.stderr, res.stderr
    res = run("scan", lib / ".blurscan-thumbs" / "ab" / "ab12.jpg", "--include-hidden", "--model", "none")
    assert "thumbnail cache (.blurscan-thumbs), never scanned" in res.stderr, res.stderr
    res = run("scan", lib / ".stversions" / "one~20261206-101010.jpg", "--include-hidden", "--model", "none",
              "--format", "jsonl")
    assert "note:" not in res.stderr and len(jsonl(res.stdout)) == 1, res.output
    listed = run("scan", "--files-from", "-", "--model", "none", "--format", "jsonl",
                 input="".join(f"{path}\n" for path in typed))
    assert listed.exit_code == 0 and listed.stdout == "" and "note:" not in listed.stderr, listed.output
