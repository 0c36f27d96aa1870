"""The ``burst_groups`` table: write the groups of one run, read them back, record a person's keeper.

One row per shot of a group: ``group_id``, ``path``, ``rank`` (1 = keeper), ``is_keeper``, ``reason``,
``figures`` (JSON; with the file ranked, stripped on load: :mod:`.identity`) and ``chosen_by`` (``auto``, or ``person`` on every row of a group whose keeper a person
chose). Each :func:`~blurscan.bursts.run` replaces the table; a group whose membership is exactly that of a
group with a person's choice keeps that choice.

``is_keeper`` is set on rank 1 and on every shot the person edited (``figures`` holds its ``edits``, or it is
an edit whose original is not there: :mod:`.twins`), whoever chose the keeper: :func:`keeper_chosen` is the one
rule for a person's choice, used by :func:`choose_keeper` and by the review page, so that choosing a keeper
there never makes an edited shot a candidate for ``move/trash --from-bursts`` (as
:func:`~blurscan.bursts.rank_group` ranks it).
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError, printable_path, text_path
from ..records import ScanRecord
from ..store import Store, db_path, path_from_db
from .times import shot_times
from .identity import with_identity, without_identity
from .ranking import Member
from .reason_names import group_names, kept_too_reason
from .twins import original_stem

#: The ``meta`` key ``blurscan bursts`` writes as it stores its groups, none found too: ``move/trash --from-bursts``
#: tell a library without burst groups from one never grouped (since 2026-12-07)
GROUPED_KEY = "bursts_grouped"
from .. import stored_json

log = logging.getLogger(__name__)


@dataclass
class BurstGroup:
    """A stored burst group: its members ranked best first."""

    group_id: int
    members: list[Member] = field(default_factory=list)
    chosen_by: str = "auto"   # auto | person

    @property
    def keeper(self) -> Member:
        return next(m for m in self.members if m.is_keeper)

    @property
    def candidates(self) -> list[Member]:
        """The shots that are not the keeper (what ``move/trash --from-bursts`` takes)."""
        return [m for m in self.members if not m.is_keeper]

    def to_json(self) -> dict[str, Any]:
        """The JSONL object of ``blurscan bursts --format jsonl`` (see docs/bursts.md)."""
        times = _in_time_order([m for m in self.members if m.captured_at])
        return {
            "group": self.group_id,
            "size": len(self.members),
            "keeper": text_path(self.keeper.path),
            "chosen_by": self.chosen_by,
            "first_captured_at": times[0] if times else None,
            "last_captured_at": times[-1] if times else None,
            "members": [m.to_json() for m in self.members],
        }


def _in_time_order(members: Sequence[Member]) -> list[str]:
    """The ``captured_at`` of ``members`` (each with one) from the earliest, as grouping orders the times
    (:func:`~blurscan.bursts.times.shot_times`): ``"10:59:59+01:00"`` after ``"11:00:00+02:00"``, which it
    follows by a second (until 2026-12-05 the texts were sorted). Texts that are no times are sorted as texts."""
    shots = [ScanRecord(path=m.path, captured_at=m.captured_at, captured_subsec=m.captured_subsec) for m in members]
    times = shot_times(shots)
    if any(t is None for t in times):
        return sorted(m.captured_at for m in members)
    return [m.captured_at for _, _, m in sorted(zip(times, [m.captured_at for m in members], members),
                                                key=lambda x: x[:2])]


def edited_shot(figures: dict[str, Any], path: str | bytes = "") -> bool:
    """Whether a stored member (its ``figures``, its ``path``) is a shot the person edited, kept whatever keeper
    is chosen (:func:`~blurscan.bursts.rank_group`): one with ``edits`` (a byte-identical copy the person edited
    too: the edit sits beside it), or itself an edit whose original is not there (an edit beside its original
    is never a member: :func:`~blurscan.bursts.twins.lone_edits`)."""
    if figures.get("edits"):
        return True
    name = os.path.basename(path_from_db(path)) if path else ""
    return bool(name) and original_stem(os.path.splitext(name)[0]) is not None


def keeper_chosen(members: Sequence[tuple[str, dict[str, Any]]], keeper: str) -> list[tuple[str, int, bool]]:
    """``(path, rank, is_keeper)`` of each shot of a group once a person chose ``keeper``, from its members
    ``(path, figures)`` in their stored order: the keeper first, then the shots the person edited (also kept),
    then the others; a duplicate stays right after the shot it copies, and the order is kept otherwise (the
    order of :func:`~blurscan.bursts.rank_group` with ``keeper``)."""
    figures = dict(members)

    def block(path: str) -> tuple[int, bool]:
        origin = figures[path].get("duplicate_of") or path
        if path == keeper or origin == keeper:
            return 0, path != keeper
        return (1 if edited_shot(figures.get(origin, {}), origin) else 2), False

    ordered = sorted((path for path, _ in members), key=block)  # stable: the stored order within a block
    return [(path, rank, rank == 1 or edited_shot(figures[path], path))
            for rank, path in enumerate(ordered, start=1)]


def discarded_shots(store: Store) -> set[str]:
    """The photos a person marked discard, as scanned (a discard of an earlier version is not one: ``move`` leaves
    such a photo for review). Never proposed as a burst's keeper: until 2026-12-06 the sharpest shot was, marked
    discard or not, and ``move --from-bursts`` then left the burst's other shots (no keeper in place)."""
    return {path_from_db(p) for (p,) in store.conn.execute(
        "SELECT d.path FROM decisions d JOIN images i ON i.path = d.path WHERE d.decision = 'discard' "
        "AND d.size IS i.size AND d.mtime_ns IS i.mtime_ns")}


