"""The batches that ``undo`` and ``undo --list`` cannot see: those in a library's own ``.blurscan.db`` that this
user may not write (another user's, on a drive plugged into a second computer; a read-only mount), when the
commands use the cache-folder database this user's scans keep in its place (:func:`~blurscan.cli.locate.find_db`),
which holds none. Until 2026-12-07 they said "No batches." and "Nothing to undo: no move, trash or tag batch in
~/.cache/blurscan/... yet", and nothing said that the moves and trashes made with the library's own database
existed, nor how to undo them (:func:`elsewhere_note`)."""
from __future__ import annotations

import os
from pathlib import Path

from ..config import DEFAULT_DB_NAME
from ..errors import StoreError, printable_path, shell_path
from ..owner_names import user_name
from ..permissions import why_not_readable, why_not_writable
from ..typed_commands import as_run


def _library_db(path: str | None, used: str) -> Path | None:
    """The library's own database that ``find_db`` passed over for ``used`` (the cache folder's): the nearest
    ``.blurscan.db`` from PATH up, when it is not ``used`` and this user may not write it; else None."""
    from .linked_folders import library_path
    from .locate import _up_from, _writable

    root = Path(library_path(path or "."))
    library = next((f / DEFAULT_DB_NAME for f in _up_from(root) if os.path.isfile(f / DEFAULT_DB_NAME)), None)
    if library is None or _writable(library):
        return None
    try:
        if os.path.samefile(library, used):
            return None
    except OSError:
        return None
    return library


def _batches(library: Path) -> tuple[int, int] | None:
    """How many batches the database holds, and how many of them a plain undo could still reach (neither undone
    nor closed, having moved or tagged something); None when it cannot be read."""
    from ..actions import list_batches
    from ..store import Store

    try:
        with Store(library, readonly=True) as store:
            batches = list_batches(store)
    except (StoreError, OSError):
        return None
    return len(batches), sum(b.state not in ("undone", "closed") and b.moved > 0 for b in batches)


def elsewhere_note(store, path: str | None) -> str | None:
    """``note: the library's own database DB (read-only to this user, owned by U) holds 2 batches (1 not undone)
    that this user's database STORE does not: `blurscan undo --list --db DB` lists them; to undo one, run `blurscan
    undo --db DB` as U``: said by ``undo --list`` and ``undo`` with no batch in
    ``store``, found from PATH (``path``), when the library's own database, which this user may not write, holds
    batches. A library database this user may not read is named as such (its batches cannot be counted). None
    when there is nothing to say."""
    library = _library_db(path, store.path)
    if library is None:
        return None
    try:
        owner = user_name(os.stat(library).st_uid)
    except OSError:
        return None
    mine = os.stat(library).st_uid == os.geteuid()
    db = shell_path(str(library))
    undo = f"`{as_run('blurscan undo')} --db {db}`"
    run_it = (f"run {undo} once it can be written (it {why_not_writable(library) or 'is read-only'})" if mine else
              f"run {undo} as {owner}")
    counted = _batches(library)
    if counted is None:
        if why_not_readable(library) is None:
            return None
        return (f"note: the library's own database {printable_path(library)} {why_not_readable(library)}: any move, "
                f"trash or tag batch made with it is not listed here; to list or undo one, {run_it}")
    n, open_ = counted
    if not n:
        return None
    whose = "read-only to this user" + ("" if mine else f", owned by {owner}")
    return (f"note: the library's own database {printable_path(library)} ({whose}) holds {n} batch"
            f"{'es' if n != 1 else ''} ({open_} not undone) that {printable_path(store.path)} does not: "
            f"`{as_run('blurscan undo --list')} --db {db}` lists {'them' if n != 1 else 'it'}; to undo "
            f"{'one' if n != 1 else 'it'}, {run_it}")
