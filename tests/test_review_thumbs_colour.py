"""The review page shows a photo's colours as a colour-managed viewer does: the thumbnail (and the full view
blurscan converts: TIFF, HEIC, a turned WebP) has the photo's ICC profile applied, in sRGB (blurscan.srgb).
Until 2026-12-06 the profile was dropped: an iPhone's Display P3 JPEG or an Adobe RGB one looked washed out
(a mean 6-10 levels off, saturated colours far more), a CMYK file with its printer profile 20-30 levels off."""
from __future__ import annotations

import io
import os

import cv2
import numpy as np
import pytest
from PIL import Image, ImageCms

from blurscan.decode import thumbnail
from blurscan.records import ScanRecord
from blurscan.review import security
from blurscan.review.app import create_app
from blurscan.store import Store

from helpers_icc import adobe_rgb, cmyk_printer, display_p3, matrix_profile, srgb_curve

TOKEN = "token-colour"
BASE = "http://127.0.0.1:5123"
SRGB = ImageCms.createProfile("sRGB")


def _scene(seed=0, size=(240, 320)):
    """Saturated blocks of colour (sRGB), with edges: what a wide gamut changes most."""
    rng = np.random.default_rng(seed)
    small = (rng.random((size[0] // 40, size[1] // 40, 3)) * 255).astype(np.uint8)
    big = cv2.resize(small, (size[1], size[0]), interpolation=cv2.INTER_NEAREST)
    return Image.fromarray(cv2.GaussianBlur(big, (0, 0), 1.5))


def _in_profile(scene, icc, mode="RGB"):
    return ImageCms.profileToProfile(scene, SRGB, ImageCms.ImageCmsProfile(io.BytesIO(icc)), outputMode=mode)


def _as_viewer_shows(im):
    """What a colour-managed viewer shows of ``im``: its profile applied, else its values taken as sRGB."""
    icc = im.info.get("icc_profile")
    if not icc:
        return np.asarray(im.convert("RGB"), dtype=float)
    return np.asarray(ImageCms.profileToProfile(im, ImageCms.ImageCmsProfile(io.BytesIO(icc)), SRGB,
                                                outputMode="RGB"), dtype=float)


def _opened(path):
    """The image at ``path``, loaded and its file closed (Image.open alone leaves the file to the collector)."""
    with Image.open(path) as im:
        im.load()
    return im


def _off(served: bytes, original) -> float:
    """The largest of the three channels' mean difference between the served JPEG and the original, as shown,
    both averaged over 16 x 16 px (the colours, not the JPEG's artefacts at the blocks' edges)."""
    got = Image.open(io.BytesIO(served))
    size = (got.size[0] // 16, got.size[1] // 16)
    shown = [cv2.resize(_as_viewer_shows(im), size, interpolation=cv2.INTER_AREA)
             for im in (got, _opened(original))]
    return float(np.abs(shown[0] - shown[1]).mean(axis=(0, 1)).max())


def _client(tmp_path, files):
    db = tmp_path / ".blurscan.db"
    recs = []
    for f in files:
        st = os.stat(f)
        im = _opened(f)
        recs.append(ScanRecord(path=str(f), verdict="sharp", p_blurry=0.1, size=st.st_size, mtime_ns=st.st_mtime_ns,
                               width=im.width, height=im.height, format=im.format))
    with Store(db) as store:
        store.put(recs, "test")
    app = create_app(db, TOKEN, port=5123, thumbs_dir=tmp_path / "thumbs")
    c = app.test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    return c


def _fetch(client, kind, path):
    r = client.get(f"/{kind}/{security.path_id(str(path))}", base_url=BASE)
    assert r.status_code == 200, r.data[:200]
    return r


@pytest.mark.parametrize("name, icc, fmt", [("p3.jpg", display_p3, "JPEG"), ("adobe.jpg", adobe_rgb, "JPEG"),
                                            ("p3.png", display_p3, "PNG"), ("p3.webp", display_p3, "WEBP")])
def test_thumbnail_of_a_wide_gamut_photo_shows_its_colours(tmp_path, name, icc, fmt):
    photo = tmp_path / name
    _in_profile(_scene(), icc()).save(photo, format=fmt, icc_profile=icc(), **({"quality": 95} if fmt != "PNG" else {}))
    client = _client(tmp_path, [photo])
    thumb = _fetch(client, "thumb", photo).data
    assert _off(thumb, photo) < 3  # (6-10 with the profile dropped: a washed-out picture)
    # the same picture stored as sRGB makes (about) the same thumbnail
    twin = tmp_path / f"srgb-{name}"
    _scene().save(twin, format=fmt, **({"quality": 95} if fmt != "PNG" else {}))
    assert _off(thumbnail(twin, 384), photo) < 3


@pytest.mark.parametrize("name", ["p3.tif", "p3.heic", "p3.avif"])
def test_full_view_of_a_profiled_tiff_heic_or_avif_is_converted_with_its_profile(tmp_path, name):
    """A TIFF, an iPhone's HEIC (Display P3) or an AVIF, which the page converts to JPEG to show at full size."""
    from blurscan import heif

    heif.register_opener()
    photo = tmp_path / name
    quality = {"quality": 95} if name.endswith((".heic", ".avif")) else {}
    _in_profile(_scene(1), display_p3()).save(photo, icc_profile=display_p3(), **quality)
    client = _client(tmp_path, [photo])
    full = _fetch(client, "full", photo)
    assert full.mimetype == "image/jpeg" and Image.open(io.BytesIO(full.data)).size == (320, 240)
    assert _off(full.data, photo) < 3
    assert _off(_fetch(client, "thumb", photo).data, photo) < 3


@pytest.mark.parametrize("fmt", ["JPEG", "TIFF"])
def test_thumbnail_of_a_cmyk_photo_follows_its_printer_profile(tmp_path, fmt):
    photo = tmp_path / f"cmyk.{fmt.lower()}"
    _scene(2).convert("CMYK").save(photo, format=fmt, icc_profile=cmyk_printer(),  # (inks as they come)
                                   **({"quality": 95} if fmt == "JPEG" else {}))
    assert _opened(photo).mode == "CMYK"
    client = _client(tmp_path, [photo])
    assert _off(_fetch(client, "thumb", photo).data, photo) < 3  # (some 25 with Pillow's naive CMYK to RGB)


@pytest.mark.parametrize("primaries, converted, curve", [(12, True, 13), (9, True, 13), (1, False, 13),
                                                         (12, True, 2)])
def test_heic_described_by_nclx_primaries(tmp_path, primaries, converted, curve):
    """A HEIC whose colours are told by its nclx box (Display P3: 12, BT.2020: 9), not an ICC profile; sRGB's own
    primaries (1) change nothing. Its curve sRGB's (13), or unspecified (2: taken as sRGB's)."""
    from blurscan import heif

    heif.register_opener()
    xy = {12: [(0.680, 0.320), (0.265, 0.690), (0.150, 0.060)], 9: [(0.708, 0.292), (0.170, 0.797), (0.131, 0.046)],
          1: [(0.64, 0.33), (0.30, 0.60), (0.15, 0.06)]}[primaries]
    icc = matrix_profile("same primaries (test)", xy, srgb_curve())
    photo = tmp_path / "nclx.heic"
    stored = _in_profile(_scene(7), icc)
    stored.info.pop("icc_profile")
    stored.save(photo, quality=95, color_primaries=primaries, transfer_characteristics=curve, matrix_coefficients=6,
                full_range_flag=1)
    opened = _opened(photo)
    assert opened.info["nclx_profile"]["color_primaries"] == primaries and not opened.info.get("icc_profile")
    assert opened.info["nclx_profile"]["transfer_characteristics"] == curve
    twin = tmp_path / "twin.png"  # the same values with the ICC profile those primaries make
    opened.convert("RGB").save(twin, icc_profile=icc)
    client = _client(tmp_path, [photo])
    for kind in ("thumb", "full"):
        assert _off(_fetch(client, kind, photo).data, twin) < 3  # (6-9 before, P3)
    if not converted:
        assert _fetch(client, "thumb", photo).data == thumbnail(photo, 384)


def test_thumbnail_of_a_cmyk_photo_without_a_profile_is_as_before(tmp_path):
    photo = tmp_path / "cmyk.jpg"
    _scene(3).convert("CMYK").save(photo, quality=95)
    assert _off(thumbnail(photo, 384), photo) < 3


def test_grey_photo_with_a_linear_grey_profile(tmp_path):
    from helpers_icc import grey_profile

    photo = tmp_path / "linear.png"
    _in_profile(_scene(4), grey_profile(1.0), "L").save(photo, icc_profile=grey_profile(1.0))
    assert _off(thumbnail(photo, 384), photo) < 3


def test_an_srgb_profile_changes_nothing(tmp_path):
    plain, tagged = tmp_path / "plain.jpg", tmp_path / "tagged.jpg"
    _scene(5).save(plain, quality=95)
    _scene(5).save(tagged, quality=95, icc_profile=ImageCms.ImageCmsProfile(SRGB).tobytes())
    assert thumbnail(tagged, 384) == thumbnail(plain, 384)


@pytest.mark.parametrize("icc", [b"\0garbage" * 40, display_p3()[:300], b"\0\0\x01\x00" + display_p3()[4:]])
def test_a_broken_profile_is_ignored_not_fatal(tmp_path, icc):
    """A truncated or garbage profile (or one whose header lies about its size): the picture is shown with its
    values as they are, as a browser does, and the page answers (no error, no traceback)."""
    photo, plain = tmp_path / "broken.jpg", tmp_path / "plain.jpg"
    _scene(6).save(photo, quality=95, icc_profile=icc)
    _scene(6).save(plain, quality=95)
    client = _client(tmp_path, [photo])
    assert _fetch(client, "thumb", photo).data == thumbnail(plain, 384)
    assert _fetch(client, "full", photo).data == photo.read_bytes()
