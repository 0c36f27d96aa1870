"""The bursts view's answer, byte for byte, and what it writes afresh from one request to the next.

The review server keeps each shot's JSON from one bursts view to the next (blurscan.review.bursts_view.Written):
building and encoding the items of 20,000 shots took 0.8 s of the 1.2 s each bursts view, keeper choice or its
undo took. Here the answer is checked against one built plainly from the store and the files (each shot's item
as the grid writes it, with its place in the group, a group of fewer than two shots left out), as the app's
JSON writes it, after each change a person or another program makes between two requests: a decision, a keeper
choice, a keep in a sub-folder's database, a rescan's new figures, a shot deleted by hand. Real photos, the real
Flask app's test client."""
from __future__ import annotations

import json
import os
import time

from blurscan.actions.keeps import kept_elsewhere
from blurscan.bursts.identity import without_identity
from blurscan.review import library
from blurscan.store import Store, path_from_db
from helpers_review import _get, _photo, _post, _record, build_review_library, review_client
from helpers_sqlite import connected


def _library(tmp_path):
    """The review test library, with a photo whose name is not ASCII, a sub-folder database (``lib/a``) and two
    burst groups: one of three shots (figures with the file's identity, which is never shown), one of two."""
    db, recs = build_review_library(tmp_path)
    a = tmp_path / "lib" / "a"
    extra = _record(_photo(a / "café ☕.jpg", 2.0, 9), "partial", 0.55, blur_type="motion")
    with Store(db) as store:
        store.put([extra], "test")
    recs[os.path.basename(extra.path)] = extra
    with Store(a / ".blurscan.db") as sub:  # `scan lib/a` before `scan lib`: its decisions stay in it
        sub.put([recs["partial.jpg"]], "test")
    shots = [(7, "blurry.jpg", 1, {"lap_var": 3.5, "p_blurry": 0.95}), (7, "café ☕.jpg", 2, {"lap_var": 2.25}),
             (7, "partial.jpg", 3, None), (9, "soft.png", 1, {"lap_var": 1e-3}), (9, "odd.bmp", 2, {"lap_var": 0.5})]
    rows = []
    for group, name, rank, figures in shots:
        rec = recs[name]
        if figures is not None and name == "blurry.jpg":
            figures = {**figures, "_file": {"size": rec.size, "mtime_ns": rec.mtime_ns}}
        rows.append((group, rec.path, rank, int(rank == 1), "sharpest" if rank == 1 else "less sharp",
                     json.dumps(figures) if figures is not None else None))
    with Store(db) as store, store.transaction() as conn:
        conn.executemany("INSERT INTO burst_groups (group_id, path, rank, is_keeper, reason, figures) "
                         "VALUES (?,?,?,?,?,?)", rows)
    return db, recs


def _reference(db) -> bytes:
    """The bursts view as the app answers it, built plainly: every stored shot whose photo is in the database and
    whose file is on disk, as the grid writes its item, with its rank, keeper mark, reason and figures; the
    groups with two shots or more; the keeps elsewhere looked up afresh."""
    with Store(db, create=False) as store:
        rows = store.conn.execute(
            f"SELECT b.group_id, b.rank, b.is_keeper, b.reason, b.figures, b.chosen_by, b.path AS b_path, "
            f"{library._COLUMNS} FROM burst_groups b LEFT JOIN images i ON i.path = b.path "
            "LEFT JOIN decisions d ON d.path = i.path ORDER BY b.group_id, b.rank, b.path").fetchall()
        shown = [r for r in rows if r["path"] is not None and os.path.lexists(path_from_db(r["path"]))]
        kept = kept_elsewhere(store, [(path_from_db(r["path"]), r["size"], r["mtime_ns"]) for r in shown])
    groups: dict[int, dict] = {}
    for r in shown:
        group = groups.setdefault(r["group_id"], {"group_id": r["group_id"], "chosen_by": "auto", "photos": []})
        item = library.item_from_row(r, kept.get(path_from_db(r["path"])))
        item.update(rank=r["rank"], is_keeper=bool(r["is_keeper"]), reason=r["reason"],
                    figures=without_identity(json.loads(r["figures"]) if r["figures"] else None))
        group["photos"].append(item)
        if r["chosen_by"] == "person":
            group["chosen_by"] = "person"
    out = [g for g in groups.values() if len(g["photos"]) > 1]
    answer = {"groups": out, "hidden_groups": len({r["group_id"] for r in rows}) - len(out),
              "gone_shots": sum(not os.path.lexists(path_from_db(r["b_path"])) for r in rows), "replaced_shots": 0,
              "twin_shots": 0, "unmounted_shots": []}  # (no RAW twin among them: .other_names; no drive not mounted)
    return (json.dumps(answer, sort_keys=True, separators=(",", ":")) + "\n").encode()


def _items_written(monkeypatch) -> list:
    """The paths of the items the app builds (library.item_from_row), one entry per item, as it builds them."""
    built = []
    real = library.item_from_row

    def counting(row, *args, **kwargs):
        built.append(path_from_db(row["path"]))
        return real(row, *args, **kwargs)

    monkeypatch.setattr(library, "item_from_row", counting)
    return built


