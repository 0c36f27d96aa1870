"""The files that go with a photo when ``move`` / ``trash`` take it: its sidecars, RAW twin, Live Photo video,
darktable duplicates' sidecars, Google Takeout JSON and Capture One settings (the rule: :mod:`.plan`'s *Sidecars*),
each looked at once; and :func:`companions`, the same for the review page's space figures. Reads the file system,
changes nothing. Moved out of :mod:`.plan` on 2026-12-07 (at the 500-line limit), unchanged.
"""
from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING

from ..errors import os_reason
from ..filetime import mtime_of
from ..name_forms import name_key
from ..pair_names import twins_in
from . import sources
from .listing import Listing
from .regular_file import regular_lstat
from .shared_names import images_staying

if TYPE_CHECKING:
    from .plan import Candidate, Skip

#: Sidecar suffixes (lower case) attached by stem or by full name.
SIDECAR_SUFFIXES = (".xmp", ".aae")
#: The video half of an Apple Live Photo (``IMG_0030.HEIC`` + ``IMG_0030.MOV``), attached by stem: left behind,
#: it was an orphaned clip of a few MB, and the space freed under-counted. Since 2026-12-06 (left behind before):
#: ``.MP4``, Google Takeout's (or a Samsung motion photo's), and ``IMG_0030_HEVC.MOV``, icloudpd's name of a HEIC's.
LIVE_VIDEO_SUFFIXES = (".mov", ".mp4", "_hevc.mov")
#: The reason a selected photo not on disk is skipped with (one under a drive not mounted is said so instead:
#: :mod:`.unmounted_skips`).
MISSING = "missing (already moved or deleted)"


def companions(paths) -> dict[str, tuple[tuple[str, int, str], ...]]:
    """The files that would move with each photo, by the same rule as a plan (:mod:`.plan`'s
    *Sidecars*): photo path -> ``((path, size, role), ...)`` without the photo itself (``role`` is ``"raw"``,
    ``"sidecar"`` or ``"live video"``); ``()`` for a photo that is missing or not a regular file.

    The photos are taken as one selection in path order, as a plan takes them (a file shared by stem goes with
    the last of its photos). One listing per folder; nothing is changed. The review page's space figures use
    it, so that they count what ``move`` frees.
    """
    from .plan import Candidate

    listing, claimed, out = Listing(), set(), {}
    for path in sorted(set(paths)):
        group = files_of(Candidate(path, "", None, None), listing, claimed, [])
        if group is None:
            out[path] = ()
            continue
        claimed.update(p for p, _st, _role in group)
        out[path] = tuple((p, st.st_size, role) for p, st, role in group[1:])
    return out


def changed(cand: Candidate, looked: list | None = None) -> str | None:
    try:  # (``looked``: given, the photo's lstat is put in it, for the plan's FileOp: one look a photo)
        st = os.lstat(cand.path)
    except FileNotFoundError:
        return MISSING
    except OSError as exc:
        return f"cannot read: {os_reason(exc)}"
    if looked is not None:
        looked.append(st)
    if stat.S_ISLNK(st.st_mode):
        return "a symbolic link: only regular files are taken (the link and the file it points to stay)"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    if cand.size is not None and (st.st_size, mtime_of(st)) != (cand.size, cand.mtime_ns):
        return "changed since it was scanned or reviewed (size or time differ); scan and review it again"
    return None


def files_of(cand: Candidate, listing: Listing, claimed: set[str], skipped: list[Skip], *, writes: bool = False):
    """[(path, stat, role)] for a photo and its sidecars, or None (reason appended to ``skipped``). ``writes``:
    for a move or trash, which take each of them out of its folder (:func:`.sources.first_refusal`)."""
    from .plan import Skip

    reason = changed(cand, looked := [])
    if reason:
        skipped.append(Skip(cand.path, reason))
        return None
    out = [(cand.path, looked[0], "photo")]
    folder, name = os.path.split(cand.path)
    stem = name_key(os.path.splitext(name)[0])
    entries = listing.by_stem(folder)
    by_stem_others = [e for e in entries.get(stem, ()) if e != name]
    # another image with this stem staying in the folder keeps the shared files (IMG_1.xmp, RAW twin ...)
    shared_ok = not images_staying(folder, name, by_stem_others, claimed)
    raws = twins_in(name, entries) if shared_ok else []  # (IMG_1.CR2; a Pixel's X.RAW-02.ORIGINAL.dng)
    wanted: list[tuple[str, str]] = []
    # only names with one of these stems can belong to the photo (IMG_1.*, IMG_1.JPG.*, IMG_1.CR2.*): looking
    # at those alone keeps a plan linear in the folder's size, not quadratic (a folder of 1000s of photos)
    raw_keys = {k for r in raws for k in (name_key(r), name_key(os.path.splitext(r)[0]))}  # (a Pixel's: own stem)
    near = {e for key in {stem, stem + "_hevc", name_key(name), *raw_keys} for e in entries.get(key, ())}
    same_stem = set(entries.get(stem, ()))
    for e in sorted(near):
        low = name_key(e)
        if low in {name_key(name) + s for s in SIDECAR_SUFFIXES}:
            base = os.path.splitext(e)[0]
            if base == name or base not in same_stem:  # (IMG_1.jpg.xmp is IMG_1.jpg's, beside IMG_1.JPG)
                wanted.append((e, "sidecar"))
        elif shared_ok and low in {stem + s for s in SIDECAR_SUFFIXES}:
            wanted.append((e, "sidecar"))
        elif shared_ok and low in {stem + s for s in LIVE_VIDEO_SUFFIXES}:
            wanted.append((e, "live video"))
        elif e in raws:
            wanted.append((e, "raw"))
        elif any(low == k + s for k in raw_keys for s in SIDECAR_SUFFIXES):  # IMG_1.CR2.xmp, X.RAW-02.ORIGINAL.xmp
            wanted.append((e, "sidecar"))
    wanted += [(e, "sidecar") for owner in [name, *raws] for e in listing.copies.of(folder, owner)]
    for e, role in wanted:
        path = os.path.join(folder, e)
        if path in claimed or path == cand.path:
            continue
        st = regular_lstat(path)
        if st is not None:
            out.append((path, st, role))
    out += listing.takeout.jsons(out, claimed)
    out += listing.captureone.files(out, claimed, entries)  # CaptureOne/Settings<N>/NAME.cos, .comask (:mod:`.captureone`)
    refused = sources.group_refusal((p for p, _st, _role in out), listing.refusals) if writes else None
    if refused:  # the whole group stays: a photo taken without its sidecar (a sticky folder's, root's) lost it
        skipped.append(Skip(cand.path, *refused))  # (an immutable file, chattr +i, too: root may not move it)
        return None
    return out
