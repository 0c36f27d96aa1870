"""Burst groups: find near-identical shots, propose the sharpest as keeper, store the result.

Library API::

    from blurscan import bursts
    groups = bursts.find_groups(records)            # list of lists of ScanRecord
    ranked = bursts.rank_group(groups[0])           # list of Member, rank 1 = keeper, with reasons
    with Store(db) as store:
        stored = bursts.run(store)                  # group + rank every scanned photo, write burst_groups

:mod:`.grouping` says how shots are grouped (time window + perceptual hash, union-find) and why,
:mod:`.ranking` how a group is ranked (region map, then the classical measure at one scale, then
resolution), :mod:`.storage` how results and a person's choices are kept in ``burst_groups``.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable

from ..store import Store
from .grouping import (DEFAULT_MAX_DISTANCE, DEFAULT_MAX_NEIGHBOURS, DEFAULT_WINDOW_S, BurstSettings,
                       GroupingStats, capture_time, find_groups, hamming)
from .ranking import Member, rank_group, subject_p_blurry
from .storage import BurstGroup, choose_keeper, load_groups, person_choices, replace_groups

__all__ = [
    "BurstGroup", "BurstSettings", "GroupingStats", "Member", "DEFAULT_MAX_DISTANCE", "DEFAULT_MAX_NEIGHBOURS",
    "DEFAULT_WINDOW_S", "capture_time", "choose_keeper", "find_groups", "hamming", "load_groups", "rank_group",
    "run", "subject_p_blurry",
]

log = logging.getLogger(__name__)


def run(
    store: Store,
    settings: BurstSettings = BurstSettings(),
    *,
    skip_missing: bool = True,
    stats: GroupingStats | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[BurstGroup]:
    """Group and rank every scanned photo in ``store`` and replace its ``burst_groups`` table.

    Parameters
    ----------
    store : Store
        The library's database (records written by ``blurscan scan``).
    settings : BurstSettings
        Time window, hash distance, neighbour cap.
    skip_missing : bool
        Leave out photos whose file no longer exists (moved or trashed since the scan).
    stats : GroupingStats, optional
        Filled with the grouping counts.
    progress : callable, optional
        Called with a short message at each step (the CLI may show it).

    Returns
    -------
    list of BurstGroup
        The stored groups, numbered from 1 in time order, members ranked best first. A group whose
        membership equals that of a stored group in which a person chose the keeper keeps that keeper
        (``chosen_by == "person"``).
    """
    records = [r for r in store.records() if r.status == "ok" and r.phash]
    if skip_missing:
        records = [r for r in records if os.path.lexists(r.path)]
    if progress:
        progress(f"grouping {len(records)} photos")
    groups = find_groups(records, window=settings.window, max_distance=settings.max_distance,
                         max_neighbours=settings.max_neighbours, stats=stats)
    chosen = person_choices(store)
    out = []
    for number, group in enumerate(groups, start=1):
        keeper = chosen.get(frozenset(r.path for r in group))
        members = rank_group(group, keeper=keeper)
        out.append(BurstGroup(group_id=number, members=members, chosen_by="person" if keeper else "auto"))
    replace_groups(store, out)
    log.info("%d burst groups (%d shots) from %d photos", len(out), sum(len(g.members) for g in out), len(records))
    return out
