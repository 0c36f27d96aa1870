"""The review page's thumbnail cache honours a ``.blurscan-thumbs`` folder no one may write (``chmod a-w``), run as
root too, as blurscan honours such a library folder (:mod:`blurscan.permissions`): root wrote into it (the system
lets root past the permission bits). Its thumbnails go to the user's cache folder instead, as the scan's database
does for a library it may not write. Root's side skips when not run as root (CI runs the tests as root)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.review import security
from blurscan.review.app import create_app
from blurscan.review.thumbs import CACHE_DIR_NAME, ThumbCache, cache_dir_for

from helpers_review import BASE, PORT, TOKEN, build_review_library

AS_ROOT = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="root's view of the permission bits: CI runs the tests as root")


def _listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_mode) for p in folder.rglob("*"))


def _thumb(app, path: str) -> bytes:
    c = app.test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    r = c.get(f"/thumb/{security.path_id(path)}", base_url=BASE)
    assert r.status_code == 200, r.status_code
    return r.data


@AS_ROOT
def test_a_read_only_thumbs_folder_is_left_alone_and_the_cache_folder_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    db, recs = build_review_library(tmp_path)
    thumbs = db.parent / CACHE_DIR_NAME
    thumbs.mkdir()
    thumbs.chmod(0o555)
    try:
        before = _listing(thumbs)
        made = []
        app = create_app(db, TOKEN, port=PORT,
                         thumbnailer=lambda p, n: made.append(p) or b"\xff\xd8\xffjpeg of " + p.encode())
        path = recs["blurry.jpg"].path
        assert _thumb(app, path) == _thumb(app, path) == b"\xff\xd8\xffjpeg of " + path.encode()
        assert made == [path]  # made once, then read from the cache folder
        assert _listing(thumbs) == before == []
        kept = Path(app.config["BLURSCAN_THUMBS"])
        assert kept == cache_dir_for(db) and kept.is_relative_to(tmp_path / "cache" / "blurscan" / "thumbs")
        assert [f.read_bytes() for f in kept.glob("*/*.jpg")] == [b"\xff\xd8\xffjpeg of " + path.encode()]
    finally:
        thumbs.chmod(0o755)
    assert cache_dir_for(db) == thumbs  # writable again: beside the database, as before


@AS_ROOT
def test_a_cache_sub_folder_made_read_only_is_not_written(tmp_path):
    """The page chose a writable `.blurscan-thumbs`; one of its sub-folders (or the folder itself, while the page
    runs) made read-only later is not written either: the thumbnail is served, not kept."""
    cache = ThumbCache(tmp_path / "t", make=lambda p, n: b"jpeg")
    sub = cache.file_for("/a.jpg", 1, 2).parent
    sub.mkdir(parents=True)
    sub.chmod(0o555)
    (tmp_path / "t" / "zz").mkdir()
    try:
        assert cache.get("/a.jpg", 1, 2) == b"jpeg"
        assert list(sub.iterdir()) == []
        (tmp_path / "t").chmod(0o555)
        other = next(f"/{n}.jpg" for n in range(1000) if cache.file_for(f"/{n}.jpg", 1, 2).parent != sub)
        assert cache.get(other, 1, 2) == b"jpeg"
        assert sorted(p.name for p in (tmp_path / "t").iterdir()) == sorted([sub.name, "zz"])
    finally:
        sub.chmod(0o755)
        (tmp_path / "t").chmod(0o755)
    assert cache.get("/a.jpg", 1, 2) == b"jpeg" and cache.file_for("/a.jpg", 1, 2).is_file()  # writable: kept


@AS_ROOT
def test_review_says_where_the_thumbnails_go(tmp_path, monkeypatch):
    from blurscan.review import server as server_mod

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    db, _ = build_review_library(tmp_path)
    thumbs = db.parent / CACHE_DIR_NAME
    thumbs.mkdir()
    thumbs.chmod(0o555)

    class Started(Exception):
        pass

    monkeypatch.setattr(server_mod.ReviewServer, "start", lambda self: (_ for _ in ()).throw(Started()))
    monkeypatch.setattr(server_mod.ReviewServer, "open_browser", lambda self: True)
    try:
        elsewhere = cache_dir_for(db)
        r = CliRunner().invoke(main, ["review", str(db.parent), "--no-browser"])
    finally:
        thumbs.chmod(0o755)
    assert isinstance(r.exception, Started), r.output
    assert elsewhere.is_relative_to(tmp_path / "cache")
    assert f"note: cannot write {thumbs}; keeping thumbnails in {elsewhere}\n" in r.stderr
    assert r.stderr.count("note:") == 1


@pytest.mark.parametrize("in_the_way", ["file", pytest.param("read-only", marks=AS_ROOT)])
def test_a_cache_folder_that_cannot_be_made_is_said_at_once(tmp_path, monkeypatch, in_the_way):
    """XDG_CACHE_HOME naming a file (or a read-only folder): review's note said the thumbnails were kept there,
    then "cannot cache thumbnails in ...: not a directory" at the first one. Now its note says at once that none
    is kept, and why, naming the variable; each thumbnail is made again when shown."""
    from blurscan.review import server as server_mod

    cache = tmp_path / "cache"
    if in_the_way == "file":
        cache.write_bytes(b"")
    else:
        cache.mkdir()
        cache.chmod(0o555)  # (mkdir's mode is masked by the umask: 0500 under 077)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    db, recs = build_review_library(tmp_path)
    thumbs = db.parent / CACHE_DIR_NAME
    thumbs.mkdir()
    thumbs.chmod(0o555)

    class Started(Exception):
        pass

    monkeypatch.setattr(server_mod.ReviewServer, "start", lambda self: (_ for _ in ()).throw(Started()))
    monkeypatch.setattr(server_mod.ReviewServer, "open_browser", lambda self: True)
    try:
        r = CliRunner().invoke(main, ["review", str(db.parent), "--no-browser"])
        made = []
        app = create_app(db, TOKEN, port=PORT, thumbnailer=lambda p, n: made.append(p) or b"\xff\xd8\xffjpeg")
        path = recs["blurry.jpg"].path
        assert _thumb(app, path) == _thumb(app, path) == b"\xff\xd8\xffjpeg" and made == [path, path]
    finally:
        thumbs.chmod(0o755)
        cache.chmod(0o755)
    assert isinstance(r.exception, Started), r.output
    why = "is not a folder" if in_the_way == "file" else "is read-only (mode 0555"
    assert (f"note: cannot write {thumbs}, nor keep thumbnails in the cache folder: {cache} {why}"
            in r.stderr), r.stderr
    assert "(XDG_CACHE_HOME); each thumbnail is made again when shown\n" in r.stderr, r.stderr
    assert "keeping thumbnails in" not in r.stderr and r.stderr.count("note:") == 1, r.stderr
