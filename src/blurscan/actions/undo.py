"""Put a batch's files back where they were, byte-identical, even after a kill mid-batch.

Each row of a move or trash batch is resolved by looking at the file system, not by trusting its state
(:mod:`.restore`: which file is where, and whether it is the one the batch moved).

A photo's row comes before those of the files that moved with it (:func:`.photo_rows.by_photo`): when the photo
cannot be put back (but for a photo gone: at neither place), those of its files that are at their destination
stay there too, each reported with the photo's reason, as a move moves no sidecar of a photo it could not
move; a later undo puts them back with it.

A file whose folder is no longer there (renamed, moved or deleted since the batch) is put back at its path all the
same, the folder made again (every move can be undone, and undo cannot tell where the person wants it): the folders
so made are reported (``UndoResult.recreated``), for the person to sort them out; each gets the owner and group of
the file put back in it and the mode of the folder it is made in, less its sticky and world-write bits
(:func:`.owners.like_parents`). Except a drive's folder (:mod:`.drives`: ``/media/me/Drive``,
``/run/media/me/Drive``, ``/mnt/usb``, ``/Volumes/Drive``, links followed; one whose nearest folder there is an
empty mount point not modified since the batch, ``~/Pictures/phone``) or one right under ``/`` is not made,
since the drive is most likely unplugged and its photos would land on the system disk: the row fails, and a later
undo, with the drive back, puts it back. A file at neither place whose destination's drive may be unplugged is a
failure to retry too, not gone (also a ``--to``, or a drive's trash, on a drive mounted anywhere else, not mounted
now: where it was mounted is recorded by the batch, :mod:`.batch_drives`); but a missing ``--to`` folder right under
``/`` is no drive (its mount point would stay): its files are gone.

A leftover temporary copy (``.NAME.blurscan-<row>.part``) is removed, and said (``UndoResult.leftovers``, as the
extra copy or name dropped above). For a trash batch the ``.trashinfo`` entry is removed once its file is back. For
a move batch, the folders the move created (the ``--to`` folder too, when it made it; journaled before they were
made) are removed afterwards, deepest first, each only when it is empty; a folder that existed before the move is
never removed. Undo is idempotent: rows already restored are skipped, and a row whose file is back but not yet
marked is recognised (source only), so an undo interrupted in turn can simply be run again.

A **tag** batch (``blurscan tag --xmp``) is undone sidecar by sidecar, again by looking at the file:

==========================================  =====================================================
the sidecar now is                          action
==========================================  =====================================================
the bytes tag wrote (its SHA-256)           merged: the kept copy put back (atomic replace), created: removed
the bytes from before tag (merged)          tag never got to write it (killed): nothing to do
missing, tag had not written it yet         nothing to do
the bytes a later tag batch wrote           **left as is** and reported (``kept``), naming that batch, to
                                            be undone first (this batch stays ``partial``)
anything else, or missing after the write   changed since by the person or a photo app: **left as is**
                                            and reported (``kept``), the copy of its previous bytes kept
a symbolic link (whatever it points to)     put there since: **left as is** and reported (``kept``)
==========================================  =====================================================

A sidecar whose folder is not there, the nearest folder there looking like a drive's mount point not mounted
(:func:`.drives.unplugged`, as for a moved file), fails to be retried, naming the drive: until 2026-12-07 it was
``kept`` as one deleted since, and the batch, undone, was not come back to once the drive was mounted again.

Nothing is put back into a folder made read-only since (run as root, a folder with no write bit for anyone:
:mod:`blurscan.permissions`; :func:`.moves.move_file` refuses it for a moved or trashed file): the row
fails, and a later undo, once the folder can be written, puts it back.
A sidecar still holding tag's bytes whose copy of its previous bytes is gone (the ``.tag-backups`` folder deleted
since) is left as it is, a file gone (:class:`.restore.Gone`): the batch closes as a move's does.
Rows tag never got to write (``planned``, ``failed``) are not touched. A restored sidecar gets its previous
bytes and permissions but a new modification time, so photo managers that compare times (darktable's "look
for updated XMP files") see that it changed again. The copies are removed once their sidecar is resolved;
a ``kept`` row is tried again by the next undo of its batch (after undoing a move that took the sidecar away,
for example), but does not keep the batch from being undone -- unless the sidecar holds the bytes a later tag
batch wrote (:func:`.afterwards.later_tag_batch`): that one is to be undone first, and the batch stays ``partial``
(``UndoResult.waits_for``), so that a plain undo comes back to it then.
"""
from __future__ import annotations

