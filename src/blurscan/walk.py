"""Find the image files under one or more paths.

The walk is the first stage of a scan: it turns the paths a person names into :class:`~blurscan.records.ImageRef`
(absolute path, size, modification time: the file's identity for the cache; and the status-change time, see
:mod:`blurscan.replaced`), using only ``os.scandir`` and the
``stat`` the directory listing already carries, so that re-scanning an unchanged library is fast.

Rules
-----
* A path named explicitly is taken: a file whatever its suffix (decoding then says whether it is an image; a
  RAW beside its image stands for their pair, see below), a folder is walked recursively, a symbolic link is
  followed. But a named file that is known not to be a photo is passed over and counted as in a folder (below):
  one with a suffix of :data:`~blurscan.config.NON_PHOTO_SUFFIXES` (a video, an ``.AAE``, a ``.json``,
  ``Thumbs.db`` ...: ``blurscan scan DIR/*`` names them with the photos, and each was an error record until
  2026-12-05) whose first bytes are no picture's (one small read: a JPEG saved as ``photo.json`` is read), or
  whatever they are, a sync tool's or a browser's unfinished download (:data:`~blurscan.config.UNFINISHED_SUFFIXES`:
  ``IMG_1.jpg.1a2b3c4d.partial``, ``IMG_1.jpg.!sync``, ``~syncthing~IMG_1.jpg.tmp``, whose first bytes are a photo's:
  each was stored as a ``truncated JPEG`` until 2026-12-06), and
  a macOS AppleDouble file (below); so is the database in use (not counted); a scan forgets their records. A
  named path that is no regular file and whose name has neither an image's nor a RAW's suffix (a FIFO, a socket, a
  device file; a symbolic link whose target is not there, or a link loop) is counted as a folder walk counts it (by
  its suffix; under :data:`BROKEN_LINK`): until 2026-12-07 each was an error record.
* Inside folders only files with an image suffix (:data:`~blurscan.config.IMAGE_SUFFIXES`) are taken, and
  camera RAW files (:data:`~blurscan.config.RAW_SUFFIXES`) that have no such image with their stem beside
  them: a RAW + JPEG pair (what most cameras can save; a Pixel's ``X.RAW-01.COVER.jpg`` and
  ``X.RAW-02.ORIGINAL.dng`` too, :mod:`blurscan.pair_names`) is one photo, yielded as the JPEG's ``ImageRef``
  with the RAW in its ``raw_twin`` (:mod:`blurscan.pairs` says which of the two is judged; the RAW moves
  with it); a RAW alone is judged itself (:mod:`blurscan.raw`). An image named explicitly gets its
  ``raw_twin`` too (one listing of its folder per walk), and a RAW file named explicitly that has such an
  image beside it stands for that pair: the image's ``ImageRef`` is yielded in its place (once), so
  ``blurscan scan DIR/*`` gives the pair one record, as ``blurscan scan DIR`` does.
* Hidden entries (name starting with ``"."``) and system folders (:data:`~blurscan.config.SKIPPED_DIRS`, such
  as ``@eaDir``, ``.thumbnails``, ``.git``) are skipped unless ``include_hidden``; the review page's thumbnail
  cache (``.blurscan-thumbs``) always, and macOS's AppleDouble files (:mod:`blurscan.appledouble`): a ``._`` file
  with a photo's suffix and the AppleDouble magic number, and a zip's ``__MACOSX`` folder (named or met). Named
  explicitly (``DIR/*``, a ``find`` list), a system folder is passed over too (until 2026-12-05 a NAS's thumbnails
  were stored as photos), and so is a file such a walk would not meet (:mod:`blurscan.hidden_named`). With
  ``include_hidden``, AppleDouble files are counted in ``passed_over`` under ``"AppleDouble"``. A photo
  application's caches (Lightroom's previews) and the libraries it manages (an Apple Photos library) are passed
  over whatever ``include_hidden`` says, a library's originals taken when it is named: :mod:`blurscan.managed`.
* Symbolic links to folders are not followed unless ``follow_symlinks``; when they are, every folder is
  visited at most once (by device and inode), so a link loop never loops, and folders reached through a
  link are walked after all the others, so a folder reached both ways is reported under its own path.
  Symbolic links to files are taken; a broken or looping link becomes an error record (inside a folder or
  named, one with a photo's suffix: the others are counted under :data:`BROKEN_LINK`, below).
* Every file is reported at most once, even when paths overlap (``~/Pictures`` and ``~/Pictures/2024``), and even
  when one file is reached under several names: a symbolic link to a file that the walk also finds
  (``favourites/best.jpg -> ../2024/IMG_1.jpg``), two links to one file, hard links (one file, one inode, several
  names), told apart by device and inode (the walk's ``stat``); the name kept is the file's own, else the first met.
  So a photo is scored once, and ``bursts`` never offers the file for removal as a "duplicate" of its link (which
  ``move`` would leave dangling). A link to a file the walk does not otherwise find (outside the walked
  folders, or in a hidden one) is that file's only name here, and is taken.
* Problems (a missing path, an unlisted folder, a broken link) are yielded as error records; the walk goes on.
* The other files of the walked folders (a phone's ``.MOV`` and ``.AAE``, a ``.txt``) are counted by suffix when
  ``passed_over`` is given, so the scan can say where they went. Counted from the directory entries already listed
  (no ``stat``): hidden files (the ``.blurscan.db`` among them) and files of skipped folders are not counted, nor
  the ``database`` in use (``--db lib/card.db``), its SQLite files (``-wal``, ``-shm``, ``-journal``) and actions
  lock (``.actions.lock``), nor a link to one: blurscan's own; nor is its ``.tag-backups`` folder walked. A
  symbolic link among them whose target is not there (a folder on a drive not mounted) is
  no file: counted under :data:`BROKEN_LINK`, not by its suffix (one ``stat`` a link passed over). A named file passed over as not a photo (above) is counted, once even when walked too.
"""
from __future__ import annotations

