"""A move that cannot rename (``EXDEV``) within one file system that can share extents (btrfs across subvolumes,
xfs across a bind mount) clones the photo (``FICLONE``, :mod:`blurscan.actions.reflink`) instead of copying its
bytes, verified as the byte copy is; everywhere else (ext4, tmpfs) the clone fails with nothing written and the
bytes are copied as before. Until 2026-12-07 every such move was a byte copy: a second copy's space and time."""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import shutil
import subprocess
import sys

import pytest

from blurscan.actions import moves, reflink
from helpers_images import blurred, save_jpeg, textured
from helpers_library import force_cross_device

_SBIN = os.pathsep.join([os.environ.get("PATH", os.defpath), "/usr/sbin", "/sbin"])


def _clones_here(folder) -> bool:
    """Whether ``folder``'s file system shares extents (``cp --reflink=always`` succeeds), told apart from blurscan."""
    if shutil.which("cp") is None or not sys.platform.startswith("linux"):
        pytest.skip("needs GNU cp to tell whether this file system clones")
    (folder / "probe").write_bytes(b"x" * 8192)
    made = subprocess.run(["cp", "--reflink=always", str(folder / "probe"), str(folder / "probe2")],
                          capture_output=True)
    for name in ("probe", "probe2"):
        (folder / name).unlink(missing_ok=True)
    return made.returncode == 0


def _spied(monkeypatch) -> list[bool]:
    """What each real :func:`reflink.clone` answered (the call itself left as it is)."""
    answers: list[bool] = []
    real = reflink.clone

    def spy(src_fd, dst_fd, dst):
        answers.append(real(src_fd, dst_fd, dst))
        return answers[-1]

    monkeypatch.setattr(reflink, "clone", spy)
    return answers


def _move_across(folder, monkeypatch) -> tuple[bytes, object]:
    force_cross_device(monkeypatch)
    src, dst = folder / "lib" / "IMG_1.MOV", folder / "rejects" / "IMG_1.MOV"
    src.parent.mkdir(parents=True)
    data = os.urandom(3 << 20)
    src.write_bytes(data)
    outcome = moves.move_file(str(src), str(dst), tag=7)
    assert not src.exists() and dst.read_bytes() == data and os.listdir(dst.parent) == ["IMG_1.MOV"]
    return data, outcome


def test_a_move_across_devices_clones_where_the_file_system_can_and_copies_the_bytes_elsewhere(tmp_path, monkeypatch):
    can = _clones_here(tmp_path)
    answers = _spied(monkeypatch)
    data, outcome = _move_across(tmp_path, monkeypatch)
    assert answers == [can]
    assert outcome.method == "copy" and outcome.sha256 == hashlib.sha256(data).hexdigest()


def test_on_tmpfs_the_clone_fails_and_the_bytes_are_copied(tmp_path, monkeypatch):
    shm = "/dev/shm"
    if not os.path.isdir(shm) or not os.access(shm, os.W_OK):
        pytest.skip("needs a writable /dev/shm (tmpfs)")
    folder = tmp_path.__class__(shm) / f"blurscan-clone-{os.getpid()}"
    folder.mkdir()
    try:
        if _clones_here(folder):
            pytest.skip("/dev/shm clones here: not tmpfs")
        answers = _spied(monkeypatch)
        data, outcome = _move_across(folder, monkeypatch)
        assert answers == [False] and outcome.sha256 == hashlib.sha256(data).hexdigest()
    finally:
        shutil.rmtree(folder)


def test_a_clone_that_fails_having_written_is_cut_back_said_and_the_bytes_copied(tmp_path, monkeypatch, caplog):
    """Never seen, kept to its promise all the same: a clone that wrote something before failing (an I/O error) is
    not taken for done, nor left half there: the file is emptied, the bytes copied and checked, and it is logged."""
    import fcntl

    real = fcntl.ioctl

    def failing(fd, request, arg, *more):
        if request != reflink.FICLONE:  # (the file's flags, chattr's, looked at as before)
            return real(fd, request, arg, *more)
        os.write(fd, b"half a clone")
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(fcntl, "ioctl", failing)
    with caplog.at_level(logging.WARNING, logger="blurscan.actions.reflink"):
        data, outcome = _move_across(tmp_path, monkeypatch)
    assert outcome.sha256 == hashlib.sha256(data).hexdigest()
    assert [r.getMessage() for r in caplog.records] == [
        f"{tmp_path}/rejects/.IMG_1.MOV.blurscan-7.part: the copy-on-write clone failed (input/output error) after "
        "writing; copying the bytes instead"]



