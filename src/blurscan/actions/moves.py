"""The file-move primitive: atomic on one device, verified across devices, never overwriting.

:func:`move_file` is the only function of blurscan that moves a photo (``move``, ``trash`` and ``undo`` all
use it). Its guarantees:

* **Never past a read-only folder**, even as root (who may write anything): a source folder, or the
  destination's nearest existing folder, with no write bit for anyone is refused (:mod:`blurscan.permissions`),
  as the system refuses any other user. A source folder the file cannot be taken out of (a read-only file
  system, a folder this user may not write, :mod:`.sources`) is refused before anything is copied
  (:class:`.sources.SourceFolderError`); a refusal the system makes all the same names the folder that refused.
  A file that alone refuses (another user's in a sticky folder, an immutable file) fails alone.
* **Never overwrite.** On Linux the rename is ``renameat2(..., RENAME_NOREPLACE)`` (one atomic system call
  that fails with ``EEXIST`` when the destination exists). Where that call is missing or unsupported by the
  file system, the file is hard-linked to its destination (``link`` also refuses an existing name) and the
  old name removed (an old name another program removed or moved away in between leaves the file moved,
  ``MoveOutcome.source_gone``: until 2026-12-06 the new name was removed too, the photo's last one when the other
  program had deleted it). Only on a file system with neither (FAT/exFAT cards, some network shares) is the
  destination checked just before a plain rename -- a window of microseconds, documented here.
* **Atomic on one device.** The file is at its old name or at its new name, never half-way (between ``link``
  and ``unlink`` it is briefly at both, as the same inode; :mod:`.undo` recognises that state). Given the size
  and time of the file planned (``expect``), the file renamed is looked at: another one (a sync tool's new version
  renamed over the photo just before) is renamed back, not moved (:func:`_other_renamed`).
* **Verified across devices** (``EXDEV``): the bytes are copied to a temporary name beside the destination
  (created with ``O_EXCL``; on one file system that can share extents, btrfs across subvolumes or xfs across
  mount points, a copy-on-write clone of the source, :mod:`.reflink`, the source read and hashed after it: a
  byte copy until 2026-12-07), flushed with ``fsync``, read back and compared by SHA-256 with what was read from
  the source, given the source's permissions and times, renamed (no-clobber) to the destination, and only then
  is the source unlinked. A failure at any step (disk full, I/O error) removes the temporary file and leaves
  the source untouched. The copy keeps the source's permissions, times to the nanosecond, extended attributes
  (tags, comments, ratings, POSIX ACLs), its group where this user belongs to it, and its owner when run as root
  (:func:`.owners.keep`; an owner or group not kept is said, ``MoveOutcome.not_kept``); undo's copy back gets the
  permissions, owner and group the journal kept (``taken``: a FAT or exFAT drive shows ``0777``, root's). A source
  that another program removed or moved away once the copy was in place, before it was to be removed (a sync tool, a file
  manager), is moved all the same: its verified copy is at the destination
  and the photo is no longer at its place (``MoveOutcome.source_gone``). Until 2026-12-06 that was reported as
  "cannot copy", the copy left at the destination unjournaled, out of undo's reach. A source replaced by another
  file meanwhile (a sync tool's new version, written to a temporary name and renamed over the photo: another
  inode at its name) is never removed: during the copy, the copy is removed and the file stays ("changed while it
  was being copied"); once the copy is in place, the copy is the photo moved and the new file stays
  (``MoveOutcome.source_replaced``). Until 2026-12-06 only the size and time were compared, once, before the copy
  was put in place: the new version (never copied, never judged) was removed, and the sync tool sent its removal
  to the other devices.
* **Asked again before the file leaves** (``still_wanted``, a ``move`` or ``trash`` of a photo): just before the
  rename, and after a cross-device copy is verified, before it is put in place. A reason given then (the photo
  marked keep on the review page meanwhile, :mod:`.fresh_decisions`) leaves the file where it is, its copy
  removed (:class:`.move_outcome.LeftInPlace`). A copy to another drive takes seconds for a large photo, and a keep
  recorded during it was answered as stored while the photo went all the same (until 2026-12-06).
* **Never through a link in someone's tree, as root** (``within``: ``--to``, the trash's, the library for undo):
  the rename, and across devices the copy's temporary file, its checks and rename, go into the destination's
  folder opened from ``within`` down, and out of the photo's folder opened from ``src_within`` (the library) down,
  never through a symbolic link (:mod:`.held_folder`; by path until 2026-12-06).

The temporary name is ``.<name>.blurscan-<tag>.part`` in the destination folder (``<name>`` cut to what the
folder allows, :func:`temp_name`); ``tag`` is the journal row id, so :mod:`.undo` knows which leftovers are its
own.
"""
from __future__ import annotations

