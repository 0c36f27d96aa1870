"""Which database a command uses: the library's ``.blurscan.db`` (at the scanned root or its nearest parent
folder that has one), a new one, or a file in the cache folder when the library cannot be written. ``scan``
chooses with :func:`scan_db_location`; ``report``, ``review``, ``bursts`` and the actions find it again with
:func:`find_db`. The rules are described in ``docs/scan.md`` (Where results are kept)."""
from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

import click

from ..config import DEFAULT_DB_NAME
from ..errors import BlurscanError, StoreError, os_reason, other_form_note, printable_path, shell_path
from ..name_room import path_too_long
from ..permissions import may_exist, may_write, why_not_readable
from ..typed_commands import as_run
from .cache_db import _fallback_db, _make_cache_folder
from .network_share import on_share, say_kept_off_share, share_type


def default_db_path(paths) -> Path:
    """``.blurscan.db`` in the scanned root (the common folder of ``paths``; a file's folder). Worked out on the
    paths' text, each folder once (a ``Path`` made a photo of a ``--files-from`` list, until 2026-12-07)."""
    roots: dict[str, None] = {}
    for p in paths:
        p = os.path.abspath(p)
        roots[p if os.path.isdir(p) else os.path.dirname(p)] = None
    if not roots:
        raise StoreError("no path given to derive a database location from")
    return Path(os.path.commonpath(list(roots))) / DEFAULT_DB_NAME


def scan_db_location(paths) -> tuple[Path | None, Path | list[Path] | None]:
    """``(database, seed)``. The database: the library's ``.blurscan.db`` at the scanned root or its nearest
    parent folder that has one (a sub-folder of a scanned library shares its results), else a new one at the
    root, or the cache-folder fallback when the root is not writable (or was not when it was scanned before:
    that database holds its decisions and undo history). The seed (a new database at the root or
    the fallback, else None): the nearest existing ``.blurscan.db`` up the tree that could not be written but
    can be read, or for a new database at the root, those of earlier scans of its sub-folders (a list; for the
    library's database still, until a scan has gone through the library: :func:`_still_seeding`), whose records
    of unchanged files the scan reuses (:class:`~blurscan.seeded.SeededStore`)."""
    from ..walk import canonical

    # (a path left with its ``..``, which the system cannot take: from a folder this user may not enter, walk's
    # `cannot be reached`; until 2026-12-07 its error record went to the database of the folder the ``..`` read by
    # text, `scan hop/../lib` storing `hop/../lib: permission denied` in lib's database)
    existing = [c for c in (canonical(p) for p in paths if may_exist(p)) if os.pardir not in c.split(os.sep)]
    if not existing:
        return _of_missing(paths), None
    from .linked_folders import refuse_linked_folders

    refuse_linked_folders(paths)  # (a folder linked into a library: its database is the library's)
    path = default_db_path(existing)
    if path.parent == Path(path.anchor):  # unrelated folders (/tmp/a and /home/me/b): never a database in /
        fallback = _fallback_db(path.parent)
        _make_cache_folder(fallback, f"the scanned paths have no common folder but {printable_path(path.parent)}")
        click.echo(f"note: the scanned paths have no common folder but {printable_path(path.parent)}; keeping the "
                   f"database in {printable_path(fallback)} (choose with --db)", err=True)
        return fallback, None
    for folder in _up_from(path.parent):
        if os.path.isfile(folder / DEFAULT_DB_NAME) and _kept_here(folder / DEFAULT_DB_NAME):
            return folder / DEFAULT_DB_NAME, _still_seeding(folder / DEFAULT_DB_NAME)
    # a library database up the tree that cannot be written (nearest first): its results seed the new one
    seed = next((folder / DEFAULT_DB_NAME for folder in _up_from(path.parent)
                 if os.path.isfile(folder / DEFAULT_DB_NAME)), None)
    seed = seed if seed is not None and _readable(seed) else None
    shared = share_type(path)  # (a network share: the database kept in the cache folder, as for a read-only one)
    if _writable(path) and shared is None:  # a writable sub-folder of a read-only library (a share with a folder of one's own)
        earlier = _fallback_db(path.parent)
        if os.path.isfile(earlier):  # scanned while it could not be written (chmod u+w since): where find_db looks
            click.echo(f"note: keeping the database in {printable_path(earlier)}, which holds the scans of "
                       f"{printable_path(path.parent)} made while it could not be written, with their decisions "
                       "and undo history (choose with --db)", err=True)
            return earlier, seed
        if seed is not None:
            click.echo(f"note: {printable_path(seed)} is read-only: its results are reused for unchanged photos; "
                       f"keeping the database in {printable_path(path)} (choose with --db)", err=True)
        elif not os.path.exists(path):
            seed = _seed_from_nested(existing, path)
        return path, seed
    # the cache-folder database of the root or of its nearest parent that has one: a sub-folder of a read-only
    # library scanned before shares its results and decisions, as a writable library's sub-folder does
    fallback = next((fb for fb in map(_fallback_db, _up_from(path.parent)) if os.path.isfile(fb)),
                    _fallback_db(path.parent))
    _make_cache_folder(fallback, f"{on_share(path.parent, shared)}, so its database is kept there" if shared else
                       f"{printable_path(path.parent)} cannot be written, so its database is kept there")
    if shared is not None and (seed is None or share_type(seed) is not None):
        say_kept_off_share(path, seed, fallback, shared)
        return fallback, seed
    if seed is not None:
        click.echo(f"note: {printable_path(seed)} is read-only: its results are reused for unchanged photos; "
                   f"keeping the database in {printable_path(fallback)} (choose with --db)", err=True)
        return fallback, seed
    click.echo(f"note: cannot write {printable_path(path)}; keeping the database in {printable_path(fallback)} "
               "(choose with --db)", err=True)
    return fallback, None



