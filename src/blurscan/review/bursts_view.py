"""What the review page's bursts view shows: the stored burst groups, less the shots no longer on disk or
replaced by another file, and how many shots and groups it leaves out (:func:`view`).

One query and one pass over the stored shots: each shot's ``figures`` parsed once (for its identity,
:mod:`blurscan.bursts.identity`, and for the page), its file looked at once (a ``stat``; an ``lstat`` only
when that fails, or for a shot stored without its identity), and a keep elsewhere looked up once for all the
shots shown. It did each of these two or three times per request, one query each: 2 s per bursts view, keeper
choice or its undo with 20,000 shots stored, 11-17 s with 100,000.
"""
from __future__ import annotations

import json
import os

from ..bursts.identity import _sample, identity_in, is_replaced, sample_column, without_identity
from ..store import path_from_db
from .elsewhere import KeptElsewhere

_COLUMNS = ("b.group_id, b.rank, b.is_keeper, b.reason, b.figures, b.chosen_by, b.path AS b_path, "
            "i.path, i.size, i.mtime_ns, i.status, i.error, i.verdict, i.p_blurry, i.blur_type, "
            "i.laplacian_var, i.width, i.height, i.captured_at, "
            "d.decision AS decision, d.size AS d_size, d.mtime_ns AS d_mtime_ns")


def view(store, elsewhere: KeptElsewhere | None = None, replaced: set[str] | None = None) -> dict:
    """``groups`` (:func:`blurscan.review.library.bursts`), ``hidden_groups``, ``gone_shots`` and
    ``replaced_shots`` (:func:`blurscan.review.library.bursts_left_out`). ``replaced``: the shots
    :func:`~blurscan.bursts.identity.replaced_shots` finds, when the caller has them (else found here)."""
    from .library import item_from_row, on_disk

    sample, in_record = sample_column(store.conn)
    rows = store.conn.execute(
        f"SELECT {_COLUMNS}, {sample} AS sample FROM burst_groups b LEFT JOIN images i ON i.path = b.path "
        "LEFT JOIN decisions d ON d.path = i.path ORDER BY b.group_id, b.rank, b.path").fetchall()
    found_replaced: set[str] = set()
    present: dict[str, bool] = {}  # path -> on disk (a path in two groups is looked at once)
    stored_groups, gone, shown = set(), 0, []
    for r in rows:
        path = path_from_db(r["b_path"])
        stored_groups.add(r["group_id"])
        try:
            figures = json.loads(r["figures"]) if r["figures"] else None
        except ValueError:
            figures = None
        here = present.get(path)
        if here is None:
            ranked = identity_in(figures if r["figures"] else {})
            st = None
            if ranked is not None:
                try:
                    st = os.stat(path)  # followed, as the scan's walk does
                except OSError:
                    pass  # gone (or unreadable): said elsewhere, as before
            if st is not None:
                record_sample = _sample(r["sample"]) if in_record else r["sample"]
                if is_replaced(ranked, st, r["size"], r["mtime_ns"], record_sample):
                    found_replaced.add(path)
            here = present[path] = st is not None or on_disk(path)
        if not here:
            gone += 1
        if r["path"] is not None and here:
            shown.append((path, r, figures))
    replaced = found_replaced if replaced is None else replaced
    shown = [(path, r, figures) for path, r, figures in shown if path not in replaced]
    kept = (elsewhere or KeptElsewhere()).reasons(store, [(path, r["size"], r["mtime_ns"]) for path, r, _ in shown])
    groups: dict[int, dict] = {}
    for path, r, figures in shown:
        group = groups.setdefault(r["group_id"], {"group_id": r["group_id"], "chosen_by": "auto", "photos": []})
        item = item_from_row(r, kept.get(path))
        item.update({"rank": r["rank"], "is_keeper": bool(r["is_keeper"]), "reason": r["reason"],
                     "figures": without_identity(figures)})
        if r["chosen_by"] == "person":
            group["chosen_by"] = "person"
        group["photos"].append(item)
    out = [g for g in groups.values() if len(g["photos"]) > 1]
    return {"groups": out, "hidden_groups": len(stored_groups) - len(out), "gone_shots": gone,
            "replaced_shots": len(replaced)}
