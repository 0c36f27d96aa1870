"""``blurscan undo``: a thin command over :func:`blurscan.actions.undo` (and its ``--list``).

Exit codes: 0 when the batch was put back (an undo that left changed sidecars as they are counts) or when there
is nothing to undo (no batch yet, or every one undone or closed: the line says which), 1 when some file could not
be restored (the others were; each failure is listed on stderr; files gone from the trash or ``--to`` too, though
the batch is then closed and the next plain undo goes to the batch before), when ``--batch`` names no batch, or on
a fatal error, 2 on a usage error (a malformed option; ``--close`` without ``--batch``), 130 when interrupted
(143, 129 by SIGTERM, SIGHUP), saying how many files were put back and the command that finishes
(:mod:`.interrupted`). ``--close --batch ID``
(:mod:`.undo_close`): 0 once the batch is closed, 1 when it cannot be (no such batch, undone already, a tag batch).
"""
from __future__ import annotations

import datetime
import os

import click

from ..errors import NothingToUndo, printable_path, when_writable
from ..share_ids import share_type
from .actions import _db_options, _open_store, human_size, undo_command
from .undo_close import closed_line, way_out


@click.command(short_help="Put back a move or trash batch's files, or undo a tag batch.")
@click.option("--batch", "batch_id", type=int, default=None, metavar="ID",
              help="Batch to undo (default: the newest neither undone nor closed that moved or tagged something).")
@click.option("--list", "list_", is_flag=True, is_eager=True,  # (eager: known when an empty --db typed
              # before it is refused, "nothing was listed")
              help="List the batches (newest first) and exit; with --batch, list only that batch.")
@click.option("--close", "close_", is_flag=True,
              help="With --batch ID: close that move or trash batch, its files left where it put them (on a drive "
                   "gone for good): a plain undo then goes to the batch before. Nothing on disk is changed; "
                   "`--batch ID` still looks for the files again.")
