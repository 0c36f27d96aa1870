"""How uncertain the model's full-size operating threshold is, from the validation photos alone.

Usage::

    python bench/threshold_spread.py [--model default|PATH] [--draws 2000]

The threshold at 1024 px is the 97th percentile of ``p_blurry`` over the sharp validation photos of that size
(:func:`blurscan.model.rules.operating_thresholds`), and those photos come from few source photos.  This
recomputes that percentile from the training cache that ``make model`` leaves behind (the validation images'
windows, :func:`blurscan.model.data.default_work_dir`), with the model's ONNX network and its own rule, then
resamples the source photos (bootstrap) and prints the spread.  The recomputed value matches the stored
threshold when the cache is the one the model was trained from (a check of the method).  Nothing is written.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from blurscan.config import shared_data_dir
from blurscan.model import aggregate, data, runtime
from blurscan.model import train as trainer
from blurscan.model.rules import FULL_SIZE
from blurscan.model.spec import COARSE_FACTOR


def sharp_val_scores(clf, data_dir: Path) -> list[tuple[str, int, float]]:
    """``(source key, long side, p_blurry)`` of every sharp validation image in the training cache."""
    rule = clf.spec.aggregator
    cfg = trainer.DEFAULTS
    sources, _ = trainer.collect([data_dir])
    plan = data.BLUR_PLAN + data.NIGHT_PLAN + data.SMALL_SUBJECT_PLAN
    jobs = data.plan_jobs(sources, data.default_work_dir(), seed=0, plan=plan, patch=cfg["patch"],
                          max_grid=cfg["max_grid"])

    def probs(windows):
        x = windows[:, None].astype(np.float32) * np.float32(clf.spec.input_scale)
        return aggregate.softmax(clf._session.run(None, {clf._input: x})[0])

    out = []
    for job in jobs:
        if job.split != "val" or not Path(job.out).exists():
            continue
        wins, _, meta = data.load_image(job)
        if meta["image_label"] != 0:
            continue
        wins2, _ = data.load_coarse(job)
        wins2 = wins2[:, 0] if wins2.ndim == 4 else wins2
        side = max(meta["size"])
        p1 = probs(wins)
        feats = aggregate.combine(trainer.image_features(p1, wins, meta["grid"], side),
                                  trainer.image_features(probs(wins2), wins2, meta["grid2"],
                                                         max(1, side // COARSE_FACTOR)))
        _, textured = aggregate.region_scores(p1, wins.reshape(len(wins), -1).std(axis=1))
        feats = np.append(feats, aggregate.anisotropy_feature(wins, textured))
        out.append((job.key, side, float(aggregate.rule_probability(feats, rule)[0])))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default", help="default | PATH to an .onnx file")
    ap.add_argument("--draws", type=int, default=2000, help="bootstrap draws")
    args = ap.parse_args(argv)
    clf = runtime.load(args.model)
    rule = clf.spec.aggregator
    full_size = int(rule.get("full_size", FULL_SIZE))
    rows = [(k, p) for k, side, p in sharp_val_scores(clf, shared_data_dir()) if side >= full_size]
    if not rows:
        print(f"no cached validation images under {data.default_work_dir()}: run `make model` first (it writes the "
              "training cache there)", file=sys.stderr)
        return 1
    by_source: dict[str, list[float]] = {}
    for key, p in rows:
        by_source.setdefault(key, []).append(p)
    keys = sorted(by_source)
    level = 1.0 - float(trainer.DEFAULTS["false_alarm"])
    rng = np.random.default_rng(0)
    draws = [np.quantile(np.concatenate([by_source[k] for k in rng.choice(keys, len(keys))]), level)
             for _ in range(args.draws)]
    lo, mid, hi = np.quantile(draws, [0.05, 0.5, 0.95])
    print(f"model {clf.version}: {len(rows)} sharp validation photos at {full_size} px from {len(keys)} source photos")
    print("| threshold at full size | value |\n|---|---:|")
    print(f"| stored in the model | {rule.get('threshold_full_size', float('nan')):.3f} |")
    print(f"| recomputed here (quantile {level:.2f}) | {np.quantile([p for _, p in rows], level):.3f} |")
    print(f"| bootstrap over source photos ({args.draws} draws): 5 % / 50 % / 95 % | "
          f"{lo:.3f} / {mid:.3f} / {hi:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
