"""A folder *linked into* a library (``lib/trip -> /data/trip``) named to a command: the name its photos have in
the library's database (:func:`library_path`), and the refusals and errors of such a folder whose photos the
library's database does not hold under the link's name (:func:`refuse_linked_folders`, :func:`unfollowed_link`).
The rules are described in ``docs/scan.md`` (What is scanned)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import StoreError, printable_path, shell_path
from ..typed_commands import program
from .locate import _fallback_db, _up_from, current_folder, find_db


def library_path(path: str | os.PathLike) -> str:
    """``path`` as the library's database names what is under it: :func:`~blurscan.walk.canonical` (links among
    its folders resolved), except for a folder *linked into* a library (``lib/trip -> /data/trip``, scanned
    with ``--follow-symlinks``: its photos are stored as ``lib/trip/...``) when the resolved path has no
    database of its own: then the path through the link, when the nearest library above it (its
    ``.blurscan.db``, or the cache-folder database of a read-only one) holds photos there. (Resolved whole,
    ``report lib/trip`` and ``review lib/trip`` looked for a database above ``/data/trip`` and said to run a
    scan, which would have made a second one; until 2026-12-04.) A path with ``..`` is resolved whole, as the
    system reads it: ``lib/trip/../other`` is ``/data/other``, not ``lib/other``. The current folder is the one
    the shell shows (``$PWD``, when it is this folder), so ``cd lib/trip && blurscan report`` works too."""
    return _named(path)[0]


def linked_library(path: str | os.PathLike) -> str | None:
    """The library (its folder, as given) into which ``path`` is in a folder linked, its photos stored under the
    link's name (a ``--follow-symlinks`` scan): a scan of ``path`` alone is refused there
    (:func:`refuse_linked_folders`), the library's is the one to run; None otherwise."""
    return _named(path)[1]


def _named(path, bounded: bool = True) -> tuple[str, str | None]:
    """``(library_path(path), the library folder as given)``; the folder is None when ``path`` is not in a folder
    linked into a library whose database holds photos under the link. ``bounded``: a linked tree the database holds
    nothing under is looked at up to report's note's bound (the commands that read); the scan's refusal
    (:func:`refuse_linked_folders`) looks at it in full, as the scan would."""
    given, root = _given(path)
    found = _library_above(given) if given is not None else None
    if found is None:
        return root, None
    _folder, joined, held, library, _db = found
    if held is True:
        return joined, library
    from .scan_notes import NOTE_ENTRIES

    nothing = _nothing_to_scan(found[0], given, NOTE_ENTRIES if bounded else None)
    if nothing is None:  # (a large tree, nothing in it so far: the library's scan is the one that adds it)
        return joined, library
    if nothing:  # (empty, or no photos: as an empty folder of the library, not in it)
        return joined, None
    return root, None  # (a link that library's scans never followed: not in it)


def _given(path) -> tuple[str | None, str]:
    """``(path as given, made absolute, or None, path resolved)``: None when the two are the same, or the resolved
    path is not there, has a database of its own (or above it), or ``path`` has a ``..`` (resolved whole)."""
    from ..walk import canonical

    text = os.path.expanduser(os.fsdecode(path))
    given = absolute_as_given(text)  # (first: a relative path with no current folder is said to have none)
    root = canonical(path)
    if ".." in Path(text).parts or not os.path.exists(root):
        return None, root
    if given == root or find_db(root if os.path.isdir(root) else os.path.dirname(root), quiet=True) is not None:
        return None, root
    return given, root


def absolute_as_given(path) -> str:
    """``path`` made absolute, its links kept, from the current folder the shell shows (``$PWD``, when it is this
    folder)."""
    text = os.path.expanduser(os.fsdecode(path))
    if os.path.isabs(text):  # (an absolute path needs no current folder)
        return os.path.normpath(text)
    here = current_folder()
    shown = os.environ.get("PWD")
    base = shown if shown and os.path.isabs(shown) and os.path.realpath(shown) == here else here
    return os.path.normpath(os.path.join(base, text))


