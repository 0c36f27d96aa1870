"""A keeper choice in the review page's bursts view is stored whole or not at all (review/keeper_choice.py): the
group's new order, the keep mark on the shot chosen and the record of that keep are one transaction. Until
2026-12-06 they were separate ones, and a choice cut short after the group was stored (Ctrl-C as the server
answered, another program holding the write lock past the busy timeout) left the shot the group's keeper without
its keep mark. Here the keep mark's write fails (a trigger refuses it, as a full disk or a lock would), on a
library of real JPEGs scanned and grouped by the CLI."""
from __future__ import annotations

import sqlite3

from test_review_keeper_marks import _burst, _client, _shots

from helpers_review import BASE, CSRF
from helpers_sqlite import connected


def _groups(db) -> list[tuple]:
    with connected(db) as conn:
        return conn.execute("SELECT path, rank, is_keeper, chosen_by, reason FROM burst_groups ORDER BY path").fetchall()


def test_a_keeper_choice_whose_keep_cannot_be_stored_leaves_the_group_as_it_was(tmp_path):
    lib = _burst(tmp_path)
    db = lib / ".blurscan.db"
    c = _client(lib)
    shot = _shots(c)["soft.jpg"]
    before = _groups(db)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TRIGGER no_keep BEFORE INSERT ON decisions BEGIN SELECT RAISE(ABORT, 'refused'); END")
    conn.commit()
    r = c.post(f"/api/bursts/{shot['group_id']}/keeper", json={"id": shot["id"]}, base_url=BASE, headers=CSRF)
    assert r.status_code >= 400 and "error" in r.get_json()
    # the group as it was: sharp.jpg the keeper the scan's ranking chose (soft.jpg was left "chosen by a person",
    # without its keep mark, until 2026-12-06), and no decision nor keep record stored
    assert _groups(db) == before
    assert conn.execute("SELECT COUNT(*) FROM decision_log").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM meta WHERE key = 'review_keeper_keeps'").fetchone()[0] == 0
    conn.execute("DROP TRIGGER no_keep")
    conn.commit()
    conn.close()
    r = c.post(f"/api/bursts/{shot['group_id']}/keeper", json={"id": shot["id"]}, base_url=BASE, headers=CSRF)
    assert r.status_code == 200  # (the same choice, once it can be stored: all of it)
    shots = _shots(c)
    assert shots["soft.jpg"]["is_keeper"] and shots["soft.jpg"]["decision"] == "keep"
