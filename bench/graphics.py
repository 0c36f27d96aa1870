"""Pictures that are not camera photos (screenshots, charts, slides, drawings, flat-colour graphics, regular
patterns): how many the shipped model calls blurry. All are sharp by construction, so every `blurry` is a false
alarm. The model was trained on camera photos only; this shows where that carries over and where it does not.

Usage::

    python bench/graphics.py [--per-kind 20] [--seed 7] [--model default|none|PATH]

Each picture is drawn with Pillow or matplotlib (a seeded random layout, size and colours; half saved as PNG,
half as JPEG at quality 90) into a temporary folder and scored with :func:`blurscan.score_image`, as a scan scores
it; the last column counts those the classic baseline (variance of the Laplacian under 100) calls blurry.
Prints a markdown table (its figures recorded in ``docs/model-card.md``, Known weaknesses, and the README;
not in ``docs/benchmarks-accuracy.md``, which ``bench/accuracy.py`` writes whole). Needs matplotlib (the ``bench`` or
``dev`` extras); the DejaVu font where installed, else Pillow's own.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import blurscan

SIZES = [(1170, 2532), (1920, 1080), (1600, 1000), (2560, 1440), (1080, 1080)]  # phone, screens, square


class Drawer:
    """One seeded random generator and the drawing of each kind of picture."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    def colour(self, low: int = 0, high: int = 256) -> tuple[int, int, int]:
        return tuple(int(v) for v in self.rng.integers(low, high, 3))

    def size(self) -> tuple[int, int]:
        return SIZES[int(self.rng.integers(len(SIZES)))]

    @staticmethod
    def font(points: float):
        try:
            return ImageFont.truetype("DejaVuSans.ttf", int(points))
        except OSError:
            return ImageFont.load_default()

    def screenshot(self) -> Image.Image:
        """A phone or desktop screen of text under a coloured bar."""
        w, h = self.size()
        img = Image.new("RGB", (w, h), self.colour(230))
        draw = ImageDraw.Draw(img)
        draw.rectangle((0, 0, w, h // 15), fill=self.colour(0, 200))
        points = int(self.rng.integers(20, 48))
        letters = list("abcdefghij klmnop qrstuvwxyz")
        for y in range(h // 10, h - points, int(points * 1.6)):
            line = "".join(self.rng.choice(letters, int(self.rng.integers(20, 60))))
            draw.text((w // 20, y), line, fill=(20, 20, 20), font=self.font(points))
        return img

    def chart(self) -> Image.Image:
        """A matplotlib line, bar, scatter or histogram chart."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(self.rng.uniform(6, 14), self.rng.uniform(4, 9)),
                               dpi=int(self.rng.integers(80, 200)))
        kind = int(self.rng.integers(4))
        if kind == 0:
            ax.plot(np.cumsum(self.rng.normal(size=300)))
        elif kind == 1:
            ax.bar(range(10), self.rng.random(10))
        elif kind == 2:
            ax.scatter(self.rng.random(200), self.rng.random(200), s=5)
        else:
            ax.hist(self.rng.normal(size=2000), bins=40)
        ax.set_title("A chart")
        ax.grid(bool(self.rng.integers(2)))
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
        buf.seek(0)
        return Image.open(buf).convert("RGB")

    def slide(self) -> Image.Image:
        """A presentation slide: a title, bullet points, sometimes a coloured block."""
        img = Image.new("RGB", (1920, 1080), "white")
        draw = ImageDraw.Draw(img)
        draw.text((100, 80), "Title of the slide", fill="black", font=self.font(64))
        for i in range(int(self.rng.integers(2, 7))):
            draw.text((140, 260 + i * 110), f"- point {i} about things", fill=(40, 40, 40), font=self.font(40))
        if self.rng.integers(2):
            draw.rectangle((1300, 300, 1800, 800), fill=self.colour())
        return img

    def pixel_art(self) -> Image.Image:
        """Random pixels enlarged without smoothing (nearest neighbour), as game art is shown."""
        small = (self.rng.random((int(self.rng.integers(16, 64)), int(self.rng.integers(16, 64)), 3)) * 255)
        return Image.fromarray(small.astype(np.uint8)).resize((1536, 1024), Image.NEAREST)

    def line_drawing(self) -> Image.Image:
        """Black outlines of boxes and ellipses and lines on white, no text."""
        w, h = self.size()
        img = Image.new("RGB", (w, h), "white")
        draw = ImageDraw.Draw(img)
        for _ in range(int(self.rng.integers(5, 30))):
            x0, y0 = int(self.rng.integers(0, w)), int(self.rng.integers(0, h))
            box = (x0, y0, x0 + int(self.rng.integers(50, 400)), y0 + int(self.rng.integers(50, 300)))
            shape = draw.rectangle if self.rng.integers(2) else draw.ellipse
            shape(box, outline="black", width=int(self.rng.integers(1, 5)))
            draw.line((x0, y0, int(self.rng.integers(0, w)), int(self.rng.integers(0, h))), fill="black",
                      width=int(self.rng.integers(1, 5)))
        return img

    def flat_colour(self) -> Image.Image:
        """One to four filled boxes or ellipses on a plain background (a logo, a wallpaper)."""
        w, h = self.size()
        img = Image.new("RGB", (w, h), self.colour())
        draw = ImageDraw.Draw(img)
        for _ in range(int(self.rng.integers(1, 5))):
            x0, y0 = int(self.rng.integers(0, w // 2)), int(self.rng.integers(0, h // 2))
            box = (x0, y0, x0 + int(self.rng.integers(100, w // 2)), y0 + int(self.rng.integers(100, h // 2)))
            (draw.rectangle if self.rng.integers(2) else draw.ellipse)(box, fill=self.colour())
        return img

    def pattern(self) -> Image.Image:
        """Black and white vertical stripes, horizontal stripes or a checkerboard, 8-120 px a band."""
        w, h = self.size()
        period = int(self.rng.integers(8, 120))
        yy, xx = np.indices((h, w))
        kind = int(self.rng.integers(3))
        bands = (xx // period) if kind == 0 else (yy // period) if kind == 1 else (xx // period + yy // period)
        return Image.fromarray(((bands % 2) * 255).astype(np.uint8)).convert("RGB")


KINDS = {"screenshot": Drawer.screenshot, "chart": Drawer.chart, "slide": Drawer.slide,
         "pixel art": Drawer.pixel_art, "line drawing": Drawer.line_drawing, "flat colour": Drawer.flat_colour,
         "stripes / checkerboard": Drawer.pattern}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-kind", type=int, default=20, help="pictures of each kind (default 20)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--model", default="default", help="default, none or a model file")
    args = ap.parse_args(argv)
    settings = blurscan.ScanSettings(model=args.model)
    drawer = Drawer(args.seed)
    print(f"model: {args.model}; {args.per_kind} pictures of each kind, seed {args.seed}; all sharp by construction\n")
    print("| kind | pictures | blurry | partial | sharp | median p_blurry | largest p_blurry | Laplacian < 100 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="blurscan-graphics-") as tmp:
        for name, draw in KINDS.items():
            verdicts: Counter = Counter()
            scores, low_laplacian = [], 0
            for i in range(args.per_kind):
                picture = draw(drawer)
                as_png = bool(drawer.rng.integers(2))
                path = Path(tmp) / f"{name.replace(' / ', '-').replace(' ', '-')}-{i}.{'png' if as_png else 'jpg'}"
                picture.save(path, **({} if as_png else {"quality": 90}))
                record = blurscan.score_image(path, settings)
                verdicts[record.verdict] += 1
                if record.p_blurry is not None:
                    scores.append(record.p_blurry)
                low_laplacian += record.laplacian_var is not None and record.laplacian_var < 100
            median = f"{statistics.median(scores):.2f}" if scores else "-"
            top = f"{max(scores):.2f}" if scores else "-"
            print(f"| {name} | {args.per_kind} | {verdicts['blurry']} | {verdicts['partial']} | {verdicts['sharp']} "
                  f"| {median} | {top} | {low_laplacian} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
