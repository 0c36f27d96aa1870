"""The review page's thumbnail of a photo stored turned or mirrored, with the EXIF Orientation (1-8) that puts it
right: the upright picture, whatever the format. Since 2026-12-06 the thumbnail is turned in place (decode.py:
no second full-size copy of a big PNG); the tests then looked only at its width and height, which a mirror
forgotten (orientations 2 and 4) or a turn without its mirror (5 and 7) leave as they should be. (Pillow 13
turns a TIFF upright itself as it opens it: the TIFF case holds that too.)"""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from blurscan.review import security

from helpers_cli import run
from helpers_images import asym
from helpers_review import _get, review_client

T = Image.Transpose
#: What a camera stores for each orientation: the upright picture changed so that the tag's turn undoes it.
STORED = {1: None, 2: T.FLIP_LEFT_RIGHT, 3: T.ROTATE_180, 4: T.FLIP_TOP_BOTTOM, 5: T.TRANSPOSE, 6: T.ROTATE_90,
          7: T.TRANSVERSE, 8: T.ROTATE_270}
FORMATS = {"JPEG": {"quality": 95}, "PNG": {}, "TIFF": {}, "WEBP": {"lossless": True}}


def _thumb(client, path) -> np.ndarray:
    data = _get(client, f"/thumb/{security.path_id(str(path))}").data
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_orientations_thumbnail_is_the_upright_picture(tmp_path, fmt):
    photos = tmp_path / "photos"
    photos.mkdir()
    upright = asym(96, 128)  # every orientation tells apart: gradients both ways, a white top-left corner
    ext = fmt.lower()
    for orientation, undo in STORED.items():
        stored = Image.fromarray(upright) if undo is None else Image.fromarray(upright).transpose(undo)
        exif = Image.Exif()
        exif[0x0112] = orientation
        stored.save(photos / f"o{orientation}.{ext}", format=fmt, exif=exif.tobytes(), **FORMATS[fmt])
    Image.fromarray(upright).save(photos / f"plain.{ext}", format=fmt, **FORMATS[fmt])
    db = tmp_path / "lib.db"
    result = run("scan", photos, "--db", db, "--model", "none", "--workers", "1")
    assert result.exit_code == 0, result.output
    client = review_client((db, None))
    want = _thumb(client, photos / f"plain.{ext}")
    assert want.shape == (96, 128, 3)
    for orientation in STORED:
        got = _thumb(client, photos / f"o{orientation}.{ext}")
        assert got.shape == want.shape, orientation
        # (a JPEG stored turned is not the same JPEG: its blocks round otherwise; a mirror is off by 46 on average)
        assert np.abs(got - want).mean() < 3, (orientation, np.abs(got - want).mean())
