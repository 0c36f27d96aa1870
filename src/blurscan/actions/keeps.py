"""Keeps recorded in other library databases than the one a ``move`` / ``trash`` / ``tag`` uses.

A library scanned first by sub-folder (``scan lib/2024``, then ``scan lib``) has two databases: the new one
reuses the sub-folder's results, but the person's decisions stay where they were made. The same holds for the
library's own ``.blurscan.db`` when ``--db`` names another file. A photo kept in any of them must never be taken.
The review page shows the photos this protects as kept, and so do the tables of ``report`` and ``scan``, by
calling the same function (:func:`kept_elsewhere`: :mod:`blurscan.review.elsewhere`, :mod:`blurscan.report`).
A photo moved by hand out of the folder of the database that keeps it takes the keep along at the library's next
scan (:func:`blurscan.renamed.carry_keeps_from_above`, which finds those databases with :func:`databases_above`).
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from typing import NamedTuple

from ..config import DEFAULT_DB_NAME
from ..errors import StoreError, printable_path
from ..other_databases import _record_sample, _sample, databases_above  # noqa: F401  (also read from here)
from ..seeded import seeded_from
from ..store import Store, db_path, path_from_db
from ..filetime import mtime_of
from .. import stored_json
from .raw_keeps import kept_by_raw_twin
from .real_paths import Resolver


class _Photo(NamedTuple):
    """What :func:`kept_in_other_databases` reads of a photo (a :class:`~blurscan.actions.plan.Candidate` has it)."""

    size: int | None
    mtime_ns: int | None


#: The reason a photo is left when this database keeps another name of its file (the plan's words).
OWN_OTHER_NAME = "another name of a photo you marked keep"
#: The reason a photo is left when this database's keep on it was made on an earlier version of its file.
OWN_EARLIER_VERSION = ("marked keep, made on an earlier version of this file (changed or replaced since): "
                       "review it again")


def kept_elsewhere(store, photos: Iterable[tuple[str, int | None, int | None]],
                   within: tuple[str, ...] | None = None) -> dict[str, str]:
    """path -> the reason, for those of ``photos`` (``(path, size, mtime_ns)`` each, as the ``images`` table holds
    them) that :func:`kept_in_other_databases` or a keep on their RAW twin (:mod:`.raw_keeps`) protects: what
    ``move`` leaves beyond this database's keeps by path, for the tables that show it (review page, ``report``). Not
    those protected only by a keep made on an earlier version of the file (edited or replaced since): like a
    keep of this database's own on an earlier version, it keeps ``move`` from taking the photo until a decision
    is made on it as it is now, but the photo is shown to review again. ``within``: :func:`databases_within`
    ``store``'s library, when the caller has it (looked up now when not given)."""
    found = _protected(store, chosen := {path: _Photo(size, mtime) for path, size, mtime in photos}, within)
    return {**kept_by_raw_twin(store, chosen), **{path: why for path, (why, current) in found.items() if current}}


