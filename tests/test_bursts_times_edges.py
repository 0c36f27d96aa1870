"""Edges of the capture times read to the fraction of a second (since 2026-12-05), found by mutation testing:
which date's fraction is taken, SubSecTime values that are not digits, and the order of shots of which only some
carry their offsets. Through the real decoder and command line on JPEGs with EXIF written by Pillow."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from PIL import Image

from blurscan.decode import decode
from helpers_cli import jsonl
from helpers_images import T0, asym, blurred, scene
from test_bursts_cli import _jpeg_with_time, scan_then_bursts


def _names(group: dict) -> list[str]:
    return [m["path"].rsplit("/", 1)[-1] for m in group["members"]]


def _exif_of(path, tags: dict) -> dict:
    exif = Image.Exif()
    exif[0x0132] = "2024:06:01 10:00:00"  # IFD0 DateTime
    for tag, value in tags.items():
        exif.get_ifd(0x8769)[tag] = value
    Image.fromarray(asym()).save(path, exif=exif)
    return decode(path).exif


def test_the_dates_own_fraction_comes_before_another_dates_of_the_same_second(tmp_path):
    # DateTimeOriginal and IFD0 DateTime alike: SubSecTimeOriginal is the fraction, SubSecTime only without it
    exif = _exif_of(tmp_path / "a.jpg", {0x9003: "2024:06:01 10:00:00", 0x9291: "11", 0x9290: "66"})
    assert (exif["captured_at"], exif["captured_subsec"]) == ("2024-06-01T10:00:00", 0.11)
    exif = _exif_of(tmp_path / "b.jpg", {0x9003: "2024:06:01 10:00:00", 0x9290: "66", 0x9292: "77",
                                         0x9004: "2024:06:01 10:00:00"})
    assert exif["captured_subsec"] in (0.66, 0.77)  # (either date of that very second)


def test_a_sub_second_value_that_is_not_all_digits_is_no_fraction_and_keeps_the_date(tmp_path):
    for value in ("   ", "", "4.5", "45x", "1234567890"):
        exif = _exif_of(tmp_path / "a.jpg", {0x9003: "2024:06:01 10:00:00", 0x9291: value})
        assert exif["captured_at"] == "2024-06-01T10:00:00", value
        assert "captured_subsec" not in exif, value


def test_of_shots_alike_one_with_an_offset_and_one_without_the_earlier_on_the_wall_clock_is_kept(tmp_path):
    """Without both offsets the wall-clock times order the shots (as grouping compares them): the shot at 10:00:00
    (with its offset) before the one at 10:00:01 (none), whose name sorts first."""
    lib = tmp_path / "lib"
    img = scene(88)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, T0 + dt.timedelta(seconds=1))
    _jpeg_with_time(lib / "IMG_0002.jpg", img, T0, offset="+02:00")
    [group] = scan_then_bursts(lib)
    assert _names(group) == ["IMG_0002.jpg", "IMG_0001.jpg"]
    assert group["members"][0]["reason"] == "as sharp and as large; the earlier shot is kept"
    assert (group["first_captured_at"], group["last_captured_at"]) == ("2024-06-01T10:00:00+02:00",
                                                                       "2024-06-01T10:00:01")


def test_shots_of_one_second_with_their_offsets_are_ordered_by_their_fractions(tmp_path):
    """Real seconds (both offsets known) keep the fraction: 10:00:00.2+02:00 before 10:00:00.8+02:00."""
    lib = tmp_path / "lib"
    img = scene(89)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, T0, subsec="80", offset="+02:00")
    _jpeg_with_time(lib / "IMG_0002.jpg", img, T0, subsec="20", offset="+02:00")
    [group] = scan_then_bursts(lib)
    assert _names(group) == ["IMG_0002.jpg", "IMG_0001.jpg"]
    assert group["members"][0]["reason"] == "as sharp and as large; the earlier shot is kept"


def test_of_a_phone_shot_and_an_export_alike_the_one_taken_first_in_real_seconds_is_kept(tmp_path):
    """A phone's shot at 11:59:59+02:00 (09:59:59 UTC) and an export without EXIF, alike to the pixel, whose file
    was written at 10:00:00 UTC, on a computer set to UTC: the phone's shot was taken first and is kept, though on
    the wall clock it reads two hours after the export's file time."""
    img = scene(90)
    lib = tmp_path / "lib"
    _jpeg_with_time(lib / "IMG_0001.jpg", img, T0 + dt.timedelta(hours=2, seconds=-1), offset="+02:00")
    Image.fromarray(img).save(lib / "export.jpg", format="JPEG", quality=92)  # (as _jpeg_with_time, no EXIF)
    when = T0.replace(tzinfo=dt.timezone.utc).timestamp()
    os.utime(lib / "export.jpg", (when, when))
    env = {**os.environ, "TZ": "UTC0"}
    for args in (("scan", lib, "--model", "none", "--workers", "1"), ("bursts", lib, "--format", "jsonl")):
        done = subprocess.run([sys.executable, "-m", "blurscan", *map(str, args)], capture_output=True, env=env,
                              timeout=120)
        assert done.returncode == 0, done.stderr.decode()
    [group] = jsonl(done.stdout.decode())
    assert _names(group) == ["IMG_0001.jpg", "export.jpg"]
    assert group["members"][0]["reason"] == "as sharp and as large; the earlier shot is kept"


