"""Shots of one scene at different sizes (a web export, a thumbnail, a data set's resized copy beside the
original): a picture below the analysis size is analysed at its own size, never upscaled, so its sharpness
figures read sharper than its original's at 1024 px. Until 2026-12-05 ``bursts`` kept the smaller copy and
proposed the full-resolution original for removal (``sharpest of 2: laplacian_var_norm 339 vs 292``); the 32 x 32
copy of a 512-px photo was kept over it. Now such shots are told apart by the verdict (a shot the model calls
blurry loses), else by their pixels."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from blurscan.bursts import rank_group
from blurscan.records import ScanRecord
from helpers_cli import run
from helpers_images import blurred, textured


def _scan_bursts_move(lib: Path, tmp_path: Path, *scan_options: str) -> tuple[list[dict], str]:
    """``scan LIB``, the members of ``bursts LIB --format jsonl`` by file name, and ``move --from-bursts``'s dry
    run."""
    scanned = run("scan", lib, "--workers", "1", *scan_options)
    assert scanned.exit_code == 0, scanned.output
    listed = run("bursts", lib, "--format", "jsonl")
    assert listed.exit_code == 0, listed.output
    groups = [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]
    assert len(groups) == 1, groups
    members = [dict(m, name=Path(m["path"]).name) for m in groups[0]["members"]]
    moved = run("move", "--from-bursts", "--to", tmp_path / "out", lib)
    assert moved.exit_code == 0, moved.output
    return members, moved.stdout


def _original_and_copy(lib: Path, source: np.ndarray, original: str, copy: str, size: tuple[int, int]) -> None:
    lib.mkdir()
    Image.fromarray(source).save(lib / original, quality=95)
    Image.fromarray(source).resize(size, Image.LANCZOS).save(lib / copy, quality=92)


@pytest.mark.slow
@pytest.mark.parametrize("scan_options", [(), ("--model", "none")], ids=["model", "classical"])
def test_the_full_resolution_original_is_kept_over_its_downscaled_copy(tmp_path, scan_options):
    # a camera frame a little soft at full resolution, and its 1000-px export: at 1000 px the export measured
    # sharper (laplacian_var_norm 61.8 vs 49.4 at 1024 px) and was kept
    lib = tmp_path / "lib"
    _original_and_copy(lib, blurred(textured(3, (1536, 2040)), 1.5), "IMG_0001.jpg", "IMG_0001_1000.jpg", (1000, 753))
    members, moved = _scan_bursts_move(lib, tmp_path, *scan_options)
    assert [(m["name"], m["is_keeper"]) for m in members] == [("IMG_0001.jpg", True), ("IMG_0001_1000.jpg", False)]
    assert members[1]["reason"] == ("IMG_0001.jpg is better: more pixels: 2040x1536 vs 1000x753 (sharpness not "
                                    "comparable: the smaller was measured at its own size)")
    assert members[0]["reason"].startswith("best of 2: more pixels: 2040x1536 vs 1000x753 (sharpness not comparable")
    assert "would move IMG_0001_1000.jpg [burst]" in moved and "would move IMG_0001.jpg" not in moved, moved


def test_of_three_sizes_of_one_photo_the_largest_is_kept(tmp_path):
    from skimage import data

    lib = tmp_path / "lib"
    lib.mkdir()
    astronaut = Image.fromarray(data.astronaut())  # 512 x 512, the demo's astronaut.jpg
    for side in (512, 128, 32):
        astronaut.resize((side, side), Image.LANCZOS).save(lib / f"astronaut_{side}.jpg", quality=92)
    members, moved = _scan_bursts_move(lib, tmp_path)
    assert [m["name"] for m in members] == ["astronaut_512.jpg", "astronaut_128.jpg", "astronaut_32.jpg"]
    assert [m["is_keeper"] for m in members] == [True, False, False]
    assert "more pixels: 512x512 vs 32x32 (sharpness not comparable" in members[2]["reason"]
    assert "would move astronaut_512.jpg" not in moved, moved


def test_a_smaller_shot_wins_over_a_larger_one_the_model_calls_blurry(tmp_path):
    """The larger shot is truly blurry (verdict ``blurry``), the smaller is not: the verdict, made for each photo
    at its own size, decides before the pixels. (The same keeper as before, on the model's figure then.)"""
    lib = tmp_path / "lib"
    sharp = blurred(textured(3, (1536, 2040)), 1.5)
    lib.mkdir()
    Image.fromarray(blurred(sharp, 6.0)).save(lib / "IMG_0002.jpg", quality=95)
    Image.fromarray(sharp).resize((1000, 753), Image.LANCZOS).save(lib / "IMG_0002_1000.jpg", quality=92)
    members, moved = _scan_bursts_move(lib, tmp_path)
    assert [(m["name"], m["is_keeper"]) for m in members] == [("IMG_0002_1000.jpg", True), ("IMG_0002.jpg", False)]
    assert members[1]["reason"].startswith("IMG_0002_1000.jpg is better: verdict sharp vs blurry (sharpness not "
                                           "comparable"), members[1]["reason"]
    assert "would move IMG_0002.jpg [burst]" in moved, moved


def _shot(name: str, size: tuple[int, int], sharpness: float, verdict: str = "sharp", p: float = 0.1) -> ScanRecord:
    return ScanRecord(path=f"/p/{name}.jpg", width=size[0], height=size[1], verdict=verdict, p_blurry=p,
                      scores={"laplacian_var_norm": sharpness}, captured_at="2024-06-01T10:00:00")


def test_sizes_measured_at_one_scale_rank_on_sharpness_as_before():
    """A guard: shots of one size, both reaching the analysis size (1024 px), within the pixel margin, or a crop
    of a 1024-px frame, are ranked on their sharpness figures whatever their pixels."""
    # both at least 1024 px: the smaller, sharper, is kept
    ranked = rank_group([_shot("big", (4000, 3000), 300.0), _shot("small", (1024, 768), 900.0)])
    assert ranked[0].path == "/p/small.jpg" and "laplacian_var_norm 900 vs 300" in ranked[0].reason
    # one size below 1024 px (a 640 x 480 burst)
    ranked = rank_group([_shot("a", (640, 480), 300.0), _shot("b", (640, 480), 900.0)])
    assert ranked[0].path == "/p/b.jpg"
    # within the 10 % margin: a re-framed shot
    ranked = rank_group([_shot("a", (640, 480), 300.0), _shot("b", (620, 465), 900.0)])
    assert ranked[0].path == "/p/b.jpg"
    # a crop of a 1024-px frame (8 % a side): both analysed at their own size, at the same pixel scale
    ranked = rank_group([_shot("frame", (1024, 768), 300.0), _shot("crop", (942, 707), 900.0)])
    assert ranked[0].path == "/p/crop.jpg"


def test_sizes_not_measured_at_one_scale_rank_on_the_verdict_then_pixels():
    # not comparable, neither blurry: pixels, whichever order and whatever the model says
    ranked = rank_group([_shot("small", (1000, 750), 900.0, "partial", 0.4), _shot("big", (2000, 1500), 300.0)],
                        order=("classical", "model", "pixels"))
    assert ranked[0].path == "/p/big.jpg"
    # both blurry: pixels too
    ranked = rank_group([_shot("small", (500, 375), 90.0, "blurry", 0.8), _shot("big", (2000, 1500), 3.0, "blurry",
                                                                              0.99)])
    assert ranked[0].path == "/p/big.jpg"
    # both at their own size, the larger over 10 % longer (a 256-px and a 224-px copy)
    ranked = rank_group([_shot("224", (224, 224), 900.0), _shot("256", (256, 256), 300.0)])
    assert ranked[0].path == "/p/256.jpg" and "sharpness not comparable" in ranked[1].reason
