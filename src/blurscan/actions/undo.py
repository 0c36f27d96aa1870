"""Put a batch's files back where they were, byte-identical, even after a kill mid-batch.

Each journal row is resolved by looking at the file system, not by trusting its state:

==========================================  =====================================================
source / destination                        action
==========================================  =====================================================
source only                                 never moved (or killed before): nothing to do
destination only, the file moved there      move it back (no-clobber; verified copy across devices)
destination only, another file              left alone and reported (see below)
both, same inode                            killed between ``link`` and ``unlink``: drop the new name
both, identical bytes (journal moving/done) killed after a verified copy, before the unlink: drop the copy
both, different bytes                       left alone and reported (nothing is ever overwritten)
neither                                     reported as missing
==========================================  =====================================================

A photo's row comes before those of the files that moved with it (:func:`.journal.by_photo`): when the photo
cannot be put back (but for a photo gone: at neither place), those of its files that are at their destination
stay there too, each reported with the photo's reason, as a move moves no sidecar of a photo it could not
move; a later undo puts them back with it.

The file at the destination is the one the batch moved there when it has the journaled size and
:func:`~blurscan.replaced.sample_sha256` (its size and first and last 64 KiB; a copy across devices: the SHA-256
of every byte; a file that could not be read to sample it at the move: its modification time), and, in the trash, when its ``.trashinfo`` names the photo's path: not another file the
desktop trashed under that name after the trash was emptied, nor one put in its place. Rows journaled before
blurscan recorded the time and sample (schema 3) are compared by size only.

A file whose folder is no longer there (renamed, moved or deleted since the batch) is put back at its path all
the same, the folder made again (every move can be undone, and undo cannot tell where the person wants it):
the folders so made are reported (``UndoResult.recreated``), for the person to sort them out; each gets the
owner, group and mode of the folder it is made in (:func:`.owners.like_parents`). Except a
drive's folder (:mod:`.drives`: ``/media/me/Drive``, ``/run/media/me/Drive``, ``/mnt/usb``, ``/Volumes/Drive``,
links followed) or one right under ``/`` is not made, since the drive is most likely unplugged and its photos
would land on the system disk: the row fails, and a later undo, with the drive back, puts it back. A file at
neither place whose destination's drive may be unplugged is a failure to retry too, not gone; but a missing
``--to`` folder right under ``/`` is no drive (its mount point would stay): its files are gone.

A file copied back from a ``--to`` whose file system keeps times less precisely (FAT, exFAT) gets the
modification time the journal kept (:func:`_journaled_time`), so that a later scan reuses its record.

A leftover temporary copy (``.NAME.blurscan-<row>.part``) is removed, and said (``UndoResult.leftovers``, as
the extra copy or name dropped above). For a trash batch the ``.trashinfo``
entry is removed once its file is back. For a move batch, the folders the move created (the ``--to`` folder
too, when it made it; journaled before they were made) are removed afterwards, deepest first, each only when
it is empty; a folder that existed before the move is never removed. Undo is idempotent: rows already
restored are skipped, and a row whose file is back but not yet marked is recognised (source only), so an undo
interrupted in turn can simply be run again.

A **tag** batch (``blurscan tag --xmp``) is undone sidecar by sidecar, again by looking at the file:

==========================================  =====================================================
the sidecar now is                          action
==========================================  =====================================================
the bytes tag wrote (its SHA-256)           merged: the kept copy put back (atomic replace), created: removed
the bytes from before tag (merged)          tag never got to write it (killed): nothing to do
missing, tag had not written it yet         nothing to do
the bytes a later tag batch wrote           **left as is** and reported (``kept``), naming that batch, to
                                            be undone first (this batch stays ``partial``)
anything else, or missing after the write   changed since by the person or a photo app: **left as is**
                                            and reported (``kept``), the copy of its previous bytes kept
a symbolic link (whatever it points to)     put there since: **left as is** and reported (``kept``)
==========================================  =====================================================

Nothing is put back into a folder made read-only since (run as root, a folder with no write bit for anyone:
:mod:`blurscan.permissions`; :func:`.moves.move_file` refuses it for a moved or trashed file): the row
fails, and a later undo, once the folder can be written, puts it back.
Rows tag never got to write (``planned``, ``failed``) are not touched. A restored sidecar gets its previous
bytes and permissions but a new modification time, so photo managers that compare times (darktable's "look
for updated XMP files") see that it changed again. The copies are removed once their sidecar is resolved;
a ``kept`` row is tried again by the next undo of its batch (after undoing a move that took the sidecar away,
for example), but does not keep the batch from being undone -- unless the sidecar holds the bytes a later tag
batch wrote (:func:`.journal.later_tag_batch`): that one is to be undone first, and the batch stays ``partial``
(``UndoResult.waits_for``), so that a plain undo comes back to it then.
"""
from __future__ import annotations

