"""The edges of the exposure-setting rules (EXIF ExposureMode and ExposureBiasValue, :mod:`blurscan.bursts.apart`)
that mutation testing found untested, and a group joined through a shot that names no setting. Two shots of the auto
mode at one bias are linked up to 0.9 EV apart, never a stop or more (a camera that writes its bracket's frames as of
the auto mode at one bias, -1/0/+1 EV); until 2026-12-07 (after that rule came) a near-identical export without the
tags, linked with any shot, joined such a bracket's frames into one group again, and ``move --from-bursts`` took the
-1 and 0 EV frames the HDR merge needs."""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from blurscan.bursts import find_groups
from blurscan.cli import main
from helpers_images import exposed, record, scene


def _frame(path: Path, img: np.ndarray, subsec: str, ev: float | None, iso: int = 100, mode: int | None = 0) -> None:
    """A frame at f/8, 1/125 s x 2^ev and the ISO given, of the ExposureMode given at a bias of 0; ``ev`` None: an
    export that kept the time and none of the exposure tags."""
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[0x9003], sub[0x9291] = "2024:06:01 10:00:00", subsec  # DateTimeOriginal, SubSecTimeOriginal
    if ev is not None:
        t = Fraction(2 ** ev).limit_denominator(1000) / 125
        sub[0x829A], sub[0x829D], sub[0x8827] = IFDRational(t.numerator, t.denominator), IFDRational(8, 1), iso
        sub[0xA402], sub[0x9204] = mode, IFDRational(0, 1)  # ExposureMode, ExposureBiasValue
    gained = np.clip(((img / 255.0) ** 2.2 * 2.0 ** (ev or 0)) ** (1 / 2.2) * 255, 0, 255).astype(np.uint8)
    Image.fromarray(gained).save(path, quality=92, exif=exif)


def _groups(lib: Path) -> list[list[str]]:
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    return sorted(sorted(Path(m["path"]).name for m in json.loads(line)["members"]) for line in res.stdout.splitlines())


def test_an_export_does_not_join_an_auto_mode_brackets_frames(tmp_path):
    lib, img = tmp_path / "hdr", scene(7)
    lib.mkdir()
    for i, ev in enumerate((-1, 0, 1)):  # a bracket the camera wrote as of the auto mode at one bias
        _frame(lib / f"IMG_{i + 1:04d}.jpg", img, str(2 * i), ev)
    _frame(lib / "IMG_0002-export.jpg", img, "1", None)  # the 0 EV frame exported without the exposure tags
    assert _groups(lib) == []  # (was one group of 4)
    dry = CliRunner().invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib)])
    assert dry.exit_code == 0 and "would move" not in dry.output, dry.output  # (was the -1 and 0 EV frames)


def test_an_export_stays_in_an_auto_iso_burst_that_drifts(tmp_path):
    lib, img = tmp_path / "sports", scene(7)
    lib.mkdir()
    names = []
    for i, iso in enumerate((400, 640, 1000)):  # each 0.64 EV from the next, 1.32 EV end to end: linked frame to frame
        names.append(f"IMG_{i + 1:04d}.jpg")
        _frame(lib / names[-1], img, str(2 * i), 0, iso=iso)
    _frame(lib / "IMG_0002-export.jpg", img, "1", None)
    assert _groups(lib) == [sorted([*names, "IMG_0002-export.jpg"])]


def _shots(settings: list, evs: list) -> list:
    img = scene(3)
    shots = [record(exposed(img, 1.0), f"s{i}", 0.2 * i) for i in range(len(evs))]
    for shot, setting, ev in zip(shots, settings, evs):
        shot.exposure_setting, shot.exposure_ev = setting, ev
    return shots


def _names(shots: list) -> list[list[str]]:
    return [[Path(r.path).stem for r in group] for group in find_groups(shots)]


def test_a_repeated_auto_brackets_frames_of_one_step_are_paired_within_a_tenth_of_a_stop():
    # the same step shot twice, its shutter written 1/125 and 1/130 s (0.06 EV): one shot twice
    assert _names(_shots([[2, 0.0], [2, 0.0]], [12.0, 12.06])) == [["s0", "s1"]]
    # a fifth of a stop apart: two steps of a bracket whose camera writes one bias
    assert _names(_shots([[2, 0.0], [2, 0.0]], [12.0, 12.2])) == []


