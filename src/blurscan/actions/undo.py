"""Put a batch's files back where they were, byte-identical, even after a kill mid-batch.

Each journal row is resolved by looking at the file system, not by trusting its state:

==========================================  =====================================================
source / destination                        action
==========================================  =====================================================
source only                                 never moved (or killed before): nothing to do
destination only                            move it back (no-clobber; verified copy across devices)
both, same inode                            killed between ``link`` and ``unlink``: drop the new name
both, identical bytes (journal moving/done) killed after a verified copy, before the unlink: drop the copy
both, different bytes                       left alone and reported (nothing is ever overwritten)
neither                                     reported as missing
==========================================  =====================================================

A leftover temporary copy (``.NAME.blurscan-<row>.part``) is removed. For a trash batch the ``.trashinfo``
entry is removed once its file is back. Undo is idempotent: rows already restored are skipped, and a row
whose file is back but not yet marked is recognised (source only), so an undo interrupted in turn can simply
be run again.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Callable

from ..errors import ActionError, UsageError, printable_path
from . import journal, trash
from .moves import move_file, sha256_file, temp_name

log = logging.getLogger(__name__)


@dataclass
class UndoResult:
    """What an undo did.

    Attributes
    ----------
    batch_id : int
    restored : list of (dst, src)
        Files put back.
    untouched : list of str
        Rows whose file had never left (nothing to do).
    failed : list of (path, reason)
        Files that could not be restored (they stay where they are, reported).
    already_undone : bool
        The batch had been undone before: there was nothing left to restore.
    """

    batch_id: int
    restored: list[tuple[str, str]] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    already_undone: bool = False

    @property
    def complete(self) -> bool:
        return not self.failed


def undo(store, batch_id: int | None = None, *, progress: Callable[[int, int, str], None] | None = None) -> UndoResult:
    """Restore the files of batch ``batch_id`` (default: the newest batch not undone yet).

    Returns
    -------
    UndoResult

    Raises
    ------
    UsageError
        When there is no such batch, or nothing to undo.
    ActionError
        When another move / undo holds this database.
    """
    with journal.exclusive(store):
        if batch_id is None:
            batch_id = journal.latest_undoable(store)
            if batch_id is None:
                raise UsageError(f"{printable_path(store.path)}: nothing to undo (no batch, or all undone)")
        info = journal.batch(store, batch_id)
        result = UndoResult(batch_id)
        rows = journal.rows(store, batch_id)
        todo = [r for r in rows if r.state not in ("undone", "skipped")]
        result.already_undone = not todo and any(r.state == "undone" for r in rows)
        created_dirs: set[str] = set()
        for n, row in enumerate(reversed(todo), 1):
            try:
                what = _restore(store, info.kind, row)
            except (ActionError, OSError) as exc:
                if isinstance(exc, OSError):
                    exc = ActionError(f"{printable_path(row.src)}: {(exc.strerror or str(exc)).lower()}")
                result.failed.append((row.src, str(exc)))
                journal.mark(store, row.id, row.state, error=f"undo: {exc}")
            else:
                if what == "restored":
                    result.restored.append((row.dst, row.src))
                    if row.dst:
                        created_dirs.add(os.path.dirname(row.dst))
                else:
                    result.untouched.append(row.src)
                journal.mark(store, row.id, "undone")
            if progress is not None:
                progress(n, len(todo), row.src)
        if info.kind == "move" and info.destination:
            _remove_empty_dirs(created_dirs, info.destination)
        if not result.failed:
            journal.set_batch_state(store, batch_id, "undone")
    return result


def _restore(store, kind: str, row: journal.JournalRow) -> str:
    """Resolve one row; returns ``"restored"`` or ``"untouched"``; raises ActionError when it cannot."""
    src, dst = row.src, row.dst
    # temporary copies left by a kill: of the move (beside dst) or of an earlier undo (beside src)
    for leftover in ([temp_name(dst, row.id)] if dst else []) + [temp_name(src, f"undo{row.id}")]:
        if os.path.lexists(leftover):
            os.unlink(leftover)
    src_here = os.path.lexists(src)
    dst_here = bool(dst) and os.path.lexists(dst)
    info = trash.info_path_for(dst) if (kind == "trash" and dst) else None
    if src_here and not dst_here:
        if info and trash.original_path(info) == src:
            trash.remove_info(info)  # killed after writing the entry, before the move
        return "untouched"
    if dst_here and not src_here:
        if row.state in ("planned",):
            raise ActionError(f"{printable_path(src)}: journal says it was never moved, but it is missing and "
                              f"{printable_path(dst)} exists; left as is")
        move_file(dst, src, tag=f"undo{row.id}", expect_sha256=row.sha256)
        if info:
            trash.remove_info(info)
        return "restored"
    if src_here and dst_here:
        if row.state == "failed":
            return "untouched"  # the destination was someone else's file
        try:
            same = os.path.samefile(src, dst)
        except OSError:
            same = False
        if same or sha256_file(src) == sha256_file(dst):
            os.unlink(dst)
            if info:
                trash.remove_info(info)
            return "restored"
        raise ActionError(f"{printable_path(src)}: both it and {printable_path(dst)} exist with different "
                          "content; neither was touched")
    if row.state == "planned":
        raise ActionError(f"{printable_path(src)}: missing, and it was never moved by this batch")
    if kind == "trash":
        raise ActionError(f"{printable_path(src)}: no longer in the trash at {printable_path(dst or '?')} "
                          "(was the trash emptied, or the file restored and moved elsewhere?)")
    raise ActionError(f"{printable_path(src)}: missing, and not found at {printable_path(dst or '?')} either")


def _remove_empty_dirs(folders: set[str], destination: str) -> None:
    """Remove folders the batch created under ``destination`` when now empty (never ``destination``)."""
    stop = os.path.abspath(destination)
    for folder in sorted(folders, key=len, reverse=True):
        folder = os.path.abspath(folder)
        while folder.startswith(stop + os.sep):
            try:
                os.rmdir(folder)
            except OSError:
                break
            folder = os.path.dirname(folder)
