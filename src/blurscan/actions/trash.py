"""The desktop trash, per the freedesktop.org Trash specification 1.0.

https://specifications.freedesktop.org/trash-spec/1.0/ -- a trashed file lives in ``$trash/files/NAME`` with
``$trash/info/NAME.trashinfo`` saying where it came from (``Path=``, URL-escaped) and when (``DeletionDate=``).
``NAME`` is the file's own name, else ``BASE.N.EXT`` when that is taken, cut to fit when ``NAME.trashinfo``
would be too long a name (:func:`choose`).
The home trash is ``$XDG_DATA_HOME/Trash`` (default ``~/.local/share/Trash``); a file on another drive (another
device, not a btrfs subvolume of the file system mounted where the home trash is: :func:`_home_drive`) goes
to that drive's ``$topdir/.Trash/$uid``, ``$topdir`` its mount point (:func:`_mount_point`), when
``$topdir/.Trash`` is a sticky, non-link folder, or ``$topdir/.Trash-$uid``; when neither can be used it goes to the home trash as a verified copy. A drive's
trash folder is used only when it is a real folder owned by this user (not a link, nor a folder another user
made under this user's name in the world-writable ``.Trash``). Run as root, no ``.Trash-0`` is made in a
drive's top folder that has no write bit for anyone (:mod:`blurscan.permissions`): the home trash is used.

Why not ``send2trash`` for this: it does not say where it put a file (undo would have to search), it reads
``XDG_DATA_HOME`` once at import, and it moves across devices with an unverified ``shutil.move``. Here the
destination is chosen, written to the journal, and only then is the file moved -- with the same no-clobber,
verified primitive as ``blurscan move`` -- so ``blurscan undo`` restores trashed files exactly.
Desktop file managers see these entries like any other trashed file (and can restore them too).
"""
from __future__ import annotations

import contextlib
import datetime
import errno
import os
import stat
import sys
from urllib.parse import quote, unquote_to_bytes

from ..errors import ActionError, os_reason, printable_path
from ..name_room import cut_to_bytes, name_bytes, name_max
from ..permissions import owned_like_folder, read_only_for_root, why_not_writable
from ..xdg import data_home, make_private, missing_home
from . import mount_points
from .destinations import device_of, nearest
from .folder_path import missing_folders, not_a_folder


def home_trash() -> str:
    """``$XDG_DATA_HOME/Trash`` (read at each call, so tests can point it elsewhere; a relative value is ignored,
    :mod:`blurscan.xdg`)."""
    return os.path.join(data_home(), "Trash")


def _mount_point(path: str) -> str:
    """The top folder of the file system holding ``path`` (links followed), as the trash specification means it:
    the deepest mount point at or above it in the mount table (:func:`.drives.mounts`); ``os.path.ismount`` where
    there is none. Not ``os.path.ismount`` alone: a btrfs subvolume's folder has a device number of its own, which
    ``ismount`` takes for a mount point (until 2026-12-07 a photo in ``~/Pictures/2024``, a subvolume, went to
    ``~/Pictures/2024/.Trash-UID``, a trash no desktop looks in: the desktops find a drive by its mount)."""
    real = os.path.realpath(path)
    try:
        points = mount_points.current()  # (read again only when a mount changed: asked a photo, :mod:`.mount_points`)
    except (OSError, ValueError):
        return nearest(real, os.path.ismount)
    return nearest(real, points.__contains__)


def _home_drive(dev: int, folder: str, home: str) -> bool:
    """Whether a file of ``folder``, on device ``dev``, goes to the home trash ``home``: on its device, or on
    the file system mounted where the home trash is, in a btrfs subvolume of it (a device number of its own; the
    kernel renames nothing across subvolumes, so the file goes there as a verified copy)."""
    return dev == device_of(home) or _mount_point(folder) == _mount_point(home)


def trash_dir_for(src: str) -> tuple[str, str | None]:
    """(trash folder, its top folder or None for the home trash) where ``src`` should go."""
    if sys.platform in ("darwin", "win32"):
        raise ActionError(f"{printable_path(src)}: the trash is supported on freedesktop.org desktops (Linux, BSD) "
                          "only so far; use `blurscan move` instead")
    home = home_trash()
    src_dev = os.lstat(src).st_dev
    if _home_drive(src_dev, os.path.dirname(src), home):
        return home, None
    top = _mount_point(os.path.dirname(src))
    uid = str(os.getuid())
    shared = os.path.join(top, ".Trash")
    try:
        st = os.lstat(shared)
        if stat.S_ISDIR(st.st_mode) and st.st_mode & stat.S_ISVTX:
            own = os.path.join(shared, uid)
            os.makedirs(own, mode=0o700, exist_ok=True)
            if _own_folder(own, src_dev):
                return own, top
    except OSError:
        pass
    own = os.path.join(top, ".Trash-" + uid)
    if not os.path.lexists(own) and read_only_for_root(top):  # root: the drive's top says no one writes it
        return home, None
    try:
        os.makedirs(own, mode=0o700, exist_ok=True)
        if _own_folder(own, src_dev):
            return own, top
    except OSError:
        pass
    return home, None


