"""Reading a manifest's CSV as every command reads one: ``evaluate``, ``synth`` (its sources' manifests and its
own), ``train`` and :mod:`blurscan.datasets`.

Columns are separated by commas, or by semicolons or tabs when the header line has no comma: a spreadsheet's CSV in
locales whose decimal mark is a comma is separated by ``;``. Read with commas only, its header was one column,
``file;label``: ``evaluate`` refused it as missing both (until 2026-12-04), and ``synth`` walked the folder as one
of plain photos, so that its blurred images became sharp sources. Column names are stripped of spaces.
"""
from __future__ import annotations

import csv
import itertools
from typing import TextIO

#: The separators a manifest may use, in the order they are looked for in its header line.
SEPARATORS = (",", ";", "\t")


def separator(header: str) -> str:
    """The separator of a manifest whose first line is ``header``: the first of :data:`SEPARATORS` in it (a comma
    when there is none: a one-column file)."""
    return next((d for d in SEPARATORS if d in header), ",")


def dict_reader(fh: TextIO) -> csv.DictReader:
    """A :class:`csv.DictReader` over ``fh`` (a text file opened with ``newline=""``), its separator told from
    the first line (:func:`separator`) and its ``fieldnames`` stripped (``[]`` for an empty file).

    The first line is read here, and given back to the reader: ``fh`` need not be seekable (a pipe).
    """
    head = fh.readline()
    reader = csv.DictReader(itertools.chain([head], fh), delimiter=separator(head))
    reader.fieldnames = [c.strip() for c in (reader.fieldnames or [])]
    return reader
