"""``blurscan review``: open the review page of a scanned folder."""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys

import click

from ..dbfile import check_database_file, check_writable, database_not_found
from ..errors import UsageError, printable_path
from .. import stop_signals
from .path_given import DbFile, not_empty, refuse_file_as_folder
from .share_moved import follow_share


@click.command("review", short_help="Look at flagged photos in your browser; keep or discard them.")
@click.argument("path", required=False, type=click.Path(file_okay=True, dir_okay=True, path_type=str),
                callback=not_empty)
@click.option("--db", "db", type=DbFile(),
              help="Database file (default: .blurscan.db in PATH or its nearest parent folder that has one).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0 = any free port).")
@click.option("--no-browser", is_flag=True, help="Do not open a browser; just print the URL.")
def review(path: str | None, db: str | None, port: int, no_browser: bool) -> None:
    """Look at the flagged photos in your browser and keep or discard them.

    Starts a local web page (127.0.0.1 only): the URL printed carries a random token, the browser opened a
    one-time login code. Keys: arrows move, k keep, d discard (either then goes to the next photo), u undo the
    last decision, Enter / Esc open and close a photo, z zoom to 100 %, m blur map, r read the list again (the
    photos new since the page was loaded), b bursts view (there Enter opens a shot, Space makes it the keeper).
    Decisions are stored in the database: a photo you keep is not flagged again unless the file changes.

    PATH (default: the current folder) finds the library's database (.blurscan.db in it or its nearest parent
    folder), and a folder inside the library opens the page on that folder; --db FILE opens that database.

    Then move the discarded photos away with `blurscan move --to DIR PATH` (a dry run first; PATH: the library's
    folder, or `--db FILE` for a database given by --db).
    """
    # (until 2026-12-07 the keys' list left out r and that k / d go on to the next photo, which the page and
    # docs/review.md say; and the help said `blurscan move --to DIR`, which typed outside the library found no database)
    from ..processes import give_back_large_buffers
    from ..review.server import ReviewServer
    from . import EXIT_INTERRUPTED, ctrl_c, quiet_native_decoders
    from .linked_folders import library_path
    from .locate import find_db, must_exist, no_database  # the same rule as `blurscan report`: PATH or its nearest parent

    quiet_native_decoders()

    if path and db:
        raise UsageError("give either PATH or --db, not both")
    refuse_file_as_folder(path)  # (`review lib/x.jpg/`: opened on the photo's folder until 2026-12-07)
    if db:
        if not os.path.exists(db):
            raise database_not_found(db)
        db_path = db
    else:
        named = path or "."  # (the shell's $PWD: a folder linked into the library, as report reads it)
        root = library_path(named)
        if path is not None:
            must_exist(root, path)  # (PATH on a drive not mounted: said so, exit 1 as before)
        found = find_db(root if os.path.isdir(root) else os.path.dirname(root))
        if found is None:
            raise no_database(root, named)
        db_path = str(found)
    folder = os.path.dirname(os.path.abspath(db_path))
    # the page stores decisions: a database that cannot be written (a read-only mount, another user's folder,
    # as root too a file or folder with no write bit) is refused now, why and what to do as the other commands say
    check_database_file(db_path)  # (a folder, a photo given to --db: said to be that first, whatever its mode)
    check_writable(db_path)
    follow_share(db_path)  # (the library's network share no longer mounted where it was scanned: named where it is)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # PATH inside the library: the page opens filtered to it, as report and the actions limit themselves to it;
    # the library itself, not (its database's folder, or the library a cache-folder database was scanned from:
    # until 2026-12-05 a read-only library opened filtered to itself, "Whole library: ..." and an option for it)
    inside = None
    if not db and path is not None:
        shown = root if os.path.isdir(root) else os.path.dirname(root)  # a photo: its folder
        library = _library_of(db_path)
        if library is not None:  # (PATH through another mount point of the library's drive or share: its name)
            from ..library_root import as_stored

            shown = as_stored(shown, library)
        inside = shown if shown not in (folder, library) else None
    _say_linked_names(db_path, None if db else root, bool(db))
    # the buffers of a large photo's thumbnail given back when freed, not kept by each answering thread's arena
    # (the server's memory rose some 20 MiB each time the thumbnail folder was made again: until 2026-12-07)
    give_back_large_buffers()
    server = ReviewServer(db_path, port=port, db_hint=db_path, folder=inside)
    from ..review.thumbs import beside, no_cache_folder

    if server.app.config["BLURSCAN_CANNOT_WRITE"]:  # (a full disk: shown, each decision refused, until it can)
        click.echo(f"note: {server.app.config['BLURSCAN_CANNOT_WRITE']}; the page shows the photos, but records "
                   "no keep or discard until the database can be written again", err=True)
    if refused := no_cache_folder(db_path):  # (HOME empty or missing: nothing is made there)
        click.echo(f"note: cannot write {printable_path(beside(db_path))}, nor keep thumbnails in the cache folder: "
                   f"{refused}; each thumbnail is made again when shown", err=True)
    elif server.app.config["BLURSCAN_THUMBS"] != str(beside(db_path)):  # a .blurscan-thumbs made read-only
        click.echo(f"note: cannot write {printable_path(beside(db_path))}; keeping thumbnails in "
                   f"{printable_path(server.app.config['BLURSCAN_THUMBS'])}", err=True)
    from ..review import prune

    # from the moment the page is announced, Ctrl-C stops it the same way, while it starts too (it said
    # 'interrupted', not 'Stopped.', when pressed as the browser opened or the server started)
    from .bugreport import debug_hint_for_failed_requests

    without_hint = debug_hint_for_failed_requests()  # (a request failed unexpectedly: how to have its traceback)
    try:
        click.echo(f"Review page: {server.url}")
        click.echo("Only this URL (with its token) opens the page" + ("" if no_browser else ", and once the "
                   "one-time link the browser is opened with") + ". Press Ctrl+C to stop.")
        if not no_browser and not server.open_browser():
            click.echo("Could not open a browser: open the URL above yourself.", err=True)
        server.start()
        # old thumbnails (of photos edited, renamed, moved, deleted) are removed in the background: the page serves
        prune.start(db_path, server.app.config["BLURSCAN_THUMBS"], say=lambda line: click.echo(line, err=True))
        server.wait()  # until Ctrl-C: nothing else stops it
    except KeyboardInterrupt:
        with contextlib.suppress(ValueError):  # (ValueError: not the main thread)
            stop_signals.set_ctrl_c_handler(signal.SIG_IGN)  # a second Ctrl-C must not cut the shutdown short
        server.shutdown()
        ctrl_c.own_line()  # (not after the terminal's ^C: "^CStopped.", until 2026-12-06)
        click.echo("Stopped.")
        sys.exit(EXIT_INTERRUPTED)  # as every command stopped by Ctrl-C
    finally:
        server.shutdown()
        without_hint()


def _say_linked_names(db_path: str, root: str | None, db_given: bool) -> None:
    """Photos an older blurscan stored under a linked folder's name, under ``root`` (PATH, or the current folder;
    None with --db: anywhere): said on stderr before the page opens, which shows them under that name (the
    database read only, as `blurscan report` reads it)."""
    from ..store import Store
    from .linked_note import say_linked_names

    with Store(db_path, readonly=True) as store:
        say_linked_names(store, root, db_given)


def _library_of(db_path: str) -> str | None:
    """The library folder of the database (:func:`blurscan.library_root.library_root`), read only."""
    from ..library_root import library_root
    from ..store import Store

    with Store(db_path, readonly=True) as store:
        return library_root(store)
