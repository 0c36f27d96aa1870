"""``blurscan undo --close --batch ID``: the way out of a move or trash batch whose ``--to`` or trash is on a drive
gone for good (lost, broken, reformatted). Undo fails such files to be retried (the drive not mounted now:
``tests/test_undo_to_unmounted.py``, ``tests/test_undo_drives.py``) and leaves the batch ``partial``, so every plain
undo stopped on it, and nothing said how to get past it. Now that failure ends with the command that closes the
batch, which says where its files stay, changes nothing on disk, and lets a plain undo go on to the batch before;
``--batch ID`` still puts the files back once the drive is mounted again. The mount table is played by a file
(``drives.MOUNTINFO``), the folders where drives are mounted by ``tmp_path`` (``drives.MOUNT_PARENTS``)."""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

from blurscan.actions import drives, journal, trash
from blurscan.store import Store
from helpers_cli import child_program, run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import sha
from helpers_os import skip_unless_in_a_mount_namespace
from test_undo_to_unmounted import (_discarded_in_the_page_and_moved_to_a_drive, _drive, _library, _mountinfo, _on_a_drive,
                                    _unplug)
import pytest


def _two_folders(tmp_path):
    """``lib`` with a sharp ``s.jpg`` and a blurry photo in each of ``a`` and ``b``, scanned: ``(lib, SHA-256 of
    b/b2.jpg)``."""
    lib = tmp_path.resolve() / "lib"
    save_jpeg(lib / "s.jpg", textured(2))
    save_jpeg(lib / "a" / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(lib / "b" / "b2.jpg", blurred(textured(4), 4))
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    return lib, sha(lib / "b" / "b2.jpg")


def _state(db, batch_id: int) -> str:
    with Store(db, readonly=True) as store:
        return journal.batch(store, batch_id).state


def test_undo_of_a_batch_on_a_drive_gone_says_how_to_close_it_and_close_gets_past_it(tmp_path, monkeypatch):
    """Batch 1 moved ``a``'s photo to ``rejA``, batch 2 ``b``'s to ``srv/ext/rejects``, a drive mounted at
    ``srv/ext``, unplugged since (its mount point left empty). A plain undo fails on batch 2 and ends with the
    command that closes it, naming the library; pasted, it says where the photo stays, moves nothing, and closes
    batch 2: ``--list`` shows it closed and a plain undo puts batch 1 back. ``--batch 2`` with the drive still away
    leaves it closed; mounted again, it puts the photo back. Until 2026-12-07 every plain undo failed on batch 2,
    ``mount it there and run undo again``, and batch 1 was out of its reach."""
    lib, before = _two_folders(tmp_path)
    ext, db = tmp_path.resolve() / "srv" / "ext", lib / ".blurscan.db"
    ext.mkdir(parents=True)
    _mountinfo(tmp_path, monkeypatch, ext)
    assert run("move", "--all-blurry", "--to", tmp_path / "rejA", "--yes", lib / "a").exit_code == 0
    assert run("move", "--all-blurry", "--to", ext / "rejects", "--yes", lib / "b").exit_code == 0
    shutil.move(ext, tmp_path / "away")  # unplugged: its mount point left empty
    ext.mkdir()
    _mountinfo(tmp_path, monkeypatch)
    close = f"blurscan undo --close --batch 2 {lib}"
    for _ in range(2):  # (each plain undo the same: batch 2 stays the target)
        res = run("undo", lib)
        assert res.exit_code == 1, res.output
        assert res.stdout.endswith(
            f"batch 2: 1 file is on the drive at {ext}, not mounted now: mount it there and run undo again; if that "
            f"drive is gone for good, `{close}` closes the batch, changing nothing on disk (a plain undo then goes on "
            "to the batch before).\n"), res.stdout
        assert _state(db, 2) == "partial"
    refused = run("undo", "--close", lib)  # (explicit only: never the newest batch by default)
    assert refused.exit_code == 2 and "Error: --close needs --batch ID" in refused.output, refused.output
    assert _state(db, 2) == "partial"
    res = run(*shlex.split(close)[1:])  # (pasted as the undo said it)
    assert res.exit_code == 0, res.output
    assert res.stdout == (f"batch 2: 1 file stays at {ext / 'rejects'}, on the drive at {ext}, not mounted now; "
                          f"nothing on disk was changed.\nbatch 2 is closed: a plain `blurscan undo` now goes to batch "
                          f"1; `blurscan undo --batch 2 {lib}` looks for the missing file again.\n")
    assert os.listdir(ext) == [] and not (lib / "b" / "b2.jpg").exists()
    assert (tmp_path / "away" / "rejects" / "b" / "b2.jpg").exists()
    listed = run("undo", "--list", lib).stdout.splitlines()
    assert "move -> " + str(ext / "rejects") + "  closed: 1 moved" in listed[0], listed
    res = run("undo", lib)
    assert res.exit_code == 0 and res.stdout.startswith("batch 1: restored 1 file"), res.output
    res = run("undo", "--batch", "2", lib)  # the drive still away: looked for, and the batch stays closed
    assert res.exit_code == 1, res.output
    assert res.stdout.endswith(f"batch 2 stays closed: no other batch is left for a plain `blurscan undo`; "
                               f"`blurscan undo --batch 2 {lib}` looks for the missing file again.\n"), res.stdout
    assert "--close" not in res.stdout and _state(db, 2) == "closed"
    res = run("undo", lib)
    assert res.exit_code == 0 and "1 batch closed by `undo --close` (files left where it put them)" in res.stdout, \
        res.output
    ext.rmdir()
    shutil.move(tmp_path / "away", ext)  # the drive back after all
    _mountinfo(tmp_path, monkeypatch, ext)
    res = run("undo", "--batch", "2", lib)
    assert res.exit_code == 0 and res.stdout.startswith("batch 2: restored 1 file"), res.output
    assert sha(lib / "b" / "b2.jpg") == before and _state(db, 2) == "undone"
    res = run("undo", "--close", "--batch", "2", lib)
    assert res.exit_code == 1 and res.output == ("Error: batch 2 was undone already: its files are back, and there is "
                                                 "nothing to close\n"), res.output


def test_a_trash_batch_on_a_drive_gone_is_closed_by_the_command_its_undo_names(tmp_path, monkeypatch):
    """A trash batch into the own trash of a drive mounted at ``srv/ext`` (the database given by ``--db``), the
    drive unplugged: the undo's way out names ``--db``; closing says the photos stay in that drive's trash, and no
    batch is left for a plain undo; closing it again says it was closed already."""
    ext, lib, db, _ = _on_a_drive(tmp_path, monkeypatch)
    assert run("trash", "--all-blurry", "--yes", "--db", db, lib).exit_code == 0
    _unplug(tmp_path, monkeypatch, ext)  # unplugged: its mount point removed
    res = run("undo", "--db", db)
    assert res.exit_code == 1, res.output
    close = f"blurscan undo --close --batch 1 --db {db}"
    assert res.stdout.endswith(f"batch 1: 2 files are on the drive at {ext}, not mounted now: mount it there and run "
                               f"undo again; if that drive is gone for good, `{close}` closes the batch, changing "
                               "nothing on disk (a plain undo then goes on to the batch before).\n"), res.stdout
    trashed = ext / f".Trash-{os.getuid()}" / "files"
    for again in (False, True):
        res = run(*shlex.split(close)[1:])
        assert res.exit_code == 0, res.output
        assert res.stdout == (f"batch 1: 2 files stay in the trash at {trashed}, on the drive at {ext}, not mounted "
                              f"now; nothing on disk was changed.\nbatch 1 {'was closed already' if again else 'is closed'}"
                              f": no other batch is left for a plain `blurscan undo`; `blurscan undo --batch 1 --db "
                              f"{db}` looks for the missing files again.\n")
    assert not ext.exists() and _state(db, 1) == "closed"
    assert sorted(os.listdir(tmp_path / "away" / f".Trash-{os.getuid()}" / "files")) == ["b1.jpg", "b2.jpg"]
    res = run("undo", "--db", db)
    assert res.exit_code == 0 and res.stdout.startswith("Nothing to undo: 1 batch closed by `undo --close`"), res.output


def test_a_to_on_a_drive_gone_from_where_drives_are_mounted_is_closed_too(tmp_path, monkeypatch):
    """A ``--to`` on ``media/me/Backup`` (where drives are mounted, played by ``tmp_path``), the drive unplugged (its
    folder gone): the undo's failure ends with the way out, naming that folder, and the close says so."""
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(tmp_path.resolve() / "media"), 2),))
    lib, _ = _two_folders(tmp_path)
    backup = tmp_path.resolve() / "media" / "me" / "Backup"
    backup.mkdir(parents=True)
    assert run("move", "--all-blurry", "--to", backup / "rejects", "--yes", lib).exit_code == 0
    shutil.move(backup, tmp_path / "away")  # unplugged
    res = run("undo", lib)
    assert res.exit_code == 1, res.output
    assert f"batch 1: 2 files are on the drive at {backup}, not mounted now: mount it there and run undo again; if " \
        f"that drive is gone for good, `blurscan undo --close --batch 1 {lib}` closes the batch" in res.stdout, res.stdout
    res = run("undo", "--close", "--batch", "1", lib)
    assert res.exit_code == 0 and res.stdout.startswith(
        f"batch 1: 2 files stay at {backup / 'rejects'}, on the drive at {backup}, not mounted now; nothing on disk "
        "was changed.\n"), res.output
    assert _state(lib / ".blurscan.db", 1) == "closed"