def _of_missing(paths) -> Path | None:
    """The database of a scan whose every PATH is gone (``scan lib/x.jpg`` of a photo deleted since it was
    scanned): the library database a scan of their folders uses, when it exists and may be written, so that the
    scan forgets their records (:mod:`blurscan.pruning`) as a scan of those folders would. None when their folders
    are gone too, or no database is found there (a typo: no database is made for it). Until 2026-12-05 such a
    scan used no database, and the records stayed."""
    from ..walk import canonical

    folders = [os.path.dirname(canonical(p)) for p in paths]
    folders = [f for f in folders if os.path.isdir(f)]
    if not folders:
        return None
    found = find_db(os.path.commonpath(folders), quiet=True)
    return found if found is not None and _kept_here(found) else None


def _seed_from_nested(roots: list[str], path: Path) -> list[Path] | None:
    """A new library database whose folders hold the databases of earlier scans of sub-folders (``scan lib/2023``
    and ``scan lib/2024`` first, then ``scan lib``): the results of all of them seed the new one (nothing decoded
    twice; a photo in two of them, one database below the other, takes the first record found of its size, time
    and settings: either is its result), and a note says that their decisions and undo history stay where they
    are. Looks once, when the new database is made."""
    from ..config import SKIPPED_DIRS

    found: list[Path] = []
    for top in roots:
        if not os.path.isdir(top):
            continue
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
            candidate = Path(folder) / DEFAULT_DB_NAME
            if DEFAULT_DB_NAME in files and candidate != path and candidate not in found and _readable(candidate):
                found.append(candidate)
    if not found:
        return None
    if len(found) == 1:
        seed = found[0]
        click.echo(f"note: {printable_path(seed)} holds an earlier scan of {printable_path(seed.parent)}: its "
                   "results are reused for unchanged photos; its decisions and undo history stay in it (a photo kept "
                   "there is still never moved from here), and commands given a folder inside "
                   f"{printable_path(seed.parent)} still use it (or pass --db)", err=True)
        return found
    names = ", ".join(printable_path(db) for db in found[:5]) + (f" and {len(found) - 5} more" * (len(found) > 5))
    click.echo(f"note: {len(found)} earlier scans of sub-folders have databases of their own ({names}): their results "
               "are reused for unchanged photos; their decisions and undo history stay in them (a photo kept in one "
               "is still never moved from here), and commands given a folder inside one of those sub-folders still "
               "use its database (or pass --db)", err=True)
    return found


