"""``blurscan move`` / ``trash``: selection, sidecars, no-clobber, verified cross-device moves, faults.

Fault simulations and how real they are:

* destination exists, file changed since scan, cross-device (``/dev/shm`` tmpfs vs the test folder), disk
  full (a 1 MiB tmpfs mounted for the test), read-only destination (a read-only tmpfs) and permission denied
  (the batch run with the effective uid of ``nobody``) use the real mechanisms where the machine allows
  (root with mount rights; skipped otherwise);
* the same faults are also forced with monkeypatches so they are always exercised: ``_rename_noreplace``
  raising ``EXDEV`` for different folders (cross-device path), raising ``EACCES``; a write raising
  ``ENOSPC`` half-way through a copy.
"""
from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

from blurscan.actions import execute, list_batches, moved_paths, plan_move, plan_trash, undo
from blurscan.actions import moves
from blurscan.errors import ActionError, UsageError
from blurscan.records import ScanRecord
from blurscan.store import Store, db_path
from helpers_images import blurred, save_jpeg, textured
from helpers_library import build_library, decide, force_cross_device, other_device_dir, sha, snapshot, tmpfs
from helpers_os import names


# -- selection and plan ------------------------------------------------------------------------------------

def test_default_selection_is_only_discarded_photos_with_their_sidecars(lib):
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    before = snapshot(root)
    plan = plan_move(store, root.parent / "rejects")
    assert [p.photo for p in plan.photos] == [f["IMG_1"]]
    moved = {op.src: op.role for op in plan.photos[0].files}
    assert moved == {f["IMG_1"]: "photo", f["IMG_1.CR2"]: "raw", f["IMG_1.JPG.xmp"]: "sidecar",
                     f["IMG_1.CR2.xmp"]: "sidecar"}
    assert plan.photos[0].files[0].dst == str(root.parent / "rejects" / "a" / "IMG_1.JPG")
    assert plan.total_bytes == sum(os.path.getsize(p) for p in moved)
    assert snapshot(root) == before  # planning changes nothing
    assert not (root.parent / "rejects").exists()


def test_all_flagged_never_takes_a_kept_photo_and_keeps_shared_sidecars(lib):
    root, store, f = lib
    decide(store, f["IMG_2"], "keep")
    plan = plan_move(store, root.parent / "rejects", all_flagged=True)
    photos = {p.photo: p for p in plan.photos}
    assert set(photos) == {f["IMG_1"], f["IMG_4"], f["IMG_5"]}  # IMG_2 kept, IMG_3 sharp
    assert photos[f["IMG_1"]].reason == "blurry"
    # IMG_5.xmp is shared by stem with IMG_5.heic, which stays: the sidecar stays too
    assert [op.src for op in photos[f["IMG_5"]].files] == [f["IMG_5"]]
    # relative paths are kept under the destination
    assert photos[f["IMG_4"]].files[0].dst == str(root.parent / "rejects" / "b" / "c" / "IMG_4.jpg")


def test_a_kept_photo_stored_under_a_second_name_is_never_taken(lib):
    """The database can hold one file under two names: the library scanned once through a symbolic link to it
    (a walkthrough: /tmp/w3liblink -> /tmp/w3lib), or hard links. `--all-blurry` took the kept photo through its
    other name and moved it away; now no name of a kept photo is taken, and of two names of one file only one
    is (the file's own before a link's)."""
    root, store, f = lib
    alias = root.parent / "liblink"
    alias.symlink_to(root)
    twin = root / "a" / "IMG_2-hardlink.jpg"
    os.link(f["IMG_2"], twin)

    def record(path, verdict="blurry"):
        st = os.stat(path)
        return ScanRecord(path=str(path), verdict=verdict, size=st.st_size, mtime_ns=st.st_mtime_ns, format="JPEG")

    store.put([record(alias / "a" / "IMG_1.JPG"), record(alias / "b" / "c" / "IMG_4.jpg"), record(twin)], "test")
    decide(store, f["IMG_1"], "keep")
    plan = plan_move(store, root.parent / "rejects", all_flagged=True)
    photos = [p.photo for p in plan.photos]
    assert f["IMG_1"] not in photos and str(alias / "a" / "IMG_1.JPG") not in photos
    assert len(photos) == 3 and f["IMG_4"] in photos and f["IMG_5"] in photos   # one name each: no link,
    assert len({f["IMG_2"], str(twin)} & set(photos)) == 1                     # one of the two hard links
    reasons = {s.path: s.reason for s in plan.skipped}
    assert reasons[str(alias / "a" / "IMG_1.JPG")] == "another name of a photo you marked keep"


