"""Bursts of photos without an EXIF time (their files' times) taken across a change of daylight-saving time,
grouped in the computer's time zone Europe/Berlin by the real command line: shots a second apart across the
night the clocks go forward are one burst, shots an hour apart that the night the clocks go back gives the same
wall-clock time are not (until 2026-12-05 it was the other way round: the files' times were compared as local
wall-clock times)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpers_cli import jsonl
from helpers_images import blurred, save_jpeg, textured

pytestmark = pytest.mark.skipif(not os.path.exists("/usr/share/zoneinfo/Europe/Berlin"),
                                reason="needs the system's time zone data")

FORWARD = 1774745999  # 2026-03-29 01:59:59 CET; a second later it is 03:00:00 CEST
BACK = 1792888200     # 2026-10-25 02:30:00 CEST; an hour later it is 02:30:00 CET


def _groups(tmp_path, first: int, second: int) -> int:
    lib = tmp_path / "lib"
    img = textured(7, (240, 320))
    for name, pixels, when in (("a.jpg", img, first), ("b.jpg", blurred(img, 3.0), second)):
        os.utime(save_jpeg(lib / name, pixels), (when, when))
    env = {**os.environ, "TZ": "Europe/Berlin"}
    for args in (("scan", lib, "--model", "none"), ("bursts", lib, "--format", "jsonl")):
        done = subprocess.run([sys.executable, "-m", "blurscan", *map(str, args)], capture_output=True, env=env,
                              timeout=120)
        assert done.returncode == 0, done.stderr.decode()
    return len(jsonl(done.stdout.decode()))  # (one object per group)


@pytest.mark.slow
def test_shots_a_second_apart_across_the_clocks_going_forward_are_a_burst(tmp_path):
    assert _groups(tmp_path, FORWARD, FORWARD + 1) == 1


@pytest.mark.slow
def test_shots_an_hour_apart_with_the_same_wall_clock_time_when_the_clocks_go_back_are_not(tmp_path):
    assert _groups(tmp_path, BACK, BACK + 3600) == 0
