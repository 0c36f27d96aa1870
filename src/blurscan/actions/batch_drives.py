"""Where the file systems a batch put files on were mounted when it put them there: what undo needs to tell a file
gone (the ``--to`` emptied by hand, the trash emptied) from one on a drive not mounted now, wherever that drive was
mounted (``/srv/photos``, ``/home/me/ext``: not where drives are mounted, nor in /etc/fstab; :func:`.drives.unplugged`
cannot tell those).

A move records its ``--to``'s mount point once, as it begins (:func:`.journal.create_batch`, key
:data:`.journal.DRIVE_KEY`). A trash batch records the mount point of each trash folder it puts a file in, the first
time it does, before that file moves (:func:`noter`): a photo on a drive goes to that drive's own trash
(``$topdir/.Trash-UID``, the freedesktop rules of :mod:`.trash`), and one batch may take photos from several drives
(keys ``batch_drive:<batch id>:<n>``). None is recorded for a folder on the root's file system. Both since 2026-12-07:
batches from before record nothing and are undone as before.

With each mount point the file system's identity is recorded (:mod:`.drive_ids`; keys ``batch_drive_id:...``,
where one can be told), by which :func:`now_at` finds the drive mounted again at another place (``/media/me/DISK1``
for ``/media/me/DISK``): the undo of a move takes its photos back from there (:func:`moved_along`), and another file
system that merely sits where the drive was is not taken for it (its files never taken for the batch's). Batches
recorded without it (before, or a drive that gave none) are looked for where they were mounted only.

A batch also records where the drive holding the library's database was mounted, with its identity (:func:`note_library`,
keys :data:`LIBRARY_KEY` and :data:`LIBRARY_ID_KEY`), by which :func:`library_moved` tells a library carried whole with
its drive to another place (the database now opened at ``/media/me/DISK1/lib``, its photos recorded under
``/media/me/DISK/lib``): undo then puts the photos back there, and ``report`` says so (since 2026-12-07, later that day;
a batch from before is told by the drive a trash batch or a move to the same drive recorded, else not at all).
"""
from __future__ import annotations

import os
from typing import Callable

from ..errors import printable_path
from ..store import db_path, path_from_db
from . import drive_ids, drives, journal


def noter(store, batch_id: int) -> Callable[[str], None]:
    """For a trash batch: ``note(dst)``, called once the trash chose ``dst`` for a file and before the file goes
    there, records where the file system of ``dst``'s trash folder is mounted (:func:`.drives.mount_point`), once a
    trash folder a batch (its mount point looked up once, not for each file)."""
    seen: set[str] = set()
    points = set(recorded(store, batch_id))

    def note(dst: str) -> None:
        folder = os.path.dirname(dst)  # (the trash's files/, made by then)
        if folder in seen:
            return
        point = drives.mount_point(folder)
        if point is not None and point not in points:
            ident, n = drive_ids.identity(point), len(points) + 1
            with store.transaction() as conn:
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                             (f"{journal.DRIVE_KEY.format(batch_id)}:{n}", db_path(point)))
                if ident is not None:
                    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                 (f"{journal.DRIVE_ID_KEY.format(batch_id)}:{n}", ident))
            points.add(point)
        seen.add(folder)
    return note


#: The ``meta`` keys holding where the file system of the library's database was mounted when a batch was made, and its
#: identity: ``batch_library_drive:<batch id>``, ``batch_library_drive_id:<batch id>`` (:func:`note_library`).
LIBRARY_KEY = "batch_library_drive:{}"
LIBRARY_ID_KEY = "batch_library_drive_id:{}"


def note_library(store, batch_id: int) -> None:
    """Record where the drive holding ``store``'s database is mounted, with its identity, for batch ``batch_id``
    (:func:`library_moved`); nothing on the root's file system, and the place alone for a file system with no
    identity (:func:`library_untold`; until 2026-12-07, the night, nothing: undo then said the batch was recorded
    before blurscan kept its library's drive)."""
    _note_share(store, batch_id)
    point = db_point(store)
    if point is None:
        return
    ident = drive_ids.identity(point)
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     (LIBRARY_KEY.format(batch_id), db_path(point)))
        if ident is not None:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (LIBRARY_ID_KEY.format(batch_id), ident))


