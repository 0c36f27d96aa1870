"""A scan generator left open until the script ends (held by a variable when Python shuts down, as
``records = blurscan.scan(...); first = next(records)`` leaves it): closing it then printed "Exception ignored in:
<generator object _compute ...> ... ImportError: sys.meta_path is None, Python is likely shutting down"."""
from __future__ import annotations

import os
import subprocess
import sys

from helpers_images import save_jpeg, textured
from helpers_sqlite import connected

_SCRIPT = """
import sys
import blurscan
from blurscan import scan_workers

def first():
    records = blurscan.scan([sys.argv[1]], blurscan.ScanSettings(workers=2), db=sys.argv[2])
    print(next(records).path)
    return records

if __name__ == "__main__":
    scan_workers.POOL_FILES = 1  # these few small files would be scored in-process anyway: ask for worker processes
    keep = first()
"""


def test_a_scan_left_open_at_exit_ends_quietly_with_its_yielded_record_stored(tmp_path):
    for i in range(8):
        save_jpeg(tmp_path / "photos" / f"{i}.jpg", textured(i))
    script, db = tmp_path / "user_script.py", tmp_path / "x.db"
    script.write_text(_SCRIPT)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "photos"), str(db)], capture_output=True,
                          text=True, timeout=300, env=env, cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    first = done.stdout.strip().splitlines()[-1]
    with connected(db) as conn:
        assert (first,) in conn.execute("SELECT path FROM images").fetchall()
