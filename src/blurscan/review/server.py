"""Run the review app on a free loopback port.

The server binds ``127.0.0.1`` only (never ``0.0.0.0``), asks the OS for a free port unless one is given, and
builds the URL carrying the per-run token. It uses Werkzeug's threaded WSGI server (Flask's own), which is
adequate for one person on their own machine; it is not meant to face a network.
"""
from __future__ import annotations

import contextlib
import errno
import gc
import logging
import os
import resource
import socket
import sys
import threading
import time
import webbrowser

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from ..errors import UsageError, os_reason
from ..held import ctrl_c_held
from . import security, signin
from .app import create_app

log = logging.getLogger(__name__)

#: The only address the review server listens on.
BIND_HOST = "127.0.0.1"

#: Seconds a connection may send nothing (or take no bytes of the answer) before the server closes it. There was
#: no limit: a client that sent half a request and waited held a thread for ever (2,000 of them made 2,005
#: threads; until 2026-12-05). The page is not slowed: Werkzeug answers one request per connection (it closes
#: each after its answer), and a browser sends a whole request at once.
REQUEST_TIMEOUT = 30.0

#: Seconds a stop (Ctrl-C) waits for the requests being answered to finish (:meth:`_Server.finish_answers`).
ANSWER_WAIT = 10.0

#: File descriptors one connection may hold while it is answered (its socket, the database and its -wal and -shm
#: files, the photo, a thumbnail being written, the server's poll of the socket), and those kept for the rest of
#: the process: :func:`connection_limit`.
FDS_PER_CONNECTION = 6
FDS_SPARE = 8


def connection_limit() -> int:
    """How many connections the server answers at once: as many as the process's limit of open files
    (``ulimit -n``) leaves room for (:data:`FDS_PER_CONNECTION` each, :data:`FDS_SPARE` kept), at least one; the
    others wait in the system's queue of connections until one is done. Under ``ulimit -n 32`` a page's burst of
    thumbnail requests ran the process out of file descriptors until 2026-12-06: some answered ``cannot open the
    file`` (403) or 500, and Werkzeug's own handling of the failure printed tracebacks on the terminal."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        in_use = len(os.listdir("/proc/self/fd")) - 1  # (less the descriptor that lists them)
    except OSError:
        in_use = 16
    if soft == resource.RLIM_INFINITY:
        soft = 1 << 20
    return max(1, (soft - in_use - FDS_SPARE) // FDS_PER_CONNECTION)


#: The answer (WSGI iterable) of the request this thread is answering (:class:`_AnswersKept`).
_answering = threading.local()


class _AnswersKept:
    """WSGI middleware that keeps this thread's answer at hand, so that :class:`_Handler` closes it when the
    client went away: Werkzeug then skips the answer's ``close`` (the read of what the client sent beyond its
    request, in its ``finally``, raises on the reset connection first), and a photo's file the full view was
    sending (``send_file``) was left to the garbage collector, with a ``ResourceWarning`` (under ``-X dev``, and an
    error in the suite: until 2026-12-07)."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        answer = self.app(environ, start_response)
        _answering.answer = answer
        return answer


class _Handler(WSGIRequestHandler):
    """Werkzeug's request handler with a socket timeout (:data:`REQUEST_TIMEOUT`; a subclass per server sets
    its own), which says nothing on the terminal when a connection is closed for it."""

    timeout = REQUEST_TIMEOUT

    def log_error(self, format: str, *args) -> None:
        if format.startswith("Request timed out"):  # (http.server's words for a client that sent nothing more)
            log.debug("closed a connection silent for %s s", self.timeout)
            return
        super().log_error(format, *args)

    def connection_dropped(self, error: BaseException, environ=None) -> None:
        self.dropped = True  # (run_wsgi lets go of what Werkzeug left open meanwhile)
        super().connection_dropped(error, environ)

    def run_wsgi(self) -> None:
        """Answer the request read, unless the server is stopping (the connection is then closed unanswered)."""
        if not self.server.begin_answer():
            self.close_connection = True
            return
        _answering.answer = None
        try:
            super().run_wsgi()
        finally:
            self.server.end_answer()
            answer, _answering.answer = _answering.answer, None
            if getattr(self, "dropped", False):
                if hasattr(answer, "close"):  # (closed already when Werkzeug got to it: a second close is nothing)
                    with contextlib.suppress(Exception):
                        answer.close()
                # The client went away before its answer was all sent (a browser that stopped loading a thumbnail
                # scrolled out of view): Werkzeug then leaves its poll of the socket (an epoll file descriptor)
                # unclosed, in a reference cycle that only the garbage collector breaks. Until 2026-12-06 they
                # piled up (16 open at once after 40 such requests) and under `ulimit -n 32` the next photo could
                # not be opened (`cannot open the file`). A collection takes about 10 ms.
                gc.collect()