@_db_options
def undo(batch_id, list_, close_, path, db):
    """Put back the files of a move or trash batch, byte for byte, at their original paths; or undo a tag
    batch: sidecars it merged into get their previous bytes back, sidecars it created are removed.

    Works after a crash or kill in the middle of a batch: the journal says what was being done and each file
    is checked on disk. Nothing is overwritten: a file whose original path is taken again is reported and
    left where it is, and so is a sidecar changed since `blurscan tag` wrote it. Running undo again retries
    what failed. A batch whose files that did not come back are gone (the trash emptied, deleted by hand from
    --to) is closed: the next plain undo goes to the batch before it, and `--batch ID` looks for them again.

    `--list` changes nothing: it lists the batches, or with `--batch ID` only that one.

    `--close --batch ID` is the way out of a batch whose files are on a drive gone for good (lost, broken,
    reformatted), which undo fails to be retried once the drive is mounted again, every plain undo stopping on
    it: it says where the files stay and closes the batch, changing nothing on disk; `--batch ID` looks for them
    again, and puts them back if the drive comes back.

    PATH is the library folder (default: the current folder); its database is used.
    """
    from ..actions import list_batches
    from ..actions import undo as undo_batch
    from ..actions.journal import batch as one_batch

    if close_ and (batch_id is None or list_):  # (explicit only: never the newest batch by default)
        raise click.UsageError("--close needs --batch ID, the batch to close (`--list` lists them)" if batch_id is None
                               else "--close and --list cannot be given together (--list changes nothing)")
    if path is not None:  # a PATH that names nothing is a typo, refused as by the other commands (until 2026-12-07
        from .linked_folders import library_path  # `undo lib/typo` undid lib's newest batch)
        from .locate import must_exist

        must_exist(library_path(path), path, db)
    with _open_store(path, db, readonly=list_) as store:  # --list only reads: a read-only library too
        if list_:
            batches = list_batches(store) if batch_id is None else [one_batch(store, batch_id)]
            if not batches:
                click.echo("No batches.")
                _elsewhere(store, path, db)
            for b in batches:
                when = datetime.datetime.fromtimestamp(b.created_at).strftime("%Y-%m-%d %H:%M")
                where = f" -> {printable_path(b.destination)}" if b.destination else ""
                if b.kind == "tag":
                    kept = (f", {b.kept} left alone (changed, moved or deleted since; "
                            f"`{undo_command(store, b.id)}` tries again)") if b.kept else ""
                    kept += f", {b.gone} not put back (the copy from before tagging gone)" if b.gone else ""
                    kept += _to_retry(store, b)
                    click.echo(f"batch {b.id}  {when}  tag  {b.state}: {b.moved} written, {b.failed} failed, "
                               f"{b.undone} undone{kept} of {b.files} sidecar{'s' if b.files != 1 else ''}")
                    continue
                gone = f", {b.gone} gone (not found by undo)" if b.gone else ""
                gone += _to_retry(store, b)
                click.echo(f"batch {b.id}  {when}  {b.kind}{where}  {b.state}: {b.moved} moved, "
                           f"{b.failed} failed, {b.undone} undone{gone} of {b.files} files ({human_size(b.bytes)})")
            return
        if close_:
            from ..actions.close import close
            from .undo_close import print_closed

            print_closed(store, close(store, batch_id))
            return
        from ..actions.run import BatchInterrupted
        from . import ctrl_c, interrupted

        try:
            with ctrl_c.once():  # a second Ctrl-C cannot cut short the line saying how far it went
                result = undo_batch(store, batch_id)
        except NothingToUndo as exc:  # not a failure: say why (no batch yet, all undone), exit 0
            click.echo(f"{str(exc)[0].upper()}{str(exc)[1:]}.")
            _elsewhere(store, path, db)
            return
        except BatchInterrupted as exc:  # Ctrl-C half-way: what was put back, and the command that finishes it
            interrupted.undoing(store, exc.result, exc.total)
        k = len(result.removed_folders)
        folders = f"removed {k} empty folder{'s' if k != 1 else ''} the move had created" if k else ""
        if result.already_undone:
            click.echo(f"batch {result.batch_id} was already undone: nothing to restore"
                       + (f"; {folders}" if folders else "") + ".")
            return
        if result.stopped and _nothing_done(result):  # (the journal's first write refused: no "restored 0 files.")
            _print_stopped(store, result)
        if result.library_moved is not None:  # (said before the files: their lines name the new place)
            how = "network share is now reached" if share_type(result.library_moved[1]) else "drive is now mounted"
            click.echo(f"the library's {how} at {printable_path(result.library_moved[1])} (not "
                       f"{printable_path(result.library_moved[0])}, where batch {result.batch_id} took the photos "
                       "from); putting them back there")
        for moved in result.remounted_all or ([result.remounted] if result.remounted is not None else []):
            if moved != result.library_moved:  # (a tag batch's: each drive of its sidecars, said as it was for one)
                click.echo(f"the drive of batch {result.batch_id} is now mounted at {printable_path(moved[1])} (not "
                           f"{printable_path(moved[0])}); " + ("untagging the sidecars there" if result.kind == "tag"
                                                              else "taking the photos back from there"))
        for path_, reason in result.failed:
            click.echo(f"failed: {reason}", err=True)
        if result.kind == "tag":
            _print_untag(result, undo_command(store, result.batch_id),
                         [undo_command(store, b) for b in result.waits_for],
                         (lambda: _print_closed(store, result)) if result.closed else None,
                         retry=_run_again(store, result))
            _print_stopped(store, result)  # (before the exit for a failure: it was never said after one, until
            if result.failed:              # 2026-12-06, and the sidecars the undo never got to went unmentioned)
                raise SystemExit(1)
            return
        n = len(result.restored)
        in_the_way = {p for p, _, _ in result.retaken if os.path.lexists(p)}  # (another file at its place since)
        click.echo(f"batch {result.batch_id}: restored {n} file{'s' if n != 1 else ''}" + _not_moved(result)
                   + (f", {len(result.back)} already back in place (put back by hand)" if result.back else "")
                   + (f", {len(result.put_back)} put back by an earlier undo that was stopped before it recorded "
                      f"{'them' if len(result.put_back) != 1 else 'it'}" if result.put_back else "")
                   + _retaken(store, result, in_the_way) + (f", {folders}" if folders else "")
                   + (f", {len(result.failed)} could not be restored ({_why_failed(store, result)})" if result.failed
                      else "") + ".")
        _print_leftovers(result)
        for path_, later, where in result.retaken:
            # (another file at its place since: left as it is, and batch `later`'s undo refuses to put the photo
            # over it, naming both; until 2026-12-07 "cannot bring it back", the batch closed)
            blocked = path_ in in_the_way
            # (the batch killed as it moved it: it may never have left; until 2026-12-07 "put back ... since")
            said = (f"batch {result.batch_id} was killed as it moved it, before it recorded the move (the photo never "
                    "left its place, or was put back there by hand since: the journal cannot tell which), then it "
                    "was taken" if path_ in result.unrecorded else
                    f"put back at its place since batch {result.batch_id} moved it, then taken again")
            click.echo(f"note: {printable_path(path_)}: {said} by batch {later} (to {printable_path(where or '?')})"
                       + ("; another file is at its place now, left as it is: " if blocked else ": ")
                       + f"`{undo_command(store, later)}` brings it back"
                       + (" once that file is moved away (until then it names both and leaves them as they are)"
                          if blocked else ""), err=True)
        for folder, k in sorted(result.recreated.items()):  # the photo's folder renamed (or removed) since
            click.echo(f"note: {printable_path(folder)} was no longer there (renamed, moved or deleted since batch "
                       f"{result.batch_id}?); undo made it again to put {k} file{'s' if k != 1 else ''} back in it",
                       err=True)
        if result.closed:
            _print_closed(store, result)
        elif result.unreachable:  # (the way out of a batch whose drive is gone for good: until 2026-12-07, none said)
            way_out(store, result, _run_again(store, result, _db_then(store, result)))
        _print_stopped(store, result)
        if result.failed:
            raise SystemExit(1)


