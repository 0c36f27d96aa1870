"""Where ``scan``, ``report`` and ``bursts`` write their list: standard output, or the ``--output`` file, checked
before any work; its format (:func:`output_format`: ``--format``, else the file's suffix).

:func:`check_output` refuses (a usage error, exit code 2, one ``Error:`` line naming the file and the reason) a
file under a file (``-o notes.txt/list.csv``) and a file whose overwriting would destroy something: the database the command uses and its SQLite side files
(``-wal``, ``-shm``, ``-journal``), any other SQLite database (``-o`` and ``--db`` mixed up: ``blurscan scan
/mnt/card -o ~/card.db``), an image file (originals are never modified) and a file the scan reads (named on the
command line). Files are compared by identity (device and inode) where they exist, so a symbolic link or another
spelling of the path is caught too; a file not there yet is compared by its resolved path (the database a scan is
about to create). Nothing is opened for writing before the check: the file is left as it was.

:class:`Sink` writes the records: JSON Lines as each is scored, the table and CSV at the end (``report``'s
records read from the database as they are written, :mod:`blurscan.listing`); ``bursts`` hands it a writer of its
whole list (:meth:`Sink.write`). An ``--output`` file
is written under a hidden temporary name beside it (``.blurscan-output-PID-XXXXXXXX.part``) and renamed over it
once the list is complete, or on Ctrl-C, SIGTERM or SIGHUP with what was scanned so far (a scan's promise: what it
did is kept; a scan stopped before it listed anything leaves the file as it was). Those a command killed outright
left behind are removed by the next one writing to their folder (:func:`_remove_stale`). A
command that stops on an error (a model file not found, a ``--db`` that is no database, a full disk) removes the
temporary file and leaves the file it would have replaced as it was: opening the file for writing at the start
emptied it, and a failed scan left it empty. The replacement keeps the replaced file's mode (and owner, where it
may); a new file gets the mode ``open()`` gives (0666 less the umask) and, run as root, its folder's owner and group
(:func:`~blurscan.permissions.owned_like_folder`: ``sudo blurscan report -o ~/list.csv`` left a list its owner's
next run could not replace). A symbolic link stays a link: the file it
points to is replaced (another hard link to it keeps the earlier list). A file that is not a regular one
(``/dev/stdout``, ``/dev/null``, a FIFO), and a file that may be written in a folder that may not, are written in
place, as before.
"""
from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Callable
from typing import IO

from ..config import IMAGE_SUFFIXES, RAW_SUFFIXES
from ..dbfile import SQLITE_HEADER, held_here
from ..errors import UsageError, printable_path
from ..permissions import owned_like_folder
from .writefail import OutputError, console as _console, of_output, output_name, quiet_stdout

#: The files SQLite keeps beside a database while it is used.
_SIDE_FILES = ("-wal", "-shm", "-journal")


def output_format(fmt: str | None, output: str | None) -> str:
    """``--format``, else the one the ``--output`` file's suffix names, else the table."""
    if fmt:
        return fmt
    suffix = os.path.splitext(output or "")[1].lower()
    if suffix == ".json":  # the table in a .json file is no use to the script that reads it
        raise UsageError(f"{printable_path(output)}: blurscan writes JSON Lines (one object per line), not one "
                         "JSON document: name the file .jsonl, or give --format jsonl (or --format table)")
    return {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix, "table")


def check_output(output: str | None, *, db_path: str | os.PathLike | None = None, paths=()) -> None:
    """Raise :class:`~blurscan.errors.UsageError` when writing the list to ``output`` would destroy the database
    ``db_path`` (or one of its side files), another SQLite database, an image file or one of the ``paths`` the
    scan was given; None (standard output) and files that are not regular files (``/dev/stdout``, a FIFO) pass."""
    if output is None:
        return
    try:
        st = os.stat(output)
    except OSError:
        st = None  # not there (or not to be looked at: opening it then says why)
    refused = f"{printable_path(output)}: cannot write output: it is"
    left = "; it was left as it is (choose another --output file"
    if db_path is not None:
        if _same(output, st, db_path):
            raise UsageError(f"{refused} the database this command uses, which the list would replace with its "
                             f"results, decisions and undo history{left}; --db names the database)")
        for suffix in _SIDE_FILES:
            if _same(output, st, f"{db_path}{suffix}"):
                raise UsageError(f"{refused} SQLite's {suffix} file of the database this command uses, "
                                 f"{printable_path(db_path)}, which needs it to stay whole{left})")
    if st is None:
        from ..actions.moves import not_a_folder

        if in_the_way := not_a_folder(os.path.dirname(os.path.abspath(output))):  # (it said "not a directory")
            raise UsageError(f"{printable_path(output)}: cannot write output: {in_the_way}")
    if st is None or not stat.S_ISREG(st.st_mode):
        return  # a new file, or /dev/stdout, /dev/null, a FIFO: nothing there to lose
    if any(_same(output, st, p) for p in paths):
        raise UsageError(f"{refused} a file this scan reads (named on the command line), and blurscan never "
                         f"modifies the files it scans{left})")
    for name in (output, os.path.realpath(output)):  # (a link named .csv to a photo too)
        suffix = os.path.splitext(name)[1]
        if suffix.casefold() in IMAGE_SUFFIXES | RAW_SUFFIXES:
            raise UsageError(f"{refused} an image file ({printable_path(suffix)}), and blurscan never modifies "
                             f"photos{left})")
    if _is_sqlite(output):
        raise UsageError(f"{refused} an SQLite database, which the list would replace{left}; --db names the "
                         "database)")


