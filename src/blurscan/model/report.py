"""Evaluation tables of a freshly trained model and the model card (training side; numpy + runtime).

The real labelled photos' figures are :mod:`.real_figures`' (scored through :mod:`blurscan.model.runtime` exactly
as the scan does), so the card's numbers are the shipped behaviour.
"""
from __future__ import annotations

import logging
import platform
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from . import aggregate, data
from .card_design import DESIGN_NOTES
from .card_notes import HISTORY, REPRODUCTION
from .export import write_card_text
from .own_rows import card_lines
from .real_figures import (balanced_accuracy, laplacian_full, one_class, own_test_lines,  # noqa: F401 (theirs)
                           own_test_table, pct as _pct, real_lines, real_tables)

log = logging.getLogger(__name__)


def load_gray(path) -> np.ndarray:
    """Analysis-scale luminance of a file, via the scan's decoder."""
    from ..decode import decode

    return decode(path).gray


def real_calibration(entries) -> list[tuple[Path, int]]:
    """GoPro calibration part as ``(path, label)`` (1 = blurry)."""
    from .. import datasets

    if not entries:
        return []
    return [(e.path, int(e.blurry)) for e in datasets.gopro_split(entries)["calibration"] if e.path.is_file()]


def real_calibration_windows(entries, patch: int, max_grid: int) -> list:
    """``(gray, windows N x P x P, grid shape, label, path, coarse windows, coarse grid shape)`` of every GoPro
    calibration image (coarse: the image at :data:`~blurscan.model.spec.COARSE_FACTOR`)."""
    from .spec import COARSE_MAX_GRID, coarse_image, extract_patches

    out = []
    for path, label in real_calibration(entries):
        gray = load_gray(path)
        wins, shape = extract_patches(gray, patch, max_grid)
        wins2, shape2 = extract_patches(coarse_image(gray), patch, COARSE_MAX_GRID)
        out.append((gray, wins[:, 0], shape, label, Path(path), wins2[:, 0], shape2))
    return out


def real_window_labels(real_windows, coarse: bool = False) -> list:
    """Window labels of the GoPro calibration images (one array per image; ``coarse``: of their coarse windows).

    Sharp frames: ``sharp`` (``flat`` where there is no fine detail).  Blurred frames are labelled against
    their sharp twin (same name with ``_gt``, same grid) exactly like synthetic motion blur.
    """
    from . import data

    k = 5 if coarse else 1
    by_path = {w[4]: w for w in real_windows}
    out = []
    for item in real_windows:
        wins, label, path = item[k], item[3], item[4]
        if label == 0:
            out.append(data.window_labels(wins, wins, "none", "sharp"))
            continue
        twin = by_path.get(path.with_name(path.stem + "_gt" + path.suffix))
        if twin is None or twin[k].shape != wins.shape:
            out.append(np.full(len(wins), -1, np.int8))
        else:
            out.append(data.window_labels(twin[k], wins, "shake", "motion"))
    return out


def split_counts(jobs) -> dict:
    out: dict = defaultdict(set)
    for j in jobs:
        out[j.split].add(j.key)
    return {k: len(v) for k, v in sorted(out.items())}


def _plan_text(plan) -> str:
    """The plan's entries in order, repeats counted (``none`` x2, ...), with what the special entries mean."""
    counts: dict[str, int] = {}
    for entry in plan:
        counts[entry] = counts.get(entry, 0) + 1
    text = ", ".join(f"`{k}`" + (f" x{n}" if n > 1 else "") for k, n in counts.items())
    notes = []
    if any(k == "none_soft" for k in counts):
        notes.append("`none_soft`: a sharp photo softened after the camera pipeline")
    if any(k.startswith("night-") for k in counts):
        notes.append("`night-`: the source made a night scene first (`blurscan.model.data.night_scene`)")
    rule_only = [k for k in counts if k in data.RULE_ONLY]
    if rule_only:
        notes.append(", ".join(f"`{k}`" for k in rule_only) + ": for the image rule only, the network trains on none"
                     " of its windows (`blurscan.model.data.RULE_ONLY`)")
    return text + (f" ({'; '.join(notes)})" if notes else "")


