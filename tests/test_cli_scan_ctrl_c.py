"""Ctrl-C during `blurscan scan`, through the real command line: it stops cleanly, says how far it went and keeps
what was done (the next scan reuses it); pressed twice, to every process of the group, the command still exits
and leaves no worker behind."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from blurscan.store import Store

from helpers_cli import cli, jsonl as _jsonl
from helpers_images import save_jpeg, textured
from helpers_signals import default_signals


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_keeps_what_was_done(tmp_path):
    root = tmp_path / "lib"
    for i in range(30):
        save_jpeg(root / f"p{i:02d}.jpg", textured(i, size=(480, 640)))
    db = tmp_path / "x.db"
    # every photo after the first takes a minute: the Ctrl-C, sent once the first line is out, always lands while
    # a photo is being scored, however slow this machine is (a fast scan could otherwise finish first)
    code = ("import sys, time; from blurscan import pipeline; real = pipeline._process; seen = []\n"
            "def slow(ref, *a):\n"
            "    if seen: time.sleep(60)\n"
            "    seen.append(ref)\n"
            "    return real(ref, *a)\n"
            "pipeline._process = slow\n"
            "from blurscan.cli import main; main(sys.argv[1:])")
    proc = subprocess.Popen([sys.executable, "-c", code, "scan", str(root), "--db", str(db), "--format",
                             "jsonl", "--model", "none", "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=default_signals)
    first = proc.stdout.readline()                      # the scan is under way
    assert first
    proc.send_signal(signal.SIGINT)
    rest = proc.stdout.read()          # (not communicate(): it would skip what readline() buffered)
    err = proc.stderr.read()
    proc.stdout.close(), proc.stderr.close()
    assert proc.wait(60) == 130, err
    n_out = len(_jsonl((first + rest).decode()))
    m = re.search(rb"interrupted: (\d+) of (\d+) scanned, kept in ", err)
    assert m and int(m.group(1)) == n_out == 1 and int(m.group(2)) == 30
    assert b"Traceback" not in err
    with Store(db) as store:
        assert len(store.records()) == n_out
    again = cli("scan", root, "--db", db, "--format", "jsonl", "--model", "none", "--workers", "1")
    objs = _jsonl(again.stdout.decode())
    assert len(objs) == 30 and again.returncode == 0
    assert sum(1 for o in objs) == len({o["path"] for o in objs})

def _session_processes(sid: int) -> list[int]:
    """PIDs of the live processes of session ``sid`` (Linux ``/proc``)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[3]) == sid and fields[0] != "Z":
                out.append(int(entry))
    return out

@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_ctrl_c_twice_to_the_whole_group_exits_and_leaves_no_worker(tmp_path):
    """A terminal's Ctrl-C reaches every process of the group, workers included, and impatient users press it
    twice. The second one used to interrupt the pool's clean-up: the command printed "interrupted" and then
    waited forever for its workers."""
    root = tmp_path / "lib"
    for i in range(8):  # (80 photos: 8 scenes, each copied 10 times; making 80 took most of the test's time)
        scene = save_jpeg(root / f"p{i:02d}.jpg", textured(i, size=(1200, 1600))).read_bytes()
        for j in range(1, 10):
            (root / f"p{i + 8 * j:02d}.jpg").write_bytes(scene)
    assert len(os.listdir(root)) == 80
    code = ("import sys; from blurscan import scan_workers; scan_workers.MIN_POOL_BYTES = 0; from blurscan.cli import main; "
            "main(sys.argv[1:])")
    proc = subprocess.Popen([sys.executable, "-c", code, "scan", str(root), "--db", str(tmp_path / "x.db"),
                             "--format", "jsonl", "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=default_signals)
    assert proc.stdout.readline()                       # the pool is at work
    proc.send_signal(signal.SIGINT)
    time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)                  # ... and again, to everyone
    _ended_interrupted(proc)


def _scan_in_child(tmp_path, prelude: str, n_files: int, env=None) -> subprocess.Popen:
    """`blurscan scan --workers 2` of ``n_files`` photos in a child process of its own session, pool used whatever
    their size, ``prelude`` run first."""
    root = tmp_path / "lib"
    for i in range(n_files):
        save_jpeg(root / f"p{i:02d}.jpg", textured(i, size=(480, 640)))
    code = (prelude + "\nimport sys\nfrom blurscan import scan_workers\nscan_workers.MIN_POOL_BYTES = 0\n"
            "from blurscan.cli import main\nmain(sys.argv[1:])\n")
    return subprocess.Popen([sys.executable, "-c", code, "scan", str(root), "--db", str(tmp_path / "x.db"),
                             "--format", "jsonl", "--model", "none", "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=default_signals, env={**os.environ, **(env or {})})


def _ended_interrupted(proc: subprocess.Popen) -> None:
    try:
        out, err = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the scan did not exit after Ctrl-C")
    assert proc.returncode == 130, err
    assert re.search(rb"^interrupted(: \d+ of \d+ scanned, kept in | before any file was scanned)", err, re.M), err
    assert b"Traceback" not in err, err
    deadline = time.monotonic() + 30
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_processes(proc.pid) == []


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
@pytest.mark.parametrize("at", [1, 3])
def test_ctrl_c_inside_the_pools_bookkeeping_stops_the_scan(tmp_path, at):
    """A Ctrl-C that lands while `concurrent.futures.wait` holds some of the futures' locks (a KeyboardInterrupt
    there left one held): the pool's manager thread waited for it for ever, and so did the scan, without a word,
    after Ctrl-C. Ctrl-C is now acted on between the pool's steps."""
    from helpers_signals import CTRL_C_INSIDE_WAIT

    _ended_interrupted(_scan_in_child(tmp_path, CTRL_C_INSIDE_WAIT, 24, {"CTRL_C_AT_WAIT": str(at)}))


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_ctrl_c_while_a_worker_process_starts_is_not_lost(tmp_path):
    """Ctrl-C was ignored while a worker process started (so that the worker would be born ignoring it): pressed
    then, it was lost, and the scan went on to its end with exit code 0."""
    prelude = ("import os, signal, concurrent.futures as cf\n"
               "_submit = cf.ProcessPoolExecutor.submit\n"
               "def submit(self, *a, **kw):\n"
               "    os.kill(os.getpid(), signal.SIGINT)\n"
               "    return _submit(self, *a, **kw)\n"
               "cf.ProcessPoolExecutor.submit = submit\n")
    _ended_interrupted(_scan_in_child(tmp_path, prelude, 24))
