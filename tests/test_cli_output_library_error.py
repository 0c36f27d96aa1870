"""An error of a library while a command's list is being made is not a failure of standard output: rich's lazy
import of its Unicode tables (``rich/_unicode_data``), its folder's listing cut short by the file system (EINTR, on
a network file system: reproduced with ``strace -e inject=getdents64:error=EINTR``), was said as "Error: standard
output: cannot write output: interrupted system call" after a scan that had completed (until 2026-12-06)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpers_images import blurred, save_jpeg, textured

#: A child blurscan whose import of rich's Unicode tables fails as the file system's EINTR made it fail.
CHILD = """
import errno, os, runpy, sys

class CutShort:
    def find_spec(self, name, path=None, target=None):
        if name == "rich._unicode_data":
            raise InterruptedError(errno.EINTR, os.strerror(errno.EINTR), os.path.join(path[0], "_unicode_data"))
        return None

sys.meta_path.insert(0, CutShort())
sys.argv[0] = "blurscan"
runpy.run_module("blurscan", run_name="__main__")
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("lib")
    save_jpeg(root / "sharp.jpg", textured(seed=1))
    save_jpeg(root / "soft.jpg", blurred(textured(seed=2), sigma=4.0))
    return root


@pytest.mark.slow
@pytest.mark.parametrize("command", ["scan", "report"])
def test_a_librarys_interrupted_import_is_not_said_as_standard_outputs_failure(library, command):
    args = [command, str(library)] + (["--model", "none", "--workers", "1"] if command == "scan" else [])
    if command == "report":
        assert subprocess.run([sys.executable, "-m", "blurscan", "scan", str(library), "--model", "none",
                               "--workers", "1"], capture_output=True, timeout=120).returncode == 0
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, timeout=120)
    assert "standard output" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    line = proc.stderr.splitlines()[-1]
    assert line.startswith("Error: ") and f"{os.sep}rich{os.sep}_unicode_data: interrupted system call" in line, line
    assert proc.returncode == 1
    assert (library / ".blurscan.db").is_file()  # the scan's work kept


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_full_standard_output_is_still_standard_outputs_failure(library):
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(library), "--model", "none"], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.stderr.splitlines()[-1] == "Error: standard output: cannot write output: no space left on device"
