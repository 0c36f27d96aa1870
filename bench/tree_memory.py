"""The memory of a process tree, for ``bench/throughput.py``: its resident size summed, sampled from ``/proc``, and
the largest peak of one of its descendants, its own (``VmHWM``, not ``getrusage``'s ``ru_maxrss``)."""
from __future__ import annotations

import os
import threading


def _tree_rss(root_pid: int) -> dict[int, int]:
    """Resident bytes of ``root_pid`` and each of its descendants, by pid, from /proc (Linux); empty elsewhere."""
    try:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    fields = fh.read().rsplit(b")", 1)[1].split()
                ppid, pages = int(fields[1]), int(fields[21])
            except (OSError, IndexError, ValueError):
                continue
            pid = int(entry)
            children.setdefault(ppid, []).append(pid)
            rss[pid] = pages * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return {}
    tree, stack = {}, [root_pid]
    while stack:
        pid = stack.pop()
        tree[pid] = rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return tree


def _own_peak_bytes(pid: int) -> int:
    """The peak resident size of ``pid``'s own memory since it last ran ``exec`` (``VmHWM``); 0 once it is gone.

    Not ``getrusage``'s ``ru_maxrss``: the kernel carries into it the memory the process had before its ``exec``,
    which for a child started by ``fork`` or ``vfork`` (``subprocess``, ``multiprocessing``'s ``spawn``) is its
    parent's, so ``RUSAGE_CHILDREN`` in a scan says at least the scanning process's own peak when it started its
    workers, whatever the workers used."""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


class PeakTreeRSS:
    """Context manager sampling the process tree's RSS every ``interval`` seconds; ``.peak`` in bytes (the tree's
    sum), ``.largest_child`` the largest peak of one of ``root``'s descendants, its own (:func:`_own_peak_bytes`,
    read at each sample: the last before it ends is within ``interval`` of its end)."""

    def __init__(self, interval: float = 0.02, root: int | None = None) -> None:
        self.interval, self.peak, self.root, self.largest_child = interval, 0, root, 0
        self._stop = threading.Event()

    def sample(self) -> None:
        root = self.root or os.getpid()
        tree = _tree_rss(root)
        self.peak = max(self.peak, sum(tree.values()))
        for pid in tree:
            if pid != root:
                self.largest_child = max(self.largest_child, _own_peak_bytes(pid))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakTreeRSS":
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
