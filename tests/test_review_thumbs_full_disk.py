"""Thumbnails the review page cannot keep because their disk is full: each is served all the same, and the
server says so once. Until 2026-12-06 it said so for every thumbnail shown, in Python's words (``cannot cache
thumbnail in DIR: [Errno 28] No space left on device``, a line per photo: thousands for a library's grid)."""
from __future__ import annotations

import logging

import pytest

from blurscan.review.app import create_app
from helpers_library import tmpfs
from helpers_review import BASE, PORT, TOKEN, _get, build_review_library


def _fill(folder):
    with open(folder / "filler", "wb", buffering=0) as f:
        with pytest.raises(OSError):
            while True:
                f.write(b"\0" * 4096)


def test_thumbnails_a_full_disk_cannot_keep_are_served_and_said_once(tmp_path, caplog):
    db, _ = build_review_library(tmp_path)
    with tmpfs(tmp_path / "small", "64k") as small:
        _fill(small)
        thumbs = small / "thumbs"
        client = create_app(db, TOKEN, port=PORT, thumbs_dir=thumbs).test_client()
        assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
        items = _get(client, "/api/items?filter=all").get_json()["items"]
        shown = [it["id"] for it in items if it["status"] == "ok"]
        assert len(shown) == 5
        with caplog.at_level(logging.DEBUG, logger="blurscan.review.thumbs"):
            for ident in shown:
                assert _get(client, f"/thumb/{ident}").data[:2] == b"\xff\xd8"
        said = [r for r in caplog.records if r.name == "blurscan.review.thumbs" and r.levelno >= logging.WARNING]
        assert [r.getMessage() for r in said] == [
            f"cannot cache thumbnails in {thumbs}: no space left on device; each is made again when shown "
            "(said once)"]
        assert not [p for p in thumbs.rglob("*") if p.is_file()]  # (no temporary file cut short)


def test_a_thumbnail_a_full_disk_cannot_keep_leaves_no_empty_folder(tmp_path):
    """The page's thumbnails on a disk with no room (here a file-size limit, SIGXFSZ ignored: the write fails as a
    full disk's does): each request left its empty sub-folder of the cache behind, and the cache folder (until
    2026-12-06)."""
    import subprocess
    import sys

    pytest.importorskip("resource")
    db, _ = build_review_library(tmp_path)
    thumbs = tmp_path / "thumbs"
    script = f"""
import resource
from blurscan.review.app import create_app
client = create_app({str(db)!r}, {TOKEN!r}, port={PORT}, thumbs_dir={str(thumbs)!r}).test_client()
assert client.get("/?token={TOKEN}", base_url={BASE!r}).status_code == 303
items = client.get("/api/items?filter=all", base_url={BASE!r}).get_json()["items"]
shown = [it["id"] for it in items if it["status"] == "ok"]
resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))  # (after the database's shared memory file was made)
assert shown and all(client.get(f"/thumb/{{i}}", base_url={BASE!r}).data[:2] == b"\\xff\\xd8" for i in shown)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "cannot cache thumbnails" in result.stderr and "file too large" in result.stderr, result.stderr
    assert not thumbs.exists(), sorted(p.relative_to(thumbs).as_posix() for p in thumbs.rglob("*"))