def no_database(root: str, named=None) -> StoreError:
    """The error of a command that finds no database for ``root``, with the scan that would make one; for
    ``named`` (the PATH given, which ``root`` is resolved from) in a folder linked into a library that does not
    hold it, the link, its target and the library's scan (:func:`~blurscan.cli.linked_folders.unfollowed_link`); for a
    ``root`` that does not exist, that (a scan of it would only fail; under a folder that looks like a drive not
    mounted, where the library's database holds photos under ``named``, that too); for a folder named ``.blurscan.db`` in
    ``root`` or a parent folder, that it is no database (the scan refuses it); for a folder where a scan finds nothing,
    that (the scan said "no image files found" and kept no database: running it again would change nothing)."""
    from ..dbfile import a_folder
    from .linked_folders import unfollowed_link
    from .scan_notes import NOTE_ENTRIES

    # (looked at as far as library_path looks: the scan's refusal alone walks a linked tree in full)
    linked = unfollowed_link(named, most_entries=NOTE_ENTRIES) if named is not None else None
    if linked is not None:
        return linked
    shut = unreachable(root)  # (move, trash and tag look for the database before must_exist)
    if shut is not None:
        return shut
    if not may_exist(root):  # (under a drive not mounted, where the database found from named holds photos: said)
        from .unmounted_path import held_unmounted

        return held_unmounted(StoreError(f"{printable_path(root)}: {_missing(root)}"), named, root, None)
    # a folder where the database should be (`mkdir lib/.blurscan.db`): what the scan it would advise says too
    in_the_way = next((f / DEFAULT_DB_NAME for f in _up_from(Path(root)) if os.path.isdir(f / DEFAULT_DB_NAME)), None)
    if in_the_way is not None:
        return a_folder(in_the_way)
    if _scan_finds_nothing(root):
        return StoreError(f"{printable_path(root)}: no image files found here (`blurscan scan` keeps no database "
                          "for a folder without photos)")
    return StoreError(f"{printable_path(root)}: no blurscan database found here or in a parent folder "
                      f"(run `{as_run('blurscan scan')} {shell_path(root)}` first, or pass --db)")


def _missing(path: str) -> str:
    """Why ``path`` cannot be found: ``no such file or directory`` (with :func:`~blurscan.errors.other_form_note`),
    or a path longer than the system takes said so (:func:`~blurscan.name_room.path_too_long`), as
    :func:`must_exist` says it (``move``, ``trash`` and ``tag`` said "no such file or directory" until 2026-12-06)."""
    try:
        os.lstat(path)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return path_too_long(os.path.abspath(path)) or os_reason(exc)
    except ValueError:  # (a NUL byte)
        pass
    return "no such file or directory" + other_form_note(path)


def _scan_finds_nothing(folder: str) -> bool:
    """Whether ``folder`` is a folder in which a scan (without options) finds neither an image file nor a
    problem to record (a sub-folder it cannot list): it then leaves no database behind. Stops at the first
    thing found, and past report's note's bound (:data:`~blurscan.cli.scan_notes.NOTE_ENTRIES` directory entries
    without one: False, not told; until 2026-12-07 a tree of 200,000 documents was walked in full first)."""
    from ..walk import walk
    from ..walk_state import WalkCut
    from .scan_notes import NOTE_ENTRIES

    if not os.path.isdir(folder):
        return False
    try:
        return next(iter(walk([folder], most_entries=NOTE_ENTRIES)), None) is None
    except WalkCut:
        return False


