"""What a scan forgets from the database, and what it leaves there, when files come and go while it runs.

A scan walks first and decodes afterwards, and ``blurscan move``/``trash``/``undo`` (another process, its own
journal) may move the library's photos in between. The records of those photos must stay right for undo:

* :func:`vanished` -- a file the walk found that is gone when it is opened for decoding (``file vanished``,
  :data:`blurscan.fileread.VANISHED`) gets an error record in this scan's output, but that record is stored only
  where the database holds no record of its path: a stored record is left as it is. The file may be one that
  ``move`` took away meanwhile, whose good record undo needs (until 2026-12-04 the error record replaced it:
  after the undo the photo was an error, no longer flagged blurry); a file really gone is forgotten by the next
  scan, as any other.
* :func:`prune` -- after a complete scan, the stored records under the scanned folders whose file the walk did
  not find are forgotten, except those of photos that a move or trash batch of the journal took away (an undo
  brings them back unchanged) and of photos that the journal says were moved or put back since the walk began
  and that are on disk now (``undo`` during the scan: until 2026-12-04 they were forgotten, and the photos it had
  put back were missing from report and review until the next scan), and photos whose record another scan
  stored since the walk began that are on disk now (`scan lib/2024` of photos copied in after this scan's walk:
  until 2026-12-05 they were forgotten until the next scan). A file that exists but that the walk does
  not take for other reasons (a hidden one, a RAW now beside its JPEG, another name of a file the walk found)
  is forgotten as before. So is the record of a file named on the command line that the walk passed over
  (``scan lib/*`` names a phone's ``.MOV`` and ``.AAE`` files, ``Thumbs.db``, a ``._`` AppleDouble file, the
  database: :mod:`blurscan.walk`): until 2026-12-05 each was read and got an error record, which stayed (only
  ``scan lib`` forgot it, since that day). So are the records at and under a path named on the command line
  that is no longer in its folder's listing (``scan lib/x.jpg`` after deleting it: until 2026-12-05 they stayed
  until ``scan lib``); where that folder is gone too (a drive not mounted) nothing is known, and nothing is
  forgotten, nor under an empty named folder unmodified since (:func:`not_mounted`: a share's mount point), nor
  under such a folder that the walk met inside a folder scanned (:func:`behind_mount_point`: ``~/Pictures/phone``,
  a drive mounted inside the library, not mounted: forgotten until 2026-12-07), nor,
  with ``--follow-symlinks``, under a link to such a folder or to nothing (:func:`behind_empty_link`,
  :func:`behind_broken_link`: a drive not mounted). The
  records an older blurscan stored under a linked name of a scanned folder (:mod:`blurscan.linked_names`) whose
  photo is gone are forgotten too (:func:`blurscan.linked_names.gone_below`: until 2026-12-05 they stayed,
  outside the scanned folders' names). The records of a managed library's
  originals that a walk passed over (:mod:`blurscan.managed`: stored by ``blurscan scan LIBRARY`` or by an older
  blurscan) stay while their files are there: the walk did not look at them (until 2026-12-06 each ``scan
  ~/Pictures`` forgot them, and naming the library again decoded its photos afresh); its thumbnails' are forgotten.
"""
from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from .fileread import VANISHED
from .linked_names import gone_below
from .managed import originals_passed_over
from .records import ScanRecord
from .store import db_path, path_from_db
from .walk import UNLISTED, canonical, link_to_nothing, named_as_folder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Since:
    """When a scan's walk began, told without the clock as well: the system clock may be set back meanwhile (NTP
    after a wrong time, a virtual machine resumed, a person), and an ``undo`` run during the scan then wrote its
    journal rows at a time before the walk's: the photos it had put back were forgotten until the next scan, their
    decisions left without a record (until 2026-12-06). ``at``: the time; ``states``: the state of each move and
    trash row of the journal then; ``last_rowid``: the newest ``images`` row then (a record another scan stores
    later gets a greater one)."""

    at: float
    states: dict[int, str] = field(default_factory=dict)
    last_rowid: int = 0


