"""A TIFF whose first image is a reduced-resolution one (NewSubfileType bit 0: a thumbnail that some writers put in
IFD0, the picture after it) is judged from its full-resolution image, as the same picture saved alone is. Until
2026-12-05 Pillow's first image was judged: a blurred 480 x 360 photo behind a 120 x 90 thumbnail scored from the
thumbnail (far sharper at its size), at 120 x 90 px; the review page showed the thumbnail too."""
from __future__ import annotations

import io

import cv2
import pytest
import tifffile
from PIL import Image

from blurscan.decode import thumbnail
from blurscan.tiffkind import PAGES_LOOKED_AT
from helpers_cli import jsonl, run
from helpers_images import blurred, textured


def test_a_tiff_with_its_thumbnail_first_is_judged_from_its_picture(tmp_path):
    picture = blurred(textured(seed=7, size=(360, 480)), 3.0)
    small = cv2.resize(picture, (120, 90), interpolation=cv2.INTER_AREA)
    Image.fromarray(picture).save(tmp_path / "a_alone.tif")
    with tifffile.TiffWriter(tmp_path / "b_thumbnail_first.tif") as tif:
        tif.write(small, photometric="rgb", subfiletype=1)  # reduced-resolution image
        tif.write(picture, photometric="rgb")
    with tifffile.TiffWriter(tmp_path / "c_thumbnail_only.tif") as tif:  # nothing else: the thumbnail is judged
        tif.write(small, photometric="rgb", subfiletype=1)
    result = run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    alone, first, only = sorted(jsonl(result.stdout), key=lambda r: r["path"])
    assert (first["width"], first["height"], only["width"], only["height"]) == (480, 360, 120, 90)
    for key in ("verdict", "p_blurry", "laplacian_var", "laplacian_var_norm", "grid"):
        assert first[key] == alone[key], key
    shown = Image.open(io.BytesIO(thumbnail(tmp_path / "b_thumbnail_first.tif", 256)))
    assert shown.size == (256, 192)


@pytest.mark.parametrize("thumbnails", [PAGES_LOOKED_AT, PAGES_LOOKED_AT + 1])
def test_only_the_first_images_are_looked_at_for_the_picture(tmp_path, thumbnails):
    # Pillow's walk through a TIFF's images grows with the square of their number: an 11 MB TIFF of 100,000
    # one-pixel thumbnails held its scan 90 seconds when every image was counted first (until 2026-12-05); the
    # walk now stops after PAGES_LOOKED_AT images (writers put one thumbnail, or a few of falling sizes, first)
    picture = textured(seed=8, size=(360, 480))
    small = cv2.resize(picture, (120, 90), interpolation=cv2.INTER_AREA)
    with tifffile.TiffWriter(tmp_path / "many.tif") as tif:
        for _ in range(thumbnails):
            tif.write(small, photometric="rgb", subfiletype=1)
        tif.write(picture, photometric="rgb")
    (row,) = jsonl(run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl").stdout)
    found = thumbnails <= PAGES_LOOKED_AT
    assert (row["width"], row["height"]) == ((480, 360) if found else (120, 90))