def test_an_auto_brackets_frame_and_a_shot_naming_no_setting_a_third_of_a_stop_apart_are_not_linked():
    assert _names(_shots([[2, 0.0], None], [12.0, 12.33])) == []
    assert _names(_shots([[2, 0.0], None], [12.0, 12.0])) == [["s0", "s1"]]  # (of its exposure: linked with any)


def test_an_auto_brackets_frame_is_not_linked_with_a_shot_of_the_auto_mode_at_its_exposure():
    # a shot of the auto mode, then an AEB of -1/3, 0, +1/3 EV: its 0 EV frame is the bracket's, not the shot's
    assert _names(_shots([[0, 0.0], [2, -0.33], [2, 0.0], [2, 0.33]], [12.0, 11.67, 12.0, 12.33])) == []
    # nor when the camera writes no bias with the bracket
    assert _names(_shots([[0, 0.0], [2, None]], [12.0, 12.0])) == []
    assert _names(_shots([[2, None], [2, None]], [12.0, 12.0])) == [["s0", "s1"]]


def test_a_manual_shot_and_an_auto_one_at_one_bias_are_linked_by_the_half_stop():
    assert _names(_shots([[1, 0.0], [0, 0.0]], [12.0, 12.3])) == [["s0", "s1"]]
    assert _names(_shots([[1, 0.0], [0, 0.0]], [12.0, 12.68])) == []


def test_shots_of_the_auto_mode_that_name_no_bias_keep_the_half_stop():
    # an auto-ISO jump of 0.68 EV is followed only where the bias is known to be one
    assert _names(_shots([[0, None]] * 4, [11.0, 11.0, 10.32, 10.32])) == [["s0", "s1"], ["s2", "s3"]]


def test_shots_naming_their_bias_alone_are_told_apart_by_it():
    # no exposure, no camera: the bias alone names them
    assert _names(_shots([[0, 0.0], [0, 0.0], [0, 1.0], [0, 1.0]], [None] * 4)) == [["s0", "s1"], ["s2", "s3"]]
    # and an export naming nothing among them joins neither
    shots = _shots([[0, 0.0], [0, 0.0], None, [0, 1.0], [0, 1.0]], [None] * 5)
    assert _names(shots) == [["s0", "s1"], ["s3", "s4"]]


def test_a_shot_naming_no_setting_does_not_join_two_biases():
    # two biases' shots of one exposure, an export naming no setting and no exposure among them: left out
    shots = _shots([[0, 0.0], [0, 0.0], None, [0, 1.0], [0, 1.0]], [11.0, 11.0, None, 11.0, 11.0])
    assert _names(shots) == [["s0", "s1"], ["s3", "s4"]]


def test_an_export_does_not_join_an_auto_brackets_frames_of_one_bias():
    # an AEB whose camera writes one bias for every frame, 0.33 EV apart, and an export naming nothing between them
    assert _names(_shots([[2, 0.0], None, [2, 0.0]], [12.0, None, 12.33])) == []
    # its frames of one step, shot twice, keep the export that is linked with them alone
    assert _names(_shots([[2, 0.0], None, [2, 0.0]], [12.0, None, 12.0])) == [["s0", "s1", "s2"]]


def test_a_library_of_raws_scanned_before_learns_their_exposure_settings_on_its_next_scan(tmp_path):
    """Two frames of an AEB in third stops as RAWs (DNGs: ExposureMode 2 a SHORT, their biases SRATIONALs), stored by
    a blurscan of rules 4 (no exposure setting): a RAW's record is not read again but for its camera and setting
    (``redate.RAW_RULES`` 5), so the next scan tells the bracket's frames apart, scores reused."""
    import sqlite3

    from helpers_raw import write_dng

    lib = tmp_path / "hdr"
    lib.mkdir()
    img = scene(5)
    for i, bias in enumerate((Fraction(-1, 3), Fraction(1, 3))):
        write_dng(lib / f"IMG_{i + 1:04d}.dng", img,
                  exif={0x9003: "2024:06:01 15:00:00", 0x9291: str(2 * i), 0xA402: 2, 0x9204: bias})
    assert _groups(lib) == []
    with sqlite3.connect(lib / ".blurscan.db") as conn:  # as a blurscan of RAW_RULES 4 stored them
        for path, blob in conn.execute("SELECT path, record FROM images").fetchall():
            old = json.loads(blob)
            assert old["format"] == "DNG" and old["exposure_setting"] in ([2, -0.33], [2, 0.33])
            del old["exposure_setting"]
            old["dates"] = 4
            conn.execute("UPDATE images SET record = ? WHERE path = ?", (json.dumps(old), path))
    conn.close()
    res = CliRunner().invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 1, res.output  # (one burst, as before)
    assert _groups(lib) == []  # (the scan in _groups reads each RAW's setting: its frames apart again)