#: The ``meta`` keys holding the library folder of a batch's photos on a network share and its share identity
#: (:func:`blurscan.share_ids.share_identity`): ``batch_library_share:<batch id>``,
#: ``batch_library_share_id:<batch id>`` (:func:`note_library`, :func:`share_moved`).
SHARE_KEY = "batch_library_share:{}"
SHARE_ID_KEY = "batch_library_share_id:{}"


def _note_share(store, batch_id: int) -> None:
    """Record the library folder of ``store`` with its share identity for batch ``batch_id``, when it is on a
    network share (:func:`share_moved`)."""
    from ..library_root import library_root
    from ..share_ids import share_identity

    library = library_root(store)
    ident = share_identity(library) if library is not None and os.path.isdir(library) else None
    if ident is None:
        return
    with store.transaction() as conn:
        conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         [(SHARE_KEY.format(batch_id), db_path(library)), (SHARE_ID_KEY.format(batch_id), ident)])


def share_moved(store, batch_id: int) -> tuple[str, str] | None:
    """``(where, now)`` when batch ``batch_id`` took its photos from the library folder ``where`` on a network share
    (:func:`note_library`) that is not mounted there now but reached through another mount point of the share at
    ``now`` (:func:`blurscan.share_ids.mounted_at`: ``/media/me/nas/photos`` for ``/mnt/nas/photos``, fstab's
    mount gone): the photos' places under ``where`` are then under ``now`` (:func:`moved_along`). None otherwise
    (nothing recorded: a batch from before 2026-12-07, or a library not on a share; the share still mounted at
    ``where``, or nowhere)."""
    from ..share_ids import mounted_at, share_identity

    rows = dict(store.conn.execute("SELECT key, value FROM meta WHERE key IN (?, ?)",
                                   (SHARE_KEY.format(batch_id), SHARE_ID_KEY.format(batch_id))).fetchall())
    where, ident = rows.get(SHARE_KEY.format(batch_id)), rows.get(SHARE_ID_KEY.format(batch_id))
    if where is None or ident is None:
        return None
    where, ident = path_from_db(where), os.fsdecode(ident)
    if os.path.isdir(where) and share_identity(where) == ident:
        return None
    now = mounted_at(ident)
    return (where, now) if now is not None and now != where and os.path.isdir(now) else None


def library_untold(store, batch_id: int) -> bool:
    """Whether batch ``batch_id`` recorded where its library's drive was mounted but no identity for it: the drive
    gave none (:func:`note_library`), as against a batch from before that record (nothing recorded)."""
    rows = dict(store.conn.execute("SELECT key, value FROM meta WHERE key IN (?, ?)",
                                   (LIBRARY_KEY.format(batch_id), LIBRARY_ID_KEY.format(batch_id))).fetchall())
    return LIBRARY_KEY.format(batch_id) in rows and LIBRARY_ID_KEY.format(batch_id) not in rows


def library_moved(store, batch_id: int) -> tuple[str, str] | None:
    """``(where, now)`` when the drive holding ``store``'s database, mounted at ``where`` when batch ``batch_id`` was
    made, is mounted at another place ``now`` and the database was opened there: the library carried whole with its
    drive (``/media/me/DISK`` taken when it was plugged in again, so ``/media/me/DISK1``), its photos' places under
    ``where`` now under ``now`` (:func:`moved_along`). Told by the drive's identity (:mod:`.drive_ids`): that recorded
    with the batch (:func:`note_library`), else that of a drive the batch put files on (a trash batch's own trash, a
    move to the same drive: :func:`identities`), or, for a batch that recorded no identity of its library's drive (one
    from before that record, or a drive that gave none), that a scan recorded of the drive mounted where the batch took its photos from
    (:mod:`blurscan.root_drives`), the one mounted where the database is now; never while that drive is mounted at
    ``where`` too. None otherwise (nothing recorded, another drive, the database not on a drive): until 2026-12-07
    (the evening) such a batch, a move to another drive, was not told, its undo refusing the photos' places at
    ``where`` (a drive not mounted) while ``report`` said its undo at ``now`` put them back. A library on a network
    share reached now through another of its mount points: :func:`share_moved`."""
    return _drive_moved(store, batch_id) or share_moved(store, batch_id)


