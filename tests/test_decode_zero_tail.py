"""A JPEG whose data stops part way and whose file is filled up with zero bytes to its full size: a photo that a
sync tool or a downloader is still writing in place (space reserved first, filled in as the data comes), or a
copy cut short after its size was set (an interrupted copy that set the size first). libjpeg reads zero bytes as
image data, so the picture's lower part came out grey garbage and was scored (``blurry`` at p_blurry 0.71 for a
20 MB photo half written, until 2026-12-06); it is a ``truncated JPEG``, as the same file without the zeros is."""
from __future__ import annotations

import json

import numpy as np
from PIL import Image

from blurscan.decode import decode
from blurscan.errors import DecodeError

from helpers_cli import run
from helpers_images import textured


def _noisy_jpeg(path, mode="RGB"):
    """A JPEG heavy enough per block that half its data's worth of zero bytes decodes into the rest of it."""
    rng = np.random.default_rng(3)
    img = np.clip(textured(3, (480, 640)).astype(int) + rng.normal(0, 40, (480, 640, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(img).convert(mode).save(path, format="JPEG", quality=97)
    return path.read_bytes()


def _zero_filled(path, data, share=0.5):
    """``path`` at ``data``'s full size, the first ``share`` of it written, the rest zero bytes."""
    cut = int(len(data) * share)
    path.write_bytes(data[:cut] + bytes(len(data) - cut))


def test_zero_filled_tail_is_a_truncated_jpeg(tmp_path):
    for mode in ("RGB", "L", "CMYK"):  # (CMYK is decoded by Pillow, the others by libjpeg through OpenCV)
        data = _noisy_jpeg(tmp_path / f"whole-{mode}.jpg", mode)
        path = tmp_path / f"IMG_{mode}.jpg"
        _zero_filled(path, data)
        try:
            decode(path)
        except DecodeError as exc:
            assert exc.reason.startswith("truncated JPEG"), exc.reason
        else:
            raise AssertionError(f"{mode}: a half-written JPEG was decoded")


def test_whole_jpeg_with_zero_padding_is_still_read(tmp_path):
    """Zero bytes after the end marker are padding (some writers leave it): the picture is whole."""
    data = _noisy_jpeg(tmp_path / "whole.jpg")
    padded = tmp_path / "padded.jpg"
    padded.write_bytes(data + bytes(5000))
    assert decode(padded).width == 640


def test_scan_stores_no_verdict_for_a_file_being_written(tmp_path):
    """``blurscan scan`` while a sync tool writes a photo in place: an error record, no verdict; once the file is
    whole (its time set to the remote's, as sync tools do), the next scan scores it."""
    lib = tmp_path / "Sync"
    lib.mkdir()
    data = _noisy_jpeg(tmp_path / "whole.jpg")
    path = lib / "IMG_0001.jpg"
    _zero_filled(path, data)
    out = run("scan", lib, "--format", "jsonl")
    rec = json.loads(out.stdout.splitlines()[0])
    assert rec["status"] == "error" and rec["error"].startswith("truncated JPEG"), rec
    assert "IMG_0001.jpg" in out.stderr
    path.write_bytes(data)
    rec = json.loads(run("scan", lib, "--format", "jsonl").stdout.splitlines()[0])
    assert rec["status"] == "ok" and rec["verdict"] in ("sharp", "partial", "blurry"), rec


def test_a_jpeg_cut_short_without_zeros_is_not_said_zero_filled(tmp_path):
    """A file cut short (an interrupted copy that never set its size) is a ``truncated JPEG`` as before: the
    note of zero bytes and a file still being written is for a file that runs into zeros alone."""
    data = _noisy_jpeg(tmp_path / "whole.jpg")
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[:len(data) // 2])
    try:
        decode(cut)
    except DecodeError as exc:
        assert exc.reason == "truncated JPEG", exc.reason
    else:
        raise AssertionError("a JPEG cut in half was decoded")


def test_a_block_of_zeros_inside_is_told_by_libjpeg_not_by_the_zeros(tmp_path):
    """A JPEG downloaded out of order (a block of zero bytes inside, its end marker in place) is ``corrupt JPEG
    data`` from libjpeg's own words; a long run of zero bytes is no sign of one: a valid JPEG of a flat picture
    with optimised Huffman tables (the all-zero code for "no change") holds one, and is read."""
    data = bytearray(_noisy_jpeg(tmp_path / "whole.jpg"))
    n = len(data)
    data[n // 3:n // 2] = bytes(n // 2 - n // 3)
    holed = tmp_path / "holed.jpg"
    holed.write_bytes(bytes(data))
    try:
        decode(holed)
    except DecodeError as exc:
        assert exc.reason.startswith("corrupt JPEG data"), exc.reason
    else:
        raise AssertionError("a JPEG with a block of zeros inside was decoded")
    flat = tmp_path / "flat.jpg"
    Image.new("L", (2000, 1500), 3).save(flat, format="JPEG", optimize=True)
    assert b"\x00" * 4096 in flat.read_bytes()[:-2]
    assert decode(flat).width == 2000