import errno
import logging
import os
import stat as stat_module
from collections.abc import Iterable, Iterator

from . import managed
from .appledouble import APPLEDOUBLE, MACOSX_DIR, count_macosx, is_appledouble
from .config import (IMAGE_SUFFIXES, NON_PHOTO_SUFFIXES, RAW_SUFFIXES, SKIPPED_DIRS, THUMBS_DIR_NAME,
                     UNFINISHED_SUFFIXES)
from .errors import path_reason as _reason
from .fileread import holds_image
from .hidden_named import passed_over_when_named
from .same_file import one_name_per_file  # noqa: F401 (its home was here: blurscan.walk.one_name_per_file)
from .pair_names import pair_key
from .path_walk import reach
from .records import ImageRef, ScanRecord
from .filetime import mtime_of
from .walk_state import WalkCut, WalkState, database_files  # noqa: F401 (WalkCut: raised here)
from .twins import by_stem, raw_twins, sorted_listing
from .twins import raw_twin  # noqa: F401 (its home was here: blurscan.walk.raw_twin)

log = logging.getLogger(__name__)

#: The key under which ``passed_over`` counts the symbolic links among the other files of the walked folders
#: whose target is not there (a folder on a drive not mounted, renamed, deleted): no files, whatever their name.
BROKEN_LINK = "broken link"

#: The start of the error of a folder the walk could not list: what was stored under it is not known to be gone
#: (:func:`blurscan.pruning.prune` keeps it).
UNLISTED = "cannot list folder: "


