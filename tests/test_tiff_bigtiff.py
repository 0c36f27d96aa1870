"""A BigTIFF (the 64-bit offsets TIFF that scanning and digitisation software, GDAL and tifffile write for large
scans, and some always) in Intel byte order is read as the TIFF it is: Pillow reads it, and until 2026-12-06
blurscan refused every one by its signature, ``unsupported format (BigTIFF)``, so a library of scans saved so was
nothing but error records. A big-endian one, which Pillow 13 cannot read, says so (it was ``not an image (unknown
file signature)``)."""
from __future__ import annotations

import io

import numpy as np
import tifffile
from PIL import Image

from blurscan.decode import thumbnail
from helpers_cli import jsonl, run
from helpers_images import blurred, textured

KEYS = ("status", "verdict", "p_blurry", "laplacian_var", "laplacian_var_norm", "grid", "width", "height", "format")


def test_bigtiff_scored_as_the_same_classic_tiff(tmp_path, order="<"):
    picture = blurred(textured(seed=31, size=(300, 400)), 2.5)
    picture[:, 200:] = textured(seed=32, size=(300, 400))[:, 200:]
    deep = picture.astype(np.uint16) * 257
    tifffile.imwrite(tmp_path / "a_classic.tif", picture, byteorder=order)
    tifffile.imwrite(tmp_path / "b_big.tif", picture, byteorder=order, bigtiff=True)
    tifffile.imwrite(tmp_path / "c_big_16bit_zip.tif", deep, byteorder=order, bigtiff=True, compression="zlib")
    tifffile.imwrite(tmp_path / "d_big_16bit_planes.tif", np.ascontiguousarray(deep.transpose(2, 0, 1)),
                     byteorder=order, bigtiff=True, photometric="rgb", planarconfig="separate")
    result = run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    rows = sorted(jsonl(result.stdout), key=lambda r: r["path"])
    assert rows[0]["status"] == "ok" and len(rows) == 4
    for row in rows[1:]:
        for key in KEYS:
            assert row[key] == rows[0][key], (row["path"], key, row.get("error"))
    shown = np.asarray(Image.open(io.BytesIO(thumbnail(tmp_path / "b_big.tif", 400))).convert("RGB"))
    alone = np.asarray(Image.open(io.BytesIO(thumbnail(tmp_path / "a_classic.tif", 400))).convert("RGB"))
    assert np.array_equal(shown, alone)


def test_bigtiff_whose_first_image_is_a_thumbnail_judged_from_its_picture(tmp_path):
    picture = blurred(textured(seed=33, size=(300, 400)), 4)
    with tifffile.TiffWriter(tmp_path / "scan.tif", bigtiff=True) as tif:
        tif.write(textured(seed=34, size=(60, 80)), subfiletype=1)  # a sharp reduced-resolution image first
        tif.write(picture)
    (row,) = jsonl(run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl").stdout)
    assert (row["status"], row["width"], row["height"]) == ("ok", 400, 300)


def test_big_endian_bigtiff_said_unsupported(tmp_path):
    tifffile.imwrite(tmp_path / "scan.tif", textured(seed=35, size=(60, 80)), byteorder=">", bigtiff=True)
    (row,) = jsonl(run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl").stdout)
    assert row["status"] == "error"
    assert row["error"].startswith("unsupported format (big-endian BigTIFF, which Pillow does not read"), row["error"]
