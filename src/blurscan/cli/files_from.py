"""``scan --files-from LIST``: the paths to scan read from a file or standard input, as a pipeline hands them over.

A list is what ``find``, ``fd``, ``git ls-files`` or ``jq -r .path`` print: one path a line (``--null``/``-0``:
separated by NUL bytes, as ``find -print0``, ``fd -0`` and ``git ls-files -z`` write them, the only way to give a
name that holds a line break). Each listed path is taken as a PATH given on the command line would be (a file
whatever its suffix, a folder walked), relative ones to the current folder. Read as bytes and decoded as the
command line is (:func:`os.fsdecode`), so a name that is not UTF-8 comes through unchanged; such a name as the
JSON Lines output writes it (``caf\\xe9.jpg``, ``jq -r .path``) is taken for the file's, when no file has that name
as written. Blank lines are
ignored, and so is the carriage return of a CRLF line end (a list written on Windows); a path listed twice is
scanned once (so is a file listed under two names: :mod:`blurscan.walk`). A name is never expanded: a listed
``~x/IMG_1.jpg`` is the folder ``~x`` of the current folder (a PATH's ``~`` is expanded, for the shells that
leave ``--db=~/x`` as written). A list that starts with a UTF-8 byte-order mark (what Excel's "CSV UTF-8",
pandas' ``encoding="utf-8-sig"``, PowerShell 5's ``Out-File -Encoding utf8`` and older Windows Notepad write) has
it dropped from its first path, when no file has that name as written; a UTF-16 list (PowerShell 5's ``>``,
Notepad's "Unicode") is refused, saying so, rather than taken for a NUL-separated one.
"""
from __future__ import annotations

import os
import re
import sys

from ..errors import UsageError, os_reason, printable_path

#: A byte of a name that is not UTF-8 as the JSON Lines ``path`` writes it (``\\xe9``: docs/jsonl.md).
_ESCAPED = re.compile(r"\\x([89a-f][0-9a-f])")
#: The UTF-8 byte-order mark, and those of UTF-16 (little- and big-endian).
_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Bytes read at a time.
CHUNK = 1 << 20
#: Bytes of the longest path a system call takes (Linux's PATH_MAX; macOS's is 1024): a longer entry is no path.
PATH_MAX = 4096
#: Bytes of each end of an entry too long to be a path that its error message shows.
SHOWN = 40


def read_paths(source: str, null: bool = False) -> list[str]:
    """The paths listed in ``source`` (a file name; ``"-"``: standard input), in their order, each once.

    Raises :class:`~blurscan.errors.UsageError` (one line naming the list) when it cannot be read, and when a list
    read line by line holds a NUL byte (no name holds one: ``find -print0``'s output given without ``--null``)."""
    name = "standard input" if source == "-" else printable_path(source)
    if source != "-" and os.path.isdir(source):
        raise UsageError(f"--files-from {name}: a folder, not a list of paths (give the folder as a PATH)")
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")
    except OSError as exc:
        raise UsageError(f"--files-from {name}: {os_reason(exc)}") from None
    try:
        return list(_entries(stream, null, name))
    except OSError as exc:
        raise UsageError(f"--files-from {name}: cannot read it: {os_reason(exc)}") from None
    finally:
        if source != "-":
            stream.close()


