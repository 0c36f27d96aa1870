"""Put one file of a move or trash batch back (:func:`restore`, run by :func:`.undo.undo` row by row), by looking at
the file system, not by trusting the row's state:

==========================================  =====================================================
source / destination                        action
==========================================  =====================================================
source only, not moved yet                  never moved (or killed before): nothing to do
both, not moved yet (or its move failed)    the file at the destination is not the batch's: left alone
source only, moved, the file it moved       put back by hand: nothing to do
source only, being undone, the file moved   put back by an undo stopped before it recorded it: nothing to do
source only, moved, another file            left alone and reported (:func:`_back`)
destination only, the file moved there      move it back (no-clobber; verified copy across devices)
destination only, another file              left alone and reported (see below)
destination only, its move failed           not the batch's file (one there already, the photo deleted since): left
                                            alone and said (``"not moved"``)
both, same inode                            killed between ``link`` and ``unlink``: drop the new name
both, identical bytes (journal moving/done) killed after a verified copy (of the move, or of an undo), before
                                            the unlink: drop the copy
both, different bytes                       left alone and reported (nothing is ever overwritten)
neither, never moved by this batch          deleted or moved by hand since (the batch stopped before it, or its
                                            move failed): nothing to do
neither                                     reported as missing
==========================================  =====================================================

The file at the destination (or back at its place) is the one the batch moved when it has the journaled size and
:func:`~blurscan.samples.sample_sha256` (its size and first and last 64 KiB; a copy across devices: the SHA-256
of every byte; a file that could not be read to sample it at the move: its modification
time), and, in the trash, when its ``.trashinfo`` names the photo's path: not another file the desktop trashed
under that name after the trash was emptied, nor one put in its place. Rows journaled before blurscan recorded the
time and sample (schema 3) are compared by size only.

A file copied back from a ``--to`` whose file system keeps times less precisely (FAT, exFAT) gets the
modification time the journal kept (:func:`_journaled_time`), so that a later scan reuses its record: once it
is back, also after an undo killed before it removed the ``--to`` copy, and one put back by hand. It gets the
permissions, owner and group the journal kept as the batch took it (schema 5), where such a drive shows every file
``0777`` and root's (:func:`.owners.as_taken`; until 2026-12-07 a private photo came back world-writable).
"""
from __future__ import annotations

import errno
import logging
import os
import stat
from typing import Callable

from ..errors import ActionError, os_reason, printable_path
from ..owner_names import user_name
from ..samples import sample_sha256
from ..typed_commands import program
from . import drives, held_folder, journal, trash
from .moves import move_file, not_a_folder, sha256_file, temp_name
from ..filetime import drive_edge, mtime_of

log = logging.getLogger(__name__)