def _same(output: str, st: os.stat_result | None, other: str | os.PathLike) -> bool:
    """Whether ``output`` (``st``: its ``stat``, None when it is not there) and ``other`` are one file: the same
    device and inode when both exist, the same resolved path when neither does."""
    try:
        other_st = os.stat(other)
    except OSError:
        other_st = None
    if st is not None or other_st is not None:
        return st is not None and other_st is not None and (st.st_dev, st.st_ino) == (other_st.st_dev,
                                                                                       other_st.st_ino)
    return os.path.realpath(output) == os.path.realpath(other)


def _is_sqlite(path: str) -> bool:
    """Whether the regular file ``path`` starts with SQLite's header (False when it cannot be read). A database
    this process has connections to is one, and is not opened here (:func:`blurscan.dbfile.hold`)."""
    if held_here(path):
        return True
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


class Sink:
    """Where records go: JSONL streams line by line; table and CSV are written at the end. A context manager
    (``click.Context.with_resource``): left before :meth:`finish`, it removes what it wrote to an ``--output``
    file's temporary file and leaves the file as it was."""

    def __init__(self, fmt: str, output: str | None) -> None:
        from ..report import jsonl_line

        self._line = jsonl_line
        self._flushed = 0.0
        self.fmt = fmt
        self.output = output
        self.stream = None
        self._file = None
        if output is not None:
            try:
                self._file = _OutputFile(output)
            except OutputError as exc:  # refused before any work (its folder not there, not writable): a usage
                # error, exit 2, as every command's destination refused before any work (--to, --out); until
                # 2026-12-05 it exited with 1, the code of a write that fails once the work has begun
                raise UsageError(str(exc)) from None
            self.stream = self._file.stream
        elif fmt != "table":
            self.stream = _utf8_stdout()

    def __enter__(self) -> Sink:
        return self

    def __exit__(self, *exc_info) -> None:
        self.abandon()

    @property
    def replaces(self) -> bool:
        """Whether the ``--output`` file is written under a temporary name, renamed over it by :meth:`finish` (a
        regular file or a new one): :meth:`abandon` then leaves it as it was."""
        return self._file is not None and self._file.temp is not None

    def abandon(self) -> None:
        """An ``--output`` file not finished: its temporary file is removed (nothing after :meth:`finish`)."""
        if self._file is not None:
            self._file.discard()

    def add(self, record) -> None:
        with self._writing():
            self._add(record)

    def _add(self, record) -> None:
        if self.fmt == "jsonl":
            self.stream.write(self._line(record) + "\n")
            if self.output is None:  # stream to a pipe promptly, without one write per line on a re-scan
                now = time.monotonic()
                if not record.cached or now - self._flushed > 0.1:
                    self.stream.flush()
                    self._flushed = now

    def finish(self, records, *, kept, discarded=frozenset()) -> None:
        with self._writing():
            self._finish(records, kept=kept, discarded=discarded)

    @contextlib.contextmanager
    def _writing(self):
        """A write that fails (a full disk, /dev/full, an I/O error) is one error naming the output; the reader of
        standard output going away (``| head``) stays a BrokenPipeError, which the command handles."""
        try:
            yield
        except BrokenPipeError:
            if self.output is not None:
                raise OutputError(output_name(self.output), BrokenPipeError(errno.EPIPE, "broken pipe")) from None
            raise
        except OSError as exc:
            if not of_output(exc, self._file.paths() if self._file is not None else ()):
                raise  # (a library's error while the list is made: not the output's)
            if self.output is None:  # (what is left in its buffer must not fail again at the interpreter's exit)
                quiet_stdout()
            raise OutputError(output_name(self.output), exc) from None

    def write(self, writer: Callable[[IO[str]], object]) -> None:
        """Write a whole list with ``writer(stream)`` and finish as :meth:`finish` does (``bursts``' list, made
        by :mod:`blurscan.bursts.formats`): ``stream`` is the ``--output`` file's, else standard output (UTF-8 for
        JSON Lines and CSV, as :meth:`finish` writes them; a table in the terminal's encoding)."""
        with self._writing():
            writer(self.stream if self.stream is not None else sys.stdout)
            self._close()

    def _finish(self, records, *, kept, discarded=frozenset()) -> None:
        from .. import report as rep

        if self.fmt == "csv":
            rep.write_csv(rep.ranked(records), self.stream)
        elif self.fmt == "table":
            if self.stream is not None:
                rep.write_table_text(records, self.stream, kept=kept, discarded=discarded)
            else:
                wide = None if sys.stdout.isatty() else rep.unwrapped_width(records)  # piped: never fold paths
                rep.render_table(records, _console(highlight=False, width=wide), kept=kept, discarded=discarded)
        self._close()

    def _close(self) -> None:
        """The list is complete: an ``--output`` file takes the place of the one it replaces."""
        if self._file is not None:
            self._file.commit()
        elif self.stream is not None:
            self.stream.flush()