def unusable(src: str, seen: dict) -> str | None:
    """Why no trash folder can take ``src``, found without making anything (for a plan, so that the dry run says
    it and ``--yes`` tries nothing): its drive's trash cannot be used and the home trash cannot be made or written
    (``cannot make the trash folder /nonexistent/.local/share/Trash: / is not writable by this user: ...``);
    None when one can, or when it cannot be told (a file in the way is named by the command's warning and by the
    failure). ``seen``: the answers for folders and trashes looked at already (filled in)."""
    home = home_trash()
    try:
        st = os.lstat(src)
        if st.st_dev != device_of(home):
            folder = os.path.dirname(src)
            if folder not in seen:  # (False also for a btrfs subvolume of the home trash's: copied there)
                seen[folder] = not _home_drive(st.st_dev, folder, home) and _drive_trash_usable(folder, st.st_dev)
            if seen[folder]:
                return None
    except OSError:
        return None
    if home not in seen:
        seen[home] = _refusal(home)
    return seen[home]


def _drive_trash_usable(folder: str, dev: int) -> bool:
    """Whether a file of ``folder`` (on device ``dev``, another drive than the home trash) goes to its drive's
    trash, as :func:`trash_dir_for` will choose it: a trash folder of this user's own there, or one it may make.
    A folder under this user's name that is not theirs (another user's, root's ``0777`` ``.Trash-UID``) or is a
    link is passed over by :func:`trash_dir_for`, for the home trash; until 2026-12-06 the plan counted it as
    usable, and the dry run did not say that the home trash could not be made (``HOME=`` as root: ``--yes`` then
    trashed the photos to ``/.local/share/Trash``) nor leave a photo whose file cannot be read to be copied there."""
    top = _mount_point(folder)
    uid = str(os.getuid())
    shared = os.path.join(top, ".Trash")
    in_shared, own = os.path.join(shared, uid), os.path.join(top, ".Trash-" + uid)
    sticky = _sticky_folder(shared)
    for mine in ((in_shared,) if sticky else ()) + (own,):
        if _own_folder(mine, dev) and why_not_writable(mine) is None:
            return True
    if sticky and not os.path.lexists(in_shared) and why_not_writable(shared) is None:
        return True
    return not os.path.lexists(own) and not read_only_for_root(top) and why_not_writable(top) is None


def _sticky_folder(path: str) -> bool:
    """Whether ``path`` is a sticky folder, not a link (a drive's shared ``.Trash``, as the trash spec asks)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and bool(st.st_mode & stat.S_ISVTX)


def _refusal(trash: str) -> str | None:
    """Why the trash folder ``trash`` (its ``files`` and ``info``) cannot be made or written, naming the folder
    that refuses, or the file in the way (``XDG_DATA_HOME=/some/file``: until 2026-12-06 the dry run said "4 photos
    would go" with a warning, and ``--yes`` failed each photo in turn and recorded an empty batch); None when it
    can."""
    home = missing_home(trash, "XDG_DATA_HOME")
    if home is not None:
        return f"cannot make the trash folder {printable_path(trash)}: {home}"
    for folder in (os.path.join(trash, "files"), os.path.join(trash, "info")):
        if in_the_way := not_a_folder(folder):
            named = " (XDG_DATA_HOME)" if os.path.isabs(os.environ.get("XDG_DATA_HOME", "")) \
                and not os.path.isdir(data_home()) else ""
            return f"cannot make the trash folder {printable_path(trash)}: {in_the_way}{named}"
    for folder in (os.path.join(trash, "files"), os.path.join(trash, "info")):
        near = nearest(folder, os.path.exists)
        if not os.path.isdir(near):
            return None
        words = why_not_writable(near)
        if words:
            if near == folder:
                return f"the trash folder {printable_path(folder)} {words}"
            return f"cannot make the trash folder {printable_path(trash)}: {printable_path(near)} {words}"
    return None


def _own_folder(path: str, dev: int) -> bool:
    """Whether ``path`` is a real folder (not a link) on device ``dev`` owned by this user, with ``files`` and
    ``info`` in it (if there) the same. Anyone can write in a drive's sticky ``.Trash`` (and in the top folder of
    many shared drives): a link or a folder another user put there under this user's name would take the
    photos into a folder that user controls (to read or delete them)."""
    uid = os.getuid()
    for folder in (path, os.path.join(path, "files"), os.path.join(path, "info")):
        try:
            st = os.lstat(folder)
        except FileNotFoundError:
            if folder == path:
                return False
            continue
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != uid or st.st_dev != dev:
            return False
    return True


def info_path_for(dst: str) -> str:
    """``$trash/info/NAME.trashinfo`` for ``$trash/files/NAME``."""
    files_dir, name = os.path.split(dst)
    return os.path.join(os.path.dirname(files_dir), "info", name + ".trashinfo")


def choose(src: str, *, now: datetime.datetime | None = None) -> tuple[str, str, str]:
    """Choose a free name in the trash for ``src``.

    Returns
    -------
    (destination in ``files/``, its ``.trashinfo`` path, the ``.trashinfo`` text)
    """
    from . import moves
    from .move_outcome import FolderError

    trash, top = trash_dir_for(src)
    files_dir, info_dir = os.path.join(trash, "files"), os.path.join(trash, "info")
    made = missing_folders(files_dir) + missing_folders(info_dir)
    try:
        make_private(files_dir)
        make_private(info_dir)
    except OSError as exc:  # a file in the way is named ("not a directory" said nothing of it)
        raise FolderError(trash, not_a_folder(files_dir) or not_a_folder(info_dir) or os_reason(exc),
                          "trash folder") from exc
    moves.fsync_made(made)  # (a power cut kept a photo renamed into a new trash folder, and lost the folder)
    shown = os.path.relpath(src, top) if top else os.path.abspath(src)
    when = (now or datetime.datetime.now()).strftime("%Y-%m-%dT%H:%M:%S")
    text = f"[Trash Info]\nPath={quote(os.fsencode(shown), safe='/')}\nDeletionDate={when}\n"
    base, ext = os.path.splitext(os.path.basename(src))
    room = min(name_max(files_dir), name_max(info_dir) - len(".trashinfo"))
    for counter in range(100000):
        name = _entry_name(base, ext, counter, room)
        dst = os.path.join(files_dir, name)
        info = os.path.join(info_dir, name + ".trashinfo")
        if not os.path.lexists(dst) and not os.path.lexists(info):
            return dst, info, text
    raise ActionError(f"{printable_path(src)}: no free name in the trash {printable_path(trash)}")


def _entry_name(base: str, ext: str, counter: int, room: int) -> str:
    """The name in the trash for a file named ``base + ext``: that name (``counter`` 0), else ``base.N.ext``, with
    ``base`` cut to ``room`` bytes when longer (its info file's name is 10 bytes longer, ``.trashinfo``: a photo
    whose name fitted in its folder could not be trashed, until 2026-12-05). The spec lets a trashed file have
    any name, its original one is in the entry's ``Path=``; a name cut from a long one keeps its suffix."""
    tail = (f".{counter}" if counter else "") + ext
    if name_bytes(base + tail) <= room:
        return base + tail
    if name_bytes(tail) > room // 2:  # a "suffix" as long as a name (``a.<240 bytes>``): cut the whole name
        base, tail = base + ext, f".{counter}" if counter else ""
    return cut_to_bytes(base, room - name_bytes(tail)) + tail