def test_a_fraction_of_zero_is_a_fraction(tmp_path):
    """SubSecTimeOriginal "00": the very start of the second, known (not a shot without its fraction)."""
    lib = tmp_path / "lib"
    img = scene(91)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, T0, subsec="50")
    _jpeg_with_time(lib / "IMG_0002.jpg", img, T0, subsec="00")
    [group] = scan_then_bursts(lib)
    assert _names(group) == ["IMG_0002.jpg", "IMG_0001.jpg"]
    assert [m["captured_subsec"] for m in group["members"]] == [0.0, 0.5]
    assert group["members"][0]["reason"] == "as sharp and as large; the earlier shot is kept"


def test_a_capture_time_with_its_own_fraction_keeps_it_in_the_python_api(tmp_path):
    """``rank_group`` of records made by a program (docs/bursts.md, the Python API), whose ``captured_at`` texts
    carry their own fractions: the text's fraction is the time's, ``captured_subsec`` only adds to whole seconds.
    Alike shots (no figures: each ties), so the earliest is kept."""
    from blurscan import bursts
    from blurscan.records import ScanRecord

    def shot(name, text, fraction):
        return ScanRecord(path=str(tmp_path / name), phash="f0f0f0f0f0f0f0f0", captured_at=text,
                          captured_subsec=fraction, width=640, height=480)

    group = [shot("IMG_1.jpg", "2024-06-01T10:00:00.500", 0.2),   # 0.5 s (not 0.7)
             shot("IMG_2.jpg", "2024-06-01T10:00:00.000", 0.6),   # 0.0 s (its text says so: not 0.6)
             shot("IMG_3.jpg", "2024-06-01T10:00:00", 0.55),      # 0.55 s
             shot("IMG_4.jpg", "2024-06-01T10:00:00,300", 0.4)]   # 0.3 s (a comma, as ISO 8601 allows)
    ranked = sorted(bursts.rank_group(group), key=lambda m: m.rank)
    assert [m.path.rsplit("/", 1)[-1] for m in ranked] == ["IMG_2.jpg", "IMG_4.jpg", "IMG_1.jpg", "IMG_3.jpg"]