def kept_in_other_databases(store, chosen: dict, earlier: dict | None = None) -> dict[str, str]:
    """Those of the ``chosen`` photos (path -> :class:`~blurscan.actions.plan.Candidate`, its ``size`` and
    ``mtime_ns`` used) that a keep protects beyond this database's keeps by path (path -> the reason to skip).
    ``earlier``: photos (alike) the selection would take but for a keep of this database's on their path made on
    an earlier version of the file; each is in the answer too, with the reason a keep made elsewhere on this
    version gives, else :data:`OWN_EARLIER_VERSION` (a keep errs on the side of the photo; it was listed nowhere).

    * A keep in another library database in a folder above the photo: that of an earlier scan of a sub-folder
      (``lib/2024/.blurscan.db`` from ``scan lib/2024`` before ``scan lib``), whose decisions stay in it, or the
      library's own when ``--db`` names a file elsewhere (``move --all-blurry`` took a photo kept there). It
      counts for the photo under its path or its real path (a folder reached through a link), and for the
      file it names however that is reached: a keep stored under a folder link's path
      (``lib/link-to-2024/IMG_1.jpg``, for ``lib/2024/IMG_1.jpg``), a link to the file or a hard link protects
      the photo when it is the same file (device and inode) with the size and time the keep was made on.
    * A keep in this database on another name of the photo's file (a hard link, a link to it, a folder link's
      path: stored by a scan of that name's folder alone), with the size and time the keep was made on: the
      plan leaves such a photo anyway (:func:`blurscan.actions.one_name.one_name_per_file`), and the review page
      showed it as undecided, and counted it among the discards a move would take.
    * A keep, in this database or such another one, on a path where no file is any more, or another file now
      (names swapped or rotated by hand, which the scan could not tell, :mod:`blurscan.swapped`): it protects a photo
      of the same suffix, size and modification time, which may be the kept photo renamed or moved by hand
      (the scan carries a keep over only when the match is unambiguous; a kept photo renamed *and* copied
      left both copies unprotected), or copied before it was deleted. Every photo of that suffix, size and
      time: which of them is the kept one cannot be told (a keep errs on the side of the photo). So does such
      a keep in a library database above none of the chosen photos but in a folder where this database holds
      photos or above one (:func:`databases_within`): a sub-folder's own database keeping a photo copied out
      of that sub-folder by hand (``cp -p lib/2024/IMG_1.jpg lib/2023/``) and deleted there since; that
      database was above the copy for no command, and ``move --all-blurry`` from the library took the copy.
    * A keep, in this database or such another one, whose path holds a file of the size and time kept but other
      sampled bytes (:mod:`blurscan.replaced`): two photos of one size and time (TIFFs of one shape from a zip)
      whose names were swapped by hand. A scan that found it so stored the kept file's size, time and sample in
      ``replaced_keeps`` (:func:`blurscan.replaced.recheck`, which clears the keep itself); before a scan, the
      database's record of the kept file tells (its sample is read only when the file's status-change time is
      not the one stored). It protects each photo of the same suffix, size and time whose file has that sample,
      or cannot be read, until the database holds a decision made on that photo as it is now since the scan
      found the keep's file replaced (the person's word on that photo). Before, the scan cleared both decisions
      of such a swap, and ``move --all-blurry`` took the kept photo under its new name.
    * A database above the photo that cannot be read (damaged, or from a newer blurscan) protects every photo
      below its folder: its keeps cannot be checked.

    A keep in another database on the photo's path made on an earlier version of the file (another size or
    time, or the same ones but other sampled bytes in the two databases' records: a file replaced since, see
    :mod:`blurscan.replaced`) still protects it, as this database's own keep on an earlier version does (a keep
    errs on the side of the photo), until this database holds a decision made on the photo as it is now: a
    discard made here then takes it (it stayed, "move still leaves it"). The pages show such a photo to review
    again (:func:`kept_elsewhere`), not kept: the keep was made on another picture.

    Cost: each database's keeps are read once; only those of a chosen photo's size and time are looked up on
    disk (resolving the folder of every stored keep instead cost half as much again as reading them, with
    300,000 keeps above the library). Of a database above no chosen photo only the keeps of a chosen photo's
    size are read; finding those databases reads this database's paths once (:func:`databases_within`).
    """
    earlier = earlier or {}
    found = _protected(store, {**chosen, **earlier})
    out = {path: reason for path, (reason, _) in found.items() if path in chosen}
    for path in earlier:
        reason, current = found.get(path, (OWN_EARLIER_VERSION, False))
        out[path] = reason if current else OWN_EARLIER_VERSION
    return out


