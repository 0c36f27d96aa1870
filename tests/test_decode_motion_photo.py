"""A JPEG with data after its end marker (a motion photo's video) is decoded as the JPEG it holds
(blurscan.jpegend): damaged in the middle, it is an error record like the same JPEG without its video; whole, it
gives the same picture and baseline.

Such a file does not end with the marker, so it looked truncated and went to Pillow, whose libjpeg keeps its
warnings to itself: a damaged motion photo was scored like a photo (its grey lower part and all), and a whole one
got its baseline from a colour decode where the same JPEG alone gets it from its luma.
"""
from __future__ import annotations

import io
import json
import os

import numpy as np
import pytest
from PIL import Image

from blurscan import jpeg
from blurscan.decode import decode
from blurscan.errors import DecodeError
from blurscan.jpegend import picture, picture_end

from helpers_cli import cli
from helpers_images import photo

SIZE = (1200, 1600)
#: what a phone appends after the picture: an MP4 (Google's motion photos), here its box header and filler
VIDEO = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40


def _jpeg_bytes(progressive: bool = False) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(photo(None, SIZE)).save(buf, format="JPEG", quality=90, progressive=progressive)
    return buf.getvalue()


def _damaged(data: bytes, kind: str) -> bytes:
    """``data`` with 2000 bytes half-way overwritten by zeros (a blanked block of a memory card) or by random
    bytes without 0xFF (no stray marker)."""
    data = bytearray(data)
    rng = np.random.default_rng(3)
    junk = {"zeros": bytes(2000), "no-0xff": rng.integers(0, 255, 2000, dtype=np.uint8).tobytes()}[kind]
    half = len(data) // 2
    data[half:half + len(junk)] = junk
    return bytes(data)


@pytest.mark.parametrize("progressive", [False, True])
def test_the_picture_ends_at_its_own_end_marker(progressive):
    data = _jpeg_bytes(progressive)
    assert picture_end(data + VIDEO) == len(data)
    assert picture(data + VIDEO) == data
    assert picture(data) is data
    assert picture(data[:len(data) // 2]) is None  # truncated: no end marker
    assert picture(data[:len(data) // 2] + VIDEO) is None  # cut short, then the video: still no end marker


@pytest.mark.parametrize("kind", ["zeros", "no-0xff"])
@pytest.mark.parametrize("baseline,color", [(True, False), (True, True), (False, False), (False, True)])
def test_a_damaged_motion_photo_is_refused_like_the_same_jpeg_alone(tmp_path, monkeypatch, kind, baseline, color):
    monkeypatch.setattr(jpeg, "SILENCE_DECODER_STDERR", True)
    damaged = _damaged(_jpeg_bytes(), kind)
    alone, motion = tmp_path / "alone.jpg", tmp_path / "PXL_0001.MP.jpg"
    alone.write_bytes(damaged)
    motion.write_bytes(damaged + VIDEO)
    with pytest.raises(DecodeError) as want:
        decode(alone, baseline=baseline, color=color)
    with pytest.raises(DecodeError) as got:
        decode(motion, baseline=baseline, color=color)
    assert got.value.reason == want.value.reason
    assert got.value.reason.startswith("corrupt JPEG data: ")


@pytest.mark.parametrize("progressive", [False, True])
def test_a_whole_motion_photo_decodes_as_the_jpeg_it_holds(tmp_path, progressive):
    data = _jpeg_bytes(progressive)
    (tmp_path / "alone.jpg").write_bytes(data)
    (tmp_path / "motion.jpg").write_bytes(data + VIDEO)
    want, got = decode(tmp_path / "alone.jpg"), decode(tmp_path / "motion.jpg")
    assert got.laplacian_var == want.laplacian_var
    assert np.array_equal(got.gray, want.gray)
    assert (got.width, got.height, got.format) == (want.width, want.height, want.format)


def test_scan_gives_a_damaged_motion_photo_an_error_record(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    data = _jpeg_bytes()
    (folder / "PXL_0001.MP.jpg").write_bytes(data + VIDEO)
    (folder / "PXL_0002.MP.jpg").write_bytes(_damaged(data, "zeros") + VIDEO)
    done = cli("scan", folder, "--db", tmp_path / "lib.db", "--format", "jsonl", "--model", "none", "--workers", "1")
    assert done.returncode == 0, done.stderr
    records = {os.path.basename(r["path"]): r for r in map(json.loads, done.stdout.decode().splitlines())}
    assert records["PXL_0001.MP.jpg"]["status"] == "ok"
    bad = records["PXL_0002.MP.jpg"]
    assert bad["status"] == "error" and bad["verdict"] is None
    assert bad["error"] == "corrupt JPEG data: premature end of data segment"
    assert f"{folder / 'PXL_0002.MP.jpg'}: corrupt JPEG data: premature end of data segment" in done.stderr.decode()
