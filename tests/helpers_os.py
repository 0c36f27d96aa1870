"""Run a test body as an unprivileged user: root may read any file, so tests of permission errors drop to
``nobody`` in a forked child."""
from __future__ import annotations

import contextlib
import importlib
import json
import os
import pkgutil

NOBODY = 65534

#: Modules left out of :func:`load_blurscan`: the command line's entry point runs on import, and the network
#: definition imports torch (training only; a test of the runtime checks torch stays out of the process).
NOT_PRELOADED = ("blurscan.__main__", "blurscan.model.network")


def load_blurscan() -> None:
    """Import every blurscan module now. The commands import many of theirs lazily, and a child that has
    become ``nobody`` may not be allowed to read the source tree (a checkout under root's home): a test run
    alone then failed on an ImportError that CliRunner kept to itself, and passed in the full suite, where
    earlier tests had imported the modules."""
    import blurscan

    for info in pkgutil.walk_packages(blurscan.__path__, "blurscan."):
        if info.name not in NOT_PRELOADED:
            importlib.import_module(info.name)
    # (and the standard library's reader of a package's files, which the shipped model's version is read through:
    # a Python installed under root's home, pyenv's, is not readable by ``nobody`` either; `report` run alone in
    # such a child failed "No module named 'importlib.readers'")
    importlib.import_module("importlib.readers")


@contextlib.contextmanager
def usual_umask():
    """The umask 022 while a test makes, as root, the files another user (``nobody``) is to read: under a
    stricter one (077, root's on hardened systems) they were private, and the test failed on that, not on
    blurscan (until 2026-12-05)."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def run_unprivileged(fn, groups=(), *, uid: int = NOBODY, gid: int = NOBODY, umask: int | None = None):
    """Call ``fn()`` in a forked child that, when the tests run as root, has first become ``nobody`` (or user
    ``uid`` of group ``gid``; member of the supplementary ``groups`` given, of none otherwise), under ``umask`` when
    given; return what it returned (which must be JSON-serialisable). Load every lazily imported module before
    calling: the child may no longer be allowed to read them."""
    load_blurscan()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgroups(list(groups))
                os.setgid(gid)
                os.setuid(uid)
            if umask is not None:
                os.umask(umask)
            os.write(write_end, json.dumps(fn()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the unprivileged child failed"
    return json.loads(data)


def run_script_on_two_photos(tmp_path, script: str, hung: str):
    """``python -c script TMP_PATH`` in a fresh interpreter importing this suite's blurscan, with two small photos in
    ``tmp_path``: the fork tests' way of running what could hang for good (a fork waiting for a lock). The test
    fails with ``hung`` after 60 s."""
    import subprocess
    import sys

    import pytest
    from helpers_images import save_jpeg, textured

    for i in range(2):
        save_jpeg(tmp_path / f"p{i}.jpg", textured(i, (120, 160)))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    try:
        return subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env,
                              timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(hung)


def users_known(monkeypatch, users: dict[int, tuple[str, int, list[int]]], groups: dict[int, str] | None = None):
    """The user database as a test's users need it, whatever this machine's ``/etc/passwd`` and ``/etc/group``
    hold: ``users`` maps a uid to ``(name, gid, other groups)``, ``groups`` a gid to its name; every other user
    and group is looked up as before. blurscan looks a user's name and groups up there (``pwd``, ``grp``,
    ``os.getgrouplist``: who may write a group's library, whose rights root's SQLite takes, the names its
    messages give), and a fresh machine knows no alice, nor a user 1002: tests written where it did failed there,
    or skipped (until 2026-12-07). This process's alone: its forked children inherit it; a ``python -m
    blurscan`` subprocess does not."""
    import grp
    import pwd

    groups = groups or {}
    names = {name: uid for uid, (name, _gid, _others) in users.items()}
    real = pwd.getpwuid, pwd.getpwnam, os.getgrouplist, grp.getgrgid, grp.getgrnam

    def entry(uid):
        name, gid, _others = users[uid]
        return pwd.struct_passwd((name, "x", uid, gid, "", f"/home/{name}", "/bin/sh"))

    def getpwnam(name):
        return entry(names[name]) if name in names else real[1](name)

    def getgrouplist(name, gid):
        return [gid, *users[names[name]][2]] if name in names else real[2](name, gid)

    def group(gid):
        return grp.struct_group((groups[gid], "x", gid, [users[u][0] for u in users if gid in users[u][2]]))

    def getgrnam(name):
        known = [gid for gid, known in groups.items() if known == name]
        return group(known[0]) if known else real[4](name)

    monkeypatch.setattr(pwd, "getpwuid", lambda uid: entry(uid) if uid in users else real[0](uid))
    monkeypatch.setattr(pwd, "getpwnam", getpwnam)
    monkeypatch.setattr(os, "getgrouplist", getgrouplist)
    monkeypatch.setattr(grp, "getgrgid", lambda gid: group(gid) if gid in groups else real[3](gid))
    monkeypatch.setattr(grp, "getgrnam", getgrnam)


def users_unknown(monkeypatch, uids=(), gids=()) -> None:
    """The users ``uids`` and the groups ``gids`` unknown to the user and group databases (``pwd.getpwuid`` and
    ``grp.getgrgid`` raise KeyError, as for a photo copied from another machine), whatever this machine's hold:
    the messages then name them ``user UID`` and ``group GID`` (:mod:`blurscan.owner_names`). Every other user
    and group is looked up as before. This process's alone, as :func:`users_known`."""
    import grp
    import pwd

    real = pwd.getpwuid, grp.getgrgid

    def unknown(kind: str, number: int):
        raise KeyError(f"{kind}(): {'uid' if kind == 'getpwuid' else 'gid'} not found: {number}")

    monkeypatch.setattr(pwd, "getpwuid", lambda uid: unknown("getpwuid", uid) if uid in uids else real[0](uid))
    monkeypatch.setattr(grp, "getgrgid", lambda gid: unknown("getgrgid", gid) if gid in gids else real[1](gid))


