"""The stored names the review page leaves out as other names of a file it shows (:class:`OtherNames`).

A database can hold one file under two names: hard links, a symbolic link to a photo, a library scanned once
through a link to its folder and a link's folder scanned on its own. ``report`` lists such a file once, and
``move`` / ``trash`` take it once, under the name a walk keeps (:func:`blurscan.walk.one_name_per_file`). Until
2026-12-05 the review page showed every name as a photo of its own, and counted each in its header: a library
where ``report`` listed 12 photos and ``move`` would free 78,235 bytes showed 14 photos and 97,788 bytes. Now the
page leaves out the same names as those commands (:func:`blurscan.review.library.away`): the grid, the folder
counts and the header's figures agree with them.

Which name of a file the page shows is the one ``move`` takes or leaves: a name the person marked keep (a keep
on one name protects the file: ``move`` takes none of them), else one marked discard (``move`` takes that one),
else the name ``report`` lists; each time the first a walk meets among those. So the page's discards are what
``move`` takes, whichever name the decision was made on (a page opened before 2026-12-05 showed every name).

Which names share a file costs an ``lstat`` of every stored path (0.22 s for 60,000 files on the 2-core
development machine, 2026-12-05), so it is found once and kept: found again at
the next page load (a link made or removed by hand counts from then on) and when the database's rows or its
journal have changed since (a scan stored or forgot photos; a move, trash or undo took or put back a name).
Which of them is shown is read from the decisions at each request (when the database holds such files at all).

A RAW file's own record that a database an older blurscan wrote holds beside its photo's, the file now that
photo's RAW twin (:func:`blurscan.pair_names.raw_twins_among`: a Pixel's ``X.RAW-02.ORIGINAL.dng`` beside its
``X.RAW-01.COVER.jpg``, a photo of its own until 2026-12-07), is left out too, as ``report`` leaves it out and
``move`` takes it with its photo only: the page showed it as a photo of its own until the next scan, counted twice
in its header (reviewflows: 9 flagged photos and 7.4 MB to discard, 4.1 MB once scanned again).
"""
from __future__ import annotations

import os
import threading

from ..pair_names import raw_twins_among
from ..store import path_from_db
from ..walk import one_name_per_file

#: What changes when a scan stores or forgets a photo, or a move, trash or undo takes or puts one back.
_MARK = ("SELECT (SELECT MAX(rowid) FROM images), (SELECT COUNT(*) FROM images), (SELECT MAX(id) FROM journal), "
         "(SELECT MAX(updated_at) FROM journal)")

#: The decisions made on the stored version of each photo (one made on an older version is none).
_DECIDED = ("SELECT d.path, d.decision FROM decisions d JOIN images i ON i.path = d.path "
            "WHERE d.size IS i.size AND d.mtime_ns IS i.mtime_ns")


class OtherNames:
    """The stored paths (as :func:`blurscan.store.path_from_db` gives them) that name a file another stored
    path names, the one the page shows. Thread-safe (the review server is threaded)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # the database's mark, and the files of several names then: (the name report lists, the others); the RAW
        # twins' own records then
        self._found: tuple[tuple, tuple[tuple[str, tuple[str, ...]], ...], frozenset[str]] | None = None

    def reset(self) -> None:
        """Look on disk again at the next request (the page was loaded again)."""
        with self._lock:
            self._found = None

    def of(self, store) -> frozenset[str]:
        """The names of ``store``'s photos that the page leaves out (a path that cannot be read is nobody's
        other name)."""
        files, twins = self._files(store)
        if not files:
            return twins
        decided = {path_from_db(p): d for p, d in store.conn.execute(_DECIDED)}
        out: set[str] = set()
        for listed, more in files:
            names = (listed, *more)
            shown = listed
            for decision in ("keep", "discard"):
                chosen = [name for name in names if decided.get(name) == decision]
                if chosen:  # the first a walk meets among them (each name of the file is its own otherwise)
                    shown = next(name for name in chosen if name not in one_name_per_file(chosen))
                    break
            out.update(name for name in names if name != shown)
        return frozenset(out) | twins

    def twins(self, store) -> frozenset[str]:
        """The stored RAW files' own records that the page leaves out, each now the RAW twin of a photo on disk
        (:func:`blurscan.pair_names.raw_twins_among`: an older blurscan's Pixel DNG)."""
        return self._files(store)[1]

    def _files(self, store) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], frozenset[str]]:
        mark = tuple(store.conn.execute(_MARK).fetchone())
        with self._lock:
            if self._found is not None and self._found[0] == mark:
                return self._found[1:]
        paths = [path_from_db(p) for (p,) in store.conn.execute("SELECT path FROM images")]
        grouped: dict[str, list[str]] = {}
        for other, listed in one_name_per_file(paths).items():
            grouped.setdefault(listed, []).append(other)
        files = tuple((listed, tuple(more)) for listed, more in grouped.items())
        # (a RAW whose photo's file is gone is a photo of its own again: the next scan judges it so)
        twins = frozenset(raw for raw, photo in raw_twins_among(paths).items() if os.path.lexists(photo))
        with self._lock:
            self._found = mark, files, twins
        return files, twins