def _library_above(given: str) -> tuple[str, str, bool | StoreError, str, str] | None:
    """For ``given`` (through a link, see :func:`_given`): ``(the nearest folder above it, as given, with a
    database, given's name in that database, whether the database holds photos under the link on the way to it
    (:func:`_holds_there`: whether the library's scans followed it), the
    library's folder as given, the database)``, or None. The nearest folder is where the way out of the library begins (the link below it)."""
    from ..walk import canonical

    for folder in _up_from(Path(given).parent):
        real = canonical(folder)
        found = find_db(real, quiet=True)
        if found is None:
            continue
        joined = os.path.join(real, os.path.relpath(given, folder))
        # whether the library's scans followed the link is told by the photos held under the link, not under
        # given: an empty folder in a followed link (lib/trip/empty), or one made since its scan, was said to be
        # in a link they "did not follow", and its scan refused so (until 2026-12-07)
        link = _link_below(str(folder), given) or given
        held = _holds_there(found, os.path.join(real, os.path.relpath(link, folder)))
        return str(folder), joined, held, _library_folder(folder, found), str(found)
    return None


def _holds_there(found: Path, joined: str) -> bool | StoreError:
    """Whether the database ``found`` has a record at or under ``joined``; the error met when it cannot be read
    (not a database, written by a newer blurscan ...): a command given any folder under it says that, not that it
    holds no photos there (until 2026-12-07 a file left as ``~/.blurscan.db`` that was no database made the
    commands given ``~/Pictures``, a link, say that the scans of the library ``~`` did not follow it, and advise
    `blurscan scan ~ --follow-symlinks`, which failed on it)."""
    from ..store import Store

    try:
        with Store(found, readonly=True) as store:
            return store.holds(joined)
    except StoreError as exc:
        return exc


def _library_folder(folder: Path, found: Path) -> str:
    """The library whose database ``found`` is (found from ``folder``), named as ``folder`` is: ``folder`` or its
    nearest parent whose ``.blurscan.db`` (or cache-folder database) ``found`` is, else ``found``'s folder. (Until
    2026-12-07 ``folder`` itself: ``lib/2024/trip``'s line named "the library lib/2024" and its scan, whose
    photos under the link the library's next plain scan forgets.)"""
    from ..config import DEFAULT_DB_NAME
    from ..walk import canonical

    for above in _up_from(folder):
        real = Path(canonical(above))
        if found in (real / DEFAULT_DB_NAME, _fallback_db(real)):
            return str(above)
    return str(found.parent) if found.name == DEFAULT_DB_NAME else str(folder)


def unfollowed_link(path, named=None, most_entries: int | None = None) -> StoreError | None:
    """The error of ``path`` (a folder or file, as named) in a folder linked into a library (``lib/trip ->
    /data/trip``) whose database holds no photos there (its scans never followed the link, or a plain rescan
    after a ``--follow-symlinks`` one forgot them), when the link's target has no database of its own: one line
    naming the link, its target and the two ways out, the library's ``--follow-symlinks`` scan or a scan of the
    target by its own name; ``named``: the path the line begins with (default: ``path``). None otherwise.
    ``report lib/trip`` (and ``review``, ``bursts``, ``move``, ``trash``, ``tag``, ``undo``) said there that `/data/trip` had no database, to be scanned, naming neither the link nor
    ``--follow-symlinks``, and ``scan lib/trip`` made a second database in ``/data/trip`` (until 2026-12-07).
    ``most_entries``: how far the target is looked at for something to scan (:func:`_nothing_to_scan`)."""
    given, root = _given(path)
    found = _library_above(given) if given is not None else None
    if found is None or found[2] is True:
        return None
    if isinstance(found[2], StoreError):  # (the library's database cannot be read: that is what is wrong)
        return found[2]
    folder, library, database = found[0], found[3], found[4]
    link = _link_below(folder, given)
    if link is None or _nothing_to_scan(folder, given, most_entries) is not False:  # (None: not looked at in full)
        return None
    target = os.path.realpath(link)
    named = path if named is None else named
    if os.fsdecode(named) in (".", ""):  # (the current folder: named by its path, as the shell shows it)
        named = given
    where = "" if absolute_as_given(named) == link else f"in {printable_path(link)}, "
    return StoreError(f"{printable_path(named)}: {where}a symbolic link to {printable_path(target)}, a folder the "
                      f"scans of the library {printable_path(library)} did not follow (its database, "
                      f"{printable_path(database)}, holds no photos there): `{program()} scan {shell_path(library)} --follow-symlinks` adds them to the library's "
                      f"database (reading only new or changed photos), or `{program()} scan {shell_path(target)}` keeps "
                      "a database of their own there")


def _link_below(folder: str, given: str) -> str | None:
    """The first symbolic link on the way from ``folder`` down to ``given`` (both as given), or None."""
    link = folder
    for part in Path(os.path.relpath(given, folder)).parts:
        link = os.path.join(link, part)
        if os.path.islink(link):
            return link
    return None


