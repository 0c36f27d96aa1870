"""What the thumbnail cache serves is what it wrote: a cached thumbnail replaced by a symbolic link was read
through it, and ``/thumb/<id>`` served whatever file the link led to (any file the user may read, to whoever may
write the cache folder of a shared library), as ``image/jpeg``. A link, anything not a plain file, or a file
that is no JPEG is now made again in its place."""
from __future__ import annotations

import os

import pytest

from blurscan.review import security
from blurscan.review.app import create_app
from blurscan.review.thumbs import ThumbCache

from helpers_review import BASE, PORT, TOKEN, build_review_library

JPEG = b"\xff\xd8\xff made by the cache"


@pytest.mark.parametrize("put", ["a link to a secret", "a file that is no JPEG", "a folder", "a link to a JPEG"])
def test_what_the_cache_did_not_write_is_made_again(tmp_path, put):
    made = []
    cache = ThumbCache(tmp_path / "t", make=lambda p, n: made.append(p) or JPEG)
    target = cache.file_for("/a.jpg", 1, 2)
    target.parent.mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"\xff\xd8\xff TOP SECRET" if put == "a link to a JPEG" else b"TOP SECRET")
    if put.startswith("a link"):
        os.symlink(secret, target)
    elif put == "a folder":
        target.mkdir()
    else:
        target.write_bytes(b"TOP SECRET")
    assert cache.get("/a.jpg", 1, 2) == JPEG and made == ["/a.jpg"]
    if put != "a folder":  # (replaced by the thumbnail made; a folder stays, and the thumbnail is served)
        assert not target.is_symlink() and target.read_bytes() == JPEG
        assert cache.get("/a.jpg", 1, 2) == JPEG and made == ["/a.jpg"]  # then read from the cache
    assert secret.read_bytes().endswith(b"TOP SECRET")


def test_the_page_never_serves_a_file_a_cached_thumbnail_was_replaced_with(tmp_path):
    db, recs = build_review_library(tmp_path)
    app = create_app(db, TOKEN, port=PORT)
    c = app.test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    url = f"/thumb/{security.path_id(recs['blurry.jpg'].path)}"
    first = c.get(url, base_url=BASE)
    assert first.status_code == 200 and first.data.startswith(b"\xff\xd8\xff")
    [cached] = [p for p in (db.parent / ".blurscan-thumbs").rglob("*.jpg")]
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"TOP SECRET")
    cached.unlink()
    os.symlink(secret, cached)
    again = c.get(url, base_url=BASE)
    assert again.status_code == 200 and again.data == first.data and b"SECRET" not in again.data
