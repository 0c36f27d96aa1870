"""blurscan.scan() in a script whose spawned worker processes cannot start (processes.WorkerStart): the files are
scored in the calling process, with one line saying why, instead of all being blamed as "worker process crashed
on this file". A worker that dies on one file (a decoder's segfault) is still isolated to that file:
tests/test_bad_input.py::test_worker_crash_is_one_error_and_the_scan_goes_on."""
from __future__ import annotations

import subprocess
import sys

import pytest

from helpers_images import save_jpeg, textured

N = 6


def _library(tmp_path):
    for i in range(N):
        save_jpeg(tmp_path / "lib" / f"p{i}.jpg", textured(i, size=(120, 160)))
    return tmp_path / "lib"


def _script(lib, after: str = "") -> str:
    return ("import blurscan\n"
            "from blurscan import scan_workers\n"
            "from blurscan.config import ScanSettings\n"
            "scan_workers.MIN_POOL_BYTES = 0  # small files still go to the worker processes\n"
            f"{after}"
            f"records = list(blurscan.scan([{str(lib)!r}], ScanSettings(workers=2, model='none')))\n"
            "print('scanned', len(records), sum(r.status == 'ok' for r in records))\n")


def _run(args, tmp_path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=120, cwd=tmp_path, **kw)


@pytest.mark.parametrize("how", ["stdin", "deleted"])
def test_a_script_the_workers_cannot_import_is_scored_in_this_process(tmp_path, how):
    """`python - < script.py`: every spawned worker died importing '<stdin>' (FileNotFoundError), each file was
    retried alone in a new pool, and all 200 came back as "worker process crashed on this file", with 211
    tracebacks. No worker is started now: the files are scored here, with one line saying why. The same for a
    script deleted since it started."""
    lib = _library(tmp_path)
    if how == "stdin":
        done = _run(["-"], tmp_path, input=_script(lib))
    else:
        script = tmp_path / "gone.py"
        script.write_text(_script(lib, after="import os\nos.remove(__file__)\n"))
        done = _run([str(script)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == f"scanned {N} {N}", done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    said = [line for line in done.stderr.splitlines() if line.startswith("blurscan:")]
    expected = ("from a script read from standard input" if how == "stdin"
                else f"they import the script again, and {tmp_path / 'gone.py'} is no file")
    assert len(said) == 1 and expected in said[0] and said[0].endswith("; scoring in this process"), done.stderr


def test_a_script_whose_top_level_fails_in_the_workers_is_scored_in_this_process(tmp_path):
    """No `if __name__ == "__main__":` guard, and the top level fails where scan() was skipped (the workers import
    the script again): every worker died as it started, each file was retried alone in a new pool (0.7 s each),
    and all came back as "worker process crashed on this file" (200 of 200 after 148 s). Now the first pool in
    which no worker got through its start-up ends it: the files are scored here, with one line saying why."""
    lib = _library(tmp_path)
    script = tmp_path / "noguard.py"
    script.write_text(_script(lib) + "worst = max(records, key=lambda r: r.laplacian_var or 0)  # [] in a worker\n"
                      "print('worst', worst.path)\n")
    done = _run([str(script)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-2] == f"scanned {N} {N}", done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith(f"worst {lib}"), done.stdout
    assert "worker process crashed" not in done.stdout + done.stderr
    assert done.stderr.count("ValueError: max()") <= 2  # one per worker started, not one per file
    said = [line for line in done.stderr.splitlines() if "died as they started" in line]
    # (its start: a worker ended by the broken pool in the middle of writing its traceback can leave a part line
    # before it on the shared stderr, as one CI run showed: `^^^^^^^^^blurscan: the worker processes died ...`)
    assert len(said) == 1 and "blurscan: the worker processes died as they started (" in said[0], done.stderr
    assert "put it under `if __name__ == \"__main__\":`" in said[0] and said[0].endswith("scoring in this process")
