"""``sudo blurscan trash ~/Pictures`` with ``HOME=/root`` (sudo's default) puts the photos in root's trash, as
``trash-put`` does. The person's own ``blurscan undo ~/Pictures`` then cannot reach them: until 2026-12-06 it said
only that each trashed photo "cannot be looked at: permission denied; run undo again once it can". It now names
the folder this user may not enter, its owner, and that ``sudo blurscan undo`` puts the photos back."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import blurscan
from blurscan.cli import main
from blurscan.errors import shell_path
from helpers_library import build_library, decide
from helpers_os import users_unknown

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="only root can trash into a folder another user may not enter, and undo as them")

ALICE = (1234, 1235)


@pytest.fixture
def base():
    """A folder alice may enter (the test's own ``tmp_path`` is in root's ``0700`` folder)."""
    folder = tempfile.mkdtemp(prefix="blurscan-undo-owner-")
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _as_alice(args: list[str], home: str) -> tuple[int, str]:
    """``blurscan ARGS`` run as alice, in a child process that has given up root."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 99
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(ALICE[1])
            os.setuid(ALICE[0])
            os.environ["HOME"] = home
            result = CliRunner().invoke(main, args)
            os.write(write, result.output.encode())
            code = result.exit_code
        finally:
            os._exit(code)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), b"".join(chunks).decode()


def _trashed_by_root(base, monkeypatch) -> tuple[str, dict, str, str]:
    """alice's library under ``base``, its discarded photo trashed by root with ``HOME=/root`` (sudo's default):
    ``(lib, files, roots, alices)``, the last two root's and alice's homes."""
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    lib = os.path.join(base, "Pictures")
    store, f = build_library(Path(lib))
    decide(store, f["IMG_4"], "discard")
    store.close()
    for folder, dirs, files in os.walk(lib):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.chown(name, *ALICE)
    roots = os.path.join(base, "root")
    os.mkdir(roots, 0o700)
    alices = os.path.join(base, "alice")
    os.mkdir(alices)
    os.chown(alices, *ALICE)
    monkeypatch.setenv("HOME", roots)
    out = CliRunner().invoke(main, ["trash", lib, "--yes"])  # sudo blurscan trash ~/Pictures
    assert out.exit_code == 0, out.output
    assert not os.path.exists(f["IMG_4"])
    return lib, f, roots, alices


def test_the_owners_undo_of_a_batch_in_roots_trash_says_sudo_puts_it_back(base, monkeypatch):
    lib, f, roots, alices = _trashed_by_root(base, monkeypatch)
    code, said = _as_alice(["undo", lib], alices)
    assert code == 1
    assert f"is in {roots}, root's, which this user may not enter" in said, said
    assert "`sudo blurscan undo` with the same arguments puts it back" in said
    assert "cannot be looked at" not in said
    assert not os.path.exists(f["IMG_4"])  # (nothing put back; the batch stays to undo)
    assert CliRunner().invoke(main, ["undo", lib]).exit_code == 0  # sudo blurscan undo ~/Pictures
    assert os.path.exists(f["IMG_4"])


def test_the_sudo_undo_names_a_blurscan_outside_sudos_secure_path_by_its_absolute_path(base, monkeypatch):
    """alice's ``blurscan`` on her PATH lies in a virtual environment (or ``~/.local/bin``), which sudo's
    ``secure_path`` (Debian's: ``/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin``) never searches:
    the undo advised names it by its absolute path. Until 2026-12-07 it said ``sudo blurscan undo``, which sudo
    answered ``sudo: blurscan: command not found``."""
    script = os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "blurscan")
    if not os.path.isfile(script):
        pytest.skip("no blurscan command beside this Python")
    lib, f, roots, alices = _trashed_by_root(base, monkeypatch)
    monkeypatch.setattr(sys, "argv", [script, "undo", lib])  # (alice runs the installed command, on her PATH)
    monkeypatch.setenv("PATH", os.pathsep.join([os.path.dirname(script), "/usr/bin", "/bin"]))
    code, said = _as_alice(["undo", lib], alices)
    assert code == 1
    assert f"`sudo {shell_path(script)} undo` with the same arguments puts it back" in said, said
    assert not os.path.exists(f["IMG_4"])


