"""Draw docs/synth-grid.png: every synthetic blur kind at every severity on one scikit-image photo.

Usage::

    python bench/synth_grid.py [--out docs/synth-grid.png] [--seed 3] [--image astronaut]

Rows are blur kinds, columns are the sharp original (through the same camera pipeline)
then mild, moderate and strong.  Uniform kinds show a 1:1 crop (the blur at its real
pixel size); the partial kinds show the whole frame, shrunk, so the in-focus region is
visible.  The last row darkens the photo and adds small lamps to show how extended
highlights become streaks (shake) and discs (defocus).  Offline and reproducible: the
photo ships with scikit-image.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from blurscan import synth

TILE = 224
LABEL_H = 18
ROWS = ("gaussian", "defocus", "shake", "linear_motion", "box", "minfilter",
        "partial_centre", "partial_subject", "missed_focus")
WHOLE_FRAME = {"partial_centre", "partial_subject", "missed_focus"}


def _photo(name: str) -> np.ndarray:
    from skimage import data

    img = getattr(data, name)()
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    return np.ascontiguousarray(img[..., :3])


def _night(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The photo at night: dark, with a dozen small white lamps (8-bit white, extended by the pipeline)."""
    dark = (img.astype(np.float32) * 0.18).astype(np.uint8)
    h, w = dark.shape[:2]
    for _ in range(12):
        x, y = int(rng.uniform(0.1, 0.9) * w), int(rng.uniform(0.1, 0.9) * h)
        cv2.circle(dark, (x, y), int(rng.integers(1, 3)), (255, 255, 255), -1, lineType=cv2.LINE_AA)
    return dark


def _tile(img: np.ndarray, whole: bool, crop_xy: tuple[int, int]) -> np.ndarray:
    if whole:
        h, w = img.shape[:2]
        f = TILE / max(h, w)
        small = cv2.resize(img, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA)
        t = np.zeros((TILE, TILE, 3), np.uint8)
        t[: small.shape[0], : small.shape[1]] = small
        return t
    x, y = crop_xy
    return img[y: y + TILE, x: x + TILE]


def _label(tile: np.ndarray, text: str) -> np.ndarray:
    bar = np.full((LABEL_H, tile.shape[1], 3), 255, np.uint8)
    cv2.putText(bar, text, (3, LABEL_H - 5), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (0, 0, 0), 1, cv2.LINE_AA)
    return np.vstack([bar, tile])


def build_grid(image: np.ndarray, seed: int) -> tuple[np.ndarray, list[str]]:
    """Return the grid image and a markdown table of the drawn parameters."""
    h, w = image.shape[:2]
    crop = (max(0, w // 2 - TILE // 2 - w // 8), max(0, h // 5))
    rows, notes = [], []
    levels = ("mild", "moderate", "strong")
    for r, kind in enumerate(ROWS):
        whole = kind in WHOLE_FRAME
        rng = np.random.default_rng([seed, r, 0])
        sharp, _ = synth.synthesize(image, rng, "none")
        tiles = [_label(_tile(sharp, whole, crop), f"{kind}: sharp original")]
        for c, level in enumerate(levels):
            rng = np.random.default_rng([seed, r, c + 1])
            out, p = synth.synthesize(image, rng, kind, level)
            tiles.append(_label(_tile(out, whole, crop), f"{level} {p['severity_px']:.1f}px@1024"))
            notes.append(f"| {kind} | {level} | {p['severity_px']:.1f} | {p['kernel_px']:.1f} |")
        rows.append(np.hstack(tiles))
    night = _night(image, np.random.default_rng(seed))
    tiles = [_label(_tile(night, False, crop), "night lamps: original")]
    for c, (kind, sev) in enumerate((("shake", 60.0), ("defocus", 24.0), ("linear_motion", 40.0))):
        rng = np.random.default_rng([seed, 99, c])
        out, p = synth.synthesize(night, rng, kind, sev)
        tiles.append(_label(_tile(out, False, crop), f"{kind} {sev:.0f}px@1024"))
    rows.append(np.hstack(tiles))
    return np.vstack(rows), notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "synth-grid.png"))
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--image", default="astronaut", help="a scikit-image data function name")
    args = ap.parse_args(argv)
    image = _photo(args.image)
    t = time.perf_counter()
    grid, notes = build_grid(image, args.seed)
    dt = time.perf_counter() - t
    # a 256-colour palette keeps the PNG small; the blur is still faithfully visible
    pal = Image.fromarray(grid).quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    pal.save(buf, format="PNG", optimize=True)
    Path(args.out).write_bytes(buf.getvalue())
    print(f"wrote {args.out}: {grid.shape[1]}x{grid.shape[0]} px, {len(buf.getvalue()) / 1e6:.2f} MB, "
          f"{dt:.1f} s for {len(ROWS) * 4 + 4} syntheses\n")
    print(f"Photo: skimage.data.{args.image}() {image.shape[1]}x{image.shape[0]} px "
          f"(kernels scaled by {max(image.shape[:2])}/1024)\n")
    print("| kind | level | severity px @1024 | kernel px here |\n|---|---|---|---|")
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