def restore(kind: str, row: journal.JournalRow, leftovers: list[tuple[str, str, str]],
            undoing: Callable[[], None] | None = None, within: str | None = None, moved_to: str | None = None,
            drive: str | None = None) -> str:
    """Resolve one row; returns ``"restored"``, ``"back"`` (moved, and at its place again), ``"put back"`` (moved
    back by an earlier undo of the batch, stopped before it recorded it), ``"untouched"`` or ``"not moved"`` (its
    move failed, the photo is gone from its place and another file is at its destination: left there); raises
    ActionError when it cannot. What a kill left and this removes is added to ``leftovers``. ``undoing`` is called
    just before the file is moved back (:func:`.undo.undo` journals the row ``undoing`` there). ``within``: the
    library, from which the file's folder is reached, run as root, never through a link (:func:`.moves.move_file`);
    ``moved_to``: the batch's ``--to`` folder, the file taken out of its folder opened from there down (the trash's
    folder, for the trash); ``drive``: where the file system of the batch's ``--to`` was mounted
    (:func:`.batch_drives.reader`: a move's ``--to``'s, or the trash folder's), for a file found at neither place
    (:func:`_not_gone_yet`)."""
    src, dst = row.src, row.dst
    # temporary copies left by a kill: of the move (beside dst) or of an earlier undo (beside src)
    for leftover, by, top in ([(temp_name(dst, row.id), "partial", os.path.dirname(dst) if kind == "trash"
                                else moved_to)] if dst else []) + [(temp_name(src, f"undo{row.id}"), "partial undo",
                                                                     within)]:
        if _removed_leftover(leftover, top):
            leftovers.append((leftover, src, by))
    src_here = os.path.lexists(src)
    dst_here = bool(dst) and os.path.lexists(dst)
    info = trash.info_path_for(dst) if (kind == "trash" and dst) else None
    if src_here and not dst_here:
        if info and trash.original_path(info) == src:
            trash.remove_info(info)  # killed after writing the entry, before the move
        if row.state == "undoing":  # moved back by an undo stopped (Ctrl-C, a kill) before it marked the row
            _back(row)  # (the file it moved, or Replaced; until 2026-12-06 said "put back by hand")
            return "put back"
        return _back(row) if row.state in ("done", "gone") else "untouched"  # moved, then put back by hand?
    if dst_here and not src_here:
        if row.state in ("planned",):
            raise ActionError(f"{printable_path(src)}: journal says it was never moved, but it is missing and "
                              f"{printable_path(dst)} exists; left as is")
        if row.state == "failed":  # the batch's move of it failed (a file at its destination already, say): the
            # file there is not one it moved, and the photo was deleted since; until 2026-12-05 undo moved that
            # file into the library under the photo's name
            return "not moved"
        _check_ours(row, dst, info)
        if undoing is not None:
            undoing()
        outcome = move_file(dst, src, tag=f"undo{row.id}", expect_sha256=row.sha256, within=within,
                            src_within=os.path.dirname(dst) if kind == "trash" else moved_to,
                            taken=(row.mode, row.uid, row.gid))  # (a copy back: as the batch took it)
        log.debug("undo %s -> %s (%s)", dst, src, outcome.method)  # (BLURSCAN_DEBUG=1, as a move's each file)
        _journaled_time(src, row)
        if info:
            trash.remove_info(info)
        return "restored"
    if src_here and dst_here:
        if row.state in ("failed", "planned"):  # the destination was someone else's file; or the batch never began
            # on this one (a row is `moving`, committed, before its file moves): whatever is there, the same bytes as
            # the photo (a copy made by hand since), or its second name, is not the batch's: until 2026-12-06 undo
            # deleted it as "a copy ... left by an interrupted undo, or a copy put back by hand"
            return "untouched"
        if info and _trashed_from(info, src):  # restored from the trash by hand, and its name there taken since
            return _back(row) if row.state in ("done", "gone") else "untouched"
        # what follows removes dst as a second name or a copy of the photo at src: never when src leads to dst
        # itself (a symbolic link put at the photo's path, or at a folder on its way), nor when it is no plain file
        _two_plain_files(src, dst)
        # (as root: the copy removed out of its folder opened from --to down, never through a link put in --to)
        with held_folder.taken(dst, os.path.dirname(dst) if kind == "trash" else moved_to) as held:
            same = _same_file(src, held)
            if same or sha256_file(src) == sha256_file(held):
                held_folder.unlink(held)
                # a row still 'moving' was killed in the move; a moved one was being put back (or copied back)
                leftovers.append((dst, src, ("name" if same else "copy") + ("" if row.state == "moving" else " back")))
                _journaled_time(src, row)  # (a copy back from a drive with coarser times, its undo killed)
                if info:
                    trash.remove_info(info)
                return "restored"
        raise ActionError(f"{printable_path(src)}: both it and {printable_path(dst)} exist with different "
                          "content; neither was touched")
    if row.state in ("planned", "failed"):  # never moved by this batch (it stopped before, or the move failed),
        # deleted or moved by hand since: nothing to put back (until 2026-12-05 it failed, "missing, and it was
        # never moved by this batch" or, once failed, "missing, and not found at ..." (taken for gone), on every
        # undo)
        return "untouched"
    at_root = _not_gone_yet(src, dst, drive)
    if kind == "trash":
        _drop_entry_left(info, src)
        raise Gone(f"{printable_path(src)}: no longer in the trash at {printable_path(dst or '?')} "
                    "(was the trash emptied, or the file restored and moved elsewhere?)")
    folder = f": {printable_path(at_root)} is not there (deleted or renamed since the batch?)" if at_root else ""
    raise Gone(f"{printable_path(src)}: missing, and not found at {printable_path(dst or '?')} either{folder}")


def _drop_entry_left(info: str | None, src: str) -> None:
    """Remove the batch's ``.trashinfo`` entry ``info`` (it names ``src``), its file no longer in the trash (taken
    out by hand, with a file manager's move: the entry stays; then taken again by a later batch, or deleted): an
    entry whose file is not in ``Trash/files`` is one the trash spec lets an implementation remove, and none other
    lists or restores it. Until 2026-12-07 it stayed for good, the undo of the batch done (its photo "taken again"),
    and the desktop's next file of that name went to the trash as ``NAME.1``. A file in ``Trash/files`` is never
    touched; an entry naming another path, or that cannot be removed, is left as it is."""
    if info is None or not os.path.lexists(info) or _trashed_from(info, src) is not None or \
            trash.original_path(info) is None:
        return
    try:
        trash.remove_info(info)
    except ActionError as exc:  # (said, the photo's answer unchanged: the entry is the trash's garbage only)
        log.warning("%s", exc)


