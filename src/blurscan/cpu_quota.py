"""The CPU time this process's control group may use (its cgroup CPU quota), counted in cores.

``docker run --cpus 2``, a Kubernetes CPU limit and systemd's ``CPUQuota=`` leave every core of the host
visible and usable (the process's affinity is unchanged): they cap the CPU time the group gets in each period
instead. A scan starting a worker per visible core there makes dozens of ~100 MB workers share two cores' time.
Linux only; anywhere the files are missing or unreadable there is no quota (None).
"""

from __future__ import annotations

from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
SELF_CGROUP = Path("/proc/self/cgroup")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _ratio(quota: str, period: str) -> float | None:
    """Cores from a quota and a period in microseconds; None for no quota (``max``, ``-1``) or nonsense."""
    try:
        q, p = int(quota), int(period)
    except ValueError:
        return None  # "max": no quota
    return q / p if q > 0 and p > 0 else None


def _v2_limit(folder: Path) -> float | None:
    text = _read(folder / "cpu.max")  # "max 100000" or "200000 100000"
    parts = text.split() if text else []
    return _ratio(parts[0], parts[1]) if len(parts) == 2 else None


def _v1_limit(folder: Path) -> float | None:
    quota, period = _read(folder / "cpu.cfs_quota_us"), _read(folder / "cpu.cfs_period_us")
    return _ratio(quota, period) if quota is not None and period is not None else None


def _folders(mount: Path, group: str) -> list[Path]:
    """The group's folder under its hierarchy's mount and every folder above it up to the mount: a quota set
    on a parent (a systemd slice, a pod) bounds its children too. A group whose folder is not visible here
    (another cgroup namespace) is judged by the mount's own files, which then are this namespace's root."""
    here = mount / group.strip("/")
    if not here.is_dir():
        return [mount]
    folders = [here]
    while here != mount and mount in here.parents:
        here = here.parent
        folders.append(here)
    return folders


def quota_cores(root: Path | None = None, self_cgroup: Path | None = None) -> float | None:
    """The smallest CPU quota over this process's cgroup and its parents, in cores (1.5 for ``--cpus 1.5``),
    or None where none is set or the files cannot be read. Reads cgroup v2 (``cpu.max``) and v1
    (``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``, the ``cpu`` controller's hierarchy)."""
    limits = group_limits("cpu", _v2_limit, _v1_limit, CGROUP_ROOT if root is None else root,
                          SELF_CGROUP if self_cgroup is None else self_cgroup, aliases=("cpu,cpuacct",))
    return min(limits) if limits else None


def group_limits(controller: str, v2, v1, root: Path, self_cgroup: Path, aliases: tuple[str, ...] = ()) -> list:
    """Every limit set over this process's cgroup (``self_cgroup``: ``/proc/self/cgroup``) and its parents:
    ``v2(folder)`` of each folder of the unified hierarchy (cgroup v2), ``v1(folder)`` of each folder of
    ``controller``'s own hierarchy (v1: mounted under its controllers' names, ``controller`` or one of
    ``aliases``); the Nones (no limit there) left out. Shared with :mod:`blurscan.memory_limit`."""
    text = _read(self_cgroup)
    if not text:
        return []
    limits: list = []
    for line in text.splitlines():
        hierarchy, _, rest = line.partition(":")
        controllers, _, group = rest.partition(":")
        if hierarchy == "0" and controllers == "":
            mount = root / "unified" if (root / "unified" / "cgroup.controllers").exists() else root
            found = [v2(folder) for folder in _folders(mount, group)]
        elif controller in controllers.split(","):
            mount = next((root / name for name in (controllers, controller, *aliases) if (root / name).is_dir()), None)
            found = [v1(folder) for folder in _folders(mount, group)] if mount else []
        else:
            continue
        limits.extend(limit for limit in found if limit is not None)
    return limits