import errno
import logging
import os
import stat
from dataclasses import dataclass, field
from typing import Callable

from ..errors import ActionError, NothingToUndo, os_reason, printable_path
from ..replaced import sample_sha256
from . import drives, journal, owners, trash
from .moves import move_file, not_a_folder, sha256_file, temp_name
from .untag import Kept, untag

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
    back : list of str
        Files the batch had moved that were at their place again (put back by hand, e.g. restored from the
        desktop trash): nothing to do.
    failed : list of (path, reason)
        Files that could not be restored (they stay where they are, reported).
    already_undone : bool
        The batch had been undone before: there was nothing left to restore.
    kind : str
        The batch's kind: ``move``, ``trash`` or ``tag``.
    removed : list of str
        Tag batch: sidecars tag had created, removed.
    kept : list of (path, reason)
        Tag batch: sidecars changed since tag wrote them, left as they are (not a failure).
    gone : list of str
        Those of ``failed`` whose file is at neither place (the trash emptied, deleted by hand): running undo
        again cannot bring them back (their rows are marked ``gone``).
    closed : bool
        Every failure was a file gone: the batch is undone as far as it can be and marked ``closed``, so a
        plain undo goes on to the batch before it (``--batch`` still looks for the gone files again).
    recreated : dict of str to int
        Move / trash batch: folders that were no longer there (renamed, moved or deleted since the batch), made
        again to put files back at their paths: the topmost such folder, and how many files it got back.
    removed_folders : list of str
        Move batch: folders the move had created (the ``--to`` folder included), removed as they were empty
        once the files were back.
    skipped : list of (path, reason)
        Move / trash batch: files the batch itself skipped (never tried: it stopped on a full disk, their photo
        was not moved, changed since planning), with its reason: nothing to do.
    leftovers : list of (path, photo, what)
        Move / trash batch: what a kill left that undo removed: ``copy`` (a verified copy at the destination,
        the photo still at its place), ``name`` (a second name of the photo, the same file), ``partial`` (an
        unfinished temporary copy of the move), ``partial undo`` (of an earlier undo).
    waits_for : list of int
        Tag batch: the later tag batches whose bytes some of its ``kept`` sidecars hold: to be undone first. The
        batch then stays ``partial``, not ``undone``, so that a plain undo comes back to it once they are.

    For a tag batch, ``restored`` holds (kept copy, sidecar) pairs.
    """

    batch_id: int
    restored: list[tuple[str, str]] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)
    back: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    already_undone: bool = False
    kind: str = "move"
    removed: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)
    removed_folders: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    closed: bool = False
    recreated: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    leftovers: list[tuple[str, str, str]] = field(default_factory=list)
    waits_for: list[int] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.failed


def undo(store, batch_id: int | None = None, *, progress: Callable[[int, int, str], None] | None = None) -> UndoResult:
    """Restore the files of batch ``batch_id`` (default: the newest batch neither undone nor closed): put moved
    or trashed files back, or the sidecars of a tag batch as they were. A batch whose only failures are files
    gone (at neither place) ends ``closed``; one with no failure ``undone``.

    Returns
    -------
    UndoResult

    Raises
    ------
    NothingToUndo
        When ``batch_id`` is None and no batch is left to undo (its message says why).
    ActionError
        When there is no batch ``batch_id``, or another move / undo holds this database.
    """
    with journal.exclusive(store):
        if batch_id is None:
            batch_id = journal.latest_undoable(store)
            if batch_id is None:
                raise NothingToUndo(f"nothing to undo: {journal.nothing_to_undo(store)}")
        info = journal.batch(store, batch_id)
        result = UndoResult(batch_id, kind=info.kind)
        rows = journal.rows(store, batch_id)
        todo = [r for r in rows if r.state not in ("undone", "skipped")]
        result.already_undone = not todo and any(r.state == "undone" for r in rows)
        if not result.already_undone:  # (said with the files that had not been moved)
            result.skipped = [(r.src, r.error or "") for r in rows if r.state == "skipped"]
        created_dirs: set[str] = set()
        missing: set[str] = set()  # folders of the photos' places that were not there when undo began on them
        held: dict[int, str] = {}  # photo row id -> why it was not put back (its files stay with it)
        for n, (row, photo) in enumerate(_in_order(info.kind, rows, todo), 1):
            top = drives.missing_top(os.path.dirname(row.src)) if info.kind != "tag" else None
            if top is not None:
                missing.add(top)
            try:
                if photo is not None and photo.id in held and _away(row):
                    raise ActionError(_held(row, photo, held[photo.id]))
                away = drives.unplugged(os.path.dirname(row.src)) if top is not None else None
                if away is not None:
                    raise ActionError(f"{printable_path(row.src)}: not put back: {away}; {away.refusal}")
                what = untag(row, store) if info.kind == "tag" else _restore(store, info.kind, row, result.leftovers)
            except Kept as exc:
                result.kept.append((row.src, str(exc)))
                if exc.later is not None and exc.later not in result.waits_for:
                    result.waits_for.append(exc.later)
                journal.mark(store, row.id, "kept", error=f"undo: {exc}")
            except (ActionError, OSError) as exc:
                if isinstance(exc, OSError):
                    exc = ActionError(f"{printable_path(row.src)}: {os_reason(exc)}")
                result.failed.append((row.src, str(exc)))
                if isinstance(exc, _Gone):
                    result.gone.append(row.src)
                elif photo is None:
                    held[row.id] = str(exc)
                journal.mark(store, row.id, "gone" if isinstance(exc, _Gone) else row.state, error=f"undo: {exc}")
            else:
                if what == "restored":
                    result.restored.append((row.dst, row.src))
                    if row.dst:
                        created_dirs.add(os.path.dirname(row.dst))
                    for folder in missing:
                        if row.src.startswith(folder + os.sep):
                            result.recreated[folder] = result.recreated.get(folder, 0) + 1
                elif what == "removed":
                    result.removed.append(row.src)
                elif what == "back":
                    result.back.append(row.src)
                else:
                    result.untouched.append(row.src)
                journal.mark(store, row.id, "undone")
            if top is not None and os.path.isdir(top):  # made again: its parent's owner and mode, not root's
                owners.like_parents(top, os.path.dirname(row.src))
            if progress is not None:
                progress(n, len(todo), row.src)
        if info.kind == "move":
            result.removed_folders = _remove_folders(store, batch_id, info.destination, created_dirs)
        if info.kind == "tag":
            for folder in (journal.backup_dir(store, batch_id), journal.backups_root(store)):
                try:
                    os.rmdir(folder)  # only when empty: copies of kept sidecars stay
                except OSError:
                    break
        if not result.failed and not result.waits_for:
            journal.set_batch_state(store, batch_id, "undone")
        elif not result.waits_for and len(result.gone) == len(result.failed):  # nothing left to retry: go on
            journal.set_batch_state(store, batch_id, "closed")
            result.closed = True
        elif info.state == "closed" or result.waits_for:  # a target again (--batch found a gone file failing
            journal.set_batch_state(store, batch_id, "partial")  # another way; a sidecar a later tag batch wrote)
    return result


def _in_order(kind: str, rows: list[journal.JournalRow], todo: list[journal.JournalRow]):
    """``(row, photo)`` for each row of ``todo``, the batch's last photo first, each photo's row before those of
    the files that moved with it (:func:`.journal.by_photo`); ``photo`` is the photo's row for those, else None."""
    ids = {r.id for r in todo}
    groups = journal.by_photo(rows) if kind != "tag" else [[r] for r in rows]
    return [(r, None if r is group[0] else group[0]) for group in reversed(groups) for r in group if r.id in ids]


