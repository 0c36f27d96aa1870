"""``synth``, ``evaluate``, ``move`` and ``trash`` with standard error in a log (no terminal): a line now and then
says how far they have got, as ``scan``'s does (test_cli_scan_progress_lines.py). Until 2026-12-06 they said
nothing there until they ended. The lines are due at every step here (``FIRST`` and ``LONGEST`` 0: with ``FIRST``
alone the next line was due a tenth of the time since the start later, so on a loaded machine, a first photo slow
and the next two quick, ``synth`` said no line with a rate)."""
from __future__ import annotations

import csv
import os
import re

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.records import ScanRecord
from blurscan.store import Store
from helpers_images import blurred, save_jpeg, textured
from helpers_library import blurry_library


@pytest.fixture(autouse=True)
def every_step(monkeypatch):
    from blurscan.cli import progress_lines

    monkeypatch.setattr(progress_lines, "FIRST", 0.0)
    monkeypatch.setattr(progress_lines, "LONGEST", 0.0)


def _lines(text: str, doing: str, total: int, things: str) -> list[int]:
    """The counts of the lines with a rate (``7.0 files/s`` under 10 a second, as on a loaded machine)."""
    said = [int(n) for n in re.findall(rf"^{doing}: (\d+) of {total} {things} \([\d,.]+ {things}/s, [^)]+ left\)$",
                                       text, re.M)]
    assert said and said == sorted(said) and max(said) < total, text
    return said


def test_move_in_a_log(tmp_path):
    root = tmp_path / "lib"
    blurry_library(root, 24)  # (more than 20 files: a terminal draws the bar)
    result = CliRunner().invoke(main, ["move", str(root), "--all-blurry", "--to", str(tmp_path / "out"), "--yes"])
    assert result.exit_code == 0, result.output
    _lines(result.stderr, "moving", 24, "files")
    assert "Moving" not in result.stderr.splitlines()  # (the bar's label: not a line of its own in a log)
    assert result.stdout.startswith("moved 24 photos")


def test_a_move_of_a_few_photos_says_no_progress(tmp_path):
    """20 files or fewer: no bar on a terminal, so no line in a log either (a move of one photo: one line)."""
    root = tmp_path / "lib"
    path = save_jpeg(root / "IMG_0.jpg", blurred(textured(0, (48, 64))))
    st = os.stat(path)
    with Store(root / ".blurscan.db") as store:
        store.put([ScanRecord(path=str(path), verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                              format="JPEG")], "test")
    result = CliRunner().invoke(main, ["move", str(root), "--all-blurry", "--to", str(tmp_path / "out"), "--yes"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("moved 1 photo") and "moving" not in result.stderr.lower(), result.output


def test_evaluate_in_a_log(tmp_path):
    rows = []
    for i in range(4):
        save_jpeg(tmp_path / f"p{i}.jpg", textured(i, (96, 128)) if i % 2 else blurred(textured(i, (96, 128)), 4))
        rows.append([f"p{i}.jpg", "sharp" if i % 2 else "blurry"])
    with open(tmp_path / "m.csv", "w", newline="") as f:
        csv.writer(f).writerows([["file", "label"], *rows])
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--model", "none", "--workers", "1",
                                       "--out", str(tmp_path / "ev")])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Scoring 4 images\n")  # (as click's bar wrote it off a terminal)
    _lines(result.stderr, "scoring", 4, "images")


def test_synth_in_a_log(tmp_path):
    for i in range(3):
        save_jpeg(tmp_path / "src" / f"p{i}.jpg", textured(i, (96, 128)))
    result = CliRunner().invoke(main, ["synth", str(tmp_path / "src"), str(tmp_path / "out"), "--per-image", "1",
                                       "--max-side", "128", "--no-camera"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("synth: 1 of 3 photos\n")  # (after the first photo: no rate yet)
    _lines(result.stderr, "synth", 3, "photos")
    quiet = CliRunner().invoke(main, ["synth", str(tmp_path / "src"), str(tmp_path / "out2"), "--per-image", "1",
                                      "--max-side", "128", "--no-camera", "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == "", quiet.output
