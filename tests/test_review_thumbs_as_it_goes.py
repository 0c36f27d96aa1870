"""The thumbnail of a photo's old version is removed while the review server runs, once the new version's is made
(review/thumbs.py, ThumbCache.get): until 2026-12-06 they stayed until the next ``blurscan review``, one more file
(20-80 kB) for each version shown during one run (a photo edited, scanned again and shown 100 times: 100 files)."""
from __future__ import annotations

import os

from PIL import Image

from blurscan.review.app import create_app
from blurscan.review.thumbs import ThumbCache

from helpers_cli import run
from helpers_review import BASE, PORT, TOKEN, _get, build_review_library


def _thumbs(folder):
    return sorted(os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs)


def test_a_photo_edited_while_the_page_is_open_keeps_one_thumbnail(tmp_path):
    db, recs = build_review_library(tmp_path)
    cache = tmp_path / "thumbs"
    client = create_app(db, TOKEN, port=PORT, thumbs_dir=cache).test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303

    def show_all():  # the page's list, and each thumbnail its grid asks for
        for item in _get(client, "/api/items?filter=all").get_json()["items"]:
            if item["status"] == "ok":
                _get(client, f"/thumb/{item['id']}?v={item['v']}")

    show_all()
    first = _thumbs(cache)
    assert len(first) == 5
    photo = recs["blurry.jpg"].path
    cached = ThumbCache(cache)

    def its_thumbnail():
        st = os.stat(photo)
        return str(cached.file_for(photo, st.st_size, st.st_mtime_ns).relative_to(cache))

    old = its_thumbnail()
    assert old in first
    for quality in (70, 60, 50):  # edited, scanned again, shown: three times
        Image.open(photo).convert("RGB").save(photo, quality=quality)
        assert run("scan", os.path.dirname(photo), "--db", db, "--model", "none").exit_code == 0
        show_all()
    # its newest version's thumbnail in place of the first, the others' as they were
    assert _thumbs(cache) == sorted(set(first) - {old} | {its_thumbnail()})


def test_a_photo_edited_during_a_later_run_keeps_one_thumbnail(tmp_path):
    """The thumbnails the page shows in a later run are read from the cache, not made: the one served counts as
    the version last shown as well, so that the new version's, made once the photo is edited and scanned again,
    removes it."""
    db, recs = build_review_library(tmp_path)
    cache = tmp_path / "thumbs"
    photo = recs["blurry.jpg"].path
    for _ in range(2):  # a first run makes the thumbnails; the second (a server of its own) reads them
        client = create_app(db, TOKEN, port=PORT, thumbs_dir=cache).test_client()
        assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
        _show_all(client)
    first = _thumbs(cache)
    old = _thumbnail_of(cache, photo)
    Image.open(photo).convert("RGB").save(photo, quality=60)
    assert run("scan", os.path.dirname(photo), "--db", db, "--model", "none").exit_code == 0
    _show_all(client)
    assert _thumbs(cache) == sorted(set(first) - {old} | {_thumbnail_of(cache, photo)})


def test_a_thumbnail_removed_by_hand_is_made_again_and_kept(tmp_path):
    """Made again for the version it was made for (removed by hand, or by another tool), the thumbnail is that
    version's, not an old one's: it stays."""
    db, recs = build_review_library(tmp_path)
    cache = tmp_path / "thumbs"
    client = create_app(db, TOKEN, port=PORT, thumbs_dir=cache).test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    _show_all(client)
    first = _thumbs(cache)
    os.remove(cache / _thumbnail_of(cache, recs["blurry.jpg"].path))
    _show_all(client)
    assert _thumbs(cache) == first


def _show_all(client):
    """The page's list, and each thumbnail its grid asks for."""
    for item in _get(client, "/api/items?filter=all").get_json()["items"]:
        if item["status"] == "ok":
            _get(client, f"/thumb/{item['id']}?v={item['v']}")


def _thumbnail_of(cache, photo):
    st = os.stat(photo)
    return str(ThumbCache(cache).file_for(photo, st.st_size, st.st_mtime_ns).relative_to(cache))
