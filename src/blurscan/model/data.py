"""Training data: sharp photos blurred with :mod:`blurscan.synth`, cut into labelled grid windows.

Generation happens once per (sources, plan, seed) and is cached as one ``.npz`` per synthetic image under a
work folder outside the repository (default ``~/.cache/blurscan/train``), named by the source's key *and the
SHA-256 of its bytes* (another photo under the same name is made anew).  Each file holds the image's grid
windows exactly as the runtime cuts them (:func:`blurscan.model.spec.extract_patches`), a label per window
and the image-level label.

Window labels (:data:`blurscan.model.spec.REGION_LABELS` indices; ``-1`` = ignored by the loss)
----------------------------------------------------------------------------------------------
* ``flat`` (0) when the *sharp source* window has almost no fine detail: the standard deviation of
  ``source - GaussianBlur(source, 1.5)`` is below :data:`FLAT_HF` grey levels.  Such a window carries no
  blur evidence whatever was done to it (sky, walls), so it must never vote "blurry".
* otherwise the loss of fine detail is measured, ``r = hf(output) / hf(source)``, where for a blurred image
  ``output`` is its noiseless twin (the same draws, sharpening and JPEG, the sensor noise scaled to zero;
  since labels version 6): noise is fine detail too, and measured on the noisy image a blurred window under
  strong noise looked unblurred, so the network had learnt that noisy windows are sharp;
  for ``none`` -> ``sharp``; for kinds blurring the whole frame ``r < 0.6`` -> the blur category of the
  kind (``defocus`` or ``motion``); for the partial kinds (a sharp subject) ``r < 0.6`` -> ``defocus``,
  ``r > 0.8`` -> ``sharp``; everything in between -> ignored
  (a blur too weak to see in that window, or a window straddling the focus boundary);
* in a blurred night scene (plan entries ``night-...``, :func:`night_scene`) a window holding a lamp takes the
  blur category whatever its ratio: the lamp's saturated streak keeps hard edges (more fine detail than the
  small lamp had), and it is exactly the evidence of camera shake that the network must learn to read.

Image labels: ``none`` and the intentional shallow depth of field kinds (``partial_centre``,
``partial_subject``, ``partial_small``: a sharp subject is kept) are 0, uniform blur kinds are 1, and ``missed_focus``
(sharp background, soft subject) is ``-1``: by the issue's definition an image with an acceptably sharp
textured region is not wholly blurry, and the real multi-focus photos (focused far: background sharp,
foreground soft) must not be called blurry; so it is left out of the image-level rule and used for windows
only.
"""
from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ..errors import BlurscanError, os_reason, printable_path
from ..xdg import cache_home
from .spec import COARSE_MAX_GRID, REGION_LABELS, coarse_image, extract_patches

log = logging.getLogger(__name__)

#: A source window whose fine detail (std of the 1.5-sigma high-pass, grey levels) is below this is flat.
FLAT_HF = 1.5
#: Ratio of fine detail (output / source) below which a window counts as blurred.
BLURRED_RATIO = 0.6
#: ... and above which a window of a partial kind counts as sharp.
SHARP_RATIO = 0.8
#: For kinds that blur the whole frame, the ratio below which a window counts as blurred.  0.85 (a window that
#: lost 15 % of its fine detail counts as blurred) made faint blur and sensor noise indistinguishable and gave
#: a network that called real sharp photos blurry; windows between 0.6 and 1 are now ignored.
UNIFORM_RATIO = 0.6
#: Version of the labelling rule (part of the cache key).
#: 6: the ratio measured on the noiseless twin of a blurred image (5 was a directional rule, never shipped).
LABELS_VERSION = 6

LABEL_INDEX = {name: i for i, name in enumerate(REGION_LABELS)}

