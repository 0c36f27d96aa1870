"""Helpers of the scan's worker processes: Ctrl-C while they start and stop, stopping them, and a script that
calls ``blurscan.scan()`` at its top level (the workers import it again)."""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import signal
import sys
import threading


def importing_main() -> bool:
    """Whether this is a worker process importing a script that calls ``scan()`` at its top level, with no
    ``if __name__ == "__main__":`` guard (then says, on stderr, that the call is skipped here).

    Scanning in the worker too failed in every one of them: the files were retried one by one and all came
    back as "worker process crashed" (40 of 40 in 14 s). Skipping the call lets the worker start.
    """
    if not getattr(multiprocessing.current_process(), "_inheriting", False):
        return False
    print("blurscan: a worker process skipped the scan() call at your script's top level; put it under "
          "`if __name__ == \"__main__\":` (the worker processes import the script again)", file=sys.stderr)
    return True


@contextlib.contextmanager
def sigint_ignored():
    """Ctrl-C (SIGINT) ignored meanwhile, when on the main thread (no other thread receives it).

    Two uses: a worker process spawned meanwhile inherits the ignored disposition, which Python keeps, so
    a Ctrl-C sent to the whole process group while the worker is still importing cannot kill it half-way;
    and the pool's clean-up runs to its end even when the user presses Ctrl-C again.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)


def stop_workers(pool: cf.ProcessPoolExecutor) -> None:
    """Terminate the pool's worker processes (they only read files) instead of waiting for their tasks."""
    kill = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if kill is not None:
        kill()
        return
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.terminate()