def test_burst_non_keepers_selected_unless_kept(lib):
    root, store, f = lib
    with store.transaction() as conn:
        for rank, key in enumerate(["IMG_3", "IMG_2", "IMG_1"], 1):
            conn.execute("INSERT INTO burst_groups (group_id, path, rank, is_keeper) VALUES (1, ?, ?, ?)",
                         (db_path(f[key]), rank, int(rank == 1)))
    decide(store, f["IMG_1"], "keep")
    plan = plan_move(store, root.parent / "rejects", from_bursts=True)
    assert [(p.photo, p.reason) for p in plan.photos] == [(f["IMG_2"], "burst")]
    assert f["IMG_1"] not in [s.path for s in plan.skipped]  # kept: not taken, and no reason to say so
    # a burst whose keeper is gone gives nothing away
    os.unlink(f["IMG_3"])
    plan = plan_move(store, root.parent / "rejects", from_bursts=True)
    assert plan.photos == []
    assert any(s.path == f["IMG_2"] and "keeper" in s.reason for s in plan.skipped)


def test_changed_file_and_existing_destination_are_skipped_with_reason(lib):
    root, store, f = lib
    for key in ("IMG_1", "IMG_2", "IMG_4"):
        decide(store, f[key], "discard")
    # IMG_2 edited after it was reviewed and scanned
    with open(f["IMG_2"], "ab") as fh:
        fh.write(b"edited")
    dest = root.parent / "rejects"
    (dest / "b" / "c").mkdir(parents=True)
    (dest / "b" / "c" / "IMG_4.jpg").write_bytes(b"someone else's file")
    plan = plan_move(store, dest)
    assert [p.photo for p in plan.photos] == [f["IMG_1"]]
    reasons = {s.path: s.reason for s in plan.skipped}
    assert "changed" in reasons[f["IMG_2"]]
    assert "destination exists" in reasons[f["IMG_4"]]
    execute(store, plan)
    assert (dest / "b" / "c" / "IMG_4.jpg").read_bytes() == b"someone else's file"
    assert os.path.exists(f["IMG_4"]) and os.path.exists(f["IMG_2"])


def test_symbolic_link_photo_is_skipped_and_says_so(lib, tmp_path):
    """A photo record whose file is now a symbolic link (to a file outside the library) is not moved: the plan
    says it is a link and that both the link and its target stay (it said only 'not a regular file')."""
    root, store, f = lib
    outside = tmp_path / "elsewhere.jpg"
    os.replace(f["IMG_4"], outside)
    os.symlink(outside, f["IMG_4"])
    decide(store, f["IMG_4"], "discard")
    plan = plan_move(store, root.parent / "rejects")
    assert plan.photos == []
    assert [(s.path, s.reason) for s in plan.skipped] == [
        (f["IMG_4"], "a symbolic link: only regular files are taken (the link and the file it points to stay)")]


def test_destination_inside_photos_own_folder_refused(lib):
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    with pytest.raises(UsageError, match="own folder"):
        plan_move(store, root)


# -- execution -----------------------------------------------------------------------------------------------

