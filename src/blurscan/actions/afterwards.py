"""What became of the files a batch of the journal (:mod:`.journal`) took, afterwards: the later batches that took
them again or rewrote a sidecar since (what an undo of the earlier batch leaves to them), the photos move and
trash batches took that are still away (what `report`, the review page and the actions leave out), and those no
longer where their batch put them (what an undo cannot bring back). Reads only."""
from __future__ import annotations

import os
from typing import Callable, NamedTuple

from ..store import db_path, path_from_db
from . import batch_drives, drives, journal


def later_tag_batch(store, batch_id: int, sidecar: str, sha256: str) -> int | None:
    """The newest tag batch after ``batch_id`` that wrote ``sha256`` into ``sidecar`` and whose row for it is not
    undone (its bytes are what a later tag batch left there, which is to be undone first), or None."""
    row = store.conn.execute(
        "SELECT j.batch_id FROM journal j JOIN batches b ON b.id = j.batch_id WHERE b.kind = 'tag' AND j.batch_id > ? "
        "AND j.src = ? AND j.sha256 = ? AND j.state IN ('writing', 'done', 'kept', 'undoing') "
        "ORDER BY j.batch_id DESC LIMIT 1",
        (batch_id, db_path(sidecar), sha256)).fetchone()
    return None if row is None else row[0]


def later_mover(store, batch_id: int, src: str) -> int | None:
    """The first move or trash batch after ``batch_id`` that moved (or began to move) ``src``, or None: a row of
    a batch that stopped before it (``planned``: a full disk, Ctrl-C, a kill) or whose move of it failed (``failed``)
    names a file a later batch took."""
    row = store.conn.execute(
        "SELECT j.batch_id FROM journal j JOIN batches b ON b.id = j.batch_id WHERE b.kind IN ('move', 'trash') "
        "AND j.batch_id > ? AND j.src = ? AND j.state IN ('moving', 'done', 'gone', 'undoing') "
        "ORDER BY j.batch_id LIMIT 1",
        (batch_id, db_path(src))).fetchone()
    return None if row is None else row[0]


def moved_paths(store) -> frozenset[str]:
    """Paths whose file a move or trash batch took away and that are still absent.

    The review page and the report use this to stop showing a moved photo as present. A file that is back
    at its path (restored by undo or from the desktop trash, or a new file of the same name) is not in the
    set; a row killed mid-move (``moving``) counts when its source is gone. Tag batches move nothing (a
    sidecar the person deleted after tagging is not a moved photo). (The query is the store's: a scan keeps
    these photos' records for an undo, :meth:`blurscan.store.Store.moved_away`.)
    """
    return store.moved_away()


#: The journal rows of the batches that took photos away (a tag batch moves nothing): a photo's last one (the
#: highest ``j.id``) says where it is now (:func:`whereabouts`, :mod:`blurscan.review.moved_note`)
TAKEN = ("SELECT j.src, j.batch_id, j.dst, b.kind FROM journal j JOIN batches b ON b.id = j.batch_id "
         "WHERE j.state IN ('done', 'moving', 'gone', 'undoing') AND b.kind != 'tag'")


class Whereabouts(NamedTuple):
    """Where the photos given to :func:`whereabouts` are: ``lost`` (no longer where their last batch put them,
    their drive there), ``unmounted`` (by the folder of the drive not mounted now holding them), and ``batch``: each
    photo's last batch, whose undo puts it back (``undo --batch N``, a plain undo only while N is the newest batch
    neither undone nor closed: :func:`.journal.latest_undoable`), and ``elsewhere``: of the drives of ``unmounted``,
    those mounted at another place now (a trash batch's, whose photos go back only where they were), each -> that
    place (:func:`.batch_drives.mounted_elsewhere` says it: since 2026-12-07, later that day)."""

    lost: frozenset[str]
    unmounted: dict[str, frozenset[str]]
    batch: dict[str, int]
    elsewhere: dict[str, str]


