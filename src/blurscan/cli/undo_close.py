"""What ``blurscan undo`` says of a batch closed, and of files on a drive not mounted: ``undo --close --batch ID``
(:func:`print_closed`, over :func:`blurscan.actions.close.close`), and the way out that an undo failing on such a
drive ends with (:func:`way_out`). Since 2026-12-07: until then a batch whose drive was gone for good stopped every
plain undo, and no word said how to get past it."""
from __future__ import annotations

import click

from ..errors import printable_path
from .actions import undo_command, undo_typed


def _files(n: int) -> str:
    return f"{n} file{'s' if n != 1 else ''}"


def closed_line(store, batch_id: int, missing: int, *, state: str = "is closed", db: str | None = None) -> str:
    """``batch 4 is closed: a plain `blurscan undo` now goes to batch 3; `blurscan undo --batch 4 ...` looks for the
    missing file again.``: where a plain undo goes once batch ``batch_id`` is closed (``missing``: how many of its
    files undo has not put back; ``state``: ``is closed``, ``was closed already``, ``stays closed``; ``db``: the
    database as it is to be named then, its drive mounted at another place now)."""
    from ..actions.journal import latest_undoable

    following = latest_undoable(store)
    then = (f"a plain `blurscan undo` now goes to batch {following}" if following is not None else
            "no other batch is left for a plain `blurscan undo`")
    return (f"batch {batch_id} {state}: {then}; "
            f"`{undo_command(store, batch_id, db)}` looks for the missing file{'s' if missing != 1 else ''} again.")


def print_closed(store, closed) -> None:
    """Say where the files of the batch ``undo --close`` closed stay (:class:`blurscan.actions.close.Closed`), then
    where a plain undo goes now."""
    from ..actions.batch_drives import db_at, mounted_elsewhere, moved_along

    said = []
    for stay in closed.stays:
        folder = stay.folder if not isinstance(stay.now, str) else moved_along(stay.folder, stay.drive, stay.now)  # (there now)
        where = f"in the trash at {printable_path(folder)}" if closed.kind == "trash" else \
            f"at {printable_path(folder)}"
        drive = f", {mounted_elsewhere(stay.drive, stay.now)}" if stay.now else \
            f", on the drive at {printable_path(stay.drive)}, not mounted now" if stay.drive else ""
        said.append(f"{_files(stay.files)} stay{'s' if stay.files == 1 else ''} {where}{drive}")
    if closed.gone:
        said.append(f"{_files(closed.gone)} gone (not found by undo)")
    left = "; ".join(said) if said else "no file it moved is away from its place"
    click.echo(f"batch {closed.batch_id}: {left}; nothing on disk was changed.")
    missing = sum(stay.files for stay in closed.stays) + closed.gone
    moved = {(stay.drive, stay.now) for stay in closed.stays if stay.now}  # (its undo named as it will be then)
    click.echo(closed_line(store, closed.batch_id, missing,
                           state="was closed already" if closed.already else "is closed",
                           db=db_at(store.path, *moved.pop()) if len(moved) == 1 else None))


def way_out(store, result, retry: str) -> None:
    """After an undo that could not reach the drive holding some of the batch's files (``result.unreachable``):
    mount it there and retry (``retry``: :func:`.undo._run_again`), or, the drive gone for good, the command that
    closes the batch, as it can be typed here (the library's folder, or ``--db FILE``)."""
    from ..actions.batch_drives import mounted_elsewhere

    drives = sorted(result.unreachable.items())
    n = sum(k for _, k in drives)
    if len(drives) == 1 and drives[0][0] in result.elsewhere:  # (mounted at another place: said so, as each file)
        point = drives[0][0]
        click.echo(f"batch {result.batch_id}: {_files(n)} {'is' if n == 1 else 'are'} "
                   f"{mounted_elsewhere(point, result.elsewhere[point])} and {retry}; if it cannot be mounted there, "
                   f"`{undo_typed(store, f' --close --batch {result.batch_id}')}` closes the batch, changing nothing "
                   "on disk (a plain undo then goes on to the batch before).")
        return
    if len(drives) == 1:
        on = f"{_files(n)} {'is' if n == 1 else 'are'} on the drive at {printable_path(drives[0][0])}, not mounted now"
    else:
        on = (f"{_files(n)} are on drives not mounted now ("
              + ", ".join(f"{k} on the one at {printable_path(d)}" + (
                  f", mounted at {printable_path(result.elsewhere[d])} instead" if d in result.elsewhere else "")
                          for d, k in drives) + ")")
    click.echo(f"batch {result.batch_id}: {on}: mount {'it' if len(drives) == 1 else 'them'} there and {retry}; if "
               f"{'that drive is' if len(drives) == 1 else 'those drives are'} gone for good, "
               f"`{undo_typed(store, f' --close --batch {result.batch_id}')}` closes the batch, changing nothing on "
               "disk (a plain undo then goes on to the batch before).")
