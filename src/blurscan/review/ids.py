"""Which stored photo each public id names (:class:`Ids`): the review page names photos by
:func:`~blurscan.review.security.path_id`, a hash of the stored path, so the server keeps the table from ids back
to paths, made from the ``images`` table.

An id that is not in the table made it again, on every request: a pass over the whole table, hashing each path
(0.11 s per request with 100,000 photos, against 8 ms for an id known, measured 2026-12-06 on the 2-core
development machine), with the table's lock held, so that every other request naming a photo waited. A page
open while a scan forgot photos (a folder renamed by hand and scanned again) asks for each of them (their
thumbnails, the detail view, a check of why a picture did not load): until 2026-12-06 each such request was one
more pass. Now an id found in no photo is remembered as missing until a photo is added to the table (a new
``rowid``: a scan's new or replaced records), the database file is another (:func:`_mark`) or the page is
loaded again (:meth:`Ids.reset`), and the table holds the photos of the database as last read, not every path ever
seen. Until 2026-12-06 the mark was the highest ``rowid`` alone: a database replaced while the page was open (moved
away, the library scanned again after a photo was renamed) by one with as many rows that holds the photo left its
card and thumbnail answering 404 "reload the page" until the page was reloaded.
"""
from __future__ import annotations

import os
import threading

from ..store import path_from_db
from .security import path_id

#: Ids remembered as missing, at most (more are forgotten, all at once: each is then looked for again once).
MAX_MISSING = 4096


class Ids:
    """Public id -> the photo's path as stored, for :func:`.library.row_for_id`. Thread-safe (the review server is
    threaded)."""

    def __init__(self) -> None:
        self._paths: dict[str, object] = {}
        self._missing: dict[str, object] = {}  # id -> the table's mark when it was found in no photo
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Look again for every id missing (the page was loaded again)."""
        with self._lock:
            self._missing = {}

    def stored_path(self, store, ident: str):
        """The stored path (as the ``images`` table holds it) of the photo of public id ``ident``, or None."""
        with self._lock:
            key = self._paths.get(ident)
            if key is not None:
                return key
            # (a path given a new name by an UPDATE keeps its rowid: its new id was never asked for before, so it
            # is not remembered as missing)
            mark = _mark(store)
            if ident in self._missing and self._missing[ident] == mark:
                return None
            self._paths = {path_id(path_from_db(p)): p for (p,) in store.conn.execute("SELECT path FROM images")}
            key = self._paths.get(ident)
            if key is None:
                if len(self._missing) >= MAX_MISSING:
                    self._missing = {}
                self._missing[ident] = mark
            return key


def _mark(store) -> tuple:
    """What an id found in no photo is remembered against: the database file (device and inode: a database moved
    away and made again is another file) and its ``images`` table's last row (highest ``rowid`` and its path: a
    file made again in the old one's inode holds other rows, or the photo was there before)."""
    try:
        st = os.stat(store.path)
        made = (st.st_dev, st.st_ino)
    except (OSError, ValueError):
        made = None
    last = store.conn.execute("SELECT rowid, path FROM images ORDER BY rowid DESC LIMIT 1").fetchone()
    return made, None if last is None else tuple(last)
