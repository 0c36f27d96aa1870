"""The person's decision on a photo, read again just before a ``move``, ``trash`` or ``tag`` acts on it.

A plan is made once, before the first file is touched (:func:`.plan.select`), and a batch of thousands of photos
takes minutes, while the review page -- another process -- goes on recording decisions in the same database. So
just before a photo is moved, trashed or tagged, its decision is read again: one lookup by primary key on the
action's own connection (autocommit, WAL: each read sees what the review page had committed by then; nothing is
cached), a few microseconds a photo. Until 2026-12-04 the decision was read when planning only, and a photo
marked keep on the review page while the batch ran was moved, trashed or tagged rejected all the same. A move or
trash reads it once more as the photo leaves (:func:`.moves.move_file`'s ``still_wanted``: just before the rename,
and after a copy to another drive, which takes seconds for a large photo, before the copy is put in place; until
2026-12-06 a keep recorded during that copy was answered as stored on the review page, and the photo went).

* Marked **keep** since (whatever selected it: a discard, ``--all-blurry``, ``--min-p-blurry``, ``--from-bursts``):
  the photo is left, :data:`KEPT_SINCE`, and so are the files that go with it.
* Its discard **cleared** since (undecided again: ``u`` on the review page): a photo selected for that discard
  is left too, :data:`CLEARED_SINCE`, also when ``--all-blurry`` would take it as blurry now: the person took
  back their word while the batch ran, and a photo left in place is never lost. The next run takes it if its
  selection still does.
* A burst shot made its burst's **keeper** since (a ``blurscan bursts`` run meanwhile; a keeper chosen on the
  review page is marked keep as well; the keeper marked discard on the review page, this shot the next in the
  ranking, :mod:`blurscan.bursts.standing`, since 2026-12-06): left, :data:`KEEPER_SINCE`.

A photo marked discard since the plan was made is not added: a batch takes what its plan listed, no more.
Read when planning only: keeps in other library databases (:mod:`.keeps`) and keeps on another name of the
photo's file.
"""
from __future__ import annotations

import os

from ..name_forms import name_key
from ..store import db_path

#: Why a photo marked keep since the plan was made is left.
KEPT_SINCE = "marked keep since this command planned it"
#: Why a photo selected for a discard cleared since is left.
CLEARED_SINCE = "no longer marked discard (its decision was cleared since this command planned it)"
#: Why a burst shot made its burst's keeper since is left.
KEEPER_SINCE = "made its burst's keeper since this command planned it"


def changed_since(store, path: str, reason: str) -> str | None:
    """Why the photo ``path``, selected for ``reason`` (``"discard"``, ``"blurry"``, ``"p_blurry"`` or ``"burst"``: a
    :class:`.plan.Candidate`'s or :class:`.plan.PhotoOp`'s), is to be left now (see the module docstring); None
    when its decision is as the plan found it."""
    key = db_path(path)
    # (fetchall: the statement is done at once, and no read stays open on an older state of the database)
    rows = store.conn.execute("SELECT decision FROM decisions WHERE path = ?", (key,)).fetchall()
    decision = rows[0][0] if rows else None
    # a burst's keeper as it stands (bursts.standing): one discarded since gives its place to this shot (until
    # 2026-12-06 the stored mark alone was read, and the shot taken, its burst left with the discarded one only)
    keeper = reason == "burst" and decision != "keep" and _keeper_now(store, path)
    if decision == "keep":
        return KEPT_SINCE
    if reason == "discard" and decision != "discard":
        return CLEARED_SINCE
    if keeper:
        return KEEPER_SINCE
    return None


def _keeper_now(store, path: str) -> bool:
    """:func:`blurscan.bursts.standing.keeper_now`, imported for a burst shot only: ``undo``, and the batches
    without ``--from-bursts``, load none of the bursts package."""
    from ..bursts.standing import keeper_now

    return keeper_now(store, path)


def stem_key(path: str) -> tuple[str, str]:
    """A photo's folder and its stem in any case and Unicode form (:func:`blurscan.name_forms.name_key`): the
    photos sharing ``NAME.xmp``, a RAW twin, a Live Photo's video (:mod:`.shared_names`) have one key."""
    folder, name = os.path.split(path)
    return folder, name_key(os.path.splitext(name)[0])


def shared_reason(name: str, why: str) -> str:
    """Why a file a photo shares by name with ``name``, an image of its stem the batch left for ``why`` (one of
    this module's reasons), stays with it, as a plan leaves such a file beside an image that stays
    (:mod:`.shared_names`)."""
    return f"shared by name with {name}, left in place ({why})"


def own_file(path: str, photo: str) -> bool:
    """Whether ``path``, a file that goes with ``photo``, is named after the photo's whole name (``IMG_1.JPG.xmp``,
    ``IMG_1.JPG.json``), not shared by the stem with the other images of that name (``IMG_1.xmp``, the RAW twin).
    A file whose name does not tell (a Google Takeout JSON cut short) counts as shared: it stays."""
    return name_key(os.path.basename(path)).startswith(name_key(os.path.basename(photo)))