def _removed_leftover(leftover: str, top: str | None) -> bool:
    """Remove ``leftover`` (a temporary copy a kill left) if it is there; whether it was. Run as root, out of its
    folder opened from ``top`` (the ``--to`` folder, the trash's, the library) down (:func:`.held_folder.taken`),
    never through a symbolic link put in place of a folder (or of ``top`` itself): by path, a link alice put in
    place of ``~alice/rejects`` (to a root folder holding a root file of that name) had root's file removed as
    the move's unfinished copy (until 2026-12-07). Raises :class:`ActionError` naming the link then."""
    if not os.path.lexists(leftover):
        return False
    with held_folder.taken(leftover, top) as held:
        if not held_folder.lexists(held):
            return False
        held_folder.unlink(held)
    return True


#: The resolutions, in nanoseconds, of the file systems' modification times: NTFS and SMB (100 ns), some network
#: shares (1 µs, 1 ms), exFAT (10 ms), ext2/3 with 128-byte inodes and HFS+ (1 s), FAT (2 s).
_RESOLUTIONS_NS = (100, 1_000, 1_000_000, 10_000_000, 1_000_000_000, 2_000_000_000)


def _journaled_time(path: str, row: journal.JournalRow) -> None:
    """Give the file put back at ``path`` its modification time as journaled when the one it came back with is
    that time at a coarser resolution (:data:`_RESOLUTIONS_NS`, rounded either way): a ``--to`` on a drive whose
    file system keeps times less precisely (FAT, exFAT, ext2/3 with small inodes) kept the moved copy's time to
    the second (or 2 s, 10 ms), and the copy back gave the photo that time, so the next scan took it for changed,
    scanned it again and its review decision (made on its size and time) no longer applied to it. So does one
    that came back with a drive's earliest or latest time, its journaled one beyond it
    (:func:`blurscan.filetime.drive_edge`): a
    photo dated 1975 (a scanned slide, its file dated by its EXIF) moved to a FAT drive came back dated
    1980-01-01 00:00, one dated 2040 from a drive of 32-bit times as 2038-01-19 (until 2026-12-06). Its bytes were
    checked already (every byte for a copy, :func:`.moves.move_file`; its size and ends for a rename,
    :func:`_check_ours`); a time that differs otherwise (the file touched in the ``--to`` folder) is kept."""
    if row.mtime_ns is None:
        return
    try:
        st = os.lstat(path)
    except OSError:
        return
    now, was = mtime_of(st), row.mtime_ns
    if now == was or not (any(now == was - was % g or (was % g and now == was - was % g + g) for g in _RESOLUTIONS_NS)
                          or drive_edge(now, was)):
        return
    try:
        os.utime(path, ns=(st.st_atime_ns, was), follow_symlinks=False)
    except OSError as exc:  # (its bytes are back: the scan will only look at it again)
        log.warning("%s: put back, but its modification time could not be set as it was: %s", printable_path(path),
                    os_reason(exc))


def _same_file(src: str, dst: str) -> bool:
    """``os.path.samefile``, ``dst`` looked at through its folder's descriptor where it has one; False when either
    cannot be looked at."""
    try:
        one, other = os.stat(src), held_folder.lstat(dst)
    except OSError:
        return False
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def _two_plain_files(src: str, dst: str) -> None:
    """Raise ActionError unless ``src`` and ``dst`` are two plain files of their own (either may be a second
    name of the other, a hard link): a symbolic link at ``src`` leading to ``dst``, or one at a folder on its
    way, made both names the moved photo's, and undo removed the photo's only copy as a "second name"."""
    try:
        plain = stat.S_ISREG(os.lstat(src).st_mode) and stat.S_ISREG(os.lstat(dst).st_mode)
        one = os.path.realpath(src) == os.path.realpath(dst)
    except (OSError, ValueError):
        plain, one = False, False
    if one:
        raise ActionError(f"{printable_path(src)}: leads to {printable_path(dst)}, where the photo is now, through a "
                          "symbolic link (at its path or at a folder on its way); neither was touched: remove the "
                          "link, then undo again")
    if not plain:
        raise ActionError(f"{printable_path(src)}: there is something at its path that is not a plain file (a "
                          f"symbolic link?), while the photo is at {printable_path(dst)}; neither was touched")


