"""An id the review page asks for that names no photo (one a scan has forgotten since the page loaded its list)
costs the server one pass over the ``images`` table, not one per request (review/ids.py): until 2026-12-06 each
such request read and hashed every stored path again (0.11 s with 100,000 photos) with the ids' lock held. A photo
stored since, or the page loaded again, is still found. The passes are counted, on real databases and requests."""
from __future__ import annotations

import sqlite3

import pytest

from blurscan.records import ScanRecord
from blurscan.review import security
from blurscan.store import Store
from helpers_review import _get, build_review_library, review_client, BASE


@pytest.fixture
def passes(monkeypatch):
    """The number of ``SELECT path FROM images`` (a pass over every stored path) run by any connection opened."""
    statements = []
    real = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return lambda: sum(sql.strip() == "SELECT path FROM images" for sql in statements)


def test_an_id_of_no_photo_asked_again_and_again_reads_the_table_once(tmp_path, passes):
    db, recs = build_review_library(tmp_path)
    c = review_client((db, recs))
    forgotten = security.path_id(str(tmp_path / "lib" / "a" / "renamed-away.jpg"))
    before = passes()
    for _ in range(10):  # the page's thumbnails and checks of a photo a scan forgot
        r = c.get(f"/thumb/{forgotten}", base_url=BASE)
        assert r.status_code == 404 and "reload the page" in r.get_json()["error"]
    assert passes() - before == 1  # (10 until 2026-12-06)

    # a photo stored since (a scan of a new file): found without the page being loaded again
    new = tmp_path / "lib" / "a" / "new.jpg"
    new.write_bytes((tmp_path / "lib" / "a" / "partial.jpg").read_bytes())
    st = new.stat()
    with Store(db) as store:
        store.put([ScanRecord(path=str(new), verdict="blurry", p_blurry=0.9, size=st.st_size,
                              mtime_ns=st.st_mtime_ns, width=160, height=120, format="JPEG")], "test")
    assert _get(c, f"/api/item/{security.path_id(str(new))}").get_json()["name"] == "new.jpg"
    # an id missing is looked for again once the page is loaded again
    before = passes()
    _get(c, "/")
    assert c.get(f"/api/item/{forgotten}", base_url=BASE).status_code == 404
    assert passes() - before == 1


def test_an_id_missing_from_a_database_replaced_since_by_one_that_holds_it_is_found(tmp_path):
    """The database replaced while the page is open (moved away, the library scanned again after a photo was
    renamed): the new one has as many rows (the same highest ``rowid``) and holds the photo the page asked for
    before it existed. Until 2026-12-06 the id stayed remembered as missing (the mark was that ``rowid`` alone):
    its card and thumbnail 404 "reload the page" until the page was reloaded."""
    from click.testing import CliRunner

    from blurscan.cli import main
    from blurscan.review.app import create_app
    from helpers_images import save_jpeg, scene
    from helpers_review import PORT, TOKEN

    lib = tmp_path / "lib"
    lib.mkdir()
    save_jpeg(lib / "a.jpg", scene(1))
    save_jpeg(lib / "b.jpg", scene(2))
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    c = create_app(str(lib / ".blurscan.db"), TOKEN, port=PORT).test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    renamed = security.path_id(str(lib / "c.jpg"))
    assert c.get(f"/api/item/{renamed}", base_url=BASE).status_code == 404  # not scanned yet: remembered missing
    for name in [n for n in lib.iterdir() if n.name.startswith(".blurscan.db")]:
        name.rename(tmp_path / name.name.replace(".blurscan.db", "old.db"))
    (lib / "b.jpg").rename(lib / "c.jpg")
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    r = c.get(f"/api/item/{renamed}", base_url=BASE)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["name"] == "c.jpg"
    assert c.get(f"/thumb/{renamed}", base_url=BASE).status_code == 200
