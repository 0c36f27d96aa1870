"""Keep / discard decisions of photos whose names were swapped or rotated by hand.

A photo kept (``A.jpg``) and one discarded (``B.jpg``) whose names were then swapped (by hand, or by a photo
organiser renaming by date; or rotated: ``A`` -> ``B``, ``B`` -> ``C``, ``C`` -> ``A``) are both still there
at the next scan, each with another file's size and time: :mod:`blurscan.renamed` looks only for vanished
paths, so neither counted as moved, and each decision stayed on its path, made on "an earlier version" of the
file there. The kept photo, now under the discarded one's name, was then undecided, and ``move --all-blurry``
took it (its stale discard was skipped, but the blurry photo was taken all the same).

:class:`SwapCarrier` carries such a decision to the file it was made on, by :mod:`blurscan.renamed`'s rules
(:func:`~blurscan.renamed._matches`: one file of the decision's suffix, size and time in the scan, one stale
decision of them; a time of whole seconds needs the same file name), where the old path holds another file now
instead of none; and, when the stored record of the file decided on has a sample (:mod:`blurscan.replaced`),
only to a file with that sample. A stale decision under the new path gives way to the one carried there; a stale
keep only when it is carried to its own file itself (one whose file cannot be told keeps protecting, see
:mod:`blurscan.actions.keeps`). Under its old path a decision carried away gives way in the same way to the
decision of the file now there: the swap's other half, or none at all when that file is a photo the scan had
stored under another name that no longer holds it and that this database holds no decision on (the undecided
``C`` of a rotation, or a photo renamed onto the kept one's name after it was renamed away). A keep there used to
stay, and ``move`` left that never-decided photo "marked keep, made on an earlier version of this file", to
review again. Under an old path that holds a file the scan cannot name (one it never stored: an edited export of
the kept photo?) the keep stays, and still leaves the photo there to review again, as after an edit.

A scan looks its files up in chunks (:data:`blurscan.pipeline.LOOKUP_CHUNK`): :meth:`SwapCarrier.look` gathers
each chunk's stale decisions and the files that may be theirs, and :meth:`SwapCarrier.carry` matches and writes
once every chunk is looked up, so the two halves of a swap in two chunks carry both decisions (the discard was
dropped: its path's keep was not carried yet), a decision two files in two chunks could be (a copy) goes to
neither, as in one chunk, and a keep that :func:`blurscan.renamed.carry_decisions` replaced in an earlier chunk
(a discarded photo renamed onto the kept one's name) still goes to its photo: the decisions are read as they
were before the scan changed the first one (:meth:`SwapCarrier.remember`). A decision carried onto such a keep's
name (a decided ``V.jpg`` renamed ``A.jpg`` after the kept ``A.jpg`` was renamed ``D.jpg``) is held back by
:func:`~blurscan.renamed.carry_decisions` and carried here, where the keep gives way only when it goes to its
photo, or when no file of the scan can be that photo: replaced at once, the keep was lost when the scan could not
tell that photo (a time of whole seconds under another name, a copy) or was stopped before it looked at it
(Ctrl-C), and ``move --all-blurry`` took the kept photo. What is held is bounded by the stale
decisions and the files of their size and time, not by the scan. Decisions of the library's own database only;
a keep in another database is looked for by :func:`blurscan.actions.keeps.kept_in_other_databases` when a move
plans.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

from .records import ImageRef
from .renamed import _fill_wanted, _kind, _matches
from .store import db_path, path_from_db
from .filetime import mtime_of

#: In :attr:`SwapCarrier.moved_in`: the stored photo has a decision here (its own is carried, or not: never none).
_DECIDED = object()
_WANTED = "EXISTS (SELECT 1 FROM temp.renamed_wanted w WHERE w.size = {0}.size AND w.mtime_ns = {0}.mtime_ns)"


class SwapCarrier:
    """The decisions of one scan's files swapped or rotated by hand (see the module docstring): :meth:`look` at
    each lookup chunk's files the store holds no record of, :meth:`remember` before the scan changes a decision
    (:func:`blurscan.renamed.carry_decisions`), then :meth:`carry` once."""

    def __init__(self, store) -> None:
        self.store, self.conn = store, store.conn
        self.active = self.conn.execute("SELECT 1 FROM decisions LIMIT 1").fetchone() is not None
        self.source = "main.decisions"  # the decisions read: as the scan found them (remember)
        # (suffix, size, time) -> {old path: (decision row, sample of the file decided on)}: decisions whose path
        # holds another file now, and the files of the scan that may be theirs (path -> ref)
        self.stale: dict[tuple, dict[str, tuple]] = {}
        self.wanted: dict[tuple, dict[str, ImageRef]] = {}
        # (suffix, size, time) -> the other photos of them gone from their paths (vanished, or another file there
        # now), with or without a decision: each may be the file too, and no stale decision of them is carried
        self.rivals: dict[tuple, set[str]] = {}
        # (suffix, size, time) -> {old path: its record's sample, or _DECIDED}: photos stored under a path that
        # holds another file now or none, and the files of the scan under a name that holds a decision made on
        # another file (path -> ref), which may be those photos
        self.moved_in: dict[tuple, dict[str, object]] = {}
        self.onto: dict[tuple, dict[str, ImageRef]] = {}
        # new path -> old path of a photo moved by hand onto a name whose keep was made on another file: its
        # decision waits here (blurscan.renamed.carry_decisions) until that keep is carried to its own photo
        self.held: dict[str, str] = {}

    def remember(self) -> None:
        """Read the decisions as they are now from here on (a temporary copy), before the scan changes one: a
        stale keep that :func:`~blurscan.renamed.carry_decisions` replaces under a photo's new path is still
        the keep of a photo renamed away, perhaps in a later chunk."""
        if self.active and self.source == "main.decisions":
            self.conn.execute("DROP TABLE IF EXISTS temp.swapped_decisions")
            self.conn.execute("CREATE TEMP TABLE swapped_decisions AS SELECT path, decision, size, mtime_ns, "
                              "decided_at FROM main.decisions")
            self.source = "temp.swapped_decisions"

    def look(self, refs: Sequence[ImageRef]) -> None:
        """Gather what :meth:`carry` needs of ``refs`` (the files of one lookup chunk the store holds no record
        of): the stale decisions of their size and time, and the stored photos they may be."""
        if not self.active or not refs:
            return
        from .other_databases import _record_sample, _sample

        conn = self.conn
        here = {ref.path: (ref.size, ref.mtime_ns) for ref in refs}
        _fill_wanted(conn, set(here.values()))
        vanished: dict[tuple, set[str]] = {}
        for key, decision, size, mtime, decided_at in conn.execute(
                f"SELECT d.path, d.decision, d.size, d.mtime_ns, d.decided_at FROM {self.source} d "
                f"WHERE {_WANTED.format('d')}").fetchall():
            old = path_from_db(key)
            identity = (_kind(old), size, mtime)
            if old in self.stale.get(identity, ()):
                continue  # found in an earlier chunk
            now = _now(old, here)
            if now is not None and now != (size, mtime):  # another file under its path: its own may be elsewhere
                self.stale.setdefault(identity, {})[old] = ((key, decision, size, mtime, decided_at),
                                                            _sample(conn, key, size, mtime))
            elif now is None:  # vanished: blurscan.renamed's (it is told these are contested)
                vanished.setdefault(identity, set()).add(old)
        for identity in vanished.keys() & self.stale.keys():
            self.rivals.setdefault(identity, set()).update(vanished[identity])
        if any((_kind(path), *here[path]) in self.stale for path in here):  # the stored photos gone of them
            for key, size, mtime in conn.execute(f"SELECT i.path, i.size, i.mtime_ns FROM images i WHERE "
                                                 f"{_WANTED.format('i')}").fetchall():
                old = path_from_db(key)
                if (identity := (_kind(old), size, mtime)) in self.stale and _now(old, here) != (size, mtime):
                    self.rivals.setdefault(identity, set()).add(old)
        for ref in refs:
            if (identity := (_kind(ref.path), ref.size, ref.mtime_ns)) in self.stale:
                self.wanted.setdefault(identity, {})[ref.path] = ref
        # files under a name whose decision was made on another file: the photo now there may be one stored
        # under another name, carried here with no decision (a rotation's undecided third)
        onto = self._onto(refs)
        if not onto:
            return
        _fill_wanted(conn, {(ref.size, ref.mtime_ns) for ref in onto})
        kinds = {(_kind(ref.path), ref.size, ref.mtime_ns) for ref in onto}
        for key, size, mtime, blob in conn.execute(
                f"SELECT i.path, i.size, i.mtime_ns, i.record FROM images i WHERE {_WANTED.format('i')}").fetchall():
            old = path_from_db(key)
            if (identity := (_kind(old), size, mtime)) not in kinds or _now(old, here) == (size, mtime):
                continue  # still there: not that photo moved
            decided = conn.execute(f"SELECT 1 FROM {self.source} WHERE path = ? AND size = ? AND mtime_ns = ?",
                                   (key, size, mtime)).fetchone() is not None
            self.moved_in.setdefault(identity, {})[old] = _DECIDED if decided else _record_sample((blob,))
        for ref in onto:
            self.onto.setdefault((_kind(ref.path), ref.size, ref.mtime_ns), {})[ref.path] = ref

    def _onto(self, refs: Sequence[ImageRef]) -> list[ImageRef]:
        """Those of ``refs`` whose path holds a decision made on another file (another size or time)."""
        by_key = {db_path(ref.path): ref for ref in refs}
        keys, out = list(by_key), []
        for start in range(0, len(keys), 500):
            part = keys[start:start + 500]
            for key, size, mtime in self.conn.execute(
                    f"SELECT path, size, mtime_ns FROM {self.source} WHERE path IN ({','.join('?' * len(part))})",
                    part):
                ref = by_key[key]
                if (size, mtime) != (ref.size, ref.mtime_ns):
                    out.append(ref)
        return out

    def carry(self) -> dict[str, str]:
        """Write what the chunks looked at tell (see the module docstring): new path -> old path of each decision
        carried."""
        try:
            return self._carry() if self.active or self.held else {}
        finally:
            if self.source != "main.decisions":
                self.conn.execute("DROP TABLE IF EXISTS temp.swapped_decisions")
                self.source = "main.decisions"

    def _carry(self) -> dict[str, str]:
        if not self.stale and not self.moved_in and not self.held:
            return {}
        away = self.store.moved_away()  # a photo `blurscan move` took: its decision stays for `undo` (renamed.py)
        rows: dict[str, tuple[ImageRef, tuple | None]] = {}  # new path -> (its file, the row carried there or None)
        wanted = {identity: list(refs.values()) for identity, refs in self.wanted.items()}
        stale = {identity: [*olds.items(), *((other, (None, None)) for other in self.rivals.get(identity, ())
                                             if other not in olds)]  # (with a rival: ambiguous, nothing carried)
                 for identity, olds in self.stale.items()}
        for (new, old), (row, sample) in _matches(wanted, stale, set(), gone=lambda old: True):
            if row is not None and old not in away and _same_file(new, sample):
                rows[new.path] = (new, row)
        # a stored photo moved under a decided name, with no decision of its own here: of a suffix, size and time
        # no stale decision has (a decided photo, its decision not carried, is never taken for an undecided one)
        onto = {identity: list(refs.values()) for identity, refs in self.onto.items() if identity not in self.stale}
        moved_in = {identity: list(olds.items()) for identity, olds in self.moved_in.items()}
        for (new, old), sample in _matches(onto, moved_in, set(), gone=lambda old: True):
            if sample is not _DECIDED and old not in away and new.path not in rows and _same_file(new, sample):
                rows[new.path] = (new, None)
        if not rows and not self.held:
            return {}
        with self.store.transaction() as conn:
            held = self._held(conn, rows)
            # a decision read before still stands, or gave way under its path to one made on the file there now
            # (carried there by this scan, or made in the review page meanwhile); one undone or changed meanwhile
            # (the review page is open during the scan) is not carried
            rows = {new: (ref, row) for new, (ref, row) in rows.items() if row is None or _stands(conn, row)}
            there = {new: conn.execute("SELECT path, decision, size, mtime_ns FROM decisions WHERE path = ?",
                                       (db_path(new),)).fetchone() for new in rows}
            # a stale keep that names no file of the scan (the kept photo deleted by hand) gives way to a decision
            # held for its name, as if carried to none
            freed = self._freed(conn, {new: (there[new], rows[new][0]) for new in held & set(rows)})
            while True:  # fewer, until each stale decision that gives way to another is carried to its file itself
                carried = {row[0]: tuple(row[1:4]) for _, row in rows.values() if row is not None} | freed
                fewer = {new: (ref, row) for new, (ref, row) in rows.items()
                         if _gives_way(there[new], ref, row, carried)}
                if len(fewer) == len(rows):
                    break
                rows = fewer
            conn.executemany("DELETE FROM decisions WHERE path = ?", [(db_path(new),) for new in rows])
            conn.executemany("DELETE FROM decisions WHERE path = ? AND decision = ? AND size = ? AND mtime_ns = ? "
                             "AND decided_at IS ?", [rows[new][1] for new in held if new in rows])
            conn.executemany("INSERT INTO decisions (path, decision, size, mtime_ns, decided_at) "
                             "VALUES (?, ?, ?, ?, ?)",
                             [(db_path(new), *row[1:]) for new, (_, row) in rows.items() if row is not None])
        return {new: path_from_db(row[0]) for new, (_, row) in rows.items() if row is not None}

    def _freed(self, conn, keeps: dict) -> dict:
        """Of ``keeps`` (new path -> (the decision under it: path, decision, size, time; its file)), the keeps made
        on another file that can be the keep of no file of the scan: none looked up with their suffix, size and
        time (:attr:`wanted`), none stored with them and still there (a copy, which such a keep protects:
        :mod:`blurscan.actions.keeps`). Decision path -> (decision, size, time)."""
        keeps = {(_kind(ref.path), there[2], there[3]): there for there, ref in keeps.values() if there is not None
                 and there[1] == "keep" and (there[2], there[3]) != (ref.size, ref.mtime_ns)}
        keeps = {identity: there for identity, there in keeps.items() if not self.wanted.get(identity)}
        if keeps:
            _fill_wanted(conn, {identity[1:] for identity in keeps})
            for key, size, mtime in conn.execute(f"SELECT i.path, i.size, i.mtime_ns FROM images i WHERE "
                                                 f"{_WANTED.format('i')}").fetchall():
                if _now(path_from_db(key), {}) == (size, mtime):  # a copy still there
                    keeps.pop((_kind(path_from_db(key)), size, mtime), None)
        return {there[0]: tuple(there[1:]) for there in keeps.values()}

    def _held(self, conn, rows: dict) -> set[str]:
        """Add to ``rows`` the decisions :func:`~blurscan.renamed.carry_decisions` held back (:attr:`held`), as
        they are now, for the files still there with the size and time they were made on: each goes to its
        photo's new path only where the keep there gives way (carried to its own photo, above). The new paths."""
        out = set()
        for new, old in self.held.items():
            row = conn.execute("SELECT path, decision, size, mtime_ns, decided_at FROM decisions WHERE path = ?",
                               (db_path(old),)).fetchone()
            if new in rows:  # a stale decision of that file's size and time too: which is its own cannot be told
                del rows[new]
                continue
            if row is None:
                continue
            ref = ImageRef(new, row[2], row[3])
            if _same_file(ref, None):
                rows[new] = (ref, tuple(row))
                out.add(new)
        return out


