"""An exposure bracket told from a burst under changing light by what the camera wrote: EXIF ExposureMode (0 auto,
1 manual, 2 auto bracket) and ExposureBiasValue. Until 2026-12-07 only the exposure decided (half a stop): an AEB in
third stops (0.33 EV apart) was one burst, and ``move --from-bursts`` took the frames the HDR merge needs; an auto-ISO
burst whose ISO jumped (400 to 640, 0.68 EV) was split in two."""
from __future__ import annotations

import json
import sqlite3
from fractions import Fraction
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from blurscan.cli import main
from helpers_images import scene
import pytest


def _shot(path: Path, img: np.ndarray, *, ev: float, iso: int, mode: int | None, bias: Fraction | None,
          subsec: str) -> None:
    """A frame at f/8, 1/125 s x 2^ev, the ISO given, its ExposureMode and ExposureBiasValue as a camera writes them."""
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[0x9003], sub[0x9291] = "2024:06:01 10:00:00", subsec  # DateTimeOriginal, SubSecTimeOriginal
    t = Fraction(2 ** ev).limit_denominator(1000) / 125
    sub[0x829A], sub[0x829D], sub[0x8827] = IFDRational(t.numerator, t.denominator), IFDRational(8, 1), iso
    if mode is not None:
        sub[0xA402] = mode  # ExposureMode
    if bias is not None:
        sub[0x9204] = IFDRational(bias.numerator, bias.denominator)  # ExposureBiasValue (SRATIONAL)
    gained = np.clip(((img / 255.0) ** 2.2 * 2.0 ** ev) ** (1 / 2.2) * 255, 0, 255).astype(np.uint8)
    Image.fromarray(gained).save(path, quality=92, exif=exif)


def _library(lib: Path, shots: list[dict]) -> list[str]:
    lib.mkdir(parents=True, exist_ok=True)
    img, names = scene(7), []
    for i, shot in enumerate(shots):
        names.append(f"IMG_{i + 1:04d}.jpg")
        _shot(lib / names[-1], img, subsec=str(i), **shot)
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert res.exit_code == 0, res.output
    return names


def _groups(lib: Path) -> list[list[str]]:
    res = CliRunner().invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    return sorted(sorted(Path(m["path"]).name for m in json.loads(line)["members"]) for line in res.stdout.splitlines())


def _aeb(mode: int | None = 2, steps=(-1, 0, 1)) -> list[dict]:
    """An AEB of +-1/3 EV: the shutter stepped a third of a stop, the bias stepped with it."""
    return [dict(ev=k / 3, iso=100, mode=mode, bias=Fraction(k, 3)) for k in steps]


def test_an_auto_bracket_in_third_stops_is_no_burst(tmp_path):
    lib = tmp_path / "aeb"
    _library(lib, _aeb())
    assert _groups(lib) == []  # (was one group of 3: 0.33 EV apart, within half a stop)
    dry = CliRunner().invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib)])
    assert dry.exit_code == 0 and "would move" not in dry.output, dry.output


def test_an_auto_bracket_whose_camera_writes_one_bias_is_no_burst_either(tmp_path):
    lib = tmp_path / "aeb"
    _library(lib, [dict(ev=k / 3, iso=100, mode=2, bias=Fraction(0)) for k in (-1, 0, 1)])
    assert _groups(lib) == []


def test_a_repeated_auto_bracket_pairs_its_frames_of_one_step(tmp_path):
    lib = tmp_path / "aeb"
    names = _library(lib, _aeb() * 2)
    assert _groups(lib) == [[names[0], names[3]], [names[1], names[4]], [names[2], names[5]]]


def test_an_auto_iso_burst_whose_iso_jumps_is_one_burst(tmp_path):
    lib = tmp_path / "sports"
    # shutter priority, auto ISO: 400, 400, 640, 640 (0.68 EV): the camera followed the light
    names = _library(lib, [dict(ev=0, iso=iso, mode=0, bias=Fraction(0)) for iso in (400, 400, 640, 640)])
    assert _groups(lib) == [names]  # (was two groups of 2)



