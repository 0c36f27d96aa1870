"""The model's preprocessing spec and the patch grid, shared by training and the runtime (numpy only).

A model file carries its own preprocessing (as timm models do): the ONNX ``metadata_props`` hold a JSON
document under the key ``"blurscan"`` (see :class:`ModelSpec`).  The runtime never hard-codes the patch
size, grid, labels or the image-level rule; it reads them from the file.

The grid
--------
The analysis image (long side <= 1024, never upscaled) is cut into ``rows x cols`` cells, each axis holding
``clip(length // patch, 1, max_grid)`` cells.  From every cell the centred ``patch x patch`` window is
classified (cells smaller than a patch take the window centred on the cell, clamped inside the image; an
image smaller than a patch is reflect-padded).  With the shipped model (``max_grid`` 10) a 1024 x 768 photo
gives a 10 x 10 grid of 64-px windows taken from 102 x 77 cells, and its coarse copy (halved, see
:data:`COARSE_FACTOR`) a 6 x 8 grid: 148 network evaluations, which is what the ~15 ms/photo inference budget
allows on one core, while still sampling every part of the frame.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import numpy as np

#: Key of the JSON spec in the ONNX model's metadata_props.
METADATA_KEY = "blurscan"
#: Version of the spec format itself; the runtime refuses other majors.
SPEC_FORMAT = 1

#: Region classes of the default network, in output order.
REGION_LABELS = ("flat", "sharp", "defocus", "motion")


@dataclass(frozen=True)
class ModelSpec:
    """Everything the runtime needs to use a model file.

    Attributes
    ----------
    version : str
        Human version of the model (``"2026.11-1"``); the runtime appends a hash of the file bytes.
    task : str
        ``"blur"`` (region classes :data:`REGION_LABELS` + image rule) or ``"algorithm4"`` (the blog's
        4-way blur-algorithm classifier; not usable by the scan).
    labels : list of str
        Output classes of the network, in order.
    patch : int
        Side of the square input window in pixels at analysis scale.
    max_grid : int
        Most cells per image axis.
    channels : int
        1 = luminance (``DecodedImage.gray``), 3 = RGB.
    input_scale : float
        Pixel values are multiplied by this before entering the network (the network normalises each
        window itself: mean removed, divided by ``std + eps``; that part lives inside the ONNX graph).
    aggregator : dict
        Coefficients of the image-level rule (see :mod:`blurscan.model.aggregate`).
    training : dict
        Provenance (command, data, date, seed) for the model card.
    """

    version: str
    task: str = "blur"
    labels: tuple = REGION_LABELS
    patch: int = 64
    max_grid: int = 8
    channels: int = 1
    input_scale: float = 1.0 / 255.0
    analysis_long_side: int = 1024
    aggregator: dict = field(default_factory=dict)
    training: dict = field(default_factory=dict)
    format: int = SPEC_FORMAT

    def to_json(self) -> str:
        d = asdict(self)
        d["labels"] = list(self.labels)
        return json.dumps(d, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "ModelSpec":
        d = json.loads(text)
        if not isinstance(d, dict):
            raise ValueError("the blurscan metadata is not a JSON object")
        fmt = int(d.get("format", -1))
        if fmt != SPEC_FORMAT:
            raise ValueError(f"unsupported model spec format {fmt} (this blurscan reads {SPEC_FORMAT})")
        known = {f for f in cls.__dataclass_fields__}
        d = {k: v for k, v in d.items() if k in known}
        labels = d.get("labels", REGION_LABELS)
        d["labels"] = tuple(labels) if isinstance(labels, (list, tuple)) else labels  # (other: refused)
        if "version" not in d:  # (Python's own words until 2026-12-05: "__init__() missing 1 required ...")
            raise ValueError("no 'version' in the blurscan metadata")
        return cls(**d)


#: The coarse scale: the analysis image is also looked at halved (OpenCV area resampling), on at most
#: ``COARSE_MAX_GRID`` windows per axis.  A real photo that is merely soft (video frame, small sensor,
#: phone processing: edges 1-2 px wide at 1024 px) looks crisp there, while a blur a viewer notices (5 px
#: and more at 1024 px) is still there; the image rule weighs both scales.
COARSE_FACTOR = 2
COARSE_MAX_GRID = 8


def coarse_image(image: np.ndarray, factor: int = COARSE_FACTOR) -> np.ndarray:
    """The analysis image reduced ``factor`` times (area average), as training and the runtime both do it."""
    import cv2

    img = np.ascontiguousarray(image)
    h, w = img.shape[:2]
    return cv2.resize(img, (max(1, w // factor), max(1, h // factor)), interpolation=cv2.INTER_AREA)


#: Bumped when what the runtime does around the model changes results (part of the scan's cache key,
#: :func:`blurscan.pipeline.cache_key`). 2: flat borders left out (:func:`blurscan.borders.content_box`,
#: 2026-12-02). 3: a photo with nothing to judge (no textured region, no large-scale structure) is not
#: called blurry (:func:`blurscan.model.runtime.Classifier`, 2026-12-02). 4: a straight edge alone on a plain ground
#: (a power line, a horizon, a small plane against a clear sky) is no evidence of motion (the rule's one-way detail
#: feature reads 0 there, 2026-12-06).
PREPROCESS_VERSION = "4"



def grid_shape(height: int, width: int, patch: int, max_grid: int) -> tuple[int, int]:
    """Rows and columns of the region grid for an image of ``height x width`` pixels."""
    rows = int(np.clip(height // patch, 1, max_grid))
    cols = int(np.clip(width // patch, 1, max_grid))
    return rows, cols


def _starts(length: int, cells: int, patch: int) -> np.ndarray:
    centres = (np.arange(cells) + 0.5) * (length / cells)
    starts = np.round(centres - patch / 2).astype(int)
    return np.clip(starts, 0, max(length - patch, 0))


def extract_patches(image: np.ndarray, patch: int, max_grid: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Cut the grid windows out of an analysis-scale image.

    Parameters
    ----------
    image : ndarray
        ``H x W`` (luminance) or ``H x W x C`` uint8 image at analysis scale.
    patch, max_grid : int
        See :class:`ModelSpec`.

    Returns
    -------
    patches : ndarray
        ``N x C x patch x patch`` array of the same dtype, in row-major grid order.
    shape : (rows, cols)
    """
    img = np.asarray(image)
    if img.ndim == 2:
        img = img[:, :, None]
    if img.ndim != 3:
        raise ValueError(f"The parameter `image` must be a 2-D or 3-D array, got {img.ndim}-D")
    h, w = img.shape[:2]
    if h < patch or w < patch:
        ph, pw = max(patch - h, 0), max(patch - w, 0)
        img = np.pad(img, ((ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)), mode="reflect"
                     if min(h, w) > 1 else "edge")
        h, w = img.shape[:2]
    rows, cols = grid_shape(h, w, patch, max_grid)
    ys, xs = _starts(h, rows, patch), _starts(w, cols, patch)
    # every patch x patch window as a view, then one gather of the grid's (a Python loop over the windows cost
    # ~5 times as much: about 1 ms of a 1024-px photo's inference)
    s0, s1, s2 = img.strides  # (sliding_window_view gives the same view, after ~20 us of argument checks)
    windows = np.lib.stride_tricks.as_strided(img, (h - patch + 1, w - patch + 1, img.shape[2], patch, patch),
                                              (s0, s1, s2, s0, s1), writeable=False)  # (.., .., C, p, p)
    out = np.ascontiguousarray(windows[np.ix_(ys, xs)].reshape(rows * cols, img.shape[2], patch, patch))
    return out, (rows, cols)