#: Folders named (walked, or deleted since they were scanned) up to which the stored paths under each are read by
#: a query of their own; beyond, one reading of the table finds those under any of them (a query reads the whole
#: table: the square of their number). That reading, in Python, costs 15 to 40 of SQLite's queries (100,000
#: photos); until a fix on 2026-12-06 it was taken past 8 folders and for any deleted path: `scan` of 10 small
#: folders of a 100,000-photo library took 1.7 times as long, of one deleted folder 2.5 times.
FOLDERS_READ_ALONE = 16


def walk_began(store) -> Since:
    """The :class:`Since` of now, read from ``store``."""
    states = dict(store.conn.execute("SELECT j.id, j.state FROM journal j JOIN batches b ON b.id = j.batch_id "
                                     "WHERE b.kind != 'tag'"))
    last = store.conn.execute("SELECT MAX(rowid) FROM images").fetchone()[0]
    return Since(time.time(), states, last or 0)


def vanished(record: ScanRecord) -> bool:
    """Whether ``record`` is the error of a file gone between the walk and its decoding (of a RAW + JPEG pair:
    the JPEG gone, whose path the record has), which must not replace a stored record of its path."""
    return record.status == "error" and (record.error or "").startswith(VANISHED)


def prune(store, paths: Iterable, items: list, moved: Iterable[str] = (), since: Since | None = None, *,
          outside: dict[str, list[str]], follow_symlinks: bool = False, empty: Iterable[str] = (),
          kept: dict[str, int] | None = None) -> None:
    """Forget stored rows under the scanned folders whose file was not found by this walk (``items``), and of the
    files named in ``paths`` that it did not take (passed over, or another name of a file it found), and the
    old paths of the photos this scan found moved or renamed by hand (``moved``, wherever they were: a library
    folder renamed, ``lib`` to ``lib2``, left ``lib``'s rows for good, and took ``lib``'s parent for the
    library), except photos that ``blurscan move``/``trash`` took away (an undo brings them back unchanged: their
    records are still right) and photos the journal moved or put back since ``since`` (when the walk began) that
    are on disk now (one ``lstat`` each, for the rows about to be forgotten only). ``outside``: the
    records outside the scanned folders, by folder, as the scan's :func:`blurscan.linked_names.adopt` read them
    (for :func:`blurscan.linked_names.gone_below`: the table is not read a second time). With
    ``follow_symlinks``, the records under a symbolic link whose target is not there (:func:`behind_broken_link`:
    a drive not mounted) are kept, as those under a folder that cannot be listed: nothing is known of its photos
    (until 2026-12-07 the scan forgot them, and said it passed over a file without a suffix), and so are those
    under a link whose target is an empty folder not modified since (:func:`behind_empty_link`: the mount point a
    drive not mounted leaves, as for a folder named, :func:`not_mounted`; forgotten without a word until
    2026-12-07); without it, they are
    forgotten, as by a scan of the link's folder, also where the link is named (``scan lib/*``: until 2026-12-07
    they were kept without a word). ``empty``: the folders the walk listed with nothing in them
    (:func:`blurscan.walk.walk`'s ``empty_folders``); the records under one that looks like the mount point of a
    drive not mounted (:func:`behind_mount_point`) are kept, and ``kept`` gets that folder -> how many."""
    away = store.moved_away()
    seen = {item.path for item in items} | away
    # a folder that could not be listed (no permission, an I/O error on a network share): its files are not
    # known to be gone, and were forgotten -- scored again once it could be listed
    unlisted = tuple(item.path.rstrip(os.sep) + os.sep for item in items
                     if isinstance(item, ScanRecord) and (item.error or "").startswith(UNLISTED))
    gone, walked, deleted = [], [], []
    taken: set[str] = set()  # what gone holds (looked up once a named path, not read through: see `add`)
    named_files: set[str] = set()
    listings: dict[str, frozenset[str] | None] = {}  # folder -> its names, listed once (_not_in_its_folder)

    def add(paths) -> None:
        for path in paths:
            if path not in taken:
                taken.add(path)
                gone.append(path)

    roots = []  # (the named paths' canonical names, for originals_passed_over: not worked out a second time)
    for raw in paths:
        root = canonical(raw)
        roots.append(root)
        if os.path.isdir(root):
            walked.append(root)
            if not_mounted(store, root):  # (a share or drive not mounted on its mount point: nothing known gone)
                unlisted += (root.rstrip(os.sep) + os.sep,)
            if root not in seen and root not in taken and store.record(root) is not None:
                add([root])  # a photo whose name a folder took (`scan lib/x.jpg`, x.jpg a folder now)
        elif root not in seen and os.path.lexists(root) and root not in taken \
                and (not named_as_folder(os.fsdecode(raw)) or link_to_nothing(root)) and store.record(root) is not None:
            add([root])  # a named file the walk passed over: a video, a sidecar, the database ... (`DIR/*`); a
            # FIFO, a link whose target is not there (an error record each until 2026-12-07); not `x.jpg/.`, "not
            # a folder", which forgot the photo until 2026-12-07
        if os.path.isfile(root):  # a folder whose name a file took: nothing is under it any more
            named_files.add(root)  # (looked for below, in one reading of the table for all of them)
        elif not os.path.lexists(root) and _not_in_its_folder(root, listings):  # deleted since it was scanned
            # (`scan lib/x.jpg`, `scan lib/2023`; a name there is never gone: on a case-insensitive disk the
            # listing may spell it otherwise)
            if root not in away and root not in taken and store.record(root) is not None:
                add([root])  # (its path is in seen: the walk's error record of it)
            deleted.append(root)  # (what was under it: looked for below, as under a folder walked)
        elif link_to_nothing(root):  # a link named whose target is not there (`lib/*`, lib/trip -> a drive not
            deleted.append(root)  # mounted): what is under it, as a scan of its folder finds it (kept below with
            # follow_symlinks, forgotten without: until 2026-12-07 a plain `scan lib/*` kept it without a word)
    alone = walked + deleted
    if named_files or len(alone) > FOLDERS_READ_ALONE:  # (the folders of a --files-from list: 8,000 took 10 s
        named_files.update(alone)  # until 2026-12-06; a named file's reading of the table finds theirs too)
    else:
        for root in alone:  # (a query a folder: SQLite compares the paths, faster for a few folders)
            add(path for path in store.paths_under(root) if path not in seen and not path.startswith(unlisted))
    if named_files:  # one reading of the table, not one a named path: `scan --files-from` of 200,000 photos
        # read it 200,000 times (a list's files or `DIR/*`: hours where the walk took seconds); a list of 16,000
        # paths deleted since they were scanned (the JSON Lines' paths fed back) took 30 s until 2026-12-06: a
        # reading of the table, a listing of the folder and a look through `gone` each
        add(path for path in store.paths_under_any(named_files, self_too=False)
            if path not in seen and not path.startswith(unlisted))
    if follow_symlinks and gone:  # (a link to a drive not mounted: its target not there, or an empty mount point)
        broken: dict[str, str | None] = {}
        emptied: dict[str, str | None] = {}
        gone = [path for path in gone if behind_broken_link(path, broken) is None
                and behind_empty_link(store, path, emptied) is None]
    if gone and empty:  # (a drive mounted inside the library, `~/Pictures/phone`, not mounted now)
        gone = _not_behind_mount_points(store, gone, frozenset(empty), kept)
    gone += [path for path in sorted(set(moved) - seen - set(gone)) if not os.path.lexists(path)]
    gone += gone_below(store, walked, seen | set(gone), unlisted, outside)  # under an older blurscan's linked name
    if gone:  # a managed library's originals the walk passed over (scanned when it was named): not looked at
        passed = originals_passed_over(gone, roots)
        gone = [path for path in gone if path not in passed]
    if gone and since is not None:
        # (stored since: by another scan running meanwhile, `scan lib/2024` of photos copied in after this walk)
        recent = _journaled_since(store, since) | _stored_since(store, gone, since)
        back = {path for path in gone if path in recent and os.path.lexists(path)}
        if back:
            log.info("keeping %d records of photos moved, put back or scanned by another scan during this one",
                     len(back))
            gone = [path for path in gone if path not in back]
    if gone:
        log.info("forgetting %d files no longer present", len(gone))
        store.forget(gone)


