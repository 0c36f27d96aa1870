"""A photo too large for the memory a process may use (``ulimit -v``, a container's limit) is an error record that
says so, ``out of memory while decoding``, whichever library ran out: until 2026-12-06 OpenCV's own error for it
read ``cannot decode: error: OpenCV(5.1.0) /io/opencv/modules/core/src/alloc.cpp:73: error: (-4:Insufficient
memory) Failed to allocate 42177408 bytes ...`` (Pillow's and numpy's MemoryError already read so). The real
command line in a subprocess whose address space is limited to what it uses plus 30 MB, once its modules are
loaded (a first scan of a small photo loads them), so that only the large photo's full-resolution pass fails."""
from __future__ import annotations

import json
import subprocess
import sys

from PIL import Image

from helpers_images import save_jpeg, textured

_SCAN_UNDER_A_LIMIT = """
import resource, sys
from blurscan.cli import main
small, large, margin = sys.argv[1], sys.argv[2], int(sys.argv[3])
main(["scan", "--workers", "1", "--model", "none", small], standalone_mode=False)
with open("/proc/self/status") as status:
    used = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
resource.setrlimit(resource.RLIMIT_AS, (used + margin, resource.getrlimit(resource.RLIMIT_AS)[1]))
main(["scan", "--workers", "1", "--model", "none", "-o", large + ".jsonl", large])
"""


def test_a_photo_too_large_for_the_address_space_limit_is_out_of_memory(tmp_path):
    small, large = tmp_path / "small", tmp_path / "large"
    small.mkdir()
    large.mkdir()
    save_jpeg(small / "a.jpg", textured(0))
    big = Image.fromarray(textured(1, (250, 400))).resize((8000, 5000), Image.BILINEAR)  # 40 MP
    big.save(large / "big.jpg", quality=80)
    done = subprocess.run([sys.executable, "-c", _SCAN_UNDER_A_LIMIT, str(small), str(large), str(30 * 2**20)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    record, = (json.loads(line) for line in (tmp_path / "large.jsonl").read_text().splitlines())
    assert record["error"] == "out of memory while decoding", record
