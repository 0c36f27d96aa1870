"""``blurscan bursts``: group near-identical shots, propose the sharpest of each group as keeper.

Reads the records of earlier scans (decodes nothing), groups the whole library of the database, stores the
groups in the database (table ``burst_groups``, read by the review page and by ``move/trash --from-bursts``)
and lists the groups: a table, JSON Lines or CSV (:mod:`blurscan.bursts.formats`; the JSONL and CSV columns are
documented in docs/bursts.md), on standard output or in an ``--output`` file written whole, as ``blurscan report``
writes its list (:mod:`blurscan.cli.output`). The closing line goes to stderr.
"""
from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import StoreError, printable_path
from . import completion
from .path_given import DbFile, GivenPath, not_empty, refuse_file_as_folder
from .share_moved import follow_share


def _finite_window(value: float) -> float:
    """``--window``: a finite number of seconds (``FloatRange`` lets ``nan`` and ``inf`` through, which the grouping
    then refused as "burst window must be a number of seconds >= 0, got nan", not naming the option: until
    2026-12-06), refused as click refuses ``-1``: ``Invalid value for '--window'``, exit code 2."""
    import math

    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of seconds: give a finite one, such as 120")
    return value


@click.command(short_help="Find bursts of near-identical shots and the sharpest of each.")
@click.argument("path", required=False, shell_complete=completion.paths, callback=not_empty)
@click.option("--db", type=DbFile(), help="Database file (default: .blurscan.db in PATH or its "
              "nearest parent folder, as `blurscan report`).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default=None,
              help="Output format (default: from the --output file's suffix, .csv or .jsonl, else table; jsonl: one "
                   "object per group, csv: one row per shot, see docs/bursts.md in blurscan's repository).")
@click.option("--output", "-o", type=GivenPath(dir_okay=False, allow_dash=True), default=None,
              help="Write the list to this file instead of standard output ('-': standard output; ./- names a "
                   "file called -). Never the database, another SQLite file or a photo.")
# the defaults are blurscan.bursts.DEFAULT_WINDOW_S and DEFAULT_MAX_DISTANCE (a test holds them equal; importing
# that module here would load numpy for every command's --help)
@click.option("--window", type=click.FloatRange(min=0), default=120, metavar="SECONDS", show_default=True,
              callback=lambda ctx, param, value: _finite_window(value),
              help="Only shots at most this far apart in capture time are compared.")
@click.option("--max-distance", type=click.IntRange(0, 64), default=14, metavar="BITS", show_default=True,
              help="Largest perceptual-hash difference (bits of 64) between shots of one scene.")
