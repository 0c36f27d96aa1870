"""Time blurscan.synth.synthesize per blur kind on a 1024-px photo; print a markdown table.

Usage::

    python bench/synth_speed.py [--repeat 7] [--severity strong]

Times are medians over ``--repeat`` runs on one thread (the same ``--repeat`` draws of each kind with and
without the camera pipeline), each also given as a ratio to a baseline run in the same process (a JPEG encode +
decode of the same image at quality 90, the floor of any pipeline that writes JPEGs), so numbers from busy and
idle machines compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import cv2
import numpy as np

from blurscan import synth


def _median_ms(fn, repeat: int) -> float:
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts) * 1000.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--severity", default="strong")
    args = ap.parse_args(argv)
    cv2.setNumThreads(1)
    from skimage import data

    img = cv2.resize(data.astronaut(), (1024, 1024), interpolation=cv2.INTER_CUBIC)[128:896]  # 1024x768
    synth.synthesize(img, np.random.default_rng(0), "defocus")  # warm the lookup tables
    base = _median_ms(lambda: synth.jpeg_roundtrip(img, 90), args.repeat)
    print(f"1024x768 RGB, severity {args.severity}, median of {args.repeat}, one OpenCV thread\n")
    print("| kind | camera pipeline ms | x JPEG round trip | no camera ms |")
    print("|---|---|---|---|")
    print(f"| (baseline: JPEG q90 encode+decode) | {base:.1f} | 1.0 | |")
    for kind in synth.BLUR_KINDS:
        # both columns blur with the same draws (seeds 0 .. repeat-1): a blur's extent is drawn log-uniformly within
        # the severity and shake's roll takes nine convolutions, so other draws for "no camera" (until 2026-12-06)
        # could make it read several times slower than the camera pipeline that includes it
        seeds = iter(range(args.repeat))
        cam = _median_ms(lambda: synth.synthesize(img, np.random.default_rng(next(seeds)), kind, args.severity),
                         args.repeat)
        seeds = iter(range(args.repeat))
        raw = _median_ms(lambda: synth.synthesize(img, np.random.default_rng(next(seeds)), kind, args.severity,
                                                  camera=False), args.repeat)
        print(f"| {kind} | {cam:.1f} | {cam / base:.1f} | {raw:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
