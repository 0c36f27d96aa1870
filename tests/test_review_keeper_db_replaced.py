"""A burst keeper chosen in the review page, then the library's database replaced while the server runs (moved
away, the library scanned and grouped again): the new database numbers its decisions from 1 again, and the
server's memory of its keeper choices (by change number) must not take a decision of the new database for one
of them. Until 2026-12-06 the undo (u) of the new database's first decision, a plain discard, was refused as a
keeper choice whose group had changed since ("the keeper of group 1 was changed since ...; not undone"), and
the discard stayed. The library is made of real JPEGs, scanned and grouped by the CLI."""
from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from blurscan.cli import main
from helpers_review import BASE, CSRF
from test_review_keeper_marks import _burst, _client, _pick, _shots, _taken


def _replace_database(lib: Path) -> None:
    """The database moved away and made again: scanned and grouped afresh (no decision, group 1 as ranked)."""
    for name in os.listdir(lib):
        if name.startswith(".blurscan.db"):
            os.rename(lib / name, lib.parent / name.replace(".blurscan.db", "old.db"))
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    assert runner.invoke(main, ["bursts", str(lib)]).exit_code == 0


def test_undo_of_a_decision_in_a_database_replaced_since_a_keeper_choice_is_not_taken_for_that_choice(tmp_path):
    lib = _burst(tmp_path)
    c = _client(lib)
    shot = _shots(c)["soft.jpg"]
    r = c.post(f"/api/bursts/{shot['group_id']}/keeper", json={"id": shot["id"]}, base_url=BASE, headers=CSRF)
    assert r.status_code == 200 and r.get_json()["change"] == 1
    _replace_database(lib)
    assert c.get("/", base_url=BASE).status_code == 200  # the page reloaded
    before = _shots(c)
    blur = before["blur.jpg"]
    r = c.post("/api/decision", json={"id": blur["id"], "decision": "discard", "v": blur["v"]}, base_url=BASE,
               headers=CSRF)
    assert r.status_code == 200 and r.get_json()["change"] == 1  # the number of the keeper choice above
    r = c.post("/api/undo", json={"change": 1, "id": blur["id"]}, base_url=BASE, headers=CSRF)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["decision"] is None and r.get_json()["reverted"] == "discard"
    assert "keeper_undone" not in r.get_json()
    after = _shots(c)
    assert after["blur.jpg"]["decision"] is None
    assert {n: (s["rank"], s["is_keeper"]) for n, s in after.items()} == \
        {n: (s["rank"], s["is_keeper"]) for n, s in before.items()}  # the new database's group left as it was


def test_after_the_database_is_replaced_a_keeper_choice_takes_back_the_keep_of_the_new_databases_keeper(tmp_path):
    """The server's keeper choice in the database replaced since (change 1 there) is not taken for the keeper
    chosen before in the new one: the keeper another run of the server chose in the new database (its change 1
    too) loses its keep mark when this server chooses another, as in a database never replaced."""
    lib = _burst(tmp_path)
    c = _client(lib)
    assert _pick(c, "soft.jpg")["change"] == 1
    _replace_database(lib)
    other = _client(lib)  # another run of the server, on the new database: blur.jpg its keeper (change 1 there)
    assert _pick(other, "blur.jpg")["change"] == 1
    assert c.get("/", base_url=BASE).status_code == 200  # the first server's page reloaded
    answer = _pick(c, "sharp.jpg")
    assert answer["released"] == {"id": _shots(c)["blur.jpg"]["id"], "decision": None}
    shots = _shots(c)
    assert shots["blur.jpg"]["decision"] is None and shots["sharp.jpg"]["decision"] == "keep"
    assert _taken(lib) == ["blur.jpg", "soft.jpg"]  # (blur.jpg kept, move --from-bursts never took it)