#: The default plan: every source is synthesised once per entry (kind, chance of being drawn).
#: Sharp and blurry images come out about balanced once partial kinds (sharp subject) count as sharp.
#: ``none_soft`` is a sharp photo softened *after* the camera pipeline (Gaussian sigma :data:`SOFT_SIGMA` px at
#: analysis scale, then JPEG again), as real sharp photos often are (video frames, scaling, noise
#: reduction, small lenses): softness below the issue's "moderate" blur (a 5-px disk, Gaussian sigma 1.8)
#: that a viewer accepts.  Softening the source *before* the pipeline (as version 2 did) was undone by the
#: pipeline's sharpening, and the network learnt to call a sigma-1 softening blurry (measured: a crisp
#: 1024-px photo blurred with sigma 1.0 got a median region p_blur of 0.92), so real video frames were
#: called blurry.
BLUR_PLAN = (
    "none", "none", "defocus", "gaussian|box", "shake", "shake", "linear_motion",
    "partial_centre", "partial_subject", "partial_subject", "missed_focus", "none_soft", "none_soft",
)
#: Night shots (since 2026-12-02): a night scene made from the source (:func:`night_scene`: dark, with small
#: lamps) left sharp, and the same kind of scene blurred by camera shake or linear motion.  The issue's first
#: model missed camera shake at night, where lamps smear into saturated, hard-edged streaks that read as
#: detail; without these scenes the 2026-12-01 network still did (a 20-px shake on a dark photo with 5 lamps:
#: 20 % called blurry, 53 % without the lamps).
NIGHT_PLAN = ("night-none", "night-shake|night-linear_motion")
#: Small sharp subjects (since 2026-12-02), for the *image rule only* (:data:`RULE_ONLY`): ``partial_small`` is a
#: sharp subject covering about 1.5-9 % of the frame over a defocused background.  The issue's first model flagged
#: such photos, and so did the 2026-12-02 model: with a subject of 5 % of the frame (placed on detail, the rest
#: behind a 16-px disk), 23 of 82 full-size photos were called blurry (60 of 82 with seed 1).  The windows do see
#: the subject; the rule, which had never been shown such a photo, read a few sharp windows among many blurred
#: ones as "blurred all over".
SMALL_SUBJECT_PLAN = ("partial_small", "partial_small")
#: Plan entries the window CNN does not train on (their images serve the image rule and the evaluation): a
#: network trained on ``partial_small`` windows too lost recall (bench synthetic 73.3 -> 66.9 %, real
#: 94.3 -> 93.2 %) for little gain on small subjects over the rule alone (5 against 7 of 21 scikit-image
#: photos with a subject of 5 % of the frame called blurry).
RULE_ONLY = frozenset({"partial_small"})
#: Exposure of a night scene (linear light, relative to the source) and its number of lamps.
NIGHT_EXPOSURE = (0.04, 0.3)
NIGHT_LAMPS = (3, 40)
#: Lamp radius in px at the 1024-px analysis scale.
NIGHT_LAMP_RADIUS = (1.0, 3.5)
#: Range of the ``none_soft`` softening (Gaussian sigma in px of the analysis-scale image): up to the middle of the
#: "mild" range (3-5 px disk, sigma 1.1-1.8), which the targets do not count as blurry.
SOFT_SIGMA = (0.4, 1.3)
#: Severity levels of blurred variants and their weights (the targets concern moderate and strong blur).
SEVERITIES = (("moderate", 0.5), ("strong", 0.5))


def default_work_dir() -> Path:
    return Path(cache_home()) / "blurscan" / "train"


def hf_energy(windows: np.ndarray) -> np.ndarray:
    """Fine detail of each window: std of ``x - GaussianBlur(x, sigma=1.5)`` in grey levels.

    ``windows``: ``N x P x P`` (or ``N x 1 x P x P``) uint8.
    """
    w = np.asarray(windows)
    if w.ndim == 4:
        w = w[:, 0]
    out = np.empty(len(w), np.float32)
    for i, x in enumerate(w):
        f = x.astype(np.float32)
        hp = f - cv2.GaussianBlur(f, (0, 0), 1.5, borderType=cv2.BORDER_REFLECT)
        out[i] = hp[4:-4, 4:-4].std()
    return out


