"""Whether a path can be a blurscan database at all, told before SQLite opens it.

SQLite's own words for a path that is no database are vague or wrong: a folder where the database should be
(``mkdir .blurscan.db``, a backup tool's folder of that name) is "unable to open database file", which names
no reason; a file that is not SQLite (a photo given to ``--db`` by mistake) is "file is not a database", or,
when that file has no write bit and blurscan runs as root, the advice for a read-only database, since that
check (:mod:`blurscan.permissions`) comes before SQLite reads a byte. :func:`check_database_file` says what
the path is instead.
"""
from __future__ import annotations

import contextlib
import os
import stat
import threading

from . import open_databases
from .errors import StoreError, printable_path, shell_path
from .typed_commands import as_run
from .xdg import cache_home

#: The first 16 bytes of every SQLite 3 database file (https://sqlite.org/fileformat.html, "Magic Header").
SQLITE_HEADER = b"SQLite format 3\x00"


#: Database files this process has SQLite connections to (device and inode, or the real path of one that did not
#: exist yet -> how many), guarded by :data:`_HELD_LOCK`.
#: On POSIX, closing *any* descriptor of a file drops every lock this process holds on it, those of SQLite's
#: connections too (https://sqlite.org/howtocorrupt.html, 2.2): another process then takes itself for the last
#: user, checkpoints and deletes the ``-wal`` / ``-shm`` files, and this process writes into deleted ones. The
#: review server opens a connection per request, in many threads; reading the header of a file held here (an
#: ``open()`` and its ``close()``) lost decisions answered as stored and could corrupt the database when another
#: page or command used it (until 2026-12-04). So a file held here is never opened outside SQLite.
_HELD: dict[object, int] = {}
_HELD_LOCK = threading.Lock()


def _held_keys(path: str) -> list:
    """The keys ``path`` is counted under: its device and inode (so that any of its names, a hard link too, is
    known) when it exists, and its real path (a database SQLite creates is held under that name)."""
    if path == ":memory:":
        return []
    keys: list = [os.path.realpath(path)]
    with contextlib.suppress(OSError):
        st = os.stat(path)
        keys.insert(0, (st.st_dev, st.st_ino))
    return keys


def _held_key(path: str):
    keys = _held_keys(path)
    return keys[0] if keys else None


def _is_held(path: str) -> bool:
    return any(_HELD.get(key, 0) > 0 for key in _held_keys(path))


def hold(path: str):
    """:func:`check_database_file`, then count ``path`` as held by a connection of this process (call before
    connecting, in one step with the check, so no header is read between them); returns the key for
    :func:`release`."""
    key = _held_key(path)
    with _HELD_LOCK:
        _check_database_file(path, key)
        if key is not None:
            _HELD[key] = _HELD.get(key, 0) + 1
        open_databases.opened(key, path)
    return key


def opened_so_far() -> int:
    """A mark for :func:`damaged_error`'s ``since``: databases held from now on are a command's
    (:mod:`blurscan.open_databases`)."""
    return open_databases.opened_so_far()


def damaged_error(exc, path: str | None = None, *, since: int = 0) -> StoreError:
    """The one line for an SQLite error met after the database opened, in the middle of a command: a damaged file
    ("database disk image is malformed", a table's text that is not UTF-8) or one another program changed ("no such
    table"), naming ``path``, or the database the command opened last. Until 2026-12-05 every command stopped with
    a traceback."""
    path = path or open_databases.named(since) or "database"
    if type(exc).__name__ == "OperationalError" and "locked" in str(exc):
        return locked_error(path, exc)
    if sync_failed(exc):  # (not damaged: a write its drive did not confirm)
        return StoreError(f"{printable_path(path)}: cannot write: {sqlite_words(exc)}{sync_failed(exc)}")
    return StoreError(f"{printable_path(path)}: cannot use database: {sqlite_words(exc)} (the file is damaged, or was "
                      "changed by another program)")


#: SQLite's extended codes for a sync that failed: SQLITE_IOERR_FSYNC and SQLITE_IOERR_DIR_FSYNC
#: (https://sqlite.org/rescode.html).
_SYNC_FAILED = (1034, 1290)


