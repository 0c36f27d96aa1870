"""How a training window gets its label (blurscan.model.data: flat / sharp / defocus / motion / ignored), how a night
scene and a softened photo are made, and which images count as blurry, on generated windows. Added 2026-12-05 after
mutation testing of the labelling (the first cases are in test_model_train.py's test_window_labels)."""

from __future__ import annotations

import cv2
import numpy as np

from blurscan import synth
from blurscan.model import data

FLAT, SHARP, DEFOCUS, MOTION, IGNORED = 0, 1, 2, 3, -1


def _texture(n: int, contrast: float = 60.0, seed: int = 0) -> np.ndarray:
    """``n`` 64-px windows of fine random texture around mid-grey, uint8."""
    rng = np.random.default_rng(seed)
    return np.clip(128 + rng.normal(0, contrast, (n, 64, 64)), 0, 255).astype(np.uint8)


def _keep_detail(src: np.ndarray, share: float) -> np.ndarray:
    """Windows whose fine detail is ``share`` of ``src``'s: a blend with a heavily blurred copy (which has none)."""
    smooth = np.stack([cv2.GaussianBlur(w, (0, 0), 8) for w in src]).astype(np.float32)
    return np.clip(np.rint(smooth + share * (src.astype(np.float32) - smooth)), 0, 255).astype(np.uint8)


def test_fine_detail_ratio_thresholds():
    """Uniform kinds: under 0.6 of the source's fine detail is blurred, the rest ignored. Partial kinds and missed
    focus: under 0.6 defocus, over 0.8 sharp, between ignored (a window straddling the focus boundary)."""
    src = _texture(3)
    out = np.concatenate([_keep_detail(src[:1], 0.3), _keep_detail(src[1:2], 0.7), _keep_detail(src[2:], 0.95)])
    ratio = data.hf_energy(out) / data.hf_energy(src)
    assert ratio[0] < 0.5 and 0.65 < ratio[1] < 0.75 and ratio[2] > 0.9, ratio
    assert list(data.window_labels(src, out, "gaussian", "defocus")) == [DEFOCUS, IGNORED, IGNORED]
    assert list(data.window_labels(src, out, "linear_motion", "motion")) == [MOTION, IGNORED, IGNORED]
    assert list(data.window_labels(src, out, "partial_centre", "partial")) == [DEFOCUS, IGNORED, SHARP]
    # missed focus (category defocus) is judged like the partial kinds: its sharp background windows are sharp
    assert list(data.window_labels(src, out, "missed_focus", "defocus")) == [DEFOCUS, IGNORED, SHARP]


def test_flat_is_judged_on_the_source_window():
    """A low-contrast but textured window is not flat; one whose detail the blur wiped out is blurred, not flat
    (flatness is a property of the scene, not of the blur)."""
    faint = _texture(1, contrast=4.0, seed=1)
    assert 1.5 < float(data.hf_energy(faint)[0]) < 4.0
    assert list(data.window_labels(faint, faint, "none", "sharp")) == [SHARP]
    src = _texture(2, seed=2)
    wiped = np.full_like(src, 128)
    assert list(data.window_labels(src, wiped, "defocus", "defocus")) == [DEFOCUS, DEFOCUS]
    assert list(data.window_labels(src, wiped, "shake", "motion")) == [MOTION, MOTION]


def test_hf_energy_takes_windows_with_a_channel_axis():
    src = _texture(3, seed=3)
    assert np.array_equal(data.hf_energy(src[:, None]), data.hf_energy(src))


def test_lamps_decide_only_under_uniform_blur():
    """A lit window of a partial kind or of missed focus keeps its label from the detail ratio."""
    src = _texture(2, seed=4)
    lit = np.array([True, True])
    assert list(data.window_labels(src, src, "partial_subject", "partial", lit)) == [SHARP, SHARP]
    assert list(data.window_labels(src, src, "missed_focus", "defocus", lit)) == [SHARP, SHARP]
    assert list(data.window_labels(src, src, "defocus", "defocus", lit)) == [DEFOCUS, DEFOCUS]


def test_image_labels_follow_the_synth_labels():
    """Every kind whose synthetic photo is labelled sharp is image label 0, blurry 1, except missed focus (-1: not
    used by the image rule)."""
    for kind in synth.BLUR_KINDS:
        want = -1 if kind == "missed_focus" else {"sharp": 0, "blurry": 1}[synth.LABEL[kind]]
        assert data.image_label(kind) == want, kind


def test_to_gray_reads_rgb():
    red = np.zeros((4, 4, 3), np.uint8)
    red[..., 0] = 255
    assert (data.to_gray(red) == 76).all()  # BT.601: 0.299 * 255


