"""A colour TIFF of floating-point samples (an HDR merge or a 32-bit export, a scientific camera's file) is whole,
but Pillow cannot read it: the scan said `corrupt TIFF (cannot read header)`, sending the user to look for damage.
It now says what the file holds; a TIFF whose header is really cut short is still `corrupt`."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from blurscan.config import ScanSettings
from blurscan.pipeline import scan
from helpers_images import textured

tifffile = pytest.importorskip("tifffile")


def _errors(folder):
    return {r.path.rsplit("/", 1)[-1]: r.error for r in scan([str(folder)], ScanSettings(model="none", workers=1))}


def test_float_colour_tiffs_are_named_unsupported_not_corrupt(tmp_path):
    rgb = textured(seed=3)
    tifffile.imwrite(tmp_path / "hdr32.tif", rgb.astype(np.float32) / 255, photometric="rgb")
    tifffile.imwrite(tmp_path / "hdr16be.tif", (rgb.astype(np.float16) / 255).astype(">f2"), photometric="rgb")
    tifffile.imwrite(tmp_path / "rgba64.tif", np.dstack([rgb, rgb[..., :1]]).astype(np.float64) / 255,
                     photometric="rgb", extrasamples=["unassalpha"])
    tifffile.imwrite(tmp_path / "gray32.tif", rgb[..., 0].astype(np.float32) / 255)  # Pillow reads this one
    (tmp_path / "cut.tif").write_bytes((tmp_path / "hdr32.tif").read_bytes()[:6])
    errors = _errors(tmp_path)
    tail = " per pixel (HDR or scientific data; blurscan reads 8- and 16-bit integer TIFFs)"
    assert errors == {"hdr32.tif": "unsupported TIFF: 3 samples of 32-bit floating point" + tail,
                      "hdr16be.tif": "unsupported TIFF: 3 samples of 16-bit floating point" + tail,
                      "rgba64.tif": "unsupported TIFF: 4 samples of 64-bit floating point" + tail,
                      "gray32.tif": None,
                      "cut.tif": "truncated TIFF"}  # (until 2026-12-06 "corrupt TIFF (cannot read header)")


# One picture stored as floats in the ranges editors and tools write. Until 2026-12-04 values were taken as
# 0..1 only when none exceeded 1: one highlight at 1.5 (an HDR merge) made the picture black (scored sharp,
# "nothing to judge", a black thumbnail), and a 0..65535 or 0..4095 file came out white.

def _float_tiffs(folder, gray: np.ndarray, stem: str) -> dict[str, str]:
    unit = gray.astype(np.float32) / 255
    lit = np.where(gray == 255, np.float32(1.5), unit)  # the lamp beyond white, as in an HDR merge
    stores = {"unit": unit, "highlights": lit, "deep": unit * 65535, "twelve_bit": unit * 4095,
              "bytes": gray.astype(np.float32)}
    paths = {}
    for kind, arr in stores.items():
        paths[kind] = str(folder / f"{stem}_{kind}.tif")
        Image.fromarray(arr, mode="F").save(paths[kind])
    return paths


@pytest.mark.parametrize("blur", [0, 3])
def test_one_picture_stored_in_any_float_range_is_judged_alike(tmp_path, blur):
    import cv2

    from helpers_images import blurred

    rgb = textured(seed=5, size=(480, 640))
    cv2.circle(rgb, (500, 100), 12, (255, 255, 255), -1)  # a lamp, white in the 8-bit picture
    gray = cv2.cvtColor(blurred(rgb, blur) if blur else rgb, cv2.COLOR_RGB2GRAY)
    paths = _float_tiffs(tmp_path, gray, "shot")
    records = {r.path: r for r in scan([str(tmp_path)], ScanSettings(workers=1))}
    got = {kind: records[p] for kind, p in paths.items()}
    assert all(r.error is None for r in got.values()), {k: r.error for k, r in got.items()}
    ref = got["unit"]
    assert ref.laplacian_var > 1 and 0 <= ref.p_blurry <= 1
    assert ref.verdict == ("blurry" if blur else "sharp")
    for kind, r in got.items():
        assert r.verdict == ref.verdict, kind
        assert r.p_blurry == pytest.approx(ref.p_blurry, abs=0.03), kind
        assert r.laplacian_var == pytest.approx(ref.laplacian_var, rel=0.05), kind


def test_float_highlights_do_not_darken_the_picture_nor_its_thumbnail(tmp_path):
    from blurscan.decode import decode, thumbnail

    rgb = textured(seed=6, size=(480, 640))
    gray = np.ascontiguousarray(rgb[..., 1])
    gray[300:320, 200:230] = 255
    paths = _float_tiffs(tmp_path, gray, "hdr")
    sky = gray.astype(np.float32) / 255
    sky[:160] = 1.2 + sky[:160]  # a bright sky, a third of the frame above 1: clipped white, the rest as it was
    Image.fromarray(sky, mode="F").save(tmp_path / "sky.tif")
    ref = decode(paths["unit"], baseline=False).gray
    assert abs(int(ref.mean()) - int(gray.mean())) <= 2
    for kind in ("highlights", "deep", "twelve_bit"):
        assert np.abs(decode(paths[kind], baseline=False).gray.astype(int) - ref).mean() < 1, kind
    lit = decode(tmp_path / "sky.tif", baseline=False).gray
    assert (lit[:160] == 255).all() and np.array_equal(lit[160:], ref[160:])

    def mean(path):
        import io
        return np.asarray(Image.open(io.BytesIO(thumbnail(path, 256))).convert("L"), dtype=float).mean()

    assert mean(paths["highlights"]) == pytest.approx(mean(paths["unit"]), abs=2)
    assert mean(paths["deep"]) == pytest.approx(mean(paths["unit"]), abs=2)


# The same day's fix told 0..1 from the median and 0..255 from the maximum: a 0..255 picture sharpened in floats
# (values past 255) was read as 0..1023, four times too dark (scored blurrier: its laplacian_var a sixteenth),
# and a dark 0..255 picture (a night sky, mostly 0) as 0..1, every star and lit patch white.

def _unsharp(gray: np.ndarray, amount: float) -> np.ndarray:
    import cv2

    f = gray.astype(np.float32)
    return f + amount * (f - cv2.GaussianBlur(f, (0, 0), 2))


@pytest.mark.parametrize("amount", [0.6, 1.5])
def test_a_0_255_picture_sharpened_in_floats_keeps_its_brightness_and_its_score(tmp_path, amount):
    from blurscan.decode import decode

    gray = np.clip(textured(seed=7, size=(480, 640))[..., 1].astype(int) + 60, 0, 255).astype(np.uint8)
    sharp = _unsharp(gray, amount)
    assert sharp.max() > 255 and np.percentile(sharp, 99.9) > 255  # overshoot, as an unsharp mask gives
    Image.fromarray(sharp, mode="F").save(tmp_path / "sharpened.tif")
    Image.fromarray(np.clip(np.rint(sharp), 0, 255).astype(np.uint8)).save(tmp_path / "clipped.png")
    got = decode(tmp_path / "sharpened.tif", baseline=False).gray
    assert np.abs(got.astype(int) - decode(tmp_path / "clipped.png", baseline=False).gray).max() <= 1
    records = {r.path.rsplit("/", 1)[-1]: r for r in scan([str(tmp_path)], ScanSettings(model="none", workers=1))}
    assert records["sharpened.tif"].laplacian_var == pytest.approx(records["clipped.png"].laplacian_var, rel=0.02)
    assert records["sharpened.tif"].verdict == records["clipped.png"].verdict == "sharp"


def _night(soften: float) -> np.ndarray:
    import cv2

    rng = np.random.default_rng(0)
    sky = np.zeros((400, 600), np.float32)
    sky[rng.random(sky.shape) < 0.01] = 255  # stars
    sky[100:200, 100:300] = 40  # a dim lit patch
    return cv2.GaussianBlur(sky, (0, 0), soften) if soften else sky


@pytest.mark.parametrize("soften", [0, 1])
def test_a_dark_0_255_picture_is_not_read_as_0_1(tmp_path, soften):
    from blurscan.decode import decode, decode_array

    sky = _night(soften)
    Image.fromarray(sky, mode="F").save(tmp_path / "night.tif")
    want = np.clip(np.rint(sky), 0, 255).astype(np.uint8)
    for got in (decode(tmp_path / "night.tif", baseline=False).gray, decode_array(sky, baseline=False).gray):
        assert got.shape == want.shape and np.abs(got.astype(int) - want).max() <= 1
        assert got[150, 200] == 40


def test_an_hdr_merge_with_bright_windows_is_still_0_1(tmp_path):
    """A room exposed for its inside, its windows five stops brighter over a tenth of the frame: 0..1, the
    windows white (a rule on the 99.9th percentile alone would read it as 0..255, black)."""
    from blurscan.decode import decode

    gray = textured(seed=8, size=(480, 640))[..., 1]
    room = gray.astype(np.float32) / 255
    room[:, :64] *= 32
    Image.fromarray(room, mode="F").save(tmp_path / "room.tif")
    got = decode(tmp_path / "room.tif", baseline=False).gray
    assert (got[:, :64] >= 250).mean() > 0.9 and np.array_equal(got[:, 64:], gray[:, 64:])


def test_infinite_highlights_are_white_as_the_clipped_ones(tmp_path):
    """An HDR merge's overflow (plus infinity) is a highlight past any white: read as white, as the same highlights
    clipped at 1.0 are. Until 2026-12-05 it was 0: black holes with hard edges in the highlights of a blurred
    picture, which read as sharp detail (the picture below scored p_blurry 0.15 where its clipped copy scores 0.63;
    a blurred Kodak photo so stored, `partial` where its clipped copy is `blurry`)."""
    import cv2

    from helpers_cli import jsonl, run
    from helpers_images import blurred

    gray = cv2.cvtColor(blurred(textured(seed=5, size=(360, 480)), 3.0), cv2.COLOR_RGB2GRAY).astype(np.float32) / 255
    top = gray > np.percentile(gray, 97)
    clipped, overflow = gray.copy(), gray.copy()
    clipped[top], overflow[top] = 1.0, np.inf
    clipped[0, 0] = overflow[0, 0] = -np.inf  # (black either way)
    Image.fromarray(clipped, mode="F").save(tmp_path / "a_clipped.tif")
    Image.fromarray(overflow, mode="F").save(tmp_path / "b_overflow.tif")
    result = run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    a, b = sorted(jsonl(result.stdout), key=lambda r: r["path"])
    assert a["status"] == b["status"] == "ok"
    for key in ("verdict", "p_blurry", "laplacian_var", "laplacian_var_norm", "sharp_tiles"):
        assert a[key] == b[key], key


@pytest.mark.parametrize("fill", [np.nan, np.inf, -np.inf])
def test_a_float_tiff_with_no_finite_pixel_is_an_error_record_as_its_array_is_refused(tmp_path, fill):
    """An all-NaN float TIFF (a failed export, a mask of nodata) was scored `sharp`, p_blurry 0, a flat picture,
    while `score_image` of the same array refused it: both now refuse it, the scan with a record naming why."""
    from helpers_cli import jsonl, run

    import blurscan
    from blurscan.errors import DecodeError

    pixels = np.full((120, 160), fill, np.float32)
    Image.fromarray(pixels, mode="F").save(tmp_path / "nodata.tif")
    Image.fromarray(np.where(np.arange(160) < 80, np.float32(0.7), pixels), mode="F").save(tmp_path / "half.tif")
    result = run("scan", tmp_path, "--format", "jsonl", "--workers", "1")
    assert result.exit_code == 0, result.output  # one bad file never stops a scan
    records = {r["path"].rsplit("/", 1)[-1]: r for r in jsonl(result.stdout)}
    reason = "no finite pixel value (all NaN or infinite): nothing to judge"
    assert (records["nodata.tif"]["status"], records["nodata.tif"]["error"]) == ("error", reason)
    assert records["nodata.tif"]["verdict"] is None and records["nodata.tif"]["p_blurry"] is None
    assert f"{tmp_path / 'nodata.tif'}: {reason}" in result.stderr
    assert records["half.tif"]["status"] == "ok"  # some finite pixels: judged, as before
    for given in (pixels, Image.open(tmp_path / "nodata.tif"), tmp_path / "nodata.tif"):
        with pytest.raises(DecodeError, match="no finite"):
            blurscan.score_image(given)