def test_move_same_device_keeps_bytes_times_and_journals_first(lib):
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    decide(store, f["IMG_2"], "discard")
    before = snapshot(root)
    plan = plan_move(store, root.parent / "rejects")
    seen_states = []

    def progress(done, total, path):
        seen_states.append(store.conn.execute("SELECT state FROM journal WHERE src = ?", (path,)).fetchone()[0])

    result = execute(store, plan, progress=progress)
    assert result.failed == [] and result.photos_moved == 2 and len(result.moved) == 6
    assert seen_states == ["done"] * 6
    for src, dst in result.moved:
        assert not os.path.exists(src)
        assert before[src] == (sha(dst), os.stat(dst).st_mtime_ns)
    rows = store.conn.execute("SELECT state, dst FROM journal WHERE batch_id = ?", (result.batch_id,)).fetchall()
    assert [r[0] for r in rows] == ["done"] * 6
    [info] = list_batches(store)
    assert (info.kind, info.state, info.moved, info.bytes) == ("move", "done", 6, plan.total_bytes)
    assert {f["IMG_1"], f["IMG_2"]} <= moved_paths(store)
    # a moved photo is not selected again
    assert plan_move(store, root.parent / "rejects").photos == []


def test_destination_appearing_after_planning_is_never_overwritten(lib):
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    plan = plan_move(store, root.parent / "rejects")
    dst = Path(plan.photos[0].files[0].dst)
    dst.parent.mkdir(parents=True)
    dst.write_bytes(b"appeared meanwhile")
    result = execute(store, plan)
    assert dst.read_bytes() == b"appeared meanwhile"
    assert [p for p, _ in result.failed] == [f["IMG_1"]]
    assert "destination exists" in result.failed[0][1]
    # its sidecars stay with it
    assert {p for p, _ in result.skipped} == {f["IMG_1.CR2"], f["IMG_1.JPG.xmp"], f["IMG_1.CR2.xmp"]}
    assert all(os.path.exists(p) for p in (f["IMG_1"], f["IMG_1.CR2"], f["IMG_1.JPG.xmp"]))
    assert list_batches(store)[0].state == "partial"


def test_file_changed_after_planning_is_skipped(lib):
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    plan = plan_move(store, root.parent / "rejects")
    os.utime(f["IMG_1"], ns=(0, os.stat(f["IMG_1"]).st_mtime_ns + 10**9))
    result = execute(store, plan)
    assert result.moved == [] and result.skipped[0][0] == f["IMG_1"]
    assert "changed" in result.skipped[0][1]
    assert os.path.exists(f["IMG_1"])


@pytest.mark.parametrize("real", [True, False], ids=["real-tmpfs", "forced-EXDEV"])
def test_cross_device_move_is_copied_verified_and_undone(lib, monkeypatch, real):
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    decide(store, f["IMG_4"], "discard")
    if real:
        other = other_device_dir()
        if other is None:
            pytest.skip("no second file system (/dev/shm) here")
        dest = Path(tempfile.mkdtemp(dir=other, prefix="blurscan-test-"))
    else:
        force_cross_device(monkeypatch)
        dest = root.parent / "rejects"
    try:
        before = snapshot(root)
        plan = plan_move(store, dest)
        assert plan.cross_device == real
        result = execute(store, plan)
        assert result.failed == []
        rows = store.conn.execute("SELECT src, sha256 FROM journal").fetchall()
        for src, digest in rows:
            assert digest == before[src][0]  # the copy's digest is journaled
        for src, dst in result.moved:
            assert not os.path.exists(src)
            assert (sha(dst), os.stat(dst).st_mtime_ns) == before[src]
        assert not [n for n in os.listdir(dest / "a") if n.endswith(".part")]
        undo(store, result.batch_id)
        assert snapshot(root) == before
    finally:
        if real:
            import shutil
            shutil.rmtree(dest, ignore_errors=True)


