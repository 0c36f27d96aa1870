"""Read-side queries of the review page: the photo list, folders, totals, burst groups.

Plain functions of a :class:`~blurscan.store.Store` returning JSON-ready dicts. Photos are identified by
:func:`~blurscan.review.security.path_id` (a hash of the stored path); the path itself is shown as text but
never accepted back from the client.
"""
from __future__ import annotations

import functools
import os
import stat
from itertools import groupby
from operator import itemgetter

from ..bursts.identity import replaced_shots
from ..errors import shown_name, unshown_name
from ..library_bounds import outside_of, outside_paths
from ..store import db_path, path_from_db
from ..unmounted import Judge
from .companions import Companions
from .date_order import in_date_order
from .elsewhere import KeptElsewhere
from .ids import Ids
from .security import gone_reason, path_id
from .. import stored_json

#: Filters of the grid. "flagged" = what the scan calls blurry or partial; "undecided" = those without a decision.
FILTERS = ("flagged", "undecided", "blurry", "partial", "sharp", "errors", "all")
#: Sort orders of the grid.
SORTS = ("p_blurry", "size", "date", "name")

_COLUMNS = ("i.path, i.size, i.mtime_ns, i.status, i.error, i.verdict, i.p_blurry, i.blur_type, "
            "i.laplacian_var, i.width, i.height, i.captured_at, "
            "d.decision AS decision, d.size AS d_size, d.mtime_ns AS d_mtime_ns")


def _prefix(folder: str) -> bytes:
    return os.fsencode(folder).rstrip(os.fsencode(os.sep)) + os.fsencode(os.sep)


def filter_where(filter_: str, folder: str | None) -> tuple[str, list]:
    """The SQL ``WHERE`` clause (and its arguments) of the photos a filter and folder choose, over ``images i``
    joined with ``decisions d`` (:func:`items`; :func:`.present.list_ids`)."""
    where, args = [], []
    if filter_ == "flagged":
        where.append("i.status = 'ok' AND i.verdict IN ('blurry', 'partial')")
    elif filter_ == "undecided":  # flagged, and no decision on this version of the file
        where.append("i.status = 'ok' AND i.verdict IN ('blurry', 'partial') AND "
                     "(d.path IS NULL OR d.size IS NOT i.size OR d.mtime_ns IS NOT i.mtime_ns)")
    elif filter_ == "errors":
        where.append("i.status = 'error'")
    elif filter_ in ("blurry", "partial", "sharp"):
        where.append("i.status = 'ok' AND i.verdict = ?")
        args.append(filter_)
    elif filter_ != "all":
        raise ValueError(f"unknown filter {filter_!r} (expected one of {', '.join(FILTERS)})")
    if folder:
        prefix = _prefix(folder)  # exact, case-sensitive byte prefix (paths may be stored as BLOBs)
        where.append("substr(CAST(i.path AS BLOB), 1, ?) = ?")
        args += [len(prefix), prefix]
    return (" WHERE " + " AND ".join(where)) if where else "", args


def _order(sort: str) -> str:
    """The SQL order of a sort; :func:`_ties_by_name` then puts the photos that tie in the name sort's order."""
    if sort == "p_blurry":  # most likely blurry first; without a model, lowest Laplacian variance first
        return ("ORDER BY i.p_blurry IS NULL, i.p_blurry DESC, i.laplacian_var IS NULL, i.laplacian_var ASC, "
                "i.path")
    if sort == "size":  # (by the photo's own size: :func:`_largest_first` counts what moves with it)
        return "ORDER BY i.size IS NULL, i.size DESC, i.path"
    if sort == "date":  # (the text's order: date_order then puts the photos in the order of their moments)
        return "ORDER BY i.captured_at IS NULL, i.captured_at ASC, i.mtime_ns ASC, i.path"
    if sort == "name":  # by the file name, then its folder (:func:`_by_name`, in Python: paths may be BLOBs)
        return "ORDER BY i.path"
    raise ValueError(f"unknown sort {sort!r} (expected one of {', '.join(SORTS)})")


#: The stored figures each sort orders by (SQL's order, :func:`_order`): photos equal in all of them tie.
_TIED_ON = {"p_blurry": ("p_blurry", "laplacian_var")}  # (date: date_order, by the fraction of a second too)


def _by_name(path: str) -> tuple[str, str, str]:
    """The "name" sort's key: the file name whatever its case (``img_2.jpg`` beside ``IMG_1.jpg``), then as
    written, then its folder. It sorted by the whole path, so with all folders shown a folder's photos came
    before the next folder's, whatever their names."""
    name = os.path.basename(path)
    return name.casefold(), name, os.path.dirname(path)


