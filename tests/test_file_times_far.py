"""Photos whose modification time lies past 2262-04-11, the end of nanoseconds in a signed 64-bit integer (SQLite's
integers): ext4, XFS and btrfs keep such times (``touch -d 2300-01-01``). Until 2026-12-06 the first scan that met
one stopped with an OverflowError traceback, the photos after it unscanned. Through the real command line."""
from __future__ import annotations

import os

import pytest
from PIL import Image, ImageFilter

from helpers_cli import jsonl, run
from helpers_images import scene
from helpers_library import decide_as_shown

FAR_NS = 10_000_000_000 * 10**9  # 2286-11-20 17:46:40 UTC
INT64_MAX = 2**63 - 1  # 2262-04-11 23:47:16.854775807 UTC


def _photo(path, seed: int, *, blurred: bool = False, mtime_ns: int | None = None):
    img = Image.fromarray(scene(seed))
    (img.filter(ImageFilter.GaussianBlur(8)) if blurred else img).save(path, format="JPEG", quality=90)
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def _far_library(tmp_path, far_ns: int = FAR_NS):
    """``lib`` with a sharp photo of today and a blurry one of 2286; skipped where the file system cannot keep
    that time (tmpfs, ext4 with 128-byte inodes)."""
    lib = tmp_path / "lib"
    lib.mkdir()
    _photo(lib / "a.jpg", 1)
    far = _photo(lib / "far.jpg", 2, blurred=True, mtime_ns=far_ns)
    if os.stat(far).st_mtime_ns <= INT64_MAX:
        pytest.skip("this file system keeps no time past 2262")
    return lib, far


@pytest.mark.parametrize("fraction_ns", [0, 123_456_789])  # (whole seconds: also looked up as a FAT copy's time)
def test_a_photo_dated_past_2262_is_scored_and_found_unchanged_by_the_next_scan(tmp_path, fraction_ns):
    lib, far = _far_library(tmp_path, FAR_NS + fraction_ns)
    first = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert first.exit_code == 0, first.output
    records = {r["path"].rsplit("/", 1)[-1]: r for r in jsonl(first.stdout)}
    assert {name: r["status"] for name, r in records.items()} == {"a.jpg": "ok", "far.jpg": "ok"}
    assert records["far.jpg"]["verdict"] == "blurry"
    again = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert again.exit_code == 0, again.output
    assert "(2 unchanged, reused)" in again.stderr


def test_a_discarded_photo_dated_past_2262_is_moved_and_put_back_with_its_time_and_decision(tmp_path):
    lib, far = _far_library(tmp_path)
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    decide_as_shown(lib / ".blurscan.db", far, "discard")
    when = os.stat(far).st_mtime_ns
    moved = run("move", lib, "--to", tmp_path / "rej", "--yes")
    assert moved.exit_code == 0, moved.output
    assert (tmp_path / "rej" / "far.jpg").exists() and not far.exists()
    undone = run("undo", lib)
    assert undone.exit_code == 0, undone.output
    assert os.stat(far).st_mtime_ns == when
    # put back as it was: still the photo scanned and decided on, so the dry run would take it again
    again = run("move", lib, "--to", tmp_path / "rej2")
    assert again.exit_code == 0, again.output
    assert "far.jpg" in again.output and "changed since" not in again.output
