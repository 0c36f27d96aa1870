"""How blurred the photos of the accuracy targets' two sets are, by the classic measure and by blurscan.

Usage::

    python bench/softness.py [--model default|PATH] [--out bench/out]

The issue's two accuracy targets ask one operating point to flag the *moderate* blur of the synthetic test
(crisp photos blurred through the camera pipeline: ``bench/accuracy.py``'s synthetic set) and to keep the
*sharp* frames of the real GoPro recordings (240-fps video frames: soft photos).  This prints, for each set, each
label and each size class of the analysis image (full size: a long side of 1024 px, as the GoPro frames; smaller:
most synthetic test photos), the variance of the Laplacian at the analysis scale (``laplacian_var_norm`` of the
JSONL, the seed baseline's operator on the image the model sees: lower is blurrier), blurscan's ``p_blurry`` and
the share called ``blurry``.  Where the real "sharp" frames measure as blurred as the synthetic blur, no cut-off of
any score that follows blur can meet both targets; what is left to a model is whatever else tells them apart.

The synthetic images are ``bench/accuracy.py``'s (written once under ``--out``, reused); the min-filter images
(an erosion: edges stay hard, the Laplacian stays high) are listed on their own.  Nothing is written elsewhere.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accuracy_sets import real_rows, synthetic_rows  # noqa: E402  (bench/accuracy.py's images)

from blurscan import datasets  # noqa: E402
from blurscan.config import ScanSettings, shared_data_dir  # noqa: E402
from blurscan.evaluate import score_paths  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: An analysis image this long (px) or longer counts as full size (the decoder's block scaling leaves a 12-MP
#: photo at 1008 px: :data:`blurscan.model.aggregate.FULL_SIZE_TOLERANCE`).
FULL_SIZE = 1000


def group_of(row) -> str | None:
    """The table row a labelled image belongs to: ``synthetic moderate``, ``gopro sharp``, ... (None: left out)."""
    if row.set.startswith("synthetic-"):
        level = row.set.split("-", 1)[1]  # sharp | moderate | strong
        kind = "min-filter " if "minfilter" in Path(row.file).stem else ""
        return f"synthetic {kind}{level}"
    if row.set in ("gopro", "levin2009") and not row.partial:
        return f"{row.set} {row.label}"
    return None


def analysis_side(rec) -> int:
    """The long side of the image the model saw (never enlarged; at most 1024 px)."""
    return min(max(rec.width or 0, rec.height or 0), 1024)


def table(rows, records) -> list[str]:
    groups: dict[tuple[str, str], list] = {}
    for row, rec in zip(rows, records):
        name = group_of(row)
        if name is None or rec.status != "ok":
            continue
        size = "1024 px" if analysis_side(rec) >= FULL_SIZE else "< 1024 px"
        groups.setdefault((name, size), []).append(rec)
    out = ["| set | analysis size | photos | Laplacian variance at analysis scale, median (10-90 %) "
           "| p_blurry, median (10-90 %) | called blurry |",
           "|---|---|---:|---:|---:|---:|"]
    for (name, size), recs in sorted(groups.items()):
        lap = np.array([r.scores.get("laplacian_var_norm") for r in recs], float)
        p = np.array([r.p_blurry for r in recs], float)
        lo, hi = np.quantile(lap, [0.1, 0.9])
        plo, phi = np.quantile(p, [0.1, 0.9])
        blurry = np.mean([r.verdict == "blurry" for r in recs])
        out.append(f"| {name} | {size} | {len(recs)} | {np.median(lap):.1f} ({lo:.1f}-{hi:.1f}) "
                   f"| {np.median(p):.2f} ({plo:.2f}-{phi:.2f}) | {100 * blurry:.0f} % |")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="default", help="default | PATH to an .onnx file")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"), help="folder of the synthetic test images")
    args = ap.parse_args(argv)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    data = shared_data_dir()
    if not (data / "manifest.csv").is_file():
        log(f"shared data not found at {data} (set BLURSCAN_SHARED_DATA)")
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cv2.setNumThreads(1)
    entries = datasets.read_manifest(data)
    rows = [r for r in synthetic_rows(entries, out, log) + real_rows(entries) if group_of(r)]
    if not rows:
        log(f"{data}: no synthetic test source and no GoPro or Levin photo: nothing to measure")
        return 2
    records = score_paths([r.path for r in rows], ScanSettings(model=args.model, workers=1, model_threads=1))
    print("\n".join(table(rows, records)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
