"""Whether a file can be taken out of its folder, checked before anything is copied or renamed.

Moving or trashing a file removes its name from its folder, which is a write to the *folder*, not to the file: it
is refused on a read-only file system (a card with its lock switch on, a read-only mount: root too), by a folder
this user may not write (another user's ``0755`` folder), as root by a folder with no write bit for anyone
(:mod:`blurscan.permissions`), and in a sticky folder (``/tmp``-like, mode ``1777``) by a file that is neither
this user's nor in a folder of this user's. A plan leaves such a photo where it is, with the reason, in the dry
run too (:mod:`.plan`), so that ``--yes`` does not copy it to another drive first and then fail to remove it
(a whole card copied for nothing); :func:`.moves.move_file` checks again just before each file and raises
:class:`SourceFolderError`, which stops the batch as "no space left on device" does (:mod:`.run`).

Only a refusal that holds for every file of the folder stops the batch (:func:`folder_refusal`). A sticky folder's
refusal is the file's (its owner's), and so is one the system makes for a file alone (an immutable file,
``chattr +i``; a read-only attribute on a network share): that photo fails, with its files, and the batch goes on
(it stopped the whole batch, naming a folder that had not refused, until 2026-12-05).
"""
from __future__ import annotations

import errno
import os
import stat

from .. import inode_flags
from ..errors import ActionError, os_reason, printable_path
from ..owner_names import user_name
from ..permissions import why_not_writable


class SourceFolderError(ActionError):
    """A file could not be taken out of its folder (``folder``), for a reason that holds for every file there:
    ``words`` follow the folder's name (``is on a read-only file system``). :mod:`.run` stops the batch on it."""

    def __init__(self, message: str, folder: str, words: str) -> None:
        super().__init__(message)
        self.folder = folder
        self.words = words

    @property
    def stop_reason(self) -> str:
        """What the files not attempted after it are skipped with."""
        return f"batch stopped: {printable_path(self.folder)} {self.words}"


def refusal(path: str, folders: dict | None = None) -> str | None:
    """Why ``path`` cannot be taken out of its folder, as words that follow the folder's name (``is on a
    read-only file system``, ``is not writable by this user: owner root, mode 0755``, as root ``is read-only
    (mode 0555: ...)``, ``is sticky ...``); None when it can, or when that cannot be told (a folder that cannot
    be examined: the move itself then says why). ``folders``: folder -> :func:`folder_refusal`'s answer, filled
    as folders are looked at (one plan's: a folder of 1,000 photos looked at once, not 1,000 times, four system
    calls each, milliseconds each on a NAS; :func:`.moves.move_file` looks again before each file)."""
    return remembered_folder_refusal(path, folders) or file_refusal(path)


def remembered_folder_refusal(path: str, folders: dict | None) -> str | None:
    """:func:`folder_refusal`, looked up once a folder in ``folders`` (folder -> the answer; None: looked at)."""
    if folders is None:
        return folder_refusal(path)
    folder = os.path.dirname(path)
    if folder not in folders:
        folders[folder] = folder_refusal(path)
    return folders[folder]


def first_refusal(paths, folders: dict | None = None) -> tuple[str, str] | None:
    """The first of ``paths`` (a photo and the files that go with it) that cannot be taken out of its folder, and
    why (:func:`refusal`, ``folders`` as there); None when each can. Each is looked at: in a sticky folder, each
    file's owner decides (only the photo was, and ``--yes`` moved it and left its sidecar, root's, behind)."""
    for path in paths:
        words = refusal(path, folders)
        if words:
            return path, words
    return None


def group_refusal(paths, folders: dict | None = None) -> tuple[str, str | None, str | None] | None:
    """Why a photo and the files that go with it (``paths``) are left in place, as a plan's skip says it: (reason,
    the folder that refuses and why, that folder), the last two None when a file alone refuses (:func:`pinned`);
    None when each may go. ``folders``: as :func:`refusal` takes it."""
    refused = first_refusal(paths := list(paths), folders)
    if refused:
        path, words = refused
        folder = os.path.dirname(path)
        return skip_reason(path, words), f"{printable_path(folder)} {words}", folder
    words = pinned(paths)
    return (words + "; left in place", None, None) if words else None