def test_find_groups_lists_a_groups_shots_in_real_time_order_where_all_are_known(tmp_path):
    """``find_groups`` (the Python API) lists a group's shots as ``bursts`` orders them: by their real seconds when
    every shot has one, of equal real seconds the earlier on the wall clock first; on the wall clock when a shot
    has no offset. Three shots across the night the clocks go back, in a window of 5 s: 00:59:58Z, 00:59:59Z and
    01:00:00Z, though on the wall clock the last reads an hour before the others."""
    from blurscan import bursts
    from blurscan.records import ScanRecord

    def shot(name, text):
        return ScanRecord(path=str(tmp_path / name), phash="f0f0f0f0f0f0f0f0", captured_at=text, width=640,
                          height=480)

    def names(groups):
        return [[r.path.rsplit("/", 1)[-1] for r in g] for g in groups]

    across = [shot("c.jpg", "2026-10-25T02:00:00+01:00"), shot("a.jpg", "2026-10-25T02:59:58+02:00"),
              shot("b.jpg", "2026-10-25T02:59:59+02:00")]
    assert names(bursts.find_groups(across, window=5)) == [["a.jpg", "b.jpg", "c.jpg"]]
    # one moment on two cameras' clocks: the earlier on the wall clock first (11:00+01:00, then 12:00+02:00)
    same = [shot("x.jpg", "2024-06-01T12:00:00+02:00"), shot("y.jpg", "2024-06-01T11:00:00+01:00"),
            shot("z.jpg", "2024-06-01T11:00:01+01:00")]
    assert names(bursts.find_groups(same, window=5)) == [["y.jpg", "x.jpg", "z.jpg"]]
    # a shot without offset: the wall clock orders them all
    mixed = [shot("p.jpg", "2024-06-01T10:00:01+09:00"), shot("q.jpg", "2024-06-01T10:00:02"),
             shot("r.jpg", "2024-06-01T10:00:00-05:00")]
    assert names(bursts.find_groups(mixed, window=5)) == [["r.jpg", "p.jpg", "q.jpg"]]


def test_a_second_with_one_fraction_unknown_orders_its_shots_by_name_whichever_has_it(tmp_path):
    """IMG_0001 at .5 s, IMG_0002 without a fraction (so at .0 if taken as read): which came first is unknown, so
    the first by name is kept, not IMG_0002 for its missing fraction."""
    lib = tmp_path / "lib"
    img = scene(92)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, T0, subsec="50")
    _jpeg_with_time(lib / "IMG_0002.jpg", img, T0)
    [group] = scan_then_bursts(lib)
    assert _names(group) == ["IMG_0001.jpg", "IMG_0002.jpg"]
    assert group["members"][0]["reason"] == ("as sharp and as large, taken in the same second (no fraction of a "
                                             "second known); the first by path is kept")


def test_load_groups_gives_back_the_fractions_bursts_stored(tmp_path):
    """``load_groups`` (the Python API) reads the groups the last ``bursts`` stored: each member's
    ``captured_subsec`` as ``bursts`` wrote it, not among its sharpness figures."""
    from blurscan import bursts
    from blurscan.store import Store

    lib = tmp_path / "lib"
    img = scene(93)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, T0, subsec="80")
    _jpeg_with_time(lib / "IMG_0002.jpg", img, T0, subsec="20")
    [written] = scan_then_bursts(lib)
    with Store(lib / ".blurscan.db", readonly=True) as store:
        [group] = bursts.load_groups(store)
    assert [(m.path.rsplit("/", 1)[-1], m.captured_subsec) for m in group.members] == [("IMG_0002.jpg", 0.2),
                                                                                       ("IMG_0001.jpg", 0.8)]
    assert all("captured_subsec" not in m.figures for m in group.members)
    assert group.to_json()["members"] == written["members"]


def test_first_and_last_of_one_moment_on_two_zones_clocks_follow_the_fractions(tmp_path):
    """12:00:00.2+02:00 and 11:00:00.8+01:00, one real second: the first shot is the one at .2 s, though its text
    sorts last."""
    lib = tmp_path / "lib"
    img = scene(94)
    _jpeg_with_time(lib / "IMG_0001.jpg", img, T0 + dt.timedelta(hours=2), subsec="2", offset="+02:00")
    _jpeg_with_time(lib / "IMG_0002.jpg", blurred(img, 2.0), T0 + dt.timedelta(hours=1), subsec="8",
                    offset="+01:00")
    [group] = scan_then_bursts(lib)
    assert (group["first_captured_at"], group["last_captured_at"]) == ("2024-06-01T12:00:00+02:00",
                                                                       "2024-06-01T11:00:00+01:00")


