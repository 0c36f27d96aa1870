"""Which photos the page's lists may still show, for a tab shown again after another command wrote to the
database (``GET /api/decisions?listed=MARK``, refresh.js).

A tab keeps the list it loaded: until 2026-12-06 the photos `blurscan move` or `blurscan trash` took away while it
was open stayed in its grid, marked discard, until a key on one was refused. Each list answer carries a mark of
what may change the lists (:func:`.totals.listed`: a scan's records, a move, trash or undo; not a decision); a tab
shown again sends its list's mark, and when another command has written since, the answer holds the ids of every
photo a list may show (:func:`present_ids`), so that the tab takes the others off its grid. Only then: the ids of
a large library are some 28 bytes a photo (2.8 MB for 100,000), and a pass over the table hashing each path
(0.16 s for 100,000 on the 2-core development machine, 2026-12-06).

A tab that names its list's filter and folder too (``&filter=F&folder=X``) gets the ids that list holds now
(:func:`list_ids`, ``"listing"``): those it does not show are new since it was loaded (a scan found them, an
undo put them back), which the tab says, with a key to show them (refresh.js). Until 2026-12-06 such photos
appeared only once a list was chosen again or the page reloaded, and nothing said they were there. The ids only,
not the list's items: those cost a look on disk for each photo (1.1 s for 20,000, against 0.06 s for the ids).
"""
from __future__ import annotations

from ..store import path_from_db
from .elsewhere import KeptElsewhere
from .library import FILTERS, away, filter_where, stored_folder
from .security import path_id
from .totals import listed


def present_ids(store, others: frozenset[str] = frozenset(), gone: frozenset[str] | None = None) -> list[str]:
    """The public ids of the photos a list may show: every stored photo but those :func:`.library.away` leaves
    out (moved or trashed by blurscan, outside the library, another name of a file shown; ``gone``: those,
    found already). A photo deleted by hand is among them, as a list shows it (its card says it is no longer
    there)."""
    gone = away(store, others=others) if gone is None else gone
    paths = (path_from_db(key) for (key,) in store.conn.execute("SELECT path FROM images"))
    return [path_id(path) for path in paths if path not in gone]


def list_ids(store, filter_: str, folder: str | None, gone: frozenset[str],
             elsewhere: KeptElsewhere | None = None) -> list[str]:
    """The public ids of the photos :func:`.library.items` lists for ``filter_`` and ``folder`` (as stored), in
    no order: the same rows, less ``gone`` (:func:`.library.away`), less the photos a keep elsewhere protects
    in the "undecided" filter."""
    where, args = filter_where(filter_, folder)
    rows = [(path_from_db(r["path"]), r["size"], r["mtime_ns"]) for r in store.conn.execute(
        f"SELECT i.path, i.size, i.mtime_ns FROM images i LEFT JOIN decisions d ON d.path = i.path{where}", args)]
    rows = [row for row in rows if row[0] not in gone]
    kept = (elsewhere or KeptElsewhere()).reasons(store, rows) if filter_ == "undecided" else {}
    return [path_id(path) for path, _size, _mtime in rows if path not in kept]


def listing_of(store, args) -> tuple[str, str | None] | None:
    """The filter and stored folder (:func:`.library.stored_folder`) of the tab's list, as its request names
    them (``filter``, ``folder``); None when it names no filter the page has (a page older than 2026-12-06)."""
    filter_, folder = args.get("filter"), args.get("folder") or None
    if filter_ not in FILTERS:
        return None
    return filter_, folder and stored_folder(store, folder)


def since(store, mark: str | None, others: frozenset[str] = frozenset(),
          listing: tuple[str, str | None] | None = None, elsewhere: KeptElsewhere | None = None) -> dict:
    """``{"listed": the mark now}``, and ``"present"`` (:func:`present_ids`) when ``mark``, the tab's list's, is
    given and differs; with ``listing`` (the list's filter and stored folder) ``"listing"`` too
    (:func:`list_ids`). The mark is read first: a write made while the ids are read changes it again, and the
    tab asks again the next time it is shown."""
    now = listed(store)
    if mark is None or mark == now:
        return {"listed": now}
    gone = away(store, others=others)
    out = {"listed": now, "present": present_ids(store, others, gone)}
    if listing is not None:
        out["listing"] = list_ids(store, *listing, gone, elsewhere)
    return out
