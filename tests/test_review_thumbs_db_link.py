"""The review page's thumbnails of a ``--db`` that is a symbolic link: kept beside the file it names, where SQLite
keeps its ``-wal`` (``dbfile.sqlite_file``), one cache whatever name the database is given. Until 2026-12-07 they
went beside the link's name: a link kept in a read-only folder sent them to the user's cache folder with a note
("cannot write .../.blurscan-thumbs"). Where they were kept beside a link is pruned by ``blurscan review`` (the
thumbnails of that folder's own databases kept), not left to grow for good. Real scans of generated photos."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.review import prune, security
from blurscan.review.app import create_app
from blurscan.review.thumbs import CACHE_DIR_NAME, cache_dir_for

from helpers_review import BASE, PORT, TOKEN
from test_review_thumbs_prune import HOUR_AGO, _cached, _library, _listed


def card_through_a_link(tmp_path, monkeypatch):
    """The library ``card`` (its thumbnails cached), and ``links/card.db``, a link to its database in a folder of
    its own; the user's cache folder in ``tmp_path/cache``: ``(db, photos, links, link)``."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    db, photos = _library(tmp_path, "card")
    links = tmp_path / "links"
    links.mkdir()
    link = links / "card.db"
    os.symlink(db, link)
    return db, photos, links, link


def card_beside_x(tmp_path, monkeypatch):
    """The libraries ``x`` and ``card`` (their thumbnails cached), and ``x/card.db``, a link to card's database
    beside x's own; the user's cache folder in ``tmp_path/cache``: ``(x's database, the link)``."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    own_db, _ = _library(tmp_path, "x")
    _library(tmp_path, "card")
    link = own_db.parent / "card.db"
    os.symlink(tmp_path / "card" / ".blurscan.db", link)
    return own_db, link


class Started(Exception):
    pass


def thumbnails_in(db, photos, cache) -> None:
    """The review page of ``db`` opened and asked for the thumbnail of each of ``photos``, kept in ``cache``, and
    those made an hour old (old enough to be pruned)."""
    app = create_app(db, TOKEN, port=PORT, thumbs_dir=cache)
    client = app.test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    for photo in photos:
        assert client.get(f"/thumb/{security.path_id(str(photo))}", base_url=BASE).status_code == 200
    for file in cache.glob("*/*.jpg"):
        os.utime(file, (HOUR_AGO, HOUR_AGO))


def test_review_of_a_link_in_a_read_only_folder_keeps_thumbnails_beside_the_database(tmp_path, monkeypatch):
    from blurscan.review import server as server_mod

    db, photos, links, link = card_through_a_link(tmp_path, monkeypatch)
    chosen = []
    monkeypatch.setattr(server_mod.ReviewServer, "start",
                        lambda self: chosen.append(self.app.config["BLURSCAN_THUMBS"]) or (_ for _ in ()).throw(
                            Started()))
    links.chmod(0o555)  # (root honours it too: blurscan.permissions)
    try:
        r = CliRunner().invoke(main, ["review", "--db", str(link), "--no-browser"])
    finally:
        links.chmod(0o755)
    assert isinstance(r.exception, Started), r.output
    # it said: "note: cannot write .../links/.blurscan-thumbs; keeping thumbnails in .../cache/blurscan/thumbs/..."
    assert "note:" not in r.stderr, r.stderr
    assert chosen == [str(db.parent / CACHE_DIR_NAME)] and cache_dir_for(link) == cache_dir_for(db)
    assert not (tmp_path / "cache").exists() and sorted(p.name for p in links.iterdir()) == ["card.db"]


def test_thumbnails_kept_beside_a_link_are_pruned_and_the_folders_own_kept(tmp_path, monkeypatch):
    """`review --db x/card.db` (a link to card/.blurscan.db) kept card's thumbnails in x/.blurscan-thumbs, beside
    x's own database's: they are never read there again, and review now removes them, x's kept."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    own_db, own_photos = _library(tmp_path, "x")  # x's own thumbnails, in x/.blurscan-thumbs
    card = tmp_path / "card"
    card_photos = _library(tmp_path, "card")[1]
    link = own_db.parent / "card.db"
    os.symlink(card / ".blurscan.db", link)
    old = own_db.parent / CACHE_DIR_NAME
    mine = _cached(old)
    thumbnails_in(link, card_photos, old)  # (as the page kept them until 2026-12-07)
    assert len(_cached(old)) == 6 and len(mine) == 3
    beside_card = _cached(card / CACHE_DIR_NAME)
    prune.start(link, cache_dir_for(link)).join()
    assert _cached(old) == mine  # (card's 3 removed: until 2026-12-07 all 6 kept, for good)
    assert _cached(card / CACHE_DIR_NAME) == beside_card and len(beside_card) == 3
    assert all(_listed(rel, [own_db]) for rel in mine)


def test_a_database_beside_the_link_that_cannot_be_read_keeps_everything(tmp_path, monkeypatch):
    own_db, link = card_beside_x(tmp_path, monkeypatch)
    old = own_db.parent / CACHE_DIR_NAME
    stale = old / "ab" / ("ab" + "0" * 30 + ".jpg")
    stale.parent.mkdir(exist_ok=True)
    stale.write_bytes(b"\xff\xd8\xff old")
    os.utime(stale, (HOUR_AGO, HOUR_AGO))
    (own_db.parent / "other.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 496)  # (whole pages, unreadable)
    folder, done = prune.left_by_link(link)
    assert folder == str(old) and done.unsure and stale.exists()
    os.unlink(own_db.parent / "other.db")
    folder, done = prune.left_by_link(link)
    assert (done.removed, done.kept, done.skipped) == (1, 3, None) and not stale.exists()
    assert prune.left_by_link(own_db) is None and prune.left_by_link(tmp_path / "card" / ".blurscan.db") is None


def test_a_link_beside_its_database_named_through_a_folder_link_keeps_the_pages_thumbnails(tmp_path, monkeypatch):
    """``review --db dl/l.db``, ``l.db -> .blurscan.db`` beside it and ``dl -> card`` (a folder link, as ``/tmp`` is
    on macOS): the thumbnails beside the link's name are the page's own, in ``card/.blurscan-thumbs``. Until
    2026-12-07 they were pruned as ones "kept beside a link", the page's database left out of the keys kept
    while a request of the page held it: every thumbnail it had made was removed."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    db, _photos = _library(tmp_path, "card")
    os.symlink(".blurscan.db", db.parent / "l.db")
    os.symlink("card", tmp_path / "dl")
    link = tmp_path / "dl" / "l.db"
    cache = db.parent / CACHE_DIR_NAME
    before = _cached(cache)
    assert before and cache_dir_for(link) == cache
    from blurscan.store import Store

    with Store(link):  # (the page's connection, as while it serves a request)
        prune.start(link, str(cache_dir_for(link))).join()
    assert _cached(cache) == before
