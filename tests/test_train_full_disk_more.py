"""More of a training run's model on a full disk (blurscan.model.saving; the disk's last free bytes a file-size
limit, RLIMIT_FSIZE, as in test_train_full_disk.py): a model kept in the work folder never replaces one an
earlier run kept there, and a work folder that cannot hold the model the run evaluates is one line, nothing
written to ``--out`` (found by mutation testing of saving.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from test_train_full_disk import _DATA, _save

resource = pytest.importorskip("resource")


def test_a_kept_model_never_replaces_one_an_earlier_run_kept(tmp_path):
    """Two runs kept in the same second (the kept name has the time to the second): the second is ``-2``."""
    out, work = tmp_path / "m.onnx", tmp_path / "work"
    work.mkdir()
    now = datetime.now()
    earlier = {f"m-{(now + timedelta(seconds=s)).strftime('%Y-%m-%dT%H%M%S')}.onnx" for s in range(-1, 30)}
    for name in earlier:  # (each second the run may end in)
        (work / name).write_bytes(b"the model an earlier run kept")
    result = _save(out, work)
    assert result.returncode == 1, result.stderr
    for name in earlier:
        assert (work / name).read_bytes() == b"the model an earlier run kept", name
    kept = set(os.listdir(work)) - earlier
    assert len(kept) == 1 and next(iter(kept)).endswith("-2.onnx"), kept
    assert (work / next(iter(kept))).read_bytes() == _DATA and not out.exists()


def test_a_work_folder_that_cannot_hold_the_model_evaluated_is_one_line(tmp_path):
    """The work disk full before the model is evaluated: one line naming the staged file, --out not written."""
    out, work = tmp_path / "m.onnx", tmp_path / "work"
    work.mkdir()
    child = ("import resource, sys\nfrom pathlib import Path\nfrom blurscan.errors import ModelError\n"
             "from blurscan.model import saving\nresource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
             "try:\n    with saving.staged(Path(sys.argv[2]), sys.argv[1], bytes(range(256)) * 64):\n"
             "        raise SystemExit('evaluated')\nexcept ModelError as exc:\n"
             "    print(f'Error: {exc}', file=sys.stderr)\n    sys.exit(1)\n")
    result = subprocess.run([sys.executable, "-c", child, str(out), str(work)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    line = result.stderr.splitlines()
    assert len(line) == 1 and line[0].startswith(f"Error: {work}{os.sep}model-"), result.stderr
    assert line[0].endswith(f"{os.sep}m.onnx: cannot write the model for its evaluation: file too large; {out} was "
                            "not written: make room, then run the same command again (the training images made are "
                            f"kept in {work})"), result.stderr
    assert os.listdir(work) == [] and not out.exists()  # (the staged folder removed)
