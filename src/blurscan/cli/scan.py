"""``blurscan scan`` (``blurscan report``, which reads what it stored: :mod:`blurscan.cli.report`).

Exit codes
----------
``scan``: 0 when the scan finished, even if some files could not be scored (one bad file never stops a scan;
each appears in the output with ``status: "error"`` and is listed on stderr as ``path: reason``, except images
too small to judge found unchanged since the last scan, which one note counts); 1 when a path given on the
command line or listed in the ``--files-from`` list does not exist (the other paths are still scanned) or on a
fatal error (database, model); 2 on a usage error; 130 when interrupted (Ctrl-C; 143 and 129 for SIGTERM and
SIGHUP): everything scanned so far is kept in the database, and an ``--output`` file gets it (or is left as it
was, when nothing was listed yet); 141 when the output's reader went away (``| head``): the scan stops, what
was scanned is kept.

Database location
-----------------
Without ``--db``, ``scan`` keeps its database in ``.blurscan.db`` at the scanned root (the common folder of the
paths), or in the nearest parent folder's ``.blurscan.db`` when there is one (a sub-folder of a scanned library
shares the library's database, as ``report``, ``review`` and the actions find it). When that folder is not
writable (a read-only share, a photo card; as root, one with no write bit for anyone: :mod:`blurscan.permissions`),
the database goes to the user's cache folder instead
(``$XDG_CACHE_HOME/blurscan/`` or ``~/.cache/blurscan/``, one file per root) and a note on stderr says where.
When the library already has a ``.blurscan.db`` that cannot be written (another user's library), its results
for unchanged files are reused (read only) and copied to the cache-folder database with the new ones, so only
new or changed files are decoded; the note says so.
``report`` finds the database the same way from its PATH (:mod:`blurscan.cli.report`).
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

import click

from ..config import DEFAULT_ANALYSIS_LONG_SIDE, DEFAULT_MAX_PIXELS, MIN_JUDGED_SIDE
from ..errors import BlurscanError, StoreError, UsageError, printable_path
from ..name_forms import AlikeNames
from ..permissions import may_exist
from ..walk import canonical, named_path, link_to_nothing
from ..report import FORMATS
from .. import stop_signals
from . import completion
from .path_given import DbFile, GivenPath, empty_path, home_expanded
from .db_creation import choosing_database
from .locate import current_folder, scan_db_location
from .output import Sink, check_output, output_format
from .progress_lines import ProgressLines, bar_drawn
from .redate_notes import RedatingNote, redated_note
from .scan_bar import Err, ProgressBar
from .small_images import SmallImages
from .scan_notes import (empty_folder_notes, mount_point_notes, passed_over_notes, passed_over_words,
                         unmounted_link_notes, walked_past_notes)
from .writefail import OutputError, failing
from .share_moved import follow_share


@click.command(short_help="Score every photo under PATH...; list them, most blurry first.")
@click.argument("paths", nargs=-1, required=False, shell_complete=completion.paths)
@click.option("--files-from", "files_from", type=GivenPath(allow_dash=True), default=None, metavar="LIST",
              help="Also scan the paths listed in this file ('-': standard input), one a line, as find, fd, git "
                   "ls-files or jq -r .path print them (relative to the current folder); each as a PATH.")
@click.option("--null", "-0", "null", is_flag=True, help="The --files-from list is separated by NUL bytes (find "
              "-print0, fd -0, git ls-files -z): names with line breaks.")
@click.option("--db", type=DbFile(), help="Database file (default: the .blurscan.db of the scanned "
              "root or of its nearest parent folder that has one, else a new one at the root).")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes (default: the cores this process may use; 1 = no extra process).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the --output file's suffix, .csv or .jsonl, else table).")
@click.option("--output", "-o", type=GivenPath(dir_okay=False, allow_dash=True), default=None,
              help="Write the output to this file instead of standard output ('-': standard output; ./- names a "
                   "file called -). Never the database, another SQLite file or a photo.")
@click.option("--model", default="default", show_default=True, metavar="default|none|PATH",
              shell_complete=completion.model, callback=completion.given_model,
              help="'default' (the shipped model), 'none' (classical measures only) or an .onnx file.")
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Threads per worker for the model.")
@click.option("--follow-symlinks", is_flag=True, help="Descend into symbolic links to folders (each folder "
              "is still visited once).")
@click.option("--include-hidden", is_flag=True, help="Also scan hidden files and folders and system folders "
              "such as @eaDir and .thumbnails (never the review page's .blurscan-thumbs nor a photo application's "
                   "caches; a library it manages, such as a .photoslibrary, only when named).")
@click.option("--max-pixels", type=click.IntRange(min=1), default=DEFAULT_MAX_PIXELS, show_default=True,
              metavar="N", help="Largest image (width x height) decoded; a larger one is an error record, as is a file "
                                "over 8 bytes a pixel plus 256 MiB (never read): a guard against files made to "
                                "exhaust memory. Raise it for huge panoramas or scans.")
@click.option("--long-side", type=click.IntRange(min=64), default=DEFAULT_ANALYSIS_LONG_SIDE, show_default=True,
              metavar="PX",
              help="Analysis size: long side in pixels the images are reduced to before measuring.")
@click.option("--fast", is_flag=True,
              help="Skip the full-resolution Laplacian baseline (laplacian_var is null): JPEGs are then only "
                   "decoded at reduced size: about a third of the decoding work, about a quarter less CPU "
                   "per photo in a whole scan with the shipped model. Results a full scan stored are reused.")
@click.option("--forget", is_flag=True, help="Scan nothing: forget the records under each PATH, a folder not there "
              "whose drive is gone for good, in the --db database (refused while the drive is mounted anywhere).")
def scan(paths, files_from, null, db, workers, fmt, output, model, threads, follow_symlinks, include_hidden,
         max_pixels, long_side, fast, forget):
    """Score every photo under PATH... and list them, most blurry first.

    Results are kept in a database, so scanning the same folder again only reads new or changed files.
    Files that cannot be read are listed on stderr, or by the table when it goes where stderr goes (the scan
    goes on). PATHs may be listed in a file instead, or as well (--files-from; `find ... -print0 | blurscan scan
    --files-from - -0`). Exit code: 0 (unreadable photos included), 1 when a PATH (or a listed path) is missing or cannot be reached (even when the reader of
    the output has gone away) or the scan cannot go on (the database, the model, a full disk), 2 for a wrong
    option or an --output file refused, 130 when interrupted, 141 when the reader of the output goes away (`| head`).
    """
    from ..config import ScanSettings
    from .. import pipeline, report
    from ..processes import keep_freed_memory
    from . import ctrl_c, quiet_native_decoders

    if forget:  # (records only, of a drive gone for good: since 2026-12-07)
        from .forget_gone import forget_gone, with_forget
        with_forget(click.get_current_context())
        return forget_gone(_home_expanded(paths), db)
    if not paths and files_from is None:
        raise click.UsageError("Missing argument 'PATHS...' (or --files-from LIST).")
    if "" in paths:  # (`scan "$PHOTOS"`, the variable unset: until 2026-12-07 the current folder was walked and
        # scored into no database, exit 1 without a word)
        raise empty_path("scan")
    if null and files_from is None:
        raise click.UsageError("--null (-0) says how the --files-from list is separated: give --files-from LIST.")
    if files_from is not None:  # (read before anything is written: an unreadable list is a usage error)
        from .files_from import read_paths

        listed = read_paths(files_from, null)
        typed, paths = paths, tuple(dict.fromkeys((*paths, *listed)))  # (a PATH listed too: scanned once)
    else:
        typed = paths
    # (`scan "~/My Pictures"`: a shell leaves a quoted ~ as it is, and the walk reads it as the home folder: so does
    # every step now; until 2026-12-07 the database was looked for under a folder named ~, none was found, and the
    # photos were scored into no database, `database: none`, exit 1 without a word of why)
    typed, paths = _home_expanded(typed), tuple(dict.fromkeys(_home_expanded(paths)))
    # each path's canonical name worked out once, when first asked for (where the database goes), and given again
    # at every step after: the linked-folder checks, the notes, the walk, the roots, the pruning (a --files-from
    # list's rescan resolved each path seven times, twice a walk's CPU, until 2026-12-07)
    folders: dict[str, str] = {}  # (each photo's folder resolved once for all its photos: named_path)
    paths = tuple(named_path(p, folders) for p in paths)
    quiet_native_decoders()
    # photos scored in this process (--workers 1, a small job) reuse the memory the last one freed, as in a
    # worker: without it, 2,000 page faults and 3 ms of system CPU per small photo (half its scoring time)
    keep_freed_memory()
    output = None if output == "-" else output  # (as click's File and most commands read it)
    fmt = output_format(fmt, output)
    kwargs = dict(analysis_long_side=long_side, model=model, model_threads=threads, max_pixels=max_pixels,
                  follow_symlinks=follow_symlinks, include_hidden=include_hidden, full_res_baseline=not fast)
    if workers is not None:
        kwargs["workers"] = workers
    settings = ScanSettings(**kwargs)

    if not all(os.path.isabs(os.path.expanduser(p)) for p in (*paths, *([db] if db else []))):
        current_folder()  # (a relative path in a deleted current folder: said so, in one line)
    with contextlib.nullcontext() if db else choosing_database(paths):  # (two scans at once: one database made)
        db_path, seed = (Path(db), None) if db else scan_db_location(paths)
        if seed is None and db_path is not None and os.path.isfile(db_path):  # (a second mount point: the library's)
            follow_share(db_path)  # (the share no longer mounted where the library was scanned: named where it is)
            paths, db_path = _library_named(paths, db_path, folders, given=bool(db))
        check_output(output, db_path=db_path, paths=paths)  # (before anything is written: the database, the output)
        new_db = not db and db_path is not None and seed is None and not os.path.lexists(db_path)
        model_before = _model_results(db_path, paths) if model == "none" else 0
        made = not db and db_path is not None and not os.path.lexists(db_path)
        if made:
            _make_database(db_path, seed)  # (made while the lock is held: the next scan finds it)
    err = Err()
    try:
        sink = click.get_current_context().with_resource(Sink(fmt, output))  # (an error: the old file stays)
    except UsageError:  # (an --output file refused before any work: no database left behind either, a seeded
        if made:        # one too: until 2026-12-06 it stayed, and the next scan reused none of its seeds' results)
            _remove_database(db_path)
        raise
    records = []          # kept for table / csv only (JSONL streams: constant memory)
    count = cached = moved = redated = small = 0
    tally = {"blurry": 0, "partial": 0, "sharp": 0, "error": 0}
    total = [0]
    named = {path: canonical(path) for path in paths}  # (once a path: a --files-from list's 100,000 each took 3)
    # (`lib/trip/` of a link whose target is not there is the link, passed over as `lib/trip` is: until
    # 2026-12-07 the scan exited 1, lexists being False for the name with its slash)
    missing = [p for p in paths if not may_exist(p) and not link_to_nothing(named[p])
               or os.pardir in named[p].split(os.sep)]  # (a `..` the system cannot take: kept by canonical; exit
    # 0 until 2026-12-07 when it was from a folder this user may not enter, walk's `cannot be reached`)
    for line in passed_over_notes(named, typed, include_hidden, db_path):  # (as a folder walk passes them over)
        click.echo(line, err=True)
    if missing:  # the exit code, even if the output's reader goes away (`| true`): the error is the news
        failing(1)
    gone, said_gone = {named[p] for p in missing}, 0  # (each one line, not a file: until 12-07 "could not be scored")
    started = time.monotonic()
    # a bar on a terminal; a line now and then in a log (nohup, CI) or on a dumb terminal (until 2026-12-06
    # nothing there until the scan ended); neither where JSON Lines stream in the same place, each line saying how
    # far the scan has got (a bar drawn there was glued to the front of the next line, until 2026-12-06)
    progress = None if fmt == "jsonl" and output is None and _stdout_is_stderr() else \
        ProgressBar() if bar_drawn() else ProgressLines(err.line)
    # the table, when it goes where stderr goes (a terminal, or `> scan.log 2>&1`), lists the errors and the
    # counts itself: say each thing once
    table_on_terminal = fmt == "table" and output is None and _stdout_is_stderr()

    def on_progress(done, n):
        total[0] = n
        if progress is not None:
            progress.update(done, n)

    if seed is not None:  # the library's read-only database: its records of unchanged files are reused
        from ..seeded import SeededStore, mark_finished

        # one database: the library's own, read-only (its keeps and discards come along); a list: sub-folders'
        store = SeededStore(db_path, seed, decisions=not isinstance(seed, list))
    else:
        store = str(db_path) if db_path else None
    passed_over: dict[str, int] = {}  # suffix -> other files of the walked folders (.MOV, .AAE ...)
    rescored: dict[str, int] = {}  # why unchanged photos were scored again -> how many (blurscan.rescored)
    small_images = SmallImages()  # judged from an image under 256 px: its verdict not to be trusted (said below)
    alike = AlikeNames()  # photos whose names differ from another's only in Unicode form (said below)
    mount_points: dict[str, int] = {}  # an empty folder met -> the records kept under it (a drive not mounted)
    merged: list = []  # (a folder stored twice by an older scan through another mount point, its name, records)
    gen = pipeline.scan(paths, settings, db=store, progress=on_progress, passed_over=passed_over,
                        redating=RedatingNote(err.line, total), kept_unmounted=mount_points, merged=merged)  # (said before, as the first rescan is slower)
    try:
        if progress is not None:
            progress.start()
            err.console = progress.console
        for record in gen:
            if record.status != "ok" and record.path in gone:  # (a PATH not there: no file, so not counted)
                err.line(f"{printable_path(record.path)}: {record.error}")
                said_gone += 1
                if fmt != "table":  # (its record, as documented, for a csv or JSON Lines reader)
                    if fmt != "jsonl":
                        records.append(record)
                    sink.add(record)
                continue
            if record.status != "ok" and record.cached:  # too small to judge, unchanged: said once, below
                small += 1
            elif record.status != "ok" and not table_on_terminal:
                err.line(f"{printable_path(record.path)}: {record.error}")
            count += 1
            alike.add(record.path)
            small_images.add(record)
            cached += record.cached
            moved += record.moved_from is not None
            redated += record.redated
            if record.rescored:  # unchanged, stored under another cache key: why (said below)
                rescored[record.rescored] = rescored.get(record.rescored, 0) + 1
            tally["error" if record.status != "ok" else record.verdict] = \
                tally.get("error" if record.status != "ok" else record.verdict, 0) + 1
            if fmt != "jsonl":
                records.append(record)
            sink.add(record)
        if seed is not None:  # a read-only library database's keeps and discards (blurscan.seeded)
            gen.close()  # (flushes its last batch first)
            store.carry_decisions()
            if isinstance(seed, list) and _went_through(paths, db_path):  # (gone through: they seed no later scan)
                mark_finished(store)
    except OutputError:  # the output cannot be written (a full disk): stop, keep what was scanned
        gen.close()
        raise
    except BlurscanError:  # stopped before any file (a --model that would not load): the database this scan made
        gen.close()        # is not left behind, empty (until 2026-12-06 `report` then listed "0 files", `move` said
        if made and not count:  # to review first, instead of asking for a scan)
            if seed is not None:
                store.close()
            _remove_database(db_path)
        raise
    except BrokenPipeError:  # `blurscan scan ... | head`: stop, keep what was scanned; the command group then
        gen.close()          # exits quietly with 141, as for every command (cli/writefail.py): the scan did not
        raise                # finish, so not 0 (a script with `set -o pipefail` sees it)
    except KeyboardInterrupt:
        with contextlib.suppress(ValueError):  # (ValueError: not the main thread)
            stop_signals.set_ctrl_c_handler(signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        gen.close()  # flushes the records already yielded to the database
        if progress is not None:
            progress.stop()
        ctrl_c.own_line()  # (what follows not after the terminal's ^C: "^Cinterrupted: ...", until 2026-12-06)
        if not count:  # stopped before anything was listed: an earlier --output list is not replaced by an empty one
            kept_as_it_was = sink.replaces
            sink.abandon()
            if new_db:  # (the empty database it made is not left either: until 2026-12-06 `report` then listed
                _remove_database(db_path)  # "0 files"; a seeded one stays, to be seeded again: blurscan.seeded)
            left = "" if not kept_as_it_was else f"; {printable_path(output)} left as it was" \
                if os.path.lexists(output) else f"; {printable_path(output)} not written"
            click.echo(f"interrupted before any file was scanned{left}", err=True)
            sys.exit(130)
        sink.finish(records, kept=set())
        click.echo(f"interrupted: {count} of {total[0]} scanned, kept in "
                   f"{printable_path(db_path) if db_path else 'no database'}", err=True)
        sys.exit(130)  # (143, 129 after SIGTERM, SIGHUP: blurscan.cli)
    finally:
        if progress is not None:
            progress.stop()
        if seed is not None:
            gen.close()  # (flushes its last batch first)
            store.close()
    kept = discarded = set()
    if db_path is not None and fmt == "table":
        from ..store import Store

        with Store(db_path) as store:
            kept, discarded = report.table_decisions(store, records)
    if count or not said_gone or fmt != "table":
        sink.finish(records, kept=kept, discarded=discarded)
    else:  # (no table of nothing: an --output file is left as it was)
        sink.abandon()
    seconds = time.monotonic() - started
    counts = ", ".join(f"{n} {name}{'s' if name == 'error' and n != 1 else ''}" for name, n in tally.items())
    counts = "" if table_on_terminal else f": {counts}"
    if not count and new_db and _remove_database(db_path):  # a folder without photos (a mistyped path, say):
        db_path = None                                        # leave no database behind
    reused = f"{cached - moved} unchanged, reused" if not moved else \
        f"{cached - moved} unchanged and {moved} moved or renamed, reused"
    for line in walked_past_notes(passed_over, named):  # (a managed library, a link to a folder not followed)
        click.echo(line, err=True)
    # (nothing but PATHs not there, and no database, whose records of them the scan forgot: their lines said it all)
    if count or not said_gone or passed_over or db_path is not None:
        click.echo(f"scanned {count} file{'s' if count != 1 else ''}{counts} ({reused}) in "
                   f"{seconds:.1f} s; database: {printable_path(db_path) if db_path else 'none'}"
                   f"{passed_over_words(passed_over)}", err=True)
        if not count and not said_gone:
            click.echo("no image files found", err=True)
    for line in empty_folder_notes(named, typed, db_path):  # (a share not mounted: its photos' records kept)
        click.echo(line, err=True)
    for line in unmounted_link_notes(named, typed, db_path, follow_symlinks):  # (a link to a drive not mounted)
        click.echo(line, err=True)
    for line in mount_point_notes(mount_points):  # (a drive mounted inside the library, not mounted now)
        click.echo(line, err=True)
    for root, kept, n in merged:  # (a database an older scan doubled through a second mount point: mended)
        click.echo(f"note: merged {n} doubled record{'s' if n != 1 else ''} an older blurscan stored under "
                   f"{printable_path(root)}, {printable_path(kept)} reached through another mount point of its "
                   "drive, into the library's name (nothing scored again; where the two names' keep and discard "
                   "disagreed, the keep stays)", err=True)
    replaced = model_before - _model_results(db_path, paths) if model_before else 0
    if replaced > 0:
        click.echo(f"note: {replaced} photo{'s' if replaced != 1 else ''} scored by the model before now "
                   f"{'carry' if replaced != 1 else 'carries'} the classical rule's verdict (--model none), and "
                   "review, move and tag act on it; a scan without --model none scores them with the model "
                   "again. (laplacian_var, the classical figure, is in every record: comparing needs no "
                   "--model none.)", err=True)
    from ..rescored import note

    said = note(rescored)  # (a newer blurscan, another model, other settings: as long as a first scan, said why)
    if said:
        click.echo(said, err=True)
    if small:  # (reused: blurscan.too_small; until 2026-12-06 each decoded again and said on every scan)
        listing = _typed_here(db_path, "blurscan report --only errors")
        click.echo(f"note: {small} image{'s' if small != 1 else ''} too small to judge (under {MIN_JUDGED_SIDE} px "
                   f"on a side), unchanged since the last scan, not read again; `{listing}` lists them", err=True)
    said = small_images.note(_typed_here(db_path, "blurscan move --to DIR --min-p-blurry P")) \
        if small_images.count and db_path else None  # (the move as typed here: until 2026-12-07 without --to)
    if said:
        click.echo(said, err=True)
    if redated:  # (dates read by an older blurscan's rules, read again: redate.py)
        click.echo(redated_note(redated), err=True)
    names = alike.alike()
    if names:  # (the table shows them alike: until 2026-12-06 nothing told the person they were two names)
        click.echo(f"note: {len(names)} photos are named alike but for the Unicode form of their names, composed "
                   f"or decomposed ({printable_path(names[0])} ...): different files, each a photo of its own, "
                   "its sidecars those named exactly after it", err=True)
    if missing:
        sys.exit(1)


def _typed_here(db_path, command: str) -> str:
    """``command`` for the database ``db_path`` as it can be typed where the scan ran (:func:`.actions.typed`): the
    library or ``--db`` named where the current folder does not find it (a bare `blurscan report` found none there,
    until 2026-12-07)."""
    from .actions import typed

    return typed(db_path, command)


def _home_expanded(paths) -> tuple:
    """``paths`` with a leading ``~`` or ``~user`` read as the walk reads it (:func:`.path_given.home_expanded`)."""
    return tuple(home_expanded(p) for p in paths)


# -- helpers ------------------------------------------------------------------------------------------------

def _make_database(db_path: Path, seed) -> None:
    """Make the new database ``db_path`` (its tables; with ``seed``: the databases it starts from, remembered),
    so that a scan choosing its database next finds it (:mod:`blurscan.cli.db_creation`); the scan opens it again."""
    from ..store import Store

    if seed is None:
        Store(db_path).close()
        return
    from ..seeded import SeededStore, mark_unfinished

    with SeededStore(db_path, seed, decisions=not isinstance(seed, list)) as store:
        if isinstance(seed, list):  # (the sub-folders' databases: they seed its scans until one goes through it)
            mark_unfinished(store)


def _went_through(paths, db_path: Path) -> bool:
    """Whether a scan of ``paths`` that went to its end went through the library of ``db_path`` (its folder)."""
    folder = os.path.dirname(os.path.abspath(db_path))
    return any(os.path.isdir(p) and canonical(p) == folder for p in paths)


def _remove_database(db_path: Path) -> bool:
    """Remove a database this scan created, which holds nothing, unless another process uses it: a scan of the
    library started meanwhile found it and is writing there (until 2026-12-04 it was unlinked under that scan,
    which then said it had stored 1,500 photos in a database that was gone). This scan's connection is closed:
    when it was the last, SQLite removed the ``-wal`` and ``-shm`` files, so either file there means another
    connection is open; one that came and went has left rows, which are read without a lock (``immutable``: no
    side file made, nothing changed). Returns whether the database was removed."""
    import sqlite3
    import urllib.parse

    if any(os.path.lexists(f"{db_path}{suffix}") for suffix in ("-wal", "-shm", "-journal")):
        return False
    uri = f"file:{urllib.parse.quote(os.fsencode(os.path.abspath(db_path)))}?immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            if any(conn.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() for name in tables if name != "meta"):
                return False
        finally:
            conn.close()
    except sqlite3.Error:
        return False  # (not readable as a database now: not ours to remove)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(db_path)
    return True


def _library_named(paths, db_path: Path, folders: dict[str, str], given: bool) -> tuple[tuple, Path]:
    """``paths`` as the library of the database at ``db_path`` names them
    (:func:`blurscan.library_root.library_names`), each renamed said in a note, and the database's own path at the
    same place (not for a ``--db`` given): ``scan DISK1/lib``, the drive of a library scanned at ``DISK/lib``
    mounted at both, scans ``DISK/lib`` into ``DISK/lib/.blurscan.db``, whose photos it finds unchanged."""
    from ..library_root import as_stored, library_names, library_root
    from ..mount_twins import doubled_roots, library_after
    from ..store import Store
    from .network_share import share_names, share_type

    try:
        with Store(db_path, readonly=True) as store:
            doubled = doubled_roots(store)  # (stored twice by an older scan: the library as the scan mends it)
            after = library_after(store, doubled) if doubled else None
            named = library_names(store, paths, folders, library=after)
            shared = (after or library_root(store)) if named == list(paths) else None
            named = share_names(paths, shared, folders) if shared is not None else named  # (another mount of it)
            library = (after or library_root(store)) if named != list(paths) else None
    except StoreError:  # (unreadable or newer: the scan itself says why)
        return paths, db_path
    if library is None:
        return paths, db_path
    renamed = [(path, name) for path, name in zip(paths, named) if name is not path]
    if renamed:  # (said once: a --files-from list of 5,000 photos is one line)
        (path, name), more = renamed[0], len(renamed) - 1
        others = f" (and {more} other path{'s' if more != 1 else ''} given)" if more else ""
        what = "network share" if share_type(name) is not None else "drive"
        click.echo(f"note: {printable_path(path)} is {printable_path(name)} of the library{others}, reached through "
                   f"another mount point of its {what}: its photos are kept under the library's name", err=True)
    if not given:  # (the same file, under the library's name: `database: DISK/lib/.blurscan.db`)
        db_path = Path(as_stored(canonical(db_path.parent), library)) / db_path.name
    return tuple(named), db_path


def _model_results(db_path: Path | None, paths) -> int:
    """Stored records under the scanned paths that carry a model's ``p_blurry`` (0 without a database)."""
    from ..store import Store, in_any

    if db_path is None or not os.path.isfile(db_path):
        return 0
    roots = {canonical(p) for p in paths if os.path.lexists(p)}
    try:
        with Store(db_path, readonly=True) as store:
            if len(roots) <= 4:  # (a query each, in SQL; many: one reading of the table, not a query each)
                return sum(store.model_results(r) for r in roots
                           if os.path.dirname(r) == r or not in_any(os.path.dirname(r), roots))
            return len(store.paths_under_any(roots, model_only=True))
    except StoreError:  # unreadable or newer: the scan itself says why
        return 0


def _stdout_is_stderr() -> bool:
    """Whether standard output and standard error reach the same place: both a terminal, or one open file or
    pipe (``> scan.log 2>&1``, ``2>&1 | less``)."""
    try:
        if sys.stdout.isatty() and sys.stderr.isatty():
            return True
        out, err = os.fstat(sys.stdout.fileno()), os.fstat(sys.stderr.fileno())
    except (OSError, ValueError, AttributeError):  # closed, or replaced by an object without a descriptor
        return False
    return (out.st_dev, out.st_ino) == (err.st_dev, err.st_ino)
