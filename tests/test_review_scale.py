"""The review server on a large library: the header's figures read the ``images`` table once per request (they
read it five times: 20 ms per key press with 2,000 photos, 0.2 s with 20,000), and the bursts view looks at each
shot's file once (it stat'ed every shot, then looked for it twice more: 2 s per request with 20,000 shots,
11-17 s with 100,000). What they answer is unchanged: the figures are checked against the library built. The
speed itself is measured by ``bench/review_scale.py`` (docs/review.md), not here."""
from __future__ import annotations

import os

from blurscan.records import ScanRecord
from blurscan.review import header_figures, library
from blurscan.review.elsewhere import KeptElsewhere
from blurscan.store import Store
from helpers_review import _get, _post, build_review_library, review_client
from test_bursts_replaced import _another_photo, _burst


def _passes_over_images(store, run):
    """How many of the statements ``run(store)`` executes make SQLite scan the whole ``images`` table."""
    statements = []
    store.conn.set_trace_callback(statements.append)
    try:
        result = run(store)
    finally:
        store.conn.set_trace_callback(None)
    scans = 0
    for sql in statements:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        plan = store.conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        scans += sum(1 for row in plan if row[3] in ("SCAN i", "SCAN images"))
    return result, scans


def test_the_header_figures_read_the_library_once(tmp_path):
    lib = build_review_library(tmp_path)
    db, recs = lib
    tab = review_client(lib)
    items = {it["name"]: it for it in _get(tab, "/api/items?filter=all").get_json()["items"]}
    for name, decision in (("blurry.jpg", "discard"), ("partial.jpg", "keep"), ("sharp.jpg", "discard")):
        answer = _post(tab, "/api/decision", {"id": items[name]["id"], "decision": decision, "v": items[name]["v"]})
        assert answer.status_code == 200
    with Store(db, create=False) as store:
        figures, scans = _passes_over_images(store, lambda s: header_figures.summary(s, library.Companions(), KeptElsewhere()))
    size = {name: os.path.getsize(rec.path) for name, rec in recs.items() if rec.size is not None}
    flagged = ("blurry.jpg", "partial.jpg", "soft.png", "odd.bmp")
    assert figures == {
        "photos": 6, "errors": 1, "flagged": 4, "flagged_bytes": sum(size[n] for n in flagged),
        "undecided": 2, "undecided_bytes": size["soft.png"] + size["odd.bmp"],
        "kept": 1, "discarded": 1, "discarded_bytes": size["blurry.jpg"],
        "other_kept": 0, "other_discarded": 1, "other_discarded_bytes": size["sharp.jpg"], "burst_groups": 0,
        "judged_by": None, "carried": None, "bursts_grouped": False}
    assert _get(tab, "/api/summary").get_json() == figures
    assert scans == 1  # the old code: 3 (and 2 more through an index)


