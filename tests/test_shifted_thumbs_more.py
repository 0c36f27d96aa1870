"""The review page's cached thumbnails renamed to a clock shift's new time (review.thumbs.rekey,
test_shifted_thumbs.py), run as root: a thumbnail folder made read-only is left as it is (the scan, as root, could
rename in it), and a sub-folder made for a new name is the library owner's, as the page makes them (root's, the
owner's own page could not prune it)."""
from __future__ import annotations

import os

import pytest

from blurscan.review.thumbs import CACHE_DIR_NAME

from helpers_cli import run
from helpers_images import make_library
from test_review_thumbs_read_only import _thumb
from test_shifted import HOUR, _shift
from test_shifted_thumbs import _page

AS_ROOT = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="root's view of the permission bits: CI runs the tests as root")


def _with_thumbnails(lib):
    make_library(lib)
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    photos = sorted(str(p) for p in lib.rglob("*.*") if not p.name.startswith("."))
    for path in photos:
        _thumb(_page(lib / ".blurscan.db", []), path)
    return photos


def _tree(folder):
    return sorted((str(p.relative_to(folder)), p.stat().st_uid, p.stat().st_mode) for p in folder.rglob("*"))


@AS_ROOT
def test_a_read_only_thumbnail_folder_is_left_as_it_is(tmp_path, monkeypatch):
    """HOME empty: the page keeps no thumbnail, and reads those of the read-only folder beside the database."""
    lib = tmp_path / "card"
    _with_thumbnails(lib)
    thumbs = lib / CACHE_DIR_NAME
    for folder in (thumbs, *thumbs.iterdir()):
        folder.chmod(0o555)
    monkeypatch.setenv("HOME", "")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    before = _tree(thumbs)
    try:
        _shift(lib, HOUR)
        assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
        after = _tree(thumbs)
    finally:
        for folder in (thumbs, *thumbs.iterdir()):
            folder.chmod(0o755)
    assert after == before


@AS_ROOT
def test_a_renamed_thumbnail_s_new_sub_folder_is_the_library_owner_s(tmp_path):
    lib = tmp_path / "card"
    lib.mkdir()
    os.chown(lib, 4321, 4321)
    photos = _with_thumbnails(lib)
    thumbs = lib / CACHE_DIR_NAME
    assert {uid for _, uid, _ in _tree(thumbs)} == {4321}  # (as the page made them)
    before = {name for name, _, _ in _tree(thumbs)}
    _shift(lib, HOUR)
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    after = _tree(thumbs)
    assert len([name for name, _, _ in after if name.endswith(".jpg")]) == len(photos)
    assert {name for name, _, _ in after} != before  # (renamed: new names, in new sub-folders)
    assert {uid for _, uid, _ in after} == {4321}, after
