"""Closing a move or trash batch by hand (``blurscan undo --close --batch ID``), for a batch whose files are on a
drive gone for good (lost, broken, reformatted): the way out of a batch an undo cannot finish.

Undo fails a file whose ``--to`` or trash is on a drive not mounted now (:class:`.restore.Unreachable`) to be
retried, and leaves its batch ``partial``, the target of every plain undo: with the drive gone for good, each plain
undo failed on it again, and the batches before it were out of reach of a plain undo (``--batch`` of each worked,
unsaid). Closing marks the batch ``closed``, as an undo does one whose missing files are gone (:mod:`.undo`), so
that a plain undo goes on to the batch before; it changes nothing on disk and no row of the journal: the files the
batch moved still count as taken by it (the report and the review page leave them out, saying where they are), and
``undo --batch ID`` looks for them again, putting them back once the drive is mounted there. An undo by ``--batch``
that finds the drive still not mounted leaves the batch closed (:func:`.undo._set_state`). Since 2026-12-07.

A batch some of whose files are within reach (their drive mounted, or on none: a ``--to`` on the root's disk, a batch
killed mid-move) is refused, nothing closed (:class:`WithinReach`): an undo puts those back, and closing it hid them
from every plain undo, saying `stays at` and `looks for the missing file again` as if it were on a drive gone
(until 2026-12-07, the day ``--close`` came).
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import ActionError, printable_path
from ..typed_commands import naming
from . import batch_drives, drives, journal


@dataclass(frozen=True)
class Stay:
    """``files`` files the batch put in ``folder`` (a move's ``--to``, a trash's ``files`` folder) and no undo put
    back; ``drive``: the drive holding them, not mounted now (where it was mounted, or its missing folder where
    drives are mounted), None when it is (or no drive was recorded); ``now``: where that drive is mounted now, at
    another place (a trash batch's: its photos go back only where they were), else None."""

    folder: str
    drive: str | None
    files: int
    now: str | None = None


@dataclass(frozen=True)
class Closed:
    """What :func:`close` did: ``batch_id`` (of ``kind``) closed, or ``already`` so; where its files stay
    (``stays``), and how many an undo found gone (``gone``)."""

    batch_id: int
    kind: str
    stays: tuple[Stay, ...]
    gone: int
    already: bool


class WithinReach(ActionError):
    """``undo --close`` refused: ``files`` files the batch moved are within reach in ``folders``, for an undo to put
    back (nothing was closed)."""

    def __init__(self, store, batch_id: int, files: int, folders: list[str]) -> None:
        one = files == 1
        super().__init__(
            f"batch {batch_id}: {files} file{'' if one else 's'} it moved {'is' if one else 'are'} within reach at "
            f"{' and '.join(printable_path(f) for f in folders)} (no drive there is unmounted): "
            f"`{naming(store.path, f'blurscan undo --batch {batch_id}')}` puts {'it' if one else 'them'} back (or finds "
            f"{'it' if one else 'them'} gone, and closes the batch); "
            "--close is for a batch whose files are on a drive gone for good; nothing was closed")
        self.files = files
        self.folders = folders


#: The states of a row whose file the batch moved and no undo put back (``moving``: when it is not at its place).
_AWAY = ("done", "undoing", "moving")


def close(store, batch_id: int) -> Closed:
    """Mark move or trash batch ``batch_id`` ``closed``, touching no file, and say where its files stay.

    Raises
    ------
    ActionError
        When there is no batch ``batch_id``, it is a tag batch (its sidecars are in the library, on no drive), it
        was undone already, some of its files are within reach (:class:`WithinReach`; a batch closed already is not
        refused so), or another move / undo holds this database.
    """
    with journal.exclusive(store):
        info = journal.batch(store, batch_id)
        if info.kind == "tag":
            raise ActionError(f"batch {batch_id} is a tag batch, whose sidecars are in the library: --close is for "
                              "a move or trash batch whose files are on a drive gone for good; nothing was closed")
        if info.state == "undone":
            raise ActionError(f"batch {batch_id} was undone already: its files are back, and there is nothing to "
                              "close")
        rows = journal.rows(store, batch_id)
        counts: dict[tuple[str, str | None], int] = {}
        off, nows = _unmounted(store, info)
        moved = batch_drives.remounted(store, batch_id, info.kind)  # (its drive mounted at another place: there)
        carried = batch_drives.library_moved(store, batch_id)  # (the library's drive, and its undo, there too)
        for row in rows:
            if row.state not in _AWAY or not row.dst or (row.state == "moving" and os.path.lexists(row.src)):
                continue
            dst = batch_drives.along(row.dst, carried)
            folder = info.destination if info.kind == "move" and info.destination else os.path.dirname(dst)
            folder = batch_drives.along(batch_drives.along(folder, moved), carried)
            key = (folder, off(dst))
            counts[key] = counts.get(key, 0) + 1
        already = info.state == "closed"
        near = {folder: n for (folder, drive), n in counts.items() if drive is None}
        if near and not already:
            raise WithinReach(store, batch_id, sum(near.values()), sorted(near))
        if not already:
            journal.set_batch_state(store, batch_id, "closed")
    stays = tuple(Stay(folder, drive, n, nows.get(drive) if drive is not None else None)
                  for (folder, drive), n in sorted(counts.items(), key=lambda kv: kv[0][0]))
    return Closed(batch_id, info.kind, stays, sum(r.state == "gone" for r in rows), already)


def _unmounted(store, info):
    """``(off, nows)``: ``off(dst)``, the drive not mounted now that holds ``dst`` (where the batch recorded it mounted,
    :mod:`.batch_drives`; else a missing folder where drives are mounted, :func:`.drives.unplugged`), or None,
    looked up once per folder; ``nows``, filled by it: each such drive mounted at another place now (a trash
    batch's) -> that place."""
    drive_of, where_now = batch_drives.reader(store, info.id, info.kind), batch_drives.now_at(store, info.id)
    seen: dict[str, str | None] = {}
    nows: dict[str, str] = {}

    def off(dst: str) -> str | None:
        folder = os.path.dirname(dst)
        if folder not in seen:
            drive = drive_of(dst)
            now = None if drive is None else where_now(drive)
            if drive is not None and now != drive:  # (not there; a move's mounted at another place: within reach,
                seen[folder] = None if info.kind == "move" and isinstance(now, str) else drive  # its undo takes
                # them; twins, drive_ids.Twins: neither)
                if seen[folder] is not None and now is not None:
                    nows[drive] = now
            else:
                away = drives.unplugged(folder)
                seen[folder] = away.folder if away is not None and not away.at_root else None
        return seen[folder]
    return off, nows
