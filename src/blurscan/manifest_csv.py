"""Reading a manifest's CSV as every command reads one: ``evaluate``, ``synth`` (its sources' manifests and its
own), ``train`` and :mod:`blurscan.datasets`.

Columns are separated by commas, or by semicolons or tabs when the header line has no comma: a spreadsheet's CSV in
locales whose decimal mark is a comma is separated by ``;``. Read with commas only, its header was one column,
``file;label``: ``evaluate`` refused it as missing both (until 2026-12-04), and ``synth`` walked the folder as one
of plain photos, so that its blurred images became sharp sources.

Column names are stripped of spaces and read in any case (``File``, ``LABEL``); two that differ only in case are
refused (:class:`DuplicateColumns`), which one is meant cannot be told. :func:`records` gives each row with its
values stripped and the line it starts on, and passes over the rows whose every field is empty: a blank line, or
the ``,,,`` and ``;;;`` rows a spreadsheet's export ends with. (Until 2026-12-05 names were read in their case,
``set`` and ``split`` values kept their spaces, rows of empty fields stopped ``evaluate`` with "empty 'file'", and
its messages numbered the rows as if no blank line had been skipped.)

Since 2026-12-06 (an audit of manifests made in spreadsheets): :func:`open_manifest` reads UTF-16 too (a
"Unicode text" export), a ``sep=;`` line above the header names the separator, a row with a field past the
header's columns is refused (a decimal comma unquoted in a comma-separated file), and :func:`listed_path` reads a
Windows path's backslashes as folder separators.
"""
from __future__ import annotations

import codecs
import csv
import errno
import io
import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .errors import path_reason

#: The separators a manifest may use, in the order they are looked for in its header line.
SEPARATORS = (",", ";", "\t")


def separator(header: str) -> str:
    """The separator of a manifest whose first line is ``header``: the first of :data:`SEPARATORS` in it (a comma
    when there is none: a one-column file)."""
    return next((d for d in SEPARATORS if d in header), ",")


