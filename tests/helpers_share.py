"""A network share for the tests of a library on one (tests/test_network_share.py, tests/test_share_follow.py): a
mount table of the tests' own in which a folder is a share (``_share``, ``_two_mounts``), and real sshfs mounts
over localhost from an ``sshd`` of the test's own (``_sshfs``; root, ``sshd``, ``sshfs`` and /dev/fuse needed)."""
from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from blurscan import mount_table
from blurscan.actions import drives

from helpers_images import make_library


def _mount_table(monkeypatch, mountinfo: Path) -> None:
    """The mount table the actions' drives and the network shares are read from: ``mountinfo``."""
    monkeypatch.setattr(drives, "MOUNTINFO", str(mountinfo))
    monkeypatch.setattr(mount_table, "MOUNTINFO", str(mountinfo))


def _share(tmp_path, monkeypatch, kind="fuse.sshfs") -> Path:
    """``tmp_path / "nas"``, a folder the mount table says is a network share of type ``kind``; the cache folder
    in ``tmp_path / "cache"``."""
    nas = tmp_path / "nas"
    nas.mkdir()
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
                         f"591 27 0:50 / {nas} rw,nosuid,nodev,relatime - {kind} root@server:/srv/photos rw\n")
    _mount_table(monkeypatch, mountinfo)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return nas


def _two_mounts(tmp_path, monkeypatch, first: str, second: str, kind: str = "fuse.sshfs") -> tuple[Path, Path]:
    """Two folders the mount table says are network shares of type ``kind`` mounted from ``first`` and ``second``
    (the mount table's source), each holding the same photos (``photos``, copied with their times)."""
    one, two = tmp_path / "mnt" / "nas", tmp_path / "media" / "me" / "nas"
    make_library(one / "photos", n_blurry=2)
    shutil.copytree(one, two)
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
                         f"591 27 0:50 / {one} rw,nosuid,nodev,relatime - {kind} {first} rw\n"
                         f"592 27 0:51 / {two} rw,nosuid,nodev,relatime - {kind} {second} rw\n")
    _mount_table(monkeypatch, mountinfo)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return one / "photos", two / "photos"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(sshd: subprocess.Popen) -> threading.Thread:
    """Wait until ``sshd -D -e`` says it listens (``Server listening on ...``, on its stderr), then drain the rest
    of its stderr in a daemon thread (a full pipe would stop it), returned; fails if it ends or says nothing in 30 s."""
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        with sshd.stderr:
            for line in sshd.stderr:
                lines.put(line)
        lines.put(None)

    drain = threading.Thread(target=read, daemon=True)
    drain.start()
    said = []
    while True:
        line = lines.get(timeout=30)
        assert line is not None, "sshd ended: " + "".join(said)
        said.append(line)
        if "Server listening on" in line:
            return drain


@contextlib.contextmanager
def _sshfs(tmp_path, served: Path, *points: Path):
    """``served`` mounted at each of ``points`` by ``sshfs root@127.0.0.1:SERVED`` (the second with a trailing
    slash: the same share, written otherwise) from an ``sshd`` of its own; all unmounted and sshd stopped after.
    Skips without root (sshd's login), ``sshd``, ``sshfs`` or /dev/fuse."""
    missing = [name for name in ("sshfs", "fusermount") if shutil.which(name) is None]
    missing += [] if os.path.exists("/usr/sbin/sshd") else ["/usr/sbin/sshd (openssh-server)"]
    missing += [] if os.path.exists("/dev/fuse") else ["/dev/fuse"]
    if os.geteuid() != 0 or missing:
        pytest.skip("needs root and " + (", ".join(missing) if missing else "root") + " for a real sshfs share")
    keys = tmp_path / "keys"
    keys.mkdir()
    for name in ("id", "host"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys / name], check=True)
    (keys / "authorized").write_text((keys / "id.pub").read_text())
    port = _free_port()
    (keys / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {keys / 'host'}\nPermitRootLogin prohibit-password\n"
        f"PasswordAuthentication no\nAuthorizedKeysFile {keys / 'authorized'}\nStrictModes no\n"
        "Subsystem sftp internal-sftp\n")
    os.makedirs("/run/sshd", exist_ok=True)
    sshd = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", keys / "sshd_config"], stderr=subprocess.PIPE,
                            text=True)
    mounted, drained = [], None
    try:
        options = (f"IdentityFile={keys / 'id'},StrictHostKeyChecking=no,UserKnownHostsFile=/dev/null,"
                   "ConnectTimeout=10,reconnect")
        drained = _wait_listening(sshd)  # (its own line; until 2026-12-07 fifty quick connection tries, which a loaded
        # machine's sshd could outrun: "read: Connection reset by peer")
        for n, point in enumerate(points):
            point.mkdir(parents=True)
            source = f"root@127.0.0.1:{served}" + ("/" if n else "")
            mount = subprocess.run(["sshfs", "-p", str(port), "-o", options, source, point], capture_output=True,
                                   text=True, timeout=60)
            assert mount.returncode == 0, mount.stderr
            mounted.append(point)
        yield
    finally:
        for point in mounted:
            subprocess.run(["fusermount", "-u", point], check=False)
        sshd.send_signal(signal.SIGTERM)
        sshd.wait(timeout=10)
        if drained is not None:
            drained.join(timeout=10)  # (its stderr read to its end: closed there, not left to the collector)


def _blurscan(tmp_path, *args) -> subprocess.CompletedProcess:
    """``python -m blurscan ARGS``, its cache folder in ``tmp_path / "cache"``."""
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    return subprocess.run([sys.executable, "-m", "blurscan", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


def _first_mount_gone(tmp_path, one: Path) -> None:
    """The first mount point of ``_two_mounts`` unmounted: its line gone from the mount table, its folder with it."""
    shutil.rmtree(one.parent)
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text("".join(line for line in mountinfo.read_text().splitlines(True) if str(one.parent) not in line))