def _drive_moved(store, batch_id: int) -> tuple[str, str] | None:
    """:func:`library_moved` of a library carried with its drive."""
    now = db_point(store)
    here = None if now is None else drive_ids.identity(now)
    if here is None:
        return None
    words = set(here.split())
    rows = dict(store.conn.execute("SELECT key, value FROM meta WHERE key IN (?, ?)",
                                   (LIBRARY_KEY.format(batch_id), LIBRARY_ID_KEY.format(batch_id))).fetchall())
    point, ident = rows.get(LIBRARY_KEY.format(batch_id)), rows.get(LIBRARY_ID_KEY.format(batch_id))
    candidates = [(path_from_db(point), os.fsdecode(ident))] if point is not None and ident is not None else []
    if ident is None:  # (a batch from before that record, or its drive told none: the drives a scan recorded, where
        # it took its photos)
        from ..root_drives import recorded_drives
        candidates += [(where, known) for where, known in recorded_drives(store).items()
                       if _took_from(store, batch_id, where)]
    for where, known in candidates + list(identities(store, batch_id).items()):
        if where != now and words & set(known.split()) and drive_ids.mounted_at(known, where) != where:
            return where, now
    return None


def _took_from(store, batch_id: int, point: str) -> bool:
    """Whether batch ``batch_id`` took its photos from under ``point`` (its first row's place: a batch's photos are
    all in its library)."""
    row = store.conn.execute("SELECT src FROM journal WHERE batch_id = ? ORDER BY id LIMIT 1", (batch_id,)).fetchone()
    src = None if row is None else path_from_db(row[0])
    return src is not None and src.startswith(point.rstrip(os.sep) + os.sep)


def library_away(store, batch_id: int) -> tuple[str, str] | None:
    """``(where, now)`` for batch ``batch_id`` whose library's drive cannot be told (:func:`library_moved` None:
    nothing recorded of it, a batch and database from before that record), whose library's folder, ``where/R``
    (:func:`blurscan.library_root.library_root`), is not there, as undo tells a drive not mounted
    (:func:`.drives.unplugged`), while the database is on a drive mounted at another place ``now``, at ``now/R``:
    the library carried with its drive to ``now`` maybe, or another drive's library unplugged (a copy of it, its
    database with it): which, the folders' names cannot tell, and undo does not guess. What undo and ``report`` say
    then: to mount the library's drive at ``where`` again, the undo named as it will be there (:func:`db_at`). Until
    2026-12-07 (the evening) undo said only "mount it" (the drive mounted already, at ``now``), and ``report`` named
    an undo at ``now`` that refused them. None otherwise."""
    placed = _scanned_under(store)
    if placed is None or library_moved(store, batch_id) is not None:
        return None
    where, now, old = placed
    if not where or where == now or not _took_from(store, batch_id, where) or drives.mounted(where):
        return None
    row = store.conn.execute("SELECT created_at FROM batches WHERE id = ?", (batch_id,)).fetchone()
    return (where, now) if row is not None and drives.unplugged(old, since=row[0]) is not None else None


def library_away_words(where: str, now: str, many: bool = False) -> str:
    """What ``report`` and the review page's note say of a batch's photo (``many``: photos) whose place is under
    ``where`` (:func:`library_away`), the database on a drive mounted at ``now``, up to the undo that puts it back:
    ``its place is under /media/me/DISK, where no drive is mounted now, and this database is on a drive mounted at
    /media/me/DISK1 (the library's drive, mounted at another place?): mount the library's drive at /media/me/DISK
    again``."""
    return (f"{'their places are' if many else 'its place is'} under {printable_path(where)}, where no drive is "
            f"mounted now, and this database is on a drive mounted at {printable_path(now)} (the library's drive, "
            f"mounted at another place?): mount the library's drive at {printable_path(where)} again")


