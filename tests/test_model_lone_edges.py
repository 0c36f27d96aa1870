"""A straight edge alone on a plain ground (a power line or a small plane against a clear sky, a sea's horizon)
is not a blurred photo: every window holding detail looks sharp, yet the image rule's one-way-detail feature
(detail running one way, camera shake's mark) called such pictures blurry, motion (p_blurry 0.92-0.99,
found with bench/categories.py, 2026-12-06). A line smeared across its length stays blurry."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

import blurscan
from blurscan.decode import decode_array
from blurscan.model import aggregate, runtime


@pytest.fixture(scope="module")
def clf():
    return runtime.load("default")


def _sky(seed: int, h: int = 1500, w: int = 2000) -> np.ndarray:
    """A clear blue sky: a vertical gradient with a camera's faint noise."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    img = np.array([40, 100, 200], np.float32) + np.array([100, 90, 40], np.float32) * t
    img = img + rng.normal(0, 1.5, (h, w, 1)).astype(np.float32)
    return np.clip(np.broadcast_to(img, (h, w, 3)), 0, 255).astype(np.uint8)


def _power_lines(seed: int) -> np.ndarray:
    img = _sky(seed).copy()
    rng = np.random.default_rng(100 + seed)
    y0 = int(rng.integers(300, 1200))
    y1 = y0 + int(rng.integers(-150, 150))
    for k in range(int(rng.integers(1, 4))):
        cv2.line(img, (0, y0 + 30 * k), (1999, y1 + 30 * k), (30, 30, 30), int(rng.integers(3, 7)), cv2.LINE_AA)
    return img


def _smeared_across(img: np.ndarray, length: int) -> np.ndarray:
    """Camera shake straight up and down, across the (nearly level) lines."""
    k = np.zeros((length, length), np.float32)
    k[:, length // 2] = 1.0
    return cv2.filter2D(img, -1, k / k.sum())


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 3, 4])
def test_a_lone_straight_edge_on_a_clear_sky_is_not_blurry(clf, seed):
    lines = _power_lines(seed)
    horizon = _sky(seed).copy()
    horizon[int(1500 * np.random.default_rng(100 + seed).uniform(0.4, 0.6)):] = (20, 60, 110)  # a calm sea
    for name, img in (("power lines", lines), ("horizon", horizon)):
        out = clf.predict(decode_array(img))
        assert out.verdict == "sharp" and out.blur_type == "none", (name, out.verdict, out.p_blurry)
    # the same lines smeared across by a shake (about 16 and 31 px at the analysis size) are still caught
    for length in (31, 61):
        out = clf.predict(decode_array(_smeared_across(lines, length)))
        assert out.verdict == "blurry" and out.blur_type == "motion", (length, out.verdict, out.p_blurry)


def test_a_photographed_power_line_is_not_flagged_by_a_scan(tmp_path):
    """As a scan scores it: a JPEG from a phone, 4032 x 3024."""
    img = cv2.resize(_power_lines(1), (4032, 3024), interpolation=cv2.INTER_LINEAR)
    path = tmp_path / "IMG_0001.jpg"
    assert cv2.imwrite(str(path), img[:, :, ::-1], [cv2.IMWRITE_JPEG_QUALITY, 90])
    record = blurscan.score_image(path, blurscan.ScanSettings())
    assert (record.verdict, record.blur_type) == ("sharp", "none"), record.p_blurry


def test_little_blurred_and_mostly_sharp_at_their_boundaries():
    t = np.ones(10, bool)
    one_blurred = np.array([aggregate.BLUR_P] + [0.0] * 9)
    assert aggregate.little_blurred(one_blurred, t)  # 10 %: under PARTIAL_MIN_SHARE (20 %)
    two_blurred = np.array([aggregate.BLUR_P] * 2 + [0.0] * 8)
    assert not aggregate.little_blurred(two_blurred, t)  # 20 %: a blurred part, as decide() counts one
    assert aggregate.little_blurred(np.array([0.9]), np.array([False]))  # nothing textured: nothing blurred
    assert aggregate.mostly_sharp(np.array([aggregate.SHARP_P] * 6 + [0.6] * 4), t[:10])
    assert not aggregate.mostly_sharp(np.array([aggregate.SHARP_P + 0.01] * 6 + [0.0] * 4), t)
    assert not aggregate.mostly_sharp(np.array([0.0]), np.array([False]))  # no textured region


def test_a_region_blurred_in_a_mostly_sharp_grid_is_not_mostly_sharp():
    """A fifth or more of the textured regions confidently blurred: a blurred part, never "mostly sharp", however
    sharp the median region (mutation testing: mostly_sharp without its little_blurred check went unnoticed)."""
    t = np.ones(10, bool)
    assert not aggregate.mostly_sharp(np.array([0.0] * 6 + [aggregate.BLUR_P] * 4), t)
    assert not aggregate.mostly_sharp(np.array([0.0] * 8 + [aggregate.BLUR_P] * 2), t)
    assert aggregate.mostly_sharp(np.array([0.0] * 9 + [aggregate.BLUR_P]), t)


def _shaken(img: np.ndarray, length: int, vertical: bool) -> np.ndarray:
    """Camera shake along a straight line, ``length`` px."""
    k = np.zeros((length, length), np.float32)
    if vertical:
        k[:, length // 2] = 1.0
    else:
        k[length // 2, :] = 1.0
    return cv2.filter2D(img, -1, k / k.sum())


@pytest.mark.parametrize("name, vertical", [("kodim01.jpg", False), ("kodim08.jpg", True)])
def test_a_shaken_photo_whose_windows_look_sharp_stays_blurry(clf, shared_data, name, vertical):
    """A real photo shaken 15 px along one line: most of its windows still look sharp, so the one-way detail is
    the evidence of the shake; the photo has large-scale structure (a building's front, its windows), so it is no
    lone edge on a plain ground and stays blurry, motion (mutation testing: the gate without its test for
    large-scale structure released these, p_blurry 0.9 -> 0.2)."""
    rgb = cv2.imread(str(shared_data / "kodak24" / name))[:, :, ::-1]
    out = clf.predict(decode_array(_shaken(np.ascontiguousarray(rgb), 15, vertical)))
    assert (out.verdict, out.blur_type) == ("blurry", "motion"), (name, out.verdict, out.blur_type, out.p_blurry)
