"""A photo changed again, its size kept, in the very second (FAT: the two seconds) a scan read it, on a file system
that keeps times to the second: its modification *and* status-change times were those stored, so every later scan
reused the record of the bytes read before, a stale verdict (a blurred version's "blurry" for the sharp photo now
there, which ``move --all-blurry`` would take). A record read so soon after its file's last change keeps no
status-change time (:func:`blurscan.filetime.ctime_of`): the next scan compares the file's sample.

The file system is a real one: ext4 with 128-byte inodes (times to the second), on a loop device; skipped where
it cannot be made and mounted (not root, no mkfs.ext4, no loop devices)."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import time

import numpy as np
import pytest
from PIL import Image

from blurscan.config import ScanSettings
from blurscan.filetime import RACY_NS, ctime_of
from blurscan.pipeline import scan


@pytest.fixture
def second_drive(tmp_path):
    """A folder on a mounted ext4 file system keeping times to the second. ``mkfs.ext4`` is looked for in the
    system folders too: root's ``PATH`` lacks them where the run was started without a login shell's (``env -i``,
    ``su`` without ``-``), and the tests skipped there until 2026-12-07."""
    mkfs = shutil.which("mkfs.ext4", path=os.pathsep.join([os.environ.get("PATH", os.defpath), "/usr/sbin", "/sbin"]))
    if os.geteuid() != 0 or mkfs is None or shutil.which("mount") is None:
        pytest.skip("needs root, mkfs.ext4 and mount")
    image, mnt = tmp_path / "drive.img", tmp_path / "mnt"
    mnt.mkdir()
    with open(image, "wb") as f:
        f.truncate(16 << 20)
    made = subprocess.run([mkfs, "-q", "-F", "-I", "128", str(image)], capture_output=True)
    if made.returncode != 0 or subprocess.run(["mount", "-o", "loop", str(image), str(mnt)],
                                              capture_output=True).returncode != 0:
        pytest.skip("cannot make and mount an ext4 file system here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def _bmp(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="BMP")
    return buf.getvalue()


def test_a_photo_changed_in_the_second_it_was_scanned_is_scored_again(second_drive):
    import cv2

    sharp = np.random.default_rng(1).integers(0, 256, (96, 128, 3), dtype=np.uint8)
    blurred, now_sharp = _bmp(cv2.GaussianBlur(sharp, (0, 0), 5)), _bmp(sharp)
    assert len(blurred) == len(now_sharp)
    photo, db = second_drive / "IMG_0001.bmp", str(second_drive / ".blurscan.db")
    settings = ScanSettings(workers=1, model="none")
    for _attempt in range(3):  # (the scan must fall within the second the photo was written: tried again if not)
        time.sleep(1.02 - time.time() % 1)
        photo.write_bytes(blurred)
        before = os.stat(photo)
        (first,) = list(scan([str(photo)], settings, db=db))
        with open(photo, "r+b") as f:  # the photo saved again, in place: its size kept
            f.write(now_sharp)
        after = os.stat(photo)
        if (after.st_mtime_ns, after.st_ctime_ns) == (before.st_mtime_ns, before.st_ctime_ns):
            break
        os.unlink(photo)
        os.unlink(db)
    else:
        pytest.skip("the scan took more than the second the photo was written in")
    (again,) = list(scan([str(photo)], settings, db=db))
    assert not again.cached and again.laplacian_var > 100 * first.laplacian_var
    (third,) = list(scan([str(photo)], settings, db=db))
    assert third.cached and third.laplacian_var == again.laplacian_var


def test_a_coarse_status_change_time_is_stored_only_once_safely_past():
    class Stat:
        st_ctime_ns = 1_796_560_638 * 10**9

    assert ctime_of(Stat(), Stat.st_ctime_ns + RACY_NS - 1) is None  # FAT, ext with 128-byte inodes: maybe racy
    assert ctime_of(Stat(), Stat.st_ctime_ns + RACY_NS + 1) == Stat.st_ctime_ns
    assert ctime_of(Stat(), Stat.st_ctime_ns + 2_500_000_000) is None  # FAT's 2 s, rounded: a change 2.5 s on, unseen
    Stat.st_ctime_ns += 120_000_000  # exFAT keeps its times to 10 ms
    assert ctime_of(Stat(), Stat.st_ctime_ns + 5_000_000) is None
    Stat.st_ctime_ns += 123_456_789  # a fine-grained file system: a change after the read gives another time
    assert ctime_of(Stat(), Stat.st_ctime_ns) == Stat.st_ctime_ns


def test_a_photo_rescanned_in_its_second_and_changed_again_in_it_is_scored_again(second_drive):
    """The scan after a racy one compares the file's sample, and when that too falls within the second of the file's
    last change it stores no status-change time either: a change in that second (size kept) is seen by the next
    scan, not taken for the bytes read before (the sample check stored the time whatever it was)."""
    import cv2

    sharp = np.random.default_rng(2).integers(0, 256, (96, 128, 3), dtype=np.uint8)
    blurred, now_sharp = _bmp(cv2.GaussianBlur(sharp, (0, 0), 5)), _bmp(sharp)
    photo, db = second_drive / "IMG_0002.bmp", str(second_drive / ".blurscan.db")
    settings = ScanSettings(workers=1, model="none")
    for _attempt in range(3):  # (both scans and the change must fall within one second: tried again if not)
        time.sleep(1.02 - time.time() % 1)
        photo.write_bytes(blurred)
        before = os.stat(photo)
        (first,) = list(scan([str(photo)], settings, db=db))
        (checked,) = list(scan([str(photo)], settings, db=db))  # its sample compared: the same bytes, reused
        with open(photo, "r+b") as f:
            f.write(now_sharp)
        after = os.stat(photo)
        if (after.st_mtime_ns, after.st_ctime_ns) == (before.st_mtime_ns, before.st_ctime_ns):
            break
        os.unlink(photo)
        os.unlink(db)
    else:
        pytest.skip("the scans took more than the second the photo was written in")
    assert checked.cached and checked.laplacian_var == first.laplacian_var
    (again,) = list(scan([str(photo)], settings, db=db))
    assert not again.cached and again.laplacian_var > 100 * first.laplacian_var


def test_a_coarse_time_is_judged_at_the_read_not_at_the_end_of_a_slow_decoding(second_drive, monkeypatch):
    """Whether a coarse status-change time is too close to be stored is judged at the moment the file's bytes were
    read: a change just after the read, in the file's second, leaves both times as they were. Until 2026-12-07 it
    was judged once the decoding was over, and a decoding of seconds (a large RAW, or a loaded machine) read half
    a second after the file was written stored that time: a change during the decoding was never seen."""
    import blurscan.decode as decoding

    photo = second_drive / "IMG_0003.bmp"
    photo.write_bytes(_bmp(np.random.default_rng(3).integers(0, 256, (96, 128, 3), dtype=np.uint8)))
    changed = os.stat(photo).st_ctime_ns
    clock = [changed + 500_000_000]  # the bytes read half a second after the file's last change
    monkeypatch.setattr(time, "time_ns", lambda: clock[0])
    real_decode = decoding._decode_bytes

    def slow(*args, **kwargs):
        clock[0] += 4_000_000_000  # a decoding of 4 s
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(decoding, "_decode_bytes", slow)
    assert decoding.decode(str(photo), ScanSettings(model="none")).ctime_ns is None
    clock[0] = changed + RACY_NS + 1  # read once the file's second is safely past: its time is stored
    assert decoding.decode(str(photo), ScanSettings(model="none")).ctime_ns == changed