import dataclasses
import functools
import os
from typing import Callable

from ..errors import ActionError, NothingToUndo, StoreError, os_reason, printable_path
from ..held import ctrl_c_held
from ..library_root import library_root
from . import afterwards, batch_drives, carried_records, drives, forged, journal, journal_retaken, owners, photo_rows
from .restore import Gone, Replaced, Unreachable, restore, unlike
from .run import BatchInterrupted, library_tops
from .undo_folders import remove_backup_folders, remove_folders, under as _under
from .undo_result import UndoResult
from .untag import Kept, untag


def undo(store, batch_id: int | None = None, *, progress: Callable[[int, int, str], None] | None = None) -> UndoResult:
    """Restore the files of batch ``batch_id`` (default: the newest batch neither undone nor closed): put moved
    or trashed files back, or the sidecars of a tag batch as they were. A batch whose only failures are files
    gone (at neither place) ends ``closed``; one with no failure ``undone``.

    Returns
    -------
    UndoResult

    Raises
    ------
    NothingToUndo
        When ``batch_id`` is None and no batch is left to undo (its message says why).
    ActionError
        When there is no batch ``batch_id``, or another move / undo holds this database.
    StoreError
        When a row of the batch is one blurscan never writes (:mod:`.forged`: a file outside the library).
    """
    with journal.exclusive(store):
        if batch_id is None:
            batch_id = journal.latest_undoable(store)
            if batch_id is None:
                raise NothingToUndo(f"nothing to undo: {journal.nothing_to_undo(store)}")
        info = journal.batch(store, batch_id)
        result = UndoResult(batch_id, kind=info.kind)
        rows = journal.rows(store, batch_id)
        # (rows the batch never moved keep their state: an undo that found them as they were leaves them so, and
        # once the batch is undone they need no second look)
        todo = [r for r in rows if r.state not in ("undone", "skipped") and
                not (info.state == "undone" and r.state in _NEVER_MOVED)]
        refused = forged.refusal(store, info, todo)  # (rows added by hand to a shared library's database)
        if refused is not None:
            raise refused
        followed: set[int] = set()  # (a tag batch's rows whose drive is mounted at another place now: there)
        if info.kind == "tag":  # (each drive of its sidecars mounted at another place: untagged there)
            result.remounted_all = batch_drives.remounted_all(store, batch_id)
            result.remounted = result.remounted_all[0] if result.remounted_all else None
            followed = {r.id for r in rows if r.src and batch_drives.along_each(r.src, result.remounted_all) != r.src}
            rows, todo = _tag_along(rows, result.remounted_all), _tag_along(todo, result.remounted_all)
        else:
            result.remounted = batch_drives.remounted(store, batch_id, info.kind)
        if result.remounted is not None and info.kind != "tag":  # (its --to's drive mounted at another place: the
            info, rows, todo = _moved_along(info, rows, todo, *result.remounted)  # files taken from there)
        result.library_moved = batch_drives.library_moved(store, batch_id) if info.kind != "tag" else None
        carried: dict[int, str] = {}  # row id -> its place as the batch recorded it, the library scanned at its new one
        if result.library_moved is not None:  # (the library carried with its drive: its photos go back there)
            carried = carried_records.carried(store, rows, *result.library_moved)
            info, rows, todo = _moved_along(info, rows, todo, *result.library_moved, places=True)
        result.already_undone = not todo and (info.state == "undone" or any(r.state == "undone" for r in rows))
        if not result.already_undone:  # (said with the files that had not been moved)
            result.skipped = [(r.src, r.error or "") for r in rows if r.state == "skipped"]
        created_dirs: set[str] = set()  # the --to folders files were put back from
        try:
            _undo_rows(store, info, rows, todo, result, created_dirs, progress, carried, followed)
        except StoreError as exc:  # the journal refused a write (a full disk): what was done is said, and the
            result.stopped = str(exc)  # next undo goes on from there (it was one "Error:" line, nothing listed)
            return result
        except KeyboardInterrupt as exc:  # what was put back, said; the next undo goes on from there
            # (of the files the batch moved: rows it never got to, or whose move failed, have nothing to put back:
            # "restored 75 of 600" said of a move stopped at 277 of 600, until 2026-12-06)
            raise BatchInterrupted(result, sum(r.state not in ("planned", "failed") for r in todo)) from exc
        if info.kind == "move":
            result.removed_folders = remove_folders(store, batch_id, info.destination, created_dirs,
                                                     result.remounted)
        if info.kind == "tag":
            remove_backup_folders(store, batch_id, rows)
        try:
            _set_state(store, batch_id, info, result)
        except StoreError as exc:  # every file put back, and the batch's state refused (a disk I/O error): said with
            result.stopped = str(exc)  # what was put back, the next undo finishing it (it was one "Error:" line)
            result.closed = False
    return result