def _protected(store, chosen: dict, within: tuple[str, ...] | None = None) -> dict[str, tuple[str, bool]]:
    """:func:`kept_in_other_databases`, each reason with whether the keep was made on this version of the photo
    (False: on an earlier version, see there); ``within`` as :func:`kept_elsewhere` takes it."""
    if not chosen:
        return {}
    own = os.path.realpath(store.path) if store.path != ":memory:" else None
    real = Resolver(chosen)
    real_of = {path: real.path(path) for path in chosen}
    identity = {path: (os.path.splitext(path)[1].lower(), cand.size, cand.mtime_ns) for path, cand in chosen.items()}
    look = _Lookup(chosen, identity, store.conn)
    kept_by_path: dict[str, list] = {}     # kept path -> [(reason, size, time, sample) of a keep], a database each
    versions: dict[str, set] = {}          # a chosen photo's path or real path -> the (size, time) chosen there
    for path, cand in chosen.items():
        for name in (path, real_of[path]):
            versions.setdefault(name, set()).add((cand.size, cand.mtime_ns))
    unreadable: dict[str, str] = {}        # folder + os.sep -> reason
    if own is not None:
        look.by_size_and_time(store.conn, "marked keep", same_file=OWN_OTHER_NAME)
    above = _databases_above(chosen, real_of, own)
    known = {os.path.realpath(db) for db in above}
    below = [db for db in (databases_within(store) if within is None else within)
             if os.path.realpath(db) not in known]
    for db in above + below:
        name = printable_path(db)
        reason = f"marked keep in {name}"
        try:
            with Store(db, readonly=True) as other:
                by_path = () if db in below else other.conn.execute(  # below: only keeps of photos gone count
                    "SELECT path, size, mtime_ns FROM decisions WHERE decision = 'keep'")
                for key, size, mtime in by_path:
                    if path_from_db(key) in versions:  # the sample only for a keep on the version chosen
                        current = (size, mtime) in versions[path_from_db(key)]
                        kept_by_path.setdefault(path_from_db(key), []).append(
                            (reason, size, mtime, _sample(other.conn, key, size, mtime)
                             or _replaced_sample(store, key, size, mtime) if current else None))
                look.by_size_and_time(other.conn, reason, same_file=True)
        except (StoreError, sqlite3.Error) as exc:
            if db in below:
                continue  # above no chosen photo: nothing of it to protect (carry_keeps_from_above passes it over)
            why = str(exc).removeprefix(f"{name}: ")  # a StoreError names the database already
            reason = (f"its keep or discard cannot be checked in {name}: {why} (if that file is no library's "
                      "database, move it away)")
            for top in {os.path.dirname(db), os.path.dirname(os.path.realpath(db))}:
                unreadable.setdefault(top + os.sep, reason)
    out: dict[str, tuple[str, bool]] = {}
    for path, cand in chosen.items():
        by_path = kept_by_path.get(path, []) + kept_by_path.get(real_of[path], [])
        current = next((reason for reason, size, mtime, sample in by_path if (size, mtime) == (cand.size, cand.mtime_ns)
                        and not _replaced(store, path, size, mtime, sample)), None)
        if current is not None:
            out[path] = (current, True)
            continue
        if by_path and not _decided_now(store, path, cand):
            out[path] = (f"{by_path[0][0]}, made on an earlier version of this file (changed or replaced since): "
                         "review it again", False)
            continue
        reason = look.by_file.get(path) or look.by_identity.get(identity[path])
        if reason is None:
            reason = next((r for top, r in unreadable.items() if path.startswith(top) or real_of[path].startswith(top)),
                          None)
        if reason is not None:
            out[path] = (reason, True)
    return out


def _replaced_sample(store, key, size, mtime) -> str | None:
    """The sample of the file kept on ``key`` at that size and time that a scan of ``store`` found replaced there
    (``replaced_keeps``), None when none did: another database's keep whose record has no sample (a blurscan's
    from before samples), :func:`blurscan.replaced._kept_above`."""
    if store.path == ":memory:" or not store.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'replaced_keeps'").fetchone():
        return None  # (a database of an earlier schema, read only, has none)
    row = store.conn.execute("SELECT sample FROM replaced_keeps WHERE path = ? AND size = ? AND mtime_ns = ? "
                             "ORDER BY found_at DESC", (key, size, mtime)).fetchone()
    return row[0] if row is not None else None


