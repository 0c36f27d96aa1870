"""From window outputs to the image verdict (numpy only; the runtime and training share this code).

Regions
-------
Every grid window gets class probabilities over :data:`~blurscan.model.spec.REGION_LABELS`
(flat, sharp, defocus, motion).  A window is *flat* (no blur evidence: sky, walls, out-of-frame padding)
when the network says so (``p_flat >= 0.5``) or when its grey levels barely vary (standard deviation below
:data:`MIN_STD` grey levels: nothing there to judge).  Flat regions never vote; for the others
``p_blur = (p_defocus + p_motion) / (1 - p_flat)``.

Image rule
----------
A fixed percentile of region scores cannot both keep a photo whose sharp subject covers under a tenth of the
frame and catch a photo that is blurred all over with a few bright streaks; so the rule is *learned*: a
logistic regression over :func:`features` — the distribution of the textured regions' ``p_blur``
(quantiles, mean, shares of confidently sharp / blurred regions), how much of the frame is textured, the
layout (the largest 4-connected patch of sharp regions) and, since 2026-12-02, how one-directional the
textured windows' detail is (:func:`anisotropy_feature`: linear motion and most camera shake leave the edges
parallel to the motion crisp, so windows holding them look sharp; the detail left then runs one way) —
trained on held-out synthetic images plus the GoPro calibration pairs (see :mod:`blurscan.datasets`), which
also makes ``p_blurry`` a calibrated probability (logistic regression minimises log loss: Platt, 1999).  Its
few coefficients live in the model's metadata.  A straight edge alone on a plain ground (a power line, a horizon,
a small plane against a clear sky) runs one way whether sharp or shaken along it; where its windows look
:func:`mostly_sharp`, the coarse grid :func:`little_blurred` and the picture has no large-scale structure, the
runtime reads the one-way feature as 0 (since 2026-12-06: it called such pictures blurry, motion).

Two scales
----------
A model whose rule carries a ``"coarse"`` entry also scores the analysis image halved
(:func:`blurscan.model.spec.coarse_image`) on a smaller grid, and the rule sees a few features of that grid
too (:data:`COARSE_FEATURES`, prefixed ``coarse_``): a real photo that is only soft (video frames, small
sensors, strong noise reduction) reads as sharp there, while blur a viewer notices survives halving.
Rules without the entry (older model files) use the analysis scale alone.

Blur type
---------
``blur_type`` names the blur of a photo not called sharp.  Models since 2026-12-04's evening carry a second
small logistic regression (``rule["blur_type"]``, motion vs defocus) over :func:`type_features`: the share of
the textured regions' blur mass that the network calls motion, at the analysis scale and on the coarse grid,
and how one-directional the textured windows' detail is.  It is fitted in training on the blurred validation
photos of a known kind and the GoPro calibration blur, *not* class-balanced, so the training plan's mix of
kinds (about two thirds motion, as camera shake is the commoner cause of a blurred hand-held photo) sets its
prior.  Older model files name the class holding most of the blur mass at the analysis scale.

Verdicts
--------
* ``blurry``: ``p_blurry >= threshold`` (no acceptably sharp textured region);
* ``partial``: not blurry, yet a confidently sharp textured region (``p_blur <= 0.3``) coexists with
  confidently blurred textured regions (``p_blur >= 0.7``, at least :data:`PARTIAL_MIN_SHARE` of the
  textured regions): intentional shallow depth of field, kept;
* ``sharp``: otherwise.

The threshold depends on the photo's size (:func:`threshold_for`): a photo at the full analysis size (every
camera photo: long side 1024 px at the default analysis size, or down to 2.5 % less where the decoder keeps a
JPEG's DCT-scaled size, see :data:`FULL_SIZE_TOLERANCE`) and a smaller one (never upscaled, so the same
blur spans fewer of its pixels, and a softness the training calls sharp looks like a moderate blur there)
have their scores spread differently, so each size class gets the threshold that flags the same share of
its sharp validation photos (a class with too few of them, none at all where no validation photo was full-size,
gets the threshold of all sizes: :func:`blurscan.model.rules.operating_thresholds`).  Rules without
``threshold_full_size`` (older model files) use one threshold.

References
----------
.. [1] J. Platt, "Probabilistic outputs for support vector machines and comparisons to regularized
   likelihood methods", Advances in Large Margin Classifiers, 1999.
"""
from __future__ import annotations

import numpy as np

#: A window whose grey levels have a standard deviation below this is flat whatever the network says.
MIN_STD = 2.0
#: Region thresholds for "confidently sharp" / "confidently blurred".
SHARP_P, BLUR_P = 0.3, 0.7
#: Share of textured regions that must be confidently blurred for "partial".
PARTIAL_MIN_SHARE = 0.2

