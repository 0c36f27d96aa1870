"""Training: synthetic blur on the fly (cached), the window CNN, the learned image rule, ONNX export.

``blurscan train DATA... --out MODEL.onnx`` calls :func:`train`.  Steps:

1. sources: the sharp photos in ``DATA`` (a folder with a ``manifest.csv`` contributes its ``label ==
   sharp`` rows, minus the real-evaluation sets, see :func:`blurscan.datasets.synth_sources`); splits by
   source photo group with :func:`blurscan.synth.recipes.split_of` (train ~70 %, val ~15 %, test ~15 %);
2. every source is synthesised once per entry of the plan (:data:`blurscan.model.data.BLUR_PLAN`) and cut
   into grid windows with labels (cached under ``work_dir``);
3. the window CNN (:class:`~blurscan.model.network.RegionNet`) is trained on train windows with early
   stopping on the val windows' loss (the plan entries in :data:`blurscan.model.data.RULE_ONLY` give none);
4. the image rule (:mod:`blurscan.model.aggregate`) and the blur-type rule are fitted (:mod:`blurscan.model.rules`)
   on the *val* images (whose windows the CNN did not train on), a person's own real val photos (:mod:`.own_rows`)
   and the GoPro calibration pairs, where the data holds them;
5. export to ONNX with the spec in the metadata, checked against torch;
6. evaluation on the synthetic test split and the real sets (:mod:`blurscan.model.report`); only then is the
   model written to ``out`` (a run stopped or failing before leaves ``out`` as it was), and then the card.

Everything is seeded; torch runs with ``use_deterministic_algorithms(True)``, a fixed thread count, and its
numeric libraries pinned to CPU-independent code paths (:func:`pin_numerics`, :data:`PINNED_NUMERICS`).
"""
from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..errors import BlurscanError, UsageError
from ..synth import pipeline as synth_pipeline
from . import aggregate, data
from .collected import collect
from .defaults import DEFAULTS
from .rules import fit_rule, fit_type_rule, operating_thresholds, type_accuracy
from .spec import COARSE_FACTOR, COARSE_MAX_GRID, REGION_LABELS, ModelSpec, window_std

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

RECIPES = ("blur", "seed-4class")


#: The numeric back-ends' code paths, pinned for training: torch's own kernels (ATen), oneDNN (the convolutions)
#: and MKL (the matrix products of the head and of the rule fit) each pick code for the CPU they run on, and a
#: different summation order changes the last bits of a gradient, which 16 epochs grow into a different network
#: (measured 2026-12-02: the same command on an AVX-512 machine gave another network, real balanced accuracy 92.0 %
#: against 96.6 %; the synthetic data came out identical).  ATen and oneDNN are capped at AVX2, which every x86-64
#: CPU of the last ten years has.  MKL runs its conditional-numerical-reproducibility branch COMPATIBLE: the AVX2
#: branch binds on Intel CPUs only, and MKL falls back to its AUTO dispatch elsewhere (``MKL_VERBOSE=1`` on an AMD
#: EPYC, Zen 4, 2026-12-04: ``CNR:AUTO`` under ``MKL_CBWR=AVX2``, ``CNR:COMPATIBLE`` under this value), which is
#: why that EPYC gave another network on 2026-12-03.  The head's three small products per step cost nothing
#: measurable in the slower branch.  Elsewhere (ARM) the variables do nothing.
PINNED_NUMERICS = {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2",
                   "MKL_ENABLE_INSTRUCTIONS": "AVX2", "MKL_CBWR": "COMPATIBLE"}


def pin_numerics() -> dict:
    """Set :data:`PINNED_NUMERICS` for this process and its children (synthesis workers) and return what is in
    force.  The variables are read when torch is loaded, so this must run before the first ``import torch``;
    when torch is already loaded (a notebook, a test run) nothing can be pinned any more: a warning is logged
    and ``{"pinned": "no: torch already loaded"}`` returned (unless the variables were already set before)."""
    if "torch" in sys.modules:
        already = {k: os.environ.get(k) for k in PINNED_NUMERICS}
        if already != PINNED_NUMERICS:
            log.warning("torch was loaded before training started: its instruction sets are not pinned, so the "
                        "weights may differ on another CPU")
            return {"pinned": "no: torch already loaded"}
        return dict(PINNED_NUMERICS)
    os.environ.update(PINNED_NUMERICS)
    return dict(PINNED_NUMERICS)