def test_close_is_refused_for_a_batch_whose_files_are_within_reach(tmp_path, monkeypatch):
    """``--close`` on a batch whose ``--to`` is on no drive away (a folder on this disk), on one killed as it moved
    (``running``, a row ``moving``, its photo in the ``--to``), and on one whose drive is mounted, is refused by
    name, nothing closed: a plain undo still puts each back. Until 2026-12-07 it closed them, ``1 file stays at .../rej; nothing on disk was
    changed`` and ``looks for the missing file again``, and a plain undo went past them to the batch before."""
    lib, before = _two_folders(tmp_path)
    one, db, rej = sha(lib / "a" / "b1.jpg"), lib / ".blurscan.db", tmp_path.resolve() / "rej"
    assert run("move", "--all-blurry", "--to", rej, "--yes", lib / "a").exit_code == 0
    assert run("move", "--all-blurry", "--to", rej, "--yes", lib / "b").exit_code == 0
    res = run("undo", "--close", "--batch", "2", lib)
    assert res.exit_code == 1, res.output
    assert res.output == (f"Error: batch 2: 1 file it moved is within reach at {rej} (no drive there is unmounted): "
                          f"`blurscan undo --batch 2 {lib}` puts it back (or finds it gone, and closes the batch); "
                          "--close is for a batch whose files are on a drive gone for good; nothing was closed\n"), res.output
    assert _state(db, 2) == "done"
    with Store(db) as store:  # batch 1 killed as it moved its photo (which reached the --to)
        store.conn.execute("UPDATE journal SET state = 'moving' WHERE batch_id = 1")
        store.conn.execute("UPDATE batches SET state = 'running' WHERE id = 1")
        store.conn.commit()
    res = run("undo", "--close", "--batch", "1", lib)
    assert res.exit_code == 1 and "Error: batch 1: 1 file it moved is within reach at" in res.output, res.output
    assert _state(db, 1) == "running"
    ext = tmp_path.resolve() / "srv" / "ext"  # batch 3: to a drive, mounted
    ext.mkdir(parents=True)
    _mountinfo(tmp_path, monkeypatch, ext)
    save_jpeg(lib / "c" / "b3.jpg", blurred(textured(5), 4))
    assert run("scan", lib / "c", "--model", "none", "--workers", "1").exit_code == 0
    three = sha(lib / "c" / "b3.jpg")
    assert run("move", "--all-blurry", "--to", ext / "rejects", "--yes", lib / "c").exit_code == 0
    res = run("undo", "--close", "--batch", "3", lib)
    assert res.exit_code == 1 and f"Error: batch 3: 1 file it moved is within reach at {ext / 'rejects'} (" \
        in res.output, res.output
    assert _state(db, 3) == "done"
    for batch in (3, 2, 1):
        res = run("undo", lib)
        assert res.exit_code == 0 and res.stdout.startswith(f"batch {batch}: restored 1 file"), res.output
    assert sha(lib / "b" / "b2.jpg") == before and sha(lib / "a" / "b1.jpg") == one
    assert sha(lib / "c" / "b3.jpg") == three