FEATURE_NAMES = (
    "textured_share", "q00", "q10", "q25", "q50", "q75", "q90", "mean", "sharp_share", "blur_share",
    "largest_sharp_area", "log_n_sharp", "soft_mean", "logit_q00", "logit_q10", "logit_q50", "log2_scale",
)


#: Features of the coarse grid the two-scale rule adds (its scale is implied, so ``log2_scale`` is left out).
COARSE_FEATURES = ("textured_share", "q00", "q10", "q50", "sharp_share", "largest_sharp_area",
                   "logit_q00", "logit_q10", "logit_q50")
COARSE_FEATURE_NAMES = tuple("coarse_" + n for n in COARSE_FEATURES)
_COARSE_INDEX = [FEATURE_NAMES.index(n) for n in COARSE_FEATURES]


#: The feature a rule with ``"anisotropy": true`` has after the two grids' (:func:`anisotropy_feature`).
ANISOTROPY_FEATURE = "one_way_detail"


def combine(fine: np.ndarray, coarse: np.ndarray) -> np.ndarray:
    """Features of the two-scale rule: all of the analysis scale's, then :data:`COARSE_FEATURES`."""
    return np.concatenate([np.asarray(fine, np.float64), np.asarray(coarse, np.float64)[_COARSE_INDEX]])


