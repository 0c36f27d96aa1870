"""What the review page's bursts view shows: the stored burst groups, less the shots no longer on disk or
replaced by another file, and how many shots and groups it leaves out (:func:`view`; :func:`view_json` for
the review server, its groups already written as JSON).

One query and one pass over the stored shots: each shot's ``figures`` parsed once (for its identity,
:mod:`blurscan.bursts.identity`, and for the page), its file looked at once (a ``stat``; an ``lstat`` only
when that fails, or for a shot stored without its identity), and a keep elsewhere looked up once for all the
shots shown. It did each of these two or three times per request, one query each: 2 s per bursts view, keeper
choice or its undo with 20,000 shots stored, 11-17 s with 100,000.

The review server asks again at each bursts view, keeper choice and its undo, and most shots are then as they
were: :class:`Written` keeps each shot's JSON from one request to the next, under everything it is made of (the
shot's row as read, and the reason a keep elsewhere protects it), so a shot is written afresh only when one of
those has changed, never shown stale. Building and encoding the 20,000 shots' items took 0.8 s of the 1.2 s.
"""
from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable

from ..bursts.identity import _sample, identity_in, is_replaced, sample_column, without_identity
from ..library_bounds import outside_paths
from ..store import path_from_db
from .elsewhere import KeptElsewhere
from .. import stored_json

#: The RAW twins' own records the view leaves out (:func:`_shots`): found, to be looked up (a callable), or None
Twins = frozenset[str] | Callable[[], frozenset[str]] | None

_NAMES = ("group_id", "rank", "is_keeper", "reason", "figures", "chosen_by", "b_path",
          "path", "size", "mtime_ns", "status", "error", "verdict", "p_blurry", "blur_type",
          "laplacian_var", "width", "height", "captured_at", "decision", "d_size", "d_mtime_ns", "sample")
_COLUMNS = ("b.group_id, b.rank, b.is_keeper, b.reason, b.figures, b.chosen_by, b.path AS b_path, "
            "i.path, i.size, i.mtime_ns, i.status, i.error, i.verdict, i.p_blurry, i.blur_type, "
            "i.laplacian_var, i.width, i.height, i.captured_at, "
            "d.decision AS decision, d.size AS d_size, d.mtime_ns AS d_mtime_ns")
(_GROUP, _RANK, _IS_KEEPER, _REASON, _FIGURES, _CHOSEN_BY, _B_PATH, _PATH, _SIZE, _MTIME, *_) = range(len(_NAMES))
_DECISION, _D_SIZE, _D_MTIME = (_NAMES.index(name) for name in ("decision", "d_size", "d_mtime_ns"))
_SAMPLE = len(_NAMES) - 1


def _parsed(text: str | None):
    """A shot's stored ``figures`` parsed (None: none stored, or not JSON)."""
    try:
        return stored_json.parsed(text, "a burst shot's stored figures") if text else None
    except ValueError:
        return None


