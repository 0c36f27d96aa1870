"""A time-lapse in ``blurscan bursts``: frames an intervalometer took one each few seconds, of one scene. Each frame
is linked to the next, so 12 frames 5 s apart were one "burst" of 12 and ``move --from-bursts`` took 11 of them,
every frame the film needs (60 frames: 59). A group of ten shots or more at one regular interval of a second or more
is a series, not a burst; a camera's continuous mode (faster) and re-takes (irregular) still are bursts."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from helpers_images import scene
import pytest

T0 = dt.datetime(2024, 6, 1, 18, 0, 0)


def _frames(lib: Path, seconds: list[float], fraction: bool = True) -> list[str]:
    lib.mkdir(parents=True, exist_ok=True)
    rng, img, names = np.random.default_rng(0), scene(12).astype(np.float32), []
    for i, s in enumerate(seconds):
        exif = Image.Exif()
        when = T0 + dt.timedelta(seconds=s)
        sub = exif.get_ifd(0x8769)
        sub[0x9003] = when.strftime("%Y:%m:%d %H:%M:%S")
        if fraction:  # (else whole seconds, as a camera that writes no SubSecTimeOriginal)
            sub[0x9291] = f"{when.microsecond // 10000:02d}"
        frame = np.clip(img * (1 - 0.004 * i) + rng.normal(0, 2, img.shape), 0, 255).astype(np.uint8)
        names.append(f"DSC_{i:04d}.jpg")
        Image.fromarray(frame).save(lib / names[-1], quality=92, exif=exif)
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert res.exit_code == 0, res.output
    return names


def _sizes(lib: Path) -> list[int]:
    res = CliRunner().invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    return [json.loads(line)["size"] for line in res.stdout.splitlines()]


def test_a_time_lapse_is_no_burst(tmp_path):
    lib = tmp_path / "timelapse"
    _frames(lib, [5.0 * i for i in range(12)])
    assert _sizes(lib) == []  # (was one burst of 12, 11 candidates)
    dry = CliRunner().invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib)])
    assert dry.exit_code == 0, dry.output
    assert "would move" not in dry.output


def test_a_continuous_burst_and_irregular_retakes_still_are_bursts(tmp_path):
    _frames(tmp_path / "burst", [0.1 * i for i in range(12)])  # 10 frames a second
    assert _sizes(tmp_path / "burst") == [12]
    _frames(tmp_path / "retakes", [0, 1, 5, 7, 14, 15, 21, 24, 31, 33, 40])  # as the moment asked
    assert _sizes(tmp_path / "retakes") == [11]


@pytest.mark.slow
def test_bursts_of_a_camera_writing_whole_seconds_still_are_bursts(tmp_path):
    # 2 frames a second read 0, 1, 1, 2, 2, ...: their median interval was 1 s, a "time-lapse", and not listed
    _frames(tmp_path / "burst", [0.5 + 0.5 * i for i in range(11)], fraction=False)
    assert _sizes(tmp_path / "burst") == [11]
    _frames(tmp_path / "burst3", [0.2 + i / 3 for i in range(12)], fraction=False)  # (3 a second: a burst before too)
    assert _sizes(tmp_path / "burst3") == [12]
    _frames(tmp_path / "timelapse", [0.5 + 2.5 * i for i in range(12)], fraction=False)  # reads 2, 3, 2, 3: series
    assert _sizes(tmp_path / "timelapse") == []


def test_interval_series():
    from blurscan.bursts.series import interval_series

    exact, whole = [True] * 12, [False] * 12
    assert interval_series([5.0 * i for i in range(12)], exact)
    assert interval_series([float(int(2.5 * i)) for i in range(12)], whole)  # 2.5 s in whole seconds: 2, 3, 2, 3
    assert not interval_series([float(int(2.5 * i)) for i in range(12)], exact)  # (exact times: irregular)
    assert interval_series([5.0 * i for i in range(11)] + [60.0], exact)  # one frame missing (its own group)
    assert not interval_series([5.0 * i for i in range(9)], exact[:9])  # too few
    assert not interval_series([0.2 * i for i in range(12)], exact)  # continuous mode
    assert not interval_series([5.0 * i for i in range(11)] + [None], exact)
    # whole seconds: a regular interval reads as its two neighbouring whole seconds
    assert not interval_series([float(int(0.5 + 0.5 * i)) for i in range(11)], whole[:11])  # 2 a second: 0, 1, 0, 1
    assert not interval_series([float(int(0.2 + i / 1.5)) for i in range(12)], whole)  # 1.5 a second
    assert interval_series([float(int(0.3 + 1.5 * i)) for i in range(12)], whole)  # one each 1.5 s: 1, 2, 1, 2
    assert interval_series([float(int(0.7 + i)) for i in range(12)], whole)  # one a second
    assert interval_series([float(int(0.4 + 5 * i)) for i in range(11)] + [70.0], whole)  # one frame missing


def test_only_a_group_of_ten_shots_or_more_has_its_times_read_for_a_series(monkeypatch):
    """Whether a group is a time-lapse is asked of groups of :data:`MIN_FRAMES` shots or more alone (fewer is never
    a series): each shot's times were read again for every group, which made ``find_groups`` 1.5x slower on
    100,000 photos (bench/bursts.py). The same groups: bursts of 3 kept, the 10-frame time-lapse left out."""
    from blurscan.bursts import find_groups, grouping
    from blurscan.bursts.series import MIN_FRAMES
    from blurscan.records import ScanRecord

    def shots(start: float, n: int, step: float, hash_: int, name: str) -> list[ScanRecord]:
        return [ScanRecord(path=f"/lib/{name}_{i:02d}.jpg", phash=f"{hash_ ^ (1 << i):016x}",
                           captured_at=(T0 + dt.timedelta(seconds=start + i * step)).isoformat(timespec="milliseconds"))
                for i in range(n)]

    bursts = [shots(1000.0 * k, 3, 0.5, 0x0F0F_3C3C_5555_AAAA * (k + 1), f"burst{k}") for k in range(4)]
    lapse = shots(9000.0, MIN_FRAMES, 5.0, 0x1234_5678_9ABC_DEF0, "lapse")
    asked: list[str] = []
    real = grouping.exact_time
    monkeypatch.setattr(grouping, "exact_time", lambda r: asked.append(r.path) or real(r))
    groups = find_groups([r for g in bursts for r in g] + lapse)
    assert sorted([r.path for r in g] for g in groups) == sorted([r.path for r in g] for g in bursts)
    assert sorted(asked) == sorted(r.path for r in lapse)
