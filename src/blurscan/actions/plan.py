"""Which files a ``move`` / ``trash`` / ``tag`` takes, with their sidecars, destinations and total size.
Planning reads the database and the file system and changes nothing; the dry run prints the plan.

Selection
---------
* Always: photos the person marked **discard** on the review page (for this version of the file).
* ``all_flagged``: also every photo the scan called ``blurry``.
* ``min_p_blurry``: also every photo whose ``p_blurry`` is at least that (:mod:`.scored`: a record without one, an
  error's or a ``--model none`` scan's, never).
* ``from_bursts``: also the non-keeper shots of burst groups still the file ranked (:mod:`blurscan.bursts.identity`),
  when the keeper is in place, that file, not marked discard (one discarded since gives way: :mod:`~.bursts.standing`).
* Never: a photo the person marked **keep** (there is deliberately no option to include kept photos), in this
  database or in another library database in a folder above the photo (that of an earlier scan of a sub-folder,
  ``lib/2024/.blurscan.db``, whose decisions stay in it when ``lib`` is scanned; the library's own when ``--db``
  names another file). A photo below a database that cannot be read is skipped. A keep made on an earlier version of
  the file (edited, or replaced, since) still leaves a photo the selection would take, but listed, with the reason:
  the person kept another picture (:data:`.keeps.OWN_EARLIER_VERSION`). A keep made in this database after the plan
  was made (the review page, while the batch runs) is found when the photo is reached (:mod:`.fresh_decisions`).

A photo is skipped, with the reason, when its file is missing, is not a regular file, or changed since it was
scanned or reviewed (size or modification time differ: the person judged another version), or holds other bytes of
that size and time (names swapped by hand, :mod:`.other_bytes`), or when its destination (or a sidecar's) exists or
a file stands where a folder of its destination must be made (:mod:`.destinations`), or the trash's folder cannot be
made (:mod:`.trash`), or when it cannot be taken out of its folder (:mod:`.sources`: a read-only file system, a
folder this user may not write; run as root, one with no write bit for anyone, :mod:`blurscan.permissions`), or when
it lies outside the library (:mod:`.outside`). A discarded photo deleted by hand and forgotten by a scan is not listed.

Sidecars
--------
Files beside the photo that belong to it move with it: ``IMG_1.JPG.xmp`` (darktable, digiKam), ``IMG_1.xmp``
(Lightroom), ``IMG_1.AAE`` (Apple Photos), a RAW twin (``IMG_1.CR2``) and its ``IMG_1.CR2.xmp``, the sidecars of
darktable's duplicates of each (``IMG_1_01.JPG.xmp``, :mod:`.darktable_copies`), a Live Photo's video
(``IMG_1.MOV``), the Google Takeout JSON of each (:mod:`.takeout`), and Capture One's
``CaptureOne/Settings<N>/IMG_1.CR2.cos`` and ``.comask`` (:mod:`.captureone`); names in any case. Files shared by stem
(``IMG_1.xmp``, ``IMG_1.AAE``, the RAW twin, the Live Photo video) stay when another image with that stem stays in
the folder (``IMG_1.HEIC`` beside ``IMG_1.JPG``; :mod:`.shared_names`, tag's rule too). The rule's code:
:mod:`.photo_group`.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from ..errors import UsageError, printable_path
from ..filetime import mtime_of
from ..library_root import library_root, root_folders
from ..path_walk import reach
from ..store import path_from_db
from ..walk import canonical
from . import sources, trash, unreadable
from .destinations import blocked, device_of, existing_ancestor, in_the_way
from .keeps import kept_in_other_databases
from .listing import Listing
from .one_name import one_name_per_file
from .other_bytes import drop_other_files
from .outside import drop_outside
from .photo_group import changed, files_of
from .root_layout import by_root_names
from .raw_keeps import raw_twin_skips
from .unmounted_skips import said_unmounted



@dataclass(frozen=True)
class FileOp:
    """One file to move. ``role``: ``"photo"``, ``"sidecar"``, ``"raw"`` or ``"live video"``."""
    src: str
    dst: str | None
    size: int
    mtime_ns: int
    role: str


@dataclass(frozen=True)
class PhotoOp:
    """A photo and the files that move with it (the photo first)."""

    photo: str
    reason: str  # discard | blurry | p_blurry | burst
    files: tuple[FileOp, ...]
    duplicate_of: str | None = None  # the burst shot this photo is a byte-identical copy of
    why: str | None = None  # what the dry run shows, when not ``reason``: ``p_blurry 0.62 >= 0.4``

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


@dataclass(frozen=True)
class Skip:
    """A selected photo left where it is, and why. ``refusal``: when it is a folder that refuses (the photo's own,
    :mod:`.sources`, or the trash's), that folder and why (``/media/card/DCIM is on a read-only file system``),
    for the one line that says why none can be taken; ``folder``: the photo's folder that refuses (None for the
    trash's)."""

    path: str
    reason: str
    refusal: str | None = None
    folder: str | None = None  # the folder that refuses (counted once however many of its files are named)


@dataclass
class Plan:
    """What a move or trash would do. Produced by :func:`plan_move` / :func:`plan_trash`; run by
    :func:`blurscan.actions.execute`.

    Attributes
    ----------
    kind : {"move", "trash"}
    destination : str or None
        The destination folder of a move.
    root : str or None
        The folder whose relative paths are kept under ``destination`` (move only; None for a database without a
        library folder, whose photos go under a folder named for the scanned folder holding each: :mod:`.root_layout`).
    photos : list of PhotoOp
    skipped : list of Skip
    cross_device : bool
        Some files are on another device than the destination (they are copied and verified).
    dest_free : int or None
        Free bytes at the destination (move only).
    """

    kind: str
    destination: str | None
    root: str | None
    photos: list[PhotoOp] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    cross_device: bool = False
    dest_free: int | None = None

    @property
    def files(self) -> list[FileOp]:
        return [f for p in self.photos for f in p.files]

    @property
    def total_bytes(self) -> int:
        return sum(p.size for p in self.photos)

    @property
    def copy_bytes(self) -> int:
        """Bytes that must be copied (files on another device than the destination)."""
        if self.kind != "move" or not self.cross_device:
            return 0
        dev = device_of(self.destination)
        return sum(f.size for f in self.files if device_of(f.src) != dev)


@dataclass(frozen=True)
class Candidate:
    path: str
    reason: str
    size: int | None      # identity the selection was made on
    mtime_ns: int | None
    duplicate_of: str | None = None  # the burst shot this photo is a byte-identical copy of (``bursts``)
    why: str | None = None  # what the dry run shows, when not ``reason`` (:mod:`.scored`)


def within(path: str, folder: str | None) -> bool:
    """Whether ``path`` is ``folder`` or below it (always, when ``folder`` is None)."""
    return folder is None or path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def select(store, *, all_flagged: bool = False, from_bursts: bool = False, under: str | None = None,
           min_p_blurry: float | None = None) -> tuple[list[Candidate], list[Skip]]:
    """The photos a move / trash / tag takes (see the module docstring), in path order; with ``under`` (an
    absolute folder) only those at or below it. A burst's keeper outside ``under`` still counts as its keeper.
    ``min_p_blurry`` outside [0, 1] is a :class:`~blurscan.errors.UsageError`."""
    from . import scored

    min_p_blurry = scored.check(min_p_blurry)
    conn = store.conn
    from .afterwards import moved_paths

    kept: set[str] = set()
    earlier: dict[str, Candidate] = {}  # kept on an earlier version of the file: left, but listed once selected
    for path, d_size, d_mtime, i_size, i_mtime, has_image in conn.execute(
            "SELECT d.path, d.size, d.mtime_ns, i.size, i.mtime_ns, i.path IS NOT NULL FROM decisions d "
            "LEFT JOIN images i ON i.path = d.path WHERE d.decision = 'keep'"):
        kept.add(path := path_from_db(path))
        if has_image and (d_size, d_mtime) != (i_size, i_mtime):  # edited, or replaced (its identity cleared)
            earlier[path] = Candidate(path, "", i_size, i_mtime)
    chosen: dict[str, Candidate] = {}
    skipped: list[Skip] = []
    gone = moved_paths(store)  # moved or trashed by an earlier batch: not selected again
    left = set()  # of ``earlier``, those the selection would take
    for path, d_size, d_mtime, i_size, i_mtime, has_image in conn.execute(
            "SELECT d.path, d.size, d.mtime_ns, i.size, i.mtime_ns, i.path IS NOT NULL FROM decisions d "
            "LEFT JOIN images i ON i.path = d.path WHERE d.decision = 'discard'"):
        path = path_from_db(path)
        if not has_image and path not in gone and not os.path.lexists(path):
            # deleted by hand, and a scan since has forgotten its record: the discard is done, not news. (It
            # was listed as "missing" on every move, trash and tag ever after.)
            continue
        if has_image and (d_size, d_mtime) != (i_size, i_mtime):
            skipped.append(Skip(path, "changed since it was reviewed (the file was re-scanned as another version); "
                                      "review it again"))
            continue
        chosen[path] = Candidate(path, "discard", d_size, d_mtime)
    if all_flagged:
        for path, size, mtime in conn.execute(
                "SELECT path, size, mtime_ns FROM images WHERE status = 'ok' AND verdict = 'blurry'"):
            path = path_from_db(path)
            if path in earlier:
                left.add(path)
            elif path not in kept and path not in chosen:
                chosen[path] = Candidate(path, "blurry", size, mtime)
    for path, size, mtime, why in () if min_p_blurry is None else scored.above(conn, min_p_blurry):
        if path in earlier:  # (as --all-blurry: kept on an earlier version, left and listed)
            left.add(path)
        elif path not in kept and path not in chosen:
            chosen[path] = Candidate(path, scored.REASON, size, mtime, why=why)
    for path in gone.intersection(chosen):
        del chosen[path]
    skipped = [s for s in skipped if s.path not in gone]
    if from_bursts:
        from ..bursts.identity import DISCARDED_KEEPER, NO_KEEPER, REPLACED_REASON, duplicate_of, replaced_shots
        from ..bursts.standing import stored_groups

        replaced = replaced_shots(conn)  # another photo under a shot's name since: not the shot ranked
        for members in stored_groups(store):  # (a keeper discarded since the ranking: the next shot not discarded)
            keepers = [m[0] for m in members if m[1]]
            keeper_ok = any(os.path.lexists(k) and k not in replaced
                            and chosen.get(k, Candidate(k, "", 0, 0)).reason != "discard" for k in keepers)
            for path, is_keeper, size, mtime, figures in members:
                if not is_keeper and path in earlier:
                    left.add(path)
                if is_keeper or path in kept or path in chosen or path in gone:
                    continue
                if path in replaced:
                    skipped.append(Skip(path, REPLACED_REASON))
                elif not keeper_ok:  # (its every shot marked discard but copies: none to propose, 2026-12-06)
                    skipped.append(Skip(path, DISCARDED_KEEPER if any(chosen.get(k) and chosen[k].reason == "discard"
                                                                      for k in keepers) else NO_KEEPER))
                else:
                    origin = duplicate_of(figures)  # said only while that file is there to stand for this one
                    in_place = origin is not None and origin not in gone and origin not in replaced \
                        and os.path.lexists(origin)
                    chosen[path] = Candidate(path, "burst", size, mtime, origin if in_place else None)
    # a keep made here on an earlier version of the file (edited or replaced since) leaves the photo, as one made
    # in another database does, and says so: the person kept another picture
    left = {path: earlier[path] for path in sorted(left - gone)}
    drop_outside(store, chosen, skipped, left)  # (rows naming files outside the library: never taken)
    for path, reason in kept_in_other_databases(store, chosen, left).items():
        chosen.pop(path, None)
        skipped.append(Skip(path, reason))
    looked: dict = {}  # path -> its lstat, taken by the check of names swapped and used for each file's names
    chosen = one_name_per_file(drop_other_files(conn, chosen, skipped, under, looked), kept, skipped, looked)
    for path, reason in raw_twin_skips(conn, chosen, kept).items():  # (drops a twin going with its photo)
        chosen.pop(path)
        skipped.append(Skip(path, reason))
    return ([chosen[p] for p in sorted(chosen) if within(p, under)],  # (a stale discard taken as blurry: not left)
            [s for s in {s.path: s for s in skipped}.values()  # each photo once, its last reason (a keep's)
             if within(s.path, under) and s.path not in chosen])


def plan_move(store, destination: str | os.PathLike, *, all_flagged: bool = False, from_bursts: bool = False,
              root: str | os.PathLike | None = None, under: str | None = None,
              min_p_blurry: float | None = None) -> Plan:
    """Plan moving the selected photos (and their sidecars) to ``destination``, keeping relative paths.

    Parameters
    ----------
    store : blurscan.store.Store
    destination : path
        Folder to move to (created when needed).
    all_flagged, from_bursts : bool
        Widen the selection (see the module docstring).
    min_p_blurry : float, optional
        Also take the photos whose ``p_blurry`` is at least this (0..1; :mod:`.scored`).
    under : str, optional
        Take only photos at or below this absolute folder (see :func:`select`).
    root : path, optional
        Relative paths are taken from here. Default: the library folder (:mod:`blurscan.library_root`) when
        every photo is under it; for a database without one (folders that share no folder but ``/``), each
        photo's path below the scanned folder holding it, under that folder's name (:mod:`.root_layout`); else the
        photos' common folder.

    Returns
    -------
    Plan
    """
    # canonical, as the library's paths are: a --to given through a link into the library (~/rejects ->
    # ~/Pictures/rejects) is recognised as inside it, and the photos moved there before are not moved again
    given = os.path.expanduser(os.fspath(destination))
    # a link on the way whose target is not there (`--to rej/2024`, rej -> /media/usb/rej, the drive not mounted):
    # canonical resolves it, and until 2026-12-07 the move made the drive's folders on the system disk, the photos
    # hidden under the drive once mounted (`--to rej` itself was refused). A `..` is read as the system reads it,
    # name by name (path_walk.reach: `rej/../x` goes nowhere, as `mkdir -p` says; `good/../x` is beside good's
    # target): until 2026-12-07 `--to rej/../x --yes` moved the photos to /media/usb/x, made on the system disk, and
    # `--to lib/new/..` promised a move into the library's own folder, each photo then failing
    named = os.path.abspath(given) if os.pardir not in given.split(os.sep) else os.path.join(os.getcwd(), given)
    reached = reach(named)
    if reached.why:
        raise UsageError(f"{printable_path(named)}: cannot be made: {reached.why}")
    destination = canonical(reached.path)
    if os.path.exists(destination) and not os.path.isdir(destination):
        raise UsageError(f"{printable_path(destination)}: destination is not a folder")
    unmade = in_the_way(destination)  # a file above it (notadir/rejects): none of the move's folders can be made
    if unmade:
        raise UsageError(f"{printable_path(destination)}: {unmade}")
    candidates, skipped = select(store, all_flagged=all_flagged, from_bursts=from_bursts, under=under,
                                 min_p_blurry=min_p_blurry)
    root, relative = _layout(store, candidates, root)
    plan = Plan("move", destination, root, skipped=skipped)
    claimed: set[str] = set()
    listing = Listing()
    folders: dict[str, str | None] = {}  # destination folder -> why it cannot be made (None: it can)
    # a destination inside the library (not the library itself: that is refused below): photos already in it
    # were moved there before and found by a later scan
    nested = destination.rstrip(os.sep) + os.sep
    tops = [root] if root is not None else root_folders(store)  # (None: laid out by scanned folder, root_layout)
    nested = nested if not any((top.rstrip(os.sep) + os.sep).startswith(nested) for top in tops) else None
    for cand in candidates:
        if nested and cand.path.startswith(nested):
            plan.skipped.append(Skip(cand.path, f"already in {printable_path(destination)}"))
            continue
        group = files_of(cand, listing, claimed, plan.skipped, writes=True)
        if group is None:
            continue
        files = []
        for src, st, role in group:
            rel = relative(src)
            if rel is None:
                plan.skipped.append(Skip(cand.path, f"not under {printable_path(root)}" if root is not None else
                                         "under no folder scanned into this database"))
                files = None
                break
            dst = os.path.join(destination, rel)
            if os.path.normcase(dst) == os.path.normcase(src):
                raise UsageError(f"{printable_path(destination)}: destination is the photos' own folder")
            problem = blocked(dst, folders, store, src)  # a file there already (the same?), or in the way of a folder
            if problem:
                plan.skipped.append(Skip(cand.path, problem))
                files = None
                break
            files.append(FileOp(src, dst, st.st_size, mtime_of(st), role))
        if files is None:
            continue
        claimed.update(f.src for f in files)
        plan.photos.append(PhotoOp(cand.path, cand.reason, tuple(files), cand.duplicate_of, cand.why))
    plan.cross_device = unreadable.leave(plan, Skip)  # (a file this user may not read cannot be copied across)
    said_unmounted(store, plan.skipped)  # (a drive not mounted: said so, not "missing")
    plan.dest_free = _free_at(existing_ancestor(destination))
    return plan


def _free_at(folder: str) -> int | None:
    """Free bytes for this user on the file system of ``folder``; None where that cannot be told: no answer, or a
    file system that reports no size at all (0 blocks: ``fusefat``, the FUSE FAT driver a camera card may be
    mounted with, some FUSE drives). Until 2026-12-07 such a card was "not enough free space (..., 0 bytes free)"
    and nothing could be moved to it; a drive that is really full still fails its copy, the photo left in place."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return None
    return st.f_bavail * st.f_frsize if st.f_blocks else None


def plan_trash(store, *, all_flagged: bool = False, from_bursts: bool = False, under: str | None = None,
               min_p_blurry: float | None = None) -> Plan:
    """Plan sending the selected photos (and their sidecars) to the desktop trash.

    The trash location of each file is chosen when it is trashed (see :mod:`.trash`).
    """
    if sys.platform in ("darwin", "win32"):
        raise UsageError("the trash is supported on freedesktop.org desktops (Linux, BSD) only so far; "
                         "use `blurscan move` instead")
    candidates, skipped = select(store, all_flagged=all_flagged, from_bursts=from_bursts, under=under,
                                 min_p_blurry=min_p_blurry)
    plan = Plan("trash", None, None, skipped=skipped)
    claimed: set[str] = set()
    listing = Listing()
    seen: dict = {}  # the trash folders looked at (:func:`.trash.unusable`)
    for cand in candidates:
        group = files_of(cand, listing, claimed, plan.skipped, writes=True)
        if group is None:
            continue
        why = trash.unusable(cand.path, seen)  # (a HOME that cannot be written: each photo failed in turn)
        unread = None if why else unreadable.in_home_trash(group, seen)  # (copied there from another drive)
        if why or unread:
            plan.skipped.append(Skip(cand.path, unread or f"{why}; left in place", why))
            continue
        files = tuple(FileOp(src, None, st.st_size, mtime_of(st), role) for src, st, role in group)
        claimed.update(f.src for f in files)
        plan.photos.append(PhotoOp(cand.path, cand.reason, files, cand.duplicate_of, cand.why))
    said_unmounted(store, plan.skipped)
    return plan


def plan_tag(store, *, all_flagged: bool = True, from_bursts: bool = False, under: str | None = None,
             min_p_blurry: float | None = None) -> tuple[list[Candidate], list[Skip]]:
    """Photos to tag: like a move's selection, but every file must be present and unchanged."""
    candidates, skipped = select(store, all_flagged=all_flagged, from_bursts=from_bursts, under=under,
                                 min_p_blurry=min_p_blurry)
    out, folders = [], {}  # (folders: each looked at once, sources.remembered_folder_refusal)
    for cand in candidates:
        reason = changed(cand)
        refused = None if reason else _read_only(cand.path, folders)
        if refused:  # (with the folder's refusal: `tag` says when it leaves every photo so, as `move` does)
            skipped.append(Skip(cand.path, *refused))
        elif reason:
            skipped.append(Skip(cand.path, reason))
        else:
            out.append(cand)
    said_unmounted(store, skipped)
    return out, skipped




# -- helpers ------------------------------------------------------------------------------------------------


def _read_only(path: str, folders: dict | None = None) -> tuple[str, str, str] | None:
    """Why tag leaves a photo as it is: the folder its sidecar is written to (renamed into place) refuses
    (:func:`.sources.folder_refusal`), as a :class:`Skip`'s reason, refusal and folder; None when it may be written.
    Until 2026-12-05 only root's no-write-bit case was: the dry run promised another user's folder (``would
    write``), and the real run failed there."""
    words = sources.remembered_folder_refusal(path, folders)
    if not words:
        return None
    folder = os.path.dirname(path)
    return sources.skip_reason(path, words), f"{printable_path(folder)} {words}", folder



def _layout(store, candidates: list[Candidate], root) -> tuple[str | None, object]:
    """The folder whose relative paths a move keeps under ``--to`` (None: none, each photo under a folder named for
    the scanned folder holding it, :mod:`.root_layout`), and the function of a file's path -> its path under
    ``--to`` (None: not under that folder)."""
    root = _root(store, candidates, root)
    if root is None:
        return None, by_root_names(root_folders(store))

    def relative(path: str) -> str | None:
        rel = os.path.relpath(path, root)
        return None if rel.startswith(os.pardir + os.sep) or rel == os.pardir else rel
    return root, relative


def _root(store, candidates: list[Candidate], root) -> str | None:
    if root is not None:
        return os.path.abspath(os.fspath(root))
    paths = [c.path for c in candidates]
    if store.path != ":memory:":
        library = library_root(store)  # (a database kept elsewhere: its photos' folder, not the database's)
        if library is not None and all(p.startswith(library.rstrip(os.sep) + os.sep) for p in paths):
            return library
        if library is None and root_folders(store):  # folders that share no folder but `/`: laid out by name
            return None
    if not paths:
        return os.getcwd()
    return os.path.commonpath([os.path.dirname(p) for p in paths])