def must_exist(path: str, named=None, db=None) -> None:
    """A PATH that names nothing is a typo, not an empty library (it listed "0 files" with exit 0). A name in a
    folder this user may not enter (:func:`~blurscan.permissions.may_exist`) is looked for in the folder's
    listing; where that cannot be read either (another user's ``0700`` folder), its stored records are used, and
    a note says that whether it exists cannot be told (until 2026-12-05 `report` said "0 files" alone).
    ``named``: the PATH ``path`` was resolved from, as given to a command that reads the database ``db`` (or the
    one found from it): one under a drive or share not mounted, where the database holds photos, says so
    (:func:`~blurscan.cli.unmounted_path.held_unmounted`)."""
    reason = "no such file or directory"
    try:
        os.lstat(path)
        return
    except PermissionError:
        shut = unreachable(path)
        if shut is not None:
            raise shut from None
        hidden = _not_entered(os.path.abspath(path))
    except OSError as exc:  # absent; a name too long (said so, as `scan` says it: until 2026-12-05 "no such file")
        hidden = False
        if exc.errno == errno.ENAMETOOLONG:  # (a path past the system's limit, every name short: said so)
            reason = path_too_long(os.path.abspath(path)) or os_reason(exc)
    except ValueError:  # (a NUL byte)
        hidden = False
    if hidden is False:
        if reason == "no such file or directory":  # (a folder a Mac named, its name typed composed: said so)
            reason += other_form_note(path)
        from .unmounted_path import held_unmounted

        raise held_unmounted(StoreError(f"{printable_path(path)}: {reason}"), named, path, db)
    if hidden:
        click.echo(f"note: {printable_path(hidden)} cannot be entered by this user: whether {printable_path(path)} "
                   "exists cannot be told", err=True)


def unreachable(path: str) -> StoreError | None:
    """The error of a PATH whose ``..`` the system cannot take, from a folder this user may not enter (or reached
    through one), as ``scan`` says it (:func:`~blurscan.walk.shut_before_dotdot`): ``/srv/hop/../lib: cannot be
    reached: /srv/hop leads into /srv/locked, which this user may not enter``; None for any other path. Until
    2026-12-07 ``report``, ``bursts``, ``review``, ``undo``, ``move``, ``trash`` and ``tag`` said ``no blurscan
    database found`` (the ``..`` read by text found none), or with ``--db`` listed or acted on the folder the ``..``
    read by text."""
    from ..walk import shut_before_dotdot

    try:
        os.lstat(path)
        return None
    except OSError as exc:
        why = shut_before_dotdot(path, exc)
    except ValueError:  # (a NUL byte)
        return None
    return StoreError(f"{printable_path(path)}: {why}") if why is not None else None


def _not_entered(path: str) -> str | bool | None:
    """For ``path``, which ``lstat`` may not look at: the folder this user may not enter, when its listing cannot
    be read either; False when the listing shows the name (of ``path`` or a folder on the way) is not there;
    None when ``lstat`` looks at ``path`` or the listing shows it (a photo in another user's ``0744`` folder)."""
    parts = Path(path).parts
    for i in range(1, len(parts) + 1):
        name = os.path.join(*parts[:i])
        try:
            os.lstat(name)
            continue
        except PermissionError:
            pass
        except OSError:  # (absent: lstat said otherwise, a race; as before, nothing said)
            return None
        folder = os.path.dirname(name)
        try:
            names = os.listdir(folder)
        except OSError:
            return folder
        if parts[i - 1] not in names:
            return False
        if i == len(parts):
            return None
        return folder  # (a folder on the way, listed but not entered: nothing below it can be told)
    return None


