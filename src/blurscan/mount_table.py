"""The mount table, /proc/self/mountinfo, read: its one parser (:func:`read`), for the actions' drives
(:func:`blurscan.actions.drives.mounts`, which reads its own :data:`~blurscan.actions.drives.MOUNTINFO`) and the
network shares of a library's database (:mod:`blurscan.share_ids`, which reads :data:`MOUNTINFO`)."""
from __future__ import annotations

import os
import re
from typing import NamedTuple

#: The mount table :func:`read` reads by default (tests give their own).
MOUNTINFO = "/proc/self/mountinfo"


class Mount(NamedTuple):
    """One line of /proc/self/mountinfo: ``point`` (where), ``root`` (the folder of the file system mounted there:
    ``/`` for a whole one), ``device`` (``os.makedev``; None where the line does not say), ``fstype`` and
    ``source`` (what is mounted: ``/dev/sda1``, a share's ``server:/export``; ``""`` where the line does not say)."""

    point: str
    root: str
    device: int | None
    fstype: str
    source: str = ""


def read(mountinfo: str | None = None) -> list[Mount]:
    """The mounts of ``mountinfo`` (default :data:`MOUNTINFO`), in its order (a mount over another at the same place
    after it). Raises FileNotFoundError where there is none (not Linux), OSError or ValueError where it cannot be
    read."""
    with open(MOUNTINFO if mountinfo is None else mountinfo, "rb") as fh:
        lines = fh.read().splitlines()
    found = []
    for line in lines:
        fields = line.split(b" ")
        if len(fields) < 6:
            continue
        try:
            dash = fields.index(b"-", 6)
            major, minor = (int(n) for n in fields[2].split(b":"))
            device, fstype = os.makedev(major, minor), os.fsdecode(fields[dash + 1])
            source = unescape(fields[dash + 2]) if len(fields) > dash + 2 else ""
        except (ValueError, IndexError):
            device, fstype, source = None, "", ""
        found.append(Mount(unescape(fields[4]), unescape(fields[3]), device, fstype, source))
    return found


def unescape(field: bytes) -> str:
    """A path as /proc/self/mountinfo and /etc/fstab write it (space, tab, newline and backslash as ``\\ooo``)."""
    return os.fsdecode(re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), field))