def _lamp_areas(lamps: np.ndarray) -> np.ndarray:
    n, _, stats, centres = cv2.connectedComponentsWithStats((lamps > 0).astype(np.uint8))
    return stats[1:, cv2.CC_STAT_AREA], centres[1:]


def test_night_lamps_spread_over_the_frame_and_scale_with_it():
    xs, small, large = [], [], []
    for seed in range(6):
        wide = np.full((100, 1000, 3), 120, np.uint8)
        _, lamps = data.night_scene(wide, np.random.default_rng(seed))
        xs += list(_lamp_areas(lamps)[1][:, 0])
        for size, areas in ((1024, small), (2048, large)):
            _, lamps = data.night_scene(np.full((size // 2, size, 3), 120, np.uint8), np.random.default_rng(seed))
            areas += list(_lamp_areas(lamps)[0])
    assert max(xs) > 500  # lamps anywhere along the wide side, not only within its height
    assert np.median(large) > 2.5 * np.median(small)  # the radius is in px at 1024 px: twice as wide at 2048


def test_softened_photos_keep_their_colours_and_lose_fine_detail():
    rng = np.random.default_rng(6)
    img = np.zeros((96, 128, 3), np.uint8)
    img[..., 0] = rng.integers(150, 256, (96, 128))  # red, with fine detail
    img[..., 2] = 20
    for seed in range(4):
        out = data.soften_output(img, np.random.default_rng(seed))
        assert out.shape == img.shape
        assert out[..., 0].mean() > 150 and out[..., 2].mean() < 40  # still red, not swapped to blue
    # a black/white edge on a JPEG block boundary: the JPEG alone keeps it hard, the softening does not
    edge = np.zeros((64, 128, 3), np.uint8)
    edge[:, 64:] = 255
    for seed in range(6):
        out = data.soften_output(edge, np.random.default_rng(seed))
        assert out[:, 63].min() > 10 and out[:, 64].max() < 245, seed


def test_night_exposure_is_in_linear_light():
    """The scene is darkened by the drawn exposure in linear light, whatever the draw (8-bit scaling would darken
    by about the exposure to the power 2.2)."""
    from blurscan.synth import camera as cam

    src = np.ascontiguousarray(np.random.default_rng(7).integers(40, 220, (120, 160, 3)).astype(np.uint8))
    lo, hi = data.NIGHT_EXPOSURE
    for seed in range(10):
        out, lamps = data.night_scene(src, np.random.default_rng(seed))
        unlit = lamps == 0
        ratio = cam.srgb_to_linear(out)[unlit].mean() / cam.srgb_to_linear(src)[unlit].mean()
        assert lo * 0.9 <= ratio <= hi * 1.1, (seed, ratio)


def _job(tmp_path, rgb: np.ndarray, kind: str, index: int) -> data.Job:
    src = tmp_path / "src.png"
    if not src.exists():
        cv2.imwrite(str(src), np.ascontiguousarray(rgb[..., ::-1]))
    return data.Job(str(src), "src.png", "train", index, kind, 0, 64, 12, str(tmp_path / f"{kind}-{index}.npz"),
                    (("strong", 1.0),), 0.0)


def _labels(job: data.Job) -> np.ndarray:
    data.make_one(job)
    with np.load(job.out) as z:
        return z["labels"]


def test_every_window_holding_a_lamp_is_blurred_in_a_shaken_night_scene(tmp_path):
    """On a featureless source the night scene's only detail is its lamps: every window that is not flat holds one,
    and under camera shake each of them is labelled motion, whatever its streak's fine detail."""
    grey = np.full((256, 320, 3), 110, np.uint8)
    for index in range(3):
        labels = _labels(_job(tmp_path, grey, "night-shake", index))
        assert (labels == MOTION).any()
        assert set(labels.tolist()) <= {FLAT, MOTION}, labels


def test_blur_under_strong_noise_is_measured_on_the_noiseless_twin(tmp_path):
    """A faint fine texture under strong shake: its detail is gone, and the sensor noise on top (as strong as the
    texture) does not make its windows look sharp or undecided."""
    faint = np.clip(110 + np.random.default_rng(8).normal(0, 2.5, (256, 320, 1)), 0, 255).astype(np.uint8)
    faint = np.ascontiguousarray(np.repeat(faint, 3, axis=2))
    textured = blurred = 0
    for index in range(4):
        labels = _labels(_job(tmp_path, faint, "shake", index))
        textured += int((labels != FLAT).sum())
        blurred += int((labels == MOTION).sum())
    assert textured > 0 and blurred >= 0.9 * textured, (blurred, textured)