def test_shots_of_the_auto_mode_a_stop_apart_are_not_linked(tmp_path):
    """Two shots of the auto mode at one bias are linked up to 0.9 EV apart (an auto-ISO jump of 2/3 of a stop), not a
    stop or more: a camera that writes its bracket's frames as of the auto mode at one bias (-1/0/+1 EV, -2/0/+2 EV)
    kept them apart before this rule and still does."""
    for step in (1, 2):
        lib = tmp_path / f"bracket{step}"
        _library(lib, [dict(ev=k * step, iso=100, mode=0, bias=Fraction(0)) for k in (-1, 0, 1)])
        assert _groups(lib) == []

def test_shots_of_two_biases_are_never_linked(tmp_path):
    lib = tmp_path / "bias"
    names = _library(lib, [dict(ev=0, iso=400, mode=0, bias=Fraction(b)) for b in (0, 0, 1, 1)])
    assert _groups(lib) == [names[:2], names[2:]]


def test_a_manual_bracket_or_no_tags_is_as_before(tmp_path):
    for mode in (1, None):  # manual: the half-a-stop rule, as without the tags
        lib = tmp_path / f"manual{mode}"
        names = _library(lib, [dict(ev=k / 3, iso=100, mode=mode, bias=None) for k in (-1, 0, 1)]
                         + [dict(ev=2, iso=100, mode=mode, bias=None)])
        # a manual bracket of -1/3, 0, +1/3 EV spans more than half a stop: no burst (one group until 2026-12-07);
        # naming no mode, it cannot be told from a burst whose light changed a third of a stop either way
        assert _groups(lib) == ([] if mode == 1 else [names[:3]])
        lib = tmp_path / f"auto-iso{mode}"
        names = _library(lib, [dict(ev=0, iso=iso, mode=mode, bias=Fraction(0)) for iso in (400, 400, 640, 640)])
        assert _groups(lib) == [names[:2], names[2:]]


def test_a_library_scanned_before_learns_its_exposure_settings_on_its_next_scan(tmp_path):
    lib = tmp_path / "aeb"
    names = _library(lib, _aeb())
    with sqlite3.connect(lib / ".blurscan.db") as conn:  # as a blurscan of DATE_RULES 4 stored them
        for path, blob in conn.execute("SELECT path, record FROM images").fetchall():
            old = json.loads(blob)
            del old["exposure_setting"]
            old["dates"] = 4
            conn.execute("UPDATE images SET record = ? WHERE path = ?", (json.dumps(old), path))
    conn.close()
    assert _groups(lib) == [names]
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert res.exit_code == 0 and "(3 unchanged, reused)" in res.stderr, res.output
    assert _groups(lib) == []


def test_exposure_setting_of_exif():
    from blurscan.exif import exposure_setting

    assert exposure_setting({}) is None
    assert exposure_setting({"exposure_mode": 2, "exposure_bias": -1 / 3}) == [2, -0.33]
    assert exposure_setting({"exposure_bias": 0.0}) == [None, 0.0]
    assert exposure_setting({"exposure_mode": 7}) is None
    # (the manual mode's ISO, third: its auto ISO follows the light; none for another mode, nor where not written)
    assert exposure_setting({"exposure_mode": 1, "exposure_bias": 0.0, "iso": 800}) == [1, 0.0, 800.0]
    assert exposure_setting({"exposure_mode": 1, "iso": 0}) == [1, None]
    assert exposure_setting({"exposure_mode": 0, "exposure_bias": 0.0, "iso": 800}) == [0, 0.0]