def behind_broken_link(path: str, known: dict[str, str | None]) -> str | None:
    """The folder of ``path`` (or above it) that is a symbolic link whose target is not there (a drive or share
    not mounted, a folder renamed or deleted), or None; ``known``: each folder looked at -> its answer, so that a
    folder is looked at once (one ``lstat``, and a ``stat`` of a link)."""
    return _link_above(path, known, link_to_nothing)


def behind_empty_link(store, path: str, known: dict[str, str | None]) -> str | None:
    """The folder of ``path`` (or above it) that is a symbolic link whose target is what a drive or share not
    mounted leaves of its mount point (``lib/trip -> /media/usb/trip``, or the mount point itself), by the rule of
    a folder named to ``scan`` (:func:`not_mounted`: empty, not modified since the newest record the database
    ``store`` holds under the link), or None; ``known`` as for :func:`behind_broken_link`. Until 2026-12-07 a
    ``--follow-symlinks`` scan forgot the photos under such a link without a word (only a folder named was looked
    at), and with them their keeps and discards; a target emptied by hand since is no such folder."""
    return _link_above(path, known, lambda folder: os.path.islink(folder) and not_mounted(store, folder))


def behind_mount_point(store, path: str, empty: frozenset[str], known: dict[str, str | None]) -> str | None:
    """The folder of ``path`` (or above it) among ``empty`` (folders a walk met with nothing in them) that looks
    like the mount point of a drive or share not mounted, by the rule of a folder named to ``scan``
    (:func:`not_mounted`: empty, not modified since the newest record the database ``store`` holds under it), or
    None; ``known`` as for :func:`behind_broken_link`. A drive mounted inside a library (``~/Pictures/phone`` a
    mount point, ``scan ~/Pictures``) leaves such a folder while it is not mounted: until 2026-12-07 the scan forgot
    every photo under it (``report`` and the review page left them out, and decoded afresh once the drive was back).
    Only a folder of ``empty`` above a
    record of a photo the walk did not find is looked at (a listing's first entry, a ``stat``, one query); one
    emptied by hand since (modified) is no such folder."""
    return _link_above(path, known, lambda folder: folder in empty and not_mounted(store, folder))