def _threshold_line(rule: dict) -> str:
    """The card's operating-point line: the threshold of each size class
    (:func:`blurscan.model.rules.operating_thresholds`), and which class had sharp validation photos enough for a
    threshold of its own (a rule that does not count them, the shipped model's, had enough in both)."""
    from .rules import MIN_SHARP_FOR_THRESHOLD

    if rule.get("threshold_full_size") is None:
        return f"- operating point: `blurry` from p_blurry {rule.get('threshold', 0.5):.3f}"
    size = rule["full_size"]
    small, full = rule.get("sharp_val_photos") or (MIN_SHARP_FOR_THRESHOLD, MIN_SHARP_FOR_THRESHOLD)
    own = (small >= MIN_SHARP_FOR_THRESHOLD, full >= MIN_SHARP_FOR_THRESHOLD)
    if not small or not full or not any(own):
        # one size class, or two too small for thresholds of their own: one threshold, fitted on all of them
        one = f"full-size ({size} px)" if not full else f"smaller than {size} px"
        why = (f"none of them was {one}" if not small or not full
               else f"neither size class had the {MIN_SHARP_FOR_THRESHOLD} sharp validation photos a threshold of its "
               f"own needs ({small} smaller, {full} full-size)")
        return (f"- operating point: `blurry` from p_blurry {rule['threshold']:.3f} at every size"
                f" (one threshold, set on all {small + full} sharp validation photos together: {why})")
    line = (f"- operating point: `blurry` from p_blurry {rule['threshold']:.3f} for photos whose analysis image is "
            f"smaller than {size} px, {rule['threshold_full_size']:.3f} at {size} px ")
    if all(own):
        return line + "(each flags at most the same share of its size's sharp validation photos)"
    which, few = ("full-size", full) if own[0] else ("smaller", small)
    other = "smaller" if which == "full-size" else "full-size"
    return line + (f"(the {other} photos' threshold flags at most the same share of their sharp validation "
                   f"photos; the {which} photos' is that of all sizes together: only {few} sharp validation photos were {which}, fewer "
                   f"than the {MIN_SHARP_FOR_THRESHOLD} a threshold of its own needs)")


def synthetic_table(test: list, rule: dict) -> dict:
    """Image-level results on the synthetic test split (held-out source photos)."""
    if not test:
        return {}
    feats = np.array([f for _, f in test])
    p = aggregate.rule_probability(feats, rule)
    pred = p >= np.array([aggregate.threshold_for(rule, max(meta["size"])) for meta, _ in test])
    rows = []
    for (meta, _), pb, pr in zip(test, p, pred):
        rows.append((meta["kind"], meta["severity"], meta["image_label"], bool(pr), float(pb)))
    main = [(lab, pr) for k, sev, lab, pr, _ in rows if lab >= 0]
    y = [lab for lab, _ in main]
    yp = [pr for _, pr in main]
    per_kind = defaultdict(list)
    for k, sev, lab, pr, _ in rows:
        per_kind[k].append(pr)
    brier = float(np.mean([(pb - lab) ** 2 for k, sev, lab, pr, pb in rows if lab >= 0]))
    return {
        "n_images": len(main),
        "balanced_accuracy": balanced_accuracy(y, yp),
        "brier": brier,
        "called_blurry_by_kind": {k: (float(np.mean(v)), len(v)) for k, v in sorted(per_kind.items())},
    }


def speed(model_path, repeats: int = 30) -> dict:
    """Milliseconds of :meth:`Classifier.predict_gray` on a 1024 x 768 photo-like image, one thread."""
    import cv2

    from .runtime import load

    clf = load(model_path, threads=1)
    rng = np.random.default_rng(0)
    img = cv2.GaussianBlur(rng.integers(0, 256, (768, 1024), dtype=np.uint8), (0, 0), 1.2)
    for _ in range(3):
        clf.predict_gray(img)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        clf.predict_gray(img)
        times.append((time.perf_counter() - t) * 1000)
    return {"median_ms": float(np.median(times)), "p90_ms": float(np.percentile(times, 90)),
            "machine": f"{platform.machine()} {platform.processor() or ''}".strip()}


