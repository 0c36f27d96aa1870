"""A photo (or a file that goes with it, or its folder) made immutable or append-only with ``chattr +i`` / ``+a``
cannot be moved or removed by anyone, root included. Until 2026-12-06 the dry run promised to move it; ``--yes``
failed with a bare "operation not permitted" on one drive, and across drives copied the whole photo, could not
remove it, and removed the copy again. Now the plan leaves it in place with the reason, in the dry run too, and a
file flagged after planning is refused before anything is copied.

``chattr`` needs root and a file system that keeps the flags (ext4, tmpfs since Linux 6.0): skipped otherwise."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import execute, plan_move
from blurscan.cli import main

from helpers_library import build_library, other_device_dir, snapshot

IMMUTABLE = "is immutable (chattr +i: no one may move or remove it, root included; chattr -i lets it go)"
APPEND_ONLY = "is append-only (chattr +a: no one may move or remove it, root included; chattr -a lets it go)"


@pytest.fixture
def chattr():
    """``chattr(flag, path)``: set an inode flag (``+i``, ``+a``), cleared again after the test (an immutable file
    left behind cannot be removed with its folder); skips where it cannot be set."""
    flagged = []

    def set_flag(flag: str, path) -> None:
        try:
            done = subprocess.run(["chattr", flag, str(path)], capture_output=True)
        except FileNotFoundError:
            pytest.skip("no chattr here")
        if done.returncode != 0:
            pytest.skip(f"chattr {flag} is not possible here: {done.stderr.decode().strip()}")
        flagged.append((flag.replace("+", "-"), str(path)))

    yield set_flag
    for flag, path in reversed(flagged):
        subprocess.run(["chattr", flag, path], check=False)


@pytest.fixture
def away(tmp_path):
    """A destination folder on another drive than the library (/dev/shm), else beside it."""
    other = other_device_dir()
    folder = Path(tempfile.mkdtemp(prefix="blurscan-flags-", dir=other)) if other else tmp_path / "away"
    yield folder / "rejects"
    if other:
        shutil.rmtree(folder, ignore_errors=True)


def _invoke(*args, env=None):
    out = CliRunner().invoke(main, [str(a) for a in args], env=env)
    assert out.exception is None or isinstance(out.exception, SystemExit), repr(out.exception)
    return out.exit_code, out.stdout, out.stderr


def _files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize("command", ["move", "trash"])
@pytest.mark.parametrize("flag, which, words", [("+i", "IMG_4", IMMUTABLE), ("+a", "IMG_4", APPEND_ONLY),
                                                 ("+i", "IMG_1.JPG.xmp", IMMUTABLE)])
def test_a_flagged_photo_or_sidecar_is_left_in_place_with_the_reason(tmp_path, away, chattr, command, flag, which,
                                                                     words):
    """The dry run and --yes both leave the photo (with every file that goes with it) where it is, naming the file
    and why; the other photos go; nothing of it is copied anywhere; the run is not a failure."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    store.close()
    chattr(flag, f[which])
    photo = {"IMG_4": "b/c/IMG_4.jpg", "IMG_1.JPG.xmp": "a/IMG_1.JPG"}[which]
    line = f"{photo}: {os.path.basename(f[which])} {words}; left in place"
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    to = ["--to", away] if command == "move" else []
    code, out, err = _invoke(command, "--all-blurry", *to, root, env=env)
    assert code == 0 and f"skip {line}\n" in out, (out, err)
    before = snapshot(root)
    code, out, err = _invoke(command, "--all-blurry", *to, root, "--yes", env=env)
    assert code == 0, (out, err)
    assert f"skipped: {line}\n" in err and "failed" not in err, err
    assert "1 skipped" in out and "moved 3 photos" in out or "trashed 3 photos" in out, out
    left = {f["IMG_4"]} if which == "IMG_4" else {f[k] for k in ("IMG_1", "IMG_1.CR2", "IMG_1.JPG.xmp", "IMG_1.CR2.xmp")}
    assert {p: v for p, v in snapshot(root).items() if p in left} == {p: before[p] for p in left}
    names = {os.path.basename(p) for p in left}
    gone_to = away if command == "move" else tmp_path / "data" / "Trash" / "files"
    assert not [n for n in _files_under(gone_to) if os.path.basename(n).lstrip(".").split(".blurscan-")[0] in names]


@pytest.mark.parametrize("flag, words", [("+i", "is immutable (chattr +i: no file may be added to it or taken out, "
                                                "root included)"),
                                         ("+a", "is append-only (chattr +a: files may be added to it, none taken "
                                                "out, root included)")])
