"""Which photos the page's lists may still show, for a tab shown again after another command wrote to the
database (``GET /api/decisions?listed=MARK``, refresh.js).

A tab keeps the list it loaded: until 2026-12-06 the photos `blurscan move` or `blurscan trash` took away while it
was open stayed in its grid, marked discard, until a key on one was refused. Each list answer carries a mark of
what may change the lists (:func:`.totals.listed`: a scan's records, a move, trash or undo; not a decision); a tab
shown again sends its list's mark, and when another command has written since, the answer holds the ids of every
photo a list may show (:func:`present_ids`), so that the tab takes the others off its grid. Only then: the ids of
a large library are some 28 bytes a photo (2.8 MB for 100,000), and a pass over the table hashing each path
(0.16 s for 100,000 on the 2-core development machine, 2026-12-06).
"""
from __future__ import annotations

from ..store import path_from_db
from .library import away
from .security import path_id
from .totals import listed


def present_ids(store, others: frozenset[str] = frozenset()) -> list[str]:
    """The public ids of the photos a list may show: every stored photo but those :func:`.library.away` leaves
    out (moved or trashed by blurscan, outside the library, another name of a file shown). A photo deleted by
    hand is among them, as a list shows it (its card says it is no longer there)."""
    gone = away(store, others=others)
    paths = (path_from_db(key) for (key,) in store.conn.execute("SELECT path FROM images"))
    return [path_id(path) for path in paths if path not in gone]


def since(store, mark: str | None, others: frozenset[str] = frozenset()) -> dict:
    """``{"listed": the mark now}``, and ``"present"`` (:func:`present_ids`) when ``mark``, the tab's list's, is
    given and differs. The mark is read first: a write made while the ids are read changes it again, and the
    tab asks again the next time it is shown."""
    now = listed(store)
    if mark is None or mark == now:
        return {"listed": now}
    return {"listed": now, "present": present_ids(store, others)}
