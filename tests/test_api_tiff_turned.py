"""score_image of a Pillow image of a TIFF turned by its orientation tag (5-8), opened from its file name, gives the
record `blurscan scan` gives the file. Pillow 13 turns a TIFF upright as it loads it, but it memory-maps an
uncompressed grey, 16-bit, RGBA or CMYK TIFF opened by name with the turned size over the stored rows: until
2026-12-06 such an image, passed as opened, was scored as a scramble of its pixels (a sharp photo `blurry`,
laplacian_var 30 times its file's). The scan reads the file's bytes, which Pillow does not map."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

import blurscan
from helpers_cli import jsonl, run
from helpers_images import textured

FIGURES = ("verdict", "p_blurry", "laplacian_var", "laplacian_var_norm", "tenengrad", "width", "height")


def _tiff(path, mode: str, orientation: int):
    rgb = textured(3, (200, 300))
    im = Image.fromarray(rgb)
    if mode == "I;16":
        im = Image.fromarray(np.asarray(im.convert("L")).astype(np.uint16) * 257)
    elif mode != "RGB":
        im = im.convert(mode)
    exif = Image.Exif()
    exif[0x0112] = orientation
    im.save(path, exif=exif)  # uncompressed, Pillow's default
    return path


@pytest.mark.parametrize("mode, orientation", [("L", 6), ("L", 5), ("I;16", 8), ("RGBA", 7), ("CMYK", 6), ("RGB", 8)])
def test_a_turned_tiff_opened_by_name_scores_as_its_file(tmp_path, mode, orientation):
    path = _tiff(tmp_path / "turned.tif", mode, orientation)
    (scanned,) = jsonl(run("scan", path, "--db", tmp_path / "t.db", "--format", "jsonl").stdout)
    assert (scanned["width"], scanned["height"]) == (200, 300)  # upright: the stored 300 x 200 turned
    with Image.open(path) as im:
        opened = blurscan.score_image(im).to_json()
    assert {k: opened[k] for k in FIGURES} == {k: scanned[k] for k in FIGURES}


def test_the_image_given_is_left_as_it_was_opened(tmp_path):
    """blurscan loads the image without the memory map for its own reading; the caller's object keeps its name."""
    path = _tiff(tmp_path / "turned.tif", "L", 6)
    with Image.open(path) as im:
        blurscan.score_image(im)
        assert im.filename == str(path) and im.size == (200, 300)
        assert np.asarray(im).shape == (300, 200)