import ctypes
import errno
import hashlib
import logging
import os
import stat
import sys
from typing import Callable

from .. import inode_flags
from ..errors import ActionError, os_reason, printable_path
from ..folders_down import make_folders_down
from ..name_room import temp_name  # noqa: F401 (moves.temp_name: where the actions have it)
from ..permissions import read_only_reason, why_not_writable
from . import drive_names, held_folder, owners, reflink, sources, unreadable
from .folder_path import missing_folders, not_a_folder
from .move_outcome import CHANGED_AS_MOVED, FolderError, LeftInPlace, MoveOutcome, NotPutBack
from .renamed_already import identity, renamed_already
from ..filetime import mtime_of

log = logging.getLogger(__name__)

_CHUNK = 1 << 20
_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
#: errno values meaning "this system call / file system cannot do that", which send us to the next fallback.
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EPERM, getattr(errno, "ENOTSUP", 95), errno.EOPNOTSUPP}


def sha256_file(path: str) -> str:
    """SHA-256 (hex) of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb", opener=held_folder.opener(path)) as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def move_file(src: str, dst: str, *, tag: object = "0", expect_sha256: str | None = None,
              still_wanted: Callable[[], str | None] | None = None,
              expect: tuple[int, int] | None = None, within: str | None = None,
              src_within: str | None = None, taken: tuple | None = None) -> MoveOutcome:
    """Move ``src`` to ``dst`` without ever overwriting anything; create ``dst``'s folders as needed.

    Parameters
    ----------
    src, dst : str
        Absolute paths. ``dst`` must not exist.
    tag : object
        Makes the temporary name of a cross-device copy unique (the journal row id).
    expect_sha256 : str, optional
        For a cross-device copy: the digest the bytes must have (undo of a copied file); a mismatch stops
        the move before the source is removed.
    still_wanted : callable, optional
        Asked just before the file leaves its place (before the rename; across devices, once the copy is
        verified, before it is put in place): None to go on, or why the file is to stay, which raises
        :class:`LeftInPlace` with the source untouched and no copy left.
    expect : (int, int), optional
        The size and modification time (ns) of the file to move (a ``move`` or ``trash`` of what was planned):
        another file found at ``src`` (a sync tool's new version renamed over the photo since it was last looked
        at) is not moved. Renamed already, it is renamed back (:func:`_other_renamed`); across devices, it is
        not copied.
    within : str, optional
        The folder ``dst`` is reached from (the ``--to`` folder, the trash's, the library for undo): run as root, the
        folders below it are opened each in the one above, never through a symbolic link, and the file renamed (or
        copied) into the last one's descriptor (:mod:`.held_folder`); a link in the way fails the file, named.
    src_within : str, optional
        The folder ``src`` is taken from (the library; for undo ``--to``, the trash's): as ``within``, its folder
        opened from there down, the file renamed (or read and removed) out of it (:func:`.held_folder.taken`).
    taken : (mode, uid, gid), optional
        For undo: the permissions, owner and group the file had when its batch took it (each None where not
        journaled); a copy across devices gets them rather than the source's (:func:`.owners.as_taken`).

    Returns
    -------
    MoveOutcome

    Raises
    ------
    ActionError
        Naming the file and the reason (destination exists, permission denied, no space left ...). The
        source is then still in place, unchanged.
    """
    words = sources.refusal(src)  # before anything is copied: a read-only card, a folder not this user's
    if words:
        raise sources.error(src, dst, words)
    pinned = sources.pinned([src])  # (chattr +i or +a: refused to root too, once copied to another drive)
    if pinned:
        raise ActionError(f"{printable_path(src)}: cannot move to {printable_path(dst)}: {pinned}")
    refused = read_only_reason(_nearest_folder(os.path.dirname(dst)))
    if refused:  # run as root, which the system lets write anything: the folder's bits say no, as to others
        raise ActionError(f"{printable_path(src)}: cannot move to {printable_path(dst)}: {refused}")
    _ask(still_wanted, src)
    made = missing_folders(os.path.dirname(dst))
    try:
        if made:  # (each in the one above it, never through a link put in place of one just made)
            make_folders_down(made, top=within)  # (as root: the folder above them opened from --to down)
        else:  # (all there: a link to a file or leading nowhere fails, as a file in the way, and is named below)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
    except OSError as exc:
        in_the_way = not_a_folder(os.path.dirname(dst))  # (a link looping, a file: "file exists" said nothing)
        raise FolderError(os.path.dirname(dst), in_the_way or os_reason(exc)) from exc
    owners.like_folders_above(made)  # (as root: the folders made in someone's tree are theirs, as root's undo's)
    fsync_made(made)
    with held_folder.reached(src, dst, within) as there, held_folder.taken(src, src_within) as here:
        return _move(here, there, tag, expect_sha256, still_wanted, expect, taken)  # (as root: never via a link)


def _move(src: str, dst: str, tag: object, expect_sha256: str | None,
          still_wanted: Callable[[], str | None] | None, expect: tuple[int, int] | None,
          taken: tuple | None = None) -> MoveOutcome:
    """Rename ``src`` to ``dst`` (its folder made), or across drives copy it there (:func:`move_file`)."""
    try:
        gone = _rename_noreplace(src, dst)
        if expect is not None and not gone:
            _other_renamed(src, dst, expect)
        _fsync_dir(held_folder.folder(dst))
        _fsync_dir(held_folder.folder(src))
        return MoveOutcome("rename", source_gone=gone)
    except OSError as exc:
        if exc.errno == errno.ENOENT and not held_folder.lexists(src):
            raise _vanished(src, dst) from exc
        if exc.errno != errno.EXDEV:
            raise _refused(src, dst, exc) or _error(src, exc, _what(exc, dst)) from exc
    return _copy_verify_unlink(src, dst, tag, expect_sha256, still_wanted, expect, taken)



def _other_renamed(src: str, dst: str, expect: tuple[int, int]) -> None:
    """After ``src`` was renamed to ``dst``: when the file renamed is not the one expected (its size and time,
    ``expect``), another program put it at ``src`` just before (a sync tool's new version, renamed over the photo
    between blurscan's last look and its rename): it is renamed back and :class:`ActionError` raised. Until
    2026-12-06 the new version, never judged, was the file moved, and undo refused it as another file. A new
    version of the same size saved within 2 s of the photo's time is not told apart (see the comment below)."""
    st = held_folder.lstat(dst)
    size, mtime_ns = expect
    # (a time within 2 s: a network or FUSE file system (a cloud drive's) may give the file under its new name a
    # time of another precision than under its old one, and a move must not fail for that)
    if st.st_size == size and abs(mtime_of(st) - mtime_ns) <= 2_000_000_000:
        return
    try:
        _rename_noreplace(dst, src)
    except OSError as exc:  # (a third file at src meanwhile: the new version stays where it went, and is said)
        raise NotPutBack(src, dst, os_reason(exc)) from exc
    raise ActionError(f"{printable_path(src)}: {CHANGED_AS_MOVED}; not moved, the new one stays")


def _ask(still_wanted: Callable[[], str | None] | None, src: str) -> None:
    """Raise :class:`LeftInPlace` when ``still_wanted`` gives a reason for ``src`` to stay."""
    reason = still_wanted() if still_wanted is not None else None
    if reason:
        raise LeftInPlace(src, reason)


def _nearest_folder(path: str) -> str:
    """``path``, or its nearest parent that exists (where ``makedirs`` would create the missing ones)."""
    while not os.path.isdir(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    return path


def _refused(src: str, dst: str, exc: OSError) -> ActionError | None:
    """For a rename the system refused (permission denied, a read-only file system), the error naming the folder
    that refused it: the photo's own (:class:`.sources.SourceFolderError`) or the destination's; None when
    neither can be told (it said "cannot move to DST: permission denied", blaming a destination that could be
    written, when the photo's own folder was the one refusing)."""
    if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
        return None
    words = sources.refusal(src)
    if words:
        return sources.error(src, dst, words, os_reason(exc))
    folder = _nearest_folder(os.path.dirname(dst))
    words = why_not_writable(folder)
    if words:
        return ActionError(f"{printable_path(src)}: cannot move to {printable_path(dst)}: {os_reason(exc)}: "
                           f"the destination's folder {printable_path(folder)} {words}")
    return None


def _what(exc: OSError, dst: str) -> str:
    if exc.errno == errno.EEXIST:
        return f"destination exists: {printable_path(dst)}"
    return f"cannot move to {printable_path(dst)}"


def _error(path: str, exc: OSError, doing: str) -> ActionError:
    if exc.errno == errno.EEXIST and "destination exists" in doing:
        return ActionError(f"{printable_path(path)}: {doing} (never overwritten)")
    return ActionError(f"{printable_path(path)}: {doing}: {os_reason(exc)}")


def _copy_verify_unlink(src: str, dst: str, tag: object, expect_sha256: str | None,
                        still_wanted: Callable[[], str | None] | None = None,
                        expect: tuple[int, int] | None = None, taken: tuple | None = None) -> MoveOutcome:
    if held_folder.lexists(dst):
        raise ActionError(f"{printable_path(src)}: destination exists: {printable_path(dst)} (never overwritten)")
    closed = inode_flags.closed_to_copies(os.path.dirname(dst))  # (chattr +a: its temporary name there for good)
    if closed:
        raise ActionError(f"{printable_path(src)}: cannot move to {printable_path(dst)}: "
                          f"{printable_path(os.path.dirname(dst))} {closed}")
    tmp = held_folder.beside(dst, temp_name(dst, tag))
    made = placed = False  # (made: the temporary file was created, and is removed on a failure)
    try:
        st = held_folder.lstat(src)
        if not stat.S_ISREG(st.st_mode):
            raise ActionError(f"{printable_path(src)}: not a regular file; not copied across devices")
        if expect is not None and (st.st_size, mtime_of(st)) != tuple(expect):
            raise ActionError(f"{printable_path(src)}: {CHANGED_AS_MOVED}; not moved, the new one stays")
        digest = hashlib.sha256()
        try:
            fin = open(src, "rb", opener=held_folder.opener(src))
        except PermissionError as exc:  # (the source refused: "cannot copy to DST" blamed the destination)
            raise unreadable.copy_error(src, dst, exc) from exc
        with fin:
            opened = os.fstat(fin.fileno())  # (the file planned: another renamed over it since the lstat is not copied)
            if (opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino):
                raise ActionError(f"{printable_path(src)}: changed while it was being copied; source kept")
            name, folder = held_folder.args(tmp)  # (run as root: in the folder held open, :mod:`.held_folder`)
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600, dir_fd=folder)
            made, copy = True, os.fstat(fd)
            try:
                with os.fdopen(fd, "wb") as fout:  # (one file system: its extents shared, :mod:`.reflink`)
                    cloned = reflink.clone(fin.fileno(), fout.fileno(), tmp)
                    while chunk := fin.read(_CHUNK):  # (the source read after the clone: a change meanwhile differs)
                        digest.update(chunk)
                        if not cloned:
                            fout.write(chunk)
                    fout.flush()
                    os.fsync(fout.fileno())
            except BaseException:
                _unlink_quiet(tmp)
                raise
        source_sha = digest.hexdigest()
        if expect_sha256 is not None and source_sha != expect_sha256:
            _unlink_quiet(tmp)
            raise ActionError(f"{printable_path(src)}: content differs from the journal's record "
                              f"(sha256 {source_sha[:12]}... != {expect_sha256[:12]}...); not moved")
        copied_sha = sha256_file(tmp)
        if copied_sha != source_sha:
            _unlink_quiet(tmp)
            raise ActionError(f"{printable_path(src)}: copy to {printable_path(dst)} does not match the original "
                              "(SHA-256 differs); source kept")
        # owner, times, extended attributes, permissions
        not_kept = owners.keep_for_copy(src, tmp, st if taken is None else owners.as_taken(st, taken), copy,
                                        dir_fd=held_folder.args(tmp)[1])  # (undo: as the batch took it)
        if _other_file(held_folder.lstat(src), st):  # (a new version renamed over it may keep the same size and time)
            _unlink_quiet(tmp)
            raise ActionError(f"{printable_path(src)}: changed while it was being copied; source kept")
        try:  # (the copy took a while: a keep recorded meanwhile leaves the photo)
            _ask(still_wanted, src)
        except BaseException:  # (LeftInPlace; or the database could not be read: no copy left either way)
            _unlink_quiet(tmp)
            raise
        try:
            _rename_noreplace(tmp, dst)
        except OSError as exc:
            _unlink_quiet(tmp)
            raise _error(src, exc, _what(exc, dst)) from exc
        placed = True
        _fsync_dir(held_folder.folder(dst))
        try:
            if _other_file(held_folder.lstat(src), st):  # replaced meanwhile (a sync tool's new version): it stays
                return MoveOutcome("copy", source_sha, source_replaced=True, not_kept=not_kept)
            held_folder.unlink(src)
        except FileNotFoundError:  # another program took it away meanwhile: the copy in place is the photo's
            return MoveOutcome("copy", source_sha, source_gone=True, not_kept=not_kept)
        _fsync_dir(held_folder.folder(src))
    except ActionError:
        raise
    except OSError as exc:
        if made:  # (one never made is not there to remove: removing it said "could not remove" a name too long)
            _unlink_quiet(tmp)
        if placed and held_folder.lexists(src):
            # the copy is in place and verified but the source could not be removed (its folder, or its drive,
            # read-only): take the copy back, and say that it was the source, not the destination, that refused
            try:
                held_folder.unlink(dst)
                left = "the copy was removed"
            except OSError:
                left = f"its copy stays at {printable_path(dst)}"
            raise sources.not_removed(src, dst, exc, left) from exc
        if not placed and exc.errno == errno.ENOENT and not held_folder.lexists(src):
            raise _vanished(src, dst) from exc
        if not made and (refused := drive_names.unheld_name(dst, exc)):  # (a:b.jpg to a FAT card: said so)
            raise ActionError(f"{printable_path(src)}: cannot copy to {printable_path(dst)}: {refused}") from exc
        raise _error(src, exc, f"cannot copy to {printable_path(dst)}") from exc
    return MoveOutcome("copy", source_sha, not_kept=not_kept)


def _other_file(now: os.stat_result, then: os.stat_result) -> bool:
    """Whether ``now`` (an ``lstat`` of a path) is of another file than ``then``, or of the same one changed: other
    device and inode, size or modification time."""
    return (now.st_dev, now.st_ino, now.st_size, mtime_of(now)) != (then.st_dev, then.st_ino, then.st_size,
                                                                      mtime_of(then))


def _vanished(src: str, dst: str) -> ActionError:
    """The error for a photo another program removed or moved away before it was in place at ``dst`` (while it was
    copied to another drive, a large one taking seconds): its partial copy is removed. Until 2026-12-06 it said
    ``cannot copy to DST: no such file or directory``, as if the destination were missing."""
    return ActionError(f"{printable_path(src)}: gone from its folder as it was being moved (another program "
                       f"removed or moved it); not moved, nothing of it left at {printable_path(dst)}")


def _unlink_quiet(path: str) -> None:
    try:
        held_folder.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:  # pragma: no cover - reported, never fatal
        log.warning("could not remove temporary file %s: %s", printable_path(path), exc)


def _fsync_dir(folder: str) -> None:
    """Make a rename durable (POSIX: fsync the directory). Best effort: through its descriptor where held, never
    through a link (:func:`.held_folder.fsync`; the tests' seam)."""
    held_folder.fsync(folder)


def fsync_made(folders: list[str]) -> None:
    """Make the folders just made durable, each one's name fsynced in its parent, before a file goes into them: a
    power cut kept the photo's rename (fsynced in the new folder and out of its old one) and lost the new folder,
    and the photo with it (until 2026-12-06)."""
    for folder in folders:
        _fsync_dir(os.path.dirname(folder))


def _load_renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_renameat2 = _load_renameat2()


def _rename_noreplace(src: str, dst: str) -> bool:
    """Rename ``src`` to ``dst``; ``OSError(EEXIST)`` when ``dst`` exists, ``OSError(EXDEV)`` across devices.
    True when another program took ``src`` away between the link to ``dst`` and the removal of ``src`` (the
    file is at ``dst``, moved all the same); False otherwise."""
    (src_name, src_fd), (dst_name, dst_fd) = held_folder.args(src), held_folder.args(dst)  # (by name, or in a folder
    # held open: the destination's, run as root, :mod:`.held_folder`)
    if _renameat2 is not None:
        before, tries = identity(src), 0
        err = errno.EINTR  # (a signal, or a network or FUSE file system: tried again, as Python's own calls are; it
        while err == errno.EINTR:  # failed the photo "interrupted system call", until 2026-12-06)
            if _renameat2(_AT_FDCWD if src_fd is None else src_fd, os.fsencode(src_name),
                          _AT_FDCWD if dst_fd is None else dst_fd, os.fsencode(dst_name), _RENAME_NOREPLACE) == 0:
                return False
            err, tries = ctypes.get_errno(), tries + 1
        if tries > 1 and err in (errno.ENOENT, errno.EEXIST) and renamed_already(src, dst, before):
            return False
        if err not in _UNSUPPORTED or err == errno.EPERM:
            raise OSError(err, os.strerror(err), src, None, dst)
    try:
        os.link(src_name, dst_name, src_dir_fd=src_fd, dst_dir_fd=dst_fd, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in _UNSUPPORTED:
            raise
    except NotImplementedError:  # pragma: no cover - platform without follow_symlinks=False
        pass
    else:
        try:
            held_folder.unlink(src)
        except FileNotFoundError:  # (removed or moved away meanwhile: dst may be the file's only name now)
            return True
        except OSError:
            held_folder.unlink(dst)  # the same inode: removing the new name restores the previous state
            raise
        return False
    # No atomic no-clobber primitive on this file system: check, then rename (Windows' rename never
    # replaces an existing file anyway).
    if held_folder.lexists(dst):
        raise OSError(errno.EEXIST, os.strerror(errno.EEXIST), src, None, dst)
    os.rename(src_name, dst_name, src_dir_fd=src_fd, dst_dir_fd=dst_fd)
    return False

