"""Folder listings cached for one action: each folder a plan or a ``tag`` run looks in is listed once.

A photo's companions (its sidecars, its RAW twin, the other images of its stem, darktable's duplicates' sidecars,
Google Takeout's JSON files; Capture One's settings files, in its folder's ``CaptureOne/Settings<N>``) are found among
the names of its folder. Listing the folder again for each photo
made a plan, or a tag run, quadratic in the folder's size (3000 photos in one folder: minutes); one
:class:`Listing` per run lists each folder once, on first use (:mod:`.plan`, :mod:`.xmp`).
"""
from __future__ import annotations

import os

from .captureone import CaptureOneSettings
from .darktable_copies import DarktableCopies
from ..name_forms import name_key
from .takeout import TakeoutJsons


class Listing:
    """Cached directory listings (one ``listdir`` per folder), by stem in any case and Unicode form: those of one
    plan, and of one ``tag`` run (:mod:`.xmp`), so that a folder of 1000s of photos is listed once, not once per
    photo."""

    def __init__(self) -> None:
        self._cache: dict[str, dict[str, list[str]]] = {}
        self.takeout = TakeoutJsons(self)  # Google Takeout's JSON files, found in these listings
        self.copies = DarktableCopies(self)  # the sidecars of darktable's duplicates
        self.captureone = CaptureOneSettings()  # Capture One's CaptureOne/Settings<N>/NAME.cos, .comask
        self.refusals: dict[str, str | None] = {}  # folder -> why no file may leave it (.sources.refusal)

    def by_stem(self, folder: str) -> dict[str, list[str]]:
        """``name_key(stem)`` -> the folder's names with that stem (``IMG_1.JPG.xmp`` under ``img_1.jpg``; a
        name written decomposed, as macOS writes it, under the composed one: :mod:`blurscan.name_forms`)."""
        if folder not in self._cache:
            try:
                names = os.listdir(folder)
            except OSError:
                names = []
            index: dict[str, list[str]] = {}
            for e in names:
                index.setdefault(name_key(os.path.splitext(e)[0]), []).append(e)
            self._cache[folder] = index
        return self._cache[folder]

    def added(self, path: str) -> None:
        """Say that the file ``path`` was made since its folder was listed (a sidecar ``tag`` created), so that
        the names looked at next are those a listing now would give."""
        folder, name = os.path.split(path)
        index = self._cache.get(folder)
        if index is None:
            return
        same = index.setdefault(name_key(os.path.splitext(name)[0]), [])
        if name not in same:
            same.append(name)
            self.copies.added(folder, name)
            self.takeout.added(folder, name)
