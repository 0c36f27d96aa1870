"""The memory this process's control group may use (its cgroup memory limit), in bytes.

``docker run --memory 512m``, a Kubernetes memory limit, systemd's ``MemoryMax=`` and a NAS's container settings
cap the memory of every process in the group together; past it the kernel's out-of-memory killer ends one of them
with SIGKILL, which no program can catch. A scan's worker process ended so was reported as "worker process crashed
on this file" with no word of memory (until 2026-12-06): :func:`blurscan.processes.killed` and this limit now say
it. Linux only; anywhere the files are missing or unreadable there is no limit (None). Read as
:mod:`blurscan.cpu_quota` reads the CPU quota (the same group folders, and their parents).
"""

from __future__ import annotations

from pathlib import Path

from .cpu_quota import _read, group_limits

CGROUP_ROOT = Path("/sys/fs/cgroup")
SELF_CGROUP = Path("/proc/self/cgroup")

#: A limit at or above this is none: cgroup v1 writes "no limit" as the largest page-aligned 63-bit number
#: (9223372036854771712), and no machine has 2**60 bytes (an exabyte).
_UNLIMITED = 1 << 60


def _bytes(text: str | None) -> int | None:
    """Bytes from a limit file's text; None for no limit (``max``, v1's huge number) or nonsense."""
    try:
        value = int(text or "")
    except ValueError:
        return None  # "max" (v2): no limit
    return value if 0 < value < _UNLIMITED else None


def limit_bytes(root: Path | None = None, self_cgroup: Path | None = None) -> int | None:
    """The smallest memory limit over this process's cgroup and its parents, in bytes, or None where none is set
    or the files cannot be read. Reads cgroup v2 (``memory.max``) and v1 (``memory.limit_in_bytes``, the
    ``memory`` controller's hierarchy)."""
    limits = group_limits("memory", lambda folder: _bytes(_read(folder / "memory.max")),
                          lambda folder: _bytes(_read(folder / "memory.limit_in_bytes")),
                          CGROUP_ROOT if root is None else root, SELF_CGROUP if self_cgroup is None else self_cgroup)
    return min(limits) if limits else None


def described() -> str:
    """``"memory limit 512 MB"`` where this process's cgroup has one, else ``""``."""
    limit = limit_bytes()
    return f"memory limit {limit / (1 << 20):.0f} MB" if limit is not None else ""