def _elsewhere(store, path, db) -> None:
    """With no batch in this user's database found from PATH (the cache folder's), the batches the library's own
    database holds, which this user may not write, and how to list and undo them (:mod:`.library_batches`)."""
    if db is None:
        from .library_batches import elsewhere_note

        note = elsewhere_note(store, path)
        if note is not None:
            click.echo(note, err=True)


def _to_retry(store, b) -> str:
    """``, 3 to retry (on the drive at /srv/ext, not mounted now: mount it there and `blurscan undo --batch 1 LIB`
    puts them back)`` in ``--list``: the files of batch ``b`` the last undo could not put back, left to retry
    (:data:`~blurscan.actions.journal.TO_RETRY`), with the drive they wait for where every one is on a drive not
    mounted now (:func:`~blurscan.actions.afterwards.waiting_for`), else ``(the last undo could not put them back;
    `...` tries again)``. Until 2026-12-07 they were counted among the files moved alone: ``partial: 3 moved, 0
    failed, 0 undone of 3 files`` just after undo said the 3 could not be restored."""
    if not b.retry:
        return ""
    from ..actions.afterwards import waiting_for

    k, command = b.retry, undo_command(store, b.id)
    them = "them" if k != 1 else "it"
    drives = waiting_for(store, b.id, b.kind)
    if len(drives) == 1 and drives[0][1] is not None:  # (mounted at another place: its undo named as it will be)
        (drive, now), = drives
        from ..actions.batch_drives import db_at, mounted_elsewhere

        return (f", {k} to retry ({mounted_elsewhere(drive, now)} and "
                f"`{undo_command(store, b.id, db_at(store.path, drive, now))}` puts {them} back)")
    if drives:
        at = " and ".join(printable_path(d) + (f" (mounted at {printable_path(now)} now)" if isinstance(now, str) else
                                               f" (drives of its identity at {' and '.join(map(printable_path, now))}"
                                               " now)" if now else "") for d, now in drives)
        return (f", {k} to retry (on the drive{'s' if len(drives) != 1 else ''} at {at}, not mounted "
                f"{'there ' if any(now for _, now in drives) else ''}now: mount {'them' if len(drives) != 1 else 'it'}"
                f" there and `{command}` puts {them} back)")
    did = f"undo {them}" if b.kind == "tag" else f"put {them} back"
    return f", {k} to retry (the last undo could not {did}; `{command}` tries again)"


def _not_moved(result) -> str:
    """``, 31 had not been moved (30 of them skipped by the batch, which stopped: no space left on device)``: the
    files the batch never moved, those it tried (failed, or killed before) and those it skipped. The skipped
    ones were left out: a move stopped by a full disk said 1 (the file that did not fit) of its 31."""
    k, s = len(result.untouched) + len(result.skipped), len(result.skipped)
    if not s:
        return f", {k} had not been moved" if k else ""
    stops = sorted({why.split(": ", 1)[1] for _, why in result.skipped if why.startswith("batch stopped: ")})
    why = f", which stopped: {'; '.join(stops)}" if stops else ""
    return f", {k} had not been moved ({'all' if s == k else f'{s} of them'} skipped by the batch{why})"


