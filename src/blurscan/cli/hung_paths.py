"""A path a command is given that does not answer, said before the command waits on it: a folder on a network share
whose server is gone (a stale NFS or SMB mount), or on a drive pulled out from under its FUSE program (ntfs-3g),
hangs whatever touches it, in the kernel, for as long as it hangs; blurscan cannot help waiting there (the library,
``--to`` or ``--db`` is the person's own), but says what it waits for instead of printing nothing: ``note: waiting
for /mnt/nas/photos to answer (a drive waking up, or a share or drive that does not respond?)`` on stderr. Until
2026-12-07 ``blurscan scan /mnt/nas/photos`` on a stale mount printed nothing at all while it waited.

The words of the command line are looked at (``os.stat``) in a daemon thread, before the command reads any: one
that answers within :data:`PATIENCE` seconds (all do, on a healthy system, in well under a millisecond) says
nothing. A word that is not a path (``0.5``, a command's name) costs one failed lookup in the current folder."""
from __future__ import annotations

import os
import threading
from typing import Callable, Iterable

import click

from ..errors import printable_path

#: Seconds a path given may take to answer before the command says it is waiting for it (a USB drive spinning up
#: takes a few).
PATIENCE = 3.0


def say_if_waiting(words: Iterable[str], patience: float = PATIENCE,
                   stat: Callable[[str], object] = os.stat) -> str | None:
    """Look at each of ``words`` (a command line's, after its command's name: ``--to=X`` gives ``X``, an option's
    name none) in a daemon thread; where one has not answered after ``patience`` seconds, say on stderr that the
    command waits for it, and return it (else None). The thread is left to wait: the command waits there too."""
    paths = [w.split("=", 1)[1] if w.startswith("--") and "=" in w else w for w in words]
    paths = [p for p in paths if p and not p.startswith("-")]
    if not paths:
        return None
    at: list[str] = []

    def look() -> None:
        for path in paths:
            at[:] = [path]
            try:
                stat(path)
            except (OSError, ValueError):
                pass
        at[:] = []

    looking = threading.Thread(target=look, name="blurscan-paths-given", daemon=True)
    looking.start()
    looking.join(patience)
    waited = at[0] if looking.is_alive() and at else None
    if waited is not None:
        click.echo(f"note: waiting for {printable_path(os.path.abspath(waited))} to answer (a drive waking up, or a "
                   "share or drive that does not respond?)", err=True)
    return waited
