"""Geometry of blur kernels and of their convolution (blurscan.synth.kernels, apply_kernel): which way a kernel
smears, that it keeps its weight and its centre, and that applying one is a true convolution. Added 2026-12-05
after mutation testing of blurscan.synth (the kernels' moments and normalisation are in test_synth.py)."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from blurscan import synth


def _centre_and_variance(k: np.ndarray) -> tuple[float, float, float, float]:
    """Centre of mass offset from the central pixel ``(cy, cx)`` and per-axis variances ``(vy, vx)``."""
    ys, xs = np.indices(k.shape, dtype=np.float64)
    kk = k.astype(np.float64) / k.sum(dtype=np.float64)
    my, mx = (ys * kk).sum(), (xs * kk).sum()
    return (my - (k.shape[0] - 1) / 2, mx - (k.shape[1] - 1) / 2,
            ((ys - my) ** 2 * kk).sum(), ((xs - mx) ** 2 * kk).sum())


def _support(k: np.ndarray, eps: float = 1e-6) -> tuple[int, int]:
    """Height and width of the rows and columns that hold weight."""
    return int((k.sum(axis=1) > eps).sum()), int((k.sum(axis=0) > eps).sum())


# ------------------------------------------------------------------------------------- normalise_kernel

def test_normalise_kernel_clips_negative_weights_and_refuses_an_empty_kernel():
    k = synth.normalise_kernel(np.array([[-1.0, 2.0, -1.0]]))
    assert k.tolist() == [[1.0]]  # the negative lobes are clipped away, the zero borders trimmed
    for empty in (np.zeros((3, 3)), -np.ones((3, 3))):
        with pytest.raises(ValueError, match="`kernel`"):
            synth.normalise_kernel(empty)


def test_normalise_kernel_trims_zero_borders_without_losing_weight():
    """Uneven zero borders are trimmed by the smaller one, so no weight is cut and the centre stays put."""
    raw = np.zeros((3, 9))
    raw[1, 4:8] = [1.0, 2.0, 3.0, 4.0]  # weight right of the centre column (4), three zero columns on the left
    k = synth.normalise_kernel(raw)
    assert k.shape == (1, 7)  # one zero row on each side trimmed; one zero column each side
    assert np.allclose(k[0], np.array([0, 0, 0, 1, 2, 3, 4]) / 10)


# ---------------------------------------------------------------------------------------------- kernels

@pytest.mark.parametrize(("sigma", "truncate"), [(0.6, 3.5), (1.3, 3.5), (2.2, 2.0), (4.1, 3.0)])
def test_gaussian_kernel_reaches_truncate_sigmas(sigma, truncate):
    k, _ = synth.gaussian_kernel(sigma, truncate)
    assert k.shape[0] == k.shape[1] >= 2 * truncate * sigma + 1


@pytest.mark.parametrize("size", [1.5, 2.5, 3.7, 6.2, 8.0])
def test_box_kernel_is_a_centred_mean_of_side_size(size):
    k, _ = synth.box_kernel(size)
    assert np.array_equal(k, k[::-1]) and np.array_equal(k, k[:, ::-1]) and np.array_equal(k, k.T)
    c = k.shape[0] // 2
    assert k[c, c] == pytest.approx(1 / size**2, rel=1e-5)  # a whole pixel weighs 1 / size^2; the edge ones less
    assert k.max() == k[c, c]


def test_box_kernel_refuses_a_side_below_one_pixel():
    with pytest.raises(ValueError, match="`size`"):
        synth.box_kernel(0.5)


def test_disk_kernel_is_symmetric_and_softness_widens_its_edge():
    k, _ = synth.disk_kernel(7.3)
    assert np.allclose(k, k[::-1]) and np.allclose(k, k[:, ::-1]) and np.allclose(k, k.T)  # a round aperture
    variances = [_centre_and_variance(synth.disk_kernel(10.0, softness=s)[0])[3] for s in (0.0, 0.05, 0.3, 1.0)]
    assert variances[1] == pytest.approx(variances[0], rel=0.08)  # a little softness is nearly a hard disk
    assert all(a > b for a, b in zip(variances, variances[1:])), variances  # a softer edge weighs the centre more
    assert synth.disk_kernel(10.0, softness=3.0)[1]["softness"] == 1.0  # clipped to 0..1


def test_cat_eye_clips_the_disk_along_its_direction():
    """Mechanical vignetting intersects the disk with one shifted by ``cat_eye * 2 * radius`` along the angle."""
    r = 8.0
    h, w = _support(synth.disk_kernel(r, cat_eye=0.5, cat_eye_angle_deg=0.0)[0])
    assert w <= 2 * r * 0.5 + 2 and h >= 1.6 * r  # narrow along x (the shift), tall along y
    h90, w90 = _support(synth.disk_kernel(r, cat_eye=0.5, cat_eye_angle_deg=90.0)[0])
    assert (h90, w90) == (w, h)
    # cat_eye is clipped to 0.9, so the two disks still overlap: never the identity
    k, p = synth.disk_kernel(r, cat_eye=1.0)
    assert p["cat_eye"] == 0.9 and max(k.shape) > 1


def test_linear_motion_smears_along_its_angle():
    """0 degrees smears along x only, 90 along y only; angles turn counter-clockwise with y pointing down."""
    k0, _ = synth.linear_motion_kernel(20.0, 0.0)
    assert k0.shape[0] == 1 and k0.shape[1] >= 19
    k90, _ = synth.linear_motion_kernel(20.0, 90.0)
    assert k90.shape[1] == 1 and np.allclose(k90[:, 0], k0[0])
    k45, _ = synth.linear_motion_kernel(20.0, 45.0)
    c = k45.shape[0] // 2
    up_right, up_left = k45[:c, c + 1:].sum(), k45[:c, :c].sum()
    assert up_right > 0.4 and up_left == 0  # the path runs from bottom-left to top-right


def test_linear_motion_exposes_its_path_evenly():
    """Uniform speed: along a slanted path every column between the ends gets about the same weight."""
    k, _ = synth.linear_motion_kernel(20.0, 30.0)
    columns = k.sum(axis=0)
    inner = columns[2:-2]
    assert inner.min() > 0.9 * inner.max()


def test_sub_pixel_motion_still_spreads():
    k, _ = synth.linear_motion_kernel(0.5, 0.0)
    vx = _centre_and_variance(k)[3]
    assert 0.05 < vx < 0.3  # not the identity: half a pixel of motion spreads light onto the neighbours


def test_shake_kernels_keep_their_centre_of_mass_on_the_central_pixel():
    """No shift of the image: the path is centred on its exposure-weighted centroid before it is splatted."""
    for seed in range(12):
        k, _ = synth.shake_kernel(np.random.default_rng(seed), 30.0)
        cy, cx, _, _ = _centre_and_variance(k)
        assert abs(cy) < 1e-4 and abs(cx) < 1e-4, (seed, cy, cx)


def test_shake_kernel_is_one_continuous_streak():
    """The sampled path is densified before splatting: the kernel is one 8-connected streak, never dots."""
    for seed in range(10):
        k, _ = synth.shake_kernel(np.random.default_rng(seed), 60.0)
        n, _ = cv2.connectedComponents((k > 0).astype(np.uint8), connectivity=8)
        assert n - 1 == 1, seed


def test_a_coarsely_sampled_shake_path_is_still_one_streak_with_its_recorded_extent():
    """Samples far apart (16 time steps over 60 px) are joined by densifying the path; ``extent_px`` is the
    largest side of the kernel's bounding box."""
    for seed in range(5):
        k, p = synth.shake_kernel(np.random.default_rng(seed), 60.0, n_steps=16)
        n, _ = cv2.connectedComponents((k > 0).astype(np.uint8), connectivity=8)
        assert n - 1 == 1, seed
        assert p["extent_px"] == max(_support(k, 0.0))
    k, p = synth.shake_kernel(np.random.default_rng(0), 0.8)
    assert k.shape != (1, 1) and p["extent_px"] >= 2  # under a pixel of motion still spreads