def open_manifest(path: str | os.PathLike) -> TextIO:
    """``path`` opened to be read by :func:`dict_reader`: UTF-8 with or without a byte-order mark (a spreadsheet's
    "CSV UTF-8"), or UTF-16 where it starts with one of UTF-16's byte-order marks (a spreadsheet's "Unicode text"
    export, tab-separated: until 2026-12-06 refused as "not UTF-8 text (byte 0xff, line 1)"). Raises ``OSError``.
    The file is opened once, its first bytes peeked at: it may be a pipe (``evaluate <(...)``)."""
    raw = open(path, "rb")  # (returned open, wrapped in the text file)
    try:
        utf16 = raw.peek(2)[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    except OSError:
        raw.close()
        raise
    return io.TextIOWrapper(raw, encoding="utf-16" if utf16 else "utf-8-sig", newline="")


class DuplicateColumns(csv.Error):
    """Two columns of a manifest whose names differ only in case (or not at all): which one is meant cannot be
    told. A :class:`csv.Error`, which every reader of a manifest already reports as one line naming the file."""


def dict_reader(fh: TextIO) -> csv.DictReader:
    """A :class:`csv.DictReader` over ``fh`` (a text file opened with ``newline=""``), its separator told from
    the first line (:func:`separator`), its ``fieldnames`` stripped and lower-cased (``[]`` for an empty file);
    ``written_names``: the names stripped, in their own case (for messages).

    The first line is read here, and given back to the reader: ``fh`` need not be seekable (a pipe). A first line
    ``sep=;`` (a line Excel reads as the separator to use, which some exports and some people add so that the file
    opens right there) gives the separator, and the header is the next line (until 2026-12-06 it was taken for the
    header: "missing columns 'file', 'label' (columns: sep=, )"); :func:`records` counts it in its line numbers.

    Raises
    ------
    DuplicateColumns
        Two columns of one name, ignoring case (``file`` and ``File``); empty names (a header ending in ``,,``)
        are not compared.
    """
    head = fh.readline()
    told = re.fullmatch(r"sep=(.)\r?\n?", head, re.IGNORECASE)
    if told:
        head = fh.readline()
    reader = csv.DictReader(itertools.chain([head], fh), delimiter=told.group(1) if told else separator(head))
    reader.lines_before = 1 if told else 0  # type: ignore[attr-defined]
    written = [c.strip() for c in (reader.fieldnames or [])]
    seen: dict[str, str] = {}
    for name in written:
        if name and name.lower() in seen:
            first = seen[name.lower()]
            raise DuplicateColumns(f"columns {first!r} and {name!r} differ only in case: which one is meant "
                                   f"cannot be told; rename or remove one" if first != name else
                                   f"column {name!r} appears twice: which one is meant cannot be told; rename or "
                                   "remove one")
        seen[name.lower()] = name
    reader.fieldnames = [c.lower() for c in written]
    reader.written_names = written  # type: ignore[attr-defined]
    return reader


def records(reader: csv.DictReader) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, row)`` for each row of a :func:`dict_reader`: ``line``, the line of the file the row starts on
    (the header is line 1; blank lines and a quoted field's own line breaks counted), ``row``, its values by
    column, stripped (``""`` for a field the row lacks; empty fields beyond the header's left out, the ``;;;`` a
    spreadsheet may end a row with). A row with a field that is not empty beyond them is refused (a :class:`csv.Error`
    naming its line): read on, its values would be in the wrong columns. A row whose every
    field is empty or spaces is passed over, as a blank line is."""
    columns = reader.fieldnames or []
    rows = reader.reader  # (the csv.reader under the DictReader: it gives blank lines too, so each is counted)
    before = getattr(reader, "lines_before", 0)  # (a ``sep=;`` line above the header)
    start = before + rows.line_num + 1
    for values in rows:
        line, start = start, before + rows.line_num + 1
        if not any(v.strip() for v in values):
            continue
        if any(v.strip() for v in values[len(columns):]):
            raise csv.Error(_extra_fields(line, values, len(columns), reader.reader.dialect.delimiter))
        yield line, {name: values[i].strip() if i < len(values) else "" for i, name in enumerate(columns)}


def _extra_fields(line: int, values: list[str], columns: int, sep: str) -> str:
    """Why the row at ``line`` (its ``values``) is refused: it has a field (not empty) beyond the header's
    ``columns``. Mostly a decimal comma written unquoted in a comma-separated file (``a.jpg,blurry,0,5``, typed or
    pasted by hand; a spreadsheet quotes such a value), which moved each later value one column on: until
    2026-12-06 it was read so, silently (``set`` ``5``), the extra field dropped."""
    extra = next(v.strip() for v in values[columns:] if v.strip())
    hint = (" (a decimal comma, as in 0,5? put such a value in quotes, or write 0.5)" if sep == "," else "")
    return (f"line {line} has {len(values)} fields, but the header names {columns} columns{hint}: "
            f"the extra field {extra!r} cannot be placed; remove it or add its column to the header")


def listed_path(base: str | os.PathLike, file: str) -> Path:
    """The path of the image a manifest in the folder ``base`` names as ``file``. A manifest written on Windows
    may separate folders with backslashes (``photos\\IMG_1.jpg``), which are part of a file's name elsewhere: where
    no file has that name but one has the name read with ``/`` for ``\\``, that one is meant. (Until 2026-12-06
    every such image was "no such file" off Windows.)"""
    path = Path(base) / file
    if "\\" in file and os.sep == "/" and not os.path.lexists(path):
        other = Path(base) / file.replace("\\", "/")
        if os.path.lexists(other):
            return other
    return path


def unreadable(exc: BaseException, path: str | os.PathLike) -> str:
    """Why the manifest at ``path`` could not be read (``exc``: an ``OSError``, a ``UnicodeDecodeError`` or a
    ``csv.Error``), in plain words for the one line naming it: ``permission denied``, ``part of its path is a
    file, not a folder``, or, for a file that is not UTF-8 (a spreadsheet's CSV saved in a Windows code page),
    the line of its first byte that is not and what to do. Until 2026-12-06 it was Python's text: ``[Errno 13] Permission denied: 'm.csv'``, or
    ``'utf-8' codec can't decode byte 0xe9 in position 14: invalid continuation byte``."""
    if isinstance(exc, UnicodeDecodeError) and exc.encoding.startswith("utf-16"):
        return ("not UTF-16 text, though it starts as UTF-16 (cut short?); save it as UTF-8 (a spreadsheet's "
                "\"CSV UTF-8\") and run again")
    if isinstance(exc, UnicodeDecodeError):
        where = ""
        try:  # (the position the decoder gives counts from the start of its last chunk, not of the file)
            with open(path, "rb") as fh:
                data = fh.read()
            data.decode("utf-8-sig")
        except UnicodeDecodeError as first:
            line = data.count(b"\n", 0, first.start) + 1
            where = f", line {line}"
        except OSError:
            pass
        return (f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x}{where}); save it as UTF-8 (a spreadsheet's "
                "\"CSV UTF-8\") and run again")
    if isinstance(exc, OSError) and exc.errno == errno.ENOTDIR:
        return "part of its path is a file, not a folder"
    if isinstance(exc, OSError):
        return path_reason(exc, os.fsdecode(path))
    return str(exc)
