"""Format scan records as a ranked table, JSON Lines or CSV (shared by ``blurscan scan`` and ``report``).

The JSON Lines objects are exactly :meth:`ScanRecord.to_json` (the public contract, see ``docs/jsonl.md``).
CSV has the same columns, in the same order, with ``grid`` and ``grid_box`` JSON-encoded. The table ranks the most blurry photo
first: by ``p_blurry`` (descending) when the model gave one, else by ``laplacian_var`` (ascending). The
table names a photo under the current folder by its path relative to it (JSON Lines and CSV always give the
absolute path), and wraps a long path after a ``/`` rather than inside a name (:mod:`blurscan.table_paths`).

Writers take a text or binary stream and never print on their own: the CLI chooses where output goes. They take
a list of records (``scan``'s), or a source read again for each pass (``report``'s, :class:`blurscan.listing.Stored`:
the database's rows, never held all at once): :func:`ranked` leaves a source marked ``in_rank_order`` as it is,
and the table and CSV read it twice or three times (figures, column widths, header; then the rows), holding no
record beyond the one written (the table: up to :data:`RICH_TABLE_MAX_ROWS`, which rich lays out together).
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import math
import os
import re
from collections.abc import Iterable, Iterator
from typing import IO

from .errors import BIDI_CONTROLS, LINE_SEPARATORS, printable_path
from .records import ScanRecord
from .table_paths import PATH_LEAST_WIDTH, PATH_MIN_WIDTH, PathCell, table_folders, table_path

FORMATS = ("table", "jsonl", "csv")
ONLY = ("blurry", "partial", "sharp", "errors")

_VERDICT_STYLE = {"blurry": "bold red", "partial": "yellow", "sharp": "green"}


def rank_key(record: ScanRecord) -> tuple:
    """Sort key: most blurry first; records without ``p_blurry`` after those with one (by the Laplacian
    variance at full resolution, then, for ``scan --fast`` records that have none, at the 1024-px analysis
    scale); errors last."""
    if record.status != "ok":
        return (4, 0.0, record.path)
    if record.p_blurry is not None and math.isfinite(record.p_blurry):
        return (0, -float(record.p_blurry), record.path)
    if record.laplacian_var is not None and math.isfinite(record.laplacian_var):
        return (1, float(record.laplacian_var), record.path)
    norm = fast_figure(record.scores)
    if norm is not None:
        return (2, norm, record.path)
    return (3, 0.0, record.path)


def fast_figure(scores: dict | None) -> float | None:
    """The figure :func:`rank_key` ranks a record without ``p_blurry`` or ``laplacian_var`` by (``scan --fast``):
    its finite ``laplacian_var_norm`` score, else None (also the key the database sorts by, blurscan.listing)."""
    norm = (scores or {}).get("laplacian_var_norm")
    if isinstance(norm, (int, float)) and math.isfinite(norm):
        return float(norm)
    return None


def ranked(records: Iterable[ScanRecord]) -> list[ScanRecord]:
    """Records sorted by :func:`rank_key`; a source already in that order (``in_rank_order``, read again on each
    pass: :class:`blurscan.listing.Stored`) as it is."""
    if getattr(records, "in_rank_order", False):
        return records  # type: ignore[return-value]
    return sorted(records, key=rank_key)


def any_order(records: Iterable[ScanRecord], light: bool = False) -> Iterable[ScanRecord]:
    """The records for a pass whose result does not depend on their order (counts, widths): a ranked source's
    ``unordered()`` (the database's rows as stored, not sorted again; ``light``: only path, status, verdict,
    size and modification time read), else ``records``."""
    unordered = getattr(records, "unordered", None)
    return unordered(light=light) if unordered is not None else records


def filter_only(records: Iterable[ScanRecord], only: str | Iterable[str] | None) -> list[ScanRecord]:
    """Keep ``blurry`` / ``partial`` / ``sharp`` records, or ``errors`` (one word or several); everything when
    ``only`` is None."""
    if only is None:
        return list(records)
    wanted = {only} if isinstance(only, str) else set(only)
    return [r for r in records if ("errors" if r.status != "ok" else r.verdict) in wanted]


def jsonl_line(record: ScanRecord) -> str:
    """One JSON object on one line (UTF-8 text; undecodable path bytes appear as ``\\xNN``)."""
    return one_line(json.dumps(record.to_json(), ensure_ascii=False, allow_nan=False))


#: What JSON leaves raw in a string and a JSON Lines line must not hold (since 2026-12-05): the line and paragraph
#: separators U+2028, U+2029 and NEL (U+0085), which Python's ``str.splitlines()`` takes for line ends (a name
#: holding one split its object in two), the other control characters past ASCII's (DEL, C1: U+009B is CSI to
#: some terminals) and the direction controls (:data:`~blurscan.errors.BIDI_CONTROLS`).
_RAW_IN_JSON = re.compile("[\x7f-\x9f" + "".join(sorted(LINE_SEPARATORS | BIDI_CONTROLS)) + "]")


def one_line(text: str) -> str:
    """``json.dumps`` output with :data:`_RAW_IN_JSON` written as JSON escapes (``\\u2028``): the same values
    to a JSON reader, one line to every line reader. They can only be inside strings, where an escape is valid."""
    if _RAW_IN_JSON.search(text) is None:
        return text
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write_jsonl(records: Iterable[ScanRecord], stream: IO[str]) -> int:
    """Write one line per record; return the number written."""
    n = 0
    for record in records:
        stream.write(jsonl_line(record) + "\n")
        n += 1
    return n


def csv_columns(records: Iterable[ScanRecord]) -> list[str]:
    """The JSONL keys, in JSONL order, over all records (score names can differ between records: the keys of
    :meth:`ScanRecord.to_json` are those of its scores and the fixed ones, so one record of each set is asked).
    No records: every key of the contract (:func:`all_columns`), so that an empty CSV still has its header
    (until 2026-12-05 it was one empty line, which CSV readers refuse: pandas' ``EmptyDataError``)."""
    columns: dict[str, None] = {}
    asked: set[tuple] = set()
    for record in records:
        names = tuple(record.scores or ())
        if names not in asked:
            asked.add(names)
            for key in record.to_json():
                columns.setdefault(key, None)
    return list(columns) or all_columns()


def all_columns() -> list[str]:
    """Every key of the JSONL contract, in its order (``docs/jsonl.md``): those of a scan's error record, which has
    every score (:func:`blurscan.measures.blank_scores`; until 2026-12-06 read through the whole scan pipeline)."""
    from .measures import blank_scores

    return list(ScanRecord(path="", status="error", scores=blank_scores()).to_json())


def write_csv(records: Iterable[ScanRecord], stream: IO[str], *, escape: bool | None = None) -> int:
    """CSV with a header row; ``grid`` and ``grid_box`` JSON-encoded, missing values empty. Returns the number
    of rows. ``records`` is read twice (the columns, then the rows): a list, or a source read again. With ``escape`` (default: when ``stream`` is a terminal) control characters in text (a file name's
    escape sequence or newline) are written as ``\\xNN``: CSV has no escapes of its own, and raw they would
    act on the terminal; in a file or a pipe the names stay exact (``path`` is part of the contract), a field holding
    a ``\\r`` or a ``\\n`` quoted (:class:`CsvLine`)."""
    if escape is None:
        escape = bool(getattr(stream, "isatty", lambda: False)())
    columns = csv_columns(records)
    line = CsvLine()
    stream.write(line(columns))
    n = 0
    for record in records:
        n += 1
        obj = record.to_json()
        stream.write(line(csv_cell(obj.get(column), escape) for column in columns))
    return n


def csv_cell(value, escape: bool = False):
    """A JSONL value as a CSV field (also ``blurscan bursts``' CSV): a list (``grid``, ``grid_box``, a burst shot's
    ``edits``) JSON-encoded, a missing value empty, a boolean ``true`` / ``false`` as JSON writes it, text that
    a spreadsheet would take for a formula after a ``'`` (:data:`FORMULA_STARTS`); with ``escape`` (a terminal)
    control characters in text as ``\\xNN`` (:func:`write_csv`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        value = "'" + value  # text, not a formula, to a spreadsheet (see FORMULA_STARTS)
    if escape and isinstance(value, str):
        return printable_path(value)
    return value


#: A text field starting with one of these is a formula to a spreadsheet that opens the CSV (Excel; a tab or a
#: carriage return before one too), so it is written after a ``'``, which Excel reads as "text" and does not show
#: (LibreOffice Calc 7.4 shows it; OWASP's advice on CSV injection). Paths never start so (they are absolute);
#: ``bursts``' ``reason`` does for a shot named ``=1+1.jpg`` (until 2026-12-05 a ``#NAME?`` error in Excel, or a
#: formula a name could smuggle in), and ``evaluate``'s ``file``. Numbers are not text: ``-0.5`` stays as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CsvLine:
    """One CSV row as text, ended by ``\\n``, every field holding a ``\\r`` or a ``\\n`` quoted.

    Python's writer quotes only the fields that hold a character of its ``lineterminator``: with ``"\\n"`` a file
    name holding a bare ``\\r`` was written unquoted (until 2026-12-05), and CSV readers (Python's, pandas) take
    that ``\\r`` for the end of the row. Here the row is made with ``"\\r\\n"`` (both quoted, the other fields as
    before) and that ending replaced by ``"\\n"``, the line ending scripts reading the output rely on."""

    def __init__(self) -> None:
        self._buf = io.StringIO()
        self._writer = csv.writer(self._buf, lineterminator="\r\n")

    def __call__(self, row: Iterable) -> str:
        self._buf.seek(0)
        self._buf.truncate()
        self._writer.writerow(row)
        return self._buf.getvalue()[:-2] + "\n"


#: Above this many rows the table is written as plain aligned text (no colours, paths not wrapped): rich lays
#: out 300-1000 rows/s, so 1,500 rows took 5 s on a 2-core machine (a walkthrough), 500 take 0.5-1.7 s.
RICH_TABLE_MAX_ROWS = 500


def _cells(r: ScanRecord, i: int, with_model: bool, kept, folders: Iterable[str] = (),
           discarded=frozenset(), with_laplacian: bool = True) -> list[str]:
    verdict = printable_path(r.verdict or "?")  # (text of a database others may write: escape sequences shown)
    if r.path in kept:
        verdict += " (kept)"
    elif r.path in discarded:
        verdict += " (discarded)"
    cells = [str(i), verdict]
    if with_model:
        cells.append("" if r.p_blurry is None else f"{r.p_blurry:.3f}")  # the thresholds have 3 decimals
    if with_laplacian:
        cells.append("" if r.laplacian_var is None else f"{r.laplacian_var:.1f}")
    if with_model:
        cells.append(printable_path(r.blur_type or ""))
    cells += [f"{r.width}x{r.height}" if r.width else "", table_path(r.path, folders)]
    return cells


def render_table(records: Iterable[ScanRecord], console, *, kept: set[str] | frozenset = frozenset(),
                 title: str | None = None, relative_to: str | os.PathLike | None = ".",
                 discarded: set[str] | frozenset = frozenset()) -> None:
    """Print the ranked table (rich) and then the errors, one line each, on ``console``. The verdict of a
    photo in ``kept`` / ``discarded`` (the person's decisions and the keeps elsewhere, :func:`table_decisions`)
    says so (``kept`` first).

    The table shows the path of a photo under the folder ``relative_to`` (default: the current folder)
    relative to it, and other paths absolute; ``relative_to=None``: every path absolute. The error lines
    always name the file by its absolute path.

    ``records`` (a list, or a source read again, :func:`ranked`) is read once in any order (the counts, and the
    plain text's column widths), then once in rank order: above :data:`RICH_TABLE_MAX_ROWS` rows each row is
    written as it comes, else they are held for rich to lay out."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    records = ranked(records)
    folders = table_folders(relative_to)
    tally = _Tally()
    names = ["#", "verdict", "p_blurry", "lap. var", "blur", "size", "path"]  # (every column: with_model, ...)
    widest = dict.fromkeys(names, 0)  # the plain text's column widths, for a table above RICH_TABLE_MAX_ROWS
    for r in any_order(records):
        tally.add(r)
        if r.status == "ok":
            for name, cell in zip(names, _cells(r, tally.ok, True, kept, folders, discarded, True)):
                widest[name] = max(widest[name], cell_len(cell))  # ("#": 1..n in any order; a path in cells)
    with_model = tally.with_model  # no empty columns with --model none
    with_laplacian = tally.with_laplacian  # nor with scan --fast (no full-size figure)
    header = ["#", "verdict"] + (["p_blurry"] if with_model else []) + (["lap. var"] if with_laplacian else []) + \
        (["blur"] if with_model else []) + ["size", "path"]
    right = {"#", "p_blurry", "lap. var", "size"}

    def numbered(ok: Iterable[ScanRecord]) -> Iterator[list[str]]:
        return (_cells(r, i, with_model, kept, folders, discarded, with_laplacian) for i, r in enumerate(ok, 1))

    def widths_of(rows: Iterable[list[str]], shown: list[int]) -> dict[int, int]:
        widths = {c: len(header[c]) for c in shown}
        for row in rows:
            for c in shown:
                widths[c] = max(widths[c], cell_len(row[c]))
        return widths

    def plain(rows: Iterable[list[str]], shown: list[int], widths: dict[int, int]) -> None:
        """The table as aligned text, one row per line (a terminal wraps a line wider than itself)."""
        def line(cells):
            return "  ".join(cells[c].rjust(widths[c]) if header[c] in right else cells[c].ljust(widths[c])
                             for c in shown).rstrip()

        # the path's rule no wider than the line's room (it was as wide as the longest path: lines of dashes)
        room = max(len(header[shown[-1]]), console.width - sum(widths[c] + 2 for c in shown[:-1]))
        out = [line(header), "  ".join("-" * (widths[c] if c != shown[-1] else min(widths[c], room)) for c in shown)]
        for row in rows:
            out.append(line(row))
            if len(out) >= 1000:
                console.file.write("\n".join(out) + "\n")
                out = []
        if out:
            console.file.write("\n".join(out) + "\n")

    in_order = iter(records)  # the ok records first, the errors last (rank_key)
    rows: list[list[str]] = []  # (the rows left for rich's table)
    if tally.ok > RICH_TABLE_MAX_ROWS:
        shown = list(range(len(header)))
        plain(numbered(itertools.islice(in_order, tally.ok)), shown,
              {c: max(len(header[c]), widest[header[c]]) for c in shown})
    elif tally.ok:
        ok = list(itertools.islice(in_order, tally.ok))
        rows = list(numbered(ok))
        # on a narrow terminal the figures that matter least give way, so that the path keeps a column of
        # PATH_MIN_WIDTH (a table wider than the terminal is cut at its edge: the paths lost characters)
        shown = list(range(len(header)))

        def fixed() -> int:
            return sum(max(len(header[c]), *(len(row[c]) for row in rows)) + 2 for c in shown[:-1])

        for name in ("size", "blur", "lap. var"):
            if fixed() + PATH_MIN_WIDTH <= console.width or name not in header:
                continue
            shown.remove(header.index(name))
        if fixed() + PATH_LEAST_WIDTH > console.width:
            # narrower still (a phone's terminal, a split pane): rich shrank the columns to nothing, the path
            # and the row number too (until 2026-12-04); one line per row, wrapped by the terminal, loses none
            if title:
                console.print(Text(title, style="bold"))
            plain(rows, shown, widths_of(rows, shown))
            rows = []
    if rows:
        table = Table(title=title, show_lines=False, header_style="bold", box=box.SIMPLE_HEAD, show_edge=False,
                      padding=(0, 1, 0, 0), pad_edge=False)  # two spaces between columns, as the plain text below
        for c in shown:
            h = header[c]
            table.add_column(h, justify="right" if h in right else "left", no_wrap=h != "path",
                             overflow="fold" if h == "path" else "ellipsis")
        for r, cells in zip(ok, rows):
            style = "dim" if r.path in kept else _VERDICT_STYLE.get(r.verdict or "", "")
            cells = [Text(cell, style=style) if c == 1 else PathCell(cell) if c == len(header) - 1 else cell
                     for c, cell in enumerate(cells)]
            table.add_row(*(cells[c] for c in shown))
        console.print(table)
    if tally.errors:
        console.print(Text(f"{tally.errors} file(s) could not be scored:", style="bold"))
        for r in in_order:
            console.print(Text(f"  {printable_path(r.path)}: {printable_path(r.error or '')}"), soft_wrap=True)
    console.print(Text(tally.summary()))


class _Tally:
    """What the table says of all its records, counted in one pass: the summary's figures, and whether any photo
    has a model's ``p_blurry`` or a full-size Laplacian figure (the columns shown)."""

    def __init__(self) -> None:
        self.n = self.ok = self.errors = 0
        self.verdicts = {"blurry": 0, "partial": 0, "sharp": 0}
        self.with_model = self.with_laplacian = False

    def add(self, r: ScanRecord) -> None:
        self.n += 1
        if r.status != "ok":
            self.errors += 1
            return
        self.ok += 1
        if r.verdict in self.verdicts:
            self.verdicts[r.verdict] += 1
        self.with_model = self.with_model or r.p_blurry is not None
        self.with_laplacian = self.with_laplacian or r.laplacian_var is not None

    def summary(self) -> str:
        parts = [f"{self.verdicts[v]} {v}" for v in ("blurry", "partial", "sharp")]
        parts.append(f"{self.errors} error" + ("s" if self.errors != 1 else ""))
        return f"{self.n} file" + ("s" if self.n != 1 else "") + ": " + ", ".join(parts)


def unwrapped_width(records: Iterable[ScanRecord]) -> int:
    """A console width at which no row of the table wraps (for a file or a pipe: one row per line, as a script
    reading it expects; the other columns take well under 100 characters). A path's width is counted in the
    terminal's cells (rich's ``cell_len``): a CJK character or an emoji takes two. Counted in characters until
    2026-12-06, a path of some 165 CJK characters was folded onto a second line of the saved table."""
    from rich.cells import cell_len

    width = 400
    for r in any_order(records, light=True):
        width = max(width, 100 + cell_len(printable_path(r.path)))
    return width


def render_table_text(records: Iterable[ScanRecord], *, kept=frozenset(), width: int | None = None,
                      discarded=frozenset()) -> str:
    """The table as plain text (for ``--output FILE``), every path absolute: a saved file names each photo the
    same wherever it is read, and wherever the scan was run from (as JSON Lines and CSV do). One row per line
    unless ``width`` says otherwise."""
    buf = io.StringIO()
    write_table_text(records, buf, kept=kept, width=width, discarded=discarded)
    return buf.getvalue()


def write_table_text(records: Iterable[ScanRecord], stream: IO[str], *, kept=frozenset(), width: int | None = None,
                     discarded=frozenset()) -> None:
    """:func:`render_table_text` written to ``stream`` as it is made (a large table is never held whole)."""
    from rich.console import Console

    records = ranked(records)  # (read more than once)
    width = unwrapped_width(records) if width is None else width
    render_table(records, Console(file=stream, width=width, height=25, no_color=True, force_terminal=False,
                                  highlight=False), kept=kept, relative_to=None, discarded=discarded)  # (LINES unread)


def table_decisions(store, records: Iterable[ScanRecord]) -> tuple[set[str], set[str]]:
    """``(kept, discarded)``: the paths the table marks ``(kept)`` and ``(discarded)``.

    The person's decisions in ``store`` (:func:`decided_paths`), and also kept: those of ``records`` flagged
    (blurry, partial) or discarded that a keep elsewhere protects, so that the table says what ``move`` will
    do: a keep in another library database above the photo (``lib/2024/.blurscan.db`` from an earlier
    ``scan lib/2024``), a keep on a path where no file is any more, of the photo's suffix, size and time
    (:func:`blurscan.actions.keeps.kept_elsewhere`, the rule ``move`` follows). Only those photos are looked
    up, the others ``move`` never takes (a sharp photo is listed as it is)."""
    kept, discarded = decided_paths(store, "keep"), decided_paths(store, "discard")
    asked = [(r.path, r.size, r.mtime_ns) for r in records if r.path not in kept and r.status == "ok"
             and (r.verdict in ("blurry", "partial") or r.path in discarded)]
    if asked:
        from .actions.keeps import kept_elsewhere

        kept |= set(kept_elsewhere(store, asked))
    return kept, discarded


def decided_paths(store, decision: str) -> set[str]:
    """Paths the person marked ``decision`` (``keep`` or ``discard``) in review whose file is unchanged since
    (same size and mtime), by the review page's rule (:func:`blurscan.review.decisions.current`): a decision
    whose file identity was cleared (the photo replaced since, :mod:`blurscan.replaced`) no longer applies."""
    from .review.decisions import current

    return set(current(store, decision))