def test_close_is_refused_with_list_and_for_a_tag_batch(tmp_path):
    """``--close`` with ``--list`` is a usage error (``--list`` changes nothing); a tag batch (its sidecars in the
    library, on no drive) is not closed."""
    lib, _ = _two_folders(tmp_path)
    assert run("tag", "--xmp", "--yes", lib).exit_code == 0
    res = run("undo", "--close", "--batch", "1", "--list", lib)
    assert res.exit_code == 2 and "--close and --list cannot be given together" in res.output, res.output
    res = run("undo", "--close", "--batch", "1", lib)
    assert res.exit_code == 1 and res.output.startswith("Error: batch 1 is a tag batch"), res.output
    assert _state(lib / ".blurscan.db", 1) == "done"


def _pasted(note: str) -> list[list[str]]:
    """The commands between backquotes in ``note``, each as the shell splits it, less ``blurscan``."""
    return [shlex.split(command)[1:] for command in note.split("`")[1::2]]


def test_report_after_close_names_the_batch_whose_undo_puts_the_photos_back(tmp_path, monkeypatch):
    """Batch 1 moved ``a``'s photo to ``rejA``, batch 2 ``b``'s to ``srv/ext/rejects`` on a drive unplugged since.
    ``report`` says a plain undo only of the batch a plain undo reaches: batch 2 while it waits for its drive (so
    batch 1's photo is ``--batch 1``'s), batch 1 once batch 2 is closed (then the drive's photo is ``--batch 2``'s);
    the drive mounted again, both batches by name. Pasted, the commands put every photo back. Until 2026-12-07
    report said `blurscan undo LIB` of every one: after the close, that undo put back batch 1 and then had nothing
    to undo, the drive's photo still away."""
    lib, before = _two_folders(tmp_path)
    ext = _drive(tmp_path, monkeypatch)
    one = sha(lib / "a" / "b1.jpg")
    assert run("move", "--all-blurry", "--to", tmp_path / "rejA", "--yes", lib / "a").exit_code == 0
    assert run("move", "--all-blurry", "--to", ext / "rejects", "--yes", lib / "b").exit_code == 0
    shutil.move(ext, tmp_path / "away")  # unplugged: its mount point left empty
    ext.mkdir()
    _mountinfo(tmp_path, monkeypatch)
    here = "note: 1 photo moved or trashed by blurscan is not listed (`blurscan undo{} " + str(lib) + "` puts it back)\n"
    on = ("note: 1 photo moved or trashed by blurscan is not listed: it is on the drive at " + str(ext) + ", not "
          "mounted now; mount it there and `blurscan undo{} " + str(lib) + "` puts it back\n")
    assert run("report", lib).stderr == here.format(" --batch 1") + on.format("")
    assert run("undo", "--close", "--batch", "2", lib).exit_code == 0
    assert run("report", lib).stderr == here.format("") + on.format(" --batch 2")
    ext.rmdir()
    shutil.move(tmp_path / "away", ext)  # the drive back after all
    _mountinfo(tmp_path, monkeypatch, ext)
    note = run("report", lib).stderr
    assert note == (f"note: 2 photos moved or trashed by blurscan are not listed (`blurscan undo --batch 2 {lib}` and "
                    f"`blurscan undo --batch 1 {lib}` put them back)\n"), note
    for command in _pasted(note):
        assert run(*command).exit_code == 0
    assert sha(lib / "b" / "b2.jpg") == before and sha(lib / "a" / "b1.jpg") == one
    assert run("report", lib).stderr == "" and _state(lib / ".blurscan.db", 2) == "undone"


