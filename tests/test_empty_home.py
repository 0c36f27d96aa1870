"""``HOME`` set but empty (``HOME=``): Python's expanduser gives ``/`` then, so until 2026-12-06 blurscan, run as
root, trashed the photos to ``/.local/share/Trash``, kept a read-only library's database in ``/.cache/blurscan``,
and the review page its thumbnails in ``/.cache/blurscan/thumbs``. Each is refused now in words naming HOME; a base
folder set on purpose (``XDG_DATA_HOME``) is used as the XDG specification says. The review page's thumbnails with a
home folder that does not exist (``HOME=/nonexistent``) are not kept either (they made it, as root)."""
from __future__ import annotations

import os

import pytest

from blurscan.review.app import create_app
from blurscan.review.thumbs import CACHE_DIR_NAME, cache_dir_for

from helpers_cli import run
from helpers_review import TOKEN, PORT, build_review_library
from test_missing_home import SCAN, _scanned
from test_review_thumbs_read_only import _thumb

AS_ROOT = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="root's view of the permission bits: CI runs the tests as root")
WHY = "the home folder is not set (HOME is empty)"


def _on_the_system_disk(monkeypatch, lib) -> None:
    """The library on the drive of ``/`` (the home folder ``HOME=`` gives), as the temporary folder is where it is
    on the system disk: where it is a drive of its own (``/tmp`` a tmpfs: Debian 13, Fedora, Arch), its photos went
    to that drive's own trash (``/tmp/.Trash-0``), as the trash specification asks, and ``HOME`` was not asked for
    (the test failed there until 2026-12-07)."""
    from blurscan.actions import trash

    real, dev = trash.device_of, os.stat(lib).st_dev
    monkeypatch.setattr(trash, "device_of", lambda path: dev if path == trash.home_trash() else real(path))


def test_trash_with_an_empty_home_is_refused_naming_home(tmp_path, monkeypatch):
    lib = _scanned(tmp_path)
    _on_the_system_disk(monkeypatch, lib)
    monkeypatch.setenv("HOME", "")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    before = sorted(p.name for p in lib.rglob("*"))
    dry = run("trash", "--all-blurry", lib)
    assert dry.exit_code == 0 and f"cannot make the trash folder /.local/share/Trash: {WHY}" in dry.stderr, \
        dry.stderr  # (checked first: the dry run changes nothing, so a failure here trashes nothing under /)
    yes = run("trash", "--all-blurry", lib, "--yes")
    assert yes.exit_code == 1 and yes.stderr.startswith("Error: none of the") and WHY in yes.stderr, yes.stderr
    assert sorted(p.name for p in lib.rglob("*")) == before


def test_an_empty_home_with_xdg_data_home_set_uses_it(tmp_path, monkeypatch):
    lib = _scanned(tmp_path)
    monkeypatch.setenv("HOME", "")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    result = run("trash", "--all-blurry", lib, "--yes")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "share" / "Trash" / "files").iterdir())) == 2


def test_a_read_only_library_scan_with_an_empty_home_is_one_error_line(tmp_path, monkeypatch):
    lib = _scanned(tmp_path)
    (lib / ".blurscan.db").unlink()
    monkeypatch.setenv("HOME", "")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    lib.chmod(0o555)  # (honoured by blurscan as root too: its database would go to the cache folder)
    try:
        result = run("scan", lib, *SCAN)
    finally:
        lib.chmod(0o755)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: /.cache/blurscan: cannot make the cache folder for the database: {WHY} ("
                                    ), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr


@AS_ROOT
@pytest.mark.parametrize("home", ["", "nonexistent"])
def test_thumbnails_are_served_not_kept_when_the_home_cannot_hold_the_cache(tmp_path, monkeypatch, home):
    monkeypatch.setenv("HOME", home and str(tmp_path / home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    db, recs = build_review_library(tmp_path)
    thumbs = db.parent / CACHE_DIR_NAME
    thumbs.mkdir()
    thumbs.chmod(0o555)
    try:
        assert cache_dir_for(db) == thumbs  # (read-only: nothing is written; checked before the page makes any)
        app = create_app(db, TOKEN, port=PORT, thumbnailer=lambda p, n: b"\xff\xd8\xffjpeg of " + p.encode())
        path = recs["blurry.jpg"].path
        assert _thumb(app, path) == b"\xff\xd8\xffjpeg of " + path.encode()
        assert list(thumbs.iterdir()) == []
    finally:
        thumbs.chmod(0o755)
    assert not (tmp_path / "nonexistent").exists()