def _set_state(store, batch_id: int, info, result: UndoResult) -> None:
    """Record what :func:`undo` left the batch in: undone, closed (nothing left to retry) or partial (a file left
    to retry, a sidecar a later tag batch wrote: until 2026-12-07 a ``done`` or ``running`` batch stayed so). A
    batch closed (by ``undo --close``, :mod:`.close`) whose other failures are files on a drive still not mounted
    stays closed: ``--batch`` looking for them again would have made it the target of every plain undo again."""
    if not result.failed and not result.waits_for:
        journal.set_batch_state(store, batch_id, "undone")
    elif not result.waits_for and len(result.gone) == len(result.failed):  # nothing left to retry: go on
        result.closed = True
        journal.set_batch_state(store, batch_id, "closed")
    elif info.state == "closed" and len(result.gone) + sum(result.unreachable.values()) == len(result.failed):
        result.closed = True
    elif info.state != "partial":
        journal.set_batch_state(store, batch_id, "partial")


def _undo_rows(store, info, rows, todo, result: UndoResult, created_dirs: set[str], progress,
               carried: dict[int, str], followed: set[int]) -> None:
    """Put back (or untag) each row of ``todo``, a photo's files after it, into ``result`` (:func:`undo`'s loop);
    a :class:`~blurscan.errors.StoreError` (the journal refused a write) stops it there. ``carried``: row id ->
    its place under the library's drive's old place, the library carried with it (:mod:`.carried_records`: the
    stored rows of a photo put back at the new place go there with it). ``followed``: the ids of a tag batch's rows
    whose drive is mounted at another place now, their sidecars looked for there (:func:`_tag_along`): that drive
    is there, and no recorded mount point is asked of them (until 2026-12-07, late, two drives mounted each at the
    other's place had every sidecar refused, "is not where it is mounted now")."""
    missing: set[str] = set()  # folders of the photos' places that were not there when undo began on them
    # photo row id -> why it was not put back (its files stay with it), and whether for good (Replaced: the
    # photo gone and another file at its place; its files then stay in --to and count as gone, so the batch
    # can close: it was undone again and again, failing the same way, and earlier batches were out of reach)
    held: dict[int, tuple[str, bool]] = {}
    # (run as root, photos go back into their folder opened from the scanned folder holding them down, as `move`
    # takes them, else from the library's: by path, as root, where the photos share no folder but `/` (`scan ~/a
    # /srv/b`) until 2026-12-06, and a link alice put in place of `~/a/etc` had her photos put into `/etc`)
    library = library_root(store) if info.kind != "tag" else None
    if library is not None and result.library_moved is not None and _under(library, result.library_moved[0]):
        library = batch_drives.moved_along(library, *result.library_moved)  # (the library carried with its drive)
    top_of = library_tops(store)  # (the library's folders read once, at the first row that asks)
    # (where its --to's, its trash's drive was mounted; a tag batch's sidecars', matched as a trash batch's files are)
    drive_of = batch_drives.reader(store, info.id, "trash" if info.kind == "tag" else info.kind)
    if result.remounted is not None and info.kind != "tag":  # (mounted now elsewhere: there, where the files are)
        drive_of = batch_drives.at(result.remounted[1])
    where_now = batch_drives.now_at(store, info.id)
    copies = batch_drives.copies(store, info.id)  # (the drive where it was, and a twin of it elsewhere)
    guessed: dict[str, tuple[str, str] | None] = {}  # (the library's drive maybe at another place: looked up once)
    for n, (row, photo) in enumerate(_in_order(info.kind, rows, todo), 1):
        # Ctrl-C (SIGTERM, SIGHUP) waits for the row: its file put back and journaled, so that the line saying how
        # far undo went counts it (until 2026-12-06 it landed between the two: one file short, and the next undo
        # said it was "put back by hand"); a kill there leaves the row `undoing`, which the next undo says
        with ctrl_c_held():
            top = drives.missing_top(os.path.dirname(row.src)) if info.kind != "tag" else None
            if top is not None:
                missing.add(top)
            try:
                if photo is not None and photo.id in held and _away(row):
                    why, for_good = held[photo.id]
                    raise (Gone if for_good else ActionError)(_held(row, photo, why))
                if photo is not None and photo.state == "undone" and _away(row) and os.path.lexists(photo.src) and \
                        (later := _holder(store, photo, result)) is not None:  # (the same on a retry: until 2026-12-07
                    raise ActionError(_held(row, photo, f"taken again by batch {later.batch_id}, and another file is "
                                                        "at its place now"))  # put back beside that file, undone)
                # (a tag batch's sidecar followed to where its drive is mounted now, :func:`_tag_along`: there)
                drive = None if row.id in followed else drive_of(row.src if info.kind == "tag" else row.dst)
                now = None if drive is None else where_now(drive)
                elsewhere = None if drive is None else batch_drives.not_there(drive, now, info.kind)
                if elsewhere is not None:  # (before its own folder's look: a trash batch's is on that drive too)
                    # (a tag batch's sidecar, which it wrote in place, is not undone: until 2026-12-07, in the
                    # evening, its line said "X.xmp: not put back: X.xmp cannot be reached", as if moved)
                    undone = "not undone: it" if info.kind == "tag" else \
                        f"not put back: {printable_path(row.dst or '?')}"
                    raise Unreachable(f"{printable_path(row.src)}: {undone} cannot be reached: {elsewhere}",
                                      drive=drive, now=now)
                away = drives.unplugged(os.path.dirname(row.src), since=info.created_at)
                if away is not None:
                    raise ActionError(f"{printable_path(row.src)}: not put back: {away}; "
                                      f"{_refusal(store, info, away, guessed)}")
                if info.kind != "tag" and row.state in _NEVER_MOVED and not os.path.lexists(row.src) and \
                        afterwards.later_mover(store, row.batch_id, row.src) is not None:
                    # never moved by this batch (it stopped before, or its move failed): a later one took it (a failed
                    # one's destination holding it, the later move's to the same --to: until 2026-12-07 undo said in a
                    # note that this batch "never moved it there", taking the photo for the file that was in the way)
                    what = "untouched"
                else:
                    undoing = functools.partial(journal.mark, store, row.id, "undoing")  # (just before it moves)
                    what = untag(row, store, undoing) if info.kind == "tag" else \
                        _restore(store, info.kind, row, result, undoing,
                                 top_of(row.src) or library, info.destination, drive, copies)
            except Kept as exc:
                result.kept.append((row.src, str(exc)))
                if exc.later is not None and exc.later not in result.waits_for:
                    result.waits_for.append(exc.later)
                journal.mark(store, row.id, "kept", error=f"undo: {exc}")
            except (ActionError, OSError) as exc:
                if isinstance(exc, OSError):
                    exc = ActionError(f"{printable_path(row.src)}: {os_reason(exc)}")
                result.failed.append((row.src, str(exc)))
                if isinstance(exc, Unreachable):  # (on a drive not mounted now: the CLI says how to close the batch)
                    result.unreachable[exc.drive] = result.unreachable.get(exc.drive, 0) + 1
                    if exc.now is not None and exc.now != exc.drive:  # (mounted at another place: said so)
                        result.elsewhere[exc.drive] = exc.now
                if isinstance(exc, Gone):
                    result.gone.append(row.src)
                    if isinstance(exc, Replaced) and photo is None:
                        held[row.id] = (str(exc), True)
                elif photo is None:
                    held[row.id] = (str(exc), False)
                journal.mark(store, row.id, "gone" if isinstance(exc, Gone) else row.state, error=f"undo: {exc}")
            else:
                if what == "restored":
                    result.restored.append((row.dst, row.src))
                    if row.dst:
                        created_dirs.add(os.path.dirname(row.dst))
                    for folder in missing:
                        if row.src.startswith(folder + os.sep):
                            result.recreated[folder] = result.recreated.get(folder, 0) + 1
                elif what == "removed":
                    result.removed.append(row.src)
                elif what == "back":
                    result.back.append(row.src)
                elif what == "put back":
                    result.put_back.append(row.src)
                elif what == "retaken":  # (said in result.retaken; another file at its place: its files stay)
                    if photo is None and os.path.lexists(row.src):
                        held[row.id] = (f"taken again by batch {result.retaken[-1][1]}, and another file is at its "
                                        "place now", False)
                elif what == "not moved":
                    result.untouched.append(row.src)
                    result.left.append((row.dst or "", _never_moved(row)))
                else:
                    result.untouched.append(row.src)
                if what in ("restored", "back", "put back") and carried.get(row.id, row.src) != row.src:
                    carried_records.mark_put_back(store, row.id, _resolved(row, what), carried[row.id], row.src)
                else:
                    journal.mark(store, row.id, _resolved(row, what))
            if top is not None and os.path.isdir(top):  # made again: its photo's owner, its parent's mode
                owners.like_parents(top, os.path.dirname(row.src), row.src)
            if progress is not None:
                progress(n, len(todo), row.src)


