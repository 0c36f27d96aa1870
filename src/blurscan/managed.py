"""Folders that belong to a photo application: its caches, and the libraries it manages itself.

``~/Pictures``, a whole drive or a backup holds folders that a photo application owns. Until 2026-12-06 a scan
took their pictures as the library's photos: an Apple Photos library's thumbnails and renders
(``resources/derivatives/``), Lightroom Classic's smart previews (small DNG files), a Nextcloud server's
previews, each flagged blurry at 256 px, and ``move --all-blurry`` / ``trash`` took them, with the originals of
the Photos library, out of it (which breaks the library: Photos keeps its files' names in its own database).

* **Caches** (:func:`is_cache`) are passed over always, met or named (as the review page's
  ``.blurscan-thumbs`` is, ``--include-hidden`` too): Lightroom Classic's ``X Previews.lrdata``,
  ``X Smart Previews.lrdata``, ``X Helper.lrdata``, ``X Sync.lrdata`` folders, and a Nextcloud / ownCloud data
  folder's ``appdata_oc...`` (its previews). (Nextcloud's ``files_versions`` and ``files_trashbin`` are system
  folders, :data:`blurscan.config.SKIPPED_DIRS`.)
* **Managed libraries** (:data:`PACKAGES`, :func:`library_of`): a folder a walk meets that is one (an Apple
  Photos ``X.photoslibrary``, an iPhoto ``X.photolibrary``, an Aperture ``X.aplibrary``, a Capture One
  ``X.cocatalog``, a Lightroom ``X.lrlibrary``) is passed over, and its path is recorded for the scan's note.
  Named itself (``blurscan scan "Photos Library.photoslibrary"``), it is walked, but only its originals
  (:data:`ORIGINALS`: ``originals``, ``Masters``, ``Originals``); its thumbnails, previews, renders and database
  are passed over. ``move``, ``trash`` and ``tag`` never take a photo inside one (:func:`managed_reason`): delete
  it in the application.
"""
from __future__ import annotations

import os
import re

#: A managed library's suffix (lower case) -> what it is, and the application that manages it.
PACKAGES = {
    ".photoslibrary": ("an Apple Photos library", "Photos"),
    ".photolibrary": ("an iPhoto library", "iPhoto or Photos"),
    ".aplibrary": ("an Aperture library", "Aperture or Photos"),
    ".cocatalog": ("a Capture One catalog", "Capture One"),
    ".lrlibrary": ("a Lightroom library", "Lightroom"),
}
#: The folders at the top of a managed library that hold its originals (the others are derived or its database).
ORIGINALS = frozenset({"originals", "Originals", "Masters"})
_NEXTCLOUD_APPDATA = re.compile(r"appdata_oc[a-z0-9]{10}\Z")  # (Nextcloud's instance id: "oc" and 10 of these)
#: What a path holding a cache or a managed library holds, lower case (a path holding none is in neither: one test
#: of the whole path, not one of each of its folders' names; move planning asks it of every candidate, a scan of
#: every path of a --files-from list)
_MARKERS = re.compile("|".join(re.escape(marker) for marker in (*PACKAGES, ".lrdata", "appdata_oc")))


def _may_hold(path: str) -> bool:
    """Whether ``path`` may lie in a cache or a managed library (False: it does not)."""
    return _MARKERS.search(path.lower()) is not None


def is_cache(name: str) -> bool:
    """Whether a folder named ``name`` is a photo application's cache (see the module docstring)."""
    return name.lower().endswith(".lrdata") or bool(_NEXTCLOUD_APPDATA.match(name))


def package(name: str) -> tuple[str, str] | None:
    """``(what it is, the application)`` when a folder named ``name`` is a managed library, else None."""
    return PACKAGES.get(os.path.splitext(name)[1].lower())


