"""A 16-bit grey TIFF stored white-is-zero (PhotometricInterpretation 0, "MinIsWhite": 0 is white, 65535 black,
as some scanning and document software write grey) is judged and shown as the picture it holds. Pillow inverts an
8-bit one as it reads it but opens a little-endian 16-bit one as its stored values: until 2026-12-06 such a scan
was scored as its negative (a sharp photo ``partial`` where the same picture stored black-is-zero is ``sharp``)
and the review page showed a negative. Pillow cannot open a big-endian one at all: it was
``corrupt TIFF (cannot read header)``, sending the user to look for damage in a whole file."""
from __future__ import annotations

import io

import numpy as np
import tifffile
from PIL import Image

from blurscan.decode import thumbnail
from helpers_cli import jsonl, run
from helpers_images import blurred, textured

KEYS = ("verdict", "p_blurry", "laplacian_var", "laplacian_var_norm", "grid", "width", "height")


def _grey(seed=21, size=(300, 400)):
    picture = blurred(textured(seed=seed, size=size), 2.5)
    picture[:, size[1] // 2:] = textured(seed=seed + 1, size=size)[:, size[1] // 2:]  # half sharp
    return picture[..., 1]


def test_16_bit_white_is_zero_judged_and_shown_as_its_picture(tmp_path):
    grey = _grey()
    deep = grey.astype(np.uint16) * 257  # exact 8-bit values
    Image.fromarray(grey).save(tmp_path / "a_black_is_zero_8bit.tif")
    tifffile.imwrite(tmp_path / "b_white_is_zero_16bit.tif", 65535 - deep, photometric="miniswhite")
    tifffile.imwrite(tmp_path / "c_white_is_zero_16bit_zip.tif", 65535 - deep, photometric="miniswhite",
                     compression="zlib")
    tifffile.imwrite(tmp_path / "d_white_is_zero_8bit.tif", 255 - grey, photometric="miniswhite")
    result = run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    rows = sorted(jsonl(result.stdout), key=lambda r: r["path"])
    assert [r["status"] for r in rows] == ["ok"] * 4
    for row in rows[1:]:
        for key in KEYS:
            assert row[key] == rows[0][key], (row["path"], key)
    alone = np.asarray(Image.open(io.BytesIO(thumbnail(tmp_path / "a_black_is_zero_8bit.tif", 400))).convert("L"))
    for name in ("b_white_is_zero_16bit.tif", "c_white_is_zero_16bit_zip.tif"):
        shown = np.asarray(Image.open(io.BytesIO(thumbnail(tmp_path / name, 400))).convert("L"))
        assert np.abs(shown.astype(int) - alone).mean() < 1, name  # (a negative: some 100 levels off)


def test_16_bit_white_is_zero_big_endian_is_said_unsupported_not_corrupt(tmp_path):
    tifffile.imwrite(tmp_path / "scan.tif", 65535 - _grey().astype(np.uint16) * 257, photometric="miniswhite",
                     byteorder=">")
    (row,) = jsonl(run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl",
                       "--model", "none").stdout)
    assert row["status"] == "error"
    assert row["error"].startswith("unsupported TIFF: 16-bit grey stored white-is-zero"), row["error"]
