"""Does a photo's verdict survive what happens to photos in real life? Each labelled real photo of the shared data
and its everyday copies (a chat app's, a cloud service's, a web export, a phone screenshot, ...), scored alike.

A sharp photo whose WhatsApp copy is called ``blurry``, or a blurred one whose copy is called ``sharp``, is a
verdict a user sees flip. This benchmark makes each copy from the photo as stored (Pillow and OpenCV, seeded,
deterministic), scores the original and every copy through :func:`blurscan.score_image` (what ``blurscan scan``
gives for that file: same decoder, same model, same thresholds) and prints, per copy, the share of photos whose
verdict changed (anything else -> ``blurry``, ``blurry`` -> anything else, anything else -> ``partial``), the median and
90th percentile of ``|delta p_blurry|``, and the accuracy on the copies beside the originals'.

Usage::

    nice python bench/stability.py [--data ../shared/data] [--per-set N] [--seed 27] [--only NAME,...] [--json F]

Photos (:mod:`blurscan.datasets`): *real* = the GoPro evaluation recordings, Levin et al.'s camera-shake photos
and scikit-image's clock (balanced accuracy, ``blurry`` against the rest); *multifocus* = real photos partly in
focus and the two CUHK partial-blur photos (the share called wholly ``blurry``, lower is better); *other* =
div2k's and NYU depth's blurred renders with their sharp frames (balanced accuracy). ``--per-set`` keeps a
seeded sample of each. The copies are written to a temporary folder, never into the repository.

The copies (:data:`TRANSFORMS`; sizes never grow but for the screenshot, which shows the photo across a phone's
width as a gallery app does):

* ``whatsapp`` -- long side at most 1600 px, JPEG quality 75, 4:2:0, metadata dropped (WhatsApp, Signal).
* ``telegram`` -- long side at most 1280 px, JPEG quality 80, metadata dropped.
* ``storage-saver`` -- at most 16 MP, JPEG quality 85 (Google Photos' "storage saver").
* ``web-2048`` -- long side at most 2048 px, JPEG quality 85 (an export for the web).
* ``screenshot`` -- the photo fitted to a 1170 x 2532 phone screen between a status bar and a gallery's toolbar
  (text and icons) on black, saved as an RGBA PNG, as some phones save screenshots.
* ``sharpened`` -- a strong unsharp mask (radius 2, 200 %), JPEG quality 92 (a phone's heavy in-camera sharpening).
* ``iso-noise`` -- Gaussian luminance noise (sigma 8) and chroma noise (sigma 3), JPEG quality 92 (high ISO).
* ``crop-4x5`` -- the centre cut to 4:5 (portrait) and saved at JPEG quality 90 (a post for social media).
* ``print-photo`` -- the photo as a print on a grey table, photographed slightly askew: a white paper margin,
  a mild perspective, flatter contrast, a warm cast, vignetting and sensor noise, JPEG quality 90.
* ``rotated-exif`` -- the pixels stored turned a quarter, with EXIF orientation 6 to turn them back, JPEG
  quality 95 (what a phone writes): the picture a viewer shows is the original, so nothing should change.

Run time: 8 minutes for ``--per-set 30`` (90 photos, eleven scores each) on two shared cores; all 229 photos
about three times that. Its table is in the README's Benchmarks section.
"""
from __future__ import annotations

import argparse
import io
import json
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps

JPEG_TRANSFORMS = {  # name: (long side at most, pixels at most, quality)
    "whatsapp": (1600, None, 75),
    "telegram": (1280, None, 80),
    "storage-saver": (None, 16_000_000, 85),
    "web-2048": (2048, None, 85),
}
SCREEN = (1170, 2532)


def fit(img: Image.Image, long_side: int | None = None, pixels: int | None = None) -> Image.Image:
    """``img`` made smaller (never larger) so that its long side is at most ``long_side`` and its area at most
    ``pixels``, with Pillow's Lanczos filter, as the apps' image libraries resize."""
    w, h = img.size
    scale = 1.0
    if long_side:
        scale = min(scale, long_side / max(w, h))
    if pixels:
        scale = min(scale, (pixels / (w * h)) ** 0.5)
    if scale >= 1.0:
        return img
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    while pixels and size[0] * size[1] > pixels:  # rounding up must not pass the cap
        size = (size[0] - 1, max(1, round((size[0] - 1) * h / w)))
    return img.resize(size, Image.LANCZOS)


