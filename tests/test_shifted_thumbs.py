"""The review page's cached thumbnails after a clock shift (blurscan.shifted: every file's time moved by a whole
hour, its bytes unchanged): the scan that recognises the photos renames their thumbnails to the new time
(review.thumbs.rekey), so the page does not make them again. Until 2026-12-06 each was made again (the cache is
keyed by path, size and time) and the old one removed as unused. A photo whose bytes changed, though its time
moved by a whole hour too, gets a new thumbnail, never its old one."""
from __future__ import annotations

import hashlib
import os

from PIL import Image

from blurscan.review.app import create_app
from blurscan.review.thumbs import CACHE_DIR_NAME

from helpers_cli import run
from helpers_images import make_library, textured
from helpers_review import PORT, TOKEN
from test_review_thumbs_read_only import _thumb
from test_shifted import HOUR, _shift


def _page(db, made):
    """The review page, its thumbnails made by a stand-in that says which photo and which bytes it was given."""
    return create_app(db, TOKEN, port=PORT, thumbnailer=lambda p, n: made.append(p) or _of(p))


def _of(path) -> bytes:
    with open(path, "rb") as fh:
        return b"\xff\xd8\xff" + hashlib.sha256(fh.read()).hexdigest().encode()


def _noted(path, note: bytes) -> None:
    """A photo whose JPEG comment is ``note``: another note of the same length, another file of the same size."""
    Image.fromarray(textured(9)).save(path, format="JPEG", quality=92, comment=note)


def test_a_clock_shift_keeps_the_thumbnails_and_a_changed_photo_gets_a_new_one(tmp_path):
    lib = tmp_path / "card"
    make_library(lib)
    _noted(lib / "noted.jpg", b"first")
    db = lib / ".blurscan.db"
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    made: list[str] = []
    same, edited = str(lib / "blurry_1.jpg"), str(lib / "noted.jpg")
    first = {p: _thumb(_page(db, made), p) for p in (same, edited)}
    assert made == [same, edited]
    st = (lib / "noted.jpg").stat()
    _noted(lib / "noted.jpg", b"other")  # other bytes, the same size and time, then shifted by the hour too
    os.utime(lib / "noted.jpg", ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (lib / "noted.jpg").stat().st_size == st.st_size
    _shift(lib, HOUR)
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    made.clear()
    again = {p: _thumb(_page(db, made), p) for p in (same, edited)}
    assert made == [edited]  # only the edited photo's thumbnail is made again
    assert again[same] == first[same] and again[edited] != first[edited]
    assert again[edited] == _of(edited)
    kept = sorted(p.relative_to(lib / CACHE_DIR_NAME) for p in (lib / CACHE_DIR_NAME).rglob("*"))
    assert len([p for p in kept if p.suffix == ".jpg"]) == 3  # (the edited photo's old one: pruned by `review`)
    assert all(len(p.parts) == 2 or any(q.parent == p for q in kept) for p in kept)  # no empty sub-folder left
