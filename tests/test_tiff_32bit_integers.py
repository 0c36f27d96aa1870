"""A TIFF of 32-bit integer samples (GIMP's "32-bit linear integer" export, a scientific camera's counts) is
judged and shown as its picture, or said unsupported where Pillow cannot give its samples. Pillow opens a grey one
in Intel byte order as mode ``I``, an unsigned one's bits as signed integers, and until 2026-12-06 it was read as
a 16-bit grey PNG is (clipped to 0..65535): a blurred photo scored ``sharp`` on noise, its thumbnail noise. A
colour one, or a grey one in Motorola byte order, which Pillow cannot open, was ``corrupt TIFF (cannot read
header)``, sending the user to look for damage in a whole file."""
from __future__ import annotations

import io

import numpy as np
import tifffile
from PIL import Image

from blurscan.decode import decode, thumbnail
from helpers_cli import jsonl, run
from helpers_images import blurred, textured

KEYS = ("verdict", "p_blurry", "laplacian_var", "laplacian_var_norm", "grid", "width", "height")


def _grey(seed=31, size=(300, 400)):
    picture = blurred(textured(seed=seed, size=size), 3)  # a blurred photo
    return np.ascontiguousarray(picture[..., 1])


def test_32_bit_integer_grey_tiffs_judged_and_shown_as_their_picture(tmp_path):
    grey = _grey()
    Image.fromarray(grey).save(tmp_path / "a_8bit.tif")
    wide = grey.astype(np.uint32) * 16843009  # (2**32 - 1) / 255: the same values over 32 bits' full range
    tifffile.imwrite(tmp_path / "b_32bit.tif", wide)
    tifffile.imwrite(tmp_path / "c_32bit_zip.tif", wide, compression="zlib")  # (read by libtiff)
    tifffile.imwrite(tmp_path / "d_32bit_signed.tif", (grey.astype(np.int32) * 8421504))  # 0..2**31 - 1
    result = run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    rows = sorted(jsonl(result.stdout), key=lambda r: r["path"])
    assert [r["status"] for r in rows] == ["ok"] * 4, [r.get("error") for r in rows]
    assert rows[0]["verdict"] == "blurry"
    for row in rows[1:]:
        for key in KEYS:
            assert row[key] == rows[0][key], (row["path"], key)  # (main: sharp, laplacian_var ~ 9,000)
    alone = decode(tmp_path / "a_8bit.tif").gray
    shown_alone = np.asarray(Image.open(io.BytesIO(thumbnail(tmp_path / "a_8bit.tif", 400))).convert("L"))
    for name in ("b_32bit.tif", "c_32bit_zip.tif", "d_32bit_signed.tif"):
        assert np.array_equal(decode(tmp_path / name).gray, alone), name
        shown = np.asarray(Image.open(io.BytesIO(thumbnail(tmp_path / name, 400))).convert("L"))
        assert np.abs(shown.astype(int) - shown_alone).mean() < 1, name  # (main: noise, some 140 levels off)


def test_32_bit_integer_tiffs_pillow_cannot_read_are_said_unsupported_not_corrupt(tmp_path):
    rgb = blurred(textured(seed=32, size=(200, 300)), 2).astype(np.uint32) * 16843009
    tifffile.imwrite(tmp_path / "colour.tif", rgb, photometric="rgb")
    tifffile.imwrite(tmp_path / "grey_big_endian.tif", rgb[..., 0], byteorder=">")
    tifffile.imwrite(tmp_path / "grey_float.tif", rgb[..., 0].astype(np.float32) / 2**32)  # (read, as before)
    rows = {r["path"].rsplit("/", 1)[-1]: r for r in jsonl(run(
        "scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl", "--model", "none").stdout)}
    hint = "; blurscan reads 8- and 16-bit integer TIFFs and 32-bit grey ones in little-endian (Intel) byte order: " \
           "save it as 16-bit)"
    assert rows["colour.tif"]["error"] == "unsupported TIFF: 32-bit integer samples (3 per pixel" + hint
    assert rows["grey_big_endian.tif"]["error"] == \
        "unsupported TIFF: 32-bit integer samples (1 per pixel in big-endian byte order" + hint
    assert rows["grey_float.tif"]["status"] == "ok"
