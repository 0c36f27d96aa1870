"""The camera steps of blurscan.synth on generated images: highlight extension, sensor noise, sharpening and the JPEG's
chroma subsampling. Added 2026-12-05 after mutation testing of blurscan.synth.camera (the order of the steps and
the sRGB curve are in test_synth.py)."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image, JpegImagePlugin

from blurscan import synth
from blurscan.synth import camera as cam


def test_highlights_never_darken_a_pixel():
    """Pixels just above the threshold get a gain near 1, not near 0: the lift only ever brightens."""
    ramp = np.tile(np.linspace(150, 255, 200).astype(np.uint8), (60, 1))
    img = np.ascontiguousarray(np.repeat(ramp[..., None], 3, axis=2))
    lin = cam.srgb_to_linear(img)
    for seed in range(5):
        out, p = cam.extend_highlights(lin, np.random.default_rng(seed))
        assert p["fraction"] > 0
        assert (out >= lin).all()
        assert out[:, -1].min() > 1.0  # white is lifted above 1


def test_only_spots_clipped_in_every_channel_become_lamps():
    """A small white spot gets the large lamp gain; a small spot as bright but with one channel below the 8-bit
    ceiling (a white shirt's button, teeth) only the modest area gain (at most 1 + max_area_gain)."""
    img = np.full((300, 300, 3), 30, np.uint8)
    cv2.circle(img, (80, 150), 2, (255, 255, 255), -1)
    cv2.circle(img, (220, 150), 2, (255, 255, 235), -1)
    lin = cam.srgb_to_linear(img)
    for seed in range(8):
        out, _ = cam.extend_highlights(lin, np.random.default_rng(seed), max_gain=40.0, max_area_gain=2.5)
        assert out[150, 80, 0] / lin[150, 80, 0] >= 5.0  # a gain of at least 4 at white
        assert out[150, 220, 0] / lin[150, 220, 0] <= 3.5


def _field(value: float, shape=(200, 200, 3)) -> np.ndarray:
    return np.full(shape, value, np.float32)


def test_sensor_noise_has_the_poisson_gaussian_variance():
    """std = sqrt(shot * x + read^2) at each signal level, with or without grain (the grain filter keeps the
    variance)."""
    shot, read = 1e-3, 0.01
    for x in (0.05, 0.4):
        want = np.sqrt(shot * x + read**2)
        for grain in (0.0, 1.0):
            out = cam.add_sensor_noise(_field(x), np.random.default_rng(1), shot, read, grain)
            assert (out - x).std() == pytest.approx(want, rel=0.1), (x, grain)


def test_grain_correlates_neighbouring_pixels_and_channels_share_noise():
    def neighbour_corr(n):
        return float(np.corrcoef(n[:, :-1].ravel(), n[:, 1:].ravel())[0, 1])

    plain = cam.add_sensor_noise(_field(0.3), np.random.default_rng(2), 1e-3, 0.01, 0.0) - 0.3
    grainy = cam.add_sensor_noise(_field(0.3), np.random.default_rng(2), 1e-3, 0.01, 1.0) - 0.3
    assert abs(neighbour_corr(plain[..., 0])) < 0.1 and neighbour_corr(grainy[..., 0]) > 0.5
    # demosaicking leaves the channels' noise correlated (0.5 by construction)
    assert float(np.corrcoef(plain[..., 0].ravel(), plain[..., 1].ravel())[0, 1]) == pytest.approx(0.5, abs=0.1)
    grains = [cam.sample_noise(np.random.default_rng(s))["grain"] for s in range(100)]
    assert 0 < sum(g > 0 for g in grains) < 100  # some photos grainy, some not


def test_sensor_noise_clips_at_full_well_before_and_after():
    """Light above white is clipped to the full well first (a saturated highlight is as noisy as white), and the
    noisy result stays in [0, 1]."""
    over = cam.add_sensor_noise(_field(3.0), np.random.default_rng(3), 1e-3, 0.02)
    white = cam.add_sensor_noise(_field(1.0), np.random.default_rng(3), 1e-3, 0.02)
    assert np.array_equal(over, white)
    assert white.max() <= 1.0 and white.min() < 1.0
    dark = cam.add_sensor_noise(_field(0.0), np.random.default_rng(3), 1e-3, 0.02)
    assert dark.min() >= 0.0 and dark.max() > 0.0


def test_sharpen_adds_fine_detail_and_keeps_the_mean():
    img = cv2.GaussianBlur(np.random.default_rng(4).integers(60, 200, (120, 160, 3)).astype(np.uint8), (0, 0), 2)
    assert np.array_equal(cam.sharpen(img, 0.0, 1.0), img)
    out = cam.sharpen(img, 0.5, 1.0)
    lap = [float(cv2.Laplacian(cv2.cvtColor(a, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var()) for a in (img, out)]
    assert lap[1] > 1.5 * lap[0]
    assert abs(float(out.mean()) - float(img.mean())) < 1.0


def test_the_recorded_chroma_subsampling_is_the_files():
    img = np.ascontiguousarray(np.random.default_rng(5).integers(0, 256, (64, 96, 3)).astype(np.uint8))
    seen = set()
    for seed in range(12):
        _, p, data = synth.synthesize_encoded(img, np.random.default_rng(seed), "none")
        with Image.open(io.BytesIO(data)) as im:
            sampling = JpegImagePlugin.get_sampling(im)
        assert ["4:4:4", "4:2:2", "4:2:0"][sampling] == p["jpeg"]["subsampling"]
        seen.add(sampling)
    assert seen == {0, 2}


def test_downscale_keeps_the_aspect_and_records_the_kernel_at_the_output_size():
    img = np.ascontiguousarray(np.random.default_rng(6).integers(0, 256, (120, 200, 3)).astype(np.uint8))
    out, p = synth.synthesize(img, np.random.default_rng(0), "defocus", 40.0, downscale=0.5)
    assert out.shape == (60, 100, 3) and p["output_size"] == [100, 60]
    assert p["kernel_px_output"] == pytest.approx(p["kernel_px"] * 0.5)


def test_severity_levels_are_drawn_log_uniformly():
    """Within a level the extent is log-uniform: the median of strong motion (12-80 px) is near sqrt(12 * 80)."""
    img = np.zeros((16, 16, 3), np.uint8)
    draws = [synth.synthesize(img, np.random.default_rng(s), "linear_motion", "strong", camera=False)[1]["severity_px"]
             for s in range(300)]
    assert 12 <= min(draws) and max(draws) <= 80
    assert np.median(draws) == pytest.approx(np.sqrt(12 * 80), rel=0.12)


def test_images_under_8_px_are_refused():
    with pytest.raises(ValueError, match="`image`"):
        synth.synthesize(np.zeros((7, 30, 3), np.uint8), np.random.default_rng(0), "none")


def test_without_the_camera_a_sharp_sample_is_its_source():
    img = np.ascontiguousarray(np.random.default_rng(7).integers(0, 256, (40, 60, 3)).astype(np.uint8))
    out, _ = synth.synthesize(img, np.random.default_rng(0), "none", camera=False)
    assert np.array_equal(out, img)