def library_unplugged_words(why: str, many: bool = False) -> str:
    """What ``report`` and the review page's note say of a batch's photo (``many``: photos) whose place is on the
    library's drive, not mounted now (``why``: :func:`blurscan.actions.afterwards.library_unplugged`'s reason), up
    to the undo that puts it back: ``its place is on the library's drive, not mounted now (WHY): mount it``."""
    return f"{'their places are' if many else 'its place is'} on the library's drive, not mounted now ({why}): mount it"


def carried_library(store, folder: str) -> tuple[str, str] | None:
    """``(now, library)`` where ``store``'s database is on a drive mounted at ``now`` (not ``folder``, an empty
    mount point where stored photos were, :mod:`blurscan.unmounted`), in a folder ``library`` that, placed under
    ``folder`` as it is under ``now``, was scanned into it (``/media/me/DISK1/lib`` for ``/media/me/DISK/lib``): the
    library most likely carried with its drive, mounted at another place, which a scan of ``library`` finds (the
    photos' records carried over as those of photos moved by hand: :mod:`blurscan.renamed`); else None. Only where
    a scan recorded the drive mounted at ``folder`` (:mod:`blurscan.root_drives`) with the identity of the one at
    ``now``: until 2026-12-07 (later that day) the folders' names alone decided, and a second drive's library
    unplugged (``/media/me/BACKUP/lib`` scanned into ``/media/me/X/lib``'s database) was said carried, with the scan
    of ``/media/me/X/lib`` to find its photos; a database from before records no drive, and is told nothing."""
    from ..root_drives import recorded_drives
    from ..scanned_roots import scanned_roots

    now = db_point(store)
    if now is None or now == folder:
        return None
    library = os.path.dirname(os.path.abspath(store.path))
    if moved_along(library, now, folder) not in scanned_roots(store):
        return None
    known, here = recorded_drives(store), drive_ids.identity(now)
    then = known.get(folder) or known.get(os.path.realpath(folder))
    return (now, library) if then is not None and here is not None and set(then.split()) & set(here.split()) \
        else None


def carried_here(store) -> tuple[str, str, str] | None:
    """``(then, now, library)`` where ``store``'s library (:func:`blurscan.library_root.library_root`) was scanned
    under the mount point ``then`` and its database is in ``library`` on the same drive mounted at ``now`` since
    (:func:`carried_library`: the library carried with its drive, not scanned there yet); else None."""
    placed = _scanned_under(store)
    then = placed[0] if placed is not None else None
    carried = carried_library(store, then) if then else None
    return None if carried is None else (then, *carried)


def _scanned_under(store) -> tuple[str | None, str, str] | None:
    """``(then, now, old)``: ``store``'s database on a drive mounted at ``now``, in a folder other than its library's
    folder ``old`` (:func:`blurscan.library_root.library_root`: where it was scanned), and ``then`` the mount point
    that, with the database's place under ``now``, gives ``old`` (None where none does); None where the database is
    on no drive or in its library's folder."""
    from ..library_root import library_root

    now = db_point(store)
    library = os.path.dirname(os.path.abspath(store.path)) if now is not None else None
    old = library_root(store) if library is not None else None
    if old is None or old == library:
        return None
    rel = os.path.relpath(library, now)
    return (old if rel == os.curdir else old[:-len(rel) - 1] if old.endswith(os.sep + rel) else None), now, old


def db_point(store) -> str | None:
    """Where the file system holding ``store``'s database is mounted (:func:`.drives.mount_point`), or None."""
    if store.path == ":memory:":
        return None
    return drives.mount_point(os.path.dirname(os.path.abspath(store.path)))