def test_report_names_each_batch_or_n_past_three_and_each_pasted_undo_puts_its_photos_back(tmp_path, monkeypatch):
    """Four batches, each moving one photo to its own folder, the newest (to a drive, unplugged since) closed by
    hand, the drive mounted again: report names the undo of each by ``--batch N`` (four: once, with N and
    ``--list``); batch 4 undone, the other three by name (the newest of them reached by a plain undo too, but not the
    two before it); pasted, they put the photos back."""
    lib, ext = tmp_path.resolve() / "lib", tmp_path.resolve() / "srv" / "ext"
    for n in range(4):
        save_jpeg(lib / f"d{n}" / "b.jpg", blurred(textured(n + 3), 4))
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    before = {n: sha(lib / f"d{n}" / "b.jpg") for n in range(4)}
    ext.mkdir(parents=True)
    _mountinfo(tmp_path, monkeypatch, ext)
    for n in range(4):
        to = ext / "rejects" if n == 3 else tmp_path / f"rej{n}"
        assert run("move", "--all-blurry", "--to", to, "--yes", lib / f"d{n}").exit_code == 0
    shutil.move(ext, tmp_path / "away")  # unplugged
    ext.mkdir()
    _mountinfo(tmp_path, monkeypatch)
    assert run("undo", "--close", "--batch", "4", lib).exit_code == 0
    ext.rmdir()
    shutil.move(tmp_path / "away", ext)  # mounted again
    _mountinfo(tmp_path, monkeypatch, ext)
    assert run("report", lib).stderr == (
        f"note: 4 photos moved or trashed by blurscan are not listed (`blurscan undo --batch N {lib}` for N = 4, 3, 2 "
        f"and 1 puts them back (`blurscan undo --list {lib}` lists those batches))\n")
    assert run("undo", "--batch", "4", lib).exit_code == 0
    note = run("report", lib).stderr
    assert note == (f"note: 3 photos moved or trashed by blurscan are not listed (`blurscan undo --batch 3 {lib}`, "
                    f"`blurscan undo --batch 2 {lib}` and `blurscan undo --batch 1 {lib}` put them back)\n"), note
    for command in _pasted(note):
        assert run(*command).exit_code == 0
    assert {n: sha(lib / f"d{n}" / "b.jpg") for n in range(4)} == before