def sync_failed(exc) -> str:
    """What a write whose sync failed (``exc``: SQLite's "disk I/O error" with the code SQLITE_IOERR_FSYNC) means,
    as the end of its error line; ``""`` for any other error. SQLite does not retry an ``fdatasync`` interrupted
    by a signal (EINTR, which network and FUSE drives give), and found with ``strace -e
    inject=fdatasync:error=EINTR`` over ``blurscan move`` (2026-12-06): its "disk I/O error" said neither what
    failed nor that nothing was lost. The transaction cannot be tried again from here: SQLite has rolled it back
    whole (a WAL database's frames past its last commit are never read), and a COMMIT again finds none active;
    only the command, run again, redoes it."""
    if getattr(exc, "sqlite_errorcode", None) not in _SYNC_FAILED:
        return ""
    return (" (the drive did not confirm the write: its sync was interrupted or failed, as a network or FUSE drive's "
            "can be; SQLite kept none of that write, and the database is as it was before it: try again)")


def disk_full(path: str) -> str:
    """``"; its disk is full (N kB free)"`` when the disk of the database ``path`` has (almost) no room left
    (:meth:`blurscan.store.Store._disk_full`), else ``""``; ``""`` too for a file system that reports no size at
    all (0 blocks: ``fusefat``, some FUSE drives), which is not full (until 2026-12-07 "0 kB free")."""
    try:
        st = os.statvfs(os.path.dirname(os.path.abspath(path)))
    except (OSError, AttributeError):
        return ""
    if st.f_blocks == 0:
        return ""
    free = st.f_bavail * st.f_frsize
    return f"; its disk is full ({free // 1024} kB free)" if free < 1 << 20 else ""


def sqlite_words(exc) -> str:
    """SQLite's message ``exc`` as an error line shows it: control characters as ``\\xNN``
    (:func:`~blurscan.errors.printable_path`). Part of it may come from the database (a constraint's name, a
    trigger's ``RAISE`` text, a table's), which whoever may write a shared library's database chooses: until
    2026-12-06 terminal escape sequences there (a clipboard write, a screen clear) were printed raw."""
    return printable_path(str(exc))


def settled(key, path: str):
    """The key of a database :func:`hold` counted before SQLite created its file (its real path), moved to the
    file's device and inode now that it exists (so its other names, a hard link too, are known); ``key`` as it
    is otherwise."""
    new = _held_key(path)
    if key is None or new == key:
        return key
    with _HELD_LOCK:
        _count_down(key)
        _HELD[new] = _HELD.get(new, 0) + 1
        open_databases.rekeyed(key, new)
    return new


def release_locked(key) -> None:
    open_databases.closed(key)
    _count_down(key)


def _count_down(key) -> None:
    left = _HELD.get(key, 0) - 1
    if left > 0:
        _HELD[key] = left
    else:
        _HELD.pop(key, None)


def release(key) -> None:
    """The connection counted by :func:`hold` (``key``) is closed."""
    if key is None:
        return
    with _HELD_LOCK:
        release_locked(key)


def held_here(path: str) -> bool:
    """Whether this process has SQLite connections to ``path`` (then it must not be opened outside SQLite)."""
    with _HELD_LOCK:
        return _is_held(path)


def check_database_file(path: str) -> None:
    """Raise :class:`~blurscan.errors.StoreError` when ``path`` is a folder, or a regular file whose first bytes
    are not an SQLite database's, or neither a folder nor a regular file (:func:`not_a_file`: a named pipe, a
    device, a socket; never opened here, as opening a pipe waits for a writer). Anything else is left to SQLite:
    ``":memory:"``, a path that does not exist yet, an empty file (SQLite makes a database of it), one this user
    may not read, and a file this process has connections to (:data:`_HELD`: checked when the first was opened,
    and never opened outside SQLite while they are)."""
    key = _held_key(path)
    with _HELD_LOCK:
        _check_database_file(path, key)


def a_folder(path: str | os.PathLike) -> StoreError:
    """The error for a folder where the database should be (``mkdir lib/.blurscan.db``)."""
    return StoreError(f"{printable_path(path)}: cannot use database: it is a folder, not a database file "
                      "(rename or remove the folder, or choose another file with --db)")


def not_a_file(path: str | os.PathLike, mode: int) -> StoreError:
    """The error for a named pipe, a device or a socket where the database should be (``--db /dev/null``, a link
    to one): SQLite opened it, and a command that reads (``report``, ``review``) waited for good on a named pipe,
    deaf to Ctrl-C, while ``/dev/null`` was "not scanned yet", to scan with ``--db /dev/null``, which then failed
    with "disk I/O error" and the advice to try again (until 2026-12-07)."""
    kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return StoreError(f"{printable_path(path)}: cannot use database: it is {kind}, not a database file (choose "
                      "another file with --db)")


