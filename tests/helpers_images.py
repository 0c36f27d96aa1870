"""Small generated images and nasty files for the scan tests, and shots of one scene taken in a burst for the
burst tests (no fixture magic: plain functions)."""
from __future__ import annotations

import datetime as dt
import os
import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from blurscan.config import ScanSettings, shared_data_dir
from blurscan.records import ScanRecord


def textured(seed: int = 0, size: tuple[int, int] = (240, 320)) -> np.ndarray:
    """A sharp RGB image, uint8: random blocks at two scales (edges, like objects) plus fine grain."""
    rng = np.random.default_rng(seed)
    h, w = size
    img = np.zeros((h, w, 3), np.float32)
    for block, amp in ((40, 1.0), (10, 0.6)):
        coarse = rng.uniform(-1, 1, (h // block + 1, w // block + 1, 3)).astype(np.float32)
        big = cv2.resize(coarse, ((w // block + 1) * block, (h // block + 1) * block),
                         interpolation=cv2.INTER_NEAREST)
        img += amp * big[:h, :w]
    img = 128 + 50 * img + rng.normal(0, 12, (h, w, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def blurred(img: np.ndarray, sigma: float = 2.0) -> np.ndarray:
    """Gaussian (defocus-like) blur of ``img``."""
    return cv2.GaussianBlur(img, (0, 0), sigma)


def save_jpeg(path: Path, rgb: np.ndarray, quality: int = 92) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(path, format="JPEG", quality=quality)
    return path


def save_png(path: Path, rgb: np.ndarray, compress_level: int = 6) -> Path:
    """``compress_level`` 1: the same pixels, written in a fifth of the time (a 12-MP picture: 2.7 s at Pillow's
    default 6); 0 (stored, not compressed): the same pixels again, written and decoded in about half of level 1's
    time, for large pictures whose file size does not matter."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(path, format="PNG", compress_level=compress_level)
    return path


def make_library(root: Path, n_sharp: int = 3, n_blurry: int = 2) -> dict[str, str]:
    """``root`` with sharp and blurred JPEGs (one PNG, one in a sub-folder); returns path -> truth."""
    truth = {}
    for i in range(n_sharp):
        p = save_jpeg(root / ("sub" if i == 0 else "") / f"sharp_{i}.jpg", textured(i))
        truth[str(p)] = "sharp"
    for i in range(n_blurry):
        save = save_png if i == 0 else save_jpeg
        p = save(root / f"blurry_{i}.{'png' if i == 0 else 'jpg'}", blurred(textured(100 + i)))
        truth[str(p)] = "blurry"
    return truth


def png_bomb(path: Path, width: int = 100_000, height: int = 100_000) -> Path:
    """A tiny PNG whose header claims ``width x height`` pixels (a decompression bomb's signature)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grayscale
    idat = zlib.compress(b"\x00" * 1024)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def bad_files(folder: Path) -> dict[str, str]:
    """Write one file per bad-input case into ``folder``; return path -> a word the error must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    good = save_jpeg(folder / "good_source.jpg", textured(7)).read_bytes()
    (folder / "good_source.jpg").unlink()
    cases = {}
    p = folder / "truncated.jpg"
    p.write_bytes(good[: len(good) // 2])
    cases[str(p)] = "truncated"
    p = folder / "empty.jpg"
    p.write_bytes(b"")
    cases[str(p)] = "empty"
    p = folder / "notes.jpg"
    p.write_text("this is a shopping list, not a photo\n" * 20)
    cases[str(p)] = "not an image"
    p = folder / "layers.png"
    p.write_bytes(b"8BPS\x00\x01" + b"\x00" * 200)
    cases[str(p)] = "unsupported format"
    p = png_bomb(folder / "bomb.png")
    cases[str(p)] = "decompression bomb"
    p = folder / "loop.jpg"
    os.symlink(p, p)
    cases[str(p)] = "symbolic link loop"
    return cases


def shared_photos(n: int = 4, label: str | None = None) -> list[Path]:
    """A few real photos from ../shared/data (first ``n`` rows of the manifest matching ``label``)."""
    import csv

    root = shared_data_dir()
    manifest = root / "manifest.csv"
    if not manifest.exists():
        return []
    out = []
    with open(manifest, newline="") as f:
        for row in csv.DictReader(f):
            if label is None or row["label"] == label:
                if row["set"] in ("kodak24", "set14", "levin2009", "gopro", "bsd100") and (root / row["file"]).exists():
                    out.append(root / row["file"])
            if len(out) >= n:
                break
    return out


def seed_laplacian(path) -> float:
    """The seed script, verbatim."""
    img = cv2.imread(os.fspath(path))
    return cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var()


def photo(shared_data=None, size=(240, 320)) -> np.ndarray:
    """A real photo crop when the shared data is there, else a generated scene with edges and texture."""
    h, w = size
    if shared_data is not None:
        src = np.asarray(Image.open(shared_data / "kodak24" / sorted(os.listdir(shared_data / "kodak24"))[0])
                         .convert("RGB"))
        if src.shape[0] >= h and src.shape[1] >= w:
            return np.ascontiguousarray(src[:h, :w])
    rng = np.random.default_rng(1)
    img = np.zeros((h, w, 3), np.uint8)
    for _ in range(40):
        x, y = rng.integers(0, w), rng.integers(0, h)
        cv2.circle(img, (int(x), int(y)), int(rng.integers(5, 40)), rng.integers(0, 256, 3).tolist(), -1)
    return np.clip(img.astype(int) + rng.integers(-20, 21, img.shape), 0, 255).astype(np.uint8)


def asym(h=60, w=80) -> np.ndarray:
    """An image whose every orientation is distinguishable (gradients in both axes, a marked corner)."""
    y, x = np.mgrid[0:h, 0:w]
    img = np.dstack([x * 255 // w, y * 255 // h, np.full_like(x, 60)]).astype(np.uint8)
    img[:12, :20] = (255, 255, 255)
    return img


# -- shots of one scene, moved, re-exposed, cropped or shaken, at a given time (the burst tests) -------------
T0 = dt.datetime(2024, 6, 1, 10, 0, 0)


def scene(seed: int) -> np.ndarray:
    return textured(seed, (480, 640))


def shifted(img: np.ndarray, dx: int, dy: int) -> np.ndarray:
    return np.ascontiguousarray(np.roll(np.roll(img, dy, axis=0), dx, axis=1))


def exposed(img: np.ndarray, gain: float) -> np.ndarray:
    return np.clip(img.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def cropped(img: np.ndarray, share: float) -> np.ndarray:
    h, w = img.shape[:2]
    return np.ascontiguousarray(img[int(h * share):, int(w * share):])


def shaken(img: np.ndarray, length: int = 15, angle: float = 30.0) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    return cv2.filter2D(img, -1, kernel / kernel.sum())


def record(img: np.ndarray, name: str, seconds: float) -> ScanRecord:
    """Score a generated image with the real pipeline (decode, measures, fingerprint), give it a time (``seconds``
    after ``T0``)."""
    from blurscan.pipeline import score_image

    rec = score_image(img, ScanSettings(workers=1, model="none"))
    rec.path = f"/photos/{name}.jpg"
    rec.captured_at = (T0 + dt.timedelta(seconds=seconds)).isoformat()
    return rec


def stored_shots(tmp_path, shots: list[ScanRecord]):
    """Put ``shots`` (from :func:`record`) in ``tmp_path/photos`` as empty files and store them in ``tmp_path/lib.db``
    (as a scan would have); the database's path."""
    from pathlib import Path

    from blurscan.store import Store

    for rec in shots:
        rec.path = str(Path(tmp_path) / "photos" / os.path.basename(rec.path))
        Path(rec.path).parent.mkdir(exist_ok=True)
        Path(rec.path).write_bytes(b"")
    db = Path(tmp_path) / "lib.db"
    with Store(db) as store:
        store.put(shots, "test")
    return db
