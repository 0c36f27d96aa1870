"""A ``--db`` link beside the database it names, given through a linked folder (``review --db L/alias.db``, ``L``
a link to the library's folder): the page's cache is the library's ``.blurscan-thumbs`` whatever folder name it
is reached by, and the cleanup of where such a link's thumbnails were kept until 2026-12-07 (``prune.left_by_link``)
must not take it for another folder. Real scans of generated photos."""
from __future__ import annotations

import os

from blurscan.review import prune
from blurscan.review.app import create_app
from blurscan.review.thumbs import CACHE_DIR_NAME, cache_dir_for, link_cache_dir
from blurscan.store import Store

from helpers_review import PORT, TOKEN
from test_review_thumbs_prune import _cached, _library


def test_a_link_beside_its_database_reached_through_a_linked_folder_keeps_the_thumbnails(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    db, photos = _library(tmp_path, "card")
    os.symlink(".blurscan.db", db.parent / "alias.db")
    os.symlink(db.parent, tmp_path / "L")
    link = tmp_path / "L" / "alias.db"
    cache = db.parent / CACHE_DIR_NAME
    before = _cached(cache)
    assert len(before) == 3
    create_app(link, TOKEN, port=PORT)
    with Store(link, readonly=True):  # (a request of the page in flight as the cleanup runs: the browser opening)
        prune.start(link, cache_dir_for(link)).join()
    assert _cached(cache) == before  # (until this fix: every thumbnail of the library removed at each start)
    assert link_cache_dir(link) is None  # (the folder it names is the one the page uses: nothing kept elsewhere)