def test_shake_path_length_and_lingering():
    """A path of L px touches 2-3 pixels per px of length (bilinear splatting of a thin curve), and where the
    camera lingers the kernel is brighter: kernels with pauses have brighter knots than those without."""
    knots: dict[bool, list[float]] = {True: [], False: []}
    for seed in range(20):
        k, p = synth.shake_kernel(np.random.default_rng(seed), 60.0)
        assert 1.7 <= (k > 0).sum() / 60.0 <= 3.2, seed
        nz = k[k > 0]
        knots[p["n_pauses"] > 0].append(float(nz.max() / np.median(nz)))
    assert np.mean(knots[True]) > 1.5 * np.mean(knots[False]), knots


def test_exposure_follows_time_not_distance():
    """Each time step's exposure is spread over the sub-samples that densify it: moving ten times slower over the
    second half of a straight path leaves ten times the light per pixel there."""
    from blurscan.synth.shake import _path_kernel

    fast = np.stack([np.arange(10.0), np.zeros(10)], axis=1)  # 1 px per step
    slow = np.stack([10 + np.arange(100) * 0.1, np.zeros(100)], axis=1)  # 0.1 px per step
    row = _path_kernel(np.concatenate([fast, slow])).sum(axis=0)
    assert row[11:19].mean() / row[1:9].mean() == pytest.approx(10.0, rel=0.15)