def _refusal(store, info, away: drives.Unplugged, guessed: dict) -> str:
    """What to do about a photo's folder that looks like a drive not mounted (``away``): :attr:`.drives.Unplugged.
    refusal`, but where the batch's library's drive cannot be told and the database is on a drive mounted at another
    place (:func:`.batch_drives.library_away`), to mount the library's drive where the batch took the photos from
    (until 2026-12-07, the evening, "mount it": the drive was mounted, elsewhere), and why the batch cannot tell:
    recorded before blurscan kept its library's drive, or that drive gave no identity (until 2026-12-07, the night,
    said recorded before for both). ``guessed``: looked up once."""
    if "" not in guessed:
        guessed[""] = batch_drives.library_away(store, info.id) if info.kind != "tag" else None
    if guessed[""] is None:
        return away.refusal
    where, now = guessed[""]
    why = ("the batch recorded no identity for the library's drive, which gave none, so cannot tell"
           if batch_drives.library_untold(store, info.id) else
           "the batch, recorded before blurscan kept its library's drive, cannot tell")
    return (f"mount the library's drive at {printable_path(where)} again and run undo again (this database is on a "
            f"drive mounted at {printable_path(now)}: if that is the library's drive, mounted at another place, unmount "
            f"it and mount it there; {why})")


