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