def _away(row: journal.JournalRow) -> bool:
    """The row's file is at its destination and not at its place (it is one undo would move back)."""
    return bool(row.dst) and os.path.lexists(row.dst) and not os.path.lexists(row.src)


def _held(row: journal.JournalRow, photo: journal.JournalRow, why: str) -> str:
    """Why a sidecar, RAW twin, Live Photo video or Takeout JSON stays where the batch put it: its photo (``why``,
    its failure) was not put back: back beside the file now under the photo's name, it would go with that one."""
    own = f"{printable_path(photo.src)}: "
    why = why[len(own):] if why.startswith(own) else why
    return (f"{printable_path(row.src)}: not put back (it stays at {printable_path(row.dst or '?')}): its photo "
            f"{printable_path(os.path.basename(photo.src))} was not put back: {why}")


def _restore(store, kind: str, row: journal.JournalRow, leftovers: list[tuple[str, str, str]]) -> str:
    """Resolve one row; returns ``"restored"``, ``"back"`` (moved, and at its place again) or ``"untouched"``;
    raises ActionError when it cannot. What a kill left and this removes is added to ``leftovers``."""
    src, dst = row.src, row.dst
    # temporary copies left by a kill: of the move (beside dst) or of an earlier undo (beside src)
    for leftover, by in ([(temp_name(dst, row.id), "partial")] if dst else []) + \
            [(temp_name(src, f"undo{row.id}"), "partial undo")]:
        if os.path.lexists(leftover):
            os.unlink(leftover)
            leftovers.append((leftover, src, by))
    src_here = os.path.lexists(src)
    dst_here = bool(dst) and os.path.lexists(dst)
    info = trash.info_path_for(dst) if (kind == "trash" and dst) else None
    if src_here and not dst_here:
        if info and trash.original_path(info) == src:
            trash.remove_info(info)  # killed after writing the entry, before the move
        return "back" if row.state in ("done", "gone") else "untouched"  # moved, then put back by hand
    if dst_here and not src_here:
        if row.state in ("planned",):
            raise ActionError(f"{printable_path(src)}: journal says it was never moved, but it is missing and "
                              f"{printable_path(dst)} exists; left as is")
        _check_ours(row, dst, info)
        move_file(dst, src, tag=f"undo{row.id}", expect_sha256=row.sha256)
        _journaled_time(src, row)
        if info:
            trash.remove_info(info)
        return "restored"
    if src_here and dst_here:
        if row.state == "failed":
            return "untouched"  # the destination was someone else's file
        if info and _trashed_from(info, src):  # restored from the trash by hand, and its name there taken since
            return "back" if row.state in ("done", "gone") else "untouched"
        # what follows removes dst as a second name or a copy of the photo at src: never when src leads to dst
        # itself (a symbolic link put at the photo's path, or at a folder on its way), nor when it is no plain file
        _two_plain_files(src, dst)
        try:
            same = os.path.samefile(src, dst)
        except OSError:
            same = False
        if same or sha256_file(src) == sha256_file(dst):
            os.unlink(dst)
            leftovers.append((dst, src, "name" if same else "copy"))
            if info:
                trash.remove_info(info)
            return "restored"
        raise ActionError(f"{printable_path(src)}: both it and {printable_path(dst)} exist with different "
                          "content; neither was touched")
    if row.state == "planned":
        raise ActionError(f"{printable_path(src)}: missing, and it was never moved by this batch")
    at_root = _not_gone_yet(src, dst)
    if kind == "trash":
        raise _Gone(f"{printable_path(src)}: no longer in the trash at {printable_path(dst or '?')} "
                    "(was the trash emptied, or the file restored and moved elsewhere?)")
    folder = f": {printable_path(at_root)} is not there (deleted or renamed since the batch?)" if at_root else ""
    raise _Gone(f"{printable_path(src)}: missing, and not found at {printable_path(dst or '?')} either{folder}")


