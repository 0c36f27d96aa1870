"""The review server's checks of a request about a photo, each refusing it with one line (``abort`` with a
:func:`.replies.refuse` reply): a photo id the page never gave or no longer in the database, a photo outside the
library (:func:`photo_row`); a write's body that is not a JSON object (:func:`request_body`); a write about a photo
gone or changed since the scan (:func:`check_present`), and a write or picture of a version the page showed that a
scan has replaced since (:func:`same_version`).
"""
from __future__ import annotations

import os

from flask import abort, current_app, g, request

from ..errors import printable_path
from ..filetime import mtime_of
from ..library_bounds import OUTSIDE_REASON, in_library, library_folders
from . import library, security
from .replies import refuse


def check_present(row, refused: str, *, changed_ok: bool = False, shown=None) -> None:
    """Refuse (409) a write about a photo whose file is gone, or changed since the scan (edited, replaced):
    the page may be older than that, and a decision on the new version would be one on a photo nobody saw
    (it was stored with the scan's identity, so move and tag then skipped the photo as changed). The same
    when the page names the version it showed (``shown``: its item's ``v``) and a scan has stored another
    since (the file changed and was scanned again while the page was open)."""
    if not library.on_disk(row["path"], row["status"]):
        abort(refuse(409, f"{gone_why(row['path'])}; {refused}"))
    if changed_ok:  # clearing a decision is fine on any version
        return
    if shown is not None and shown != library.version(row):
        abort(refuse(409, f"{rescanned(row)}; {refused}"))
    try:
        st = os.stat(row["path"])
    except OSError:
        return
    scanned = (row["size"], row["mtime_ns"])  # None: an error record, no identity to compare
    if None not in scanned and (st.st_size, mtime_of(st)) != scanned:
        name = printable_path(os.path.basename(row["path"]))
        abort(refuse(409, f"{name}: changed since the scan (run blurscan scan again); {refused}"))


def rescanned(row) -> str:
    """Why a photo's request is refused when a scan has stored another version since the page showed it."""
    return f"{printable_path(os.path.basename(row['path']))}: scanned again since this page showed it (the file " \
           "changed): reload the page"


def same_version(row) -> None:
    """Refuse (409) a picture asked for with the version of the photo the page showed (``?v=``, its cache
    buster) when a scan has stored another since: served, the old URL held the new picture, under the old
    one's scores (and in the browser's cache for a day, the thumbnail: until 2026-12-05)."""
    shown = request.args.get("v")
    if shown is not None and shown != library.version(row):
        abort(refuse(409, rescanned(row)))


def request_body() -> dict:
    """The write's JSON object ({} without a body); anything else (not JSON, nested too deep, a list, a
    number) is a 400. (Text that was not JSON was taken for no body, and JSON nested 30,000 deep was a 500
    and a traceback, until 2026-12-05.)"""
    data = request.get_data(cache=True)
    if not data:
        return {}
    try:
        body = current_app.json.loads(data)
    except RecursionError:
        abort(refuse(400, "the request body is JSON nested too deeply"))
    except ValueError as exc:  # (UnicodeDecodeError too)
        abort(refuse(400, f"the request body is not JSON: {str(exc).splitlines()[0] if str(exc) else exc!r}"))
    if not isinstance(body, dict):
        abort(refuse(400, "the request body must be a JSON object"))
    return body


def photo_row(ident: str, ids):
    """The stored row of the photo the page names by ``ident`` (:class:`.ids.Ids`), with ``g.folders`` set to the
    library's folders; 404 for an id the page never gives or one no longer stored, 403 for a photo outside the
    library."""
    if not ident or len(ident) > 64 or not all(c in "0123456789abcdef" for c in ident):
        abort(refuse(404, "no such photo (not an id the page gives): reload the page"))
    row = library.row_for_id(g.store, ident, ids)
    if row is None:  # a line the page can show (not Flask's HTML page): typically a rescan forgot it
        abort(refuse(404, "this photo is no longer in the library's database (forgotten by a scan since "
                           "this page was loaded): reload the page"))
    g.folders = library_folders(g.store)
    if not in_library(row["path"], g.folders):  # a row added by hand: not listed, not served
        abort(refuse(403, f"{printable_path(os.path.basename(row['path']))}: {OUTSIDE_REASON}: not served"))
    return row


def gone_why(path: str) -> str:
    """:func:`.security.gone_reason` of a stored photo no longer at ``path``, naming the folder above it that looks
    like a drive or share not mounted where there is one (:mod:`blurscan.unmounted`), as its card does."""
    from ..unmounted import Judge

    return security.gone_reason(path, Judge(g.store)(os.path.dirname(path)), g.store.path)


def refused_why(exc, path: str) -> str:
    """The reason of ``exc`` (a :class:`.security.RefusedFile` of the photo at ``path``), of a file gone (404)
    :func:`gone_why`'s."""
    return gone_why(path) if exc.status == 404 else exc.reason
