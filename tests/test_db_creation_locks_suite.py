"""Where the scans' database-choosing locks go, and what a scan says of an own locks folder it cannot use
(:mod:`blurscan.cli.db_creation`).

* ``$BLURSCAN_LOCKS_DIR`` (default ``/tmp``) holds the two locks folders. The tests set it to a folder of their
  own (``conftest.py``): until 2026-12-07 every run of the suite left some 60,000 empty lock files in ``/tmp``, one
  per test folder scanned, there until the next boot.
* ``/tmp/blurscan-locks-UID`` that is another user's, a link, a file, or open to others is not used (another user
  could empty it or keep the scans waiting): until 2026-12-07 the scan went on without a word, and two of this
  user's scans of one library started together no longer waited for each other where no shared lock was taken.
  Now it says so, one line on stderr naming the folder and the reason, and goes on.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from blurscan.cli import db_creation
from helpers_cli import run
from helpers_images import make_library
from helpers_os import NOBODY, give_all, run_unprivileged
from test_db_creation_locks import SCAN, shared  # noqa: F401 (the fixture)

as_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="makes a folder of another user's (the tests run as root)")


def _unnamed() -> int:
    """A user id no user of this machine has (no name in its user database): 54321 is Oracle's ``oracle`` where
    its database's packages made that user."""
    import pwd

    for uid in range(54321, 60000):
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return uid
    raise AssertionError("every user id from 54321 to 59999 has a name here")


UNNAMED = _unnamed()

#: ``python -c`` running the command line with the users of ``argv[1]`` (JSON: ``{uid: name}``) known by those names,
#: whatever this machine's user database holds (:func:`helpers_os.users_known`, for a child of its own)
_NAMED = """
import json, pwd, sys
names, real = {int(uid): name for uid, name in json.loads(sys.argv.pop(1)).items()}, pwd.getpwuid
pwd.getpwuid = lambda uid: (pwd.struct_passwd((names[uid], "x", uid, uid, "", "/", "/bin/sh")) if uid in names else
                            real(uid))
from blurscan.__main__ import run
run()
"""