def whereabouts(store, paths) -> Whereabouts:
    """Of ``paths`` (photos a move or trash batch took away, :func:`moved_paths`), those no longer where their last
    batch put them, their drive there (an undo cannot bring them back while they are not there), and, by the folder of the drive not mounted now
    (:func:`drive_not_mounted`), those an undo cannot look at while it is not: mounted again, the undo of their
    batch (:attr:`Whereabouts.batch`) puts them back. Until 2026-12-07 these counted as lost, and ``report`` said of them "no longer in the
    trash or the --to folder: `blurscan undo` cannot bring them back" while their drive was unplugged. Until
    2026-12-07 too ``report`` said of the lost that `blurscan undo` puts them back, and the undo said it had
    nothing to undo (their batch closed). One pass over the journal, which has no index by path; a destination
    folder of two photos or more is looked at once, and a photo's file there only where the folder is there: a
    rejects folder deleted (years of history) costs a look a folder, not one a photo (as it did on 2026-12-07, the
    day the note came); so is its drive, and each batch's recorded drives are read once."""
    wanted = {db_path(p): p for p in paths}
    if not wanted:
        return Whereabouts(frozenset(), {}, {}, {})
    last = {}
    for src, batch, dst, kind in store.conn.execute(TAKEN + " ORDER BY j.id"):
        if src in wanted:
            last[src] = (batch, dst, kind)
    readers: dict[int, Callable[[str | None], str | None]] = {}  # batch -> its recorded drives' reader
    placers: dict[int, Callable[[str], str | None]] = {}  # batch -> where its recorded drives are mounted now
    carried: dict[int, tuple[str, str] | None] = {}  # batch -> its library's drive, mounted at another place now
    lost: set[str] = set()
    unmounted: dict[str, frozenset[str]] = {}
    elsewhere: dict[str, str] = {}
    # destination folder -> (photo, its file there, kind, the drive recorded, unless mounted at another place, the
    # photo's place now: its library's drive mounted at another place, there)
    folders: dict[str, list[tuple[str, str, str, str | None, str]]] = {}
    twins_of: dict[str, Callable] = {}  # a drive recorded -> its twins, mounted there and elsewhere (a copy)
    for src, (batch, dst, kind) in last.items():
        if not dst:
            continue
        dst = path_from_db(dst)
        if batch not in readers:
            readers[batch], placers[batch] = batch_drives.reader(store, batch, kind), batch_drives.now_at(store, batch)
            carried[batch] = batch_drives.library_moved(store, batch)
        dst = batch_drives.along(dst, carried[batch])  # (the library carried with its drive: its undo puts them back
        recorded = readers[batch](dst)                  # from there, into the photos' places there)
        now = None if recorded is None else placers[batch](recorded)
        if recorded is not None and now != recorded:  # (its drive not there: not mounted, or another file system
            if kind != "move" or not isinstance(now, str):  # there, or a trash's mounted at another place, or
                # drives of its identity at two places, none there: drive_ids.Twins, neither taken for it)
                unmounted[recorded] = unmounted.get(recorded, frozenset()) | {wanted[src]}
                if now is not None:  # (a trash's, mounted at another place: said so)
                    elsewhere[recorded] = now
                continue
            dst, recorded = batch_drives.moved_along(dst, recorded, now), None  # (a move's: undo takes it from there)
        if recorded is not None and recorded not in twins_of:
            twins_of[recorded] = batch_drives.copies(store, batch)
        head, sep, _name = dst.rpartition(os.sep)
        folders.setdefault(head or sep or os.curdir, []).append((wanted[src], dst, kind, recorded,
                                                                 batch_drives.along(wanted[src], carried[batch])))
    missing = []  # (the folder, its files not there)
    for folder, files in folders.items():  # (a file is not there in a folder that is not; one file: itself looked at)
        if len(files) > 1 and not os.path.exists(folder):
            missing.append((folder, files))
        else:
            missing.append((folder, [f for f in files if not still_there(f[2], f[4], f[1])]))
    for folder, files in missing:
        by_drive: dict[str | None, list[str]] = {}
        for photo, _dst, _kind, recorded, _place in files:
            by_drive.setdefault(recorded, []).append(photo)
        for recorded, photos in by_drive.items():
            drive = drive_not_mounted(folder, recorded, lambda point: point)  # (those not there: above)
            twins = twins_of[recorded](recorded) if drive is None and recorded is not None else None
            if twins is not None:  # (the drive there, and a twin of it elsewhere: which is the copy, not told; until
                drive, elsewhere[recorded] = recorded, twins  # 2026-12-07, the evening, said lost)
            if drive is None:
                lost.update(photos)
            else:
                unmounted[drive] = unmounted.get(drive, frozenset()) | frozenset(photos)
    return Whereabouts(frozenset(lost), unmounted, {wanted[src]: batch for src, (batch, _, _) in last.items()},
                       elsewhere)


