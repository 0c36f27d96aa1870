"""Undo of a `blurscan tag` batch, row by row (:func:`blurscan.actions.undo.undo` runs it): each sidecar tag wrote
back to its bytes from before (kept beside it as a copy), or removed when tag made it -- unless it has changed
since (by the person or a photo app), which is left as it is, its old version kept (see the undo module's
docstring)."""
from __future__ import annotations

import hashlib
import os
from typing import Callable

from ..errors import ActionError, os_reason, printable_path
from ..permissions import read_only_reason
from . import afterwards, journal, owners
from .moves import _fsync_dir, sha256_file, temp_name
from .restore import Gone


class Kept(Exception):
    """A sidecar changed since tag wrote it: left as it is (the message says why and where its copy is).
    ``later``: the later tag batch whose bytes it holds now (to be undone first), else None."""

    def __init__(self, message: str, later: int | None = None) -> None:
        super().__init__(message)
        self.later = later


def untag(row: journal.JournalRow, store=None, undoing: Callable[[], None] | None = None) -> str:
    """Resolve one row of a tag batch (see :mod:`blurscan.actions.undo`); ``store`` tells a sidecar a later tag
    batch rewrote since (:func:`.afterwards.later_tag_batch`) from one changed by the person or a photo app.
    ``undoing`` is called just before the sidecar is put back or removed (the row journaled ``undoing``).

    Returns ``"restored"``, ``"removed"``, ``"put back"`` (put back or removed by an earlier undo, stopped before it
    recorded it: a kill) or ``"untouched"``; raises :class:`Kept` for a sidecar changed since, ActionError when the
    kept copy is damaged, :class:`~.restore.Gone` when it is missing (its batch can then close, as a move's whose
    file is gone).
    """
    sidecar, backup = row.src, row.dst
    for leftover in (temp_name(sidecar, f"tag{row.id}"), temp_name(sidecar, f"untag{row.id}")):
        if os.path.lexists(leftover):
            os.unlink(leftover)
    if row.state in ("planned", "failed"):  # the sidecar was never replaced by this row
        _drop(backup)
        return "untouched"
    old_sha = journal.backup_digest(backup) if backup else None
    if os.path.islink(sidecar):  # a link put there since: replacing (or removing) it would lose the link
        kept = f"; its version from before tagging is kept at {printable_path(backup)}" \
            if backup is not None and os.path.lexists(backup) else ""
        raise Kept(f"{printable_path(sidecar)}: is a symbolic link now (not what `blurscan tag` wrote); "
                   f"left as it is{kept}")
    now = _digest_or_none(sidecar)
    if now is not None and now == row.sha256:
        refused = read_only_reason(os.path.dirname(sidecar))  # as root: a folder made read-only since
        if refused:
            raise ActionError(f"{printable_path(sidecar)}: not put back as it was: {refused}; left as it is")
        if undoing is not None:
            undoing()
        if backup is None:
            os.unlink(sidecar)
            _fsync_dir(os.path.dirname(sidecar))
            return "removed"
        _put_back(row, backup, old_sha)
        _drop(backup)
        return "restored"
    if row.state == "undoing" and ((backup is not None and now is not None and now == old_sha) or
                                   (backup is None and now is None)):
        _drop(backup)  # put back (or removed) by an undo killed before it recorded it: until 2026-12-06 said "had not
        return "put back"  # been written" (or, removed, "no longer there (moved or deleted since ...)", left alone)
    if (backup is not None and now is not None and now == old_sha) or \
            (backup is None and now is None and row.state == "writing"):
        _drop(backup)  # killed before the new sidecar was in place, or put back by an undo killed in turn
        return "untouched"
    later = afterwards.later_tag_batch(store, row.batch_id, sidecar, now) if store is not None and now else None
    if later is not None:  # (it said "by you or a photo app", and the batch counted as undone)
        reason = f"changed by tag batch {later} since; undo batch {later} first"
    else:
        reason = ("no longer there (moved or deleted since `blurscan tag` wrote it)" if now is None else
                  "changed since `blurscan tag` wrote it (by you or a photo app)")
    if backup is not None and os.path.lexists(backup):
        reason += f"; its version from before tagging is kept at {printable_path(backup)}"
    raise Kept(f"{printable_path(sidecar)}: {reason}; left as it is", later)


def _put_back(row: journal.JournalRow, backup: str, old_sha: str | None) -> None:
    """Replace the sidecar (still the bytes tag wrote) with the kept copy of its previous bytes."""
    sidecar = row.src
    try:
        with open(backup, "rb") as f:
            data = f.read()
    except FileNotFoundError as exc:  # (the hidden .tag-backups folder deleted since): its bytes can never come back;
        # a failure to retry until 2026-12-06, every plain undo stopping at this batch ("run undo again once fixed")
        raise Gone(f"{printable_path(sidecar)}: the copy of its previous version at {printable_path(backup)} is "
                   "gone (deleted since tagging?), so undo cannot bring its bytes from before tagging back; left as "
                   "it is") from exc
    except OSError as exc:
        raise ActionError(f"{printable_path(sidecar)}: the copy of its previous version at "
                          f"{printable_path(backup)} cannot be read: {os_reason(exc)}; "
                          "left as it is") from exc
    if old_sha is None or hashlib.sha256(data).hexdigest() != old_sha:
        raise ActionError(f"{printable_path(sidecar)}: the copy of its previous version at "
                          f"{printable_path(backup)} is damaged (SHA-256 differs); left as it is")
    tmp = temp_name(sidecar, f"untag{row.id}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            now = os.stat(sidecar)
            # as root: the sidecar's owner, not root (:mod:`.owners`); through the descriptor: by name, the chmod
            # followed a symbolic link the folder's owner put at the temporary name meanwhile (until 2026-12-06)
            owners.give_fd(f.fileno(), tmp, now)
            owners.set_mode(f.fileno(), tmp, now.st_mode & 0o7777)
            os.fsync(f.fileno())
        if os.path.islink(sidecar) or _digest_or_none(sidecar) != row.sha256:  # changed while we were at it
            raise Kept(f"{printable_path(sidecar)}: changed since `blurscan tag` wrote it (by you or a photo "
                       f"app); left as it is; its version from before tagging is kept at {printable_path(backup)}")
        os.replace(tmp, sidecar)
    except BaseException:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise
    _fsync_dir(os.path.dirname(sidecar))


def _digest_or_none(path: str) -> str | None:
    try:
        return sha256_file(path)
    except FileNotFoundError:
        return None


def _drop(backup: str | None) -> None:
    """Remove a kept copy that is no longer needed."""
    if backup is not None and os.path.lexists(backup):
        os.unlink(backup)
