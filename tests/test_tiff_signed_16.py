"""A grey TIFF of signed 16-bit integers (SampleFormat 2, as some scientific and medical software write grey) is
judged and shown as the picture it holds: 0..32767 its range, negative values black, as a signed 32-bit TIFF's
0..2**31-1. Pillow gives its values as they are (mode ``I``), and until 2026-12-07 they were read as a 16-bit
PNG's 0..65535: the picture came out half as bright, scored on a quarter of its detail (``laplacian_var`` 4 times
lower, another ``p_blurry``) and shown dark on the review page."""
from __future__ import annotations

import io

import numpy as np
import tifffile
from PIL import Image

import blurscan
from blurscan.decode import thumbnail
from helpers_cli import jsonl, run
from helpers_images import blurred, textured

KEYS = ("verdict", "p_blurry", "laplacian_var", "laplacian_var_norm", "grid", "width", "height")


def _grey(seed=21, size=(300, 400)):
    picture = blurred(textured(seed=seed, size=size), 2.5)
    picture[:, size[1] // 2:] = textured(seed=seed + 1, size=size)[:, size[1] // 2:]  # half sharp
    return picture[..., 1]


def _signed(grey):
    return (grey.astype(np.int32) * 32767 // 255).astype(np.int16)  # (each 8-bit value comes back exactly)


def test_signed_16_bit_grey_judged_and_shown_as_its_picture(tmp_path):
    grey = _grey()
    Image.fromarray(grey).save(tmp_path / "a_8bit.tif")
    tifffile.imwrite(tmp_path / "b_signed_16bit.tif", _signed(grey))
    tifffile.imwrite(tmp_path / "c_signed_16bit_big_endian.tif", _signed(grey), byteorder=">")
    tifffile.imwrite(tmp_path / "d_signed_16bit_zip.tif", _signed(grey), compression="zlib")  # (libtiff's)
    result = run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    rows = sorted(jsonl(result.stdout), key=lambda r: r["path"])
    assert [r["status"] for r in rows] == ["ok"] * 4
    for row in rows[1:]:
        for key in KEYS:
            assert row[key] == rows[0][key], (row["path"], key)  # (laplacian_var a quarter of it before)
    alone = np.asarray(Image.open(io.BytesIO(thumbnail(tmp_path / "a_8bit.tif", 400))).convert("L"))
    shown = np.asarray(Image.open(io.BytesIO(thumbnail(tmp_path / "b_signed_16bit.tif", 400))).convert("L"))
    assert np.abs(shown.astype(int) - alone).mean() < 1  # (half as bright: some 60 levels off)


def test_signed_16_bit_negative_values_are_black_and_a_pillow_image_is_read_as_its_file(tmp_path):
    grey = _grey(seed=5)
    stored = _signed(grey)
    stored[:40] = -20000  # (a band below zero: black, as 0 is)
    tifffile.imwrite(tmp_path / "signed.tif", stored)
    shown = grey.copy()
    shown[:40] = 0
    Image.fromarray(shown).save(tmp_path / "same.png")
    by_file = blurscan.score_image(tmp_path / "signed.tif")
    with Image.open(tmp_path / "signed.tif") as im:
        by_image = blurscan.score_image(im)
    same = blurscan.score_image(tmp_path / "same.png")
    for record in (by_file, by_image):
        assert (record.laplacian_var, record.p_blurry, record.verdict) == \
            (same.laplacian_var, same.p_blurry, same.verdict)


def test_signed_integers_pillow_cannot_read_are_named_not_called_corrupt(tmp_path):
    # colour, or stored white-is-zero: Pillow does not open them, and until 2026-12-07 the file, whole, was
    # "corrupt TIFF (cannot read header)"; a grey one is read (above)
    grey = _grey(seed=8, size=(120, 160))
    colour = np.dstack([_signed(grey)] * 3)
    tifffile.imwrite(tmp_path / "colour.tif", colour, photometric="rgb")
    tifffile.imwrite(tmp_path / "colour_planes_big_endian.tif", np.moveaxis(colour, 2, 0), photometric="rgb",
                     planarconfig="separate", byteorder=">")
    tifffile.imwrite(tmp_path / "colour_8.tif", (np.dstack([grey] * 3) // 2).astype(np.int8), photometric="rgb")
    tifffile.imwrite(tmp_path / "white_is_zero.tif", _signed(255 - grey), photometric="miniswhite")
    result = run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    rows = {r["path"].rsplit("/", 1)[1]: r for r in jsonl(result.stdout)}
    said = "signed integers in black-is-zero grey only: save it as unsigned 8- or 16-bit)"
    assert rows["colour.tif"]["error"] == f"unsupported TIFF: signed 16-bit integer samples (3 per pixel; blurscan reads {said}"
    assert rows["colour_planes_big_endian.tif"]["error"] == rows["colour.tif"]["error"]
    assert rows["colour_8.tif"]["error"].startswith("unsupported TIFF: signed 8-bit integer samples (3 per pixel;")
    assert rows["white_is_zero.tif"]["error"] == ("unsupported TIFF: signed 16-bit integer samples (1 per pixel, "
                                                  f"stored white-is-zero; blurscan reads {said}")
    assert "colour.tif: unsupported TIFF: signed 16-bit" in result.stderr


def test_signed_8_bit_grey_judged_and_shown_as_its_picture(tmp_path):
    # Pillow gives a signed 8-bit grey TIFF's bytes as they are: until 2026-12-07 0..127 was read as 0..127 of
    # 255 (half as bright) and -1 as white
    grey = _grey(seed=13)
    halved = (grey // 2) * 2  # (what 0..127 holds)
    stored = (halved // 2).astype(np.int8)
    stored[:30] = -1  # (a band below zero: black)
    halved[:30] = 0
    Image.fromarray(halved).save(tmp_path / "a_same.png")
    tifffile.imwrite(tmp_path / "b_signed_8bit.tif", stored)
    result = run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    rows = sorted(jsonl(result.stdout), key=lambda r: r["path"])
    assert [r["status"] for r in rows] == ["ok"] * 2
    for key in KEYS:
        assert rows[1][key] == rows[0][key], key
    alone = np.asarray(Image.open(io.BytesIO(thumbnail(tmp_path / "a_same.png", 400))).convert("L"))
    shown = np.asarray(Image.open(io.BytesIO(thumbnail(tmp_path / "b_signed_8bit.tif", 400))).convert("L"))
    assert np.abs(shown.astype(int) - alone).mean() < 1


def test_a_signed_32_bit_grey_of_16_bit_values_is_no_signed_16_bit_one(tmp_path):
    """A signed 32-bit TIFF whose values are within 16 bits' (0..65535) is read as those 16 bits, as before:
    the 16-bit reading (values past 32767 as negative, black) is for 16-bit samples alone."""
    grey = _grey(seed=9)
    Image.fromarray(grey).save(tmp_path / "a_8bit.tif")
    tifffile.imwrite(tmp_path / "b_signed_32bit.tif", grey.astype(np.int32) * 257)
    rows = sorted(jsonl(run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format",
                            "jsonl").stdout), key=lambda r: r["path"])
    assert [r["status"] for r in rows] == ["ok"] * 2
    for key in KEYS:
        assert rows[1][key] == rows[0][key], key