def _replaced(store, path: str, size, mtime, sample: str | None) -> bool:
    """Whether the file at ``path`` (of that size and time) is no longer the one ``sample``, another database's
    record of the kept file, was taken from: replaced since the keep (same size, time set back). This database's
    record tells when it has the same sample (not replaced: nothing read); when its sample differs, one of the
    two records is stale, and the file itself decides (its sample read: 128 KiB): the library's record may be
    the older one (the sub-folder scanned again, and the new picture kept there, after the library's last scan),
    and its stale discard then took the photo kept. Unknown (no sample on either side: a record from a blurscan
    before samples; a file that cannot be read): no, the keep protects it."""
    if sample is None:
        return False
    row = store.conn.execute("SELECT record FROM images WHERE path = ? AND size = ? AND mtime_ns = ?",
                             (db_path(path), size, mtime)).fetchone()
    ours = _record_sample(row)
    if ours is None or ours == sample:
        return False
    from ..samples import RECORD_DIGITS, read_sample

    try:
        st, now = read_sample(path)
    except OSError:
        return False
    return (st.st_size, mtime_of(st)) == (size, mtime) and now[:RECORD_DIGITS] != sample


def _other_bytes(conn, key, path: str, st: os.stat_result, size: int, mtime: int, own=None) -> str | None:
    """The sample of the kept file (``conn``'s record of ``key``) when the file at ``path`` (``st``: of the size and
    time kept) is not that file, else None: nothing is read when its status-change time is the one stored
    (:mod:`blurscan.replaced`); unknown (no sample stored, the file unreadable): None. A record without a sample (a
    blurscan's from before samples: a sub-folder's database no scan of the library writes) is told by ``own``'s
    record of that file (the library's database, which its scan sampled), when it has one."""
    row = None
    for db in (conn, own) if own is not None and own is not conn else (conn,):
        row = db.execute("SELECT record FROM images WHERE path = ? AND size = ? AND mtime_ns = ?",
                         (key, size, mtime)).fetchone()
        if _record_sample(row) is not None:
            break
    sample = _record_sample(row)
    try:
        if sample is None or stored_json.parsed(row[0]).get("ctime_ns") == st.st_ctime_ns:
            return None
    except (ValueError, AttributeError):
        return None
    from ..samples import RECORD_DIGITS, read_sample

    try:
        now, digest = read_sample(path)
    except OSError:
        return None
    return sample if (now.st_size, mtime_of(now)) == (size, mtime) and digest[:RECORD_DIGITS] != sample else None


def _decided_now(store, path: str, cand) -> bool:
    """Whether this database holds a keep or discard made on ``path`` as it is now (the chosen photo's size and
    time, and not cleared since by a scan that found the file replaced)."""
    return store.conn.execute("SELECT 1 FROM decisions WHERE path = ? AND size = ? AND mtime_ns = ?",
                              (db_path(path), cand.size, cand.mtime_ns)).fetchone() is not None


