"""A photo whose EXIF gives a figure as several rationals (an ISO written as two RATIONAL values, as some
converters do): scanned like any other, its first value read. Until 2026-12-06 the scan divided the first by
the second, which Pillow's rationals refuse: the photo was an error, ``cannot decode: TypeError: unsupported
operand type(s) for /: 'IFDRational' and 'IFDRational'``, never scored nor offered for review."""
from __future__ import annotations

import os
import sqlite3
import struct

import numpy as np
from PIL import Image

from blurscan.exif import exif_dict

from helpers_cli import jsonl, run
from helpers_exif import DOUBLE, RATIONAL, SHORT, raw_exif, rationals


def test_a_photo_with_its_iso_as_two_rationals_is_scanned(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    pixels = Image.fromarray((np.random.default_rng(0).random((60, 80, 3)) * 255).astype(np.uint8))
    pixels.save(photos / "two_rationals.jpg", exif=raw_exif(
        [], [(0x8827, RATIONAL, 2, rationals((400, 1), (3, 4))), (0x829D, RATIONAL, 2, rationals((28, 10), (0, 0)))]))
    pixels.save(photos / "plain.jpg", exif=raw_exif([], [(0x8827, SHORT, 1, struct.pack("<H", 400))]))

    result = run("scan", photos, "--model", "none", "--format", "jsonl")
    records = {r["path"].rsplit("/", 1)[-1]: r for r in jsonl(result.stdout)}
    assert {name: r["status"] for name, r in records.items()} == {"two_rationals.jpg": "ok", "plain.jpg": "ok"}, \
        records["two_rationals.jpg"].get("error")
    with Image.open(photos / "two_rationals.jpg") as im:
        assert {k: exif_dict(im.getexif())[k] for k in ("iso", "f_number")} == {"iso": 400, "f_number": 2.8}


def test_a_rational_as_two_integers_is_still_their_quotient():
    assert exif_dict(_Tags({0x829A: (1, 250)}))["exposure_time"] == 0.004  # (as older Pillow gave a rational)


class _Tags(dict):
    """An ``Image.Exif`` stand-in: the Exif IFD's tags."""

    def get_ifd(self, tag):
        return dict(self) if tag == 0x8769 else {}


def test_a_photo_whose_exposure_is_past_the_floats_range_is_scanned_without_one(tmp_path):
    # DOUBLE values (TIFF type 12) the rationals cannot give: N^2 / t is 0 (1e-200 squared) or inf (1e-308 under)
    photos = tmp_path / "photos"
    photos.mkdir()
    pixels = Image.fromarray((np.random.default_rng(0).random((60, 80, 3)) * 255).astype(np.uint8))
    iso = (0x8827, SHORT, 1, struct.pack("<H", 100))
    for name, t, n in (("zero.jpg", 1e-308, 1e-200), ("huge.jpg", 1e-308, 1e200), ("plain.jpg", 1 / 250, 2.8)):
        pixels.save(photos / name, exif=raw_exif([], [iso, (0x829A, DOUBLE, 1, struct.pack("<d", t)),
                                                      (0x829D, DOUBLE, 1, struct.pack("<d", n))]))

    result = run("scan", photos, "--model", "none", "--format", "jsonl")
    records = {r["path"].rsplit("/", 1)[-1]: r for r in jsonl(result.stdout)}
    assert {name: (r["status"], r.get("error")) for name, r in records.items()} == {
        "zero.jpg": ("ok", None), "huge.jpg": ("ok", None), "plain.jpg": ("ok", None)}
    with sqlite3.connect(photos / ".blurscan.db") as conn:  # (stored as JSON: no -Infinity, which SQLite refuses)
        stored = dict(conn.execute("SELECT path, json_extract(record, '$.exposure_ev') FROM images"))
    assert {os.path.basename(path): ev for path, ev in stored.items()} == {
        "zero.jpg": None, "huge.jpg": None, "plain.jpg": 10.94}


def test_exposure_figures_no_float_can_hold_are_none():
    """EXIF (or a RAW's) values of infinity or NaN are no figures: the tags read as none, the exposure in EV, and
    the bias of the exposure setting, none (kills the mutants of :mod:`blurscan.exif` that drop each
    ``math.isfinite`` check: an infinite ISO gave an exposure of -inf, a NaN bias was kept)."""
    from blurscan.exif import exposure_setting, exposure_value

    read = exif_dict(_Tags({0x829A: float("inf"), 0x829D: 2.8, 0x9204: float("-inf")}))
    assert read.get("exposure_time") is None and read.get("exposure_bias") is None and read["f_number"] == 2.8
    assert exposure_value({"exposure_time": 1 / 250, "f_number": 2.8, "iso": float("inf")}) is None
    assert exposure_value({"exposure_time": 1 / 250, "f_number": 2.8, "iso": 100}) == 10.94
    assert exposure_setting({"exposure_mode": 1, "exposure_bias": float("nan")}) == [1, None]
