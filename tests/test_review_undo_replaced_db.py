"""The review page's u after the database was replaced while the page was open (``rm .blurscan.db``, a scan
again): the new database numbers its decisions from 1 again, so a tab's change N named another photo's decision
there, made in another tab, and u undid that one (until 2026-12-05)."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.store import Store

from helpers_images import blurred, save_jpeg, textured
from helpers_review import _get, _post, review_client


def _scan(lib):
    r = CliRunner().invoke(main, ["scan", str(lib)])
    assert r.exit_code == 0, r.output


def test_undo_of_a_change_numbered_again_in_a_replaced_database_is_refused(tmp_path):
    lib = tmp_path / "lib"
    for i, name in enumerate(("a.jpg", "b.jpg")):
        save_jpeg(lib / name, blurred(textured(seed=i + 1), 4.0))
    _scan(lib)
    db = lib / ".blurscan.db"
    client = review_client((db, None))
    items = {it["name"]: it for it in _get(client, "/api/items?filter=all").get_json()["items"]}
    a, b = items["a.jpg"], items["b.jpg"]
    first = _post(client, "/api/decision", {"id": a["id"], "v": a["v"], "decision": "discard"}).get_json()
    os.remove(db)
    _scan(lib)  # a new database: its first decision is change 1 again
    other = _post(client, "/api/decision", {"id": b["id"], "v": b["v"], "decision": "keep"}).get_json()
    assert other["change"] == first["change"]
    r = _post(client, "/api/undo", {"change": first["change"], "id": a["id"]})
    assert r.status_code == 404, r.get_json()
    assert "was the database replaced" in r.get_json()["error"]
    with Store(db) as store:
        assert [tuple(row) for row in store.conn.execute("SELECT decision FROM decisions")] == [("keep",)]
    # the other tab's own u (naming its photo) still undoes its keep
    r = _post(client, "/api/undo", {"change": other["change"], "id": b["id"]})
    assert r.status_code == 200 and r.get_json()["reverted"] == "keep"
