"""Ctrl-C held back while a few steps that belong together run (the review server's thread started and recorded;
a photo moved with its sidecars and RAW twin), and raised once they are done."""
from __future__ import annotations

import contextlib
import signal
import threading


@contextlib.contextmanager
def ctrl_c_held():
    """Ctrl-C held back while the block runs, and raised (KeyboardInterrupt) as it ends: a Python handler of
    its own meanwhile records it (a signal mask would not do: the kernel gives a process's signal to any thread
    that does not block it). Nothing to hold outside the main thread (no KeyboardInterrupt there), or with
    Ctrl-C ignored or left to its default action."""
    before = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(before):
        yield
        return
    pressed = []
    signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)  # (a Ctrl-C still pending is recorded first)
        if pressed:
            before(signal.SIGINT, None)