def _retaken(store, result, in_the_way: set[str]) -> str:
    """``, 1 taken again by batch 2 since it was put back (`blurscan undo --batch 2 ...` brings it back)``: the
    files the batch moved that a later batch took again (:attr:`UndoResult.retaken`), counted apart from those
    that could not be restored (until 2026-12-07 they were among those, gone, and the batch closed). Those with
    another file at their place now (``in_the_way``) come back ``once the file now at its place is moved away``
    (until 2026-12-07 only the note said so); with a file the batch was killed as it moved among them
    (:attr:`UndoResult.unrecorded`: it may never have left), ``1 taken by batch 2 from its place since``."""
    if not result.retaken:
        return ""
    later = sorted({b for _, b, _ in result.retaken})
    k, m = len(result.retaken), len(in_the_way)
    batches = " and ".join(f"{b}" for b in later)
    commands = " and ".join(f"`{undo_command(store, b)}`" for b in later)
    by = f"batch{'es' if len(later) != 1 else ''} {batches}"
    taken = (f"taken by {by} from {'their places' if k != 1 else 'its place'} since" if result.unrecorded else
             f"taken again by {by} since {'they were' if k != 1 else 'it was'} put back")
    blocked = (f"once the file{'s' if m != 1 else ''} now at {'their places are' if m != 1 else 'its place is'} "
               "moved away")
    until = "" if not m else f" {blocked}" if m == k else f", {m} of them {blocked}"
    return (f", {k} {taken} ({commands} bring{'s' if len(later) == 1 else ''} {'them' if k != 1 else 'it'} "
            f"back{until})")


def _print_leftovers(result) -> None:
    """A note on stderr for each thing a kill left that undo removed, naming it (removed without a word before),
    and for each file at a destination the batch never moved there, left as it is (:attr:`UndoResult.left`)."""
    for path_, why in result.left:
        click.echo(f"note: {why}", err=True)
    batch = "move" if result.kind == "move" else "trash"
    for path_, photo, what in result.leftovers:
        said = {"copy": f"a copy of {printable_path(photo)} left by an interrupted {batch} (the same bytes: the "
                        "photo is at its place)",
                "name": f"a second name of {printable_path(photo)} (the same file) left by an interrupted {batch}",
                "partial": f"an unfinished copy of {printable_path(photo)} left by an interrupted {batch}",
                "partial undo": f"an unfinished copy of {printable_path(photo)} left by an interrupted undo",
                "copy back": f"a copy of {printable_path(photo)} left by an interrupted undo, or a copy put back by "
                             "hand (the same bytes: the photo is at its place)",
                "name back": f"a second name of {printable_path(photo)} (the same file) left by an interrupted undo, "
                             "or a link made by hand"}
        click.echo(f"note: removed {printable_path(path_)}, {said[what]}", err=True)


def _print_closed(store, result) -> None:
    """Where a plain undo goes after a batch closed with files gone (it no longer names this batch), or one closed by
    ``undo --close`` that stays so, its drive still not mounted (:func:`.undo_close.closed_line`)."""
    click.echo(closed_line(store, result.batch_id, len(result.gone) + sum(result.unreachable.values()),
                           state="stays closed" if result.unreachable else "is closed"))


def _nothing_done(result) -> bool:
    """The undo resolved no row of its batch: put back, removed, found back or untouched, failed, left alone."""
    return not (result.restored or result.removed or result.back or result.put_back or result.untouched
                or result.failed or result.kept or result.leftovers or result.left or result.retaken)


def _print_stopped(store, result) -> None:
    """An undo the journal stopped (it refused a write: a full disk, a database locked by another program): said
    after what was done, exit code 1; the next undo goes on from there (until 2026-12-04 it was one "Error: ...
    database or disk is full" line, with neither the files put back nor the one that failed). Stopped at its first
    write, it is said alone: until 2026-12-07 "batch 1: restored 0 files." came first on stdout, a success."""
    if result.stopped:
        files = "sidecars" if result.kind == "tag" else "files"
        said = (("no sidecar was undone" if result.kind == "tag" else "no file was put back") if _nothing_done(result)
                else f"the {files} not listed above are where they were")
        click.echo(f"stopped: {result.stopped}; {said}: "
                   f"{when_writable(result.stopped)} run `{undo_command(store, result.batch_id)}` again", err=True)
        raise SystemExit(1)