class _Lookup:
    """The keeps, of one database after another, that name a chosen photo by its size and time rather than by
    its path: a file no longer there (the kept photo renamed or moved by hand?), or another name of the photo's
    own file. Only keeps of a wanted size are read, and only those of a wanted size and time looked up on disk
    (a library database with 300,000 keeps made a dry run 7x slower when each was)."""

    def __init__(self, chosen: dict, identity: dict, own=None) -> None:
        self.chosen, self.own = chosen, own  # own: the connection of the database the command uses
        self.wanted = set(identity.values())
        self.times = {(size, mtime) for _, size, mtime in self.wanted if size is not None}
        self.by_identity: dict[tuple, str] = {}   # (suffix, size, time) -> reason
        self.by_file: dict[str, str] = {}         # chosen path -> reason
        self._by_time: dict[tuple[int, int], list[str]] | None = None
        self._ids: dict[str, tuple[int, int] | None] = {}
        self._samples: dict[str, str | None] = {}

    def by_size_and_time(self, conn, reason: str, *, same_file: bool | str = False) -> None:
        """Read ``conn``'s keeps of a wanted size (``reason``: where they are); with ``same_file``, a keep on
        another name of a chosen photo's file counts for that photo too (``same_file`` a string: the reason
        then, for this database's own keeps, as the plan words it)."""
        sized = sorted({size for size, _ in self.times})
        if len(sized) > 5000:  # each query below reads every keep: past 10 of them, one pass over them is cheaper
            chunks = [None]
        else:
            chunks = [sized[start:start + 500] for start in range(0, len(sized), 500)]
        for chunk in chunks:
            sql = "SELECT path, size, mtime_ns FROM decisions WHERE decision = 'keep'"
            if chunk is not None:
                sql += f" AND size IN ({','.join('?' * len(chunk))})"
            for key, size, mtime in conn.execute(sql, chunk or ()):
                if (size, mtime) in self.times:
                    self._one(conn, key, size, mtime, reason, same_file)
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'replaced_keeps'").fetchone():
            for chunk in chunks:  # (a database of an earlier schema, read only, has none)
                sql = "SELECT path, size, mtime_ns, sample, found_at FROM replaced_keeps"
                if chunk is not None:
                    sql += f" WHERE size IN ({','.join('?' * len(chunk))})"
                for key, size, mtime, sample, found_at in conn.execute(sql, chunk or ()):
                    if (size, mtime) in self.times:
                        self._kept_photo(conn, path_from_db(key), size, mtime, sample, reason, found_at)

    def _one(self, conn, key, size: int, mtime: int, reason: str, same_file: bool | str) -> None:
        path = path_from_db(key)
        ident = (os.path.splitext(path)[1].lower(), size, mtime)
        if not os.path.lexists(path):
            if ident in self.wanted and ident not in self.by_identity:
                self.by_identity[ident] = (
                    f"{reason} as {printable_path(os.path.basename(path))}, a photo of the same size and time no "
                    "longer there (this one, renamed or moved by hand?)")
            return
        # only a chosen photo of this size and time under another path can be another name of the kept file
        others = [photo for photo in self._at().get((size, mtime), ()) if photo != path]
        if not others:
            return
        try:
            st = os.stat(path)
        except OSError:
            return
        if (st.st_size, mtime_of(st)) != (size, mtime):
            # another file under the kept name now: the kept one may be this photo, the names swapped or rotated
            # by hand (a scan carries the keep over only when it can tell, blurscan.swapped)
            if ident in self.wanted and ident not in self.by_identity:
                self.by_identity[ident] = (
                    f"{reason} as {printable_path(os.path.basename(path))}, a photo of the same size and time, "
                    "another file under that name now (this one, renamed by hand?)")
            return
        kept = _other_bytes(conn, key, path, st, size, mtime, self.own)
        if kept is not None:
            # the same size and time, not the bytes kept: the kept photo may be one of these, the names swapped by
            # hand since the last scan, or in a database no scan writes (a sub-folder's: replaced_keeps in ours)
            self._kept_photo(conn, path, size, mtime, kept, reason, None)
            return
        if not same_file:
            return
        for photo in others:
            if st.st_ino and self._file_id(photo) == (st.st_dev, st.st_ino):
                self.by_file.setdefault(photo, same_file if isinstance(same_file, str) else
                                        f"{reason} as {printable_path(path)}, the same file")

    def _kept_photo(self, conn, path: str, size: int, mtime: int, sample: str, reason: str,
                    found_at: float | None) -> None:
        """A keep made on ``path`` when its file had that size, time and ``sample`` (:mod:`blurscan.replaced`),
        another file there now of the same size and time: it protects each chosen photo of its suffix, size and
        time whose file has that sample, or cannot be read (a keep errs on the side of the photo), unless
        ``conn``'s database holds a decision made on that photo as it is now since ``found_at`` (when the scan
        found the keep's file replaced): the person's word on it."""
        suffix = os.path.splitext(path)[1].lower()
        for photo in self._at().get((size, mtime), ()):
            if photo in self.by_file or os.path.splitext(photo)[1].lower() != suffix:
                continue
            if self._sample_of(photo, size, mtime) not in (sample, None):
                continue  # another picture
            if found_at is not None and conn.execute(
                    "SELECT 1 FROM decisions WHERE path = ? AND size = ? AND mtime_ns = ? AND decided_at > ?",
                    (db_path(photo), size, mtime, found_at)).fetchone():
                continue
            self.by_file[photo] = (f"{reason} as {printable_path(os.path.basename(path))}, a photo of the same "
                                   "size, time and sampled bytes, replaced under that name since (this one, "
                                   "renamed by hand?)")

    def _sample_of(self, photo: str, size: int, mtime: int) -> str | None:
        """The sample of the file at ``photo`` (read once), None when it cannot be read or has changed since."""
        if photo not in self._samples:
            from ..samples import RECORD_DIGITS, read_sample

            try:
                st, digest = read_sample(photo)
                same = (st.st_size, mtime_of(st)) == (size, mtime)
                self._samples[photo] = digest[:RECORD_DIGITS] if same else None
            except OSError:
                self._samples[photo] = None
        return self._samples[photo]

    def _at(self) -> dict[tuple[int, int], list[str]]:
        """(size, time) -> the chosen photos of a wanted size and time."""
        if self._by_time is None:
            self._by_time = {}
            for path, cand in self.chosen.items():
                if (cand.size, cand.mtime_ns) in self.times:
                    self._by_time.setdefault((cand.size, cand.mtime_ns), []).append(path)
        return self._by_time

    def _file_id(self, path: str) -> tuple[int, int] | None:
        """(device, inode) of a chosen photo's file, links followed (looked up once)."""
        if path not in self._ids:
            try:
                st = os.stat(path)
                self._ids[path] = (st.st_dev, st.st_ino)
            except OSError:
                self._ids[path] = None
        return self._ids[path]