def _not_behind_mount_points(store, gone: list[str], empty: frozenset[str], kept: dict[str, int] | None) -> list[str]:
    """``gone`` less the paths under a folder of ``empty`` that looks like a mount point not mounted
    (:func:`behind_mount_point`); ``kept`` (when given) gets each such folder -> how many of ``gone`` are under it."""
    known: dict[str, str | None] = {}
    left = []
    for path in gone:
        folder = behind_mount_point(store, path, empty, known)
        if folder is None:
            left.append(path)
        elif kept is not None:
            kept[folder] = kept.get(folder, 0) + 1
    return left


def _link_above(path: str, known: dict[str, str | None], found_at) -> str | None:
    """The first folder of ``path`` (or above it) for which ``found_at`` holds, or None; ``known``: each folder
    looked at -> its answer (filled in)."""
    folder, looked = os.path.dirname(path), []
    found = None
    while True:
        if folder in known:
            found = known[folder]
            break
        looked.append(folder)
        if found_at(folder):
            found = folder
            break
        up = os.path.dirname(folder)
        if up == folder:
            break
        folder = up
    for folder in looked:  # (each at or below the link found: the same answer)
        known[folder] = found
    return found


#: Seconds by which a folder's time may read earlier than the moment it was modified, compared with a record's
#: ``scanned_at`` (``time.time()``): the kernel stamps files from a clock that lags it by up to a tick (a few ms),
#: FAT keeps times to 2 s, rounded down. A folder emptied within that after its records were stored read as "not
#: modified since", and its photos, deleted, were kept as a share not mounted's (until 2026-12-07; a test of it
#: failed one run in three).
_TIMES_COARSER_BY = 2.0


