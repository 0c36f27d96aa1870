"""The work a scan of a long ``--files-from`` list, and a ``move`` planning, do for each path (no timing: calls
counted). On 2026-12-06 the notes on a managed library named (:mod:`blurscan.managed`) and on a hidden file typed
worked out each named path's canonical name three more times (a ``stat`` and a ``realpath`` each) and the pruning
once more, and every path a scan named and every candidate of ``move`` / ``trash`` / ``tag`` had each of its
folders' names looked at for a photo application's library: ``scan --files-from`` of 100,000 photos took 1.22 times
as long. A path holding no such library's suffix is now told apart by one test of the whole path. Until 2026-12-07
each named path's canonical name was still worked out seven times in all (where the database goes, the linked-folder
checks, the notes, the walk, the folders recorded, the pruning, ``--model none``'s count): a rescan of a list of
5,000 unchanged photos took twice the CPU of a walk of the same library. It is worked out once now
(:class:`blurscan.walk.NamedPath`), and each photo's folder resolved once for all the photos in it."""
from __future__ import annotations

import pytest

from blurscan import managed
from blurscan.cli import scan as scan_cli
from blurscan import pruning

from helpers_cli import jsonl, run
from helpers_images import blurred, save_jpeg, textured
from test_walk_managed_libraries import PHOTOS, _pictures


