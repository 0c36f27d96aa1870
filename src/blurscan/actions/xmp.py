"""XMP sidecars: mark flagged photos so photo managers show it, without touching the photos.

What is written (XMP Specification Part 1, section 8.4, the ``xmp:`` basic namespace
``http://ns.adobe.com/xap/1.0/``):

* ``xmp:Rating="-1"`` on photos the person marked **discard** (and burst non-keepers with ``from_bursts``,
  those ``all_flagged`` or ``min_p_blurry`` selected as well too): -1 is XMP's "rejected" value, shown as
  rejected by darktable (Lightroom Classic's reject is a pick flag kept in its catalog, not in XMP: it is not
  counted on to show -1 as rejected). digiKam reads ratings 0-5 only and ignores -1: in a digiKam sidecar its
  own ``digiKam:PickLabel`` is set to 1, "rejected".
* ``xmp:Label`` (default ``"Red"``) on every tagged photo that has no label yet (a label the person set is
  kept unless ``replace_label``; darktable's own ``darktable:colorlabels`` count as one, since darktable reads
  them only while there is no ``xmp:Label``, :func:`.xmp_document.has_persons_label`): a free text that
  Lightroom shows as its color label when it matches the label set's name ("Red" in the default set), and that
  darktable and digiKam map to their red color label. digiKam reads it only while its own ``digiKam:ColorLabel``
  is missing, and writes ``0`` (no label) there: in a digiKam sidecar that one is set too (1, red), and one of
  1 to 9 is the person's label (:mod:`.xmp_document`).

Photos the scan flagged as blurry that the person has not reviewed get the label only: a rejection is the
person's call.

Which sidecar: every existing one of ``NAME.EXT.xmp`` (darktable, digiKam) and ``NAME.xmp`` (Lightroom Classic and
Bridge, for a RAW file only: they read the metadata inside a JPEG, TIFF, PNG or DNG) is merged; when none exists,
``NAME.EXT.xmp`` is created (or ``NAME.xmp`` with ``stem_names=True``; darktable reads ``NAME.xmp`` only through its
Lightroom importer, where a rating of -1 means "one star more"). A RAW + JPEG pair (:func:`blurscan.twins.raw_twin`)
is one photo whose RAW gets the same tags by the same rule: darktable keeps a RAW's edits, rating and labels in
``NAME.RAW.xmp``, so a tag on the JPEG's sidecar alone would not show on the RAW. Its existing ``NAME.RAW.xmp`` is
merged too; when the RAW has no sidecar at all, ``NAME.RAW.xmp`` is created (with ``stem_names``: ``NAME.xmp``,
unless the JPEG's ``NAME.xmp`` covers both already). An existing ``NAME.xmp`` is the RAW's sidecar as much as the
JPEG's (Lightroom writes one for the RAW), so then no ``NAME.RAW.xmp`` is added. The sidecars of darktable's
duplicates of the photo and of its RAW twin (``NAME_01.EXT.xmp``, :mod:`.darktable_copies`) are merged too.
They are found in one listing of each folder per run (:mod:`.xmp_sidecars`, :mod:`.listing`), as ``move``'s.

``NAME.xmp`` is the sidecar of every image of that name in the folder (``IMG_1.JPG`` and ``IMG_1.HEIC``), as the
RAW twin is: while one of them is not tagged by the same run (kept, sharp, not selected), tagging the other
leaves ``NAME.xmp`` and the RAW alone, as ``move`` leaves them (:mod:`.shared_names`), and tags the photo's own
``NAME.EXT.xmp`` (merged, or created, ``stem_names`` or not); :attr:`TagResult.shared` says so.

Merging keeps everything else in the sidecar (:mod:`.xmp_document`, the sidecar as a document); the file is
replaced atomically (temporary file, fsync, rename). A sidecar that says what tagging would write already
(however another program laid it out) is not written nor journaled: its bytes and modification time stay. A sidecar that is not XMP (not XML, or no ``rdf:RDF``) is reported and left untouched. A sidecar
that is a symbolic link is left alone too (the rename would replace the person's link with a regular file),
and nothing is journaled for it: the photo's other sidecars (a RAW twin's) are still tagged, and the link is
listed in :attr:`TagResult.left_alone`; a photo whose every sidecar is a link is skipped, once.

A :class:`TagResult` counts each photo once: tagged (some sidecar of it holds the tags), skipped or failed.

Tagging is undoable: every sidecar written is journaled first, with a copy of a merged sidecar's previous
bytes (:func:`tag_photos`, :mod:`.journal`), and ``blurscan undo`` puts those bytes back, or removes a sidecar
tag created, as long as the sidecar is still what tag wrote (:mod:`.undo`).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from ..errors import ActionError, StoreError, UsageError, os_reason, printable_path
from ..held import ctrl_c_held
from ..permissions import why_not_writable
from . import batch_drives, fresh_decisions, journal
from .listing import Listing
from .run import BatchInterrupted
from .sidecar_write import WrittenUnrecorded, read_bytes, write_journaled
from .xmp_document import check_label, merge, read_properties  # noqa: F401 (xmp.merge, xmp.read_properties)
from .xmp_sidecars import images_not_tagged, name_too_long, no_temp_room, shared_note, sidecar_targets


@dataclass(frozen=True)
class SidecarChange:
    """What tagging one sidecar means: its bytes now (``old``, None when it does not exist) and after."""

    photo: str
    path: str
    merged: bool
    old: bytes | None
    new: bytes

    @property
    def changes(self) -> bool:
        return self.new != self.old


def plan_sidecars(photo: str, *, rating: int | None, label: str | None, replace_label: bool = False,
                  stem_names: bool = False, taken: Collection[str] = (),
                  listing: Listing | None = None, planned: dict[str, bytes] | None = None
                  ) -> tuple[list[SidecarChange], list[str]]:
    """The sidecar(s) of ``photo`` with the bytes tagging would give them, and the sidecars left out because
    they are symbolic links (never read, merged nor replaced); writes nothing. ``taken``: as for
    :func:`sidecar_targets`. ``planned``: sidecar path -> the bytes an earlier photo of a dry run would have
    written there (read instead of the file: a ``NAME.xmp`` two photos share, created or merged by the first).

    Raises
    ------
    ActionError
        When an existing sidecar cannot be read or is not XMP (see :func:`merge`).
    """
    out, links = [], []
    targets = sidecar_targets(photo, stem_names=stem_names, taken=taken, listing=listing)
    for path, merged in targets:
        if os.path.islink(path):  # a dangling one too, which sidecars_of does not count as a sidecar
            links.append(path)
            continue
        refused = _not_a_file(path) or (no_temp_room(path) if merged else name_too_long(path, stem_names))
        if refused:
            raise ActionError(f"{printable_path(path)}: {refused}; left untouched")
        old = None
        if planned and path in planned:  # (a dry run: what the earlier photo's write would have left there)
            merged, old = True, planned[path]
        elif merged:
            try:
                old = read_bytes(path)
            except OSError as exc:
                raise ActionError(f"{printable_path(path)}: cannot read: {os_reason(exc)}") from exc
        data = merge(old, rating=rating, label=label, replace_label=replace_label, source=path)
        refused = why_not_writable(path) if merged and data != old and os.path.lexists(path) else None
        # (one tagged already is fine; a sidecar a dry run's earlier photo would create, the folder was checked for)
        if refused:  # made read-only (0444): a rename would replace it all the same (until 2026-12-05 it did)
            raise ActionError(f"{printable_path(path)}: {refused}; left untouched")
        out.append(SidecarChange(photo, path, merged, old, data))
    return out, links


def _not_a_file(path: str) -> str | None:
    """Why what is at ``path`` is not a sidecar to read or replace (a folder; a named pipe, which reading waited
    on forever: until 2026-12-05 a run hung there, and the dry run promised to write a folder), as words to follow
    its name; None for a regular file or nothing there (a sidecar to create; a race the write checks again).
    A sidecar the person may not write, or made read-only, is refused after merging (:func:`plan_sidecars`)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if stat.S_ISREG(st.st_mode):
        return None
    kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a named pipe" if stat.S_ISFIFO(st.st_mode) else \
        "a socket" if stat.S_ISSOCK(st.st_mode) else "a device"
    return f"is {kind}, not a sidecar file"