#: The libraries a training run records the versions of (``training.libraries`` in the model's metadata, and the
#: card): import name, distribution names to ask when the module is not loaded, the card's name for it.
LIBRARIES = (("numpy", ("numpy",), "NumPy"), ("cv2", ("opencv-python-headless", "opencv-python",
                                                         "opencv-contrib-python-headless", "opencv-contrib-python"),
                                                "OpenCV"),
             ("PIL", ("Pillow",), "Pillow"), ("onnx", ("onnx",), "onnx"),
             ("onnxruntime", ("onnxruntime",), "ONNX Runtime"), ("torch", ("torch",), "torch"))


def library_versions() -> dict[str, str]:
    """Python's version and those of :data:`LIBRARIES` (the ones installed), as a training run records them: the
    same command with other versions may give other weights. A module not yet loaded is not imported (torch
    loaded before the numeric back-ends are pinned would not be pinned): its installed distribution is asked."""
    import sys
    from importlib import metadata

    out = {"python": platform.python_version()}
    for module, dists, _ in LIBRARIES:
        version = getattr(sys.modules.get(module), "__version__", None)
        for dist in () if version else dists:
            try:
                version = metadata.version(dist)
                break
            except metadata.PackageNotFoundError:
                continue
        if version:
            out[module] = str(version)
    return out


def library_line(training: dict) -> str:
    """The card's sentence on the library versions recorded in ``training`` (a model's ``training`` metadata)."""
    libs = training.get("libraries")
    if not libs:
        return ("Library versions: not recorded for this model (`blurscan train` records Python's and the numeric "
                "libraries' in the model's metadata, `training.libraries`, since 2026-12-05).")
    names = {"python": "Python", **{module: name for module, _, name in LIBRARIES}}
    return "Library versions of this run: " + ", ".join(f"{names.get(k, k)} {v}" for k, v in libs.items()) + "."


def _type_line(rule: dict) -> str:
    t = rule.get("blur_type")
    if not t:
        return "- blur type: the class (defocus, motion) holding most blur mass over the textured regions"
    return ("- blur type: logistic regression (motion vs defocus) over " + ", ".join(f"`{n}`" for n in t["names"])
            + " (not class-balanced: the plan's mix of kinds sets the prior), fitted on the blurred validation "
            "photos of a known kind and the GoPro calibration blur; coefficients in the ONNX metadata")


