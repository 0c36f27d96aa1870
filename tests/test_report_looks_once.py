"""`blurscan report` looks at each stored photo's file once. It looked twice: a ``stat`` to tell a photo gone from
disk or changed (blurscan.listing), then an ``lstat`` to tell other names of one file (blurscan.same_file): two
round trips a photo to a NAS, where each costs milliseconds. Now one ``lstat`` a photo (and a ``stat`` more for
a symbolic link). Real scans of generated JPEGs, the real command; counts of calls, never times."""
from __future__ import annotations

import os

from helpers_cli import jsonl, run
from helpers_images import save_jpeg, textured
from helpers_scandir import count_listed


def _looks(monkeypatch, folder):
    """Count ``os.stat`` and ``os.lstat`` calls on the files under ``folder`` (path -> count)."""
    counts: dict[str, int] = {}
    prefix = str(folder) + os.sep

    def counting(real):
        def look(path, *args, **kwargs):
            if isinstance(path, str) and path.startswith(prefix) and path.endswith(".jpg"):
                counts[path] = counts.get(path, 0) + 1
            return real(path, *args, **kwargs)
        return look

    monkeypatch.setattr(os, "stat", counting(os.stat))
    monkeypatch.setattr(os, "lstat", counting(os.lstat))
    return counts


def _sharp_library(lib, n):
    photos = [lib / f"d{i % 3}" / f"IMG_{i:04d}.jpg" for i in range(n)]
    for i, photo in enumerate(photos):
        photo.parent.mkdir(parents=True, exist_ok=True)
        save_jpeg(photo, textured(i))
    return photos


