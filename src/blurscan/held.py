"""Ctrl-C held back while a few steps that belong together run (the review server's thread started and recorded;
a photo moved with its sidecars and RAW twin), and raised once they are done."""
from __future__ import annotations

import contextlib
import signal
import threading

from . import stop_signals


@contextlib.contextmanager
def ctrl_c_held():
    """Ctrl-C held back while the block runs, and raised (KeyboardInterrupt) as it ends: a Python handler of
    its own meanwhile records it (a signal mask would not do: the kernel gives a process's signal to any thread
    that does not block it). Nothing to hold outside the main thread (no KeyboardInterrupt there), or with
    Ctrl-C ignored or left to its default action. SIGTERM and SIGHUP are held with it, also where Ctrl-C was
    ignored from the start (:func:`blurscan.stop_signals.ctrl_c_handler`)."""
    before = stop_signals.ctrl_c_handler()  # (SIGTERM and SIGHUP's stand-in, where Ctrl-C is ignored from the start)
    if threading.current_thread() is not threading.main_thread() or not callable(before):
        yield
        return
    pressed = []
    stop_signals.set_ctrl_c_handler(lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        stop_signals.set_ctrl_c_handler(before)  # (a Ctrl-C still pending is recorded first)
        if pressed:
            before(signal.SIGINT, None)
