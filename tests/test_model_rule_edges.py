"""The edges of the image rule (:mod:`blurscan.model.aggregate`) and of the runtime around it, each pinned where a
value sits exactly on a boundary: a region's thresholds, the low-texture cut, the photo-size class, the
blur-type tie, the grid's orientation. (Found by mutation testing, 2026-12-05: each of these could change
without a test noticing.)"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from blurscan.model import aggregate, runtime

skimage_data = pytest.importorskip("skimage.data")


@pytest.fixture(scope="module")
def clf():
    return runtime.load("default")


def test_grid_rows_are_the_photos_rows(clf):
    """A 1024 x 512 photo blurred on its left half: an 8 x 10 grid whose left columns read blurred."""
    gray = cv2.resize(skimage_data.camera(), (1024, 512), interpolation=cv2.INTER_AREA)
    gray[:, :512] = cv2.GaussianBlur(gray[:, :512], (0, 0), 6)
    grid = clf.predict_gray(gray).grid
    assert (len(grid), len(grid[0])) == (8, 10)
    left = [v for row in grid for v in row[:4] if v is not None]
    right = [v for row in grid for v in row[6:] if v is not None]
    assert len(left) >= 8 and len(right) >= 8
    assert min(left) > 0.9 and np.mean(right) < 0.4, (left, right)


@pytest.mark.parametrize("low, high, votes", [(126, 130, True), (127, 130, False)])
def test_a_window_of_grey_level_spread_exactly_min_std_votes(clf, low, high, votes):
    """Stripes of 126 and 130 (standard deviation exactly 2.0, :data:`aggregate.MIN_STD`) vote, as the network
    finds them textured; 127 and 130 (1.5) are too faint to judge, whatever the network says."""
    stripes = np.tile(np.array([low, high], np.uint8), (256, 192))
    grid = clf.predict_gray(stripes).grid
    assert all((v is not None) == votes for row in grid for v in row), grid


def test_region_scores_at_the_flat_boundary():
    probs = np.array([[0.5, 0.5, 0.0, 0.0], [0.49, 0.01, 0.25, 0.25], [0.0, 0.5, 0.25, 0.25]])
    p_blur, textured = aggregate.region_scores(probs, np.array([9.0, 9.0, aggregate.MIN_STD]))
    assert textured.tolist() == [False, True, True]  # p_flat 0.5 is flat; a spread of MIN_STD is not
    assert p_blur[1] == pytest.approx(0.5 / 0.51) and p_blur[2] == pytest.approx(0.5)


@pytest.mark.parametrize("scores, verdict", [
    ([0.3, 0.7, 0.5, 0.5, 0.5], "partial"),   # sharp at SHARP_P, blurred at BLUR_P, a share of exactly 0.2
    ([0.32, 0.7, 0.5, 0.5, 0.5], "sharp"),    # no region sharp enough
    ([0.3, 0.68, 0.5, 0.5, 0.5], "sharp"),    # no region blurred enough
    ([0.3, 0.7, 0.5, 0.5, 0.5, 0.5], "sharp"),  # blurred share 1/6, under PARTIAL_MIN_SHARE
])
def test_partial_at_its_boundaries(scores, verdict):
    assert aggregate.decide(0.4, np.array(scores), np.ones(len(scores), bool), threshold=0.5) == verdict


def test_blurry_from_the_threshold_on():
    p_blur, textured = np.array([0.9, 0.9]), np.ones(2, bool)
    assert aggregate.decide(0.7053, p_blur, textured, threshold=0.7053) == "blurry"
    assert aggregate.decide(np.nextafter(0.7053, 0), p_blur, textured, threshold=0.7053) == "sharp"


def test_features_count_regions_on_the_boundaries():
    p_blur = np.array([0.3, 0.7, 0.5, 0.5])
    named = dict(zip(aggregate.FEATURE_NAMES, aggregate.features(p_blur, np.ones(4, bool), (2, 2))))
    assert named["sharp_share"] == 0.25 and named["blur_share"] == 0.25 and named["log_n_sharp"] == np.log(2)
    # the largest sharp patch is measured on the grid as laid out: a column of a 3 x 2 grid, not a row of 2 x 3
    column = np.array([0.1, 0.9, 0.1, 0.9, 0.1, 0.9])
    named = dict(zip(aggregate.FEATURE_NAMES, aggregate.features(column, np.ones(6, bool), (3, 2))))
    assert named["largest_sharp_area"] == 0.5


@pytest.mark.parametrize("long_side, full", [(975, True), (974, False), (1000, True), (950, False)])
def test_the_full_size_class_starts_at_its_tolerance(long_side, full):
    rule = {"threshold": 0.8, "threshold_full_size": 0.7, "full_size": 1000}
    assert aggregate.threshold_for(rule, long_side) == (0.7 if full else 0.8)
    assert aggregate.threshold_for({"threshold": 0.8}, long_side) == 0.8


def test_blur_type_ties():
    even = np.array([[0.0, 0.2, 0.4, 0.4]])  # as much motion as defocus
    textured = np.ones(1, bool)
    assert aggregate.blur_type("blurry", even, textured) == "defocus"  # an old model's rule: more motion needed
    coin = {"mean": [0, 0, 0], "scale": [1, 1, 1], "coef": [0, 0, 0], "intercept": 0.0}  # p(motion) exactly 0.5
    assert aggregate.blur_type("blurry", even, textured, coin, np.zeros(3)) == "motion"
    assert aggregate.blur_type("sharp", even, textured, coin, np.zeros(3)) == "none"
    assert aggregate.blur_type("partial", even, np.zeros(1, bool), coin, np.zeros(3)) == "defocus"


def test_softmax_of_large_logits_is_finite():
    probs = aggregate.softmax(np.array([[1000.0, 0.0, -1000.0, 0.0]], np.float32))
    assert np.isfinite(probs).all() and probs[0, 0] == 1.0


def _camera(kind: str) -> np.ndarray:
    cam = cv2.resize(skimage_data.camera(), (1024, 1024), interpolation=cv2.INTER_AREA)[128:896]  # 1024 x 768
    if kind == "defocus":
        return cv2.GaussianBlur(cam, (0, 0), 3)
    if kind == "motion":
        streak = np.zeros((15, 15), np.float32)
        streak[7, :] = 1 / 15
        return cv2.filter2D(cam, -1, streak)
    if kind == "half":
        cam[:, :512] = cv2.GaussianBlur(cam[:, :512], (0, 0), 6)
    return cam


@pytest.mark.parametrize("name, verdict, blur_type", [
    ("camera", "sharp", "none"),
    ("defocus", "blurry", "defocus"),  # a Gaussian of sigma 3 px over the whole photo
    ("motion", None, "motion"),        # a 15-px streak: its type (its verdict is a known weakness: `partial`)
    ("half", "partial", "defocus"),    # the left half softened: a sharp region beside blurred ones
    ("coins", "sharp", "none"),        # a small photo (384 px): the other size class
    ("moon", "blurry", "defocus"),
])
def test_the_whole_path_on_photos_made_from_scikit_images_samples(clf, name, verdict, blur_type):
    """The whole path from windows to verdict on photos whose right answer is known by how they were made: a
    change to a feature, a region threshold or the blur-type rule that gets one of them wrong shows here."""
    gray = {"coins": lambda: skimage_data.coins(),
            "moon": lambda: cv2.GaussianBlur(skimage_data.moon(), (0, 0), 1.5)}.get(name, lambda: _camera(name))()
    out = clf.predict_gray(gray)
    assert out.blur_type == blur_type and (verdict is None or out.verdict == verdict), out
    if verdict == "sharp":
        assert out.p_blurry < 0.3, out
    if verdict == "blurry":
        assert out.p_blurry > 0.9, out


def test_the_grid_keeps_three_decimals_and_leaves_flat_regions_out(clf):
    grid = clf.predict_gray(_camera("camera")).grid
    scores = [v for row in grid for v in row if v is not None]
    flat = [v for row in grid for v in row if v is None]
    assert flat and len(scores) > len(flat)  # (the sky over the cameraman: flat windows, no score)
    assert any(round(v, 2) != v for v in scores) and all(round(v, 3) == v for v in scores)
