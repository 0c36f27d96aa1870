"""A ``--db`` link beside the database it names, given through a linked folder (``review --db L/alias.db``, ``L``
a link to the library's folder): the page's cache is the library's ``.blurscan-thumbs`` whatever folder name it
is reached by, and the cleanup of where such a link's thumbnails were kept until 2026-12-07 (``prune.left_by_link``)
must not take it for another folder. Real scans of generated photos."""
from __future__ import annotations

import os
import time

from blurscan.review import prune
from blurscan.review.app import create_app
from blurscan.review.thumbs import CACHE_DIR_NAME, cache_dir_for, link_cache_dir
from blurscan.store import Store

from helpers_review import PORT, TOKEN
from test_review_thumbs_db_link import card_beside_x, card_through_a_link, thumbnails_in
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


def test_thumbnails_kept_beside_links_reached_through_a_linked_folder_are_pruned_the_folders_own_kept(tmp_path,
                                                                                                       monkeypatch):
    """`review --db L/card.db`, L a link to x, card.db and trip.db links to other libraries' databases, each
    reviewed so until 2026-12-07: their thumbnails in x/.blurscan-thumbs are removed, x's own kept, whatever name
    x is reached by."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    own_db, _ = _library(tmp_path, "x")
    cache = own_db.parent / CACHE_DIR_NAME
    mine = _cached(cache)
    for name in ("card", "trip"):
        db, photos = _library(tmp_path, name)
        os.symlink(db, own_db.parent / f"{name}.db")
        thumbnails_in(own_db.parent / f"{name}.db", photos, cache)  # (as the page kept them until 2026-12-07)
    assert len(_cached(cache)) == 9 and len(mine) == 3
    fresh = cache / "ab" / ("ab" + "1" * 30 + ".jpg")  # (written just now, as the cleanup runs: kept)
    fresh.parent.mkdir(exist_ok=True)
    fresh.write_bytes(b"\xff\xd8\xff being written")
    _as_the_cleanup_runs(fresh)
    os.symlink(own_db.parent, tmp_path / "L")
    link = tmp_path / "L" / "card.db"
    prune.start(link, cache_dir_for(link)).join()
    assert _cached(cache) == {**mine, "ab/" + fresh.name: fresh.read_bytes()}  # (card's and trip's removed)


def test_review_through_a_link_keeps_the_thumbnails_of_the_other_databases_beside_the_file_it_names(tmp_path,
                                                                                                     monkeypatch):
    """`review --db links/card.db` (a link to card/.blurscan.db) prunes card/.blurscan-thumbs, the cache of every
    database in card/: those of card/trip.db (trip's scan, kept there) are its photos', kept; a thumbnail no
    database uses, written just now (as the cleanup runs), is kept too."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    db, _ = _library(tmp_path, "card")
    _library(tmp_path, "trip", db=db.parent / "trip.db")  # (another database in card/, its thumbnails beside)
    cache = db.parent / CACHE_DIR_NAME
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "card.db"
    os.symlink(db, link)
    kept = _cached(cache)
    assert len(kept) == 6
    fresh = cache / "ab" / ("ab" + "1" * 30 + ".jpg")
    fresh.parent.mkdir(exist_ok=True)
    fresh.write_bytes(b"\xff\xd8\xff being written")
    _as_the_cleanup_runs(fresh)
    prune.start(link, cache_dir_for(link)).join()
    assert _cached(cache) == {**kept, "ab/" + fresh.name: fresh.read_bytes()}


def test_a_database_beside_the_link_that_cannot_be_read_is_named_on_stderr(tmp_path, monkeypatch):
    """What keeps the thumbnails beside a link from being removed is said, as for the page's own cache folder."""
    own_db, link = card_beside_x(tmp_path, monkeypatch)
    (own_db.parent / "other.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 496)  # (whole pages, unreadable)
    said: list[str] = []
    prune.start(link, cache_dir_for(link), say=said.append).join()
    assert len(said) == 1 and said[0].startswith(f"note: old thumbnails in {own_db.parent / CACHE_DIR_NAME} are "
                                                 f"not removed: {own_db.parent / 'other.db'}: cannot read"), said


def test_thumbnails_kept_in_the_cache_folder_for_a_link_in_a_read_only_folder_are_removed(tmp_path, monkeypatch):
    """A link kept in a read-only folder had its page keep the thumbnails in the user's cache folder until
    2026-12-07: `review --db links/card.db` removes them there (no database in links/ uses them)."""
    from blurscan.review.thumbs import _elsewhere

    db, photos, links, link = card_through_a_link(tmp_path, monkeypatch)
    old = _elsewhere(links / CACHE_DIR_NAME)
    thumbnails_in(link, photos, old)
    beside_card = _cached(db.parent / CACHE_DIR_NAME)
    assert len(_cached(old)) == 3 and len(beside_card) == 3
    links.chmod(0o555)  # (root honours it too: blurscan.permissions)
    try:
        prune.start(link, cache_dir_for(link)).join()
    finally:
        links.chmod(0o755)
    assert _cached(old) == {} and _cached(db.parent / CACHE_DIR_NAME) == beside_card


def _as_the_cleanup_runs(thumbnail) -> None:
    """``thumbnail`` as if written while the cleanup runs: its time a minute ahead. Left as written, before the
    cleanup, it was one more than 2 s old when the cleanup began on a loaded machine, and removed."""
    os.utime(thumbnail, (time.time() + 60, time.time() + 60))
