"""What an undo did (:class:`UndoResult`), as :func:`blurscan.actions.undo.undo` returns it: the files put back,
those that could not be and why, and what it found on the way (leftovers of a killed batch, files taken again by a
later batch, folders made again), for the command line and the review page to say."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class UndoResult:
    """What an undo did.

    Attributes
    ----------
    batch_id : int
    restored : list of (dst, src)
        Files put back.
    untouched : list of str
        Rows whose file had never left (nothing to do).
    back : list of str
        Files the batch had moved that were at their place again (put back by hand, e.g. restored from the
        desktop trash): nothing to do.
    put_back : list of str
        Files an earlier undo of the batch moved back (sidecars it put back or removed, for a tag batch), stopped (a
        kill) before it recorded them (row ``undoing``): nothing to do. Until 2026-12-06 they were said to be put
        back by hand (sidecars: not written by tag, or removed since by the person and left alone).
    failed : list of (path, reason)
        Files that could not be restored (they stay where they are, reported).
    already_undone : bool
        The batch had been undone before: there was nothing left to restore.
    kind : str
        The batch's kind: ``move``, ``trash`` or ``tag``.
    removed : list of str
        Tag batch: sidecars tag had created, removed.
    kept : list of (path, reason)
        Tag batch: sidecars changed since tag wrote them, left as they are (not a failure).
    gone : list of str
        Those of ``failed`` whose file is at neither place (the trash emptied, deleted by hand): running undo
        again cannot bring them back (their rows are marked ``gone``).
    closed : bool
        Every failure was a file gone: the batch is undone as far as it can be and marked ``closed``, so a
        plain undo goes on to the batch before it (``--batch`` still looks for the gone files again).
    recreated : dict of str to int
        Move / trash batch: folders that were no longer there (renamed, moved or deleted since the batch), made
        again to put files back at their paths: the topmost such folder, and how many files it got back.
    removed_folders : list of str
        Move batch: folders the move had created (the ``--to`` folder included), removed as they were empty
        once the files were back.
    skipped : list of (path, reason)
        Move / trash batch: files the batch itself skipped (never tried: it stopped on a full disk, their photo
        was not moved, changed since planning), with its reason: nothing to do.
    leftovers : list of (path, photo, what)
        Move / trash batch: what a kill left that undo removed: ``copy`` (a verified copy at the destination,
        the photo still at its place), ``name`` (a second name of the photo, the same file), ``copy back`` and
        ``name back`` (the same, the move done: left by an undo killed in turn, or by hand), ``partial`` (an
        unfinished temporary copy of the move), ``partial undo`` (of an earlier undo).
    left : list of (path, reason)
        Move / trash batch: files at a destination this batch never moved there (its move of the photo failed, a
        file being there already, and the photo was deleted from its place since), left as they are (also counted
        in ``untouched``). Until 2026-12-05 undo moved such a file into the library under the photo's name.
    retaken : list of (path, batch id, where)
        Move / trash batch: files it moved that were put back by hand since (out of ``--to``, from the desktop's
        trash), then taken again by a later batch (:func:`.journal_retaken.retaken`), which put them ``where``: that
        batch's undo brings them back, nothing to do here (not gone: until 2026-12-07 ``undo --batch`` of the
        earlier batch said they could not be restored, no longer where the move put them, and closed it).
    unrecorded : list of str
        Of ``retaken``: files the batch was killed as it moved (row ``moving``): never moved, or moved and put back
        by hand, the journal cannot tell (until 2026-12-07 undo said that they were put back since it moved them).
    unreachable : dict of str to int
        Move / trash batch: of ``failed``, the files at a destination on a drive not mounted now (:class:`.restore.
        Unreachable`), counted by that drive (where it was mounted, or its missing folder): to retry once it is
        mounted there, or, the drive gone for good, the batch to close by hand (``undo --close``, :mod:`.close`).
    elsewhere : dict of str to str
        Of the drives of ``unreachable``, those mounted at another place now (a trash batch's), each -> that place.
    remounted : (str, str) or None
        Move batch: its ``--to``'s drive, mounted at the first when the batch moved the files, is mounted at the
        second now (:func:`.batch_drives.remounted`): the files were taken back from there. Tag batch: the first
        of ``remounted_all``.
    remounted_all : list of (str, str)
        Tag batch: each drive of its sidecars mounted at the first when the batch wrote them and at the second now
        (:func:`.batch_drives.remounted_all`): its sidecars untagged there.
    library_moved : (str, str) or None
        The library's drive, mounted at the first when the batch was made, is mounted at the second now, the
        database opened there (:func:`.batch_drives.library_moved`): the photos were put back there.
    waits_for : list of int
        Tag batch: the later tag batches whose bytes some of its ``kept`` sidecars hold: to be undone first. The
        batch then stays ``partial``, not ``undone``, so that a plain undo comes back to it once they are.

    For a tag batch, ``restored`` holds (kept copy, sidecar) pairs.
    """

    batch_id: int
    #: Why the undo stopped before its end: the database refused a write (a full disk). The files up to there
    #: are done (listed); the rest are where they were, and undo goes on from there once it can write.
    stopped: str | None = None
    restored: list[tuple[str, str]] = field(default_factory=list)
    untouched: list[str] = field(default_factory=list)
    back: list[str] = field(default_factory=list)
    put_back: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    already_undone: bool = False
    kind: str = "move"
    removed: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)
    removed_folders: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    closed: bool = False
    recreated: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    leftovers: list[tuple[str, str, str]] = field(default_factory=list)
    left: list[tuple[str, str]] = field(default_factory=list)
    retaken: list[tuple[str, int, str]] = field(default_factory=list)
    unrecorded: list[str] = field(default_factory=list)
    waits_for: list[int] = field(default_factory=list)
    unreachable: dict[str, int] = field(default_factory=dict)
    elsewhere: dict[str, str] = field(default_factory=dict)
    remounted: tuple[str, str] | None = None
    remounted_all: list[tuple[str, str]] = field(default_factory=list)
    library_moved: tuple[str, str] | None = None
    #: :func:`.journal_retaken.later_sources` of the batch, read once when a file is first found gone (:func:`.undo._holder`)
    later_sources: frozenset[str] | None = field(default=None, repr=False, compare=False)

    @property
    def complete(self) -> bool:
        return not self.failed
