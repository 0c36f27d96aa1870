"""``--min-p-blurry P``: the photos a move / trash / tag also takes by their stored ``p_blurry``, your own cut-off.

``verdict`` is precision first (the model's threshold, 0.705 for camera photos): cleaning a dataset, where a soft
image left in costs more than a sharp one taken out, wants a lower cut. A photo is taken when its ``p_blurry``, as
``report`` and the JSONL write it (rounded to 4 decimals), is at least ``P``, whatever its verdict (``partial``
too: the cut is yours). As with ``--all-blurry``, never one marked keep (:func:`blurscan.actions.plan.select`), and
never a record without a model score: a file that could not be read, or one scanned with ``--model none``
(:func:`unscored` counts those, so the command can say so).
"""
from __future__ import annotations

import math

from ..errors import UsageError
from ..store import path_from_db

#: The :attr:`~blurscan.actions.plan.Candidate.reason` of a photo taken for its ``p_blurry``.
REASON = "p_blurry"


def check(min_p_blurry) -> float | None:
    """``min_p_blurry`` as a float in [0, 1], or None (not asked); anything else is a :class:`UsageError`."""
    if min_p_blurry is None:
        return None
    try:
        value = float(min_p_blurry)
    except (TypeError, ValueError):
        value = math.nan
    if isinstance(min_p_blurry, bool) or not 0 <= value <= 1:  # (NaN fails too)
        raise UsageError(f"--min-p-blurry {min_p_blurry!r}: give a p_blurry cut-off between 0 and 1, such as 0.4")
    return value


def shown(value: float) -> str:
    """A probability as the dry run shows it: ``0.62``, ``0.4``, ``1``."""
    return f"{value:g}"


def above(conn, min_p_blurry: float):
    """``(path, size, mtime_ns, why)`` of every readable photo whose stored ``p_blurry``, rounded as the JSONL
    writes it, is at least ``min_p_blurry``; ``why`` is what the dry run shows: ``p_blurry 0.62 >= 0.4``."""
    for key, size, mtime, p in conn.execute(
            "SELECT path, size, mtime_ns, p_blurry FROM images WHERE status = 'ok' AND p_blurry IS NOT NULL "
            "AND p_blurry >= ?", (min_p_blurry - 0.001,)):  # (a margin for the rounding; the exact test below)
        p = round(p, 4)
        if p >= min_p_blurry:
            yield path_from_db(key), size, mtime, f"p_blurry {shown(p)} >= {shown(min_p_blurry)}"


def unscored(store, under: str | None) -> int:
    """How many readable photos at or under ``under`` (all, when None) have no ``p_blurry`` (scanned with
    ``--model none``), not counting those a batch moved or trashed: ``--min-p-blurry`` cannot take them."""
    from ..stored_paths import under_clause
    from .afterwards import moved_paths

    args: list = []
    where = f" AND {under_clause(under, args)}" if under else ""
    rows = store.conn.execute(f"SELECT path FROM images WHERE status = 'ok' AND p_blurry IS NULL{where}", args)
    gone = moved_paths(store)
    return sum(1 for (key,) in rows if path_from_db(key) not in gone)


def highest(store, under: str | None) -> float | None:
    """The highest stored ``p_blurry`` (rounded as the JSONL writes it) of the readable photos at or under
    ``under`` (all, when None) still in place (not moved or trashed by a batch) and not marked keep; None when
    there is none: what an empty ``--min-p-blurry`` selection tells the user."""
    from ..stored_paths import under_clause
    from .afterwards import moved_paths

    args: list = []
    where = f" AND {under_clause(under, args)}" if under else ""
    rows = store.conn.execute(
        f"SELECT path, p_blurry FROM images WHERE status = 'ok' AND p_blurry IS NOT NULL{where}", args)
    gone = moved_paths(store)
    kept = {key for (key,) in store.conn.execute("SELECT path FROM decisions WHERE decision = 'keep'")}
    found = [round(value, 4) for key, value in rows if key not in kept and path_from_db(key) not in gone]
    return max(found) if found else None
