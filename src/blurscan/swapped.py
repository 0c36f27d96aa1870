"""Keep / discard decisions of photos whose names were swapped or rotated by hand.

A photo kept (``A.jpg``) and one discarded (``B.jpg``) whose names were then swapped (by hand, or by a photo
organiser renaming by date; or rotated: ``A`` -> ``B``, ``B`` -> ``C``, ``C`` -> ``A``) are both still there
at the next scan, each with another file's size and time: :mod:`blurscan.renamed` looks only for vanished
paths, so neither counted as moved, and each decision stayed on its path, made on "an earlier version" of the
file there. The kept photo, now under the discarded one's name, was then undecided, and ``move --all-blurry``
took it (its stale discard was skipped, but the blurry photo was taken all the same).

:func:`carry_swapped` carries such a decision to the file it was made on, by :mod:`blurscan.renamed`'s rules
(:func:`~blurscan.renamed._matches`: one file of the decision's suffix, size and time in the scan, one stale
decision of them; a time of whole seconds needs the same file name), where the old path holds another file now
instead of none; and, when the stored record of the file decided on has a sample (:mod:`blurscan.replaced`),
only to a file with that sample. The decision is copied: under its old path it stays as it was (a keep made on
an earlier version still leaves the photo there, ``review it again``) unless another decision is carried there
(the swap's other half). A stale decision under the new path gives way to the one carried there; a stale keep
only when it is carried elsewhere itself (one whose file cannot be told keeps protecting, see
:mod:`blurscan.actions.keeps`). Decisions of the library's own database only; a keep in another database is
looked for by :func:`blurscan.actions.keeps.kept_in_other_databases` when a move plans.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

from .records import ImageRef
from .renamed import _fill_wanted, _kind, _matches


def carry_swapped(store, refs: Sequence[ImageRef]) -> dict[str, str]:
    """Carry the decisions of ``store`` made on a file that the scan now finds under another path (one of
    ``refs``: the files of one lookup chunk the store holds no record of), whose own path holds another file
    (see the module docstring): new path -> old path of each one carried. A scan looks its files up in chunks:
    the two halves of a swap in two chunks give the keep to its file in the later one, and a keep under the
    path of the earlier one, not carried yet, stays there (that photo is to review again)."""
    from .actions.keeps import _sample
    from .replaced import RECORD_DIGITS, read_sample
    from .store import db_path, path_from_db

    conn = store.conn
    if not refs or conn.execute("SELECT 1 FROM decisions LIMIT 1").fetchone() is None:
        return {}
    here = {ref.path: (ref.size, ref.mtime_ns) for ref in refs}
    _fill_wanted(conn, set(here.values()))
    stale: dict[tuple[str, int, int], list[tuple[str, tuple]]] = {}  # identity -> [(old path, its row)]
    for key, decision, size, mtime, decided_at in conn.execute(
            "SELECT d.path, d.decision, d.size, d.mtime_ns, d.decided_at FROM decisions d WHERE EXISTS (SELECT 1 "
            "FROM temp.renamed_wanted w WHERE w.size = d.size AND w.mtime_ns = d.mtime_ns)"):
        old = path_from_db(key)
        now = here.get(old)
        if now is None:  # not walked: outside the scan, or vanished (blurscan.renamed's)
            try:
                st = os.stat(old)
            except OSError:
                continue
            now = (st.st_size, st.st_mtime_ns)
        if now != (size, mtime):  # another file under its path: the decision's own may be elsewhere
            stale.setdefault((_kind(old), size, mtime), []).append((old, (key, decision, size, mtime, decided_at)))
    if not stale:
        return {}
    wanted: dict[tuple[str, int, int], list[ImageRef]] = {}
    for ref in refs:
        if (identity := (_kind(ref.path), ref.size, ref.mtime_ns)) in stale:
            wanted.setdefault(identity, []).append(ref)
    away = store.moved_away()  # a photo `blurscan move` took: its decision stays for `undo` (carry_decisions)
    carried: dict[str, tuple] = {}  # new path -> the row carried there
    for (new, old), row in _matches(wanted, stale, set(), gone=lambda old: True):
        if old in away:
            continue
        sample = _sample(conn, row[0], row[2], row[3])
        if sample is not None:  # the file decided on had these bytes: another file of its size and time is not it
            try:
                st, now_sample = read_sample(new.path)
            except OSError:
                continue
            if (st.st_size, st.st_mtime_ns) != (new.size, new.mtime_ns) or now_sample[:RECORD_DIGITS] != sample:
                continue
        carried[new.path] = row
    # a stale keep under a new path gives way only to a decision carried there when it is carried itself (to
    # the file it was made on); one whose file is not found stays, and so does the decision made on this file
    there = {new: conn.execute("SELECT path, decision, size, mtime_ns FROM decisions WHERE path = ?",
                               (db_path(new),)).fetchone() for new in carried}
    rows = carried  # new path -> the row written there: fewer until each stale keep replaced is carried itself
    while True:
        keeps_carried = {row[0] for row in rows.values() if row[1] == "keep"}
        fewer = {new: row for new, row in rows.items() if _gives_way(there[new], row, keeps_carried)}
        if len(fewer) == len(rows):
            break
        rows = fewer
    if rows:
        with store.transaction() as conn:
            conn.executemany("DELETE FROM decisions WHERE path = ?", [(db_path(new),) for new in rows])
            conn.executemany("INSERT INTO decisions (path, decision, size, mtime_ns, decided_at) "
                             "VALUES (?, ?, ?, ?, ?)", [(db_path(new), *row[1:]) for new, row in rows.items()])
    return {new: path_from_db(row[0]) for new, row in rows.items()}


def _gives_way(there, row, keeps_carried: set) -> bool:
    """Whether the decision ``there`` under a new path (None: none) gives way to ``row``, the one carried there:
    it was made on another file (another size or time), and it is a discard, or a keep carried elsewhere too."""
    if there is None:
        return True
    key, decision, size, mtime = there
    return (size, mtime) != (row[2], row[3]) and (decision != "keep" or key in keeps_carried)