def test_the_bursts_view_looks_at_each_shot_once(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    _burst(lib)
    _another_photo(lib / "IMG_0003.jpg")  # one shot replaced: left out, and counted
    os.remove(lib / "IMG_0002.jpg")  # one deleted by hand: left out, and counted
    shots = [str(lib / f"IMG_000{i}.jpg") for i in (1, 2, 3)]
    tab = review_client((lib / ".blurscan.db", None))
    _get(tab, "/api/bursts")  # (the keeps elsewhere of the shots shown are looked up once per page load)
    looks = dict.fromkeys(shots, 0)
    real_stat, real_lstat = os.stat, os.lstat

    def counting(real):
        def look(path, *args, **kwargs):
            if isinstance(path, str) and path in looks:
                looks[path] += 1
            return real(path, *args, **kwargs)
        return look

    monkeypatch.setattr(os, "stat", counting(real_stat))
    monkeypatch.setattr(os, "lstat", counting(real_lstat))
    data = _get(tab, "/api/bursts").get_json()
    assert (data["groups"], data["replaced_shots"], data["gone_shots"], data["hidden_groups"]) == ([], 1, 1, 1)
    # each shot's file looked at once; a deleted one, once more to tell a broken link from no file (the old
    # code: a stat of each, then an lstat of each for the groups and another to count those left out)
    assert looks == {shots[0]: 1, shots[1]: 2, shots[2]: 1}


def _counted_calls(run):
    """``run()`` and how many function calls (Python's and built-in ones) it made."""
    import sys

    calls = [0]

    def profile(_frame, event, _arg):
        if event in ("call", "c_call"):
            calls[0] += 1

    sys.setprofile(profile)
    try:
        result = run()
    finally:
        sys.setprofile(None)
    return result, calls[0]


def _folders_pairwise(store) -> dict[str, tuple[int, int]]:
    """What the folder list said before 2026-12-04 (each folder's photos added to every listed folder whose
    name its name starts with, a pass over all folders for each), the counts the filter shows."""
    from blurscan.store import path_from_db

    direct: dict[str, list[int]] = {}
    for key, status, verdict in store.conn.execute("SELECT path, status, verdict FROM images"):
        entry = direct.setdefault(os.path.dirname(path_from_db(key)), [0, 0])
        entry[0] += 1
        entry[1] += int(status == "ok" and verdict in ("blurry", "partial"))
    counts = {f: [0, 0] for f in direct}
    for folder, (n, k) in direct.items():
        for parent in counts:
            if folder == parent or folder.startswith(parent.rstrip(os.sep) + os.sep):
                counts[parent][0] += n
                counts[parent][1] += k
    return {f: tuple(c) for f, c in counts.items()}


def test_folder_counts_go_up_each_folders_names_not_over_every_folder(tmp_path):
    """Nested folders, names that begin with another's (``a``, ``ab``, ``a b``, ``a.b``), a folder holding only
    folders, photos at the library's root, 600 albums: the counts are those of the filter (as before), and
    the work grows with the folders, not with their square (5,000 folders took 3.5 s a page load)."""
    root = tmp_path / "lib"
    names = ["top.jpg", "a/1.jpg", "a/2.jpg", "ab/1.jpg", "a b/1.jpg", "a.b/1.jpg", "a/b/1.jpg", "a/b/c/1.jpg",
             "a/bc/1.jpg", "only/sub/1.jpg", "only/sub/deeper/1.jpg", "only/sub2/1.jpg"]
    names += [f"{2000 + i // 25}/album_{i:03d}/IMG_{i:04d}.jpg" for i in range(600)]
    records = []
    for i, name in enumerate(names):
        verdict = ("blurry", "partial", "sharp")[i % 3]
        records.append(ScanRecord(path=str(root / name), verdict=verdict, p_blurry=0.5, size=1000 + i,
                                  mtime_ns=10**18, width=160, height=120, format="JPEG"))
    records.append(ScanRecord.failed(str(root / "a" / "broken.jpg"), "truncated JPEG"))
    os.makedirs(root)
    with Store(root / ".blurscan.db") as store:
        store.put(records, "test")
        folders, calls = _counted_calls(lambda: library.folders(store))
        got = {f["folder"]: (f["photos"], f["flagged"]) for f in folders}
        assert got == _folders_pairwise(store)
    r = str(root)
    assert {f: got[os.path.join(r, f) if f else r] for f in ("", "a", "ab", "a b", "a.b", "a/b", "only/sub")} == {
        "": (613, 408), "a": (6, 3), "ab": (1, 1), "a b": (1, 1), "a.b": (1, 0), "a/b": (2, 2), "only/sub": (2, 2)}
    assert os.path.join(r, "only") not in got and os.path.join(r, "2000") not in got  # (no photo of their own)
    # about 70 calls a photo with its folder (the folder's names up 4 levels); with a pass over every folder for
    # each, 750,000 (two for each of 620 x 620 pairs)
    assert calls < 150 * len(records), calls
