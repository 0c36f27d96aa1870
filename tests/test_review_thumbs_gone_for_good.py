"""The thumbnails of photos `blurscan move` or `trash` took away are kept for `blurscan undo` while undo can
bring the photo back, and removed by ``blurscan review``'s cleanup once it cannot: the rejects folder or the trash
emptied. Until 2026-12-06 every photo ever moved or trashed kept its thumbnail for good (the database keeps its
record for the journal), so the cache grew with every discard of a library's history, 20-80 kB each, never with
the photos there. Real scans of generated JPEGs, thumbnails made by the page, the real command line."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

import blurscan
from blurscan.cli import main
from blurscan.config import ScanSettings
from blurscan.review import prune, security
from blurscan.review.app import create_app
from blurscan.review.thumbs import cache_dir_for

from helpers_images import save_jpeg, textured
from helpers_library import decide_in
from helpers_review import BASE, PORT, TOKEN

HOUR_AGO = time.time() - 3600


def _photos(root: Path, first: int, n: int) -> list[Path]:
    return [save_jpeg(root / f"r{first}" / f"IMG_{i}.jpg", textured(i, (60, 80))) for i in range(first, first + n)]


def _scan_and_show(db: Path, photos: list[Path]) -> None:
    """A scan, then the page's thumbnail of each of ``photos`` (dated an hour ago: made at an earlier session)."""
    list(blurscan.scan([db.parent], ScanSettings(workers=1, model="none"), db=db))
    client = create_app(db, TOKEN, port=PORT).test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    for photo in photos:
        assert client.get(f"/thumb/{security.path_id(str(photo))}", base_url=BASE).status_code == 200, photo
    for file in cache_dir_for(db).glob("??/*.jpg"):
        os.utime(file, (HOUR_AGO, HOUR_AGO))


def _cli(*args) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output


def _thumbs(db: Path) -> int:
    return len(list(cache_dir_for(db).glob("??/*.jpg")))


def _prune(db: Path) -> prune.Pruned:
    done = prune.prune(db, cache_dir_for(db))
    assert done.skipped is None, done.skipped
    return done


def test_thumbnails_of_photos_undo_can_no_longer_bring_back_are_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    lib, rej, trash = tmp_path / "lib", tmp_path / "rejects", tmp_path / "home" / "data" / "Trash"
    db = lib / ".blurscan.db"
    photos = _photos(lib, 0, 5)
    _scan_and_show(db, photos)
    assert _thumbs(db) == 5
    for photo in photos[:2]:
        decide_in(db, photo, "discard")
    _cli("move", "--to", rej, lib, "--yes")
    decide_in(db, photos[2], "discard")
    _cli("trash", lib, "--yes")
    assert [p.exists() for p in photos] == [False, False, False, True, True]
    assert _prune(db).removed == 0 and _thumbs(db) == 5  # undo can bring all three back: their thumbnails stay

    shutil.rmtree(trash)  # the trash emptied: the trashed photo is gone for good, the moved ones are not
    assert _prune(db).removed == 1 and _thumbs(db) == 4
    shutil.rmtree(rej)  # and the rejects folder deleted
    assert _prune(db).removed == 2 and _thumbs(db) == 2
    assert _prune(db).kept == 2  # the photos there keep theirs

    # a round more of the same: the cache holds the thumbnails of the photos there, not of the history
    more = _photos(lib, 5, 3)
    _scan_and_show(db, more)
    decide_in(db, more[0], "discard")
    _cli("move", "--to", rej, lib, "--yes")
    _cli("undo", lib)  # put back: its thumbnail is still there, and used again
    assert more[0].exists() and _prune(db).removed == 0 and _thumbs(db) == 5
    _cli("move", "--to", rej, lib, "--yes")
    shutil.rmtree(rej)
    assert _prune(db).removed == 1 and _thumbs(db) == 4 == len(list(lib.rglob("IMG_*.jpg")))


def test_a_move_killed_before_its_journal_said_done_keeps_the_thumbnail_while_the_photo_is_there(tmp_path):
    """A move killed after the photo went, before its row said 'done' (made so here by setting the state, as
    test_review_undo_moved_more does): `blurscan undo` brings the photo back from the rejects folder, so its
    thumbnail stays until that folder is emptied (2026-12-06)."""
    lib, rej = tmp_path / "lib", tmp_path / "rejects"
    db = lib / ".blurscan.db"
    photos = _photos(lib, 0, 2)
    _scan_and_show(db, photos)
    decide_in(db, photos[0], "discard")
    _cli("move", "--to", rej, lib, "--yes")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE journal SET state = 'moving' WHERE src = ?", (str(photos[0]),))
        conn.execute("UPDATE batches SET state = 'running'")
    conn.close()
    assert not photos[0].exists() and len(list(rej.rglob("IMG_0.jpg"))) == 1
    assert _prune(db).removed == 0 and _thumbs(db) == 2  # undo can bring it back: its thumbnail stays
    shutil.rmtree(rej)
    assert _prune(db).removed == 1 and _thumbs(db) == 1


def test_an_undo_killed_before_it_moved_the_photo_back_keeps_the_thumbnail(tmp_path):
    """`blurscan undo` killed (SIGKILL) after journaling the photo's row `undoing`, before the file moved back: the
    photo is still in the rejects folder, the next undo brings it back, so its thumbnail stays until that folder is
    emptied."""
    lib, rej = tmp_path / "lib", tmp_path / "rejects"
    db = lib / ".blurscan.db"
    photos = _photos(lib, 0, 2)
    _scan_and_show(db, photos)
    decide_in(db, photos[0], "discard")
    _cli("move", "--to", rej, lib, "--yes")
    killed = subprocess.run([sys.executable, "-c", _KILLED_AS_IT_MOVES_BACK, "undo", str(lib)], capture_output=True,
                            text=True, cwd=tmp_path)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT state FROM journal").fetchall() == [("undoing",)]
    conn.close()
    assert not photos[0].exists() and len(list(rej.rglob("IMG_0.jpg"))) == 1
    assert _prune(db).removed == 0 and _thumbs(db) == 2  # undo can bring it back: its thumbnail stays
    shutil.rmtree(rej)
    assert _prune(db).removed == 1 and _thumbs(db) == 1


#: `blurscan undo`, killed (SIGKILL) as it is to move its first file back: the row journaled `undoing`, no more.
_KILLED_AS_IT_MOVES_BACK = """
import os, signal, sys
from blurscan.actions import restore
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
restore.move_file = killed
from blurscan.cli import main
main(sys.argv[1:])
"""
