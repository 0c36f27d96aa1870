"""``blurscan review`` hands a large photo's buffers back to the system when freed
(:func:`blurscan.processes.give_back_large_buffers`): the server answers each connection in a thread of its own,
and glibc's rising threshold had each thread's arena keep the 16 MB read of a large photo's thumbnail and its
decoding's buffers (the server's memory rose some 20 MiB each time the thumbnail folder was made again)."""
from __future__ import annotations

import json
import platform
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                                reason="glibc's allocator only")

#: The real command (``blurscan review LIB --no-browser``) in a fresh process; once it serves, its page signed
#: in to, the large photo's thumbnail asked for over HTTP (made in a server thread), then how many bytes a 4-MiB
#: buffer allocated after it adds to glibc's separately mapped memory (``mallinfo2().hblkhd``), which is what
#: ``free`` hands back to the system: all of them, or none when it came from an arena that keeps them.
CHILD = r"""
import ctypes, http.client, json, re, sys
from blurscan.cli import main
from blurscan.review.server import ReviewServer

class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                     "fsmblks", "uordblks", "fordblks", "keepcost")]

mallinfo2 = ctypes.CDLL(None).mallinfo2
mallinfo2.restype = Info

def get(server, path, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        answer = conn.getresponse()
        return answer.status, answer.getheader("Set-Cookie"), answer.read()
    finally:
        conn.close()

def probe(server):
    cookie = get(server, f"/?token={server.token}")[1].split(";")[0]
    items = json.loads(get(server, "/api/items?filter=all&sort=size", cookie)[2])["items"]
    big = max(items, key=lambda item: item["size"])
    for item in (big, *items):
        status = get(server, f"/thumb/{item['id']}?v={item['v']}", cookie)[0]
        assert status == 200, status
    before = mallinfo2().hblkhd
    buffer = bytearray(4 << 20)
    print(json.dumps([big["size"], mallinfo2().hblkhd - before]), flush=True)
    del buffer
    raise KeyboardInterrupt

ReviewServer.wait = probe
try:
    main.main(["review", sys.argv[1], "--no-browser"], standalone_mode=False)
except BaseException:
    pass
"""


@pytest.mark.slow
def test_review_hands_a_large_photos_buffers_back_when_freed(tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    rng = np.random.default_rng(1)
    # a 12-MP photo of noise: a JPEG of some 16 MB, read whole for its thumbnail, as the soak's large photo
    Image.fromarray(rng.integers(0, 255, (3000, 4000, 3), dtype=np.uint8)).save(library / "big.jpg", quality=95)
    for i in range(3):
        Image.fromarray(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)).save(library / f"s{i}.jpg")
    scan = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(library), "--workers", "1", "--model",
                           "none"], capture_output=True, text=True, timeout=300)
    assert scan.returncode == 0, scan.stderr
    out = subprocess.run([sys.executable, "-c", CHILD, str(library)], capture_output=True, text=True, timeout=300)
    lines = [line for line in out.stdout.splitlines() if line.startswith("[")]
    assert lines, out.stdout + out.stderr
    size, mapped = json.loads(lines[-1])
    assert size > 8 << 20  # (the large photo's bytes, freed after its thumbnail was made)
    # the 4-MiB buffer is mapped apart, handed back to the system when freed; before, glibc's threshold had risen
    # past the photo's size when its read was freed, and it came from an arena, which keeps what it is given back
    assert mapped >= 4 << 20, (mapped, out.stderr)


#: In a fresh process: the review server's allocator settings, five thumbnails of a 480 x 360 photo made (the
#: first ones take pages for good: lazy imports, caches), then the minor page faults of each of five more (a page
#: fault: a 4-KB page taken fresh from the system).
THUMB_CHILD = r"""
import resource, sys
from blurscan.decode import thumbnail
from blurscan.processes import give_back_large_buffers
assert give_back_large_buffers()
data = open(sys.argv[1], "rb").read()
for _ in range(5):
    thumbnail(sys.argv[1], 384, data=data)
faults = []
for _ in range(5):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    thumbnail(sys.argv[1], 384, data=data)
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(faults)
"""


def test_review_makes_the_next_small_thumbnail_in_the_memory_the_last_one_freed(tmp_path):
    """Setting glibc's threshold for mapped buffers fixes its trim threshold too, at 128 KiB unless it is set as
    well: the heap's free top was handed back to the system after each thumbnail, and each 480 x 360 one (its
    picture 0.7 MB in Pillow's four bytes a pixel, under the 1-MiB threshold) took 127 pages fresh again."""
    path = tmp_path / "small.jpg"
    Image.fromarray(np.random.default_rng(2).integers(0, 255, (360, 480, 3), dtype=np.uint8)).save(path)
    out = subprocess.run([sys.executable, "-c", THUMB_CHILD, str(path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    faults = json.loads(out.stdout.splitlines()[-1])
    assert min(faults) < 60, faults  # (16 or none; before: 127-128 each)
