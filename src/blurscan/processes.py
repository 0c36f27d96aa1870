"""Helpers of the worker processes (the scan's, synth's, train's): Ctrl-C while they start and stop, their
signals, stopping them, their end when the command is killed or stops them, a script that calls ``blurscan.scan()`` at its top
level (the workers import it again), workers that cannot start (:class:`WorkerStart`), and their memory
allocator."""
from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import multiprocessing
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

from . import stop_signals

#: The name of a worker's thread that ends it when the scan's process dies (:func:`exit_with_parent`): it
#: never prints, so a decode need not keep its messages apart from it (:func:`blurscan.jpeg._imdecode`).
WATCHER_NAME = "blurscan-exit-with-parent"


def importing_main() -> bool:
    """Whether this is a worker process importing a script that calls ``scan()`` at its top level, with no
    ``if __name__ == "__main__":`` guard (then says, on stderr, that the call is skipped here).

    Scanning in the worker too failed in every one of them: the files were retried one by one and all came
    back as "worker process crashed" (40 of 40 in 14 s). Skipping the call lets the worker start.
    """
    if not getattr(multiprocessing.current_process(), "_inheriting", False):
        return False
    # one write of the whole line (print wrote the text and the newline apart: two workers' lines ran together), and
    # what else runs: the rest of the script's top level runs in each worker too
    sys.stderr.write("blurscan: a worker process skipped the scan() call at your script's top level, but runs the "
                     "rest of it; put it under `if __name__ == \"__main__\":` (the worker processes import the "
                     "script again)\n")
    sys.stderr.flush()
    return True


class WorkerStart:
    """Whether the scan's spawned worker processes can start, and whether any of them did.

    A worker process started with ``spawn`` imports the program's main script again before anything else. Where
    it cannot (a script read from standard input: ``python - < script.py``; a script whose top level raises
    there, its ``scan()`` call skipped by :func:`importing_main`), every worker died as it started, the pool
    broke, each file was retried alone in a new pool, and every file came back as "worker process crashed on
    this file": 200 of 200, with 211 tracebacks, or after 148 s. A worker that dies on a file (a decoder's
    segfault) got through its start-up first: only then are the files in flight retried one by one.

    Where none can start, the scan scores the files in the calling process, as ``workers=1`` does, with one line
    on stderr saying why, rather than raising: the records are the same, only slower, and a script that worked
    on 199 files (scored in its process: ``scan_workers.POOL_FILES``) must not fail on 200.
    """

    def __init__(self) -> None:
        self._ready = None  # a semaphore each worker releases as its initializer ends
        self.started = False

    @staticmethod
    def possible() -> bool:
        """Whether worker processes can start here: not in a daemonic process (a ``multiprocessing.Pool``'s
        worker may start none), nor where the main script they would import again is no file (then says why,
        in one line on stderr: the caller scores in this process instead)."""
        if multiprocessing.current_process().daemon:
            return False
        why = _main_not_importable()
        if why:
            _say(f"blurscan: worker processes cannot start {why}; scoring in this process")
        return not why

    def pool(self, workers: int, initializer, *initargs) -> cf.ProcessPoolExecutor:
        """A pool of ``workers`` spawned processes that each run ``initializer(*initargs)`` first. Make it under
        ``ctrl_c_deferred(children=True)``, as any pool (the semaphore starts multiprocessing's resource tracker)."""
        context = multiprocessing.get_context("spawn")
        if self._ready is None:
            self._ready = context.Semaphore(0)
        return cf.ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                      initargs=(self._ready, initializer, *initargs))

    def failed(self) -> bool:
        """Once a pool broke: whether no worker process of this scan ever got through its start-up (then says so,
        in one line on stderr: the caller scores the rest in this process; the workers' errors are above it)."""
        self.started = self.started or self._ready.acquire(False)
        if not self.started:
            _say("blurscan: the worker processes died as they started (their errors are above: if it is your "
                 "script's top level, which they import again, put it under `if __name__ == \"__main__\":`); "
                 "scoring in this process")
        return not self.started


def _say(line: str) -> None:
    """One whole line on stderr (none where there is no stderr: ``pythonw``)."""
    if sys.stderr is not None:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def _start_worker(ready, initializer, *initargs) -> None:
    """A worker's initializer: ``initializer(*initargs)``, then says it got through its start-up."""
    initializer(*initargs)
    ready.release()


