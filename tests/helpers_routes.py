"""Some of the review server's answers changed by a browser test, in the server itself: held back until the test
lets them go (a slow server, a large photo), answered with what the test gives (something else on the way), or
preceded by a step of the test's (a file removed as the page asks for it).

The tests did this in the page with Playwright's ``page.route`` until 2026-12-07, and it missed a request now and
then (one run in some 30 with two browsers at once; stop 60's CI failure): Chromium's interception, turned on by
a page's first route, takes hold of the page's requests a moment after ``page.route`` has returned. A request sent
in that moment went straight to the server, unrouted, and Playwright, waiting for the interception's pause that
never came, reported neither it nor any later request (``page.on("request")`` saw nothing). Done in the server,
nothing is left to timing: no test here turns interception on.
"""
from __future__ import annotations

import fnmatch
import threading
import time
from collections.abc import Callable

#: How long a held request waits at most (a test that failed before releasing it: the server still stops)
HOLD_LIMIT = 60.0


class Held:
    """The requests that matched :meth:`ServerRoutes.hold`'s pattern, each waiting in its server thread until
    :meth:`release`; those that come after it are answered at once."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.urls: list[str] = []  # path?query of each request held, in order
        self._released = threading.Event()
        self._lock = threading.Lock()

    def wait(self, count: int, seconds: float = 30.0, describe: Callable[[], object] | None = None) -> list[str]:
        """The first ``count`` requests held, once they have come; ``describe``: what to add to the failure (the
        page's state)."""
        deadline = time.monotonic() + seconds
        while True:
            with self._lock:
                if len(self.urls) >= count:
                    return self.urls[:count]
            if time.monotonic() > deadline:
                more = f", the page shows: {describe()}" if describe else ""
                raise AssertionError(f"{count} requests for {self.pattern} never came to the server (waited "
                                     f"{seconds} s); held: {self.urls}{more}")
            time.sleep(0.02)

    def release(self) -> None:
        """Let every request held go on to the server's answer, and answer later ones at once."""
        self._released.set()

    def _serve(self, url, environ, start_response, app):
        with self._lock:
            held = not self._released.is_set()
            if held:
                self.urls.append(url)
        if held:
            self._released.wait(HOLD_LIMIT)
        return app(environ, start_response)


class _Answer:
    def __init__(self, status: int, body: str, content_type: str) -> None:
        self.status, self.body, self.content_type = status, body.encode(), content_type

    def _serve(self, url, environ, start_response, app):
        from werkzeug.http import HTTP_STATUS_CODES

        start_response(f"{self.status} {HTTP_STATUS_CODES.get(self.status, 'Status')}",
                       [("Content-Type", self.content_type), ("Content-Length", str(len(self.body))),
                        ("Cache-Control", "no-store")])
        return [self.body]


class _Before:
    def __init__(self, step: Callable[[str], None]) -> None:
        self.step = step

    def _serve(self, url, environ, start_response, app):
        self.step(url)
        return app(environ, start_response)


class ServerRoutes:
    """The rules a test sets on the review server's answers, applied by :meth:`install` (WSGI middleware on the
    server's Flask app; ``review_page(..., routes=...)`` installs them before the page loads). A pattern is
    :mod:`fnmatch`'s, on the request's path and query (``/full/*``, ``/api/items?*``); the last rule set that
    matches a request applies."""

    def __init__(self) -> None:
        self._rules: list[tuple[str, object]] = []
        self._lock = threading.Lock()

    def install(self, app) -> None:
        inner = app.wsgi_app

        def routed(environ, start_response):
            query = environ.get("QUERY_STRING", "")
            url = environ.get("PATH_INFO", "") + ("?" + query if query else "")
            with self._lock:
                rule = next((rule for pattern, rule in reversed(self._rules) if fnmatch.fnmatchcase(url, pattern)),
                            None)
            if rule is None:
                return inner(environ, start_response)
            return rule._serve(url, environ, start_response, inner)

        app.wsgi_app = routed

    def _add(self, pattern: str, rule):
        with self._lock:
            self._rules.append((pattern, rule))
        return rule

    def hold(self, pattern: str) -> Held:
        """Hold the requests for ``pattern`` from now on until the :class:`Held` returned is released."""
        return self._add(pattern, Held(pattern))

    def answer(self, pattern: str, status: int, body: str, content_type: str = "application/json") -> object:
        """Answer the requests for ``pattern`` with ``status`` and ``body``, the server's code never run."""
        return self._add(pattern, _Answer(status, body, content_type))

    def before(self, pattern: str, step: Callable[[str], None]) -> object:
        """Run ``step(url)`` before the server answers each request for ``pattern``."""
        return self._add(pattern, _Before(step))

    def forget(self, rule) -> None:
        """The server answers as itself again where ``rule`` (one this object returned) applied."""
        with self._lock:
            self._rules = [(pattern, kept) for pattern, kept in self._rules if kept is not rule]

    def release_all(self) -> None:
        """Every request held let go (the test over: the server waits for its answers as it stops)."""
        with self._lock:
            rules = [rule for _, rule in self._rules]
        for rule in rules:
            if isinstance(rule, Held):
                rule.release()