@dataclass(frozen=True)
class Tagged:
    """A sidecar written: ``rating`` / ``label`` are the values now in it (None: none there).

    ``changed`` is False for a sidecar that was tagged already (nothing written).
    """

    photo: str
    sidecar: str
    merged: bool
    rating: str | None
    label: str | None
    changed: bool = True


@dataclass
class TagResult:
    """What a tag run did; ``batch_id`` is the journal batch ``blurscan undo`` replays (None when nothing
    was written, and for a dry run).

    ``written``: one :class:`Tagged` per sidecar that holds the tags now (a RAW + JPEG pair has two).
    ``skipped``: ``(photo, reason)``, one per photo not tagged and not failed (missing or changed photo, every
    sidecar a symbolic link, marked keep since the selection was made). ``left_alone``: ``(photo, sidecar)`` for
    each symbolic link among the sidecars of a photo whose other sidecars were tagged (or failed). ``failed``:
    ``(photo, reason)``, one per failure (a photo whose sidecar could not be written can have another one tagged:
    see :attr:`photos`, :attr:`failed_photos`). ``shared``: ``(sidecar, reason)`` for each ``NAME.xmp`` left to
    another image of its name that is not tagged, the photo tagged in its own ``NAME.EXT.xmp`` instead
    (:func:`shared_note`).
    """

    written: list[Tagged] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    batch_id: int | None = None
    left_alone: list[tuple[str, str]] = field(default_factory=list)
    shared: list[tuple[str, str]] = field(default_factory=list)
    #: Why the batch stopped before its end: the database refused a journal write (a full disk); the photos after
    #: ``written`` were not tagged (the batch stays ``running``: undo compares every sidecar it journaled).
    stopped: str | None = None
    #: Where no photo was left to tag: the skips of the photos whose folder refuses (read-only), each with its
    #: refusal (:class:`.plan.Skip`), for the one line saying none could be tagged.
    refused: list = field(default_factory=list)

    @property
    def photos(self) -> list[str]:
        """The photos tagged, each once: at least one of their sidecars holds the tags now."""
        return list(dict.fromkeys(t.photo for t in self.written))

    @property
    def failed_photos(self) -> list[str]:
        """The photos that failed and have no sidecar tagged, each once (not in :attr:`photos`)."""
        tagged = set(self.photos)
        return [p for p in dict.fromkeys(p for p, _ in self.failed) if p not in tagged]

    @property
    def failed_sidecars_of_tagged(self) -> list[tuple[str, str]]:
        """The failures of photos that are in :attr:`photos` all the same (another of their sidecars was tagged)."""
        tagged = set(self.photos)
        return [(p, reason) for p, reason in self.failed if p in tagged]