def recorded(store, batch_id: int) -> list[str]:
    """The mount points batch ``batch_id`` recorded (a move's ``--to``'s, a trash batch's trash folders')."""
    key = journal.DRIVE_KEY.format(batch_id)
    rows = store.conn.execute("SELECT value FROM meta WHERE key = ? OR substr(key, 1, ?) = ?",
                              (key, len(key) + 1, key + ":")).fetchall()
    return [path_from_db(value) for (value,) in rows if isinstance(value, (str, bytes))]


def identities(store, batch_id: int) -> dict[str, str]:
    """The identity (:func:`.drive_ids.identity`) recorded with each mount point of :func:`recorded` that has one."""
    found = {}
    for key_format in (journal.DRIVE_KEY, journal.DRIVE_ID_KEY):
        key = key_format.format(batch_id)
        rows = store.conn.execute("SELECT key, value FROM meta WHERE key = ? OR substr(key, 1, ?) = ?",
                                  (key, len(key) + 1, key + ":")).fetchall()
        found[key_format] = {name[len(key):]: value for name, value in rows if isinstance(value, (str, bytes))}
    points, idents = found[journal.DRIVE_KEY], found[journal.DRIVE_ID_KEY]
    return {path_from_db(point): os.fsdecode(idents[n]) for n, point in points.items() if n in idents}


def now_at(store, batch_id: int) -> Callable[[str], str | drive_ids.Twins | None]:
    """``where(point)``: where the file system that batch ``batch_id`` recorded mounted at ``point`` (one of
    :func:`recorded`) is mounted now: ``point`` itself, another place where its identity is found (the drive
    plugged in again, mounted elsewhere: :func:`.drive_ids.mounted_at`), or None: mounted nowhere, also while
    another file system is mounted at ``point``. A point recorded without an identity: itself while anything is
    mounted there (:func:`.drives.mounted`), as before. Each point looked up once. A :class:`.drive_ids.Twins` where
    drives of its identity are mounted at more than one place, none at ``point``: its files taken from none."""
    idents = identities(store, batch_id)
    seen: dict[str, str | drive_ids.Twins | None] = {}

    def where(point: str) -> str | drive_ids.Twins | None:
        if point not in seen:
            ident = idents.get(point)
            seen[point] = (point if drives.mounted(point) else None) if ident is None else \
                drive_ids.mounted_at(ident, point)
        return seen[point]
    return where


def copies(store, batch_id: int) -> Callable[[str], drive_ids.Twins | None]:
    """``twins(point)``: where the drive batch ``batch_id`` recorded mounted at ``point`` (with its identity) is
    mounted there now and another device of its identity elsewhere (:func:`.drive_ids.copies`: the drive and a
    ``dd`` copy of it, which is which not told); else None. Each point looked up once."""
    idents = identities(store, batch_id)
    seen: dict[str, drive_ids.Twins | None] = {}

    def twins(point: str) -> drive_ids.Twins | None:
        if point not in seen:
            seen[point] = drive_ids.copies(idents[point], point) if point in idents else None
        return seen[point]
    return twins


def moved_along(path: str, point: str, now: str) -> str:
    """``path`` (under ``point``, where a drive was mounted) where it is with that drive mounted at ``now``."""
    return now.rstrip(os.sep) + os.sep + os.path.relpath(path, point) if path != point else now


def along(path: str, moved: tuple[str, str] | None) -> str:
    """``path`` where it is now, ``moved`` being ``(where, now)`` of a drive mounted at another place now
    (:func:`library_moved`, :func:`remounted`), when it is under ``where``; else ``path`` itself."""
    if moved is None or not (path == moved[0] or path.startswith(moved[0].rstrip(os.sep) + os.sep)):
        return path
    return moved_along(path, *moved)