def _check_database_file(path: str, key) -> None:
    if key is None:
        return
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise a_folder(path)
        if not stat.S_ISREG(st.st_mode):
            raise not_a_file(path, st.st_mode)
        if st.st_size == 0 or _is_held(path):
            return
        with open(path, "rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:  # a database to make: SQLite's NAME-journal must fit beside it (it made the database,
        from .name_room import database_name_too_long  # then failed it, "unable to open database file", and left it)

        if (too_long := database_name_too_long(path)) is not None:
            raise StoreError(f"{printable_path(path)}: cannot create the database: {too_long}") from None
        return
    except OSError:
        return
    if header != SQLITE_HEADER:
        # (no advice on what to do: the file may be one `--db` named, or one found above a library's photos)
        raise StoreError(f"{printable_path(path)}: not a blurscan database (it is not an SQLite database at all)")


#: A table every blurscan database has from schema 1 on (a database at schema 0 has none yet: a new file), and a
#: column of it that another program's table of that name would hardly have.
OUR_TABLE, OUR_COLUMN = "images", "cache_key"


#: What to do about a database that cannot be written, for every command that writes one (:func:`read_only_hint`
#: names the cache folder in it).
READ_ONLY_HINT = ("scan the library without --db, which keeps its database in {cache} when the library "
                  "cannot be written, and review, move, trash, tag and undo then use that one; or choose a database "
                  "in a folder you can write with --db")


#: What to do about a database on a file system mounted read-only, in place of :data:`READ_ONLY_HINT`: a drive
#: mounted so is written by nothing (undo of a batch it records, move, trash and tag of its photos) until it is
#: mounted read-write; the cache folder's database or ``--db`` serves a scan and the review page only. Until
#: 2026-12-07 only the cache folder and ``--db`` were advised, which undo cannot use; then (until the night) they
#: were still said to serve move, trash, tag and undo, which cannot write the drive's photos.
READ_ONLY_MOUNT_HINT = ("mount its drive read-write and run the command again, a Windows drive once Windows is "
                        "shut down fully, not hibernated nor with Fast Startup, which leave it read-only: move, trash, "
                        "tag and undo need that; only to scan and review it as it is, scan the library without --db, "
                        "which keeps its database in {cache} when the library cannot be written, or choose a database "
                        "in a folder you can write with --db")


def read_only_hint(read_only_mount: bool = False) -> str:
    """:data:`READ_ONLY_HINT` with the cache folder a scan would use: ``~/.cache/blurscan/``, or the folder in
    ``$XDG_CACHE_HOME`` where that is set (an absolute path, :func:`blurscan.xdg.cache_home`);
    :data:`READ_ONLY_MOUNT_HINT` in its place for a database on a file system mounted read-only
    (``read_only_mount``). Until 2026-12-06 it said ``~/.cache/blurscan/`` whatever ``XDG_CACHE_HOME`` said, a
    folder the scan it advised never used."""
    hint = READ_ONLY_MOUNT_HINT if read_only_mount else READ_ONLY_HINT
    if os.path.isabs(os.environ.get("XDG_CACHE_HOME", "")):
        return hint.format(cache=printable_path(os.path.join(cache_folder(), "")))
    return hint.format(cache="~/.cache/blurscan/")


#: What to do about a database in the cache folder that cannot be written: the scan without --db that
#: :data:`READ_ONLY_HINT` advises is what kept it there (``~/.cache/blurscan`` another user's, after ``sudo``).
CACHE_HINT = ("it is the cache folder, where a scan without --db keeps the database of a library it cannot write: "
              "make that folder yours and writable, or choose a database in a folder you can write with --db FILE")


def cache_folder() -> str:
    """Where a scan keeps the database of a library it cannot write: ``$XDG_CACHE_HOME/blurscan``, by default
    ``~/.cache/blurscan`` (:mod:`blurscan.cli.locate`)."""
    return os.path.join(cache_home(), "blurscan")


def read_only_error(path: str, exc: Exception) -> StoreError:
    """The error of a database ``path`` SQLite could not open or write (``exc``): why, when it can be told (a
    read-only file system, a file or folder this user may not write: the database's folder is where SQLite makes
    a new database and its ``-wal`` and ``-shm`` files), and what to do. SQLite's own words were "unable to open
    database file" (a read-only mount, a folder another user owns) or "attempt to write a readonly database",
    which say neither."""
    from .fs_owner import owners_refusal
    from .permissions import on_read_only_file_system, why_not_writable
    def named(subject: str, target: str) -> str | None:
        refusal = why_not_writable(target)
        return None if refusal is None else f"{subject} {refusal}"

    name, path = printable_path(path), sqlite_file(path)  # (named as given; a link's target is the one written)
    folder, exists = os.path.dirname(os.path.abspath(path)), os.path.exists(path)
    read_only_mount = on_read_only_file_system(folder)
    if read_only_mount:
        why = f"its folder {printable_path(folder)} is on a read-only file system"
    else:  # the file, else its folder (where SQLite makes a new database, and the -wal and -shm files it lacks)
        why = named("the file", path) if exists else None
        if why is None and not (exists and all(os.path.exists(path + s) for s in ("-wal", "-shm"))):
            why = named(f"its folder {printable_path(folder)}", folder)
        for suffix in ("-wal", "-shm") if exists and why is None else ():
            why = why or (named(f"its {suffix} file", path + suffix) if os.path.exists(path + suffix) else None)
        # a read-only folder with both files there: blurscan still honours it (as root too, check_writable), and
        # it was not said ("check the permissions ...": a review page's refusal, when another connection had
        # left the -wal and -shm files in place)
        why = why or named(f"its folder {printable_path(folder)}", folder)
    if why is None and "readonly" in str(exc) and exists:  # (as root: a -wal, -shm or folder its owner may not write)
        return StoreError(f"{name}: cannot write: {owners_refusal(path) or opened_for_reading_only()}")
    if why is None and "readonly" in str(exc):
        why = "check the permissions of the file, its folder and its -wal and -shm files"
    if why is None:
        return StoreError(f"{name}: cannot use database: {sqlite_words(exc)}")
    # (in the cache folder: a scan without --db, which READ_ONLY_HINT advises, is what put it there)
    hint = CACHE_HINT if folder == os.path.abspath(cache_folder()) else read_only_hint(read_only_mount)
    if exists:
        return StoreError(f"{name}: cannot write: the database is read-only: {why} ({hint})")
    return StoreError(f"{name}: cannot create the database: {why} ({hint})")


def opened_for_reading_only() -> str:
    """Why a database SQLite refused to write ("attempt to write a readonly database") when the file, its folder
    and its ``-wal`` and ``-shm`` files may all be written, on a file system mounted read-write: SQLite opens a
    database for reading only, silently, when its open for writing fails for any reason, and only a write then
    says so. Found with ``strace -e inject=openat:error=EIO`` on that open (2026-12-06): ``move`` said "the
    database is read-only: check the permissions ...", with the advice to keep the database in the cache
    folder, for an I/O error of the drive. The reason itself (SQLite's errno) cannot be read from Python, and the
    file is not opened here to find out: closing any descriptor of it would drop SQLite's locks."""
    return ("SQLite could open the database for reading only, though the file, its folder and its -wal and -shm "
            "files may be written: its open for writing failed for a reason their permissions do not show (an I/O "
            "error of the drive, a network share's server refusing it, too many open files); nothing was written: "
            "try again, and if it persists check the drive or the share")


def locked_error(path: str, exc: Exception) -> StoreError:
    """The error of a database another connection kept locked for writing past the busy timeout (SQLite's
    "database is locked", ``exc``): another program, most likely another blurscan (a scan, a review page, a move),
    is writing to it. SQLite's words alone named no one, and seemed to say the file was broken."""
    return StoreError(f"{printable_path(path)}: cannot write: {exc}: another program (perhaps another blurscan: "
                      "a scan, the review page, a move) is writing to it; try again when it finishes")


def not_scanned_yet(path: str) -> StoreError:
    """The error of a database with no tables (a file made empty, or left so by a scan that failed, as on a full
    disk), for a command that reads a library: there is nothing scanned in it. ``report`` said it was "written by an
    older blurscan; a scan upgrades it", and ``review``, ``bursts`` and the actions set it up and showed an empty
    library ("no photo is marked discard"), until 2026-12-05."""
    return StoreError(f"{printable_path(path)}: not scanned yet (an empty database, with no tables: run "
                      f"`{scan_into(path)}` first)")


def scan_into(path: str, folder: str = "PATH") -> str:
    """The scan that makes (or fills) the database ``path``: ``blurscan scan FOLDER`` for a ``.blurscan.db`` (its
    own folder), else ``blurscan scan --db FILE PATH`` (``folder``: the word for the folder to scan, the person's to
    say); a bare `blurscan scan` scans the current folder into a database of its own. The database is named by its
    absolute path, to be pasted in any folder (until 2026-12-07 a relative ``--db`` went in as typed)."""
    from .config import DEFAULT_DB_NAME

    if os.path.basename(path) == DEFAULT_DB_NAME:
        return as_run(f"blurscan scan {shell_path(os.path.dirname(os.path.abspath(path)))}")
    return as_run(f"blurscan scan --db {shell_path(os.path.abspath(path))} {folder}")


def database_not_found(path: str) -> StoreError:
    """The error of a database a command that reads one does not find at ``path``: a symbolic link whose target is
    not there (a drive not mounted, the file moved) or that loops is said to be one; anything else has no database
    yet. Until 2026-12-07 a dangling ``--db`` link to a database on a drive not mounted was told to run a scan, the
    database most likely there once the drive is."""
    name = printable_path(path)
    if os.path.islink(path):
        target = os.path.realpath(path)
        if os.path.islink(target):  # (realpath stops in a loop: lib.db -> lib.db)
            return StoreError(f"{name}: cannot use the database: it is a symbolic link that loops (a link to "
                              "itself, or to a link back to it)")
        return StoreError(f"{name}: a symbolic link to {printable_path(target)}, which is not there (a drive not "
                          "mounted, or the database moved?)")
    # (the scan that makes this one: a bare `blurscan scan`, said until 2026-12-07, scanned the current folder into
    # a database of its own, and the --db given was still not there)
    return in_a_folder_link_not_there(path) or \
        StoreError(f"{name}: no blurscan database here (run `{scan_into(path)}` first)")


def in_a_folder_link_not_there(path: str) -> StoreError | None:
    """The error of a database ``path`` that is not there because a folder above it is a symbolic link whose target
    is not there (``--db ~/dbs/lib.db``, ``~/dbs -> /media/usb/dbs``, a drive not mounted) or that loops; None
    otherwise. Said alike by the commands that read a database and by ``scan``, which said until 2026-12-07 that
    the folder ``~/dbs`` "does not exist" (making nothing)."""
    folder = _dangling_folder_link(path)
    if folder is None:
        return None
    name, target = printable_path(path), os.path.realpath(folder)
    if os.path.islink(target):
        return StoreError(f"{name}: cannot use the database: {printable_path(folder)} is a symbolic link that "
                          "loops (a link to itself, or to a link back to it)")
    return StoreError(f"{name}: in {printable_path(folder)}, a symbolic link to {printable_path(target)}, which "
                      "is not there (a drive not mounted, or the folder moved?)")


def _dangling_folder_link(path: str) -> str | None:
    """The folder above ``path`` that is a symbolic link whose target is not there (or that loops), when that is
    why ``path`` is not there: the nearest folder above it that has a name at all. Until 2026-12-07 ``report --db
    ~/dbs/lib.db``, ``~/dbs`` a link to a drive's folder (``/media/me/USB/dbs``, gone while the drive is not
    mounted), said to run a scan, as for a database never made."""
    folder = os.path.dirname(os.path.abspath(path))
    while not os.path.lexists(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    return folder if os.path.islink(folder) and not os.path.exists(folder) else None


def sqlite_file(path: str) -> str:
    """The file SQLite writes for the database ``path``, beside which it makes its ``-wal``, ``-shm`` and
    ``-journal``: the file a symbolic link names (SQLite follows the link), else ``path``. Until 2026-12-07 a
    ``--db`` that was a link was judged by the link's folder: refused where that one was read-only (the database's
    own writable), and taken where the database's folder was read-only (root then wrote its -wal there)."""
    return os.path.realpath(path) if path != ":memory:" and os.path.islink(path) else path


def check_writable(path: str) -> None:
    """Raise :func:`read_only_error` for a database (that exists) this process may not write, told before it is
    opened: the file, its folder, its ``-wal`` / ``-shm`` (as root, one no one may write: ``may_write``; one its
    owner may not, where root takes their rights: ``fs_owner.owners_refusal``, since 2026-12-07). SQLite opens it
    read only without a word: ``blurscan review`` asks before it serves a page whose decisions could not be kept."""
    import sqlite3
    from .fs_owner import owners_refusal
    from .permissions import may_write

    real = sqlite_file(path)  # (a --db that is a symbolic link: its -wal and -shm are beside the file it names)
    folder = os.path.dirname(os.path.abspath(real))
    files = [real, folder, *(real + s for s in ("-wal", "-shm") if os.path.exists(real + s))]
    if not all(may_write(f) for f in files) or owners_refusal(real) is not None:
        raise read_only_error(path, sqlite3.OperationalError("attempt to write a readonly database"))


def check_ours(conn, path: str) -> int:
    """The database's ``PRAGMA user_version``, once it is known to be blurscan's: raise
    :class:`~blurscan.errors.StoreError` for an SQLite database of another program (a photo manager's
    catalogue, a browser's history given to ``--db`` by mistake), before anything is written to it. blurscan
    would otherwise add its tables to one at version 0 and switch it to WAL journaling, or upgrade one with a
    version of its own as if it were an older blurscan's. A database of ours has :data:`OUR_TABLE` with
    :data:`OUR_COLUMN` from schema 1 on, and at version 0 (a new file) no table at all. Version and tables are
    read in one transaction: another process creating the database meanwhile (its schema and version are
    written in one transaction too) is seen before or after, never half.

    A database holding a trigger or a view, which blurscan never makes, is refused too: whoever may write a shared
    library's database could add a trigger, and SQLite runs it with the writes of whoever uses the database next
    (rewriting the journal rows a move writes, or failing with a message of terminal escape sequences), until
    2026-12-06. The connection is set ``PRAGMA trusted_schema = OFF`` first: no function of this process is run
    for SQL the database holds."""
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("BEGIN")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite!_%' ESCAPE '!' "
            "ORDER BY name")]
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({OUR_TABLE})")} if OUR_TABLE in tables else set()
        planted = conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') "
                               "ORDER BY type, name LIMIT 1").fetchone()
    except Exception as exc:
        import sqlite3

        # SQLite's message names the table, in bytes that are not UTF-8: Python's UnicodeDecodeError decoding it
        # (every command stopped with its traceback until 2026-12-05), or on Python 3.10, whose sqlite3 module drops
        # a message it cannot decode, a DatabaseError with no message at all (the commands said "cannot read the
        # database: " and no more until 2026-12-06)
        if not isinstance(exc, UnicodeDecodeError) and not (type(exc) is sqlite3.DatabaseError and not exc.args):
            raise
        raise sqlite3.DatabaseError("database disk image is malformed (its list of tables holds names that are "
                                    "not UTF-8 text)") from None
    finally:
        if conn.in_transaction:  # (SQLite has rolled back after an error of its own, a full disk's: that error
            conn.execute("COMMIT")  # is the one to say, not "cannot commit - no transaction is active")
    if planted is not None and OUR_COLUMN in columns:  # (blurscan makes none: SQL another user added, run as you)
        raise StoreError(f"{printable_path(path)}: holds a {planted[0]} blurscan never makes "
                         f"({printable_path(planted[1])}: added by another user or program?); SQL kept in a database "
                         "runs with every command's writes to it, so it was left as it is: remove it with sqlite3 "
                         f"{shell_path(path)} {shell_path(f'DROP {planted[0].upper()} {_quoted(planted[1])}')}")
    if version < 0:  # (not a version blurscan writes: a damaged header; it stopped every command with an IndexError)
        raise StoreError(f"{printable_path(path)}: not a blurscan database (schema version {version}); it was left "
                         "as it is")
    if version == 0 and OUR_COLUMN in columns:  # ours, its version lost: `sqlite3 .dump` does not write it
        from .schema import SCHEMA_VERSION

        raise StoreError(f"{printable_path(path)}: a blurscan database without its schema version (restored from "
                         "an SQL dump?); if it was written by this blurscan, give it back with: sqlite3 "
                         f"{shell_path(path)} 'PRAGMA user_version = {SCHEMA_VERSION}'")
    if (version == 0 and tables) or (version > 0 and OUR_COLUMN not in columns):
        shown = ", ".join(tables[:4]) + (", ..." if len(tables) > 4 else "")
        raise StoreError(f"{printable_path(path)}: not a blurscan database (an SQLite database of another program"
                         + (f": tables {shown}" if tables else "") + "); it was left as it is")
    return version


def _quoted(name: str) -> str:
    """An SQL identifier: ``name`` in double quotes, a double quote in it doubled."""
    return '"' + name.replace('"', '""') + '"'
