"""Reading the next photo while this one is scored: :func:`ahead` asks the system to read a file into its cache
(``posix_fadvise(POSIX_FADV_WILLNEED)``, which returns at once) before the file ahead of it is decoded.

A scan reads each photo whole (:func:`blurscan.fileread.read_once`) and then decodes and scores it. On a slow
drive (an SD card, a USB 2 disk, a NAS) the drive then idles while a photo is scored, and the processor waits
while the next one is read. Measured on a drive throttled to 20 MiB/s (300 12-MP JPEGs, 557 MB, from a cold
cache, on a shared 2-core machine), one process spent 8.5 s blocked in its reads without the hint and 1.8 s with
it (strace's count). Until 2026-12-06 nothing overlapped them. A worker process hints the photos of its task
after the first; the scan hints each task's first as it hands the task out. The hint changes nothing of what
is read or scored: each file is still read once, by its descriptor, and checked as before; on a fast local disk
with the files cached it costs an open and a close.

Only a regular file is hinted, up to :data:`MOST_BYTES` of it (a huge file is read in the course of its own
decoding), and never one larger than the scan reads at all (``--max-pixels``: :func:`blurscan.fileread.
max_file_bytes`). Where the system has no ``posix_fadvise`` (macOS, Windows) nothing is done.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator

from .fileread import max_file_bytes
from .records import ImageRef

#: The most bytes of one file asked for ahead of time (a photo's; a large TIFF or RAW beyond it is read as it is
#: decoded): what a worker may hold in the system's cache for a photo it has not reached yet.
MOST_BYTES = 64 << 20


def ahead(refs: Iterable[ImageRef], max_pixels: int | None = None) -> Iterator[ImageRef]:
    """Each of ``refs`` in order, the next one's bytes asked for (:func:`hint`) before this one is yielded."""
    refs = iter(refs)
    current = next(refs, None)
    while current is not None:
        following = next(refs, None)
        if following is not None:
            hint(following, max_pixels)
        yield current
        current = following


def hint(ref: ImageRef, max_pixels: int | None = None) -> None:
    """Ask the system to read ``ref``'s file into its cache now, without waiting; never raises."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None or ref.size <= 0 or (max_pixels is not None and ref.size > max_file_bytes(max_pixels)):
        return
    # opened as read_once opens it: O_NONBLOCK, as a named pipe put in the photo's place would wait for a writer
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(ref.path, flags)
    except OSError:  # (gone or unreadable: the scan's own read says so)
        return
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            advise(fd, 0, min(ref.size, MOST_BYTES), os.POSIX_FADV_WILLNEED)
    except OSError:
        pass
    finally:
        os.close(fd)
