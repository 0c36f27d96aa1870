"""``blurscan report``: the stored results of earlier scans, listed (decodes nothing).

``report`` finds the database as ``scan`` does (:mod:`blurscan.cli.scan`), from its PATH (default: the current
folder): ``.blurscan.db`` in PATH or its nearest parent folder that has one, else the cache-folder fallback of PATH.
Moved out of :mod:`blurscan.cli.scan` on 2026-12-07 (at the 500-line limit), unchanged.
"""
from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import printable_path
from ..judged_by import others, words
from ..report import FORMATS, ONLY
from . import completion
from .linked_note import say_linked_names
from .linked_folders import library_path
from .locate import find_db, must_exist, no_database
from .output import Sink, check_output, output_format
from .path_given import DbFile, GivenPath, not_empty, refuse_file_as_folder
from .scan_notes import scan_typed, unstored_note
from .share_moved import follow_share


@click.command(short_help="List the stored results of earlier scans (decodes nothing).")
@click.argument("path", required=False, default=None, shell_complete=completion.paths, callback=not_empty)
@click.option("--db", type=DbFile(), help="Database file (default: found from PATH, see "
              "`blurscan scan`).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the --output file's suffix, .csv or .jsonl, else table).")
@click.option("--only", type=click.Choice(ONLY), multiple=True,
              help="Show only these records (repeat for several: --only blurry --only partial).")
@click.option("--output", "-o", type=GivenPath(dir_okay=False, allow_dash=True), default=None,
              help="Write the output to this file instead of standard output ('-': standard output; ./- names a "
                   "file called -). Never the database, another SQLite file or a photo.")