def _shots(store, elsewhere: KeptElsewhere | None, replaced: set[str] | None, ranked_of: Callable,
           twins: Twins = None):
    """The pass over the stored shots: ``(shown, kept, stored, gone, replaced, twinned)``, ``shown`` the ``(path,
    row)`` of each shot shown (rows as plain tuples, :data:`_NAMES`), in order, ``kept`` path -> the reason a keep
    elsewhere protects it, ``stored`` how many groups are stored, ``gone`` the paths of the shots whose files are
    gone (a shot in two groups twice: :func:`gone_fields`),
    ``twinned`` how many shots are left out as the RAW twin of a listed photo: ``twins``, the stored RAW files'
    own records that the page leaves out (:meth:`.other_names.OtherNames.twins`, looked up when None; or a callable
    that looks them up, called only where a shot shown is a RAW file: the look-up reads every stored name on disk,
    which made the bursts view's first answer after a page load 1.8x slower on 100,000 photos without a RAW file on
    2026-12-07). A Pixel's
    ``X.RAW-02.ORIGINAL.dng``, a photo of its own until 2026-12-07, was shown as a shot (its group's keeper, its
    ``X.RAW-01.COVER.jpg`` taken for its edit) from the groups an older ``blurscan bursts`` stored, until it ran
    again, where the grid, ``report`` and ``move`` take the pair as one photo, under the JPEG's name.
    ``ranked_of``: a shot's stored ``figures`` text -> the identity of the file ranked
    (:func:`~blurscan.bursts.identity.identity_in` of it parsed), or None."""
    from .library import on_disk

    outside = outside_paths(store)  # (rows naming files outside the library: not shown, not even looked at)
    sample, in_record = sample_column(store.conn)
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: read faster than the store's rows, and a key of :class:`Written`
    rows = cursor.execute(
        f"SELECT {_COLUMNS}, {sample} AS sample FROM burst_groups b LEFT JOIN images i ON i.path = b.path "
        "LEFT JOIN decisions d ON d.path = i.path ORDER BY b.group_id, b.rank, b.path").fetchall()
    rows = as_decided(rows)
    found_replaced: set[str] = set()
    present: dict[str, bool] = {}  # path -> on disk (a path in two groups is looked at once)
    stored_groups, gone, shown = set(), [], []
    for r in rows:
        path = path_from_db(r[_B_PATH])
        stored_groups.add(r[_GROUP])
        if path in outside:
            continue
        here = present.get(path)
        if here is None:
            ranked = ranked_of(r[_FIGURES])
            st = None
            if ranked is not None:
                try:
                    st = os.stat(path)  # followed, as the scan's walk does
                except OSError:
                    pass  # gone (or unreadable): said elsewhere, as before
            if st is not None and not stat.S_ISDIR(st.st_mode):  # (a folder in the shot's place: gone, below)
                record_sample = _sample(r[_SAMPLE]) if in_record else r[_SAMPLE]
                if is_replaced(ranked, st, r[_SIZE], r[_MTIME], record_sample):
                    found_replaced.add(path)
            if st is not None:
                here = not stat.S_ISDIR(st.st_mode)
            else:  # (its stat failed: the lstat alone tells a broken link from no file, without a second stat)
                here = os.path.lexists(path) if ranked is not None else on_disk(path)
            present[path] = here
        if not here:
            gone.append(path)
        if r[_PATH] is not None and here:
            shown.append((path, r))
    replaced = found_replaced if replaced is None else replaced
    shown = [(path, r) for path, r in shown if path not in replaced]
    if twins is None or callable(twins):  # (looked up only where a RAW is shown: on disk, every stored name)
        from .other_names import OtherNames

        find = twins if twins is not None else (lambda: OtherNames().twins(store))
        twins = find() if any(_raw(path) for path, _ in shown) else frozenset()
    twinned = sum(path in twins for path, _ in shown)
    shown = [(path, r) for path, r in shown if path not in twins] if twinned else shown
    kept = (elsewhere or KeptElsewhere()).reasons(store, [(path, r[_SIZE], r[_MTIME]) for path, r in shown])
    return shown, kept, len(stored_groups), gone, replaced, twinned


def _raw(path: str) -> bool:
    """Whether ``path`` names a camera RAW file (by its suffix)."""
    from ..config import RAW_SUFFIXES

    return os.path.splitext(path)[1].casefold() in RAW_SUFFIXES


def _discarded(r: tuple) -> bool:
    """Whether the shot of row ``r`` is marked discard, on the version scanned (:func:`~blurscan.bursts.storage.
    discarded_shots`)."""
    return r[_DECISION] == "discard" and r[_PATH] is not None and (r[_D_SIZE], r[_D_MTIME]) == (r[_SIZE], r[_MTIME])


def as_decided(rows: list[tuple]) -> list[tuple]:
    """``rows`` (by group, then rank) with each group whose stored keeper is marked discard since it was ranked
    in the order :func:`blurscan.bursts.standing.as_decided` gives: its rank, keeper mark and reason as they stand,
    ``chosen_by`` auto (the keeper is proposed, not a person's). Until 2026-12-06 the view showed the discarded
    keeper as the keeper until ``blurscan bursts`` ran again. Each row changed is another tuple, so
    :class:`Written` writes it afresh, and writes it back as stored once the discard is undone."""
    from ..bursts.standing import as_decided as decided_order

    starts = [i for i, r in enumerate(rows) if r[_RANK] == 1 and _discarded(r)
              and (i == 0 or rows[i - 1][_GROUP] != r[_GROUP])]
    if not starts:
        return rows
    rows = list(rows)
    for start in starts:
        end = start
        while end < len(rows) and rows[end][_GROUP] == rows[start][_GROUP]:
            end += 1
        group = rows[start:end]
        discarded = {path_from_db(r[_B_PATH]) for r in group if _discarded(r)}
        by_path = {path_from_db(r[_B_PATH]): r for r in group}
        decided = decided_order([(path, _parsed(r[_FIGURES]) or {}, bool(r[_IS_KEEPER])) for path, r in
                                 by_path.items()], discarded)
        if decided is None:
            continue
        new = []
        for path, rank, is_keeper, reason in decided:
            r = list(by_path[path])
            r[_RANK], r[_IS_KEEPER], r[_CHOSEN_BY] = rank, int(is_keeper), "auto"
            if reason is not None:
                r[_REASON] = reason
            new.append(tuple(r))
        rows[start:end] = new
    return rows


