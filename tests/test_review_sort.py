"""The review page's sort orders (``GET /api/items?sort=...``, the app's test client on generated photos): each
sorts by what its label says. "name" sorted by the whole path, so with all folders shown every photo of one
folder came before the next folder's, whatever their names; it now sorts by the file name (whatever its case),
then by the folder. Photos that tie in another sort (one score, size or date) came by their whole path, folder by
folder, too; they now come in the name sort's order."""
from __future__ import annotations

import os

import numpy as np
from PIL import Image

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
    """"most blurry first", "largest first" (the file's size, nothing moving with these), "date taken" (oldest
    first; photos without a date last, by their file's modification time)."""
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


def _tied_library(tmp_path, photos, mtime_ns=1_700_000_000_000_000_000):
    """``photos``: (relative path, p_blurry, captured_at or None, seed, image side) -> a signed-in client. Photos
    of one seed and side are the same picture, so the same bytes: the same size; every file gets one time."""
    recs = []
    for rel, p, taken, seed, side in photos:
        path = tmp_path / "lib" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        _photo(path, 2.0, seed, size=(side * 3 // 4, side))
        os.utime(path, ns=(mtime_ns, mtime_ns))
        recs.append(_record(path, "blurry", p, captured_at=taken))
    db = tmp_path / "lib" / ".blurscan.db"
    with Store(db) as store:
        store.put(recs, "test")
    return review_client((db, {r.path: r for r in recs}))


def _named(client, query):
    items = client.get("/api/items?" + query, base_url="http://127.0.0.1:5123").get_json()["items"]
    return [f"{os.path.basename(it['folder'])}/{it['name']}" for it in items]


def test_photos_that_tie_in_a_sort_come_in_the_name_sorts_order(tmp_path):
    """Photos of one score, one size or one date (and file time) came by their whole path, so with all folders
    shown a folder's photos before the next folder's (2022/Banana, 2023/Mango, 2023/zebra, 2024/apple,
    2024/mango); now by name as the "name" sort has them: the file name whatever its case, then as written,
    then the folder."""
    tied = [("2023/zebra.jpg", 0.9, "2023-05-01T10:00:00", 7, 200),
            ("2024/mango.jpg", 0.9, "2023-05-01T10:00:00", 7, 200),
            ("2022/Banana.jpg", 0.9, "2023-05-01T10:00:00", 7, 200),
            ("2023/Mango.jpg", 0.9, "2023-05-01T10:00:00", 7, 200),
            ("2024/apple.jpg", 0.9, "2023-05-01T10:00:00", 7, 200)]
    by_name = ["2024/apple.jpg", "2022/Banana.jpg", "2023/Mango.jpg", "2024/mango.jpg", "2023/zebra.jpg"]
    others = [("2021/aaa.jpg", 0.95, "2023-06-01T10:00:00", 1, 320),  # more blurry, larger, later
              ("2021/Undated.jpg", 0.8, None, 2, 120), ("2020/undated.jpg", 0.8, None, 2, 120)]
    client = _tied_library(tmp_path, tied + others)
    assert len({os.path.getsize(tmp_path / "lib" / rel) for rel, *_ in tied}) == 1  # one size
    undated = ["2021/Undated.jpg", "2020/undated.jpg"]  # tied too: "Undated.jpg" < "undated.jpg" as written
    assert _named(client, "filter=all&sort=name") == ["2021/aaa.jpg"] + by_name[:4] + undated + by_name[4:]
    assert _named(client, "filter=all&sort=p_blurry") == ["2021/aaa.jpg"] + by_name + undated
    assert _named(client, "filter=all&sort=size") == ["2021/aaa.jpg"] + by_name + undated
    assert _named(client, "filter=all&sort=date") == by_name + ["2021/aaa.jpg"] + undated
    # a folder chosen: the same order, narrowed
    assert _named(client, f"filter=all&sort=size&folder={tmp_path / 'lib' / '2023'}") == [
        "2023/Mango.jpg", "2023/zebra.jpg"]


def test_largest_first_sorts_by_the_space_moving_the_photo_frees_as_the_header_counts_it(tmp_path):
    """"Largest first" sorted by the photo's file alone, while the header counts what `move` frees: the photo
    with its RAW twin and sidecars. A RAW + JPEG pair came by its small JPEG, below photos that free less; now
    by what the header adds up, so the order and the header agree (looked up once per page load, as the
    header's: a sidecar added meanwhile counts after a reload)."""
    from helpers_raw import write_dng

    lib = tmp_path / "lib"
    client = _tied_library(tmp_path, [("a/DSC_0010.jpg", 0.9, None, 1, 160), ("b/large.jpg", 0.9, None, 2, 480),
                                      ("c/middle.jpg", 0.9, None, 3, 320)])
    rgb = np.asarray(Image.open(lib / "b" / "large.jpg").convert("RGB"))
    write_dng(lib / "a" / "DSC_0010.DNG", rgb)  # its RAW twin
    (lib / "a" / "DSC_0010.jpg.xmp").write_text("<x:xmpmeta/>")
    size = {p.name: p.stat().st_size for p in lib.glob("*/*") if p.is_file()}
    freed = {"DSC_0010.jpg": size["DSC_0010.jpg"] + size["DSC_0010.DNG"] + size["DSC_0010.jpg.xmp"],
             "large.jpg": size["large.jpg"], "middle.jpg": size["middle.jpg"]}
    assert size["DSC_0010.jpg"] < size["middle.jpg"] < size["large.jpg"] < freed["DSC_0010.jpg"]

    def listed():
        items = client.get("/api/items?filter=all&sort=size", base_url="http://127.0.0.1:5123").get_json()
        return [it["name"] for it in items["items"]], items["summary"]["flagged_bytes"]

    client.get("/", base_url="http://127.0.0.1:5123")  # the page load
    # the old order: large.jpg, middle.jpg, DSC_0010.jpg (by the file alone)
    assert listed() == (["DSC_0010.jpg", "large.jpg", "middle.jpg"], sum(freed.values()))
    with Store(lib / ".blurscan.db") as store:  # the store's figures, the same without the app
        from blurscan.review import library
        assert [it["name"] for it in library.items(store, filter_="all", sort="size")] == [
            "DSC_0010.jpg", "large.jpg", "middle.jpg"]
    # a sidecar added while the page is open: neither the header nor the order count it until a reload
    edits = (freed["DSC_0010.jpg"] - size["middle.jpg"]) // 6 + 1  # enough to put middle.jpg first
    (lib / "c" / "middle.xmp").write_text("<x:xmpmeta>" + "edits " * edits + "</x:xmpmeta>")
    assert listed() == (["DSC_0010.jpg", "large.jpg", "middle.jpg"], sum(freed.values()))
    client.get("/", base_url="http://127.0.0.1:5123")
    more = (lib / "c" / "middle.xmp").stat().st_size
    assert size["middle.jpg"] + more > freed["DSC_0010.jpg"]
    assert listed() == (["middle.jpg", "DSC_0010.jpg", "large.jpg"], sum(freed.values()) + more)
