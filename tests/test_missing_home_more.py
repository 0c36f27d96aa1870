"""A relative ``XDG_DATA_HOME`` is ignored (the XDG specification: only absolute paths count), so with a home that
does not exist the trash is refused as with none set (xdg.missing_home, found by mutation testing)."""
from __future__ import annotations

from test_missing_home import _scanned

from helpers_cli import run


def test_a_relative_xdg_data_home_does_not_make_the_home(tmp_path, monkeypatch):
    lib = _scanned(tmp_path)
    home = tmp_path / "nonexistent"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", "share")  # relative: ignored, ~/.local/share is the base
    monkeypatch.chdir(tmp_path)
    result = run("trash", "--all-blurry", lib, "--yes")
    assert result.exit_code == 1 and f"the home folder {home} does not exist (HOME)" in result.stderr, result.stderr
    assert not home.exists() and not (tmp_path / "share").exists()