def bursts(path, db, fmt, output, window, max_distance):
    """Find bursts of near-identical shots and propose the sharpest of each as keeper.

    PATH (default: the current folder) selects the database (unless --db is given) and limits the list to
    groups with a shot under it; with --db and no PATH, all groups are listed. Grouping always covers the whole
    database. The other shots of a group are candidates for `blurscan move/trash --from-bursts` (the closing
    line counts those under PATH). A keeper chosen by a person in the review page is kept while no
    shot joins its group (a note names one whose shot left its burst); a shot you marked discard is never
    proposed as keeper.
    """
    from .. import bursts as lib
    from ..bursts import formats
    from ..store import Store
    from ..unmounted import carried_note
    from .linked_note import say_linked_names
    from .linked_folders import library_path
    from .locate import find_db, must_exist, no_database
    from .output import Sink, check_output, output_format

    output = None if output == "-" else output  # (as click's File and most commands read it)
    fmt = output_format(fmt, output)
    settings = lib.BurstSettings(window=window, max_distance=max_distance)
    refuse_file_as_folder(path)  # (`bursts lib/x.jpg/`: the photo's groups until 2026-12-07)
    root = None  # (only --db: the whole database, and no need of the current folder, which may have been deleted)
    if path is not None or not db:
        root = library_path(path if path is not None else ".")
        must_exist(root, path, db)  # (PATH on a drive not mounted: said so, exit 1 as before)
    db_path = Path(db) if db else find_db(root)
    if db_path is None:
        raise no_database(root, path if path is not None else ".")
    # before any work (the groups are stored): never the database or a photo; a file that cannot be written (a
    # folder not there) is one error, and an earlier list in it stays as it was until the new one is complete
    check_output(output, db_path=db_path)
    follow_share(db_path)  # (the library's network share no longer mounted where it was scanned: named where it is)
    sink = click.get_current_context().with_resource(Sink(fmt, output))
    from ..actions import select
    from ..actions.plan import within
    from ..library_root import stored_name

    # as `blurscan report`: PATH (given, or the current folder when the database was found from it) limits the
    # list; only --db: all of it (an explicit `.` with --db listed the whole library until 2026-12-05)
    under = None if path is None and db else root
    try:
        with Store(db_path, create=False) as store:
            say_linked_names(store, under, bool(db))  # an older blurscan's names through a link: a scan converts them
            under = stored_name(store, under)  # (PATH through another mount point of the library's share: its name)
            parted: list[tuple[str, list[str]]] = []  # keepers a person chose that left their burst
            unmounted: dict = {}  # shots kept in their groups, not on disk, under a folder of a drive not mounted
            groups = lib.run(store, settings, left=parted, unmounted=unmounted)
            # what `move/trash --from-bursts` would take: photos marked keep, or of a group whose keeper is gone
            # or marked discard, are not; the table and the CSV say why of each shot it leaves
            chosen, skipped = select(store, from_bursts=True)
            takeable = {c.path: None for c in chosen}
            left = {s.path: s.reason for s in skipped}
            # (its library carried with its drive to another place, not scanned there yet: its shots are recorded
            # under the old one, so none is listed; said, with the scan that finds them, as report and the review
            # page say it: until 2026-12-07, later that day, "0 burst groups" alone)
            carried = carried_note(store)
    except StoreError as exc:
        raise _not_stored(db_path, exc) from None
    every = groups  # (all of them: what `trash --from-bursts` given a photo's folder takes, :func:`_taking`)
    groups = [g for g in groups if any(within(m.path, under) for m in g.members)]

    if fmt == "jsonl":
        sink.write(lambda stream: formats.write_jsonl(groups, stream))
    elif fmt == "csv":
        sink.write(lambda stream: formats.write_csv(groups, stream, takeable, left))
    else:
        # names are shown relative to PATH (a photo given as PATH: to its folder, beside its group's others); in
        # an --output file by their absolute paths, as report's table there: the same wherever it is read
        base = under if under is None or os.path.isdir(under) else os.path.dirname(under)
        sink.write(lambda stream: formats.write_table(groups, stream, takeable, left,
                                                      base if output is None else None))
    if fmt == "table" or output is not None:  # (JSON Lines and CSV on standard output: the list alone, as before)
        click.echo(_closing_line(groups, takeable, under), err=True)
        taking = _taking(every, takeable, under, db_path if db else None)
        if taking:  # (a line of its own: scripts parse the closing line, unchanged)
            click.echo(taking, err=True)
    listed = {m.path for g in groups for m in g.members} if unmounted else set()
    for line in unmounted_shots_notes(unmounted, listed):  # (kept in their bursts: until 2026-12-07 dropped)
        click.echo(line, err=True)
    if carried is not None:
        click.echo(f"note: {carried}", err=True)
    for keeper, others in parted:  # (on standard error: the list on standard output stays the list alone)
        click.echo(f"note: {printable_path(keeper)}, the keeper you chose of its burst, is no longer grouped with "
                   f"{_names(others)} (their capture times or looks part them now): their keeper is proposed "
                   "by sharpness again; choose again in the review page if need be", err=True)


def unmounted_shots_notes(unmounted: dict, listed: set[str]) -> list[str]:
    """The ``note: ...`` line for each folder that looks like a drive or share not mounted
    (:class:`blurscan.unmounted.Unmounted` -> the shots under it, ``unmounted``: :func:`blurscan.bursts.run`'s) of
    the shots listed (``listed``: the paths of the groups listed) that are not on disk: they stay in their bursts,
    as the scan keeps their records. Until 2026-12-07 ``blurscan bursts`` dropped them, and with them the keeper a
    person chose."""
    lines = []
    for folder in sorted(unmounted, key=lambda u: u.folder):
        n = sum(path in listed for path in unmounted[folder])
        if n:
            them, are = ("them", "are") if n != 1 else ("it", "is")
            lines.append(f"note: {n} shot{'s' if n != 1 else ''} listed under {printable_path(folder.folder)} {are} "
                         f"not on disk: it is {folder.why()}{folder.asked()}: kept in "
                         f"{'their bursts' if n != 1 else 'its burst'} (a keeper chosen stays chosen); mount it to "
                         f"move or trash {them}")
    return lines