def test_the_review_page_after_close_names_the_batch_and_its_undo_puts_the_photo_back(tmp_path, monkeypatch):
    """u in the review page on a discard whose photo a move took to a drive unplugged since, its batch closed by
    ``undo --close``: the note names the batch (a plain undo no longer reaches it); mounted again, the command it
    gives puts the photo back."""
    from helpers_review import _post

    db, recs, c, item, change, ext = _discarded_in_the_page_and_moved_to_a_drive(tmp_path, monkeypatch)
    _unplug(tmp_path, monkeypatch, ext)  # unplugged
    assert run("undo", "--close", "--batch", "1", db.parent).exit_code == 0
    data = _post(c, "/api/undo", {"change": change, "id": item["id"]}).get_json()
    assert data["moved"]["command"] == f"blurscan undo --batch 1 {shlex.quote(str(db.parent))}", data
    shutil.move(tmp_path / "away", ext)  # mounted again
    _mountinfo(tmp_path, monkeypatch, ext)
    assert run(*shlex.split(data["moved"]["command"])[1:]).exit_code == 0
    assert os.path.exists(recs["blurry.jpg"].path) and _state(db, 1) == "undone"


_CLOSED = ('mount --bind "$1" "$2" && "$3" -m blurscan move --all-blurry --to "$2/rejects" --yes "$4/b" >/dev/null && '
           'umount "$2" && "$3" -m blurscan undo --close --batch 2 "$4" >/dev/null && mount --bind "$1" "$2" && '
           '"$3" -m blurscan report "$4" 2>&1 >/dev/null | tee "$5" | grep -o "\\`[^\\`]* undo [^\\`]*\\`" | '
           'tr -d "\\`" | while read -r command; do eval "$command" || exit 1; done')  # (each as printed)


