"""The person's keep / discard decisions (tables ``decisions`` and ``decision_log``).

A decision belongs to a *file version*: it stores the file's size and modification time when it was made.
When the file changes afterwards (edited, re-exported, replaced), the decision no longer applies and the photo
is judged afresh -- :func:`decision_for` and :func:`kept` only return decisions whose stored identity matches.

Every change is logged in ``decision_log`` with the previous state. Each logged change has an id (the
*change*, returned by :func:`decide`): :func:`undo_change` reverts that one change, and refuses
(:class:`UndoRefused`) when the photo's decision has been changed since -- the review page's ``u`` key undoes
the last change made in *its* tab this way, never one made in another tab. :func:`undo_last` reverts the
database's latest change, whoever made it (what ``u`` did before; still answered to a page that names no
change). Neither reverts a change whose decision a scan has carried away since, or replaced with the
decision of a photo moved or renamed by hand onto its path (:mod:`blurscan.renamed`, which logs no change).

Used by the review page (writes), the scan report (a photo the person kept is not flagged again:
:func:`kept`, :func:`decision_for`) and the actions (:func:`discarded`).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Callable

from ..errors import BlurscanError, UsageError, os_reason, printable_path
from ..store import db_path, path_from_db
from ..filetime import mtime_of

#: The decisions a person can make.
DECISIONS = ("keep", "discard")


@dataclass(frozen=True)
class Decision:
    """One stored decision.

    Attributes
    ----------
    path : str
        Absolute path as stored in the ``images`` table.
    decision : str
        ``"keep"`` or ``"discard"``.
    size, mtime_ns : int or None
        The file's identity when the decision was made.
    decided_at : float
        Unix time.
    """

    path: str
    decision: str
    size: int | None
    mtime_ns: int | None
    decided_at: float

    def applies_to(self, size: int | None, mtime_ns: int | None) -> bool:
        """True when the decision was made on this version of the file (same size and mtime)."""
        return self.size == size and self.mtime_ns == mtime_ns


def _row_to_decision(row) -> Decision:
    return Decision(path_from_db(row["path"]), row["decision"], row["size"], row["mtime_ns"], row["decided_at"])


def get(store, path: str) -> Decision | None:
    """The stored decision for ``path`` whatever the file's current state, or None."""
    row = store.conn.execute(
        "SELECT path, decision, size, mtime_ns, decided_at FROM decisions WHERE path = ?", (db_path(path),)).fetchone()
    return None if row is None else _row_to_decision(row)


def decision_for(store, path: str, size: int | None, mtime_ns: int | None) -> str | None:
    """``"keep"`` / ``"discard"`` when one was made on this version of the file, else None.

    Parameters
    ----------
    store : blurscan.store.Store
    path : str
        Absolute path (as in the ``images`` table).
    size, mtime_ns : int
        The file's current identity (from the walk or the ``images`` row).
    """
    found = get(store, path)
    if found is None or not found.applies_to(size, mtime_ns):
        return None
    return found.decision


def current(store, decision: str) -> frozenset[str]:
    """Paths marked ``decision`` whose file is unchanged since (the ``images`` table's size and mtime are the
    decision's; a decision without them, its photo replaced since, applies to nothing)."""
    rows = store.conn.execute(
        "SELECT d.path FROM decisions d JOIN images i ON i.path = d.path "
        "WHERE d.decision = ? AND d.size IS i.size AND d.mtime_ns IS i.mtime_ns", (decision,))
    return frozenset(path_from_db(r[0]) for r in rows)


def kept(store) -> frozenset[str]:
    """Paths the person kept whose file is unchanged since (per the ``images`` table's size and mtime).

    The scan report leaves these out of the flagged photos; a changed file drops out of this set and is
    flagged again if it is still blurry.
    """
    return current(store, "keep")


def discarded(store) -> frozenset[str]:
    """Paths the person marked ``discard`` whose file is unchanged since the decision."""
    return current(store, "discard")


def all_decisions(store) -> dict[str, Decision]:
    """Every stored decision by path (stale ones included; check :meth:`Decision.applies_to`)."""
    rows = store.conn.execute("SELECT path, decision, size, mtime_ns, decided_at FROM decisions")
    return {path_from_db(r["path"]): _row_to_decision(r) for r in rows}


def _identity(store, path: str) -> tuple[int | None, int | None]:
    row = store.conn.execute("SELECT size, mtime_ns FROM images WHERE path = ?", (db_path(path),)).fetchone()
    if row is not None:
        return row["size"], row["mtime_ns"]
    try:
        st = os.stat(path)
    except OSError as exc:
        raise UsageError(f"{printable_path(path)}: not in the database and cannot be read: "
                         f"{os_reason(exc)}") from exc
    return st.st_size, mtime_of(st)


