"""A command run with its standard error (and standard output) on a pseudo-terminal, as from an interactive
shell: what the terminal received. For the tests of what blurscan draws on terminals (progress bars, their width,
colours, JSON Lines beside a bar)."""
from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import termios
import threading

import pytest


def on_terminal(argv, *, env: dict | None = None, columns: int | None = None, stdout_on_terminal: bool = True,
                timeout: float = 120) -> tuple[int, bytes, bytes]:
    """Run ``argv`` (``sys.executable`` first for Python) with standard error on a pseudo-terminal (``columns``
    wide where given), and standard output there too, or piped when ``stdout_on_terminal`` is False. Returns
    (exit code, what the terminal received, standard output when piped, else ``b""``)."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    if columns:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))
    chunks: list[bytes] = []

    def drain() -> None:  # read all along, so that the child never blocks on a full terminal buffer
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # (EIO: the child's end is closed)
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = subprocess.Popen([str(a) for a in argv], stdin=subprocess.DEVNULL,
                                stdout=slave if stdout_on_terminal else subprocess.PIPE, stderr=slave,
                                env=dict(os.environ) if env is None else env)
    finally:
        os.close(slave)
    stdout, _ = proc.communicate(timeout=timeout)
    reader.join(30)
    os.close(master)
    return proc.returncode, b"".join(chunks), stdout or b""
