"""The keep mark of a burst keeper chosen in the review page, taken back when another keeper is chosen.

Making a shot the keeper of its burst also marks it keep (so that no regrouping lets a cleanup command take
it). Until 2026-12-05 that mark stayed when the person then chose another shot of the same group as keeper (a
change of mind: `Space` on one shot, then on another): the first shot, now ranked below the keeper the person
chose ("a person chose IMG_2.jpg"), was never taken by ``move/trash --from-bursts`` ("not a candidate: you
marked it keep"), though the person had only pressed `Space` on it, never `k`.

So a keeper choice takes back the keep mark of the group's keeper chosen before it in this server's time, when
that mark is still the one that choice made (no keep or discard on that shot since, no undo). The mark is undone
as :func:`~blurscan.review.decisions.undo_change` undoes a change (the shot's decision before that choice comes
back, a discard too), and put back when the new choice is undone (`u`): the group and both marks are then as
they were. A keep the person made themselves (`k`) is never touched.

A keeper chosen in an earlier run of the review server is known from the database: each choice's keep is
recorded there (:func:`remember`, ``meta`` key :data:`KEY`: the shot's path -> the change id of its keep). Until
2026-12-05 only this server's choices were known, so a keeper chosen on one day kept its keep mark when another
was chosen in the same burst the next day (after `blurscan review` was started again), and ``move
--from-bursts`` never took it.
"""
from __future__ import annotations

import json

from ..store import db_path, path_from_db
from . import security
from .decisions import _revert
from .. import stored_json

#: What :func:`release` took back: the change id of the earlier choice's keep, and its ``decisions`` row.
Released = tuple[int, tuple]

#: The ``meta`` key of the keeper choices' keeps: JSON ``{stored path of the shot: change id of its keep}``.
KEY = "review_keeper_keeps"


def earlier_pick(picks: dict[int, tuple], group_id: int, before: tuple, store) -> int | None:
    """The change id of the keeper choice still in effect in group ``group_id`` (``picks``: change id -> (group
    id, the group before, after, ...), the review server's choices not undone), or None: the latest choice of
    that group whose group as it left it (``after``) is the group as it was before the new choice (``before``);
    without one, the keep of the group's keeper a person chose in an earlier run (:func:`remember`), which
    :func:`release` takes back only while it is still that shot's decision."""
    ids = [change for change, (group, *_) in picks.items() if group == group_id]
    latest = max(ids, default=None)
    if latest is not None:
        return latest if picks[latest][2] == before else None
    # (path, rank, is_keeper, chosen_by, reason) of each shot: library._burst_order
    keeper = next((shot[0] for shot in before if shot[1] == 1 and shot[2] and shot[3] == "person"), None)
    return _remembered(store.conn).get(keeper) if keeper is not None else None


def remember(conn, keeper: str, change: int) -> None:
    """Inside the caller's transaction (the keeper choice's, :mod:`.keeper_choice`): record that the change
    ``change`` is the keep a keeper choice made on the shot ``keeper`` (a path), for the servers started later;
    the records of keeps no longer in effect (undone, decided again since) are dropped."""
    known = {**_remembered(conn), db_path(keeper): change}
    for path, logged in list(known.items()):
        row = conn.execute("SELECT l.undone, l.decision, l.at, d.decided_at FROM decision_log l "
                           "LEFT JOIN decisions d ON d.path = l.path WHERE l.id = ? AND l.path = ?",
                           (logged, path)).fetchone()
        if row is None or row[0] or row[1] != "keep" or row[2] != row[3]:
            del known[path]
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (KEY, json.dumps(known)))


def _remembered(conn) -> dict[str, int]:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
    try:
        known = stored_json.parsed(row[0], "a stored value") if row else {}
    except ValueError:  # (written by hand: as if none)
        return {}
    if not isinstance(known, dict):
        return {}
    return {k: v for k, v in known.items() if isinstance(k, str) and isinstance(v, int)}


def release(conn, change: int | None, keeper: str) -> Released | None:
    """Inside the caller's transaction (the keeper choice's, :mod:`.keeper_choice`): undo the keep mark the keeper
    choice ``change`` made, now that ``keeper`` (a path) is the keeper chosen instead; None (nothing done) when
    there is no such choice, it chose ``keeper`` itself, or its keep mark is no longer the photo's decision."""
    if change is None:
        return None
    row = conn.execute("SELECT * FROM decision_log WHERE id = ?", (change,)).fetchone()
    if row is None or row["undone"] or row["decision"] != "keep" or row["path"] == db_path(keeper):
        return None
    now = conn.execute("SELECT path, decision, size, mtime_ns, decided_at FROM decisions WHERE path = ?",
                       (row["path"],)).fetchone()
    later = conn.execute("SELECT 1 FROM decision_log WHERE path = ? AND id > ? AND undone = 0 LIMIT 1",
                         (row["path"], change)).fetchone()
    if now is None or now["decision"] != "keep" or now["decided_at"] != row["at"] or later is not None:
        return None
    _revert(conn, row)
    return change, tuple(now)


def restore(conn, released: Released | None) -> None:
    """Inside the caller's transaction (the undo of the choice that released it): put the keep mark
    :func:`release` took back again, when nothing has changed that photo's decision since."""
    if released is None:
        return
    change, row = released
    later = conn.execute("SELECT 1 FROM decision_log WHERE path = ? AND id > ? AND undone = 0 LIMIT 1",
                         (row[0], change)).fetchone()
    if later is None:
        conn.execute("INSERT OR REPLACE INTO decisions (path, decision, size, mtime_ns, decided_at) "
                     "VALUES (?,?,?,?,?)", row)
        conn.execute("UPDATE decision_log SET undone = 0 WHERE id = ?", (change,))


def shown(store, released: Released | None) -> dict | None:
    """For the page's answer: the shot whose keep mark :func:`release` took back (or :func:`restore` put back) as
    ``{id, decision}``, its decision as stored now, or None when no mark was taken back: the page shows it on
    that shot's cards (told only of the shot chosen, its grid went on showing the other one kept until reloaded)."""
    if released is None:
        return None
    path = released[1][0]
    now = store.conn.execute("SELECT decision FROM decisions WHERE path = ?", (path,)).fetchone()
    return {"id": security.path_id(path_from_db(path)), "decision": now[0] if now else None}
