"""The review page's sort orders (``GET /api/items?sort=...``, the app's test client on generated photos): each
sorts by what its label says. "name" sorted by the whole path, so with all folders shown every photo of one
folder came before the next folder's, whatever their names; it now sorts by the file name (whatever its case),
then by the folder."""
from __future__ import annotations

import os

from blurscan.store import Store
from helpers_review import _names, _photo, _record, review_client


def _library(tmp_path, photos):
    """``photos``: (relative path, p_blurry, captured_at or None, image side) -> a signed-in client."""
    recs = []
    for i, (rel, p, taken, side) in enumerate(photos):
        path = tmp_path / "lib" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        recs.append(_record(_photo(path, 2.0, i, size=(side * 3 // 4, side)), "blurry", p, captured_at=taken))
    db = tmp_path / "lib" / ".blurscan.db"
    with Store(db) as store:
        store.put(recs, "test")
    return review_client((db, {os.path.basename(r.path): r for r in recs}))


PHOTOS = [("2023/zebra.jpg", 0.91, "2023-05-01T10:00:00", 160),
          ("2023/Mango.jpg", 0.95, None, 200),
          ("2023/same.jpg", 0.93, "2023-01-01T09:00:00", 240),
          ("2024/apple.jpg", 0.99, "2024-02-01T08:00:00", 320),
          ("2024/banana.jpg", 0.97, "2022-12-24T18:00:00", 400),
          ("2024/same.jpg", 0.92, None, 120)]


def test_name_sorts_by_the_file_name_then_the_folder(tmp_path):
    client = _library(tmp_path, PHOTOS)
    items = client.get("/api/items?filter=all&sort=name", base_url="http://127.0.0.1:5123").get_json()["items"]
    # the old order: 2023/Mango.jpg, 2023/same.jpg, 2023/zebra.jpg, 2024/apple.jpg, 2024/banana.jpg, 2024/same.jpg
    assert [(it["name"], os.path.basename(it["folder"])) for it in items] == [
        ("apple.jpg", "2024"), ("banana.jpg", "2024"), ("Mango.jpg", "2023"), ("same.jpg", "2023"),
        ("same.jpg", "2024"), ("zebra.jpg", "2023")]
    # the folder filter narrows the list, in the same order
    folder = str(tmp_path / "lib" / "2024")
    assert _names(client, f"filter=all&sort=name&folder={folder}") == ["apple.jpg", "banana.jpg", "same.jpg"]


def test_the_other_sorts_sort_by_what_their_labels_say(tmp_path):
    """"most blurry first", "largest first" (the file's size), "date taken" (oldest first; photos without a
    date last, by their file's modification time)."""
    client = _library(tmp_path, PHOTOS)
    by_p = sorted(PHOTOS, key=lambda ph: -ph[1])
    assert _names(client, "filter=all&sort=p_blurry") == [os.path.basename(ph[0]) for ph in by_p]
    items = client.get("/api/items?filter=all&sort=size", base_url="http://127.0.0.1:5123").get_json()["items"]
    sizes = [it["size"] for it in items]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == len(sizes)
    dated = [os.path.basename(ph[0]) for ph in sorted((ph for ph in PHOTOS if ph[2]), key=lambda ph: ph[2])]
    undated = sorted((str(tmp_path / "lib" / ph[0]) for ph in PHOTOS if not ph[2]),
                     key=lambda p: os.stat(p).st_mtime_ns)
    assert _names(client, "filter=all&sort=date") == dated + [os.path.basename(p) for p in undated]