def waiting_for(store, batch_id: int, kind: str) -> list[tuple[str, str | None]]:
    """The drives, not mounted now (:func:`drive_not_mounted`), where the files of move or trash batch ``batch_id``
    that the last undo could not put back (:data:`.journal.TO_RETRY`) are, when every one of them is on such a drive;
    else (a folder read-only, another file at a photo's place, a tag batch) none: what ``undo --list`` says they
    wait for (since 2026-12-07). Each with where it is mounted now, when that is another place (a trash batch's
    drive: :func:`.batch_drives.mounted_elsewhere`), else None. The library carried with its drive to another place
    (:func:`.batch_drives.library_moved`), its files are looked for there, where undo puts them back: until
    2026-12-07 (later that day) ``undo --list`` said them waiting for that drive to be mounted where it was."""
    if kind not in ("move", "trash"):
        return []
    drive_of, where_now = batch_drives.reader(store, batch_id, kind), batch_drives.now_at(store, batch_id)
    carried = batch_drives.library_moved(store, batch_id)
    found: set[tuple[str, str | None]] = set()
    for (dst,) in store.conn.execute(f"SELECT j.dst FROM journal j WHERE j.batch_id = ? AND {journal.TO_RETRY}",
                                     (batch_id,)):
        dst = None if dst is None else batch_drives.along(path_from_db(dst), carried)
        recorded = None if dst is None else drive_of(dst)
        drive = None if dst is None else drive_not_mounted(os.path.dirname(dst), recorded, where_now)
        if drive is not None and kind == "move" and isinstance(where_now(drive), str):  # (mounted at another place: its
            return []                                                                # undo takes them from there)
        if drive is None:
            return []
        found.add((drive, where_now(drive) if drive == recorded else None))
    return sorted(found, key=lambda pair: pair[0])


def drive_not_mounted(folder: str, recorded: str | None,
                      where_now: Callable[[str], str | None] | None = None) -> str | None:
    """Where the drive holding ``folder`` (a batch's destination folder, whose file is not there) is not mounted
    now, as undo tells it (:func:`.restore.restore`): ``recorded``, where the batch recorded its drive mounted
    (:mod:`.batch_drives`: ``/srv/ext``, anywhere), when nothing is mounted there now; else the drive's folder
    missing where drives are mounted (``/media/me/Drive``, an fstab mount point not mounted,
    :func:`.drives.unplugged`); else None (the drive there: the file gone). ``where_now``: the batch's
    :func:`.batch_drives.now_at`, by which its drive, recorded with its identity, is not there while another file
    system is mounted at ``recorded``, nor while it is mounted at another place (for a move, whose undo takes its
    files from there, the caller looks there first)."""
    if recorded is not None and ((where_now(recorded) if where_now is not None else
                                  recorded if drives.mounted(recorded) else None) != recorded):
        return recorded
    away = drives.unplugged(folder)
    return away.folder if away is not None and not away.at_root else None


def library_unplugged(store, paths, batch_of: dict) -> dict[str, list[str]]:
    """Of ``paths`` (photos a batch took, away still; ``batch_of``: each one's batch), those whose own folder undo
    will not make, the library's drive most likely not mounted (:func:`.drives.unplugged`, as undo tells it, from
    when the batch began): ``{why: [path, ...]}``, ``why`` the reason undo's refusal gives (``/media/me/DISK/lib is
    not there, and /media/me/DISK is empty and not modified since the batch``). ``report`` says to mount that drive
    before the undo: until 2026-12-07 (the evening), a database kept off the drive (``--db ~/lib.db``), it named an
    undo that refused each photo until the drive was mounted. Each folder is looked at once a batch, where undo puts
    the photo back: the library's drive mounted at another place (:func:`.batch_drives.library_moved`), there."""
    began = dict(store.conn.execute("SELECT id, created_at FROM batches").fetchall())
    carried: dict[int, tuple[str, str] | None] = {}
    seen: dict[tuple[str, int], str | None] = {}
    found: dict[str, list[str]] = {}
    for path in paths:
        batch = batch_of.get(path)
        if batch is None:
            continue
        if batch not in carried:
            carried[batch] = batch_drives.library_moved(store, batch)
        key = (os.path.dirname(batch_drives.along(path, carried[batch])), batch)
        if key not in seen:
            away = drives.unplugged(key[0], since=began.get(batch))
            seen[key] = None if away is None else str(away)
        if seen[key] is not None:
            found.setdefault(seen[key], []).append(path)
    return found


def still_there(kind: str, photo: str, dst: str) -> bool:
    """Whether a file is at ``dst``, where a batch of ``kind`` put ``photo``, and, in the trash, not another one
    the desktop trashed under its name after the trash was emptied (its ``.trashinfo`` names another path, as
    :func:`blurscan.actions.restore.restore` tells it, which then says the photo gone): until 2026-12-07 ``report``
    and the review page said of such a photo that `blurscan undo` puts it back, and the undo said it was gone
    (then, its batch closed, that there was nothing to undo)."""
    if not os.path.lexists(dst):
        return False
    if kind != "trash":
        return True
    from . import trash

    info = trash.info_path_for(dst)
    origin = trash.original_path(info) if os.path.lexists(info) else None  # (none, or unreadable: not told apart)
    return origin is None or os.path.normpath(origin) == os.path.normpath(photo)