def tag_photos(store, *, all_flagged: bool = True, from_bursts: bool = False, label: str | None = "Red",
               replace_label: bool = False, stem_names: bool = False, dry_run: bool = False,
               under: str | None = None, min_p_blurry: float | None = None) -> TagResult:
    """Write or merge the XMP sidecar of every selected photo (see the module docstring).

    Selection as for a move (:func:`blurscan.actions.plan.select`): photos marked discard, with
    ``all_flagged`` every blurry one, with ``min_p_blurry`` every one whose ``p_blurry`` is at least that (a label
    only, as a blurry one), with ``from_bursts`` burst non-keepers; never a photo marked keep;
    with ``under`` only photos at or below that absolute folder.
    A missing or changed photo is skipped with the reason, and so is one whose decision changed since the
    selection was made (marked keep on the review page meanwhile: read again just before its sidecars are
    written, :mod:`.fresh_decisions`); an image of its name left so keeps ``NAME.xmp`` and the RAW twin.

    Every sidecar written is journaled as one batch (kind ``tag``, see :mod:`.journal`) before it is
    changed, with a copy of a merged sidecar's previous bytes, so :func:`blurscan.actions.undo` can put
    it back (or remove a sidecar tag created), even after a kill in the middle.

    ``label``: None (or ``""``) writes no label; an unreviewed blurry photo, which gets the label only, is then
    skipped (its sidecar would say nothing).

    Raises
    ------
    ActionError
        When another move / trash / tag / undo holds this database.
    UsageError
        For a blank ``label`` (spaces only) or one XML cannot hold, or a ``min_p_blurry`` outside [0, 1], before
        anything is written.
    """
    from .plan import plan_tag

    if label and not label.strip():
        raise UsageError(f"label {label!r} is blank: give a label to write, or None for none")
    label = label or None  # "" = write no label
    if label is not None:
        check_label(label)
    result = TagResult()
    note_drive = None  # (batch_drives.noter, once the batch is made)
    with contextlib.nullcontext() if dry_run else journal.exclusive(store):
        candidates, skipped = plan_tag(store, all_flagged=all_flagged, from_bursts=from_bursts, under=under,
                                       min_p_blurry=min_p_blurry)
        if from_bursts and (all_flagged or min_p_blurry is not None):
            candidates = _burst_shots_rejected(store, candidates, under)
        result.skipped = [(s.path, s.reason) for s in skipped]
        result.refused = [] if candidates else [s for s in skipped if s.refusal]
        # the photos this run tags: NAME.xmp is tagged only when every image of that name in the folder is
        taken = {c.path for c in candidates if label is not None or c.reason in ("discard", "burst")}
        siblings = _by_stem(candidates, taken)
        listing = Listing()  # each folder listed once for the run (a sidecar it creates is added to it)
        planned: dict[str, bytes] = {}  # (a dry run: the sidecars it would have written, as the next photo sees them)
        try:  # (a journal write the disk refuses stops the batch, said: it was one "Error:" line)
            for cand in candidates:
                rating = -1 if cand.reason in ("discard", "burst") else None
                if rating is None and label is None:  # an unreviewed photo without a label: its sidecar would be empty
                    result.skipped.append((cand.path, "nothing to write: not marked discard, and no label asked for"))
                    continue
                # the decisions as they are now, read just before the sidecars are written (the review page may have
                # changed them): the photo's, and those of the images sharing NAME.xmp and the RAW twin with it
                since = fresh_decisions.changed_since(store, cand.path, cand.reason)
                if since:
                    taken.discard(cand.path)
                    result.skipped.append((cand.path, since))
                    continue
                for other in siblings.get(fresh_decisions.stem_key(cand.path), ()):
                    if other is not cand and other.path in taken and \
                            fresh_decisions.changed_since(store, other.path, other.reason):
                        taken.discard(other.path)  # (it stays untagged, and NAME.xmp is its sidecar too)
                try:  # read now, after the previous photo's writes (two photos can share NAME.xmp)
                    changes, links = plan_sidecars(cand.path, rating=rating, label=label, replace_label=replace_label,
                                                   stem_names=stem_names, taken=taken, listing=listing,
                                                   planned=planned)
                except ActionError as exc:
                    result.failed.append((cand.path, str(exc)))
                    continue
                if not changes:  # every sidecar is a link: the photo is skipped, once
                    result.skipped.append((cand.path, _links_reason(links)))
                    continue
                result.left_alone += [(cand.path, link) for link in links]
                note = shared_note(cand.path, changes[0].path, images_not_tagged(cand.path, taken, listing),
                                   stem_names=stem_names, listing=listing)
                if note is not None:
                    result.shared.append(note)
                # Ctrl-C (SIGTERM, SIGHUP) waits for the photo's sidecars and the journal's record of them: the line
                # saying how far tag went counts them (until 2026-12-06 it landed between a sidecar's write and its
                # record, mostly as the write was made durable, and said one photo fewer than were tagged)
                with ctrl_c_held():
                    for change in changes:
                        unrecorded = None
                        if change.changes and not dry_run:
                            if result.batch_id is None:
                                result.batch_id = journal.create_tag_batch(store)
                                note_drive = batch_drives.noter(store, result.batch_id)
                            assert note_drive is not None
                            note_drive(change.path)  # (its drive's place and identity: undo finds it elsewhere)
                            old_sha = None if change.old is None else _sha256(change.old)
                            row_id, backup = journal.add_tag_row(store, result.batch_id, change.path, old_sha,
                                                                 _sha256(change.new), len(change.new))
                            try:
                                write_journaled(store, row_id, change, backup)
                            except WrittenUnrecorded as exc:  # written, then the journal refused to say so
                                unrecorded = exc.error
                            except ActionError as exc:
                                result.failed.append((change.photo, str(exc)))
                                continue
                            finally:  # a sidecar made (or one that appeared meanwhile): the next photo's to see
                                if not change.merged and os.path.lexists(change.path):
                                    listing.added(change.path)
                        elif change.changes:  # the dry run: a NAME.xmp shared with the next photo is seen as written
                            if not change.merged:  # (it said "would write" it twice, where tag writes it, then
                                listing.added(change.path)  # finds it "already tagged" or merges into it)
                            planned[change.path] = change.new
                        now = read_properties(change.new)
                        result.written.append(Tagged(change.photo, change.path, change.merged, now.get("Rating"),
                                                     now.get("Label"), change.changes))
                        if unrecorded is not None:
                            raise unrecorded
        except StoreError as exc:
            result.stopped = str(exc)
            return result
        except KeyboardInterrupt as exc:  # what was tagged, said with its undo (the batch stays 'running')
            if dry_run:
                raise
            raise BatchInterrupted(result, len(candidates)) from exc
        if result.batch_id is not None:
            failed = any(r.state != "done" for r in journal.rows(store, result.batch_id))
            try:
                journal.set_batch_state(store, result.batch_id, "partial" if failed else "done")
            except StoreError as exc:  # the batch's end refused: said with what was tagged, not one "Error:" line
                result.stopped = str(exc)
    return result