def _seed_everything(seed: int, threads: int):
    import random

    import torch

    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)
    torch.set_num_threads(max(1, int(threads)))
    torch.use_deterministic_algorithms(True)
    return torch


def is_package_model(out) -> bool:
    """Whether ``out`` is the model file shipped in the package, the one every scan without ``--model`` uses."""
    from .runtime import default_model_path

    try:
        return Path(out).resolve() == default_model_path().resolve()
    except OSError:
        return False


def is_shipped_run(out, data_paths: Sequence) -> bool:
    """Whether this run is the shipped model's (``make model``): written to the package's model file *and*
    trained on the shared data set alone (:func:`blurscan.config.shared_data_dir`). Only then does its card tell
    the shipped model's story (its history, design notes, "the documented command gives these weights"). Until
    2026-12-05 ``out`` alone decided, so one's own photos written over the package's model got that card."""
    from ..config import shared_data_dir

    if not is_package_model(out) or len(data_paths) != 1:
        return False
    try:
        return Path(data_paths[0]).resolve() == shared_data_dir().resolve()
    except OSError:
        return False


def readable(sources: Sequence) -> list:
    """The sources that can be read; each one that cannot is skipped with a line on stderr naming it and the
    reason (as `blurscan synth` skips them), all of them before the synthesis starts."""
    from ..synth.sources import check_source

    kept = []
    for src in sources:
        reason = check_source(src.path)
        if reason is None:
            kept.append(src)
        else:
            log.warning("skipped %s: %s", src.path, reason)
    if not kept:
        raise BlurscanError("no readable photo to train on (every one was skipped, listed above)")
    return kept


def check_splits(sources: Sequence) -> dict[str, int]:
    """Raise :class:`~blurscan.errors.BlurscanError` (a data problem: exit code 1) unless the sources fill the
    train, val and test splits, which training, the image rule and the export all need; else return the number
    of source groups in each.  The splits are those :func:`blurscan.model.data.plan_jobs` gives
    (:func:`blurscan.synth.recipes.split_of` of each source's group, its ``split_seed`` 0), so this is known
    before any synthesis."""
    from ..synth.sources import SPLITS, group_key, split_of

    groups = {group_key(s.split_key): split_of(s.split_key, 0) for s in sources}
    count = {name: sum(1 for split in groups.values() if split == name) for name, _ in SPLITS}
    if all(count.values()):
        return count
    photos = f"{len(sources)} photo{'s' if len(sources) != 1 else ''}"
    groups_text = f"{len(groups)} source group{'s' if len(groups) != 1 else ''}"
    raise BlurscanError(
        f"too few sources to make a train, a val and a test split: {photos} ({groups_text}; near-identical "
        f"photos form one group, and groups are split about 70/15/15) give "
        + ", ".join(f"{name} {n}" for name, n in count.items())
        + "; give more photos (a few dozen)"
        + (", or name them apart: photos whose names share an id (the folder of numbered video frames, the "
           "`0853` of `0853_x_gt.jpg`) are one group" if len(groups) * 2 <= len(sources) else ""))


#: Fewest source groups in the validation split before the run warns that its image rule means little: the rule
#: (27 features) and its `blurry` threshold are fitted on the val photos' synthetic images, about 16 each, and with a
#: handful of photos the threshold is set by the one or two highest-scoring sharp images.  The shipped model had 59.
FEW_VAL_GROUPS = 10


def few_photos(count: dict[str, int]) -> str | None:
    """What to tell the person when the validation split (``count``: :func:`check_splits`'s) is too small for a
    meaningful image rule, or None.  Said before the synthesis, again after the run, and on the card: until
    2026-12-05 a model trained on 4 photos (one in val) was written without a word, and scanned with verdicts
    that meant little."""
    val = count.get("val", 0)
    if val >= FEW_VAL_GROUPS:
        return None
    return (f"only {val} source photo{'s' if val != 1 else ''} of {sum(count.values())} went to the validation "
            "split, on whose synthetic images the image rule and its `blurry` threshold are fitted; with fewer than "
            f"{FEW_VAL_GROUPS} this model's p_blurry and verdicts may mean little: check it with blurscan evaluate "
            f"on photos of your own, or train on more photos (about {round(FEW_VAL_GROUPS / 0.15)} give "
            f"{FEW_VAL_GROUPS} in validation)")