def walk(
    paths: Iterable[str | os.PathLike],
    *,
    follow_symlinks: bool = False,
    include_hidden: bool = False,
    suffixes: frozenset[str] = IMAGE_SUFFIXES,
    raw_suffixes: frozenset[str] = RAW_SUFFIXES,
    skipped_dirs: frozenset[str] = SKIPPED_DIRS,
    passed_over: dict[str, int] | None = None,
    database: str | os.PathLike | None = None,
    non_photo_suffixes: frozenset[str] = NON_PHOTO_SUFFIXES,
    most_entries: int | None = None,
    empty_folders: list[str] | None = None,
) -> Iterator[ImageRef | ScanRecord]:
    """Yield an :class:`ImageRef` per image file under ``paths`` and an error record per problem.

    Parameters
    ----------
    paths : iterable of str or os.PathLike
        Files and folders (``bytes`` paths are accepted; ``~`` is expanded).
    follow_symlinks : bool
        Descend into symbolic links to folders (each folder still visited once).
    include_hidden : bool
        Also take hidden entries and the system folders of ``skipped_dirs``.
    suffixes : frozenset of str
        Lower-case file name suffixes taken inside folders.
    raw_suffixes : frozenset of str
        Lower-case suffixes of camera RAW files, taken inside folders unless a file with one of ``suffixes``
        and the same stem (case-insensitive) is in the same folder.
    skipped_dirs : frozenset of str
        Folder names never descended into (unless ``include_hidden``).
    passed_over : dict, optional
        Filled with suffix (as written, ``""`` for none) -> number of the files inside the walked folders that
        are neither images nor camera RAW files, hidden files left out, and of the files named in ``paths`` passed
        over (``non_photo_suffixes``); ``.MOV``, ``.mov`` apart (the scan's closing line adds them up); "AppleDouble";
        :data:`BROKEN_LINK` (``"broken link"``), the symbolic links among those files whose target is not there;
        and the path of each managed library the walk passed over -> 1 (:mod:`blurscan.managed`); and the path of
        each symbolic link to a folder not followed (no ``follow_symlinks``), ending with ``os.sep``, -> 1, unless
        the walk visited its folder another way.
    database : str or os.PathLike, optional
        The database the scan writes: it, its SQLite files, its actions lock and a link to one are not counted in
        ``passed_over``, and passed over when named; files named below a hidden folder under its folder are passed
        over.
    non_photo_suffixes : frozenset of str
        Lower-case suffixes of the named files passed over (and counted) rather than read, unless they hold a picture.
    most_entries : int, optional
        The most directory entries the walk lists, in all its folders: past them it raises
        :class:`~blurscan.walk_state.WalkCut` (having listed one more at most), for a caller that asks only whether
        a walk finds something (``blurscan report PATH``'s note). No limit by default.
    empty_folders : list, optional
        Filled with each folder the walk listed that held nothing at all, not even a hidden file (the walk's
        name of it): what a drive or share not mounted leaves of its mount point inside a library
        (:func:`blurscan.pruning.prune` keeps the records under such a folder, unmodified since: until 2026-12-07
        ``scan ~/Pictures`` forgot every photo of ``~/Pictures/phone``, a drive not mounted).

    Yields
    ------
    ImageRef or ScanRecord
        Folders are listed in name order, files before sub-folders; then the folders reached through a
        symbolic link (with ``follow_symlinks``); then the symbolic links to files, those whose file was not
        found under another name.
    """
    state = WalkState()
    state.entries_left = most_entries
    state.empty_folders = empty_folders
    if database is not None:
        state.own_files = database_files(database)
        state.own_real = frozenset(os.path.join(folder, name) for name, folders in state.own_files.items()
                                   for folder in folders)
        state.library = os.path.dirname(os.path.realpath(os.path.abspath(os.fsdecode(database))))
    seen_files = state.seen_files
    pairs: dict[str, tuple] = {}  # folder -> (RAW twins, images) by stem, for explicitly named files
    for raw in paths:
        given = os.path.expanduser(os.fsdecode(raw))
        path = canonical(raw)  # (the same name: a NamedPath's worked out once, the command's or the scan's)
        try:
            if named_as_folder(given) and os.path.lexists(path) and not os.path.isdir(given) \
                    and not link_to_nothing(path):  # `photo.jpg/`, `photo.jpg/.`
                # (abspath drops the slash and the dot; a name not there at all is "no such file or directory",
                # below: until 2026-12-05 it was "not a folder" too, and twice with `scan lib/d lib/d/`. Until
                # 2026-12-07 `photo.jpg/.` was scanned as the photo, and `lib/trip/` of a link whose target is not
                # there was "not a folder", though `lib/trip` was counted, below, with its note)
                yield ScanRecord.from_error(path + os.sep, "not a folder")  # (named as given: not the file's record)
                continue
            st = os.lstat(path)
            is_link = stat_module.S_ISLNK(st.st_mode)
            if is_link:
                st = os.stat(path)
        except OSError as exc:
            if path not in seen_files:
                seen_files.add(path)
                if _no_photo_named(path, suffixes, raw_suffixes) and os.path.islink(path):
                    # a link whose target is not there, a link loop (`lib/*` names lib/trip -> a drive not
                    # mounted): counted as in a folder walk; until 2026-12-07 an error record `broken symbolic link`
                    folder, name = os.path.split(path)
                    state.named_over(path, folder, BROKEN_LINK, passed_over, not name.startswith("."))
                else:
                    yield ScanRecord.from_error(path, shut_before_dotdot(path, exc) or _reason(exc, path))
            continue
        if stat_module.S_ISDIR(st.st_mode):
            base = os.path.basename(path)
            if base == MACOSX_DIR:  # (`DIR/*` names a zip's __MACOSX with its photos)
                if include_hidden:  # (without it, a system folder is passed over without a word)
                    count_macosx(path, state.seen_dirs, passed_over, (suffixes, raw_suffixes))
                continue
            if not include_hidden and base in skipped_dirs or managed.passed_over_when_named(path, True) or \
                    state.own_file(os.path.dirname(path), base):  # (the database's tag backups: `lib/*`)
                continue  # (as in a folder walk: a NAS's thumbnails, a recycle bin, Lightroom's previews)
            yield from _walk_dir(path, st, state, follow_symlinks, include_hidden, suffixes, raw_suffixes,
                                 skipped_dirs, passed_over)
        elif path not in seen_files:
            seen_files.add(path)
            if stat_module.S_ISREG(st.st_mode):
                folder, name = os.path.split(path)
                stem, written = os.path.splitext(name)
                stem, suffix = pair_key(stem), written.lower()
                if state.own_file(folder, name, is_link):  # `scan lib/* --db lib/card.db`: blurscan's, not a photo
                    continue
                if suffix in non_photo_suffixes and (suffix in UNFINISHED_SUFFIXES or not holds_image(path)):
                    # a video, a sidecar ... (`DIR/*`); a sync tool's unfinished download, whatever its first bytes
                    state.named_over(path, folder, written, passed_over, not name.startswith("."))
                    continue
                if name.startswith("._") and (suffix in suffixes or suffix in raw_suffixes) and is_appledouble(path):
                    state.named_over(path, folder, APPLEDOUBLE, passed_over, include_hidden)
                    continue
                if passed_over_when_named(path, state.library, include_hidden, skipped_dirs) \
                        or managed.passed_over_when_named(path):  # (an app's cache, a Photos library's thumbnails)
                    continue  # (hidden, or in a hidden folder: `find lib -type f` lists them)
                if suffix not in suffixes and suffix not in raw_suffixes:
                    ref = ImageRef(path, st.st_size, mtime_of(st), None, st.st_ctime_ns)
                    if state.take(ref, st, is_link):
                        yield ref
                    continue
                if folder not in pairs:
                    entries = sorted_listing(folder)
                    pairs[folder] = (raw_twins(entries, raw_suffixes), by_stem(entries, suffixes))
                raws, images = pairs[folder]
                if stem in images and suffix not in suffixes:
                    # a RAW named beside its camera JPEG (`DIR/*`): the pair is the JPEG's
                    yield from _pair_images(images[stem], raws.get(stem), state)
                    continue
                ref = ImageRef(path, st.st_size, mtime_of(st), raws.get(stem) if suffix in suffixes else None,
                               st.st_ctime_ns)
                if state.take(ref, st, is_link):
                    yield ref
            elif _no_photo_named(path, suffixes, raw_suffixes):
                # a FIFO, a socket, a device file (`lib/*` names them): counted by its suffix as in a folder walk;
                # until 2026-12-07 an error record `not a regular file` (one with a photo's suffix still is)
                folder, name = os.path.split(path)
                state.named_over(path, folder, os.path.splitext(name)[1], passed_over, not name.startswith("."))
            else:
                yield ScanRecord.from_error(path, "not a regular file")
    while state.linked_dirs:  # folders reached through a link, after every folder reached directly
        path, st = state.linked_dirs.popleft()
        yield from _walk_dir(path, st, state, follow_symlinks, include_hidden, suffixes, raw_suffixes,
                             skipped_dirs, passed_over)
    for path, key in state.unfollowed_links:  # (a folder the walk met another way is scanned: not said)
        if key not in state.seen_dirs and passed_over is not None:
            passed_over[path + os.sep] = 1
    yield from state.links_left()


