"""``ScanSettings().workers`` (and so ``blurscan scan`` without ``--workers``) defaulted to ``os.cpu_count()``, the
host's cores: a scan pinned to one core (``taskset -c 0``, a container's cpuset, a batch job's) started a worker
for every core of the machine, ~100 MB each, all sharing that one core (2026-12-05). The default is the cores
this process may run on now."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

pinnable = hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2


@pytest.mark.skipif(not pinnable, reason="needs CPU affinity and two cores to pin a process to one of them")
def test_a_process_pinned_to_one_core_defaults_to_one_worker():
    one = min(os.sched_getaffinity(0))
    code = "import blurscan; print(blurscan.ScanSettings().workers)"
    pinned = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            preexec_fn=lambda: os.sched_setaffinity(0, {one}))
    assert pinned.returncode == 0, pinned.stderr
    assert pinned.stdout.strip() == "1"
    free = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert free.stdout.strip() == str(len(os.sched_getaffinity(0)))
