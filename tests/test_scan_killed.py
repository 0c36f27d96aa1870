"""A scan killed outright (SIGKILL, SIGTERM: the out-of-memory killer, `kill`, `timeout`) leaves no worker process
behind, and the next scan finds the database intact and completes the results."""
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
    code = ("import sys; from blurscan import scan_workers; scan_workers.MIN_POOL_BYTES = 0; from blurscan.cli import main; "
            "main(sys.argv[1:])")

    def outright():  # SIGTERM kills outright where Ctrl-C is ignored from the start (a script's `blurscan scan &`)
        default_signals()
        if sig == signal.SIGTERM:
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    proc = subprocess.Popen([sys.executable, "-c", code, "scan", str(root), "--db", str(db), "--format", "jsonl",
                             "--model", "none", "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, preexec_fn=outright)
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