def _still_seeding(db_path: Path) -> list[Path] | None:
    """The sub-folders' databases that seed the library database ``db_path`` still, its first scan stopped before
    it went through the library (:func:`blurscan.seeded.unfinished_seeds`), or None."""
    from ..seeded import unfinished_seeds

    return [Path(seed) for seed in unfinished_seeds(db_path) if _readable(Path(seed))] or None


def _readable(db_path: Path) -> bool:
    """Whether a read-only open of the database works (a file we may not read, a newer schema: not reused)."""
    from ..store import Store

    try:
        Store(db_path, readonly=True).close()
    except StoreError:
        return False
    return True


def _writable(db_path: Path) -> bool:
    """Whether the database (and its folder, where SQLite keeps ``-wal`` and ``-shm``) may be written; as root,
    a file or folder with no write bit is not (:mod:`blurscan.permissions`)."""
    if os.path.exists(db_path):
        return may_write(db_path) and may_write(db_path.parent)
    return may_write(db_path.parent)


def _kept_here(db_path: Path) -> bool:
    """Whether a library's database ``db_path`` is used where it is: it may be written (:func:`_writable`) and is
    not on a network share (:func:`~blurscan.cli.network_share.share_type`), where the database of a scan without
    --db is kept in the cache folder instead (until 2026-12-07 it was kept on the share, which two computers
    scanning or reviewing the library at once damaged: ``database disk image is malformed``)."""
    return _writable(db_path) and share_type(db_path) is None


def find_db(root: str, *, quiet: bool = False) -> Path | None:
    """The database that ``report``, ``review``, ``bursts`` and the actions use for ``root`` (absolute): the
    ``.blurscan.db`` of ``root`` or its nearest parent folder that has one, else the cache-folder database a
    scan of ``root`` (or of a parent) kept, with a note on stderr naming it. When that library database cannot
    be written, a cache-folder database saved after it is used instead (with a note on stderr): it is where this
    user's scans of a read-only library went, seeded from the library's results, so it is the newer of the two.
    A library database on a network share (:mod:`~blurscan.cli.network_share`) gives way to this computer's
    cache-folder database of the library whenever there is one, where this computer's scans of it are kept."""
    folder = Path(root)
    passed = []  # the folders from root up to the library database's, nearest first
    for candidate in _up_from(folder):
        passed.append(candidate)
        library = candidate / DEFAULT_DB_NAME
        if not os.path.isfile(library):
            continue
        shared = share_type(library)  # (on a network share: this computer's scans of it are in the cache folder)
        if _writable(library) and shared is None:
            if not quiet:
                _say_if_a_newer_library_above(library, folder)
            return library
        newer = next((fb for fb in map(_fallback_db, passed)
                      if os.path.isfile(fb) and (shared or _saved_at(fb) >= _saved_at(library))), None)
        if newer is None:
            if shared and not quiet:  # (an older blurscan's, not scanned from this computer since: used as it is)
                click.echo(f"note: {on_share(library, shared)}; using it as it is, so use it from one computer at "
                           "a time (a scan keeps this computer's own database in the cache folder, starting from "
                           "its results)", err=True)
            return library
        if shared and not quiet:
            click.echo(f"note: {on_share(library, shared)}; using {printable_path(newer)}, this computer's database "
                       "of it (choose with --db)", err=True)
        elif not quiet:
            why = why_not_readable(library) or "is read-only"  # (another user's 0600 file: not "read-only")
            click.echo(f"note: {printable_path(library)} {why}; using {printable_path(newer)}, where this "
                       "user's scans of it are kept (choose with --db)", err=True)
        return newer
    # (os.path.isfile: a cache folder this user may not search, e.g. HOME still root's after su, is "none")
    found = next(((f, fb) for f, fb in zip(passed, map(_fallback_db, passed)) if os.path.isfile(fb)), None)
    if found is not None:  # a library scanned while it could not be written: not its own database, said so
        if not quiet and (shared := share_type(found[0])) is not None:  # (or on a network share)
            click.echo(f"note: {on_share(found[0], shared)}; using {printable_path(found[1])}, this computer's "
                       "database of it (choose with --db)", err=True)
        elif not quiet:
            click.echo(f"note: {printable_path(found[0])} has no {DEFAULT_DB_NAME} (it could not be written when "
                       f"scanned); using {printable_path(found[1])}, where its scans are kept (choose with --db)",
                       err=True)
        return found[1]
    # the root folder's is where a scan of unrelated folders keeps its database: it is root's only when it
    # holds photos under root (else every folder never scanned would be "0 files" there, not an error)
    anchor = _fallback_db(Path(folder.anchor))
    if os.path.isfile(anchor) and _holds(anchor, folder):
        if not quiet:
            click.echo(f"note: using {printable_path(anchor)}, where a scan of folders with no common folder but "
                       f"{printable_path(folder.anchor)} kept its results (choose with --db)", err=True)
        return anchor
    return None


