"""Photos left because the person kept their RAW twin, and RAW twins selected on their own (:func:`.plan.select`).

A RAW file kept while it was alone in its folder, and a JPEG of the same name put beside it since (an export,
another camera's photo): the scan judges the two as one photo under the JPEG's name, and a move, trash or tag of
that JPEG takes the RAW with it as its twin (:func:`.photo_group.files_of`) -- the kept photo taken. The other way round, a
RAW selected on its own (marked discard while it was a photo of its own, or a record of it stored then) is now a
twin that goes with its photo, never alone (:func:`raw_twin_skips`): a Google Pixel's ``X.RAW-02.ORIGINAL.dng`` was a
photo of its own until 2026-12-07 (:mod:`blurscan.pair_names`).
"""
from __future__ import annotations

import os
from typing import Iterable

from ..config import IMAGE_SUFFIXES, RAW_SUFFIXES
from ..errors import printable_path
from ..pair_names import pair_key


def kept_raw_twins(paths: Iterable[str], kept: Iterable[str]) -> dict[str, str]:
    """path -> the reason to leave it, for those of ``paths`` whose RAW twin (same folder and name, whatever
    its case and Unicode form, a RAW suffix) is among the ``kept`` paths. The reason names the twin as every
    reason names a file, safe to print (:func:`blurscan.errors.printable_path`: until 2026-12-05 an escape
    character in its name went raw to the terminal in the dry run's ``skip`` line)."""
    twins = {}
    for path in kept:
        folder, name = os.path.split(path)
        stem, suffix = os.path.splitext(name)
        if suffix.casefold() in RAW_SUFFIXES:
            twins[(folder, pair_key(stem))] = name
    out = {}
    if twins:
        for path in paths:
            folder, name = os.path.split(path)
            twin = twins.get((folder, pair_key(os.path.splitext(name)[0])))
            if twin is not None and twin != name:
                out[path] = f"its RAW twin {printable_path(twin)} is a photo you marked keep"
    return out


def kept_by_raw_twin(store, paths: Iterable[str]) -> dict[str, str]:
    """:func:`kept_raw_twins` of ``paths`` with ``store``'s keeps, read as the plan reads them (any version of
    the twin): for the review page and ``report``'s table (:func:`.keeps.kept_elsewhere`), which showed such a
    photo as undecided while ``move`` left it. A Pixel's DNG marked keep on the page while it was a photo of its
    own, until 2026-12-07, left its ``X.RAW-01.COVER.jpg`` to review, ``move`` skipping it."""
    from ..store import path_from_db

    paths = list(paths)
    if not paths:
        return {}
    kept = [path_from_db(key) for (key,) in store.conn.execute("SELECT path FROM decisions WHERE decision = 'keep'")]
    return kept_raw_twins(paths, kept)


def raw_twin_skips(conn, chosen: dict, kept: Iterable[str]) -> dict[str, str]:
    """:func:`kept_raw_twins` of the ``chosen`` photos (path -> :class:`~.plan.Candidate`), and those of them that
    are the RAW twin of a photo the scan stored (a JPEG of their name beside them, :func:`blurscan.pair_names.
    pair_key`): path -> the reason to leave it. Such a RAW selected on its own (a discard made on it while it was
    a photo of its own, a record of it stored then: a Pixel's DNG, until 2026-12-07) was taken alone, and its
    photo left without it; it goes with its photo: dropped from ``chosen`` here when that photo is chosen too
    (it was then listed ``missing (moved or deleted since planning)``), else left, saying which photo to decide on."""
    out = kept_raw_twins(chosen, kept)
    pictures: dict[str, dict[str, list[str]]] = {}  # folder -> pair key -> its pictures' names (one listing)
    for path in [p for p in chosen if p not in out and os.path.splitext(p)[1].casefold() in RAW_SUFFIXES]:
        folder, name = os.path.split(path)
        if folder not in pictures:
            pictures[folder] = {}
            try:
                names = os.listdir(folder)
            except OSError:
                names = []
            for other in names:
                stem, suffix = os.path.splitext(other)
                if suffix.casefold() in IMAGE_SUFFIXES:
                    pictures[folder].setdefault(pair_key(stem), []).append(other)
        for other in pictures[folder].get(pair_key(os.path.splitext(name)[0]), ()):
            if (photo := os.path.join(folder, other)) in chosen:
                del chosen[path]  # (it goes with that photo)
            elif _stored(conn, photo):
                out[path] = (f"the RAW twin of {printable_path(other)}, one photo with it, which it goes with: "
                             "decide on that photo")
            else:
                continue
            break
    return out


def _stored(conn, path: str) -> bool:
    from ..store import db_path

    return conn.execute("SELECT 1 FROM images WHERE path = ?", (db_path(path),)).fetchone() is not None