def test_the_bursts_view_is_the_plain_one_byte_for_byte_after_each_change(tmp_path):
    db, recs = _library(tmp_path)
    tab = review_client((db, None))
    answer = _get(tab, "/api/bursts").data
    assert answer == _reference(db)
    assert b"caf\\u00e9 \\u2615.jpg" in answer and b"_file" not in answer  # (escaped as the app writes JSON)
    groups = json.loads(answer)["groups"]
    assert [[p["name"] for p in g["photos"]] for g in groups] == [["blurry.jpg", "café ☕.jpg", "partial.jpg"],
                                                                 ["soft.png", "odd.bmp"]]
    shot = {p["name"]: p for g in groups for p in g["photos"]}

    # a decision: the shot shows it at the next request
    assert _post(tab, "/api/decision", {"id": shot["café ☕.jpg"]["id"], "decision": "discard",
                                        "v": shot["café ☕.jpg"]["v"]}).status_code == 200
    answer = _get(tab, "/api/bursts").data
    assert answer == _reference(db)
    assert {p["name"]: p["decision"] for p in json.loads(answer)["groups"][0]["photos"]}["café ☕.jpg"] == "discard"

    # a keeper choice answers with the groups as they are now, the change and the header's figures
    pick = _post(tab, "/api/bursts/9/keeper", {"id": shot["odd.bmp"]["id"], "v": shot["odd.bmp"]["v"]})
    assert pick.status_code == 200
    fields = json.loads(pick.data)
    assert pick.data == (json.dumps(fields, sort_keys=True, separators=(",", ":")) + "\n").encode()
    assert {k: fields[k] for k in ("groups", "hidden_groups", "gone_shots", "replaced_shots", "twin_shots",
                                 "unmounted_shots")} == \
        json.loads(_reference(db))
    assert fields["summary"] == _get(tab, "/api/summary").get_json()
    assert [p["name"] for p in fields["groups"][1]["photos"]] == ["odd.bmp", "soft.png"]
    assert fields["groups"][1]["chosen_by"] == "person"
    assert _get(tab, "/api/bursts").data == _reference(db)

    # a keep in the sub-folder's database (another program): shown from the next page load, as the grid does
    with connected(tmp_path / "lib" / "a" / ".blurscan.db") as sub:
        rec = recs["partial.jpg"]
        sub.execute("INSERT INTO decisions (path, decision, size, mtime_ns, decided_at) VALUES (?, 'keep', ?, ?, ?)",
                    (rec.path, rec.size, rec.mtime_ns, time.time()))
    _get(tab, "/")
    answer = _get(tab, "/api/bursts").data
    assert answer == _reference(db)
    assert {p["name"]: p["kept_elsewhere"] for p in json.loads(answer)["groups"][0]["photos"]}["partial.jpg"]

    # a rescan's new figures for a shot, and a shot deleted by hand (its group then of one shot: left out)
    with Store(db) as store, store.transaction() as conn:
        conn.execute("UPDATE images SET p_blurry = 0.125, laplacian_var = 42.0 WHERE path = ?",
                     (recs["blurry.jpg"].path,))
    os.remove(recs["soft.png"].path)
    answer = _get(tab, "/api/bursts").data
    assert answer == _reference(db)
    data = json.loads(answer)
    assert data["groups"][0]["photos"][0]["p_blurry"] == 0.125
    assert (len(data["groups"]), data["hidden_groups"], data["gone_shots"]) == (1, 1, 1)


def test_a_bursts_view_writes_afresh_only_the_shots_changed_since_the_last(tmp_path, monkeypatch):
    db, recs = _library(tmp_path)
    tab = review_client((db, None))
    built = _items_written(monkeypatch)
    first = _get(tab, "/api/bursts").get_json()
    assert len(built) == 5
    shot = {p["name"]: p for g in first["groups"] for p in g["photos"]}

    built.clear()
    assert _get(tab, "/api/bursts").get_json() == first
    assert built == []  # the old code: all 5, at each request

    assert _post(tab, "/api/decision", {"id": shot["partial.jpg"]["id"], "decision": "keep",
                                        "v": shot["partial.jpg"]["v"]}).status_code == 200
    built.clear()
    again = _get(tab, "/api/bursts").get_json()
    assert built == [recs["partial.jpg"].path]  # the shot decided, and only it
    assert {p["name"]: p["decision"] for g in again["groups"] for p in g["photos"]}["partial.jpg"] == "keep"
    assert _get(tab, "/api/bursts").data == _reference(db)


def test_in_debug_mode_the_bursts_view_is_written_as_the_app_writes_json_there(tmp_path):
    db, _recs = _library(tmp_path)
    tab = review_client((db, None))
    compact = _get(tab, "/api/bursts").data
    tab.application.debug = True  # (Flask then indents its JSON; the shots kept written compact are not used)
    indented = _get(tab, "/api/bursts").data
    assert indented != compact and json.loads(indented) == json.loads(compact)
    assert indented == (json.dumps(json.loads(compact), sort_keys=True, indent=2) + "\n").encode()


def test_the_bursts_view_looks_on_disk_for_raw_twins_only_where_a_shot_is_a_raw_file(tmp_path, monkeypatch):
    """The bursts view leaves out a RAW file's own record that an older blurscan stored beside its photo's
    (test_pixel_raw_pairs_older_db.py): finding those looks at every stored name on disk (the page's other names,
    :class:`blurscan.review.other_names.OtherNames`), which the view's first answer after a page load did for every
    library since 2026-12-07, a RAW shot among its groups or not: 1.8x the CPU time of the view's answer before, on
    100,000 photos (bench/review_scale.py, ``bursts_first``). Without a RAW shot nothing is looked up: the same
    answer. The grid looks them up as before."""
    from blurscan.review import other_names

    db, _recs = _library(tmp_path)
    looked = []
    real = other_names.one_name_per_file
    monkeypatch.setattr(other_names, "one_name_per_file", lambda paths: looked.append(len(paths)) or real(paths))
    client = review_client((db, None))
    _get(client, "/")  # (the page loaded: the names it found on disk are looked for again)
    data = _get(client, "/api/bursts").get_json()
    assert sorted(len(g["photos"]) for g in data["groups"]) == [2, 3] and data["twin_shots"] == 0
    assert looked == []
    _get(client, "/api/items?filter=all")
    assert len(looked) == 1