def report(path, db, fmt, only, output):
    """List the stored results of earlier scans (reads the database only; decodes nothing).

    PATH (default: the current folder) selects the database (unless --db is given) and limits the list to the
    files under it; with --db and no PATH, or with PATH the database's own folder, the whole database is listed
    (which, in a library copied with its database, holds the original's photos too).
    """
    from .. import listing
    from .. import report as rep
    from ..store import Store

    output = None if output == "-" else output  # (as click's File and most commands read it)
    fmt = output_format(fmt, output)
    refuse_file_as_folder(path)  # (`report lib/x.jpg/`: listed the photo until 2026-12-07)
    # (only --db: the whole database, and no need of the current folder, which may have been deleted)
    root = library_path(path if path is not None else ".") if path is not None or not db else None
    if path is not None:
        must_exist(root, path, db)  # (PATH on a drive not mounted: said so, exit 1 as before)
    db_path = Path(db) if db else find_db(root)
    if db_path is None:
        raise no_database(root, path if path is not None else ".")
    check_output(output, db_path=db_path)
    follow_share(db_path)  # (the library's network share no longer mounted where it was scanned: named where it is)
    sink = click.get_current_context().with_resource(Sink(fmt, output))  # (an error: the old --output file stays)
    # the records are read as they are written (blurscan.listing), never all held: the database stays open, in
    # one read transaction, until the list is written
    with Store(db_path, readonly=True) as store, listing.snapshot(store):
        # list the files under PATH (given, or the current folder when the database was found from it)
        under = root if (path is not None or not db) else None
        if under is not None and os.path.abspath(db_path.parent) == root:
            under = None
        from ..actions import moved_paths
        from ..library_root import stored_name

        say_linked_names(store, under, bool(db))  # an older blurscan's names through a link: a scan converts them
        under = stored_name(store, under)  # (PATH through another mount point of the library's share: its name)
        gone = moved_paths(store)  # moved or trashed by `blurscan move/trash`: not in the library until undone
        # moved, renamed or deleted by hand since the last scan: a script reading the list would be handed
        # files that are not there (the next scan forgets them); another name of a listed file (a link stored by
        # a scan of its folder alone, a hard link): listed once, under the name a scan of the whole library
        # keeps (it stores one name per file). The notes count what this listing would have shown: with --only,
        # those of its kinds.
        found = listing.survey(store, under, only or None, gone)
        records = listing.Stored(store, under, found.left_out, only or None)
        kept, discarded = (set(), set()) if fmt != "table" else \
            rep.table_decisions(store, records.unordered(light=True))
        if not found.stored and under is not None:  # (found from PATH: a folder not scanned yet, said since 12-07)
            click.echo(unstored_note(db_path, under, bool(db)), err=True)
        if found.gone:
            from ..actions import batch_drives
            from ..actions.afterwards import library_unplugged, whereabouts
            # (the undo of their batches, as it can be typed here: a plain one only where it reaches them; until
            # 2026-12-07 always a plain one, which after `undo --close --batch N` went to another batch)
            from .actions import undo_puts_back, undo_typed

            where = whereabouts(store, found.gone_paths)
            lost = len(where.lost)
            away = set().union(*where.unmounted.values()) | where.lost
            here = [p for p in found.gone_paths if p not in away]
            # (their places on the library's drive, not mounted where the batch took them from, and the database on a
            # drive mounted at another place: which drive, not told for a batch from before that record; until
            # 2026-12-07, the evening, the undo at the database's place was said to put them back, and it refused)
            guessed = {b: batch_drives.library_away(store, b) for b in {where.batch.get(p) for p in here} if b}
            for (old, now), batches in sorted(_by_place(guessed).items()):
                photos = [p for p in here if where.batch.get(p) in batches]
                k = len(photos)
                back = undo_puts_back(store, batches, "them" if k != 1 else "it",
                                      batch_drives.db_at(store.path, old, now))
                click.echo(f"note: {k} photo{'s' if k != 1 else ''} moved or trashed by blurscan "
                           f"{'are' if k != 1 else 'is'} not listed: "
                           f"{batch_drives.library_away_words(old, now, k != 1)} and {back}", err=True)
            here = [p for p in here if guessed.get(where.batch.get(p)) is None]
            # (their places on the library's drive, not mounted now: the undo refuses them until it is; until
            # 2026-12-07, the evening, a database kept off the drive was told that the undo put them back)
            for why, photos in sorted(library_unplugged(store, here, where.batch).items()):
                k = len(photos)
                back = undo_puts_back(store, {where.batch[p] for p in photos}, "them" if k != 1 else "it")
                click.echo(f"note: {k} photo{'s' if k != 1 else ''} moved or trashed by blurscan "
                           f"{'are' if k != 1 else 'is'} not listed: "
                           f"{batch_drives.library_unplugged_words(why, k != 1)} and {back}", err=True)
                told = set(photos)
                here = [p for p in here if p not in told]
            if here:
                n = len(here)
                back = undo_puts_back(store, {where.batch[p] for p in here if p in where.batch},
                                      "them" if n != 1 else "it")
                click.echo(f"note: {n} photo{'s' if n != 1 else ''} moved or trashed by blurscan "
                           f"{'are' if n != 1 else 'is'} not listed ({back})", err=True)
            for drive, photos in sorted(where.unmounted.items()):  # (said lost until 2026-12-07)
                k = len(photos)
                now = where.elsewhere.get(drive)  # (mounted at another place: said so, its undo named as it will be)
                back = undo_puts_back(store, {where.batch[p] for p in photos if p in where.batch},
                                      "them" if k != 1 else "it",
                                      None if now is None else batch_drives.db_at(store.path, drive, now))
                on = f"on the drive at {printable_path(drive)}, not mounted now; mount it there" if now is None \
                    else batch_drives.mounted_elsewhere(drive, now)
                click.echo(f"note: {k} photo{'s' if k != 1 else ''} moved or trashed by blurscan "
                           f"{'are' if k != 1 else 'is'} not listed: {'they are' if k != 1 else 'it is'} {on} and "
                           f"{back}", err=True)
            if lost:  # (deleted from --to, the trash emptied: an undo finds nothing to put back; the undo named as
                # run, as every command printed is: until 2026-12-07, the evening, a plain `blurscan undo`)
                from ..typed_commands import as_run

                it, they, are = ("them", "they", "are") if lost != 1 else ("it", "it", "is")
                click.echo(f"note: {lost} photo{'s' if lost != 1 else ''} moved or trashed by blurscan, no longer "
                           f"in the trash or the --to folder, {are} not listed: `{as_run('blurscan undo')}` cannot "
                           f"bring {it} back unless {they} {are} there again (`{undo_typed(store, ' --list')}` lists the batches)", err=True)
        for line in unmounted_notes(found.unmounted, store):  # (until 2026-12-07 said gone: "scan updates the database")
            click.echo(line, err=True)
        # (the scan that updates what is listed, as it can be typed here: until 2026-12-07 a bare `blurscan scan`)
        scan = scan_typed(store, under if under is not None else root, path, bool(db)) \
            if found.missing or found.changed or found.twins else ""
        if found.missing:
            k = found.missing
            click.echo(f"note: {k} stored photo{'s' if k != 1 else ''} no longer on disk (moved, renamed or "
                       f"deleted since the last scan) {'are' if k != 1 else 'is'} not listed; `{scan}` "
                       "updates the database", err=True)
        if found.changed:
            n = found.changed
            click.echo(f"note: {n} listed photo{'s' if n != 1 else ''} changed since the last scan (another "
                       f"size or modification time): {'their' if n != 1 else 'its'} figures are the old "
                       f"file's; `{scan}` updates the database", err=True)
        if found.others:
            k = found.others
            click.echo(f"note: {k} stored name{'s' if k != 1 else ''} of a photo listed under another name (a "
                       f"symbolic or hard link) {'are' if k != 1 else 'is'} not listed; "
                       f"`{scan_typed(store, None, path, bool(db))}` (of the whole library) stores one name per "
                       "file", err=True)
        if found.twins:
            k = found.twins
            click.echo(f"note: {k} stored RAW file{'s' if k != 1 else ''} now the RAW twin of a listed photo (a "
                       "Pixel's X.RAW-02.ORIGINAL.dng beside its X.RAW-01.COVER.jpg: one photo since 2026-12-07) "
                       f"{'are' if k != 1 else 'is'} not listed; `{scan}` judges each pair as one photo",
                       err=True)
        # verdicts of another model than this blurscan's default (stored by an older blurscan, or by a scan with
        # another --model than the last one's): listed as stored, without a word until 2026-12-07
        judged = words(others(records.judged_by(), store),
                       scan or scan_typed(store, under if under is not None else root, path, bool(db)))
        if judged:
            click.echo(f"note: {judged}", err=True)
        if fmt == "jsonl":
            for record in records.unordered():  # (in the order they are stored, as always)
                sink.add(record)
        sink.finish(records, kept=kept, discarded=discarded)