def window_std(windows: np.ndarray) -> np.ndarray:
    """Standard deviation of each window's grey levels (``N x ...`` uint8), as ``windows.reshape(N, -1).std(1)``
    gives it, bit for bit, in about a third of the time.

    With integer sums: ``var = (n * sum(x^2) - sum(x)^2) / n^2``. When ``n`` (pixels per window) is a power of
    two, as for 64 x 64 windows, NumPy's two-pass float64 variance is exact too (the mean ``sum / n`` is a
    binary fraction, every deviation and square is exactly representable, and every partial sum stays under
    2^53 in units of the squares' last bit), and so is this division: both give the exact variance, hence the
    same square root. For other window sizes NumPy's result is returned."""
    flat = np.asarray(windows).reshape(len(windows), -1)
    n = flat.shape[1]
    if flat.dtype != np.uint8 or n == 0 or n & (n - 1) or n > 1 << 20:
        return flat.std(axis=1)
    # sums in uint32 while they cannot overflow (n * 255^2 < 2^32: windows up to 256 x 256), which NumPy adds
    # faster than int64 (0.5 against 0.9 ms for a 1024-px photo's 148 windows); squares in place, in uint16
    wide = np.uint32 if n * 255 * 255 < 1 << 32 else np.int64
    s1 = flat.sum(axis=1, dtype=wide).astype(np.int64)
    squares = flat.astype(np.uint16)
    squares *= squares
    s2 = squares.sum(axis=1, dtype=wide).astype(np.int64)
    return np.sqrt((n * s2 - s1 * s1) / float(n * n))


def patch_origins(height: int, width: int, patch: int, max_grid: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-left corners (y starts, x starts) of the grid windows, as :func:`extract_patches` uses them."""
    h, w = max(height, patch), max(width, patch)
    rows, cols = grid_shape(h, w, patch, max_grid)
    return _starts(h, rows, patch), _starts(w, cols, patch)
