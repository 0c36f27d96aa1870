"""A file's modification time as blurscan stores and compares it: nanoseconds within a signed 64-bit integer.

SQLite's integers are signed 64-bit, and 2**63 - 1 nanoseconds after 1970 is 2262-04-11 23:47:16.854775807 UTC,
while ext4, XFS and btrfs keep later times (ext4 until the year 2446): a photo whose time was set past 2262
(``touch -d 2300-01-01``, a tool that wrote a garbage time) stopped a scan with an OverflowError traceback
("Python int too large to convert to SQLite INTEGER"), the photos after it unscanned (until 2026-12-06). Such a
time is now taken as 2262-04-11 23:47:16.854775807 (and one before 1677-09-21, which no Linux file system
keeps, as that date): every place that stores a file's time or compares it with a stored one reads it through
:func:`mtime_of`, so the photo is scored, found unchanged by the next scan, and moved, kept and undone as any.
"""
from __future__ import annotations

import os

#: The range of SQLite's integers (and of numpy's int64 and of a C ``time_t`` in nanoseconds).
MIN_NS, MAX_NS = -(2 ** 63), 2 ** 63 - 1


def mtime_of(st: os.stat_result) -> int:
    """``st.st_mtime_ns`` within :data:`MIN_NS` .. :data:`MAX_NS` (a time beyond that range as its end)."""
    return min(max(st.st_mtime_ns, MIN_NS), MAX_NS)