def _ties_by_name(rows: list, figures) -> list:
    """``rows`` (``(path, row)`` in a sort's order) with each run of photos equal in ``figures(row)`` put in the
    name sort's order (:func:`_by_name`): SQL broke such ties by the whole path, so with all folders shown
    photos of one score, size or date came folder by folder. Only the runs are sorted (most photos tie with
    none)."""
    out = []
    for _figures, run in groupby(rows, key=lambda row: figures(row[1])):
        run = list(run)
        if len(run) > 1:
            run.sort(key=lambda row: _by_name(row[0]))
        out += run
    return out


_LAST = float("inf")  # the sort key of a photo of no stored size


def _largest_first(rows: list, extra: dict) -> list:
    """``rows`` (``(path, row)``) by the space moving each photo frees, largest first: its file and the files
    that move with it (RAW twin, sidecars: ``extra``, stored path -> their bytes, :class:`Companions`), the
    figure the header adds up; photos of no stored size last. It sorted by the photo's file alone, so a
    RAW + JPEG pair came by its JPEG, below photos that free less. Ties in the name sort's order."""
    def freed(row):
        size = row["size"]
        return None if size is None else size + extra.get(row["path"], 0)

    rows.sort(key=lambda item: _LAST if item[1]["size"] is None else -freed(item[1]))
    return _ties_by_name(rows, freed)


def item_name(path: str) -> str:
    """The file name a card shows (valid text: undecodable bytes and control characters as ``\\xNN``,
    :func:`blurscan.errors.shown_name`)."""
    return shown_name(os.path.basename(path))


def item_from_row(row, kept_elsewhere: str | None = None) -> dict:
    """JSON view of one ``images`` row (joined with its decision). ``kept_elsewhere``: why a keep outside this
    database's decisions protects the photo (:mod:`.elsewhere`), shown as a keep whatever ``decision`` is."""
    path = path_from_db(row["path"])
    decision = row["decision"]
    if decision is not None and (row["d_size"], row["d_mtime_ns"]) != (row["size"], row["mtime_ns"]):
        decision = None  # made on an older version of the file
    shown = shown_name(path)
    if shown == path:  # nothing in the path to write as \xNN (most paths), so nothing in its name or folder either:
        # both taken as they are, not written out once more each (a tenth of the "all" list's time on 100,000
        # photos, 2026-12-06)
        name, folder = os.path.basename(path), os.path.dirname(path)
    else:  # (caf\xe9.jpg for a name not valid UTF-8, new\x0aline.jpg: as the terminal)
        name, folder = item_name(path), _folder_shown(os.path.dirname(path))  # (each folder written once)
    return {
        "id": path_id(path),
        "name": name,
        "folder": folder,
        "path": shown,
        "status": row["status"],
        "error": row["error"],
        "verdict": row["verdict"],
        "p_blurry": row["p_blurry"],
        "blur_type": row["blur_type"],
        "laplacian_var": row["laplacian_var"],
        "width": row["width"],
        "height": row["height"],
        "size": row["size"],
        "captured_at": row["captured_at"],
        "decision": decision,
        "kept_elsewhere": kept_elsewhere,
        "v": version(row),
    }


def version(row) -> str:
    """Which version of the file the page shows (its size and modification time as the scan stored them): the
    thumbnail's cache buster, sent back with a decision so that one made on a version since replaced is refused."""
    return f"{row['size']}-{row['mtime_ns']}"


def items(store, *, filter_: str = "flagged", folder: str | None = None, sort: str = "p_blurry",
          elsewhere: KeptElsewhere | None = None, companions: Companions | None = None,
          others: frozenset[str] = frozenset()) -> list[dict]:
    """The photos of the grid, filtered and sorted; a photo a keep elsewhere protects (``elsewhere``, looked
    up now when not given) is kept, not one of the "undecided" filter's. The "size" sort counts the files that
    move with each photo (``companions``, looked up now when not given), as :func:`.header_figures.summary`
    does."""
    where, args = filter_where(filter_, folder)
    sql = f"SELECT {_COLUMNS} FROM images i LEFT JOIN decisions d ON d.path = i.path{where} {_order(sort)}"
    gone = away(store, others=others)  # moved or trashed by blurscan (until undone), outside it, another name
    rows = [(path_from_db(r["path"]), r) for r in store.conn.execute(sql, args)]
    rows = [(path, r) for path, r in rows if path not in gone]
    if sort == "name":
        rows.sort(key=lambda row: _by_name(row[0]))
    elif sort == "size":
        rows = _largest_first(rows, (companions or Companions()).extra_bytes([r["path"] for _path, r in rows]))
    elif sort == "date":  # (by the moments taken, as bursts reads them; one second's by its fractions: date_order)
        rows = in_date_order(store.conn, rows, _by_name)
    else:
        rows = _ties_by_name(rows, itemgetter(*_TIED_ON[sort]))
    kept = (elsewhere or KeptElsewhere()).reasons(store, ((path, r["size"], r["mtime_ns"]) for path, r in rows))
    out = []
    judge = None  # (made for the first photo gone: the folders above those gone looked at once)
    for path, r in rows:
        if filter_ == "undecided" and path in kept:
            continue
        item = item_from_row(r, kept.get(path))
        if not on_disk(path, r["status"]):  # moved or deleted by hand, or on a drive not mounted: the card says
            # so (the browser may have its thumbnail)
            judge = judge or Judge(store)
            item["gone"] = gone_reason(path, judge(os.path.dirname(path)), store.path)
        out.append(item)
    return out


