"""A camera RAW whose sensor has one colour (a monochrome camera's DNG: a colour filter pattern of one colour),
which LibRaw develops as one channel: judged as a grey photo (until 2026-12-05 its error was a page of OpenCV's
C++ about the number of channels). The DNG is written by the test (tifffile), as ``helpers_raw`` writes colour
ones."""
from __future__ import annotations

import io

import numpy as np
import tifffile
from PIL import Image

from blurscan.decode import decode, thumbnail

from helpers_cli import jsonl, run

WHITE = 4095


def _mono_dng(path, gray: np.ndarray):
    sensor = (gray.astype(np.float32) / 255.0 * WHITE).astype(np.uint16)
    tags = [(50706, "B", 4, (1, 4, 0, 0), True), (50708, "s", 0, "monochrome test camera", True),
            (50717, "I", 1, WHITE, True), (33421, "H", 2, (1, 1), True), (33422, "B", 1, (1,), True)]
    with tifffile.TiffWriter(path) as tw:
        tw.write(sensor, photometric=32803, subfiletype=0, bitspersample=16, extratags=tags)
    return path


def _gray(h=96, w=128) -> np.ndarray:
    rng = np.random.default_rng(3)
    return (rng.random((h, w)) * 255).astype(np.uint8)


def test_monochrome_dng_is_decoded_as_grey(tmp_path):
    dng = _mono_dng(tmp_path / "M0001.DNG", _gray())
    got = decode(dng)
    assert got.format == "DNG"
    assert (got.width, got.height) == (128, 96)
    assert got.gray.ndim == 2 and got.gray.std() > 10
    with Image.open(io.BytesIO(thumbnail(dng, 64))) as im:
        assert im.mode == "RGB" and max(im.size) <= 128


def test_monochrome_dng_is_scored_by_the_scan(tmp_path):
    (tmp_path / "shoot").mkdir()
    _mono_dng(tmp_path / "shoot" / "M0001.DNG", _gray())
    out = run("scan", tmp_path / "shoot", "--db", tmp_path / "s.db", "--format", "jsonl")
    rows = jsonl("\n".join(line for line in out.output.splitlines() if line.startswith("{")))
    assert [(r["format"], r["verdict"]) for r in rows] == [("DNG", "sharp")], out.output
    assert "OpenCV" not in out.output


def test_monochrome_dng_shows_its_sensor_values_after_a_colour_raw(tmp_path):
    """LibRaw's development of a one-colour sensor was uncorrelated with its values, and all black once a larger
    colour RAW had been developed in the same process (half of the suite's runs, until 2026-12-05): the grey
    picture judged is the sensor's own, at half size."""
    import cv2

    from helpers_raw import write_dng

    rng = np.random.default_rng(5)
    colour = write_dng(tmp_path / "C0001.DNG", (rng.random((480, 640, 3)) * 255).astype(np.uint8), preview=None)
    assert decode(colour).format == "DNG"  # (developed by LibRaw: no preview)
    source = cv2.GaussianBlur(_gray(), (0, 0), 2.0)  # (a picture with structure a half-size pass keeps)
    source = cv2.normalize(source, None, 0, 255, cv2.NORM_MINMAX)
    for _ in range(3):
        got = decode(_mono_dng(tmp_path / "M0001.DNG", source))
        assert got.gray.std() > 10
        expected = cv2.resize(source, got.gray.shape[::-1], interpolation=cv2.INTER_AREA).astype(np.float64)
        assert np.corrcoef(expected.ravel(), got.gray.astype(np.float64).ravel())[0, 1] > 0.95


def test_monochrome_dng_grey_levels_follow_its_black_and_white_levels_and_the_curve(tmp_path):
    """The grey of each sensor value (found by mutation testing): the file's black level (BlackLevel) is black, its
    white level white, and between them LibRaw's default curve (BT.709: 4.5 x below 0.018, else 1.099 x^0.45 -
    0.099); a value below the black level counts as black before the half-size average (a 2 x 2 block of one
    such and one at half the range is a quarter of the range, as LibRaw subtracts the black level)."""
    black, white = 256, WHITE
    span = white - black
    bands = [black, black + round(0.01 * span), black + round(0.1 * span), black + round(0.5 * span), None, white]
    sensor = np.empty((96, 32 * len(bands)), np.uint16)
    for i, value in enumerate(bands):
        if value is None:  # (a checkerboard: 0, below the black level, and half the range)
            sensor[:, 32 * i:32 * (i + 1)] = black + round(0.5 * span)
            sensor[0::2, 32 * i:32 * (i + 1):2] = 0
            sensor[1::2, 32 * i + 1:32 * (i + 1):2] = 0
        else:
            sensor[:, 32 * i:32 * (i + 1)] = value
    tags = [(50706, "B", 4, (1, 4, 0, 0), True), (50708, "s", 0, "monochrome test camera", True),
            (50717, "I", 1, white, True), (50714, "I", 1, black, True), (33421, "H", 2, (1, 1), True),
            (33422, "B", 1, (1,), True)]
    path = tmp_path / "M0002.DNG"
    with tifffile.TiffWriter(path) as tw:
        tw.write(sensor, photometric=32803, subfiletype=0, bitspersample=16, extratags=tags)
    got = decode(path)
    assert got.gray.shape == (48, 16 * len(bands))  # (half size)

    def grey(linear: float) -> int:
        curve = 4.5 * linear if linear < 0.018 else 1.099 * linear ** 0.45 - 0.099
        return int(curve * 255 + 0.5)

    expected = [grey(max(0, v - black) / span) if v is not None else grey(0.25) for v in bands]
    assert expected == [0, 11, 74, 180, 125, 255]
    assert [int(np.median(got.gray[:, 16 * i + 2:16 * (i + 1) - 2])) for i in range(len(bands))] == expected
