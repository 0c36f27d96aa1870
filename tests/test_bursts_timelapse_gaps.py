"""A time-lapse's frames with one missing in ``blurscan bursts``: an intervalometer that missed a frame (the camera
still writing), frames a person deleted, or one a passing bird set apart in its own group leave a gap of two or three
intervals. Counted as irregular, one such gap among a ten-frame series (or four among thirty) made the time-lapse one
"burst" again and ``move --from-bursts`` took every frame but one (until 2026-12-07). The boundaries a user meets: ten
frames a second or more apart are a series, nine or a camera's continuous mode (faster) are a burst."""
from __future__ import annotations

import datetime as dt

import numpy as np
from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from helpers_images import scene
from test_bursts_timelapse import T0, _frames, _sizes
import pytest


def test_a_time_lapse_with_a_frame_missing_is_no_burst(tmp_path):
    lib = tmp_path / "timelapse"
    _frames(lib, [5.0 * i for i in range(9)] + [50.0])  # ten frames, the tenth of eleven missing
    assert _sizes(lib) == []  # (was one burst of 10, 9 candidates)
    dry = CliRunner().invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib)])
    assert dry.exit_code == 0, dry.output
    assert "would move" not in dry.output


def test_a_time_lapse_some_of_whose_frames_were_deleted_is_no_burst(tmp_path):
    lib = tmp_path / "timelapse"
    _frames(lib, [5.0 * i for i in range(34) if i not in (4, 11, 19, 27)])  # 30 frames of 34
    assert _sizes(lib) == []  # (was one burst of 30, 29 candidates)


@pytest.mark.slow
def test_the_boundaries_ten_frames_and_a_second(tmp_path):
    _frames(tmp_path / "ten", [5.0 * i for i in range(10)])
    assert _sizes(tmp_path / "ten") == []  # ten frames: a series
    _frames(tmp_path / "nine", [5.0 * i for i in range(9)])
    assert _sizes(tmp_path / "nine") == [9]  # nine: a burst
    _frames(tmp_path / "second", [1.0 * i for i in range(10)])
    assert _sizes(tmp_path / "second") == []  # one a second: a series
    _frames(tmp_path / "half", [0.5 * i for i in range(12)])
    assert _sizes(tmp_path / "half") == [12]  # two a second: a camera's continuous mode


def test_re_takes_two_or_three_seconds_apart_are_a_burst(tmp_path):
    """Known to a fraction of a second, 2, 3, 2, 3 s apart is no one interval: re-takes, not a time-lapse."""
    _frames(tmp_path / "retakes", [0, 2, 5, 7, 10, 12, 15, 17, 20, 22, 25, 27])
    assert _sizes(tmp_path / "retakes") == [12]


def test_a_time_lapse_in_whole_seconds_is_no_burst(tmp_path):
    """A camera that writes no SubSecTimeOriginal: 2.5 s apart reads 2, 3, 2, 3 s, a frame missing 5 s."""
    lib = tmp_path / "timelapse"
    lib.mkdir()
    img = scene(12).astype(np.float32)
    for i in [k for k in range(13) if k != 6]:
        exif = Image.Exif()
        exif.get_ifd(0x8769)[0x9003] = (T0 + dt.timedelta(seconds=int(2.5 * i))).strftime("%Y:%m:%d %H:%M:%S")
        Image.fromarray(np.clip(img * (1 - 0.004 * i), 0, 255).astype(np.uint8)).save(
            lib / f"DSC_{i:04d}.jpg", quality=92, exif=exif)
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert _sizes(lib) == []  # (a burst of 12 with exact times' tolerance)


def test_interval_series_gaps():
    from blurscan.bursts.series import interval_series

    exact, whole = [True] * 10, [False] * 10
    assert interval_series([0, 5, 10, 15, 20, 25, 30, 40, 45, 50.0], exact)  # a frame missing: a gap of 2
    assert interval_series([0, 5, 10, 25, 30, 35, 40, 45, 50, 55.0], exact)  # two missing: a gap of 3 intervals
    assert not interval_series([0, 5, 10, 30, 35, 40, 45, 50, 55, 60.0], exact)  # of 4: not a missed frame
    assert not interval_series([0, 5, 10, 17.5, 22.5, 27.5, 32.5, 37.5, 42.5, 47.5], exact)  # of 1.5
    # two of ten intervals irregular: no series
    assert not interval_series([0, 5, 10, 15, 22.3, 27.3, 32.3, 39.6, 44.6, 49.6, 54.6], exact + [True])
    # whole seconds a second apart: a gap of two is within the second's slack, one of three no missed frame
    assert interval_series([0, 1, 2, 4, 5, 6, 7, 8, 9, 10.0], whole)
    assert not interval_series([0, 1, 4, 5, 8, 9, 12, 13, 16, 17.0], whole)
    # whole seconds 5 s apart: a missed frame's 10 s known to two seconds
    assert interval_series([0, 5, 10, 15, 26, 31, 36, 41, 46, 51.0], whole)
    # whole seconds among exact times (a second camera): the slack of whole seconds
    assert interval_series([float(int(2.5 * i)) for i in range(12)], [True] + [False] * 11)
    # nine of ten intervals regular: a series still
    assert interval_series([5.0 * i for i in range(10)] + [52.3], [True] * 11)
    # an interval that wavers by a tenth (a long exposure's frames): 5.0, 4.5, 5.0, ... a series still
    times = [0.0]
    for gap in [5.0, 4.5] * 5 + [5.0]:
        times.append(times[-1] + gap)
    assert interval_series(times, [True] * 12)


def _at(gaps: list[float]) -> list[float]:
    times = [0.0]
    for gap in gaps:
        times.append(times[-1] + gap)
    return times


def test_interval_series_edges_known_to_a_fraction():
    """Times known to a fraction of a second: a gap of two intervals is regular within two tenths of an interval
    (not one), the interval is the median gap (not the next), and it is the median alone that must be a second."""
    from blurscan.bursts.series import interval_series

    exact = [True] * 10
    assert interval_series(_at([5.0] * 4 + [10.8] + [5.0] * 4), exact)  # a missed frame, 0.8 s late: a series
    assert not interval_series(_at([5.0] * 4 + [11.2] + [5.0] * 4), exact)  # 1.2 s late: no missed frame
    assert not interval_series(_at([0.95] * 5 + [1.05] * 4), exact)  # a median of 0.95 s: a camera's burst
    assert interval_series(_at([0.92] * 4 + [1.01] * 5), exact)  # a median of 1.01 s (a mean below 1): a series