def _item(path: str, r: tuple, kept: str | None, figures) -> dict:
    """One shot as the page shows it: its photo's item (:func:`~blurscan.review.library.item_from_row`) and its
    place in the group."""
    from .library import item_from_row

    from ..bursts.storage import SUBSEC_KEY

    item = item_from_row(dict(zip(_NAMES, r)), kept)
    figures = without_identity(figures)
    if isinstance(figures, dict) and SUBSEC_KEY in figures:  # (stored beside the figures since 2026-12-05: the
        # shot's own, as the JSONL's member has it, not one of its sharpness figures)
        figures = dict(figures)
        item["captured_subsec"] = figures.pop(SUBSEC_KEY)
    item.update({"rank": r[_RANK], "is_keeper": bool(r[_IS_KEEPER]), "reason": r[_REASON], "figures": figures})
    return item


def view(store, elsewhere: KeptElsewhere | None = None, replaced: set[str] | None = None,
         twins: Twins = None) -> dict:
    """``groups`` (:func:`blurscan.review.library.bursts`), ``hidden_groups``, ``gone_shots`` and
    ``unmounted_shots`` (:func:`gone_fields`), ``replaced_shots`` (:func:`blurscan.review.library.bursts_left_out`),
    ``twin_shots`` (see :func:`_shots`).
    ``replaced``: the shots :func:`~blurscan.bursts.identity.replaced_shots` finds, when the caller has them (else
    found here); ``twins`` as :func:`_shots` takes them."""
    parsed: dict[str | None, object] = {}  # figures text -> parsed in the pass, for the first item shown with it

    def ranked_of(text):
        value = parsed[text] = _parsed(text)
        return identity_in(value)

    shown, kept, stored, gone, replaced, twinned = _shots(store, elsewhere, replaced, ranked_of, twins)
    groups: dict[int, dict] = {}
    for path, r in shown:
        group = groups.setdefault(r[_GROUP], {"group_id": r[_GROUP], "chosen_by": "auto", "photos": []})
        text = r[_FIGURES]  # (each parsed value in one item only: no two items share a dict)
        figures = parsed.pop(text) if text in parsed else _parsed(text)
        group["photos"].append(_item(path, r, kept.get(path), figures))
        if r[_CHOSEN_BY] == "person":
            group["chosen_by"] = "person"
    out = [g for g in groups.values() if len(g["photos"]) > 1]
    return {"groups": out, "hidden_groups": stored - len(out), **gone_fields(store, gone),
            "replaced_shots": len(replaced), "twin_shots": twinned}


def gone_fields(store, gone: list[str]) -> dict:
    """``gone_shots``: how many of the shots whose files are gone (``gone``, their paths) are really gone (moved
    or deleted since), and ``unmounted_shots``: the others, under a folder that looks like a drive or share not
    mounted (:func:`blurscan.unmounted.unmounted_json`: until 2026-12-07 the page said of them too "no longer on
    disk", as ``report`` did)."""
    from ..unmounted import under_unmounted, unmounted_json

    unmounted = under_unmounted(store, gone) if gone else {}
    return {"gone_shots": len(gone) - sum(unmounted.values()), "unmounted_shots": unmounted_json(unmounted)}