def reader(store, batch_id: int, kind: str) -> Callable[[str | None], str | None]:
    """``drive_of(dst)``: where the file system holding ``dst`` (a file batch ``batch_id`` of ``kind`` put there)
    was mounted when the batch put it there, as recorded; None when nothing was (the root's file system, a tag
    batch, one from before 2026-12-07). A move's one ``--to`` holds all its files; a trash batch's file is in the
    trash folder of the deepest recorded mount point holding it, its folder's links followed as the system follows
    them (``os.path.realpath``, once a folder), since the mount points are recorded so: the home trash is recorded
    as the user's ``~`` names it (``/home/me/.local/share/Trash``), and where ``/home`` is a link to ``/var/home``
    (Fedora Silverblue, some NAS systems) its file system is mounted at ``/var/home``. Until 2026-12-07 such a
    file matched no recorded mount point: with that file system not mounted, ``report`` said the photos "no longer
    in the trash" and undo said them gone and closed the batch."""
    points = recorded(store, batch_id) if kind in ("move", "trash") else []
    if kind == "move":
        return lambda _dst: points[0] if points else None
    real: dict[str, str] = {}  # a trash folder -> its real path

    def drive_of(dst: str | None) -> str | None:
        if not dst or not points:
            return None
        folder = os.path.dirname(dst)
        if folder not in real:
            real[folder] = os.path.realpath(folder)
        holding = [p for p in points if any(path.startswith(p.rstrip(os.sep) + os.sep)
                                            for path in (dst, real[folder] + os.sep))]
        return max(holding, key=len) if holding else None
    return drive_of


def drive_of(store, row: journal.JournalRow, kind: str) -> str | None:
    """:func:`reader` of ``row``'s batch, for its destination."""
    return reader(store, row.batch_id, kind)(row.dst)


def remounted(store, batch_id: int, kind: str) -> tuple[str, str] | None:
    """``(where, now)`` for a move batch whose ``--to``'s drive, recorded mounted at ``where``, is mounted at another
    place ``now`` (:func:`now_at`): its undo takes the files back from there (:func:`moved_along`); for a tag batch,
    the first drive of its sidecars (recorded by :func:`noter` since 2026-12-07, later that day) that is mounted at
    another place: undo untags them there (until then it said them "not there ... a drive not mounted" until the
    drive was mounted where it had been). None otherwise (a trash batch: its photos' own folders are on that drive
    too, and go back only where they were)."""
    points = recorded(store, batch_id) if kind in ("move", "tag") else []
    where = now_at(store, batch_id)
    for point in points[:1] if kind == "move" else points:
        now = where(point)
        if isinstance(now, str) and now != point:  # (not twins: neither taken)
            return point, now
    return None


def remounted_all(store, batch_id: int) -> list[tuple[str, str]]:
    """``(where, now)`` for each drive of a tag batch's sidecars (:func:`noter`) mounted at another place now
    (:func:`now_at`), in the order recorded: its undo untags each drive's sidecars where that drive is now
    (:func:`along_each`). Until 2026-12-07 (late) only the first was followed (:func:`remounted`), the sidecars of
    a second drive mounted elsewhere left as "no longer there (moved or deleted since)"."""
    where = now_at(store, batch_id)
    pairs = [(point, where(point)) for point in recorded(store, batch_id)]
    return [(point, now) for point, now in pairs if isinstance(now, str) and now != point]


def along_each(path: str, moved: list[tuple[str, str]]) -> str:
    """``path`` where it is now (:func:`along`), by the deepest ``where`` of ``moved`` holding it (a drive mounted
    inside another's folder), so that no path is carried twice."""
    holding = [pair for pair in moved if path == pair[0] or path.startswith(pair[0].rstrip(os.sep) + os.sep)]
    return along(path, max(holding, key=lambda pair: len(pair[0]))) if holding else path


def at(point: str) -> Callable[[str | None], str | None]:
    """A :func:`reader` whose every file's drive is mounted at ``point`` (a move's, mounted there now)."""
    return lambda _dst: point