def _not_gone_yet(src: str, dst: str | None, drive: str | None = None) -> str | None:
    """Raise ActionError, a failure to retry, when a file found at neither place may still be at its destination:
    the destination's drive is not there (a ``--to`` on a drive unplugged since: its folder is missing where
    drives are mounted, :func:`.drives.unplugged`), or a place cannot be looked at (no permission, an I/O
    error). Taken for gone, the batch was closed and the next plain undo went to the batch before.

    A ``--to`` folder right under ``/`` that is missing (``/rejects``) is no drive unplugged: a drive's mount
    point stays, empty, while the drive is not mounted (and one that is empty is guarded by the drive's level
    below ``/``, an fstab mount point by fstab, :func:`.drives.unplugged`). The folder was deleted or renamed,
    and the files with it: gone, as for a ``--to`` deleted anywhere else (it was a failure to retry, every undo
    failing the same way and the batch never closed). Returns that folder (for the message), else None.

    Nor is the file gone when the ``--to`` was on a drive mounted elsewhere (``drive``: where it was mounted when
    the batch began, :func:`.drives.mount_point`; ``/srv/rejects``, ``/home/me/ext``, in no fstab) that is not
    mounted now: its mount point an empty folder, or no folder at all. Until 2026-12-07 the file was taken for gone
    and the batch closed, and the next plain undo went to the batch before. A ``--to`` emptied or deleted by hand
    while its drive is mounted (or one on the root's file system, nothing recorded) is gone, as before."""
    away = drives.unplugged(os.path.dirname(dst)) if dst else None
    if away is not None and not away.at_root:
        raise Unreachable(f"{printable_path(src)}: not put back: {printable_path(dst)} cannot be reached: "
                          f"{away}; run undo again once it is", drive=away.folder)
    if dst and drive is not None and not drives.mounted(drive):
        raise Unreachable(f"{printable_path(src)}: not put back: {printable_path(dst)} cannot be reached: "
                          f"{printable_path(drive)}, where its drive was mounted when the batch moved it, is not "
                          "mounted now (is the drive unplugged?); mount it there and run undo again", drive=drive)
    for path in (src, dst) if dst else (src,):
        try:
            os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            shut = _shut_to_this_user(path) if isinstance(exc, PermissionError) else None
            if shut is not None:
                raise ActionError(f"{printable_path(src)}: not put back: {printable_path(path)} is in "
                                  f"{printable_path(shut[0])}, {shut[1]}'s, which this user may not enter; "
                                  f"{shut[2]} puts it back") from exc
            loop = not_a_folder(os.path.dirname(path)) if exc.errno == errno.ELOOP else None  # (names the link)
            raise ActionError(f"{printable_path(src)}: not put back: {printable_path(path)} cannot be looked at: "
                              f"{loop or os_reason(exc)}; run undo again once it can") from exc
    return away.folder if away is not None else None


def _shut_to_this_user(path: str) -> tuple[str, str, str] | None:
    """The folder above ``path`` this user may not enter, when it is another user's (``sudo blurscan trash``
    with ``HOME=/root`` put the batch in ``/root``'s trash), with its owner's name and who may run the undo
    (``sudo blurscan undo``, or the undo run as that owner); None otherwise. Until 2026-12-06 the person's own undo said
    only that the trashed photo "cannot be looked at: permission denied; run undo again once it can"."""
    if not hasattr(os, "geteuid"):
        return None
    chain = [os.path.dirname(os.path.abspath(path))]
    while os.path.dirname(chain[-1]) != chain[-1]:
        chain.append(os.path.dirname(chain[-1]))
    for folder in reversed(chain):  # (from the top: the first one shut)
        if os.access(folder, os.X_OK, effective_ids=os.access in os.supports_effective_ids):
            continue
        try:
            uid = os.stat(folder).st_uid
        except OSError:
            return None
        if uid == os.geteuid():
            return None
        owner = user_name(uid)
        return folder, owner, (f"`sudo {program(sudo=True)} undo` with the same arguments" if uid == 0 else
                               f"the same undo run as {owner} (or with sudo)")
    return None


