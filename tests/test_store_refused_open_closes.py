"""A read-only open the store refuses after connecting (a database with no tables yet, one written by a newer or
an older blurscan) closes its SQLite connection before it raises: left open until the garbage collector came,
it held SQLite's locks and files while the refusal's clean-up (``dbleftovers.remove_side_files``) took SQLite's own
lock, which the same process's connection does not keep it from (POSIX record locks never conflict within one
process)."""
from __future__ import annotations

import sqlite3

import pytest

from blurscan.errors import StoreError
from blurscan.store import Store


def _stores_in(tb) -> list[Store]:
    """The Store objects whose methods the refusal went through (their frames' ``self``)."""
    found = []
    while tb is not None:
        candidate = tb.tb_frame.f_locals.get("self")
        if isinstance(candidate, Store) and all(candidate is not s for s in found):
            found.append(candidate)
        tb = tb.tb_next
    return found


@pytest.mark.parametrize("kind", ["no tables", "newer"])
def test_a_refused_read_only_open_leaves_no_connection_open(tmp_path, kind):
    db = tmp_path / "lib.db"
    if kind == "no tables":
        sqlite3.connect(db).close()  # (an empty file: "not scanned yet")
    else:
        with Store(db):
            pass
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA user_version = 999")  # (written by a newer blurscan)
        conn.close()
    with pytest.raises(StoreError) as refused:
        Store(db, readonly=True)
    stores = _stores_in(refused.tb)
    assert stores, "the refusal came from the store's own open"
    assert all(store.conn is None for store in stores)