#: The states of a row whose file (or sidecar) the batch never moved (or wrote): it stopped before (Ctrl-C, a full
#: disk, a kill), or its move failed.
_NEVER_MOVED = ("planned", "failed")


def _resolved(row: journal.JournalRow, what: str) -> str:
    """The state a row takes once undo has resolved it as ``what`` (:func:`.restore.restore`, :func:`.untag.untag`):
    ``undone``, but for a file the batch never moved (``untouched`` or ``not moved``: there was nothing to put back):
    a row ``planned`` or ``failed`` stays so, and one killed as it began (``moving``, ``writing``: the file found as
    it was) is ``planned``, so that ``undo --list`` counts as undone, with their bytes, only the files the batch
    moved. Until 2026-12-06 they were all marked ``undone``: a move that failed on a full ``--to`` was listed, once
    undone, as "4 undone of 4 files (120.8 kB)" where 3 files of 77.2 kB had moved, and one stopped by Ctrl-C at 277
    of 600 as 600 undone."""
    if what not in ("untouched", "not moved") or row.state in ("undoing", "done", "gone", "kept"):
        return "undone"
    return row.state if row.state in _NEVER_MOVED else "planned"


def _restore(store, kind: str, row: journal.JournalRow, result: UndoResult, undoing, library: str | None = None,
             moved_to: str | None = None, drive: str | None = None, copies=lambda _point: None) -> str:
    """:func:`.restore.restore` (what a kill left and it removes added to ``result.leftovers``), but for a file
    found at neither place of a row killed as it began (``moving``) that a later batch took from its place:
    ``untouched``, as for a row never begun (``planned``), and not gone. The batch was killed before it moved it (a
    copy across drives takes a while; its unfinished copy is removed), the photo was still at its place, and the
    later batch's undo puts it back. Until 2026-12-06 ``undo --batch`` of the killed batch said it "could not be
    restored" (exit 1) and closed the batch with the file counted gone.

    But a row killed after its move (``moving``, the photo in ``--to`` or the trash), the photo put back by hand since
    and taken again by a later batch that still holds it (:func:`_holder`), is ``retaken``, as a ``done`` row's is:
    until 2026-12-07 it was counted among the files the batch "had not been moved", and the batch that has it went
    unnamed. Only an unfinished copy of its move found (and removed) says that the batch never took it from its
    place (one killed as it began a rename and one killed once done look alike: both ``retaken`` and ``unrecorded``).

    A file the batch moved, no longer at its destination nor at its place, that a later batch took again (the
    same size and sample: :func:`.journal_retaken.retaken`; put back by hand in between) is ``retaken`` (added to
    ``result.retaken``), not gone: that batch's undo brings it back. So is one with another file at its place since
    (:class:`.restore.Replaced`), which nothing here touches: until 2026-12-07 it was "nothing to put back", gone,
    and the batch closed, while the later batch had it (its undo names that file, "both exist", and leaves both).

    Nor is one gone whose destination's drive, mounted where the batch recorded it, has a twin of another device
    mounted elsewhere (``copies``: :func:`.batch_drives.copies`; a ``dd`` copy of the drive made before the batch
    mounted where it was, the drive elsewhere): the drive's file may be there, and which is the copy is not told, so
    the row fails, to be retried, naming both (:class:`.restore.Unreachable`)."""
    known = len(result.leftovers)
    try:
        return restore(kind, row, result.leftovers, undoing, within=library, moved_to=moved_to, drive=drive)
    except Gone as exc:
        cut_short = any(what == "partial" for _, _, what in result.leftovers[known:])  # (its copy never finished)
        # (another file at its place since (Replaced) is left as it is: the later batch's undo names it)
        later = None if cut_short or (os.path.lexists(row.src) and not isinstance(exc, Replaced)) else \
            _holder(store, row, result)
        if later is None and row.state == "moving" and \
                afterwards.later_mover(store, row.batch_id, row.src) is not None:
            return "untouched"
        twins = None if later is not None or drive is None or isinstance(exc, Replaced) or not row.dst or \
            os.path.lexists(row.dst) else copies(drive)
        if twins is not None:  # (the drive mounted elsewhere, a copy of it where it was: until 2026-12-07, the
            raise Unreachable(  # evening, the file was said gone and the batch closed)
                f"{printable_path(row.src)}: not put back: {printable_path(row.dst)} cannot be reached: it is "
                f"{batch_drives.mounted_elsewhere(drive, twins)}, and run undo again", drive=drive, now=twins) from exc
        if later is None:
            raise
        result.retaken.append((row.src, later.batch_id, _where_now(store, later)))
        if row.state == "moving":  # (killed before its rename or after it: the journal cannot tell which)
            result.unrecorded.append(row.src)
        return "retaken"