def _check_ours(row: journal.JournalRow, dst: str, info: str | None) -> None:
    """Raise ActionError when the file now at ``dst`` is not the one this row moved there: the trash was
    emptied and the desktop put another file under the same name (its ``.trashinfo`` names another original
    path), or the name now holds a link, a folder, a file of another size, or one of the same size whose
    sampled ends (:func:`blurscan.samples.sample_sha256`) differ (or, when the file could not be read to sample it
    at the move, whose modification time differs). Undo took that file
    into the library under the photo's name (and removed its trash entry), as renames carry no full digest
    (a copy's digest is checked as it is copied back)."""
    origin = _trashed_from(info, row.src) if info else None
    if origin is not None:  # the photo is at neither place: gone with the trash emptied (or moved elsewhere)
        raise Gone(f"{printable_path(row.src)}: {printable_path(dst)} is now another trashed file "
                    f"(from {printable_path(origin)}; was the trash emptied?); left as it is")
    try:
        differs = unlike(row, dst, copied=row.sha256 is not None)  # (a copy: every byte checked as it comes back)
    except OSError as exc:  # (it was reported under the photo's own path, where no file is)
        raise ActionError(f"{printable_path(row.src)}: {printable_path(dst)} cannot be read to tell whether it is the "
                          f"file this batch moved there: {os_reason(exc)}; left as it is") from exc
    if differs:
        raise ActionError(f"{printable_path(row.src)}: {printable_path(dst)} is not the file this batch moved "
                          f"there ({differs}); left as it is")


def _back(row: journal.JournalRow) -> str:
    """``"back"`` when the file at the row's source, the batch having moved it away, is the one it moved (put back
    by hand: from the desktop's trash, or out of ``--to``), by :func:`unlike`; it gets its journaled time back
    when it came back with that time, coarser (:func:`_journaled_time`). Raise ActionError when it is another file
    (the photo deleted from ``--to``, and a new one under its name): :class:`Replaced`, gone for good (the batch
    can close), and no reason to put the photo's sidecars, RAW twin or video back beside it (:func:`.undo._held`:
    they stay in ``--to``). Until 2026-12-04 any file there counted as the photo back.""" 
    try:
        differs = unlike(row, row.src, copied=False)
    except OSError as exc:
        raise ActionError(f"{printable_path(row.src)}: cannot be read to tell whether it is the file this batch moved "
                          f"(put back by hand?), which is no longer at {printable_path(row.dst or '?')}: "
                          f"{os_reason(exc)}; left as it is") from exc
    if differs:
        raise Replaced(f"{printable_path(row.src)}: another file is now at its place ({differs}), and the one this "
                       f"batch moved is no longer at {printable_path(row.dst or '?')}: nothing to put back; "
                       "left as it is")
    _journaled_time(row.src, row)
    return "back"


def unlike(row: journal.JournalRow, path: str, *, copied: bool) -> str | None:
    """How the file at ``path`` differs from the one ``row`` moved, in words, or None when it is that one: a link,
    a folder, a file of another size, or one of the same size whose sampled ends
    (:func:`blurscan.samples.sample_sha256`) differ (or, when the file could not be read to sample it at the move,
    whose modification time differs). The sampled ends decide (a file only touched since, same bytes, is still the
    photo). ``copied``: its every byte is checked as it is copied back: only its kind is looked at here. Raises
    OSError when it cannot be read."""
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode) or (not copied and row.size is not None and st.st_size != row.size):
        return "another kind of file, or another size"
    if copied:
        return None
    if row.sample_sha256 is not None:
        return "same size, but another content: replaced since?" if sample_sha256(path) != row.sample_sha256 else None
    if row.mtime_ns is not None and mtime_of(st) != row.mtime_ns:
        return "same size, but another modification time: replaced since?"
    return None


def _trashed_from(info: str, src: str) -> str | None:
    """The original path the ``.trashinfo`` entry ``info`` names when it is not ``src``: the file in the trash
    under the photo's name is another one, trashed (by the desktop) after the photo left the trash. None when
    the entry is missing, unreadable or names ``src``."""
    if not os.path.lexists(info):
        return None
    origin = trash.original_path(info)
    return origin if origin is not None and os.path.normpath(origin) != os.path.normpath(src) else None


class Gone(ActionError):
    """The file a row moved is at neither its original path nor its destination: nothing to put back."""


class Replaced(Gone):
    """The file a row moved is gone from its destination, and another file is at its original path: nothing to
    put back, and the files that moved with it stay where the batch put them (not beside that other file)."""


class Unreachable(ActionError):
    """The file a row moved may still be at its destination, on a drive not mounted now (``drive``: where it was
    mounted, or the missing folder where drives are mounted): a failure to retry once the drive is back, or, the
    drive gone for good, a batch to close by hand (``undo --close --batch ID``, :mod:`.close`). ``now``: where that
    drive is mounted now, at another place (a trash batch's, :func:`.batch_drives.not_there`), else None."""

    def __init__(self, message: str, *, drive: str, now: str | None = None) -> None:
        super().__init__(message)
        self.drive = drive
        self.now = now
