"""The error records a scan may reuse: an image too small to judge (a side under
:data:`~blurscan.config.MIN_JUDGED_SIDE` at full resolution, MNIST's 28 x 28 and such icons), whose reason depends
only on the file's bytes. Every other error record is tried again on the next scan (a permission fixed, a file
finished copying, a RAW twin that judges it); until 2026-12-06 these were too, and a rescan of 5,000 such images
decoded each again and said each on stderr.

One is reused while the file is the very one judged: the same path, size and modification time (as any record,
:meth:`blurscan.store.Store.lookup_many`) and the same status-change time, taken from the descriptor it was read
through (a file replaced by another of the same size and time, renamed over it, changes that time; a record stored
before has none and is decoded again, once), no RAW twin beside it, and its size still too small by today's rule."""
from __future__ import annotations

import re

from .config import MIN_JUDGED_SIDE
from .records import ImageRef, ScanRecord

PREFIX = "too small to judge: "
_SIZE = re.compile(r"too small to judge: ([0-9]+) x ([0-9]+) px ")


def error_record(ref: ImageRef, reason: str, read: ScanRecord | None) -> ScanRecord:
    """The error record of ``ref`` failed for ``reason``; one too small to judge carries the identity of the bytes
    read (``read``: the record begun from the decoded image, None when it was not decoded), which lets the next
    scan reuse it (:func:`reusable`)."""
    record = ScanRecord.from_error(ref, reason)
    if read is not None and reason.startswith(PREFIX) and not ref.raw_twin and read.ctime_ns is not None:
        record.size, record.mtime_ns, record.ctime_ns, record.sample = (read.size, read.mtime_ns, read.ctime_ns,
                                                                        read.sample)
    return record


def reusable(record: ScanRecord, ref: ImageRef) -> bool:
    """Whether a stored error ``record`` (found for ``ref``: the same path, size and modification time) may be
    reused: one too small to judge, of the very file judged (see the module docstring)."""
    if record.status != "error" or ref.raw_twin or record.ctime_ns is None or record.ctime_ns != ref.ctime_ns:
        return False
    m = _SIZE.match(record.error or "")
    return m is not None and min(int(m.group(1)), int(m.group(2))) < MIN_JUDGED_SIDE
