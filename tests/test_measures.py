"""Classical measures on real photos and generated images: exactness, monotonicity, the tile rule."""
from __future__ import annotations

import subprocess
import sys

import cv2
import numpy as np
import pytest
from hypothesis import given, settings as hsettings, strategies as st
from PIL import Image

from blurscan import fingerprint, measures, tiles
from blurscan.config import ScanSettings
from blurscan.decode import decode, decode_array
from blurscan.errors import BlurscanError


def real_grays(shared_data, n=6):
    """A few sharp real photos (analysis-scale gray) from different sets."""
    paths = (sorted((shared_data / "kodak24").glob("*"))[:3] + sorted((shared_data / "div2k").glob("*.jpg"))[:2]
             + sorted((shared_data / "urban100").rglob("*.jpg"))[:1])
    return [decode(p).gray for p in paths[:n]]


# ------------------------------------------------------------------------------------- laplacian_var

def test_laplacian_var_equals_float64_reference_on_real_photos(shared_data):
    for path in sorted((shared_data / "div2k").glob("*.jpg"))[:3]:
        gray = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        assert measures.laplacian_var(gray) == pytest.approx(cv2.Laplacian(gray, cv2.CV_64F).var(),
                                                             rel=1e-12, abs=1e-12)


@hsettings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40), st.integers(0, 2**32 - 1), st.sampled_from(["noise", "binary"]))
def test_laplacian_var_equals_float64_reference_any_image(h, w, seed, kind):
    rng = np.random.default_rng(seed)
    gray = rng.integers(0, 256, (h, w), dtype=np.uint8)
    if kind == "binary":  # extreme values: |L| reaches 4 * 255
        gray = np.where(gray > 127, 255, 0).astype(np.uint8)
    ref = cv2.Laplacian(gray, cv2.CV_64F).var()
    assert measures.laplacian_var(gray) == pytest.approx(ref, rel=1e-9, abs=1e-9)
    for strip in (1, 2, 3, 7):  # banded computation: identical whatever the band height
        assert measures.laplacian_var(gray, strip_rows=strip) == pytest.approx(ref, rel=1e-9, abs=1e-9)


def _exact_laplacian_var(gray: np.ndarray) -> float:
    """``E[L^2] - E[L]^2`` of the int16 Laplacian from its exact integer sums (NumPy's int64)."""
    lap = cv2.Laplacian(gray, cv2.CV_16S).astype(np.int64)
    n = lap.size
    mean = int(lap.sum()) / n
    return float(max(0.0, int((lap * lap).sum()) / n - mean * mean))


def test_laplacian_var_is_the_exact_variance_whatever_the_bands(shared_data):
    # OpenCV's norm (NORM_L2SQR) of an int16 band is an integer returned a unit in its last place off at times,
    # and the sum of the bands' figures carried it: 512-row bands gave 99.26187505440501 for a 12-MP photo
    # whose figure from the exact sums is 99.261875054405, and another band height another last digit
    photos = sorted((shared_data / "div2k").glob("*.jpg"))[:4]
    grays = [cv2.imread(str(p), cv2.IMREAD_GRAYSCALE) for p in photos]
    grays.append(cv2.resize(np.tile(grays[0], (2, 2)), None, fx=1.0, fy=1.0))  # 2x the rows and columns
    for gray in grays:
        exact = _exact_laplacian_var(gray)
        for strip in (64, 128, 300, 512, gray.shape[0]):
            assert measures.laplacian_var(gray, strip_rows=strip) == exact, (gray.shape, strip)


@hsettings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40), st.integers(0, 2**32 - 1), st.sampled_from(["noise", "binary"]))
def test_laplacian_var_sum_from_the_edges_is_exact(h, w, seed, kind):
    # the Laplacian's sum is read from the outer rows and columns (it telescopes): the same as summing it,
    # thin images (1 or 2 rows or columns) and extreme values included
    rng = np.random.default_rng(seed)
    gray = rng.integers(0, 256, (h, w), dtype=np.uint8)
    if kind == "binary":
        gray = np.where(gray > 127, 255, 0).astype(np.uint8)
    assert measures._laplacian_sum(gray) == int(cv2.Laplacian(gray, cv2.CV_16S).astype(np.int64).sum())
    assert measures.laplacian_var(gray) == _exact_laplacian_var(gray)


