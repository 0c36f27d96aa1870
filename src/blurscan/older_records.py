"""A record stored by an older blurscan, written as the JSONL contract promises (``docs/jsonl.md``).

``blurscan report`` writes the records a library's database holds, as they were stored, until a scan scores or
dates them again (a record of another cache key or of older date rules is not reused by a scan, but ``report``
lists it). Three kinds of such records broke the contract's promises, found by checking ``report --format
jsonl`` against ``docs/jsonl.schema.json`` (until 2026-12-06):

- a model-judged record stored before 2026-12-02 has no ``grid_box``: it was written ``null``, which the contract
  gives only to errors and ``--model none`` records. Its ``grid`` covered the whole picture (flat borders were
  not left out then), which is what ``[0.0, 0.0, 1.0, 1.0]`` says: it is written so;
- a ``captured_at`` stored before 2026-12-04 with an offset that is no real one (``+99:99``) is not ISO 8601,
  the key's one format: its offset is left out and the time kept, as a scan now reads it
  (:func:`blurscan.exif.exif_datetime`);
- a record stored before measure version 2 of the classical verdict (2026-11-25) lacks ``coarse_gradient``, and
  an error record of that day every score: the keys were missing from the object, which the contract promises
  never are (and a CSV of such records lacked their columns). They are written ``null``, in their order.

A record a scan writes today is never changed here (:func:`needs_care` is false for it).
"""
from __future__ import annotations

import re

#: The classical scores every JSONL object has, sorted (``docs/jsonl.md``'s keys between ``laplacian_var`` and
#: ``grid``; :func:`blurscan.measures.blank_scores`'s names, which a test holds equal).
SCORES = ("coarse_gradient", "laplacian_var_norm", "sharp_tile_fraction", "sharp_tile_ratio", "sharp_tiles",
          "tenengrad", "textured_fraction", "textured_tiles")
_SCORES = frozenset(SCORES)

#: The whole grid, the ``grid_box`` of a record stored before there was one.
WHOLE = (0.0, 0.0, 1.0, 1.0)

_DATED = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})([+-])([0-9]{2}):([0-9]{2})")


def needs_care(scores: dict, grid, grid_box, captured_at) -> bool:
    """Whether a record with these values is one that :func:`scores_of`, :func:`grid_box_of` or
    :func:`captured_at_of` writes otherwise (cheap: called for every record written)."""
    return ((grid_box is None and grid is not None) or not _SCORES.issubset(scores)
            or (isinstance(captured_at, str) and len(captured_at) > 19  # (a number written by hand: as stored)
                and (captured_at[20:] > "14:00" or captured_at[23:] >= "60")))


def scores_of(scores: dict) -> dict:
    """``scores`` with every score of the contract, ``None`` where missing."""
    return {**dict.fromkeys(SCORES), **scores}


def grid_box_of(grid, grid_box):
    """``grid_box``, or the whole picture for a record with a ``grid`` stored before ``grid_box`` existed."""
    return list(WHOLE) if grid_box is None and grid is not None else grid_box


def captured_at_of(captured_at):
    """``captured_at`` with an offset that is no real one left out (minutes of 60 or more, past 14 hours)."""
    m = _DATED.fullmatch(captured_at) if isinstance(captured_at, str) else None
    if m and (int(m.group(4)) >= 60 or int(m.group(3)) * 60 + int(m.group(4)) > 14 * 60):
        return m.group(1)
    return captured_at
