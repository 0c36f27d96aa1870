"""Burst grouping and keeper choice on real photos, and grouping speed on 100k stored hashes.

Test set (built in memory from ``$BLURSCAN_SHARED_DATA``, nothing written next to the photos):

* **GoPro sequences** (real): the sharp frames of ``gopro/videos/GOPR0477_11_00`` (a 240-fps clip, every 10th
  frame) and the ``gopro/saved_images`` pairs (a real motion-blurred frame, made by averaging 8-10 frames,
  and its sharp centre frame ``_gt``). Capture time = frame number / 240 s, clips placed one second apart.
  Truth: frames of one clip whose frame numbers chain with gaps of at most 24 frames (0.1 s, the spacing of
  a 10-fps burst) are one burst; a blurred frame belongs with its ``_gt``. Frames further apart show a
  walking camera's changed view (a street 0.7 s later is another picture, not a re-shot of the same one).
* **Synthetic bursts** from distinct sharp photos at least 1000 px on the long side (div2k, sunhays80: a
  camera frame is analysed at 1024 px, where sensor noise and a pixel of shake are averaged away; the
  300-500 px test images of the other sets would be judged at their own, noisier, scale):
  one sharp shot and 2-4 shaken copies (``blurscan.synth`` shake kernels at the "mild" or "moderate"
  severity, through ``blurscan.synth``'s camera steps with one noise level, sharpening and JPEG quality per
  burst: :class:`BurstCamera`), each shot with a small random shift (up to 4 % of the frame), crop (up to
  8 %) and exposure change (x0.7 to x1.4), 0.3-1.5 s apart; the next scene starts one second after the
  last shot of a burst; one burst in four gets one more, mildly shaken, re-take 40-90 s later (the same
  scene "a minute apart").
* **Multi-focus pairs** (real): the 44 ``multifocus`` scenes, each photographed twice, focused near and
  focused far, as two-shot bursts 0.5 s apart, scenes 1 s apart (grouping only: both shots are partly sharp).

Figures: pairwise precision / recall of grouping (a pair of shots is positive when both are in one truth
burst), and keeper accuracy: in every truth burst with a known sharpest shot (the synthetic sharp shot;
a GoPro ``_gt`` against its blurred frame), how often rank 1 of :func:`blurscan.bursts.rank_group` is
that shot, and end to end (the keeper of the found group holding it).

Speed: :func:`blurscan.bursts.find_groups` on 100 000 records with random 64-bit hashes and a realistic
time line, against the all-pairs Hamming distance matrix (measured on 10 000 and extrapolated).

Usage: ``python bench/bursts.py [--sources 60] [--seed 0] [--no-write]``; prints a markdown table and writes
``docs/benchmarks-bursts.md``.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import platform
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

from blurscan import bursts
from blurscan.config import ScanSettings, shared_data_dir
from blurscan.records import ScanRecord

REPO = Path(__file__).resolve().parents[1]
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


def build_synthetic(data: Path, score, n_sources: int, seed: int, start: float):
    rng = np.random.default_rng(seed)
    rows = list(csv.DictReader(open(data / "manifest.csv", newline="")))
    pool = [r["file"] for r in rows if r["set"] in SOURCE_SETS and r["label"] == "sharp"
            and max(int(r["width"]), int(r["height"])) >= MIN_SOURCE_SIDE]
    # one file per photo: div2k holds some photos twice (``0853.jpg`` and ``0853_..._gt.jpg``)
    unique = {}
    for name in pool:
        unique.setdefault(re.sub(r"_.*$", "", Path(name).stem) if "/div2k/" in f"/{name}" else name, name)
    pool = sorted(unique.values())
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


# -- metrics ------------------------------------------------------------------------------------------
def pairwise(truth: list[str], found: dict[str, int]) -> tuple[float, float, int, int, int]:
    """Pairwise precision, recall and the counts (true positives, found pairs, truth pairs)."""
    paths = list(range(len(truth)))
    tp = fp = fn = 0
    for i, j in itertools.combinations(paths, 2):
        same_truth = truth[i] == truth[j]
        same_found = found.get(i) is not None and found.get(i) == found.get(j)
        tp += same_truth and same_found
        fp += same_found and not same_truth
        fn += same_truth and not same_found
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, tp + fp, tp + fn


def evaluate(records, truth, sharp, settings: bursts.BurstSettings):
    index = {id(r): i for i, r in enumerate(records)}
    groups = bursts.find_groups(records, window=settings.window, max_distance=settings.max_distance)
    found = {index[id(r)]: g for g, group in enumerate(groups) for r in group}
    precision, recall, tp, n_found, n_truth = pairwise(truth, found)

    # keeper: truth bursts holding sharp and blurred shots
    members = defaultdict(list)
    for i, t in enumerate(truth):
        members[t].append(i)
    ranked = ranked_ok = e2e_ok = 0
    misses = []
    for t, idx in members.items():
        labels = [sharp[i] for i in idx]
        if not any(labels) or all(labels):
            continue
        ranked += 1
        order = bursts.rank_group([records[i] for i in idx])
        keeper = next(i for i in idx if records[i].path == order[0].path)
        if sharp[keeper]:
            ranked_ok += 1
        else:
            misses.append(order[0].reason)
        # end to end: the found group holding the truth burst's first sharp shot
        anchor = next(i for i in idx if sharp[i])
        g = found.get(anchor)
        if g is not None:
            found_order = bursts.rank_group(groups[g])
            k = index[id(next(r for r in groups[g] if r.path == found_order[0].path))]
            e2e_ok += sharp[k]
    return {
        "precision": precision, "recall": recall, "tp": tp, "found_pairs": n_found, "truth_pairs": n_truth,
        "groups": len(groups), "truth_bursts": sum(len(v) > 1 for v in members.values()),
        "ranked": ranked, "ranked_ok": ranked_ok, "e2e_ok": e2e_ok, "misses": misses,
    }


FIGURES = {
    "subject p_blurry (region map)": lambda r: -bursts.subject_p_blurry(r.grid) if r.grid else None,
    "p_blurry (whole photo)": lambda r: -r.p_blurry if r.p_blurry is not None else None,
    "laplacian_var_norm (1024 px)": lambda r: r.scores.get("laplacian_var_norm"),
    "sharp_tile_ratio (1024 px)": lambda r: r.scores.get("sharp_tile_ratio"),
    "laplacian_var (full resolution)": lambda r: r.laplacian_var,
}


def single_figure_accuracy(records, truth, sharp) -> dict[str, tuple[int, int, int, int]]:
    """Per figure (higher = sharper): bursts whose sharpest shot it ranks first, and pairs (the sharp shot,
    one blurred shot of the same burst) it orders right: (bursts ok, bursts, pairs ok, pairs)."""
    members = defaultdict(list)
    for i, t in enumerate(truth):
        members[t].append(i)
    out = {}
    for name, figure in FIGURES.items():
        ok = n = pairs_ok = pairs = 0
        for idx in members.values():
            labels = [sharp[i] for i in idx]
            values = [figure(records[i]) for i in idx]
            if not any(labels) or all(labels) or any(v is None for v in values):
                continue
            n += 1
            ok += sharp[idx[int(np.argmax(values))]]
            best_sharp = max(v for v, s in zip(values, labels) if s)
            for v, s in zip(values, labels):
                if not s:
                    pairs += 1
                    pairs_ok += best_sharp > v
        out[name] = (ok, n, pairs_ok, pairs)
    return out


def rule_accuracy(records, truth, sharp, order) -> tuple[int, int]:
    """Keeper accuracy of :func:`blurscan.bursts.rank_group` with another figure order."""
    members = defaultdict(list)
    for i, t in enumerate(truth):
        members[t].append(i)
    ok = n = 0
    for idx in members.values():
        labels = [sharp[i] for i in idx]
        if not any(labels) or all(labels):
            continue
        n += 1
        first = bursts.rank_group([records[i] for i in idx], order=order)[0].path
        ok += sharp[next(i for i in idx if records[i].path == first)]
    return ok, n


def distance_spread(records, truth):
    """Hamming distances within truth bursts and between neighbouring bursts (percentiles)."""
    within, between = [], []
    for i in range(len(records)):
        for j in range(i + 1, min(len(records), i + 12)):
            d = bursts.hamming(records[i].phash, records[j].phash)
            (within if truth[i] == truth[j] else between).append(d)
    return np.array(within), np.array(between)


# -- speed ----------------------------------------------------------------------------------------------
def synthetic_library(n: int, rng: np.random.Generator) -> list[ScanRecord]:
    """``n`` records: bursts of 1-6 shots 0.2-2 s apart, scenes minutes apart, random 64-bit hashes."""
    records, clock = [], 0.0
    while len(records) < n:
        base = int(rng.integers(0, 2**63))
        for _ in range(int(rng.integers(1, 7))):
            flips = sum(1 << int(b) for b in rng.choice(64, size=int(rng.integers(0, 6)), replace=False))
            records.append(ScanRecord(path=f"/lib/{len(records):06d}.jpg", phash=f"{base ^ flips:016x}",
                                      mtime_ns=int(clock * 1e9)))
            clock += float(rng.uniform(0.2, 2.0))
        clock += float(rng.exponential(300.0))
    return records[:n]


def all_pairs_seconds(records: list[ScanRecord]) -> float:
    """Time of the naive alternative: the full Hamming distance matrix (no time window)."""
    h = np.array([int(r.phash, 16) for r in records], dtype=np.uint64)
    t0 = time.perf_counter()
    for i in range(len(h)):
        np.bitwise_count(h[i + 1:] ^ h[i]) <= 10
    return time.perf_counter() - t0


def speed(seed: int):
    rng = np.random.default_rng(seed)
    lib = synthetic_library(100_000, rng)
    rows = []
    for n in (10_000, 100_000):
        stats = bursts.GroupingStats()
        t0 = time.perf_counter()
        groups = bursts.find_groups(lib[:n], stats=stats)
        rows.append((n, time.perf_counter() - t0, stats.comparisons, len(groups)))
    naive_10k = all_pairs_seconds(lib[:10_000])
    return rows, naive_10k


# -- main -------------------------------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=60, help="distinct source photos for synthetic bursts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-write", action="store_true", help="do not write docs/benchmarks-bursts.md")
    args = parser.parse_args(argv)
    data = shared_data_dir()
    if not (data / "manifest.csv").exists():
        print(f"shared data not found at {data} (set BLURSCAN_SHARED_DATA)", file=sys.stderr)
        return 1

    score, scorer_name = scorer()
    t0 = time.perf_counter()
    g_records, g_truth, g_sharp, clock = build_gopro(data, score, 0.0)
    s_records, s_truth, s_sharp, clock = build_synthetic(data, score, args.sources, args.seed, clock + 1.0)
    m_records, m_truth, m_sharp, _ = build_multifocus(data, score, clock + 1.0)
    build_s = time.perf_counter() - t0
    settings = bursts.BurstSettings()

    parts = {
        "GoPro (real frames, real motion blur)": (g_records, g_truth, g_sharp),
        "synthetic bursts (shift, crop, exposure, shake)": (s_records, s_truth, s_sharp),
        "multi-focus pairs (real, focus near / far)": (m_records, m_truth, m_sharp),
        "all (one time line)": (g_records + s_records + m_records, g_truth + s_truth + m_truth,
                                g_sharp + s_sharp + m_sharp),
    }
    lines = [
        "# Burst grouping and keeper choice",
        "",
        f"`python bench/bursts.py --sources {args.sources} --seed {args.seed}` on {platform.machine()} "
        f"({platform.python_version()}), {dt.date.today().isoformat()}. Figures from: {scorer_name}. "
        f"Defaults: window {settings.window:g} s, max distance {settings.max_distance} bits. "
        f"Building the set took {build_s:.0f} s.",
        "",
        "How the set is built (see bench/bursts.py):",
        "",
        *[line[2:] if line.startswith("  ") else line for line in __doc__.split("Test set")[1].split("Figures:")[0]
          .split("\n", 2)[2].rstrip().splitlines()],
        "",
        "Targets: grouping precision >= 95 %, recall >= 90 %, the sharpest shot kept >= 95 %, 100k photos "
        "grouped in seconds.",
        "",
        "| set | photos | truth bursts | found groups | pairwise precision | pairwise recall "
        "| sharpest kept (rank_group) | sharpest kept (end to end) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    results = {}
    for name, (recs, truth, sharp) in parts.items():
        r = evaluate(recs, truth, sharp, settings)
        results[name] = r
        keep = (f"{r['ranked_ok'] / r['ranked']:.1%} ({r['ranked_ok']}/{r['ranked']}) | "
                f"{r['e2e_ok'] / r['ranked']:.1%} ({r['e2e_ok']}/{r['ranked']})" if r["ranked"] else "- | -")
        lines.append(
            f"| {name} | {len(recs)} | {r['truth_bursts']} | {r['groups']} | {r['precision']:.1%} "
            f"({r['tp']}/{r['found_pairs']}) | {r['recall']:.1%} ({r['tp']}/{r['truth_pairs']}) | {keep} |")

    all_recs, all_truth = parts["all (one time line)"][0], parts["all (one time line)"][1]
    lines += ["", "Keeper choice by one figure alone (truth bursts with a known sharpest shot, all sets):", "",
              "| figure | sharpest kept | pairs (sharp, blurred shot) ordered right |", "|---|---:|---:|"]
    for name, (ok, n, pok, pn) in single_figure_accuracy(*parts["all (one time line)"]).items():
        lines.append(f"| {name} | {ok / n:.1%} ({ok}/{n}) | {pok / pn:.1%} ({pok}/{pn}) |" if n
                     else f"| {name} | not available | |")
    subjects = [bursts.subject_p_blurry(rec.grid) for rec in all_recs if rec.grid]
    r = results["all (one time line)"]
    lines.append(f"| the ranking rule (`rank_group`: model, then classical, then pixels) | "
                 f"{r['ranked_ok'] / max(r['ranked'], 1):.1%} ({r['ranked_ok']}/{r['ranked']}) | |")
    ok, n = rule_accuracy(*parts["all (one time line)"], order=("classical", "model", "pixels"))
    lines.append(f"| the rule with the classical figure first (`order=(\"classical\", \"model\", \"pixels\")`) | "
                 f"{ok / max(n, 1):.1%} ({ok}/{n}) | |")
    if subjects:
        q = np.percentile(subjects, [5, 95])
        lines += ["", f"The model's subject p_blurry over all shots: 5 % {q[0]:.2f}, 95 % {q[1]:.2f}"
                  + (" (nearly constant: this model's region map does not separate the shots, so the "
                     "classical figure decides)." if q[1] - q[0] < 0.05 else ".")]
    within, between = distance_spread(all_recs, all_truth)
    lines += [
        "",
        "pHash Hamming distance (bits of 64) between shots at most 11 apart in time order:",
        "",
        "| pairs | n | min | 5 % | median | 95 % | max |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, arr in (("same burst", within), ("different bursts", between)):
        if len(arr):
            q = np.percentile(arr, [5, 50, 95])
            lines.append(f"| {label} | {len(arr)} | {arr.min()} | {q[0]:.0f} | {q[1]:.0f} | {q[2]:.0f} | {arr.max()} |")

    sweep = ["", "Sensitivity to `--max-distance` (precision / recall):", "",
             "| max distance | " + " | ".join(parts) + " |", "|---:|" + "---:|" * len(parts)]
    for d in (6, 8, 10, 12, 14, 16, 18, 20):
        cells = []
        for recs, truth, sharp in parts.values():
            r = evaluate(recs, truth, sharp, bursts.BurstSettings(max_distance=d))
            cells.append(f"{r['precision']:.1%} / {r['recall']:.1%}")
        sweep.append(f"| {d}{' (default)' if d == settings.max_distance else ''} | " + " | ".join(cells) + " |")
    lines += sweep

    rows, naive_10k = speed(args.seed)
    lines += [
        "",
        "Grouping speed on stored hashes (random 64-bit hashes, bursts of 1-6 shots, scenes minutes apart), one core:",
        "",
        "| photos | find_groups | comparisons | groups | all-pairs distance matrix (time, ratio to find_groups) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for n, seconds, comparisons, n_groups in rows:
        naive = naive_10k * (n / 10_000) ** 2
        lines.append(f"| {n:,} | {seconds:.2f} s | {comparisons:,} | {n_groups:,} | "
                     f"{naive:.1f} s{'' if n == 10_000 else ' (extrapolated)'}, {naive / seconds:.1f} x |")
    misses = [m for r in results.values() for m in r["misses"]]
    if misses:
        lines += ["", "Keeper misses (reasons given):", ""] + [f"- {m}" for m in sorted(set(misses))]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        (REPO / "docs" / "benchmarks-bursts.md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