def _say_if_a_newer_library_above(found: Path, folder: Path) -> None:
    """A note on stderr when a database above ``found`` (the library's, made by a later ``scan`` of the whole
    library) was written after it and holds photos under ``folder``: ``found``, a sub-folder's own database from
    an earlier scan of that sub-folder alone, still answers for it, and its verdicts, photos and decisions may be
    stale (a photo added or changed since, scored in the library's database only; a discard made in the library's
    review page). Until 2026-12-05 nothing said so after the library scan's first note."""
    for candidate in _up_from(found.parent.parent) if found.parent != Path(found.anchor) else ():
        above = candidate / DEFAULT_DB_NAME
        if os.path.isfile(above):
            if _saved_at(above) > _saved_at(found) and _holds(above, folder):
                click.echo(f"note: using {printable_path(found)}, the database of an earlier scan of "
                           f"{printable_path(found.parent)}; {printable_path(above)}, written since, holds these "
                           f"photos too, with its own results and decisions (choose with --db)", err=True)
            return


def _holds(db_path: Path, folder: Path) -> bool:
    """Whether the database (opened read-only) has a record at or under ``folder``; unreadable: no."""
    from ..store import Store

    try:
        with Store(db_path, readonly=True) as store:
            return store.holds(str(folder))
    except StoreError:
        return False


def _up_from(folder: Path) -> list[Path]:
    """``folder`` and its parents, nearest first, without the filesystem's root: a ``/.blurscan.db`` (left by an
    older blurscan scanning two unrelated folders) would otherwise be every scan's library database."""
    return [f for f in (folder, *folder.parents) if f != Path(f.anchor)]


def _saved_at(db_path: Path) -> float:
    """When a database was last written: its file's or its write-ahead log's modification time."""
    times = []
    for path in (db_path, f"{db_path}-wal"):
        with contextlib.suppress(OSError):
            times.append(os.stat(path).st_mtime)
    return max(times, default=0.0)


def current_folder() -> str:
    """``os.getcwd()``, or one line saying why there is none: the current folder was deleted (``mkdir g; cd g;
    rmdir ../g``) or cannot be told. A relative PATH (``.``, no PATH at all) then names nothing; an absolute
    one still works (until 2026-12-05 every command ended in a FileNotFoundError traceback, absolute paths
    too)."""
    try:
        return os.getcwd()
    except OSError as exc:
        raise no_current_folder(exc) from None


def no_current_folder(exc: OSError) -> BlurscanError:
    """The error of a relative path (``.``, a command's default PATH) given in a current folder that no longer
    exists (``exc``: ``os.getcwd()``'s error)."""
    if isinstance(exc, FileNotFoundError):
        return BlurscanError("the current folder no longer exists (deleted or moved away since the shell went "
                             "into it): `cd` to a folder that exists, or give absolute paths")
    return BlurscanError(f"cannot tell the current folder: {os_reason(exc)} (`cd` to another folder, or give "
                         "absolute paths)")
