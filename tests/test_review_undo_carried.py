"""The review page's u after a scan carried a decision to a photo's new path (blurscan.renamed): a photo deleted
by hand and another, decided before, renamed by hand onto its name. The scan replaced the deleted photo's
decision (made in this tab) with the renamed photo's own; u reverted it all the same, which removed the renamed
photo's keep, one the person never undid (then ``move --all-blurry`` took the photo)."""
from __future__ import annotations

import os

import pytest

import blurscan
from blurscan.config import ScanSettings
from blurscan.review import decisions, security
from blurscan.store import Store

from helpers_images import blurred, save_jpeg, textured
from helpers_review import _post, review_client

S1 = ScanSettings(workers=1, model="none")


@pytest.fixture()
def scanned(tmp_path):
    """Two blurry photos, ``x.jpg`` and ``a.jpg``, scanned into the library's database; (db, folder)."""
    lib = tmp_path / "lib"
    for i, name in enumerate(("x.jpg", "a.jpg")):
        save_jpeg(lib / name, blurred(textured(seed=i + 1), 3.0))
        t = 1_700_000_000_123_456_789 + i * 1_000_000_000  # sub-second digits: a rename is recognised
        os.utime(lib / name, ns=(t, t))
    db = lib / ".blurscan.db"
    list(blurscan.scan([lib], S1, db=db))
    return db, lib


def _decided(db):
    with Store(db) as store:
        return {os.path.basename(p): d.decision for p, d in decisions.all_decisions(store).items()}


def _a_renamed_onto_x(db, lib):
    """x.jpg deleted by hand, a.jpg renamed x.jpg by hand, and the library scanned again."""
    size = (lib / "a.jpg").stat().st_size
    os.remove(lib / "x.jpg")
    os.rename(lib / "a.jpg", lib / "x.jpg")
    list(blurscan.scan([lib], S1, db=db))
    with Store(db) as store:  # the scan recognised the rename: a's decision is x.jpg's now
        assert [tuple(r) for r in store.conn.execute("SELECT size FROM decisions")] == [(size,)]


@pytest.mark.parametrize("decision", ["keep", "discard"])
def test_u_leaves_the_decision_a_scan_carried_onto_the_name_alone(scanned, decision):
    db, lib = scanned
    tab = review_client((db, None))
    a = _post(tab, "/api/decision", {"id": security.path_id(str(lib / "a.jpg")), "decision": decision})
    x = _post(tab, "/api/decision", {"id": security.path_id(str(lib / "x.jpg")), "decision": decision})
    _a_renamed_onto_x(db, lib)
    r = _post(tab, "/api/undo", {"change": x.get_json()["change"]})
    assert r.status_code == 409
    assert r.get_json()["error"] == (f"x.jpg: another photo was moved or renamed by hand to this name since this "
                                     f"{decision} (a scan found it, with its own decision): reload the page; "
                                     "not undone")
    assert "id" not in r.get_json()  # the card (the deleted photo) is not marked with the renamed one's decision
    assert _decided(db) == {"x.jpg": decision}  # the renamed photo's decision, made before, stands
    with Store(db) as store:
        assert (decisions.kept(store) if decision == "keep" else decisions.discarded(store)) == {str(lib / "x.jpg")}
    # the next u (a's own change) is refused too: a was renamed since, its decision went with it
    r = _post(tab, "/api/undo", {"change": a.get_json()["change"]})
    assert r.status_code == 409 and "a.jpg: moved or renamed since this page was loaded" in r.get_json()["error"]
    assert _decided(db) == {"x.jpg": decision}


def test_an_undo_naming_no_change_leaves_a_carried_keep_alone(scanned):
    """A page that names no change (older than the server) undoes the database's last change: a discard of the
    deleted x.jpg, whose place the renamed a.jpg's keep took. It removed that keep."""
    db, lib = scanned
    tab = review_client((db, None))
    _post(tab, "/api/decision", {"id": security.path_id(str(lib / "a.jpg")), "decision": "keep"})
    _post(tab, "/api/decision", {"id": security.path_id(str(lib / "x.jpg")), "decision": "discard"})
    _a_renamed_onto_x(db, lib)
    r = _post(tab, "/api/undo", {})
    assert r.status_code == 409
    assert r.get_json()["error"].startswith("x.jpg: another photo was moved or renamed by hand to this name since "
                                            "this discard")
    assert _decided(db) == {"x.jpg": "keep"}
    with Store(db) as store:
        assert decisions.kept(store) == {str(lib / "x.jpg")}


def test_an_undo_naming_no_change_says_the_photo_moved_rather_than_undone(scanned):
    """The last change's photo renamed by hand and scanned: the page said 'undone: keep of a.jpg' and changed
    nothing (the keep went with the photo, where it stays)."""
    db, lib = scanned
    tab = review_client((db, None))
    _post(tab, "/api/decision", {"id": security.path_id(str(lib / "a.jpg")), "decision": "keep"})
    os.rename(lib / "a.jpg", lib / "b.jpg")
    list(blurscan.scan([lib], S1, db=db))
    r = _post(tab, "/api/undo", {})
    assert r.status_code == 409
    assert r.get_json()["error"] == ("a.jpg: moved or renamed since this page was loaded (a scan found it under "
                                     "another path, its decision with it): reload the page; not undone")
    assert _decided(db) == {"b.jpg": "keep"}


def test_u_of_a_cleared_decision_leaves_the_decision_a_scan_carried_onto_the_name_alone(scanned):
    """x.jpg kept, then its keep cleared in this tab; a.jpg (kept) renamed by hand onto x.jpg and scanned. The u of
    the clearing must not put x.jpg's old keep (of the deleted photo's size and time) over the renamed photo's."""
    db, lib = scanned
    tab = review_client((db, None))
    _post(tab, "/api/decision", {"id": security.path_id(str(lib / "a.jpg")), "decision": "keep"})
    _post(tab, "/api/decision", {"id": security.path_id(str(lib / "x.jpg")), "decision": "keep"})
    cleared = _post(tab, "/api/decision", {"id": security.path_id(str(lib / "x.jpg")), "decision": None})
    _a_renamed_onto_x(db, lib)
    r = _post(tab, "/api/undo", {"change": cleared.get_json()["change"]})
    assert r.status_code == 409, r.get_json()
    assert r.get_json()["error"].startswith("x.jpg: another photo was moved or renamed by hand to this name since "
                                            "this clearing of the decision")
    with Store(db) as store:
        assert decisions.kept(store) == {str(lib / "x.jpg")}  # the renamed photo's keep, of its own version
