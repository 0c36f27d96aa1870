"""The one shape of the review server's error replies: ``{"error": LINE}`` as JSON, with the status.

Every refusal and failure, of the API and of the pictures (``/thumb``, ``/full``) alike, is a JSON object whose
``error`` is one line the page can show as it is; some add fields the page uses (an undo refused: ``summary``,
the photo's ``id`` and ``decision`` now). The page's JavaScript reads them in one place (``api.js``: ``reason``).
Until 2026-12-05 there were three shapes: Flask's HTML page for a malformed photo id (or a method not allowed,
a body too large), a plain-text line for most refusals, JSON for the others; the page showed the HTML page's
source in its message.
"""
from __future__ import annotations

import logging

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def refuse(status: int, reason: str, **fields) -> Response:
    """The reply refusing a request: ``{"error": reason, **fields}`` with ``status``, never cached."""
    log.info("refused request: %s", reason)
    response = jsonify(error=reason, **fields)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def http_error(exc: HTTPException) -> Response:
    """Werkzeug's error (a method not allowed, a body too large, an unknown path) in that shape: its
    description's first line (and the ``Allow`` header of a 405)."""
    if exc.response is not None:  # abort(response): already a reply of its own
        return exc.response
    text = (exc.description or exc.name or "").splitlines()
    response = refuse(exc.code or 500, f"{exc.name}: {text[0]}" if text else str(exc.name))
    for name, value in exc.get_headers():
        if name.lower() == "allow":
            response.headers[name] = value
    return response
