"""`blurscan train` whose model or card cannot be written at the end of the run (a disk that filled meanwhile; here
a file-size limit, RLIMIT_FSIZE, as the disk's last free bytes: Python ignores SIGXFSZ, so a write past it fails
with EFBIG as a full disk's fails with ENOSPC). Until 2026-12-06 the command ended in a Python traceback after
the whole run, and the trained model was lost; now one line names the file and the reason, and the model the run
evaluated is kept in the work folder, the line saying where."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from blurscan.errors import shell_path

resource = pytest.importorskip("resource")

#: A child that writes the model copy the run evaluates, then meets the full disk (``limit`` bytes per file) for
#: ``--out`` and the card, as :mod:`blurscan.model.saving` writes them after a training run.
_SAVE = """
import resource, sys
from pathlib import Path
from blurscan.errors import ModelError
from blurscan.model import saving
from blurscan.model.export import write_card_text
out, work, card, staged_first = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] or None, sys.argv[4] == "1"
data = bytes(range(256)) * 64  # (16 kB: a model)
work.mkdir(exist_ok=True)  # (made as the run starts)
try:
    with saving.staged(work, out, data) as staged:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # the disk fills up as the run ends
        saving.save_model(out, data, 0.0, staged if staged_first else None, work, card=card)
    if card:
        saving.save_card(card, out, lambda: write_card_text(card, "# card\\n" * 5000))
except ModelError as exc:
    print(f"Error: {exc}", file=sys.stderr)
    sys.exit(1)
"""

_DATA = bytes(range(256)) * 64


def _save(out: Path, work: Path, card: Path | None = None, *, staged: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _SAVE, str(out), str(work), str(card or ""), "1" if staged else "0"],
                          capture_output=True, text=True, timeout=120)


def test_a_model_the_disk_cannot_hold_is_kept_in_the_work_folder_and_the_old_one_stays(tmp_path):
    out, work, card = tmp_path / "models" / "m.onnx", tmp_path / "work", tmp_path / "m.md"
    out.parent.mkdir()
    out.write_bytes(b"the model an earlier run wrote")  # (--overwrite)
    result = _save(out, work, card)
    assert result.returncode == 1, result.stderr
    match = re.fullmatch(rf"Error: {re.escape(str(out))}: cannot write the model: file too large; the trained model "
                         rf"is kept in (.+); the model card {re.escape(str(card))} was not written: make room, then "
                         rf"move it there \(mv (.+) {re.escape(shell_path(out))}\), no need to train again\n",
                         result.stderr)
    assert match, result.stderr
    kept = Path(match[1])
    assert match[2] == shell_path(match[1])  # (the command's words quoted for a shell)
    assert kept.parent == work and kept.name.startswith("m-") and kept.suffix == ".onnx"
    assert kept.read_bytes() == _DATA
    assert os.listdir(work) == [kept.name]  # (the staged folder gone, the model moved out of it)
    assert out.read_bytes() == b"the model an earlier run wrote"
    assert os.listdir(out.parent) == ["m.onnx"] and not card.exists()  # no temporary file left


def test_a_model_that_cannot_be_kept_either_is_said_lost(tmp_path):
    """No copy of the model on disk (the seed-4class recipe evaluates it in memory): written to the work folder,
    which here is on the full disk too; no part of it is left."""
    out, work = tmp_path / "m.onnx", tmp_path / "work"
    result = _save(out, work, staged=False)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (f"Error: {out}: cannot write the model: file too large; the trained model could not be "
                             "kept elsewhere either: make room, then run the same command again (the training images "
                             f"made are kept in {work})\n")
    assert os.listdir(work) == [] and os.listdir(tmp_path) == ["work"]


def test_a_card_the_disk_cannot_hold_leaves_the_model_written(tmp_path):
    """The model (16 kB) fits under the limit, the card (35 kB) does not."""
    out, work, card = tmp_path / "m.onnx", tmp_path / "work", tmp_path / "m.md"
    result = subprocess.run([sys.executable, "-c", _SAVE.replace("(4096, 4096)", "(20000, 20000)"), str(out),
                             str(work), str(card), "1"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (f"Error: {card}: cannot write the model card: file too large; the model was written to "
                             f"{out}\n")
    assert out.read_bytes() == _DATA and os.listdir(work) == []
    assert sorted(os.listdir(tmp_path)) == ["m.onnx", "work"]  # (no card cut short, no temporary file)


#: The command line, the disk filling up once the run has evaluated its model (before it writes --out); a run of a
#: few seconds (:func:`helpers_train.tiny_training`: what is trained does not matter here, only its ending).
_TRAIN = """
import resource, sys
import pytest
sys.path.insert(0, sys.argv.pop(1))
from helpers_train import tiny_training
tiny_training(pytest.MonkeyPatch())
from blurscan.model import report
real = report.speed
def speed(path):
    measured = real(path)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    return measured