def _no_photo_named(path: str, suffixes: frozenset[str], raw_suffixes: frozenset[str]) -> bool:
    """Whether the name of ``path`` (named explicitly, no regular file: a broken link, a FIFO ...) has neither an
    image's nor a RAW's suffix: a folder walk counts such an entry among the files passed over, and so does a
    walk that is given it."""
    suffix = os.path.splitext(os.path.basename(path))[1].lower()
    return suffix not in suffixes and suffix not in raw_suffixes


def named_as_folder(given: str) -> bool:
    """Whether the path ``given`` (as typed) names a folder by its form: a trailing slash (Tab completion adds
    one to a folder's name, and to a link to a folder) or a last ``.`` (``lib/.``), which the system reads only
    through a folder and :func:`canonical` drops."""
    return given.endswith(os.sep) or os.path.basename(given) == os.curdir


def link_to_nothing(path: str) -> bool:
    """Whether ``path`` (absolute, without a trailing slash: :func:`canonical`'s) is a symbolic link whose target
    is not there (a drive not mounted, a folder renamed) or a link loop."""
    return os.path.islink(path) and not os.path.exists(path)


class NamedPath(str):
    """A path as a command was given it (the text of a PATH or of a ``--files-from`` entry: a ``str`` equal to it,
    usable wherever it is) that works out its :func:`canonical` name once, the first time it is asked for, and gives
    that answer after. A scan asks for each named path's canonical name at every step (where its database goes,
    whether the path is in a folder linked into a library, the walk, the folders it records, the pruning, the notes,
    ``--model none``'s count): a rescan of a ``--files-from`` list of 5,000 unchanged photos resolved each path
    seven times (a ``realpath`` of its folder, a ``stat``), and took twice the CPU of a walk of the same library,
    until 2026-12-07. The answer is what the file system said at that first time: made for one command's run (one
    :func:`blurscan.scan`), never kept past it. Made by :func:`named_path`."""

    _real: str | None = None
    _folders: dict[str, str] | None = None


