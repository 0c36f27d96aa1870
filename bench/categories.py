"""Pictures people really have that are not camera photos, and camera photos of nearly nothing: how the real
``blurscan scan`` judges them, per category.

A phone's library holds screenshots (app screens, chats, maps), scanned and photographed documents, memes,
charts, pixel art, gradient wallpapers, and photos of fog, snow, a night sky, underwater scenes or a blue sky
with a small sharp plane. All are sharp by construction, except the memes drawn over a blurred photo (the
caption is sharp, the photo under it is not); every other ``blurry`` is a false alarm of the kind the issue
names ("Low-texture regions must not vote blurry").

Usage::

    python bench/categories.py [--per-kind 16] [--seed 22] [--data ../shared/data] [--model default]

The pictures are drawn with Pillow, numpy and matplotlib from one seeded generator (phone screens at 1170 x 2532
and 1080 x 2400, documents at 300 dpi, PNG and JPEG) and kept in a cache folder under $TMPDIR (never in the
repository; a second run with the same arguments reuses them); the photo-based kinds (memes, fog, underwater)
start from the shared data set's photos and are left out without it. They are scanned with the real CLI
(``python -m blurscan scan --format jsonl``, a database of its own) and the script prints a markdown table per
category: verdict counts, quantiles (min / median / max) of ``p_blurry`` and of ``laplacian_var``, and how many
the classic baseline (``laplacian_var`` under 100) calls blurry. Its table is recorded in
``docs/benchmarks-accuracy.md`` (a section ``bench/accuracy.py`` keeps when it rewrites that page).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

PHONES = [(1170, 2532), (1080, 2400)]
#: Part of the cache folder's name: bumped whenever a drawing changes, so that old pictures are never reused.
GENERATOR_VERSION = 1
WORDS = ("the of and to in is you that it he was for on are as with his they at be this have from or one had by "
         "word but not what all were we when your can said there use an each which she do how their if will up "
         "other about out many then them these so some her would make like him into time has look two more").split()


def font(size: int, bold: bool = False):
    names = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf") if bold else ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")
    for name in names:
        try:
            return ImageFont.truetype(name, int(size))
        except OSError:
            continue
    return ImageFont.load_default()


class Drawer:
    """One seeded generator and the drawing of each kind (each returns a PIL image)."""

    def __init__(self, seed: int, sharp: list[Path], blurred: list[Path]):
        self.rng = np.random.default_rng(seed)
        self.sharp, self.blurred = sharp, blurred

    def colour(self, low: int = 0, high: int = 256) -> tuple[int, int, int]:
        return tuple(int(v) for v in self.rng.integers(low, high, 3))

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS, n))

    def phone(self) -> tuple[int, int]:
        return PHONES[int(self.rng.integers(len(PHONES)))]

    # --- screenshots -------------------------------------------------------------------------------------
    def app_screen(self) -> Image.Image:
        """A settings/feed-like app: a status bar, a title, cards of text with icons and buttons."""
        w, h = self.phone()
        dark = bool(self.rng.integers(2))
        bg, fg = ((18, 18, 18), (235, 235, 235)) if dark else ((246, 246, 248), (20, 20, 20))
        img = Image.new("RGB", (w, h), bg)
        d = ImageDraw.Draw(img)
        d.text((60, 40), "9:41", fill=fg, font=font(44, True))
        d.text((60, 180), self.words(2).title(), fill=fg, font=font(96, True))
        y = 360
        card = (40, 40, 44) if dark else (255, 255, 255)
        while y < h - 300:
            ch = int(self.rng.integers(160, 420))
            d.rounded_rectangle((40, y, w - 40, y + ch), radius=36, fill=card)
            d.ellipse((80, y + 40, 180, y + 140), fill=self.colour(40, 220))
            d.text((220, y + 45), self.words(3), fill=fg, font=font(48, True))
            for ty in range(y + 110, y + ch - 50, 56):
                d.text((220, ty), self.words(int(self.rng.integers(3, 7))), fill=(140, 140, 140), font=font(40))
            y += ch + 40
        d.rounded_rectangle((w // 2 - 200, h - 60, w // 2 + 200, h - 48), radius=6, fill=fg)
        return img

    def chat(self) -> Image.Image:
        """A messaging app: bubbles left and right on a flat background."""
        w, h = self.phone()
        img = Image.new("RGB", (w, h), (255, 255, 255) if self.rng.integers(2) else (229, 221, 213))
        d = ImageDraw.Draw(img)
        d.rectangle((0, 0, w, 260), fill=(247, 247, 247))
        d.text((w // 2 - 150, 150), self.words(2).title(), fill=(0, 0, 0), font=font(52, True))
        y, mine_colour = 320, self.colour(0, 120)
        while y < h - 400:
            lines = int(self.rng.integers(1, 4))
            mine = bool(self.rng.integers(2))
            bw = int(self.rng.integers(400, w - 300))
            bh = 40 + 62 * lines
            x0 = w - 40 - bw if mine else 40
            d.rounded_rectangle((x0, y, x0 + bw, y + bh), radius=44,
                                fill=tuple(min(255, c + 110) for c in mine_colour) if mine else (233, 233, 235))
            for k in range(lines):
                d.text((x0 + 36, y + 24 + 62 * k), self.words(int(self.rng.integers(2, 5))), fill=(0, 0, 0),
                       font=font(46))
            y += bh + int(self.rng.integers(20, 60))
        d.rounded_rectangle((30, h - 200, w - 30, h - 100), radius=50, outline=(200, 200, 200), width=3)
        return img

    def map_screen(self) -> Image.Image:
        """A map app: pale land and water, white and yellow roads, a few labels, a pin."""
        w, h = self.phone()
        img = Image.new("RGB", (w, h), (242, 239, 233))
        d = ImageDraw.Draw(img)
        for _ in range(int(self.rng.integers(1, 4))):  # water and parks
            x, y = int(self.rng.integers(0, w)), int(self.rng.integers(0, h))
            r = int(self.rng.integers(150, 600))
            d.ellipse((x - r, y - r // 2, x + r, y + r // 2), fill=(170, 218, 255) if self.rng.integers(2) else (200, 235, 200))
        for _ in range(int(self.rng.integers(8, 20))):
            p = [tuple(int(v) for v in self.rng.integers(0, (w, h))) for _ in range(2)]
            major = bool(self.rng.integers(3) == 0)
            d.line(p, fill=(255, 221, 120) if major else (255, 255, 255), width=28 if major else 14)
        for _ in range(int(self.rng.integers(3, 9))):
            d.text(tuple(int(v) for v in self.rng.integers(0, (w - 300, h - 60))), self.words(2).title(),
                   fill=(90, 90, 90), font=font(36))
        x, y = w // 2, h // 2
        d.ellipse((x - 30, y - 30, x + 30, y + 30), fill=(26, 115, 232), outline="white", width=8)
        return img

    # --- documents ----------------------------------------------------------------------------------------
    def page(self) -> Image.Image:
        """A letter-size page at 300 dpi: a heading and 11-point justified-ish text."""
        w, h = 2550, 3300
        img = Image.new("L", (w, h), 255)
        d = ImageDraw.Draw(img)
        d.text((300, 300), self.words(4).title(), fill=0, font=font(75, True))
        size = int(self.rng.integers(40, 50))  # 10-12 pt at 300 dpi
        y = 480
        while y < h - 300:
            if self.rng.random() < 0.12:
                y += size
                continue
            d.text((300, y), self.words(int(self.rng.integers(10, 14))), fill=0, font=font(size))
            y += int(size * 1.45)
        return img.convert("RGB")

    def scanned_page(self) -> Image.Image:
        """A page as a 300-dpi scanner saves it (grey paper, JPEG later)."""
        img = np.asarray(self.page(), np.float32)
        img = img * 0.88 + 20 + self.rng.normal(0, 2, img.shape[:2])[..., None]
        return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))

    def photographed_page(self) -> Image.Image:
        """A page photographed by a phone: on a desk, a slight perspective, uneven light, 4032 x 3024."""
        page = self.page().resize((1275, 1650), Image.LANCZOS)
        w, h = 3024, 4032
        desk = Image.new("RGB", (w, h), self.colour(60, 140))
        x0, y0 = (w - 2300) // 2, (h - 3000) // 2
        j = lambda: int(self.rng.integers(-120, 120))  # noqa: E731
        quad = [(x0 + j(), y0 + j()), (x0 + j(), y0 + 3000 + j()), (x0 + 2300 + j(), y0 + 3000 + j()),
                (x0 + 2300 + j(), y0 + j())]
        coeffs = _perspective(quad, page.size)
        warped = page.transform((w, h), Image.PERSPECTIVE, coeffs, Image.BICUBIC, fillcolor=(0, 0, 0))
        mask = Image.new("L", page.size, 255).transform((w, h), Image.PERSPECTIVE, coeffs, Image.BILINEAR)
        desk.paste(warped, (0, 0), mask)
        arr = np.asarray(desk, np.float32)
        yy, xx = np.mgrid[0:h, 0:w]
        light = 0.8 + 0.2 * (xx / w) * (1 - 0.4 * yy / h)
        arr = arr * light[..., None] + self.rng.normal(0, 3, (h, w))[..., None]
        return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))

    # --- graphics ----------------------------------------------------------------------------------------
    def chart(self) -> Image.Image:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(10, 6), dpi=int(self.rng.integers(100, 200)))
        kind = int(self.rng.integers(3))
        if kind == 0:
            for _ in range(3):
                ax.plot(np.cumsum(self.rng.normal(size=200)))
        elif kind == 1:
            ax.bar(range(12), self.rng.random(12), color="tab:blue")
        else:
            ax.pie(self.rng.random(5) + 0.2, labels=list("ABCDE"))
        ax.set_title(self.words(3))
        fig.savefig(buf := _Buffer(), format="png")
        plt.close(fig)
        return Image.open(buf.rewound()).convert("RGB")

    def pixel_art(self) -> Image.Image:
        """A 32 x 32 sprite of a few palette colours (a symmetric blob with an outline) on a flat background,
        enlarged 16-32 times by nearest neighbour."""
        n = 32
        palette = np.array([self.colour() for _ in range(5)], np.uint8)
        half = self.rng.random((n, n // 2)) < 0.45
        yy, xx = np.mgrid[0:n, 0:n // 2]
        half &= (yy - n / 2) ** 2 + (xx - n / 2) ** 2 < (n / 2.3) ** 2
        body = np.concatenate([half, half[:, ::-1]], axis=1)
        idx = np.where(body, self.rng.integers(2, 5, (n, n)), 0)
        from scipy.ndimage import binary_dilation

        idx[binary_dilation(body) & ~body] = 1
        small = palette[idx]
        scale = int(self.rng.integers(16, 33))
        return Image.fromarray(small).resize((n * scale, n * scale), Image.NEAREST)

    def gradient(self) -> Image.Image:
        """A wallpaper: a soft two-colour gradient, sometimes with a blurred blob, at phone size."""
        w, h = self.phone()
        a, b = np.array(self.colour(), np.float32), np.array(self.colour(), np.float32)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        angle = self.rng.uniform(0, np.pi)
        t = (np.cos(angle) * xx / w + np.sin(angle) * yy / h)
        t = (t - t.min()) / max(float(t.max() - t.min()), 1e-6)
        img = a + (b - a) * t[..., None]
        if self.rng.integers(2):
            cx, cy, r = self.rng.uniform(0, w), self.rng.uniform(0, h), self.rng.uniform(200, 900)
            blob = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))
            img = img * (1 - blob[..., None]) + np.array(self.colour(), np.float32) * blob[..., None]
        return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))

    # --- low-texture scenes --------------------------------------------------------------------------------
    def sky_plane(self) -> Image.Image:
        """A plain blue sky (a vertical gradient, sensor noise) with a small sharp plane silhouette, 4032 x 3024."""
        w, h = 4032, 3024
        top, bottom = np.array([40, 100, 200], np.float32), np.array([140, 190, 240], np.float32)
        t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
        img = top + (bottom - top) * t + self.rng.normal(0, 1.5, (h, w, 1)).astype(np.float32)
        pic = Image.fromarray(np.clip(np.broadcast_to(img, (h, w, 3)), 0, 255).astype(np.uint8))
        d = ImageDraw.Draw(pic)
        x, y, s = int(self.rng.integers(600, w - 600)), int(self.rng.integers(400, h - 400)), int(self.rng.integers(30, 120))
        grey = (50, 50, 55)
        d.polygon([(x - 4 * s, y), (x + 4 * s, y - s // 3), (x + 4 * s, y + s // 3)], fill=grey)  # fuselage
        d.polygon([(x, y), (x - s, y - 3 * s), (x + s // 2, y)], fill=grey)  # wing
        d.polygon([(x, y), (x - s, y + 3 * s), (x + s // 2, y)], fill=grey)
        return pic

    def _clear_sky(self) -> np.ndarray:
        w, h = 4032, 3024
        top, bottom = np.array([40, 100, 200], np.float32), np.array([140, 190, 240], np.float32)
        t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
        return top + (bottom - top) * t + self.rng.normal(0, 1.5, (h, w, 1)).astype(np.float32)

    def power_lines(self) -> Image.Image:
        """One to three sharp, nearly level power lines across a clear sky, 4032 x 3024."""
        pic = Image.fromarray(np.clip(np.broadcast_to(self._clear_sky(), (3024, 4032, 3)), 0, 255).astype(np.uint8))
        d = ImageDraw.Draw(pic)
        y0 = int(self.rng.integers(500, 2500))
        y1 = y0 + int(self.rng.integers(-300, 300))
        for k in range(int(self.rng.integers(1, 4))):
            d.line((0, y0 + 60 * k, 4032, y1 + 60 * k), fill=(30, 30, 30), width=int(self.rng.integers(4, 12)))
        return pic

    def horizon(self) -> Image.Image:
        """A calm sea under a clear sky: one sharp level horizon, 4032 x 3024."""
        img = self._clear_sky()
        line = int(3024 * self.rng.uniform(0.35, 0.65))
        img[line:] = np.array([20, 60, 110], np.float32) + self.rng.normal(0, 1.5, (3024 - line, 4032, 1))
        return Image.fromarray(np.clip(np.broadcast_to(img, (3024, 4032, 3)), 0, 255).astype(np.uint8))

    def night_sky(self) -> Image.Image:
        """Stars: a dark noisy sky with a few hundred sharp points and a dark horizon, 4032 x 3024."""
        w, h = 4032, 3024
        img = self.rng.normal(8, 3, (h, w)).astype(np.float32)
        ys, xs = self.rng.integers(0, int(h * 0.8), 400), self.rng.integers(0, w, 400)
        img[ys, xs] = self.rng.uniform(80, 255, 400)
        img[int(h * 0.82):] = 2
        arr = np.clip(img, 0, 255).astype(np.uint8)
        return Image.fromarray(np.stack([arr, arr, (arr * 1.1).clip(0, 255).astype(np.uint8)], -1))

    def snow(self) -> Image.Image:
        """A snowfield: bright, nearly white, gentle shading, a few sharp dark trees far away."""
        w, h = 4032, 3024
        yy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
        img = 235 + 15 * yy + self.rng.normal(0, 1.5, (h, w)).astype(np.float32)
        pic = Image.fromarray(np.clip(np.repeat(img[..., None], 3, -1), 0, 255).astype(np.uint8))
        d = ImageDraw.Draw(pic)
        horizon = int(h * self.rng.uniform(0.3, 0.5))
        for _ in range(int(self.rng.integers(3, 15))):
            x, s = int(self.rng.integers(0, w)), int(self.rng.integers(20, 90))
            d.polygon([(x, horizon - 3 * s), (x - s, horizon), (x + s, horizon)], fill=(30, 45, 35))
        return pic

    def _photo(self, pool: list[Path]) -> Image.Image:
        return Image.open(pool[int(self.rng.integers(len(pool)))]).convert("RGB")

    def meme(self, pool: list[Path]) -> Image.Image:
        """Impact-style white text with a black outline, top and bottom, over a photo."""
        img = self._photo(pool)
        w, h = img.size
        d = ImageDraw.Draw(img)
        f = font(max(24, h // 9), True)
        for y, text in ((h // 30, self.words(3).upper()), (h - h // 30 - h // 9, self.words(3).upper())):
            d.text((w // 2, y), text, fill="white", font=f, anchor="ma", stroke_width=max(2, h // 150),
                   stroke_fill="black")
        return img

    def foggy(self) -> Image.Image:
        """A sharp photo seen through fog: contrast cut to 15-35 %, lifted toward a pale grey."""
        img = np.asarray(self._photo(self.sharp), np.float32)
        keep = self.rng.uniform(0.15, 0.35)
        return Image.fromarray(np.clip(img * keep + 200 * (1 - keep), 0, 255).astype(np.uint8))

    def underwater(self) -> Image.Image:
        """A sharp photo under water: red gone, a blue-green cast, contrast halved, a haze."""
        img = np.asarray(self._photo(self.sharp), np.float32)
        img = img * np.array([0.25, 0.75, 0.9], np.float32) * 0.5 + np.array([10, 70, 90], np.float32)
        return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))


class _Buffer:
    def __init__(self):
        import io

        self.io = io.BytesIO()

    def write(self, b):
        return self.io.write(b)

    def rewound(self):
        self.io.seek(0)
        return self.io


def _perspective(quad, size):
    """Coefficients for Image.transform(PERSPECTIVE) mapping output corners ``quad`` (tl, bl, br, tr) to the
    source rectangle ``size``."""
    w, h = size
    src = [(0, 0), (0, h), (w, h), (w, 0)]
    rows, rhs = [], []
    for (x, y), (u, v) in zip(quad, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return np.linalg.solve(np.array(rows, float), np.array(rhs, float)).tolist()


def kinds(drawer: Drawer) -> dict:
    """Category name -> (draw function, saved as: 'png', 'jpeg' or 'both')."""
    out = {
        "app screenshot": (drawer.app_screen, "both"),
        "chat screenshot": (drawer.chat, "both"),
        "map screenshot": (drawer.map_screen, "both"),
        "document page 300 dpi": (drawer.page, "png"),
        "scanned page (JPEG)": (drawer.scanned_page, "jpeg"),
        "photographed page": (drawer.photographed_page, "jpeg"),
        "chart": (drawer.chart, "png"),
        "pixel art (nearest)": (drawer.pixel_art, "png"),
        "gradient wallpaper": (drawer.gradient, "both"),
        "blue sky, small plane": (drawer.sky_plane, "jpeg"),
        "power lines, clear sky": (drawer.power_lines, "jpeg"),
        "sea horizon": (drawer.horizon, "jpeg"),
        "night sky": (drawer.night_sky, "jpeg"),
        "snowfield": (drawer.snow, "jpeg"),
    }
    if drawer.sharp:
        out["meme on a sharp photo"] = (lambda: drawer.meme(drawer.sharp), "jpeg")
        out["fog over a sharp photo"] = (drawer.foggy, "jpeg")
        out["underwater (sharp photo)"] = (drawer.underwater, "jpeg")
    if drawer.blurred:
        out["meme on a blurred photo *"] = (lambda: drawer.meme(drawer.blurred), "jpeg")
    return out


def shared_photos(data: Path) -> tuple[list[Path], list[Path]]:
    """Sharp (div2k, kodak24) and blurred (div2k, gopro) photos of the shared data set's manifest."""
    sharp, blurred = [], []
    manifest = data / "manifest.csv"
    if not manifest.is_file():
        return sharp, blurred
    import csv

    with manifest.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["set"] in ("div2k", "kodak24") and row["label"] == "sharp":
                sharp.append(data / row["file"])
            elif row["set"] in ("div2k", "gopro") and row["label"] == "blurry":
                blurred.append(data / row["file"])
    return sorted(sharp), sorted(blurred)


