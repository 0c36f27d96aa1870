"""A phone camera's finished picture beside the capture it was made from, in ``blurscan bursts``. Google Camera
keeps both in the camera folder: ``PXL_..._123.PORTRAIT-01.COVER.jpg`` (the background blurred on purpose)
beside ``PXL_..._123.PORTRAIT-02.ORIGINAL.jpg`` (all of it sharp), and the same for long exposures and action
pans (motion blur on purpose) and RAW captures. Found by a walkthrough of a phone library copied to a laptop:
each pair shares its capture time and layout, so it was a two-shot "burst" whose sharper capture was the
keeper, and ``move --from-bursts`` proposed to move the portrait the phone shows. Like an iPhone's
``IMG_E0001.JPG`` beside ``IMG_0001.HEIC``, the pair is one shot, kept."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from blurscan.bursts.twins import camera_original_stem, edits_of, lone_edits, original_stem
from blurscan.cli import main
from helpers_images import blurred, scene, shifted


def _jpeg(path: Path, img: np.ndarray, taken: str) -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken  # DateTimeOriginal
    Image.fromarray(img).save(path, quality=92, exif=exif)


def _portrait(img: np.ndarray) -> np.ndarray:
    """``img`` with all but a middle band blurred, as a phone's portrait mode renders the background."""
    out = blurred(img, 4.0)
    h = img.shape[0]
    out[h // 3: 2 * h // 3] = img[h // 3: 2 * h // 3]
    return out


PAIRS = [("PXL_20240601_142203123.PORTRAIT-01.COVER.jpg", "PXL_20240601_142203123.PORTRAIT-02.ORIGINAL.jpg"),
         ("PXL_20240601_142203123.PORTRAIT.jpg", "PXL_20240601_142203123.PORTRAIT.ORIGINAL.jpg"),
         ("PXL_20240601_142203123.LONG_EXPOSURE-01.COVER.jpg", "PXL_20240601_142203123.LONG_EXPOSURE-02.ORIGINAL.jpg"),
         ("00100sPORTRAIT_00100_BURST20190601142203123_COVER.jpg", "00000PORTRAIT_00000_BURST20190601142203123.jpg")]


@pytest.mark.parametrize("finished, capture", PAIRS)
def test_a_phones_portrait_beside_its_capture_is_no_burst(tmp_path, finished, capture):
    lib = tmp_path / "DCIM" / "Camera"
    lib.mkdir(parents=True)
    a = scene(41)
    _jpeg(lib / capture, a, "2024:06:01 14:22:03")
    _jpeg(lib / finished, _portrait(a), "2024:06:01 14:22:03")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(tmp_path), "--model", "none", "--workers", "1"]).exit_code == 0
    res = runner.invoke(main, ["bursts", str(tmp_path), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == ""   # one shot: no burst (it was one of two, the portrait proposed for removal)
    dry = runner.invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(tmp_path)])
    assert dry.exit_code == 0, dry.output
    assert finished not in dry.output and "would move" not in dry.output


def test_a_portrait_in_a_burst_goes_with_its_capture_which_is_kept(tmp_path):
    lib = tmp_path / "Camera"
    lib.mkdir()
    a = scene(42)
    _jpeg(lib / "PXL_20240601_142203123.jpg", blurred(shifted(a, 2, 0), 3.0), "2024:06:01 14:22:03")
    _jpeg(lib / "PXL_20240601_142205456.PORTRAIT-02.ORIGINAL.jpg", blurred(a, 2.0), "2024:06:01 14:22:05")
    _jpeg(lib / "PXL_20240601_142205456.PORTRAIT-01.COVER.jpg", _portrait(blurred(a, 2.0)), "2024:06:01 14:22:05")
    _jpeg(lib / "PXL_20240601_142207789.jpg", shifted(a, 1, 1), "2024:06:01 14:22:07")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    res = runner.invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    [group] = [json.loads(line) for line in res.stdout.splitlines()]
    members = {Path(m["path"]).name: m for m in group["members"]}
    assert "PXL_20240601_142205456.PORTRAIT-01.COVER.jpg" not in members
    capture = members["PXL_20240601_142205456.PORTRAIT-02.ORIGINAL.jpg"]
    assert capture["edits"] == [str(lib / "PXL_20240601_142205456.PORTRAIT-01.COVER.jpg")]
    assert capture["is_keeper"] is True
    # the phone made the portrait, not the person: the reasons said "you edited it" until 2026-12-06
    assert capture["reason"] == ("the phone made a picture from it (PXL_20240601_142205456.PORTRAIT-01.COVER.jpg): "
                                 "kept with it")
    for other in ("PXL_20240601_142203123.jpg", "PXL_20240601_142207789.jpg"):
        assert members[other]["reason"].startswith(
            "PXL_20240601_142205456.PORTRAIT-02.ORIGINAL.jpg is kept, the phone made a picture from it; ")
    dry = runner.invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib)])
    assert "PXL_20240601_142203123.jpg [burst]" in dry.output and "PORTRAIT" not in dry.output


def test_names_of_a_phones_finished_pictures():
    assert camera_original_stem("PXL_20240601_142203123.PORTRAIT-01.COVER") == \
        "PXL_20240601_142203123.PORTRAIT-02.ORIGINAL"
    assert camera_original_stem("PXL_20240601_142203123.NIGHT.RAW-01.MP.COVER") == \
        "PXL_20240601_142203123.NIGHT.RAW-02.ORIGINAL"
    assert camera_original_stem("pxl_20240601_142203123.action_pan-01.cover") == \
        "pxl_20240601_142203123.action_pan-02.ORIGINAL"
    assert camera_original_stem("PXL_20240601_142203123.PORTRAIT") == "PXL_20240601_142203123.PORTRAIT.ORIGINAL"
    assert camera_original_stem("00100lrPORTRAIT_00100_BURST20200329125701697_COVER") == \
        "00000PORTRAIT_00000_BURST20200329125701697"
    # a Google Camera burst's cover is one of its shots, not a finished picture of another
    for stem in ("IMG_20190701_100000_BURST001_COVER", "00000IMG_00000_BURST20190701100000_COVER",
                 "PXL_20240601_142203123", "PXL_20240601_142203123.MP", "PXL_20240601_142203123.PORTRAIT-02.ORIGINAL"):
        assert camera_original_stem(stem) is None, stem
    # alone, a finished picture is a shot like any other, not a version the person edited
    alone = ["/l/PXL_20240601_142203123.PORTRAIT-01.COVER.jpg", "/l/PXL_20240601_142203124.jpg"]
    assert edits_of(alone) == {} and lone_edits(alone, {}) == set()
    assert original_stem("PXL_20240601_142203123.PORTRAIT-01.COVER") is None


def test_a_capture_with_a_phones_picture_and_a_persons_edit_names_each_as_made():
    from blurscan.bursts.reason_names import edited_words, kept_first_reason, kept_for

    phone, person = "/l/X.PORTRAIT-01.COVER.jpg", "/l/X.PORTRAIT-02.ORIGINAL-edited.jpg"
    assert edited_words([person, phone]) == ("you edited it (X.PORTRAIT-02.ORIGINAL-edited.jpg); "
                                             "the phone made a picture from it (X.PORTRAIT-01.COVER.jpg)")
    assert kept_first_reason([person, phone]).endswith(": a shot you edited is kept")
    assert (kept_for([phone]), kept_for([person, phone]), kept_for(None)) == (
        "the phone made a picture from it", "you edited it", "you edited it")