def test_find_groups_measures_the_window_in_real_seconds_whatever_the_wall_clock_order(tmp_path):
    """10:00:10+00:00 and 11:00:00+01:00: first and last on the wall clock, but 10 s apart the other way round in
    real seconds; no burst in a window of 5 s."""
    from blurscan import bursts
    from blurscan.records import ScanRecord

    shots = [ScanRecord(path=str(tmp_path / name), phash="f0f0f0f0f0f0f0f0", captured_at=text, width=640,
                        height=480)
             for name, text in (("x.jpg", "2024-06-01T10:00:10+00:00"), ("y.jpg", "2024-06-01T11:00:00+01:00"))]
    assert bursts.find_groups(shots, window=5) == []
    assert len(bursts.find_groups(shots, window=10)) == 1


def test_a_captured_subsec_that_is_no_fraction_of_a_second_is_none(tmp_path):
    """Records made by a program: a ``captured_subsec`` outside 0 <= s < 1 (or a bool) is no fraction."""
    from blurscan import bursts
    from blurscan.records import ScanRecord

    group = [ScanRecord(path=str(tmp_path / f"IMG_{i}.jpg"), phash="f0f0f0f0f0f0f0f0", width=640, height=480,
                        captured_at="2024-06-01T10:00:00", captured_subsec=value)
             for i, value in enumerate((False, 1.0, 1.5, -0.5, 0.25))]
    ranked = {m.path.rsplit("/", 1)[-1]: m.captured_subsec for m in bursts.rank_group(group)}
    assert ranked == {"IMG_0.jpg": None, "IMG_1.jpg": None, "IMG_2.jpg": None, "IMG_3.jpg": None, "IMG_4.jpg": 0.25}


def test_capture_times_in_other_iso_forms_are_read_on_every_python(tmp_path):
    """``captured_at`` texts a program wrote with ``Z``, an offset without its colon or minutes, a comma or a
    one-digit fraction: Python 3.10's ``datetime.fromisoformat`` refused them (3.11 reads them), and until
    2026-12-06 ``rank_group`` then took no time for those shots on 3.10 and kept another one. Alike shots,
    so the earliest moment is kept: all four are the same minute, in UTC and at +02:00."""
    from blurscan import bursts
    from blurscan.records import ScanRecord

    def shot(name, text):
        return ScanRecord(path=str(tmp_path / name), phash="f0f0f0f0f0f0f0f0", captured_at=text,
                          width=640, height=480)

    group = [shot("IMG_1.jpg", "2024-06-01T08:00:00.5Z"),          # 0.5 s
             shot("IMG_2.jpg", "2024-06-01T10:00:00.9+02"),        # 0.9 s
             shot("IMG_3.jpg", "2024-06-01T10:00:00,2+0200"),      # 0.2 s
             shot("IMG_4.jpg", "2024-06-01T10:00:00.000+02:00")]   # 0.0 s (the form 3.10 always read)
    ranked = sorted(bursts.rank_group(group), key=lambda m: m.rank)
    assert [m.path.rsplit("/", 1)[-1] for m in ranked] == ["IMG_4.jpg", "IMG_3.jpg", "IMG_1.jpg", "IMG_2.jpg"]


def test_a_capture_time_whose_own_fraction_is_zero_after_a_comma_keeps_it(tmp_path):
    """``10:00:00,0`` (ISO 8601's comma) is the very start of its second, as ``10:00:00.0`` is: the record's
    ``captured_subsec`` (0.6) is not added to it, so it comes before a shot at 0.3 s."""
    from blurscan import bursts
    from blurscan.records import ScanRecord

    def shot(name, text, fraction):
        return ScanRecord(path=str(tmp_path / name), phash="f0f0f0f0f0f0f0f0", captured_at=text,
                          captured_subsec=fraction, width=640, height=480)

    group = [shot("IMG_1.jpg", "2024-06-01T10:00:00.300", None), shot("IMG_2.jpg", "2024-06-01T10:00:00,0", 0.6)]
    ranked = sorted(bursts.rank_group(group), key=lambda m: m.rank)
    assert [m.path.rsplit("/", 1)[-1] for m in ranked] == ["IMG_2.jpg", "IMG_1.jpg"]