def generate(folder: Path, per_kind: int, seed: int, data: Path) -> dict[str, list[Path]]:
    """Draw every picture into ``folder`` (kept: a finished folder is reused) -> {category: paths}."""
    sharp, blurred = shared_photos(data)
    drawer = Drawer(seed, sharp, blurred)
    out: dict[str, list[Path]] = {}
    done = (folder / ".complete").is_file()
    folder.mkdir(parents=True, exist_ok=True)
    for name, (draw, fmt) in kinds(drawer).items():
        slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
        out[name] = []
        for i in range(per_kind):
            as_png = fmt == "png" or (fmt == "both" and i % 2 == 0)
            path = folder / f"{slug}-{i:03d}.{'png' if as_png else 'jpg'}"
            if not done:
                picture = draw()
                picture.save(path, **({} if as_png else {"quality": int(drawer.rng.integers(80, 96))}))
            out[name].append(path)
    (folder / ".complete").touch()
    return out


def scan(folder: Path, model: str) -> dict[str, dict]:
    """Run the real CLI over ``folder`` -> {file name: JSONL record}."""
    out = folder.parent / (folder.name + f"-{model.replace('/', '_')}.jsonl")
    db = folder.parent / (folder.name + f"-{model.replace('/', '_')}.db")
    src = Path(__file__).resolve().parent.parent / "src"
    env = dict(os.environ, PYTHONPATH=str(src) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    subprocess.run([sys.executable, "-m", "blurscan", "scan", str(folder), "--db", str(db), "--model", model,
                    "--format", "jsonl", "-o", str(out)], check=True, env=env, stderr=subprocess.DEVNULL)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {Path(r["path"]).name: r for r in records}


def _q(values: list[float], fmt: str) -> str:
    if not values:
        return "-"
    lo, mid, hi = np.quantile(values, [0.0, 0.5, 1.0])
    return " / ".join(format(v, fmt) for v in (lo, mid, hi))


def table(groups: dict[str, list[Path]], records: dict[str, dict]) -> list[str]:
    lines = ["| category | n | blurry | partial | sharp | error | p_blurry min / median / max "
             "| laplacian_var min / median / max | Laplacian < 100 |", "|---|---:|---:|---:|---:|---:|---|---|---:|"]
    for name, paths in groups.items():
        verdicts: Counter = Counter()
        p, lap = [], []
        for path in paths:
            r = records.get(path.name, {})
            verdicts[r.get("verdict") or "error"] += 1
            if r.get("p_blurry") is not None:
                p.append(float(r["p_blurry"]))
            if r.get("laplacian_var") is not None:
                lap.append(float(r["laplacian_var"]))
        low = sum(v < 100 for v in lap)
        lines.append(f"| {name} | {len(paths)} | {verdicts['blurry']} | {verdicts['partial']} | {verdicts['sharp']} "
                     f"| {verdicts['error']} | {_q(p, '.2f')} | {_q(lap, '.0f')} | {low} |")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-kind", type=int, default=16, help="pictures of each category (default 16)")
    ap.add_argument("--seed", type=int, default=22)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data",
                    help="the shared data set (for memes, fog, underwater; left out when missing)")
    ap.add_argument("--model", default="default", help="default, none or a model file")
    args = ap.parse_args(argv)
    kind = "photos" if shared_photos(args.data)[0] else "drawn"
    folder = Path(tempfile.gettempdir()) / "blurscan-categories" / f"v{GENERATOR_VERSION}-seed{args.seed}-n{args.per_kind}-{kind}"
    groups = generate(folder, args.per_kind, args.seed, args.data)
    records = scan(folder, args.model)
    print(f"model: {args.model}; {args.per_kind} pictures per category, seed {args.seed}; "
          "all sharp by construction except * (a sharp caption over a blurred photo)\n")
    print("\n".join(table(groups, records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
