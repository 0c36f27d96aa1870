"""Shape of the focus masks and of partial, missed and depth-graded focus (blurscan.synth.partial and the partial kinds
of blurscan.synth.pipeline), on generated images. Added 2026-12-05 after mutation testing of blurscan.synth (range,
smoothness and the small subject's placement are in test_synth.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from blurscan import synth
from blurscan.synth.partial import depth_weight


def _detail(img: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var())


def _checks(h: int = 240, w: int = 320, cell: int = 4) -> np.ndarray:
    """A fine checkerboard with some grey-level variety: detail everywhere, RGB uint8."""
    yy, xx = np.mgrid[0:h, 0:w]
    board = ((yy // cell + xx // cell) % 2 * 150 + 50 + (xx * 7 + yy * 3) % 40).astype(np.uint8)
    return np.ascontiguousarray(np.repeat(board[..., None], 3, axis=2))


def test_the_focus_boundary_is_feathered_as_drawn():
    """The 0..1 transition is about ``feather`` times the long side wide, not a hard edge."""
    for seed in range(5):
        m, p = synth.focus_mask(np.random.default_rng(seed), (300, 380), "centre")
        row = m[150]
        band = ((row > 0.05) & (row < 0.95)).sum() / 2  # two crossings on the middle row
        assert band >= p["feather"] * 380, (seed, band, p["feather"])


def test_centre_focus_is_a_roughly_round_ellipse():
    """Its height / width in pixels stays within the drawn 0.7..1.4 (plus rounding)."""
    for seed in range(8):
        m, _ = synth.focus_mask(np.random.default_rng(seed), (300, 300), "centre")
        inside = m >= 0.5
        ratio = inside.any(axis=1).sum() / inside.any(axis=0).sum()
        assert 0.65 <= ratio <= 1.45, (seed, ratio)


def test_a_subjects_body_reaches_the_bottom_edge_and_widens():
    bodies = 0
    for seed in range(12):
        m, p = synth.focus_mask(np.random.default_rng(seed), (300, 400), "subject")
        if not p["body"]:
            continue
        bodies += 1
        half = p["body_width"] * p["r0"] * 400
        assert (m[-1] >= 0.5).sum() >= 2 * half, seed  # wider at the bottom than the trunk's top
        assert m[-1, int(p["cx"] * 400)] > 0.5
    assert bodies >= 3


def test_a_small_subject_lies_inside_a_tall_frame():
    h, w = 400, 200
    for seed in range(30):
        _, p = synth.focus_mask(np.random.default_rng(seed), (h, w), "small")
        r, cx, cy = p["r0"] * max(h, w), p["cx"] * w, p["cy"] * h
        assert r <= cx <= w - r and r <= cy <= h - r, seed


def test_depth_weight_grows_with_distance_from_the_sharp_region():
    """0 inside, distance / (reach * long side) outside, capped at 1; the same along x and y (here on a frame large
    enough to be computed at reduced size)."""
    h, w, reach = 600, 900, 0.2
    yy, xx = np.mgrid[0:h, 0:w]
    mask = (np.hypot(yy - 300, xx - 450) <= 100).astype(np.float32)
    wgt = depth_weight(mask, reach)
    assert wgt[300, 450] == 0 and wgt[300, 500] == 0
    expected = 90 / (reach * w)
    assert wgt[300, 450 + 190] == pytest.approx(expected, abs=0.06)  # 90 px right of the edge
    assert wgt[300 + 190, 450] == pytest.approx(expected, abs=0.06)  # 90 px below it
    assert 0.95 <= wgt[0, 0] <= wgt.max() <= 1.0


def test_missed_focus_blurs_the_subject_and_keeps_the_background():
    img = _checks()
    for seed in range(4):
        out, p = synth.synthesize(img, np.random.default_rng(seed), "missed_focus", 16.0, camera=False)
        m = p["blur_params"]["mask"]
        h, w = img.shape[:2]
        cy, cx = int(m["cy"] * h), int(m["cx"] * w)
        r = int(0.5 * m["r0"] * max(h, w))
        subject = (slice(cy - r // 2, cy + r // 2), slice(cx - r // 2, cx + r // 2))
        assert _detail(out[subject]) < 0.3 * _detail(img[subject]), seed
        # the top corner farthest from the subject: far from its blurred spill
        far = (slice(0, 30), slice(0, 30)) if cx > w / 2 else (slice(0, 30), slice(w - 30, w))
        assert np.array_equal(out[far], img[far]), seed


def test_depth_of_field_blurs_more_far_from_the_subject():
    """The background is blended from half and full blur by distance: next to the subject it is sharper than at
    the far corners."""
    img = _checks()
    near, far = [], []
    for seed in range(6):
        out, p = synth.synthesize(img, np.random.default_rng(seed), "partial_centre", 24.0, camera=False)
        m = p["blur_params"]["mask"]
        h, w = img.shape[:2]
        y = int(m["cy"] * h)
        x = int((m["cx"] + m["rx"]) * w) + 14  # just right of the ellipse
        if x + 10 > w:
            continue
        near.append(_detail(out[y - 10:y + 10, x - 10:x + 10]))
        far.append(_detail(out[:20, :20]) + _detail(out[-20:, -20:]))
    assert len(near) >= 3 and np.median(near) > 2 * np.median(far)


def _spread(img: np.ndarray, kind: str, extent: float, seed: int = 0) -> tuple[float, dict]:
    """Variance along x that ``kind`` at ``extent`` (no camera) adds to the bright 9-px square of ``img``."""
    out, p = synth.synthesize(img, np.random.default_rng(seed), kind, extent, camera=False)
    g = out[..., 0].astype(np.float64)
    g /= g.sum()
    xs = np.arange(g.shape[1])
    mx = (g.sum(axis=0) * xs).sum()
    return float((g.sum(axis=0) * (xs - mx) ** 2).sum() - (81 - 1) / 12), p


def test_box_and_defocus_at_one_extent_blur_alike():
    """A defocus disk's diameter is the extent, and a box of that extent has the disk's second moment: a bright
    square spreads by the same variance, (extent / 4) ** 2 along x, under each. A Gaussian spreads by twice that."""
    img = np.zeros((256, 256, 3), np.uint8)
    img[124:133, 124:133] = 255
    extent = 64.0  # px at 1024 px: 16 px on this 256-px image
    box, p = _spread(img, "box", extent)
    assert p["kernel_px"] == 16.0 and box == pytest.approx(16.0, rel=0.1)
    plain = 0
    for seed in range(12):  # a plain disk: no soft edge, no cat-eye (those narrow it)
        disk, p = _spread(img, "defocus", extent, seed)
        if p["blur_params"]["softness"] == 0 and p["blur_params"]["cat_eye"] == 0:
            plain += 1
            assert disk == pytest.approx(16.0, rel=0.1), seed
    assert plain >= 2
    # the Gaussian's sigma is extent / (2 * sqrt 2) (the severity levels' pairing of a 3-px disk and sigma ~1.1):
    # twice the disk's variance (see blurscan.synth.pipeline._GAUSS_PER_EXTENT)
    gauss, _ = _spread(img, "gaussian", extent)
    assert gauss == pytest.approx(2 * 16.0, rel=0.1)


def test_minfilter_only_darkens():
    img = _checks()
    out, _ = synth.synthesize(img, np.random.default_rng(0), "minfilter", 6.0, camera=False)
    assert (out <= img).all() and out.mean() < img.mean() - 10


@pytest.mark.parametrize("kind", synth.BLUR_KINDS)
def test_every_kind_leaves_a_flat_grey_image_flat(kind):
    """Blur moves light around and keeps its amount: a uniform grey stays uniform under every kind, partial and
    missed focus included (no dark halo where the subject's layer meets the background's)."""
    flat = np.full((120, 160, 3), 97, np.uint8)
    for seed in range(3):
        out, _ = synth.synthesize(flat, np.random.default_rng(seed), kind, "strong", camera=False)
        assert (out == 97).all(), (kind, seed)


def test_linear_motion_is_drawn_at_any_angle():
    img = np.zeros((256, 256, 3), np.uint8)  # a 15-px path
    shapes = set()
    for seed in range(12):
        _, p = synth.synthesize(img, np.random.default_rng(seed), "linear_motion", 60.0, camera=False)
        shapes.add(tuple(p["blur_params"]["kernel_shape"]))
    assert len(shapes) >= 6 and any(h > w for h, w in shapes) and any(w > h for h, w in shapes)


def test_a_small_subject_goes_where_a_viewer_sees_detail():
    """Detail is judged on the sRGB grey levels: strong texture in the shadows beats faint texture in the
    highlights, although in linear light the highlights' texture is larger."""
    rng = np.random.default_rng(0)
    img = np.zeros((300, 400, 3), np.uint8)
    img[:, :200] = rng.integers(10, 71, (300, 200, 1))  # dark, 60 grey levels of texture
    img[:, 200:] = rng.integers(215, 256, (300, 200, 1))  # bright, 40 grey levels
    for seed in range(6):
        _, p = synth.synthesize(img, np.random.default_rng(seed), "partial_small", "strong")
        assert p["blur_params"]["mask"]["cx"] < 0.5, seed
