"""The review page when photos are moved or deleted by hand (outside blurscan) after the scan or after
``blurscan bursts``: the image endpoints say which file is gone, decisions on it are refused, and the bursts
view leaves its shots out."""
from __future__ import annotations

import os
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from blurscan.records import ScanRecord
from blurscan.review import security
from blurscan.review.app import create_app
from blurscan.store import Store
from helpers_review import error_of

PORT = 5124
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "token-missing-tests"
CSRF = {security.CSRF_HEADER: security.csrf_token(TOKEN)}


@pytest.fixture()
def shots(tmp_path):
    """Five generated photos of one scene, each a little more blurred, all flagged, stored as two burst groups
    (1: a, b, c; 2: d, e) the way ``blurscan bursts`` writes them; returns (db, path by name)."""
    folder = tmp_path / "lib"
    folder.mkdir()
    return _stored_shots(folder, lambda name: folder)


def _stored_shots(lib, folder_of):
    """The five photos of :func:`shots`, each saved in ``folder_of(name)``, stored in ``lib``'s database with the
    two burst groups; returns (db, path by name)."""
    rng = np.random.default_rng(7)
    scene = cv2.resize((rng.random((30, 40, 3)) * 255).astype(np.uint8), (160, 120),
                       interpolation=cv2.INTER_NEAREST)
    paths, records = {}, []
    for i, name in enumerate("abcde"):
        path = folder_of(name) / f"{name}.jpg"
        Image.fromarray(cv2.GaussianBlur(scene, (0, 0), 1.0 + i)).save(path, quality=90)
        st = path.stat()
        paths[name] = str(path)
        records.append(ScanRecord(path=str(path), verdict="blurry", p_blurry=0.6 + i / 20, size=st.st_size,
                                  mtime_ns=st.st_mtime_ns, width=160, height=120, format="JPEG"))
    db = lib / ".blurscan.db"
    with Store(db) as store:
        store.put(records, "test")
        with store.transaction() as conn:
            conn.executemany("INSERT INTO burst_groups (group_id, path, rank, is_keeper, reason) VALUES (?,?,?,?,?)",
                             [(1, paths["a"], 1, 1, "sharpest"), (1, paths["b"], 2, 0, None),
                              (1, paths["c"], 3, 0, None), (2, paths["d"], 1, 1, "sharpest"),
                              (2, paths["e"], 2, 0, None)])
    return db, paths


@pytest.fixture()
def client(shots):
    c = create_app(shots[0], TOKEN, port=PORT).test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    return c


def _ident(path):
    return security.path_id(path)


def test_image_endpoints_name_the_file_that_is_no_longer_there(client, shots):
    _db, paths = shots
    gone = paths["b"]
    url = f"/thumb/{_ident(gone)}"
    assert client.get(url, base_url=BASE).status_code == 200  # its thumbnail is made and cached ...
    os.remove(gone)
    for url in (url, f"/full/{_ident(gone)}"):  # ... but not served once the file is gone
        r = client.get(url, base_url=BASE)
        assert r.status_code == 404, url
        assert r.mimetype == "application/json"
        assert error_of(r) == f"b.jpg: no longer at {gone} (moved or deleted since the scan)"
    # the other photos are still served
    assert client.get(f"/full/{_ident(paths['a'])}", base_url=BASE).data == Path(paths["a"]).read_bytes()