def _main_not_importable() -> str | None:
    """Why a spawned process cannot import the main script again, as ``multiprocessing.spawn`` would (by its
    module's name: ``python -m``; by its path; nothing: an interactive session, ``python -c``), or None."""
    main = sys.modules.get("__main__")
    if getattr(getattr(main, "__spec__", None), "name", None) is not None:
        return None
    path = getattr(main, "__file__", None)
    if not isinstance(path, str):
        return None
    from multiprocessing import process

    if not os.path.isabs(path) and process.ORIGINAL_DIR is not None:
        path = os.path.join(process.ORIGINAL_DIR, path)
    path = os.path.normpath(path)
    if os.path.exists(path) or os.path.splitext(os.path.basename(path))[0] == "ipython":  # (spawn skips that one)
        return None
    if os.path.basename(path) == "<stdin>":
        return "from a script read from standard input (they import the script again)"
    return f"here: they import the script again, and {path} is no file"


class Deferred:
    """What :func:`ctrl_c_deferred` yields: whether Ctrl-C was pressed meanwhile, and :meth:`deliver` to act on it."""

    def __init__(self, before) -> None:
        self.before = before      # SIGINT's handler before the block (None: nothing deferred)
        self.pressed = False

    def record(self, signum, frame) -> None:
        self.pressed = True

    def deliver(self) -> None:
        """Act on a Ctrl-C recorded meanwhile, as it would have been at once: the handler before the block runs
        (KeyboardInterrupt; or recorded by an outer block that holds it)."""
        if self.pressed and callable(self.before):
            self.pressed = False
            self.before(signal.SIGINT, None)


@contextlib.contextmanager
def ctrl_c_deferred(*, deliver: bool = True, children: bool = False) -> Iterator[Deferred]:
    """Ctrl-C (SIGINT) recorded, not raised, while the block runs on the main thread, and acted on as it ends
    (``deliver``; else by the caller, with the yielded :class:`Deferred`), when no lock of a pool is held.

    A pool's bookkeeping in the main thread (``concurrent.futures.wait``, a submit, a shutdown) takes the futures'
    and the pool's locks: a KeyboardInterrupt raised between two of them left a future's lock held, the pool's
    manager thread then waited for it for ever, and so did the shutdown that followed: a scan pressed Ctrl-C
    twice hung without a word (one CI run in about a hundred). And Ctrl-C was ignored while a worker started:
    pressed then, it was lost, and the scan went on to its end.

    ``children``: SIGINT and SIGHUP blocked in this thread meanwhile too. A worker process started in the block
    (and multiprocessing's resource tracker) inherits the blocked signals (a signal mask survives fork and exec),
    so a Ctrl-C, or a closed terminal's SIGHUP, sent to the whole process group while it is still importing
    cannot kill it half-way (the parent stops its workers; a tracker killed so was started again, with warnings
    and tracebacks); the worker then ignores them (:func:`signals_to_parent`). A thread started in the block
    inherits them blocked too, so keep it short (a pool's submit): a Ctrl-C that every thread blocks waits for
    the block's end. A SIGTERM or SIGHUP the command line takes for Ctrl-C (:mod:`blurscan.stop_signals`) is
    deferred the same way.
    """
    if threading.current_thread() is not threading.main_thread():
        yield Deferred(None)
        return
    before = stop_signals.ctrl_c_handler()  # (SIGTERM and SIGHUP's stand-in for it, where Ctrl-C is ignored)
    held = Deferred(before if callable(before) else None)
    if callable(before):  # (ignored, or at its default action: left so)
        stop_signals.set_ctrl_c_handler(held.record)
    mask = _block_signals() if children else None
    try:
        yield held
    finally:
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # (one pending is recorded as it is unblocked)
        if callable(before):
            stop_signals.set_ctrl_c_handler(before)
        stop_signals.deliver_pending()
        if deliver:
            held.deliver()


