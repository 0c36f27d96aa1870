"""The image sets of ``bench/accuracy.py`` (see its docstring): the real sets from the shared manifest, and the
synthetic, night and small-subject sets it writes once under its output folder and reuses."""
from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import cv2
import numpy as np

from blurscan import datasets
from blurscan.evaluate import ManifestRow

SYNTH_SEED = 20240  # the test images' own draws (the split itself uses the training split seed, 0)
SPLIT_SEED = 0
SYNTH_KINDS = ("defocus", "shake", "gaussian", "linear_motion", "box", "minfilter")
SYNTH_VERSION = 1
#: The first folder of the shipped model's source keys: ``make model`` trains on ``../shared/data``, so its keys,
#: and the splits drawn from them (:func:`blurscan.synth.sources.split_of`), start ``data/``. The test sources are
#: chosen with this name whatever folder ``$BLURSCAN_SHARED_DATA`` names: until 2026-12-05 that folder's own name
#: was taken, and a copy of the data under another name (``/mnt/blurdata``) drew other splits, most of whose
#: "test" photos the shipped model had trained on.
SHIPPED_DATA_NAME = "data"

# ------------------------------------------------------------------------------------------------- sets

def real_rows(entries) -> list[ManifestRow]:
    rows = []
    for e in datasets.real_evaluation(entries) + datasets.multifocus(entries):
        partial = e.blur_type.startswith("partial")
        rows.append(ManifestRow(file=e.file, path=str(e.path), label=e.label, partial=partial, set=e.set))
    return rows


def other_rows(entries) -> list[ManifestRow]:
    """Blur made by other people's code (:func:`blurscan.datasets.other_generators`), with the sharp frames
    counted once each: several blurred copies share one sharp frame, stored as byte-identical files."""
    rows, seen = [], set()
    for e in datasets.other_generators(entries):
        if e.label == "sharp":
            digest = hashlib.sha256(Path(e.path).read_bytes()).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
        rows.append(ManifestRow(file=e.file, path=str(e.path), label=e.label, partial=False, set=e.set))
    return rows


def _synth_sources(entries):
    """Test-split sharp sources, keyed as the shipped model's training keyed them (``data/<file>``:
    :data:`SHIPPED_DATA_NAME`)."""
    from blurscan.synth.recipes import Source, split_of

    out = []
    for e in datasets.synth_sources(entries):
        src = Source(e.path, f"{SHIPPED_DATA_NAME}/{e.file}")
        if split_of(src.key, SPLIT_SEED) == "test":
            out.append(src)
    return out