def _nothing_to_scan(folder: str, given: str, most_entries: int | None = None) -> bool | None:
    """Whether the link below ``folder`` on the way to ``given`` leads to a folder in which a scan (following
    links) finds nothing to store, neither a photo nor a problem to record (empty, or only documents): the
    library's ``--follow-symlinks`` scans store nothing there either, so its database holding nothing there says
    nothing of whether they followed it, and no scan of it makes a database. Until 2026-12-07 such a link was said to
    be one the library's scans "did not follow", whose photos a ``--follow-symlinks`` scan adds.

    ``most_entries`` (the commands that read: ``report PATH``'s note's bound,
    :data:`~blurscan.cli.scan_notes.NOTE_ENTRIES`): a tree holding nothing in its first that many directory
    entries is not looked at further: None (not known), taken as a folder of the library whose note names the
    library's ``--follow-symlinks`` scan; the scan's refusal (:func:`refuse_linked_folders`) walks it in full, as
    the scan would. Until 2026-12-07 every command walked a linked tree of documents in full, twice, first."""
    from ..walk import walk
    from ..walk_state import WalkCut

    link = _link_below(folder, given)
    if link is None or not os.path.isdir(link):
        return False
    try:
        return next(iter(walk([link], follow_symlinks=True, most_entries=most_entries)), None) is None
    except WalkCut:
        return None


def refuse_linked_folders(paths) -> None:
    """Refuse (:class:`~blurscan.errors.StoreError`) a scan without ``--db`` of a folder linked into a library
    (``lib/trip -> /data/trip``) or of a file in one, when the link's target has no database of its own: the
    scan walks the target, and made a second database there (``/data/trip/.blurscan.db``), which ``report``,
    ``review`` and the actions given ``lib/trip`` then read instead of the library's. Scanned with ``lib
    --follow-symlinks``, its photos are stored as ``lib/trip/...``, and that database had none of the library's
    keeps: ``move lib/trip --all-blurry`` took a photo kept in the library (until 2026-12-05). A link the
    library's scans never followed (or whose photos a plain rescan forgot) made one quietly, until 2026-12-07
    (:func:`unfollowed_link`). One check per folder named."""
    from ..permissions import may_exist
    from ..walk import canonical

    folders: dict[str, str] = {}  # folder named, or a named file's folder -> the path named
    for path in paths:
        if may_exist(path):
            text = os.path.expanduser(os.fsdecode(path))
            folders.setdefault(text if os.path.isdir(canonical(path)) else os.path.dirname(text) or ".", path)
    for folder, path in folders.items():
        # (None too for a link to a folder without photos: no database is made); the tree looked at in full: until
        # 2026-12-07 past report's note's bound it was taken for one whose photos the library's database holds,
        # and `scan lib/docs` refused saying so (a tree of documents only, or one those scans never followed)
        library = _named(folder, bounded=False)[1]
        if library is not None:
            database = find_db(canonical(library), quiet=True)
            raise StoreError(f"{printable_path(path)}: in a folder linked into the library {printable_path(library)}, "
                             f"whose database ({printable_path(database)}) holds its photos under the link's name: "
                             "scan the library (`blurscan "
                             f"scan {shell_path(library)} --follow-symlinks`, which reads only new or changed "
                             "photos), or pass --db to keep a database of the link's target apart")
        error = unfollowed_link(folder, path)
        if error is not None:
            raise StoreError(f"{error} (or pass --db)")
    refuse_links_out_of_root(paths)