def test_a_source_that_cannot_be_removed_after_its_copy_is_named_as_the_reason(lib, monkeypatch):
    """A photo on a read-only drive (a read-only mount: root too is refused) moved to another drive is copied,
    then cannot be removed: the copy is taken back, and the message said 'cannot copy to DST: read-only file
    system', blaming the destination, which could be written. It says that the photo could not be removed."""
    root, store, f = lib
    decide(store, f["IMG_2"], "discard")
    force_cross_device(monkeypatch)
    real_unlink = os.unlink

    def read_only_source(path, *args, **kwargs):
        if names(path, f["IMG_2"], kwargs):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", read_only_source)
    before = snapshot(root)
    dest = root.parent / "rejects"
    result = execute(store, plan_move(store, dest))
    failed = dict(result.failed)
    assert failed[f["IMG_2"]] == (f"{f['IMG_2']}: copied to {dest / 'a' / 'IMG_2.jpg'}, but cannot be removed from "
                                  f"its folder {root / 'a'}: read-only file system; the copy was removed, the file "
                                  "stays where it was")
    assert snapshot(root) == before and not os.path.exists(dest / "a" / "IMG_2.jpg")


def test_disk_full_midway_forced_leaves_sources_and_no_partial_file(lib, monkeypatch):
    root, store, f = lib
    for key in ("IMG_1", "IMG_2", "IMG_4"):
        decide(store, f[key], "discard")
    force_cross_device(monkeypatch)
    monkeypatch.setattr(moves, "_CHUNK", 1024)
    real_fdopen = os.fdopen
    written = {"n": 0}

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def write(self, data):
            written["n"] += len(data)
            if written["n"] > 6000:  # a few files fit, then the disk is full half-way through one
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return self.fh.write(data)

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.fh.__exit__(*exc)

    monkeypatch.setattr(moves.os, "fdopen", lambda *a, **k: FullDisk(real_fdopen(*a, **k)))
    before = snapshot(root)
    plan = plan_move(store, root.parent / "rejects")
    result = execute(store, plan)
    assert result.failed and "no space left" in result.failed[0][1].lower()
    assert any("no space left" in why for _, why in result.skipped)  # the batch stopped
    for path, _ in result.failed + result.skipped:
        assert before[path] == (sha(path), os.stat(path).st_mtime_ns)
    leftovers = [n for _, _, names in os.walk(root.parent / "rejects") for n in names if n.endswith(".part")]
    assert leftovers == []
    monkeypatch.undo()
    undo(store, result.batch_id)
    assert snapshot(root) == before


def test_disk_full_real_tmpfs(lib, tmp_path):
    root, store, f = lib
    for key in ("IMG_1", "IMG_2", "IMG_4", "IMG_5"):
        decide(store, f[key], "discard")
    with tmpfs(tmp_path / "small", "1m") as dest:
        plan = plan_move(store, dest)
        assert plan.cross_device
        # the disk fills up after planning (another program writes): the batch hits ENOSPC for real
        filler = dest / "filler"
        with open(filler, "wb") as fh:
            with contextlib.suppress(OSError):
                fh.write(b"\0" * (1024 * 1024 - 8192))
        before = snapshot(root)
        result = execute(store, plan)
        assert result.failed and "no space left" in result.failed[0][1].lower()
        for path, _ in result.failed + result.skipped:
            assert before[path] == (sha(path), os.stat(path).st_mtime_ns)
        assert [n for _, _, names in os.walk(dest) for n in names if n.endswith(".part")] == []
        undo(store, result.batch_id)
        assert snapshot(root) == before
        # and when the free space is known to be too small up front, nothing starts
        plan = plan_move(store, dest)
        with pytest.raises(ActionError, match="not enough free space"):
            execute(store, plan)
        assert len(list_batches(store)) == 1


