"""A library reached through a link (``home -> data/home``), scanned with ``--follow-symlinks`` by a blurscan
older than 2026-12-03 (every row under ``home/lib/...``), holding a link to a folder outside it
(``lib/trip -> ../../trips/trip``), then scanned by the blurscan of 2026-12-05's morning (242e6b7): that scan
converted ``home/lib/x`` but left the rows of ``home/lib/trip``, the person's decisions among them, and scored
those photos again under the walk's name ``data/home/lib/trip`` (fixed since in the scan, 3be2526). Upgraded from
that state, ``report`` said nothing given the library, and given nothing named ``home/lib/trip`` and advised a
scan of that linked folder alone, which stored them under the folder outside the library: the keep and the
discard stranded there for good, the library taken to be ``data``, and the discard never moved (until
2026-12-05). The note names the scan that converts them: the library's, with ``--follow-symlinks``."""
from __future__ import annotations

import os

from blurscan.errors import shell_path
from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured
from helpers_sqlite import connected
from test_upgrade_linked_names import SCAN


def _state_242e6b7_left(tmp_path):
    """``(base, db)``: the library ``base/home/lib`` (``home`` a link to ``data/home``) with ``x/a.jpg`` and the
    linked ``trip`` (``b.jpg``, ``c.jpg``), and the database as 242e6b7's scan left it: ``x`` and ``trip`` under
    the walk's names, and the older blurscan's rows of ``trip`` still under ``home/lib/trip``, with a discard of
    ``b.jpg`` and a keep of ``c.jpg``."""
    base = tmp_path
    lib = base / "data" / "home" / "lib"
    save_jpeg(lib / "x" / "a.jpg", textured(1, (120, 160)))
    trip = base / "data" / "trips" / "trip"
    save_jpeg(trip / "b.jpg", blurred(textured(2, (120, 160)), 3.0))
    save_jpeg(trip / "c.jpg", textured(3, (120, 160)))
    os.symlink("../../trips/trip", lib / "trip")
    os.symlink("data/home", base / "home")
    db = lib / ".blurscan.db"
    assert run("scan", base / "home" / "lib", "--follow-symlinks", *SCAN).exit_code == 0
    walked, old = str(lib / "trip"), str(base / "home" / "lib" / "trip")
    with connected(db) as conn:  # the older blurscan's rows of trip, with the person's decisions
        conn.execute("INSERT INTO images SELECT replace(path, ?, ?), size, mtime_ns, cache_key, status, error, "
                     "verdict, p_blurry, blur_type, laplacian_var, width, height, captured_at, phash, "
                     "replace(record, ?, ?), scanned_at FROM images WHERE path LIKE ?",
                     (walked, old, walked, old, walked + "/%"))
        for name, decision in (("b.jpg", "discard"), ("c.jpg", "keep")):
            conn.execute("INSERT INTO decisions SELECT ?, ?, size, mtime_ns, 2.0 FROM images WHERE path = ?",
                         (os.path.join(old, name), decision, os.path.join(old, name)))
    return base, db


def test_the_note_advises_the_librarys_scan_with_follow_symlinks_which_converts_them(tmp_path):
    base, db = _state_242e6b7_left(tmp_path)
    old, walked = base / "home" / "lib" / "trip", base / "data" / "home" / "lib" / "trip"
    note = (f"note: 2 photos are stored under a linked folder's name, {old} (-> {walked}), as a blurscan older "
            f"than 2026-12-03 stored them; `blurscan scan {shell_path(base / 'home' / 'lib')} --follow-symlinks` converts them "
            "to the real name\n")
    for where in (base / "home" / "lib", base / "data" / "home" / "lib", old):
        said = run("report", where)
        assert said.exit_code == 0, said.output
        assert said.stderr.count(note) == 1, (where, said.stderr)
    scan = run("scan", base / "home" / "lib", "--follow-symlinks", *SCAN)  # the scan the note names
    assert scan.exit_code == 0 and "(3 unchanged, reused)" in scan.output, scan.output
    with connected(db) as conn:
        decided = dict(conn.execute("SELECT path, decision FROM decisions").fetchall())
        stored = {p for (p,) in conn.execute("SELECT path FROM images")}
    assert decided == {str(walked / "b.jpg"): "discard", str(walked / "c.jpg"): "keep"}
    assert stored == {str(base / "data" / "home" / "lib" / "x" / "a.jpg"), str(walked / "b.jpg"),
                      str(walked / "c.jpg")}
    after = run("report", base / "home" / "lib")
    assert "note:" not in after.stderr, after.stderr
    moved = run("move", base / "home" / "lib", "--to", base / "out")
    assert "trip/b.jpg [discard]" in moved.output, moved.output
