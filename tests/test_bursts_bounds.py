"""Burst grouping at its edges: a photo without EXIF read in this computer's time zone, shots exactly ``--window``
seconds apart, the file-time limit of 6 bits, a stored time that cannot be read, the settings' bounds, and
hashes of another length than 64 bits (found by mutation testing, 2026-12-05: each of these could change and
no test failed)."""
from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from PIL import Image

from blurscan import bursts
from blurscan.cli import main
from blurscan.errors import UsageError
from blurscan.records import ScanRecord
from helpers_images import T0, blurred, save_jpeg, scene, shaken, shifted


def _jpeg_with_time(path, rgb, when: dt.datetime):
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = when.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(path, format="JPEG", quality=92, exif=exif)
    return path


def _groups(lib, *args, env=None) -> list[list[str]]:
    """``blurscan scan LIB`` (model none) then ``blurscan bursts LIB --format jsonl ARGS``, as real processes:
    each group's file names."""
    def cli(*words):
        done = subprocess.run([sys.executable, "-m", "blurscan", *map(str, words)], capture_output=True, text=True,
                              env={**os.environ, **(env or {})}, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    cli("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")
    out = cli("bursts", lib, "--format", "jsonl", *args)
    return [sorted(os.path.basename(m["path"]) for m in json.loads(line)["members"]) for line in out.splitlines()]


@pytest.mark.slow
def test_a_photo_without_exif_is_grouped_by_its_file_time_in_this_computers_time_zone(tmp_path):
    # A camera writes wall-clock time; a file's time is a moment, read in this computer's time zone (UTC+9 here):
    # read as UTC it was 9 hours away from the camera's shot of the same scene a few seconds before.
    lib = tmp_path / "lib"
    a = scene(71)
    _jpeg_with_time(lib / "IMG_0001.jpg", a, T0)
    copy = save_jpeg(lib / "scan_0002.jpg", blurred(a, 1.5))
    moment = calendar.timegm((T0 + dt.timedelta(seconds=3)).timetuple()) - 9 * 3600  # 10:00:03 at UTC+9
    os.utime(copy, (moment, moment))
    assert _groups(lib, env={"TZ": "XYZ-9"}) == [["IMG_0001.jpg", "scan_0002.jpg"]]


def test_shots_exactly_window_seconds_apart_are_compared(tmp_path):
    lib = tmp_path / "lib"
    a = scene(72)
    _jpeg_with_time(lib / "IMG_0001.jpg", a, T0)
    _jpeg_with_time(lib / "IMG_0002.jpg", shaken(shifted(a, 4, 2), 9), T0 + dt.timedelta(seconds=5))
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0

    def groups(*args):
        result = runner.invoke(main, ["bursts", str(lib), "--format", "jsonl", *args])
        assert result.exit_code == 0, result.output
        return len(result.stdout.splitlines())

    assert groups("--window", "5") == 1     # "at most this far apart"
    assert groups("--window", "4.9") == 0
    assert groups("--max-distance", "64") == 1  # the largest distance the help allows is accepted


def _hashed(name: str, phash: str, seconds: float, *, captured_at: str | None = "") -> ScanRecord:
    """A stored-looking record with a chosen hash; ``captured_at`` "" for the EXIF time ``seconds`` after T0. Its
    file's time is that wall-clock time in this computer's zone, as a camera's copied file has (a file time is read
    in the local zone: taken as UTC, one photo's EXIF time and the other's file time were the zone's offset apart
    on any computer not on UTC, until 2026-12-06)."""
    when = T0 + dt.timedelta(seconds=seconds)
    return ScanRecord(path=f"/photos/{name}.jpg", phash=phash, width=1024, height=768,
                      captured_at=when.isoformat() if captured_at == "" else captured_at,
                      mtime_ns=int(when.timestamp() * 1e9))


BASE = 0x5A5A_F0F0_3C3C_0FF0


def test_a_link_resting_on_a_file_time_allows_six_bits_not_seven():
    for bits, linked in ((6, True), (7, False)):
        shots = [_hashed("a", f"{BASE:016x}", 0, captured_at=None),
                 _hashed("b", f"{BASE ^ ((1 << bits) - 1):016x}", 1, captured_at=None)]
        assert (bursts.find_groups(shots) != []) == linked, bits


@pytest.mark.parametrize("tz", ["UTC0", "XYZ-9", "ABC+3:30"])
def test_a_stored_time_that_cannot_be_read_falls_back_to_the_file_time_and_its_limit(zone, tz):
    # (a database written by another program or an older blurscan): the photo is grouped by its file's time,
    # and, that time being a file's, only with a near-identical shot; so on a computer in any time zone
    zone(tz)
    def pair(bits):
        return [_hashed("a", f"{BASE:016x}", 0), _hashed("b", f"{BASE ^ ((1 << bits) - 1):016x}", 1,
                                                         captured_at="sometime in June")]
    assert len(bursts.find_groups(pair(4))) == 1
    assert bursts.find_groups(pair(10)) == []
    assert len(bursts.find_groups(pair(10)[:1] + [_hashed("b", f"{BASE ^ 0x3FF:016x}", 1)])) == 1


def test_a_record_without_any_time_is_skipped():
    timeless = ScanRecord(path="/photos/c.jpg", phash=f"{BASE:016x}", width=1024, height=768)
    stats = bursts.GroupingStats()
    groups = bursts.find_groups([_hashed("a", f"{BASE:016x}", 0), _hashed("b", f"{BASE:016x}", 1), timeless],
                                stats=stats)
    assert [len(g) for g in groups] == [2] and stats.skipped == 1


def test_settings_bounds():
    assert bursts.BurstSettings(max_distance=64, window=0).max_distance == 64
    with pytest.raises(UsageError, match="max neighbours"):
        bursts.find_groups([], max_neighbours=0)
    with pytest.raises(ValueError, match="cannot compare"):
        bursts.hamming(f"{BASE:016x}", f"{BASE:016x}" * 4)


def test_longer_hashes_scale_the_distance_and_a_hash_of_another_length_is_skipped(caplog):
    long_base = f"{BASE:016x}" * 4                       # 256 bits
    forty_bits = f"{int(long_base, 16) ^ ((1 << 40) - 1):064x}"
    shots = [_hashed("a", long_base, 0), _hashed("b", forty_bits, 1)]
    assert len(bursts.find_groups(shots)) == 1           # 40 of 256 bits: 10 of 64, under the default 14
    assert bursts.find_groups(shots, max_distance=9) == []
    stats = bursts.GroupingStats()
    mixed = shots + [_hashed("c", f"{BASE:016x}", 0.5)]  # a 64-bit hash among 256-bit ones
    assert [len(g) for g in bursts.find_groups(mixed, stats=stats)] == [2] and stats.skipped == 1
    assert "perceptual hash of another length" in caplog.text


@pytest.mark.parametrize("window", ["nan", "inf"])
def test_a_window_that_is_no_number_of_seconds_is_refused_naming_the_option(tmp_path, window):
    """``--window nan`` (or ``inf``) passed click's range check and was refused by the grouping without naming the
    option (``burst window must be a number of seconds >= 0, got nan``, until 2026-12-06): now as click refuses
    ``-1``, exit code 2, before the database is opened."""
    result = CliRunner().invoke(main, ["bursts", str(tmp_path), "--window", window, "--db", str(tmp_path / "b.db")])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--window'" in result.stderr, result.stderr
    assert "number of seconds" in result.stderr
    assert not (tmp_path / "b.db").exists()