def test_read_only_destination_real(lib, tmp_path):
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    with tmpfs(tmp_path / "ro", "1m", ro=True) as dest:
        before = snapshot(root)
        # refused before a batch is made (it failed file by file and left an empty batch for `undo` to meet)
        with pytest.raises(ActionError, match="rejects: cannot be written .*read-only.*nothing was moved"):
            execute(store, plan_move(store, dest / "rejects"))
        assert snapshot(root) == before
        assert store.conn.execute("SELECT COUNT(*) FROM batches").fetchone()[0] == 0


def test_permission_denied_forced(lib, monkeypatch):
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    decide(store, f["IMG_2"], "discard")

    def denied(src, dst):
        if os.path.basename(src) == "IMG_1.JPG":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), src)
        return os.rename(src, dst)

    monkeypatch.setattr(moves, "_rename_noreplace", denied)
    result = execute(store, plan_move(store, root.parent / "rejects"))
    assert [p for p, _ in result.failed] == [f["IMG_1"]]
    assert "permission denied" in result.failed[0][1]
    assert os.path.exists(f["IMG_1"]) and os.path.exists(f["IMG_1.CR2"])
    assert {s for s, _ in result.moved} == {f["IMG_2"], f["IMG_2.AAE"]}  # the batch went on


@pytest.mark.skipif(not hasattr(os, "seteuid") or os.geteuid() != 0, reason="needs root to become nobody")
def test_permission_denied_real_as_nobody():
    """The batch runs with the effective uid of ``nobody`` on a folder it may not change (the photo's own): refused
    before the move is tried, naming the folder."""
    from helpers_os import usual_umask

    base = Path(tempfile.mkdtemp(prefix="blurscan-perm-"))
    try:
        os.chmod(base, 0o755)
        with usual_umask():
            store, f = build_library(base / "lib", db=base / "db" / "lib.db")
        os.chmod(base / "db", 0o777)
        decide(store, f["IMG_1"], "discard")
        for name in os.listdir(base / "db"):
            os.chmod(base / "db" / name, 0o666)
        lock = Path(str(base / "db" / "lib.db") + ".actions.lock")
        lock.touch()
        os.chmod(lock, 0o666)
        dest = base / "rejects"
        dest.mkdir(mode=0o777)
        os.chmod(dest, 0o777)
        plan = plan_move(store, dest)
        before = snapshot(base / "lib")
        os.seteuid(65534)
        try:
            result = execute(store, plan)
        finally:
            os.seteuid(0)
        # the folder that refuses is named: the photo's own, not the destination (it said "permission denied")
        assert result.moved == [] and result.failed[0][1].endswith(
            f"its folder {base / 'lib' / 'a'} is not writable by this user: owner root, mode 0755")
        assert snapshot(base / "lib") == before
        store.close()
    finally:
        import shutil
        shutil.rmtree(base, ignore_errors=True)


def test_move_file_never_overwrites_on_either_path(tmp_path, monkeypatch):
    a, b = tmp_path / "a.jpg", tmp_path / "sub" / "b.jpg"
    a.write_bytes(b"A" * 100)
    b.parent.mkdir()
    b.write_bytes(b"B" * 100)
    with pytest.raises(ActionError, match="destination exists"):
        moves.move_file(str(a), str(b))
    force_cross_device(monkeypatch)
    with pytest.raises(ActionError, match="destination exists"):
        moves.move_file(str(a), str(b))
    assert a.read_bytes() == b"A" * 100 and b.read_bytes() == b"B" * 100
    assert sorted(os.listdir(b.parent)) == ["b.jpg"]


def test_move_file_link_fallback_is_no_clobber(tmp_path, monkeypatch):
    monkeypatch.setattr(moves, "_renameat2", None)  # as on a system without renameat2
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    a.write_bytes(b"1")
    b.write_bytes(b"2")
    with pytest.raises(ActionError):
        moves.move_file(str(a), str(b))
    assert moves.move_file(str(a), str(c)).method == "rename"
    assert c.read_bytes() == b"1" and not a.exists() and b.read_bytes() == b"2"