def set_decision(store, path: str, decision: str | None, *, size: int | None = None,
                 mtime_ns: int | None = None, now: float | None = None) -> Decision | None:
    """Record (or with ``decision=None`` remove) the person's decision on ``path``, and log the change.

    Parameters
    ----------
    store : blurscan.store.Store
    path : str
        Absolute path as stored in the ``images`` table.
    decision : {"keep", "discard", None}
    size, mtime_ns : int, optional
        The file's identity; by default the one in the ``images`` table (the version the person looked at).
    now : float, optional
        Time stamp (tests).

    Returns
    -------
    Decision or None
        The stored decision (None when removed). :func:`decide` does the same and returns the change's id.
    """
    return _record(store, path, decision, size=size, mtime_ns=mtime_ns, now=now)[0]


def decide(store, path: str, decision: str | None, *, size: int | None = None, mtime_ns: int | None = None,
           now: float | None = None) -> int:
    """:func:`set_decision`, returning the id of the logged change: what :func:`undo_change` takes to undo
    this change, and only this one."""
    return _record(store, path, decision, size=size, mtime_ns=mtime_ns, now=now)[1]


def _record(store, path: str, decision: str | None, *, size: int | None, mtime_ns: int | None,
            now: float | None) -> tuple[Decision | None, int]:
    if decision is not None and decision not in DECISIONS:
        raise UsageError(f"{printable_path(path)}: unknown decision {decision!r} (expected keep or discard)")
    if decision is not None and (size is None or mtime_ns is None):
        size, mtime_ns = _identity(store, path)
    with store.transaction() as conn:
        return record_in(conn, path, decision, size=size, mtime_ns=mtime_ns, now=now)


def record_in(conn, path: str, decision: str | None, *, size: int | None, mtime_ns: int | None,
              now: float | None = None) -> tuple[Decision | None, int]:
    """Inside the caller's transaction: store ``decision`` on ``path`` of that size and time, and log the change;
    ``(the stored decision or None, the change's id)``. A keeper choice stores its keep with the group's new
    order in one transaction (:mod:`.keeper_choice`)."""
    now = time.time() if now is None else now
    key = db_path(path)
    prev = conn.execute("SELECT decision, size, mtime_ns, decided_at FROM decisions WHERE path = ?",
                        (key,)).fetchone()
    change = conn.execute(
        "INSERT INTO decision_log (path, previous, prev_size, prev_mtime_ns, prev_decided_at, decision, at) "
        "VALUES (?,?,?,?,?,?,?)",
        (key, prev["decision"] if prev else None, prev["size"] if prev else None,
         prev["mtime_ns"] if prev else None, prev["decided_at"] if prev else None, decision, now)).lastrowid
    if decision is None:
        conn.execute("DELETE FROM decisions WHERE path = ?", (key,))
        return None, change
    conn.execute("INSERT OR REPLACE INTO decisions (path, decision, size, mtime_ns, decided_at) "
                 "VALUES (?,?,?,?,?)", (key, decision, size, mtime_ns, now))
    return Decision(path, decision, size, mtime_ns, now), change


@dataclass(frozen=True)
class Undone:
    """What :func:`undo_last` or :func:`undo_change` reverted: ``path`` is back to ``decision`` (None =
    undecided); ``reverted`` is the decision undone."""

    path: str
    decision: str | None
    reverted: str | None


class UndoRefused(BlurscanError):
    """:func:`undo_change` did not undo: the change is unknown, already undone, or no longer the photo's
    current decision. ``status`` is the HTTP status the review server answers (404 unknown, 409 the others);
    ``path`` and ``current`` (the photo's decision now, None = undecided) are set when the change is known."""

    def __init__(self, message: str, status: int = 409, path: str | None = None, current: str | None = None):
        super().__init__(message)
        self.status, self.path, self.current = status, path, current


def _revert(conn, row) -> None:
    """Put the decision of ``row``'s photo back to what it was before ``row`` (one ``decision_log`` row)."""
    if row["previous"] is None:
        conn.execute("DELETE FROM decisions WHERE path = ?", (row["path"],))
    else:
        conn.execute("INSERT OR REPLACE INTO decisions (path, decision, size, mtime_ns, decided_at) "
                     "VALUES (?,?,?,?,?)",
                     (row["path"], row["previous"], row["prev_size"], row["prev_mtime_ns"],
                      row["prev_decided_at"] if row["prev_decided_at"] is not None else row["at"]))
    conn.execute("UPDATE decision_log SET undone = 1 WHERE id = ?", (row["id"],))


