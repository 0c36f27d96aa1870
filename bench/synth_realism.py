"""Compare synthetic blur with the real blurred/sharp pairs of ../shared/data; print markdown tables.

Usage::

    python bench/synth_realism.py [--seeds 3]

For every real pair (GoPro frame averages and their sharp centre frame, Levin et al.'s measured shake
kernels, NYU camera-motion frames, DIV2K named kernels) the *detail ratio* is the fine detail left in the
blurred image over that of its sharp twin (std of ``gray - GaussianBlur(gray, 1.5)``, same size). The same
sharp twins are then blurred by ``blurscan.synth`` (camera pipeline on) at each severity, giving the
synthetic ratios. If the real ratios fall inside the synthetic range, the severities cover real blur; the
table shows which level real blur resembles. Needs BLURSCAN_SHARED_DATA (default ../shared/data).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import cv2
import numpy as np

from blurscan import synth
from blurscan.config import shared_data_dir
from blurscan.synth.recipes import load_source


def detail(rgb: np.ndarray) -> float:
    g = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY).astype(np.float32)
    hp = g - cv2.GaussianBlur(g, (0, 0), 1.5, borderType=cv2.BORDER_REFLECT)
    return float(hp[4:-4, 4:-4].std())


def pairs(root: Path) -> dict[str, list[tuple[Path, Path]]]:
    """``set -> [(blurred, sharp)]`` for the real pairs in the shared data."""
    out: dict[str, list[tuple[Path, Path]]] = {}
    for gt in sorted((root / "gopro" / "saved_images").glob("*_gt.jpg")):
        b = gt.with_name(gt.name.replace("_gt", ""))
        if b.exists():
            out.setdefault("gopro (real motion)", []).append((b, gt))
    for b in sorted((root / "levin2009" / "blurred").glob("*.png")):
        m = re.match(r"(im\d+)_kernel", b.name)
        s = root / "levin2009" / "sharp" / f"{m.group(1)}.png" if m else None
        if s and s.exists():
            out.setdefault("levin2009 (measured shake)", []).append((b, s))
    for folder, name in (("nyu_depth", "nyu (camera motion)"), ("div2k", "div2k (named kernels)")):
        for gt in sorted((root / folder / "saved_images").glob("*_gt.jpg")):
            b = gt.with_name(gt.name.replace("_gt", ""))
            if b.exists():
                out.setdefault(name, []).append((b, gt))
    return out


def q(v: list[float]) -> str:
    a = np.asarray(v)
    return f"{np.percentile(a, 10):.2f} / {np.median(a):.2f} / {np.percentile(a, 90):.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3, help="synthetic draws per sharp image and level")
    args = ap.parse_args(argv)
    root = shared_data_dir()
    if not (root / "manifest.csv").is_file():
        print(f"shared data not found at {root}", file=sys.stderr)
        return 1
    groups = pairs(root)
    print("Detail ratio = fine detail of the blurred image / that of its sharp twin "
          "(10th pct / median / 90th pct).\n")
    print("| real set | pairs | detail ratio |\n|---|---|---|")
    sharp_paths: dict[Path, None] = {}
    for name, ps in groups.items():
        ratios = []
        for b, s in ps:
            bi, si = load_source(b, None), load_source(s, None)
            if bi.shape != si.shape:
                continue
            ratios.append(detail(bi) / max(detail(si), 1e-6))
            sharp_paths.setdefault(s)
        print(f"| {name} | {len(ratios)} | {q(ratios)} |")
    # the same sharp twins, blurred synthetically (at most 1024 px, as the dataset writer does)
    kinds = ("shake", "linear_motion", "defocus", "gaussian")
    images = [load_source(p, 1024) for p in sharp_paths]
    for camera in (True, False):
        print(f"\n**Synthetic, camera pipeline {'on' if camera else 'off (pure blur, like levin2009)'}**\n")
        print("| synthetic kind | " + " | ".join(synth.SEVERITY_LEVELS) + " | none |")
        print("|---|" + "---|" * (len(synth.SEVERITY_LEVELS) + 1))
        for kind in kinds:
            cells = []
            for level in synth.SEVERITY_LEVELS:
                r = []
                for i, img in enumerate(images):
                    d0 = detail(img)
                    for s in range(args.seeds):
                        out, _ = synth.synthesize(img, np.random.default_rng([i, s]), kind, level, camera=camera)
                        r.append(detail(out) / max(d0, 1e-6))
                cells.append(q(r))
            r0 = [detail(synth.synthesize(img, np.random.default_rng([i, 99]), "none", camera=camera)[0])
                  / max(detail(img), 1e-6) for i, img in enumerate(images)]
            print(f"| {kind} | " + " | ".join(cells) + f" | {q(r0)} |")
    print(f"\n{len(images)} sharp twins, {args.seeds} draws each per cell.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