def write_info(info: str, text: str) -> None:
    """Create the ``.trashinfo`` file (``O_EXCL``: ``FileExistsError`` when the name was taken meanwhile), on disk
    (its bytes, and its name in ``info/``, fsynced) before the file goes to ``files/``, as the specification asks:
    a power cut could keep the trashed photo without its entry (its name in ``info/`` never fsynced, until
    2026-12-06), which the desktop's trash then neither lists nor restores."""
    from . import moves

    try:
        fd = os.open(info, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise
    except OSError as exc:
        raise ActionError(f"{printable_path(info)}: cannot write the trash entry: "
                          f"{os_reason(exc)}") from exc
    owned_like_folder(info, fd=fd)  # (as root in another user's trash: sudo keeping HOME. Root's 0600 entry hid where
    # the photo came from from their desktop, which could then not restore it: until 2026-12-06)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        moves._fsync_dir(os.path.dirname(info))
    except OSError as exc:  # a full disk: said as any other failure, and no half-written entry left behind
        with contextlib.suppress(OSError):  # (it was a traceback, and an empty .trashinfo stayed in the trash)
            os.unlink(info)
        raise ActionError(f"{printable_path(info)}: cannot write the trash entry: {os_reason(exc)}") from exc


def original_path(info: str) -> str | None:
    """The absolute original path recorded in a ``.trashinfo`` file, or None when unreadable."""
    try:
        with open(info, encoding="ascii", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith("Path="):
            path = os.fsdecode(unquote_to_bytes(line[5:]))
            if not os.path.isabs(path):  # relative to the top folder of the trash (.../.Trash-uid/info/x)
                trash = os.path.dirname(os.path.dirname(info))
                top = os.path.dirname(trash)
                if os.path.basename(top) == ".Trash":  # $topdir/.Trash/$uid
                    top = os.path.dirname(top)
                path = os.path.join(top, path)
            return path
    return None


def remove_info(info: str) -> None:
    """Remove a trash entry. An unlink interrupted (EINTR: a signal, a network or FUSE file system) is tried again,
    as the renames are (:func:`blurscan.actions.moves._rename_noreplace`): Python does not retry ``os.unlink``
    (PEP 475 leaves it out), and an undo failed the photo it had restored ("cannot remove the trash entry:
    interrupted system call", exit 1, the entry left in the trash) until 2026-12-06."""
    while True:
        try:
            os.unlink(info)
            return
        except InterruptedError:
            continue
        except FileNotFoundError:
            return
        except OSError as exc:
            if exc.errno != errno.ENOENT:
                raise ActionError(f"{printable_path(info)}: cannot remove the trash entry: "
                                  f"{os_reason(exc)}") from exc
            return