def named_path(path, folders: dict[str, str] | None = None) -> NamedPath:
    """``path`` (a ``str``, ``bytes`` or ``os.PathLike``; a :class:`NamedPath` comes back as it is) as a
    :class:`NamedPath`: its text (:func:`os.fsdecode`; a ``~`` is expanded by :func:`canonical`, as for any path).
    ``folders``: a dict shared by the paths of one run, in which the folder of a path that is no folder is resolved
    once for all the paths in it (a list of 5,000 photos in 20 folders: 20 ``realpath`` calls, not 5,000)."""
    if isinstance(path, NamedPath):
        return path
    given = NamedPath(os.fsdecode(path))
    given._folders = folders
    return given


def canonical(path) -> str:
    """The absolute path with the symbolic links among its folders resolved, the last name kept when it is not
    a folder (a link to a file stays a name of its own): a library reached through a link
    (``~/Pictures -> /data/photos``) is stored, found and selected under one name, whichever way it is given.
    Scanning it once through the link stored every photo a second time, and a photo kept under one name was
    still flagged under the other. A :class:`NamedPath`'s is worked out once, at the first call."""
    if isinstance(path, NamedPath):
        if path._real is None:
            path._real = _canonical(str(path), path._folders)
        return path._real
    return _canonical(path)