def _names(paths: list[str], most: int = 3) -> str:
    shown = ", ".join(printable_path(p) for p in paths[:most])
    return shown + (f" and {len(paths) - most} more" if len(paths) > most else "")


def _not_stored(db_path, exc: StoreError) -> StoreError:
    """The error of a database a full disk keeps from being written (``exc``: SQLite's "disk I/O error" or
    "database or disk is full"), saying that the groups are stored, so nothing was listed, and that the groups
    stored before stay, when it can be read: the list depends on what is stored (the shots `move/trash
    --from-bursts` takes). Until 2026-12-06 only ``DB: cannot use database: disk I/O error``. Another error (a
    read-only database, which says what to do; a damaged one) is ``exc`` itself."""
    from ..store import Store

    if not any(words in str(exc) for words in ("disk I/O error", "disk is full")):
        return exc
    try:
        Store(db_path, readonly=True).close()
    except StoreError:
        return exc
    return StoreError(f"{exc}; `blurscan bursts` stores the groups it finds in the database (the review page and "
                      "`move/trash --from-bursts` read them there), so none was listed: run it again once the "
                      "database can be written (the groups stored before are unchanged)")


def _taking(groups, takeable: dict, under: str | None, db: str | None) -> str:
    """The line after the closing line, where PATH holds candidates: the command that takes them, to paste in any
    folder (the database and PATH absolute, quoted): ``next: `blurscan trash --from-bursts '/home/me/My Pics'`
    shows the N candidates it would trash (add --yes to trash them; move --to DIR instead moves them)``. The
    closing line's `blurscan move/trash --from-bursts` is no command (until 2026-12-07 the only hint). ``groups``:
    all of them (not only those listed: a photo given as PATH is named by its folder, the PATH that ``trash``
    takes, with the candidates under it counted: for a while on 2026-12-07 the line named the photo, and the
    command it gave was refused, ``Directory '.../IMG_0002.jpg' is a file``)."""
    from ..actions.plan import within
    from ..errors import shell_path
    from ..typed_commands import as_run, naming

    def count(top: str | None) -> int:
        return sum(1 for g in groups for m in g.members if not m.is_keeper and m.path in takeable
                   and within(m.path, top))

    if not count(under):
        return ""
    photo = under is not None and not os.path.isdir(under)
    folder = os.path.dirname(under) if photo else under
    here = count(folder)
    command = "blurscan trash --from-bursts"
    if folder is None:  # (--db alone: the whole database)
        command = naming(db, command)
    else:
        command = as_run(command) + (f" --db {shell_path(os.path.abspath(db))}" if db is not None else "") + f" {shell_path(folder)}"
    them, where = "them" if here != 1 else "it", " in the photo's folder" if photo else ""
    return (f"next: `{command}` shows the {here} candidate{'s' * (here != 1)}{where} it would trash (add --yes to "
            f"trash {them}; `move --to DIR` instead of `trash` moves {them})")


def _closing_line(groups, takeable: dict, under: str | None) -> str:
    """What `move/trash --from-bursts` given the same PATH takes: the candidates under it (a group listed for its
    keeper under PATH may have all its other shots elsewhere: they were counted, and none was taken)."""
    from ..actions.plan import within

    candidates = [m.path for g in groups for m in g.members if not m.is_keeper and m.path in takeable]
    here = sum(1 for p in candidates if within(p, under))
    line = (f"{len(groups)} burst group{'s' * (len(groups) != 1)}, {here} candidate{'s' * (here != 1)} for "
            "`blurscan move/trash --from-bursts`")
    if here < len(candidates):
        line += f" under {printable_path(under)} ({len(candidates) - here} more outside it)"
    return line
