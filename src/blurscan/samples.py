"""A sample of a file's bytes: a SHA-256 of its size and its first and last 64 KiB (:func:`sample_sha256`).

What tells a file from another of the same size and modification time (:mod:`blurscan.replaced` says why a
scan needs that), what a move or trash journals of each file it renames (:mod:`blurscan.actions.run`), and
what the decoder stores of the bytes it decoded (:func:`sample_of`). Moved out of :mod:`blurscan.replaced` on
2026-12-06 so that the decoder, a stage below the store, no longer imports a module of the scan's store
lookups (``tests/test_layering.py``); :mod:`blurscan.replaced` re-exports every name, unchanged.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat

#: Bytes read at each end of a file by :func:`sample_sha256`.
SAMPLE_BYTES = 64 * 1024
#: Hex digits of :func:`sample_sha256` a record keeps: 64 bits, two different samples alike by chance once in
#: 1.8e19 (the whole digest made a re-scan's parsing of the records measurably slower).
RECORD_DIGITS = 16


def sample_sha256(path: str) -> str:
    """SHA-256 (hex) of a file's size and its first and last :data:`SAMPLE_BYTES` (all of a smaller file).

    What a move or trash journals of a file it renames, so that undo can tell that file from another one put
    at its destination since, and what a scan stores with a photo's record (see :mod:`blurscan.replaced`): reading
    every byte would make a rename, which reads nothing, cost as much as a copy (a 3 MB JPEG: 0.2 ms against
    5-9 ms; a 25 MB RAW: ten times that). The ends of a photo hold what differs between two shots of one size
    (EXIF times and counters, thumbnail, the last scans of the image)."""
    return read_sample(path)[1]


def read_sample(path: str) -> tuple[os.stat_result, str]:
    """``(stat, sample_sha256)`` of the file ``path``, the ``stat`` taken from the open descriptor before reading.

    Raises
    ------
    OSError
        The file cannot be opened or read, or is not a regular file (a named pipe put in its place is opened
        without waiting for a writer, and refused).
    """
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    with open(os.open(path, flags), "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        head = f.read(SAMPLE_BYTES)
        tail = b""
        if st.st_size > SAMPLE_BYTES:
            f.seek(max(SAMPLE_BYTES, st.st_size - SAMPLE_BYTES))
            tail = f.read(SAMPLE_BYTES)
    return st, _digest(st.st_size, head, tail)


def sample_of(data: bytes) -> str:
    """A record's ``sample`` of a file read whole, from its bytes ``data``: the first :data:`RECORD_DIGITS` hex
    digits of its :func:`sample_sha256`."""
    size = len(data)
    tail = data[max(SAMPLE_BYTES, size - SAMPLE_BYTES):][:SAMPLE_BYTES] if size > SAMPLE_BYTES else b""
    return _digest(size, data[:SAMPLE_BYTES], tail)[:RECORD_DIGITS]


def _digest(size: int, head: bytes, tail: bytes) -> str:
    digest = hashlib.sha256(b"%d\n" % size)
    digest.update(head)
    digest.update(tail)
    return digest.hexdigest()
