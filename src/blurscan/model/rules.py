"""Fitting the model's small rules on the trained network's outputs (training only; the runtime reads them in
:mod:`blurscan.model.aggregate`): the image rule (``p_blurry``) with its operating point per photo size, and the
blur-type rule (motion vs defocus)."""
from __future__ import annotations

import numpy as np

from . import aggregate

#: The analysis size (long side) from which a photo counts as full-size for the operating point.
FULL_SIZE = 1024
#: Fewest sharp validation photos a size class needs for a threshold of its own.
MIN_SHARP_FOR_THRESHOLD = 40


def fit_type_rule(rows: list, *, seed: int) -> dict | None:
    """The blur-type rule: a logistic regression (motion vs defocus) over the type features of ``rows``
    (``(type features, is motion, weight)``: the blurred validation photos of a known kind and the GoPro
    calibration blur), *not* class-balanced, so the plan's mix of kinds sets the prior; ``None`` without
    both kinds."""
    if not rows or len({m for _, m, _ in rows}) < 2:
        return None
    x = np.array([f for f, _, _ in rows])
    y = np.array([float(m) for _, m, _ in rows])
    w = np.array([wt for _, _, wt in rows], np.float64)
    rule = fit_rule(x, y, w, seed=seed, balanced=False, names=list(aggregate.TYPE_FEATURE_NAMES))
    rule.pop("threshold", None)
    return rule


def type_accuracy(rows: list, rule: dict | None) -> dict:
    """How often the blur type is right on ``rows`` (as :func:`fit_type_rule` takes them), with ``rule`` and
    with the mass rule of older models (a motion share above 0.5)."""
    if not rows:
        return {"n": 0}
    y = np.array([bool(m) for _, m, _ in rows])
    x = np.array([f for f, _, _ in rows])
    mass = x[:, 0] > 0.5
    out = {"n": len(rows), "motion": int(y.sum()), "mass_rule": float((mass == y).mean())}
    if rule is not None:
        out["rule"] = float(((aggregate.rule_probability(x, rule) >= 0.5) == y).mean())
    return out


def operating_threshold(x: np.ndarray, y: np.ndarray, rule: dict, false_alarm: float) -> float:
    """The ``p_blurry`` a photo needs to be called blurry: the smallest that flags at most ``false_alarm`` of
    the sharp synthetic validation photos (plain, softened and sharp-subject ones), never below 0.5.

    Precision first: a good photo wrongly flagged (and perhaps moved away) costs its owner more than a blurry
    one left in place, and real sharp photos are softer than synthetic ones, so the class-balanced 0.5 of the
    fit flags too many of them.
    """
    p = aggregate.rule_probability(x, rule)
    sharp = p[np.asarray(y) == 0]
    if sharp.size == 0:
        return 0.5
    return float(np.clip(np.quantile(sharp, 1.0 - false_alarm), 0.5, 0.99))


def operating_thresholds(x: np.ndarray, y: np.ndarray, long_sides, rule: dict, false_alarm: float) -> dict:
    """:func:`operating_threshold` per photo size: ``{"threshold": ..., "threshold_full_size": ...,
    "full_size": FULL_SIZE}`` (see :func:`blurscan.model.aggregate.threshold_for`).

    Photos smaller than the analysis size are never upscaled, so the same blur spans fewer of their pixels
    and their scores overlap more; one threshold over all sizes was set by them (most validation photos are
    small) and made full-size photos, every camera photo among them, needlessly hard to flag.  Each size
    class gets the threshold that flags ``false_alarm`` of *its* sharp validation photos; a class with fewer
    than :data:`MIN_SHARP_FOR_THRESHOLD` sharp photos gets the threshold of all of them (with no full-size
    validation photo, then, both are one threshold). ``sharp_val_photos`` counts each class's sharp photos
    (``[smaller, full-size]``), so that the model card can say which class got a threshold of its own (until
    2026-12-05 it said each had, when none of the validation photos was full-size).
    """
    x, y = np.asarray(x), np.asarray(y)
    full = np.asarray(long_sides, dtype=np.int64).reshape(-1) >= FULL_SIZE
    pooled = operating_threshold(x, y, rule, false_alarm)
    out: dict = {"sharp_val_photos": []}
    for key, sel in (("threshold", ~full), ("threshold_full_size", full)):
        sharp = int((y[sel] == 0).sum())
        out["sharp_val_photos"].append(sharp)
        out[key] = operating_threshold(x[sel], y[sel], rule, false_alarm) if sharp >= MIN_SHARP_FOR_THRESHOLD else pooled
    out["full_size"] = FULL_SIZE
    return out


def fit_rule(x: np.ndarray, y: np.ndarray, w: np.ndarray, *, seed: int, l2: float = 1e-2, balanced: bool = True,
             names: list | None = None) -> dict:
    """Weighted, class-balanced (unless ``balanced=False``) L2 logistic regression (torch LBFGS) -> the stored
    rule dict (``names``: the features', default the image rule's)."""
    from .train import _seed_everything  # torch, seeded and deterministic (training only)

    torch = _seed_everything(seed, 1)
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    z = torch.tensor((x - mean) / scale, dtype=torch.float64)
    t = torch.tensor(y, dtype=torch.float64)
    cw = np.where(y == 1, len(y) / (2 * max(y.sum(), 1)), len(y) / (2 * max((1 - y).sum(), 1))) * w if balanced \
        else np.asarray(w, np.float64)
    sw = torch.tensor(cw / cw.mean(), dtype=torch.float64)
    coef = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
    bias = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([coef, bias], max_iter=500, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        logit = z @ coef + bias
        loss = (sw * torch.nn.functional.binary_cross_entropy_with_logits(logit, t, reduction="none")).mean()
        loss = loss + l2 * (coef ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    if names is None:
        names = list(aggregate.FEATURE_NAMES)
        if x.shape[1] >= len(names) + len(aggregate.COARSE_FEATURE_NAMES):
            names += list(aggregate.COARSE_FEATURE_NAMES)
        if x.shape[1] == len(names) + 1:
            names.append(aggregate.ANISOTROPY_FEATURE)
    return {"names": names, "mean": mean.tolist(), "scale": scale.tolist(),
            "coef": coef.detach().numpy().tolist(), "intercept": float(bias.detach()), "threshold": 0.5}
