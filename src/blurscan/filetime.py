"""A file's modification time as blurscan stores and compares it: nanoseconds within a signed 64-bit integer.

SQLite's integers are signed 64-bit, and 2**63 - 1 nanoseconds after 1970 is 2262-04-11 23:47:16.854775807 UTC,
while ext4, XFS and btrfs keep later times (ext4 until the year 2446): a photo whose time was set past 2262
(``touch -d 2300-01-01``, a tool that wrote a garbage time) stopped a scan with an OverflowError traceback
("Python int too large to convert to SQLite INTEGER"), the photos after it unscanned (until 2026-12-06). Such a
time is now taken as 2262-04-11 23:47:16.854775807 (and one before 1677-09-21, which no Linux file system
keeps, as that date): every place that stores a file's time or compares it with a stored one reads it through
:func:`mtime_of`, so the photo is scored, found unchanged by the next scan, and moved, kept and undone as any.

A drive keeps a narrower range: FAT and exFAT 1980 to 2107, HFS+ 1904 to 2040, a file system of 32-bit times 1901
to 2038. A file copied there with a time beyond it (a scanned slide dated 1975 by its EXIF) is given the drive's
earliest or latest time, without an error; :func:`drive_edge` tells such a time, so that undo and a scan of a
library moved there can know the photo by the time it had (:mod:`blurscan.actions.restore`,
:mod:`blurscan.coarsened`).
"""
from __future__ import annotations

import os
import time

#: The range of SQLite's integers (and of numpy's int64 and of a C ``time_t`` in nanoseconds).
MIN_NS, MAX_NS = -(2 ** 63), 2 ** 63 - 1


def mtime_of(st: os.stat_result) -> int:
    """``st.st_mtime_ns`` within :data:`MIN_NS` .. :data:`MAX_NS` (a time beyond that range as its end)."""
    return min(max(st.st_mtime_ns, MIN_NS), MAX_NS)


#: The earliest and latest times, in seconds since 1970 (UTC), that file systems keep: FAT and exFAT 1980-01-01
#: 00:00:00 and 2107-12-31 23:59:58 (local time: the drive's time zone moves them, see :data:`ZONE_S`), HFS+
#: 1904-01-01 and 2040-02-06 06:28:15, a signed 32-bit time (ext2/3 and ext4 with 128-byte inodes, XFS without
#: bigtime) 1901-12-13 20:45:52 and 2038-01-19 03:14:07, an unsigned one (some network shares) 1970 and 2106.
EARLIEST_S = (315_532_800, -2_082_844_800, -2 ** 31, 0)
LATEST_S = (4_354_819_198, 2_212_122_495, 2 ** 31 - 1, 2 ** 32 - 1)
#: How far a drive's time zone moves a FAT or exFAT edge (the world's offsets are within 14 hours).
ZONE_S = 14 * 3600


def edge_side(now: int) -> int:
    """-1 when ``now`` (ns) is, or is within :data:`ZONE_S` of, a file system's earliest time (:data:`EARLIEST_S`),
    1 when of its latest (:data:`LATEST_S`), 0 otherwise (and for a time that is not a whole second)."""
    if now % 1_000_000_000:
        return 0
    s = now // 1_000_000_000
    if any(abs(s - edge) <= ZONE_S for edge in EARLIEST_S):
        return -1
    return 1 if any(abs(s - edge) <= ZONE_S for edge in LATEST_S) else 0


def drive_edge(now: int, was: int) -> bool:
    """Whether ``now`` (ns) is what a drive that cannot keep ``was`` (ns) gives a file copied there with that time:
    its earliest or latest time (:func:`edge_side`), ``was`` beyond it."""
    side = edge_side(now)
    return (side < 0 and was < now) or (side > 0 and was > now)


#: A status-change time that is a whole number of this step comes from a file system that keeps coarse times
#: (FAT's 2 s, the second of ext2/3 with 128-byte inodes and of HFS+, exFAT's 10 ms).
COARSE_NS = 10_000_000
#: How close to the moment a file was read a coarse status-change time may be and still be changed again unseen:
#: FAT's 2 seconds and a second more for its rounding.
RACY_NS = 3_000_000_000


def ctime_of(st: os.stat_result, now_ns: int | None = None) -> int | None:
    """``st.st_ctime_ns``, the status-change time to store with a record of the file's bytes read at ``now_ns``
    (the present by default), or None when a file system of coarse times (:data:`COARSE_NS`) gave a time within
    :data:`RACY_NS` of that moment: the file could still change after it was read with that very time (and, its
    size kept, its modification time too), which nothing would tell apart (:mod:`blurscan.replaced`). A record
    without one has its sample read by the next scan, which stores the time then. A time of a fine-grained file
    system is stored whatever it is: a change after the read gives another."""
    ctime = st.st_ctime_ns
    now_ns = time.time_ns() if now_ns is None else now_ns
    return None if ctime % COARSE_NS == 0 and ctime > now_ns - RACY_NS else ctime