def test_laplacian_var_rejects_bad_input():
    with pytest.raises(BlurscanError, match="`gray` must be a 2-D array"):
        measures.laplacian_var(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(BlurscanError, match="uint8"):
        measures.laplacian_var(np.zeros((4, 4), np.float32))


# ------------------------------------------------------------------------------------- monotonicity

@pytest.mark.parametrize("name", ["laplacian_var_norm", "tenengrad", "sharp_tile_ratio"])
def test_measure_falls_as_blur_grows(shared_data, name):
    for gray in real_grays(shared_data):
        values = []
        for sigma in (0, 1, 2, 4):
            g = gray if sigma == 0 else cv2.GaussianBlur(gray, (0, 0), sigma)
            values.append(measures.compute_gray(g)[name])
        if name == "sharp_tile_ratio":
            # a ratio of two bands: once both are gone (sigma ~4) it sits at its noise floor
            assert values[0] > values[1] > values[2] and values[3] < values[1], (name, values)
        else:
            assert all(a > b for a, b in zip(values, values[1:])), (name, values)


def test_blur_effect_rises_as_blur_grows_and_stays_in_range(shared_data):
    for gray in real_grays(shared_data):
        values = [measures.blur_effect(gray if s == 0 else cv2.GaussianBlur(gray, (0, 0), s))
                  for s in (0, 1, 2, 4)]
        assert all(a < b for a, b in zip(values, values[1:])), values
        assert all(0.0 <= v <= 1.0 for v in values)


def test_blur_effect_matches_scikit_image(shared_data):
    skm = pytest.importorskip("skimage.measure")
    for gray in real_grays(shared_data, 3):
        assert measures.blur_effect(gray) == pytest.approx(skm.blur_effect(gray), abs=1e-5)
        for h_size in (5, 11):
            g = cv2.GaussianBlur(gray, (0, 0), 2)
            assert measures.blur_effect(g, h_size) == pytest.approx(skm.blur_effect(g, h_size), abs=1e-5)


def _shake_kernel(length=15):
    """A curved hand-shake path (an arc), like the measured kernels of Levin et al. (2009)."""
    k = np.zeros((length + 2, length + 2), np.float32)
    t = np.linspace(0, np.pi * 0.75, 4 * length)
    c = length / 2
    for x, y in zip(c + c * np.cos(t), c + c * np.sin(t) * 0.8):
        k[int(round(y)) + 1, int(round(x)) + 1] = 1
    return k / k.sum()


def test_motion_blur_lowers_measures(shared_data):
    for gray in real_grays(shared_data, 3):
        smeared = cv2.filter2D(gray, -1, _shake_kernel())
        a, b = measures.compute_gray(gray), measures.compute_gray(smeared)
        assert b["laplacian_var_norm"] < a["laplacian_var_norm"] / 3
        assert b["tenengrad"] < a["tenengrad"]
        assert measures.blur_effect(smeared) > measures.blur_effect(gray)
        assert b["sharp_tile_ratio"] < a["sharp_tile_ratio"]
        assert measures.classical_verdict(a) == "sharp"


def test_real_camera_shake_is_called_blurry(shared_data, manifest):
    """Levin et al. (2009): sharp photos convolved with 8 *measured* camera-shake kernels."""
    rows = [r for r in manifest if r["set"] == "levin2009"]
    blurred = [r for r in rows if r["label"] == "blurry"]
    sharp = [r for r in rows if r["label"] == "sharp"]
    assert len(blurred) >= 20
    verdicts = [measures.classical_verdict(measures.compute(decode(shared_data / r["file"]))) for r in blurred]
    assert verdicts.count("blurry") >= 0.9 * len(blurred)
    lap_sharp = np.median([measures.compute(decode(shared_data / r["file"]))["laplacian_var_norm"]
                           for r in sharp])
    lap_blur = np.median([measures.compute(decode(shared_data / r["file"]))["laplacian_var_norm"]
                          for r in blurred[::4]])
    assert lap_blur < lap_sharp / 2


def test_linear_motion_blur_is_caught(shared_data):
    """A straight smear leaves edges parallel to it sharp (an isotropic measure is fooled); the tile
    rule judges each tile in its least sharp direction."""
    k = np.zeros((9, 9), np.float32)
    k[4, :] = 1 / 9
    for gray in real_grays(shared_data, 4):
        for kernel in (k, k.T):
            smeared = cv2.filter2D(gray, -1, kernel)
            a, b = measures.compute_gray(gray), measures.compute_gray(smeared)
            assert b["sharp_tile_ratio"] < a["sharp_tile_ratio"] * 0.75
            assert measures.classical_verdict(b) == "blurry"


# ------------------------------------------------------------------------------------- tile rule

def _noise(shape, sigma, seed=0):
    return np.random.default_rng(seed).normal(0, sigma, shape)


def test_flat_images_are_not_called_blurry():
    h, w = 768, 1024
    y, x = np.mgrid[0:h, 0:w]
    flat = {
        "uniform": np.full((h, w), 128.0),
        "sky gradient + sensor noise": 90 + 80 * y / h + 10 * x / w + _noise((h, w), 1.5),
        "studio backdrop vignette": 200 - 60 * ((x - w / 2) ** 2 + (y - h / 2) ** 2) / (w * w / 2)
        + _noise((h, w), 1.0),
    }
    for name, img in flat.items():
        gray = np.clip(np.rint(img), 0, 255).astype(np.uint8)
        scores = measures.compute_gray(gray)
        assert scores["textured_fraction"] == 0.0, name
        assert measures.classical_verdict(scores, ScanSettings()) == "sharp", name
        # ... whereas the seed rule calls every one of them blurry
        assert measures.baseline_verdict(measures.laplacian_var(gray)) == "blurry", name


def test_small_sharp_subject_on_plain_background(shared_data):
    """A sharp object filling a few tiles of a plain wall is sharp; the same object blurred is blurry."""
    subject = real_grays(shared_data, 1)[0][:200, :260]
    canvas = np.clip(np.rint(180 + _noise((768, 1024), 1.0)), 0, 255).astype(np.uint8)
    canvas[300:500, 400:660] = subject
    s = measures.compute_gray(canvas)
    assert 0 < s["textured_fraction"] < 0.3
    assert measures.classical_verdict(s) == "sharp"
    # the whole frame out of focus (so the subject's outline is soft too), then fresh sensor noise
    soft = cv2.GaussianBlur(canvas.astype(np.float64), (0, 0), 2) + _noise(canvas.shape, 1.0, seed=1)
    soft = np.clip(np.rint(soft), 0, 255).astype(np.uint8)
    s = measures.compute_gray(soft)
    assert s["textured_tiles"] >= 2
    assert measures.classical_verdict(s) == "blurry"


def test_tile_rule_does_not_depend_on_contrast(shared_data):
    """A dim, low-contrast but sharp photo: the seed rule says blurry, the tile rule does not."""
    gray = real_grays(shared_data, 2)[1]
    dim = np.clip(np.rint(100 + (gray.astype(np.float32) - 128) * 0.3), 0, 255).astype(np.uint8)
    assert measures.baseline_verdict(measures.laplacian_var(dim)) == "blurry"
    assert measures.classical_verdict(measures.compute_gray(dim)) == "sharp"


def test_tile_grid_shape_and_texture_mask():
    gray = np.full((768, 1024), 128, np.uint8)
    gray[:384, :512] = np.random.default_rng(0).integers(0, 256, (384, 512), dtype=np.uint8)
    grid = tiles.tile_grid(gray)
    assert grid.shape == (6, 8)
    assert grid.textured[:3, :4].all() and not grid.textured[3:, :].any() and not grid.textured[:, 4:].any()
    assert grid.sharp[:3, :4].all() and not grid.sharp[3:, :].any()  # noise is "sharp"; flat tiles never are
    tiny = tiles.tile_grid(np.zeros((5, 7), np.uint8))
    assert tiny.shape == (1, 1)


def test_classical_verdict_on_real_sets(shared_data, manifest):
    """Sharp photos mostly sharp, their blurred copies mostly blurry, real partial focus not blurry."""
    sharp = [r for r in manifest if r["set"] == "kodak24"]
    ok_sharp = ok_blur = 0
    for r in sharp:
        gray = decode(shared_data / r["file"]).gray
        ok_sharp += measures.classical_verdict(measures.compute_gray(gray)) == "sharp"
        ok_blur += measures.classical_verdict(measures.compute_gray(cv2.GaussianBlur(gray, (0, 0), 2.5))) \
            == "blurry"
    assert ok_sharp >= 0.9 * len(sharp) and ok_blur >= 0.9 * len(sharp)
    multifocus = [r for r in manifest if r["set"] == "multifocus"][::4]
    not_blurry = sum(measures.classical_verdict(measures.compute(decode(shared_data / r["file"]))) == "sharp"
                     for r in multifocus)
    assert not_blurry >= 0.75 * len(multifocus)


def test_compute_contract(shared_data):
    d = decode(sorted((shared_data / "kodak24").glob("*"))[0])
    scores = measures.compute(d)
    assert set(scores) >= {"laplacian_var_norm", "tenengrad", "textured_fraction",
                           "sharp_tile_fraction", "sharp_tiles", "textured_tiles", "sharp_tile_ratio"}
    assert all(isinstance(v, float) and np.isfinite(v) for v in scores.values())
    assert "laplacian_var" not in scores  # the baseline has its own record field
    assert scores["laplacian_var_norm"] == measures.laplacian_var(d.gray)
    assert isinstance(measures.MEASURE_VERSION, str) and measures.MEASURE_VERSION
    assert measures.baseline_verdict(None) is None
    assert measures.baseline_verdict(99.0, ScanSettings()) == "blurry"
    assert measures.baseline_verdict(150.0, ScanSettings(laplacian_threshold=200)) == "blurry"


def test_measures_do_not_modify_input():
    gray = np.random.default_rng(3).integers(0, 256, (100, 120), dtype=np.uint8)
    before = gray.copy()
    measures.compute_gray(gray)
    measures.laplacian_var(gray)
    assert np.array_equal(gray, before)


# ------------------------------------------------------------------------------------- fingerprints

def test_phash_groups_a_burst_and_separates_scenes(shared_data):
    paths = sorted((shared_data / "kodak24").glob("*"))[:3]
    a, b = decode(paths[0]), decode(paths[1])
    h = fingerprint.phash(a)
    assert len(h) == 16 and int(h, 16) >= 0
    blurred = decode_array(cv2.GaussianBlur(a.rgb, (0, 0), 3))
    shifted = decode_array(np.ascontiguousarray(a.rgb[6:, 8:]))
    assert fingerprint.distance(h, fingerprint.phash(blurred)) <= 8
    assert fingerprint.distance(h, fingerprint.phash(shifted)) <= 12
    assert fingerprint.distance(h, fingerprint.phash(b)) >= 16
    assert fingerprint.distance(fingerprint.dhash(a), fingerprint.dhash(blurred)) <= 12
    assert fingerprint.phash(a) == fingerprint.phash(a.gray)
    # the same photo at another resolution hashes alike (computed at the analysis scale)
    small = Image.fromarray(a.rgb).resize((a.rgb.shape[1] // 2, a.rgb.shape[0] // 2))
    assert fingerprint.distance(h, fingerprint.phash(decode_array(np.asarray(small)))) <= 6


def test_phash_is_imagehash_phash_on_real_and_random_images(manifest, shared_data):
    """Our OpenCV-DCT phash gives imagehash's (SciPy-DCT) hash bit for bit, so hashes stored by either match."""
    import imagehash

    rows = [r for r in manifest if r["set"] in ("kodak24", "bsd100", "gopro", "levin2009", "multifocus")][::3]
    rng = np.random.default_rng(5)
    arrays = [cv2.imread(str(shared_data / r["file"]), cv2.IMREAD_GRAYSCALE) for r in rows]
    arrays += [rng.integers(0, 256, (int(rng.integers(9, 400)), int(rng.integers(9, 400))), dtype=np.uint8)
               for _ in range(30)]
    assert len(arrays) > 60
    for gray in arrays:
        ours = fingerprint.phash(gray)
        theirs = str(imagehash.phash(fingerprint._gray_image(gray), hash_size=fingerprint.HASH_SIZE))
        assert ours == theirs


def test_scoring_a_photo_does_not_import_scipy():
    """SciPy's import alone cost 0.22 s of CPU per scan worker; the scan path must not load it."""
    code = ("import sys, numpy as np; from blurscan.pipeline import score_image; "
            "score_image(np.random.default_rng(0).integers(0, 255, (300, 400, 3), dtype=np.uint8)); "
            "print(sorted(m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", out.stdout


def test_a_scene_blurred_until_no_tile_is_textured_is_still_blurry():
    """No textured tile: a wall or a sky has nothing to judge (sharp), a photo blurred that far is blurry."""
    import skimage.data

    rng = np.random.default_rng(3)
    for name in ("chelsea", "camera"):
        img = getattr(skimage.data, name)()
        gray = img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
        blurred = cv2.GaussianBlur(gray, (0, 0), 10)
        scores = measures.compute_gray(blurred)
        assert scores["textured_tiles"] == 0  # the case this rule is for
        assert measures.classical_verdict(scores) == "blurry", name
    wall = np.clip(200 + rng.normal(0, 2, (768, 1024)), 0, 255).astype(np.uint8)
    sky = np.clip(np.linspace(60, 230, 768)[:, None] + rng.normal(0, 3, (768, 1024)), 0, 255).astype(np.uint8)
    for flat in (wall, sky):
        scores = measures.compute_gray(flat)
        assert scores["textured_tiles"] == 0
        assert scores["coarse_gradient"] < measures.COARSE_STRUCTURE_MIN
        assert measures.classical_verdict(scores) == "sharp"



@pytest.mark.parametrize("rows, cols, value", [((60, 60), (0, 0), 0), ((0, 0), (100, 100), 0),
                                               ((20, 20), (20, 20), 255)])
def test_flat_borders_do_not_count_as_sharp_tiles(rows, cols, value):
    """Bars or a frame around a blurred photo have a hard edge; the classical figures are of the picture
    inside, so the tile rule still calls it blurry, and the tile figures match the photo without borders.
    The seed baseline is not among these figures: it keeps the whole image."""
    from skimage import data as skdata

    gray = cv2.GaussianBlur(cv2.cvtColor(skdata.coffee(), cv2.COLOR_RGB2GRAY), (0, 0), 3.0)
    plain = measures.compute_gray(gray)
    assert measures.classical_verdict(plain) == "blurry"
    framed = measures.compute_gray(np.pad(gray, (rows, cols), constant_values=value))
    assert measures.classical_verdict(framed) == "blurry"
    assert framed["sharp_tiles"] == 0 and framed["textured_tiles"] == pytest.approx(plain["textured_tiles"], abs=2)


def test_version_table_matches_versions():
    """The module docstring's table of measure versions is what the cache key uses."""
    import re

    table = dict(re.findall(r"^``(\w+)``\s+(\d+)\s", measures.__doc__, re.M))
    assert table == measures.VERSIONS


def test_tenengrad_is_the_mean_squared_sobel_gradient_of_both_axes():
    """``mean(Gx**2 + Gy**2)``, as its docstring says: one axis alone, or half the sum, is not it. Stripes along
    x have no gradient along x: all of it is in Gy."""
    from helpers_images import textured

    stripes = np.zeros((64, 96), np.uint8)
    stripes[::8] = 200
    for img in (stripes, textured(5, (80, 120))[..., 0]):
        gx = cv2.Sobel(img, cv2.CV_64F, 1, 0, ksize=3)
        gy = cv2.Sobel(img, cv2.CV_64F, 0, 1, ksize=3)
        assert measures.tenengrad(img) == pytest.approx(float((gx ** 2 + gy ** 2).mean()), rel=1e-6)
    assert measures.tenengrad(stripes) > 0


def test_the_baseline_threshold_itself_is_sharp():
    """The seed rule is "blurry *below* 100": a Laplacian variance of exactly the threshold is sharp (as
    ``blurscan evaluate``'s ``laplacian@100`` counts it)."""
    assert measures.baseline_verdict(100.0) == "sharp"
    assert measures.baseline_verdict(99.999) == "blurry"
    assert measures.baseline_verdict(None) is None
    assert measures.baseline_verdict(250.0, ScanSettings(laplacian_threshold=250)) == "sharp"
    assert measures.baseline_verdict(249.9, ScanSettings(laplacian_threshold=250)) == "blurry"


def test_no_textured_tile_and_coarse_structure_at_the_cut_is_blurry():
    """``COARSE_STRUCTURE_MIN`` is the least coarse gradient called blurry when no tile is textured."""
    flat = {"textured_fraction": 0.0, "textured_tiles": 0.0, "sharp_tiles": 0.0}
    assert measures.classical_verdict({**flat, "coarse_gradient": measures.COARSE_STRUCTURE_MIN}) == "blurry"
    assert measures.classical_verdict({**flat, "coarse_gradient": measures.COARSE_STRUCTURE_MIN - 1e-6}) == "sharp"


def test_flat_borders_are_not_trimmed_below_twice_the_border_minimum():
    """A picture between black bars whose content would be under ``2 * BORDER_MIN_SIDE`` (32) px on an axis is
    measured whole on that axis (a few rows left of a small image are no picture to judge)."""
    from helpers_images import textured

    gray = np.zeros((60, 200), np.uint8)
    gray[15:45] = textured(6, (30, 200))[..., 0]  # less its 3 rows of margin each side: 24 rows, under 32
    assert measures.compute_gray(gray)["laplacian_var_norm"] == measures.laplacian_var(gray)
    taller = np.zeros((100, 200), np.uint8)
    taller[25:75] = textured(6, (50, 200))[..., 0]  # 44 rows: trimmed to them
    assert measures.compute_gray(taller)["laplacian_var_norm"] == measures.laplacian_var(taller[28:72])