def test_an_auto_bracket_whose_camera_writes_no_bias_is_no_burst(tmp_path):
    from test_bursts_exposure_mode import _groups as groups, _library

    lib = tmp_path / "aeb"
    _library(lib, [dict(ev=k / 3, iso=100, mode=2, bias=None) for k in (-1, 0, 1)])  # ExposureMode alone
    assert groups(lib) == []


def test_a_bias_no_camera_can_set_is_no_bias(tmp_path):
    from test_bursts_exposure_mode import _groups as groups, _library

    # a burst whose middle frame's ExposureBiasValue is damaged (1000 EV): read as not written, still one burst
    lib = tmp_path / "burst"
    names = _library(lib, [dict(ev=0, iso=400, mode=None, bias=b) for b in (Fraction(0), Fraction(1000), Fraction(0))])
    assert groups(lib) == [names]


def test_an_export_joins_no_two_shots_never_linked_whichever_is_the_brighter():
    for sign in (1, -1):
        # a shot of the auto mode and a manual one 0.6 EV brighter or darker: half a stop and more apart
        assert _names(_shots([[0, 0.0], None, [1, 0.0]], [11.0, None, 11.0 + 0.6 * sign])) == []
        # an auto bracket's frame and a shot naming no setting a third of a stop brighter or darker
        assert _names(_shots([[2, 0.0], None, None], [12.0, None, 12.0 + 0.33 * sign])) == []


def test_a_raw_manual_burst_scanned_before_the_iso_was_stored_is_one_on_its_next_scan(tmp_path):
    """A manual-mode burst with auto ISO as RAWs (DNGs: ExposureMode 1, 1/125 s at f/8, the ISO going 800 to 2000),
    stored by a blurscan of rules 5 (the setting without the ISO): a RAW's record is read again for its setting
    (``redate.RAW_RULES`` 6), so the next scan makes it one burst, scores reused; its old records split it into no
    group (each frame a level of its own)."""
    import sqlite3

    from helpers_raw import write_dng

    lib = tmp_path / "autoiso"
    lib.mkdir()
    img = scene(6)
    names = []
    for i, iso in enumerate((800, 1000, 1250, 1600, 2000)):
        names.append(f"IMG_{i + 1:04d}.dng")
        write_dng(lib / names[-1], img, exif={0x9003: "2024:06:01 15:00:00", 0x9291: str(2 * i), 0xA402: 1,
                                              0x829A: Fraction(1, 125), 0x829D: Fraction(8), 0x8827: iso})
    assert _groups(lib) == [names]
    with sqlite3.connect(lib / ".blurscan.db") as conn:  # as a blurscan of RAW_RULES 5 stored them
        for path, blob in conn.execute("SELECT path, record FROM images").fetchall():
            old = json.loads(blob)
            assert old["format"] == "DNG" and len(old["exposure_setting"]) == 3, old
            old["exposure_setting"], old["dates"] = old["exposure_setting"][:2], 5
            conn.execute("UPDATE images SET record = ? WHERE path = ?", (json.dumps(old), path))
    conn.close()
    res = CliRunner().invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0 and res.stdout == "", res.output  # (the old records: no group)
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert res.exit_code == 0 and "(5 unchanged, reused)" in res.stderr, res.output
    res = CliRunner().invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    assert [sorted(Path(m["path"]).name for m in json.loads(line)["members"]) for line in res.stdout.splitlines()] \
        == [names]
