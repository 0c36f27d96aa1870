"""``bench/scan_speed.py``'s rows name what ran: a scan of a few photos (``scan_speed.py 3``) runs in one process
whatever ``workers`` says (the pipeline's pool needs more files or bytes), and its row said ``2 worker(s)``.
Run here on three real photos for the rows' words only: no time is checked."""
from __future__ import annotations

import importlib.util
from pathlib import Path
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _scan_speed():
    spec = importlib.util.spec_from_file_location("bench_scan_speed", BENCH / "scan_speed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_a_scan_too_small_for_workers_is_not_said_to_have_used_them(shared_data, monkeypatch, capsys):
    module = _scan_speed()
    monkeypatch.setattr(module.os, "cpu_count", lambda: 2)
    module.main(3)
    rows = [line.split(" | ")[0] for line in capsys.readouterr().out.splitlines() if line.startswith("| blurscan")]
    assert rows == [f"| blurscan.scan, model {model}, {where}" for model in ("none", "default")
                    for where in ("1 process", "1 process (2 workers asked: too small a scan for them)")]


def test_a_scan_large_enough_names_its_workers(tmp_path):
    from blurscan import scan_workers

    module = _scan_speed()
    paths = []
    for i in range(scan_workers.MIN_POOL_FILES):
        path = tmp_path / f"p{i}.jpg"
        path.write_bytes(b"\0" * (scan_workers.MIN_POOL_BYTES // scan_workers.MIN_POOL_FILES + 1))
        paths.append(str(path))
    assert module.where(paths, 2) == "2 worker(s)"
    assert module.where(paths[:1] * 2, 8) == "1 process (8 workers asked: too small a scan for them)"
