"""A keeper chosen in the review page's bursts view, stored in one transaction (:func:`choose`).

A keeper choice writes four things: the group's new order (:func:`.library.pick_in`), the keep mark on the shot
chosen (:func:`.decisions.record_in`), the keep mark of the keeper chosen before it taken back
(:func:`.keeper_marks.release`) and the record of that keep for the servers started later
(:func:`.keeper_marks.remember`). Until 2026-12-06 each was its own transaction, so a choice cut short between
them was stored in part: ``blurscan review`` stopped by Ctrl-C as it answered (the server does not wait for the
requests it is answering), or another program holding the database's write lock past the busy timeout after the
group was stored, left the shot the group's keeper ("chosen by a person") without its keep mark, and the page
told of no keeper chosen, or of none at all. Now all four are stored, or none.
"""
from __future__ import annotations

import threading

from . import decisions, keeper_marks, library


def choose(store, group_id: int, path: str, size: int | None, mtime_ns: int | None, earlier_of):
    """Make ``path`` (of the scan's ``size`` and ``mtime_ns``) the keeper of group ``group_id`` and mark it keep,
    taking back the keep mark of the choice ``earlier_of(group before)`` names (:func:`.keeper_marks.earlier_pick`;
    None: none), all in one transaction.

    Returns
    -------
    tuple or None
        ``(pick, change, released)``: the group before and after (:func:`.library.pick_burst_keeper`), the id of
        the keep's change, and what :func:`.keeper_marks.release` took back; None (nothing stored) when ``path``
        is not in the group.
    """
    with store.transaction() as conn:
        pick = library.pick_in(conn, group_id, path)
        if pick is None:
            return None
        # the chosen shot is also marked keep: a later `bursts` run may regroup and propose another keeper
        # (a group whose shots changed is ranked afresh), but a photo marked keep is never moved or trashed
        change = decisions.record_in(conn, path, "keep", size=size, mtime_ns=mtime_ns)[1]
        released = keeper_marks.release(conn, earlier_of(pick[0]), path)
        keeper_marks.remember(conn, path, change)  # (for the servers started later)
    return pick, change, released


class Picks:
    """The keeper choices this server made and not undone, by the change number of their keep: the undo of such a
    change puts its group back as it was too, with the keep mark it took back (:mod:`.keeper_marks`).

    Each is remembered with the stored path and time of its keep's row of ``decision_log``, and taken for a change
    only while the database holds that row under that number: a database replaced while the server runs (moved
    away, the library scanned again) numbers its decisions from 1 again. Until 2026-12-06 the undo of the new
    database's decision 1, a plain discard, was taken for the keeper choice of that number: refused ("the keeper of
    group 1 was changed since"), the discard left stored.
    """

    def __init__(self) -> None:
        # change -> (group id, the group before, after, the keep mark released: keeper_marks, its log row's identity)
        self._picks: dict[int, tuple] = {}
        self._lock = threading.Lock()

    def add(self, store, change: int, group_id: int, pick: tuple, released) -> None:
        """Remember the keeper choice ``(pick, change, released)`` :func:`choose` made in group ``group_id``."""
        row = store.conn.execute("SELECT path, at FROM decision_log WHERE id = ?", (change,)).fetchone()
        with self._lock:
            self._picks[change] = (group_id, *pick, released, None if row is None else tuple(row))

    def get(self, store, change: int) -> tuple | None:
        """``(group id, before, after, released)`` of the keeper choice whose keep is the change ``change`` of the
        database ``store`` opens, or None (a choice of a database replaced since is forgotten)."""
        with self._lock:
            pick = self._picks.get(change)
        if pick is None:
            return None
        if not self._live(store, change, pick):
            self.pop(change)
            return None
        return pick[:4]

    def pop(self, change: int) -> None:
        with self._lock:
            self._picks.pop(change, None)

    def earlier(self, store, group_id: int, before: tuple) -> int | None:
        """:func:`.keeper_marks.earlier_pick` among the choices of this database."""
        with self._lock:
            picks = {change: pick for change, pick in self._picks.items() if pick[0] == group_id}
        live = {change: pick[:4] for change, pick in picks.items() if self._live(store, change, pick)}
        return keeper_marks.earlier_pick(live, group_id, before, store)

    @staticmethod
    def _live(store, change: int, pick: tuple) -> bool:
        row = store.conn.execute("SELECT path, at FROM decision_log WHERE id = ?", (change,)).fetchone()
        return row is not None and tuple(row) == pick[4]
