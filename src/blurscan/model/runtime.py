"""Run a blurscan model with ONNX Runtime (no torch at run time).

>>> from blurscan.model import runtime
>>> clf = runtime.load("default")            # doctest: +SKIP
>>> out = clf.predict(decoded)               # doctest: +SKIP
>>> out.verdict, out.p_blurry, out.blur_type  # doctest: +SKIP

``load("default")`` opens the model shipped in the package (``blurscan/models/default.onnx``),
``load("none")`` returns ``None`` (the scan then uses the classical measures), any other spec is a path.
The preprocessing (window size, grid, channels, scaling), labels and the image-level rule come from the
file's metadata (:mod:`blurscan.model.spec`); :attr:`Classifier.version` is the metadata version plus a
short hash of the file bytes, so retraining into the same path still invalidates cached results.
Flat borders around the picture (letterbox bars, frames) are left out before the model looks at it
(:func:`blurscan.borders.content_box`); :data:`~blurscan.model.spec.PREPROCESS_VERSION` names that step in
the scan's cache key.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import re
import signal
import stat
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..config import usable_cores
from ..errors import ModelError, os_reason, printable_path
from . import aggregate, checks, forked
from ..borders import content_box
from .. import stop_signals
from .spec import METADATA_KEY, ModelSpec, coarse_image, extract_patches, window_std

log = logging.getLogger(__name__)

DEFAULT_MODEL = "default.onnx"

#: Windows per network call. A 12-MP photo gives 148 windows (10 x 10 and the halved copy's 8 x 6); run in
#: calls of 32, each layer's activations stay in the core's cache, and the same logits (bit for bit: each window
#: is computed alone) come 7-8 % sooner than in one call (measured on the shipped model, 1024 x 768 photos, one
#: thread, calls of 8 to 148 windows timed alternately in one process: 16-48 within 2 % of each other).
WINDOWS_PER_CALL = 32

#: Model threads (``--threads``, ``ScanSettings.model_threads``) started per core this process may use, at most.
MAX_THREADS_PER_CORE = 4


@dataclass
class ModelOutput:
    """What the model says about one image.

    Attributes
    ----------
    verdict : str
        ``"sharp"``, ``"partial"`` (a sharp region next to blurred ones: kept) or ``"blurry"``.
    p_blurry : float
        Calibrated probability that the photo is blurry (no acceptably sharp region), 0..1.
    blur_type : str
        ``"none"``, ``"defocus"`` or ``"motion"``.
    grid : list of list of (float or None)
        Per-region ``p_blur`` (rows x columns of the analysis grid); ``None`` marks a flat region.
    grid_box : list of float
        ``[left, top, right, bottom]``: the part of the image the grid covers, as fractions of its width and
        height (``[0, 0, 1, 1]`` unless flat borders were left out, see :func:`blurscan.borders.content_box`).
    """

    verdict: str
    p_blurry: float
    blur_type: str
    grid: list
    grid_box: list = dataclasses.field(default_factory=lambda: [0.0, 0.0, 1.0, 1.0])


def default_model_path() -> Path:
    """Path of the model shipped inside the package."""
    return Path(str(resources.files("blurscan") / "models" / DEFAULT_MODEL))


def load(spec: str | os.PathLike | None = "default", threads: int = 1) -> "Classifier | None":
    """Open a model: ``"default"``, ``"none"`` (returns ``None``) or a path to an ``.onnx`` file.

    Parameters
    ----------
    spec : str or path
    threads : int
        ONNX Runtime intra-op threads (``intra_op_num_threads``); the scan runs one model per worker.

    Raises
    ------
    ModelError
        The file is missing, is not an ONNX model, lacks blurscan metadata, or holds metadata or a network the
        runtime cannot use (:mod:`.checks`; the message names the file).
    """
    if spec is None or (isinstance(spec, str) and spec.lower() == "none"):
        return None
    path = default_model_path() if (isinstance(spec, str) and spec == "default") else Path(os.fsdecode(spec))
    return Classifier(path, threads=threads)


def _nothing_to_judge(image: np.ndarray) -> bool:
    """No large-scale structure either (the classical rule's test for a photo without a textured tile)."""
    import cv2

    from ..measures import COARSE_STRUCTURE_MIN, coarse_gradient

    gray = image if image.ndim == 2 else cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY)
    return coarse_gradient(gray) < COARSE_STRUCTURE_MIN


