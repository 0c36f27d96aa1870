"""Which keeper a person chose stays chosen when a burst's shots change, and which choices a new grouping leaves.

A person's choice is stored with its group's shots (:func:`.storage.person_choices`: membership -> keeper). A group
of the same shots keeps it; so does a group of some of them that still holds the keeper (shots moved or trashed
since, or a burst that newer capture times split: a scan after an upgrade whose date rules read other capture times,
:mod:`blurscan.redate`), since the keeper was chosen over each of them. A group that a shot joined is ranked again
(the person never compared the keeper with it). A chosen keeper whose shot leaves the rest of its burst (now in
another group, or in none) is said (:func:`left_keepers`): until 2026-12-06 another keeper was proposed for the
rest of the burst in silence.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence


def choice_for(chosen: Mapping[frozenset[str], str], members: frozenset[str]) -> str | None:
    """The keeper a person chose for a group of ``members``: that of a stored group of the same shots, else that
    of the one stored group holding all of them whose keeper is among them; None when there is none (or two)."""
    keeper = chosen.get(members)
    if keeper is not None:
        return keeper
    found = [k for stored, k in chosen.items() if k in members and members <= stored]
    return found[0] if len(found) == 1 else None


def left_keepers(chosen: Mapping[frozenset[str], str],
                 groups: Sequence[frozenset[str]]) -> list[tuple[str, list[str]]]:
    """``(keeper, the other shots of its burst now grouped without it)`` of each chosen keeper that left its
    burst: some of its burst's other shots are now a group (or in one) that does not hold it."""
    out = []
    for stored, keeper in chosen.items():
        others = sorted(p for group in groups if keeper not in group for p in group & stored)
        if others:
            out.append((keeper, others))
    return out
