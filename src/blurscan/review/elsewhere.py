"""Photos the review page shows as kept because of a keep outside this database's own decisions: those that
``move`` / ``trash`` / ``tag`` leave where they are by :func:`blurscan.actions.keeps.kept_in_other_databases`
(a keep in another library database above the photo, such as ``lib/2024/.blurscan.db`` from an earlier
``scan lib/2024``; a keep in this one on another name of the photo's file; a keep on a path where no file is
any more, of the photo's suffix, size and time; a database above the photo that cannot be read). The rule is
that function's, not a copy of it: the page then counts and shows what a move will do (it showed such a photo
as undecided, or among the discards a move would take).
"""
from __future__ import annotations

import threading

from ..actions.keeps import databases_within, kept_elsewhere
from ..store import db_path


class KeptElsewhere:
    """The reason a keep elsewhere protects each photo asked about, looked up once per photo (by its path,
    size and time) and kept until :meth:`reset`, which the app calls when the page is loaded: a decision then
    costs no lookup in the other databases, and a keep made in one of them meanwhile counts from the next
    page load. The sub-folders' databases (:func:`~blurscan.actions.keeps.databases_within`: a pass over the
    library's paths) are looked for once too, not at each decision. Thread-safe (the review server is
    threaded)."""

    def __init__(self) -> None:
        self._known: dict[tuple, str | None] = {}  # (path, size, mtime_ns) -> reason, or None: not protected
        self._protected: dict[tuple, str] = {}  # those of them that are protected (a few, where the known are many)
        self._by_version: dict[tuple, set] = {}  # (size, mtime_ns) -> the known photos of that size and time
        self._within: tuple[str, ...] | None = None
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._known, self._protected, self._by_version = {}, {}, {}
            self._within = None

    def forget(self, store, path: str) -> None:
        """Look up again the photos of the size and time of ``path``'s stored file: a keep made or undone here
        on one name of a file protects or frees its other names (a hard link, a link to it, stored by a scan
        of that name's folder alone), which the page showed as undecided until it was loaded again."""
        row = store.conn.execute("SELECT size, mtime_ns FROM images WHERE path = ?", (db_path(path),)).fetchone()
        if row is None:
            return
        with self._lock:
            for key in self._by_version.pop((row[0], row[1]), ()):
                self._known.pop(key, None)
                self._protected.pop(key, None)

    def alike(self, store, path: str) -> set[str]:
        """The paths of the photos known here of the size and time of ``path``'s stored file: those whose
        reason :meth:`forget` makes look up again."""
        row = store.conn.execute("SELECT size, mtime_ns FROM images WHERE path = ?", (db_path(path),)).fetchone()
        if row is None:
            return set()
        with self._lock:
            return {known[0] for known in self._by_version.get((row[0], row[1]), ())}

    def reasons(self, store, photos) -> dict[str, str]:
        """path -> reason for those of ``photos`` (``(path, size, mtime_ns)`` each, as the ``images`` table
        holds them) that a keep elsewhere protects."""
        photos = photos if isinstance(photos, (list, tuple)) else list(photos)
        with self._lock:
            known = self._known
            if not known.keys() >= set(photos):  # (a page's requests after its first find them all known)
                missing = [photo for photo in dict.fromkeys(photos) if photo not in known]
                if self._within is None:
                    self._within = databases_within(store)
                found = kept_elsewhere(store, missing, self._within)
                for photo in missing:
                    why = known[photo] = found.get(photo[0])
                    self._by_version.setdefault(photo[1:], set()).add(photo)
                    if why:
                        self._protected[photo] = why
            if len(self._protected) < len(photos):
                asked = set(photos)
                return {photo[0]: why for photo, why in self._protected.items() if photo in asked}
            return {path: known[(path, size, mtime)] for path, size, mtime in photos if known[(path, size, mtime)]}
