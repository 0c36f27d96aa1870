"""A home folder that does not exist (``HOME=/nonexistent``, a service user's usual home): blurscan makes nothing
there, as root too (root may make any folder: until 2026-12-05 it made ``/nonexistent/.local/share/Trash`` and
``/nonexistent/.cache``), and says so in one line naming the folder and HOME."""
from __future__ import annotations

from pathlib import Path

from helpers_cli import run
from helpers_images import make_library

SCAN = ("--model", "none", "--workers", "1")


def _scanned(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    make_library(lib)
    assert run("scan", lib, *SCAN).exit_code == 0
    return lib


def test_trash_with_a_home_that_does_not_exist_makes_nothing(tmp_path, monkeypatch):
    lib = _scanned(tmp_path)
    home = tmp_path / "nonexistent"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    before = sorted(p.name for p in lib.rglob("*"))
    dry = run("trash", "--all-blurry", lib)
    yes = run("trash", "--all-blurry", lib, "--yes")
    why = f"cannot make the trash folder {home / '.local' / 'share' / 'Trash'}: the home folder {home} does not " \
          "exist (HOME)"
    assert dry.exit_code == 0 and "warning: none of the" in dry.stderr and why in dry.stderr, dry.stderr
    assert yes.exit_code == 1 and yes.stderr.startswith("Error: none of the") and why in yes.stderr, yes.stderr
    assert not home.exists()
    assert sorted(p.name for p in lib.rglob("*")) == before


def test_a_home_that_is_a_file_is_named_so(tmp_path, monkeypatch):
    lib = _scanned(tmp_path)
    home = tmp_path / "home"
    home.write_bytes(b"")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    result = run("trash", "--all-blurry", lib, "--yes")
    assert result.exit_code == 1 and f"the home folder {home} is not a folder (HOME)" in result.stderr, result.stderr


def test_xdg_data_home_elsewhere_is_used_whatever_home_is(tmp_path, monkeypatch):
    lib = _scanned(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "nonexistent"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    result = run("trash", "--all-blurry", lib, "--yes")
    assert result.exit_code == 0, result.output
    assert any((tmp_path / "share" / "Trash" / "files").iterdir())
    assert not (tmp_path / "nonexistent").exists()


def test_read_only_library_scan_with_a_home_that_does_not_exist(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    make_library(lib)
    home = tmp_path / "nonexistent"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    lib.chmod(0o555)  # (honoured by blurscan as root too: its database goes to the cache folder)
    try:
        result = run("scan", lib, *SCAN)
    finally:
        lib.chmod(0o755)
    folder = home / ".cache" / "blurscan"
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {folder}: cannot make the cache folder for the database: the home "
                                    f"folder {home} does not exist (HOME) ("), result.stderr
    assert "--db FILE" in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert not home.exists()


def test_xdg_data_home_set_inside_a_home_that_does_not_exist_is_made(tmp_path, monkeypatch):
    """A base folder set on purpose is made wherever it is, inside a home that does not exist too."""
    lib = _scanned(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    result = run("trash", "--all-blurry", lib, "--yes")
    assert result.exit_code == 0, result.output
    assert any((tmp_path / "home" / "data" / "Trash" / "files").iterdir())