def _entries(stream, null: bool, name: str):
    """Each path of ``stream`` once, decoded, read :data:`CHUNK` bytes at a time."""
    sep = b"\0" if null else b"\n"
    seen: set[str] = set()
    rest = b""
    first = True
    entry = 0  # (entries before this chunk's first: a line number, for the messages)
    while True:
        chunk = stream.read(CHUNK)
        data = rest + chunk
        if first:
            if chunk and (any(mark.startswith(data) for mark in (_BOM, *_UTF16_BOMS))
                          or data.startswith(_BOM) and sep not in data and len(data) <= len(_BOM) + PATH_MAX):
                rest = data  # (a byte-order mark, or the first name after one, not whole yet: read on)
                continue
            if data.startswith(_UTF16_BOMS):
                raise UsageError(f"--files-from {name}: is UTF-16 text (PowerShell's >, Notepad's Unicode), which no "
                                 "list of paths is: save it as UTF-8 (Out-File -Encoding utf8)")
            first = False
            data = _unmarked(data, sep)
        if not null and b"\0" in data:
            raise UsageError(f"--files-from {name}: holds NUL bytes, which no name holds: a list separated by NUL "
                             "bytes (find -print0, fd -0, git ls-files -z) needs --null (-0)")
        parts = data.split(sep)
        rest = parts.pop() if chunk else b""
        for part in parts:
            entry += 1
            _not_too_long(part, null, name, entry)
        _not_too_long(rest, null, name, entry + 1, whole=False)  # (not whole yet, already too long: said at once)
        for part in parts + ([rest] if not chunk else []):
            path = _path(part, null)
            if path is not None and path not in seen:
                seen.add(path)
                yield path
        if not chunk:
            return


def _unmarked(data: bytes, sep: bytes) -> bytes:
    """``data``, the list's first bytes, without the UTF-8 byte-order mark it starts with (a list saved by Excel,
    pandas' ``utf-8-sig`` or PowerShell 5), unless a file has the first name as written, mark and all."""
    if not data.startswith(_BOM):
        return data
    entry = data.split(sep, 1)[0]
    if entry.endswith(b"\r") and sep == b"\n":
        entry = entry[:-1]
    return data if os.path.lexists(os.fsdecode(entry)) else data[len(_BOM):]


def _not_too_long(entry: bytes, null: bool, name: str, number: int, whole: bool = True) -> None:
    """Refuse an entry longer than any path the system takes (:data:`PATH_MAX` less its NUL; a line's carriage
    return not counted), naming it shortened: with line breaks in it, read with ``--null``, as a list of one path a
    line given with ``-0``. Until 2026-12-06 such a list's million lines were taken for one path of a million
    folders, which the scan resolved one folder at a time for hours; and a line of thousands of folders (no list
    of paths: a file of data given by mistake, a damaged list) took the scan a time growing with the square of its
    length (realpath: 50 s a megabyte), then was printed whole in its error line."""
    if not null and entry.endswith(b"\r"):  # (neither counted nor shown: `x.jpg\x0d` was, until 2026-12-06)
        entry = entry[:-1]
    size = len(entry)
    if size < PATH_MAX:
        return
    if null and b"\n" in entry:
        raise UsageError(f"--files-from {name}: read with --null (-0), but holds lines with no NUL byte between "
                         f"them, more than {PATH_MAX:,} bytes (longer than any path): a list of one path a line "
                         "(find, fd, jq -r) is read without --null")
    shown = printable_path(os.fsdecode(entry[:SHOWN] + b"..." + entry[-SHOWN:]))
    raise UsageError(f"--files-from {name}: {'entry' if null else 'line'} {number:,} is no path: {size:,} bytes"
                     f"{'' if whole else ' or more'}, longer than any path the system takes ({PATH_MAX - 1:,}): {shown}")


def _path(entry: bytes, null: bool) -> str | None:
    """The path of one entry of the list (None for a blank one): a CRLF line's carriage return dropped, a
    leading ``~`` kept as a name (``./~x``: the walk expands a PATH's ``~``)."""
    if not null and entry.endswith(b"\r"):
        entry = entry[:-1]
    if not (entry if null else entry.strip()):  # (NUL-separated names are exact: only an empty one is blank)
        return None
    path = os.fsdecode(entry)
    if "\\x" in path and not os.path.lexists(path):  # a name that is not UTF-8, as JSONL writes it (jq -r .path)
        named = _ESCAPED.sub(lambda m: chr(0xDC00 + int(m[1], 16)), path)
        path = named if os.path.lexists(named) else path
    return os.path.join(os.curdir, path) if path.startswith("~") else path