def test_report_looks_at_each_photo_once(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    photos = _sharp_library(lib, 9)
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    counts = _looks(monkeypatch, lib)
    result = run("report", lib, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert {o["path"] for o in jsonl(result.stdout)} == {str(p) for p in photos}
    assert counts == {str(p): 1 for p in photos}  # the old code: 2 each


def test_report_still_tells_links_gone_and_changed_photos(tmp_path, monkeypatch):
    """What report leaves out and notes is what it was: another name of a listed file (a link, a hard link), a
    photo deleted, a folder in a photo's place, a broken link; a changed photo noted."""
    lib = tmp_path / "lib"
    photos = _sharp_library(lib, 6)
    os.symlink(photos[0], lib / "d0" / "link.jpg")
    os.link(photos[1], lib / "d2" / "hard.jpg")
    os.symlink(photos[2], lib / "d1" / "broken.jpg")
    assert run("scan", lib / "d0", "--db", tmp_path / "x.db", "--model", "none", "--workers", "1").exit_code == 0
    assert run("scan", lib, "--db", tmp_path / "x.db", "--model", "none", "--workers", "1").exit_code == 0
    os.remove(photos[2])  # the link to it broken
    os.remove(photos[3])
    os.mkdir(photos[3])   # a folder in its place
    os.remove(photos[4])
    save_jpeg(photos[5], textured(40))  # changed
    counts = _looks(monkeypatch, lib)
    result = run("report", "--db", tmp_path / "x.db", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    listed = {o["path"] for o in jsonl(result.stdout)}
    assert str(lib / "d0" / "link.jpg") not in listed and str(photos[0]) in listed
    assert len(listed & {str(photos[1]), str(lib / "d2" / "hard.jpg")}) == 1
    assert not listed & {str(photos[2]), str(photos[3]), str(photos[4])}
    assert str(photos[5]) in listed
    assert "1 listed photo changed since the last scan" in result.stderr, result.stderr
    assert counts[str(photos[5])] == 1 and counts[str(photos[0])] == 1


def test_report_of_a_folder_of_blurry_photos_looks_at_each_once(tmp_path, monkeypatch):
    """The flagged photos' keeps in other databases (blurscan.actions.keeps) need each photo's real path: whether
    it is a symbolic link was an ``lstat`` a photo more; a folder of many flagged photos is now listed once."""
    from helpers_images import blurred

    lib = tmp_path / "lib"
    photos = [lib / "d" / f"IMG_{i:04d}.jpg" for i in range(10)]
    photos[0].parent.mkdir(parents=True)
    for i, photo in enumerate(photos):
        save_jpeg(photo, blurred(textured(100 + i)))
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    counts = _looks(monkeypatch, lib)
    result = run("report", lib, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    flagged = [o["path"] for o in jsonl(result.stdout) if o["verdict"] == "blurry"]
    assert len(flagged) >= 8, result.stdout  # (real_paths.LISTED_FROM)
    assert counts == {str(p): 1 for p in photos}  # the old code: 3 a flagged photo, 2 another


def test_real_paths_are_the_same_whether_a_folder_is_listed_or_each_photo_looked_at(tmp_path):
    from blurscan.actions import real_paths

    real = tmp_path / "real"
    real.mkdir()
    (real / "target.jpg").write_bytes(b"x")
    folder = tmp_path / "lib" / "d"
    folder.mkdir(parents=True)
    os.symlink(real, tmp_path / "lib" / "via")  # a folder link
    paths = [str(folder / f"IMG_{i}.jpg") for i in range(real_paths.LISTED_FROM)]
    for path in paths:
        open(path, "wb").close()
    os.symlink(real / "target.jpg", folder / "link.jpg")
    os.symlink(tmp_path / "lib" / "via" / "target.jpg", folder / "link-via.jpg")
    os.symlink(real / "gone.jpg", folder / "broken.jpg")
    asked = paths + [str(folder / n) for n in ("link.jpg", "link-via.jpg", "broken.jpg", "missing.jpg")]
    asked.append(str(tmp_path / "lib" / "via" / "target.jpg"))
    listed = real_paths.Resolver(asked)
    looked = real_paths.Resolver()
    assert [listed.path(p) for p in asked] == [looked.path(p) for p in asked]
    assert listed.path(str(folder / "link-via.jpg")) == str(real / "target.jpg")


def test_real_paths_of_photos_in_two_listed_folders_are_each_their_own(tmp_path):
    """Two folders listed (:data:`real_paths.LISTED_FROM` photos asked for in each), one reached through a folder link,
    a symbolic link in one named as a regular file of the other: each photo's real path is the one the system
    gives. One folder's listing, or its real path, never answers for another's."""
    from blurscan.actions import real_paths

    real = tmp_path / "real"
    (real / "b").mkdir(parents=True)
    (real / "target.jpg").write_bytes(b"x")
    (tmp_path / "lib" / "a").mkdir(parents=True)
    via = tmp_path / "lib" / "via"
    os.symlink(real / "b", via)  # a folder link: its photos' real folder is real/b
    asked = []
    for folder in (tmp_path / "lib" / "a", via):
        for i in range(real_paths.LISTED_FROM):
            (folder / f"IMG_{i}.jpg").write_bytes(b"y")
            asked.append(str(folder / f"IMG_{i}.jpg"))
    os.remove(via / "IMG_0.jpg")
    os.symlink(real / "target.jpg", via / "IMG_0.jpg")  # a link here, a regular file of that name in lib/a
    expected = [os.path.realpath(p) for p in asked]
    resolver = real_paths.Resolver(asked)
    assert [resolver.path(p) for p in asked] == expected
    assert resolver.path(str(via / "IMG_0.jpg")) == str(real / "target.jpg")


def test_a_folder_of_exactly_listed_from_photos_asked_for_is_listed_not_each_photo_looked_at(tmp_path, monkeypatch):
    from blurscan.actions import real_paths

    folder = tmp_path / "d"
    folder.mkdir()
    paths = [str(folder / f"IMG_{i}.jpg") for i in range(real_paths.LISTED_FROM)]
    for path in paths:
        open(path, "wb").close()
    expected = [os.path.realpath(p) for p in paths]
    counts = _looks(monkeypatch, tmp_path)
    resolver = real_paths.Resolver(paths)
    assert [resolver.path(p) for p in paths] == expected
    assert counts == {}  # one listing of the folder, no lstat of a photo


def test_report_leaves_out_a_changed_photos_link_and_the_photos_under_a_folder_now_a_file(tmp_path):
    """A photo changed since the scan is still the file its other name (a link, its folder scanned alone) names:
    the link stays left out, and the photo is noted as changed once; the photos of a folder a file has taken the
    name of are gone."""
    lib = tmp_path / "lib"
    photos = _sharp_library(lib, 6)
    (lib / "fav").mkdir()
    os.symlink(photos[0], lib / "fav" / "best.jpg")
    db = ("--db", tmp_path / "x.db", "--model", "none", "--workers", "1")
    assert run("scan", lib, *db).exit_code == 0
    assert run("scan", lib / "fav", *db).exit_code == 0  # the link's folder alone: the link stored as a photo
    save_jpeg(photos[0], textured(50))  # changed since the scans
    for photo in (photos[2], photos[5]):  # lib/d2
        os.remove(photo)
    os.rmdir(lib / "d2")
    (lib / "d2").write_bytes(b"not a folder")
    result = run("report", "--db", tmp_path / "x.db", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    listed = {o["path"] for o in jsonl(result.stdout)}
    assert listed == {str(p) for p in (photos[0], photos[1], photos[3], photos[4])}, listed
    assert "1 listed photo changed since the last scan" in result.stderr, result.stderr


def test_report_keeps_a_files_own_name_over_a_link_stored_before_it(tmp_path):
    """A link stored first (its folder scanned alone before the photo's, and its path sorted first) is the other
    name: report lists the file under its own name, as a full scan keeps it."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "2024" / "IMG_1.jpg", textured(1))
    (lib / "0fav").mkdir()
    os.symlink(lib / "2024" / "IMG_1.jpg", lib / "0fav" / "best.jpg")
    db = ("--db", tmp_path / "x.db", "--model", "none", "--workers", "1")
    assert run("scan", lib / "0fav", *db).exit_code == 0
    assert run("scan", lib / "2024", *db).exit_code == 0
    result = run("report", "--db", tmp_path / "x.db", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert [o["path"] for o in jsonl(result.stdout)] == [str(lib / "2024" / "IMG_1.jpg")], result.output


def test_a_large_folder_of_which_a_few_photos_are_asked_for_is_not_listed_whole(tmp_path, monkeypatch):
    """8 photos asked for in a folder of 2,000 files (a few flagged in a large camera folder): the listing stops
    after :data:`real_paths.NAMES_A_PHOTO` names a photo, the photos it did not reach looked at each. It read the
    whole folder: 8 photos of a folder of 50,000 files took 25 ms rather than 2, and the review page's grid of
    such a folder twice the time it took before. Same real paths, links told as they are."""
    from blurscan.actions import real_paths

    folder = tmp_path / "d"
    folder.mkdir()
    for i in range(2000):
        open(folder / f"IMG_{i:04d}.jpg", "wb").close()
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "target.jpg").write_bytes(b"x")
    os.remove(folder / "IMG_0007.jpg")
    os.symlink(tmp_path / "real" / "target.jpg", folder / "IMG_0007.jpg")
    asked = [str(folder / f"IMG_{i:04d}.jpg") for i in range(real_paths.LISTED_FROM)]
    read = count_listed(monkeypatch)
    resolver = real_paths.Resolver(asked)
    assert [resolver.path(p) for p in asked] == [os.path.realpath(p) for p in asked]
    assert resolver.path(asked[7]) == str(tmp_path / "real" / "target.jpg")
    assert 0 < len(read) < 500  # 8 x NAMES_A_PHOTO (32) and one: not the whole folder (the old code: all 2,000)


def test_report_looks_once_at_a_deleted_rejects_folder_not_at_each_photo_moved_there(tmp_path, monkeypatch):
    """Photos `move` took to a --to folder deleted since (years of history): report's note of the photos undo
    cannot bring back looks at each destination folder once, not at each photo's file there (one lstat a photo ever
    moved, 2026-12-07); a photo whose folder is there is still looked for, and the notes are what they were."""
    import shutil

    from helpers_library import decide_in

    lib = tmp_path / "lib"
    photos = _sharp_library(lib, 9)
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    for photo in photos[:7]:
        decide_in(lib / ".blurscan.db", photo, "discard")
    rejects, kept = tmp_path / "rejects", tmp_path / "rejects2"
    assert run("move", lib, "--to", rejects, "--yes").exit_code == 0  # 7 photos, in d0, d1 and d2 there
    decide_in(lib / ".blurscan.db", photos[7], "discard")
    assert run("move", lib, "--to", kept, "--yes").exit_code == 0  # one more, elsewhere
    shutil.rmtree(rejects)  # the rejects folder emptied for good
    moved = kept / os.path.relpath(photos[7], lib)
    assert moved.is_file()
    counts = _looks(monkeypatch, tmp_path)
    result = run("report", lib, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert [o["path"] for o in jsonl(result.stdout)] == [str(photos[8])]
    assert f"note: 1 photo moved or trashed by blurscan is not listed (`blurscan undo {lib}` puts it back)" \
        in result.stderr
    assert ("note: 7 photos moved or trashed by blurscan, no longer in the trash or the --to folder, are not listed"
            in result.stderr), result.stderr
    assert not any(path.startswith(str(rejects) + os.sep) for path in counts), counts  # the old code: 7 lstats
    assert counts.get(str(moved)) == 1  # its folder is there: the photo is looked for
