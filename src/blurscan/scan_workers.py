"""Scoring a scan's new files in worker processes: when a pool is worth starting (:data:`MIN_POOL_FILES`,
:data:`MIN_POOL_BYTES`, :data:`POOL_FILES`), the pool itself, and a file in flight when a worker died tried again
alone. Each file is scored by :func:`blurscan.pipeline._process`, looked up there at each call (in the calling
process and in each worker), as is :func:`blurscan.pipeline.load_model`; moved out of :mod:`blurscan.pipeline`
on 2026-12-07 (that module had reached the 500-line limit), unchanged.
"""
from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Iterator

from . import memory_room
from .config import ScanSettings
from .processes import POLL_SECONDS, WorkerStart, ctrl_c_deferred, stop_workers, tune_worker
from .readahead import ahead, hint
from .records import ImageRef, ScanRecord
from .tasks import tasks

#: Worker processes are started only for at least :data:`MIN_POOL_FILES` new files *and* either
#: :data:`MIN_POOL_BYTES` of them or :data:`POOL_FILES` files whatever their size; smaller jobs are scored in
#: the calling process. Starting a worker (importing NumPy, OpenCV, ONNX Runtime, loading the model) takes
#: 0.5-1 s on the 2-core development machine: the time to score 20-40 MB of 12-MP JPEG, or 80-150 small photos
#: (a 320 x 240 JPEG of 13 kB: 6.5 ms of CPU with the model; until 2026-12-04 bytes alone decided, and 2,000 such
#: photos, 26 MB, were scored in one process: 23.6 s, against 11.2 s with two workers).
MIN_POOL_FILES = 4
MIN_POOL_BYTES = 32 << 20
POOL_FILES = 200

_WORKER: dict = {}


def _init_worker(settings: ScanSettings) -> None:
    """Per worker process: Ctrl-C left to the parent, the model loaded once, one OpenCV thread, freed memory kept."""
    from . import pipeline

    tune_worker()  # Ctrl-C left to the parent; gone with it; one OpenCV thread; freed memory kept (processes)
    _WORKER["settings"] = settings
    _WORKER["model"] = pipeline.load_model(settings.model, settings.model_threads, quiet=True)  # the parent warned


def _work(refs: list[ImageRef]) -> list[ScanRecord]:
    from . import pipeline

    settings = _WORKER["settings"]  # (the next file read into the system's cache while one is scored: readahead)
    return [pipeline._process(ref, settings, _WORKER["model"]) for ref in ahead(refs, settings.max_pixels)]


def compute(todo: list[ImageRef], settings: ScanSettings, model) -> Iterator[ScanRecord]:
    """Records for ``todo``: in-process for one worker or one file, else in a process pool."""
    from . import pipeline

    if not todo:
        return
    workers = max(1, int(settings.workers))
    here = workers == 1 or len(todo) < MIN_POOL_FILES or (
        len(todo) < POOL_FILES and sum(ref.size for ref in todo) < MIN_POOL_BYTES)
    if here or not WorkerStart.possible():  # (not possible: in a Pool's worker, or from <stdin>)
        # a photo too large for the memory a container's limit leaves here: alone in a worker (memory_room)
        alone: list[ImageRef] = []
        for ref in ahead(memory_room.fitting(todo, alone, settings.max_pixels) if here else todo, settings.max_pixels):
            yield pipeline._process(ref, settings, model)
        if alone and WorkerStart.possible():  # (possible() says why not: asked only then)
            yield from _pooled([([ref], True) for ref in reversed(alone)], 1, settings, model)
        else:
            yield from (pipeline._process(ref, settings, model) for ref in alone)
        return
    workers = min(workers, len(todo))
    yield from _pooled([(chunk, False) for chunk in reversed(tasks(todo, workers))], workers, settings, model)


def _pooled(queue: list, workers: int, settings: ScanSettings, model) -> Iterator[ScanRecord]:
    """Records for ``queue``'s (chunk, suspect), popped from the end, from a pool of ``workers`` processes (another
    after one died). A suspect (a file that was in flight when a worker process died) runs alone, so that the
    file that kills a worker is identified exactly and no other file is blamed."""
    from . import pipeline

    start = WorkerStart()
    while queue:
        # Ctrl-C acted on between the pool's steps, never inside one (a KeyboardInterrupt in cf.wait left a lock
        # held: the shutdown hung); workers born blocking it and SIGHUP (processes.ctrl_c_deferred)
        with ctrl_c_deferred(children=True, deliver=False) as started:
            pool = start.pool(workers, _init_worker, settings)  # spawned processes (processes.WorkerStart)
        pending: dict[cf.Future, tuple[list[ImageRef], bool]] = {}
        failed = False
        try:
            started.deliver()  # (here: the pool is stopped below)
            broken = False
            while (queue or pending) and not broken:
                with ctrl_c_deferred(deliver=False) as held:
                    while queue and len(pending) < 2 * workers and not any(s for _, s in pending.values()):
                        if queue[-1][1] and pending:
                            break
                        chunk, suspect = queue.pop()
                        hint(chunk[0], settings.max_pixels)  # read while it waits for a worker (the rest: _work)
                        try:
                            with ctrl_c_deferred(children=True):  # a worker spawned by this submit is born blocking it
                                pending[pool.submit(_work, chunk)] = (chunk, suspect)
                        except cf.process.BrokenProcessPool:
                            # a worker died while the records were with the consumer (a slow reader of the
                            # output): the pool refuses new tasks. This one never ran: back on the queue as it was
                            # (until 2026-12-05 the scan stopped here with a traceback)
                            queue.append((chunk, suspect))
                            broken = True
                            break
                    finished, _ = cf.wait(pending, timeout=POLL_SECONDS, return_when=cf.FIRST_COMPLETED)
                    records: list[ScanRecord] = []
                    for future in finished:
                        chunk, suspect = pending.pop(future)
                        try:
                            records.extend(future.result())
                        except cf.process.BrokenProcessPool:
                            # a worker died (crash in a decoder, killed for memory): every file in flight is
                            # retried alone in a new pool; a file that kills a worker when alone is reported
                            broken = True
                            if not suspect:
                                queue.extend(([ref], True) for ref in reversed(chunk))
                                continue
                            records.append(ScanRecord.from_error(chunk[0], memory_room.crash_reason(pool)))
                        except Exception as exc:  # pickling or pool failure: report, go on
                            records.extend(ScanRecord.from_error(ref, f"worker failed: {exc}") for ref in chunk)
                yield from records  # (what was scored is kept, then a Ctrl-C pressed meanwhile acts)
                held.deliver()
            if broken:
                for chunk, suspect in pending.values():
                    queue.extend(([ref], True) for ref in reversed(chunk))
                pending.clear()
        except BaseException as exc:  # Ctrl-C, or the consumer closed the generator: stop the workers now
            failed = True  # (a second Ctrl-C must not cut the clean-up short, it left workers behind: dropped)
            with ctrl_c_deferred(deliver=not isinstance(exc, KeyboardInterrupt)):
                stop_workers(pool)
                # no future cancelled here: the manager thread, finding its workers gone, fails every pending one
                # (Python 3.11's raised InvalidStateError, a traceback on stderr, for one cancelled meanwhile)
                pool.shutdown(wait=True)
                pending.clear()
            raise
        finally:
            with ctrl_c_deferred(deliver=not failed):
                for future in pending:
                    future.cancel()
                pool.shutdown(wait=True, cancel_futures=True)
        if broken and start.failed():  # no worker process ever started (the script's top level failed there?)
            yield from (pipeline._process(ref, settings, model) for chunk, _ in reversed(queue) for ref in chunk)
            return


