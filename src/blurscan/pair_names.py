"""Which file names make a RAW + JPEG pair: the stem under which a photo and its camera RAW twin meet.

A camera that saves both names them alike, ``IMG_1.JPG`` beside ``IMG_1.CR2``: the stem is the pair's key
(in any case and Unicode form, :func:`blurscan.name_forms.name_key`). A Google Pixel with RAW on names the two
apart: ``PXL_20261201_101010123.RAW-01.COVER.jpg`` (``.RAW-01.MP.COVER.jpg`` with a motion photo in it) beside
``PXL_20261201_101010123.RAW-02.ORIGINAL.dng``. Those are one pair too: the DNG is the JPEG's RAW twin, judged
with it, moved, trashed and undone with it (until 2026-12-06 the DNG was a photo of its own: judged apart, and
``move --all-blurry`` could take the JPEG and leave the DNG). :func:`pair_key` is the key both get, and
:func:`twin_stems` the stems a photo's RAW twin may bear, for a listing kept by stem
(:meth:`blurscan.actions.listing.Listing.by_stem`).
"""
from __future__ import annotations

import os
import re

from .name_forms import name_key

#: A Pixel's RAW capture (the stem, after :func:`~blurscan.name_forms.name_key`) and its JPEG's.
_PIXEL_RAW = re.compile(r"(.+\.raw-0)2\.original\Z", re.DOTALL)
_PIXEL_COVER = re.compile(r"(.+\.raw-01)(?:\.mp)?\.cover\Z", re.DOTALL)


def pair_key(stem: str) -> str:
    """The key under which the image of stem ``stem`` and its RAW twin meet: :func:`name_key` of the stem, but
    a Pixel's ``X.RAW-02.ORIGINAL`` and ``X.RAW-01.MP.COVER`` both ``x.raw-01.cover`` (its JPEG's stem)."""
    key = name_key(stem)
    if ".raw-0" not in key:  # (most names: no pattern tried)
        return key
    found = _PIXEL_RAW.match(key)
    if found is not None:
        return found.group(1) + "1.cover"
    found = _PIXEL_COVER.match(key)
    return key if found is None else found.group(1) + ".cover"


def twin_stems(stem: str) -> tuple[str, ...]:
    """The :func:`name_key` of each stem the RAW twin of an image of stem ``stem`` may bear: its own, and for a
    Pixel's ``X.RAW-01.COVER`` (or ``.MP.COVER``) ``x.raw-02.original`` too."""
    key = name_key(stem)
    found = _PIXEL_COVER.match(key) if ".raw-0" in key else None
    return (key,) if found is None else (key, found.group(1)[:-1] + "2.original")


def twins_in(name: str, by_stem: dict[str, list[str]]) -> list[str]:
    """The names of the RAW files (:data:`~blurscan.config.RAW_SUFFIXES`) among a folder's that are the twin of
    its image ``name`` (``by_stem``: the folder's names by :func:`name_key` of their stem), in their order."""
    from .config import RAW_SUFFIXES

    stem = os.path.splitext(name)[0]
    key = pair_key(stem)
    out = []
    for e in (e for k in twin_stems(stem) for e in by_stem.get(k, ())):
        e_stem, suffix = os.path.splitext(e)
        if e != name and suffix.casefold() in RAW_SUFFIXES and pair_key(e_stem) == key:
            out.append(e)
    return out


def raw_twins_among(paths) -> dict[str, str]:
    """Those of ``paths`` that are the RAW twin of another of them (a RAW suffix, the same folder, an image's
    :func:`pair_key`: ``IMG_1.CR2`` beside ``IMG_1.JPG``, a Pixel's ``X.RAW-02.ORIGINAL.dng`` beside
    ``X.RAW-01.COVER.jpg``): path -> that image's path. A scan stores one record for such a pair, under the
    image's name; a database an older blurscan wrote holds the RAW's own record too (a Pixel's DNG was a photo of
    its own until 2026-12-07), which ``report`` and the review page leave out until a scan forgets it."""
    from .config import IMAGE_SUFFIXES, RAW_SUFFIXES

    # Two passes: the RAW files first, then the images of their folders only. ``report`` hands every listed
    # path of a library (blurscan.listing.survey): keying each image by folder and pair key held some 240 bytes
    # a photo (24 MiB of `report`'s peak at 100,000 photos, 2026-12-07), where a library without RAW files needs
    # nothing, and one with them only its RAW files' folders.
    paths = paths if isinstance(paths, (list, tuple)) else list(paths)
    raws: list[tuple[str, str, str]] = []
    for path in paths:
        if os.path.splitext(path)[1].casefold() in RAW_SUFFIXES:
            folder, name = os.path.split(path)
            raws.append((path, folder, os.path.splitext(name)[0]))
    if not raws:
        return {}
    raw_folders = {folder for _, folder, _ in raws}
    images: dict[tuple[str, str], str] = {}
    for path in paths:
        folder, name = os.path.split(path)
        stem, suffix = os.path.splitext(name)
        if folder in raw_folders and suffix.casefold() in IMAGE_SUFFIXES:
            images.setdefault((folder, pair_key(stem)), path)
    return {path: images[key] for path, folder, stem in raws if (key := (folder, pair_key(stem))) in images}
