"""`blurscan train` stopped half-way, through the real command line: a worker process making the training images
killed; what it prints, its exit code, what it leaves (no model at --out) and that no process of it stays."""
from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers_images import save_jpeg, textured
from helpers_train import tiny_training
from test_cli_scan_ctrl_c import _session_processes
from test_synth_interrupted import _workers

pytestmark = [pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs torch (the 'train' extra)"),
              pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")]


def _photos(folder: Path, n: int = 16, size: tuple[int, int] = (480, 640)) -> Path:
    """``n`` textured photos (enough for a train, a val and a test split)."""
    folder.mkdir()
    for i in range(n):
        save_jpeg(folder / f"photo_{i:02d}.jpg", textured(i, size=size))
    return folder


def _children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (Linux ``/proc``)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def _wait_for(condition, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def _finish(proc: subprocess.Popen, timeout: float) -> tuple[str, list[int]]:
    """``proc``'s stderr once it has ended (within ``timeout`` seconds) and the processes of its session left
    a few seconds later; everything of it killed in the end, whatever happened."""
    try:
        _, err = proc.communicate(timeout=timeout)
        deadline = time.monotonic() + 10
        while _session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        return err.decode(), _session_processes(proc.pid)
    finally:
        for pid in _session_processes(proc.pid):
            os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.communicate()


@pytest.mark.slow
def test_a_worker_killed_under_train_stops_it_with_one_line_and_no_model(tmp_path):
    """A worker making the training images killed (the out-of-memory killer; here `kill -9`): the pool started
    another worker, the dead one's images were never made, and the command waited for them for ever. It now
    stops at once: one `Error:` line, exit code 1, no model at --out, no process behind; the images made are kept
    in the work folder."""
    photos, out, work = _photos(tmp_path / "photos"), tmp_path / "m.onnx", tmp_path / "work"
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "train", str(photos), "--out", str(out),
                             "--work-dir", str(work), "--workers", "2", "--epochs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        # (spawned workers: multiprocessing's resource tracker is a child too, and is not one of them)
        workers = _wait_for(lambda: len(_workers(proc.pid)) >= 2 and _workers(proc.pid))
        assert len(workers) == 2 and set(workers) <= set(_children(proc.pid)), workers
        os.kill(workers[0], signal.SIGKILL)
    finally:
        err, left = _finish(proc, timeout=30)
    assert proc.returncode == 1, err
    lines = [line for line in err.splitlines() if line.strip()]
    sub = next(work.iterdir())  # (the work folder of this data, plan and seed)
    said = re.fullmatch(r"Error: a worker process ended abruptly \(killed, perhaps by the out-of-memory killer, or "
                        r"crashed\) when (\d+) of (\d+) training images were made; " + re.escape(
                            f"{out} was not written: run the same command again to go on (the images made are kept "
                            f"in {sub}), with fewer --workers if memory ran short"), lines[-1])
    assert said and int(said[1]) < int(said[2]) and int(said[2]) % 16 == 0, err  # (images per photo: the plan's)
    assert sum(line.startswith("Error:") for line in lines) == 1 and "Traceback" not in err, err
    assert not out.exists() and left == []


@pytest.mark.slow
@pytest.mark.train
def test_ctrl_c_while_the_model_is_evaluated_leaves_out_as_it_was(tmp_path, monkeypatch):
    """The model was written to --out before it was evaluated: Ctrl-C then (a minute on the shared data) said
    "interrupted", but --overwrite's old model was already replaced by the new one (and no card written), and the
    same command again was refused, --out existing. --out is now written at the very end: a run stopped before
    leaves it as it was. (Ctrl-C mid-epoch, or while the images are made, never reached the export.)"""
    from click.testing import CliRunner

    from blurscan.cli import main
    from blurscan.model import data, defaults, report

    # a run of a few seconds: small photos, two images each, a tiny network
    tiny_training(monkeypatch)
    evaluated = []

    def stopped(model_path, entries):
        evaluated.append(Path(model_path).read_bytes()[:4])
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "real_tables", stopped)
    photos, out, card = _photos(tmp_path / "photos", size=(96, 128)), tmp_path / "m.onnx", tmp_path / "card.md"
    out.write_bytes(b"last week's model")
    args = ["train", str(photos), "--out", str(out), "--overwrite", "--card", str(card), "--work-dir",
            str(tmp_path / "work"), "--workers", "1", "--epochs", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 130 and result.stderr.endswith("interrupted\n"), result.output
    assert evaluated and out.read_bytes() == b"last week's model" and not card.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.onnx", "photos", "work"]  # (no temporary file)
    assert [p.name for p in (tmp_path / "work").iterdir() if p.name.startswith("model-")] == []  # (nor there)
    monkeypatch.undo()
    monkeypatch.setattr(data, "BLUR_PLAN", ("none", "shake"))
    for key, value in (("night", False), ("small_subjects", False), ("widths", (4, 4, 4, 4))):
        monkeypatch.setitem(defaults.DEFAULTS, key, value)
    done = CliRunner().invoke(main, args)  # the same command, not stopped, replaces it and writes the card
    assert done.exit_code == 0, done.output
    assert out.read_bytes()[:4] == evaluated[0] and card.read_text().startswith("# Model card: m.onnx")


@pytest.mark.slow
@pytest.mark.train
def test_the_card_is_written_whole_through_a_link_and_into_a_new_folder(tmp_path, monkeypatch):
    """The card was written in place, after the model: a Ctrl-C (or a full disk) while writing it left half a card;
    a --card in a folder not made yet failed at the very end of the run (the model's folder is made, the card's
    was not). Now it goes through a temporary file renamed over the card, its folders made; a --card that is a
    symbolic link keeps the link and its file gets the card."""
    from click.testing import CliRunner

    from blurscan.cli import main
    from blurscan.model import export

    tiny_training(monkeypatch)
    photos, cards = _photos(tmp_path / "photos", size=(96, 128)), tmp_path / "cards"
    cards.mkdir()
    last_week = "# Model card: m.onnx\n\n*Written by `blurscan train` on 2026-11-28T09:00:00+00:00, ...*\n"
    (cards / "real.md").write_text(last_week)  # (a card train wrote: any other file is refused without --overwrite)
    (cards / "card.md").symlink_to("real.md")
    real_fsync = os.fsync

    def stopped_on_the_card(fd):
        if ".real.md." in os.readlink(f"/proc/self/fd/{fd}"):  # the card's temporary file, not the model's
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(export.os, "fsync", stopped_on_the_card)

    def train(out, card):
        return CliRunner().invoke(main, ["train", str(photos), "--out", str(out), "--card", str(card), "--work-dir",
                                         str(tmp_path / "work"), "--workers", "1", "--epochs", "1"])

    result = train(tmp_path / "m.onnx", cards / "card.md")
    assert result.exit_code == 130 and result.stderr.endswith("interrupted\n"), result.output
    assert (cards / "real.md").read_text() == last_week  # (before: the new card, cut where it stopped)
    assert sorted(p.name for p in cards.iterdir()) == ["card.md", "real.md"]  # (no temporary file left)
    monkeypatch.setattr(export.os, "fsync", real_fsync)
    done = train(tmp_path / "m2.onnx", cards / "card.md")
    assert done.exit_code == 0, done.output
    assert (cards / "card.md").is_symlink() and os.readlink(cards / "card.md") == "real.md"
    assert (cards / "real.md").read_text().startswith("# Model card: m2.onnx")
    fresh = tmp_path / "new" / "folder" / "card.md"  # (before: FileNotFoundError after the whole run)
    done = train(tmp_path / "m3.onnx", fresh)
    assert done.exit_code == 0, done.output
    assert fresh.read_text().startswith("# Model card: m3.onnx")
