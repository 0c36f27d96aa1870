"""The XDG base folders as users set them: a relative ``XDG_DATA_HOME`` or ``XDG_CACHE_HOME`` is ignored (the XDG
specification calls it invalid), and the home trash made under a permissive umask is private (0700), its parents
too. Real command lines in a subprocess, with their own environment, working folder and umask."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from helpers_images import save_jpeg, textured
from helpers_library import build_library, decide


def _cli(*args, cwd, env, umask=None):
    return subprocess.run([sys.executable, "-m", "blurscan", *map(str, args)], capture_output=True, timeout=120,
                          cwd=cwd, env={**os.environ, **env},
                          preexec_fn=None if umask is None else (lambda: os.umask(umask)))


def _discarded_library(tmp_path):
    store, files = build_library(tmp_path / "lib")
    decide(store, files["IMG_4"], "discard")
    store.close()
    return files


def test_a_relative_xdg_data_home_is_ignored_and_trash_uses_the_home_one(tmp_path):
    """``XDG_DATA_HOME=share blurscan trash`` stopped with a traceback (``FileNotFoundError: ''``), its batch
    left "running" (until 2026-12-05)."""
    files = _discarded_library(tmp_path)
    (tmp_path / "cwd").mkdir()
    (tmp_path / "home").mkdir()  # (a home that does not exist is refused since 2026-12-05: test_missing_home.py)
    env = {"XDG_DATA_HOME": "share", "HOME": str(tmp_path / "home")}
    done = _cli("trash", tmp_path / "lib", "--yes", cwd=tmp_path / "cwd", env=env)
    assert done.returncode == 0, done.stderr.decode()
    trashed = tmp_path / "home" / ".local" / "share" / "Trash" / "files" / "IMG_4.jpg"
    assert trashed.is_file() and not os.path.exists(files["IMG_4"])
    assert not (tmp_path / "cwd" / "share").exists()
    back = _cli("undo", tmp_path / "lib", cwd=tmp_path, env=env)
    assert back.returncode == 0, back.stderr.decode()
    assert os.path.isfile(files["IMG_4"])


def test_a_relative_xdg_cache_home_is_ignored_for_a_read_only_library(tmp_path):
    """The database of a library the scan may not write goes to ``~/.cache/blurscan``, not to ``cache/`` under
    whichever folder the scan ran from (where ``report`` from another folder never found it, until 2026-12-05)."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured(1, (96, 128)))
    os.chmod(lib, 0o555)  # (no write bit: honoured as root too)
    (tmp_path / "cwd").mkdir()
    (tmp_path / "home").mkdir()
    env = {"XDG_CACHE_HOME": "cache", "HOME": str(tmp_path / "home")}
    try:
        done = _cli("scan", lib, "--model", "none", cwd=tmp_path / "cwd", env=env)
        assert done.returncode == 0, done.stderr.decode()
        assert not (tmp_path / "cwd" / "cache").exists()
        assert [p.suffix for p in (tmp_path / "home" / ".cache" / "blurscan").iterdir()] == [".db"]
        report = _cli("report", lib, cwd=lib, env=env)
        assert report.returncode == 0 and b"a.jpg" in report.stdout, report.stderr.decode()
    finally:
        os.chmod(lib, 0o755)


def test_an_xdg_cache_home_with_a_dot_dot_after_a_link_is_where_the_system_makes_it(tmp_path):
    """``XDG_CACHE_HOME=~/good/../cache``, ``good -> drive/a``: the cache is ``drive/cache``, where the system
    makes it, for the scan of a read-only library and the report after it. Until 2026-12-07 the scan made the
    folders there, then said ``cannot create the database: its folder ~/cache/blurscan does not exist``, read
    beside the link, and report found no database."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured(1, (96, 128)))
    (tmp_path / "drive" / "a").mkdir(parents=True)
    os.symlink(tmp_path / "drive" / "a", tmp_path / "good")
    os.chmod(lib, 0o555)  # (no write bit: honoured as root too)
    env = {"XDG_CACHE_HOME": f"{tmp_path}/good/../cache"}
    try:
        done = _cli("scan", lib, "--model", "none", cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr.decode()
        assert [p.suffix for p in (tmp_path / "drive" / "cache" / "blurscan").iterdir()] == [".db"]
        assert not (tmp_path / "cache").exists()
        report = _cli("report", lib, cwd=lib, env=env)
        assert report.returncode == 0 and b"a.jpg" in report.stdout, report.stderr.decode()
    finally:
        os.chmod(lib, 0o755)


def test_the_home_trash_and_the_folders_above_it_it_makes_are_private_under_umask_000(tmp_path):
    """Made with ``os.makedirs(files, 0o700)`` only ``files`` and ``info`` were 0700: the trash folder and a
    missing ``XDG_DATA_HOME`` got 0777 less the umask, ``drwxrwxrwx`` under umask 000 (until 2026-12-05)."""
    _discarded_library(tmp_path)
    lib_mode = stat.S_IMODE(os.stat(tmp_path / "lib").st_mode)  # (0755 under the usual umask, 0700 under 077)
    data = tmp_path / "data" / "home"
    done = _cli("trash", tmp_path / "lib", "--yes", cwd=tmp_path, env={"XDG_DATA_HOME": str(data)}, umask=0)
    assert done.returncode == 0, done.stderr.decode()
    for folder in (data.parent, data, data / "Trash", data / "Trash" / "files", data / "Trash" / "info"):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder
    assert stat.S_IMODE(os.stat(tmp_path / "lib").st_mode) == lib_mode  # (a folder that was there: as it was)


def test_the_cache_folder_a_scan_makes_for_a_read_only_librarys_database_is_private_under_umask_022(tmp_path):
    """``~/.cache`` and ``~/.cache/blurscan`` made for the database of a library the scan may not write were
    0755 (0777 less the umask), and the database 0644: any user could read its photos' paths (until
    2026-12-05)."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured(1, (96, 128)))
    os.chmod(lib, 0o555)
    home = tmp_path / "home"
    home.mkdir()  # (blurscan makes no home folder since 2026-12-05: test_missing_home.py)
    try:
        done = _cli("scan", lib, "--model", "none", cwd=tmp_path, env={"HOME": str(home), "XDG_CACHE_HOME": ""},
                    umask=0o022)
    finally:
        os.chmod(lib, 0o755)
    assert done.returncode == 0, done.stderr.decode()
    for folder in (home / ".cache", home / ".cache" / "blurscan"):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="root's rule (others are refused)")
def test_as_root_a_home_folder_with_no_write_bit_gets_no_cache_folder(tmp_path):
    """As for a library, root honours a home folder with no write bit: the scan of a library it may not write
    says why its database has nowhere to go, and makes nothing in it (until 2026-12-05 it made ``~/.cache``)."""
    lib, home = tmp_path / "lib", tmp_path / "home"
    save_jpeg(lib / "a.jpg", textured(1, (96, 128)))
    home.mkdir()
    for folder in (lib, home):
        os.chmod(folder, 0o555)
    try:
        done = _cli("scan", lib, "--model", "none", cwd=tmp_path, env={"HOME": str(home), "XDG_CACHE_HOME": ""})
    finally:
        for folder in (lib, home):
            os.chmod(folder, 0o755)
    assert done.returncode == 1 and os.listdir(home) == []
    assert f"{home} is read-only (mode 0555" in done.stderr.decode(), done.stderr.decode()