def passed_over_in_walk(folder: str, name: str, passed_over: dict | None) -> bool:
    """Whether the walk passes over the sub-folder ``name`` of ``folder``: a cache, a managed library (recorded
    in ``passed_over`` as its path -> 1, a key no suffix can be), or a folder of a managed library, ``folder``,
    that holds none of its originals."""
    if is_cache(name):
        return True
    if package(name) is not None:
        if passed_over is not None:
            passed_over[os.path.join(folder, name)] = 1
        return True
    return name not in ORIGINALS and package(os.path.basename(folder)) is not None


def passed_over_when_named(path: str, is_folder: bool = False) -> bool:
    """Whether the file (or with ``is_folder`` the folder) ``path`` (absolute), named explicitly (``DIR/*``, a
    ``find`` list), is passed over as a walk of the folders above it would: it lies in a cache, or in a managed
    library but not in its originals (a library's originals are taken when named, and the library itself)."""
    if not _may_hold(path):
        return False
    parts = (path if is_folder else os.path.dirname(path)).split(os.sep)
    for i, part in enumerate(parts):
        if is_cache(part):
            return True
        if package(part) is not None:
            return parts[i + 1] not in ORIGINALS if i + 1 < len(parts) else not is_folder
    return False


def library_of(path: str) -> str | None:
    """The managed library that ``path`` lies in (the outermost), or None."""
    if not _may_hold(path):
        return None
    parts = path.split(os.sep)
    for i, part in enumerate(parts[:-1]):
        if package(part) is not None or is_cache(part):
            return os.sep.join(parts[:i + 1])
    return None


def managed_reason(path: str) -> str | None:
    """Why ``move`` / ``trash`` / ``tag`` leave the photo ``path``: it lies in a managed library or a cache
    (None: it does not)."""
    library = library_of(path)
    if library is None:
        return None
    name = os.path.basename(library)
    if is_cache(name):
        return f"in {name}, a photo application's cache: not a photo of the library, never taken"
    what, app = package(name)
    return (f"in {what} ({name}), whose files {app} manages: blurscan takes none out of it nor writes in it "
            f"(a photo taken out breaks the library); delete it in {app}")


def walked_past_note(path: str) -> str:
    """The scan's note on the managed library ``path`` a walk passed over (for a person to read)."""
    what, app = package(os.path.basename(path))
    return (f"{what}, passed over: {app} manages its files (taking one out breaks the library); name it to "
            "score its originals (blurscan scan LIBRARY), then delete the blurry ones in " + app)


def named_note(path: str) -> str | None:
    """The scan's note on the folder ``path`` named explicitly, when it is a cache or a managed library."""
    name = os.path.basename(path)
    if is_cache(name):
        return "a photo application's cache (Lightroom's previews, a Nextcloud server's), passed over"
    if package(name) is None:
        return None
    what, app = package(name)
    return (f"{what}: its originals are scanned, not its thumbnails, previews or database; move, trash and tag "
            f"leave them ({app} manages its files): delete the blurry ones in {app}")


def originals_passed_over(paths, roots) -> set[str]:
    """Those of ``paths`` (the stored records a scan of ``roots``, absolute folders and files, is about to forget)
    that are originals of a managed library the scan's walk passed over, and still on disk: the scan did not look
    at them, so their records (of ``blurscan scan LIBRARY``, the note's advice, or of an older blurscan) stay.
    Until 2026-12-06 the next ``blurscan scan ~/Pictures`` forgot them without a word: the library's photos left
    report and the review page, and naming it again decoded each one afresh. A library itself named (or a folder
    in it) is walked: its records are pruned as any folder's. Its thumbnails and previews are forgotten."""
    kept, walked, folders = set(), {}, None  # walked: library -> whether it, or a folder of it, was (asked once)
    for path in paths:
        library = library_of(path)
        if library is None or is_cache(os.path.basename(library)) or passed_over_when_named(path):
            continue
        if library not in walked:
            if folders is None:
                folders = [root.rstrip(os.sep) + os.sep for root in roots]
            walked[library] = any(folder.startswith(library + os.sep) for folder in folders)
        if not walked[library] and os.path.lexists(path):
            kept.add(path)
    return kept
