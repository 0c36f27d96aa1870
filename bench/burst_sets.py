"""The test set of ``bench/bursts.py`` (see its docstring), built in memory from the shared photos: the real
GoPro sequences, the real multi-focus pairs and synthetic bursts shot by :class:`BurstCamera`, each photo
scored by the real pipeline (:func:`scorer`) and given a capture time."""
from __future__ import annotations

import datetime as dt
import re
import sys
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

from blurscan.config import ScanSettings
from blurscan.records import ScanRecord

SOURCE_SETS = ("div2k", "sunhays80")
MIN_SOURCE_SIDE = 1000  # px: a camera frame, analysed at 1024 px like every photo
EPOCH = dt.datetime(2024, 6, 1, 9, 0, 0)
GOPRO_FPS = 240.0
GOPRO_BURST_GAP = 24  # frames: 0.1 s


# -- scoring --------------------------------------------------------------------------------------------
def scorer():
    """The real pipeline's ``score_image`` when it is installed, with a name for the figures it gives."""
    try:
        from blurscan.pipeline import score_image

        settings = ScanSettings(workers=1)
        probe = score_image(np.full((64, 64, 3), 128, np.uint8), settings)
        if probe.status != "ok":
            raise RuntimeError(probe.error)
        if probe.phash is None:
            raise RuntimeError("no perceptual hash (blurscan.fingerprint missing)")
        model = f"model {probe.model_version}" if probe.model_version else "no model (classical measures only)"
        return lambda image: score_image(image, settings), f"blurscan.pipeline.score_image, {model}"
    except Exception as exc:  # the pipeline or a stage it needs is missing: measure what grouping needs
        print(f"(pipeline unavailable: {exc}; using imagehash + normalised Laplacian only)", file=sys.stderr)
        return _fallback_score, "fallback: imagehash.phash + blurscan.measures at 1024 px, no model"


def _fallback_score(image) -> ScanRecord:
    """phash + classical scores at the 1024-px analysis size without the pipeline (while a stage is missing)."""
    import imagehash
    from PIL import Image

    rgb = image if isinstance(image, np.ndarray) else cv2.cvtColor(cv2.imread(str(image)), cv2.COLOR_BGR2RGB)
    h, w = rgb.shape[:2]
    scale = min(1.0, 1024 / max(h, w))
    small = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else rgb
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    try:
        from blurscan.measures import compute_gray

        scores = compute_gray(gray)
    except ImportError:
        scores = {"laplacian_var_norm": float(cv2.Laplacian(gray, cv2.CV_32F).var())}
    return ScanRecord(path="", width=w, height=h, phash=str(imagehash.phash(Image.fromarray(small))),
                      scores=scores)


# -- test set -------------------------------------------------------------------------------------------
def _iso(seconds: float) -> str:
    return (EPOCH + dt.timedelta(seconds=seconds)).isoformat(timespec="milliseconds")


def gopro_items(data: Path):
    """(path, clip, frame, sharp?) of every GoPro frame."""
    items = []
    for path in sorted((data / "gopro" / "videos").glob("*/*.jpg")):
        items.append((path, path.parent.name, int(path.stem), True))
    pattern = re.compile(r"(GOPR\d+_\d+_\d+)_st_frame-(\d+)_n_avg-\d+(_gt)?$")
    for path in sorted((data / "gopro" / "saved_images").glob("*.jpg")):
        m = pattern.match(path.stem)
        if m:
            items.append((path, m.group(1), int(m.group(2)), bool(m.group(3))))
    return items


def build_gopro(data: Path, score, start: float):
    """Records, truth burst ids and 'sharpest' flags for the GoPro frames, from time ``start``."""
    items = gopro_items(data)
    by_clip = defaultdict(list)
    for item in items:
        by_clip[item[1]].append(item)
    records, truth, sharp = [], [], []
    clock = start
    for clip in sorted(by_clip):
        frames = sorted(by_clip[clip], key=lambda it: it[2])
        first = frames[0][2]
        burst, previous = None, None
        for path, _, frame, is_sharp in frames:
            if previous is None or frame - previous > GOPRO_BURST_GAP:
                burst = f"gopro:{clip}:{frame}"
            previous = frame
            rec = score(path)
            rec.path = str(path)
            rec.captured_at = _iso(clock + (frame - first) / GOPRO_FPS)
            records.append(rec)
            truth.append(burst)
            sharp.append(is_sharp)
        clock += (frames[-1][2] - first) / GOPRO_FPS + 1.0
    # a real blurred frame only has a known sharpest shot when its _gt is there: mark bursts with one blurred
    return records, truth, sharp, clock


def build_multifocus(data: Path, score, start: float):
    """The real multi-focus pairs (one scene focused near, then far) as two-shot bursts 0.5 s apart."""
    records, truth, sharp = [], [], []
    clock = start
    for folder in sorted(p for p in (data / "multifocus").iterdir() if p.is_dir()):
        shots = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".png", ".bmp"))
        for k, path in enumerate(shots):
            rec = score(path)
            rec.path = str(path)
            rec.captured_at = _iso(clock + 0.5 * k)
            records.append(rec)
            truth.append(f"multifocus:{folder.name}")
            sharp.append(False)  # each is partly sharp: no known sharpest shot, grouping only
        clock += 1.5
    return records, truth, sharp, clock


