"""Burst groups: find near-identical shots, propose the sharpest as keeper, store the result.

Library API::

    from blurscan import bursts
    groups = bursts.find_groups(records)            # list of lists of ScanRecord
    ranked = bursts.rank_group(groups[0])           # list of Member, rank 1 = keeper, with reasons
    with Store(db) as store:
        stored = bursts.run(store)                  # group + rank every scanned photo, write burst_groups

:mod:`.grouping` says how shots are grouped (time window + perceptual hash, union-find) and why,
:mod:`.ranking` how a group is ranked (region map, then the classical measure at one scale, then
resolution), :mod:`.twins` which files are one shot (an edit and its original, byte-identical copies),
:mod:`.storage` how results and a person's choices are kept in ``burst_groups``.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable

from ..records import ScanRecord
from ..store import Store, path_from_db
from ..walk import one_name_per_file
from .settings import DEFAULT_MAX_DISTANCE, DEFAULT_MAX_NEIGHBOURS, DEFAULT_WINDOW_S, BurstSettings, GroupingStats
from .times import capture_time
from .identity import identity_of
from .shots import Shot
from .ranking import Member, rank_group, subject_p_blurry
from .choices import choice_for, left_keepers
from .storage import BurstGroup, choose_keeper, discarded_shots, load_groups, person_choices, replace_groups
from .twins import edits_of, identical_copies, lone_edits
from .. import stored_json

__all__ = [
    "BurstGroup", "BurstSettings", "GroupingStats", "Member", "DEFAULT_MAX_DISTANCE", "DEFAULT_MAX_NEIGHBOURS",
    "DEFAULT_WINDOW_S", "capture_time", "choose_keeper", "edits_of", "find_groups", "hamming", "identical_copies",
    "load_groups", "lone_edits", "rank_group", "run", "subject_p_blurry",
]

log = logging.getLogger(__name__)

#: The grouping machinery's names (:mod:`.grouping`: NumPy, the hashes, the union-find), imported on first use,
#: and its modules, attributes of the package as when it imported them.
_GROUPING = ("find_groups", "hamming")
_GROUPING_MODULES = ("grouping", "apart", "hashes", "series", "whole")


def __getattr__(name: str):
    """``find_groups`` and ``hamming`` (and the grouping's modules), imported from :mod:`.grouping` when first asked
    for. The stored groups' readers (:mod:`.standing`, :mod:`.storage`, :mod:`.identity`: ``move``, ``trash``,
    ``tag``, ``undo``, ``report``) import this package without grouping anything; until 2026-12-07 it imported
    :mod:`.grouping`, and NumPy, for each of them (``undo --list`` peaked at 41 MiB, against 26 on 2026-12-06's
    code and 28 without NumPy)."""
    if name in _GROUPING or name in _GROUPING_MODULES:
        import importlib

        grouping = importlib.import_module(".grouping", __name__)  # (its modules with it)
        if name in _GROUPING:
            globals()[name] = getattr(grouping, name)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run(
    store: Store,
    settings: BurstSettings = BurstSettings(),
    *,
    skip_missing: bool = True,
    stats: GroupingStats | None = None,
    progress: Callable[[str], None] | None = None,
    left: list[tuple[str, list[str]]] | None = None,
    unmounted: dict | None = None,
) -> list[BurstGroup]:
    """Group and rank every scanned photo in ``store`` and replace its ``burst_groups`` table.

    Parameters
    ----------
    store : Store
        The library's database (records written by ``blurscan scan``).
    settings : BurstSettings
        Time window, hash distance, neighbour cap.
    skip_missing : bool
        Leave out photos whose file no longer exists (moved or trashed since the scan; a folder in its place), but
        not those under a folder that looks like a drive or share not mounted (:func:`_still_there`).
    stats : GroupingStats, optional
        Filled with the grouping counts.
    progress : callable, optional
        Called with a short message at each step (the CLI may show it).
    left : list, optional
        Filled with ``(keeper, other shots)`` of each keeper a person chose whose shot is no longer grouped with
        those others of its burst (:func:`.choices.left_keepers`).
    unmounted : dict, optional
        Filled with each folder that looks like a drive or share not mounted (:class:`blurscan.unmounted.Unmounted`)
        -> the shots under it, not on disk, kept in the groups returned (:func:`_still_there`).

    Returns
    -------
    list of BurstGroup
        The stored groups, numbered from 1 in time order, members ranked best first. A group whose
        membership equals that of a stored group in which a person chose the keeper, or is part of it with that
        keeper, keeps that keeper (``chosen_by == "person"``, :func:`.choices.choice_for`).
    """
    # grouping needs eleven columns (a slotted Shot each: a light ScanRecord cost 1.3 KB more a photo, shots.py);
    # full records (region map, scores) are loaded for grouped photos only
    light = [Shot(path=path_from_db(r[0]), captured_at=r[1], phash=r[2], mtime_ns=r[3], width=r[4],
                        height=r[5], size=r[6], captured_subsec=r[7], exposure_ev=r[8],
                        camera=list(r[9:12]) if any(r[9:12]) else None,
                        exposure_setting=(list(r[12:14]) if r[14] is None else list(r[12:15]))
                        if r[12] is not None or r[13] is not None else None)
             for r in _grouping_rows(store.conn)]
    # An edited version beside its original (IMG_E0001.JPG, IMG_0001.HEIC) is one shot with it: grouped and
    # ranked as the original, never a member itself (twins.py). An edit whose original is gone is a shot.
    times = {r.path: (r.captured_at, r.captured_subsec) for r in light}  # (an export below: one shot with it too)
    judged: dict = {}  # (an Unmounted folder -> the shots under it, not on disk, kept)
    there = _still_there(store, judged)
    edits = {original: names for original, names in edits_of(times, times).items()
             if not skip_missing or there(original)}
    edited = {name for names in edits.values() for name in names}
    light = [r for r in light if r.path not in edited]
    lone = lone_edits((r.path for r in light), edits)  # an edit without its original: still edited, kept
    if progress:
        progress(f"grouping {len(light)} photos")
    # (byte-identical copies are one shot wherever they are in time: a copy into another split of a data set)
    options = dict(window=settings.window, max_distance=settings.max_distance,
                   max_neighbours=settings.max_neighbours, same_bytes=identical_copies)
    find_groups = sys.modules[__name__].find_groups  # (imported now: :func:`__getattr__`; a patched one holds)
    groups = find_groups(light, stats=stats, **options)
    # Files moved or trashed since the scan leave their group (skip_missing), and so does every other name of
    # a shot's file (a symbolic link to it, a hard link: stored by an older scan, or by a scan of the link's
    # folder alone): a file is never a burst of itself. The rest is grouped again.
    regrouped, named = [], {}
    for group in groups:
        present = _distinct_files(group, skip_missing, named, there)
        regrouped += [group] if len(present) == len(group) else find_groups(present, **options)
    groups = regrouped
    # an edit beside a link's name (b/IMG_E0005.JPG beside the link b/IMG_0005.JPG -> a/IMG_0005.JPG) is an edit
    # of the file: it goes with the name that takes part, or that file was not known to be edited
    for other, name in named.items():
        if other in edits:
            edits.setdefault(name, []).extend(edits.pop(other))
        if other in lone:
            lone.add(name)
    full = {}
    for group in groups:
        for r in group:
            full[r.path] = store.record(r.path) or r.record()
    groups = [[full[r.path] for r in group] for group in groups]

    discarded = discarded_shots(store)  # (never proposed as keeper; a keeper chosen, then discarded, neither)

    def ranked(number: int, group: list[ScanRecord], keeper: str | None) -> BurstGroup:
        keeper = None if keeper in discarded else keeper
        members = rank_group(group, keeper=keeper, edits={r.path: edits[r.path] for r in group if r.path in edits},
                             duplicates=identical_copies(group), edited={r.path for r in group if r.path in lone},
                             discarded=discarded)
        return BurstGroup(group_id=number, members=members, chosen_by="person" if keeper else "auto")

    keys = [frozenset(r.path for r in group) for group in groups]
    chosen = person_choices(store)
    out = [ranked(number, group, choice_for(chosen, key))
           for number, (group, key) in enumerate(zip(groups, keys), start=1)]

    def chosen_since(now: dict[frozenset[str], str]) -> list[BurstGroup]:
        # A keeper a person chose in the review page while this run grouped (answered there, written to the
        # table this run replaces) is read again under the write lock, and its group ranked again with it.
        # Until 2026-12-04 the choices read before grouping were written back, and such a choice was lost.
        if left is not None:
            left[:] = [(keeper, others) for keeper, others in left_keepers(now, keys)  # (said, not passed over;
                       if keeper not in discarded and os.path.lexists(keeper)]      # not one gone or discarded)
        return [ranked(g.group_id, group, choice_for(now, key)) if choice_for(now, key) != choice_for(chosen, key)
                else g for g, group, key in zip(out, groups, keys)]

    # each shot with the file it was ranked on: another photo put under its name later is not taken for it
    out = list(replace_groups(store, out, {path: identity_of(record) for path, record in full.items()},
                              rechoose=chosen_since))
    log.info("%d burst groups (%d shots) from %d photos", len(out), sum(len(g.members) for g in out), len(light))
    if unmounted is not None and judged:
        members = {m.path for g in out for m in g.members}
        unmounted.update((folder, sorted(paths & members)) for folder, paths in judged.items() if paths & members)
    return out


def _grouping_rows(conn) -> Iterable[tuple]:
    """``(path, captured_at, phash, mtime_ns, width, height, size, captured_subsec, exposure_ev, make, model,
    body_serial, exposure mode, exposure bias)`` of every photo to group (the exposure, the camera and how it set the
    exposure: an exposure bracket's frames, and two cameras' shots, are never linked, since 2026-12-07). The
    fraction of a second (EXIF SubSecTimeOriginal) is in the record's JSON only: read by SQLite's JSON functions
    where it has them (60 ms for 100,000 rows), else by Python. Until 2026-12-05 the whole seconds decided: shots
    0.2 s apart across a second were 1 s apart, never grouped with ``--window 0.5``, and shots 1.8 s apart were
    grouped with ``--window 1``. The size finds byte-identical copies far apart in time (``same_bytes``). Where SQLite
    has JSON functions the rows are read as they are used (a cursor), not first all into a list."""
    query = ("SELECT path, captured_at, phash, mtime_ns, width, height, size, {} FROM images "
             "WHERE status = 'ok' AND phash IS NOT NULL")
    try:
        return conn.execute(query.format("json_extract(record, '$.captured_subsec'), "
                                         "json_extract(record, '$.exposure_ev'), json_extract(record, '$.camera[0]'), "
                                         "json_extract(record, '$.camera[1]'), json_extract(record, '$.camera[2]'), "
                                         "json_extract(record, '$.exposure_setting[0]'), "
                                         "json_extract(record, '$.exposure_setting[1]'), "
                                         "json_extract(record, '$.exposure_setting[2]')"))
    except sqlite3.OperationalError:  # no JSON functions in this SQLite
        return [(*row[:7], _number_of(row[7], "captured_subsec"), _number_of(row[7], "exposure_ev"),
                 *_camera_of(row[7]), *_setting_of(row[7])) for row in conn.execute(query.format("record"))]


def _camera_of(record: str | None) -> tuple:
    """The stored ``camera`` (make, model, body serial) of a record's JSON, three Nones when it has none."""
    try:
        value = stored_json.parsed(record).get("camera") if record else None
    except (ValueError, AttributeError):
        value = None
    if not isinstance(value, list) or len(value) != 3:
        return None, None, None
    return tuple(v if isinstance(v, str) else None for v in value)


