"""A photo's record is the same on every CPU: the scan's figures must not depend on which kernels NumPy's OpenBLAS
picks for the processor it runs on.

OpenBLAS (NumPy's BLAS) chooses its kernels by CPU at run time; ``OPENBLAS_CORETYPE`` makes it use another CPU's, so
one machine can show what an AVX2 processor (``Haswell``: AMD Zen 1-3, Intel's without AVX-512) and an old SSE one
(``Prescott``) compute. Until 2026-12-06 the rule's anisotropy feature summed its float32 products with OpenBLAS's
dot product, whose order of additions is the kernel's: on 594 real photos ``p_blurry`` moved by up to 2.1e-05
(AVX2) and 9.6e-05 (SSE) against an AVX-512 machine's, and the JSONL's rounded ``p_blurry`` differed in 2 and 5 of
them; a photo that close to a threshold would change verdict."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers_images import save_jpeg, save_png, shaken, textured
from helpers_sqlite import connected

#: The kernels compared: the machine's own, an AVX2 CPU's, an SSE3 CPU's (ignored where OpenBLAS has no such
#: choice: every run is then the machine's own, and agrees).
CORETYPES = (None, "Haswell", "Prescott")


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """Generated photos and two of the demo's, in one folder. The float32 sums differ between kernels only once a
    lane's sum passes 2^24, and move ``p_blurry`` only where the detail runs one way: black and white bars of
    random widths over a faint texture (their p_blurry moved by 3e-07 with an AVX2 CPU's kernels), also shaken."""
    from blurscan.demo import make_samples

    root = tmp_path_factory.mktemp("cpu") / "photos"
    for path in make_samples(root / "demo")[2:]:  # two are enough (each CLI run scores them all)
        path.unlink()
    rng = np.random.default_rng(0)
    widths = rng.integers(2, 12, 200)
    bars = np.tile(np.repeat(rng.integers(0, 2, 200) * 255, widths)[:900].astype(np.float32), (600, 1))
    scene = np.clip(bars[:, :, None] * 0.7 + textured(0, (600, 900)) * 0.3, 0, 255).astype(np.uint8)
    save_jpeg(root / "bars.jpg", scene)
    save_png(root / "bars-shaken.png", shaken(scene, length=5, angle=0.0))
    framed = textured(7, (600, 900))
    framed[:60], framed[-60:] = 0, 0  # letterbox bars: the grid's box is left in
    save_jpeg(root / "framed.jpg", shaken(framed, length=7, angle=75.0))
    return root


def _scan(root, db, coretype):
    """The records of a real ``blurscan scan`` run with OpenBLAS on the kernels of ``coretype``: its JSONL lines,
    and the full-precision ``p_blurry`` the database stored."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    out = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(root), "--db", str(db), "--workers", "1",
                          "--format", "jsonl"], capture_output=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr.decode()
    lines = sorted(out.stdout.decode().splitlines())
    with connected(db) as con:
        stored = dict(con.execute("SELECT path, p_blurry FROM images"))
    return lines, stored


@pytest.mark.slow
def test_every_cpus_kernels_give_the_same_records(photos, tmp_path):
    runs = {c: _scan(photos, tmp_path / f"{c}.db", c) for c in CORETYPES}
    lines, stored = runs[None]
    assert len(lines) == 5 and all(json.loads(line)["status"] == "ok" for line in lines)
    for coretype in CORETYPES[1:]:
        assert runs[coretype][0] == lines, f"the JSONL differs with {coretype}'s kernels"
        # the rule's float64 matrix product may still differ in its last bit (docs/jsonl.md): within 1e-12
        assert runs[coretype][1].keys() == stored.keys()
        moved = {p: abs(v - stored[p]) for p, v in runs[coretype][1].items() if abs(v - stored[p]) > 1e-12}
        assert not moved, f"p_blurry moved with {coretype}'s kernels: {moved}"


def test_dot32_of_every_length_is_the_exact_sum_while_no_rounding_happens():
    """Whole blocks of 64 and 32 and the tail, for every length up to 200 (sums below 2^24: exact in any order)."""
    from blurscan.model.aggregate import dot32

    rng = np.random.default_rng(1)
    for n in range(201):
        x, y = rng.integers(-255, 256, (2, n))
        assert dot32(x.astype(np.float32), y.astype(np.float32)) == float(x @ y)


def _vector(n, step, mod, offset=0):
    """A fixed float32 vector of whole numbers (``i * step mod mod - offset``): no random generator's stream."""
    return ((np.arange(n, dtype=np.int64) * step) % mod - offset).astype(np.float32)


#: dot32's sums past 2^24, where the order of the float32 additions shows: length -> the four pairs' (_pairs), as
#: OpenBLAS 0.3.31's AVX-512 kernel (SkylakeX) sums them, bit for bit. Lengths: whole 64-element blocks, a tail
#: of 5 and 31, a 32-element step with no tail and with 13, a step and a tail of 31, few blocks, a tail alone.
AVX512_SUMS = {
    25600: (557235072, 416012800, 143158231040, 143133376512),
    25605: (557342144, 416064064, 143195471872, 143161098240),
    25631: (557783744, 416468032, 143336374272, 143312732160),
    25632: (557798400, 416469728, 143345418240, 143312961536),
    25645: (558010176, 416634432, 143374647296, 143391096832),
    25663: (558314688, 416967904, 143520645120, 143496151040),
    4141: (90292216, 67183672, 23158812672, 23152959488),
    223: (5024869, 3653529, 1269986688, 1248679296),
    31: (884685, 455225, 183480064, 180414432),
}


def _pairs(n):
    """Gradients as anisotropy's are (-255..255, and 0..255 for a sum that grows), and products up to 2^24."""
    x, z, y = _vector(n, 7919, 511, 255), _vector(n, 7919, 256), _vector(n, 104729, 256)
    big, other = _vector(n, 7919, 8191, 4095), _vector(n, 104729, 8191, 4095)
    return (x, x), (z, y), (big, big), (other, other)


def test_dot32_sums_in_the_avx512_kernels_order_past_2_to_the_24():
    """The order itself, not only that it is fixed: every CPU's scan (above) runs dot32, so another order of
    additions (the lanes folded otherwise, no 32-element step, the tail in float32) gave the same records on every
    kernel and passed, yet moved p_blurry off the shipped model's (an AVX-512 CPU's BLAS: trained and measured so)
    by up to 1e-4 on every machine. Sums past 2^24 round in float32, so each order gives its own."""
    from blurscan.model.aggregate import dot32

    for n, expected in AVX512_SUMS.items():
        assert tuple(dot32(a, b) for a, b in _pairs(n)) == expected, n


def _avx512_openblas() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    try:
        blas = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    except TypeError:  # (NumPy before 1.26 prints its configuration only)
        return False
    return " avx512f" in flags and "openblas" in str(blas.get("name", ""))


@pytest.mark.skipif(not _avx512_openblas(), reason="OpenBLAS's AVX-512 kernel needs an AVX-512 CPU")
def test_the_pinned_sums_are_openblas_avx512_kernels():
    """AVX512_SUMS above are ``x @ y`` with OpenBLAS on its AVX-512 (SkylakeX) kernel, here in a fresh process."""
    child = ("import json, sys\n"
             "sys.path.insert(0, sys.argv[1])\n"
             "from test_determinism_cpu import AVX512_SUMS, _pairs\n"
             "print(json.dumps({n: [int(a @ b) for a, b in _pairs(n)] for n in AVX512_SUMS}))\n")
    env = {**os.environ, "OPENBLAS_CORETYPE": "SkylakeX"}
    out = subprocess.run([sys.executable, "-c", child, os.path.dirname(__file__)], capture_output=True, text=True,
                         env=env, timeout=60, check=True)
    assert {int(n): tuple(v) for n, v in json.loads(out.stdout).items()} == AVX512_SUMS