def window_labels(src_windows: np.ndarray, out_windows: np.ndarray, kind: str, category: str,
                  lit: np.ndarray | None = None, ref_windows: np.ndarray | None = None) -> np.ndarray:
    """Label every window (see the module docstring).  ``lit`` marks the windows of a night scene holding a
    lamp: under a uniform blur they are blurred whatever their fine detail says (a saturated streak keeps
    hard edges).  ``ref_windows``, when given, are the same windows of the noiseless twin: the loss of detail
    is measured on them instead of ``out_windows``."""
    hs, ho = hf_energy(src_windows), hf_energy(out_windows if ref_windows is None else ref_windows)
    ratio = ho / np.maximum(hs, 1e-6)
    labels = np.full(len(hs), -1, np.int8)
    flat = hs < FLAT_HF
    if kind == "none":
        labels[:] = LABEL_INDEX["sharp"]
    else:
        blur_cls = LABEL_INDEX["motion" if category == "motion" else "defocus"]
        if category == "partial" or kind == "missed_focus":
            labels[ratio < BLURRED_RATIO] = blur_cls
            labels[ratio > SHARP_RATIO] = LABEL_INDEX["sharp"]
        else:
            labels[ratio < UNIFORM_RATIO] = blur_cls
    labels[flat] = LABEL_INDEX["flat"]
    if lit is not None and kind != "none" and category != "partial" and kind != "missed_focus":
        labels[np.asarray(lit, bool)] = LABEL_INDEX["motion" if category == "motion" else "defocus"]
    return labels


def soften_output(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A finished synthetic photo softened by a Gaussian of :data:`SOFT_SIGMA` px and JPEG-compressed again
    (quality 80-95), as a soft but acceptable real photo is.

    The photo is at analysis scale already (long side <= 1024, never upscaled), so sigma is in its own
    pixels: softness is judged at the size the network sees, as a viewer judges a small photo at its size.
    """
    sigma = float(rng.uniform(*SOFT_SIGMA))
    out = cv2.GaussianBlur(rgb, (0, 0), sigma, borderType=cv2.BORDER_REFLECT) if sigma >= 0.2 else rgb
    ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(out[:, :, ::-1]),
                           [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(80, 96))])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)[:, :, ::-1].copy() if ok else out


def night_scene(rgb: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The source as a night shot: exposure :data:`NIGHT_EXPOSURE` (linear light) and :data:`NIGHT_LAMPS`
    small lamps painted as clipped white discs (the synthesis' highlight extension lifts such spots far
    above white, so a blur smears them into saturated streaks, as street lamps are).

    Returns ``(rgb uint8, lamps uint8 mask: 255 where a lamp was painted)``.
    """
    from ..synth import camera as cam

    lo, hi = NIGHT_EXPOSURE
    exposure = float(np.exp(rng.uniform(np.log(lo), np.log(hi))))
    out = np.ascontiguousarray(cam.linear_to_srgb(cam.srgb_to_linear(rgb) * exposure))
    h, w = out.shape[:2]
    scale = max(h, w) / 1024.0
    lamps = np.zeros((h, w), np.uint8)
    for _ in range(int(rng.integers(NIGHT_LAMPS[0], NIGHT_LAMPS[1] + 1))):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = max(1, int(round(rng.uniform(*NIGHT_LAMP_RADIUS) * scale)))
        cv2.circle(out, (x, y), r, (255, 255, 255), -1)
        cv2.circle(lamps, (x, y), r, 255, -1)
    return out, lamps


def image_label(kind: str) -> int:
    """1 = blurry, 0 = sharp (incl. a sharp subject on a soft background), -1 = not used (missed focus)."""
    if kind == "missed_focus":
        return -1
    if kind in ("none", "partial_centre", "partial_subject", "partial_small"):
        return 0
    return 1


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """ITU-R BT.601 luminance as OpenCV computes it (the decoder's ``gray``)."""
    return cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)


@dataclass(frozen=True)
class Job:
    """One synthetic image to make."""

    path: str            # source photo
    key: str             # source key (synth's naming, used for the split)
    split: str
    index: int
    kind: str            # a blur kind, or "a|b" (one drawn)
    seed: int
    patch: int
    max_grid: int
    out: str             # .npz to write
    severities: tuple = SEVERITIES
    downscale_p: float = 0.25
    target: str = ""     # class name for recipe-driven tasks (seed-4class)
    camera: bool = True