def _block_signals():
    """Block SIGINT, SIGHUP and SIGUSR1 in this thread; returns the mask to restore (None where there is no such
    thing). A worker born blocking SIGUSR1 keeps one sent while it starts for :func:`stacks_on_usr1`."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {getattr(signal, name) for name in ("SIGINT", "SIGHUP", "SIGUSR1")
                                                     if hasattr(signal, name)})


def stacks_on_usr1() -> None:
    """In a worker process: ``kill -USR1 PID`` writes the stack of each of its threads to standard error and the
    worker goes on, as the command's own process does (:func:`blurscan.cli.bugreport.dump_stacks_on_signal`). Until
    2026-12-06 it killed the worker (SIGUSR1's default action), and the scan, its pool broken, said its "worker
    processes died as they started" and that the script's top level might be at fault, then scored every photo
    in its own process. A worker is born with SIGUSR1 blocked (:func:`_block_signals`): one sent while it starts
    is delivered once the dump is set up; where it cannot be (standard error with no file), it stays blocked."""
    usr1 = getattr(signal, "SIGUSR1", None)
    if usr1 is None:
        return
    import faulthandler

    try:
        faulthandler.register(usr1, file=sys.stderr, all_threads=True, chain=False)
    except (ValueError, OSError, RuntimeError, AttributeError):
        return
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {usr1})


def signals_to_parent() -> None:
    """In a worker process: Ctrl-C (SIGINT) and SIGHUP ignored, left to the parent, which stops its pool (a
    terminal sends them to every process of the group: each worker printed a KeyboardInterrupt traceback, or
    died under the pool, whose parent then took its files for ones that crash a worker); SIGTERM, which pools
    stop their workers with, at its default action (a forked worker inherits the command line's handler:
    :mod:`blurscan.stop_signals`). A worker whose parent is killed outright ends with it (:func:`exit_with_parent`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    if callable(signal.getsignal(signal.SIGTERM)):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


#: Seconds a command's main thread waits for its workers at a time. A signal (Ctrl-C, SIGTERM) the kernel hands to
#: one of a pool's threads rather than to the main thread, blocked in a wait without a timeout, did not wake it:
#: the command went on until the next result came (a minute, with a slow one), or for ever. It now acts on it
#: when it wakes.
POLL_SECONDS = 0.25


@contextlib.contextmanager
def worker_pool(workers: int, context, initializer=None) -> Iterator[cf.ProcessPoolExecutor]:
    """A ``concurrent.futures.ProcessPoolExecutor`` of ``workers`` processes (``context``: a ``multiprocessing``
    context) for synth's and train's workers, fed by :func:`pool_map`: on any exception in the block (a dead
    worker, Ctrl-C, an error) its workers are stopped (:func:`stop_workers`), not waited for, and it is shut down
    as the block ends, each under :func:`ctrl_c_deferred` (a second Ctrl-C cut the clean-up short and left
    workers behind). Started under it too: the workers and multiprocessing's resource tracker are born blocking
    Ctrl-C (a terminal's reaches every process of the group: each worker printed a traceback).

    A worker that dies (killed by the out-of-memory killer, ``kill -9``; or crashed) raises
    ``concurrent.futures.process.BrokenProcessPool`` in the block, at the next result or task given; the
    ``multiprocessing.Pool`` these commands used started another worker and waited for ever for the dead one's
    task (until 2026-12-04 for synth, 2026-12-05 for train)."""
    with ctrl_c_deferred(children=True, deliver=False) as started:
        pool = cf.ProcessPoolExecutor(workers, mp_context=context, initializer=initializer)
    failed = False
    try:
        started.deliver()  # (here: the pool is shut down below)
        yield pool
    except BaseException as exc:
        failed = True
        with ctrl_c_deferred(deliver=not isinstance(exc, KeyboardInterrupt)):  # (stopping already: once is enough)
            stop_workers(pool)
        raise
    finally:
        with ctrl_c_deferred(deliver=not failed):
            pool.shutdown(wait=True)


def pool_map(pool: cf.ProcessPoolExecutor, fn, tasks, ahead: int, *, ordered: bool = True) -> Iterator:
    """``fn`` over ``tasks`` in ``pool``'s workers: their results, in the tasks' order (``ordered``) or as they
    come, ``ahead`` tasks given to the pool at a time, each result waited for :data:`POLL_SECONDS` at a time.
    Ctrl-C is acted on between the pool's steps, never inside one (:func:`ctrl_c_deferred`), within
    :data:`POLL_SECONDS`. A worker that dies raises ``BrokenProcessPool`` here (:func:`worker_pool`).
    ``fn`` and the tasks must be picklable."""
    queue, pending = iter(tasks), collections.deque()
    while True:
        with ctrl_c_deferred(deliver=False) as held:
            for task in queue:
                with ctrl_c_deferred(children=True):  # a worker spawned by this submit is born blocking Ctrl-C
                    pending.append(pool.submit(fn, task))
                if len(pending) >= ahead:
                    break
            waited = [pending[0]] if ordered and pending else pending
            done: set = set()
            while waited and not done and not held.pressed:
                done = cf.wait(waited, timeout=POLL_SECONDS, return_when=cf.FIRST_COMPLETED).done
            first = next((f for f in pending if f in done), None)
            if first is not None:
                pending.remove(first)
                error = first.exception()  # (a dead worker's; raised once a Ctrl-C or SIGTERM meanwhile is acted on)
        held.deliver()  # (SIGTERM to the whole group kills the workers too: it stops the command, not their death)
        if first is None:
            return
        if error is not None:
            raise error
        yield first.result()


def stop_workers(pool: cf.ProcessPoolExecutor) -> None:
    """Terminate the pool's worker processes (they only read files) instead of waiting for their tasks."""
    kill = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if kill is not None:
        kill()
        return
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.terminate()


def killed(pool: cf.ProcessPoolExecutor, wait: float = 5.0) -> bool:
    """Once ``pool`` broke (before it is shut down): whether one of its worker processes was ended by SIGKILL,
    the signal of the kernel's out-of-memory killer (a container's memory limit reached; the pool ends the
    others with SIGTERM). A crash in a decoder ends one with SIGSEGV or an exit code instead."""
    sigkill = getattr(signal, "SIGKILL", None)  # (none on Windows)
    procs = list((getattr(pool, "_processes", None) or {}).copy().values())
    deadline = time.monotonic() + wait
    while sigkill is not None and procs:
        # (the pool's own thread reaps them too: an exit code is there once either of the two has read it)
        codes = [proc.exitcode for proc in procs]
        if -sigkill in codes:
            return True
        if None not in codes or time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return False


def exit_with_parent() -> bool:
    """In a worker process: end it as soon as the process that started it is gone (returns whether it watches).

    A scan killed outright (SIGKILL, SIGTERM: the out-of-memory killer, ``kill``, ``timeout``) runs none of the
    pool's clean-up, and its spawned workers then waited for their next task for ever: each worker holds the
    write end of the pipe its tasks come through, so it never reads an end of file there. Two workers of about
    140 MB and multiprocessing's resource tracker stayed per killed scan. The parent's sentinel
    (``multiprocessing.parent_process().sentinel``, a pipe only the parent holds open) becomes readable when
    the parent dies; a daemon thread waits on it and ends the worker at once (``os._exit``: nothing of a
    worker's needs saving, only the parent writes the database).
    """
    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    if sentinel is None:
        return False

    def watch() -> None:
        from multiprocessing.connection import wait

        wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name=WATCHER_NAME, daemon=True).start()
    return True


def end_without_teardown() -> bool:
    """In a worker process started by ``multiprocessing``: once its pool has stopped it (its last results sent,
    every ``multiprocessing`` finalizer and ``atexit`` callback run, stdout and stderr flushed), end it with
    ``os._exit(0)``, without the interpreter's teardown (returns whether it was set).

    A spawned worker ended through ``sys.exit``: the teardown of NumPy, OpenCV, ONNX Runtime and the model, and
    the memory kept for the next photo, took 0.1-0.2 s of CPU after its last task, and the scan waited for it
    (``pool.shutdown(wait=True)``) before it ended. Nothing of a worker's needs saving: only the parent writes
    the database, and a worker runs no thread that must finish (its watcher, :func:`exit_with_parent`, is a
    daemon). A worker ending on an error (a traceback printed, exit code 1) ends as before."""
    if multiprocessing.parent_process() is None:  # (not a multiprocessing child: a program's own process)
        return False
    from multiprocessing import util

    # the last of the finalizers that multiprocessing runs as the worker's run() returns (after its queues' own)
    util.Finalize(None, _end_now, args=(os.getpid(),), exitpriority=-(1 << 30))
    return True


def _end_now(pid: int) -> None:
    """:func:`end_without_teardown`'s finalizer: ``os._exit(0)`` unless an exception is ending the process."""
    if os.getpid() != pid or sys.exc_info()[0] is not None:  # (ending on an error: as before, its traceback)
        return
    import atexit

    atexit._run_exitfuncs()  # (what sys.exit would run: an open file's close, logging's flush)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def tune_worker() -> None:
    """A worker process's settings: :func:`stacks_on_usr1`, :func:`signals_to_parent`, :func:`exit_with_parent`, one
    OpenCV thread (the workers share the cores), :func:`keep_freed_memory` and :func:`end_without_teardown`."""
    stacks_on_usr1()
    signals_to_parent()
    exit_with_parent()
    end_without_teardown()
    with contextlib.suppress(Exception):
        import cv2

        cv2.setNumThreads(1)
    keep_freed_memory()


#: glibc's ``mallopt`` parameters and the values a worker process sets (see :func:`keep_freed_memory`).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 32 << 20  # glibc's largest (HEAP_MAX_SIZE / 2 on 64-bit)
TRIM_THRESHOLD = 128 << 20


def keep_freed_memory() -> bool:
    """In a worker process: let glibc's allocator keep freed memory for the next photo (Linux only; returns
    whether it was set).

    Each photo allocates the same large buffers again: a 12-MB full-resolution gray image, the tile grid's
    6-MB integral images and 3-MB filtered images. glibc handed most of them back to the kernel when they
    were freed and the next photo took them again one zeroed 4-KB page at a time: 2,100-2,250 page faults
    and 7.5-10.8 ms of system CPU per 12-MP JPEG, about 6 % of a worker's time (30 photos, four runs; measured
    with ``resource.getrusage``). With allocations below :data:`MMAP_THRESHOLD` served from the heap and up
    to :data:`TRIM_THRESHOLD` of free heap kept, the next photo reuses them: no page faults, 0.5-0.8 ms of
    system CPU, and the same peak memory (a worker's largest RSS 147 MB against 149-152 MB). Both are set,
    or glibc's adaptive thresholds (which setting one of them turns off) would stay at 128 KB.
    """
    return _set_thresholds(MMAP_THRESHOLD, TRIM_THRESHOLD)


#: The review server's glibc settings (:func:`give_back_large_buffers`): buffers of this size or more are mapped
#: apart (handed back when freed), and this much free memory at the top of a heap is kept for the next request.
SERVER_MMAP_THRESHOLD = 1 << 20
SERVER_TRIM_THRESHOLD = 2 << 20


def give_back_large_buffers() -> bool:
    """In the review server: have glibc's allocator hand every buffer of :data:`SERVER_MMAP_THRESHOLD` (1 MiB) or
    more back to the system when it is freed (Linux only; returns whether it was set).

    The server answers each connection in a thread of its own, and glibc gives threads arenas of their own. By
    default its threshold for memory mapped apart from them rises to the size of the largest buffer freed (up to
    32 MiB): once the 16 MB bytes of a large photo were read for its thumbnail and freed, each such read and its
    decoding's buffers were taken from the arena of the thread that answered, and kept there. Until 2026-12-07
    the server's resident memory rose by some 20 MiB each time the thumbnail folder was made again (deleted, or
    a new library), for good: 75 MiB at the start, 192 after six rebuilds of 300 thumbnails from three clients,
    while Python's own heap stayed at 2 MiB (``tracemalloc``); ``malloc_trim`` gave back little of it. With the
    thresholds fixed, 86-89 MiB after each. :data:`SERVER_TRIM_THRESHOLD` is set too, since setting one threshold
    fixes the other at its default, 128 KiB: the free top of the heap was then handed back after each thumbnail,
    and the next one took its pages fresh from the system again (127 for a 480 x 360 photo; with 2 MiB kept, 16).
    """
    return _set_thresholds(SERVER_MMAP_THRESHOLD, SERVER_TRIM_THRESHOLD)


def _set_thresholds(mmap_threshold: int, trim_threshold: int) -> bool:
    """Set glibc's mmap and trim thresholds (both: setting one turns the other's adaptation off); whether both were
    set (Linux with glibc only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has a mallopt that does nothing and returns 0)
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, mmap_threshold)) and bool(mallopt(_M_TRIM_THRESHOLD, trim_threshold))
