"""One sidecar written as the journal's protocol says (``blurscan tag --xmp``, :mod:`.xmp`): its previous bytes
copied for undo and fsynced, its row set to ``writing``, the new bytes written beside it under a temporary name
(fsynced, with the old sidecar's owner and mode, or a new file's) and renamed over it, unless the sidecar changed
since it was planned; its row then ``done``, ``skipped`` or ``failed``. On failure the sidecar is as it was.

This was :mod:`.xmp`'s; a module of its own since tagging neared 500 lines."""
from __future__ import annotations

import errno
import os
from typing import TYPE_CHECKING

from ..errors import ActionError, StoreError, os_reason, printable_path
from . import journal, owners
from .backup_copy import keep_copy, write_synced as _write_synced
from .moves import _fsync_dir, _rename_noreplace, temp_name

if TYPE_CHECKING:
    from .xmp import SidecarChange


def write_journaled(store, row_id: int, change: SidecarChange, backup: str | None) -> None:
    """Write one sidecar as the journal's protocol says; on failure the sidecar is as it was.

    The previous bytes are copied to ``backup`` and fsynced, the row set to ``writing``, the new bytes
    written to a temporary name beside the sidecar (fsynced) and renamed over it (a created sidecar:
    renamed without replacing, so a sidecar that appeared meanwhile is never overwritten). Just before the
    rename the sidecar is read again: one that changed since it was planned is left alone (row ``skipped``).
    """
    tmp = temp_name(change.path, f"tag{row_id}")
    if backup is not None:
        try:
            _keep_copy(backup, change.old, change.path)
        except OSError as exc:  # (the copy removed, through its folder: never where a link put there leads)
            reason = (f"{printable_path(change.path)}: cannot keep a copy of it for undo in "
                      f"{printable_path(os.path.dirname(backup))}: {os_reason(exc)}; "
                      "left as it was")
            journal.mark(store, row_id, "failed", error=reason)
            raise ActionError(reason) from exc
    try:
        journal.mark(store, row_id, "writing")
        _write_new(tmp, change.new, like=change.path if change.merged else None, photo=change.photo)
        if os.path.islink(change.path) or _read_or_none(change.path) != change.old:
            raise _Changed
        _put_in_place(tmp, change.path, replace=change.merged)
    except (OSError, _Changed) as exc:
        _remove_quietly(tmp)
        if backup is not None:
            _remove_quietly(backup)
        if isinstance(exc, _Changed) or getattr(exc, "errno", None) == errno.EEXIST:
            what = "changed" if change.merged else "appeared"
            reason = f"{printable_path(change.path)}: {what} while blurscan was tagging it; left as it is"
            journal.mark(store, row_id, "skipped", error=reason)
        else:
            reason = (f"{printable_path(change.path)}: cannot write the sidecar: "
                      f"{os_reason(exc)}; left as it was")
            journal.mark(store, row_id, "failed", error=reason)
        raise ActionError(reason) from exc
    try:
        journal.mark(store, row_id, "done")
    except StoreError as exc:
        raise WrittenUnrecorded(exc) from exc


class WrittenUnrecorded(Exception):
    """The sidecar was written, and then the journal refused to record it (``error``, a full disk)."""

    def __init__(self, error: StoreError) -> None:
        super().__init__(str(error))
        self.error = error


class _Changed(Exception):
    """The sidecar is no longer what was read when the change was planned."""


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _read_or_none(path: str) -> bytes | None:
    try:
        return read_bytes(path)
    except FileNotFoundError:
        return None


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _keep_copy(backup: str, data: bytes, sidecar: str) -> None:
    """The previous bytes of ``sidecar``, kept for undo: written, fsynced (file and folder) before the
    sidecar is changed, through its folders opened without following a link (:func:`.backup_copy.keep_copy`). A
    copy a killed run left at that name is replaced (its row never got further). The copy may be read by whoever
    may read the sidecar, under the umask, and its folder is made as any folder: the undo of a batch may be run by
    another user of a library shared by a group (until 2026-12-06 the copy was 0600 in a 0700 folder, and their
    undo left each merged sidecar changed, 'cannot be read')."""
    try:
        mode = os.stat(sidecar).st_mode & 0o666
    except OSError:
        mode = 0o600
    keep_copy(backup, data, mode)


def _write_new(tmp: str, data: bytes, *, like: str | None, photo: str) -> None:
    """The new sidecar at its temporary name, with the permissions of the sidecar it replaces (``like``) and,
    run as root, its owner and group; a sidecar tag creates gets the owner and group of its photo (or of the
    photo's folder) then (:mod:`.owners`: until 2026-12-04 they went to root), and the mode any new file gets,
    0666 less the umask, as a photo app's sidecar would (until 2026-12-05 it was 0644 whatever the umask:
    readable by every user under umask 077, not writable by the group of a library shared under umask 002).
    The owner and mode are set through the descriptor the file was made with: by its name, run as root in
    someone's folder, the chmod followed a symbolic link they put there meanwhile (``sudo blurscan tag --xmp``
    made a root ``0600`` file anywhere ``0666``, the mode of their sidecar, until 2026-12-06)."""
    _remove_quietly(tmp)  # left by a killed run
    old = os.stat(like) if like is not None else None

    def given(fd: int) -> None:  # (its owner first: a change of owner clears the set-ID bits)
        if old is not None:
            owners.give_fd(fd, tmp, old)
            owners.set_mode(fd, tmp, old.st_mode & 0o7777)
        else:
            owners.give_like(tmp, photo, os.path.dirname(photo) or ".", fd=fd)

    _write_synced(tmp, data, 0o600 if like is not None else 0o666, then=given)


def _put_in_place(tmp: str, path: str, *, replace: bool) -> None:
    if replace:
        os.replace(tmp, path)
    else:
        _rename_noreplace(tmp, path)  # OSError(EEXIST) when a sidecar appeared meanwhile
    _fsync_dir(os.path.dirname(path))