class _OutputFile:
    """The ``--output`` file: ``stream`` writes a temporary file beside it, which :meth:`commit` renames over it
    and :meth:`discard` removes; or the file itself, for one that is not a regular file."""

    def __init__(self, output: str) -> None:
        self.output = output
        self.temp = None
        self.in_place = False  # commit copies the list into the file (keeping it) rather than renaming over it
        self.target = os.path.realpath(output)  # a symbolic link stays one: the file it points to is replaced
        if os.path.abspath(output).startswith(("/dev/", "/proc/")):
            # /dev/stdout, /dev/fd/1 (a link to the file a shell's >> opened, say): written as it is, never
            # replaced by another file (the shell's file took a new inode, and 2>&1's lines went to the old one)
            self.stream = _open(output)
            return
        try:
            st = os.stat(self.target)
        except FileNotFoundError:  # a new file (or a folder that is not there: making the temporary file says so)
            st = None
        except OSError as exc:
            raise OutputError(output_name(output), exc) from None
        if st is not None and not stat.S_ISREG(st.st_mode):  # /dev/stdout, /dev/null, a FIFO: written in place
            self.stream = _open(output)
            return
        if st is not None and not os.access(self.target, os.W_OK):  # what opening it would say (a rename would not)
            raise OutputError(output_name(output), PermissionError(errno.EACCES, os.strerror(errno.EACCES)))
        try:
            fd, self.temp = _create_beside(os.path.dirname(self.target))
        except OSError as exc:
            if st is not None and exc.errno in (errno.EACCES, errno.EPERM):  # a folder this user may not write
                self.stream = _open(output)
                return
            raise OutputError(output_name(output), exc) from None
        if st is not None:  # the replacement is the same file to its users: its owner (where allowed) and mode
            if hasattr(os, "fchown"):
                for owner in ((st.st_uid, st.st_gid), (-1, st.st_gid)):  # (a user may give its groups, not its uid)
                    with contextlib.suppress(OSError):
                        os.fchown(fd, *owner)
                        break
            with contextlib.suppress(OSError):
                os.fchmod(fd, stat.S_IMODE(st.st_mode))
            made = os.fstat(fd)
            # another user's file (a shared folder, a group's list): renamed over, it would become this user's,
            # and its owner could no longer write it; so the list is copied into it once complete
            self.in_place = (made.st_uid, made.st_gid) != (st.st_uid, st.st_gid)
        else:  # a new file, as root in someone's folder (sudo blurscan report -o ~/list.csv): theirs, as the database
            owned_like_folder(self.temp, fd=fd)  # (root's, their own next run could not write it: 2026-12-06)
        self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def paths(self) -> tuple[str, ...]:
        """The names its errors may carry: the file given, the one it points to, the temporary file beside it."""
        return tuple(p for p in (self.output, self.target, self.temp) if p is not None)

    def commit(self) -> None:
        """The output is complete (or interrupted by Ctrl-C): it takes the file's place, its bytes on disk first (a
        power cut after the rename, which the system may write before the bytes, left an empty or short file in
        place of the earlier list, until 2026-12-06)."""
        if self.temp is not None:
            self.stream.flush()  # (a write the disk refuses fails here or at close, before the file is replaced)
            os.fsync(self.stream.fileno())
        self.stream.close()
        if self.temp is None:
            return
        if not self.in_place:
            try:
                os.replace(self.temp, self.target)
            except PermissionError:  # a folder with the sticky bit (/tmp, a shared folder), another user's file
                self.in_place = True
            else:
                self.temp = None
                return
        self._copy_in_place()
        os.unlink(self.temp)
        self.temp = None

    def _copy_in_place(self) -> None:
        """Copy the complete list into the file itself (another user's, or a sticky folder's: see :meth:`__init__`).
        Its room is reserved first (``posix_fallocate``, which changes no byte in it), so a disk too full for the
        list leaves the file as it was: until 2026-12-06 it was emptied, then written as far as the disk allowed,
        the earlier list lost and a part of the new one in its place."""
        size = os.path.getsize(self.temp)
        with open(self.temp, "rb") as done, os.fdopen(os.open(self.target, os.O_WRONLY), "wb") as file:
            before = os.fstat(file.fileno()).st_size
            if size > before and hasattr(os, "posix_fallocate"):
                try:
                    os.posix_fallocate(file.fileno(), 0, size)
                except OSError as exc:
                    if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):  # (a file system without it)
                        with contextlib.suppress(OSError):
                            os.ftruncate(file.fileno(), before)  # (the size the failed call may have grown)
                        raise
            shutil.copyfileobj(done, file)
            file.truncate()  # (an earlier list longer than this one: its end)

    def discard(self) -> None:
        """The command stopped before its output was complete: the file is left as it was."""
        with contextlib.suppress(OSError, ValueError):
            self.stream.close()
        if self.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)
            self.temp = None


