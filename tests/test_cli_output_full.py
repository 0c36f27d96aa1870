"""Output that cannot be written (a full disk under `> list.txt`, `/dev/full`): every command printed a Python
traceback ending in `OSError: [Errno 28] No space left on device`; each now says it in one line naming the output,
with exit code 1, and a scan keeps what it scored."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from helpers_images import blurred, save_jpeg, textured

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")

FULL = "standard output: cannot write output: no space left on device"


def _blurscan(*args, stdout="/dev/full"):
    with open(stdout, "wb") as out:
        proc = subprocess.run([sys.executable, "-m", "blurscan", *map(str, args)], stdout=out,
                              stderr=subprocess.PIPE, timeout=120)
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("lib")
    for i in range(3):
        save_jpeg(root / f"sharp{i}.jpg", textured(seed=i))
        save_jpeg(root / f"soft{i}.jpg", blurred(textured(seed=10 + i), sigma=4.0))
    code, err = _blurscan("scan", root, "--model", "none", "--workers", "1", stdout=os.devnull)
    assert code == 0, err
    return root


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ("scan", "{lib}", "--model", "none", "--workers", "1"),
    ("scan", "{lib}", "--model", "none", "--workers", "1", "--format", "jsonl"),
    ("report", "{lib}"),
    ("report", "{lib}", "--format", "csv"),
    ("undo", "--list", "{lib}"),
    ("move", "--to", "{lib}-rejects", "--all-blurry", "{lib}"),
])
def test_standard_output_on_a_full_disk_is_one_error_line(library, args):
    code, err = _blurscan(*(a.format(lib=library) for a in args))
    assert "Traceback" not in err, err
    assert err.splitlines()[-1] == f"Error: {FULL}", err
    assert code == 1
    assert not os.path.exists(f"{library}-rejects")  # a dry run: nothing moved either way


@pytest.mark.slow
@pytest.mark.parametrize("args", [("--version",), ("--help",), ("scan", "--help"), ("move", "--help")])
def test_help_and_version_on_a_full_disk_are_one_error_line(args):
    """Written while click parses the command line, before any command runs: they were a traceback."""
    code, err = _blurscan(*args)
    assert err == f"Error: {FULL}\n" and code == 1, err


def test_an_output_file_on_a_full_disk_is_named(library):
    code, err = _blurscan("report", library, "--output", "/dev/full", "--format", "jsonl", stdout=os.devnull)
    assert "Traceback" not in err, err
    assert err.splitlines()[-1] == "Error: /dev/full: cannot write output: no space left on device"
    assert code == 1


def test_a_scan_whose_output_fails_keeps_what_it_scored(tmp_path):
    root = tmp_path / "new"
    for i in range(3):
        save_jpeg(root / f"p{i}.jpg", textured(seed=20 + i))
    code, err = _blurscan("scan", root, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert code == 1 and "Traceback" not in err and err.splitlines()[-1] == f"Error: {FULL}", err
    code, err = _blurscan("report", root, "--format", "jsonl", stdout=tmp_path / "kept.jsonl")
    assert code == 0, err
    kept = [json.loads(line) for line in (tmp_path / "kept.jsonl").read_text().splitlines()]
    assert kept and all(r["status"] == "ok" and r["path"].startswith(str(root)) for r in kept)
