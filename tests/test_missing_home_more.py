"""A relative ``XDG_DATA_HOME`` is ignored (the XDG specification: only absolute paths count), so with a home that
does not exist the trash is refused as with none set (xdg.missing_home, found by mutation testing)."""
from __future__ import annotations

import os
import pwd

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


def test_a_relative_home_that_does_not_exist_is_named_as_an_absolute_path(tmp_path, monkeypatch):
    """``HOME=nohome`` (relative, as a misconfigured service may set it): the dry run warns and ``--yes`` refuses in
    one line naming the absolute folder it means here, and nothing is made. Until 2026-12-06 the home trash's path
    was relative then: the dry run said nothing and ``--yes`` ended in a FileNotFoundError traceback (found by
    mutation testing of xdg.missing_home)."""
    lib = _scanned(tmp_path)
    monkeypatch.setenv("HOME", "nohome")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    dry = run("trash", "--all-blurry", lib)
    result = run("trash", "--all-blurry", lib, "--yes")
    home = tmp_path / "nohome"
    assert dry.exit_code == 0 and f"the home folder {home} does not exist (HOME)" in dry.stderr, dry.stderr
    assert result.exit_code == 1 and f"the home folder {home} does not exist (HOME)" in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and not home.exists(), result.stderr


def _no_home_at_all(monkeypatch, here):
    """``HOME`` unset and this user not in the password database: a container run as an arbitrary user (``docker
    run --user 12345``, OpenShift), where Python's ``expanduser("~")`` gives ``~`` back as it is."""
    import pwd

    def getpwuid(uid):
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", getpwuid)
    here.mkdir()
    monkeypatch.chdir(here)


def test_no_home_at_all_is_named_so_not_taken_from_the_current_folder(tmp_path, monkeypatch):
    """The scan of a read-only library says the home folder is not set, naming the user; until
    2026-12-06 they said ``the home folder /srv/~ does not exist (HOME)``, a folder ``~`` of the current folder."""
    import os

    lib = _scanned(tmp_path)
    (lib / ".blurscan.db").unlink()
    for folder in (lib, *[p for p in lib.rglob("*") if p.is_dir()]):
        folder.chmod(0o555)
    _no_home_at_all(monkeypatch, tmp_path / "srv")
    why = f"the home folder is not set (HOME is not set, and user {os.getuid()} has no entry in the password database)"
    try:
        scan = run("scan", lib, "--model", "none", "--workers", "1")
    finally:
        for folder in (lib, *[p for p in lib.rglob("*") if p.is_dir()]):
            folder.chmod(0o755)
    assert scan.exit_code == 1 and scan.stderr == \
        f"Error: ~/.cache/blurscan: cannot make the cache folder for the database: {why} ({lib} cannot be " \
        "written, so its database is kept there; choose a database file in a folder you can write with --db FILE)\n"
    assert list((tmp_path / "srv").iterdir()) == []


def home_in_password_database(monkeypatch, home) -> None:
    """This user's home in the password database (what ``~`` is with HOME unset) made ``home``."""
    real = pwd.getpwuid

    def getpwuid(uid):
        entry = real(uid)
        if uid != os.getuid():
            return entry
        return pwd.struct_passwd((*entry[:5], str(home), *entry[6:]))

    monkeypatch.setattr(pwd, "getpwuid", getpwuid)


def test_home_not_set_names_the_password_databases_home(tmp_path, monkeypatch):
    """HOME unset, as on a build farm or under `env -u HOME`: the home is the password database's (nobody's is
    /nonexistent), and the line said "(HOME)" as if the variable named it (a packaging walkthrough as nobody)."""
    lib = _scanned(tmp_path)
    home = tmp_path / "nonexistent"
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    home_in_password_database(monkeypatch, home)
    result = run("trash", "--all-blurry", lib, "--yes")
    assert result.exit_code == 1, result.output
    assert f"the home folder {home} does not exist (HOME is not set: user {os.getuid()}'s home in the password " \
        "database)" in result.stderr, result.stderr
    assert not home.exists()
