"""rawpy before 0.27 (the declared floor is 0.21) has no ``RawPy.other``, LibRaw's time and exposure basics: a
TIFF-based RAW's own EXIF capture time is still read there. Until 2026-12-06 the whole metadata step was
skipped and no RAW had a capture time with those versions (bursts then timed its shots by their files). The
older rawpy is stood in for by the installed one without ``other``: the real command line scans a real DNG."""
from __future__ import annotations

import json
import subprocess
import sys

from helpers_images import scene
from helpers_raw import write_dng

# rawpy.imread's RawPy as rawpy 0.21-0.26 give it: everything but ``other`` (an AttributeError there)
BEFORE_0_27 = """
import sys
import rawpy

class RawPyBefore027:
    def __init__(self, rp):
        self._rp = rp
    def __enter__(self):
        self._rp.__enter__()
        return self
    def __exit__(self, *exc):
        return self._rp.__exit__(*exc)
    def __getattr__(self, name):
        if name == "other":
            raise AttributeError("'rawpy._rawpy.RawPy' object has no attribute 'other'")
        return getattr(self._rp, name)

_imread = rawpy.imread
rawpy.imread = lambda *args, **kwargs: RawPyBefore027(_imread(*args, **kwargs))
from blurscan.cli import main
sys.argv[0] = "blurscan"
main()
"""


def test_a_raws_own_exif_time_is_read_with_rawpy_before_0_27(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    write_dng(lib / "DSC_0001.DNG", scene(5), exif={0x9003: "2024:06:01 10:00:00"})
    done = subprocess.run([sys.executable, "-c", BEFORE_0_27, "scan", str(lib), "--db", str(tmp_path / "x.db"),
                           "--model", "none", "--workers", "1", "--format", "jsonl"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    [record] = [json.loads(line) for line in done.stdout.splitlines()]
    assert record["status"] == "ok", record
    assert record["captured_at"] == "2024-06-01T10:00:00", record  # (DateTimeOriginal's; IFD0's DateTime is LibRaw's)
    assert done.stderr.startswith("scanned 1 file: 0 blurry, 0 partial, 1 sharp, 0 errors"), done.stderr