def away(store, among=None, others: frozenset[str] = frozenset()) -> frozenset[str]:
    """The stored photos the page does not show: moved or trashed by blurscan (until undone), those outside
    the library (:mod:`blurscan.library_bounds`: a row added by hand naming another user's photo), and
    ``others``, the other names of a file shown (:class:`.other_names.OtherNames`); ``among``: those of these
    paths only (no pass over the table)."""
    from ..actions import moved_paths

    if among is None:
        return moved_paths(store) | outside_paths(store) | others
    return store.moved_away(among) | outside_of(store, among) | others.intersection(among)


def decisions_now(store) -> dict[str, str]:
    """Public id -> ``"keep"`` / ``"discard"`` of every photo whose decision was made on its stored version (as
    :func:`item_from_row` shows it): what a tab opened earlier compares its marks with, when another tab (or a
    person at another browser) has decided since."""
    sql = ("SELECT i.path, d.decision FROM decisions d JOIN images i ON i.path = d.path "
           "WHERE d.size IS i.size AND d.mtime_ns IS i.mtime_ns")
    return {path_id(path_from_db(r["path"])): r["decision"] for r in store.conn.execute(sql)}


def row_for_id(store, ident: str, ids: Ids):
    """The joined row of the photo with public id ``ident`` (``ids``: which path each id names), or None."""
    key = ids.stored_path(store, ident)
    if key is None:
        return None
    row = store.conn.execute(
        f"SELECT {_COLUMNS}, i.record AS record FROM images i LEFT JOIN decisions d ON d.path = i.path "
        "WHERE i.path = ?", (key,)).fetchone()
    if row is None:
        return None
    out = dict(row)
    out["path"] = path_from_db(row["path"])
    return out


def detail(row, kept_elsewhere: str | None = None) -> dict:
    """Everything the detail view shows about one photo (the blur map included)."""
    out = item_from_row(row, kept_elsewhere)
    record = stored_json.parsed(row["record"]) if row["record"] else {}
    out.update({
        "grid": record.get("grid"),
        "grid_box": record.get("grid_box"),
        "scores": record.get("scores") or {},
        "format": record.get("format"),
        "note": record.get("note"),  # a RAW + JPEG pair judged from its RAW: why (its size is the RAW's)
        "model_version": record.get("model_version"),
        "measure_version": record.get("measure_version"),
    })
    return out


def judged_from_raw(row) -> bool:
    """Whether the stored record of an image was judged from its camera RAW twin (a RAW + JPEG pair whose JPEG
    is small or unreadable, :mod:`blurscan.pairs`): its ``format`` is a RAW kind and its ``note`` says why (a
    lone RAW has no note)."""
    from ..fileread import is_raw

    record = stored_json.parsed(row["record"]) if row["record"] else {}
    return bool(record.get("note")) and is_raw(record.get("format") or "")


