"""The library databases in a folder and the folders above it (:func:`databases_above`), and the sample
(:mod:`blurscan.samples`) another database's record holds of a file (:func:`_sample`, :func:`_record_sample`).

Read by a scan (:mod:`blurscan.renamed`, :mod:`blurscan.replaced`, :mod:`blurscan.swapped`: keeps recorded in the
databases above a library) and by the actions (:mod:`blurscan.actions.keeps`, which re-exports these names). Moved
out of :mod:`blurscan.actions.keeps` on 2026-12-06, unchanged, so that the scan's store lookups no longer import
the actions, a stage above them (``tests/test_layering.py``).
"""
from __future__ import annotations

import os

from .config import DEFAULT_DB_NAME
from . import stored_json


def _sample(conn, key, size, mtime) -> str | None:
    """The sample (:mod:`blurscan.replaced`) of the file a database's record of ``key`` was scored on, when that
    record has the size and time given (those of a keep), else None."""
    row = conn.execute("SELECT record FROM images WHERE path = ? AND size = ? AND mtime_ns = ?",
                       (key, size, mtime)).fetchone()
    return _record_sample(row)


def _record_sample(row) -> str | None:
    try:
        sample = stored_json.parsed(row[0]).get("sample") if row is not None else None
    except (ValueError, AttributeError):
        return None
    return sample if isinstance(sample, str) else None


def databases_above(folder: str, seen: dict[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """The library databases (``.blurscan.db``) in ``folder`` and the folders above it, nearest first, without
    the filesystem root's (never a library's). ``seen``: folder -> its answer, shared by calls that ask about
    many folders of one tree."""
    seen = {} if seen is None else seen
    if folder in seen:
        return seen[folder]
    parent = os.path.dirname(folder)
    if parent == folder:
        return ()
    candidate = os.path.join(folder, DEFAULT_DB_NAME)
    here = (candidate,) if os.path.isfile(candidate) else ()
    seen[folder] = found = here + databases_above(parent, seen)
    return found