def _holder(store, row: journal.JournalRow, result: UndoResult) -> journal.JournalRow | None:
    """The row of the later batch that holds the file ``row`` moved (:func:`.journal_retaken.retaken`), following it on
    when that batch's file was put back by hand too and taken again by a batch after it; None when the last to take
    it no longer has it where it put it (deleted from its ``--to``, the trash emptied), its drive there: gone, as
    ``report`` says (:func:`.afterwards.whereabouts`). Until 2026-12-07 the first later batch was named, its
    undo said to bring the photo back: a batch 3 holding it, or the photo deleted from batch 2's ``--to``. The
    later batches' places are read once an undo (``result.later_sources``): each file gone looked for in their rows
    made an undo of 2,000 photos gone from an emptied trash, with 20,000 rows of batches after it, take 5.1 s
    where it takes 1.2 s (the day "taken again" came)."""
    if result.later_sources is None:
        result.later_sources = journal_retaken.later_sources(store, row.batch_id)
    later = journal_retaken.retaken(store, row, result.later_sources)
    while later is not None and not _still_there(store, later):
        later = journal_retaken.retaken(store, later, result.later_sources)
    return later


def _still_there(store, row: journal.JournalRow) -> bool:
    """The file ``row`` moved is at its destination (in the trash, not another one trashed under its name since:
    :func:`.afterwards.still_there`; the size and sample ``row`` holds, as that batch's undo checks it), or its
    drive is not there to tell (:func:`.drives.unplugged`; or where that batch's ``--to`` or trash folder was mounted,
    :mod:`.batch_drives`, is not mounted now: until 2026-12-07 the photo was said gone, and the earlier batch closed,
    while the later batch had it on a drive unplugged). Until 2026-12-07 any file there counted: another one at the
    name since (a new camera file of the photo's name moved there by a later batch) had that batch named, whose undo
    then failed, "not the file this batch moved there", while a batch after it had the photo."""
    if not row.dst:
        return False
    kind = journal.batch(store, row.batch_id).kind
    if afterwards.still_there(kind, row.src, row.dst):
        try:  # (a copy across drives without a sample: its time may be coarser there, its kind alone looked at)
            return unlike(row, row.dst, copied=row.sha256 is not None and row.sample_sha256 is None) is None
        except OSError:  # (cannot be read to tell: that batch's undo says so, naming it)
            return True
    drive = batch_drives.drive_of(store, row, kind)
    if drive is not None and (now := batch_drives.now_at(store, row.batch_id)(drive)) != drive:
        # (not mounted; or mounted at another place, and a move's file there: since 2026-12-07, later that day)
        return not isinstance(now, str) or kind != "move" or afterwards.still_there(  # (twins: neither taken)
            kind, row.src, batch_drives.moved_along(row.dst, drive, now))
    return drives.unplugged(os.path.dirname(row.dst)) is not None


