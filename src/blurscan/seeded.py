"""A database that starts from others' results: :class:`SeededStore`."""
from __future__ import annotations

import json
import os

from .errors import StoreError
from .records import ImageRef, ScanRecord
from .store import Store
from . import stored_json


class SeededStore(Store):
    """A writable store that also reuses read-only stores' records: a library's ``.blurscan.db`` that cannot be
    written (a read-only share, another user's library; the scan keeps its database in the cache folder), or the
    sub-folders' databases seeding a new library database. A file missing from this store is looked up in
    ``seed`` (a path, or several in turn: the first with a usable record gives it) with the rule of
    :meth:`Store.lookup_many` (path, size, mtime, cache key); a usable record found (``status`` ok) is copied into
    this store at once, so this store ends up with everything the scan found. The scan looks for photos moved
    by hand in the seeds too (:func:`blurscan.renamed.connections`): a photo kept in a sub-folder's database and
    moved out of that sub-folder before the library was first scanned takes its keep along. The seeds are opened with
    ``readonly=True``: nothing is written there, and no ``-wal`` or ``-shm`` file is left.

    With ``decisions`` (a library database that cannot be written: a share or card made read-only after a review)
    :meth:`carry_decisions`, which the scan calls when it is done, brings the seed's keeps and discards of the
    photos this store holds along, each made on the version of the file stored here, where this store has no
    decision on that photo and never had one (its ``decision_log`` names it not: a discard the person took back
    here is not brought back). Until 2026-12-05 only keeps were honoured, read from the seed at ``move`` time:
    discards were silently left behind, and ``move`` said "no photo is marked discard". The databases of
    sub-folders seeding a new library database keep theirs (they are still in use for those sub-folders; a keep
    there is honoured by ``move``)."""

    def __init__(self, path: str | os.PathLike, seed, *, decisions: bool = False, **kwargs) -> None:
        self.seeds: list[Store] = []
        self._decisions = decisions
        try:
            for one in [seed] if isinstance(seed, (str, os.PathLike)) else seed:
                self.seeds.append(Store(one, readonly=True))
            super().__init__(path, **kwargs)
            remember_seeds(self, [seed.path for seed in self.seeds])
        except BaseException:
            self._close_seeds()
            raise

    def lookup(self, ref: ImageRef, cache_key: str) -> ScanRecord | None:
        return self.lookup_many([ref], cache_key).get(ref.path)

    def lookup_many(self, refs: list[ImageRef], cache_key: str) -> dict[str, ScanRecord]:
        found = super().lookup_many(refs, cache_key)
        missing = [ref for ref in refs if ref.path not in found]
        for seed in self.seeds:  # a file's usable record in an earlier seed is not looked for in the next ones
            seeded = seed.lookup_many(missing, cache_key) if missing else {}
            usable = {path: record for path, record in seeded.items() if record.status == "ok"}
            self.put(list(usable.values()), cache_key)
            found.update(seeded)
            missing = [ref for ref in missing if ref.path not in usable]
        return found

    def carry_decisions(self) -> int:
        """Bring the seeds' decisions along (see the class), the first seed's first; the number brought."""
        if not self._decisions:
            return 0
        brought = 0
        for seed in self.seeds:
            rows = seed.conn.execute("SELECT path, decision, size, mtime_ns, decided_at FROM decisions").fetchall()
            if not rows:
                continue
            with self.transaction() as conn:
                before = conn.total_changes
                conn.executemany(
                    "INSERT OR IGNORE INTO decisions (path, decision, size, mtime_ns, decided_at) "
                    "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM images WHERE path = ? AND size IS ? AND "
                    "mtime_ns IS ?) AND NOT EXISTS (SELECT 1 FROM decision_log WHERE path = ?)",
                    [(*row, row[0], row[2], row[3], row[0]) for row in rows])
                brought += conn.total_changes - before
        return brought

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._close_seeds()

    def _close_seeds(self) -> None:
        for seed in self.seeds:
            seed.close()


#: The ``meta`` key under which a database lists the databases that seeded it (a JSON list of paths).
SEEDS_KEY = "seeded_from"


def remember_seeds(store: Store, seeds: list[str]) -> None:
    """Add ``seeds`` to the databases ``store`` remembers it was seeded from (:func:`seeded_from`)."""
    known = seeded_from(store)
    new = [os.path.abspath(seed) for seed in seeds if os.path.abspath(seed) not in known]
    if new:
        with store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (SEEDS_KEY, json.dumps(known + new)))


def seeded_from(store: Store) -> list[str]:
    """The databases that seeded ``store`` (the earlier scans of a library's sub-folders, a read-only library's
    database), as paths, whether or not they are still there: :func:`blurscan.actions.keeps.databases_within`
    looks in them for keeps of photos no longer there even once the library holds no photo in their folder."""
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (SEEDS_KEY,)).fetchone()
    try:
        seeds = stored_json.parsed(row[0], "a stored value") if row is not None else []
    except ValueError:
        return []
    return [seed for seed in seeds if isinstance(seed, str)] if isinstance(seeds, list) else []


#: The ``meta`` key of a library database made from its sub-folders' databases (:func:`blurscan.cli.locate.
#: scan_db_location`'s list) whose first scan has not yet gone through the library (stopped by Ctrl-C): its next
#: scan is seeded by them too (:func:`unfinished_seeds`).
UNFINISHED_KEY = "seeding_unfinished"


def mark_unfinished(store: Store) -> None:
    """Say that ``store``'s first scan, seeded by its sub-folders' databases, has not gone through the library yet."""
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (UNFINISHED_KEY,))


def mark_finished(store: Store) -> None:
    """Say that a scan has gone through ``store``'s library: the sub-folders' databases seed no later scan."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM meta WHERE key = ?", (UNFINISHED_KEY,))


def unfinished_seeds(path: str | os.PathLike) -> list[str]:
    """The databases that seeded the library database ``path`` and still seed its scans, those still there:
    its first scan, seeded by them, did not go through the library (:func:`mark_unfinished`). Until 2026-12-06
    they seeded that first scan only, so a first scan stopped before it had looked its files up (Ctrl-C while
    it walked the library) left a library database that no later scan seeded: the photos of every sub-folder
    scanned before were decoded again."""
    try:
        with Store(path, readonly=True) as store:
            if store.conn.execute("SELECT 1 FROM meta WHERE key = ?", (UNFINISHED_KEY,)).fetchone() is None:
                return []
            return [seed for seed in seeded_from(store) if os.path.isfile(seed)]
    except StoreError:
        return []