def import_onnxruntime():
    """``onnxruntime``, imported with its telemetry off.

    Since 1.29 ONNX Runtime's Linux and macOS wheels send usage telemetry to Microsoft by default: on import
    they create a device id and an event cache under ``~/.cache/Microsoft/DeveloperTools`` and start an
    uploader. blurscan promises a scan that never touches the network and writes nothing but its database,
    so ``ORT_DISABLE_TELEMETRY=1`` (ONNX Runtime's documented opt-out, read once, before initialisation) is
    set unless the user set the variable. Worker processes inherit it.
    """
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    if "onnxruntime" in sys.modules:  # an import statement: another thread's import may still be under way
        import onnxruntime

        return onnxruntime
    # Ctrl-C while its native module initialises (a few tenths of a second) does not raise KeyboardInterrupt
    # but "ImportError: initialization failed", which reads like a broken install: a Ctrl-C meanwhile is only
    # noted, and raised once the import is done, as the KeyboardInterrupt the scan handles ("interrupted: ...").
    # (Blocking the signal would not do: numpy's threads, started earlier, would take it.)
    noted: list[int] = []
    try:
        previous = stop_signals.set_ctrl_c_handler(lambda signum, frame: noted.append(signum))
    except ValueError:  # not the main thread: no Python signal handler runs here anyway
        previous = None
    try:
        import onnxruntime
    finally:
        if previous is not None:
            stop_signals.set_ctrl_c_handler(previous)
    if noted and callable(previous):  # (default_int_handler raises KeyboardInterrupt; SIG_IGN is no callable)
        previous(signal.SIGINT, None)
    return onnxruntime


def _check_regular(path: Path) -> None:
    """Refuse a model path that is neither a file nor a folder before reading it: a named pipe (reading waited
    for a writer for good until 2026-12-05), a device (``/dev/zero``: read without end), a socket."""
    st = path.stat()  # (FileNotFoundError and other OSErrors: the caller's messages)
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        kind = "a named pipe" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode) else "a device"
        raise ModelError(f"{printable_path(path)}: not a model file ({kind}): give an .onnx file")


#: The head of ONNX Runtime's messages: ``[ONNXRuntimeError] : 7 : INVALID_PROTOBUF : `` (a status number and name).
_ORT_HEAD = re.compile(r"^\[ONNXRuntimeError\] : \d+ : (\w+) : ")


def _ort_reason(exc: BaseException) -> str:
    """ONNX Runtime's reason for ``exc`` on one line, without its status number and name, as ONNX Runtime's."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"ONNX Runtime: {_ORT_HEAD.sub('', text)[:200]}"


def _unloadable(exc: BaseException) -> str:
    """Why ONNX Runtime could not open a model file, in words: a file that is no ONNX model at all, or one cut short
    or damaged, is said so (until 2026-12-06 both read ``[ONNXRuntimeError] : 7 : INVALID_PROTOBUF : Failed to load
    model because protobuf parsing failed.``, an empty file ``... : 2 : INVALID_ARGUMENT : No graph was found in the
    protobuf.``); any other reason is ONNX Runtime's (:func:`_ort_reason`)."""
    head = _ORT_HEAD.match(str(exc))
    if head and (head.group(1) == "INVALID_PROTOBUF" or "No graph was found" in str(exc)):
        return "not an ONNX file, or one cut short or damaged: give the .onnx file `blurscan train` wrote"
    return _ort_reason(exc)