def shut_before_dotdot(path: str, exc: OSError) -> str | None:
    """Why the system takes no ``..`` of ``path`` (as :func:`canonical` leaves it: as given), when that is a folder
    this user may not enter: ``cannot be reached: /srv/hop leads into /srv/locked, which this user may not enter``
    (:func:`~blurscan.path_walk.reach`); ``exc``: the error of looking at ``path``. None for another failure (a
    name not there: said as before). Until 2026-12-07 `permission denied`, the record stored in the database of
    the folder the ``..`` reads by text; the commands that find a database from PATH say it too
    (:func:`blurscan.cli.locate.unreachable`)."""
    if exc.errno not in (errno.EACCES, errno.EPERM) or os.pardir not in path.split(os.sep):
        return None
    why = reach(path if os.path.basename(path) == os.pardir else os.path.dirname(path), to_make=False).why
    return f"cannot be reached: {why}" if why else None


def _canonical(path, folders: dict[str, str] | None = None) -> str:
    """:func:`canonical`, worked out; ``folders``: the folders resolved so far (:func:`named_path`), filled in."""
    raw = os.path.expanduser(os.fsdecode(path))
    p = os.path.abspath(raw)
    if os.pardir in raw.split(os.sep):
        # ".." as the system reads it: lib/trip/../other, trip a link, is the sibling of trip's target (abspath
        # drops the ".." by text and gave lib/other, whose photos a move then took; until 2026-12-04)
        p = raw if os.path.isabs(raw) else os.path.join(os.getcwd(), raw)
        if os.path.isdir(p):
            return os.path.realpath(p)
        while p != os.path.dirname(p) and (p.endswith(os.sep) or os.path.basename(p) == os.curdir):
            p = os.path.dirname(p)  # (`lib/trip/../x.jpg/`, `/.`: the file's name, as abspath gives it below;
            # until 2026-12-07 the name ended in the slash, a name not there: move said "no such file or directory")
        if reach(p if os.path.basename(p) == os.pardir else os.path.dirname(p), to_make=False).why is not None:
            # a name not there, a link that leads nowhere or to a file, before the "..": the system reaches nothing
            # (`ls typo/../lib`: "no such file or directory"), so the path stays as given, which the command then
            # finds not there; realpath read past it, and until 2026-12-07 `scan typo/../lib` scanned lib and
            # `scan old/../trip`, old a link to a folder since removed, the folder beside where old led
            return p
    if os.path.isdir(p):
        return os.path.realpath(p)
    head, name = os.path.split(p)
    real = folders.get(head) if folders is not None else None
    if real is None:
        real = os.path.realpath(head)
        if folders is not None:
            folders[head] = real
    return os.path.join(real, name)


def _pair_images(images: list[os.DirEntry], twin: str | None, state: WalkState):
    """The records of the images a RAW named explicitly belongs to (each once per walk), as a folder walk gives
    them: with their RAW twin."""
    for entry in images:
        if entry.path in state.seen_files:
            continue
        state.seen_files.add(entry.path)
        try:
            fst = entry.stat(follow_symlinks=True)
            is_link = entry.is_symlink()
        except OSError as exc:
            yield ScanRecord.from_error(entry.path, _reason(exc, entry.path))
            continue
        ref = ImageRef(entry.path, fst.st_size, mtime_of(fst), twin, fst.st_ctime_ns)
        if state.take(ref, fst, is_link):
            yield ref