def refuse_links_out_of_root(paths) -> None:
    """Refuse (:class:`~blurscan.errors.StoreError`) a scan without ``--db`` that names a symbolic link to a folder
    outside the folder of the other paths it names (``scan lib/*``, ``lib/trip -> ../ext/trip`` or
    ``/media/usb/trip``; a photo in such a link, named by a list), when no library database above says otherwise
    (:func:`refuse_linked_folders`), nor a database above them all whose library holds the link's target too.
    The walk scans a named link as its target, so the database was made in the
    common folder of ``lib`` and the target (``lib/..``, or the cache folder when that is ``/``), holding the
    link's photos under the target's name: every later ``scan lib`` used that database, and ``scan lib
    --follow-symlinks`` stored the photos a second time as ``lib/trip/...`` (until 2026-12-07). Refused as a scan
    of ``lib/*`` is once ``lib`` has a database, with the ways out. One check per folder named."""
    from ..permissions import may_exist
    from ..walk import canonical

    named: dict[str, str] = {}  # folder named (links kept), or a named file's folder -> the path named
    base = None  # (the current folder as the shell shows it, looked up once: a --files-from list of 100,000)
    for path in paths:
        text = os.path.expanduser(os.fsdecode(path))
        if os.pardir in text.split(os.sep):  # (a `..` is read as the system reads it: as named)
            continue
        if not os.path.isabs(text) and base is None:
            base = absolute_as_given(".")
        given = os.path.normpath(text if os.path.isabs(text) else os.path.join(base, text))
        try:
            is_dir = stat.S_ISDIR(os.stat(given).st_mode)
        except OSError:  # (a broken link, a name this user may not look up: in its folder, when there)
            if not may_exist(given):
                continue
            is_dir = False
        named.setdefault(given if is_dir else os.path.dirname(given), path)
    if len(named) < 2:  # (a link named alone is its target, whose database is its own: scan lib/trip)
        return
    try:
        root = os.path.commonpath(list(named))
    except ValueError:  # (different drives)
        return
    real_root, resolved = canonical(root), {}
    within = {folder: _within(_resolved(folder, root, real_root, resolved), real_root) for folder in named}
    if not any(within.values()):
        # every path named goes out through a link (`scan ~/Pictures ~/Downloads`, both links to /data/...): they
        # name the targets' tree, whose common folder keeps the database, as before
        return
    library = None  # (the database above the paths' common folder, looked up once: find_db)
    for folder, path in named.items():
        if within[folder]:
            continue  # (a link to a folder of the same library, lib/best -> 2024/best: scanned under its own name)
        link = _link_below(root, folder)
        if link is None:
            continue
        # a link into a folder of a library database above both (`scan ~/Pictures/*` with ~/.blurscan.db and
        # ~/Pictures/trip -> ~/Archive/trip): that database is the scan's, holding the photos under the target's
        # name as its own scans do; refused until 2026-12-07, advising scans that stored them twice
        # (not the cache-folder database of `/`, where a scan of folders with no common folder but `/` keeps its
        # results: one holding photos under both, as the refused `scan ~/Pictures/*` of a link to a drive made
        # before 2026-12-07, was taken for such a library, and that scan was no longer refused)
        library = find_db(real_root, quiet=True) if library is None else library
        if library not in (None, _fallback_db(Path(Path(real_root).anchor))) and \
                find_db(canonical(folder), quiet=True) == library:
            continue
        target, where = os.path.realpath(link), shell_path(real_root)
        # (relpath: `//lib/trip`, which the system reads as `/lib/trip`, is the link named, not a path in it:
        # "in /lib/trip, a symbolic link" of the link named until 2026-12-07)
        inside = "" if os.path.relpath(absolute_as_given(path), link) == os.curdir else f"in {printable_path(link)}, "
        raise StoreError(f"{printable_path(path)}: {inside}a symbolic link to {printable_path(target)}, a folder outside "
                         f"{printable_path(real_root)}, named with the other paths there: `{program()} scan {where} "
                         f"--follow-symlinks` scans the library with its photos under the link's name (`{program()} "
                         f"scan {where}` without them), or `{program()} scan {shell_path(target)}` keeps a database of "
                         "their own there (or pass --db)")


def _resolved(folder: str, root: str, real_root: str, known: dict[str, str]) -> str:
    """:func:`~blurscan.walk.canonical` of ``folder`` (normalised, ``root`` or under it; ``real_root``: the canonical
    ``root``) from its resolved parent's (``known``, filled in): one ``lstat`` a folder below ``root`` that is no
    link, a full resolve of the others. A whole resolve of each folder named (``scan lib/*`` of 5,000 folders) made
    the scan's CPU time 1.15 times that of a scan before the check (2026-12-07)."""
    from ..walk import canonical

    chain = []
    while folder != root and folder not in known:
        chain.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:  # (not under root after all: never, root being their common folder)
            return canonical(chain[0])
        folder = parent
    real = real_root if folder == root else known[folder]
    for folder in reversed(chain):
        try:
            is_dir = stat.S_ISDIR(os.lstat(folder).st_mode)  # (a link is no folder here: resolved in full)
        except OSError:
            is_dir = False
        real = known[folder] = os.path.join(real, os.path.basename(folder)) if is_dir else canonical(folder)
    return real


def _within(real: str, real_root: str) -> bool:
    """Whether the resolved folder ``real`` is ``real_root`` or under it."""
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)
