"""A library's database holding a trigger or a view, which blurscan never makes (added to a shared library's
``.blurscan.db`` by another user who may write it), is refused by every command in one ``Error:`` line naming the
database and what it holds, before anything is written: SQLite runs a trigger with the writes of whoever uses the
database next. Until 2026-12-06 a trigger rewrote what the person's commands wrote, or failed their writes with a
message of terminal escape sequences (a clipboard write, a screen clear) that the ``Error:`` line printed raw."""
from __future__ import annotations

import sqlite3

import pytest

from helpers_cli import run
from helpers_images import make_library, save_jpeg, textured
from helpers_library import snapshot

ESCAPES = "\x1b]52;c;cm0gLXJmIH4K\x07\x1b[2J"


@pytest.fixture
def library(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=2, n_blurry=1)
    result = run("scan", lib, "--model", "none", "--workers", "1")
    assert result.exit_code == 0, result.output
    save_jpeg(lib / "new.jpg", textured(7))  # (a photo the next scan stores: a write a trigger meets)
    return lib, lib / ".blurscan.db"


def _plant(db, sql):
    conn = sqlite3.connect(db)
    conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("sql, said", [
    (f"CREATE TRIGGER spy BEFORE INSERT ON images BEGIN SELECT RAISE(ABORT, '{ESCAPES}'); END",
     "holds a trigger blurscan never makes (spy: added by another user or program?)"),
    ("CREATE TRIGGER every_photo_discarded AFTER INSERT ON images BEGIN INSERT OR REPLACE INTO decisions "
     "(path, decision, decided_at) VALUES (NEW.path, 'discard', 0); END",
     "holds a trigger blurscan never makes (every_photo_discarded: added by another user or program?)"),
    ("CREATE VIEW blurry AS SELECT path FROM images",
     "holds a view blurscan never makes (blurry: added by another user or program?)"),
])
@pytest.mark.parametrize("command", [["scan", "--model", "none", "--workers", "1"], ["report"], ["undo", "--list"]])
def test_a_database_holding_sql_blurscan_never_makes_is_refused(library, tmp_path, sql, said, command):
    lib, db = library
    _plant(db, sql)
    before = snapshot(tmp_path)
    result = run(*command, lib)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"Error: {db}: {said}" in result.output and "\x1b" not in result.output
    assert "remove it with sqlite3 " in result.output
    assert snapshot(tmp_path) == before
    conn = sqlite3.connect(db)
    assert not conn.execute("SELECT count(*) FROM decisions").fetchone()[0]
    assert not conn.execute("SELECT count(*) FROM images WHERE path LIKE '%new.jpg'").fetchone()[0]
    conn.close()


def test_the_advice_removes_it(library):
    lib, db = library
    _plant(db, 'CREATE TRIGGER "a ""quoted"" one" AFTER DELETE ON images BEGIN SELECT 1; END')
    result = run("report", lib)
    assert "'DROP TRIGGER \"a \"\"quoted\"\" one\"'" in result.output, result.output
    conn = sqlite3.connect(db)
    conn.execute('DROP TRIGGER "a ""quoted"" one"')
    conn.close()
    result = run("scan", lib, "--model", "none", "--workers", "1")
    assert result.exit_code == 0, result.output


def test_sqlite_words_from_the_database_are_printed_escaped(library):
    """A table rebuilt with a constraint named in escape sequences (no trigger: nothing refused at the open): the
    write it fails is said with the name's control characters as \\xNN (until 2026-12-06 printed raw)."""
    lib, db = library
    conn = sqlite3.connect(db, isolation_level=None)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'images'").fetchone()[0].rstrip().rstrip(")")
    conn.execute("BEGIN")
    conn.execute("ALTER TABLE images RENAME TO old_images")
    conn.execute(sql + f", CONSTRAINT \"{ESCAPES}\" CHECK (path NOT LIKE '%new.jpg'))")
    conn.execute("INSERT INTO images SELECT * FROM old_images")
    conn.execute("DROP TABLE old_images")
    conn.execute("COMMIT")
    conn.close()
    result = run("scan", lib, "--model", "none", "--workers", "1")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"Error: {db}: cannot use database: CHECK constraint failed: \\x1b]52;c;cm0gLXJmIH4K\\x07\\x1b[2J" \
        in result.output, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
