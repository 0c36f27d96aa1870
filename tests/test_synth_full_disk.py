"""`blurscan synth` on a disk that fills up (here: a file-size limit, RLIMIT_FSIZE, as the disk's last free bytes;
Python ignores SIGXFSZ, so a write past it fails with EFBIG as a full disk's fails with ENOSPC). Until 2026-12-06
the command ended in a Python traceback (`OSError: [Errno 28] No space left on device`), the sample it was
writing left cut short in its split folder; a marker (`unfinished.json`) the disk cut short made every later run,
`--overwrite` too, refuse the folder as "not blurscan synth's"."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from blurscan import synth
from helpers_images import save_jpeg, textured

resource = pytest.importorskip("resource")


def _sources(folder: Path, n: int) -> Path:
    for i in range(n):
        save_jpeg(folder / f"src_{i}.jpg", textured(i))
    return folder


def _synth(src: Path, out: Path, *extra: str, limit: int | None = None) -> subprocess.CompletedProcess:
    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "blurscan", "synth", str(src), str(out), "--per-image", "2", "-q",
                           *extra], capture_output=True, text=True, timeout=300,
                          preexec_fn=small_disk if limit is not None else None)


def _samples_on_disk(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for split in ("train", "val", "test") if (out / split).is_dir()
                  for p in (out / split).iterdir())


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_sample_the_disk_cannot_hold_is_one_error_and_leaves_no_part_of_it(tmp_path, workers):
    """The marker (about 1 kB) fits, no sample (tens of kB) does: one line naming the sample and the reason, exit
    code 1, no sample cut short on disk, the dataset said to be unfinished; `--overwrite` then makes it."""
    src, out = _sources(tmp_path / "src", 3), tmp_path / "out"
    result = _synth(src, out, "--workers", workers, limit=4000)
    assert result.returncode == 1, result.stderr
    match = re.fullmatch(r"Error: (.+): cannot write: file too large; (.+) holds an unfinished dataset: make room, "
                         r"then run the same command with --overwrite to make it again\n", result.stderr)
    assert match, result.stderr
    sample, folder = Path(match[1]), match[2]
    assert folder == str(out) and sample.parent.parent == out and sample.suffix == ".jpg"
    assert _samples_on_disk(out) == []  # (the one cut short removed)
    assert (out / "unfinished.json").is_file() and not (out / "dataset.json").exists()
    again = _synth(src, out, "--overwrite")
    assert again.returncode == 0, again.stderr
    assert len(synth.read_manifest(out)) == 6 == len(_samples_on_disk(out))
    assert not (out / "unfinished.json").exists()


@pytest.mark.slow
def test_a_marker_the_disk_cannot_hold_leaves_nothing_and_the_same_command_works_later(tmp_path):
    """Nothing fits: the marker is the first file written. It was left cut short, and every later run refused the
    folder ("not blurscan synth's (it writes a file of that name while it works): choose another folder")."""
    src, out = _sources(tmp_path / "src", 2), tmp_path / "out"
    result = _synth(src, out, limit=100)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (f"Error: {out / 'unfinished.json'}: cannot write: file too large; nothing was written: "
                             "make room, then run the same command again\n")
    assert not os.path.lexists(out)  # (the folder this run made, removed)
    again = _synth(src, out)
    assert again.returncode == 0, again.stderr
    assert len(synth.read_manifest(out)) == 4 == len(_samples_on_disk(out))