def _where_now(store, row: journal.JournalRow) -> str:
    """Where the file ``row`` moved is now (``""`` for none): its destination, on its drive mounted at another place
    now where it is (:func:`.batch_drives.along`). Until 2026-12-07, the evening, "taken again by batch 2 (to
    /media/me/DISK/rejects/b1.jpg)" named where the batch recorded the drive, with it mounted at ``DISK1``."""
    if not row.dst:
        return ""
    drive = batch_drives.drive_of(store, row, journal.batch(store, row.batch_id).kind)
    now = batch_drives.now_at(store, row.batch_id)(drive) if drive is not None else None
    return batch_drives.along(row.dst, (drive, now)) if isinstance(now, str) and now != drive else row.dst


def _in_order(kind: str, rows: list[journal.JournalRow], todo: list[journal.JournalRow]):
    """``(row, photo)`` for each row of ``todo``, the batch's last photo first, each photo's row before those of
    the files that moved with it (:func:`.photo_rows.by_photo`); ``photo`` is the photo's row for those, else None."""
    ids = {r.id for r in todo}
    groups = photo_rows.by_photo(rows) if kind != "tag" else [[r] for r in rows]
    return [(r, None if r is group[0] else group[0]) for group in reversed(groups) for r in group if r.id in ids]


def _away(row: journal.JournalRow) -> bool:
    """The row's file is at its destination and not at its place (it is one undo would move back)."""
    return bool(row.dst) and os.path.lexists(row.dst) and not os.path.lexists(row.src)