#: The resolutions, in nanoseconds, of the file systems' modification times: NTFS and SMB (100 ns), some network
#: shares (1 µs, 1 ms), exFAT (10 ms), ext2/3 with 128-byte inodes and HFS+ (1 s), FAT (2 s).
_RESOLUTIONS_NS = (100, 1_000, 1_000_000, 10_000_000, 1_000_000_000, 2_000_000_000)


def _journaled_time(path: str, row: journal.JournalRow) -> None:
    """Give the file put back at ``path`` its modification time as journaled when the one it came back with is
    that time at a coarser resolution (:data:`_RESOLUTIONS_NS`, rounded either way): a ``--to`` on a drive whose
    file system keeps times less precisely (FAT, exFAT, ext2/3 with small inodes) kept the moved copy's time to
    the second (or 2 s, 10 ms), and the copy back gave the photo that time, so the next scan took it for changed,
    scanned it again and its review decision (made on its size and time) no longer applied to it. Its bytes were
    checked already (every byte for a copy, :func:`.moves.move_file`; its size and ends for a rename,
    :func:`_check_ours`); a time that differs otherwise (the file touched in the ``--to`` folder) is kept."""
    if row.mtime_ns is None:
        return
    try:
        st = os.lstat(path)
    except OSError:
        return
    now, was = st.st_mtime_ns, row.mtime_ns
    if now == was or not any(now == was - was % g or (was % g and now == was - was % g + g) for g in _RESOLUTIONS_NS):
        return
    try:
        os.utime(path, ns=(st.st_atime_ns, was), follow_symlinks=False)
    except OSError as exc:  # (its bytes are back: the scan will only look at it again)
        log.warning("%s: put back, but its modification time could not be set as it was: %s", printable_path(path),
                    os_reason(exc))


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