def _create_beside(folder: str) -> tuple[int, str]:
    """A new, empty, hidden file in ``folder``, created with mode 0666 less the umask (as ``open()`` creates a
    file), named with this process's id and locked while it lives: ``(descriptor, path)``. Those of commands
    killed before they could remove theirs are removed first (:func:`_remove_stale`)."""
    _remove_stale(folder)
    for _ in range(100):
        temp = os.path.join(folder, f".blurscan-output-{os.getpid()}-{secrets.token_hex(4)}.part")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        _lock(fd)
        return fd, temp
    raise FileExistsError(errno.EEXIST, "no free temporary file name")


#: The temporary files :func:`_create_beside` makes (``.blurscan-output-PID-XXXXXXXX.part``; without the process id
#: before 2026-12-04).
_TEMP_NAME = re.compile(r"^\.blurscan-output-(?:(\d+)-)?[0-9a-f]{8}\.part$")
#: A temporary file younger than this is never taken for a stale one (its command may be about to lock it) ...
STALE_AFTER = 60.0
#: ... nor, for one named without a process id (made by a version that did not lock it either), younger than this.
STALE_AFTER_UNNAMED = 24 * 3600.0


def _remove_stale(folder: str) -> list[str]:
    """Remove the temporary files of ``--output`` lists left in ``folder`` by commands killed outright (SIGKILL, or
    SIGTERM where Ctrl-C was ignored: a background job of a script), which nothing removed: they piled up. Only
    this user's, only those no live process holds (its id gone, its lock free), only those older than a minute
    (a day for those of earlier versions). Returns the paths removed; a file that cannot be looked at is left."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    removed = []
    now = time.time()
    for name in names:
        m = _TEMP_NAME.match(name)
        if m is None:
            continue
        path = os.path.join(folder, name)
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            continue
        if now - st.st_mtime < (STALE_AFTER if m.group(1) else STALE_AFTER_UNNAMED):
            continue
        if m.group(1) and _alive(int(m.group(1))):
            continue
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))  # (NFS locks need it open for writing)
            try:
                if _unheld(fd):
                    os.unlink(path)
                    removed.append(path)
            finally:
                os.close(fd)
    return removed


def _lock(fd: int) -> bool:
    """Lock the open file ``fd`` for as long as it is open, unless another process holds it: whether it could (True
    where files cannot be locked). The kernel frees the lock when its process ends, however it ends."""
    try:
        import fcntl
    except ImportError:  # (not POSIX)
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:  # a file system without locks
        return True
    return True


def _unheld(fd: int) -> bool:
    """Whether no process holds the lock of the open file ``fd`` (locked now, by this one): only a lock taken says
    so. Where a lock cannot be taken (a share without locks, NFS mounted ``nolock``) the file is kept: its writer
    may run on another machine, or in another container, where its process id means nothing here."""
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (ImportError, OSError):
        return False
    return True


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` runs (one of another user's, or in doubt, counts as running)."""
    if pid <= 0 or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True
    return True


def _open(output: str):
    """``output`` opened for writing as it is (a file that is not a regular file)."""
    try:
        return open(output, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise OutputError(output_name(output), exc) from None


class _utf8_stdout:
    """Standard output as UTF-8 text whatever the locale (JSON Lines and CSV are UTF-8)."""

    def __init__(self) -> None:
        self.buffer = getattr(sys.stdout, "buffer", None)

    def write(self, text: str) -> None:
        if self.buffer is None:  # a text-only stream
            sys.stdout.write(text)
        else:
            self.buffer.write(text.encode("utf-8", "surrogateescape"))

    def flush(self) -> None:
        (self.buffer or sys.stdout).flush()

    def isatty(self) -> bool:  # CSV on a terminal shows control characters in names as \xNN (report.write_csv)
        return sys.stdout.isatty()