class Written:
    """The JSON of each shot the bursts view showed at its last request, kept for the next: under the shot's
    whole row as read (its photo's record, decision, rank, figures, group) and the reason a keep elsewhere
    protects it, which is all its JSON is made of. A shot whose row or reason changed is written afresh; what
    the last request did not show is dropped (it holds one request's shots, never more). The reasons come from
    :class:`~blurscan.review.elsewhere.KeptElsewhere`, looked up again as it decides. Every column of the row
    has a declared type, so SQLite gives one Python type for one value (never ``1`` for ``1.0``): two rows equal
    in Python are written alike. Thread-safe: a request reads the last table and puts in a new one."""

    def __init__(self) -> None:
        self._json: dict[tuple, str] = {}
        self._ranked: dict[str | None, dict | None] = {}  # figures text -> the identity of the file ranked
        self._lock = threading.Lock()

    def view_json(self, store, elsewhere: KeptElsewhere | None, dumps: Callable[[object], str],
                  twins: Twins = None) -> dict:
        """:func:`view`, its ``groups`` as :class:`Raw` JSON text, written as ``dumps`` writes (the app's JSON:
        keys sorted, compact): the same text as ``dumps(view(...)["groups"])``."""
        with self._lock:
            last, last_ranked = self._json, self._ranked
        ranked: dict[str | None, dict | None] = {}

        def ranked_of(text):
            value = ranked.get(text, ranked)
            if value is ranked:
                value = ranked[text] = last_ranked[text] if text in last_ranked else identity_in(_parsed(text))
            return value

        shown, kept, stored, gone, replaced, twinned = _shots(store, elsewhere, None, ranked_of, twins)
        written: dict[tuple, str] = {}
        groups: dict[int, list] = {}  # group id -> [chosen by a person, its shots' JSON]
        for path, r in shown:
            key = (r, kept.get(path))
            text = last.get(key) or written.get(key)
            if text is None:
                text = dumps(_item(path, r, key[1], _parsed(r[_FIGURES])))
            written[key] = text
            group = groups.get(r[_GROUP])
            if group is None:
                group = groups[r[_GROUP]] = [False, []]
            group[0] = group[0] or r[_CHOSEN_BY] == "person"
            group[1].append(text)
        chosen_by = {True: dumps("person"), False: dumps("auto")}
        out = [f'{{"chosen_by":{chosen_by[person]},"group_id":{_int(group_id, dumps)},"photos":[{",".join(photos)}]}}'
               for group_id, (person, photos) in groups.items() if len(photos) > 1]
        with self._lock:
            self._json, self._ranked = written, ranked
        return {"groups": Raw("[" + ",".join(out) + "]"), "hidden_groups": stored - len(out),
                **gone_fields(store, gone), "replaced_shots": len(replaced), "twin_shots": twinned}


def _int(value, dumps: Callable[[object], str]) -> str:
    """``dumps(value)``, without its cost for an integer (JSON writes one as Python does)."""
    return int.__repr__(value) if type(value) is int else dumps(value)


class Raw(str):
    """JSON text already written, put as it is into a response by :func:`dumps_with`."""


def dumps_with(fields: dict, dumps: Callable[[object], str]) -> str:
    """``dumps(fields)`` (keys sorted, compact, as the app writes JSON) for a dict some of whose values are
    :class:`Raw` JSON text."""
    return "{" + ",".join(f"{dumps(key)}:{value if isinstance(value, Raw) else dumps(value)}"
                          for key, value in sorted(fields.items(), key=lambda kv: kv[0])) + "}"


def reranked_by(store, path: str | None, write: Callable[[], object]) -> tuple[object, dict]:
    """``write()`` (a decision on ``path``, or its undo) and ``{"bursts_changed": True}`` when it changed the order
    or keeper of a burst group that holds ``path`` as the view shows it (:func:`as_decided`: a keeper discarded,
    or its discard undone), else ``{}``: the page then reads the groups again (bursts.js ``groupsAgain``)."""
    if path is None:
        return write(), {}
    before = _standing(store, path)
    out = write()
    return out, ({"bursts_changed": True} if _standing(store, path) != before else {})


def _standing(store, path: str) -> tuple:
    """The groups holding ``path``, each shot's place as the view shows it."""
    from ..store import db_path

    cursor = store.conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(f"SELECT {_COLUMNS}, NULL AS sample FROM burst_groups b "
                          "LEFT JOIN images i ON i.path = b.path LEFT JOIN decisions d ON d.path = i.path WHERE b.group_id IN "
                          "(SELECT group_id FROM burst_groups WHERE path = ?) ORDER BY b.group_id, b.rank, b.path",
                          (db_path(path),)).fetchall()
    return tuple((r[_GROUP], r[_B_PATH], r[_RANK], r[_IS_KEEPER], r[_CHOSEN_BY]) for r in as_decided(rows))
