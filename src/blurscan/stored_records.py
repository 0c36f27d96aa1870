"""A stored scan record back into a :class:`~blurscan.records.ScanRecord`: the ``record`` column of an ``images``
row (:mod:`blurscan.store`), parsed once per row, by a fast path when its keys are those a blurscan writes or
wrote (a rescan builds one per file), and said damaged when it is not a record's JSON. Moved out of
:mod:`blurscan.store` on 2026-12-06 (which had passed 500 lines)."""
from __future__ import annotations

import dataclasses
import json
import operator
import sqlite3

from .records import _STORED, ScanRecord, stored_shape


#: A stored record's keys (:meth:`ScanRecord.to_row`; until 2026-12-06 with ``rescored`` and ``redated``, never stored)
_RECORD_FIELDS = frozenset(_STORED)
#: Record fields added since, in order: rows stored before lack the last ones (``judged_twin``; then ``dates``, left
#: out here until 2026-12-06; ...), and the class defaults (None) stand in on the fast path.
_ADDED = (("note",), ("unread_twin",), ("ctime_ns", "sample"), ("captured_subsec",), ("dates",), ("judged_twin",),
          ("exposure_ev",), ("camera",), ("exposure_setting",))
_RECORD_FIELDS_EARLIER = tuple(_RECORD_FIELDS.difference(*_ADDED[i:]) for i in reversed(range(len(_ADDED))))
#: The added fields' class defaults (each None), for a row stored before them
_ADDED_DEFAULTS = {f.name: f.default for f in dataclasses.fields(ScanRecord) if any(f.name in a for a in _ADDED)}
#: A stored row's values in the order of ScanRecord's ``__init__`` parameters, whose first ones are the stored fields
_values = operator.itemgetter(*_STORED)


def stored_record(blob) -> ScanRecord:
    """The ScanRecord of an ``images`` row's ``record`` column. One that is not a record's JSON (a damaged page of
    the database) raises :class:`sqlite3.DatabaseError`, which the command line says as a damaged database
    (:func:`blurscan.dbfile.damaged_error`); until 2026-12-05 it stopped ``report`` with a traceback."""
    try:
        row = json.loads(blob)
        if not isinstance(row, dict):
            raise ValueError(f"a JSON {type(row).__name__}")
        return _record(row)
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:  # (JSON nested past Python's stack)
        raise sqlite3.DatabaseError(f"a stored scan record is damaged ({exc})") from None


def _chunk_records(blobs: list) -> list[ScanRecord | None]:
    """:func:`stored_record` of each blob, in one JSON parse when none is damaged; None for a damaged one."""
    try:
        rows = json.loads("[" + ",".join(blobs) + "]")
        if len(rows) == len(blobs):  # (a damaged blob such as `{...},{...}` would shift every record after it)
            return [_record(row) for row in rows]
    except (ValueError, TypeError, AttributeError, RecursionError):
        pass
    out: list[ScanRecord | None] = []
    for blob in blobs:
        try:
            out.append(stored_record(blob))
        except sqlite3.DatabaseError:
            out.append(None)
    return out


def _record(row: dict) -> ScanRecord:
    """A ScanRecord from its stored JSON object.

    Fast path (a re-scan builds one per file): when the keys are exactly the fields (or an earlier version's), the
    values in field order to the generated ``__init__``, positionally (4x cheaper than by name: the stored fields
    are the first of its parameters; until 2026-12-07, when ScanRecord was slotted, the row filled the instance's
    ``__dict__``); otherwise (a row written by another blurscan version) go through :meth:`ScanRecord.from_row`.
    """
    keys = row.keys()
    if keys == _RECORD_FIELDS:
        return stored_shape(ScanRecord(*_values(row)))
    if keys in _RECORD_FIELDS_EARLIER:  # (the fields added since, each None by default, stand in)
        return stored_shape(ScanRecord(*_values({**_ADDED_DEFAULTS, **row})))
    return stored_shape(ScanRecord.from_row(row))