def _databases_above(chosen, real_of: dict[str, str], own: str | None) -> list[str]:
    """The library databases in the folders above each chosen photo (by its path and its real path), other
    than ``own``: each once, under the first path it was found by."""
    seen: set[str] = set()
    found: dict[str, str] = {}  # real path of a database -> the path it was found under
    for path in chosen:
        for start in dict.fromkeys((os.path.dirname(path), os.path.dirname(real_of[path]))):
            folder = start
            while folder not in seen:
                seen.add(folder)
                candidate = os.path.join(folder, DEFAULT_DB_NAME)
                if os.path.isfile(candidate):
                    real = os.path.realpath(candidate)
                    if real != own:
                        found.setdefault(real, candidate)
                parent = os.path.dirname(folder)
                if parent == folder:
                    break
                folder = parent
    return [found[real] for real in sorted(found)]


def databases_within(store) -> tuple[str, ...]:
    """The library databases (``.blurscan.db``) other than ``store``'s own in the folders where ``store`` holds
    photos and in the folders above those: the sub-folders' own databases (``lib/2024/.blurscan.db``, from
    ``scan lib/2024`` before ``scan lib``), whose keeps of photos no longer there count for a copy of the photo
    anywhere in the library (:func:`kept_in_other_databases`). One pass over the stored paths and a look per
    folder (300,000 photos in 900 folders: 0.45 s on the loaded development machine). Also the databases
    ``store`` was seeded from when it was made (:func:`blurscan.seeded.seeded_from`), still there: a sub-folder
    where the library holds no photo any more (its photos copied out by hand, then deleted there) was not looked
    in, and ``move --all-blurry`` took the copies of a photo kept in its database; a sub-folder's database
    made otherwise (a folder scanned elsewhere and moved into the library) is looked in while the library holds
    a photo in or below its folder."""
    if store.path == ":memory:":
        return ()
    own = os.path.realpath(store.path)
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples, not the store's rows
    folders = {key.rpartition(os.sep)[0] if isinstance(key, str) else os.path.dirname(path_from_db(key))
               for key, in cursor.execute("SELECT path FROM images")}
    seen: dict[str, tuple[str, ...]] = {}
    found: dict[str, str] = {}  # real path -> the path found
    for folder in sorted(folders):
        for db in databases_above(folder or os.sep, seen):
            found.setdefault(os.path.realpath(db), db)
    for db in seeded_from(store):  # its folder emptied by hand since: looked in all the same
        if os.path.isfile(db):
            found.setdefault(os.path.realpath(db), db)
    return tuple(db for real, db in sorted(found.items()) if real != own)