def write_card(path, results: dict) -> None:
    """Write the model card (markdown) of a ``blur`` model."""
    from .network import NORM_EPS, RegionNet, count_macs

    spec = results["spec"]
    cfg = results["cfg"]
    net = RegionNet(len(spec.labels), 1, tuple(cfg["widths"]))
    n_params = sum(p.numel() for p in net.parameters())
    size = Path(results["out"]).stat().st_size
    shipped = results.get("shipped", True)  # the card of the shipped model tells its history and design
    title = "# blurscan default model — model card" if shipped else f"# Model card: {Path(results['out']).name}"
    written = (f"*Written by `blurscan train` on {spec.training['date']}. Regenerate, don't edit by hand; the "
               "notes below the tables are kept in `blurscan/model/card_notes.py` and `card_design.py`.*") if shipped else \
        (f"*Written by `blurscan train` on {spec.training['date']}, for a model trained with blurscan's recipe. "
         "The shipped model's card (docs/model-card.md in blurscan's repository) says why the recipe is as it "
         "is, what was tried and its known weaknesses.*")
    lines = [
        title, "", written, "",
        "## Command", "", "```", spec.training.get("command") or "(library call)", "```", "",
        REPRODUCTION if shipped else "The same command with the same data and seed gives the same weights.\n",
        library_line(spec.training), "",
        "## Model", "",
        f"- version `{spec.version}`, file `{Path(results['out']).name}`, {size / 1024:.0f} KiB, "
        f"{n_params:,} parameters, {count_macs(net, spec.patch):,} multiply-adds per window",
        f"- input: luminance windows {spec.patch} x {spec.patch} px at analysis scale (long side <= "
        f"{spec.analysis_long_side}, never upscaled), up to {spec.max_grid} x {spec.max_grid} windows per photo, "
        f"values x {spec.input_scale:.6f}, normalised in the graph (mean removed, / (std + {NORM_EPS}))",
        _scales_line(spec),
        f"- outputs per window: {', '.join(spec.labels)}; image rule: logistic regression over "
        f"{len(spec.aggregator.get('names', aggregate.FEATURE_NAMES))} features (region scores"
        + (", and the anisotropy of the textured windows' detail" if spec.aggregator.get("anisotropy") else "")
        + "; coefficients in the ONNX metadata)",
        _threshold_line(spec.aggregator),
        _type_line(spec.aggregator),
        f"- training: seed {results['seed']}, epochs run {len(results['history'])} of {cfg['epochs']} (early "
        f"stopping, patience {cfg['patience']}), batch {cfg['batch']}, AdamW lr {cfg['lr']} one-cycle, "
        f"{cfg['per_image']} labelled windows per synthetic image (+ {cfg.get('coarse_per_image', 0)} at the "
        f"coarse scale), dihedral" + (f" and contrast ({cfg['contrast'][0]:g}-{cfg['contrast'][1]:g}x)"
                                      if cfg.get("contrast") else "")
        + f" augmentation, torch threads {cfg['threads']}; "
        f"wall time {results['train_seconds'] / 60:.1f} min",
        "", "## Data", "",
        f"- {results['n_sources']} sharp source photos ("
        + ("shared data set minus the real-evaluation sets" if results.get("real", {}).get("by_set") or shipped
           else "from " + ", ".join(f"`{d}`" for d in results.get("data", [])))
        + f"), split by source group: {results['splits']}",
        "- each source synthesised once per plan entry with `blurscan.synth.synthesize` (camera pipeline: "
        "linear light, highlight extension, noise, sharpening, JPEG; 25 % downscaled 0.5-1x): "
        + _plan_text(results.get("plan") or data.BLUR_PLAN) + "; severities moderate/strong (50/50)",
        f"- image rule fitted on {spec.aggregator.get('fitted_on')}",
    ] + card_lines(spec.aggregator) + ([f"- **Warning**: {results['few_photos']}."] if results.get("few_photos") else []) + [
        "", "## Evaluation", "",
    ]
    syn = results.get("synthetic") or {}
    if syn:
        lines += ["### Synthetic test split (held-out source photos; moderate + strong blur vs sharp and "
                  "sharp-subject partial)", "",
                  f"Balanced accuracy **{_pct(syn['balanced_accuracy'])}** on {syn['n_images']} images; "
                  f"Brier score of `p_blurry` {syn['brier']:.3f}.", "",
                  "| kind | images | called blurry |", "|---|---:|---:|"]
        for k, (v, n) in syn["called_blurry_by_kind"].items():
            lines.append(f"| {k} | {n} | {_pct(v)} |")
        lines.append("")
    bt = results.get("blur_type") or {}
    if bt.get("n"):
        lines += [f"Blur type on the {bt['n']} blurred test images of a known kind ({bt['motion']} motion, whatever "
                  f"their verdict): **{_pct(bt['rule'])}** right with the blur-type rule, {_pct(bt['mass_rule'])} "
                  "with the mass rule of earlier models (motion when most blur mass is motion)."
                  if "rule" in bt else f"Blur type on the {bt['n']} blurred test images of a known kind: "
                  f"{_pct(bt['mass_rule'])} right (motion when most blur mass is motion).", ""]
    lines += real_lines(results.get("real") or {}) + own_test_lines(results.get("own_test") or {})
    sp = results.get("speed")
    if sp:
        lines += ["### Speed", "", f"`Classifier.predict_gray` on a 1024 x 768 image, one ONNX Runtime thread: "
                  f"median {sp['median_ms']:.1f} ms, p90 {sp['p90_ms']:.1f} ms ({sp['machine']}).", ""]
    lines += ["### Training history", "", "| epoch | train loss | val loss | val window accuracy |",
              "|---:|---:|---:|---:|"]
    lines += [f"| {h['epoch']} | {h['train_loss']:.4f} | {h['val_loss']:.4f} | {_pct(h['val_acc'])} |"
              for h in results["history"]]
    lines += ["", *target_lines(results)] + ([HISTORY, DESIGN_NOTES] if shipped else [])
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_card_text(path, "\n".join(lines) + "\n")