def _setting_of(record: str | None) -> tuple:
    """The stored ``exposure_setting`` (mode, bias, a manual shot's ISO) of a record's JSON, Nones where it has
    none."""
    try:
        value = stored_json.parsed(record).get("exposure_setting") if record else None
    except (ValueError, AttributeError):
        value = None
    if not isinstance(value, list) or len(value) not in (2, 3):
        return None, None, None
    return tuple(v if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in [*value, None][:3])


def _number_of(record: str | None, key: str) -> float | None:
    try:
        value = stored_json.parsed(record).get(key) if record else None
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, (int, float)) else None


def _still_there(store, judged: dict) -> Callable[[str], bool]:
    """Whether a shot's file (its path) is still there, for ``skip_missing``: on disk (a broken link is, a folder
    under its name is not), or not known to be gone, under a folder that looks like a drive or share not mounted
    (:class:`blurscan.unmounted.Judge`: an empty mount point not modified since the scan, a link to nothing), whose
    records a scan keeps. Until 2026-12-07 ``blurscan bursts`` run while a drive was not mounted dropped the groups
    of its shots, the keeper a person chose with them (proposed by sharpness again once the drive was back), and
    chose another keeper among the shots still there of a group whose chosen keeper was on the drive. The folders
    above the shots not on disk only are looked at, each once. ``judged``: filled with each such folder -> the paths
    under it found there."""
    from ..unmounted import Judge

    judge: Judge | None = None

    def there(path: str) -> bool:
        nonlocal judge
        if os.path.lexists(path):
            return not os.path.isdir(path)
        judge = judge or Judge(store)
        found = judge(os.path.dirname(path))
        if found is not None:
            judged.setdefault(found, set()).add(path)
        return found is not None

    return there


def _distinct_files(group: list[ScanRecord], skip_missing: bool, named: dict[str, str] | None = None,
                    there: Callable[[str], bool] | None = None) -> list[ScanRecord]:
    """``group`` less the shots whose file no longer exists (when ``skip_missing``; ``there``: whether it is, by
    default on disk and not a folder) and the shots that are
    another name of a file already in it (:func:`blurscan.walk.one_name_per_file`: same device and inode, links
    followed; the same real path where the file system has no inodes). Of one file's names the one a walk
    keeps takes part: the file's own rather than a symbolic link's, else the first a walk meets. ``named`` gets
    each name left out -> the name that takes part."""
    # (a broken link is present; a folder under a shot's name is not: until 2026-12-05 it stood in the burst)
    there = there or (lambda path: os.path.lexists(path) and not os.path.isdir(path))
    present = [r for r in group if not skip_missing or there(r.path)]
    others = one_name_per_file(r.path for r in present)
    for path, name in others.items():
        log.info("%s: the same file as %s, left out of its burst group", path, name)
    if named is not None:
        named.update(others)
    return [r for r in present if r.path not in others]
