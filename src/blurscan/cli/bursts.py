"""``blurscan bursts``: group near-identical shots, propose the sharpest of each group as keeper.

Reads the records of earlier scans (decodes nothing), groups the whole library of the database, stores the
groups in the database (table ``burst_groups``, read by the review page and by ``move/trash --from-bursts``)
and lists the groups. The JSONL format is documented in docs/bursts.md.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import click

from ..errors import printable_path


@click.command()
@click.argument("path", required=False)
@click.option("--db", type=click.Path(dir_okay=False), help="Database file (default: .blurscan.db in PATH or its "
              "nearest parent folder, as `blurscan report`).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="Output format (jsonl: one object per group, see docs/bursts.md).")
# the defaults are blurscan.bursts.DEFAULT_WINDOW_S and DEFAULT_MAX_DISTANCE (a test holds them equal; importing
# that module here would load numpy for every command's --help)
@click.option("--window", type=click.FloatRange(min=0), default=120, metavar="SECONDS", show_default=True,
              help="Only shots at most this far apart in capture time are compared.")
@click.option("--max-distance", type=click.IntRange(0, 64), default=14, metavar="BITS", show_default=True,
              help="Largest perceptual-hash difference (bits of 64) between shots of one scene.")
def bursts(path, db, fmt, window, max_distance):
    """Find bursts of near-identical shots and propose the sharpest of each as keeper.

    PATH (default: the current folder) selects the database (unless --db is given) and limits the list to
    groups with a shot under it; with --db and no PATH, all groups are listed. Grouping always covers the whole
    database. The other shots of a group are candidates for `blurscan move/trash --from-bursts` (the closing
    line counts those under PATH). A keeper chosen by a person in the review page is kept as long as
    the group's shots are unchanged.
    """
    from .. import bursts as lib
    from ..store import Store
    from .locate import find_db, library_path, must_exist, no_database

    settings = lib.BurstSettings(window=window, max_distance=max_distance)
    root = None  # (only --db: the whole database, and no need of the current folder, which may have been deleted)
    if path is not None or not db:
        root = library_path(path if path is not None else ".")
        must_exist(root)
    db_path = Path(db) if db else find_db(root)
    if db_path is None:
        raise no_database(root)
    from ..actions import select
    from ..actions.plan import within

    with Store(db_path, create=False) as store:
        groups = lib.run(store, settings)
        # what `move/trash --from-bursts` would take: photos marked keep, or of a group whose keeper is gone
        # or marked discard, are not; the table says why of each shot it leaves
        chosen, skipped = select(store, from_bursts=True)
        takeable = {c.path: None for c in chosen}
        left = {s.path: s.reason for s in skipped}
    # as `blurscan report`: PATH (given, or the current folder when the database was found from it) limits the
    # list; only --db: all of it (an explicit `.` with --db listed the whole library until 2026-12-05)
    under = None if path is None and db else root
    groups = [g for g in groups if any(within(m.path, under) for m in g.members)]

    if fmt == "jsonl":
        for group in groups:
            click.echo(json.dumps(group.to_json(), ensure_ascii=False))
        return
    # names are shown relative to PATH; a photo given as PATH is shown by its name, beside its group's others
    base = under if under is None or os.path.isdir(under) else os.path.dirname(under)
    _table(groups, base, takeable, left, under)


def _table(groups, root: str | None, takeable: dict, left: dict[str, str], under: str | None) -> None:
    from ..actions.plan import within

    def show(p: str) -> str:
        if root and (p + os.sep).startswith(root.rstrip(os.sep) + os.sep):
            p = os.path.relpath(p, root)
        return printable_path(p)

    for group in groups:
        who = "chosen by a person" if group.chosen_by == "person" else "proposed"
        click.echo(f"group {group.group_id}: {len(group.members)} shots, keeper {who}")
        for m in group.members:
            mark = "keep" if m.is_keeper else "    "
            click.echo(f"  {mark} {m.rank:>2}  {show(m.path)}  {_figures(m.figures)}")
            click.echo(f"            {m.reason}")
            if not m.is_keeper and m.path not in takeable:  # else a shot the summary does not count, unexplained
                click.echo(f"            not a candidate: {left.get(m.path, 'you marked it keep')}")
    # what `move/trash --from-bursts` given the same PATH takes: the candidates under it (a group listed for
    # its keeper under PATH may have all its other shots elsewhere: they were counted, and none was taken)
    candidates = [m.path for g in groups for m in g.members if not m.is_keeper and m.path in takeable]
    here = sum(1 for p in candidates if within(p, under))
    line = (f"{len(groups)} burst group{'s' * (len(groups) != 1)}, {here} candidate{'s' * (here != 1)} for "
            "`blurscan move/trash --from-bursts`")
    if here < len(candidates):
        line += f" under {printable_path(under)} ({len(candidates) - here} more outside it)"
    click.echo(line, err=True)


def _figures(fig: dict) -> str:
    from ..bursts.ranking import format_figure

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
