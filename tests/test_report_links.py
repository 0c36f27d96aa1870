"""``blurscan report`` lists each file once: a database can hold a photo under two names when a link's folder was
scanned alone (the scan of ``lib/fav`` stores ``fav/best.jpg -> ../2024/IMG_1.jpg`` as a photo of its own, since
its target is outside that walk) or hard links scanned apart. Until the next scan of the whole library, report
listed both."""
from __future__ import annotations

import os

from helpers_cli import jsonl, run
from helpers_images import save_jpeg, textured


def test_report_lists_a_photo_once_under_the_name_a_full_scan_keeps(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "2024" / "IMG_1.jpg", textured(1))
    save_jpeg(lib / "2024" / "IMG_2.jpg", textured(2))
    (lib / "fav").mkdir()
    os.symlink(os.path.join("..", "2024", "IMG_1.jpg"), lib / "fav" / "best.jpg")
    os.link(lib / "2024" / "IMG_2.jpg", lib / "fav" / "cat.jpg")  # a hard link
    scan = ("--model", "none", "--workers", "1", "--format", "jsonl")
    full = run("scan", lib, *scan)
    assert full.exit_code == 0, full.output
    alone = run("scan", lib / "fav", *scan)  # the folder of the links alone: both stored under their own names
    assert sorted(o["path"] for o in jsonl(alone.stdout)) == [str(lib / "fav" / n) for n in ("best.jpg", "cat.jpg")]

    listed = run("report", lib, "--format", "jsonl")
    assert listed.exit_code == 0, listed.output
    expected = sorted(o["path"] for o in jsonl(full.stdout))
    assert expected == [str(lib / "2024" / "IMG_1.jpg"), str(lib / "2024" / "IMG_2.jpg")]
    assert sorted(o["path"] for o in jsonl(listed.stdout)) == expected
    assert "note: 2 stored names of a photo listed under another name" in listed.stderr
    # (the scan of the whole library, typed here: a bare `blurscan scan` scanned the current folder, until 2026-12-07)
    assert f"`blurscan scan {lib}` (of the whole library) stores one name per file" in listed.stderr, listed.stderr
    # the folder of the links alone still lists them: there they are the only names
    assert sorted(o["path"] for o in jsonl(run("report", lib / "fav", "--format", "jsonl").stdout)) == \
        [str(lib / "fav" / "best.jpg"), str(lib / "fav" / "cat.jpg")]


def test_one_name_per_file_keeps_the_files_own_name_else_the_first_a_walk_meets(tmp_path):
    from blurscan.walk import one_name_per_file

    save_jpeg(tmp_path / "z.jpg", textured(3))
    (tmp_path / "a").mkdir()
    os.link(tmp_path / "z.jpg", tmp_path / "a" / "x.jpg")  # walked after z.jpg: files before sub-folders
    os.symlink(tmp_path / "z.jpg", tmp_path / "a" / "0.jpg")
    save_jpeg(tmp_path / "lone.jpg", textured(4))
    names = [str(tmp_path / n) for n in ("a/0.jpg", "a/x.jpg", "lone.jpg", "z.jpg", "gone.jpg")]
    assert one_name_per_file(names) == {str(tmp_path / "a" / "0.jpg"): str(tmp_path / "z.jpg"),
                                        str(tmp_path / "a" / "x.jpg"): str(tmp_path / "z.jpg")}


def test_bursts_and_the_actions_keep_the_name_report_lists(tmp_path):
    """"One file, several names" is worked out once (walk.one_name_per_file), for report, bursts and the actions:
    of two hard links z.jpg and a/x.jpg, a walk keeps z.jpg (a folder's files before its sub-folders); bursts and
    move kept a/x.jpg (the first by path), so `move` took, and bursts ranked, a name report did not list."""
    from blurscan.actions import select
    from blurscan.bursts import _distinct_files
    from blurscan.records import ScanRecord
    from blurscan.store import Store
    from helpers_library import decide

    z = save_jpeg(tmp_path / "z.jpg", textured(5))
    (tmp_path / "a").mkdir()
    os.link(z, tmp_path / "a" / "x.jpg")
    names = [str(tmp_path / "a" / "x.jpg"), str(z)]
    with Store(tmp_path / "lib.db") as store:
        st = os.stat(z)
        store.put([ScanRecord(path=p, verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns, format="JPEG")
                   for p in names], "test")
        for path in names:
            decide(store, path, "discard")
        assert [c.path for c in select(store)[0]] == [str(z)]
        assert [r.path for r in _distinct_files(store.records(), skip_missing=True)] == [str(z)]
    listed = run("report", "--db", tmp_path / "lib.db", "--format", "jsonl")
    assert [o["path"] for o in jsonl(listed.stdout)] == [str(z)]
