"""A child process the tests run under a file-size limit (RLIMIT_FSIZE, the tests' "full disk") writes no Python
bytecode. CPython writes a module's ``.pyc`` with one ``write`` and renames it into place whatever that wrote: a
child that compiled a module the test run had not imported yet (``blurscan bursts`` in
test_full_disk_side_files.py run alone, from a fresh checkout) left a ``.pyc`` cut at the limit in
``src/blurscan/bursts/__pycache__``, and every later ``blurscan bursts`` of that checkout, tests and by hand,
said "Aborted!" (``marshal data too short``) until it was removed (until 2026-12-06). ``conftest.py`` sets
``PYTHONDONTWRITEBYTECODE`` for the children."""
from __future__ import annotations

import marshal
import os
import subprocess
import sys

import pytest

resource = pytest.importorskip("resource")


def test_a_child_under_a_file_size_limit_leaves_no_cut_bytecode(tmp_path):
    (tmp_path / "big_module.py").write_text("".join(f"NAME_{i} = {'x' * 40!r}\n" for i in range(200)))

    def no_room():
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))

    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", "import big_module"], env=env, capture_output=True, text=True,
                            timeout=60, preexec_fn=no_room)
    assert result.returncode == 0, result.stderr
    for pyc in (tmp_path / "__pycache__").glob("*.pyc") if (tmp_path / "__pycache__").exists() else ():
        marshal.loads(pyc.read_bytes()[16:])  # (a cut one: EOFError, marshal data too short)