def mounted_elsewhere(point: str, now: str | drive_ids.Twins) -> str:
    """``on the drive mounted at /media/me/DISK1 now, not at /media/me/DISK where the batch recorded it: mount it at
    /media/me/DISK again``: what the summaries say of a batch's drive recorded mounted at ``point`` and mounted at
    another place ``now`` (a trash batch's: :func:`now_at`), in the words of :func:`not_there`'s line for each file
    (``report``, the review page, ``undo --list``, ``undo --close`` and undo's summary; until 2026-12-07, later that
    day, each said the drive "not mounted now"). ``now`` a :class:`.drive_ids.Twins`: the drives of its identity
    mounted, none at ``point``, named, to unmount the copy or mount the drive at ``point``."""
    if isinstance(now, drive_ids.Twins) and point in now:
        return (f"not on the drive mounted at {printable_path(point)}, where the batch recorded it, while another "
                f"drive of its identity is mounted at {_places(p for p in now if p != point)} (one a copy of the "
                "other?): unmount the copy, wherever it is (the drive is found where it is mounted then)")
    if isinstance(now, drive_ids.Twins):
        return (f"on the drive the batch recorded at {printable_path(point)}, not mounted there now while drives of "
                f"its identity are mounted at {_places(now)} (one a copy of it?): unmount the copy, or mount the "
                f"drive at {printable_path(point)} again")
    return (f"on the drive mounted at {printable_path(now)} now, not at {printable_path(point)} where the batch "
            f"recorded it: mount it at {printable_path(point)} again")


def db_at(db: str, point: str, now: str | drive_ids.Twins) -> str:
    """The database ``db`` as it will be named once the drive mounted at ``now`` is mounted at ``point`` again, when it
    is on that drive (the library on the drive, opened at ``now``): what a command to run then names (naming it at
    ``now`` found no database there then); else ``db`` itself (``now`` twins too: :class:`.drive_ids.Twins`)."""
    if isinstance(now, drive_ids.Twins):
        return db
    full = os.path.abspath(db)
    return moved_along(full, now, point) if full.startswith(now.rstrip(os.sep) + os.sep) else db


def not_there(point: str, now: str | drive_ids.Twins | None, kind: str = "move") -> str | None:
    """Why the drive a batch recorded mounted at ``point``, now at ``now`` (:func:`now_at`), is not there to take
    files from: mounted at another place (a trash batch's), or another file system mounted at ``point``; None
    otherwise (there, or nothing mounted at ``point``: :func:`.restore.restore` says so; for a tag batch, which
    restore does not look at, said here in its words: until 2026-12-07, late, a sidecar's line said "not put back:
    ... it looks like a drive not mounted: mount it", where a move's said the drive not mounted). Drives of its identity
    mounted at more than one place, none at ``point`` (:class:`.drive_ids.Twins`): which is the drive is not told,
    and they are named (until 2026-12-07 the first in the mount table was taken for it: a ``dd`` copy's files).
    ``kind``: the batch's; a tag batch's drive is where it wrote the file (a sidecar), never moved (until 2026-12-07,
    in the evening, each line said "when the batch moved it" of a tag batch's sidecar too)."""
    when = f"where its drive was mounted when the batch {'wrote' if kind == 'tag' else 'moved'} it"
    if isinstance(now, drive_ids.Twins):
        return (f"{printable_path(point)}, {when}, is not where it is "
                f"mounted now, and drives of its identity are mounted at {_places(now)}, one most likely a copy of "
                f"it: unmount the copy, or mount the drive at {printable_path(point)}, and run undo again")
    if now is not None and now != point:
        return (f"{printable_path(point)}, {when}, is not where it is "
                f"mounted now ({printable_path(now)}): mount it at {printable_path(point)} again and run undo again")
    if now is None and drives.mounted(point):
        return (f"{printable_path(point)}, {when}, holds another file "
                "system now (is the drive unplugged?); mount the drive there and run undo again")
    if now is None and kind == "tag":  # (a move's file is looked for, and said so, by .restore: a sidecar is not)
        return (f"{printable_path(point)}, {when}, is not mounted now (is the drive unplugged?); mount it there and "
                "run undo again")
    return None


def _places(points) -> str:
    """``/a and /b`` (``/a, /b and /c``; ``/a``): the places of :class:`.drive_ids.Twins`."""
    shown = [printable_path(p) for p in points]
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]