def _by_place(guessed: dict) -> dict:
    """``{(where, now): [batch, ...]}`` of ``guessed`` (batch -> :func:`blurscan.actions.batch_drives.library_away`)."""
    found: dict = {}
    for batch, place in guessed.items():
        if place is not None:
            found.setdefault(place, []).append(batch)
    return found


#: The most folders that look like a drive not mounted :func:`unmounted_notes` names, one line each.
UNMOUNTED_NAMED = 5


def unmounted_notes(unmounted: dict, store=None) -> list[str]:
    """The ``note: ...`` lines of the stored photos not listed because they are under a folder that looks like a
    drive or share not mounted (:class:`blurscan.unmounted.Unmounted` -> how many), whose records a scan keeps
    again: until 2026-12-07 they were counted with the photos no longer on disk, "moved, renamed or deleted since
    the last scan", which `blurscan scan` would forget. One line a folder, the first :data:`UNMOUNTED_NAMED`, by name.
    Where ``store``'s database is on a drive mounted at another place that mirrors the folder
    (:func:`blurscan.actions.batch_drives.carried_library`: the library carried with its drive, ``/media/me/DISK``
    taken, so ``/media/me/DISK1``), the scan that finds them there, their scores and decisions kept (until
    2026-12-07, later that day, it said only "mount it", the drive mounted already at the other place)."""
    from ..actions.batch_drives import carried_library
    from .actions import typed

    lines = []
    folders = sorted(unmounted, key=lambda u: u.folder)
    for u in folders[:UNMOUNTED_NAMED]:
        n = unmounted[u]
        them, are = ("them", "are") if n != 1 else ("it", "is")
        carried = None if store is None else carried_library(store, u.folder)
        head = (f"note: {n} stored photo{'s' if n != 1 else ''} under {printable_path(u.folder)} {are} not listed: it "
                f"is {u.why()}")
        if carried is None and isinstance(u.now, tuple):  # (its drive and a copy of it mounted: which, not told)
            lines.append(head)
            continue
        if carried is None and u.now is not None and store is not None:  # (the drive mounted elsewhere, the
            lines.append(f"{head}: `{_scan_there(store, u)}` finds {them} there, scores and keeps or discards kept")
            continue                                                      # database off it: since 2026-12-07)
        lines.append(f"{head}: {u.remedy(store.path if store is not None else None, them)}"  # (2026-12-07: the
                     if carried is None and u.unplugged else  # drive gone for good, scan --forget named)
                     f"{head} (a share or drive not mounted?); mount it, or remove the {u.what()} and scan again to "
                     f"forget {them}" if carried is None else
                     f"{head}, and this database is on a drive mounted at {printable_path(carried[0])} (that drive "
                     f"mounted at another place?): `{typed(store.path, 'blurscan scan', carried[1])}` finds {them} "
                     "there, scores and keeps or discards kept")
    if len(folders) > UNMOUNTED_NAMED:
        rest = folders[UNMOUNTED_NAMED:]
        n = sum(unmounted[u] for u in rest)
        lines.append(f"note: {n} stored photo{'s' if n != 1 else ''} under {len(rest)} more folders that look like "
                     f"shares or drives not mounted (empty, or a symbolic link to nothing) {'are' if n != 1 else 'is'} "
                     "not listed")
    return lines


def _scan_there(store, u) -> str:
    """The scan of the folders scanned into ``store`` under ``u.folder`` (where a drive was mounted, mounted at
    ``u.now`` now: :class:`blurscan.unmounted.Unmounted`) where they are now, with ``--db``: it finds the photos
    there as photos moved by hand (:mod:`blurscan.renamed`), their scores and decisions carried over."""
    from ..actions.batch_drives import along
    from ..scanned_roots import scanned_roots
    from ..errors import shell_path
    from .scan_notes import scan_typed

    inside = u.folder.rstrip(os.sep) + os.sep
    roots = [along(r, (u.folder, u.now)) for r in scanned_roots(store) if r == u.folder or r.startswith(inside)]
    roots = roots or [u.now]
    return " ".join([scan_typed(store, roots[0], roots[0], True)] + [shell_path(r) for r in roots[1:]])