def _variant(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A hand-held re-shot's framing: small shift (up to 4 %) and crop (up to 8 %)."""
    h, w = rgb.shape[:2]
    crop = rng.uniform(0.0, 0.08)
    ch, cw = int(round(h * (1 - crop))), int(round(w * (1 - crop)))
    max_dy, max_dx = h - ch, w - cw
    shift_y = int(rng.uniform(-0.04, 0.04) * h)
    shift_x = int(rng.uniform(-0.04, 0.04) * w)
    y0 = int(np.clip(max_dy // 2 + shift_y, 0, max_dy))
    x0 = int(np.clip(max_dx // 2 + shift_x, 0, max_dx))
    return np.ascontiguousarray(rgb[y0:y0 + ch, x0:x0 + cw])


class BurstCamera:
    """One camera for a whole burst, as in real burst mode: the same ISO (noise level), in-camera sharpening
    and JPEG quality for every shot; exposure (auto-exposure drift), framing and shake differ per shot.

    The steps are those of :func:`blurscan.synth.synthesize` (linear light, shake kernel, Poisson-Gaussian
    noise, sRGB, unsharp mask, JPEG), with the camera's parameters drawn once per burst instead of per shot.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        from blurscan import synth

        self.synth = synth
        self.noise = synth.sample_noise(rng)
        self.sharpen = (float(rng.uniform(0.0, 0.8)) if rng.random() < 0.7 else 0.0, float(rng.uniform(0.6, 1.5)))
        self.quality = int(rng.integers(70, 96))
        self.subsampling = 2 if rng.random() < 0.7 else 0

    def shoot(self, scene: np.ndarray, rng: np.random.Generator, severity: str | None) -> tuple[np.ndarray, dict]:
        synth = self.synth
        gain = float(np.exp(rng.uniform(np.log(0.7), np.log(1.4))))  # about +-1/2 EV
        lin = synth.srgb_to_linear(scene) * gain
        params = {"gain": gain, "severity": severity, "shake_px": 0.0}
        if severity is not None:
            lo, hi = synth.severity_range("shake", severity)
            extent = float(np.exp(rng.uniform(np.log(lo), np.log(hi)))) * max(scene.shape[:2]) / 1024
            kernel, _ = synth.shake_kernel(rng, max(extent, 1.5))
            lin = synth.apply_kernel(lin, kernel)
            params["shake_px"] = extent
        lin = synth.add_sensor_noise(lin, rng, self.noise["shot"], self.noise["read"], self.noise["grain"])
        out = synth.sharpen(synth.linear_to_srgb(lin), *self.sharpen)
        out, _ = synth.jpeg_roundtrip(np.ascontiguousarray(out), self.quality, self.subsampling)
        return out, params


def source_pool(data: Path) -> list[str]:
    """The sharp photos of :data:`SOURCE_SETS` at least :data:`MIN_SOURCE_SIDE` px long that synthetic bursts are
    shot from (their ``file`` in ``data/manifest.csv``, read as every command reads a manifest:
    :func:`blurscan.datasets.read_manifest`), one file per photo, sorted."""
    from blurscan.datasets import read_manifest

    pool = [e.file for e in read_manifest(data) if e.set in SOURCE_SETS and e.label == "sharp"
            and max(e.width, e.height) >= MIN_SOURCE_SIDE]
    # one file per photo: div2k holds some photos twice (``0853.jpg`` and ``0853_..._gt.jpg``)
    unique = {}
    for name in pool:
        unique.setdefault(re.sub(r"_.*$", "", Path(name).stem) if "/div2k/" in f"/{name}" else name, name)
    return sorted(unique.values())


def build_synthetic(data: Path, score, n_sources: int, seed: int, start: float):
    rng = np.random.default_rng(seed)
    pool = source_pool(data)
    chosen = [pool[i] for i in rng.choice(len(pool), size=min(n_sources, len(pool)), replace=False)]
    records, truth, sharp = [], [], []
    clock = start
    for number, name in enumerate(chosen):
        source = cv2.cvtColor(cv2.imread(str(data / name)), cv2.COLOR_BGR2RGB)
        camera = BurstCamera(rng)
        n_blurred = int(rng.integers(2, 5))
        shots = [None] + [str(rng.choice(["mild", "moderate"])) for _ in range(n_blurred)]
        for k in rng.permutation(len(shots)):
            severity = shots[k]
            base = source if k == 0 and rng.random() < 0.5 else _variant(source, rng)
            image, _ = camera.shoot(base, rng, severity)
            rec = score(image)
            rec.path = f"synthetic/{number:03d}_{Path(name).stem}_{k}_{severity or 'sharp'}.jpg"
            rec.captured_at = _iso(clock)
            records.append(rec)
            truth.append(f"synthetic:{number}")
            sharp.append(severity is None)
            clock += float(rng.uniform(0.3, 1.5))
        if rng.random() < 0.25:  # a retake of the same scene a minute later (mildly shaken: not sharpest)
            retake_at = clock + float(rng.uniform(40, 90))
            image, _ = camera.shoot(_variant(source, rng), rng, "mild")
            rec = score(image)
            rec.path = f"synthetic/{number:03d}_{Path(name).stem}_retake_mild.jpg"
            rec.captured_at = _iso(retake_at)
            records.append(rec)
            truth.append(f"synthetic:{number}")
            sharp.append(False)
            clock = retake_at + 1.0
        else:
            clock += 1.0  # the next, different scene one second later
    return records, truth, sharp, clock
