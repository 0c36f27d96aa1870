"""Which files of a folder make a RAW + JPEG pair: the camera RAW beside an image with its stem (in any case and
Unicode form; a Pixel's ``X.RAW-01.COVER.jpg`` and ``X.RAW-02.ORIGINAL.dng``, :mod:`blurscan.pair_names`), from
one sorted listing of the folder. The walk pairs the files it finds with these; decode, ``move`` and ``tag`` ask
:func:`raw_twin` of one image.

These were :mod:`blurscan.walk`'s (which still gives :func:`raw_twin`); a module of their own since the walk
neared 500 lines."""
from __future__ import annotations

import os
from collections.abc import Iterable

from .config import IMAGE_SUFFIXES, RAW_SUFFIXES
from .pair_names import pair_key


def raw_twin(path: str | os.PathLike, names: Iterable[str] | None = None) -> str | None:
    """The camera RAW file that makes a RAW + JPEG pair with the image ``path`` (same stem, same folder), or None.

    A Google Pixel's ``X.RAW-02.ORIGINAL.dng`` is the twin of its ``X.RAW-01.COVER.jpg``
    (:func:`blurscan.pair_names.pair_key`). One listing of the folder, or none when ``names`` gives its names (all,
    or those of the image's :func:`blurscan.pair_names.twin_stems`, in any case and Unicode form: a listing a
    caller keeps, :class:`blurscan.actions.listing.Listing`); None too for a file without an image suffix (a RAW
    itself has no twin).
    """
    folder, name = os.path.split(os.path.abspath(os.fsdecode(path)))
    stem, suffix = os.path.splitext(name)
    if suffix.lower() not in IMAGE_SUFFIXES:
        return None
    if names is None:
        return raw_twins(sorted_listing(folder), RAW_SUFFIXES).get(pair_key(stem))
    for e in sorted(names):  # the first by name, as from a listing
        e_stem, e_suffix = os.path.splitext(e)
        if pair_key(e_stem) == pair_key(stem) and e_suffix.lower() in RAW_SUFFIXES \
                and os.path.isfile(os.path.join(folder, e)):
            return os.path.join(folder, e)
    return None


def sorted_listing(folder: str) -> list[os.DirEntry]:
    """The entries of ``folder`` in name order; none when it cannot be listed."""
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: e.name)
    except OSError:  # an unlistable folder: the named image is judged alone
        return []


def raw_twins(entries: list[os.DirEntry], raw_suffixes: frozenset[str], split=None) -> dict[str, str]:
    """Stem (:func:`blurscan.pair_names.pair_key`: in any case and Unicode form) -> path of the RAW file with
    that stem (the first by name), among ``entries`` (``split``: their names' ``os.path.splitext``, when the
    caller has them)."""
    return {stem: found[0].path for stem, found in by_stem(entries, raw_suffixes, split).items()}


def by_stem(entries: list[os.DirEntry], suffixes: frozenset[str], split=None) -> dict[str, list[os.DirEntry]]:
    """Stem (:func:`blurscan.pair_names.pair_key`) -> the files with one of ``suffixes`` and that stem (in name
    order), among ``entries`` (``split``: their names' ``os.path.splitext``, when the caller has them)."""
    out: dict[str, list[os.DirEntry]] = {}
    for entry, (stem, suffix) in zip(entries, split or [os.path.splitext(e.name) for e in entries]):
        if suffix.lower() in suffixes:
            try:
                if not entry.is_file(follow_symlinks=True):
                    continue
            except OSError:
                continue
            out.setdefault(pair_key(stem), []).append(entry)
    return out