class _Server(ThreadedWSGIServer):
    """Werkzeug's threaded server, which knows how many requests it is answering, so that a stop waits for them
    (:meth:`finish_answers`). Its threads are daemon threads, which socketserver's ``server_close`` does not wait
    for: until 2026-12-06 Ctrl-C while the page loaded its thumbnails ended the process with their decoding under
    way, and it was aborted as it exited, most times (``terminate called without an active exception`` or
    ``FATAL: exception not rethrown`` after ``Stopped.``, exit status 134, a core dump where they are kept) --
    and a decision or keeper choice being stored was cut short. A connection that has sent no request yet (a
    browser opens some ahead of time) is not waited for."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._answers = threading.Condition()
        self._answering = 0
        self._stopping = False
        self._connections = threading.BoundedSemaphore(connection_limit())
        self._closing = False

    def process_request(self, request, client_address) -> None:
        """Answer the connection in a thread of its own once fewer than :func:`connection_limit` are answered;
        meanwhile the server accepts no other (they wait in the system's queue). Closed unanswered on a stop."""
        while not self._connections.acquire(timeout=0.2):
            if self._closing:
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:  # (no thread started: the slot is free again)
            self._connections.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._connections.release()

    def shutdown(self) -> None:
        self._closing = True  # (a connection waiting for its turn is closed: serve_forever must return)
        super().shutdown()

    def handle_error(self, request, client_address) -> None:
        """A connection whose handling failed outside the app (which says its own failures in one line): one
        line, not socketserver's traceback on the terminal."""
        exc = sys.exception() if hasattr(sys, "exception") else sys.exc_info()[1]
        log.error("review server: a connection failed: %s", os_reason(exc) if isinstance(exc, OSError) else exc)
        log.debug("the failure's traceback", exc_info=exc)

    def begin_answer(self) -> bool:
        with self._answers:
            if self._stopping:
                return False
            self._answering += 1
            return True

    def end_answer(self) -> None:
        with self._answers:
            self._answering -= 1
            self._answers.notify_all()

    def finish_answers(self, timeout: float) -> int:
        """Answer no more requests, and wait (at most ``timeout`` seconds) for those being answered to finish;
        how many still are."""
        deadline = time.monotonic() + timeout
        with self._answers:
            self._stopping = True
            while self._answering and (left := deadline - time.monotonic()) > 0:
                self._answers.wait(left)
            return self._answering


class ReviewServer:
    """A running (or ready to run) review server.

    Parameters
    ----------
    db_path : str or Path
        The blurscan database.
    port : int
        0 (default) for any free port.
    thumbnailer : callable, optional
        Passed to :func:`~blurscan.review.app.create_app`.
    db_hint : str, optional
        How the page names the database in the suggested commands.
    request_timeout : float
        Seconds a connection may send nothing before it is closed (:data:`REQUEST_TIMEOUT`).

    Attributes
    ----------
    url : str
        ``http://127.0.0.1:PORT/?token=...``: the address printed on the person's terminal, good while the server
        runs (with ``&folder=...`` when ``folder`` is given: the page opens filtered to that folder). The browser
        the server opens is given :meth:`browser_url` instead.
    port : int
    token : str
    """

    def __init__(self, db_path: str | os.PathLike, *, port: int = 0, thumbnailer=None,
                 db_hint: str | None = None, folder: str | None = None,
                 request_timeout: float = REQUEST_TIMEOUT) -> None:
        self.token = security.new_token()
        self.login_codes = signin.LoginCodes()
        self.app = create_app(db_path, self.token, thumbnailer=thumbnailer, db_hint=db_hint,
                              login_codes=self.login_codes)
        try:
            # werkzeug reports a port in use on stderr and exits the process itself: catch that first
            _check_port_free(port)
            handler = type("ReviewRequestHandler", (_Handler,), {"timeout": request_timeout})
            self._server = _Server(BIND_HOST, port, _AnswersKept(self.app), handler)
        except OSError as exc:
            raise UsageError(f"cannot listen on {BIND_HOST}:{port}: {os_reason(exc)}") from exc
        self.port = self._server.server_port
        self.app.config["BLURSCAN_PORT"] = self.port
        self._folder_query = ""
        if folder:  # the page opens with its folder filter on this folder (`blurscan review SUBFOLDER`)
            from urllib.parse import quote

            from .library import shown_folder

            # as the folder filter names it (bytes that are not valid UTF-8 as \xNN: the page cannot read them)
            self._folder_query = "&folder=" + quote(shown_folder(folder), safe="/")
        self.url = f"http://{BIND_HOST}:{self.port}/?token={self.token}{self._folder_query}"
        self._thread: threading.Thread | None = None

    def wait(self) -> None:
        """Block until the server started by :meth:`start` stops (:meth:`shutdown` from another thread). Ctrl-C
        interrupts the wait (KeyboardInterrupt); the server goes on serving until :meth:`shutdown`. (Serving
        from the main thread with Werkzeug's ``serve_forever`` is no way to run until Ctrl-C: it swallows the
        KeyboardInterrupt, and ``blurscan review`` exited 0 on Ctrl-C.)"""
        thread = self._thread
        while thread is not None and thread.is_alive():
            thread.join(0.5)  # (a join with a timeout wakes for Ctrl-C everywhere)

    def start(self) -> "ReviewServer":
        """Serve in a daemon thread (``blurscan review`` waits for Ctrl-C meanwhile, :meth:`wait`). A Ctrl-C
        while the thread starts is raised once it is started and recorded, so that :meth:`shutdown` neither
        waits forever for a thread that never served nor closes the socket under one it does not know of."""
        thread = threading.Thread(target=self._server.serve_forever, name="blurscan-review", daemon=True)
        with ctrl_c_held():
            thread.start()
            self._thread = thread
        return self

    def shutdown(self) -> None:
        """Stop serving, let the requests being answered finish (at most :data:`ANSWER_WAIT` seconds) and close
        the socket; calling it again does nothing."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        if left := self._server.finish_answers(ANSWER_WAIT):
            log.warning("stopped with %d request(s) still being answered after %s s", left, ANSWER_WAIT)
        self._server.server_close()

    def browser_url(self) -> str:
        """The address to give a browser: :attr:`url` with a fresh one-time login code in place of the token
        (:mod:`.signin`), good for one visit within two minutes."""
        return f"http://{BIND_HOST}:{self.port}/?{signin.CODE_PARAM}={self.login_codes.new()}{self._folder_query}"

    def open_browser(self) -> bool:
        """Open the page in the person's browser, by :meth:`browser_url`: never with the token, which the
        browser's command line would show to every user of the machine (``ps``) while it runs (until 2026-12-06
        it was ``webbrowser.open(self.url)``). False when no browser could be started."""
        try:
            return webbrowser.open(self.browser_url(), new=2)
        except webbrowser.Error as exc:
            log.warning("cannot open a browser: %s", exc)
            return False

    def __enter__(self) -> "ReviewServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.shutdown()


def _check_port_free(port: int) -> None:
    """UsageError naming the way out when ``port`` (not 0) on the loopback address is taken."""
    if not port:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will bind
        try:
            probe.bind((BIND_HOST, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(f"port {port} on {BIND_HOST} is in use by another program: choose another with "
                                 "--port, or leave --port out (any free port)") from None
            raise