def _held(row: journal.JournalRow, photo: journal.JournalRow, why: str) -> str:
    """Why a sidecar, RAW twin, Live Photo video or Takeout JSON stays where the batch put it: its photo (``why``,
    its failure) was not put back: back beside the file now under the photo's name, it would go with that one."""
    for said in (f"{printable_path(photo.src)}: ", "not put back: "):  # (said once: "... was not put back: ")
        why = why[len(said):] if why.startswith(said) else why
    return (f"{printable_path(row.src)}: not put back (it stays at {printable_path(row.dst or '?')}): its photo "
            f"{printable_path(os.path.basename(photo.src))} was not put back: {why}")


def _never_moved(row: journal.JournalRow) -> str:
    """Why the file at ``row``'s destination is left there: the batch's move of the photo failed (``row.error``),
    so it is not the photo, and the photo is no longer at its place (deleted since)."""
    why = (row.error or "").removeprefix(f"{printable_path(row.src)}: ")
    return (f"{printable_path(row.dst or '?')}: not put back at {printable_path(row.src)}: this batch never moved "
            f"it there (its move of that photo failed: {why or 'no reason kept'}), and the photo is no longer at "
            "its place; left as it is")


def _tag_along(rows: list[journal.JournalRow], moved: list[tuple[str, str]]) -> list[journal.JournalRow]:
    """``rows`` of a tag batch, each sidecar (and its kept copy beside it) where its own drive is mounted now
    (``moved``: :func:`.batch_drives.remounted_all`). Until 2026-12-07 (late) only the first drive mounted elsewhere
    was followed: a second's sidecars were left as "no longer there (moved or deleted since ...)"."""
    def along(path: str | None) -> str | None:
        return batch_drives.along_each(path, moved) if path else path
    return [dataclasses.replace(r, src=along(r.src), dst=along(r.dst)) for r in rows]


def _moved_along(info, rows: list[journal.JournalRow], todo: list[journal.JournalRow], where: str, now: str,
                 places: bool = False):
    """``info``, ``rows`` and ``todo`` (of them) of a move batch whose ``--to``'s drive, mounted at ``where`` when it moved the files,
    is mounted at ``now``: their destinations where they are now (:func:`.batch_drives.moved_along`). Until
    2026-12-07 undo refused them until the drive was mounted where it had been (``/media/me/DISK`` taken when it
    was plugged in again, so ``/media/me/DISK1``: no way to get it there without unmounting the other). ``places``:
    their places too, the library's drive being the one mounted elsewhere (:func:`.batch_drives.library_moved`:
    until 2026-12-07, later that day, undo said the library's folder not there, "a drive not mounted")."""
    def along(path: str | None) -> str | None:
        return batch_drives.moved_along(path, where, now) if path and _under(path, where) else path

    def row(r: journal.JournalRow) -> journal.JournalRow:
        return dataclasses.replace(r, dst=along(r.dst), src=along(r.src) if places else r.src)
    return (dataclasses.replace(info, destination=along(info.destination)), [row(r) for r in rows],
            [row(r) for r in todo])