def test_an_sqlite_without_json_functions_reads_the_exposure_setting(tmp_path):
    from blurscan.bursts import _grouping_rows
    from blurscan.store import Store
    from test_bursts_replaced import _NoJson

    lib = tmp_path / "aeb"
    _library(lib, _aeb(steps=(-1, 0)) + [dict(ev=0, iso=100, mode=None, bias=None)])
    with Store(lib / ".blurscan.db") as store:
        rows = sorted(tuple(r) for r in _grouping_rows(store.conn))
        assert [r[12:] for r in rows] == [(2, -0.33, None), (2, 0.0, None), (None, None, None)]
        assert sorted(tuple(r) for r in _grouping_rows(_NoJson(store.conn))) == rows


def test_a_raws_exposure_mode_and_signed_bias_are_read():
    """A TIFF-based RAW's Exif IFD: ExposureMode a SHORT, ExposureBiasValue an SRATIONAL (-1/3 EV)."""
    import struct

    from blurscan.exif import exposure_setting
    from blurscan.rawtimes import capture_time

    bias_at = 8 + (2 + 12 + 4) + (2 + 2 * 12 + 4)
    ifd0 = [(0x8769, 4, 1, struct.pack("<I", 8 + 2 + 12 + 4))]  # the Exif IFD pointer
    exif = [(0x9204, 10, 1, struct.pack("<I", bias_at)), (0xA402, 3, 1, struct.pack("<HH", 2, 0))]
    data = b"II*\x00" + struct.pack("<I", 8)
    for entries in (ifd0, exif):
        data += struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHI", *e[:3]) + e[3] for e in entries)
        data += struct.pack("<I", 0)
    data += struct.pack("<ii", -1, 3)
    assert len(data) == bias_at + 8
    found = capture_time(data)
    assert (found["exposure_mode"], round(found["exposure_bias"], 4)) == (2, -0.3333)
    assert exposure_setting(found) == [2, -0.33]


def _shots(settings: list, evs: list) -> list:
    from helpers_images import exposed, record

    img = scene(3)
    shots = [record(exposed(img, 1.0), f"s{i}", 0.2 * i) for i in range(len(evs))]
    for shot, setting, ev in zip(shots, settings, evs):
        shot.exposure_setting, shot.exposure_ev = setting, ev
    return shots


def test_a_shot_naming_no_setting_joins_no_auto_bracket_and_stays_in_an_auto_burst():
    from blurscan.bursts import find_groups

    # an export without EXIF (no setting, no exposure) beside an AEB in third stops: nothing tells whose it is
    aeb = _shots([[2, -0.33], None, [2, 0.0], [2, 0.33]], [12.0, None, 12.33, 12.67])
    assert find_groups(aeb) == []
    # beside an auto-ISO burst whose exposure jumped 0.68 EV: one burst of four, as the camera's frames are
    burst = _shots([[0, 0.0], [0, 0.0], None, [0, 0.0]], [11.0, 11.0, None, 10.32])
    assert [[r.path for r in g] for g in find_groups(burst)] == [[r.path for r in burst]]
    # a manual shot 0.68 EV from an auto one is told apart as today; the export between them is left out
    mixed = _shots([[0, 0.0], None, [1, 0.0]], [11.0, None, 10.32])
    assert find_groups(mixed) == []


def _bracket(mode: int | None, bias: Fraction | None, steps=range(-3, 4), repeats: int = 1) -> list[dict]:
    """A bracket set by hand: the shutter stepped a third of a stop a frame (-1 to +1 EV), one bias or none."""
    return [dict(ev=k / 3, iso=100, mode=mode, bias=bias) for _ in range(repeats) for k in steps]