def _not_gone_yet(src: str, dst: str | None) -> str | None:
    """Raise ActionError, a failure to retry, when a file found at neither place may still be at its destination:
    the destination's drive is not there (a ``--to`` on a drive unplugged since: its folder is missing where
    drives are mounted, :func:`.drives.unplugged`), or a place cannot be looked at (no permission, an I/O
    error). Taken for gone, the batch was closed and the next plain undo went to the batch before.

    A ``--to`` folder right under ``/`` that is missing (``/rejects``) is no drive unplugged: a drive's mount
    point stays, empty, while the drive is not mounted (and one that is empty is guarded by the drive's level
    below ``/``, an fstab mount point by fstab, :func:`.drives.unplugged`). The folder was deleted or renamed,
    and the files with it: gone, as for a ``--to`` deleted anywhere else (it was a failure to retry, every undo
    failing the same way and the batch never closed). Returns that folder (for the message), else None."""
    away = drives.unplugged(os.path.dirname(dst)) if dst else None
    if away is not None and not away.at_root:
        raise ActionError(f"{printable_path(src)}: not put back: {printable_path(dst)} cannot be reached: "
                          f"{away}; run undo again once it is")
    for path in (src, dst) if dst else (src,):
        try:
            os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            loop = not_a_folder(os.path.dirname(path)) if exc.errno == errno.ELOOP else None  # (names the link)
            raise ActionError(f"{printable_path(src)}: not put back: {printable_path(path)} cannot be looked at: "
                              f"{loop or os_reason(exc)}; run undo again once it can") from exc
    return away.folder if away is not None else None


