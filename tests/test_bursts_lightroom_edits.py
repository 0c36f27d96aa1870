"""Lightroom Classic's and Photoshop's edited versions in ``blurscan bursts``: ``IMG_0003-Edit.tif`` (Edit in
Photoshop, which keeps the RAW's capture time), ``IMG_0001-HDR.dng`` and ``-Pano.dng`` (Photo Merge),
``-Enhanced-NR.dng`` (Enhance) beside the camera's ``IMG_0003.CR2``. Found by a walkthrough of a wedding
photographer's library: the Photoshop edit of a burst's shot was a burst shot of its own, and ``move
--from-bursts`` proposed to move it (the retouched version a client was given) because a sharper frame was
beside it. Like an iPhone's ``IMG_E0001.JPG``, it is one shot with its original, and that shot is kept."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import tifffile
from click.testing import CliRunner
from PIL import Image

from blurscan.bursts.twins import original_stem
from blurscan.cli import main
from helpers_images import blurred, scene, shifted


def _jpeg(path: Path, img: np.ndarray, taken: str, fraction: str) -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769).update({0x9003: taken, 0x9291: fraction})  # DateTimeOriginal, SubSecTimeOriginal
    Image.fromarray(img).save(path, quality=92, exif=exif)


def _photoshop_tiff(path: Path, img: np.ndarray, taken: str, fraction: str) -> None:
    """An uncompressed RGB TIFF with the original's capture time in IFD0 (as TIFF/EP writes it)."""
    tifffile.imwrite(path, img, photometric="rgb",
                     extratags=[(36867, "s", 0, taken, True), (37521, "s", 0, fraction, True)])


@pytest.mark.parametrize("edit", ["IMG_0003-Edit.tif", "IMG_0003-Edit-2.tif", "IMG_0003-HDR.tif",
                                  "IMG_0003-Enhanced-NR.tif"])
def test_a_lightroom_edit_of_a_burst_shot_is_never_a_candidate(tmp_path, edit):
    lib = tmp_path / "2024-06-01_wedding"
    lib.mkdir()
    a = scene(71)
    taken = "2024:06:01 14:22:03"
    for n, img in enumerate([blurred(a, 3.0), shifted(a, 1, 0), blurred(shifted(a, 2, 0), 3.5),
                             blurred(shifted(a, 3, 1), 4.0)], start=1):
        _jpeg(lib / f"IMG_{n:04d}.JPG", img, taken, f"{n}0")
    _photoshop_tiff(lib / edit, blurred(shifted(a, 2, 0), 3.0), taken, "30")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    res = runner.invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    [group] = [json.loads(line) for line in res.stdout.splitlines()]
    members = {Path(m["path"]).name: m for m in group["members"]}
    assert edit not in members                           # the edit is no shot of the burst ...
    assert members["IMG_0003.JPG"]["edits"] == [str(lib / edit)]   # ... but of its original's,
    assert members["IMG_0003.JPG"]["is_keeper"] is True   # which is kept, as a shot a person edited is
    dry = runner.invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib)])
    assert dry.exit_code == 0, dry.output
    assert "IMG_0002.JPG [burst]" in dry.output
    assert edit not in dry.output and "IMG_0003.JPG" not in dry.output


def test_lightroom_and_photoshop_edit_names_name_their_original():
    for name in ("IMG_0001-Edit", "img_0001-Edit", "IMG_0001-Edit-2", "IMG_0001-HDR", "IMG_0001-HDR-2",
                 "IMG_0001-Pano", "IMG_0001-HDR-Pano", "IMG_0001-Enhanced", "IMG_0001-Enhanced-NR",
                 "IMG_0001-Enhanced-SR", "IMG_0001-Enhanced-RD", "IMG_0001-HDR-Edit", "IMG_0001-Enhanced-NR-Edit-2"):
        assert original_stem(name).upper() == "IMG_0001", name
    for name in ("IMG_0001", "IMG_0001-2", "IMG_0001-NR", "Beach-editorial", "Rio-Panorama", "-Edit", "HDR",
                 "IMG_0001-edit", "IMG_0001-hdr"):  # (Lightroom and Photoshop write their words in one case)
        assert original_stem(name) is None, name


def test_an_adobe_edit_name_holding_a_newline_names_its_original_whole():
    """A name can hold a newline (the other edit names are matched so): ``a\\nb-Edit`` edits ``a\\nb``, and a name
    ending in one is no Adobe edit (found by mutation testing: without DOTALL, or with ``$`` for ``\\Z``, every test
    passed)."""
    assert original_stem("IMG\n0001-Edit") == "IMG\n0001"
    assert original_stem("IMG_0001-HDR-Pano\n") is None