def pinned(paths) -> str | None:
    """``NAME is immutable (chattr +i: ...)`` for the first of ``paths`` the system lets no one move or remove,
    root included (:mod:`blurscan.inode_flags`); None when none is."""
    for path in paths:
        words = inode_flags.pinned(path)
        if words:
            return f"{printable_path(os.path.basename(path))} {words}"
    return None


def folder_refusal(path: str) -> str | None:
    """Why no file can be taken out of ``path``'s folder (a read-only file system, a folder this user may not
    write, an immutable or append-only one), as :func:`refusal` words; None when the folder itself lets files go
    (or cannot be told)."""
    folder = os.path.dirname(path)
    return inode_flags.shut(folder) or why_not_writable(folder)


def file_refusal(path: str) -> str | None:
    """Why ``path`` alone cannot be taken out of its folder although the folder may be written: a sticky folder
    and another user's file (``is sticky ..., and NAME is OWNER's``); None otherwise."""
    return _sticky(path, os.path.dirname(path))


def _sticky(path: str, folder: str) -> str | None:
    """In a sticky folder, only root, the folder's owner and the file's owner may remove the file."""
    if not hasattr(os, "geteuid") or os.geteuid() == 0:
        return None
    try:
        folder_st = os.stat(folder)
        if not folder_st.st_mode & stat.S_ISVTX or folder_st.st_uid == os.geteuid():
            return None
        file_st = os.lstat(path)
    except OSError:
        return None
    if file_st.st_uid == os.geteuid():
        return None
    name, owner = printable_path(os.path.basename(path)), user_name(file_st.st_uid)
    return (f"is sticky (mode {stat.S_IMODE(folder_st.st_mode):04o}: only the owner of a file in it, or of the "
            f"folder, may take the file out), and {name} is {owner}'s")


def skip_reason(path: str, words: str) -> str:
    """A plan's reason for leaving ``path`` where it is: ``its folder FOLDER WORDS; left in place``."""
    return f"its folder {printable_path(os.path.dirname(path))} {words}; left in place"


def error(src: str, dst: str, words: str, cause: str | None = None) -> ActionError:
    """``SRC: cannot move to DST: [CAUSE: ]its folder FOLDER WORDS`` (``cause``: the system's words, when the
    move was tried and refused): a :class:`SourceFolderError` (the batch stops) when ``words`` are the folder's
    (:func:`folder_refusal`), a plain :class:`ActionError` (that photo fails) when they are the file's (sticky)."""
    folder = os.path.dirname(src)
    said = f"{cause}: " if cause else ""
    message = f"{printable_path(src)}: cannot move to {printable_path(dst)}: {said}its folder " \
              f"{printable_path(folder)} {words}"
    if words == folder_refusal(src):
        return SourceFolderError(message, folder, words)
    return ActionError(message)


def not_removed(src: str, dst: str, exc: OSError, left: str) -> ActionError:
    """The error of :func:`.moves.move_file` for a source copied and verified whose removal the system refused
    (``left``: what became of the copy; moved here from :mod:`.moves` on 2026-12-06, for room). A
    :class:`SourceFolderError`, which stops the batch, only when the refusal holds for every file of its folder: a
    read-only file system, or a folder that (looked at now) this user may not write. Otherwise it was the file's
    (an immutable file, a read-only attribute on a network share, another user's file in a sticky folder): that
    photo fails and the batch goes on (every photo failed after it, with "FOLDER refused", until 2026-12-05)."""
    folder = os.path.dirname(src)
    head = f"{printable_path(src)}: copied to {printable_path(dst)}, but cannot be removed"
    tail = f"{left}, the file stays where it was"
    words = folder_refusal(src)
    if exc.errno == errno.EROFS or (exc.errno in (errno.EACCES, errno.EPERM) and words):
        return SourceFolderError(f"{head} from its folder {printable_path(folder)}: {os_reason(exc)}; {tail}",
                                 folder, words or f"refused: {os_reason(exc)}")
    sticky = file_refusal(src) if exc.errno in (errno.EACCES, errno.EPERM) else None
    why = f" (its folder {printable_path(folder)} {sticky})" if sticky else ""
    return ActionError(f"{head}: {os_reason(exc)}{why}; {tail}")