def _check_ours(row: journal.JournalRow, dst: str, info: str | None) -> None:
    """Raise ActionError when the file now at ``dst`` is not the one this row moved there: the trash was
    emptied and the desktop put another file under the same name (its ``.trashinfo`` names another original
    path), or the name now holds a link, a folder, a file of another size, or one of the same size whose
    sampled ends (:func:`blurscan.replaced.sample_sha256`) differ (or, when the file could not be read to sample it
    at the move, whose modification time differs). Undo took that file
    into the library under the photo's name (and removed its trash entry), as renames carry no full digest
    (a copy's digest is checked as it is copied back)."""
    origin = _trashed_from(info, row.src) if info else None
    if origin is not None:  # the photo is at neither place: gone with the trash emptied (or moved elsewhere)
        raise _Gone(f"{printable_path(row.src)}: {printable_path(dst)} is now another trashed file "
                    f"(from {printable_path(origin)}; was the trash emptied?); left as it is")
    st = os.lstat(dst)
    other_size = row.size is not None and st.st_size != row.size and row.sha256 is None  # (a copy: its digest)
    if not stat.S_ISREG(st.st_mode) or other_size:
        raise ActionError(f"{printable_path(row.src)}: {printable_path(dst)} is not the file this batch moved "
                          "there (another kind of file, or another size); left as it is")
    if row.sha256 is not None:  # a copy: its every byte is checked as it is copied back (move_file)
        return
    # the sampled ends decide (a file only touched since, same bytes, is still the photo: it had to be moved
    # back by hand); the modification time only when the file could not be read to sample it at the move
    try:
        other_content = row.sample_sha256 is not None and sample_sha256(dst) != row.sample_sha256
    except OSError as exc:  # (it was reported under the photo's own path, where no file is)
        raise ActionError(f"{printable_path(row.src)}: {printable_path(dst)} cannot be read to tell whether it is the "
                          f"file this batch moved there: {os_reason(exc)}; left as it is") from exc
    other_time = row.sample_sha256 is None and row.mtime_ns is not None and st.st_mtime_ns != row.mtime_ns
    if other_time or other_content:
        raise ActionError(f"{printable_path(row.src)}: {printable_path(dst)} is not the file this batch moved "
                          f"there (same size, but another {'modification time' if other_time else 'content'}: "
                          "replaced since?); left as it is")


def _trashed_from(info: str, src: str) -> str | None:
    """The original path the ``.trashinfo`` entry ``info`` names when it is not ``src``: the file in the trash
    under the photo's name is another one, trashed (by the desktop) after the photo left the trash. None when
    the entry is missing, unreadable or names ``src``."""
    if not os.path.lexists(info):
        return None
    origin = trash.original_path(info)
    return origin if origin is not None and os.path.normpath(origin) != os.path.normpath(src) else None


class _Gone(ActionError):
    """The file a row moved is at neither its original path nor its destination: nothing to put back."""


def _remove_folders(store, batch_id: int, destination: str | None, restored_dirs: set[str]) -> list[str]:
    """Remove the folders the move batch created (journaled before it made them), deepest first, each only
    when it is empty: never a folder that existed before the move, nor one holding anything (a file this
    undo could not restore, another batch's, the person's). Returns those removed.

    A batch journaled before folders were (schema 1) keeps the old rule: the folders of the restored files
    below the destination, when empty (the destination itself stays)."""
    journaled = journal.created_folders(store, batch_id)
    if journaled is None:
        return _remove_empty_dirs(restored_dirs, destination) if destination else []
    removed = []
    for folder in sorted(journaled, key=lambda f: f.count(os.sep), reverse=True):
        try:
            os.rmdir(folder)
        except OSError:  # not empty, or not there (never made: killed in between; removed by an earlier undo)
            continue
        removed.append(folder)
    return removed


def _remove_empty_dirs(folders: set[str], destination: str) -> list[str]:
    """Remove folders the batch created under ``destination`` when now empty (never ``destination``)."""
    stop = os.path.abspath(destination)
    removed = []
    for folder in sorted(folders, key=len, reverse=True):
        folder = os.path.abspath(folder)
        while folder.startswith(stop + os.sep):
            try:
                os.rmdir(folder)
            except OSError:
                break
            removed.append(folder)
            folder = os.path.dirname(folder)
    return removed
