"""A refusal that is one file's, not its folder's, fails that photo alone and the batch goes on. An immutable file
(``chattr +i``; a read-only attribute on a network share) or another user's file in a sticky folder cannot be
taken out of a folder that lets the others go: ``move --yes`` across drives copied it, could not remove it, and
stopped the whole batch saying "batch stopped: FOLDER refused: operation not permitted" (the folder had not
refused). In a sticky folder the plan looked at the photo alone, so a photo whose sidecar was root's was moved and
its sidecar left behind; and the line that says none can be taken counted each sticky file as another folder.

The sticky tests make root's files and run the command as ``nobody`` (root needed); ``chattr +i`` needs root and a
file system that keeps the flag; the monkeypatched EPERM/EACCES test runs anywhere."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from blurscan.actions import execute, plan_move
from blurscan.store import Store

from helpers_library import force_cross_device, other_device_dir, snapshot
from helpers_os import NOBODY, run_unprivileged
from test_actions_source_folder import _batches, _invoke, _library, base  # noqa: F401  (base: a fixture)

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
STICKY = "is sticky (mode 1777: only the owner of a file in it, or of the folder, may take the file out)"


@pytest.mark.parametrize("err", [errno.EPERM, errno.EACCES])
def test_one_file_refusing_removal_fails_alone_and_the_batch_goes_on(base, monkeypatch, err):
    """Across drives, the system refuses to remove one photo after its copy (its folder may be written): that photo
    fails, its copy is removed, its sidecars stay with it, and the other photos (the same folder's too) move."""
    db, f = _library(base)
    rejects = base / "rejects"
    with Store(db) as store:
        plan = plan_move(store, rejects, all_flagged=True)
        assert [p.photo for p in plan.photos] == [f["IMG_1"], f["IMG_2"], f["IMG_5"], f["IMG_4"]]
        force_cross_device(monkeypatch)
        real_unlink = os.unlink

        def refuse_one(path, *args, **kwargs):
            if os.fspath(path) == f["IMG_1"]:
                raise OSError(err, os.strerror(err), path)
            return real_unlink(path, *args, **kwargs)

        monkeypatch.setattr(os, "unlink", refuse_one)
        result = execute(store, plan)
    dst = rejects / "a" / "IMG_1.JPG"
    assert result.failed == [(f["IMG_1"], f"{f['IMG_1']}: copied to {dst}, but cannot be removed: "
                                          f"{os.strerror(err).lower()}; the copy was removed, the file stays where "
                                          "it was")], result.failed
    assert not any("batch stopped" in why for _path, why in result.skipped), result.skipped
    assert {path for path, _why in result.skipped} == {f["IMG_1.CR2"], f["IMG_1.CR2.xmp"], f["IMG_1.JPG.xmp"]}
    assert sorted(src for src, _dst in result.moved) == sorted([f["IMG_2"], f["IMG_2.AAE"], f["IMG_4"], f["IMG_5"]])
    assert result.photos_moved == 3
    assert os.path.exists(f["IMG_1"]) and not dst.exists()


@pytest.mark.skipif(not AS_ROOT, reason="chattr +i needs root")
@pytest.mark.parametrize("drives", ["across drives", "one drive"])
def test_an_immutable_photo_is_left_alone(base, monkeypatch, drives):
    """``chattr +i`` on one photo: the others, in its folder and elsewhere, are moved; the message does not say
    its folder refused. (Across drives it said "batch stopped: FOLDER refused: operation not permitted" and moved
    nothing more; on one drive the rename was refused and the batch went on before as now: a guard.) Since
    2026-12-06 the plan leaves it, saying why (test_inode_flags.py); until then it failed, exit 1."""
    db, f = _library(base)
    lib = base / "lib"
    shm = other_device_dir() if drives == "across drives" else None
    rejects = Path(tempfile.mkdtemp(prefix="rj-", dir=shm)) / "rej" if shm else base / "rejects"
    if drives == "across drives" and shm is None:
        force_cross_device(monkeypatch)  # (no other drive here: every rename between folders says EXDEV)
    done = subprocess.run(["chattr", "+i", f["IMG_1"]], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not supported here: {done.stderr.decode().strip()}")
    try:
        code, out, err = _invoke("move", "--all-blurry", "--to", rejects, "--db", db, lib, "--yes")
    finally:
        subprocess.run(["chattr", "-i", f["IMG_1"]], check=False)
        if shm:
            shutil.rmtree(rejects.parent, ignore_errors=True)
    assert "moved 3 photos" in out and "1 skipped" in out, (out, err)
    assert "batch stopped" not in err and "refused" not in err, err
    assert "skipped: a/IMG_1.JPG: IMG_1.JPG is immutable (chattr +i" in err, err
    assert os.path.exists(f["IMG_1"]) and os.path.exists(f["IMG_1.JPG.xmp"])
    assert not any(os.path.exists(f[k]) for k in ("IMG_2", "IMG_2.AAE", "IMG_4", "IMG_5"))
    assert code == 0


def _own(*paths) -> None:
    for path in paths:
        os.chown(path, NOBODY, NOBODY)


def _sticky_library(base):
    """``(db, files, lib, rejects)``: the helpers' library, its folder ``a`` sticky (mode 1777, root's), a
    ``rejects`` folder anyone may write; every file root's until :func:`_own` gives it to nobody."""
    db, f = _library(base)
    lib, rejects = base / "lib", base / "rejects"
    rejects.mkdir(mode=0o777)
    rejects.chmod(0o777)
    (lib / "a").chmod(0o1777)
    return db, f, lib, rejects


def _planned_by_root_run_by_nobody(db, rejects) -> list:
    """``[failed, skipped, moved sources]`` of a move of every flagged photo planned here (root, who may take
    anything) and run as nobody."""
    with Store(db) as store:
        plan = plan_move(store, rejects, all_flagged=True)
    assert len(plan.photos) == 4

    def attempt():
        with Store(db) as store:
            result = execute(store, plan)
        return [result.failed, result.skipped, sorted(src for src, _dst in result.moved)]

    return run_unprivileged(attempt)


@pytest.mark.skipif(not AS_ROOT, reason="another user's files in a sticky folder: root makes them")
def test_a_sticky_folder_leaves_a_photo_whose_sidecar_is_not_the_users_with_it(base):
    """A sticky folder, the photo the user's, its sidecar root's: the dry run promised "would move (with
    IMG_2.AAE)", and --yes moved the photo, left the sidecar behind, then stopped the batch. Now the photo and its
    sidecar stay, named, and the others (the same folder's, another folder's) are moved; nothing stops."""
    db, f, lib, rejects = _sticky_library(base)
    _own(f["IMG_1"], f["IMG_1.CR2"], f["IMG_1.CR2.xmp"], f["IMG_1.JPG.xmp"], f["IMG_2"])  # not IMG_2.AAE: root's
    args = ["move", "--all-blurry", "--to", rejects, "--db", db, lib]
    dry, yes = run_unprivileged(lambda: [_invoke(*args), _invoke(*args, "--yes")])
    why = f"its folder {lib / 'a'} {STICKY}, and IMG_2.AAE is root's; left in place"
    assert f"skip a/IMG_2.jpg: {why}" in dry[1], dry[1]
    assert "IMG_2.jpg (with" not in dry[1] and "Dry run: 3 photos" in dry[1], dry[1]
    assert yes[0] == 0, yes
    assert f"skipped: a/IMG_2.jpg: {why}" in yes[2], yes[2]
    assert "batch stopped" not in yes[2] and "failed" not in yes[1], yes
    assert os.path.exists(f["IMG_2"]) and os.path.exists(f["IMG_2.AAE"])  # together, in place
    assert not any(os.path.exists(f[k]) for k in ("IMG_1", "IMG_1.CR2", "IMG_1.JPG.xmp", "IMG_4", "IMG_5"))


@pytest.mark.skipif(not AS_ROOT, reason="another user's files in a sticky folder: root makes them")
def test_a_sticky_refusal_met_during_the_run_fails_that_photo_alone(base):
    """Planned by root (who may take anything), run as nobody: root's photo in a sticky folder is refused when
    reached. It fails with the reason naming the file; the batch goes on (it stopped, as for a read-only card)."""
    db, f, lib, rejects = _sticky_library(base)
    _own(f["IMG_2"], f["IMG_2.AAE"])  # IMG_1 and its files stay root's
    failed, skipped, moved = _planned_by_root_run_by_nobody(db, rejects)
    assert failed == [[f["IMG_1"], f"{f['IMG_1']}: cannot move to {rejects / 'a' / 'IMG_1.JPG'}: its folder "
                                   f"{lib / 'a'} {STICKY}, and IMG_1.JPG is root's"]], failed
    assert {why for _path, why in skipped} == {"its photo was not moved"}, skipped
    assert moved == sorted([f["IMG_2"], f["IMG_2.AAE"], f["IMG_4"], f["IMG_5"]])


@pytest.mark.skipif(not AS_ROOT, reason="another user's files in a sticky folder: root makes them")
def test_none_taken_from_one_sticky_folder_counts_one_folder(base):
    """Every photo selected is root's, in one sticky folder: the line names the folder once; it said "(1 other
    folder refuses too ...)" for each further file (each reason names its file)."""
    db, f, lib, rejects = _sticky_library(base)
    args = ["move", "--all-blurry", "--to", rejects, "--db", db, lib / "a"]
    before = snapshot(lib)
    dry, yes = run_unprivileged(lambda: [_invoke(*args), _invoke(*args, "--yes")])
    line = f"none of the 2 photos selected can be taken: {lib / 'a'} {STICKY}, and IMG_1.JPG is root's"
    assert f"warning: {line}\n" in dry[2], dry[2]
    assert yes[0] == 1 and yes[2].endswith(f"\nError: {line}; nothing was moved\n"), yes
    assert snapshot(lib) == before and _batches(db) == 0


@pytest.mark.skipif(not AS_ROOT, reason="another user's files in a sticky folder: root makes them")
def test_a_sidecar_refused_during_the_run_keeps_its_photo_in_place(base):
    """Planned by root, run as nobody: the photo is nobody's, its sidecar root's, in a sticky folder. The photo is
    not moved without its sidecar (it went, and the sidecar failed and stayed behind); the batch goes on."""
    db, f, lib, rejects = _sticky_library(base)
    _own(f["IMG_1"], f["IMG_1.CR2"], f["IMG_1.CR2.xmp"], f["IMG_1.JPG.xmp"], f["IMG_2"])  # not IMG_2.AAE: root's
    failed, skipped, moved = _planned_by_root_run_by_nobody(db, rejects)
    assert failed == [[f["IMG_2"], f"{f['IMG_2']}: not moved without IMG_2.AAE: its folder {lib / 'a'} {STICKY}, "
                                   "and IMG_2.AAE is root's; left in place"]], failed
    assert skipped == [[f["IMG_2.AAE"], "its photo was not moved"]], skipped
    assert os.path.exists(f["IMG_2"]) and os.path.exists(f["IMG_2.AAE"])
    assert f["IMG_4"] in moved and f["IMG_1"] in moved and f["IMG_2"] not in moved


def test_a_sidecar_that_alone_refuses_after_its_photo_went_says_they_are_apart(base, monkeypatch):
    """Across drives, the system refuses to remove one sidecar (an immutable file) after its photo moved: the
    sidecar's failure says the photo went without it and that undo puts it back (nothing said so)."""
    db, f = _library(base)
    rejects = base / "rejects"
    with Store(db) as store:
        plan = plan_move(store, rejects, all_flagged=True)
        force_cross_device(monkeypatch)
        real_unlink = os.unlink

        def refuse_one(path, *args, **kwargs):
            if os.fspath(path) == f["IMG_2.AAE"]:
                raise OSError(errno.EPERM, os.strerror(errno.EPERM), path)
            return real_unlink(path, *args, **kwargs)

        monkeypatch.setattr(os, "unlink", refuse_one)
        result = execute(store, plan)
    assert f["IMG_2"] in {src for src, _dst in result.moved}
    ((path, why),) = result.failed
    assert path == f["IMG_2.AAE"], result.failed
    assert why.endswith("; IMG_2.jpg went without it (blurscan undo puts it back)"), why