def _scales_line(spec) -> str:
    coarse = spec.aggregator.get("coarse")
    if not coarse:
        return "- one scale: the analysis image only"
    return (f"- two scales: the same network also classifies the analysis image reduced {coarse['factor']}x "
            f"(up to {coarse['max_grid']} x {coarse['max_grid']} windows); the rule sees both grids")


def _within(bounds, signed: bool = False) -> str:
    """`` (lo-hi)`` after a measured figure, ``""`` without an interval."""
    from ..intervals import span

    return f" ({span(tuple(bounds), signed)})" if bounds else ""


#: The issue's accuracy targets, shared with bench/accuracy.py (which measures them with more detectors beside).
TARGETS = {"synthetic": 0.97, "real": 0.95, "real_margin": 0.10, "multifocus": 0.05, "seed4": 0.98}


def target_lines(results: dict) -> list[str]:
    """The targets table: each target, the measured figure, met or not (honest, generated); a figure of one class
    only (the real photos all blurry, or all sharp) is shown, its target not judged (``n/a``)."""
    syn = (results.get("synthetic") or {}).get("balanced_accuracy")
    real = results.get("real") or {}
    allr = (real.get("by_set") or {}).get("all") or {}
    mf = (real.get("multifocus") or {}).get("blurry")
    if not (real.get("multifocus") or {}).get("n", 1):  # no multi-focus photo: no rate of them
        mf = None
    rows = []
    if syn is not None:
        rows.append(("synthetic test split, balanced accuracy", f">= {_pct(TARGETS['synthetic'])}", _pct(syn),
                     syn >= TARGETS["synthetic"]))
    if allr and allr.get("n", 1):
        ci = allr.get("intervals") or {}  # (a card written before 2026-12-06 has none)
        only = one_class(allr)
        rows.append(("real labelled photos, balanced accuracy", f">= {_pct(TARGETS['real'])}",
                     _pct(allr["model"]) + (f" ({only} photos only)" if only else _within(ci.get("model"))),
                     None if only else allr["model"] >= TARGETS["real"]))
        margin = allr["model"] - allr["laplacian"]
        rows.append(("... points above Laplacian@100", f">= {TARGETS['real_margin'] * 100:.0f}",
                     f"{margin * 100:+.1f}" + (f" ({only} photos only)" if only
                                               else _within(ci.get("model - laplacian"), True)),
                     None if only else margin >= TARGETS["real_margin"]))
    if mf is not None:
        rows.append(("real multi-focus photos called blurry", f"<= {_pct(TARGETS['multifocus'])}",
                     _pct(mf) + _within((real.get("multifocus") or {}).get("blurry_interval")),
                     mf <= TARGETS["multifocus"]))
    if not rows:
        return []
    # (a card of a person's own model names neither the project's issue nor files of blurscan's repository, which
    # it does not have: until 2026-12-05 it was headed "Targets (issue 4)" and pointed at docs/seed-4class*.md)
    out = ["## blurscan's accuracy targets and where this model stands", "",
           "| target | wanted | measured (95 % interval) | met |", "|---|---:|---:|:---:|"]
    out += [f"| {a} | {b} | {c} | {'n/a' if ok is None else 'yes' if ok else '**no**'} |" for a, b, c, ok in rows]
    if allr.get("intervals"):
        out += ["", "95 % intervals (`blurscan.intervals`): for the real photos a bootstrap that resamples whole GoPro "
                "recordings and Levin photos (2,000 resamples, fixed seed; the difference resampled jointly with the "
                "Laplacian's), for the multi-focus rate a Wilson interval; the synthetic figure comes without one."]
    if results.get("shipped"):
        out += ["", "The blog's 4-class experiment has its own cards (`docs/seed-4class-clean.md` as the blog ran "
                "it, `docs/seed-4class.md` through the camera pipeline); speed is above and in "
                "`bench/throughput.py`."]
    return out + [""]