def test_a_decision_on_a_photo_whose_file_is_gone_is_refused_and_nothing_recorded(client, shots):
    db, paths = shots
    os.rename(paths["c"], paths["c"] + ".moved-by-hand")
    before = client.get("/api/summary", base_url=BASE).get_json()
    for decision in ("keep", "discard"):
        r = client.post("/api/decision", json={"id": _ident(paths["c"]), "decision": decision}, base_url=BASE,
                        headers=CSRF)
        assert r.status_code == 409
        assert error_of(r) == (f"c.jpg: no longer at {paths['c']} (moved or deleted since the scan); "
                                  f"{decision} not recorded")
    r = client.post("/api/bursts/1/keeper", json={"id": _ident(paths["c"])}, base_url=BASE, headers=CSRF)
    assert r.status_code == 409 and "c.jpg: no longer at" in error_of(r) and "keeper not changed" in error_of(r)
    with Store(db) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
        assert store.conn.execute("SELECT COUNT(*) FROM decision_log").fetchone()[0] == 0
        keepers = store.conn.execute("SELECT path FROM burst_groups WHERE is_keeper = 1 ORDER BY group_id")
        assert [k[0] for k in keepers] == [paths["a"], paths["d"]]
    assert client.get("/api/summary", base_url=BASE).get_json() == before
    # a photo still on disk is decided as before
    r = client.post("/api/decision", json={"id": _ident(paths["a"]), "decision": "keep"}, base_url=BASE,
                    headers=CSRF)
    assert r.status_code == 200 and r.get_json()["summary"]["kept"] == 1


def test_bursts_view_leaves_out_shots_deleted_by_hand_and_says_how_many_groups_it_hid(client, shots):
    db, paths = shots
    view = client.get("/api/bursts", base_url=BASE).get_json()
    assert [[p["name"] for p in g["photos"]] for g in view["groups"]] == [["a.jpg", "b.jpg", "c.jpg"],
                                                                          ["d.jpg", "e.jpg"]]
    assert (view["hidden_groups"], view["gone_shots"]) == (0, 0)
    os.remove(paths["b"])
    os.remove(paths["e"])
    view = client.get("/api/bursts", base_url=BASE).get_json()
    assert [[p["name"] for p in g["photos"]] for g in view["groups"]] == [["a.jpg", "c.jpg"]]
    assert (view["hidden_groups"], view["gone_shots"]) == (1, 2)  # group 2 (d alone left); b and e gone
    # a rescan forgets the deleted files' records: the view stays the same
    with Store(db) as store:
        store.forget([paths["b"], paths["e"]])
    again = client.get("/api/bursts", base_url=BASE).get_json()
    assert again == view
    # changing a keeper answers the same view
    r = client.post("/api/bursts/1/keeper", json={"id": _ident(paths["c"])}, base_url=BASE, headers=CSRF)
    assert r.status_code == 200
    assert [p["name"] for p in r.get_json()["groups"][0]["photos"]] == ["c.jpg", "a.jpg"]
    assert r.get_json()["hidden_groups"] == 1



def test_a_photo_forgotten_by_a_rescan_while_the_page_is_open_is_answered_in_words(client, shots):
    """A photo deleted by hand and then forgotten by `blurscan scan` while the page was open: a k / d on its
    card was answered with Flask's HTML "404 Not Found" page, which the page showed, markup and all, as its
    message (a re-check walkthrough found it). Now one plain line that says what happened and what to do."""
    db, paths = shots
    os.remove(paths["b"])
    with Store(db) as store:
        store.forget([paths["b"]])
    ident = _ident(paths["b"])
    r = client.post("/api/decision", json={"id": ident, "decision": "discard"}, base_url=BASE, headers=CSRF)
    assert r.status_code == 404
    assert error_of(r) == ("this photo is no longer in the library's database (forgotten by a scan since this "
                              "page was loaded): reload the page")
    for url in (f"/thumb/{ident}", f"/full/{ident}", f"/api/item/{ident}"):
        r = client.get(url, base_url=BASE)
        assert r.status_code == 404 and "reload the page" in error_of(r), url


