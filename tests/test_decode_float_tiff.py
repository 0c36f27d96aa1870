"""A colour TIFF of floating-point samples (an HDR merge or a 32-bit export, a scientific camera's file) is whole,
but Pillow cannot read it: the scan said `corrupt TIFF (cannot read header)`, sending the user to look for damage.
It now says what the file holds; a TIFF whose header is really cut short is still `corrupt`."""
from __future__ import annotations

import numpy as np
import pytest

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
                      "cut.tif": "corrupt TIFF (cannot read header)"}
