"""The edges of an exposure bracket in ``blurscan bursts`` (``exposure_ev``, since 2026-12-07): a camera's auto ISO
stepping a third of a stop at a time within a burst keeps it one burst; a lens that reports no aperture (a manual
lens writes FNumber 0) leaves the exposure unknown, never a number; an SQLite without JSON functions reads the
exposure and the fraction of a second as one with them does."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from blurscan.bursts import _grouping_rows
from blurscan.cli import main
from blurscan.store import Store
from helpers_images import scene
from test_bursts_replaced import _NoJson

T0 = dt.datetime(2024, 6, 1, 10, 0, 0)


def _burst(lib: Path, isos: list[int]) -> None:
    """A camera's continuous mode, 10 frames a second at 1/500 s f/5.6, auto ISO."""
    lib.mkdir(parents=True, exist_ok=True)
    rng, img = np.random.default_rng(0), scene(12).astype(np.float32)
    for i, iso in enumerate(isos):
        exif = Image.Exif()
        sub = exif.get_ifd(0x8769)
        sub[0x9003], sub[0x9291] = T0.strftime("%Y:%m:%d %H:%M:%S"), str(i)  # DateTimeOriginal, SubSecTimeOriginal
        sub[0x829A], sub[0x829D], sub[0x8827] = IFDRational(1, 500), IFDRational(56, 10), iso
        frame = np.clip(img * (1 - 0.004 * i) + rng.normal(0, 2, img.shape), 0, 255).astype(np.uint8)
        Image.fromarray(frame).save(lib / f"DSC_{i:04d}.jpg", quality=92, exif=exif)
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert res.exit_code == 0, res.output


def _sizes(lib: Path) -> list[int]:
    res = CliRunner().invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    return [json.loads(line)["size"] for line in res.stdout.splitlines()]


def test_auto_iso_in_third_stops_keeps_a_burst_one(tmp_path):
    _burst(tmp_path / "lib", [400, 400, 500, 500, 640, 640])  # 0.32 then 0.36 EV: each step within half a stop
    assert _sizes(tmp_path / "lib") == [6]


def test_no_aperture_or_iso_is_no_exposure():
    from blurscan.exif import exposure_value

    assert exposure_value({"exposure_time": 1 / 125, "f_number": 0.0, "iso": 100}) is None  # a manual lens
    assert exposure_value({"exposure_time": 1 / 125, "f_number": 8.0, "iso": 0}) is None
    assert exposure_value({"exposure_time": 1 / 125, "f_number": 8.0, "iso": 400}) == 10.97


def test_an_sqlite_without_json_functions_reads_the_exposure(tmp_path):
    _burst(tmp_path / "lib", [400, 1600, 400])
    with Store(tmp_path / "lib" / ".blurscan.db") as store:
        rows = sorted(tuple(r) for r in _grouping_rows(store.conn))
        assert [(r[7], r[8]) for r in rows] == [(0.0, 11.94), (0.1, 9.94), (0.2, 11.94)]
        assert sorted(tuple(r) for r in _grouping_rows(_NoJson(store.conn))) == rows
