"""An exposure bracket for HDR in ``blurscan bursts``: three to nine frames of one scene within a second at
-2/0/+2 EV, each needed for the merge. pHash ignores exposure, so the frames were one "burst" whose brightest
well-exposed frame was the keeper (the dark one has less contrast, so a lower Laplacian figure: ``laplacian_var_norm
303 vs 85``), and ``move --from-bursts`` took the -2 and +2 EV frames. Frames of other exposures (EXIF exposure
time, f-number and ISO: ``exposure_ev``) are never linked; repeated frames of one exposure still are."""
from __future__ import annotations

import json
import sqlite3
from fractions import Fraction
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from blurscan.bursts import find_groups
from blurscan.cli import main
from helpers_images import exposed, record, scene


def _frame(path: Path, img: np.ndarray, ev: float, subsec: str, *, exposure: bool = True) -> None:
    """A bracket frame as a camera writes it: 1/125 s x 2^ev at f/8, ISO 100, the bias, auto bracket."""
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[0x9003], sub[0x9291] = "2024:06:01 10:00:00", subsec   # DateTimeOriginal, SubSecTimeOriginal
    if exposure:
        t = Fraction(2 ** ev) / 125
        sub[0x829A] = IFDRational(t.numerator, t.denominator)  # ExposureTime
        sub[0x829D], sub[0x8827] = IFDRational(8, 1), 100      # FNumber, ISOSpeedRatings
        sub[0x9204], sub[0xA402] = IFDRational(int(ev * 3), 3), 2  # ExposureBiasValue, ExposureMode: auto bracket
    gained = np.clip(((img / 255.0) ** 2.2 * 2.0 ** ev) ** (1 / 2.2) * 255, 0, 255).astype(np.uint8)
    Image.fromarray(gained).save(path, quality=92, exif=exif)


def _bracket(lib: Path, *, exposure: bool = True, repeats: int = 1) -> list[str]:
    lib.mkdir(parents=True, exist_ok=True)
    names, img = [], scene(7)
    for k in range(repeats):
        for i, ev in enumerate((-2, 0, 2)):
            names.append(f"IMG_{k * 3 + i + 1:04d}.jpg")
            _frame(lib / names[-1], img, ev, str(k * 3 + i), exposure=exposure)
    return names


def _scan(lib: Path) -> None:
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert res.exit_code == 0, res.output


def _groups(lib: Path) -> list[dict]:
    res = CliRunner().invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    return [json.loads(line) for line in res.stdout.splitlines()]


def test_an_exposure_brackets_frames_are_no_burst(tmp_path):
    lib = tmp_path / "hdr"
    _bracket(lib)
    _scan(lib)
    assert _groups(lib) == []  # (was one group of 3, the -2 and +2 EV frames candidates)
    dry = CliRunner().invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib)])
    assert dry.exit_code == 0, dry.output
    assert "would move" not in dry.output


def test_a_repeated_bracket_pairs_the_frames_of_one_exposure(tmp_path):
    lib = tmp_path / "hdr"
    names = _bracket(lib, repeats=2)
    _scan(lib)
    groups = _groups(lib)
    assert sorted(sorted(Path(m["path"]).name for m in g["members"]) for g in groups) == \
        [[names[0], names[3]], [names[1], names[4]], [names[2], names[5]]]


def test_frames_without_exposure_data_group_as_before(tmp_path):
    lib = tmp_path / "hdr"
    _bracket(lib, exposure=False)
    _scan(lib)
    assert [g["size"] for g in _groups(lib)] == [3]


def test_a_library_scanned_before_learns_its_exposures_on_its_next_scan(tmp_path):
    lib = tmp_path / "hdr"
    _bracket(lib)
    _scan(lib)
    with sqlite3.connect(lib / ".blurscan.db") as conn:  # as a blurscan before 2026-12-07 stored them
        rows = conn.execute("SELECT path, record FROM images").fetchall()
        for path, blob in rows:
            old = json.loads(blob)
            del old["exposure_ev"], old["exposure_setting"]  # (exposure_setting: since later that day)
            old["dates"] = 2
            conn.execute("UPDATE images SET record = ? WHERE path = ?", (json.dumps(old), path))
    conn.close()
    assert [g["size"] for g in _groups(lib)] == [3]
    _scan(lib)  # (reused, not scored again: the exposure read from the header alone)
    assert _groups(lib) == []


def test_exposure_value_and_grouping_by_it():
    from blurscan.exif import exposure_value

    assert exposure_value({"exposure_time": 1 / 125, "f_number": 8.0, "iso": 100}) == 12.97
    assert exposure_value({"exposure_time": 1 / 125, "f_number": 8.0, "iso": 400}) == 10.97
    assert exposure_value({"exposure_time": 1 / 125, "f_number": 8.0}) is None
    assert exposure_value({"exposure_time": 0.0, "f_number": 8.0, "iso": 100}) is None
    img = scene(3)
    shots = [record(exposed(img, 1.0), f"a{i}", 0.2 * i) for i in range(3)]
    for shot, ev in zip(shots, (12.0, 12.33, 14.0)):  # a third of a stop: one burst; two stops: a bracket's frame
        shot.exposure_ev = ev
    assert [[r.path for r in g] for g in find_groups(shots)] == [["/photos/a0.jpg", "/photos/a1.jpg"]]