@pytest.mark.parametrize("how", ["link", "python -m"])
def test_the_sudo_undo_names_a_link_or_python_m_outside_sudos_secure_path_by_its_absolute_path(base, monkeypatch,
                                                                                                 how):
    """alice runs blurscan through ``~/bin/bs``, a link of another name to it, on her PATH (the environment's folder
    not), or as ``python -m
    blurscan`` with the environment's ``blurscan`` on her PATH: the sudo undo advised names the link, or that
    ``blurscan``, by its absolute path, sudo's ``secure_path`` holding neither folder (kills the mutants of
    :func:`blurscan.typed_commands.program` that give the name alone for a link or for ``python -m``)."""
    script = os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "blurscan")
    if not os.path.isfile(script):
        pytest.skip("no blurscan command beside this Python")
    lib, f, roots, alices = _trashed_by_root(base, monkeypatch)
    links = Path(base) / "bin"  # (alice's ~/bin)
    links.mkdir()
    (links / "bs").symlink_to(script)
    run_as = str(links / "bs") if how == "link" else os.path.join(os.path.dirname(blurscan.__file__), "__main__.py")
    named = shell_path(run_as if how == "link" else script)
    monkeypatch.setattr(sys, "argv", [run_as, "undo", lib])
    folders = [str(links)] if how == "link" else [os.path.dirname(script)]  # (the environment's folder not on
    monkeypatch.setenv("PATH", os.pathsep.join([*folders, "/usr/bin", "/bin"]))  # PATH: bs is how she runs it)
    code, said = _as_alice(["undo", lib], alices)
    assert code == 1
    assert f"`sudo {named} undo` with the same arguments puts it back" in said, said


def test_a_folder_of_ones_own_shut_is_said_as_before(base, monkeypatch):
    """Where the folder this user may not enter is their own (``chmod 0`` of their trash), the reason is the
    system's, as before: no sudo is needed."""
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    lib = os.path.join(base, "Pictures")
    store, f = build_library(Path(lib))
    decide(store, f["IMG_4"], "discard")
    store.close()
    alices = os.path.join(base, "alice")
    os.mkdir(alices)
    for top in (lib, alices):
        for folder, dirs, files in os.walk(top):
            for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.chown(name, *ALICE)
    monkeypatch.setenv("HOME", alices)
    assert CliRunner().invoke(main, ["trash", lib, "--yes"]).exit_code == 0  # (alice's trash: hers)
    for folder, dirs, files in os.walk(alices):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.chown(name, *ALICE)
    trash = os.path.join(alices, ".local", "share", "Trash")
    os.chmod(trash, 0)
    code, said = _as_alice(["undo", lib], alices)
    os.chmod(trash, 0o700)
    assert code == 1
    assert "cannot be looked at: permission denied" in said, said
    assert "sudo" not in said


def test_a_folder_shut_by_a_user_of_no_name_names_them_as_user_n(base, monkeypatch):
    """Alice moved photos into a folder of hers that another user, whom the user database does not know, has taken
    and shut since (``chown 4242``, ``0700``): her undo names them ``user 4242`` (:mod:`blurscan.owner_names`),
    where until 2026-12-07 it said "…, 4242's, which this user may not enter; the same undo run as 4242 …"."""
    unnamed = 4242
    users_unknown(monkeypatch, (unnamed,))
    lib, shut = os.path.join(base, "Pictures"), os.path.join(base, "shut")
    store, f = build_library(Path(lib))
    decide(store, f["IMG_4"], "discard")
    store.close()
    os.mkdir(shut)
    for top in (lib, shut):
        for folder, dirs, files in os.walk(top):
            for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                os.chown(name, *ALICE)
    code, said = _as_alice(["move", lib, "--to", os.path.join(shut, "rejects"), "--yes"], base)
    assert code == 0, said
    os.chown(shut, unnamed, unnamed)
    os.chmod(shut, 0o700)
    code, said = _as_alice(["undo", lib], base)
    assert code == 1
    assert (f"is in {shut}, user {unnamed}'s, which this user may not enter; the same undo run as user {unnamed} (or "
            "with sudo) puts it back") in said, said
    assert not os.path.exists(f["IMG_4"])  # (nothing put back; the batch stays to undo)