@pytest.mark.slow
def test_report_after_close_with_a_real_drive_mounted_again(tmp_path):
    """The same with a real mount (a bind mount of ``drive`` at ``srv/ext``, in a mount namespace of its own,
    ``unshare -rm``): batch 1 to ``rejA``, batch 2 to the drive, unmounted, closed, mounted again: report names
    both batches, and its commands, run there, put both photos back."""
    lib, before = _two_folders(tmp_path)
    drive, ext = tmp_path.resolve() / "drive", tmp_path.resolve() / "srv" / "ext"
    drive.mkdir()
    ext.mkdir(parents=True)
    skip_unless_in_a_mount_namespace('mount --bind "$1" "$2" && umount "$2"', drive, ext,
                                     reason="no bind mount in a mount namespace here (unshare -rm)")
    one = sha(lib / "a" / "b1.jpg")
    assert run("move", "--all-blurry", "--to", tmp_path / "rejA", "--yes", lib / "a").exit_code == 0
    ran = subprocess.run(["unshare", "-rm", "sh", "-c", _CLOSED, "sh", drive, ext, sys.executable, lib,
                          tmp_path / "notes"], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert (tmp_path / "notes").read_text() == (
        f"note: 2 photos moved or trashed by blurscan are not listed (`{child_program()} undo --batch 2 {lib}` and "
        f"`{child_program()} undo --batch 1 {lib}` put them back)\n")
    assert sha(lib / "b" / "b2.jpg") == before and sha(lib / "a" / "b1.jpg") == one
    assert os.listdir(drive) == [] and _state(lib / ".blurscan.db", 2) == "undone"


def _drives_side_by_side(tmp_path, monkeypatch, *names):
    """``srv`` holding a folder ``lib`` of a blurry photo or two in each of ``names`` (``ext``, ``ext/inner``,
    ``ext2``), scanned into ``lib.db`` beside it, each trashed into the ``.Trash-UID`` of its folder under ``srv``
    (its own drive, as the trash reads it), the mount table (a file) with a drive at each of ``names`` but the
    last: ``(srv, db)``."""
    srv = tmp_path.resolve() / "srv"
    for k, name in enumerate(names):
        save_jpeg(srv / name / "lib" / "s.jpg", textured(10 + k))
        save_jpeg(srv / name / "lib" / "b1.jpg", blurred(textured(20 + k), 4))
        save_jpeg(srv / name / "lib" / "b2.jpg", blurred(textured(30 + k), 4))
    db = tmp_path.resolve() / "lib.db"
    assert run("scan", srv, "--db", db, "--model", "none", "--workers", "1").exit_code == 0
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    device_of = trash.device_of  # (the home trash on another device than the photos)
    monkeypatch.setattr(trash, "device_of", lambda path: -1 if path == trash.home_trash() else device_of(path))
    tops = sorted((str(srv / name) for name in names), key=len, reverse=True)
    mount_point = trash._mount_point  # (the home trash's own top: not one of these drives)
    monkeypatch.setattr(trash, "_mount_point", lambda path: next(
        (t for t in tops if path == t or path.startswith(t + os.sep)), None) or mount_point(path))
    _mountinfo(tmp_path, monkeypatch, *(srv / name for name in names[:-1]))
    res = run("trash", "--all-blurry", "--yes", "--db", db, srv)
    assert res.exit_code == 0 and f"trashed {2 * len(names)} photos" in res.stdout, res.output
    return srv, db


def test_a_trash_beside_a_drives_mount_point_is_not_on_that_drive(tmp_path, monkeypatch):
    """Photos trashed from a drive mounted at ``srv/ext`` and from ``srv/ext2`` beside it (no drive: the root's
    file system), ``ext2``'s trash then emptied by hand and the drive unplugged: ``ext2``'s photos are not on the
    drive (its name begins with the mount point's, not under it) but gone. The batch, closed by ``undo --close``,
    is partial again after an ``undo --batch`` that meets another failure than a drive not mounted (another file
    in the trash at a photo's name)."""
    srv, db = _drives_side_by_side(tmp_path, monkeypatch, "ext", "ext2")
    uid = os.getuid()
    trash_of = {name: srv / name / f".Trash-{uid}" / "files" for name in ("ext", "ext2")}
    for name in ("b1.jpg", "b2.jpg"):
        (trash_of["ext2"] / name).unlink()  # emptied by hand
    shutil.move(srv / "ext", tmp_path / "away")  # unplugged
    _mountinfo(tmp_path, monkeypatch)
    res = run("undo", "--db", db)
    assert res.exit_code == 1, res.output
    for name in ("b1.jpg", "b2.jpg"):
        assert (f"failed: {srv / 'ext2' / 'lib' / name}: no longer in the trash at {trash_of['ext2'] / name}"
                ) in res.stderr, res.stderr
        assert f"failed: {srv / 'ext' / 'lib' / name}: not put back: " in res.stderr, res.stderr
    assert f"batch 1: 2 files are on the drive at {srv / 'ext'}, not mounted now" in res.stdout, res.output
    assert _state(db, 1) == "partial", res.output
    res = run("undo", "--close", "--batch", "1", "--db", db)
    assert res.exit_code == 0 and res.stdout.startswith(
        f"batch 1: 2 files stay in the trash at {trash_of['ext']}, on the drive at {srv / 'ext'}, not mounted now; "
        "2 files gone (not found by undo); nothing on disk was changed.\n"), res.output
    assert _state(db, 1) == "closed"
    save_jpeg(trash_of["ext2"] / "b1.jpg", textured(40))  # another file at the name since
    res = run("undo", "--batch", "1", "--db", db)
    assert res.exit_code == 1 and f"failed: {srv / 'ext2' / 'lib' / 'b1.jpg'}: " in res.stderr, res.output
    assert "no longer in the trash at " + str(trash_of["ext2"] / "b1.jpg") not in res.stderr, res.stderr
    assert _state(db, 1) == "partial" and "closed" not in res.stdout, res.output


def test_a_trash_on_a_drive_mounted_inside_another_is_on_the_inner_one(tmp_path, monkeypatch):
    """Photos trashed from a drive mounted at ``srv/ext`` and from one mounted inside it at ``srv/ext/inner``, the
    inner one then unplugged: its photos are on it, not mounted now (a failure to retry, the batch partial), not
    gone from a trash on ``ext``; mounted again, the next undo puts them back."""
    srv, db = _drives_side_by_side(tmp_path, monkeypatch, "ext", "ext/inner", "none")
    inner = srv / "ext" / "inner"
    shutil.move(inner, tmp_path / "away")  # the inner drive unplugged, the outer one still mounted
    _mountinfo(tmp_path, monkeypatch, srv / "ext")
    res = run("undo", "--db", db)
    assert res.exit_code == 1, res.output
    for name in ("b1.jpg", "b2.jpg"):
        assert (f"failed: {inner / 'lib' / name}: not put back: {inner / f'.Trash-{os.getuid()}' / 'files' / name} "
                f"cannot be reached: {inner}, where its drive was mounted when the batch moved it, is not mounted "
                "now") in res.stderr, res.stderr
    assert "no longer in the trash" not in res.output and _state(db, 1) == "partial", res.output
    shutil.move(tmp_path / "away", inner)  # mounted again
    _mountinfo(tmp_path, monkeypatch, srv / "ext", inner)
    res = run("undo", "--db", db)
    assert res.exit_code == 0 and res.stdout.startswith("batch 1: restored 2 files"), res.output


def test_close_counts_the_files_an_undo_or_a_move_was_killed_moving_where_they_are(tmp_path):
    """``undo --close`` after a kill: a file whose undo was killed as it put it back (``undoing``) and one whose
    move was killed once it had moved (``moving``, the photo gone from its place) are at the ``--to``, within
    reach, and counted as such in the refusal; a ``moving`` one whose photo is still at its place (killed before
    it moved) is not."""
    import sqlite3

    lib, _ = _library(tmp_path)
    rej = tmp_path.resolve() / "rej"
    assert run("move", "--all-blurry", "--to", rej, "--yes", lib).exit_code == 0
    db = lib / ".blurscan.db"
    with sqlite3.connect(db) as conn:  # (the states a kill leaves, as the journal records them)
        conn.execute("UPDATE journal SET state = 'undoing' WHERE src LIKE '%b1.jpg'")
        conn.execute("UPDATE journal SET state = 'moving' WHERE src LIKE '%b2.jpg'")
    conn.close()
    res = run("undo", "--close", "--batch", "1", lib)  # (within reach: refused, counting them)
    assert res.exit_code == 1 and f"Error: batch 1: 2 files it moved are within reach at {rej} " in res.output, \
        res.output
    shutil.copy2(rej / "b2.jpg", lib / "b2.jpg")  # the photo at its place: its move never happened
    res = run("undo", "--close", "--batch", "1", lib)
    assert res.exit_code == 1 and f"Error: batch 1: 1 file it moved is within reach at {rej} " in res.output, \
        res.output


def test_close_of_a_batch_that_moved_nothing_says_so(tmp_path):
    """``undo --close`` of a move every file of which failed (as the journal records a move that failed, the photos
    at their place): no file it moved is away from its place."""
    import sqlite3

    lib, _ = _library(tmp_path)
    rej = tmp_path.resolve() / "rej"
    assert run("move", "--all-blurry", "--to", rej, "--yes", lib).exit_code == 0
    for name in ("b1.jpg", "b2.jpg"):
        shutil.move(rej / name, lib / name)
    with sqlite3.connect(lib / ".blurscan.db") as conn:
        conn.execute("UPDATE journal SET state = 'failed', error = 'move: refused'")
    conn.close()
    res = run("undo", "--close", "--batch", "1", lib)
    assert res.exit_code == 0 and res.stdout.startswith("batch 1: no file it moved is away from its place; nothing "
                                                        "on disk was changed.\n"), res.output


def test_undo_of_files_on_two_drives_not_mounted_names_each(tmp_path, monkeypatch):
    """Photos trashed from drives mounted at ``srv/ext`` and ``srv/ext2``, both unplugged: undo's way out names
    each drive with its count of files, and says to mount them, or to close the batch if those drives are gone;
    ``undo --list`` names no drive for the files to retry, one of which (another photo at its place, in no
    drive's trash) waits for none."""
    srv, db = _drives_side_by_side(tmp_path, monkeypatch, "ext", "ext2", "none")
    save_jpeg(srv / "none" / "lib" / "b1.jpg", textured(40))  # another photo at its place since (no drive)
    for name in ("ext", "ext2"):
        shutil.move(srv / name, tmp_path / f"away-{name}")  # unplugged
    _mountinfo(tmp_path, monkeypatch)
    res = run("undo", "--db", db)
    assert res.exit_code == 1, res.output
    assert (f"batch 1: 4 files are on drives not mounted now (2 on the one at {srv / 'ext'}, 2 on the one at "
            f"{srv / 'ext2'}): mount them there and ") in res.stdout, res.output
    assert "; if those drives are gone for good, `blurscan undo --close --batch 1 --db " in res.stdout, res.output
    listed = run("undo", "--list", "--db", db).stdout  # (not all of the 5 to retry wait for a drive: none named)
    assert ", 5 to retry (the last undo could not put them back; `blurscan undo --batch 1 --db " in listed, listed