def _scan(lib, named: dict[int, str] | None = None, **env):
    """The real ``blurscan scan lib`` in a subprocess, with ``env`` added to the tests' environment (and the users
    ``named`` known by those names)."""
    command = ["-c", _NAMED, json.dumps(named)] if named else ["-m", "blurscan"]
    return subprocess.run([sys.executable, *command, "scan", str(lib), *SCAN], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def _lock_name(folder) -> str:
    st = os.stat(folder)
    return f"{st.st_dev:x}-{st.st_ino:x}"


def _unlocked_in_tmp(tmp_path, uid) -> Path:
    """A new folder whose lock files are in neither of ``/tmp``'s locks folders: a scan run on this machine outside
    the suite (or by an older suite) left one for every folder it scanned, named after its inode, and ``/tmp``
    gives a new folder an inode freed since (the test failed at random where one was left)."""
    for n in range(100):
        lib = tmp_path / f"lib{n}"
        lib.mkdir()
        st = os.stat(lib)
        if not (os.path.lexists(f"/tmp/blurscan-locks-{uid}/{_lock_name(lib)}")
                or os.path.lexists(f"/tmp/blurscan-locks/{db_creation.shared_name(st)}")):
            return lib
    pytest.skip("every new folder's inode has a lock file in /tmp")


def test_the_suites_scans_leave_no_lock_file_in_tmp(tmp_path):
    """A scan the tests run (a real subprocess, as most of the suite's scans) locks in the suite's own folder, not
    in ``/tmp/blurscan-locks-UID`` and ``/tmp/blurscan-locks``: nothing of it is left in ``/tmp`` after the run."""
    base = os.environ["BLURSCAN_LOCKS_DIR"]
    assert os.path.realpath(base) != "/tmp"
    uid = os.geteuid()
    lib = _unlocked_in_tmp(tmp_path, uid)
    make_library(lib, n_sharp=1, n_blurry=1)
    done = _scan(lib)
    assert done.returncode == 0, done.stderr
    assert _lock_name(lib) in os.listdir(os.path.join(base, f"blurscan-locks-{uid}"))
    assert not os.path.lexists(f"/tmp/blurscan-locks-{uid}/{_lock_name(lib)}")
    assert not os.path.lexists(f"/tmp/blurscan-locks/{db_creation.shared_name(os.stat(lib))}")
    assert db_creation.LOCKS == os.path.join(base, "blurscan-locks")  # (and the in-process scans')


def test_blurscan_locks_dir_holds_both_locks_folders(tmp_path):
    """``BLURSCAN_LOCKS_DIR=folder`` (a sticky folder every user may write, as ``/tmp``): the user's own locks
    folder (0700) and the shared one (1777) are made there, and the scan's locks taken in them."""
    base = tmp_path / "locks"
    base.mkdir()
    os.chmod(base, 0o1777)
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    done = _scan(lib, BLURSCAN_LOCKS_DIR=str(base))
    assert done.returncode == 0, done.stderr
    assert "note:" not in done.stderr
    own = base / f"blurscan-locks-{os.geteuid()}"
    assert stat.S_IMODE(own.lstat().st_mode) == 0o700 and _lock_name(lib) in os.listdir(own)
    assert stat.S_IMODE((base / "blurscan-locks").lstat().st_mode) == 0o1777
    assert db_creation.shared_name(os.stat(lib)) in os.listdir(base / "blurscan-locks")


def _squat(own: Path, kind: str) -> None:
    if kind == "nobody's":
        own.mkdir(mode=0o700)
        os.chown(own, NOBODY, NOBODY)
    elif kind == "a user's of no name":
        own.mkdir(mode=0o700)
        os.chown(own, UNNAMED, UNNAMED)
    elif kind == "a link":
        (own.parent / "elsewhere").mkdir(mode=0o700)
        own.symlink_to(own.parent / "elsewhere")
    elif kind == "a file":
        own.write_bytes(b"")
    else:
        own.mkdir()
        os.chmod(own, 0o755)


@pytest.mark.slow
@pytest.mark.parametrize("kind,why", [
    pytest.param("nobody's", "it is nobody's, not this user's", marks=as_root),
    pytest.param("a user's of no name", f"it is user {UNNAMED}'s, not this user's", marks=as_root),
    ("a link", "it is a link"),
    ("a file", "it is not a folder"),
    ("open", "other users may open it (mode 755)"),
])
def test_an_own_locks_folder_not_used_is_said(tmp_path, kind, why):
    """``/tmp/blurscan-locks-UID`` made by ``nobody`` (``mkdir`` in the sticky ``/tmp`` before this user's first
    scan), a link, a file or a folder others may open: the scan says, once, that it does not use it and why (it
    said nothing), and scans as before, its database made."""
    base = tmp_path / "locks"
    base.mkdir()
    os.chmod(base, 0o1777)
    own = base / f"blurscan-locks-{os.geteuid()}"
    _squat(own, kind)
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    # (65534 named nobody whatever this machine calls it: nfsnobody on older Red Hat systems, or nothing)
    done = _scan(lib, {NOBODY: "nobody"}, BLURSCAN_LOCKS_DIR=str(base))
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert said == [f"note: {own} is not used for this user's scan locks: {why}; two scans of one library started "
                    "together may each make a database"], done.stderr
    assert (lib / ".blurscan.db").is_file()


@as_root
@pytest.mark.parametrize("made", [True, False])
def test_a_plain_users_own_locks_folder_not_theirs_or_not_makeable_is_said(shared, made):  # noqa: F811
    """As ``nobody``: the own locks folder made by root first (0700, root's), or not to be made at all (its folder
    not writable, as a read-only ``/tmp``): said, with the reason, and the scan goes on."""
    own = Path(db_creation.PRIVATE.format(uid=NOBODY))
    if made:
        own.mkdir(mode=0o700)
    else:
        os.chmod(own.parent, 0o755)
    lib = shared / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    give_all(lib, (NOBODY, NOBODY))

    import rich.console  # noqa: F401 (the table's, loaded before the child may no longer read it)

    def scan():
        result = run("scan", lib, *SCAN)
        return result.exit_code, result.output

    code, out = run_unprivileged(scan)
    assert code == 0, out
    why = "it is root's, not this user's" if made else "it cannot be made (Permission denied)"
    assert f"note: {own} is not used for this user's scan locks: {why}; two scans" in out, out


def test_a_locks_dir_with_braces_in_its_name(tmp_path):
    """``BLURSCAN_LOCKS_DIR`` naming a folder with braces (``locks {uid}``, ``{x}``): the own locks folder is made
    in it as in any other, no note, the scan's lock taken there (the braces are not a place for the user id)."""
    base = tmp_path / "locks {uid} {x}"
    base.mkdir()
    os.chmod(base, 0o1777)
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    done = _scan(lib, BLURSCAN_LOCKS_DIR=str(base))
    assert done.returncode == 0, done.stderr
    assert "note:" not in done.stderr, done.stderr
    assert _lock_name(lib) in os.listdir(base / f"blurscan-locks-{os.geteuid()}")


@as_root
def test_lock_files_not_to_be_made_are_said_once(shared):  # noqa: F811
    """As ``nobody``, an own locks folder in which no lock file can be made (read-only, as in a full ``/tmp``): the
    scan takes the locks of the library and each folder above it, and cannot make any; it says so once, not once a
    folder, and scans as before."""
    own = Path(db_creation.PRIVATE.format(uid=NOBODY))
    own.mkdir(mode=0o500)
    os.chown(own, NOBODY, NOBODY)
    lib = shared / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    give_all(lib, (NOBODY, NOBODY))

    import rich.console  # noqa: F401 (the table's, loaded before the child may no longer read it)

    def scan():
        result = run("scan", lib, *SCAN)
        return result.exit_code, result.output

    code, out = run_unprivileged(scan)
    assert code == 0, out
    said = [line for line in out.splitlines() if line.startswith("note:")]
    assert said == [f"note: {own} is not used for this user's scan locks: its lock files cannot be made "
                    "(Permission denied); two scans of one library started together may each make a database"], out
    assert (lib / ".blurscan.db").is_file()


@pytest.mark.slow  # (six scans, ~6 s)
def test_too_many_open_files_is_said_once_by_the_scan_not_as_a_locks_folder_not_used(tmp_path):
    """Under a limit of open files too low for the scan (``ulimit -n 6`` to ``8`` here: its lock files cannot be
    opened either): one ``Error: too many open files`` line, in the scan's words, and no note that the own locks
    folder is not used (it is, and the limit is no fault of it; a mutant that said so survived)."""
    import resource

    lib = tmp_path / "lib"
    make_library(lib, n_sharp=1, n_blurry=1)
    for n in range(5, 11):
        done = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(lib), *SCAN], capture_output=True,
                              text=True, timeout=120,
                              preexec_fn=lambda n=n: resource.setrlimit(resource.RLIMIT_NOFILE, (n, n)))
        said = [line for line in done.stderr.splitlines() if line.startswith(("note:", "Error:"))]
        assert done.returncode == 0 and said == [] or done.returncode == 1 and len(said) == 1 and said[0].startswith(
            f"Error: too many open files: this process may have at most {n} open at once"), (n, done.stderr)