def test_a_decision_on_a_photo_scanned_again_since_the_page_showed_it_is_refused(client, shots):
    """The page names the version of the photo it showed (``v``, as its items carry it): after the file was
    edited and scanned again while the page was open, a d on the card (still the old picture) was recorded on
    the new version, which nobody had seen (found driving the page in Chromium during a rescan). Refused now,
    as a decision on a file changed since the scan is; a request without ``v`` (an older page) is as before."""
    db, paths = shots
    ident = _ident(paths["c"])
    shown = next(i for i in client.get("/api/items", base_url=BASE).get_json()["items"] if i["id"] == ident)
    Image.open(paths["c"]).save(paths["c"], quality=50)  # edited ...
    st = os.stat(paths["c"])
    with Store(db) as store:  # ... and scanned again
        store.put([ScanRecord(path=paths["c"], verdict="blurry", p_blurry=0.9, size=st.st_size,
                              mtime_ns=st.st_mtime_ns, width=160, height=120, format="JPEG")], "test")
    for url, body, refused in (("/api/decision", {"decision": "discard"}, "discard not recorded"),
                               ("/api/bursts/1/keeper", {}, "keeper not changed")):
        r = client.post(url, json={"id": ident, "v": shown["v"], **body}, base_url=BASE, headers=CSRF)
        assert r.status_code == 409, url
        assert error_of(r) == f"c.jpg: scanned again since this page showed it (the file changed): reload the page; {refused}"
    with Store(db) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
    now = next(i for i in client.get("/api/items", base_url=BASE).get_json()["items"] if i["id"] == ident)
    r = client.post("/api/decision", json={"id": ident, "v": now["v"], "decision": "discard"}, base_url=BASE,
                    headers=CSRF)
    assert r.status_code == 200
    r = client.post("/api/decision", json={"id": ident, "decision": "keep"}, base_url=BASE, headers=CSRF)
    assert r.status_code == 200


def test_the_grid_marks_a_photo_whose_file_is_gone_with_the_reason(client, shots):
    """Each item of the grid whose file is gone carries the line its card shows in place of the picture: the
    card learnt it only from a failed thumbnail request, and after a reload the browser showed the thumbnail it
    had cached (a day), the deleted photo as if it were there (found driving the page in Chromium)."""
    _db, paths = shots
    os.remove(paths["b"])
    items = {i["name"]: i for i in client.get("/api/items", base_url=BASE).get_json()["items"]}
    assert items["b.jpg"]["gone"] == f"b.jpg: no longer at {paths['b']} (moved or deleted since the scan)"
    assert [n for n, i in items.items() if i.get("gone")] == ["b.jpg"]


def test_undo_of_a_decision_on_a_photo_renamed_and_scanned_since_says_so(client, shots):
    """A k, then the photo's folder renamed by hand and scanned while the page was open: the scan took the keep
    to the new path (blurscan.renamed), and the page's u was refused as 'changed since this keep, to undecided
    (in another tab?)' and marked the card undecided, though the photo is still kept (a re-check walkthrough)."""
    from blurscan.renamed import carry_decisions

    db, paths = shots
    ident = _ident(paths["a"])
    r = client.post("/api/decision", json={"id": ident, "decision": "keep"}, base_url=BASE, headers=CSRF)
    change = r.get_json()["change"]
    new = os.path.join(os.path.dirname(paths["a"]), "sorted", "a.jpg")
    os.makedirs(os.path.dirname(new))
    os.rename(paths["a"], new)
    with Store(db) as store:  # what the scan does with a photo moved by hand
        old = store.record(paths["a"])
        carry_decisions(store, {new: paths["a"]})
        old.path = new
        store.put([old], "test")
        store.forget([paths["a"]])
    r = client.post("/api/undo", json={"change": change}, base_url=BASE, headers=CSRF)
    assert r.status_code == 409
    assert r.get_json()["error"] == ("a.jpg: moved or renamed since this page was loaded (a scan found it under "
                                     "another path, its decision with it): reload the page; not undone")
    assert "id" not in r.get_json()  # the card is not marked undecided
    with Store(db) as store:
        assert [tuple(r) for r in store.conn.execute("SELECT path, decision FROM decisions")] == [(new, "keep")]