def softmax(logits: np.ndarray) -> np.ndarray:
    z = np.asarray(logits, np.float64)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def region_scores(probs: np.ndarray, window_std: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(p_blur, textured)`` per window from class probabilities ``N x 4`` (flat, sharp, defocus, motion)."""
    p = np.asarray(probs, np.float64)
    p_flat = p[:, 0]
    p_blur = (p[:, 2] + p[:, 3]) / np.maximum(1.0 - p_flat, 1e-9)
    textured = p_flat < 0.5
    if window_std is not None:
        textured &= np.asarray(window_std) >= MIN_STD
    return np.clip(p_blur, 0.0, 1.0), textured


def _logit(p: float) -> float:
    p = min(max(p, 1e-3), 1 - 1e-3)
    return float(np.log(p / (1 - p))) / 4.0


def _largest_component(mask: np.ndarray) -> int:
    if not mask.any():
        return 0
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=4)
    return int(stats[1:, cv2.CC_STAT_AREA].max()) if n > 1 else 0


def features(p_blur: np.ndarray, textured: np.ndarray, shape: tuple[int, int],
             p_flat: np.ndarray | None = None, long_side: int = 1024) -> np.ndarray:
    """Image-level features (:data:`FEATURE_NAMES`) of one grid of region scores.

    ``long_side`` is the analysis image's long side: a small photo is never upscaled, so the same blur (as a
    viewer sees it) spans fewer of its pixels; ``log2(long_side / 1024)`` lets the rule account for that.
    """
    p_blur = np.asarray(p_blur, np.float64).ravel()
    textured = np.asarray(textured, bool).ravel()
    n = p_blur.size
    t = p_blur[textured]
    if t.size == 0:  # nothing to judge: neutral values, the textured share (0) tells the rule
        qs = [0.5] * 6
        mean = sharp_share = blur_share = 0.5
        largest = 0.0
        n_sharp = 0
    else:
        qs = list(np.quantile(t, [0.0, 0.1, 0.25, 0.5, 0.75, 0.9]))
        mean = float(t.mean())
        sharp = textured & (p_blur <= SHARP_P)
        sharp_share = float(sharp.sum() / t.size)
        blur_share = float((t >= BLUR_P).mean())
        largest = _largest_component(sharp.reshape(shape)) / n
        n_sharp = int(sharp.sum())
    if p_flat is None:
        weights = textured.astype(np.float64)
    else:
        weights = 1.0 - np.asarray(p_flat, np.float64).ravel()
    soft_mean = float((weights * p_blur).sum() / weights.sum()) if weights.sum() > 1e-9 else 0.5
    return np.array([
        textured.mean(), *qs, mean, sharp_share, blur_share, largest, np.log1p(n_sharp), soft_mean,
        _logit(qs[0]), _logit(qs[1]), _logit(qs[3]), float(np.log2(max(long_side, 16) / 1024.0)),
    ], np.float64)


def anisotropy(windows: np.ndarray, textured: np.ndarray) -> float:
    """How one-directional the fine detail of the textured windows is: the smaller over the larger eigenvalue
    of their summed gradient structure tensor (central differences), 1 when none is textured.

    Linear motion removes detail along its direction only, so the edges parallel to it stay crisp and the
    windows holding them look sharp; the detail that is left all runs one way (a ratio near 0).  A sharp
    photo has detail in every direction, and a photo of buildings in two (horizontal and vertical: the two
    eigenvalues stay alike).
    """
    w = np.asarray(windows)
    if w.ndim == 4:
        w = w[:, 0]
    keep = np.asarray(textured, bool)
    w = (w if keep.all() else w[keep]).astype(np.int16)  # (every window textured: no copy to select them)
    if len(w) == 0:
        return 1.0
    # differences in int16 (exact), sums of products in float32, in the order of an AVX-512 CPU's BLAS (dot32)
    gx = (w[:, 1:-1, 2:] - w[:, 1:-1, :-2]).astype(np.float32).ravel()
    gy = (w[:, 2:, 1:-1] - w[:, :-2, 1:-1]).astype(np.float32).ravel()
    a, b, c = dot32(gx, gx), dot32(gy, gy), dot32(gx, gy)
    half = (a + b) / 2
    disc = float(np.sqrt(max(half * half - (a * b - c * c), 0.0)))
    return (half - disc) / max(half + disc, 1e-9)


def dot32(x: np.ndarray, y: np.ndarray) -> float:
    """The float32 dot product of the 1-D float32 arrays ``x`` and ``y``, whose products are exact in float32
    (integers up to 2^24: :func:`anisotropy`'s gradients), summed in one fixed order on every CPU.

    ``x @ y`` is OpenBLAS's, whose kernel, chosen by CPU, sets the order of the float32 additions: until
    2026-12-06 an AVX2 CPU (AMD Zen 1-3, Intel's without AVX-512) and an old SSE one gave other sums than an
    AVX-512 CPU once a lane's sum passed 2^24 (high-contrast detail), and ``p_blurry`` moved by up to 2.1e-05
    and 9.6e-05 on 594 real photos (the JSONL's four decimals differed in 2 and 5 of them). This is the AVX-512
    kernel's order (OpenBLAS's ``sdot``, SkylakeX, which Zen 4 and the Xeons that trained and measured the
    shipped model use): 64 lanes over the whole 64-element blocks, folded to 4 x 8, the next 32 elements added
    to those, a fixed tree of the 32 lanes, and the last ``n % 32`` products summed in float64 and added; each
    lane's running sum is NumPy's reduction over the first axis (one addition per block, in order), exact float32
    arithmetic that no CPU changes. Bit for bit ``x @ y`` on an AVX-512 CPU (checked on 594 photos and 6,000
    random vectors); 3 x 0.3 ms more per photo than BLAS."""
    n = x.size
    p = np.multiply(x, y, dtype=np.float32)  # exact (see above): a fused multiply-add adds the same
    n32, n64 = n & -32, n & -64
    head = 0.0
    if n32:
        lanes = np.add.reduce(p[:n64].reshape(-1, 64), axis=0) if n64 else np.zeros(64, np.float32)
        acc = lanes.reshape(4, 2, 8).sum(axis=1)  # (each of 4 registers' two halves added: one float32 addition)
        if n32 > n64:
            acc += p[n64:n32].reshape(4, 8)
        s = ((acc[0] + acc[1]) + acc[2]) + acc[3]
        h = s[:4] + s[4:]
        head = float((h[0] + h[1]) + (h[2] + h[3]))
    return float(np.float32(float(p[n32:].sum(dtype=np.float64)) + head))  # (the tail: integers, exact in float64)


#: :func:`anisotropy` below which the detail counts as one-directional (sharp photos: median about 0.7).
ANISOTROPY_REFERENCE = 0.5


def anisotropy_feature(windows: np.ndarray, textured: np.ndarray) -> float:
    """The rule's :data:`ANISOTROPY_FEATURE`: how far the :func:`anisotropy` falls below
    :data:`ANISOTROPY_REFERENCE`, as ``max(0, log(0.55) - log(anisotropy + 0.05))`` (0 at or above it; the 0.05
    keeps a perfectly one-directional photo from dominating the fit).

    One-sided on purpose: detail running one way is evidence of motion, but detail running every way is no
    evidence of sharpness, because defocus and most lens blur leave the remaining detail just as isotropic.
    The two-sided ``log(anisotropy + 0.05)`` let the rule read isotropy as sharpness, and it flagged fewer
    defocused photos (measured: model card, What was tried)."""
    return one_way_detail(anisotropy(windows, textured))


def one_way_detail(ratio: float) -> float:
    """:func:`anisotropy_feature` from an :func:`anisotropy` already computed."""
    return max(0.0, float(np.log(ANISOTROPY_REFERENCE + 0.05) - np.log(ratio + 0.05)))


def rule_probability(feats: np.ndarray, rule: dict) -> np.ndarray:
    """``p_blurry`` from features (``N x F`` or ``F``) and the stored rule (mean, scale, coef, intercept)."""
    x = np.atleast_2d(np.asarray(feats, np.float64))
    z = (x - np.asarray(rule["mean"])) / np.asarray(rule["scale"])
    logit = z @ np.asarray(rule["coef"]) + float(rule["intercept"])
    out = 1.0 / (1.0 + np.exp(-logit))
    return out if np.ndim(feats) == 2 else out[:1]


#: A photo counts as full-size from this fraction of the rule's ``full_size`` on: the decoder analyses a large
#: picture at its DCT-scaled size when that is at most 2.5 % smaller (:data:`blurscan.analysis.DCT_SCALE_TOLERANCE`),
#: so a 12-MP phone photo (4032 x 3024) is analysed at 1008 px, and a 2040-px one at 1020 px.
FULL_SIZE_TOLERANCE = 0.975


def threshold_for(rule: dict, long_side: int) -> float:
    """The ``p_blurry`` from which a photo whose analysis image has ``long_side`` px is called blurry."""
    full = rule.get("threshold_full_size")
    if full is not None and int(long_side) >= FULL_SIZE_TOLERANCE * int(rule.get("full_size", 1024)):
        return float(full)
    return float(rule.get("threshold", 0.5))


def little_blurred(p_blur: np.ndarray, textured: np.ndarray) -> bool:
    """Whether under :data:`PARTIAL_MIN_SHARE` of a grid's textured regions are confidently blurred
    (``p_blur >= BLUR_P``, too few for a blurred part by :func:`decide`'s measure); true of a grid with no
    textured region."""
    t = np.asarray(p_blur)[np.asarray(textured, bool)]
    return not t.size or float((t >= BLUR_P).mean()) < PARTIAL_MIN_SHARE


def mostly_sharp(p_blur: np.ndarray, textured: np.ndarray) -> bool:
    """Whether the median textured region of a grid is confidently sharp (``p_blur <= SHARP_P``) and under
    :data:`PARTIAL_MIN_SHARE` of them confidently blurred (:func:`little_blurred`); false with no textured
    region."""
    t = np.asarray(p_blur)[np.asarray(textured, bool)]
    return bool(t.size) and float(np.median(t)) <= SHARP_P and little_blurred(t, np.ones(t.size, bool))


def decide(p_blurry: float, p_blur: np.ndarray, textured: np.ndarray, threshold: float = 0.5) -> str:
    """``"blurry"``, ``"partial"`` or ``"sharp"`` (see the module docstring)."""
    if p_blurry >= threshold:
        return "blurry"
    t = np.asarray(p_blur)[np.asarray(textured, bool)]
    if t.size and (t <= SHARP_P).any() and (t >= BLUR_P).mean() >= PARTIAL_MIN_SHARE:
        return "partial"
    return "sharp"


def motion_share(probs: np.ndarray, textured: np.ndarray) -> float | None:
    """Share of the textured regions' blur mass that is motion (each region weighted by its own blur mass,
    ``p_defocus + p_motion``): 0 all defocus, 1 all motion; ``None`` when no region is textured."""
    p = np.asarray(probs, np.float64)[np.asarray(textured, bool)]
    if p.size == 0:
        return None
    w = p[:, 2] + p[:, 3]
    motion, defocus = float((w * p[:, 3]).sum()), float((w * p[:, 2]).sum())
    return motion / (motion + defocus) if motion + defocus > 0 else 0.5


#: Features of the blur-type rule (models since 2026-12-04, evening: ``rule["blur_type"]``).
TYPE_FEATURE_NAMES = ("motion_share", "coarse_motion_share", "log_anisotropy")


def type_features(share: float, coarse_share: float | None, ratio: float) -> np.ndarray:
    """:data:`TYPE_FEATURE_NAMES` of one photo: the analysis scale's :func:`motion_share` (not ``None``), the
    coarse grid's (the analysis scale's when it has no textured region) and ``log(ratio + 0.05)``, ``ratio``
    being the textured windows' :func:`anisotropy` (motion leaves detail running one way)."""
    coarse = share if coarse_share is None else coarse_share
    return np.array([share, coarse, np.log(ratio + 0.05)], np.float64)


def blur_type(verdict: str, probs: np.ndarray, textured: np.ndarray, type_rule: dict | None = None,
              type_feats: np.ndarray | None = None) -> str:
    """``"none"`` for sharp photos, else ``"defocus"`` or ``"motion"``.

    With a fitted ``type_rule`` (a logistic regression over :func:`type_features`, stored in the model) it is
    ``motion`` when the rule's probability of motion is at least 0.5; without one (older model files) the
    blur class holding most mass over the textured blurred regions (a motion share above 0.5).  A photo with no
    textured region is ``defocus`` either way."""
    if verdict == "sharp":
        return "none"
    share = motion_share(probs, textured)
    if share is None:
        return "defocus"
    if type_rule is None or type_feats is None:
        return "motion" if share > 0.5 else "defocus"
    return "motion" if float(rule_probability(type_feats, type_rule)[0]) >= 0.5 else "defocus"