def fit_cnn(x_train, y_train, x_val, y_val, n_classes: int, *, seed: int, epochs: int, batch: int, lr: float,
            weight_decay: float, patience: int, widths, threads: int, progress: Progress | None = None,
            contrast: tuple[float, float] | None = None, stem_stride: int = 2):
    """Train a :class:`RegionNet` on uint8 windows; returns ``(model, history)``.

    Windows are augmented with the 8 dihedral transforms and, with ``contrast = (lo, hi)``, a contrast factor
    drawn log-uniformly from that range (see :data:`~blurscan.model.defaults.CONTRAST_RANGE`). ``stem_stride`` is
    the first convolution's stride (:class:`RegionNet`; 1 only for the blog experiment's network)."""
    torch = _seed_everything(seed, threads)
    from torch import nn

    from .network import RegionNet

    model = RegionNet(n_classes, 1, tuple(widths), stem_stride=stem_stride)
    counts = np.bincount(y_train, minlength=n_classes).astype(np.float64)
    weights = 1.0 / np.sqrt(np.maximum(counts, 1.0))
    weights = weights / (weights * counts).sum() * counts.sum()
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor(weights, dtype=torch.float32))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    steps_per_epoch = max(1, int(np.ceil(len(x_train) / batch)))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * steps_per_epoch,
                                                pct_start=0.15)
    rng = np.random.default_rng(seed)
    xt = torch.from_numpy(x_train)
    yt = torch.from_numpy(y_train)
    best, best_state, bad, history = np.inf, None, 0, []
    for epoch in range(epochs):
        model.train()
        order = rng.permutation(len(x_train))
        total, seen = 0.0, 0
        for s in range(steps_per_epoch):
            idx = torch.from_numpy(order[s * batch:(s + 1) * batch])
            xb = xt[idx].unsqueeze(1).float().div_(255.0)
            xb = _dihedral(torch, xb, int(rng.integers(8)))
            if contrast is not None:  # blur lowers contrast; contrast alone must not read as blur
                c = np.exp(rng.uniform(np.log(contrast[0]), np.log(contrast[1]), len(idx))).astype(np.float32)
                mean = xb.mean(dim=(1, 2, 3), keepdim=True)
                xb = mean + (xb - mean) * torch.from_numpy(c).view(-1, 1, 1, 1)
            loss = loss_fn(model(xb), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            seen += len(idx)
            if progress:
                progress("train", epoch * steps_per_epoch + s + 1, epochs * steps_per_epoch)
        val_loss, val_acc = _evaluate(torch, model, loss_fn, x_val, y_val)
        history.append({"epoch": epoch + 1, "train_loss": total / max(seen, 1), "val_loss": val_loss,
                        "val_acc": val_acc})
        log.info("epoch %d: train %.4f val %.4f acc %.4f", epoch + 1, total / max(seen, 1), val_loss, val_acc)
        if val_loss < best - 1e-4:
            best, bad = val_loss, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
            if bad >= patience:
                log.info("early stop after epoch %d", epoch + 1)
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    return model.eval(), history


def _dihedral(torch, x, k: int):
    """One of the 8 rotations/flips (blur class is invariant to them)."""
    if k & 4:
        x = torch.flip(x, dims=(3,))
    return torch.rot90(x, k & 3, dims=(2, 3)) if k & 3 else x


def _evaluate(torch, model, loss_fn, x, y, batch: int = 1024):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for s in range(0, len(x), batch):
            xb = torch.from_numpy(x[s:s + batch]).unsqueeze(1).float().div_(255.0)
            yb = torch.from_numpy(y[s:s + batch])
            out = model(xb)
            total += float(loss_fn(out, yb)) * len(yb)
            correct += int((out.argmax(1) == yb).sum())
    return total / max(len(x), 1), correct / max(len(x), 1)


def predict_windows(model, windows: np.ndarray, batch: int = 1024) -> np.ndarray:
    """Softmax class probabilities of uint8 windows ``N x P x P``."""
    import torch

    out = []
    with torch.no_grad():
        for s in range(0, len(windows), batch):
            xb = torch.from_numpy(np.ascontiguousarray(windows[s:s + batch])).unsqueeze(1).float().div_(255.0)
            out.append(torch.softmax(model(xb), dim=1).numpy())
    return np.concatenate(out) if out else np.zeros((0, model.head.out_features), np.float32)


def image_features(probs: np.ndarray, windows: np.ndarray, shape, long_side: int) -> np.ndarray:
    p_blur, textured = aggregate.region_scores(probs, window_std(windows))
    return aggregate.features(p_blur, textured, tuple(shape), probs[:, 0], long_side=long_side)


def two_scale_features(model, wins, shape, long_side: int, wins2, shape2, with_type: bool = False):
    """The rule's features of one image's windows: both grids' (:func:`blurscan.model.aggregate.combine`), then
    the anisotropy of the analysis-scale grid's textured windows (:func:`blurscan.model.aggregate.anisotropy_feature`).

    ``with_type``: return ``(features, type features)``, the second the blur-type rule's
    (:func:`blurscan.model.aggregate.type_features`; ``None`` when no window is textured)."""
    wins2 = wins2[:, 0] if wins2.ndim == 4 else wins2
    probs = predict_windows(model, wins)
    probs2 = predict_windows(model, wins2)
    fine = image_features(probs, wins, shape, long_side)
    coarse = image_features(probs2, wins2, shape2, max(1, long_side // COARSE_FACTOR))
    _, textured = aggregate.region_scores(probs, window_std(wins))
    ratio = aggregate.anisotropy(wins, textured)
    feats = np.append(aggregate.combine(fine, coarse), aggregate.one_way_detail(ratio))
    if not with_type:
        return feats
    share = aggregate.motion_share(probs, textured)
    if share is None:
        return feats, None
    _, textured2 = aggregate.region_scores(probs2, window_std(wins2))
    return feats, aggregate.type_features(share, aggregate.motion_share(probs2, textured2), ratio)


def train(data_paths: Sequence[str | Path], out: str | Path, *, recipe: str = "blur", epochs: int | None = None,
          seed: int = 0, work_dir: str | Path | None = None, workers: int = 2, threads: int | None = None,
          card: str | Path | None = None, command: str = "", progress: Progress | None = None,
          limit_sources: int | None = None, version: str | None = None, camera: bool = True) -> dict:
    """Train a model (see the module docstring) and return its results (metrics, history, paths).

    Parameters
    ----------
    data_paths : sequence of path
        Folders / files of sharp photos; folders with a ``manifest.csv`` (the shared data set) also give the
        real labelled images used for calibration and evaluation.
    out : path
        The ``.onnx`` file to write (``recipe="blur"``); for ``seed-4class`` the model is written too
        (but is not usable by the scan).
    recipe : {"blur", "seed-4class"}
    epochs, seed, workers, threads :
        Training length (default :data:`DEFAULTS`), seed, synthesis processes, torch threads.
    work_dir : path, optional
        Cache of the synthetic data (default :func:`blurscan.model.data.default_work_dir`).
    card : path, optional
        Write the model card (markdown) there.
    limit_sources : int, optional
        Use only the first N sources (smoke tests).
    camera : bool
        ``seed-4class`` only: ``False`` blurs the 8-bit values directly (no linear light, noise, sharpening
        or JPEG), as a plain blur experiment would. The scan's model always learns from camera-like images.
    """
    if recipe not in RECIPES:
        raise UsageError(f"unknown recipe {recipe!r}; choose one of: {', '.join(RECIPES)}")
    if not camera and recipe != "seed-4class":
        raise UsageError("--no-camera is for --recipe seed-4class only: the scan's model learns from "
                         "camera-like images (noise, sharpening, JPEG), as real photos are")
    numerics = pin_numerics()
    cfg = dict(DEFAULTS)
    if epochs is not None:
        if epochs < 1:
            raise UsageError(f"--epochs must be >= 1, got {epochs}")
        cfg["epochs"] = int(epochs)
    if threads is not None:
        cfg["threads"] = int(threads)
    t0 = time.perf_counter()
    sources, real = collect(data_paths)
    from .own_rows import REAL_WEIGHT, counts as own_counts, own_photos, own_windows, with_blurred_windows
    from .unused_rows import say_unused_rows
    own = own_photos(data_paths, sources) if recipe == "blur" else []  # (unused until 2026-12-07: own_rows)
    say_unused_rows(data_paths, sources, real if recipe == "blur" else [], own)  # (in the docs only until 2026-12-05)
    if is_package_model(out) and not is_shipped_run(out, data_paths):  # (said nowhere until 2026-12-05)
        log.warning("warning: %s is the model shipped in the package, which every scan without --model uses: it is "
                    "replaced by this model, trained on other data than the shipped one's (its card is this model's "
                    "own); reinstalling blurscan brings the shipped model back", out)
    if limit_sources:
        sources = sources[:limit_sources]
    sources = readable(sources)  # an unreadable photo stopped the run after minutes of synthesis
    counts = check_splits(sources)  # before the synthesis, which takes minutes
    work = Path(work_dir) if work_dir else data.default_work_dir()
    if recipe == "seed-4class":
        from . import fourclass

        data_text = ", ".join(f"`{d}`" for d in data_paths) + (" (real-evaluation sets excluded)" if real else "")
        return fourclass.run(sources, out, cfg=cfg, seed=seed, work=work, workers=workers, card=card,
                             command=command, progress=progress, t0=t0, camera=camera, data_text=data_text)
    few = few_photos(counts)  # (the 4-class experiment has no image rule)
    if few:
        log.warning("warning: %s", few)
    plan = (data.BLUR_PLAN + (data.NIGHT_PLAN if cfg.get("night") else ())
            + (data.SMALL_SUBJECT_PLAN if cfg.get("small_subjects") else ()))
    jobs = data.plan_jobs(sources, work, seed=seed, plan=plan, patch=cfg["patch"], max_grid=cfg["max_grid"])
    data.run_jobs(jobs, workers=workers, progress=(lambda d, n: progress("synth", d, n)) if progress else None)
    rng = np.random.default_rng(seed)
    xtr, ytr, _ = data.load_windows(jobs, ["train"], cfg["per_image"], rng, cfg["coarse_per_image"])
    xva, yva, _ = data.load_windows(jobs, ["val"], cfg["per_image"], rng, cfg["coarse_per_image"])
    if len(xtr) == 0 or len(xva) == 0:
        raise BlurscanError("too few sources to make both a train and a val split (photos that could not be "
                            "read give none); give more photos")
    # real motion blur: the GoPro calibration pairs also teach the windows what real sharp / blurred frames
    # look like (their sharp frames are softer than a synthetic "none"); oversampled to weigh in
    from . import report

    real_windows = report.real_calibration_windows(real, cfg["patch"], cfg["max_grid"])
    if real_windows:
        xr = np.concatenate([w[1] for w in real_windows] + [w[5] for w in real_windows])
        yr = np.concatenate(report.real_window_labels(real_windows)
                            + report.real_window_labels(real_windows, coarse=True)).astype(np.int64)
        keep = yr >= 0
        reps = int(cfg["real_repeat"])
        xtr = np.concatenate([xtr] + [xr[keep]] * reps)
        ytr = np.concatenate([ytr] + [yr[keep]] * reps)
    xtr, ytr = with_blurred_windows(xtr, ytr, own, cfg["patch"], cfg["max_grid"])  # (a person's own: own_rows)
    log.info("windows: train %d, val %d", len(xtr), len(xva))
    model, history = fit_cnn(xtr, ytr, xva, yva, len(REGION_LABELS), seed=seed, epochs=cfg["epochs"],
                             batch=cfg["batch"], lr=cfg["lr"], weight_decay=cfg["weight_decay"],
                             patience=cfg["patience"], widths=cfg["widths"], threads=cfg["threads"],
                             progress=progress, contrast=cfg.get("contrast"))
    del xtr, ytr
    # image rule: val images + GoPro calibration pairs
    feats, labels, weights, metas, type_rows = [], [], [], {}, {}
    for job in jobs:
        if job.split not in ("val", "test"):
            continue
        wins, _, meta = data.load_image(job)
        wins2, _ = data.load_coarse(job)
        f, tf = two_scale_features(model, wins, meta["grid"], max(meta["size"]), wins2, meta["grid2"],
                                   with_type=True)
        metas.setdefault(job.split, []).append((meta, f))
        kind = synth_pipeline.CATEGORY.get(meta.get("target", meta["kind"]))  # night-shake: target shake
        if meta["image_label"] == 1 and kind in ("defocus", "motion") and tf is not None:
            type_rows.setdefault(job.split, []).append((tf, kind == "motion", 1.0))
    for meta, f in metas.get("val", []):
        if meta["image_label"] >= 0:
            feats.append(f)
            labels.append(meta["image_label"])
            weights.append(1.0)
    n_val, val_sides = len(feats), [max(m["size"]) for m, _ in metas.get("val", []) if m["image_label"] >= 0]
    own_val = own_windows(own, "val", cfg["patch"], cfg["max_grid"])  # (with the synthetic ones: the threshold's)
    for gray, wins, shape, label, _, wins2, shape2, *_ in own_val + real_windows:
        f, tf = two_scale_features(model, wins, shape, max(gray.shape), wins2, shape2, with_type=True)
        feats.append(f)
        labels.append(label)
        weights.append(REAL_WEIGHT)
        if label == 1 and tf is not None and len(feats) > n_val + len(own_val):  # real motion blur (GoPro frames)
            type_rows.setdefault("val", []).append((tf, True, REAL_WEIGHT))
    n_val, val_sides = n_val + len(own_val), val_sides + [max(item[0].shape) for item in own_val]
    rule = fit_rule(np.array(feats), np.array(labels, np.float64), np.array(weights), seed=seed)
    rule["coarse"] = {"factor": COARSE_FACTOR, "max_grid": COARSE_MAX_GRID}
    rule["anisotropy"] = True
    type_rule = fit_type_rule(type_rows.get("val", []), seed=seed)
    if type_rule is not None:
        rule["blur_type"] = type_rule
    rule.update(operating_thresholds(np.array(feats[:n_val]), np.array(labels[:n_val]), val_sides, rule,
                                     cfg["false_alarm"]))
    rule["fitted_on"] = {"synthetic_val_images": int(sum(1 for m, _ in metas.get("val", []) if m["image_label"] >= 0)),
                         "gopro_calibration_images": len(real_windows)}
    rule["fitted_on"] |= {"own_real_photos": own_counts(own)} if own else {}
    when = datetime.now(timezone.utc)
    spec = ModelSpec(
        version=version or when.strftime("%Y.%m.%d"), task="blur", labels=REGION_LABELS, patch=cfg["patch"],
        max_grid=cfg["max_grid"], channels=1, aggregator=rule,
        training={"command": command, "seed": seed, "recipe": recipe, "date": when.isoformat(timespec="seconds"),
                  "epochs_run": len(history), "n_sources": len(sources), "widths": list(cfg["widths"]),
                  "numerics": numerics, "libraries": report.library_versions()},
    )
    from . import saving
    from .export import checked_onnx

    sample, _, _ = data.load_windows(jobs, ["test"], 2, np.random.default_rng(seed))
    onnx_file, diff = checked_onnx(model, spec, out, sample[:64, None].astype(np.float32) / 255.0)
    results = {"out": str(out), "history": history, "cfg": cfg, "seed": seed, "spec": spec,
               "n_sources": len(sources), "splits": report.split_counts(jobs), "train_seconds": 0.0,
               "plan": list(plan)}
    results["synthetic"] = report.synthetic_table(metas.get("test", []), rule)
    results["blur_type"] = type_accuracy(type_rows.get("test", []), type_rule)
    results["train_seconds"] = time.perf_counter() - t0
    if progress:
        progress("evaluate", 0, 1)
    # the model is evaluated from a file of its own in the work folder: --out is written last, so a run stopped
    # or failing before its end leaves it as it was (a Ctrl-C while evaluating said "interrupted" with the new
    # model at --out already, replacing the old one, and no card; a run made again was refused as --out existed);
    # an --out that cannot be written (a full disk) keeps that file in the work folder, said (blurscan.model.saving)
    with saving.staged(work, out, onnx_file) as staged:
        results["real"] = report.real_tables(staged, real)
        results["own_test"] = report.own_test_table(staged, own)  # (only counted until 2026-12-07)
        results["speed"] = report.speed(staged)
        if progress:
            progress("evaluate", 1, 1)
        results["data"] = [str(p) for p in data_paths]
        results["shipped"] = is_shipped_run(out, data_paths)
        results["few_photos"] = few
        saving.save_model(out, onnx_file, diff, staged, work, card=card)
    if card:
        saving.save_card(card, out, lambda: report.write_card(card, results))
    return results
