"""A TIFF whose samples lie in separate planes (PlanarConfiguration 2, as scientific and some scanning software
write RGB), 16 bits each and uncompressed, is judged as the same picture stored interleaved or in 8 bits. Pillow
reads such a file itself, each plane with an 8-bit reader: until 2026-12-06 the picture came out striped (each row
two half rows of its plane's bytes) and was scored so: a sharp photo ``partial``, a blurred one's
``laplacian_var`` some 60 times its own; the review page's thumbnail was striped too."""
from __future__ import annotations

import io

import numpy as np
import pytest
import tifffile
from PIL import Image

from blurscan.decode import thumbnail
from helpers_cli import jsonl, run
from helpers_images import blurred, textured

KEYS = ("verdict", "p_blurry", "laplacian_var", "laplacian_var_norm", "grid", "width", "height")


@pytest.mark.parametrize("order", ["<", ">"])
def test_16_bit_separate_planes_judged_as_the_interleaved_picture(tmp_path, order):
    picture = blurred(textured(seed=11, size=(300, 400)), 2.5)
    picture[:, 200:] = textured(seed=12, size=(300, 400))[:, 200:]  # half sharp: a picture with detail to spoil
    planes = np.ascontiguousarray(picture.transpose(2, 0, 1)).astype(np.uint16) * 257  # exact 8-bit values
    Image.fromarray(picture).save(tmp_path / "a_interleaved_8bit.tif")
    tifffile.imwrite(tmp_path / "b_planes_16bit.tif", planes, planarconfig="separate", photometric="rgb",
                     byteorder=order)
    # turned by its orientation tag (6: stored turned a quarter the other way), it is the same picture upright
    turned = np.ascontiguousarray(np.rot90(planes, 1, axes=(1, 2)))
    tifffile.imwrite(tmp_path / "c_planes_16bit_turned.tif", turned, planarconfig="separate", photometric="rgb",
                     byteorder=order, extratags=[(274, "H", 1, 6, True)])
    tifffile.imwrite(tmp_path / "d_planes_8bit.tif", np.ascontiguousarray(picture.transpose(2, 0, 1)),
                     planarconfig="separate", photometric="rgb")
    for model in ("default", "none"):
        result = run("scan", tmp_path, "--db", tmp_path / f"{model}.db", "--workers", "1", "--format", "jsonl",
                     "--model", model)
        rows = sorted(jsonl(result.stdout), key=lambda r: r["path"])
        assert [r["status"] for r in rows] == ["ok"] * 4
        for row in rows[1:]:
            for key in KEYS:
                assert row[key] == rows[0][key], (row["path"], key, model)
    shown = np.asarray(Image.open(io.BytesIO(thumbnail(tmp_path / "b_planes_16bit.tif", 400))).convert("RGB"))
    alone = np.asarray(Image.open(io.BytesIO(thumbnail(tmp_path / "a_interleaved_8bit.tif", 400))).convert("RGB"))
    assert np.abs(shown.astype(int) - alone).mean() < 1


@pytest.mark.parametrize("planar", ["contig", "separate"])
def test_16_bit_grey_with_alpha_is_said_unsupported_not_corrupt(tmp_path, planar):
    # Pillow has no 16-bit grey+alpha mode and refuses the file; until 2026-12-06 that whole file was
    # "corrupt TIFF (cannot read header)", sending the user to look for damage
    grey = (textured(seed=13, size=(120, 160))[..., 0].astype(np.uint16) * 257)
    opaque = np.full_like(grey, 65535)
    samples = np.stack([grey, opaque]) if planar == "separate" else np.dstack([grey, opaque])
    tifffile.imwrite(tmp_path / "mask.tif", samples, photometric="minisblack", planarconfig=planar,
                     extrasamples=["unassalpha"])
    (row,) = jsonl(run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl",
                       "--model", "none").stdout)
    assert row["status"] == "error"
    assert row["error"].startswith("unsupported TIFF: 16-bit grey with alpha (2 samples of 16 bits per pixel")