@pytest.mark.slow
def test_a_manual_bracket_in_third_stops_is_no_burst(tmp_path):
    """Seven frames at -1, -2/3 ... +1 EV within a second, each a third of a stop from the next (under the half stop
    of one link): until 2026-12-07 they were chained into one group spanning two stops, and ``move --from-bursts``
    took six of them. Manual mode (ExposureMode 1, bias 0 as cameras write it), the auto mode writing no bias, no
    tag: the group's exposures span more than half a stop (no tag: more than 1.2 EV), so it is split by exposure
    level, one frame each."""
    for mode, bias in ((1, Fraction(0)), (1, None), (0, None), (None, None)):
        lib = tmp_path / f"bracket-{mode}-{bias}"
        _library(lib, _bracket(mode, bias))
        assert _groups(lib) == [], (mode, bias)  # (was one group of 7)
        dry = CliRunner().invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib)])
        assert dry.exit_code == 0 and "would move" not in dry.output, dry.output
    lib = tmp_path / "five"  # -2/3 to +2/3 EV naming no tag: 4/3 EV
    _library(lib, _bracket(None, None, steps=range(-2, 3)))
    assert _groups(lib) == []


def test_a_manual_bracket_in_third_stops_shot_twice_pairs_its_frames_of_one_exposure(tmp_path):
    lib = tmp_path / "twice"
    names = _library(lib, _bracket(1, Fraction(0), repeats=2))
    assert _groups(lib) == sorted([names[k], names[k + 7]] for k in range(7))  # (was one group of 14)


@pytest.mark.slow
def test_a_burst_whose_exposure_drifts_a_third_of_a_stop_stays_one(tmp_path):
    """Twenty frames whose exposure the light moved by a third of a stop (a pan, a cloud passing): one burst, in the
    manual mode, the auto mode at one bias or naming no tag."""
    img = scene(7)
    for mode, bias in ((1, Fraction(0)), (0, Fraction(0)), (None, None)):
        lib = tmp_path / f"drift-{mode}"
        lib.mkdir()
        for i in range(20):
            _shot(lib / f"IMG_{i + 1:04d}.jpg", img, ev=(i >= 10) / 3, iso=100, mode=mode, bias=bias,
                  subsec=f"{i:02d}")
        res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
        assert res.exit_code == 0, res.output
        assert [len(g) for g in _groups(lib)] == [20], mode


def test_a_manual_burst_whose_auto_iso_followed_the_light_stays_one(tmp_path):
    """A sports burst in the manual mode with auto ISO (ExposureMode 1): 1/125 s at f/8 throughout, the ISO going
    800, 1000, 1250, 1600, 2000 as the player ran into the sun, each frame a third of a stop from the next: one burst,
    its frames at the photographer's one exposure. From 2026-12-07 (the manual bracket split by exposure level) to
    the ISO's being stored with the setting (rules 6), no group: each frame a level of its own. A manual bracket
    (the shutter stepped, the ISO fixed) is still no burst; and a library stored before the ISO (rules 5) learns it
    on its next scan, its scores reused."""
    lib = tmp_path / "autoiso"
    shots = [dict(ev=0, iso=iso, mode=1, bias=Fraction(0)) for iso in (800, 1000, 1250, 1600, 2000)]
    names = _library(lib, shots)
    assert _groups(lib) == [names]  # (was [])
    with sqlite3.connect(lib / ".blurscan.db") as conn:  # as a blurscan of DATE_RULES 5 stored them
        for path, blob in conn.execute("SELECT path, record FROM images").fetchall():
            old = json.loads(blob)
            old["exposure_setting"], old["dates"] = old["exposure_setting"][:2], 5
            conn.execute("UPDATE images SET record = ? WHERE path = ?", (json.dumps(old), path))
    conn.close()
    assert _groups(lib) == []  # (its levels told by the exposure at ISO 100 alone)
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert res.exit_code == 0 and "(5 unchanged, reused)" in res.stderr, res.output
    assert _groups(lib) == [names]
    bracket = tmp_path / "bracket"  # the shutter stepped a third of a stop a frame at ISO 800: a bracket
    _library(bracket, [dict(ev=k / 3, iso=800, mode=1, bias=Fraction(0)) for k in range(-2, 3)])
    assert _groups(bracket) == []