def _print_untag(result, again: str, first: list[str], closed=None, *, retry: str) -> None:
    """The summary of a tag batch's undo (failures were printed already); ``first``: the commands that undo the
    later tag batches whose bytes some of its sidecars hold (the batch stays open for them); ``closed``: says where
    a plain undo goes now, for a batch closed with the kept copies of sidecars gone; ``retry``: how to retry the
    failures (:func:`_run_again`)."""
    for path_, reason in result.kept:
        click.echo(f"not undone: {reason}", err=True)
    n, m = len(result.restored), len(result.removed)
    parts = []
    if n or not (m or result.kept or result.failed or result.put_back):
        parts.append(f"restored {n} sidecar{'s' if n != 1 else ''} to {'their' if n != 1 else 'its'} bytes "
                     "from before tagging")
    if m:
        parts.append(f"removed {m} sidecar{'s' if m != 1 else ''} tag had created")
    if result.put_back:
        k = len(result.put_back)
        parts.append(f"{k} undone by an earlier undo that was stopped before it recorded {'them' if k != 1 else 'it'}")
    if result.untouched:
        parts.append(f"{len(result.untouched)} had not been written")
    if result.kept:
        k = len(result.kept)
        parts.append(f"{k} left as {'they are' if k != 1 else 'it is'} (changed, moved or deleted since tagging, "
                     f"listed above; `{again}` tries again)")
    if result.failed:
        gone, k = len(result.gone), len(result.failed)
        parts.append(f"{k} could not be restored (listed above; " + (
            f"{retry} once fixed" if not gone else
            f"{'the copies of their' if gone != 1 else 'the copy of its'} previous version"
            f"{'s are' if gone != 1 else ' is'} gone, which undo cannot bring back" if gone == k else
            f"{gone} of them for good, their copies gone; {retry} once the others are fixed") + ")")
    click.echo(f"batch {result.batch_id}: " + ", ".join(parts) + ".")
    if first:
        later = " and ".join(f"`{command}`" for command in first)
        click.echo(f"batch {result.batch_id} stays open: once {later} is done, a plain `blurscan undo` comes back "
                   "to it.")
    if closed is not None:
        closed()


def _db_then(store, result) -> str | None:
    """The database as it will be named once the one drive an undo could not reach, mounted at another place now,
    is mounted where the batch recorded it again (:func:`~blurscan.actions.batch_drives.db_at`); else None."""
    if len(result.unreachable) != 1 or not result.elsewhere:
        return None
    from ..actions.batch_drives import db_at

    (drive, now), = result.elsewhere.items()
    return db_at(store.path, drive, now)


def _run_again(store, result, db: str | None = None) -> str:
    """How to retry what the undo of ``result`` could not do: ``run undo again`` while a plain undo comes back to
    its batch, else ``run `blurscan undo --batch 1 ...` again`` (as typed here, :func:`.actions.undo_command`): after
    ``undo --batch 1`` with a batch 2 not undone, a plain undo goes to batch 2 first (until 2026-12-07 the summary
    said ``run undo again`` then too). ``db``: the database as it is to be named then (:func:`_db_then`)."""
    from ..actions.journal import latest_undoable

    if latest_undoable(store) == result.batch_id:
        return "run undo again"
    return f"run `{undo_command(store, result.batch_id, db)}` again"


def _why_failed(store, result) -> str:
    """What to do about the files an undo could not restore: retry once fixed (:func:`_run_again`), unless they are
    gone."""
    k, gone = len(result.failed), len(result.gone)
    if not gone:
        return f"listed above; {_run_again(store, result)} once fixed"
    them = "them" if gone != 1 else "it"
    where = ("in the trash" if result.kind == "trash" else f"where the move put {them}") + \
        f" nor at {'their' if gone != 1 else 'its'} place"
    if gone == k:
        return f"listed above: no longer {where}, so undo cannot bring {them} back"
    return (f"listed above; {gone} of them no longer {where}, which undo cannot bring back; "
            f"{_run_again(store, result)} once the others are fixed")
