"""Every command whose reader goes away (``blurscan report | head -1``) stops quietly with exit code 141, as
``scan --format jsonl`` did: no traceback, no "Exception ignored", not click's exit code 1
(blurscan.cli.writefail)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from blurscan.store import Store

from helpers_images import make_library, save_jpeg, scene


def _closed_pipe(*args, cwd=None):
    """``blurscan ARGS`` with standard output a pipe whose reader has gone (closed before it starts): what
    ``| head -1`` does to a command whose output comes after head has exited. Returns (exit code, stderr)."""
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([sys.executable, "-m", "blurscan", *map(str, args)], stdout=write,
                              stderr=subprocess.PIPE, timeout=120, cwd=cwd)
    finally:
        os.close(write)
    return proc.returncode, proc.stderr.decode(errors="replace")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    root = tmp_path_factory.mktemp("pipe") / "lib"
    make_library(root)
    for i in range(2):  # a burst: two shots of one scene a second apart
        save_jpeg(root / f"burst_{i}.jpg", scene(7))
    proc = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(root), "--workers", "1", "--model", "none"],
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    return root


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ("report", "{lib}"), ("report", "{lib}", "--format", "jsonl"), ("report", "{lib}", "--format", "csv"),
    ("bursts", "{lib}"), ("move", "{lib}", "--all-blurry", "--to", "{lib}/../rejects"),
    ("scan", "{lib}", "--workers", "1", "--model", "none"), ("scan", "{lib}", "--format", "csv", "--model", "none"),
    ("scan", "{lib}", "--format", "jsonl", "--model", "none"), ("--help",), ("report", "--help"), ("--version",),
])
def test_a_command_whose_reader_went_away_exits_141_quietly(scanned, args):
    before = sorted(os.listdir(scanned))
    photos = [os.path.join(d, n) for d, _, names in os.walk(scanned) for n in names if not n.startswith(".")]
    code, err = _closed_pipe(*(a.format(lib=scanned) for a in args))
    assert code == 141, (code, err)
    assert "Traceback" not in err and "Exception ignored" not in err and "BrokenPipe" not in err, err
    assert sorted(os.listdir(scanned)) == before  # (the move was a dry run: nothing moved)
    with Store(scanned / ".blurscan.db") as store:
        assert sorted(r.path for r in store.records()) == sorted(photos)  # the scan's records are kept


def test_standard_error_gone_too_is_no_traceback(scanned):
    """``blurscan report lib 2>&1 | head -0``: both streams a pipe without a reader."""
    read, write = os.pipe()
    os.close(read)
    try:
        code = subprocess.run([sys.executable, "-m", "blurscan", "report", str(scanned)], stdout=write,
                              stderr=write, timeout=120).returncode
    finally:
        os.close(write)
    assert code == 141


@pytest.mark.slow
@pytest.mark.parametrize("closed", [1, 2])
def test_a_command_started_with_standard_output_or_error_closed(tmp_path, closed):
    """``blurscan scan DIR 2>&-`` (a service started without fd 2) failed at once, 'NoneType' object has no
    attribute 'isatty', exit 1, nothing scanned; ``blurscan report DIR >&-`` the same at its table. Python
    leaves sys.stdout / sys.stderr None for a closed descriptor; blurscan now puts /dev/null in its place:
    standard error is as if sent there, and the list written to a closed standard output fails as on a full disk
    (exit 1, one line; the scan keeps what it scored): until 2026-12-05 it was sent to /dev/null, exit code 0,
    the list lost without a word. A scan whose list goes to an --output file is not concerned."""
    root = tmp_path / "lib"
    make_library(root, n_sharp=2, n_blurry=1)
    streams = {1: "stdout", 2: "stderr"}
    for args in (("scan", root, "--workers", "1", "--model", "none"), ("report", root),
                 ("report", root, "--format", "jsonl"),
                 ("scan", root, "--workers", "1", "--model", "none", "--output", tmp_path / "list.csv")):
        kept = {streams[3 - closed]: subprocess.PIPE}
        proc = subprocess.run([sys.executable, "-m", "blurscan", *map(str, args)], timeout=120,
                              preexec_fn=lambda: os.close(closed), **kept)
        out = (proc.stdout if closed == 2 else proc.stderr).decode(errors="replace")
        assert "Traceback" not in out and "Exception ignored" not in out, out
        if "--output" in args:
            assert proc.returncode == 0, (args, proc.returncode, out)
            assert out == "" if closed == 2 else "scanned 3 files" in out, out
        elif closed == 2:
            assert proc.returncode == 0, (args, proc.returncode, out)
            assert "blurry" in out, out
        else:
            assert proc.returncode == 1, (args, proc.returncode, out)
            assert out == "Error: standard output: cannot write output: closed (bad file descriptor)\n", out
    with Store(root / ".blurscan.db") as store:
        assert len(store.records()) == 3
    assert len((tmp_path / "list.csv").read_text().splitlines()) == 4


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "jsonl", "csv"])
def test_a_missing_path_decides_the_exit_code_even_when_the_reader_went_away(scanned, tmp_path, fmt):
    """``blurscan scan MISSING | true`` exited with 141, the code of a reader gone away, so a script (or ``set -o
    pipefail``) could not tell it from a scan whose listing was cut short by ``| head``: the missing PATH, the
    real failure, decides (1, as without the pipe), and its line is still on stderr. With a real library beside
    it (the scan stops at its first write, as ever); a plain broken pipe still exits 141 (the test above)."""
    missing = tmp_path / "not here"
    for args in ((missing,), (missing, scanned)):
        code, err = _closed_pipe("scan", *args, "--db", tmp_path / "lib.db", "--format", fmt, "--model", "none",
                                 "--workers", "1")
        assert code == 1, (args, code, err)
        assert f"{missing}: no such file or directory" in err, err
        assert "Traceback" not in err and "Exception ignored" not in err and "BrokenPipe" not in err, err