def person_choices(store: Store) -> dict[frozenset[str], str]:
    """Membership -> keeper path, for every stored group whose keeper a person chose (its rank 1: the shots
    the person edited are keepers too)."""
    groups: dict[int, list] = {}
    for row in store.conn.execute("SELECT group_id, path, rank, is_keeper, chosen_by FROM burst_groups"):
        groups.setdefault(row["group_id"], []).append(row)
    out = {}
    for rows in groups.values():
        if any(r["chosen_by"] == "person" for r in rows):
            keepers = [path_from_db(r["path"]) for r in rows if r["is_keeper"] and r["rank"] == 1]
            if len(keepers) == 1:
                out[frozenset(path_from_db(r["path"]) for r in rows)] = keepers[0]
    return out


def replace_groups(store: Store, groups: Sequence[BurstGroup],
                   files: dict[str, dict[str, Any] | None] | None = None, *,
                   rechoose: Callable[[dict[frozenset[str], str]], Sequence[BurstGroup]] | None = None,
                   ) -> Sequence[BurstGroup]:
    """Replace the whole ``burst_groups`` table with ``groups`` (one transaction) and return the groups written.
    ``files``: path -> the identity of the file each shot was ranked on (:func:`.identity.identity_of`), stored
    with its figures. ``rechoose``: called inside the transaction, under the write lock, with the person's
    choices as they are then (:func:`person_choices`); it returns the groups to write instead of ``groups``, so
    that a keeper chosen (in the review page) after ``groups`` were ranked is not overwritten."""
    files = files or {}
    with store.transaction() as conn:
        if rechoose is not None:
            groups = rechoose(person_choices(store))
        rows = [(g.group_id, db_path(m.path), m.rank, int(m.is_keeper), m.reason,
                 json.dumps(with_identity(_with_subsec(m), files.get(m.path))), g.chosen_by)
                for g in groups for m in g.members]
        conn.execute("DELETE FROM burst_groups")
        conn.executemany("INSERT INTO burst_groups (group_id, path, rank, is_keeper, reason, figures, chosen_by) "
                         "VALUES (?,?,?,?,?,?,?)", rows)
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (GROUPED_KEY,))
    return groups