def _rng(seed: int, key: str, index: int) -> np.random.Generator:
    h = int.from_bytes(hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()[:8], "big")
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, h, int(index), 0xB1])


def make_one(job: Job) -> dict:
    """Synthesise ``job``, label its windows and write the ``.npz``; returns its metadata."""
    from .. import synth
    from ..synth.recipes import load_source

    if os.path.exists(job.out):
        with np.load(job.out, allow_pickle=False) as z:
            return json.loads(str(z["meta"]))
    rng = _rng(job.seed, job.key, job.index)
    kinds = job.kind.split("|")
    kind = kinds[int(rng.integers(len(kinds)))]
    levels = [s[0] for s in job.severities]
    weights = np.array([s[1] for s in job.severities], float)
    level = levels[int(rng.choice(len(levels), p=weights / weights.sum()))]
    rgb = load_source(job.path, 1024)
    h, w = rgb.shape[:2]
    lamps = None
    name = kind
    if kind.startswith("night-"):
        kind = kind[len("night-"):]
        rgb, lamps = night_scene(rgb, rng)
    soften = kind == "none_soft"
    if soften:
        kind = "none"
    downscale = None
    if job.downscale_p > 0 and rng.random() < job.downscale_p and min(h, w) >= 2 * job.patch:
        downscale = float(rng.uniform(0.5, 1.0))
    ref_rng = copy.deepcopy(rng)
    out, params = synth.synthesize(rgb, rng, blur=kind, severity=level, camera=job.camera, downscale=downscale)
    ref = None
    if kind != "none" and job.camera:
        ref, _ = synth.synthesize(rgb, ref_rng, blur=kind, severity=level, camera=True, downscale=downscale,
                                  noise=False)
    if soften:
        out = soften_output(out, rng)
    src_gray = to_gray(rgb)
    if out.shape[:2] != rgb.shape[:2]:
        src_gray = cv2.resize(src_gray, (out.shape[1], out.shape[0]), interpolation=cv2.INTER_AREA)
    gray = to_gray(out)
    wins, shape = extract_patches(gray, job.patch, job.max_grid)
    src_wins, _ = extract_patches(src_gray, job.patch, job.max_grid)
    lit = lit2 = None
    if lamps is not None:
        if lamps.shape != out.shape[:2]:
            lamps = cv2.resize(lamps, (out.shape[1], out.shape[0]), interpolation=cv2.INTER_AREA)
        lit = extract_patches(lamps, job.patch, job.max_grid)[0].reshape(len(wins), -1).max(axis=1) > 0
        lit2 = extract_patches(coarse_image(lamps), job.patch, COARSE_MAX_GRID)[0]
        lit2 = lit2.reshape(len(lit2), -1).max(axis=1) > 0
    ref_gray = to_gray(ref) if ref is not None else None
    ref_wins = extract_patches(ref_gray, job.patch, job.max_grid)[0] if ref is not None else None
    labels = window_labels(src_wins, wins, kind, params["category"], lit, ref_wins)
    src_hf, out_hf = hf_energy(src_wins), hf_energy(wins)
    # the same image at the coarse scale (see blurscan.model.spec.COARSE_FACTOR), labelled the same way
    gray2, src_gray2 = coarse_image(gray), coarse_image(src_gray)
    wins2, shape2 = extract_patches(gray2, job.patch, COARSE_MAX_GRID)
    src_wins2, _ = extract_patches(src_gray2, job.patch, COARSE_MAX_GRID)
    ref_wins2 = extract_patches(coarse_image(ref_gray), job.patch, COARSE_MAX_GRID)[0] if ref is not None else None
    labels2 = window_labels(src_wins2, wins2, kind, params["category"], lit2, ref_wins2)
    meta = {
        "key": job.key, "split": job.split, "index": job.index, "kind": name if lamps is not None else kind,
        "category": params["category"],
        "severity": level, "severity_px": params.get("severity_px", 0.0), "image_label": image_label(kind),
        "grid": list(shape), "grid2": list(shape2), "size": [int(gray.shape[1]), int(gray.shape[0])], "target": job.target or kind,
    }
    tmp = job.out + ".tmp.npz"
    try:
        np.savez_compressed(tmp, windows=wins[:, 0], labels=labels, meta=json.dumps(meta), src_hf=src_hf,
                            out_hf=out_hf, windows2=wins2[:, 0], labels2=labels2)
        os.replace(tmp, job.out)
    except OSError as exc:  # a full disk: no part of it left (until 2026-12-06 a traceback, the part left)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise DataNotWritten(job.out, exc) from None
    return meta


