"""A scan killed outright (SIGKILL: the out-of-memory killer; SIGTERM to a script of the user's calling blurscan.scan)
leaves no worker process behind, and the next scan finds the database intact and completes the results."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from blurscan.store import Store
from helpers_images import save_jpeg, textured
from helpers_signals import default_signals
from test_cli_scan_ctrl_c import _session_processes

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_scan_killed_outright_leaves_no_worker_and_the_next_scan_completes(tmp_path, sig):
    """The workers of a scan killed with SIGKILL or SIGTERM (no clean-up runs in the parent) used to wait for
    their next task for ever: two spawned workers (~140 MB each) and multiprocessing's resource tracker per
    killed scan, until the machine restarted."""
    root = tmp_path / "lib"
    for i in range(8):  # (40 photos: 8 scenes, each copied 5 times; making 40 took a third of the test's time)
        scene = save_jpeg(root / f"p{i:02d}.jpg", textured(i, size=(900, 1200))).read_bytes()
        for j in range(1, 5):
            (root / f"p{i + 8 * j:02d}.jpg").write_bytes(scene)
    assert len(os.listdir(root)) == 40
    db = tmp_path / "x.db"
    if sig == signal.SIGKILL:  # the command line
        code = ("import sys; from blurscan import scan_workers; scan_workers.MIN_POOL_BYTES = 0; "
                "from blurscan.cli import main; main(sys.argv[1:])")
        args = ["scan", str(root), "--db", str(db), "--format", "jsonl", "--model", "none", "--workers", "2"]
    else:  # a script of the user's that calls blurscan.scan: SIGTERM keeps its default action there (the command
        # line stops in order on it, also where Ctrl-C is ignored: tests/test_cli_stop_signals_ctrl_c_ignored.py)
        code = ("import sys, blurscan; from blurscan import scan_workers; scan_workers.MIN_POOL_BYTES = 0\n"
                "from blurscan.config import ScanSettings\n"
                "for record in blurscan.scan([sys.argv[1]], ScanSettings(workers=2, model='none'), db=sys.argv[2]):\n"
                "    print(record.path, flush=True)\n")
        args = [str(root), str(db)]
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=default_signals)
    try:
        assert proc.stdout.readline()                   # the pool is at work
        assert len(_session_processes(proc.pid)) > 1    # (its workers are there)
        proc.send_signal(sig)
        proc.wait(30)
        deadline = time.monotonic() + 30
        while _session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = _session_processes(proc.pid)
    finally:
        for pid in _session_processes(proc.pid):        # (the old code's orphans: not left to the next test)
            os.kill(pid, signal.SIGKILL)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -sig  # (killed outright: no orderly stop)
    assert left == [], "worker processes left running after the scan was killed"
    with Store(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = len(store.records())
    assert kept < 40
    again = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(root), "--db", str(db), "--format",
                            "jsonl", "--model", "none", "--workers", "1"], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert len(again.stdout.splitlines()) == 40
    assert f"({kept} unchanged, reused)" in again.stderr
