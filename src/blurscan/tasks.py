"""How a scan's new files are cut into the tasks sent to its worker processes (:func:`tasks`).

Moved out of :mod:`blurscan.pipeline` on 2026-12-06, when tasks began to be sized by their bytes as well as their
files (that module had reached 500 lines)."""
from __future__ import annotations

from .records import ImageRef

#: Files per task sent to a worker process, at most: a scan of fewer than 4 x MAX_CHUNK files per worker sends
#: smaller tasks, so that each worker gets about four and they finish together (a task of 8 12-MP photos is
#: ~0.8 s of CPU: the most a worker can idle at the end of a large scan) ...
MAX_CHUNK = 8
#: ... unless the files are small: a task takes more, up to MAX_TASK_FILES, while they add up to TASK_BYTES at
#: most. A data set of tiny images (32-256 px, a few kB, 1-3 ms of CPU each) sent 8 a task spent a third of the
#: parent's CPU on the hand-offs (until 2026-12-06; 64 of 3 kB: ~0.1-0.4 s of CPU a task).
MAX_TASK_FILES = 64
TASK_BYTES = 2 << 20
#: A RAW + JPEG pair counts as this many bytes at least, so that pairs go MAX_CHUNK a task at most, whatever
#: their JPEG's size: with a JPEG below the analysis size (a camera's "RAW + small JPEG" mode, ~100-200 kB) the
#: RAW is judged (:mod:`blurscan.pairs`), ~0.3 s of CPU, more than a 12-MP JPEG. Counted by the JPEG's bytes
#: alone, they went 15 and more a task on 2026-12-06 (up to 64 for JPEGs of 30 kB), not 8.
PAIR_BYTES = TASK_BYTES // MAX_CHUNK


def tasks(refs: list[ImageRef], workers: int) -> list[list[ImageRef]]:
    """Tasks of up to MAX_CHUNK files, or up to MAX_TASK_FILES small ones within TASK_BYTES (a RAW + JPEG pair
    counted as PAIR_BYTES at least), in walk order; at least ~4 per worker so that the load stays balanced."""
    most = max(1, min(MAX_TASK_FILES, len(refs) // (4 * workers)))
    chunks: list[list[ImageRef]] = []
    chunk: list[ImageRef] = []
    size = 0
    for ref in refs:
        work = max(ref.size or 0, PAIR_BYTES) if ref.raw_twin else ref.size or 0
        if chunk and (len(chunk) >= most or (len(chunk) >= MAX_CHUNK and size + work > TASK_BYTES)):
            chunks.append(chunk)
            chunk, size = [], 0
        chunk.append(ref)
        size += work
    if chunk:
        chunks.append(chunk)
    return chunks
