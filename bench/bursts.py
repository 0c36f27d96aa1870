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
import dataclasses
import datetime as dt
import itertools
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from blurscan import bursts
from blurscan.config import shared_data_dir
from blurscan.records import ScanRecord

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from burst_sets import build_gopro, build_multifocus, build_synthetic, scorer  # noqa: E402  (the photos)


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


def with_far_copies(lib: list[ScanRecord], rng: np.random.Generator, share: float = 0.01) -> list[ScanRecord]:
    """``lib`` with file sizes of 1-8 MB, and copies of ``share`` of its photos (same hash and size) written after
    all of them, a second apart: a data set's split copied in bulk, each copy far past its original's window."""
    lib = [dataclasses.replace(r, size=int(size)) for r, size in zip(lib, rng.integers(1_000_000, 8_000_000, len(lib)))]
    end = max(r.mtime_ns for r in lib)
    picked = rng.choice(len(lib), size=int(len(lib) * share), replace=False)
    return lib + [ScanRecord(path=f"/copies/{k:06d}.jpg", phash=lib[i].phash, size=lib[i].size,
                             mtime_ns=end + (k + 1) * 10**9) for k, i in enumerate(picked.tolist())]


def _as_copies(shots):
    """The bench's ``same_bytes``: every candidate a copy of the first (the files are not there to read; reading
    them is the cost of :func:`blurscan.bursts.identical_copies`, a sample and a SHA-256 of each candidate)."""
    return {r.path: shots[0].path for r in shots[1:]}


def copies_cost(seed: int, repeats: int = 3) -> tuple[float, float, int, int]:
    """On 100,000 photos with 1 % copies far apart: seconds of :func:`blurscan.bursts.find_groups` with the pass that
    joins copies anywhere in time (``same_bytes``) and of that pass alone, in the same calls (the best of
    ``repeats``; a machine's load moves a whole call's time more than the pass takes); the groups found without
    and with it."""
    from blurscan.bursts import grouping
    rng = np.random.default_rng(seed)
    lib = with_far_copies(synthetic_library(99_010, rng), rng)
    join, spent = grouping._join_copies, []

    def timed(*args):
        t0 = time.perf_counter()
        try:
            return join(*args)
        finally:
            spent.append(time.perf_counter() - t0)

    whole = float("inf")
    grouping._join_copies = timed
    try:
        for _ in range(repeats):
            t0 = time.perf_counter()
            n_with = len(bursts.find_groups(lib, same_bytes=_as_copies))
            whole = min(whole, time.perf_counter() - t0)
    finally:
        grouping._join_copies = join
    return whole, min(spent), len(bursts.find_groups(lib)), n_with


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


def _copies_line(seed: int) -> str:
    whole, join, n_without, n_with = copies_cost(seed)
    return (f"Byte-identical copies anywhere in time (100,000 photos, 1 % of them copies written after all the "
            f"others): find_groups {whole:.2f} s, of which {join * 1000:.0f} ms ({join / whole:.1%}) the pass that "
            f"finds and joins them (groups {n_without:,} without it, {n_with:,} with it; reading the candidates' "
            f"bytes not counted).")


# -- main -------------------------------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=60, help="distinct source photos for synthetic bursts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-write", action="store_true", help="do not write docs/benchmarks-bursts.md")
    parser.add_argument("--copies-only", action="store_true",
                        help="only measure the pass that joins byte-identical copies far apart (no photos needed)")
    args = parser.parse_args(argv)
    if args.copies_only:
        print(_copies_line(args.seed))
        return 0
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
    lines += ["", _copies_line(args.seed)]
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
