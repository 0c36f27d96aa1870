"""A stored burst group as the person's discards stand now: a keeper marked discard since the group was ranked
gives its place to the next shot of the ranking not discarded (:func:`as_decided`).

``blurscan bursts`` ranks a shot marked discard after the others (:func:`~blurscan.bursts.rank_group`), but a
keeper discarded later, in the review page, stayed the stored keeper until ``bursts`` ran again: until
2026-12-06 the review page's bursts view went on showing it as the keeper, and ``move/trash/tag --from-bursts``
left the burst's other shots ("run `blurscan bursts` again"). Now the readers of the table (the bursts view,
:mod:`blurscan.actions.plan`) take the stored order with the shots marked discard moved after the others (a
byte-identical copy with the shot it copies) whenever the stored keeper is one of them, as ``bursts`` would rank
them. Nothing is written: the ranking, the figures and a person's keeper choice stay stored as they were, so a
discard undone, or changed to keep, puts the group back as it was.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from .reason_names import group_names
from ..store import db_path, path_from_db
from .storage import discarded_shots, edited_shot
from .. import stored_json

#: The reason of the keeper a discard put in place, when other shots are left to compare.
NEXT_REASON = "proposed instead of {name}, which you marked discard (next in the ranking)"
#: ... and when it is the one shot (with its copies) not marked discard, as :func:`~.ranking.rank_group` says.
ONLY_REASON = "the only shot you did not mark discard"
#: The reason of a shot marked discard, as :func:`~.ranking.rank_group` gives it.
DISCARDED_REASON = "you marked it discard: {name} is proposed instead"


def as_decided(members: Sequence[tuple[str, dict[str, Any], bool]],
               discarded: Collection[str]) -> list[tuple[str, int, bool, str | None]] | None:
    """The group of ``members`` (``(path, figures, is_keeper)`` of each stored shot, in stored rank order) once
    the shots in ``discarded`` (marked discard, on the version scanned) are ranked after the others: each shot's
    ``(path, rank, is_keeper, reason)`` in the new order, ``reason`` None where the stored one still holds.

    None (the group as stored) when its keeper (rank 1) is not marked discard, or when every shot is (a copy of
    one that is counts as marked: it is never proposed in the place of the shot it copies)."""
    if not members or members[0][0] not in discarded:
        return None

    def out(path: str, figures: dict[str, Any]) -> bool:
        origin = figures.get("duplicate_of")
        return path in discarded or (isinstance(origin, str) and origin in discarded)

    left = [m for m in members if not out(m[0], m[1])]
    originals = [m for m in left if not m[1].get("duplicate_of")]
    if not originals:
        return None
    keeper = originals[0][0]
    order = [originals[0]] + [m for m in left if m is not originals[0]] + [m for m in members if out(m[0], m[1])]
    names = group_names([m[0] for m in members])
    discarded_keeper = names[members[0][0]]
    result = []
    for rank, (path, figures, is_keeper) in enumerate(order, start=1):
        if path == keeper:
            reason = None if edited_shot(figures, path) else (
                ONLY_REASON if len(originals) == 1 else NEXT_REASON.format(name=discarded_keeper))
            result.append((path, rank, True, reason))
        elif path in discarded:
            kept = edited_shot(figures, path) if path == members[0][0] else is_keeper  # (kept too: one you edited)
            result.append((path, rank, kept, DISCARDED_REASON.format(name=names[keeper])))
        else:
            result.append((path, rank, is_keeper, None))
    return result


def parsed(text: str | None) -> dict[str, Any]:
    """A stored member's ``figures`` text as a dict (none, or a damaged row: empty)."""
    try:
        value = stored_json.parsed(text, "a burst shot's stored figures") if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def stored_groups(store) -> list[list[tuple]]:
    """The stored groups as they stand (what ``move/trash/tag --from-bursts`` takes the non-keepers of): each a
    list of its shots' ``(path, is_keeper, size, mtime_ns, figures text)`` (size and time of the scan record, None
    without one), in the order of :func:`as_decided` (the stored order, for a group whose keeper is not marked
    discard), ``is_keeper`` as it stands."""
    groups: dict[int, list] = {}
    for group_id, path, is_keeper, size, mtime, figures in store.conn.execute(
            "SELECT b.group_id, b.path, b.is_keeper, i.size, i.mtime_ns, b.figures FROM burst_groups b "
            "LEFT JOIN images i ON i.path = b.path ORDER BY b.group_id, b.rank"):
        groups.setdefault(group_id, []).append((path_from_db(path), is_keeper, size, mtime, figures))
    discarded = discarded_shots(store)
    out = []
    for members in groups.values():
        if members[0][0] not in discarded:  # (its keeper not marked discard: as stored, no shot's figures parsed)
            out.append(members)
            continue
        decided = as_decided([(m[0], parsed(m[-1]), bool(m[1])) for m in members], discarded)
        if decided is not None:
            by_path = {m[0]: m for m in members}
            members = [(path, int(is_keeper), *by_path[path][2:]) for path, _, is_keeper, _ in decided]
        out.append(members)
    return out


def keeper_now(store, path: str) -> bool:
    """Whether ``path`` is a keeper of a stored group holding it, as the group stands now (:func:`as_decided`):
    ``move --from-bursts`` asks it again of each shot it planned to take, as it takes it (a keeper discarded in
    the review page meanwhile makes the next shot the keeper: that one is left, as one made the keeper by a
    ``bursts`` run or a keeper choice)."""
    groups: dict[int, list] = {}
    discarded = set()
    for group_id, member, is_keeper, figures, discard in store.conn.execute(
            "SELECT b.group_id, b.path, b.is_keeper, b.figures, d.decision = 'discard' AND d.size IS i.size "
            "AND d.mtime_ns IS i.mtime_ns FROM burst_groups b LEFT JOIN images i ON i.path = b.path "
            "LEFT JOIN decisions d ON d.path = i.path WHERE b.group_id IN "
            "(SELECT group_id FROM burst_groups WHERE path = ?) ORDER BY b.group_id, b.rank",
            (db_path(path),)).fetchall():
        member = path_from_db(member)
        groups.setdefault(group_id, []).append((member, parsed(figures), bool(is_keeper)))
        if discard:
            discarded.add(member)
    for members in groups.values():
        decided = as_decided(members, discarded)
        shots = [(p, k) for p, _, k in members] if decided is None else [(p, k) for p, _, k, _ in decided]
        if any(p == path and kept for p, kept in shots):
            return True
    return False