def plan_jobs(sources: Sequence, work_dir: Path, *, seed: int, plan: Sequence[str] = BLUR_PLAN,
              patch: int = 64, max_grid: int = 12, severities=SEVERITIES, split_seed: int = 0,
              downscale_p: float = 0.25, camera: bool = True, tag: str = "blur") -> list[Job]:
    """One :class:`Job` per (source, plan entry); splits follow :func:`blurscan.synth.recipes.split_of`."""
    from ..synth.recipes import split_of

    cfg = json.dumps([list(plan), patch, max_grid, list(map(list, severities)), downscale_p, camera, tag, seed,
                      LABELS_VERSION])
    sub = work_dir / hashlib.sha256(cfg.encode()).hexdigest()[:12]
    try:
        sub.mkdir(parents=True, exist_ok=True)
        (sub / "config.json").write_text(cfg, encoding="utf-8")  # (ASCII: json.dumps escapes the rest)
    except OSError as exc:  # a full disk: no part of it left (it only tells a person what the folder holds)
        with contextlib.suppress(OSError):
            (sub / "config.json").unlink()
        raise DataNotWritten(sub / "config.json", exc) from None
    jobs = []
    for src in sources:
        split = split_of(src.split_key, split_seed)
        named = f"{src.key}\x1f{_content_digest(src.path)}"  # (surrogateescape: a name that is not UTF-8)
        stem = hashlib.sha256(named.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        for i, kind in enumerate(plan):
            target = ""
            if "=" in kind:  # "target=kind" entries of recipe-driven plans
                target, kind = kind.split("=", 1)
            jobs.append(Job(str(src.path), src.key, split, i, kind, seed, patch, max_grid,
                            str(sub / f"{stem}-{i:02d}.npz"), tuple(severities), downscale_p, target, camera))
    return jobs


def _content_digest(path) -> str:
    """SHA-256 of a source file's bytes: part of its cache files' names, so another photo under the same name
    (a camera's ``DCIM/IMG_0001.JPG`` of another card, a photo edited in place) is made anew, not read from the
    cache of the first. (Until 2026-12-04 the name alone keyed the cache: a second run on other photos with the
    same names trained on the first run's.) An unreadable file gets a fixed mark; making its job reports why."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return "unreadable"
    return digest.hexdigest()


class WorkerDied(BlurscanError):
    """A worker process of :func:`run_jobs` ended abruptly (killed: the out-of-memory killer, ``kill -9``; or
    crashed): the run stops, its other workers too. The images made so far stay in the work folder (each written
    whole, under a temporary name renamed), and a run made again reads them instead of making them anew.

    Until 2026-12-05 the pool started another worker and waited for ever for the dead one's images.
    """

    def __init__(self, work: str | os.PathLike, done: int, total: int) -> None:
        self.work, self.done, self.total = os.fsdecode(work), done, total
        super().__init__(f"a worker process making the training images ended abruptly (killed, perhaps by the "
                         f"out-of-memory killer, or crashed) when {done} of {total} were made; those are kept in "
                         f"{printable_path(self.work)}")


class DataNotWritten(BlurscanError):
    """A file of the training data could not be written in the work folder (a full disk): one line naming it and
    the reason. The images made before it stay there (each written whole, under a temporary name renamed), and a
    run made again reads them instead of making them anew. One text argument: it comes back whole from a worker."""

    def __init__(self, path: str | os.PathLike, exc: OSError | str) -> None:
        if isinstance(exc, str):  # (made again from its text, as a worker's error is)
            super().__init__(exc)
            return
        super().__init__(f"{printable_path(path)}: cannot write the training data: {os_reason(exc)}; the images made "
                         f"before it are kept in {printable_path(os.path.dirname(path))}")

    def __reduce__(self):
        return DataNotWritten, ("", str(self))


def run_jobs(jobs: Sequence[Job], workers: int = 1,
             progress: Callable[[int, int], None] | None = None) -> list[dict]:
    """Make every job (in ``workers`` processes); returns the metadata in job order.

    Raises :class:`WorkerDied` when a worker process ends abruptly."""
    metas: list[dict | None] = [None] * len(jobs)
    if workers <= 1:
        for i, job in enumerate(jobs):
            metas[i] = make_one(job)
            if progress:
                progress(i + 1, len(jobs))
        return metas  # type: ignore[return-value]
    import concurrent.futures as cf
    import multiprocessing as mp

    from ..processes import pool_map, tune_worker, worker_pool

    # "spawn", as the scan's and synth's workers: the command's process already runs library threads (OpenBLAS's,
    # OpenCV's, ONNX Runtime's; 4 threads here), and a forked child of a threaded process can deadlock (Python
    # 3.12 warns of it); the images made are the same bit for bit (408 of the shared data's compared)
    ctx = mp.get_context("spawn")
    items = list(enumerate(jobs))
    chunks = [items[k:k + 4] for k in range(0, len(items), 4)]  # (tasks of 4 jobs, results taken as they come)
    done = 0
    try:
        # each worker born blocking Ctrl-C, which a terminal sends to every process of the group: each printed a
        # KeyboardInterrupt traceback; a dead worker, Ctrl-C or an error stops the workers (processes.worker_pool)
        with worker_pool(workers, ctx, tune_worker) as pool:
            for chunk in pool_map(pool, _indexed_chunk, chunks, 2 * workers, ordered=False):
                for i, meta in chunk:
                    metas[i] = meta
                    done += 1
                    if progress:
                        progress(done, len(jobs))
    except cf.BrokenExecutor:  # (a multiprocessing.Pool waited for ever for the dead worker's jobs)
        raise WorkerDied(Path(jobs[0].out).parent, done, len(jobs)) from None
    return metas  # type: ignore[return-value]


def _indexed_chunk(items):
    return [_indexed(item) for item in items]


def _indexed(item):
    i, job = item
    cv2.setNumThreads(1)
    return i, make_one(job)


def load_windows(jobs: Sequence[Job], splits: Sequence[str], per_image: int, rng: np.random.Generator,
                 coarse_per_image: int = 0, skip_kinds=RULE_ONLY) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labelled windows of the jobs in ``splits``: at most ``per_image`` per image (ignored ones dropped),
    plus at most ``coarse_per_image`` of the image's coarse-scale windows.  Jobs of the plan entries in
    ``skip_kinds`` (default :data:`RULE_ONLY`) give none.

    Returns ``(windows N x P x P uint8, labels N int64, image index N)``.
    """
    xs, ys, ids = [], [], []
    for j, job in enumerate(jobs):
        if job.split not in splits or job.kind in skip_kinds:
            continue
        with np.load(job.out, allow_pickle=False) as z:
            sets = [(z["windows"], z["labels"], per_image)]
            if coarse_per_image > 0 and "windows2" in z.files:
                sets.append((z["windows2"], z["labels2"], coarse_per_image))
            for wins, labels, n in sets:
                keep = np.flatnonzero(labels >= 0)
                if len(keep) > n:
                    keep = np.sort(rng.choice(keep, n, replace=False))
                xs.append(wins[keep])
                ys.append(labels[keep].astype(np.int64))
                ids.append(np.full(len(keep), j))
    if not xs:
        return np.zeros((0, 1, 1), np.uint8), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(ids)


def load_image(job: Job) -> tuple[np.ndarray, np.ndarray, dict]:
    """All windows, labels and metadata of one synthetic image."""
    with np.load(job.out, allow_pickle=False) as z:
        return z["windows"], z["labels"], json.loads(str(z["meta"]))


def load_coarse(job: Job) -> tuple[np.ndarray, np.ndarray]:
    """Coarse-scale windows and labels of one synthetic image (see :data:`blurscan.model.spec.COARSE_FACTOR`)."""
    with np.load(job.out, allow_pickle=False) as z:
        return z["windows2"], z["labels2"]
