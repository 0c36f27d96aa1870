"""The table's path column: a photo's path relative to the current folder (also by ``$PWD``'s name for it),
control characters escaped, and wrapped after a ``/`` rather than inside a name; the column's least widths,
below which :func:`blurscan.report.render_table` drops figures, then writes plain lines.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable

from .errors import printable_path

#: The path column's least width on a terminal (see :func:`blurscan.report.render_table`: narrower terminals drop
#: size, blur type and the Laplacian figure first).
PATH_MIN_WIDTH = 20
#: Narrower than this even with those figures dropped, the path column would be folded a few characters a line
#: or shrunk to nothing: the rows are then written one line each, as plain text, which the terminal wraps.
PATH_LEAST_WIDTH = 6


def table_path(path: str, folders: Iterable[str] = ()) -> str:
    """``path`` as the table shows it: relative to the first of ``folders`` (absolute paths) it is under, else
    absolute; control characters escaped (:func:`printable_path`). The root folder is never one of them."""
    for folder in folders:
        prefix = folder.rstrip(os.sep) + os.sep
        if prefix != os.sep and path.startswith(prefix) and len(path) > len(prefix):
            return printable_path(path[len(prefix):])
    return printable_path(path)


def table_folders(relative_to) -> tuple[str, ...]:
    """The absolute names of the folder ``relative_to`` (None: none, absolute paths). For the current folder
    (``"."``) that is also ``$PWD``, the name the shell knows it by, when the folder has a symbolic link in its
    path (``os.getcwd()`` resolves links, while the photos' paths keep the links of the names they were
    scanned by). Nothing when the current folder is gone."""
    if relative_to is None:
        return ()
    try:
        here = os.path.abspath(relative_to)
    except OSError:  # os.getcwd() of a deleted folder
        return ()
    pwd = os.environ.get("PWD", "")
    if os.fspath(relative_to) == "." and os.path.isabs(pwd) and os.path.normpath(pwd) != here:
        try:
            if os.path.samefile(pwd, here):
                return (here, os.path.normpath(pwd))
        except OSError:
            pass
    return (here,)


class PathCell:
    """The table's path cell: wraps after a ``/`` (each line holds as many whole folder names as fit), and
    folds a name at the column's edge only when that name alone is wider than the column. Nothing is added to
    the path (no hyphen, no marker): joining its lines gives the path back.

    rich wraps text only at whitespace, so a path (one long word) would be folded anywhere, in the middle of a
    file name; and a name with spaces would be broken at a space, which looks like the end of the path."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pieces = re.findall(r"[^/]*/|[^/]+", text) or [""]  # each ends with its '/', except the last

    def lines(self, width: int) -> list[str]:
        from rich.cells import cell_len, chop_cells

        width = max(width, 1)
        lines: list[str] = []
        line = ""
        for piece in self.pieces:
            if line and cell_len(line) + cell_len(piece) > width:
                lines.append(line)
                line = ""
            line += piece
            if cell_len(line) > width:  # a name wider than the column: folded (the last resort)
                *full, line = chop_cells(line, width)
                lines += full
        lines.append(line)
        return lines

    def __rich_measure__(self, console, options):
        from rich.cells import cell_len
        from rich.measure import Measurement

        return Measurement(max(cell_len(p) for p in self.pieces), cell_len(self.text))

    def __rich_console__(self, console, options):
        from rich.text import Text

        yield Text("\n".join(self.lines(options.max_width)), no_wrap=True, overflow="fold")
