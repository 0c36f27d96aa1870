"""Security checks of the review server, as pure functions (unit-tested one by one).

The review server runs on the person's own machine and can read their photos, so it assumes that any web page
open in the same browser may try to reach it. The defences, in the order a request meets them:

1. **Loopback only.** The server binds ``127.0.0.1`` (see :mod:`~blurscan.review.server`).
2. **Host check** (:func:`host_allowed`): DNS rebinding makes a hostile name resolve to 127.0.0.1, but the
   browser still sends that name in ``Host``; only ``127.0.0.1:PORT``, ``localhost:PORT`` and ``[::1]:PORT``
   are accepted.
3. **Per-run token** (:func:`new_token`, :func:`token_matches`): the URL printed by ``blurscan review``
   carries a random token; the first request trades it for an ``HttpOnly; SameSite=Strict`` cookie (its name
   includes the port, since cookies are shared across ports). Without either, every request is refused. The
   browser the server opens gets a one-time login code in place of the token (:mod:`~blurscan.review.signin`).
4. **Cross-origin writes** (:func:`write_allowed`): POST / PUT / PATCH / DELETE must carry the page's CSRF
   token in a custom header (a cross-origin page cannot set one without a CORS pre-flight, which this server
   never grants), and when the browser says where the request comes from (``Origin``, ``Sec-Fetch-Site``)
   it must be this origin.
5. **Only files the database knows** (:func:`path_id`, :func:`open_known_file`): files are addressed by a
   hash of the stored path, never by a client-supplied path; before serving, the file must still be the
   regular file the scan saw (same size and modification time), must not be a symbolic link, its real path
   must stay the one it had when first served, and it is opened with ``O_NOFOLLOW`` and checked again on the
   open descriptor (the same device and inode), so a link or another file swapped in after the check is refused
   too; everything served is read through that descriptor (:func:`read_known_file`), never by the path again.
   A stored path outside the library (:mod:`blurscan.library_bounds`) is not served at all.

References
----------
OWASP, "Cross-Site Request Forgery Prevention Cheat Sheet" (custom request headers; Fetch Metadata).
W3C, "Fetch Metadata Request Headers" (``Sec-Fetch-Site``).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat as stat_module
from dataclasses import dataclass

from ..errors import printable_path
from ..library_bounds import OUTSIDE_REASON, under_any
from ..filetime import mtime_of

#: Host names accepted in the ``Host`` header (with the server's port).
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")

#: Methods that change state and therefore need the CSRF checks.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: Header carrying the CSRF token on writes.
CSRF_HEADER = "X-Blurscan-CSRF"


def new_token() -> str:
    """A fresh random token for one server run (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison; False for a missing or empty ``given``."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))


def csrf_token(token: str) -> str:
    """The CSRF token put in the page (derived from the run token; not the token itself)."""
    return hmac.new(token.encode("utf-8"), b"blurscan-review-csrf", hashlib.sha256).hexdigest()


def cookie_name(port: int | None) -> str:
    """Name of the session cookie (cookies are not port-specific, so two servers must not share one)."""
    return f"blurscan_review_{port or 0}"


def allowed_hosts(port: int) -> frozenset[str]:
    """The exact ``Host`` values accepted for a server on ``port``."""
    return frozenset(f"{name}:{port}" for name in LOOPBACK_NAMES)


def host_allowed(host: str | None, port: int | None) -> bool:
    """True when ``host`` (the raw ``Host`` header) names the loopback server on ``port``.

    No port, another port, another name (even one resolving to 127.0.0.1), user-info or trailing dots are
    refused. ``port=None`` (server not bound yet) refuses everything.
    """
    if not host or port is None:
        return False
    return host.strip().lower() in allowed_hosts(port)


def origin_allowed(origin: str | None, port: int | None) -> bool:
    """True when ``origin`` (an ``Origin`` header) is this server's own origin."""
    if not origin or port is None:
        return False
    return origin.strip().lower() in {f"http://{h}" for h in allowed_hosts(port)}


def write_allowed(method: str, headers, port: int | None, csrf_expected: str) -> tuple[bool, str]:
    """Decide whether a request may change state.

    Parameters
    ----------
    method : str
        HTTP method.
    headers : Mapping
        Request headers (case-insensitive mapping such as ``werkzeug.Headers``, or a plain dict).
    port : int or None
        The server's port.
    csrf_expected : str
        :func:`csrf_token` of the run token.

    Returns
    -------
    (bool, str)
        Whether it is allowed, and the reason when it is not.
    """
    if method.upper() not in UNSAFE_METHODS:
        return True, ""
    get = _getter(headers)
    fetch_site = get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site.strip().lower() not in ("same-origin", "none"):
        return False, f"cross-site request refused (Sec-Fetch-Site: {fetch_site})"
    origin = get("Origin")
    if origin is not None and not origin_allowed(origin, port):
        return False, f"cross-origin request refused (Origin: {origin})"
    if not token_matches(get(CSRF_HEADER), csrf_expected):
        return False, f"missing or wrong {CSRF_HEADER} header"
    return True, ""


def _getter(headers):
    if hasattr(headers, "get") and not isinstance(headers, dict):
        return headers.get
    lowered = {str(k).lower(): v for k, v in dict(headers).items()}
    return lambda name: lowered.get(name.lower())


# -- files --------------------------------------------------------------------------------------------------

def path_id(path: str) -> str:
    """Stable public id of a stored path: the first 24 hex digits of its SHA-256 (never the path itself)."""
    return hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()[:24]


class RefusedFile(Exception):
    """A known file that must not be served; ``status`` is the HTTP status to answer with."""

    def __init__(self, reason: str, status: int = 403) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def gone_reason(path: str, unmounted=None, db_path=None) -> str:
    """The one line saying that a known file is no longer where the scan saw it (it names the file and the
    path; the page shows it in place of the picture and in the message refusing a decision). ``unmounted``: the
    folder above it that looks like a drive or share not mounted (:class:`blurscan.unmounted.Unmounted`), said
    in place of "moved or deleted since the scan" (said of it too until 2026-12-07, as ``report`` did); its drive
    not mounted and its mount point gone, what to do, in ``report``'s words, the ``scan --forget`` of the database
    ``db_path`` named (:meth:`blurscan.unmounted.Unmounted.remedy`; until 2026-12-07, late, nothing)."""
    name = printable_path(os.path.basename(path))
    if unmounted is not None:
        return (f"{name}: not at {printable_path(path)}: {printable_path(unmounted.folder)} is {unmounted.why()}" +
                unmounted.asked() + (f": {unmounted.remedy(db_path, again='')}" if unmounted.unplugged and
                                     db_path is not None else ""))
    return f"{name}: no longer at {printable_path(path)} (moved or deleted since the scan)"


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed :func:`check_known_file` (and which file it was: ``dev``, ``ino``)."""

    path: str
    size: int
    mtime_ns: int
    dev: int
    ino: int


def check_known_file(path: str, size: int | None, mtime_ns: int | None, pins: dict | None = None,
                     folders: tuple[str, ...] | None = None) -> CheckedFile:
    """Check that the stored ``path`` may be served now; raise :class:`RefusedFile` otherwise.

    The path comes from the database (never from the client). It must be absolute and normalised, not be a
    symbolic link itself, be a regular file, and still have the size and modification time of the scan (else
    the record is stale: 409, rescan). Folders above it may be links (a library on another disk linked into
    the home folder is common), but its real path must not change while the server runs: ``pins`` maps each
    stored path to the real path it had when first served, and a differing real path (a folder swapped for a
    link to somewhere else) is refused. With ``folders`` (the library's,
    :func:`~blurscan.library_bounds.library_folders`), a path under none of them by its name must be under one by
    the real path found here (the one pinned and compared). A record without the scan's size and time (written by hand: a real scan
    stores them, for unreadable files too) is refused (409), as is a file whose real path cannot be found (it
    changed meanwhile).
    """
    if not path or "\x00" in path or not os.path.isabs(path) or os.path.normpath(path) != path:
        raise RefusedFile("not a clean absolute path")
    if size is None or mtime_ns is None:  # (its identity check was skipped, until 2026-12-05)
        raise RefusedFile(f"{printable_path(os.path.basename(path))}: no size and time recorded by the scan: "
                          "not served (run blurscan scan again)", 409)
    try:
        lst = os.lstat(path)
    except OSError:
        raise RefusedFile(gone_reason(path), 404) from None
    if stat_module.S_ISLNK(lst.st_mode):
        raise RefusedFile("symbolic link: not served")
    if not stat_module.S_ISREG(lst.st_mode):
        raise RefusedFile("not a regular file")
    try:  # (raised EINVAL when the file was swapped for a link meanwhile: a 500 and a traceback, until 2026-12-05)
        real = os.path.realpath(path)
        expected = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
    except OSError:
        raise RefusedFile(f"{printable_path(os.path.basename(path))}: changed while being checked: not served "
                          "(reload the page)", 409) from None
    if real != expected:
        raise RefusedFile("real path differs from the stored path's real path")
    if folders is not None and not (under_any(path, folders) or under_any(real, folders)):
        raise RefusedFile(f"{printable_path(os.path.basename(path))}: {OUTSIDE_REASON}: not served")
    if pins is not None:
        pinned = pins.setdefault(path, real)
        if pinned != real:
            raise RefusedFile("real path changed since it was first served (a folder replaced by a link?)")
    if (lst.st_size, mtime_of(lst)) != (size, mtime_ns):
        raise RefusedFile("file changed since the scan (run blurscan scan again)", 409)
    return CheckedFile(path, lst.st_size, mtime_of(lst), lst.st_dev, lst.st_ino)


def open_known_file(path: str, size: int | None, mtime_ns: int | None, pins: dict | None = None,
                    folders: tuple[str, ...] | None = None):
    """:func:`check_known_file`, then open read-only without following links and re-check the descriptor: the
    very file checked (device and inode), still of the scan's size and time. Everything served is read
    through this descriptor (:func:`read_known_file`), never by the path again: a file swapped after the check
    (for a link, or for another file given the same size and time) is refused, not read.

    Returns
    -------
    file object
        Opened in binary mode; the caller closes it.
    """
    checked = check_known_file(path, size, mtime_ns, pins, folders)
    flags = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_NONBLOCK", 0))  # (a pipe swapped in: open() would wait for a writer)
    try:
        fd = os.open(path, flags)
    except OSError:
        raise RefusedFile("cannot open the file") from None
    try:
        fst = os.fstat(fd)
        if (not stat_module.S_ISREG(fst.st_mode) or (fst.st_dev, fst.st_ino) != (checked.dev, checked.ino)
                or (fst.st_size, mtime_of(fst)) != (checked.size, checked.mtime_ns)):
            raise RefusedFile("file changed while opening it")
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_known_file(fh, path: str, max_pixels: int | None = None) -> bytes:
    """Every byte of a file :func:`open_known_file` opened (``fh``; left open), read through its descriptor.

    Raises :class:`~blurscan.errors.DecodeError` when it is larger than an image of ``max_pixels`` (default: the
    scan's default limit) can be, or changes while being read."""
    from ..config import ScanSettings
    from ..fileread import read_descriptor

    limit = ScanSettings().max_pixels if max_pixels is None else max_pixels
    return read_descriptor(fh.fileno(), path, max_pixels=limit)[0]
