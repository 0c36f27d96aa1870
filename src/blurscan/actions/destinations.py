"""Where a move puts each file, checked before anything moves: a destination that exists already, or something
that is no folder (a file, a link that leads nowhere or loops) where a folder the move must make would go.

:func:`.plan.plan_move` refuses a ``--to`` that cannot be made (:func:`in_the_way`: a file above it), and skips a
photo whose own destination is blocked, with the reason (:func:`blocked`), so the dry run says what ``--yes``
would meet, as for a destination already there; :mod:`.run` names the photo too when one appears after planning.
The trash's folder is checked the same way (``blurscan trash``'s dry run, :func:`.trash.choose`).
"""
from __future__ import annotations

import os

from ..errors import printable_path
from ..name_room import path_too_long, temp_too_long
from ..store import db_path
from ..typed_commands import naming
from .folder_path import not_a_folder


def blocked(dst: str, folders: dict[str, str | None], store=None, src: str | None = None) -> str | None:
    """Why a file cannot be moved to ``dst``, or None: ``dst`` exists (never overwritten), or its folder cannot be
    made (:func:`folder_reason`). ``folders``: the answers for folders looked at already (filled in). With
    ``store``, a file there that a batch killed while moving it there left (:func:`interrupted_at`) is said to be
    that batch's, and how to sort it out. With ``src``, a file there with the same bytes as ``src``
    (:func:`same_bytes`) is said to be: the photo moved there before and brought back since, by a sync tool from
    a device that had not seen the move, or a phone's camera upload sending it again (until 2026-12-06 only
    "destination exists", at every move, as for another file). A ``dst`` longer than the system takes (a photo deep
    in the library, under a ``--to`` longer than the library's path) is said to be (:func:`~blurscan.name_room.
    path_too_long`): until 2026-12-06 the dry run listed it, and ``--yes`` failed it, "file name too long", after
    making the folders above it; so is one copied across drives whose temporary copy's path would be
    (:func:`~blurscan.name_room.temp_too_long`: a short name within a few bytes of the limit)."""
    too_long = path_too_long(dst)
    if not too_long and src is not None and (temp := temp_too_long(dst)) and device_of(src) != device_of(dst):
        too_long = temp.replace("path too long", "path too long for its temporary copy across drives", 1)
    if too_long:
        return f"destination {too_long} (a shorter --to makes room)"
    if os.path.lexists(dst):
        batch = interrupted_at(store, dst) if store is not None else None
        # (the undo naming the library or --db, typed anywhere: a bare one found no database outside the library,
        # until 2026-12-07)
        left = (f": a copy of the photo left there by batch {batch}, interrupted while moving it; "
                f"`{naming(store.path, f'blurscan undo --batch {batch}')}` removes it (and puts back what that "
                "batch moved), then move again" if batch is not None else "")
        same = not left and src is not None and same_bytes(src, dst)
        # a copy only where the photo is back with the same bytes: with another file at its name (a camera's
        # names used again) the file there is the photo the batch moved, which its undo does not remove
        undoing = interrupted_at(store, dst, "undoing") if store is not None and not left else None
        if undoing is not None and same:  # (until 2026-12-06 taken for a sync tool's copy: "delete it ... by hand")
            left = (f": a copy left there by an undo of batch {undoing} stopped before it removed it; "
                    f"`{naming(store.path, f'blurscan undo --batch {undoing}')}` finishes that undo (removes it), "
                    "then move again")
        elif undoing is not None:  # (until 2026-12-06 said to be a copy that undo removes: it failed, and kept it)
            left = (f": the photo batch {undoing} moved there, which an undo of that batch was stopped as it put it "
                    "back; the library's file of that name has other bytes (another photo, or this one edited since)")
        if not left and same:
            left = (f": the same bytes as {printable_path(os.path.basename(src))}, moved there before and back in the "
                    "library since (brought back by a sync tool?): delete it from the library by hand if it is to go")
        return f"destination exists: {printable_path(dst)} (never overwritten){left}"
    folder = os.path.dirname(dst)
    if folder not in folders:
        folders[folder] = folder_reason(folder)
    return folders[folder]


def same_bytes(src: str, dst: str) -> bool:
    """Whether the files ``src`` and ``dst`` hold the same bytes: the same size and
    :func:`~blurscan.samples.sample_sha256`, then every byte compared (False when either cannot be read)."""
    import filecmp

    from ..samples import read_sample

    try:
        (st_src, sample_src), (st_dst, sample_dst) = read_sample(src), read_sample(dst)
        return (st_src.st_size, sample_src) == (st_dst.st_size, sample_dst) and filecmp.cmp(src, dst, shallow=False)
    except OSError:
        return False


def interrupted_at(store, dst: str, state: str = "moving") -> int | None:
    """The newest batch, neither undone nor closed, whose row moving a file to ``dst`` is still ``moving``: the
    process was killed while it moved that file (a verified copy there, its photo not yet removed: a move across
    drives). A later ``move`` met it as any file in the way, ``destination exists``, and left the photo in the
    library beside its copy without a word of the batch whose undo removes the copy (until 2026-12-05). With
    ``state`` ``undoing``: the undo of that batch was killed as it brought the file back (the photo in the library
    again, the copy not yet removed)."""
    row = store.conn.execute(
        "SELECT j.batch_id FROM journal j JOIN batches b ON b.id = j.batch_id WHERE j.dst = ? AND j.state = ? "
        "AND b.kind = 'move' AND b.state NOT IN ('undone', 'closed') ORDER BY j.batch_id DESC LIMIT 1",
        (db_path(dst), state)).fetchone()
    return None if row is None else row[0]


def folder_reason(folder: str) -> str | None:
    """``cannot make the folder FOLDER: X is a file, not a folder`` (or a link that leads nowhere, or loops:
    :func:`.folder_path.not_a_folder`) when something that is no folder stands at ``folder`` or above it; None when
    each part of its path is a folder or not there yet."""
    in_the_way = not_a_folder(folder)
    return f"cannot make the folder {printable_path(folder)}: {in_the_way}" if in_the_way else None


def in_the_way(folder: str) -> str | None:
    """``cannot be made: X is a file, not a folder`` (or a link that leads nowhere, or loops:
    :func:`.folder_path.not_a_folder`) for a folder files are to be moved into (``--to``, the trash's) when something
    that is no folder stands at its place or above it; None when each part of its path is a folder or not there.
    (The nearest folder that exists is then a file's folder: "cannot be written" said nothing of the file.)"""
    reason = not_a_folder(folder)
    return f"cannot be made: {reason}" if reason else None


def existing_ancestor(path: str) -> str:
    """``path``, or its nearest parent that exists."""
    return nearest(path, os.path.exists)


def nearest(path: str, wanted) -> str:
    """``path``, or its nearest parent for which ``wanted(parent)`` is true (the root at last)."""
    while not wanted(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return path


def device_of(path: str | None) -> int:
    """The device of ``path`` (of its nearest existing parent); -1 for None. One ``stat`` for a path that exists
    (an ``exists`` and a ``stat`` it was: a look more a file, milliseconds on a NAS)."""
    while path:
        try:
            return os.stat(path).st_dev
        except OSError:  # (not there, or not to be looked at: as os.path.exists answers)
            parent = os.path.dirname(path)
            if parent == path:
                raise
            path = parent
    return -1