report.speed = speed
from blurscan.cli import main
main(sys.argv[1:])
"""


@pytest.mark.slow
@pytest.mark.train
def test_train_on_a_disk_that_fills_up_keeps_the_model_and_says_where(tmp_path):
    pytest.importorskip("torch")
    from blurscan.model import runtime
    from test_model_train import _skimage_sources

    photos = _skimage_sources(tmp_path / "photos")
    out, work, card = tmp_path / "m.onnx", tmp_path / "work", tmp_path / "m.md"
    result = subprocess.run([sys.executable, "-c", _TRAIN, str(Path(__file__).parent), "train", str(photos), "--out", str(out), "--epochs", "1",
                             "--work-dir", str(work), "--workers", "1", "--card", str(card)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    match = re.search(rf"^Error: {re.escape(str(out))}: cannot write the model: file too large; the trained model is "
                      rf"kept in (.+); the model card {re.escape(str(card))} was not written: make room, then move "
                      r"it there \(mv .+\), no need to train again$", result.stderr, re.M)
    assert match, result.stderr
    assert runtime.load(match[1]).spec.training["epochs_run"] == 1
    assert sorted(os.listdir(tmp_path)) == ["photos", "work"]  # no model, card or temporary file cut short


#: A training image's file in the work folder.
_NPZ = r"[0-9a-f]{16}-\d\d\.npz"


@pytest.mark.slow
@pytest.mark.train
@pytest.mark.parametrize("limit, workers, file", [(2000, "1", _NPZ), (2000, "2", _NPZ), (10, "1", "config.json")])
def test_a_work_folder_the_disk_cannot_hold_is_one_error_and_leaves_no_part_of_a_file(tmp_path, limit, workers, file):
    """The training images made in the work folder (20-200 kB each) on a full disk: a traceback, the file cut short
    left under its temporary name (``.npz.tmp.npz``)."""
    pytest.importorskip("torch")
    from test_model_train import _skimage_sources

    photos = _skimage_sources(tmp_path / "photos")
    out, work = tmp_path / "m.onnx", tmp_path / "work"

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run([sys.executable, "-m", "blurscan", "train", str(photos), "--out", str(out), "--epochs", "1",
                             "--work-dir", str(work), "--workers", workers], capture_output=True, text=True,
                            timeout=300, preexec_fn=small_disk)
    assert result.returncode == 1, result.stderr
    last = result.stderr.splitlines()[-1]
    sub = re.escape(str(work)) + r"/[0-9a-f]{12}"
    assert re.fullmatch(rf"Error: {sub}/{file}: cannot write the training data: file too large; the images made "
                        rf"before it are kept in {sub}; {re.escape(str(out))} was not written: make room \(or choose "
                        r"another --work-dir\), then run the same command again to go on", last), result.stderr
    assert "Traceback" not in result.stderr and not out.exists()
    assert [p.name for p in work.rglob("*") if p.is_file()] == (["config.json"] if file != "config.json" else [])
