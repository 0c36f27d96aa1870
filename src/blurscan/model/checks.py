"""Checks of a model file before it scores a photo: its metadata's values, its network's input and output.

A model named by path (``scan --model PATH``, ``ScanSettings(model=...)``) may be one a user trained, edited or
converted, or another program's ONNX file. Until 2026-12-05 the runtime checked only that the metadata was a
JSON object of the spec format: a network giving NaN scored every photo "sharp" with ``p_blurry`` 0.81 and
an empty grid, labels in another order or a threshold of NaN gave wrong verdicts without a word, and a patch
size that did not match the network, a network with three outputs or a rule with a missing coefficient failed
on every photo as an "internal error" (a Python exception's words). Now :func:`check_spec` and
:func:`check_network` refuse such a file when it is opened, before any photo, with a
:class:`~blurscan.errors.ModelError` naming the file and the reason; and :func:`check_logits` refuses the
network's output for a photo when it is not a number (an error record for that photo, naming the model file).
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import ModelError, printable_path
from . import aggregate
from .spec import REGION_LABELS, ModelSpec

#: The window sizes a model's metadata may name (the gradients of :func:`.aggregate.anisotropy` need 3 px).
PATCH_RANGE = (8, 1024)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _whole(value, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def _vector(rule: dict, key: str, size: int | None, where: str) -> list:
    value = rule.get(key)
    if not isinstance(value, list) or not all(_number(v) for v in value):
        raise ValueError(f"{where} '{key}' must be a list of numbers")
    if size is not None and len(value) != size:
        raise ValueError(f"{where} '{key}' has {len(value)} values, the rule reads {size}")
    return value


def _logistic(rule, size: int, where: str) -> None:
    """A logistic regression as :func:`.aggregate.rule_probability` reads it: mean, scale (never 0), coef of
    ``size`` values and a number for the intercept."""
    if not isinstance(rule, dict):
        raise ValueError(f"{where} is not a JSON object")
    for key in ("mean", "scale", "coef"):
        _vector(rule, key, size, where)
    if any(v == 0 for v in rule["scale"]):
        raise ValueError(f"{where} 'scale' holds a 0")
    if not _number(rule.get("intercept")):
        raise ValueError(f"{where} 'intercept' must be a number")


def _rule(rule) -> None:
    if not isinstance(rule, dict):
        raise ValueError("the image-level rule ('aggregator') is not a JSON object")
    coarse = rule.get("coarse")
    if coarse is not None and not (isinstance(coarse, dict) and _whole(coarse.get("factor"), 2)
                                   and _whole(coarse.get("max_grid"), 1)):
        raise ValueError("the rule's 'coarse' must hold a whole 'factor' >= 2 and 'max_grid' >= 1")
    size = (len(aggregate.FEATURE_NAMES) + (len(aggregate.COARSE_FEATURES) if coarse else 0)
            + (1 if rule.get("anisotropy") else 0))
    _logistic(rule, size, "the rule's")
    for key in ("threshold", "threshold_full_size"):
        value = rule.get(key, 0.5)
        if not (_number(value) and 0 <= value <= 1) and not (key == "threshold_full_size" and value is None):
            raise ValueError(f"the rule's '{key}' must be a number from 0 to 1, got {value!r}")
    if "full_size" in rule and not _whole(rule["full_size"], 1):
        raise ValueError(f"the rule's 'full_size' must be a whole number of pixels, got {rule['full_size']!r}")
    if rule.get("blur_type") is not None:
        _logistic(rule["blur_type"], len(aggregate.TYPE_FEATURE_NAMES), "the blur-type rule's")


def check_spec(spec: ModelSpec) -> None:
    """Raise ``ValueError`` (the reason, one line) unless the runtime can use every value of ``spec``."""
    if not isinstance(spec.version, str) or not spec.version.strip():
        raise ValueError(f"'version' must be a non-empty text, got {spec.version!r}")
    if not isinstance(spec.labels, tuple) or spec.labels != REGION_LABELS:
        shown = list(spec.labels) if isinstance(spec.labels, tuple) else spec.labels
        raise ValueError(f"'labels' are {shown!r}; the scan reads the classes {list(REGION_LABELS)}, in that order")
    low, high = PATCH_RANGE
    if not (_whole(spec.patch, low) and spec.patch <= high):
        raise ValueError(f"'patch' must be a whole number of pixels from {low} to {high}, got {spec.patch!r}")
    if not _whole(spec.max_grid, 1):
        raise ValueError(f"'max_grid' must be a whole number >= 1, got {spec.max_grid!r}")
    if spec.channels not in (1, 3) or isinstance(spec.channels, bool):
        raise ValueError(f"'channels' must be 1 (luminance) or 3 (RGB), got {spec.channels!r}")
    if not (_number(spec.input_scale) and spec.input_scale > 0):
        raise ValueError(f"'input_scale' must be a number above 0, got {spec.input_scale!r}")
    if not _whole(spec.analysis_long_side, 1):
        raise ValueError(f"'analysis_long_side' must be a whole number of pixels, got {spec.analysis_long_side!r}")
    _rule(spec.aggregator)


def check_input(spec: ModelSpec, inputs) -> None:
    """Raise ``ValueError`` unless the network takes one float input of windows as ``spec`` cuts them
    (``N x channels x patch x patch``; a dimension the file leaves open matches any)."""
    if len(inputs) != 1:
        raise ValueError(f"the network takes {len(inputs)} inputs, blurscan gives it one (the windows)")
    shape, kind = list(inputs[0].shape), inputs[0].type
    want = [None, spec.channels, spec.patch, spec.patch]
    if kind != "tensor(float)" or len(shape) != 4 or any(
            isinstance(d, int) and w is not None and d != w for d, w in zip(shape, want)):
        shown = " x ".join(str(d) if isinstance(d, int) else "N" for d in shape)
        raise ValueError(f"the network takes {kind} of shape {shown}, the metadata's windows are "
                         f"tensor(float) of N x {spec.channels} x {spec.patch} x {spec.patch}")


def probe_windows(spec: ModelSpec) -> np.ndarray:
    """Two windows for :func:`check_network`: a grey one and one of noise (the same on every call)."""
    noise = np.random.default_rng(0).integers(0, 256, (spec.channels, spec.patch, spec.patch))
    grey = np.full_like(noise, 128)
    return (np.stack([grey, noise]) * spec.input_scale).astype(np.float32)


def check_logits(path, logits, windows: int) -> np.ndarray:
    """``logits`` of ``windows`` windows as a ``windows x 4`` array (:data:`REGION_LABELS`).

    Raises
    ------
    ModelError
        The network gave another shape, or a value that is no finite number (the message names the file).
    """
    out = np.asarray(logits)
    if out.shape != (windows, len(REGION_LABELS)) or not np.issubdtype(out.dtype, np.number):
        raise ModelError(f"{printable_path(path)}: the network gives {out.dtype} output of shape {out.shape} for "
                         f"{windows} windows, blurscan reads one score per class {', '.join(REGION_LABELS)} "
                         f"({windows}, {len(REGION_LABELS)})")
    finite = np.isfinite(out)
    if not finite.all():
        what = "NaN" if np.isnan(out).any() else "an infinite value"
        bad = int((~finite).any(axis=1).sum())
        raise ModelError(f"{printable_path(path)}: the network gives {what} for {bad} of {windows} windows (a broken "
                         "model)")
    return out