def give_all(root, owner: tuple[int, int]) -> None:
    """Give ``root`` and everything under it to ``owner`` (uid, gid), links themselves not followed: a person's
    tree, made by the test as root."""
    for folder, dirs, files in os.walk(root):
        os.chown(folder, *owner, follow_symlinks=False)
        for name in dirs + files:
            os.chown(os.path.join(folder, name), *owner, follow_symlinks=False)


def owner_of(path) -> tuple[int, int]:
    """``path``'s (uid, gid), of a link itself."""
    st = os.lstat(path)
    return st.st_uid, st.st_gid


def names(path, target, kw: dict) -> bool:
    """Whether an ``os`` call's ``path`` (with its keyword arguments ``kw``) names ``target``: by that path, or by
    its base name in a folder's descriptor (``dir_fd``: run as root, a move takes the photo out of its folder held
    open, :func:`blurscan.actions.held_folder.taken`)."""
    target, fd = os.fspath(target), kw.get("dir_fd")
    if fd is None or path != os.path.basename(target):
        return os.fspath(path) == target
    try:
        return os.path.samestat(os.fstat(fd), os.stat(os.path.dirname(target)))
    except OSError:
        return False


def skip_unless_in_a_mount_namespace(script: str, *args, reason: str) -> None:
    """Skip the test (``reason``) where ``sh -c script sh ARGS`` cannot run as a user namespace's root in a mount
    namespace of its own (``unshare -rm``: refused by a container's seccomp profile, or no ``unshare``)."""
    import subprocess

    import pytest

    try:
        probe = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", *map(str, args)], capture_output=True,
                               timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        probe = None
    if probe is None or probe.returncode != 0:
        pytest.skip(reason)
