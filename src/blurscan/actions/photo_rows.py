"""The rows of a move or trash batch grouped by photo, as :mod:`.undo` puts them back: each photo's row, then
those of the files that moved with it, told by their names (the journal has no column for it). Moved out of
:mod:`.journal` on 2026-12-07 (at the 500-line limit), unchanged.
"""
from __future__ import annotations

import os

from ..config import IMAGE_SUFFIXES, RAW_SUFFIXES
from ..name_forms import name_key
from ..pair_names import pair_key, twin_stems
from . import captureone, darktable_copies
from .journal import JournalRow


def by_photo(rows: list[JournalRow]) -> list[list[JournalRow]]:
    """The rows of a move or trash batch (in their order) grouped by photo: each group the photo's row, then those
    of the files that moved with it (sidecars, RAW twin, Live Photo video, Takeout JSON: :mod:`.plan` journals a
    photo's files together, the photo first).

    The journal has no column for it, so the names tell: a file with an image suffix
    (:data:`~blurscan.config.IMAGE_SUFFIXES`) is a photo; a RAW (:data:`~blurscan.config.RAW_SUFFIXES`) is the
    RAW twin of the photo before it when that one is an image of its stem in its folder (``IMG_1.CR2`` after
    ``IMG_1.JPG``), else a photo (a RAW alone); any other file (``IMG_1.JPG.xmp``, ``IMG_1.AAE``, ``IMG_1.MOV``,
    ``IMG_1.JPG.json``) is the previous photo's when it is in the same folder and bears that photo's stem and a
    dot (or is its Live Photo video ``IMG_1_HEVC.MOV``), or is a ``.json``, or is the sidecar of a darktable
    duplicate of a file of that stem (``IMG_1_01.JPG.xmp``, :mod:`.darktable_copies`), or bears the stem of a
    Pixel's RAW twin (``X.RAW-02.ORIGINAL.dng.xmp`` after ``X.RAW-01.COVER.jpg``), or is the Capture One
    settings file of the photo or its RAW twin (``CaptureOne/Settings153/IMG_1.CR2.cos``, ``.comask``). A row that
    follows no such photo is undone on its own: until 2026-12-07 those settings and sidecars were, and came back alone beside
    whatever had taken the place of a photo that could not be put back.

    Until 2026-12-04 a row with a record in the store counted as a photo: after ``scan DIR/*`` (which records an
    error for every file named), a photo's sidecars, JSON and video came back beside the other photo that had
    taken its name; and in a batch of photos moved without records, ``IMG_1.JPG`` after ``IMG_1.JPEG`` was held
    back with it as its sidecar."""
    groups: list[list[JournalRow]] = []
    for row in rows:
        if groups and _companion_of(groups[-1][0], row):
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def _companion_of(photo: JournalRow, row: JournalRow) -> bool:
    folder, name = os.path.split(row.src)
    photo_folder, photo_name = os.path.split(photo.src)
    photo_stem, photo_suffix = os.path.splitext(name_key(photo_name))
    stem, suffix = os.path.splitext(name_key(name))
    if suffix in IMAGE_SUFFIXES:
        return False
    if folder != photo_folder:  # (but its Capture One settings, CaptureOne/Settings<N>/NAME.cos: :mod:`.captureone`)
        return captureone.settings_of(row.src, photo.src)
    if suffix in RAW_SUFFIXES:  # a RAW twin follows the image of its stem; a RAW alone is a photo
        return photo_suffix in IMAGE_SUFFIXES and pair_key(stem) == pair_key(photo_stem)  # (a Pixel's too)
    if photo_suffix not in IMAGE_SUFFIXES | RAW_SUFFIXES:  # (the group of a file that follows no photo)
        return False
    owner = darktable_copies.photo_name(name)  # IMG_1_01.JPG.xmp, IMG_1_01.CR2.xmp: darktable's duplicates'
    stems = twin_stems(photo_stem) if photo_suffix in IMAGE_SUFFIXES else (photo_stem,)  # (a Pixel's DNG's too)
    return any(name_key(name).startswith(s + ".") for s in stems) or suffix == ".json" or \
        (owner is not None and name_key(os.path.splitext(owner)[0]) in stems) or \
        name_key(name) == photo_stem + "_hevc.mov"  # (icloud_photos_downloader's name of a Live Photo's video)
