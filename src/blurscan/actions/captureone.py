"""Capture One's per-photo settings files: which belong to a photo, so that they move with it (:mod:`.plan`).

Capture One (sessions, and catalogs whose images are referenced in place) keeps a photo's adjustments, crop,
rating and keywords in a settings file of its own, in a folder beside the photo's: ``CaptureOne/Settings<N>/``
(``Settings153``, ``Settings131`` ...: one per settings format; an older one can stay beside a newer), named after
the photo's whole name and ``.cos``: ``IMG_0003.CR2.cos``, and the masks of its layers (brushed, gradient, AI
masks) beside it in ``IMG_0003.CR2.comask``. Left behind by a move, Capture One showed the photo, once found
again, without its adjustments (until 2026-12-06), or with its layers and no masks to them (until 2026-12-07).
``CaptureOne/Cache/`` holds the thumbnails (``.cot``), previews (``.cop``) and focus masks (``.cof``) Capture One
makes again from the photo: a cache, left where it is.

A ``.cos`` or ``.comask`` is taken with the photo, or with its RAW twin, whose name it bears: exactly, or in another
case or Unicode form when no file of the name it bears is beside the photo (``IMG_1.jpg.cos`` beside ``IMG_1.jpg`` and
``IMG_1.JPG`` is ``IMG_1.jpg``'s, as for ``.xmp`` sidecars). It goes to the same place under the destination,
``REJ/2024/CaptureOne/Settings153/IMG_0003.CR2.cos``, and is journaled, undone and trashed as the photo's other
files are. Each folder is listed once per plan.
"""
from __future__ import annotations

import os
import re
import stat

from ..config import IMAGE_SUFFIXES, RAW_SUFFIXES
from ..name_forms import name_key
from ..pair_names import pair_key
from .regular_file import regular_lstat

#: The folder Capture One makes beside the photos it shows, and its settings folders in it.
FOLDER = "captureone"
_SETTINGS = re.compile(r"settings[0-9]*\Z")
SUFFIX = ".cos"
#: The per-photo files of a settings folder that go with their photo: the settings, the layers' masks.
SUFFIXES = (SUFFIX, ".comask")
#: The roles of the files whose settings file goes with them (a photo, its RAW twin).
OWNERS = ("photo", "raw")


class CaptureOneSettings:
    """The settings files of the folders of one plan; each folder is listed once, on first use."""

    def __init__(self) -> None:
        self._folders: dict[str, list[tuple[str, dict[str, list[str]]]]] = {}

    def files(self, group: list, claimed: set[str], beside: dict[str, list[str]]) -> list:
        """``[(path, stat, "sidecar")]``: the settings files of the photo and RAW twin of ``group`` (``[(path,
        stat, role)]``, all in one folder), not in ``claimed``. ``beside``: the photos' folder's names by
        ``name_key`` of stem (:meth:`.listing.Listing.by_stem`), to tell a name that is another file's."""
        folder = os.path.dirname(group[0][0])
        present = {e for same in beside.values() for e in same}
        out = []
        for settings, names in self._settings(folder, beside):
            for path, _st, role in group:
                if role not in OWNERS:
                    continue
                owner = os.path.basename(path)
                for suffix in SUFFIXES:
                    out += self._owned(settings, names.get(name_key(owner + suffix), ()), owner, len(suffix),
                                       present, claimed)
        return out

    @staticmethod
    def _owned(settings: str, candidates, owner: str, cut: int, present: set[str], claimed: set[str]) -> list:
        """``[(path, stat, "sidecar")]``: those of ``candidates`` (names in ``settings`` of ``owner``'s name and a
        suffix ``cut`` long, in any case or form) that are ``owner``'s regular files, not in ``claimed``."""
        out = []
        for e in candidates:
            if e[:-cut] != owner and e[:-cut] in present:
                continue  # (another file's, whose name differs in case or form alone)
            found = os.path.join(settings, e)
            if found in claimed:
                continue
            st = regular_lstat(found)
            if st is not None:
                out.append((found, st, "sidecar"))
        return out

    def _settings(self, folder: str, beside: dict[str, list[str]]) -> list[tuple[str, dict[str, list[str]]]]:
        """``[(settings folder, name_key -> names)]`` of the ``CaptureOne/Settings<N>`` folders beside ``folder``'s
        photos (real folders, not links), those holding a ``.cos`` or ``.comask``. (``beside``: ``folder``'s
        listing.)"""
        if folder in self._folders:
            return self._folders[folder]
        out: list[tuple[str, dict[str, list[str]]]] = []
        self._folders[folder] = out
        tops = [os.path.join(folder, n) for n in beside.get(FOLDER, ()) if name_key(n) == FOLDER]
        for top in filter(_real_folder, sorted(tops)):
            for settings in _folders_in(top):
                try:
                    names = os.listdir(settings)
                except OSError:
                    continue
                index: dict[str, list[str]] = {}
                for e in names:
                    if any(name_key(e).endswith(x) and len(e) > len(x) for x in SUFFIXES):
                        index.setdefault(name_key(e), []).append(e)
                if index:
                    out.append((settings, index))
        return out


def settings_of(path: str, photo: str) -> bool:
    """Whether ``path`` is a settings file (``.cos``, ``.comask``) of ``photo`` or of its RAW twin in a
    ``CaptureOne/Settings<N>`` folder beside it, as a batch journals it after the photo
    (:func:`.photo_rows.by_photo`: held back with the photo when the photo cannot be put back)."""
    settings, name = os.path.split(path)
    top = os.path.dirname(settings)
    if os.path.dirname(top) != os.path.dirname(photo) or name_key(os.path.basename(top)) != FOLDER \
            or not _SETTINGS.match(name_key(os.path.basename(settings))):
        return False
    key, photo_key = name_key(name), name_key(os.path.basename(photo))
    owner = next((key[:-len(s)] for s in SUFFIXES if key.endswith(s) and len(key) > len(s)), None)
    if owner is None or owner == photo_key:
        return owner is not None
    (stem, suffix), (photo_stem, photo_suffix) = os.path.splitext(owner), os.path.splitext(photo_key)
    return suffix in RAW_SUFFIXES and photo_suffix in IMAGE_SUFFIXES and pair_key(stem) == pair_key(photo_stem)


def _real_folder(path: str) -> bool:
    """Whether ``path`` is a folder, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _folders_in(folder: str) -> list[str]:
    """The ``Settings<N>`` folders in ``folder`` (not links to one), in name order."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [p for p in sorted(os.path.join(folder, n) for n in names if _SETTINGS.match(name_key(n)))
            if _real_folder(p)]
