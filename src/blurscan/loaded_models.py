"""The models :func:`blurscan.score_image` keeps loaded between calls, each known by its file.

A model named by path is kept under that path made absolute (at the call: a relative path is the current
folder's) with its file's identity (device, inode, size, modification time), and loaded again when the file
changed: one ``os.stat`` a call, about a microsecond. Until 2026-12-05 a model was kept by the path as given for
the life of the process, so a model retrained and exported again to the same path (a notebook) went on giving
the old model's results, while :func:`blurscan.scan`, which loads its model each time, gave the new one's; and a
relative path meant the file it named at the first call. ``"default"`` (the shipped model, a file of the
installed package) and ``"none"`` are kept without a look at the disk.
"""
from __future__ import annotations

import os

#: (spec, or the absolute path of a model file; threads) -> (the file's identity or None, the model or None)
_MODELS: dict[tuple[str, int], tuple[tuple | None, object]] = {}


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
    kept = _MODELS.get(key)
    if kept is None or kept[0] != stamp:
        kept = _MODELS[key] = (stamp, load_model(key[0], threads))
    return kept[1]
