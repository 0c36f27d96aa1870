"""Capture times of burst shots to the fraction of a second and in real seconds (since 2026-12-05), through the real
command line on JPEGs with EXIF written by Pillow.

* EXIF ``SubSecTimeOriginal`` (and ``SubSecTimeDigitized``, ``SubSecTime`` with their dates) is read: shots of one
  second are ordered by it, and ``bursts`` says it (``captured_subsec``). Until then shots of one second tied, the
  first by name was kept, and the reason said they were "taken at the same time".
* EXIF ``OffsetTimeOriginal``: two shots whose times both carry their offsets are compared in real seconds, so a
  burst across the night the clocks go back, or shot by two cameras set to other zones, is one; until then their
  wall-clock times were compared (an hour apart: never grouped).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from blurscan.decode import decode
from helpers_cli import jsonl
from helpers_images import T0, asym, blurred, save_jpeg, scene, shaken
from helpers_sqlite import connected
from test_bursts_cli import _jpeg_with_time, scan_then_bursts

SAME_SECOND = "taken in the same second (no fraction of a second known)"


def _names(group: dict) -> list[str]:
    return [m["path"].rsplit("/", 1)[-1] for m in group["members"]]


def test_the_fraction_of_the_second_is_read_with_the_date_it_belongs_to(tmp_path):
    path = tmp_path / "a.jpg"
    for tags, expected in (({0x9003: "2024:06:01 10:00:00", 0x9291: "45"}, 0.45),
                           ({0x9003: "2024:06:01 10:00:00", 0x9291: "045 "}, 0.045),  # (padded with a space)
                           ({0x9003: "2024:06:01 10:00:00", 0x9291: "4"}, 0.4),
                           ({0x9003: "2024:06:01 10:00:00", 0x9291: "x5"}, None),  # no digits: no fraction
                           ({0x9003: "2024:06:01 10:00:00"}, None),
                           # DateTimeOriginal zeroed: DateTimeDigitized's own fraction, not Original's
                           ({0x9003: "0000:00:00 00:00:00", 0x9291: "11", 0x9004: "2024:06:01 10:00:00",
                             0x9292: "22"}, 0.22),
                           ({0x9290: "33"}, 0.33),  # SubSecTime, with IFD0 DateTime
                           # SubSecTime alone, its date the same as DateTimeOriginal: the same moment
                           ({0x9003: "2024:06:01 10:00:00", 0x9290: "66"}, 0.66),
                           ({0x9003: "2024:06:01 09:00:00", 0x9290: "66"}, None)):  # another second: not it
        exif = Image.Exif()
        exif[0x0132] = "2024:06:01 10:00:00"  # IFD0 DateTime
        for tag, value in tags.items():
            exif.get_ifd(0x8769)[tag] = value
        Image.fromarray(asym()).save(path, exif=exif)
        assert decode(path).exif.get("captured_subsec") == expected, tags


def test_shots_of_one_second_are_ordered_by_their_fractions(tmp_path):
    """Two shots alike to the pixel (their figures tie) in one second: the earlier by SubSecTimeOriginal is kept,
    though its name sorts last; the reason no longer says they were taken at the same time."""
    lib = tmp_path / "lib"
    img = scene(81)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, T0, subsec="80")
    _jpeg_with_time(lib / "IMG_0002.jpg", img, T0, subsec="20")
    [group] = scan_then_bursts(lib)
    assert _names(group) == ["IMG_0002.jpg", "IMG_0001.jpg"]
    keeper, other = group["members"]
    assert keeper["reason"] == "as sharp and as large; the earlier shot is kept"
    assert (keeper["captured_subsec"], other["captured_subsec"]) == (0.2, 0.8)
    assert keeper["captured_at"] == other["captured_at"] == "2024-06-01T10:00:00"  # (as before: whole seconds)


def test_shots_of_one_second_without_fractions_say_so(tmp_path):
    lib = tmp_path / "lib"
    img = scene(82)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, T0)
    _jpeg_with_time(lib / "IMG_0002.jpg", img, T0, subsec="50")  # one fraction: which came first is unknown
    [group] = scan_then_bursts(lib)
    assert _names(group) == ["IMG_0001.jpg", "IMG_0002.jpg"]  # the first by path, as before
    keeper, other = group["members"]
    assert keeper["reason"] == f"as sharp and as large, {SAME_SECOND}; the first by path is kept"
    assert (keeper["captured_subsec"], other["captured_subsec"]) == (None, 0.5)


def test_photos_stored_before_fractions_were_read_are_ranked_as_before_and_said_honestly(tmp_path):
    """A record stored by a scan before 2026-12-05 has no ``captured_subsec`` (the scan reuses it until the file
    changes): its shots of one second are tied by name as before, and the reason says why."""
    lib = tmp_path / "lib"
    img = scene(83)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, T0, subsec="80")
    _jpeg_with_time(lib / "IMG_0002.jpg", img, T0, subsec="20")
    scan_then_bursts(lib)
    with connected(lib / ".blurscan.db") as conn:
        for path, text in conn.execute("SELECT path, record FROM images").fetchall():
            record = json.loads(text)
            del record["captured_subsec"]  # as an older blurscan stored it
            conn.execute("UPDATE images SET record = ? WHERE path = ?", (json.dumps(record), path))
    [group] = scan_then_bursts(lib)
    assert _names(group) == ["IMG_0001.jpg", "IMG_0002.jpg"]
    assert group["members"][0]["reason"] == f"as sharp and as large, {SAME_SECOND}; the first by path is kept"
    assert [m["captured_subsec"] for m in group["members"]] == [None, None]


def _groups_in_window(tmp_path, first: str, second: str, window: str) -> list[dict]:
    """A sharp and a shaken shot of one scene at ``T0`` and a second later, with SubSecTimeOriginal ``first`` and
    ``second``; the groups of ``bursts --window WINDOW``."""
    lib = tmp_path / "lib"
    img = scene(86)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, T0, subsec=first)
    _jpeg_with_time(lib / "IMG_0002.jpg", shaken(img), T0 + dt.timedelta(seconds=1), subsec=second)
    scan_then_bursts(lib)
    result = CliRunner().invoke(main, ["bursts", str(lib), "--format", "jsonl", "--window", window])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_window_is_measured_to_the_fraction_of_a_second(tmp_path):
    # 10:00:00.9 and 10:00:01.1, 0.2 s apart: one burst in a window of half a second (whole seconds: 1 s apart)
    assert [_names(g) for g in _groups_in_window(tmp_path / "a", "9", "1", "0.5")] == [["IMG_0001.jpg",
                                                                                          "IMG_0002.jpg"]]
    # 10:00:00.1 and 10:00:01.9, 1.8 s apart: none in a window of one second (whole seconds: 1 s apart)
    assert _groups_in_window(tmp_path / "b", "1", "9", "1") == []


def _burst(tmp_path, first: tuple[dt.datetime, str | None], second: tuple[dt.datetime, str | None]) -> list[dict]:
    """A sharp shot and a shaken one of one scene, taken at ``first`` and ``second`` ((wall-clock time, offset)),
    scanned; the groups ``bursts`` finds."""
    lib = tmp_path / "lib"
    img = scene(84)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, first[0], offset=first[1])
    _jpeg_with_time(lib / "IMG_0002.jpg", shaken(img), second[0], offset=second[1])
    return scan_then_bursts(lib)


BACK = dt.datetime(2026, 10, 25, 2, 0, 0)  # Europe: at 03:00 +02:00 the clocks go back to 02:00 +01:00


def test_a_burst_across_the_clocks_going_back_is_one_group(tmp_path):
    # 02:59:59+02:00 and, two seconds later, 02:00:01+01:00: an hour apart on the wall clock
    groups = _burst(tmp_path, (BACK + dt.timedelta(minutes=59, seconds=59), "+02:00"),
                    (BACK + dt.timedelta(seconds=1), "+01:00"))
    assert [_names(g) for g in groups] == [["IMG_0001.jpg", "IMG_0002.jpg"]]
    assert (groups[0]["first_captured_at"], groups[0]["last_captured_at"]) == ("2026-10-25T02:59:59+02:00",
                                                                               "2026-10-25T02:00:01+01:00")


def test_shots_an_hour_apart_with_one_wall_clock_time_are_not_a_burst(tmp_path):
    groups = _burst(tmp_path, (BACK + dt.timedelta(minutes=30), "+02:00"), (BACK + dt.timedelta(minutes=30), "+01:00"))
    assert groups == []


def test_two_cameras_in_other_zones_shooting_one_moment_are_one_burst(tmp_path):
    groups = _burst(tmp_path, (T0 + dt.timedelta(hours=1), "+02:00"), (T0 + dt.timedelta(seconds=1), "+01:00"))
    assert [_names(g) for g in groups] == [["IMG_0001.jpg", "IMG_0002.jpg"]]


def test_without_both_offsets_the_wall_clock_decides_as_before(tmp_path):
    groups = _burst(tmp_path, (T0, "+02:00"), (T0 + dt.timedelta(seconds=1), None))
    assert [_names(g) for g in groups] == [["IMG_0001.jpg", "IMG_0002.jpg"]]


def test_of_shots_alike_in_real_seconds_the_earlier_is_kept(tmp_path):
    """Alike to the pixel, across the clocks going back: the shot taken first (02:59:58+02:00) is kept, though its
    wall-clock time reads an hour later than the other's (02:00:00+01:00)."""
    lib = tmp_path / "lib"
    img = scene(85)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, BACK, offset="+01:00")
    _jpeg_with_time(lib / "IMG_0002.jpg", img, BACK + dt.timedelta(minutes=59, seconds=58), offset="+02:00")
    [group] = scan_then_bursts(lib)
    assert _names(group) == ["IMG_0002.jpg", "IMG_0001.jpg"]
    assert group["members"][0]["reason"] == "as sharp and as large; the earlier shot is kept"


def test_a_photo_with_an_offset_and_one_timed_by_its_file_are_compared_in_real_seconds(tmp_path):
    """A phone's shot (12:00:00+02:00, 10:00:00 UTC) and a copy without EXIF saved a second later, on a computer
    set to UTC: an export of the same moment, not two hours later (its file's time read on this computer's wall
    clock, 10:00:01, against the phone's 12:00:00, until 2026-12-05)."""
    lib = tmp_path / "lib"
    img = scene(87)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, T0 + dt.timedelta(hours=2), offset="+02:00")
    copy = save_jpeg(lib / "export.jpg", blurred(img, 2.0))
    when = T0.replace(tzinfo=dt.timezone.utc).timestamp() + 1
    os.utime(copy, (when, when))
    env = {**os.environ, "TZ": "UTC0"}
    for args in (("scan", lib, "--model", "none"), ("bursts", lib, "--format", "jsonl")):
        done = subprocess.run([sys.executable, "-m", "blurscan", *map(str, args)], capture_output=True, env=env,
                              timeout=120)
        assert done.returncode == 0, done.stderr.decode()
    assert [sorted(_names(g)) for g in jsonl(done.stdout.decode())] == [["IMG_0001.jpg", "export.jpg"]]
