"""rawpy (LibRaw) and pillow-heif (libheif) are imported on the first RAW / HEIC file, not when a scan worker
starts: importing them cost every worker process about 15 ms, in libraries without a single RAW or HEIC file.
Each check runs in a fresh interpreter (this one has imported both long ago) that scans with ``workers=1``: the
code a worker process runs, in the calling process. And the command line's help and version load none of the
heavy libraries a command uses."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import cv2
import pytest
from PIL import Image

from helpers_images import save_jpeg, save_png, textured

_SCAN = """
import json, sys
import blurscan
from blurscan.config import ScanSettings

records = list(blurscan.scan(sys.argv[1:], ScanSettings(workers=1)))
print(json.dumps({"records": {r.path.rsplit("/", 1)[1]: [r.status, r.format, r.width, r.height, r.note]
                              for r in records},
                  "loaded": [m for m in ("rawpy", "pillow_heif") if m in sys.modules]}))
"""


def _scan_fresh(*paths) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, "-c", _SCAN, *map(str, paths)], capture_output=True, text=True,
                         timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_library_of_jpegs_and_pngs_loads_neither_rawpy_nor_pillow_heif(tmp_path):
    save_jpeg(tmp_path / "IMG_0001.JPG", textured(1))
    save_png(tmp_path / "IMG_0002.png", textured(2))
    save_jpeg(tmp_path / "IMG_0003.heic", textured(3))  # a JPEG whose suffix says HEIC: judged by its content
    got = _scan_fresh(tmp_path)
    assert got["records"] == {"IMG_0001.JPG": ["ok", "JPEG", 320, 240, None],
                              "IMG_0002.png": ["ok", "PNG", 320, 240, None],
                              "IMG_0003.heic": ["ok", "JPEG", 320, 240, None]}
    assert got["loaded"] == []


def test_a_heic_named_jpg_and_a_raw_are_still_read_loading_their_library(tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    pytest.importorskip("tifffile")
    from helpers_raw import write_dng

    save_jpeg(tmp_path / "IMG_0001.JPG", textured(1))
    pillow_heif.from_pillow(Image.fromarray(textured(4))).save(tmp_path / "IMG_0004.jpg", quality=90)  # HEIC inside
    write_dng(tmp_path / "DSC_0005.DNG", textured(5, (400, 600)))
    got = _scan_fresh(tmp_path)
    assert got["records"] == {"IMG_0001.JPG": ["ok", "JPEG", 320, 240, None],
                              "IMG_0004.jpg": ["ok", "HEIF", 320, 240, None],
                              "DSC_0005.DNG": ["ok", "DNG", 600, 400, None]}
    assert sorted(got["loaded"]) == ["pillow_heif", "rawpy"]
    # the HEIC alone, in a fresh interpreter: the HEIF opener registered on its first decode, not before
    only = _scan_fresh(tmp_path / "IMG_0004.jpg")
    assert only["records"] == {"IMG_0004.jpg": ["ok", "HEIF", 320, 240, None]} and only["loaded"] == ["pillow_heif"]


def test_a_small_heic_beside_its_raw_is_judged_from_the_raw_in_a_fresh_process(tmp_path):
    """A RAW + HEIC pair whose HEIC is below the analysis size: the pair's header read (before any decode) needs
    Pillow's HEIF opener to tell the HEIC's size; without it the small HEIC itself was judged."""
    pillow_heif = pytest.importorskip("pillow_heif")
    pytest.importorskip("tifffile")
    from helpers_raw import write_dng

    rgb = textured(6, (1024, 1536))
    write_dng(tmp_path / "IMG_0006.DNG", rgb)
    small = cv2.resize(rgb, (768, 512), interpolation=cv2.INTER_AREA)
    pillow_heif.from_pillow(Image.fromarray(small)).save(tmp_path / "IMG_0006.HEIC", quality=90)
    got = _scan_fresh(tmp_path)
    assert got["records"] == {"IMG_0006.HEIC": [
        "ok", "DNG", 1536, 1024,
        "judged from the RAW twin IMG_0006.DNG: this file is 768 px on its long side, below the analysis size "
        "(1024 px)"]}


_CLI_HELP = """
import json, sys
import blurscan.cli

HEAVY = ("numpy", "cv2", "PIL", "onnxruntime", "rich", "flask", "sqlite3", "torch", "rawpy", "pillow_heif")
imported = [m for m in HEAVY if m in sys.modules]
from click.testing import CliRunner

runner = CliRunner()
runs = [["--help"], ["--version"]] + [[name, "--help"] for name in sorted(blurscan.cli.main.commands)]
codes = {" ".join(args): runner.invoke(blurscan.cli.main, args).exit_code for args in runs}
print(json.dumps({"imported": imported, "after_help": [m for m in HEAVY if m in sys.modules], "codes": codes}))
"""


def test_the_command_line_and_every_help_load_no_heavy_library():
    """``blurscan --help``, ``--version`` and a command's ``--help`` build the click commands and say their help:
    they loaded numpy (blurscan.records' annotations), OpenCV (``train``'s default epochs, from the training
    module), sqlite3 (the library folder's module) and more: about 0.35 s of the 0.4 s ``blurscan --version``
    took, and a longer window in which a Ctrl-C was Python's own traceback rather than blurscan's line."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, "-c", _CLI_HELP], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["imported"] == []
    assert got["after_help"] == []
    assert len(got["codes"]) > 10 and set(got["codes"].values()) == {0}, got["codes"]