def _stands(conn, row) -> bool:
    """Whether the decision ``row`` (path, decision, size, time, when) read by a lookup is still its path's, or was
    replaced by one made on another file (another size or time)."""
    now = conn.execute("SELECT decision, size, mtime_ns, decided_at FROM decisions WHERE path = ?",
                       (row[0],)).fetchone()
    return now is not None and (tuple(now) == tuple(row[1:]) or (now[1], now[2]) != (row[2], row[3]))


def _now(path: str, here: dict) -> tuple[int, int] | None:
    """The size and time of the file at ``path`` (``here``: those of the chunk's files), None when none is."""
    if path in here:
        return here[path]
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, mtime_of(st)


def _same_file(ref: ImageRef, sample) -> bool:
    """Whether the file at ``ref.path`` is still ``ref`` (its size and time), with the sample ``sample`` of the
    stored record it is taken for (None: no sample stored, its size and time only)."""
    from .samples import RECORD_DIGITS, read_sample

    try:
        st, now = read_sample(ref.path) if sample is not None else (os.stat(ref.path), None)
    except OSError:
        return False
    same = (st.st_size, mtime_of(st)) == (ref.size, ref.mtime_ns)
    return same and (sample is None or now[:RECORD_DIGITS] == sample)


def _gives_way(there, ref: ImageRef, row, carried: dict) -> bool:
    """Whether the decision ``there`` under ``ref``'s path (None: none) gives way to ``row``, the one carried
    there (None: the file's, none): made on another file (another size or time), it does when it is a discard
    and a decision is carried there, and when it is itself carried to its own file (``carried``: old path ->
    the decision, size and time carried from it)."""
    if there is None:
        return row is not None
    key, decision, size, mtime = there
    if (size, mtime) == (ref.size, ref.mtime_ns):
        return False  # made on this very file
    return carried.get(key) == (decision, size, mtime) or (row is not None and decision != "keep")
