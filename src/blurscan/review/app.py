"""The review web app (Flask application factory).

Why Flask: it is a dependency already, well kept (Pallets), small, synchronous like the rest of blurscan, and
its test client lets every security check be tested without a network. The page itself is plain HTML, CSS
and vanilla JavaScript served from this package: no CDN, no build step, nothing fetched from the network.

Every request passes the checks of :mod:`~blurscan.review.security` (Host, token/cookie, CSRF on writes)
before reaching a route; see that module for the reasoning.
"""
from __future__ import annotations

import io
import logging
import os

from flask import Flask, Response, abort, g, jsonify, render_template, request, send_file
from werkzeug.exceptions import HTTPException

from ..bursts.identity import REPLACED_REASON, shot_replaced
from ..dbfile import scan_into
from ..errors import BlurscanError, printable_path, shell_path
from ..store import db_path, path_from_db
from ..typed_commands import naming, program
from . import (bursts_view, decisions, keeper_choice, keeper_marks, library, moved_note, present, security, signin,
               writes)
from .replies import http_error, refuse as _refuse
from .request_checks import check_present, photo_row, refused_why, request_body, same_version
from .other_names import OtherNames
from .elsewhere import KeptElsewhere
from .ids import Ids
from .exif_view import exif_basics as _exif, shown_as_scanned
from .thumbs import THUMB_LONG_SIDE, ThumbCache, cache_dir_for, url_version
from .totals import Totals, listed

log = logging.getLogger(__name__)

_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

#: Image formats a browser shows as they are (recognised by their first bytes); others are converted.
_BROWSER_FORMATS = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"),
                    (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))


