"""What an undo in the review page says of a photo ``blurscan move`` or ``trash`` has already taken away.

Undoing a discard in the page changes the decision only: the file stays where the move put it until ``blurscan
undo`` brings it back. Until 2026-12-05 the page answered "undone: discard of IMG_1.jpg" and nothing else, so a
person took the photo to be back in the library while it was still in the ``--to`` folder (or the trash). The
answer now carries :func:`moved`: the batch that took it (from the move's journal, as
:meth:`blurscan.store.Store.moved_away` finds it), where it is, and the command that puts it back. When the photo
is no longer where the batch put it either (deleted from the ``--to`` folder, the trash emptied: ``found`` false),
the note says so and that the command brings it back once it is there again: until 2026-12-06 it said "run
`blurscan undo --batch 1 ...` to bring it back", and that undo answered that it cannot. When it is not there because
its drive is not mounted now (``drive``: where the batch recorded it mounted, or its folder missing where drives are
mounted, :func:`blurscan.actions.afterwards.drive_not_mounted`), the note names the drive and says to mount it: until
2026-12-07 it said the photo "no longer found" there while the drive was merely unplugged. A trash batch's drive
mounted at another place now (``mounted_at``) is said so, to be mounted where it was again (the photo's folder is
there): until later that day the note said it "not mounted now". A photo where the batch put it whose place in
the library is on the library's drive, not mounted now (a database kept off that drive), is said so in ``report``'s
words, with the drive to mount before the undo (:func:`.batch_drives.library_unplugged_words`, or, the database on a
drive mounted at another place, :func:`.batch_drives.library_away_words`): until 2026-12-07 the note said to run the
undo, which refused the photo until the drive was mounted.
"""
from __future__ import annotations

import os

from ..errors import printable_path
from ..actions import batch_drives, drive_ids
from ..actions.afterwards import TAKEN, drive_not_mounted, library_unplugged, still_there
from ..store import db_path, path_from_db
from ..typed_commands import naming


def undo_command(db: str, batch: int | None = None) -> str:
    """``blurscan undo --batch N LIBRARY`` (``--db DB`` for a database not named ``.blurscan.db``), typed anywhere
    (:func:`blurscan.typed_commands.naming`); without ``batch``, ``blurscan undo LIBRARY``: the undo of the
    page's hint under the move command (until 2026-12-07 a bare `blurscan undo`, which found no database typed
    outside the library, or for a database given by ``--db``)."""
    return naming(db, "blurscan undo" + (f" --batch {batch}" if batch is not None else ""))


def moved(store, path: str, db: str, undone: str) -> dict:
    """``{"moved": {batch, kind, to, command, found}, "note": LINE}`` for the photo ``path`` when a move or trash
    batch took it and it is still away (``undone``: what the page undid, "discard"); else ``{}``. ``db``: the
    database the command names; ``found``: whether the file is where the batch put it (what the command needs);
    ``drive`` (only then): where the drive holding it is not mounted now, when that is why it is not found."""
    if os.path.lexists(path):
        return {}
    row = store.conn.execute(TAKEN + " AND j.src = ? ORDER BY j.id DESC LIMIT 1", (db_path(path),)).fetchone()
    if row is None:
        return {}
    _src, batch, dst, kind = row
    command = undo_command(db, batch)
    verb = "trashed" if kind == "trash" else "moved"
    name = printable_path(os.path.basename(path))
    carried = batch_drives.library_moved(store, batch)  # (the library's drive mounted at another place: undo puts
    dst = dst and batch_drives.along(path_from_db(dst), carried)  # the photo back there, from there)
    recorded = batch_drives.reader(store, batch, kind)(dst) if dst else None
    where_now = batch_drives.now_at(store, batch)
    now = None if recorded is None else where_now(recorded)
    if kind == "move" and isinstance(now, str) and now != recorded:  # (its drive mounted at another place: undo takes
        dst = batch_drives.moved_along(dst, recorded, now)      # the photo from there)
    where = "the trash" if kind == "trash" else printable_path(dst) if dst else "its --to folder"
    found = not dst or still_there(kind, batch_drives.along(path, carried), dst)  # (what an undo looks at: the file system, whatever the row's
    # state)
    drive = None if found else drive_not_mounted(os.path.dirname(dst), recorded, where_now)
    shown = printable_path(drive) if drive is not None else None
    elsewhere = now if (kind != "move" or isinstance(now, drive_ids.Twins)) and drive is not None and drive == recorded and now not in (None, drive) \
        else None
    if elsewhere is not None:  # (a trash's drive mounted at another place: said so, the command named as it will be)
        command = undo_command(batch_drives.db_at(db, drive, elsewhere), batch)
    # (the file where the batch put it, but its place in the library on a drive not mounted now: undo refuses it
    # until that drive is mounted, and says so; said here in report's words, until 2026-12-07 "run undo")
    unmounted = _library_not_mounted(store, batch, path) if found else None
    if unmounted is not None and unmounted[1] is not None:
        command = undo_command(batch_drives.db_at(db, *unmounted[1]), batch)  # (as it will be typed there)
    note = f"{name}: the {undone} is undone, but `blurscan {kind}` already {verb} the photo (batch {batch}, to {where})"
    note += f": {unmounted[0]} and run `{command}` to bring it back" if unmounted else \
        f": run `{command}` to bring it back" if found else \
        f", {batch_drives.mounted_elsewhere(drive, elsewhere)} and run `{command}` to bring it back" if elsewhere \
        else f", on the drive at {shown}, not mounted now: mount it there and run `{command}` to bring it back" if shown \
        else f", where it is no longer found: `{command}` brings it back once it is there again"
    told = {"batch": batch, "kind": kind, "to": where, "command": command, "found": found}
    return {"moved": told | ({"drive": shown} if shown else {})
            | ({"mounted_at": printable_path(elsewhere)} if isinstance(elsewhere, str) else
               {"twins": [printable_path(p) for p in elsewhere]} if elsewhere else {}), "note": note}


def _library_not_mounted(store, batch: int, path: str) -> tuple[str, tuple[str, str] | None] | None:
    """Where batch ``batch``'s undo will not put the photo ``path`` back, its place being on the library's drive,
    not mounted now: what to do first, in ``report``'s words (:func:`.batch_drives.library_away_words` where the
    database is on a drive mounted at another place, with that ``(where, now)``, or
    :func:`.batch_drives.library_unplugged_words`, with None); else None."""
    guessed = batch_drives.library_away(store, batch)
    if guessed is not None:
        return batch_drives.library_away_words(*guessed), guessed
    why = next(iter(library_unplugged(store, [path], {path: batch})), None)
    return None if why is None else (batch_drives.library_unplugged_words(why), None)