def folders(store, others: frozenset[str] = frozenset()) -> list[dict]:
    """Folders holding scanned photos, with how many photos the folder filter shows (those of its sub-folders
    included, as the filter selects by path prefix) and how many of them are flagged: not those the grid leaves
    out (:func:`away`: moved or trashed by blurscan until undone, outside the library; until 2026-12-05 the
    photos moved away were counted, ``a (4/4)`` over an empty grid)."""
    rows = store.conn.execute(
        "SELECT path, status = 'ok' AND verdict IN ('blurry', 'partial') AS flagged FROM images")
    gone = away(store, others=others)
    direct: dict[str, list[int]] = {}
    for key, flagged in rows:
        path = path_from_db(key)
        if path in gone:
            continue
        entry = direct.setdefault(os.path.dirname(path), [0, 0])
        entry[0] += 1
        entry[1] += int(bool(flagged))
    counts = {f: [0, 0] for f in direct}
    for folder, (n, k) in direct.items():
        above = folder
        while True:  # every listed folder above it (or itself) shows these photos: up its names, not a pass
            if above in counts:  # over all folders for each (5,000 folders: 3.5 s a page load, until 2026-12-04)
                counts[above][0] += n
                counts[above][1] += k
            parent = os.path.dirname(above)
            if not parent or parent == above:
                break
            above = parent
    out = []
    judge = None  # (made for the first folder not there: the folders above those not there looked at once)
    for folder, (n, k) in sorted(counts.items()):
        entry = {"folder": shown_folder(folder), "photos": n, "flagged": k}
        if not os.path.isdir(folder):  # (its drive mounted at another place or not mounted: said, as the header
            judge = judge or _FolderJudge(store)  # and the cards of its photos say it)
            if (note := judge.note(folder)) is not None:
                entry["note"] = note
        out.append(entry)
    return out


class _FolderJudge:
    """What the folder filter says after a folder not there: ``now at /media/me/DISK1/lib: not scanned there``
    where its drive is mounted at another place now (the library carried with it, its database on it,
    :func:`blurscan.actions.batch_drives.carried_here`, whose scan the page's header names; or a ``--db`` off the
    drive, :class:`blurscan.unmounted.Judge`), ``its drive not mounted now`` where the drive a scan recorded there
    is mounted nowhere, ``not there (a share or drive not mounted?)`` where it looks like one not mounted, as the
    cards say; else nothing. Until 2026-12-07 the option named the old place alone."""

    def __init__(self, store) -> None:
        from ..actions.batch_drives import carried_here

        self.judge = Judge(store)
        carried = carried_here(store)
        self.carried = None if carried is None else carried[:2]

    def note(self, folder: str) -> str | None:
        from ..actions.batch_drives import along

        if self.carried is not None and (now := along(folder, self.carried)) != folder:
            return f"now at {shown_folder(now)}: not scanned there"
        unmounted = self.judge(folder)
        if unmounted is not None and isinstance(unmounted.now, str):
            return f"now at {shown_folder(along(folder, (unmounted.folder, unmounted.now)))}: not scanned there"
        if self.judge.remounted.unplugged(folder) is not None:  # (the drive the scan recorded, mounted nowhere)
            return "its drive not mounted now"
        return None if unmounted is None else "not there (a share or drive not mounted?)"


def on_disk(path: str, status: str | None = "ok") -> bool:
    """Whether a photo's file is still at its stored path: not after a move or trash by blurscan (until
    undone), nor after a move or deletion by hand, nor when a folder has taken its name (``x.jpg`` deleted, a
    folder ``x.jpg`` made: until 2026-12-05 the page showed the photo as there, and refused a decision on it as
    "changed since the scan"). ``status``: the record's; an error record may be a folder's own (``cannot list
    folder``), which is there while its folder is. The test ``blurscan bursts`` uses to leave out missing
    files (``skip_missing``), so the bursts view and a regrouping agree."""
    if status == "ok":
        try:
            return not stat.S_ISDIR(os.stat(path).st_mode)  # (one stat, as before, for a photo that is there)
        except (OSError, ValueError):
            pass
    return os.path.lexists(path)


def bursts(store, elsewhere: KeptElsewhere | None = None, replaced: set[str] | None = None) -> list[dict]:
    """Burst groups (from ``burst_groups``), each with its photos in rank order, keeper first; shots whose
    file is no longer on disk (:func:`on_disk`: moved or trashed by blurscan, or moved or deleted by hand
    since ``blurscan bursts`` ran) or now holds another photo (:mod:`blurscan.bursts.identity`) are left
    out, and so is a group with fewer than two shots left
    (:func:`bursts_left_out` counts what was left out). Each shot says when a keep elsewhere protects it
    (``elsewhere``, looked up now when not given), as the grid does. ``replaced``: the shots
    :func:`~blurscan.bursts.identity.replaced_shots` finds, when the caller has them (looked up now when not
    given; a ``stat`` of every shot and a read of its record: 2.5 s for 100,000 shots). The review server
    asks :func:`blurscan.review.bursts_view.view`, which gives these groups and what they leave out in one
    pass."""
    from .bursts_view import view

    return view(store, elsewhere, replaced)["groups"]