def _walk_dir(root, root_stat, state, follow_symlinks, include_hidden, suffixes, raw_suffixes, skipped_dirs,
              passed_over=None):
    seen_files, seen_dirs = state.seen_files, state.seen_dirs
    stack = [(root, root_stat)]
    while stack:
        folder, st = stack.pop()
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            log.debug("%r: already visited, skipped", folder)
            continue
        seen_dirs.add(key)
        try:
            with os.scandir(folder) as it:
                entries = state.listing(it)  # (in name order; WalkCut past most_entries)
        except OSError as exc:
            if folder not in seen_files:
                seen_files.add(folder)
                yield ScanRecord.from_error(folder, UNLISTED + _reason(exc, folder))
            continue
        if not entries and state.empty_folders is not None:  # (a mount point, a drive not mounted? prune looks)
            state.empty_folders.append(folder)
        subdirs = []
        split = [os.path.splitext(e.name) for e in entries]  # (stem, suffix) of each name, once (it was 4 times)
        stems = {pair_key(stem) for stem, suffix in split if suffix.lower() in suffixes}
        twins = raw_twins(entries, raw_suffixes, split) if stems else {}
        for entry, (stem, written) in zip(entries, split):
            name = entry.name
            if not include_hidden and (name.startswith(".") or name in skipped_dirs) or name == THUMBS_DIR_NAME:
                continue  # (blurscan's own thumbnails are never photos of the library)
            if name == MACOSX_DIR:  # (include_hidden: a zip's AppleDouble files, never photos)
                if include_hidden:
                    count_macosx(entry.path, state.seen_dirs, passed_over, (suffixes, raw_suffixes))
                continue
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:  # vanished or unreadable entry: treat as a file, stat below reports it
                is_link, is_dir = True, False
            if is_dir:
                if managed.passed_over_in_walk(folder, name, passed_over):  # (an app's cache, a Photos library)
                    continue
                if state.own_file(folder, name):  # (the database's card.db.tag-backups: its .xmp counted until
                    continue                      # 2026-12-07)
                if is_link and not follow_symlinks:
                    log.debug("%r: symbolic link to a folder, not followed", entry.path)
                    if passed_over is not None:
                        state.unfollowed(entry)
                    continue
                try:
                    # a linked folder waits until the folders reached directly are walked (see walk)
                    found = (entry.path, entry.stat(follow_symlinks=True))
                    (state.linked_dirs if is_link else subdirs).append(found)
                except OSError as exc:
                    if entry.path not in seen_files:
                        seen_files.add(entry.path)
                        yield ScanRecord.from_error(entry.path, UNLISTED + _reason(exc, entry.path))
                continue
            suffix = written.lower()
            if suffix not in suffixes and (suffix not in raw_suffixes or pair_key(stem) in stems):
                if passed_over is not None and suffix not in raw_suffixes and name[0] != "." \
                        and not state.own_file(folder, name, is_link):  # (a RAW with its JPEG is a photo)
                    # a link whose target is not there (lib/trip -> a drive not mounted) is no file: until
                    # 2026-12-07 counted by its suffix, "1 without a suffix"
                    broken = is_link and not os.path.exists(entry.path)
                    state.count(entry.path, BROKEN_LINK if broken else written, passed_over)
                continue
            path = entry.path
            if name.startswith("._") and is_appledouble(path):  # (include_hidden: a Mac's ._IMG_0001.JPG)
                state.count(path, APPLEDOUBLE, passed_over)
                continue
            if path in seen_files:
                continue
            seen_files.add(path)
            try:
                fst = entry.stat(follow_symlinks=True)  # cached by scandir for plain files
            except OSError as exc:
                yield ScanRecord.from_error(path, _reason(exc, path))
                continue
            if stat_module.S_ISREG(fst.st_mode):
                ref = ImageRef(path, fst.st_size, mtime_of(fst),
                               twins.get(pair_key(stem)) if suffix in suffixes else None, fst.st_ctime_ns)
                if state.take(ref, fst, is_link):
                    yield ref
            else:
                yield ScanRecord.from_error(path, "not a regular file")
        # stack is LIFO: push in reverse so sub-folders come out in name order
        stack.extend(reversed(subdirs))

