"""SIGTERM and SIGHUP to a command whose Ctrl-C was ignored from the start (a script's background job,
``blurscan scan lib -o out.txt &``: the shell ignores SIGINT there), through the real ``blurscan`` command: an
orderly stop as anywhere else (its line, 143 / 129 to a shell, no ``.part`` file, a photo moved with its sidecar,
undo puts everything back), and Ctrl-C itself still does nothing. Until 2026-12-07 either signal killed the command
at once: no line, the ``--output`` list left as a hidden ``.blurscan-output-*.part`` file, multiprocessing's
"leaked semaphore objects" warning, a move cut between a photo and its sidecar."""
from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time

import pytest

import blurscan
from blurscan.config import ScanSettings
from helpers_cli import jsonl
from helpers_images import blurred, save_jpeg, textured
from helpers_library import snapshot
from helpers_signals import default_signals

STOPS = [pytest.param(signal.SIGTERM, 143, id="SIGTERM"), pytest.param(signal.SIGHUP, 129, id="SIGHUP")]


def _background_job() -> None:
    """``preexec_fn``: the signal state of ``blurscan ... &`` in a script (SIGINT ignored, the others default)."""
    default_signals()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


#: The ``blurscan`` command (blurscan.__main__.run), a scan's pool used for any photo, and the scan taking a minute
#: after its 2nd record, saying so with the file MARKER.
_SCAN = """
import sys, time
from blurscan import pipeline, scan_workers
scan_workers.MIN_POOL_BYTES = 0
real = pipeline.scan
def scan(*args, **kwargs):
    for n, record in enumerate(real(*args, **kwargs)):
        yield record
        if n == 1:
            open({marker!r}, "w").close()
            time.sleep(60)
pipeline.scan = scan
from blurscan.__main__ import run
run()
"""


@pytest.mark.slow
@pytest.mark.parametrize("sig, code", STOPS)
def test_a_background_scan_stops_in_order_and_keeps_its_output_list(tmp_path, sig, code):
    lib, out, marker = tmp_path / "lib", tmp_path / "out.jsonl", tmp_path / "busy"
    for i in range(8):
        save_jpeg(lib / f"p{i}.jpg", textured(i))
    out.write_text("an earlier list\n")
    proc = subprocess.Popen([sys.executable, "-c", _SCAN.format(marker=str(marker)), "scan", str(lib), "-o", str(out),
                             "--model", "none", "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_background_job)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGINT)  # (ignored, as the shell asked: it would have been exit code 130)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    # the process ends killed by the signal, once all is said (a shell shows 143 / 129)
    assert proc.returncode == -sig, (code, err)
    assert err == b"interrupted: 2 of 8 scanned, kept in " + os.fsencode(lib / ".blurscan.db") + b"\n", err
    objs = jsonl(out.read_text())
    assert len(objs) == 2 and all(o["path"].startswith(str(lib)) for o in objs)
    assert sorted(os.listdir(tmp_path)) == ["busy", "lib", "out.jsonl"]  # (no .blurscan-output-*.part)


#: The ``blurscan`` command with Ctrl-C and then SIGNAL sent to itself right after the Nth call of MODULE.NAME.
_AFTER = """
import importlib, os, signal, sys
module = importlib.import_module("{module}")
real, calls = module.{name}, []
def wrapped(*args, **kwargs):
    out = real(*args, **kwargs)
    calls.append(1)
    if len(calls) == {n}:
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), {sig})
    return out
module.{name} = wrapped
from blurscan.__main__ import run
run()
"""


def _blurry_library(root, n, sidecars=False):
    for i in range(n):
        save_jpeg(root / f"IMG_{i}.jpg", blurred(textured(i), 4.0))
        if sidecars:
            (root / f"IMG_{i}.jpg.xmp").write_text('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>\n')
    records = list(blurscan.scan([root], ScanSettings(workers=1, model="none"), db=root / ".blurscan.db"))
    assert [r.verdict for r in records] == ["blurry"] * n, records
    return snapshot(root)


@pytest.mark.slow
@pytest.mark.parametrize("sig, code", STOPS)
def test_a_background_move_stops_after_the_photos_sidecar_and_undo_puts_it_back(tmp_path, sig, code):
    root, rejects = tmp_path / "lib", tmp_path / "rejects"
    before = _blurry_library(root, 3, sidecars=True)
    child = _AFTER.format(module="blurscan.actions.run", name="move_file", n=1, sig=int(sig))
    proc = subprocess.run([sys.executable, "-c", child, "move", "--to", str(rejects), "--all-blurry", "--yes",
                           str(root)], capture_output=True, text=True, preexec_fn=_background_job, cwd=tmp_path)
    assert proc.returncode == -sig, (code, proc.stderr)
    m = re.fullmatch(r"interrupted: moved 1 of 3 photos \(2 files, .*undo with `(blurscan undo --batch 1 [^`]+)`.*\n",
                     proc.stderr)
    assert m, proc.stderr
    assert sorted(p.name for p in rejects.iterdir()) == ["IMG_0.jpg", "IMG_0.jpg.xmp"]  # (the sidecar followed)
    undo = subprocess.run([sys.executable, "-m", *shlex.split(m.group(1))], capture_output=True, text=True,
                          cwd=tmp_path)
    assert undo.returncode == 0, undo.stderr
    assert snapshot(root) == before


@pytest.mark.slow
@pytest.mark.parametrize("sig, code", STOPS)
def test_a_background_undo_stops_in_order_and_the_next_one_finishes(tmp_path, sig, code):
    root = tmp_path / "lib"
    before = _blurry_library(root, 6)
    moved = subprocess.run([sys.executable, "-m", "blurscan", "move", "--to", str(tmp_path / "rejects"),
                            "--all-blurry", "--yes", str(root)], capture_output=True, text=True, cwd=tmp_path)
    assert moved.returncode == 0 and not snapshot(root), moved.stderr
    child = _AFTER.format(module="blurscan.actions.undo", name="restore", n=2, sig=int(sig))
    proc = subprocess.run([sys.executable, "-c", child, "undo", str(root)], capture_output=True, text=True,
                          preexec_fn=_background_job, cwd=tmp_path)
    assert proc.returncode == -sig, (code, proc.stderr)
    m = re.fullmatch(r"interrupted: restored 2 of 6 files of batch 1; run `(blurscan undo --batch 1 [^`]+)` again "
                     r"to finish\.\n", proc.stderr)
    assert m, proc.stderr
    assert len(snapshot(root)) == 2
    again = subprocess.run([sys.executable, "-m", *shlex.split(m.group(1))], capture_output=True, text=True,
                           cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout == "batch 1: restored 4 files, removed 1 empty folder the move had created.\n", again.stdout
    assert snapshot(root) == before