class Classifier:
    """An opened model file. Its methods may be called from several threads at once (ONNX Runtime's ``run`` is
    thread-safe), and in a child forked from this process, which opens its own session (:mod:`.forked`)."""

    def __init__(self, path: str | os.PathLike, threads: int = 1) -> None:
        ort = import_onnxruntime()

        self.path = Path(os.fsdecode(path))
        try:
            _check_regular(self.path)
            data = self.path.read_bytes()
        except FileNotFoundError:
            raise ModelError(f"{printable_path(self.path)}: model file not found") from None
        except OSError as exc:
            raise ModelError(f"{printable_path(self.path)}: cannot read model file ({os_reason(exc)})") from None
        if int(threads) < 1:
            raise ModelError(f"{printable_path(self.path)}: threads must be >= 1, got {threads}")
        opts = ort.SessionOptions()
        # ONNX Runtime starts every thread it is given: until 2026-12-05 `--threads 100000` started thousands, took
        # 16 GB and went on after SIGTERM. Threads beyond the cores only wait for each other: MAX_THREADS_PER_CORE
        opts.intra_op_num_threads = min(int(threads), MAX_THREADS_PER_CORE * usable_cores())
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.log_severity_level = 3
        # The batch (the photo's number of windows) changes with the aspect ratio, and ONNX Runtime's memory
        # pattern keeps a plan per input shape: switched off, a worker holds ~23 MB less after a few photos of
        # different shapes at the same speed (measured on the shipped model; the scan's peak memory has a
        # 500 MB target for the whole process tree).
        opts.enable_mem_pattern = False
        try:
            self._session = forked.opened(ort.InferenceSession(data, opts, providers=["CPUExecutionProvider"]))
            self._opened = (os.getpid(), data, opts)  # (a forked child opens the same again: _run)
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(f"{printable_path(self.path)}: not a valid ONNX model ({_unloadable(exc)})") from None
        meta = self._session.get_modelmeta().custom_metadata_map
        if METADATA_KEY not in meta:
            raise ModelError(f"{printable_path(self.path)}: not a blurscan model (no '{METADATA_KEY}' metadata)")
        try:
            self.spec = ModelSpec.from_json(meta[METADATA_KEY])
        except (ValueError, TypeError, KeyError) as exc:
            raise ModelError(f"{printable_path(self.path)}: bad blurscan metadata ({exc})") from None
        if self.spec.task != "blur":
            what = ("the blog's 4-class experiment (train --recipe seed-4class)" if self.spec.task == "algorithm4"
                    else f"a '{self.spec.task}' model")
            raise ModelError(f"{printable_path(self.path)}: {what} cannot score photos; scan needs a model made by "
                             "`blurscan train` with the default recipe (task 'blur')")
        if not self.spec.aggregator:
            raise ModelError(f"{printable_path(self.path)}: the model has no image-level rule in its metadata")
        try:  # every value the runtime reads, and the network's input, before any photo (.checks)
            checks.check_spec(self.spec)
            checks.check_input(self.spec, self._session.get_inputs())
        except ValueError as exc:
            raise ModelError(f"{printable_path(self.path)}: bad blurscan metadata ({exc})") from None
        self._input = self._session.get_inputs()[0].name
        probe = checks.probe_windows(self.spec)  # a network whose output blurscan cannot read: refused now
        try:
            logits = self._run(probe)
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(f"{printable_path(self.path)}: the network fails on a window "
                             f"({_ort_reason(exc)})") from None
        checks.check_logits(self.path, logits, len(probe))
        self.version = f"{self.spec.version}+{hashlib.sha256(data).hexdigest()[:8]}"
        self.threads = int(threads)

    def __repr__(self) -> str:
        return f"Classifier({str(self.path)!r}, version={self.version!r})"

    def region_probs(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
        """Class probabilities of every grid window: ``(probs N x C, window std N, (rows, cols))``."""
        return self._grids([(image, self.spec.max_grid)])[0][:3]

    def _grids(self, images: list) -> list:
        """:meth:`region_probs` of several ``(image, max_grid)`` at once (one network call), each with its
        windows: ``(probs, std, shape, windows)``."""
        cut = [extract_patches(img, self.spec.patch, max_grid) for img, max_grid in images]
        windows = np.concatenate([w for w, _ in cut]) if len(cut) > 1 else cut[0][0]
        # one pass from uint8 to the scaled float32 input: the same figures as windows.astype(np.float32) *
        # np.float32(scale) (each pixel converted exactly, then one float32 product), without the float32 copy
        x = np.multiply(windows, np.float32(self.spec.input_scale), dtype=np.float32)
        logits = [self._run(x[i:i + WINDOWS_PER_CALL]) for i in range(0, max(len(x), 1), WINDOWS_PER_CALL)]
        logits = checks.check_logits(self.path, np.concatenate(logits) if len(logits) > 1 else logits[0], len(x))
        probs = aggregate.softmax(logits)
        std = window_std(windows)
        out, start = [], 0
        for w, shape in cut:
            out.append((probs[start:start + len(w)], std[start:start + len(w)], shape, w))
            start += len(w)
        return out

    def _run(self, x: np.ndarray) -> np.ndarray:
        """The network's logits for the windows ``x``, counted among the calls a fork waits for (:mod:`.forked`).

        In a child forked from the process that opened the model, a session of its own, opened at its first
        call: the parent's session knows intra-op threads that the child has not got (with ``threads`` > 1 the
        child's calls ran on one thread)."""
        pid, data, opts = self._opened
        if pid != os.getpid():
            session = forked.opened(import_onnxruntime().InferenceSession(data, opts,
                                                                          providers=["CPUExecutionProvider"]))
            with forked.runs.lock:  # (two threads of the child at once: one session replaces the parent's, which
                if self._opened[0] != os.getpid():  # is never freed here: forked.never_freed)
                    self._session, self._opened = session, (os.getpid(), data, opts)
        with forked.runs():
            return self._session.run(None, {self._input: x})[0]

    def predict_gray(self, gray: np.ndarray) -> ModelOutput:
        """Score an analysis-scale luminance image (``H x W`` uint8)."""
        g = np.asarray(gray)
        if g.ndim != 2 or g.dtype != np.uint8:
            raise ValueError(f"The parameter `gray` must be a 2-D uint8 array, got {g.ndim}-D {g.dtype}")
        if self.spec.channels != 1:
            g = np.repeat(g[:, :, None], 3, axis=2)
        return self._predict(g)

    def predict(self, decoded) -> ModelOutput:
        """Score a :class:`~blurscan.records.DecodedImage` (its ``gray`` or ``rgb`` per the model spec)."""
        image = decoded.gray if self.spec.channels == 1 else decoded.rgb
        if image is None:
            raise ValueError(f"{decoded.path}: this model reads colour, and the image was decoded as luminance "
                             "only (decode(..., color=True) for it)")
        return self._predict(np.asarray(image), getattr(decoded, "fitted_long_side", None))

    @property
    def needs_color(self) -> bool:
        """Whether :meth:`predict` reads the decoded image's ``rgb`` (else its ``gray`` only)."""
        return self.spec.channels != 1

    def _predict(self, image: np.ndarray, fitted_long_side: int | None = None) -> ModelOutput:
        # flat borders (letterbox bars, frames) are left out: their hard edge against the picture reads as sharp.
        # The photo's pixel scale is that of the whole analysis image: the size features and the size class of
        # the threshold keep its long side (trimming bars does not make a blur span fewer pixels). A long thin
        # photo analysed larger than that (blurscan.analysis) is read at the scale of a photo of its size, as
        # fitted: a 20000 x 40 strip as a 1024-px photo (the rule never saw long sides over 1024 in training).
        full_h, full_w = image.shape[:2]
        long_side = max(full_h, full_w) if not fitted_long_side else min(max(full_h, full_w), int(fitted_long_side))
        top, bottom, left, right = content_box(image if image.ndim == 2 else image.mean(axis=2),
                                               min_side=self.spec.patch)
        image = image[top:bottom, left:right]
        box = [round(left / full_w, 4), round(top / full_h, 4), round(right / full_w, 4), round(bottom / full_h, 4)]
        rule = self.spec.aggregator
        coarse = rule.get("coarse")
        todo = [(image, self.spec.max_grid)]
        if coarse:
            todo.append((coarse_image(image, int(coarse["factor"])), int(coarse["max_grid"])))
        grids = self._grids(todo)
        probs, std, shape, windows = grids[0]
        p_blur, textured = aggregate.region_scores(probs, std)
        feats = aggregate.features(p_blur, textured, shape, probs[:, 0], long_side=long_side)
        if coarse:
            probs2, std2, shape2, _ = grids[1]
            p2, t2 = aggregate.region_scores(probs2, std2)
            feats = aggregate.combine(feats, aggregate.features(p2, t2, shape2, probs2[:, 0],
                                                                long_side=long_side // int(coarse["factor"])))
        type_rule = rule.get("blur_type")  # models since 2026-12-04's evening
        ratio = aggregate.anisotropy(windows, textured) if rule.get("anisotropy") or type_rule else None
        if rule.get("anisotropy"):  # rules fitted since 2026-12-02 (older model files: without it)
            one_way = aggregate.one_way_detail(ratio)
            if one_way and aggregate.mostly_sharp(p_blur, textured) \
                    and (not coarse or aggregate.little_blurred(p2, t2)) and _nothing_to_judge(image):
                # a straight edge alone on a plain ground (a power line or a plane against a clear sky, a
                # horizon, a wall's edge): most windows holding detail look sharp, almost none blurred, and there
                # is no large-scale structure beside the edge that a shake would have smeared, so its one-way
                # detail is no evidence of motion (a motion along the edge leaves it as it is). It gave p_blurry
                # 0.84-0.99, 'blurry', 'motion' (bench/categories.py); a line smeared across stays blurry
                one_way = 0.0
            feats = np.append(feats, one_way)
        p_blurry = float(aggregate.rule_probability(feats, rule)[0])
        threshold = aggregate.threshold_for(rule, long_side)
        verdict = aggregate.decide(p_blurry, p_blur, textured, threshold)
        type_feats = None
        if type_rule and verdict != "sharp" and textured.any():
            type_feats = aggregate.type_features(aggregate.motion_share(probs, textured),
                                                 aggregate.motion_share(probs2, t2) if coarse else None, ratio)
        kind = aggregate.blur_type(verdict, probs, textured, type_rule, type_feats)
        rows, cols = shape
        scores, votes = p_blur.tolist(), textured.tolist()  # the Python floats float() gave, in one call
        grid = [[round(scores[r * cols + c], 3) if votes[r * cols + c] else None for c in range(cols)]
                for r in range(rows)]
        if not textured.any() and not (coarse and t2.any()) and _nothing_to_judge(image):
            # no region votes and the rule's answer would be its intercept (p 0.83 for a grey card): a clear
            # sky, a wall, a black frame is no blurred photo. A photo blurred until no window is textured still
            # shows the outlines of its scene and keeps the rule's verdict.
            return ModelOutput(verdict="sharp", p_blurry=0.0, blur_type="none", grid=grid, grid_box=box)
        return ModelOutput(verdict=verdict, p_blurry=p_blurry, blur_type=kind, grid=grid, grid_box=box)