def _burst_shots_rejected(store, candidates: list, under: str | None) -> list:
    """``candidates`` with each burst non-keeper that ``--all-blurry`` or ``--min-p-blurry`` selected first (reason
    ``blurry`` or ``p_blurry``) given the reason ``burst``, which ``--from-bursts`` alone gives it: a shot the
    burst gives away is rejected in its sidecar whatever else selected it (until 2026-12-06 a blurry one got the
    label alone, and darktable showed the burst's blurriest shots as not rejected, its sharper ones as rejected).
    The shots are those ``--from-bursts`` alone takes (:func:`.plan.select`: a keeper in place, not marked keep)."""
    from .plan import select

    shots = {c.path for c in select(store, from_bursts=True, under=under)[0] if c.reason == "burst"}
    return [replace(c, reason="burst") if c.path in shots and c.reason != "discard" else c
            for c in candidates]


# -- helpers ------------------------------------------------------------------------------------------------

def _by_stem(candidates, taken) -> dict[tuple[str, str], list]:
    """The candidates in ``taken`` that share their stem with another in their folder (``IMG_1.HEIC`` and
    ``IMG_1.JPG``), by :func:`.fresh_decisions.stem_key`."""
    groups: dict[tuple[str, str], list] = {}
    for cand in candidates:
        if cand.path in taken:
            groups.setdefault(fresh_decisions.stem_key(cand.path), []).append(cand)
    return {key: group for key, group in groups.items() if len(group) > 1}


def _links_reason(links: list[str]) -> str:
    """Why a photo whose every sidecar is a symbolic link is skipped."""
    names = [os.path.basename(link) for link in links]
    if len(names) == 1:
        return f"{names[0]} is a symbolic link: not changed"
    return f"{', '.join(names[:-1])} and {names[-1]} are symbolic links: not changed"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
