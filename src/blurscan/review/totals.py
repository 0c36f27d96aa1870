"""The review page's header figures (:func:`.header_figures.summary`) kept between requests, so that a keep or
discard answers with them for the cost of the photos it changes, not of a count of the whole library (until 2026-12-04
each key press counted it all: 0.2-0.25 s with 60,000 photos).

Every figure is a sum over the photos, and a decision changes those of its photo and of the other names of its
file (a keep on one name protects them: :meth:`.elsewhere.KeptElsewhere.forget`): the figures after it are those
before, less these photos' figures before it, plus theirs after. The figures are counted in full by every other
request that shows them (the page's list, the tab shown again or its window focused, an undo, a keeper choice),
and at a decision when none are kept or when the database was written by anyone else since they were counted:
a scan, a move, trash or undo, another review server (:func:`written`). Not seen until the next full count: a
write made in the instant this server writes its decision, and what changes on disk only (a photo put back
from the desktop trash by hand, a sidecar added: the page looks for those once per page load anyway).
"""
from __future__ import annotations

import threading

from . import header_figures

#: What the writers of the tables the figures read leave behind: a scan's new or replaced records (a new
#: rowid), its pruned ones; a decision or its undo (decision log); a move, trash or undo (journal, batches).
_WRITTEN = ("SELECT (SELECT MAX(rowid) FROM images), (SELECT COUNT(*) FROM images), "
            "(SELECT MAX(id) FROM decision_log), (SELECT COUNT(*) FROM decision_log WHERE undone = 0), "
            "(SELECT MAX(id) FROM journal), (SELECT MAX(updated_at) FROM journal), "
            "(SELECT group_concat(id || state) FROM batches)")


#: What changes the photos a list holds, decisions aside: a scan's new, replaced or pruned records (its new
#: folders too); a move, trash or undo (journal, batches).
_LISTED = ("SELECT (SELECT MAX(rowid) FROM images), (SELECT COUNT(*) FROM images), (SELECT MAX(id) FROM journal), "
           "(SELECT MAX(updated_at) FROM journal), (SELECT group_concat(id || state) FROM batches)")


def listed(store) -> str:
    """A mark of what another command wrote that may change the page's lists (and its folder list): a tab
    shown again compares it with its list's and reads its list again only when it differs (refresh.js). A
    decision leaves it as it is (the tab marks those from /api/decisions)."""
    return repr(tuple(store.conn.execute(_LISTED).fetchone()))


def written(store) -> tuple:
    """A mark of what was written to ``store``'s tables the figures read, another after each write (a few
    indexed look-ups: 3 ms with 60,000 photos)."""
    return tuple(store.conn.execute(_WRITTEN).fetchone())


class Totals:
    """The header's figures, with the page's ``companions``, ``elsewhere`` and ``others`` caches
    (:class:`.library.Companions`, :class:`.elsewhere.KeptElsewhere`, :class:`.other_names.OtherNames`).
    Thread-safe."""

    def __init__(self, companions, elsewhere, others) -> None:
        self._companions, self._elsewhere, self._others = companions, elsewhere, others
        self._lock = threading.Lock()
        self._kept: tuple[dict, tuple] | None = None  # the last figures and the database's mark then
        self._decisions = 0  # decisions begun: a full count made meanwhile is not kept

    def now(self, store) -> dict:
        """The figures, counted now in full, and kept for the decisions that follow."""
        with self._lock:
            decisions = self._decisions
        mark = written(store)
        figures = header_figures.summary(store, self._companions, self._elsewhere, others=self._others.of(store))
        with self._lock:
            if decisions == self._decisions and written(store) == mark:
                self._kept = dict(figures), mark
        return figures

    def forget(self) -> None:
        """Count in full at the next decision (the page was loaded again: its caches emptied)."""
        with self._lock:
            self._decisions += 1
            self._kept = None

    def decide(self, store, path: str, write):
        """``(write(), figures)``: ``write`` makes a decision on the photo ``path`` (and may raise: nothing is
        kept then); the figures after it, from those kept when nothing else was written since."""
        with self._lock:
            self._decisions += 1
            kept, self._kept = self._kept, None
            before = only = others = None
            if kept is not None and written(store) == kept[1]:
                only, others = self._elsewhere.alike(store, path) | {path}, self._others.of(store)
                before = header_figures.summary(store, self._companions, self._elsewhere, only=only, others=others)
                if written(store) != kept[1]:
                    before = None
            result = write()
            # (a decision that changes which name of a file the page shows, .other_names: counted in full)
            if before is not None and self._others.of(store) == others:
                mark = written(store)
                after = header_figures.summary(store, self._companions, self._elsewhere, only=only, others=others)
                if written(store) == mark:
                    figures = {name: value + after[name] - before[name] if name in after else value  # (judged_by)
                               for name, value in kept[0].items()}
                    figures["burst_groups"] = after["burst_groups"]
                    self._kept = dict(figures), mark
                    return result, figures
        return result, self.now(store)