def test_a_folder_that_took_a_photos_name_is_no_photo(client, shots):
    """``b.jpg`` deleted and a folder ``b.jpg`` made in its place: the photo is gone, as ``report`` says. Until
    2026-12-05 the page counted the folder as the photo: its card showed no 'gone' line, the bursts view kept the
    shot, and a decision on it was refused as 'changed since the scan (run blurscan scan again)'."""
    _db, paths = shots
    os.remove(paths["b"])
    os.mkdir(paths["b"])
    reason = f"b.jpg: no longer at {paths['b']} (moved or deleted since the scan)"
    items = {i["name"]: i for i in client.get("/api/items", base_url=BASE).get_json()["items"]}
    assert items["b.jpg"].get("gone") == reason
    assert [n for n, i in items.items() if i.get("gone")] == ["b.jpg"]
    r = client.post("/api/decision", json={"id": _ident(paths["b"]), "decision": "discard"}, base_url=BASE,
                    headers=CSRF)
    assert r.status_code == 409 and error_of(r) == f"{reason}; discard not recorded"
    view = client.get("/api/bursts", base_url=BASE).get_json()
    assert [[p["name"] for p in g["photos"]] for g in view["groups"]] == [["a.jpg", "c.jpg"], ["d.jpg", "e.jpg"]]
    assert view["gone_shots"] == 1


def shots_on_a_drive(tmp_path):
    """The :func:`shots` photos and groups, ``b.jpg`` and ``c.jpg`` under ``lib/trip``, a symbolic link to a
    drive's folder (``media/usb``), and that drive then unmounted: its mount point left, empty, as old as it was.
    Returns (db, path by name, the link, its target)."""
    base = tmp_path.resolve()
    lib, usb = base / "lib", base / "media" / "usb"
    usb.mkdir(parents=True)
    lib.mkdir()
    os.symlink(usb, lib / "trip")
    db, paths = _stored_shots(lib, lambda name: lib / "trip" if name in "bc" else lib)
    os.rename(usb, base / "away")  # (unmounted)
    usb.mkdir()
    an_hour_ago = time.time() - 3600
    os.utime(usb, (an_hour_ago, an_hour_ago))
    return db, paths, lib / "trip", usb


def test_photos_on_a_drive_not_mounted_are_said_so_not_gone(tmp_path):
    """Photos under a link to a drive not mounted (whose records a scan keeps): their cards, pictures, refused
    decisions and the bursts view say that, as ``report`` does, apart from a photo deleted by hand (``e.jpg``).
    Until 2026-12-07 each said "no longer at PATH (moved or deleted since the scan)", counted "no longer on disk"."""
    db, paths, link, usb = shots_on_a_drive(tmp_path)
    os.remove(paths["e"])
    client = create_app(db, TOKEN, port=PORT).test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    why = f"empty and not modified since the scan, a symbolic link to {usb}"
    reason = f"b.jpg: not at {paths['b']}: {link} is {why} (a share or drive not mounted?)"
    items = {i["name"]: i for i in client.get("/api/items", base_url=BASE).get_json()["items"]}
    assert {n: i.get("gone") for n, i in items.items() if i.get("gone")} == {
        "b.jpg": reason, "c.jpg": reason.replace("b.jpg", "c.jpg"),
        "e.jpg": f"e.jpg: no longer at {paths['e']} (moved or deleted since the scan)"}
    for url in (f"/thumb/{_ident(paths['b'])}", f"/full/{_ident(paths['b'])}"):
        r = client.get(url, base_url=BASE)
        assert r.status_code == 404 and error_of(r) == reason, url
    r = client.post("/api/decision", json={"id": _ident(paths["b"]), "decision": "discard"}, base_url=BASE,
                    headers=CSRF)
    assert r.status_code == 409 and error_of(r) == f"{reason}; discard not recorded"
    view = client.get("/api/bursts", base_url=BASE).get_json()
    assert [[p["name"] for p in g["photos"]] for g in view["groups"]] == []
    assert (view["hidden_groups"], view["gone_shots"]) == (2, 1)
    assert view["unmounted_shots"] == [{"folder": str(link), "why": why, "shots": 2}]
    from blurscan.review.library import bursts, bursts_left_out

    with Store(db) as store:  # (what the bursts view leaves out, said alike)
        left_out = bursts_left_out(store, bursts(store))
    assert (left_out["gone_shots"], left_out["unmounted_shots"]) == (1, view["unmounted_shots"])