def load_groups(store: Store) -> list[BurstGroup]:
    """The groups stored by the last :func:`~blurscan.bursts.run`, members ranked best first."""
    groups: dict[int, BurstGroup] = {}
    rows = store.conn.execute("SELECT b.group_id, b.path, b.rank, b.is_keeper, b.reason, b.figures, b.chosen_by, "
                              "i.captured_at FROM burst_groups b LEFT JOIN images i ON i.path = b.path "
                              "ORDER BY b.group_id, b.rank")
    for row in rows:
        group = groups.setdefault(row["group_id"], BurstGroup(group_id=row["group_id"]))
        if row["chosen_by"] == "person":
            group.chosen_by = "person"
        figures = without_identity(_figures(row["figures"]))
        subsec = figures.pop(SUBSEC_KEY, None)
        group.members.append(Member(path=path_from_db(row["path"]), rank=row["rank"], is_keeper=bool(row["is_keeper"]),
                                    reason=row["reason"] or "", figures=figures, captured_at=row["captured_at"],
                                    captured_subsec=subsec if isinstance(subsec, (int, float)) else None))
    return list(groups.values())


#: The key of a stored member's ``figures`` holding its :attr:`Member.captured_subsec` (the images table keeps
#: ``captured_at`` in a column, the fraction only in the record's JSON; a row stored before 2026-12-05 has none).
SUBSEC_KEY = "captured_subsec"


def _with_subsec(member: Member) -> dict[str, Any]:
    """``member.figures`` as stored: with its fraction of a second, when it has one."""
    if member.captured_subsec is None:
        return member.figures
    return {**member.figures, SUBSEC_KEY: member.captured_subsec}


def choose_keeper(store: Store, group_id: int, path: str) -> None:
    """Record that a person keeps ``path`` in group ``group_id`` (the other shots become candidates, but for
    those the person edited, which stay kept: :func:`keeper_chosen`).

    The choice survives re-running :func:`~blurscan.bursts.run` while the group's membership is unchanged.

    Raises
    ------
    UsageError
        When ``path`` is not a member of group ``group_id``.
    """
    with store.transaction() as conn:
        if not set_keeper(conn, group_id, path):
            raise UsageError(f"{printable_path(path)}: not a member of burst group {group_id}")


def set_keeper(conn, group_id: int, path: str) -> bool:
    """Inside the caller's transaction: ``path`` (as stored) becomes the keeper of group ``group_id``, ranks,
    keeper marks and reasons rewritten by :func:`keeper_chosen` (also for the review page, whose reasons read
    "sharpest of 3" on a shot that was no longer the keeper). False, and nothing changed, when ``path`` is
    not in the group."""
    rows = conn.execute("SELECT path, reason, figures FROM burst_groups WHERE group_id = ? ORDER BY rank, path",
                        (group_id,)).fetchall()
    figures = {r["path"]: _figures(r["figures"]) for r in rows}
    if path not in figures:
        return False
    reasons = {r["path"]: r["reason"] for r in rows}
    for member, rank, is_keeper in keeper_chosen(list(figures.items()), path):
        if member == path:
            reason = "chosen by a person"
        elif figures[member].get("duplicate_of"):
            reason = reasons[member]  # "duplicate of ...", as before
        elif is_keeper:
            reason = kept_too_reason(figures[member].get("edits"), member)
        else:
            reason = f"a person chose {group_names(figures)[path]}"  # as rank_group names it
        conn.execute("UPDATE burst_groups SET is_keeper = ?, rank = ?, chosen_by = 'person', reason = ? "
                     "WHERE group_id = ? AND path = ?", (int(is_keeper), rank, reason, group_id, member))
    return True


def _figures(text) -> dict[str, Any]:
    try:
        out = stored_json.parsed(text, "a burst shot's stored figures") if text else {}
    except ValueError:  # a damaged row: no figures, not a reason to fail
        return {}
    return out if isinstance(out, dict) else {}