def _written_once(folder: Path, config: dict, sources, variants, log, what: str) -> list[dict]:
    """Write (once per ``config``) every source's variants as JPEGs with a ``manifest.csv``; return its rows.

    ``variants(image, key)`` yields ``(name, kind, level, params, jpeg_bytes)`` per variant of one source
    (``key``: a stable integer from the source's key, for seeding).
    """
    from blurscan.synth.recipes import load_source

    if not sources:  # (a subset of the shared data without test-split sources: main says what it lacks)
        return []
    manifest = folder / "manifest.csv"
    stamp = folder / "config.sha256"
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()
    if not (manifest.is_file() and stamp.is_file() and stamp.read_text().strip() == digest):
        log(f"writing the {what} ({len(sources)} sources x 3) to {folder} ...")
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        for src in sources:
            image = load_source(src.path, 1024)
            stem = hashlib.sha256(src.key.encode()).hexdigest()[:10]
            key = int.from_bytes(hashlib.sha256(src.key.encode()).digest()[:8], "big")
            for i, (name, kind, level, params, data) in enumerate(variants(image, key)):
                file = f"{stem}-{i}-{name}.jpg"
                (folder / file).write_bytes(data)
                rows.append({"file": file, "source": src.key, "label": params["label"], "blur": kind,
                             "severity": level or "", "severity_px": f"{params['severity_px']:.2f}"})
        with open(manifest, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        stamp.write_text(digest + "\n")
    with open(manifest, newline="") as fh:
        return list(csv.DictReader(fh))


def _code_digest(files) -> str:
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


def synthetic_rows(entries, out_dir: Path, log) -> list[ManifestRow]:
    """Write (once) and list the synthetic test set: per source, sharp + moderate + strong uniform blur."""
    from blurscan import synth

    sources = _synth_sources(entries)
    config = {"v": SYNTH_VERSION, "seed": SYNTH_SEED, "kinds": SYNTH_KINDS,
              "synth": _code_digest(sorted(Path(synth.__file__).parent.glob("*.py"))),
              "sources": [s.key for s in sources]}

    def variants(image, key):
        for i, level in enumerate((None, "moderate", "strong")):
            rng = np.random.default_rng([SYNTH_SEED, key, i])
            kind = "none" if level is None else SYNTH_KINDS[int(rng.integers(len(SYNTH_KINDS)))]
            _, params, data = synth.synthesize_encoded(image, rng, kind, level or "moderate")
            yield kind, kind, level, params, data

    folder = out_dir / "synth-test"
    rows = _written_once(folder, config, sources, variants, log, "synthetic test set")
    return [ManifestRow(file=r["file"], path=str(folder / r["file"]), label=r["label"], partial=False,
                        set=f"synthetic-{r['severity'] or 'sharp'}") for r in rows]


NIGHT_VERSION = 1
NIGHT_LEVELS = ((None, "none"), ("moderate", "shake"), ("strong", "shake|linear_motion"))


def night_rows(entries, out_dir: Path, log) -> list[ManifestRow]:
    """Write (once) and list the night set: per test-split source, a night scene held still, shaken
    moderately and strongly (see the module docstring)."""
    from blurscan import synth
    from blurscan.model import data as model_data

    sources = _synth_sources(entries)
    files = sorted(Path(synth.__file__).parent.glob("*.py")) + [Path(model_data.__file__)]
    config = {"v": NIGHT_VERSION, "seed": SYNTH_SEED, "levels": NIGHT_LEVELS, "code": _code_digest(files),
              "sources": [s.key for s in sources]}

    def variants(image, key):
        for i, (level, kinds) in enumerate(NIGHT_LEVELS):
            rng = np.random.default_rng([SYNTH_SEED, key, 100 + i])
            options = kinds.split("|")
            kind = options[int(rng.integers(len(options)))]
            scene, _ = model_data.night_scene(image, rng)
            _, params, data = synth.synthesize_encoded(scene, rng, kind, level or "moderate")
            yield f"night-{kind}", kind, level, params, data

    folder = out_dir / "night-test"
    rows = _written_once(folder, config, sources, variants, log, "night set")
    return [ManifestRow(file=r["file"], path=str(folder / r["file"]), label=r["label"], partial=False,
                        set=f"night-{r['severity'] or 'sharp'}") for r in rows]


SUBJECT_VERSION = 1
SUBJECT_SHARES = (0.05, 0.10)  # share of the frame the sharp subject covers; None below: defocused all over
SUBJECT_DISK_PX = 24.0  # diameter of the defocus disk at the 1024-px analysis scale (strong blur)


def small_subject(image: np.ndarray, share: float | None, rng: np.random.Generator) -> np.ndarray:
    """``image`` (RGB uint8) defocused except for an elliptic subject covering ``share`` of the frame, centred
    near the most detailed place (jittered by 5 % of the frame); ``share=None``: defocused all over."""
    from blurscan.synth import camera as cam
    from blurscan.synth import kernels as K

    lin = cam.srgb_to_linear(image)
    h, w = lin.shape[:2]
    radius = SUBJECT_DISK_PX / 2 * max(h, w) / 1024
    soft = cam.apply_kernel(lin, K.disk_kernel(radius)[0])
    if share is None:
        return cam.linear_to_srgb(soft)
    ax = np.sqrt(share * h * w) * rng.uniform(0.7, 1.3) / 2
    ay = min(share * h * w / (np.pi * ax), h / 2 - 1)
    ax = min(share * h * w / (np.pi * ay), w / 2 - 1)
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    detail = cv2.boxFilter(np.abs(cv2.Laplacian(gray, cv2.CV_32F)), -1, (int(2 * ax) | 1, int(2 * ay) | 1))
    inner = np.zeros_like(detail, bool)
    inner[int(ay):h - int(ay), int(ax):w - int(ax)] = True
    cy, cx = np.unravel_index(np.argmax(np.where(inner, detail, -1.0)), detail.shape)
    cx = float(np.clip(cx + rng.normal(0, 0.05 * w), ax, w - ax))
    cy = float(np.clip(cy + rng.normal(0, 0.05 * h), ay, h - ay))
    mask = np.zeros((h, w), np.float32)
    cv2.ellipse(mask, (int(cx), int(cy)), (int(ax), int(ay)), 0, 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), 2)[..., None]
    return cam.linear_to_srgb(lin * mask + soft * (1 - mask))


def subject_rows(entries, out_dir: Path, log) -> list[ManifestRow]:
    """Write (once) and list the small-subject set (see the module docstring)."""
    sources = _synth_sources(entries)
    config = {"v": SUBJECT_VERSION, "seed": SYNTH_SEED, "shares": SUBJECT_SHARES, "disk": SUBJECT_DISK_PX,
              "code": _code_digest([Path(__file__)]), "sources": [s.key for s in sources]}

    def variants(image, key):
        for i, share in enumerate(SUBJECT_SHARES + (None,)):
            rng = np.random.default_rng([SYNTH_SEED, key, 200 + i])
            out = small_subject(image, share, rng)
            ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(out[:, :, ::-1]), [cv2.IMWRITE_JPEG_QUALITY, 92])
            name = "defocused" if share is None else f"subject{round(100 * share)}"
            params = {"label": "blurry" if share is None else "sharp", "severity_px": SUBJECT_DISK_PX}
            yield name, name, "" if share is None else f"{round(100 * share)}", params, buf.tobytes()

    folder = out_dir / "subject-test"
    rows = _written_once(folder, config, sources, variants, log, "small-subject set")
    return [ManifestRow(file=r["file"], path=str(folder / r["file"]), label=r["label"], partial=False,
                        set=f"subject-{r['severity'] or 'none'}") for r in rows]