def bursts_left_out(store, shown: list[dict], replaced: set[str] | None = None) -> dict:
    """What the bursts view leaves out of what ``blurscan bursts`` stored, given the groups :func:`bursts`
    returned: ``hidden_groups`` (fewer than two shots left), ``gone_shots`` (file no longer on disk),
    ``unmounted_shots`` (under a folder that looks like a drive not mounted: :func:`.bursts_view.gone_fields`) and
    ``replaced_shots`` (another file under the shot's name since: :mod:`blurscan.bursts.identity`; ``replaced``
    as :func:`bursts` takes it)."""
    from .bursts_view import gone_fields

    stored = store.conn.execute("SELECT group_id, path FROM burst_groups").fetchall()
    gone = [path_from_db(path) for _, path in stored if not on_disk(path_from_db(path))]
    return {"hidden_groups": len({group_id for group_id, _ in stored}) - len(shown), **gone_fields(store, gone),
            "replaced_shots": len(replaced_shots(store.conn) if replaced is None else replaced)}


def _burst_order(conn, group_id: int) -> tuple:
    """Group ``group_id`` as stored: ``(path, rank, is_keeper, chosen_by, reason)`` for each shot, by path."""
    return tuple(tuple(r) for r in conn.execute(
        "SELECT path, rank, is_keeper, chosen_by, reason FROM burst_groups WHERE group_id = ? ORDER BY path",
        (group_id,)))


def pick_burst_keeper(store, group_id: int, path: str) -> tuple[tuple, tuple] | None:
    """Make ``path`` the keeper of burst group ``group_id`` (rank 1), marked ``chosen_by='person'``; the others
    keep their order behind it. Returns the group as it was before and after (for
    :func:`restore_burst_order`), or None when the photo is not in that group. A shot the person edited stays
    kept (:func:`blurscan.bursts.storage.keeper_chosen`, the rule of ``blurscan bursts``), right behind the
    keeper."""
    with store.transaction() as conn:
        return pick_in(conn, group_id, path)


def pick_in(conn, group_id: int, path: str) -> tuple[tuple, tuple] | None:
    """:func:`pick_burst_keeper` inside the caller's transaction (the review page's keeper choice stores its
    keep mark in the same one: :mod:`.keeper_choice`)."""
    from ..bursts.storage import set_keeper

    before = _burst_order(conn, group_id)
    if not set_keeper(conn, group_id, db_path(path)):
        return None
    return before, _burst_order(conn, group_id)


def restore_burst_order(conn, group_id: int, before: tuple, after: tuple) -> bool:
    """Put group ``group_id`` back as it was ``before`` a keeper choice, inside the caller's transaction;
    False (nothing changed) when the group is no longer as that choice left it (``after``): another keeper
    chosen since, or ``blurscan bursts`` regrouped."""
    if _burst_order(conn, group_id) != after:
        return False
    for path, rank, is_keeper, chosen_by, reason in before:
        conn.execute("UPDATE burst_groups SET rank = ?, is_keeper = ?, chosen_by = ?, reason = ? "
                     "WHERE group_id = ? AND path = ?", (rank, is_keeper, chosen_by, reason, group_id, path))
    return True


def shown_folder(folder: str) -> str:
    """How the page names ``folder`` (its folder filter's value): the name as text, bytes that are not valid
    UTF-8 and control characters as ``\\xNN`` (as the terminal shows them, :func:`blurscan.errors.shown_name`);
    :func:`stored_folder` reads it back."""
    return shown_name(folder)


#: :func:`shown_folder`, remembered: a library in a folder shown with escapes (``my\u00a0lib``) has every
#: photo's folder so written, once a photo (:func:`item_from_row`) where its photos share a few hundred folders.
_folder_shown = functools.lru_cache(maxsize=4096)(shown_folder)


def stored_folder(store, shown: str) -> str:
    """The folder the page's filter names (:func:`shown_folder`): ``shown`` itself, or, for a name with ``\\xNN``
    in it, the folder whose name has those bytes (a folder such as ``\\xe9t\\xe9`` copied from an old archive),
    or with ``\\uNNNN`` (``\\UNNNNNNNN``), the folder with that character (a zero-width space, a direction
    control: :func:`blurscan.errors.hidden_characters`), unless photos are stored under ``shown`` as it is written
    (a name with a backslash in it)."""
    candidate = unshown_name(shown)
    if candidate == shown:
        return shown
    prefix = _prefix(shown)
    literal = store.conn.execute("SELECT 1 FROM images WHERE substr(CAST(path AS BLOB), 1, ?) = ? LIMIT 1",
                                 (len(prefix), prefix)).fetchone()
    return shown if literal else candidate