def test_roll_turns_the_frame_around_its_centre():
    """Pure roll (no translation): the centre does not move, the middle of the top edge moves along x, the middle of
    the left edge along y, and the corners by between ``roll_px`` and twice that (the angle swings both ways)."""
    h, w, roll = 300, 400, 12.0
    ks, _, _, _ = synth.shake_kernel_grid(np.random.default_rng(4), 0.0, (h, w), roll)
    assert ks[4].shape == (1, 1)
    top_h, top_w = _support(ks[1])
    left_h, left_w = _support(ks[3])
    assert top_h <= 2 < top_w and left_w <= 2 < left_h
    # the top edge is (h - 1) / 2 from the centre, the left edge (w - 1) / 2: the sweep scales with the distance
    assert top_w / left_h == pytest.approx((h - 1) / (w - 1), rel=0.2)
    half_diag = math.hypot(h, w) / 2
    for seed in range(6):
        ks, _, _, _ = synth.shake_kernel_grid(np.random.default_rng(seed), 0.0, (h, w), roll)
        for corner in (0, 2, 6, 8):
            extent = math.hypot(*(s - 1 for s in _support(ks[corner])))
            # the angle is centred on 0 and swings both ways: more than 1.3 times the largest displacement
            assert 1.3 * roll <= extent <= 2 * roll * math.hypot(h - 1, w - 1) / 2 / half_diag + 2, (seed, corner)


# --------------------------------------------------------------------------------------- apply_kernel

def _kernels_to_apply() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    separable = np.outer([1.0, 2.0, 1.0], [1.0, 1.0, 2.0, 3.0, 1.0, 1.0, 1.0])  # wider than tall, lopsided
    profile = synth.gaussian_kernel(1.5)[0].sum(axis=1)
    nearly = np.outer(profile, np.ones(9)) + 1e-4 * rng.random((len(profile), 9))
    return {
        "separable": (separable / separable.sum()).astype(np.float32),
        "nearly separable": (nearly / nearly.sum()).astype(np.float32),
        "horizontal motion": synth.linear_motion_kernel(15.0, 0.0)[0],
        "shallow motion": synth.linear_motion_kernel(25.0, 4.0)[0],
        "shake": synth.shake_kernel(np.random.default_rng(2), 25.0)[0],
        "cat-eye": synth.disk_kernel(6.0, cat_eye=0.4, cat_eye_angle_deg=30.0)[0],
    }


@pytest.mark.parametrize("name", ["separable", "nearly separable", "horizontal motion", "shallow motion", "shake",
                                  "cat-eye"])
def test_apply_kernel_is_a_true_convolution(name):
    """A point of light becomes the kernel itself, the right way up (not mirrored, not transposed); a flat image
    stays flat up to its borders."""
    k = _kernels_to_apply()[name]
    kh, kw = k.shape
    img = np.zeros((61, 71), np.float32)
    img[30, 35] = 1.0
    out = synth.apply_kernel(img, k)
    assert np.allclose(out[30 - kh // 2: 30 + kh // 2 + 1, 35 - kw // 2: 35 + kw // 2 + 1], k, atol=1e-6)
    assert out.sum() == pytest.approx(1.0, abs=1e-5)
    flat = np.full((40, 50, 3), 0.4, np.float32)
    assert np.allclose(synth.apply_kernel(flat, k), 0.4, atol=1e-5)


def test_space_variant_blur_uses_each_anchors_kernel_at_its_anchor():
    """Kernels are row-major over the anchors: the one given for the top-right anchor blurs the top-right corner."""
    img = np.zeros((90, 120), np.float32)
    img[::6, :] = 1.0  # horizontal lines: a vertical blur shows, a horizontal one does not
    sharp = np.ones((1, 1), np.float32)
    vertical = synth.linear_motion_kernel(12.0, 90.0)[0]
    kernels = [sharp] * 9
    kernels[2] = vertical  # row 0, column 2: top right
    out = synth.apply_kernel_grid(img, kernels, np.array([0, 44.5, 89]), np.array([0, 59.5, 119]))
    assert np.allclose(out[84:, :6], img[84:, :6], atol=1e-5)  # bottom left: untouched
    assert np.allclose(out[:6, :6], img[:6, :6], atol=1e-5)  # top left too
    assert out[:6, 114:].std() < 0.5 * img[:6, 114:].std()  # top right: the lines smeared