RECOMPRESSED_VERSION = 1
#: (name, scale, JPEG quality): the sharp source re-saved as a web or messenger copy is; "q90" is the reference.
RECOMPRESSED = (("q90", 1.0, 90), ("q30", 1.0, 30), ("half-q40", 0.5, 40))


def recompressed_rows(entries, out_dir: Path, log) -> list[ManifestRow]:
    """Write (once) and list the recompressed set: per test-split source, the sharp photo re-saved at JPEG
    quality 90, at quality 30, and halved at quality 40.  All sharp: blocking and the softness of a
    resize are not the blur a photo's owner wants flagged."""
    sources = _synth_sources(entries)
    config = {"v": RECOMPRESSED_VERSION, "variants": RECOMPRESSED, "sources": [s.key for s in sources]}

    def variants(image, key):
        for name, scale, quality in RECOMPRESSED:
            out = image
            if scale != 1.0:
                h, w = image.shape[:2]
                out = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
            ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(out[:, :, ::-1]), [cv2.IMWRITE_JPEG_QUALITY, quality])
            yield name, "none", name, {"label": "sharp", "severity_px": 0.0}, buf.tobytes()

    folder = out_dir / "recompressed-test"
    rows = _written_once(folder, config, sources, variants, log, "recompressed set")
    return [ManifestRow(file=r["file"], path=str(folder / r["file"]), label=r["label"], partial=False,
                        set=f"recompressed-{r['severity']}") for r in rows]


BORDERED_VERSION = 1
#: Borders a picture gets after it was taken: bars of a wide video frame shown in a taller picture (letterbox),
#: of a tall one in a wider picture (pillarbox), a white print-style frame. Sizes are shares of the picture.
BORDERS = ("letterbox", "pillarbox", "frame")
BORDERED_KINDS = ("defocus", "shake", "gaussian", "linear_motion")


def add_border(rgb: np.ndarray, kind: str, rng: np.random.Generator) -> np.ndarray:
    """``rgb`` with flat borders of ``kind`` (:data:`BORDERS`), sized at random."""
    h, w = rgb.shape[:2]
    if kind == "letterbox":
        t = round(h * rng.uniform(0.08, 0.2))
        return cv2.copyMakeBorder(rgb, t, t, 0, 0, cv2.BORDER_CONSTANT, value=(0, 0, 0))
    if kind == "pillarbox":
        s = round(w * rng.uniform(0.08, 0.2))
        return cv2.copyMakeBorder(rgb, 0, 0, s, s, cv2.BORDER_CONSTANT, value=(0, 0, 0))
    m = round(max(h, w) * rng.uniform(0.02, 0.06))
    return cv2.copyMakeBorder(rgb, m, m, m, m, cv2.BORDER_CONSTANT, value=(255, 255, 255))


def bordered_rows(entries, out_dir: Path, log) -> list[ManifestRow]:
    """Write (once) and list the bordered set: per test-split source, the photo sharp and strongly blurred
    (through the camera pipeline, kind drawn from :data:`BORDERED_KINDS`), each then given flat borders
    (:func:`add_border`, one kind of :data:`BORDERS` per source) and saved at JPEG quality 92."""
    from blurscan import synth

    sources = _synth_sources(entries)
    config = {"v": BORDERED_VERSION, "seed": SYNTH_SEED, "borders": BORDERS, "kinds": BORDERED_KINDS,
              "code": _code_digest(sorted(Path(synth.__file__).parent.glob("*.py")) + [Path(__file__)]),
              "sources": [s.key for s in sources]}

    def variants(image, key):
        rng = np.random.default_rng([SYNTH_SEED, key, 300])
        border = BORDERS[int(rng.integers(len(BORDERS)))]
        for level in (None, "strong"):
            kind = "none" if level is None else BORDERED_KINDS[int(rng.integers(len(BORDERED_KINDS)))]
            out, params, _ = synth.synthesize_encoded(image, rng, kind, level or "moderate")
            framed = add_border(out, border, rng)
            ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(framed[:, :, ::-1]), [cv2.IMWRITE_JPEG_QUALITY, 92])
            yield f"{border}-{kind}", kind, level or "", params, buf.tobytes()

    folder = out_dir / "bordered-test"
    rows = _written_once(folder, config, sources, variants, log, "bordered set")
    return [ManifestRow(file=r["file"], path=str(folder / r["file"]), label=r["label"], partial=False,
                        set=f"bordered-{r['severity'] or 'sharp'}") for r in rows]


def sets_short(sets) -> str:
    """What the sets lack for a benchmark ("" when nothing): each judged set needs sharp and blurred photos, the
    multi-focus set a photo."""
    short = []
    for name, rows in sets.items():
        if name == "real":
            rows = [r for r in rows if r.set != "multifocus"]
            if not any(r.set == "multifocus" for r in sets["real"]):
                short.append("no multi-focus photo")
        labels = {r.label for r in rows if not r.partial}
        if name in ("recompressed", "bordered"):
            continue  # (made from the others)
        for label in ("sharp", "blurry"):
            if label not in labels:
                short.append(f"no {label} photo in its {name} set")
    return "; ".join(short)
