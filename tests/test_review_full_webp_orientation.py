"""The review page's full-size view of a WebP whose EXIF Orientation turns it: served upright, as the scan, the
thumbnail, the Dimensions line and the blur map see it. Chromium shows a WebP as stored, ignoring that tag (it
turns a JPEG itself), so the old page sent the file as it is: the photo lay sideways at full size and its blur
map covered the wrong parts."""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

from blurscan.config import ScanSettings
from blurscan.pipeline import scan
from blurscan.review import security

from helpers_images import asym
from helpers_review import _get, review_client


def _webp(path, upright: np.ndarray, orientation: int) -> None:
    """``upright`` saved as a lossless WebP stored turned, with the EXIF Orientation that turns it back."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored = Image.fromarray(upright).transpose(Image.Transpose.ROTATE_90) if orientation == 6 else \
        Image.fromarray(upright)  # 6: "turn 90 degrees clockwise to view"
    stored.save(path, "WEBP", lossless=True, exif=exif.tobytes())


def test_a_turned_webp_is_served_upright_at_full_size(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    upright = asym(120, 200)  # wider than tall, a white top-left corner
    _webp(photos / "turned.webp", upright, 6)
    _webp(photos / "plain.webp", upright, 1)
    db = photos / ".blurscan.db"
    records = {r.path.rsplit("/", 1)[-1]: r for r in scan([photos], ScanSettings(workers=1, model="none"), db=db)}
    assert all((r.status, r.width, r.height) == ("ok", 200, 120) for r in records.values()), records
    client = review_client((db, None))

    turned = _get(client, f"/full/{security.path_id(records['turned.webp'].path)}")
    picture = Image.open(io.BytesIO(turned.data))
    assert picture.size == (200, 120)  # the old page: the file as it is, 120 x 200
    assert turned.mimetype == "image/jpeg"
    shown = np.asarray(picture.convert("RGB")).astype(int)
    assert shown[:12, :20].min() > 200  # the white corner at the top left, as in the upright picture
    assert np.abs(shown - upright).mean() < 8  # (JPEG)

    plain = _get(client, f"/full/{security.path_id(records['plain.webp'].path)}")  # upright as stored: as it is
    assert plain.mimetype == "image/webp"
    assert plain.data == (photos / "plain.webp").read_bytes()
