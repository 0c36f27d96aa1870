"""A photo library on btrfs, end to end: a real btrfs file system on a loop device, as root, in a mount namespace of
its own. Each subvolume (``btrfs subvolume create``) and snapshot has a device number of its own (an anonymous one)
while it is no mount: one file system shows several devices, which the trash, the moves and the caches keyed by
(device, inode) must not take for several drives, nor a snapshot (the same inode numbers) for its library."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from helpers_images import blurred, save_jpeg, textured

_SBIN = os.pathsep.join([os.environ.get("PATH", os.defpath), "/usr/sbin", "/sbin"])

# sh -c ... sh IMAGE MNT SRC, PY in the environment: a btrfs file system on IMAGE mounted at MNT (HOME in it, as on a desktop
# whose /home is btrfs), SRC's photos at hand, then SCRIPT run with `bs` for blurscan.
_SETUP = r'''
set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cd "$(mktemp -d)"
M=$2; SRC=$3; export HOME="$M/home"; mkdir -p "$HOME"; unset XDG_DATA_HOME
bs() { "$PY" -m blurscan "$@"; }
sub() { btrfs -q subvolume "$@"; }
set +e
'''


def _btrfs(tmp_path, script: str) -> subprocess.CompletedProcess:
    """Run ``script`` (sh, after :data:`_SETUP`: ``$M`` the btrfs mount, ``$SRC`` holding ``s.jpg`` sharp and
    ``b1.jpg``, ``b2.jpg`` blurry, ``bs`` blurscan, ``sub`` ``btrfs subvolume``); skipped where that cannot be
    done here (not root, no mkfs.btrfs, unshare or btrfs, a container refusing loop devices or namespaces)."""
    tools = ("mkfs.btrfs", "btrfs", "unshare", "losetup")
    if os.geteuid() != 0 or any(shutil.which(t, path=_SBIN) is None for t in tools):
        pytest.skip("needs root, " + ", ".join(tools))
    src = tmp_path.resolve() / "src"
    save_jpeg(src / "s.jpg", textured(2))
    save_jpeg(src / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(src / "b2.jpg", blurred(textured(4), 4))
    image, mnt = tmp_path / "btrfs.img", tmp_path.resolve() / "mnt"
    mnt.mkdir()
    with open(image, "wb") as fh:
        fh.truncate(300 << 20)  # (sparse; mkfs.btrfs wants more than 109 MiB with its default profiles)
    made = subprocess.run([shutil.which("mkfs.btrfs", path=_SBIN), "-q", "-f", str(image)], capture_output=True)
    probe = subprocess.run(["unshare", "-m", "sh", "-c", 'mount --make-rprivate / && mount -o loop "$1" "$2" && '
                            'umount "$2"', "sh", image, mnt], capture_output=True)
    if made.returncode != 0 or probe.returncode != 0:
        pytest.skip("cannot make and mount a btrfs loop device in a mount namespace here")
    env = dict(os.environ, PATH=_SBIN, PY=sys.executable)
    ran = subprocess.run(["unshare", "-m", "sh", "-c", _SETUP + script, "sh", image, mnt, src], capture_output=True,
                         text=True, timeout=180, env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return ran


@pytest.mark.slow
def test_a_photo_in_a_subvolume_goes_to_the_home_trash_of_its_file_system(tmp_path):
    """A library in ``~/Pictures`` whose ``2024`` is a subvolume (a device number of its own, no mount): its photos
    go to the home trash (copied across the subvolume's edge), and undo puts them back. Until 2026-12-07 they went to
    ``~/Pictures/2024/.Trash-0``, taken for a drive's top by ``os.path.ismount``: a trash no desktop looks in. No
    ``.Trash-0`` is made at the file system's top either (the subvolume is the home trash's file system)."""
    ran = _btrfs(tmp_path, r'''
L="$HOME/Pictures"; mkdir -p "$L"; sub create "$L/2024"; cp "$SRC"/*.jpg "$L/2024/"
bs scan "$L" --model none --workers 1 >/dev/null
bs trash "$L" --all-blurry --yes 2>&1 | sed 's/ (2 files.*) / /; s/ as batch.*//'
ls -A "$L/2024"; ls "$HOME/.local/share/Trash/files" "$HOME/.local/share/Trash/info"; echo "== top"; ls -A "$M"
echo "== undo"; bs undo "$L"; ls "$L/2024"
''')
    assert ran.stdout.replace(str(tmp_path.resolve()), "T") == (
        "trashed 2 photos to the trash\ns.jpg\n"
        "T/mnt/home/.local/share/Trash/files:\nb1.jpg\nb2.jpg\n\nT/mnt/home/.local/share/Trash/info:\n"
        "b1.jpg.trashinfo\nb2.jpg.trashinfo\n== top\nhome\n"
        "== undo\nbatch 1: restored 2 files.\nb1.jpg\nb2.jpg\ns.jpg\n"), ran.stdout


@pytest.mark.slow
def test_a_read_only_snapshot_is_scanned_and_move_and_trash_say_why_they_refuse(tmp_path):
    """A read-only snapshot (``btrfs subvolume snapshot -r``) as a library: scanned (its database kept in the cache
    folder), and move and trash refuse in one line naming it and why. Until 2026-12-07 they said it ``is not
    writable by this user: owner root, mode 0755``, to root, whose mount is read-write: the snapshot refuses."""
    ran = _btrfs(tmp_path, r'''
sub create "$M/lib"; cp "$SRC"/*.jpg "$M/lib/"; sub snapshot -r "$M/lib" "$M/ro"
bs scan "$M/ro" --model none --workers 1 2>&1 | tail -1 | sed 's/ in .* s;.*//'
bs move "$M/ro" --all-blurry --to "$M/rejects" --yes >out 2>&1; echo "move: $?"; grep -v '^note' out
bs trash "$M/ro" --all-blurry --yes >out 2>&1; echo "trash: $?"; grep -v '^note' out
ls "$M/ro"
''')
    ro = tmp_path.resolve() / "mnt" / "ro"
    refusal = (f"Error: none of the 2 photos selected can be taken: {ro} is in a read-only snapshot (the file system "
               "refuses writing it, root too); nothing was")
    assert ran.stdout == (f"scanned 3 files (0 unchanged, reused)\nmove: 1\n{refusal} moved\ntrash: 1\n{refusal} trashed\n"
                          "b1.jpg\nb2.jpg\ns.jpg\n"), ran.stdout + ran.stderr


@pytest.mark.slow
def test_subvolumes_and_a_snapshot_are_moved_across_undone_and_scored_apart(tmp_path):
    """Pins what already behaves: a move from a subvolume to a ``--to`` in another subvolume of the same file system
    (the kernel renames nothing across: a verified copy) and its undo, across a snapshot made meanwhile (its copies
    stay); a snapshot (the same inode numbers, another device number) scanned into the library's database after a
    photo changed in the library: each keeps its own score, and bursts find reflinked copies as duplicates."""
    ran = _btrfs(tmp_path, r'''
sub create "$M/lib"; cp "$SRC"/*.jpg "$M/lib/"; sub create "$M/rejects"; DB="$M/all.db"
bs scan "$M/lib" --model none --workers 1 --db "$DB" >/dev/null
bs move "$M/lib" --all-blurry --to "$M/rejects" --yes --db "$DB" 2>&1 | grep -o '^moved 2 photos'
sub snapshot "$M/lib" "$M/snap"; bs undo "$M/lib" --db "$DB"; ls "$M/lib" "$M/snap"
cp "$M/lib/b1.jpg" "$M/lib/s.jpg"; cp --reflink=always "$M/lib/b2.jpg" "$M/lib/b3.jpg"
bs scan "$M/snap" --model none --workers 1 --db "$DB" 2>&1 | grep -o '^scanned.*reused)'
bs scan "$M/lib" --model none --workers 1 --db "$DB" 2>&1 | grep -o '^scanned.*reused)'
bs report --db "$DB" 2>&1 | grep '/s.jpg' | sed 's/^ *[0-9]* *\([a-z]*\) .*mnt\//\1 /; s/ *$//'
bs bursts "$M/lib" --db "$DB" 2>&1 | grep -o 'duplicate of .*'
''')
    assert ran.stdout.split("\n") == [
        "moved 2 photos", "batch 1: restored 2 files.",
        f"{tmp_path.resolve()}/mnt/lib:", "b1.jpg", "b2.jpg", "s.jpg", "", f"{tmp_path.resolve()}/mnt/snap:", "s.jpg",
        "scanned 1 file (0 unchanged, reused)", "scanned 4 files (2 unchanged, reused)",
        "blurry lib/s.jpg", "sharp snap/s.jpg", "duplicate of s.jpg (same size and content)",
        "duplicate of b2.jpg (same size and content)", ""], ran.stdout


@pytest.mark.slow
def test_a_subvolumes_photos_are_refused_up_front_when_the_home_trash_cannot_be_made(tmp_path):
    """The home trash cannot be made (a file where ``~/.local/share/Trash`` goes): a library in a subvolume of the
    home trash's file system is refused before anything is tried, in one line saying why, as a library beside the
    home trash is: its photos would go to the home trash, not to a ``.Trash-0`` at the file system's top."""
    ran = _btrfs(tmp_path, r'''
L="$HOME/Pictures"; mkdir -p "$L" "$HOME/.local/share"; sub create "$L/2024"; cp "$SRC"/*.jpg "$L/2024/"
bs scan "$L" --model none --workers 1 >/dev/null; touch "$HOME/.local/share/Trash"
bs trash "$L" --all-blurry --yes; echo "trash: $?"; ls -A "$M" "$L/2024"
''')
    home = tmp_path.resolve() / "mnt" / "home"
    trash = home / ".local" / "share" / "Trash"
    assert (f"Error: none of the 2 photos selected can be taken: cannot make the trash folder {trash}: {trash} is a "
            "file, not a folder; nothing was trashed\n") in ran.stderr, ran.stderr
    assert ran.stdout == f"trash: 1\n{home.parent}:\nhome\n\n{home}/Pictures/2024:\nb1.jpg\nb2.jpg\ns.jpg\n", ran.stdout
