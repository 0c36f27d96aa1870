"""``bench/softness.py``: the rows it groups the two targets' images into, and its table's figures measured on
real scans of a generated photo, sharp and blurred (the table the model card's targets note cites)."""
from __future__ import annotations

import cv2
import numpy as np

from blurscan.config import ScanSettings
from blurscan.evaluate import score_paths
from blurscan.manifest_rows import ManifestRow

from helpers_bench import bench_module

softness = bench_module("softness")


def _row(file, label, set_name, partial=False, path=""):
    return ManifestRow(file=file, path=path, label=label, partial=partial, set=set_name)


def test_each_image_falls_in_its_sets_row_and_the_rest_is_left_out():
    assert softness.group_of(_row("ab-1-defocus.jpg", "blurry", "synthetic-moderate")) == "synthetic moderate"
    assert softness.group_of(_row("ab-2-minfilter.jpg", "blurry", "synthetic-strong")) == \
        "synthetic min-filter strong"
    assert softness.group_of(_row("ab-0-none.jpg", "sharp", "synthetic-sharp")) == "synthetic sharp"
    assert softness.group_of(_row("gopro/x.jpg", "sharp", "gopro")) == "gopro sharp"
    assert softness.group_of(_row("levin2009/blurry/im1_ker1.png", "blurry", "levin2009")) == "levin2009 blurry"
    # partly blurred photos and the other sets are not the two targets' images
    assert softness.group_of(_row("cuhk/input/motion0138.jpg", "blurry", "cuhk", partial=True)) is None
    assert softness.group_of(_row("multifocus/a.png", "blurry", "multifocus", partial=True)) is None


def test_the_table_measures_a_blurred_photo_blurrier_than_its_sharp_original(tmp_path):
    rng = np.random.default_rng(3)
    sharp = np.zeros((600, 800, 3), np.uint8)
    for _ in range(120):  # a scene of hard-edged shapes
        x, y = rng.integers(0, 780), rng.integers(0, 580)
        cv2.rectangle(sharp, (int(x), int(y)), (int(x + rng.integers(8, 90)), int(y + rng.integers(8, 90))),
                      [int(v) for v in rng.integers(0, 256, 3)], -1)
    cv2.imwrite(str(tmp_path / "s-0-none.png"), sharp)
    cv2.imwrite(str(tmp_path / "s-1-gaussian.png"), cv2.GaussianBlur(sharp, (0, 0), 4))
    rows = [_row("s-0-none.png", "sharp", "synthetic-sharp", path=str(tmp_path / "s-0-none.png")),
            _row("s-1-gaussian.png", "blurry", "synthetic-strong", path=str(tmp_path / "s-1-gaussian.png"))]
    records = score_paths([r.path for r in rows], ScanSettings(workers=1))
    lines = softness.table(rows, records)
    assert lines[0].startswith("| set | analysis size | photos |")
    body = {line.split(" | ")[0].lstrip("| "): line.split(" | ") for line in lines[2:]}
    assert set(body) == {"synthetic sharp", "synthetic strong"}
    assert all(cells[1] == "< 1024 px" and cells[2] == "1" for cells in body.values())

    def median(cells, column):
        return float(cells[column].split(" (")[0])

    assert median(body["synthetic strong"], 3) < median(body["synthetic sharp"], 3) / 10  # Laplacian variance
    assert median(body["synthetic strong"], 4) > median(body["synthetic sharp"], 4)  # p_blurry
    assert body["synthetic strong"][5].rstrip(" |") == "100 %" and body["synthetic sharp"][5].rstrip(" |") == "0 %"


def test_without_the_shared_data_it_says_where_it_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BLURSCAN_SHARED_DATA", str(tmp_path))
    assert softness.main(["--out", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and str(tmp_path) in captured.err and "BLURSCAN_SHARED_DATA" in captured.err