def _stands(conn, row) -> bool:
    """True when the decision ``row`` (one ``decision_log`` row) made is still its path's decision: the one
    stored, down to its time stamp (a decision made at ``row["at"]``; a decision the scan carried there from
    a photo moved or renamed by hand has its own time), or no decision for a change that cleared it."""
    now = conn.execute("SELECT decision, decided_at FROM decisions WHERE path = ?", (row["path"],)).fetchone()
    if row["decision"] is None:
        return now is None
    return now is not None and now["decision"] == row["decision"] and now["decided_at"] == row["at"]


def _replaced_by_scan(conn, row, name: str) -> UndoRefused:
    """The refusal for a change whose decision no logged change replaced, but the scan did (blurscan.renamed):
    the photo moved or renamed by hand, its decision with it, or another photo moved onto its name with its own."""
    if conn.execute("SELECT 1 FROM images WHERE path = ?", (row["path"],)).fetchone() is None:
        return UndoRefused(f"{name}: moved or renamed since this page was loaded (a scan found it under another "
                           f"path, its decision with it): reload the page; not undone")
    return UndoRefused(f"{name}: another photo was moved or renamed by hand to this name since this "
                       f"{_what(row['decision'])} (a scan found it, with its own decision): reload the page; "
                       "not undone")


def undo_last(store) -> Undone | None:
    """Revert the most recent change not yet undone; None when there is nothing to undo.

    Repeated calls step further back. The previous decision is restored with the file identity it had. The
    change may have been made by anyone (another tab of the review page): :func:`undo_change` reverts a given
    one. Refused (:class:`UndoRefused`, nothing changed) when the scan has replaced that change's decision
    since (a photo moved or renamed by hand, :mod:`blurscan.renamed`): reverting it then removed, or
    overwrote, the decision of the photo that now has that path -- a keep the person never undid.
    """
    with store.transaction() as conn:
        row = conn.execute("SELECT * FROM decision_log WHERE undone = 0 ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        if not _stands(conn, row):
            raise _replaced_by_scan(conn, row, os.path.basename(printable_path(path_from_db(row["path"]))))
        _revert(conn, row)
    return Undone(path_from_db(row["path"]), row["previous"], row["decision"])


def _what(decision: str | None) -> str:
    return decision or "clearing of the decision"


def undo_change(store, change: int, *, also: Callable | None = None) -> Undone:
    """Revert the change ``change`` (an id from :func:`decide`) if it is still the photo's current decision.

    Refused (:class:`UndoRefused`, nothing changed) when no such change was logged, when it was undone
    already, or when the photo's decision was changed after it (by another tab, another person, a keeper
    choice) and that later change still stands: undoing it then would silently throw away the later one.
    A later change that was itself undone does not count: the change is current again.

    Parameters
    ----------
    change : int
    also : callable, optional
        ``also(conn)``, called inside the same transaction once the change is known to be current (the
        review server puts a burst group's keeper back with it); raising :class:`UndoRefused` there refuses
        the whole undo.
    """
    with store.transaction() as conn:
        row = conn.execute("SELECT * FROM decision_log WHERE id = ?", (change,)).fetchone()
        if row is None:
            raise UndoRefused("that decision is not in this database's history (was the database replaced?); "
                              "nothing undone", status=404)
        path = path_from_db(row["path"])
        name = os.path.basename(printable_path(path))
        now = conn.execute("SELECT decision FROM decisions WHERE path = ?", (row["path"],)).fetchone()
        current = now["decision"] if now is not None else None
        if row["undone"]:
            raise UndoRefused(f"{name}: this {_what(row['decision'])} was undone already (in another tab?); "
                              "nothing undone", path=path, current=current)
        later = conn.execute("SELECT 1 FROM decision_log WHERE path = ? AND id > ? AND undone = 0 LIMIT 1",
                             (row["path"], change)).fetchone()
        if later is None and not _stands(conn, row):
            # changed by no logged change: a scan found the photo moved by hand and its decision went with it
            # (it is not undecided, as "changed since" said), or found another photo moved onto this name and
            # carried its decision here (the same decision as this one, reverting it removed that photo's keep)
            raise _replaced_by_scan(conn, row, name)
        if later is not None:
            raise UndoRefused(f"{name}: changed since this {_what(row['decision'])}, to "
                              f"{current or 'undecided'} (in another tab?); not undone", path=path, current=current)
        if also is not None:
            also(conn)
        _revert(conn, row)
    return Undone(path, row["previous"], row["decision"])