def _counting(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)

    def counted(*args, **kw):
        calls.append(args)
        return real(*args, **kw)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_files_from_lists_paths_get_their_canonical_name_once_in_the_command_and_once_in_pruning(
        tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    for i in range(12):
        save_jpeg(lib / "2024" / f"IMG_{i:04d}.jpg", textured(i) if i % 2 else blurred(textured(i), 4.0))
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    (lib / "2024" / "IMG_0000.jpg").unlink()  # (a record to forget: the pruning looks at the named paths)
    listed = [str(lib / "2024")] + sorted(str(p) for p in (lib / "2024").iterdir())
    in_command = _counting(monkeypatch, scan_cli, "canonical")
    in_pruning = _counting(monkeypatch, pruning, "canonical")
    res = run("scan", "--files-from", "-", "--db", lib / ".blurscan.db", "--model", "none", "--workers", "1",
              "--format", "jsonl", input="\n".join(listed) + "\n")
    assert res.exit_code == 0, res.output
    assert sorted(r["path"] for r in jsonl(res.stdout)) == listed[1:]
    # the notes' once, and --model none's count of the stored model results once (3 + 2 before)
    assert len(in_command) <= 2 * len(listed), len(in_command)
    assert len(in_pruning) <= len(listed), len(in_pruning)  # (2 before)
    report = run("report", lib, "--format", "jsonl")
    assert str(lib / "2024" / "IMG_0000.jpg") not in {r["path"] for r in jsonl(report.stdout)}  # still forgotten


def test_a_files_from_lists_photos_are_resolved_once_a_folder_not_seven_times_a_photo(tmp_path, monkeypatch):
    # (`find lib -name '*.jpg' | blurscan scan --files-from -` of an unchanged library: each photo's folder went
    # through realpath 7 times a photo, 72 times here for each folder of 10, until 2026-12-07; 3 times a folder now)
    import os
    from collections import Counter

    lib = tmp_path / "lib"
    for folder in ("2023", "2024"):
        for i in range(10):
            save_jpeg(lib / folder / f"IMG_{i:04d}.jpg", textured(i) if i % 2 else blurred(textured(i), 4.0))
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    listed = sorted(str(p) for p in lib.rglob("*.jpg"))
    resolved = Counter()
    real = os.path.realpath
    monkeypatch.setattr(os.path, "realpath", lambda path, *a, **kw: resolved.update([os.fsdecode(path)]) or
                        real(path, *a, **kw))
    res = run("scan", "--files-from", "-", "--model", "none", "--workers", "1", "--format", "jsonl",
              input="\n".join(listed) + "\n")
    assert res.exit_code == 0, res.output
    assert sorted(r["path"] for r in jsonl(res.stdout)) == listed and "(20 unchanged, reused)" in res.stderr
    assert f"database: {lib / '.blurscan.db'}" in res.stderr
    for folder in ("2023", "2024"):  # (fewer than its photos: not once a photo)
        assert resolved[str(lib / folder)] < 10, resolved


def test_blurscan_scan_of_named_photos_resolves_each_folder_once_not_three_times_a_photo(tmp_path, monkeypatch):
    # the library call (`blurscan.scan(paths, db=...)`): the roots recorded, the walk and the pruning each resolved
    # every path (3 times a photo, until 2026-12-07)
    import os
    from collections import Counter

    import blurscan
    from blurscan.config import ScanSettings

    folder = tmp_path / "lib" / "2024"
    listed = [folder / f"IMG_{i:04d}.jpg" for i in range(10)]
    for i, path in enumerate(listed):
        save_jpeg(path, textured(i))
    settings = ScanSettings(model="none", workers=1)
    assert len(list(blurscan.scan(listed, settings, db=tmp_path / "lib.db"))) == 10
    resolved = Counter()
    real = os.path.realpath
    monkeypatch.setattr(os.path, "realpath", lambda path, *a, **kw: resolved.update([os.fsdecode(path)]) or
                        real(path, *a, **kw))
    again = list(blurscan.scan([os.fsencode(p) for p in listed], settings, db=tmp_path / "lib.db"))
    assert sorted(r.path for r in again) == [str(p) for p in listed] and all(r.cached for r in again)
    assert resolved[str(folder)] < 10, resolved  # (30 before)


def test_a_given_paths_canonical_name_is_the_one_its_text_has_whatever_its_form(tmp_path, monkeypatch):
    # one answer a path, worked out once, and each photo's folder once: the same answers as each path's own
    import os

    from blurscan.walk import canonical, named_path

    lib = tmp_path / "lib"
    save_jpeg(lib / "2024" / "a.jpg", textured(1))
    save_jpeg(lib / "2024" / "b.jpg", textured(2))
    save_jpeg(tmp_path / "ext" / "trip" / "c.jpg", textured(3))
    os.symlink(tmp_path / "ext" / "trip", lib / "trip")  # a folder linked into the library
    os.symlink(lib / "2024" / "a.jpg", lib / "best.jpg")  # a link to a file: a name of its own
    os.symlink(tmp_path / "nowhere", lib / "gone")  # a link whose target is not there
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(lib)
    forms = ["2024/a.jpg", "2024/b.jpg", "./2024/a.jpg", "2024/", "2024/.", "2024/a.jpg/", "trip", "trip/",
             "trip/c.jpg", "trip/../2024/a.jpg", "trip/../ext", "trip/../trip/c.jpg/", "best.jpg", "gone", "gone/",
             "2024/missing.jpg", "missing/x.jpg", "~/lib/2024/a.jpg", "~/lib/trip/c.jpg", "~", str(lib / "trip"),
             os.fsencode("trip/c.jpg"), lib / "2024" / "b.jpg", "/"]
    folders: dict[str, str] = {}
    given = [named_path(p, folders) for p in forms]
    assert [canonical(p) for p in given] == [canonical(p) for p in forms]
    assert [canonical(p) for p in given] == [canonical(p) for p in forms]  # (asked again: the same answers)
    assert canonical(given[8]) == str(tmp_path / "ext" / "trip" / "c.jpg")
    assert canonical(given[12]) == str(lib / "best.jpg")
    assert named_path(given[0]) is given[0] and given[0] == "2024/a.jpg"


def test_a_path_in_no_photo_application_library_has_its_folder_names_looked_at_not_one_by_one(
        tmp_path, monkeypatch):
    pics = _pictures(tmp_path / "Pictures")
    assert run("scan", pics, "--model", "none", "--workers", "1").exit_code == 0
    assert run("scan", pics / PHOTOS, "--model", "none", "--workers", "1").exit_code == 0
    looked = _counting(monkeypatch, managed, "package")
    res = run("move", pics, "--all-blurry", "--to", tmp_path / "rejects")
    assert res.exit_code == 0, res.output
    assert "IMG_0002.jpg" in res.output  # taken: not in a library
    assert "B1B2C3D4-0002.jpeg" in res.output and "whose files Photos manages" in res.output  # left, as before
    # the folder names of the library's photos only (before: of every candidate's path, IMG_0002's too)
    assert (PHOTOS,) in looked and ("2024",) not in looked, looked
    assert not managed.library_of(str(pics / "2024" / "IMG_0002.jpg"))
    assert managed.library_of(str(pics / PHOTOS / "originals" / "B" / "x.jpeg")) == str(pics / PHOTOS)
    assert managed.library_of(str(tmp_path / "a" / "X SMART PREVIEWS.LRDATA" / "b.jpg")) == \
        str(tmp_path / "a" / "X SMART PREVIEWS.LRDATA")
    assert managed.passed_over_when_named(str(tmp_path / "appdata_oc1a2b3c4d5e" / "p" / "1.jpg"))
    assert not managed.passed_over_when_named(str(tmp_path / "appdata_oc1" / "p" / "1.jpg"))


def test_a_named_file_in_no_photo_application_library_has_its_folder_names_looked_at_not_one_by_one(
        tmp_path, monkeypatch):
    pics = _pictures(tmp_path / "Pictures")
    listed = [str(pics / "2024" / "IMG_0001.jpg"), str(pics / PHOTOS / "originals" / "A" / "A1B2C3D4-0001.jpeg"),
              str(pics / PHOTOS / "resources" / "derivatives" / "A" / "A1B2C3D4-0001_1_105_c.jpeg")]
    looked = _counting(monkeypatch, managed, "package")
    res = run("scan", "--files-from", "-", "--model", "none", "--workers", "1", "--format", "jsonl",
              input="\n".join(listed) + "\n")
    assert res.exit_code == 0, res.output
    assert sorted(r["path"] for r in jsonl(res.stdout)) == sorted(listed[:2])  # the thumbnail passed over
    assert (PHOTOS,) in looked and ("2024",) not in looked, looked  # (before: each folder name of every path)


@pytest.mark.parametrize("folder", ["lib", "Photos de José"])
def test_paths_listed_and_deleted_since_are_forgotten_in_one_reading_of_the_table_and_of_their_folder(
        tmp_path, monkeypatch, folder):
    # the JSON Lines' paths fed back (`report --format jsonl | jq -r .path | scan --files-from -`) after most of
    # the photos were deleted: each such path read the whole table, listed its folder and looked through the
    # paths to forget (16,000: 30 s, the square of their number; until 2026-12-06). A library under an accented
    # folder: each path missing listed its folder once more, looking for its name in another Unicode form (its
    # name plain ASCII, which has no other; until 2026-12-06)
    import os

    from blurscan.store import Store

    lib = tmp_path / folder
    for i in range(12):
        save_jpeg(lib / "2024" / f"IMG_{i:04d}.jpg", textured(i))
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    listed = sorted(str(p) for p in (lib / "2024").iterdir() if p.suffix == ".jpg")
    for path in listed[2:]:
        os.unlink(path)
    readings = _counting(monkeypatch, Store, "paths_under")
    listings = _counting(monkeypatch, os, "listdir")
    res = run("scan", "--files-from", "-", "--db", lib / ".blurscan.db", "--model", "none", "--workers", "1",
              "--format", "jsonl", input="\n".join(listed) + "\n")
    assert res.exit_code == 1, res.output  # (listed paths missing)
    assert len(readings) == 0  # (a folder named is read so; 10 here before)
    assert sum(args[0] == str(lib / "2024") for args in listings) <= 2, listings  # (10 before)
    report = run("report", lib, "--format", "jsonl")
    assert sorted(r["path"] for r in jsonl(report.stdout)) == listed[:2]  # the deleted ones forgotten


def test_many_folders_listed_are_pruned_in_one_reading_of_the_table(tmp_path, monkeypatch):
    # `ls -d lib/* | scan --files-from -`: each folder read the whole table for its stored photos (8,000 folders
    # of a photo each: 10 s, the square of their number; until 2026-12-06); a photo deleted in one still forgotten
    from blurscan.store import Store

    lib = tmp_path / "lib"
    folders = [lib / f"day{i:02d}" for i in range(pruning.FOLDERS_READ_ALONE + 4)]
    for i, folder in enumerate(folders):
        save_jpeg(folder / "IMG_0001.jpg", textured(i))
    save_jpeg(folders[3] / "IMG_0002.jpg", textured(20))
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    (folders[3] / "IMG_0002.jpg").unlink()
    readings = _counting(monkeypatch, Store, "paths_under")
    res = run("scan", "--files-from", "-", "--db", lib / ".blurscan.db", "--model", "none", "--workers", "1",
              "--format", "jsonl", input="".join(f"{f}\n" for f in folders))
    assert res.exit_code == 0, res.output
    assert len(readings) == 0  # (20 before)
    report = run("report", lib, "--format", "jsonl")
    assert sorted(r["path"] for r in jsonl(report.stdout)) == sorted(str(f / "IMG_0001.jpg") for f in folders)


def test_a_few_folders_named_or_deleted_are_pruned_by_a_query_each_not_a_reading_of_the_whole_table(
        tmp_path, monkeypatch):
    # `scan lib/a ... lib/j` (10 folders), `scan lib/2023` after deleting it: a query each finds the stored paths
    # under them (SQLite, 15 to 40 times as fast as the reading in Python of a 100,000-photo table); from the
    # merge of 2026-12-06 to its fix the whole table was read past 8 folders and for any deleted path (10 small
    # folders of a 100,000-photo library: 1.7 times as long; one deleted folder: 2.5 times)
    import shutil

    from blurscan.store import Store

    lib = tmp_path / "lib"
    folders = [lib / f"day{i:02d}" for i in range(10)]
    for i, folder in enumerate(folders):
        save_jpeg(folder / "IMG_0001.jpg", textured(i))
    save_jpeg(folders[3] / "IMG_0002.jpg", textured(20))
    save_jpeg(lib / "old" / "IMG_0003.jpg", textured(21))
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    (folders[3] / "IMG_0002.jpg").unlink()
    whole = []  # the pruning's readings of the whole table (not --model none's count of the stored results)
    real = Store.paths_under_any
    monkeypatch.setattr(Store, "paths_under_any", lambda self, roots, **kw: (
        whole.append(roots) if kw.get("self_too", True) is False else None) or real(self, roots, **kw))
    res = run("scan", *folders, "--db", lib / ".blurscan.db", "--model", "none", "--workers", "1")
    assert res.exit_code == 0, res.output
    assert len(whole) == 0, whole  # (1 before the fix)
    shutil.rmtree(lib / "old")
    res = run("scan", lib / "old", "--db", lib / ".blurscan.db", "--model", "none", "--workers", "1")
    assert len(whole) == 0, whole  # (1 before the fix)
    report = run("report", lib, "--format", "jsonl")
    assert sorted(r["path"] for r in jsonl(report.stdout)) == sorted(str(f / "IMG_0001.jpg") for f in folders)