def create_app(store_path: str | os.PathLike, token: str, *, port: int | None = None,
               thumbnailer=None, thumbs_dir: str | os.PathLike | None = None, db_hint: str | None = None,
               login_codes: signin.LoginCodes | None = None) -> Flask:
    """Build the review app for one database.

    Parameters
    ----------
    store_path : str or Path
        The blurscan database (must exist).
    token : str
        The per-run secret (:func:`~blurscan.review.security.new_token`), expected once in the URL.
    port : int, optional
        The port the server listens on; required for any request to pass the Host check. The server sets
        ``app.config["BLURSCAN_PORT"]`` after binding.
    thumbnailer : callable, optional
        ``(path, long_side) -> JPEG bytes``; default :func:`blurscan.decode.thumbnail`.
    thumbs_dir : str or Path, optional
        Thumbnail cache folder; default ``.blurscan-thumbs`` next to the database, or the user's cache folder
        when that one may not be written (:func:`~blurscan.review.thumbs.cache_dir_for`).
    db_hint : str, optional
        The database the page's suggested ``blurscan move`` and ``blurscan undo`` commands name (made absolute
        from the current folder); default ``store_path``.
    login_codes : LoginCodes, optional
        The one-time login codes the server gives the browser it opens (:mod:`~blurscan.review.signin`); default
        a new, empty set.
    """
    store_path = str(store_path)
    # fail now, clearly, if the database is missing or too new; one only readable (a full disk) is shown, each write
    # refused as when it stops being writable with the page open (until 2026-12-06 the page refused to start)
    store, cannot_write = writes.open_store(store_path, current=True)
    store.close()
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.update(
        BLURSCAN_DB=store_path,
        BLURSCAN_PORT=port,
        BLURSCAN_TOKEN=token,
        BLURSCAN_CSRF=security.csrf_token(token),
        BLURSCAN_LOGIN_CODES=signin.LoginCodes() if login_codes is None else login_codes,
        BLURSCAN_DB_HINT=db_hint or store_path,
        BLURSCAN_CANNOT_WRITE=None if cannot_write is None else str(cannot_write),
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    thumbs = ThumbCache(thumbs_dir or cache_dir_for(store_path), make=thumbnailer)
    app.config["BLURSCAN_THUMBS"] = str(thumbs.folder)
    ids = Ids()  # public id -> stored path
    pins: dict[str, str] = {}  # stored path -> real path when first served (see security.check_known_file)
    companions = library.Companions()  # what moves with each photo: looked up again at each page load
    # photos kept in another library database above them (move leaves them): looked up again at each page load
    elsewhere = KeptElsewhere()
    others = OtherNames()  # names of a file shown under another (report and move take it once): per page load
    totals = Totals(companions, elsewhere, others)  # the header's figures, kept for the decisions that follow
    written_shots = bursts_view.Written()  # the bursts view's shots as JSON, each kept until its row changes
    # the keeper choices, by their keep's change: its undo puts the keeper, and the mark it took back, back too
    keeper_picks = keeper_choice.Picks()

    # -- security hooks -----------------------------------------------------------------------------
    @app.before_request
    def _guard():
        port_ = app.config["BLURSCAN_PORT"]
        if not security.host_allowed(request.headers.get("Host"), port_):
            return _refuse(403, "Host not allowed (the review server answers only 127.0.0.1, localhost, [::1])")
        # the token or a one-time login code in the address, traded for the cookie; else the cookie (.signin)
        if (answer := signin.guard(request, app.config)) is not None:
            return answer
        ok, reason = security.write_allowed(request.method, request.headers, port_, app.config["BLURSCAN_CSRF"])
        if not ok:
            return _refuse(403, reason)
        # read only when it can no longer be written (made read-only since the start): writes are refused then
        g.store, g.cannot_write = writes.open_store(app.config["BLURSCAN_DB"])
        return None

    @app.teardown_request
    def _close(_exc):
        store = g.pop("store", None)
        if store is not None:
            store.close()

    @app.after_request
    def _headers(response: Response):
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if "Cache-Control" not in response.headers or not request.path.startswith("/thumb/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(BlurscanError)
    def _blurscan_error(exc):
        return _refuse(400, str(exc))

    @app.errorhandler(Exception)
    def _unexpected(exc):  # a bug, or the system refusing: one line here and to the page, never a traceback
        if isinstance(exc, HTTPException):  # (405, 413, ...: in the one shape of the replies, .replies)
            return http_error(exc)
        if isinstance(exc, TimeoutError):  # a client that stopped sending its body (server.REQUEST_TIMEOUT)
            return _refuse(408, "request timed out")
        reason, said = writes.failure(exc, app.config["BLURSCAN_DB"])  # (a damaged database: named)
        log.error("review server: %s %s failed: %s", request.method, printable_path(request.path), reason,
                  extra={"internal": said != reason})  # (the CLI's line says how to have the traceback, bugreport)
        log.debug("the failure's traceback", exc_info=exc)
        return _refuse(500, said)

    # -- pages --------------------------------------------------------------------------------------
    @app.get("/")
    def page():
        companions.reset()  # RAW twins and sidecars added or removed since are counted from now on
        elsewhere.reset()  # and keeps made in other databases since
        others.reset()  # and links made or removed
        totals.forget()  # (the figures kept were counted with those)
        ids.reset()  # (an id found in no photo is looked for again)
        # the commands under the keys' help, typed in any folder (the page is read away from any terminal): the
        # database's absolute path (a relative `review --db lib.db` named it as from review's folder, until
        # 2026-12-07), and the undo naming the library or --db (a bare `blurscan undo` found none elsewhere); the
        # scan of an empty library's page names a --db database too (`blurscan scan FOLDER` filled another one)
        hint = os.path.abspath(app.config["BLURSCAN_DB_HINT"])
        return render_template("index.html", csrf=app.config["BLURSCAN_CSRF"], db_hint=shell_path(hint),
                               undo_hint=moved_note.undo_command(hint), scan_hint=scan_into(hint, "FOLDER"),
                               bursts_hint=naming(hint, "blurscan bursts"), program=program(), thumbs=url_version())

    @app.get("/favicon.ico")
    def favicon():
        return Response(status=204)

    # -- read API -----------------------------------------------------------------------------------
    @app.get("/api/items")
    def api_items():
        filter_ = request.args.get("filter", "flagged")
        sort = request.args.get("sort", "p_blurry")
        if filter_ not in library.FILTERS or sort not in library.SORTS:
            return _refuse(400, "unknown filter or sort")
        folder = request.args.get("folder") or None  # as the page names it: library.shown_folder
        mark = listed(g.store)  # (read first: a write made meanwhile changes it again, present.py)
        rows = library.items(g.store, filter_=filter_, folder=folder and library.stored_folder(g.store, folder),
                             sort=sort, elsewhere=elsewhere, companions=companions, others=others.of(g.store))
        return jsonify(items=rows, summary=_summary(), listed=mark)

    @app.get("/api/folders")
    def api_folders():
        return jsonify(folders=library.folders(g.store, others.of(g.store)))

    @app.get("/api/summary")
    def api_summary():
        return jsonify(_summary())

    @app.get("/api/decisions")
    def api_decisions():  # a tab shown again marks what was decided elsewhere since it loaded (refresh.js)
        return jsonify(decisions=library.decisions_now(g.store), summary=_summary(),
                       **present.since(g.store, request.args.get("listed"), others.of(g.store),
                                       present.listing_of(g.store, request.args), elsewhere))

    @app.get("/api/item/<ident>")
    def api_item(ident):
        row = photo_row(ident, ids)
        out = library.detail(row, _kept_elsewhere(row))
        # the files `move` takes with this photo (RAW twin, sidecars): the detail view counts them in its size
        key = db_path(row["path"])
        out["companions"] = [{"name": library.item_name(p), "size": size, "role": role}
                             for p, size, role in companions.files([key])[key]]
        out["exif"] = _exif(row, pins, g.folders)
        return jsonify(out)

    @app.get("/thumb/<ident>")
    def thumb(ident):
        row = photo_row(ident, ids)
        if row["status"] != "ok" and None in (row["size"], row["mtime_ns"]):
            return _refuse(415, "this file could not be decoded by the scan")
        same_version(row)
        _checked(row)  # (a thumbnail cached is served after this check; one made reads the file once more, checked)
        try:
            # (a size cached here must be in thumbs.CACHED_SIDES, or `blurscan review` prunes it as unused)
            data = thumbs.get(row["path"], row["size"], row["mtime_ns"], THUMB_LONG_SIDE, read=lambda: _read(row))
        except BlurscanError as exc:
            return _refuse(415, str(exc))
        response = send_file(io.BytesIO(data), mimetype="image/jpeg")
        response.headers["Cache-Control"] = "private, max-age=86400"
        return response

    @app.get("/full/<ident>")
    def full(ident):
        row = photo_row(ident, ids)
        if row["status"] != "ok":
            return _refuse(415, "this file could not be decoded by the scan")
        same_version(row)
        try:
            fh = security.open_known_file(*_known(row))
        except security.RefusedFile as exc:
            return _refuse(exc.status, refused_why(exc, row["path"]))
        try:
            head = fh.read(16)
            fh.seek(0)
            # a RAW + JPEG pair judged from its RAW (the JPEG small or unreadable) is converted like a HEIC: the
            # decoder falls back to the RAW's picture when the JPEG cannot be read, where the browser would show
            # what it makes of the damaged file (a picture cut off in grey, or none and no reason)
            as_is = not library.judged_from_raw(row)
            # a picture the browser would not turn as the scan did is converted upright (as the scan, its blur map
            # and the thumbnail see it): Chromium shows a WebP as stored, ignoring its EXIF Orientation (it turns a
            # JPEG or PNG by it itself), and no browser reads a tiff:Orientation in XMP (exif_view.shown_as_scanned)
            for magic, mimetype in _BROWSER_FORMATS:
                if as_is and head.startswith(magic) and shown_as_scanned(fh, turns_exif=True):
                    return send_file(fh, mimetype=mimetype, max_age=0)
            if as_is and head[:4] == b"RIFF" and head[8:12] == b"WEBP" and shown_as_scanned(fh, turns_exif=False):
                return send_file(fh, mimetype="image/webp", max_age=0)
        except BaseException:
            # (a damaged stored record, an unreadable file: the photo's file closed now, not left to the collector
            # with the traceback the error line keeps: until 2026-12-06)
            fh.close()
            raise
        # HEIC, TIFF, a turned WebP, ...: converted to a full-size JPEG (not cached), from the bytes of the file
        # checked (it was opened again by its name, and a link swapped in meanwhile was followed: until 2026-12-05)
        long_side = max(row["width"] or 0, row["height"] or 0) or 4096
        try:
            with fh:
                data = security.read_known_file(fh, row["path"])
            data = thumbs.make(row["path"], long_side, read=lambda: data)
        except BlurscanError as exc:
            return _refuse(415, str(exc))
        return send_file(io.BytesIO(data), mimetype="image/jpeg", max_age=0)

    @app.get("/api/bursts")
    def api_bursts():
        return _json(_bursts())

    # -- write API ----------------------------------------------------------------------------------
    @app.post("/api/decision")
    def api_decision():
        body = request_body()
        decision = body.get("decision")
        if decision not in (*decisions.DECISIONS, None):
            return _refuse(400, "decision must be keep, discard or null")
        row = photo_row(str(body.get("id", "")), ids)
        check_present(row, f"{decision} not recorded" if decision else "decision not cleared",
                      changed_ok=decision is None, shown=body.get("v"))
        def write() -> int:
            with writes.stored(writes.photo_name(row["path"]), f"{decision} not recorded" if decision else
                               "decision not cleared"):  # (the database made read-only since the start: 503, why)
                change = decisions.decide(g.store, row["path"], decision, size=row["size"], mtime_ns=row["mtime_ns"])
            elsewhere.forget(g.store, row["path"])  # a keep of one name protects the file's other names
            return change

        # the header's figures: those kept, with what this decision changed (not a count of the whole library)
        # (bursts_changed: a keeper discarded, or its discard taken back, gives its place: the page reads the groups)
        (change, figures), reranked = bursts_view.reranked_by(g.store, row["path"],
                                                              lambda: totals.decide(g.store, row["path"], write))
        # change: what this page's u sends back to undo this decision, and no other
        return jsonify(id=security.path_id(row["path"]), decision=decision, change=change,
                       kept_elsewhere=_kept_elsewhere(row), summary=figures, **reranked)

    @app.post("/api/undo")
    def api_undo():
        body = request_body()
        change = body.get("change")
        if change is None:  # a page that names no change (older than this server): the database's last one
            try:
                with writes.stored(*writes.undo_subject(g.store, None)):
                    undone = decisions.undo_last(g.store)
            except decisions.UndoRefused as exc:  # its decision replaced by a scan since: not someone else's undone
                log.info("refused undo: %s", exc)
                return _refuse(exc.status, str(exc), summary=_summary())
            if undone is None:
                return jsonify(id=None, decision=None, summary=_summary())
            elsewhere.forget(g.store, undone.path)
            return jsonify(id=security.path_id(undone.path), decision=undone.decision, reverted=undone.reverted,
                           name=library.item_name(undone.path), summary=_summary(), **_moved(undone))
        if isinstance(change, bool) or not isinstance(change, int) or not 0 < change < 2**63:  # SQLite's integers
            return _refuse(400, "change must be the number a decision answered")
        # the photo the page decided on (its id), when it names it: a change of that number about another photo
        # is another database's (replaced while the page was open: rm .blurscan.db, scan), not this page's
        # decision; its u undid another tab's or another review page's decision there (until 2026-12-05)
        named = body.get("id")
        logged = g.store.conn.execute("SELECT path FROM decision_log WHERE id = ?", (change,)).fetchone()
        if named is not None and logged is not None and named != security.path_id(path_from_db(logged["path"])):
            log.info("refused undo: change %s is about another photo", change)
            return _refuse(404, "that decision is not in this database's history (was the database replaced while "
                                "the page was open?): reload the page; nothing undone", summary=_summary())
        pick = keeper_picks.get(g.store, change)  # (one of this database's: it may have been replaced since)
        keeper = None
        if pick is not None:  # a keeper choice: its group goes back as it was, with the keep mark
            group_id, before, after, released = pick

            def also(conn):
                if not library.restore_burst_order(conn, group_id, before, after):
                    raise decisions.UndoRefused(
                        f"the keeper of group {group_id} was changed since (in another tab, or by blurscan "
                        "bursts); not undone")
                keeper_marks.restore(conn, released)
            keeper = next((path_from_db(p) for p, rank, is_keeper, *_ in before if is_keeper and rank == 1), None)
        else:
            also = None
        try:
            with writes.stored(*writes.undo_subject(g.store, change)):
                undone, reranked = bursts_view.reranked_by(g.store, logged and path_from_db(logged["path"]),
                                                           lambda: decisions.undo_change(g.store, change, also=also))
        except decisions.UndoRefused as exc:
            log.info("refused undo: %s", exc)
            out = {"error": str(exc), "summary": _summary()}
            if exc.path is not None:  # the page shows the photo's decision as it is now
                out.update(id=security.path_id(exc.path), decision=exc.current)
            if pick is not None:  # and the groups as they are now
                out.update(_bursts())
            return _json(out, exc.status)
        elsewhere.forget(g.store, undone.path)
        if pick is not None and pick[3] is not None:  # the earlier keeper's keep mark back (keeper_marks)
            elsewhere.forget(g.store, path_from_db(pick[3][1][0]))
        out = dict(id=security.path_id(undone.path), decision=undone.decision, reverted=undone.reverted,
                   name=library.item_name(undone.path), change=change, **_moved(undone), **reranked)
        if pick is not None:
            keeper_picks.pop(change)
            out.update(_bursts(), keeper_undone=True, keeper=keeper and library.item_name(keeper),
                       released=keeper_marks.shown(g.store, pick[3]))  # the earlier keeper: its keep mark back
        return _json({**out, "summary": _summary()})

    @app.post("/api/bursts/<int:group_id>/keeper")
    def api_burst_keeper(group_id):
        if group_id >= 2**63:  # (past SQLite's integers: a 500, OverflowError, until 2026-12-06)
            return _refuse(404, "no such burst group (not a number the page gives): reload the page")
        body = request_body()
        row = photo_row(str(body.get("id", "")), ids)
        check_present(row, "keeper not changed", shown=body.get("v"))
        # another file under a shot's name since `blurscan bursts` ranked it (a scan has seen it, so check_present
        # lets it through): the bursts view leaves it out, and no keeper is chosen among shots it never was in
        if shot_replaced(g.store.conn, group_id, db_path(row["path"])):
            name = printable_path(os.path.basename(row["path"]))
            return _refuse(409, f"{name}: {REPLACED_REASON}; keeper not changed")
        def earlier_of(before):  # the keeper chosen before it in this group (or an earlier run): its keep mark goes
            return keeper_picks.earlier(g.store, group_id, before)

        with writes.stored(writes.photo_name(row["path"]), "keeper not changed"):  # (all of it, or none: keeper_choice)
            chosen = keeper_choice.choose(g.store, group_id, row["path"], row["size"], row["mtime_ns"], earlier_of)
        if chosen is None:
            return _refuse(404, "that photo is not in this group")
        pick, change, released = chosen
        for path in [row["path"]] + ([path_from_db(released[1][0])] if released else []):
            elsewhere.forget(g.store, path)
        # undoing this change puts the group back as it was too (for as long as this server runs)
        keeper_picks.add(g.store, change, group_id, pick, released)
        # released: the shot whose keep mark went, and its decision now, for the page to show (keeper_marks)
        return _json({**_bursts(), "change": change, "released": keeper_marks.shown(g.store, released),
                      "summary": _summary()})

    # -- helpers ------------------------------------------------------------------------------------
    def _summary() -> dict:
        return totals.now(g.store)

    def _moved(undone) -> dict:
        """The photo of an undone decision, taken away by a move or trash batch: it stays there (:mod:`.moved_note`)."""
        return moved_note.moved(g.store, undone.path, app.config["BLURSCAN_DB"], undone.reverted or "decision")

    def _kept_elsewhere(row) -> str | None:
        """Why a keep outside this database protects the photo of ``row`` (:mod:`.elsewhere`), or None."""
        return elsewhere.reasons(g.store, [(row["path"], row["size"], row["mtime_ns"])]).get(row["path"])

    def _bursts() -> dict:
        """The groups the bursts view shows (as JSON text: :class:`~.bursts_view.Raw`, see :func:`_json`), and how
        many stored groups and shots it leaves out."""
        twins = lambda: others.twins(g.store)  # noqa: E731  (looked up only where a RAW shot is shown)
        if not _compact():
            return bursts_view.view(g.store, elsewhere, twins=twins)
        return written_shots.view_json(g.store, elsewhere, _dumps, twins)

    def _compact() -> bool:
        """Whether the app writes its JSON compact (out of debug mode), the only way :func:`_bursts` writes it."""
        return app.json.compact or (app.json.compact is None and not app.debug)

    def _dumps(obj) -> str:
        return app.json.dumps(obj, separators=(",", ":"))

    def _json(fields: dict, status: int = 200):
        """``jsonify(fields)``, the bursts view's groups in it already written (:func:`_bursts`): the same bytes."""
        if not _compact():
            return jsonify(fields), status
        return app.response_class(f"{bursts_view.dumps_with(fields, _dumps)}\n", mimetype=app.json.mimetype,
                                  status=status)

    def _known(row) -> tuple:
        """What :func:`.security.check_known_file` checks the photo of ``row`` (from
        :func:`.request_checks.photo_row`) by."""
        return row["path"], row["size"], row["mtime_ns"], pins, g.folders

    def _checked(row):
        try:
            return security.check_known_file(*_known(row))
        except security.RefusedFile as exc:
            abort(_refuse(exc.status, refused_why(exc, row["path"])))

    def _read(row) -> bytes:
        """The bytes of ``row``'s photo, read through the checked descriptor (:func:`.security.open_known_file`)."""
        try:
            fh = security.open_known_file(*_known(row))
        except security.RefusedFile as exc:
            abort(_refuse(exc.status, refused_why(exc, row["path"])))
        with fh:
            return security.read_known_file(fh, row["path"])

    return app