def jpeg(img: Image.Image, quality: int, **kw) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality, subsampling="4:2:0", **kw)
    return buf.getvalue()


def chat_copy(name: str) -> Callable:
    long_side, pixels, quality = JPEG_TRANSFORMS[name]

    def make(img: Image.Image, rng: np.random.Generator) -> tuple[bytes, str]:
        return jpeg(fit(img, long_side, pixels), quality), ".jpg"
    make.__name__ = name
    return make


def screenshot(img: Image.Image, rng: np.random.Generator) -> tuple[bytes, str]:
    sw, sh = SCREEN
    status, toolbar = 140, 260
    w, h = img.size
    scale = min(sw / w, (sh - status - toolbar) / h)
    shown = img.resize((round(w * scale), round(h * scale)), Image.LANCZOS)
    screen = Image.new("RGBA", SCREEN, (0, 0, 0, 255))
    screen.paste(shown, ((sw - shown.width) // 2, status + (sh - status - toolbar - shown.height) // 2))
    d = ImageDraw.Draw(screen)
    d.text((60, 50), "9:41", fill=(255, 255, 255, 255), font_size=44)
    d.rectangle((sw - 150, 55, sw - 70, 90), outline=(255, 255, 255, 255), width=4)  # battery
    d.rectangle((sw - 146, 59, sw - 100, 86), fill=(255, 255, 255, 255))
    y = sh - toolbar + 90
    for i in range(4):  # share, favourite, edit, delete
        x = 120 + i * (sw - 240) // 3
        d.ellipse((x - 36, y - 36, x + 36, y + 36), outline=(255, 255, 255, 255), width=5)
    d.text((60, sh - toolbar + 10), f"Today {int(rng.integers(7, 22))}:{int(rng.integers(10, 60))}",
           fill=(200, 200, 200, 255), font_size=36)
    buf = io.BytesIO()
    screen.save(buf, "PNG")
    return buf.getvalue(), ".png"


def sharpened(img: Image.Image, rng: np.random.Generator) -> tuple[bytes, str]:
    return jpeg(img.filter(ImageFilter.UnsharpMask(radius=2, percent=200, threshold=2)), 92), ".jpg"


def iso_noise(img: Image.Image, rng: np.random.Generator) -> tuple[bytes, str]:
    a = np.asarray(img.convert("RGB"), dtype=np.float32)
    luma = rng.normal(0.0, 8.0, a.shape[:2])[..., None]
    chroma = rng.normal(0.0, 3.0, a.shape)
    out = np.clip(a + luma + chroma, 0, 255).round().astype(np.uint8)
    return jpeg(Image.fromarray(out), 92), ".jpg"


def crop_4x5(img: Image.Image, rng: np.random.Generator) -> tuple[bytes, str]:
    w, h = img.size
    if w * 5 > h * 4:  # too wide: keep the full height
        cw, ch = round(h * 4 / 5), h
    else:
        cw, ch = w, round(w * 5 / 4)
    left, top = (w - cw) // 2, (h - ch) // 2
    return jpeg(img.crop((left, top, left + cw, top + ch)), 90), ".jpg"


def print_photo(img: Image.Image, rng: np.random.Generator) -> tuple[bytes, str]:
    import cv2

    a = np.asarray(img.convert("RGB"), dtype=np.float32)
    h, w = a.shape[:2]
    margin = max(4, round(0.05 * max(w, h)))
    paper = np.full((h + 2 * margin, w + 2 * margin, 3), 245.0, np.float32)
    paper[margin:margin + h, margin:margin + w] = 40 + a * (200 / 255)  # a print's flatter range
    ph, pw = paper.shape[:2]
    # the frame: the print covers ~85 % of it, askew by a few per cent at each corner
    fw, fh = round(pw / 0.85), round(ph / 0.85)
    ox, oy = (fw - pw) / 2, (fh - ph) / 2
    jitter = rng.uniform(-0.03, 0.03, (4, 2)) * [pw, ph]
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    dst = np.float32(src + [ox, oy] + jitter)
    m = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(paper, m, (fw, fh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                              borderValue=(110.0, 105.0, 100.0))
    yy, xx = np.mgrid[0:fh, 0:fw]
    r2 = ((xx - fw / 2) / (fw / 2)) ** 2 + ((yy - fh / 2) / (fh / 2)) ** 2
    out = out * (1 - 0.18 * r2)[..., None] * np.float32([1.04, 1.0, 0.92])  # vignetting, a warm lamp
    out = out + rng.normal(0.0, 2.5, out.shape)
    return jpeg(Image.fromarray(np.clip(out, 0, 255).round().astype(np.uint8)), 90), ".jpg"


def rotated_exif(img: Image.Image, rng: np.random.Generator) -> tuple[bytes, str]:
    exif = Image.Exif()
    exif[0x0112] = 6  # the viewer turns it 90 degrees clockwise
    return jpeg(img.transpose(Image.Transpose.ROTATE_90), 95, exif=exif.tobytes()), ".jpg"


TRANSFORMS: dict[str, Callable] = {
    **{name: chat_copy(name) for name in JPEG_TRANSFORMS},
    "screenshot": screenshot, "sharpened": sharpened, "iso-noise": iso_noise, "crop-4x5": crop_4x5,
    "print-photo": print_photo, "rotated-exif": rotated_exif,
}


def make_copy(path: Path, name: str, seed: int) -> tuple[bytes, str]:
    """The copy ``name`` of the photo at ``path`` (upright, as a viewer shows it): bytes and file suffix. The
    generator is seeded from ``seed`` and the file's name, so a copy is the same on every run."""
    rng = np.random.default_rng([seed, *path.name.encode()])
    with Image.open(path) as im:
        img = ImageOps.exif_transpose(im).convert("RGB")
    return TRANSFORMS[name](img, rng)


# ------------------------------------------------------------------------------------------------- photos

def photos(data: Path, per_set: int | None, seed: int) -> list[tuple[str, str, Path]]:
    """``(set, label, path)`` of the labelled real photos: ``real``, ``multifocus`` (label ``partial``) and
    ``other``, each sampled to ``per_set`` with ``seed`` when given."""
    from blurscan import datasets

    entries = datasets.read_manifest(data)
    sets = {
        "real": [(e.label, e.path) for e in datasets.real_evaluation(entries) if not e.blur_type.startswith("partial")],
        "multifocus": [("partial", e.path) for e in datasets.multifocus(entries)]
        + [("partial", e.path) for e in entries if e.set == "cuhk"],
        "other": [(e.label, e.path) for e in datasets.other_generators(entries)],
    }
    rng = np.random.default_rng(seed)
    out = []
    for name, rows in sets.items():
        rows = sorted(rows, key=lambda r: str(r[1]))
        if per_set and len(rows) > per_set:
            rows = [rows[i] for i in sorted(rng.choice(len(rows), per_set, replace=False))]
        out += [(name, label, Path(p)) for label, p in rows]
    return out


def balanced(rows: list[tuple[str, str]]) -> float | None:
    """Balanced accuracy of ``(label, verdict)`` pairs: ``blurry`` against everything else."""
    tpr = [v == "blurry" for lab, v in rows if lab == "blurry"]
    tnr = [v != "blurry" for lab, v in rows if lab == "sharp"]
    if not tpr or not tnr:
        return None
    return 50.0 * (sum(tpr) / len(tpr) + sum(tnr) / len(tnr))


def summarise(name: str, results: list[dict]) -> list[str]:
    """One markdown row: ``results`` are dicts with set, label, and the original's and copy's verdict and p."""
    n = len(results)
    changed = sum(r["v0"] != r["v1"] for r in results)
    to_b = sum(r["v0"] != "blurry" and r["v1"] == "blurry" for r in results)
    b2x = sum(r["v0"] == "blurry" and r["v1"] != "blurry" for r in results)
    to_p = sum(r["v0"] != "partial" and r["v1"] == "partial" for r in results)
    d = np.abs([r["p1"] - r["p0"] for r in results])

    def acc(set_: str, key: str) -> str:
        got = balanced([(r["label"], r[key]) for r in results if r["set"] == set_])
        return "-" if got is None else f"{got:.1f} %"

    def mf(key: str) -> str:
        rows = [r for r in results if r["set"] == "multifocus"]
        return f"{100 * sum(r[key] == 'blurry' for r in rows) / len(rows):.1f} %" if rows else "-"

    def pct(k: int) -> str:
        return f"{100 * k / n:.1f} % ({k})"

    return [name, pct(changed), pct(to_b), pct(b2x), pct(to_p), f"{np.median(d):.3f}", f"{np.quantile(d, 0.9):.3f}",
            f"{acc('real', 'v0')} → {acc('real', 'v1')}", f"{mf('v0')} → {mf('v1')}",
            f"{acc('other', 'v0')} → {acc('other', 'v1')}"]


HEADER = ["copy", "verdict changed", "→ blurry", "blurry → not", "→ partial", "median \\|Δp\\|",
          "p90 \\|Δp\\|", "real bal. acc.", "multifocus called blurry", "other gens bal. acc."]


def score(path: Path) -> tuple[str, float]:
    import blurscan

    rec = blurscan.score_image(str(path))
    return rec.verdict, float(rec.p_blurry if rec.p_blurry is not None else 0.0)


def main(argv=None) -> int:
    from blurscan.config import shared_data_dir

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None, help="the shared data folder (default ../shared/data)")
    ap.add_argument("--per-set", type=int, default=None, help="a seeded sample of N photos per set")
    ap.add_argument("--seed", type=int, default=27)
    ap.add_argument("--only", default="", help="comma-separated copies to make (default: all)")
    ap.add_argument("--json", type=Path, default=None, help="also write every photo's verdicts and p to this file")
    args = ap.parse_args(argv)
    data = args.data or shared_data_dir()
    names = [n for n in args.only.split(",") if n] or list(TRANSFORMS)
    unknown = sorted(set(names) - set(TRANSFORMS))
    if unknown:
        ap.error(f"unknown copies {unknown}; known: {', '.join(TRANSFORMS)}")
    chosen = photos(Path(data), args.per_set, args.seed)
    started = time.monotonic()
    rows: dict[str, list[dict]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory(prefix="blurscan-stability-") as tmp:
        for i, (set_, label, path) in enumerate(chosen):
            v0, p0 = score(path)
            for name in names:
                body, suffix = make_copy(path, name, args.seed)
                copy = Path(tmp) / f"{i}-{name}{suffix}"
                copy.write_bytes(body)
                v1, p1 = score(copy)
                copy.unlink()
                rows[name].append({"set": set_, "label": label, "file": path.name, "v0": v0, "p0": p0,
                                   "v1": v1, "p1": p1})
            print(f"\r{i + 1}/{len(chosen)} photos", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=Path(__file__).parent, check=False).stdout.strip()
    except OSError:
        commit = "?"
    counts = {s: sum(c[0] == s for c in chosen) for s in ("real", "multifocus", "other")}
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}, {platform.machine()}, "
          f"{counts['real']} real, {counts['multifocus']} multifocus, {counts['other']} other photos, "
          f"{time.monotonic() - started:.0f} s\n")
    print("| " + " | ".join(HEADER) + " |")
    print("|---|" + "---:|" * (len(HEADER) - 1))
    for name in names:
        print("| " + " | ".join(summarise(name, rows[name])) + " |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    print("\nLargest changes:")
    flips = [(name, r) for name in names for r in rows[name] if r["v0"] != r["v1"]]
    for name, r in sorted(flips, key=lambda f: -abs(f[1]["p1"] - f[1]["p0"]))[:25]:
        print(f"  {name:14} {r['set']:10} {r['label']:7} {r['file']:50} {r['v0']}->{r['v1']} "
              f"{r['p0']:.3f}->{r['p1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
