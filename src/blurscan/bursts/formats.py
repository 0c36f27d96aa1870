"""The list of ``blurscan bursts`` as text: the table for people, JSON Lines and CSV for programs and spreadsheets.

Writers take a text stream and never print on their own: the command chooses where the list goes (standard
output or its ``--output`` file, :class:`blurscan.cli.output.Sink`) and says the closing line on stderr.

* JSON Lines: one object per group, :meth:`~blurscan.bursts.BurstGroup.to_json` (the contract in docs/bursts.md).
* CSV: one row per shot, the columns :data:`CSV_COLUMNS` in that order (a contract too, docs/bursts.md): the
  group's number and ``chosen_by``, the shot's keys of the JSONL, and whether ``move/trash --from-bursts`` would
  take it (``candidate``) with the reason it would not, as the table says it. Values are written as ``blurscan
  report``'s CSV writes them (:func:`blurscan.report.csv_cell`): names exact (bytes that are not UTF-8 as
  ``\\xNN``, as in the JSONL), a field holding a comma, a quote or a line break quoted, lists JSON-encoded,
  booleans ``true``/``false``, a missing value empty; on a terminal, control characters as ``\\xNN``.
* The table: each group, its shots best first with their figures and reason, and under a shot below the keeper
  that ``--from-bursts`` would not take, why.

``takeable`` (the paths ``move/trash --from-bursts`` would take) and ``left`` (path -> why it would not) come
from :func:`blurscan.actions.select`.
"""
from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterable, Mapping
from typing import IO

from ..errors import printable_path, text_path
from ..report import CsvLine, csv_cell, one_line
from .ranking import Member, format_figure
from .storage import BurstGroup

#: The CSV's columns, in order. Like the JSONL, it only grows: columns may be added at the end, never renamed,
#: reordered or removed.
CSV_COLUMNS = ("group", "rank", "is_keeper", "candidate", "not_candidate_reason", "chosen_by", "path", "reason",
               "p_blurry", "subject_p_blurry", "sharpness", "sharpness_measure", "width", "height", "captured_at",
               "edits", "duplicate_of", "captured_subsec")

#: Why a shot below the keeper that ``--from-bursts`` leaves is left, when :func:`blurscan.actions.select` gives
#: no reason: the person marked it keep.
MARKED_KEEP = "you marked it keep"


def not_candidate(member: Member, takeable: Collection[str], left: Mapping[str, str]) -> str | None:
    """Why ``move/trash --from-bursts`` would not take ``member``, a shot below its keeper; None for a keeper
    (never taken: ``is_keeper`` says why) and for a shot it would take."""
    if member.is_keeper or member.path in takeable:
        return None
    return text_path(left.get(member.path, MARKED_KEEP))  # (it may name another file: its RAW twin kept)


def write_jsonl(groups: Iterable[BurstGroup], stream: IO[str]) -> None:
    """One JSON object per group, one per line."""
    for group in groups:
        stream.write(one_line(json.dumps(group.to_json(), ensure_ascii=False)) + "\n")


def write_csv(groups: Iterable[BurstGroup], stream: IO[str], takeable: Collection[str], left: Mapping[str, str],
              *, escape: bool | None = None) -> int:
    """A header row (:data:`CSV_COLUMNS`, also when there is no group), then one row per shot; returns the number
    of rows. ``escape`` (default: when ``stream`` is a terminal): control characters in text as ``\\xNN``, as
    :func:`blurscan.report.write_csv` writes them."""
    if escape is None:
        escape = bool(getattr(stream, "isatty", lambda: False)())
    line = CsvLine()
    stream.write(line(CSV_COLUMNS))
    n = 0
    for group in groups:
        for member in group.members:
            why = not_candidate(member, takeable, left)
            obj = {"group": group.group_id, "chosen_by": group.chosen_by, **member.to_json(),
                   "candidate": not member.is_keeper and why is None, "not_candidate_reason": why}
            stream.write(line(csv_cell(obj.get(column), escape) for column in CSV_COLUMNS))
            n += 1
    return n


def write_table(groups: Iterable[BurstGroup], stream: IO[str], takeable: Collection[str], left: Mapping[str, str],
                root: str | None = None) -> None:
    """The groups for people: shots under the folder ``root`` named relative to it, others (all of them when
    ``root`` is None) by their absolute paths; control characters in names as ``\\xNN``."""
    def show(p: str) -> str:
        if root and (p + os.sep).startswith(root.rstrip(os.sep) + os.sep):
            p = os.path.relpath(p, root)
        return printable_path(p)

    for group in groups:
        who = "chosen by a person" if group.chosen_by == "person" else "proposed"
        lines = [f"group {group.group_id}: {len(group.members)} shots, keeper {who}"]
        for m in group.members:
            mark = "keep" if m.is_keeper else "    "
            lines.append(f"  {mark} {m.rank:>2}  {show(m.path)}  {_figures(m.figures)}")
            lines.append(f"            {m.reason}")
            why = not_candidate(m, takeable, left)
            if why is not None:  # else a shot the summary does not count, unexplained
                lines.append(f"            not a candidate: {printable_path(why)}")
        stream.write("\n".join(lines) + "\n")


def _figures(fig: dict) -> str:
    parts = []
    if fig.get("subject_p_blurry") is not None:
        parts.append(f"subject p_blurry {fig['subject_p_blurry']:.2f}")
    elif fig.get("p_blurry") is not None:
        parts.append(f"p_blurry {fig['p_blurry']:.2f}")
    if fig.get("sharpness") is not None:
        parts.append(f"{fig.get('sharpness_measure')} {format_figure(fig['sharpness'])}")
    if fig.get("width") and fig.get("height"):
        parts.append(f"{fig['width']}x{fig['height']}")
    return "  ".join(parts)
