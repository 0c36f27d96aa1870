"""Signing in to the review page: the run's token, or a one-time login code, traded for the session cookie.

Two addresses open the page. The one ``blurscan review`` prints on the person's own terminal carries the run's
token (:func:`~blurscan.review.security.new_token`), good while the server runs. The one it gives the browser it
starts carries a **one-time login code** instead (:class:`LoginCodes`): that address stands on the browser's
command line while the browser runs, where every user of the machine may read it (``ps``,
``/proc/PID/cmdline``). Until 2026-12-06 it was the printed address itself, token included: any other user of a
shared machine (a family NAS, a lab server) could open the page as its owner does, see the photos and mark them.

A code is good for one visit, within :data:`CODE_LIFETIME` seconds of being made: that visit (a ``GET``) trades it,
as a visit with the token does, for the page's ``HttpOnly; SameSite=Strict`` cookie and is sent on to the address
without it (``303``); the code is dead then. A code used again, too old, or made by no run of this server is
answered with a page saying so and where to go: the address printed on the terminal, or ``blurscan review`` again
(:func:`refused_page`); a browser that already holds the cookie is let through instead (a code used twice by the
same browser, reloaded from its history). The cookie then works for the whole run, whichever address gave it.

What remains: another user who reads the code in ``ps`` and uses it in the moment before the browser does gets
in; the person's browser then shows that the code was used already (never silently the page), and that page says
to stop the server (``Ctrl+C``), which ends that session too. The alternatives weighed: a file only its owner may
read that leads to the address, given to the browser in place of it (Jupyter's way) -- a browser installed as a
snap (Ubuntu's Firefox and Chromium) may read no hidden folder of the home and not the host's ``/tmp``, and showed
an error page in place of the review page; the same file in a folder such a browser may read (a visible folder of
the home) litters the person's folders, and is left there when the process is killed. The code needs no file and
works with every browser; what a user reads in ``ps`` afterwards is a dead code.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time

from . import security
from .replies import refuse

log = logging.getLogger(__name__)

#: Seconds a one-time login code stays good after it is made (the browser it is given to is starting meanwhile).
CODE_LIFETIME = 120.0

#: The most codes kept (the oldest forgotten first): one is made each time the server opens a browser.
MAX_CODES = 64

#: The URL query parameter carrying a one-time login code.
CODE_PARAM = "code"


class LoginCodes:
    """The one-time login codes of one server run (thread-safe: the server answers requests in threads).

    Parameters
    ----------
    lifetime : float
        Seconds a code stays good (:data:`CODE_LIFETIME`).
    clock : callable
        Seconds, monotonic (``time.monotonic``; a test gives its own).
    """

    def __init__(self, lifetime: float = CODE_LIFETIME, clock=time.monotonic) -> None:
        self._lifetime = lifetime
        self._clock = clock
        self._lock = threading.Lock()
        self._codes: dict[bytes, list] = {}  # SHA-256 of a code -> [deadline, used]; never the code itself

    def new(self) -> str:
        """A fresh random code (128 bits, URL-safe), good once within the lifetime."""
        code = secrets.token_urlsafe(16)
        with self._lock:
            while len(self._codes) >= MAX_CODES:
                del self._codes[next(iter(self._codes))]
            self._codes[_digest(code)] = [self._clock() + self._lifetime, False]
        return code

    def use(self, given: str | None) -> str | None:
        """Spend ``given``: None when it was good (it is dead from now on), else why not, in a few words
        (``used``, ``expired``, ``unknown``)."""
        if not given:
            return "unknown"
        with self._lock:
            entry = self._codes.get(_digest(given))
            if entry is None:
                return "unknown"
            if entry[1]:
                return "used"
            entry[1] = True  # (an expired code is dead too)
            if self._clock() > entry[0]:
                return "expired"
            return None


def _digest(code: str) -> bytes:
    return hashlib.sha256(code.encode("utf-8", "surrogateescape")).digest()


_WHY = {
    "used": ("This link to the review page was used already: it opens the page once. If this browser did not open "
             "the page with it before, someone else on this computer may have: stop the page (Ctrl+C where "
             "<code>blurscan review</code> runs) and run it again."),
    "expired": f"This link to the review page is more than {int(CODE_LIFETIME) // 60} minutes old: it opens the "
               "page only within that time.",
    "unknown": "This link is not one this review page made (it is from an earlier run of <code>blurscan "
               "review</code>, or it was changed).",
    # (the page itself asked for with no login code: the token in the address not this run's, or no cookie)
    "token": "The token in this address is not this review page's: it is from an earlier run of <code>blurscan "
             "review</code> (each run has its own), or it was changed.",
    "signin": "This browser is not signed in to this review page: <code>blurscan review</code> was started again "
              "since this tab opened it (each run has its own token), or the address was typed without its "
              "token.",
}
#: The heading (and title) of the page for each of :data:`_WHY`'s words: a link (a login code), else signing in
_HEADING = {"token": "Not signed in", "signin": "Not signed in"}


def refused_page(why: str) -> str:
    """The HTML page answering a login code that is no longer good (``why``: :meth:`LoginCodes.use`'s word), or
    the page itself asked for by a browser not signed in (``token``: an address with a token not this run's;
    ``signin``: none and no cookie).

    Its text is the page's main landmark (a screen reader's jump to the main content), laid out at a phone's width
    (its viewport): until 2026-12-06 it was in no landmark, and a phone laid it out 980 px wide, shrunk."""
    heading = _HEADING.get(why, "Link no longer valid")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>blurscan review: {heading.lower()}</title></head>\n<body><main>\n"
            f"<h1>{heading}</h1>\n<p>{_WHY.get(why, _WHY['unknown'])}</p>\n"
            "<p>Open the address that <code>blurscan review</code> printed in its terminal (it starts "
            "<code>http://127.0.0.1:</code> and holds <code>?token=</code>), or run <code>blurscan review</code> "
            "again.</p>\n</main></body></html>\n")


def guard(request, config):
    """Sign the request in, or refuse it: the response to send now (a refusal, or the ``303`` that sets the
    cookie), or None to go on (signed in by the cookie, or a request other than ``GET`` with the token).

    ``config`` is the app's: ``BLURSCAN_PORT``, ``BLURSCAN_TOKEN`` and ``BLURSCAN_LOGIN_CODES`` (a
    :class:`LoginCodes`)."""
    name = security.cookie_name(config["BLURSCAN_PORT"])
    token = config["BLURSCAN_TOKEN"]
    url_token = request.args.get("token")
    if url_token is not None:
        if not security.token_matches(url_token, token):
            return _refused(request, "token", "wrong token: open the URL printed by `blurscan review`")
        if request.method == "GET":  # trade the token for a cookie and drop it from the address bar
            return _signed_in(request, name, token, "token")
        return None
    signed_in = security.token_matches(request.cookies.get(name), token)
    code = request.args.get(CODE_PARAM)
    if code is not None:
        if request.method != "GET":  # (not spent: only the browser's first visit trades it)
            return refuse(403, "a login code opens the page only: open the URL printed by `blurscan review`")
        why = config["BLURSCAN_LOGIN_CODES"].use(code)
        if why is None:
            return _signed_in(request, name, token, CODE_PARAM)
        if signed_in:  # (this browser signed in already: the address without the code)
            return _signed_in(request, None, token, CODE_PARAM)
        if why == "used":  # (on the terminal: the person may be told before their browser shows it)
            log.warning("note: the review page's one-time link was opened again, by a browser not signed in: if "
                        "yours says 'Link no longer valid', someone else on this computer may have opened the page "
                        "before it: press Ctrl+C to stop it, and run blurscan review again")
        return _refused_html(why)
    if not signed_in:
        return _refused(request, "signin", "not authorised: open the URL printed by `blurscan review`")
    return None


def _refused_html(why: str):
    from flask import Response

    response = Response(refused_page(why), status=403, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(request, why: str, reason: str):
    """A request not signed in refused: the page itself (a browser's ``GET /``) with :func:`refused_page`, any
    other with the API's JSON ``reason`` (the page's script reads it). Until 2026-12-06 the page too was answered
    with the JSON, which the browser showed as raw text in a document with no language and no title (the tab
    reloaded after ``blurscan review --port N`` was started again)."""
    if request.method == "GET" and request.path == "/":
        return _refused_html(why)
    return refuse(403, reason)


def _signed_in(request, name: str | None, token: str, param: str):
    """``303`` to the request's address without ``param``, setting the cookie ``name`` (unless None)."""
    from urllib.parse import urlencode

    from flask import redirect

    args = request.args.to_dict(flat=False)
    args.pop(param, None)
    target = request.path + ("?" + urlencode(args, doseq=True) if args else "")
    response = redirect(target, code=303)
    if name is not None:
        response.set_cookie(name, token, httponly=True, samesite="Strict", path="/")
    return response
