"""A photo or sidecar whose path fits the system's limit (``PATH_MAX``: 4,095 bytes) but with a short name within a
few bytes of it: its temporary file (``.~DIGEST.blurscan-TAG.part``, written first beside it) cannot be cut short
enough, and its path is longer than the system takes. Until 2026-12-06 the dry run promised the sidecar, or the
move across drives, and ``--yes`` failed it, "file name too long"; planning now refuses it, as a destination
path too long."""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from helpers_cli import run
from helpers_library import other_device_dir
from test_path_limits import SEGMENT, _library


def _folder(root: Path, length: int) -> Path:
    """A folder under ``root`` whose path is ``length`` bytes, made (folders of 250 bytes, then a shorter one)."""
    folder = root
    while len(os.fsencode(str(folder))) + 1 + 250 + 1 + 20 <= length:
        folder = folder / SEGMENT
    folder = folder / ("e" * (length - len(os.fsencode(str(folder))) - 1))
    folder.mkdir(parents=True)
    assert len(os.fsencode(str(folder))) == length
    return folder


def test_tag_refuses_a_sidecar_whose_temporary_file_would_not_fit(tmp_path):
    root = tmp_path / "lib"
    photo = _folder(root, 4080) / "a.jpg"  # a.jpg.xmp: 4,090 bytes, fits; its temporary file cannot
    _library(root, [photo, root / "top.jpg"])
    for mode in ("--dry-run", "--yes"):
        out = run("tag", "--xmp", root, mode)
        assert "a.jpg.xmp: cannot be written: its temporary file's path too long: " in out.output, out.output
        assert "longer than the system takes (4,095); left untouched" in out.output, out.output
        assert "file name too long" not in out.output and "tag" in out.output, out.output
    assert not os.path.exists(str(photo) + ".xmp") and os.listdir(photo.parent) == ["a.jpg"]
    assert (root / "top.jpg.xmp").exists()


@pytest.fixture
def shm_dest(tmp_path):
    shm = other_device_dir()
    if shm is None:
        pytest.skip("no folder on another device than the test folders (/dev/shm)")
    top = shm / f"blurscan-test-{uuid.uuid4().hex}"
    top.mkdir()
    yield top
    shutil.rmtree(top, ignore_errors=True)


def test_move_across_drives_refuses_a_photo_whose_temporary_copy_would_not_fit(tmp_path, shm_dest):
    root = tmp_path / "lib"
    dest = shm_dest / ("r" * (len(os.fsencode(str(root))) - len(os.fsencode(str(shm_dest))) - 1))
    assert len(os.fsencode(str(dest))) == len(os.fsencode(str(root)))  # (the same lengths there)
    photo = _folder(root, 4080) / "a.jpg"  # its destination 4,086 bytes: fits; its temporary copy's cannot
    _library(root, [photo, root / "top.jpg"])
    out = run("move", "--to", dest, root)
    assert out.exit_code == 0, out.output
    assert "destination path too long for its temporary copy across drives: " in out.output, out.output
    assert "longer than the system takes (4,095) (a shorter --to makes room)" in out.output, out.output
    assert "would move top.jpg" in out.output and out.output.count("would move") == 1, out.output
    out = run("move", "--to", dest, root, "--yes")
    assert "failed" not in out.output and "moved 1 photo" in out.output and "1 skipped" in out.output, out.output
    assert photo.exists() and not (root / "top.jpg").exists() and sorted(os.listdir(dest)) == ["top.jpg"]


def test_move_on_one_drive_is_not_refused_for_a_temporary_copy_it_does_not_make(tmp_path):
    # the same photo and destination lengths as above, on one drive: renamed, no temporary copy, not refused
    root = tmp_path / "lib"
    dest = tmp_path / ("r" * (len(os.fsencode(str(root))) - len(os.fsencode(str(tmp_path))) - 1))
    assert len(os.fsencode(str(dest))) == len(os.fsencode(str(root)))
    photo = _folder(root, 4080) / "a.jpg"
    _library(root, [photo, root / "top.jpg"])
    out = run("move", "--to", dest, root)
    assert out.exit_code == 0, out.output
    assert "too long" not in out.output and out.output.count("would move") == 2, out.output
    out = run("move", "--to", dest, root, "--yes")
    assert "failed" not in out.output and "moved 2 photos" in out.output, out.output
    assert not photo.exists() and (dest / photo.relative_to(root)).exists()
