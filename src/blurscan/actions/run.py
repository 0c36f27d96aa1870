"""Carry out a :class:`~.plan.Plan`: journal first, then move file by file (see :mod:`.journal`)."""
from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
from dataclasses import dataclass, field
from typing import Callable

from ..errors import ActionError, StoreError, os_reason, printable_path
from ..held import ctrl_c_held
from ..permissions import may_write
from ..samples import sample_sha256
from ..sizes import human_size
from . import batch_drives, drives, fresh_decisions, journal, sources, trash, unreadable
from .destinations import device_of
from .folder_path import missing_folders
from .move_outcome import FolderError, LeftInPlace, MoveOutcome, NotPutBack
from .moves import move_file
from .sources import SourceFolderError
from .plan import Plan
from ..filetime import mtime_of

log = logging.getLogger(__name__)

#: ``progress(done, total, path)`` after each file.
Progress = Callable[[int, int, str], None]
#: Why a sidecar, RAW twin or video is left in :attr:`BatchResult.skipped`: its photo failed (the failure counts).
PHOTO_NOT_MOVED = "its photo was not moved"


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`execute`, :func:`~.xmp.tag_photos` or :func:`~.undo.undo`: a ``KeyboardInterrupt``
    that carries what the batch had done (``result``) and how much it had to do (``total``: photos to tag, rows
    to undo), so the command can say how far it went and how to undo it, or finish it."""

    def __init__(self, result, total: int | None = None) -> None:
        super().__init__()
        self.result = result
        self.total = total


@dataclass
class BatchResult:
    """What a batch did.

    Attributes
    ----------
    batch_id : int
    moved : list of (src, dst)
        Files moved (photos and sidecars).
    failed : list of (path, reason)
    skipped : list of (path, reason)
        Files not attempted (their photo failed, the batch stopped, the file changed since planning, or the
        person's decision on the photo did: marked keep meanwhile, :mod:`.fresh_decisions`).
    bytes_moved : int
    photos_moved : int
    stopped : str or None
        Why the batch stopped before its end because the database refused a journal write (a full disk): the
        files in ``moved`` went, the others stayed (the batch stays ``running``: undo checks every file on disk).
    left_behind : list of str
        When it stopped between a photo and its sidecars, RAW twin or video: those that stayed (their photo went).
    taken_meanwhile : list of (src, dst)
        Files of ``moved`` whose source another program removed or moved away once they were in place, before
        blurscan removed it (:attr:`.move_outcome.MoveOutcome.source_gone`): moved, kept and journaled, and said.
    replaced_meanwhile : list of (src, dst)
        Files of ``moved`` whose source another program replaced by another file once they were in place (a sync
        tool's new version, :attr:`.move_outcome.MoveOutcome.source_replaced`): moved, and the new file left at ``src``.
    not_kept : list of (src, dst, words)
        Files of ``moved`` copied to another drive whose owner or group the copy could not be given (``owner ann``:
        not run as root, :attr:`.move_outcome.MoveOutcome.not_kept`), said.
    """

    batch_id: int
    moved: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    bytes_moved: int = 0
    photos_moved: int = 0
    stopped: str | None = None
    left_behind: list[str] = field(default_factory=list)
    taken_meanwhile: list[tuple[str, str]] = field(default_factory=list)
    replaced_meanwhile: list[tuple[str, str]] = field(default_factory=list)
    not_kept: list[tuple[str, str, str]] = field(default_factory=list)


def execute(store, plan: Plan, *, progress: Progress | None = None) -> BatchResult:
    """Perform ``plan`` (a move or a trash), journaling every step before it happens.

    A photo whose file changed since planning is skipped, and so is one whose decision changed since (marked keep
    on the review page while the batch runs: read again just before each photo, :mod:`.fresh_decisions`), with the
    files that go with it; a file that cannot be moved is reported and the
    batch goes on, except on "no space left on device", which stops it (nothing else would fit), and on a photo's
    folder that refuses to let it go (a read-only file system, a folder this user may not write: every photo
    there would be copied for nothing, :mod:`.sources`), which stops it too.
    Sidecars are not moved when their photo could not be.

    Returns
    -------
    BatchResult

    Raises
    ------
    ActionError
        When another move / undo holds this database, or the destination has too little free space for the
        files that must be copied.
    """
    if plan.kind == "move" and plan.files:
        from .destinations import existing_ancestor, in_the_way

        unmade = in_the_way(plan.destination)  # a file put above it since planning
        if unmade:
            raise ActionError(f"{printable_path(plan.destination)}: {unmade}; nothing was moved")
        folder = existing_ancestor(plan.destination)
        if not may_write(folder, os.W_OK | os.X_OK):  # a read-only drive, /proc: say so, not "no free space"
            raise ActionError(f"{printable_path(plan.destination)}: cannot be written ({printable_path(folder)} "
                              "is read-only or not yours); nothing was moved")
    if plan.kind == "move" and plan.dest_free is not None and plan.copy_bytes > plan.dest_free:
        raise ActionError(f"{printable_path(plan.destination)}: not enough free space "
                          f"({human_size(plan.copy_bytes)} to copy, {human_size(plan.dest_free)} free); nothing was "
                          "moved")  # (the dry run's words: it was "120789 bytes to copy, 114688 free" until 2026-12-06)
    with journal.exclusive(store):
        batch_id, row_ids = journal.create_batch(store, plan.kind, plan.destination,
                                                 [(f.src, f.dst, f.size) for f in plan.files],
                                                 drives.mount_point(plan.destination)
                                                 if plan.kind == "move" and plan.destination else None)
        batch_drives.note_library(store, batch_id)  # (the library's own drive: undo finds it mounted elsewhere)
        result = BatchResult(batch_id)
        try:
            _run_photos(store, plan, batch_id, row_ids, result, progress, library_tops(store))
        except KeyboardInterrupt as exc:  # the batch stays 'running': undo checks every file on disk
            raise BatchInterrupted(result) from exc
        except StoreError as exc:  # the journal refused a write (a full disk): stop and say what was done (it was
            result.stopped = str(exc)  # one "Error:" line, nothing listed); the batch stays 'running', as above
            return result
        state = "done" if not result.failed and not result.skipped else "partial"
        try:
            journal.set_batch_state(store, batch_id, state)
        except StoreError as exc:  # every photo went, and the batch's end was refused (a disk I/O error): said with
            result.stopped = str(exc)  # what moved and its undo (it was one "Error:" line); it stays 'running'
    return result


def _run_photos(store, plan: Plan, batch_id: int, row_ids: list[int], result: BatchResult,
                progress: Progress | None, top_of: Callable[[str], str | None]) -> None:
    """Move ``plan``'s photos file by file into ``result`` (the loop of :func:`execute`; ``top_of``: the batch's
    :func:`library_tops`)."""
    total = len(plan.files)
    note_drive = batch_drives.noter(store, batch_id) if plan.kind == "trash" else None  # (its trash folders' drives)
    done = 0
    index = 0
    stop_reason = None
    left: dict[tuple[str, str], tuple[str, str]] = {}  # photos left for a decision changed meanwhile: (name, why)
    for photo in plan.photos:
        ids = row_ids[index:index + len(photo.files)]
        index += len(photo.files)
        photo_ok = True
        # the decision as it is now, read just before the photo is taken (the review page may have changed it)
        since = None if stop_reason else fresh_decisions.changed_since(store, photo.photo, photo.reason)
        if since:
            left[fresh_decisions.stem_key(photo.photo)] = (os.path.basename(photo.photo), since)
        # an image of its name left so (IMG_1.HEIC kept, IMG_1.JPG taken): the files named by the stem alone stay
        staying = None if since or len(photo.files) == 1 else left.get(fresh_decisions.stem_key(photo.photo))
        # Ctrl-C waits for the photo's sidecars, RAW twin and video (at most a few files): stopped between them, the
        # photo went and they stayed, and no later move took them (its photo was no longer there to select). A photo
        # alone too: stopped between its move and the journal's record of it, the line said one photo fewer than
        # went (until 2026-12-06)
        with ctrl_c_held(), _left_behind(photo, result):
            for op, row_id in zip(photo.files, ids):
                if stop_reason or not photo_ok:
                    why = stop_reason or PHOTO_NOT_MOVED
                    journal.mark(store, row_id, "skipped", error=why)
                    result.skipped.append((op.src, why))
                    done += 1
                    continue
                changed = since if op.role == "photo" else None
                if staying and not fresh_decisions.own_file(op.src, photo.photo):
                    changed = fresh_decisions.shared_reason(*staying)
                changed = changed or _changed(op)
                if changed:
                    journal.mark(store, row_id, "skipped", error=changed)
                    result.skipped.append((op.src, changed))
                    photo_ok = op.role != "photo" and photo_ok
                    done += 1
                    continue
                # asked again as the photo leaves (after a copy to another drive, which takes a while): a keep
                # recorded meanwhile was answered as stored, and the photo went all the same (until 2026-12-06)
                asked = (lambda p=photo: fresh_decisions.changed_since(store, p.photo, p.reason)) \
                    if op.role == "photo" else None
                try:
                    if op.role == "photo":
                        _companions_may_go(photo, plan)
                    dst, outcome = _do_one(store, plan, op, row_id, batch_id, top_of, asked, note_drive)
                except LeftInPlace as exc:  # as a decision changed before the photo was taken: it and its files stay
                    journal.mark(store, row_id, "skipped", error=exc.reason)
                    result.skipped.append((op.src, exc.reason))
                    left[fresh_decisions.stem_key(photo.photo)] = (os.path.basename(photo.photo), exc.reason)
                    photo_ok = False
                    done += 1
                    continue
                except _MovedUnrecorded as exc:  # moved, then the journal refused to record it: counted, then stop
                    result.moved.append((op.src, exc.dst))
                    result.bytes_moved += op.size
                    result.photos_moved += op.role == "photo"
                    raise exc.error from None
                except ActionError as exc:
                    reason = str(exc)
                    if isinstance(exc, FolderError):  # (it named the folder alone: which photo failed went unsaid)
                        reason = (f"{printable_path(op.src)}: cannot make the {exc.kind} "
                                  f"{printable_path(exc.folder)}: {exc.reason}")
                    if op.role != "photo" and photo_ok:  # its photo went: say they are apart (undo joins them)
                        reason += (f"; {printable_path(os.path.basename(photo.photo))} went without it (blurscan "
                                   "undo puts it back)")
                    journal.mark(store, row_id, "failed", error=reason)
                    result.failed.append((op.src, reason))
                    if op.role == "photo":
                        photo_ok = False
                    stop_reason = _stop_reason(exc)
                else:
                    result.moved.append((op.src, dst))
                    if outcome.source_gone:
                        result.taken_meanwhile.append((op.src, dst))
                    if outcome.source_replaced:
                        result.replaced_meanwhile.append((op.src, dst))
                    if outcome.not_kept:
                        result.not_kept.append((op.src, dst, outcome.not_kept))
                    result.bytes_moved += op.size
                    result.photos_moved += op.role == "photo"
                done += 1
                if progress is not None:
                    progress(done, total, op.src)


def _companions_may_go(photo, plan: Plan) -> None:
    """Raise :class:`ActionError` when a sidecar, RAW twin or video of ``photo`` cannot be taken out of its folder
    now (in a sticky folder, a file of another user's since planning), or cannot be read to be copied to another
    drive (:mod:`.unreadable`): the photo is not moved without it (it went, and the sidecar stayed behind). The
    photo's own refusal is its move's to say (:func:`.moves.move_file`)."""
    dev = device_of(plan.destination) if plan.kind == "move" else None
    unread = unreadable.first(photo.files[1:], dev) if dev is not None else None
    if unread and not unreadable.first(photo.files[:1], dev):
        name = printable_path(os.path.basename(unread[0]))
        raise ActionError(f"{printable_path(photo.photo)}: not moved without {name}: "
                          f"{unreadable.reason(*unread, plan.destination)}")
    refused = sources.first_refusal(op.src for op in photo.files[1:])
    if refused and not sources.refusal(photo.photo):
        path, words = refused
        raise ActionError(f"{printable_path(photo.photo)}: not moved without "
                          f"{printable_path(os.path.basename(path))}: {sources.skip_reason(path, words)}")
    pinned = sources.pinned(op.src for op in photo.files[1:])  # (made immutable since planning: chattr +i)
    if pinned and not sources.pinned([photo.photo]):
        raise ActionError(f"{printable_path(photo.photo)}: not moved without {pinned}")


def _do_one(store, plan: Plan, op, row_id: int, batch_id: int, top_of, still_wanted=None,
            note_drive=None) -> tuple[str, MoveOutcome]:
    """Move one file, journaled: ``moving`` (with the destination) before, ``done`` after; a move journals
    the folders it is about to create first (:func:`.journal.add_created_folders`). ``top_of``: the batch's :func:`library_tops`. ``still_wanted``: for
    :func:`.moves.move_file` (a photo's decision read again as it leaves). Returns the destination, and how it
    went (:class:`.move_outcome.MoveOutcome`: whether another program took the source away, or replaced it, once its copy
    was in place). ``note_drive``: a trash batch's :func:`.batch_drives.noter`, told of each file's place in the trash
    before it is journaled (where the trash folder's drive is mounted, for undo)."""
    if plan.kind == "trash":
        for _attempt in range(100):
            dst, info, text = trash.choose(op.src)
            if note_drive is not None:
                note_drive(dst)
            # journaled before the entry is written
            journal.mark(store, row_id, "moving", dst=dst, identity=_identity(op))
            try:
                trash.write_info(info, text)
                break
            except FileExistsError:
                continue
        else:
            raise ActionError(f"{printable_path(op.src)}: could not reserve a name in the trash")
        try:  # (as root: into the trash's folder held open, :mod:`.held_folder`)
            outcome = move_file(op.src, dst, tag=row_id, still_wanted=still_wanted, expect=(op.size, op.mtime_ns),
                                within=os.path.dirname(dst), src_within=top_of(op.src))
        except Exception as exc:
            if not isinstance(exc, NotPutBack):  # (a file that went into the trash and stays there keeps its entry:
                trash.remove_info(info)  # without it, the trash neither lists nor restores it, until 2026-12-06)
            raise
    else:
        dst = op.dst
        if os.path.lexists(dst):  # (one there before: failed now, never journaled 'moving' with it, for a kill
            # then made undo take it for the batch's copy of the photo and remove it, until 2026-12-05)
            raise ActionError(f"{printable_path(op.src)}: destination exists: {printable_path(dst)} (never "
                              "overwritten)")
        missing = missing_folders(os.path.dirname(dst))
        if missing:
            journal.add_created_folders(store, batch_id, missing)
        journal.mark(store, row_id, "moving", identity=_identity(op))
        outcome = move_file(op.src, dst, tag=row_id, still_wanted=still_wanted, expect=(op.size, op.mtime_ns),
                            within=plan.destination, src_within=top_of(op.src))  # (as root: never
        # through a link in --to, nor in the library, :mod:`.held_folder`)
    try:
        journal.mark(store, row_id, "done", sha256=outcome.sha256)
    except StoreError as exc:
        raise _MovedUnrecorded(dst, exc) from exc
    log.debug("%s %s -> %s (%s)", plan.kind, op.src, dst, outcome.method)
    return dst, outcome


@contextlib.contextmanager
def _left_behind(photo, result: BatchResult):
    """On a journal write refused half-way through ``photo``'s files, its files that stayed while the photo went
    into ``result.left_behind`` (no later move takes them: their photo is no longer there to select)."""
    try:
        yield
    except StoreError:
        gone = {src for src, _dst in result.moved}
        if any(op.role == "photo" and op.src in gone for op in photo.files):
            result.left_behind = [op.src for op in photo.files if op.src not in gone]
        raise


class _MovedUnrecorded(Exception):
    """The file went to ``dst``, and then the journal refused to record it (``error``, a full disk)."""

    def __init__(self, dst: str, error: StoreError) -> None:
        super().__init__(str(error))
        self.dst, self.error = dst, error


def library_tops(store) -> Callable[[str], str | None]:
    """The outermost folder scanned into ``store`` that holds a path by its name (else of the library's folders,
    :func:`~blurscan.library_bounds.library_folders`: the database's own), for each path of a batch: run as root,
    the photo is taken out of its folder opened from there down, never through a link (:func:`.held_folder.taken`);
    the folder itself is opened by its path (a link there is the one given to the scan). None when none holds it (a
    database that bounds nothing, a path in the library by its real path only): by path then, as before. The
    library's folders are read once, at the first path (a batch's ``move --yes`` or ``undo`` read the scanned
    folders and resolved the database's folder, a look at each folder of its path, again for each file until
    2026-12-07: on a NAS, milliseconds a photo)."""
    from ..library_bounds import Folders, library_folders
    from ..scanned_roots import scanned_roots

    bounds: list = []

    def top(path: str) -> str | None:
        if not bounds:
            bounds.extend((Folders(scanned_roots(store)), library_folders(store) or ()))
        return _outermost(bounds, path)
    return top


def _outermost(bounds, path: str) -> str | None:
    """The outermost folder of the first of ``bounds`` that holds ``path`` (:func:`library_tops`)."""
    from ..library_bounds import under_any

    for folders in bounds:
        names = getattr(folders, "names", None)
        if names is None:  # (Windows: by commonpath, each folder)
            holding = [folder for folder in folders if under_any(path, (folder,))]
            if holding:
                return min(holding, key=len)
            continue
        prefix = ""  # (the path's own folders, outermost first, looked up: a few lookups, however many folders)
        for part in [os.sep, *(part for part in path.split(os.sep) if part)]:
            prefix = part if not prefix else os.path.join(prefix, part)
            if prefix in names:
                return prefix
    return None


def _identity(op) -> tuple:
    """What the journal keeps of the file ``op`` moves, for undo to recognise it
    (:func:`blurscan.samples.sample_sha256`; None when it cannot be read: a file one may rename but not read; undo
    then compares its size only), and its permissions, owner and group, for undo to give back to it when it comes
    back from a drive that kept none (:func:`.owners.as_taken`; None when it cannot be looked at)."""
    try:
        st = os.lstat(op.src)
        kept: tuple = (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid)
    except OSError as exc:
        log.debug("%s: not looked at: %s", op.src, exc)
        kept = (None, None, None)
    try:
        return op.mtime_ns, sample_sha256(op.src), *kept
    except OSError as exc:
        log.debug("%s: not sampled: %s", op.src, exc)
        return op.mtime_ns, None, *kept


def _changed(op) -> str | None:
    try:
        st = os.lstat(op.src)
    except FileNotFoundError:
        return "missing (moved or deleted since planning)"
    except OSError as exc:
        return f"cannot read: {os_reason(exc)}"
    if (st.st_size, mtime_of(st)) != (op.size, op.mtime_ns):
        return "changed since planning (size or time differ)"
    return None


def _stop_reason(exc: ActionError) -> str | None:
    """Why the batch stops at this failure, or None when it goes on to the next photo: no space left (nothing
    else would fit), a read-only file system, or a photo's folder that refuses to let it go (every photo there
    would be copied for nothing, then refused: :class:`.sources.SourceFolderError`)."""
    if _is_enospc(exc):
        return "batch stopped: no space left on device"
    if isinstance(exc, SourceFolderError):
        return exc.stop_reason
    cause = exc.__cause__
    if isinstance(cause, OSError) and cause.errno == errno.EROFS:
        return "batch stopped: read-only file system"
    return None


def _is_enospc(exc: ActionError) -> bool:
    cause = exc.__cause__
    return (isinstance(cause, OSError) and cause.errno in (errno.ENOSPC, errno.EDQUOT)) or \
        os.strerror(errno.ENOSPC).lower() in str(exc).lower()
