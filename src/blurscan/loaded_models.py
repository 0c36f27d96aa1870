"""The models :func:`blurscan.score_image` keeps loaded between calls, each known by its file.

A model named by path is kept under that path made absolute (at the call: a relative path is the current
folder's) with its file's identity (device, inode, size, modification time), and loaded again when the file
changed: one ``os.stat`` a call, about a microsecond. Until 2026-12-05 a model was kept by the path as given for
the life of the process, so a model retrained and exported again to the same path (a notebook) went on giving
the old model's results, while :func:`blurscan.scan`, which loads its model each time, gave the new one's; and a
relative path meant the file it named at the first call. ``"default"`` (the shipped model, a file of the
installed package) and ``"none"`` are kept without a look at the disk.

Models named by path are kept for the :data:`KEPT` of them used last (with their ``threads``), the others let go:
until 2026-12-06 every one was kept for the life of the process (2.6 MB each: a notebook scoring 40 checkpoints
grew by 103 MB). A model let go is never closed here: a call of another thread that holds it goes on with it, and
its ONNX Runtime session is freed once no call holds it. A model is loaded once for all the threads that ask for
it at once: the others wait for that load (until 2026-12-06 each of N threads' first calls on a model loaded it,
and all but one of the sessions were thrown away).
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict

#: How many models named by path are kept loaded, besides ``"default"`` and ``"none"`` (least recently used out).
KEPT = 4

#: (spec, or the absolute path of a model file; threads) -> (the file's identity or None, the model or None),
#: the model used last at the end
_MODELS: OrderedDict[tuple[str, int], tuple[tuple | None, object]] = OrderedDict()
_KEPT_LOCK = threading.Lock()  # around every look at _MODELS (held for no load)
#: A model is loaded holding one of these (by its key: two models share one 1 time in 64, one then waiting for
#: the other's load), so that threads asking for it at once load it once.
_LOADING = [threading.Lock() for _ in range(64)]


def model(spec: str, threads: int = 1):
    """The model of ``spec`` (``"default"``, ``"none"`` or a path), loaded once per file version.

    Raises
    ------
    blurscan.errors.ModelError
        A model file named by path is missing or invalid (as :func:`blurscan.pipeline.load_model`).
    """
    from .pipeline import load_model

    if spec in ("default", "none"):
        key, stamp = (spec, threads), None
    else:
        path = os.path.abspath(spec)
        try:
            st = os.stat(path)
        except OSError:
            return load_model(spec, threads)  # missing, unreadable: its ModelError names the file
        key, stamp = (path, threads), (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    found = _kept(key, stamp)
    if found is not None:
        return found[0]
    with _LOADING[hash(key) % len(_LOADING)]:
        found = _kept(key, stamp)  # (loaded by another thread meanwhile)
        if found is not None:
            return found[0]
        loaded = load_model(key[0], threads)
        with _KEPT_LOCK:
            _MODELS[key] = (stamp, loaded)
            _MODELS.move_to_end(key)
            by_path = [k for k in _MODELS if k[0] not in ("default", "none")]
            for old in by_path[:max(0, len(by_path) - KEPT)]:  # let go, not closed: see the module docstring
                del _MODELS[old]
    return loaded


def _kept(key: tuple[str, int], stamp: tuple | None) -> tuple[object] | None:
    """``(model,)`` kept for ``key`` and of the file version ``stamp``, made the one used last; else None."""
    with _KEPT_LOCK:
        kept = _MODELS.get(key)
        if kept is None or kept[0] != stamp:
            return None
        _MODELS.move_to_end(key)
        return (kept[1],)