def test_a_flagged_folder_is_named_as_the_reason(tmp_path, away, chattr, flag, words):
    """A folder made immutable or append-only lets no file be taken out of it: its photos are left, naming the
    folder and the flag (as root it read "is not writable by this user: owner root, mode 0755", or, append-only,
    the dry run promised the move and --yes failed on each photo)."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    store.close()
    chattr(flag, root / "b" / "c")
    code, out, err = _invoke("move", "--all-blurry", "--to", away, root)
    assert code == 0 and f"skip b/c/IMG_4.jpg: its folder {root / 'b' / 'c'} {words}; left in place\n" in out, out


def test_a_photo_flagged_after_planning_is_refused_before_it_is_copied(tmp_path, away, chattr):
    """Made immutable between the plan and the run: the photo fails with the reason before anything is copied (a
    copy to another drive was made, then removed, and the line said only "cannot be removed: operation not
    permitted"); its sidecars stay with it."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    with store:
        plan = plan_move(store, away, all_flagged=True)
        chattr("+i", f["IMG_1"])
        result = execute(store, plan)
    dst = away / "a" / "IMG_1.JPG"
    assert result.failed == [(f["IMG_1"], f"{f['IMG_1']}: cannot move to {dst}: IMG_1.JPG {IMMUTABLE}")]
    assert os.path.exists(f["IMG_1.JPG.xmp"]) and not (away / "a" / "IMG_1.JPG.xmp").exists()
    assert not [n for n in _files_under(away) if "IMG_1.JPG" in n]


def test_a_sidecar_flagged_after_planning_keeps_its_photo_in_place(tmp_path, away, chattr):
    """A sidecar made append-only between the plan and the run: its photo is not moved without it (the photo went
    and the sidecar failed and stayed behind)."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    with store:
        plan = plan_move(store, away, all_flagged=True)
        chattr("+a", f["IMG_2.AAE"])
        result = execute(store, plan)
    assert result.failed == [(f["IMG_2"], f"{f['IMG_2']}: not moved without IMG_2.AAE {APPEND_ONLY}")]
    assert os.path.exists(f["IMG_2"]) and os.path.exists(f["IMG_2.AAE"])


SHUT_IN = ("is append-only (chattr +a: files may be added to it, none taken out, root included): a copy from "
           "another drive is put in place by renaming it, which it refuses")


def test_an_append_only_folder_on_another_drive_receives_no_copy(tmp_path, away, chattr):
    """A destination folder made append-only, on another drive: the dry run warns, and the photos bound for it
    fail with the reason before anything is copied; the others go. Until 2026-12-06 each photo was copied
    under a temporary name, which the folder let be made but neither renamed nor removed: "operation not
    permitted", and a whole copy of each left there as ``.IMG_1.JPG.blurscan-1.part``."""
    if other_device_dir() is None:
        pytest.skip("no other drive (/dev/shm) here")
    root = tmp_path / "lib"
    store, f = build_library(root)
    store.close()
    (away / "a").mkdir(parents=True)
    chattr("+a", away / "a")
    code, out, err = _invoke("move", "--all-blurry", "--to", away, root)
    assert code == 0 and f"warning: {away / 'a'} {SHUT_IN}: `--yes` would move no photo there\n" in err, (out, err)
    code, out, err = _invoke("move", "--all-blurry", "--to", away, root, "--yes")
    assert code == 1 and "moved 2 photos" in out and "2 failed" in out, (out, err)
    for key in ("IMG_1", "IMG_2"):
        dst = away / "a" / os.path.basename(f[key])
        assert f"failed: {f[key]}: cannot move to {dst}: {away / 'a'} {SHUT_IN}\n" in err, err
        assert os.path.exists(f[key])
    assert _files_under(away / "a") == [], _files_under(away / "a")
    assert not os.path.exists(f["IMG_4"]) and (away / "b" / "c" / "IMG_4.jpg").exists()


def test_undo_into_an_append_only_library_folder_leaves_no_copy_there(tmp_path, away, chattr):
    """The same for undo: a library folder made append-only since the move gets no copy of a photo put back (a
    ``.part`` file that no one could remove was left in the library); the photo stays where the move put it."""
    if other_device_dir() is None:
        pytest.skip("no other drive (/dev/shm) here")
    root = tmp_path / "lib"
    store, f = build_library(root)
    store.close()
    code, out, err = _invoke("move", "--all-blurry", "--to", away, root, "--yes")
    assert code == 0, (out, err)
    chattr("+a", root / "b" / "c")
    code, out, err = _invoke("undo", root)
    copy = away / "b" / "c" / "IMG_4.jpg"
    assert f"{copy}: cannot move to {f['IMG_4']}: {root / 'b' / 'c'} {SHUT_IN}" in err, (out, err)
    assert copy.exists() and os.listdir(root / "b" / "c") == [], os.listdir(root / "b" / "c")
    assert os.path.exists(f["IMG_1"]) and os.path.exists(f["IMG_5"])
