"""ISO 8601 date-times read alike on every Python that blurscan supports (3.10 to 3.13).

``datetime.fromisoformat`` reads most of ISO 8601 from Python 3.11, but on 3.10 only what ``isoformat()``
writes: a comma before the fraction (``"10:00:00,300"``), a fraction of other than 3 or 6 digits
(``".5"``), ``"Z"`` for UTC, or an offset without its colon (``"+0200"``) or minutes (``"+02"``) made it
refuse the text there, so :mod:`blurscan.bursts` took the file's time instead of such a ``captured_at``
written by a program (the Python API): shots were ordered, kept and grouped differently on 3.10 than on
3.11 (until 2026-12-06). :func:`parse` rewrites those forms into the one 3.10 reads; a text neither reads
(the basic format ``"20240601T100000"``, week dates, which only 3.11 reads) is still refused on 3.10.
"""
from __future__ import annotations

import datetime as _dt
import re


def parse(text: str) -> _dt.datetime:
    """``text`` (ISO 8601, ``T`` or a space between date and time) as a datetime, as Python 3.11's
    ``datetime.fromisoformat`` reads it; ValueError when it is not one."""
    try:
        return _dt.datetime.fromisoformat(text)
    except ValueError:
        written = as_isoformat(text)
        if written is None:
            raise
    return _dt.datetime.fromisoformat(written)


def as_isoformat(text: str) -> str | None:
    """``text`` (the extended format with seconds) in the form ``isoformat()`` writes, the one Python 3.10's
    ``fromisoformat`` reads: ``"2024-06-01T10:00:00,3+02"`` as ``"2024-06-01T10:00:00.300000+02:00"``; None when
    it is not of that format. What :func:`parse` reads on 3.10 where ``fromisoformat`` refuses the text there (on
    3.11 and later it never gets that far: a function of its own, so that the tests on any Python check it)."""
    m = _EXTENDED.fullmatch(text)
    if m is None:
        return None
    fraction = "" if m["fraction"] is None else "." + m["fraction"][:6].ljust(6, "0")
    offset = m["offset"] or ""
    if offset == "Z":
        offset = "+00:00"
    elif offset:
        offset = offset[:3] + ":" + (offset[3:].lstrip(":") or "00")
    return m["moment"] + fraction + offset


# the extended format with seconds: the forms 3.10 refuses are in the fraction and the offset
_EXTENDED = re.compile(r"(?P<moment>[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2})"
                       r"(?:[.,](?P<fraction>[0-9]+))?"
                       r"(?P<offset>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?", re.ASCII)