def test_a_failed_clone_that_wrote_past_the_photos_length_is_cut_back_to_nothing(tmp_path, monkeypatch):
    """A failed clone that left more bytes than the photo holds (4 MB of a 3 MB one): the file is emptied, not only
    written again from its start, so the copy holds the photo's bytes and nothing after them, and the move is done."""
    import fcntl

    real = fcntl.ioctl

    def failing(fd, request, arg, *more):
        if request != reflink.FICLONE:
            return real(fd, request, arg, *more)
        os.write(fd, b"\0" * (4 << 20))
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(fcntl, "ioctl", failing)
    data, outcome = _move_across(tmp_path, monkeypatch)
    assert outcome.sha256 == hashlib.sha256(data).hexdigest()

# sh -c ... sh FS IMAGE MNT PHOTO, PY in the environment: FS (btrfs or xfs) on IMAGE at MNT, a library holding the
# blurry PHOTO and a 20 MB Live Photo video of it, a reflinked copy of the video kept aside (its extents shared
# with it); the library scanned, its photo moved to another subvolume (btrfs) or a bind mount (xfs) of the same file
# system. Then: whether the moved video still shares its extents (cloned) or not (copied), its bytes, and undo.
_SCRIPT = r'''
set -e; mount --make-rprivate /; mount -o loop "$2" "$3"; cd "$(mktemp -d)"; M=$3
if [ "$1" = btrfs ]; then btrfs -q subvolume create "$M/lib"; btrfs -q subvolume create "$M/rejects"; T="$M/rejects"
else mkdir "$M/lib" "$M/other" "$M/to"; mount --bind "$M/other" "$M/to"; T="$M/to/rejects"; fi
cp "$4" "$M/lib/IMG_1.JPG"; head -c 20000000 /dev/urandom > "$M/lib/IMG_1.MOV"; mkdir "$M/aside"
cp --reflink=always "$M/lib/IMG_1.MOV" "$M/aside/IMG_1.MOV"; sync
"$PY" -m blurscan scan "$M/lib" --model none --workers 1 >/dev/null 2>&1
"$PY" -m blurscan move "$M/lib" --all-blurry --to "$T" --yes 2>&1 | grep -o '^moved 1 photo (2 files'; sync
filefrag -v "$T/IMG_1.MOV" | grep -q shared && echo "shares its extents" || echo "shares nothing"
cmp "$T/IMG_1.MOV" "$M/aside/IMG_1.MOV" && echo "same bytes"; ls "$T"
"$PY" -m blurscan undo "$M/lib"; cmp "$M/lib/IMG_1.MOV" "$M/aside/IMG_1.MOV" && echo "back, same bytes"
'''


@pytest.mark.slow
@pytest.mark.parametrize("fs", ["btrfs", "xfs"])
def test_a_move_within_one_file_system_shares_the_photos_extents(tmp_path, fs):
    """As root, on a loop btrfs (across subvolumes) and xfs (``reflink=1``, across a bind mount): the moved video
    shares its extents with a reflinked copy of it kept aside (no byte written: a byte copy shares none), its bytes
    the same, and undo puts it back."""
    tools = (f"mkfs.{fs}", "unshare", "losetup", "filefrag", "mount") + (("btrfs",) if fs == "btrfs" else ())
    if os.geteuid() != 0 or any(shutil.which(t, path=_SBIN) is None for t in tools):
        pytest.skip("needs root, " + ", ".join(tools))
    photo = tmp_path.resolve() / "IMG_1.JPG"
    save_jpeg(photo, blurred(textured(3), 4))
    image, mnt = tmp_path / f"{fs}.img", tmp_path.resolve() / "mnt"
    mnt.mkdir()
    with open(image, "wb") as fh:
        fh.truncate(400 << 20)  # (sparse; mkfs.xfs wants 300 MiB at least)
    mkfs = [shutil.which(f"mkfs.{fs}", path=_SBIN), "-q", "-f"] + (["-m", "reflink=1"] if fs == "xfs" else [])
    made = subprocess.run(mkfs + [str(image)], capture_output=True)
    probe = subprocess.run(["unshare", "-m", "sh", "-c", 'mount --make-rprivate / && mount -o loop "$1" "$2" && '
                            'umount "$2"', "sh", image, mnt], capture_output=True)
    if made.returncode != 0 or probe.returncode != 0:
        pytest.skip(f"cannot make and mount a {fs} loop device in a mount namespace here")
    env = dict(os.environ, PATH=_SBIN, PY=sys.executable)
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _SCRIPT, "sh", fs, image, mnt, photo], capture_output=True,
                         text=True, timeout=180, env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.split("\n") == [
        "moved 1 photo (2 files", "shares its extents", "same bytes", "IMG_1.JPG", "IMG_1.MOV", "batch 1: restored 2 files" + (
            "." if fs == "btrfs" else ", removed 1 empty folder the move had created."), "back, same bytes", ""], \
        ran.stdout + ran.stderr