def not_mounted(store, folder: str, newest_under=None) -> bool:
    """Whether ``folder`` (named to ``scan``, or a symbolic link a scan followed: :func:`behind_empty_link`) looks
    like the mount point of a share or drive not mounted: nothing at all in it (not even a hidden file), not
    modified since the newest record the database ``store`` holds under it was stored, so its photos were not
    deleted or moved out of it (which modifies it; a link's target's time is read). The records under such a
    folder are kept, as those under a folder that cannot be listed: until 2026-12-06 a nightly ``blurscan scan
    /mnt/photos --db /var/lib/blurscan/photos.db`` run while the share was not mounted forgot every photo of the
    library (``report`` and the review page then listed none), and the next night's scan decoded them all afresh.
    A folder emptied since (photos deleted from ``lib/2024``, scanned alone) is pruned as before, also within a
    moment of the scan (:data:`_TIMES_COARSER_BY`). ``newest_under``: when the newest record under a folder was
    stored (default: ``store.last_scanned_under``, a reading of the table; ``report``, which has read the rows
    already, gives its own: :class:`blurscan.unmounted.Absent`; undo, the time its batch began, ``store`` None:
    :func:`blurscan.actions.drives.unplugged`)."""
    try:
        with os.scandir(folder) as entries:
            if next(entries, None) is not None:
                return False
        changed = os.stat(folder).st_mtime
    except (OSError, ValueError):
        return False
    newest = (newest_under or store.last_scanned_under)(folder)
    return newest is not None and changed < newest - _TIMES_COARSER_BY


def _not_in_its_folder(path: str, listings: dict[str, frozenset[str] | None]) -> bool:
    """Whether ``path`` (named on the command line, :func:`~blurscan.walk.canonical`) is absent from its folder's
    listing (kept in ``listings``, a folder listed once): what a scan of that folder would conclude before
    forgetting its records. Not when the folder itself is missing or cannot be listed (a drive not mounted,
    another user's folder): nothing is known then."""
    folder, name = os.path.split(path)
    if folder not in listings:
        try:
            listings[folder] = frozenset(os.listdir(folder))
        except (OSError, ValueError):
            listings[folder] = None
    names = listings[folder]
    return names is not None and name not in names


def _journaled_since(store, since: Since) -> frozenset[str]:
    """Sources of move and trash rows of the journal written since ``since`` (moved, or put back by undo: a row
    new since, of another state since, or written at or after its time), and of rows still marked moved
    (``done``, ``moving``, ``gone``, ``undoing``: a file undo has put back but not marked yet)."""
    rows = store.conn.execute(
        "SELECT j.id, j.state, j.src, j.updated_at >= ? FROM journal j JOIN batches b ON b.id = j.batch_id "
        "WHERE b.kind != 'tag'", (since.at,))
    return frozenset(path_from_db(src) for row_id, state, src, later in rows
                     if later or state in ("done", "moving", "gone", "undoing") or since.states.get(row_id) != state)


def _stored_since(store, paths: list[str], since: Since) -> frozenset[str]:
    """Those of ``paths`` whose stored record was written since ``since`` (a newer row, or written at or after its
    time): by another scan, as this scan writes only records of the files its walk found."""
    keys = [db_path(p) for p in paths]
    found = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        rows = store.conn.execute(f"SELECT path FROM images WHERE (scanned_at >= ? OR rowid > ?) AND path IN "
                                  f"({','.join('?' * len(chunk))})", (since.at, since.last_rowid, *chunk))
        found.update(path_from_db(path) for (path,) in rows)
    return frozenset(found)
