"""The review page's header figures, counted from the database (:func:`summary`): the photos, the flagged ones
and their bytes with what moves with them, the decisions among them and beside them, the errors, the burst groups;
of the whole library, or of a few photos (what :mod:`.totals` keeps between requests adds up from those).
"""
from __future__ import annotations

import os

from .. import judged_by
from ..dbfile import scan_into
from ..store import db_path, path_from_db
from ..unmounted import carried_note
from .companions import Companions
from .elsewhere import KeptElsewhere
from .library import away


def summary(store, companions: Companions | None = None, elsewhere: KeptElsewhere | None = None,
            only=None, others: frozenset[str] = frozenset()) -> dict:
    """Totals for the page header: flagged photos and their bytes, decisions, errors (photos that blurscan
    moved or trashed, and that are still away, are not counted, as the grid does not show them, nor those outside
    the library, nor ``others``, the other names of a file counted under one: :func:`away`).

    The figures add up: ``undecided + kept + discarded == flagged``. ``undecided`` is what the "flagged, not
    yet decided" filter shows; ``kept`` / ``discarded`` count decisions (on the current version of the file)
    among the flagged photos only. Decisions on photos the scan did not flag (a sharp burst shot made the
    keeper, a sharp or unreadable photo decided from the "all" filter) are ``other_kept`` /
    ``other_discarded``: a discarded one is still taken by ``move``, so it has its bytes too.

    A photo that a keep outside this database's decisions protects (``elsewhere``, looked up now when not
    given: kept in ``lib/2024/.blurscan.db`` ...) counts as kept whatever its decision here, as ``move`` leaves
    it where it is: never among the undecided or the discarded, whose bytes ``move`` would free.

    The bytes are what ``move`` would take for those photos: each photo with its RAW twin and sidecars
    (``companions``, looked up now when not given), not the photo's file alone.

    ``judged_by``: the line saying how many of the photos another model than this blurscan's default judged, and
    the scan that judges them again (:mod:`blurscan.judged_by`), or None; without ``only`` only.

    ``only`` (paths): the figures of those photos alone, ``burst_groups`` aside; each figure is a sum over the
    photos, so what a decision changes is found from its photo and the others of its file (:mod:`.totals`).
    """
    q = store.conn.execute
    q("CREATE TEMP TABLE IF NOT EXISTS gone (path PRIMARY KEY)")  # this connection's own (not in the file)
    q("DELETE FROM temp.gone")
    store.conn.executemany("INSERT OR IGNORE INTO temp.gone (path) VALUES (?)",
                           [(db_path(p),) for p in away(store, only, others)])
    present = "i.path NOT IN (SELECT path FROM temp.gone)"
    # the decisions looked at: all of them, or with ``only`` those of its photos, found by their paths (until
    # 2026-12-06 every decision ever made was read for them, those of the photos moved away long ago too, so
    # that a key press took longer with the library's history: 0.4 s of SQL with 60,000 photos of it)
    decisions, decided_paths = "decisions d", "SELECT path FROM decisions UNION SELECT path FROM temp.kept_elsewhere"
    if only is not None:
        q("CREATE TEMP TABLE IF NOT EXISTS only (path PRIMARY KEY)")
        q("DELETE FROM temp.only")
        store.conn.executemany("INSERT OR IGNORE INTO temp.only (path) VALUES (?)", [(db_path(p),) for p in only])
        present += " AND i.path IN (SELECT path FROM temp.only)"
        decisions, decided_paths = "temp.only o CROSS JOIN decisions d ON d.path = o.path", "SELECT path FROM temp.only"
    # (with ``only``, ``+``: its photos found by their paths, not the flagged ones by the verdict index)
    is_flagged = f"(i.status = 'ok' AND {'' if only is None else '+'}i.verdict IN ('blurry', 'partial'))"
    # the photos whose bytes are counted: the flagged ones (found by the verdict index) and those discarded
    # (by the decisions table), not a pass over the whole table; plain tuples, not rows (10,000 of them)
    cursor = store.conn.cursor()
    cursor.row_factory = None
    counted = [row[1:] for row in cursor.execute(  # (in the table's order, as a pass over it gave them)
        f"SELECT i.rowid, i.path, i.size, i.mtime_ns FROM images i WHERE {is_flagged} AND {present} UNION ALL "
        f"SELECT i.rowid, i.path, i.size, i.mtime_ns FROM {decisions} JOIN images i ON i.path = d.path "
        f"WHERE d.decision = 'discard' AND NOT {is_flagged} AND {present} ORDER BY 1")]
    keys = [key for key, _size, _mtime in counted]
    kept = (elsewhere or KeptElsewhere()).reasons(store, [(path_from_db(k), size, mtime) for k, size, mtime in counted])
    q("CREATE TEMP TABLE IF NOT EXISTS kept_elsewhere (path PRIMARY KEY)")
    q("DELETE FROM temp.kept_elsewhere")
    store.conn.executemany("INSERT OR IGNORE INTO kept_elsewhere (path) VALUES (?)", [(db_path(p),) for p in kept])
    protected = "i.path IN (SELECT path FROM temp.kept_elsewhere)"
    extra = (companions or Companions()).extra_bytes(keys)
    store.conn.create_function("blurscan_extra", 1, lambda key: extra.get(key, 0), deterministic=True)
    size = "i.size + blurscan_extra(i.path)"  # what `move` takes: the photo and what moves with it
    # one pass over the table: the photos still there, the errors among them, the flagged ones and their bytes
    # (and the first and last cache keys of the photos judged: told apart by a pass of their own only when they differ)
    photos, errors, flagged, flagged_bytes, ok, first_key, last_key = cursor.execute(
        f"SELECT COUNT(*), SUM(i.status = 'error'), SUM({is_flagged}), SUM(CASE WHEN {is_flagged} THEN {size} END), "
        "SUM(i.status = 'ok'), MIN(CASE WHEN i.status = 'ok' THEN i.cache_key END), "
        f"MAX(CASE WHEN i.status = 'ok' THEN i.cache_key END) FROM images i WHERE {present}").fetchone()
    # decisions on the current version of the file (one made on an older version is no decision: the photo
    # is to review again), a keep elsewhere before any, split by whether the photo is flagged: found from the
    # decisions and the keeps elsewhere (hundreds), not by a pass over the table
    by_decision = {(bool(r[0]), r[1]): (r[2], r[3] or 0) for r in cursor.execute(
        f"SELECT {is_flagged}, CASE WHEN {protected} THEN 'keep' ELSE d.decision END AS decided, COUNT(*), "
        f"SUM({size}) FROM ({decided_paths}) k "
        "JOIN images i ON i.path = k.path LEFT JOIN decisions d "
        "ON d.path = i.path AND d.size IS i.size AND d.mtime_ns IS i.mtime_ns "
        f"WHERE (d.path IS NOT NULL OR {protected}) AND {present} GROUP BY {is_flagged}, decided")}
    bursts = q("SELECT COUNT(DISTINCT group_id) FROM burst_groups").fetchone()[0]
    # the photos judged by another model than this blurscan's default (an older blurscan's, until a scan): said
    # in a line under the figures (with ``only``, left out: a decision changes no verdict, totals.decide keeps it)
    judged = None
    if only is None and ok:
        models = judged_by.count([(first_key, ok)] if first_key == last_key else cursor.execute(
            f"SELECT i.cache_key, COUNT(*) FROM images i WHERE i.status = 'ok' AND {present} GROUP BY i.cache_key"))
        judged = judged_by.words(judged_by.others(models, store), scan_into(os.path.abspath(store.path), "FOLDER"),
                                 "photo")
    none = (0, 0)
    # a flagged photo is undecided when it is neither kept nor discarded, here or elsewhere
    decided = [v for (is_flagged_, _), v in by_decision.items() if is_flagged_]
    return {
        "photos": photos,
        "errors": errors or 0,
        "flagged": flagged or 0,
        "flagged_bytes": flagged_bytes or 0,
        "undecided": (flagged or 0) - sum(n for n, _ in decided),
        "undecided_bytes": (flagged_bytes or 0) - sum(b for _, b in decided),
        "kept": by_decision.get((True, "keep"), none)[0],
        "discarded": by_decision.get((True, "discard"), none)[0],
        "discarded_bytes": by_decision.get((True, "discard"), none)[1],
        "other_kept": by_decision.get((False, "keep"), none)[0],
        "other_discarded": by_decision.get((False, "discard"), none)[0],
        "other_discarded_bytes": by_decision.get((False, "discard"), none)[1],
        "burst_groups": bursts,
        # (the library's drive mounted at another place, its photos stored under the old one: said, as `report` says
        # it; until 2026-12-07 the page listed nothing without a word)
        # (whether `blurscan bursts` ran, none found too: what `b` says without groups, keys.js; without ``only``)
        **({} if only is not None else {"judged_by": judged, "carried": carried_note(store),
                                        "bursts_grouped": _grouped(cursor)}),
    }


def _grouped(cursor) -> bool:
    """Whether ``blurscan bursts`` has stored its groups in this database, none found too
    (:data:`blurscan.bursts.storage.GROUPED_KEY`)."""
    from ..bursts.storage import GROUPED_KEY

    return cursor.execute("SELECT 1 FROM meta WHERE key = ?", (GROUPED_KEY,)).fetchone() is not None