def test_non_utf8_file_name_moves_and_comes_back(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    name = os.fsdecode(b"caf\xe9.jpg")  # Latin-1 name: not valid UTF-8
    path = os.path.join(str(root), name)
    save_jpeg(Path(path), blurred(textured(3, (64, 64))))
    store = Store(root / ".blurscan.db")
    st = os.stat(path)
    store.put([ScanRecord(path=path, verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns)], "t")
    digest = sha(path)
    result = execute(store, plan_move(store, tmp_path / "rejects", all_flagged=True))
    assert result.moved == [(path, os.path.join(str(tmp_path / "rejects"), name))]
    assert path in moved_paths(store)
    undo(store)
    assert sha(path) == digest
    store.close()


# -- trash -------------------------------------------------------------------------------------------------------

def test_trash_writes_freedesktop_entries_and_undo_restores(lib, tmp_path, monkeypatch):
    root, store, f = lib
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    decide(store, f["IMG_2"], "discard")
    before = snapshot(root)
    plan = plan_trash(store)
    result = execute(store, plan)
    trash = tmp_path / "home" / "data" / "Trash"
    assert sorted(os.listdir(trash / "files")) == ["IMG_2.AAE", "IMG_2.jpg"]
    info = (trash / "info" / "IMG_2.jpg.trashinfo").read_text()
    lines = info.splitlines()
    assert lines[0] == "[Trash Info]"
    assert lines[1] == "Path=" + quote(f["IMG_2"])  # absolute, URL-escaped (a $TMPDIR's space: %20)
    assert lines[2].startswith("DeletionDate=") and len(lines[2]) == len("DeletionDate=2024-01-01T00:00:00")
    assert sha(trash / "files" / "IMG_2.jpg") == before[f["IMG_2"]][0]
    # same name trashed again gets another name, never overwriting
    Path(f["IMG_2"]).write_bytes(b"another photo with that name")
    store.put([ScanRecord(path=f["IMG_2"], verdict="blurry", size=os.path.getsize(f["IMG_2"]),
                          mtime_ns=os.stat(f["IMG_2"]).st_mtime_ns)], "test")
    decide(store, f["IMG_2"], "discard")
    second = execute(store, plan_trash(store))
    assert second.photos_moved == 1 and "IMG_2.1.jpg" in os.listdir(trash / "files")
    undo(store, second.batch_id)
    os.unlink(f["IMG_2"])
    undo(store, result.batch_id)
    assert snapshot(root) == before
    assert os.listdir(trash / "files") == [] and os.listdir(trash / "info") == []


def test_trash_on_another_drive_uses_its_own_trash_folder(tmp_path, monkeypatch):
    """A file on another file system goes to ``$topdir/.Trash-$uid`` with a Path= relative to that drive."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    with tmpfs(tmp_path / "drive", "4m") as drive:
        store, f = build_library(drive / "lib", db=tmp_path / "lib.db")
        decide(store, f["IMG_4"], "discard")
        before = snapshot(drive / "lib")
        result = execute(store, plan_trash(store))
        assert result.failed == []
        trash = drive / f".Trash-{os.getuid()}"
        assert sorted(os.listdir(trash / "files")) == ["IMG_4.jpg"]
        info = (trash / "info" / "IMG_4.jpg.trashinfo").read_text().splitlines()
        assert info[1] == "Path=lib/b/c/IMG_4.jpg"  # relative to the drive's top folder (spec)
        assert not (tmp_path / "home" / "data" / "Trash").exists()
        # a rename on that drive, not a copy: nothing was journaled as copied
        assert store.conn.execute("SELECT sha256 FROM journal").fetchone()[0] is None
        assert undo(store).complete
        assert snapshot(drive / "lib") == before
        assert os.listdir(trash / "info") == []
        store.close()
