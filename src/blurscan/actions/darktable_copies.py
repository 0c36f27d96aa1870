"""darktable's duplicates (its virtual copies) of a photo, by their sidecars.

darktable keeps a duplicate's edit history, rating and labels in a sidecar of its own beside the photo:
``NAME_NN.EXT.xmp`` for the photo ``NAME.EXT`` (``IMG_1_01.JPG.xmp``, ``IMG_1_02.JPG.xmp`` ...: an underscore and
at least two digits, darktable's ``dt_image_path_append_version``; the photo's name and extension as they are,
as darktable looks them up, ``dt_image_find_duplicates``). Those sidecars are the photo's as much as
``NAME.EXT.xmp`` is: ``move`` and ``trash`` take them with it (left behind, they were the orphaned edit history
of a photo gone from the library, which darktable listed as a missing image) and ``tag`` tags them
(:mod:`.plan`, :mod:`.xmp`).

A name of that shape is taken for the photo's only when nothing says it is another file's:

* no file ``NAME_NN.EXT`` is beside it, in any case (``IMG_1_01.JPG`` there is a photo of its own, and
  ``IMG_1_01.JPG.xmp`` its sidecar);
* it is darktable's: XMP that declares darktable's namespace, and whose ``xmpMM:DerivedFrom`` (where darktable
  names the photo) names no other file.
"""
from __future__ import annotations

import bisect
import os
import re
import stat
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator

from ..name_forms import name_key

NS_DARKTABLE = "http://darktable.sf.net/"
_DERIVED_FROM = "{http://ns.adobe.com/xap/1.0/mm/}DerivedFrom"
_DESCRIPTION = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description"

#: ``NAME_NN.EXT.xmp``: the photo's name (group 1, its last ``_NN`` taken off: ``IMG_1_01_02.JPG.xmp`` is
#: a duplicate of ``IMG_1_01.JPG``) and the duplicate's own name (group 2)
_SHAPE = re.compile(r"((.+)_[0-9]{2,}(\.[^.]+))\.xmp\Z", re.DOTALL | re.IGNORECASE)


def photo_name(sidecar_name: str) -> str | None:
    """The name of the photo ``sidecar_name`` would be a duplicate's sidecar of (``IMG_1_01.JPG.xmp`` ->
    ``IMG_1.JPG``), or None for a name of another shape."""
    match = _SHAPE.match(sidecar_name)
    return match[2] + match[3] if match else None


def candidates(names: Iterable[str]) -> dict[str, list[str]]:
    """Photo name -> the names among ``names`` (one folder's) shaped as its duplicates' sidecars, those beside
    which no file of the duplicate's own name is (in any case and Unicode form), in name order."""
    return _Folder(names).out


class _Folder:
    """One folder's :func:`candidates`, kept up to date as files are made in it (:meth:`add`)."""

    def __init__(self, names: Iterable[str]) -> None:
        names = list(names)
        present = {name_key(n) for n in names}
        self.out: dict[str, list[str]] = {}
        self._by_own: dict[str, list[tuple[str, str]]] = {}  # a candidate's own name, name_key -> (photo, it)
        for name in sorted(names):
            match = _SHAPE.match(name)
            if match and name_key(match[1]) not in present:
                self._candidate(name, match)

    def _candidate(self, name: str, match: re.Match) -> None:
        photo = match[2] + match[3]
        bisect.insort(self.out.setdefault(photo, []), name)
        self._by_own.setdefault(name_key(match[1]), []).append((photo, name))

    def add(self, name: str, same_stem: Callable[[str], Iterable[str]]) -> None:
        """The file ``name`` made: the candidates whose duplicate's own name it is are another file's sidecars
        now; it is a candidate itself when it has the shape of one and no file of its own name is there
        (``same_stem``: the folder's names of a stem, it among them)."""
        for photo, sidecar in self._by_own.pop(name_key(name), ()):
            self.out[photo].remove(sidecar)
            if not self.out[photo]:
                del self.out[photo]
        match = _SHAPE.match(name)
        if match:
            own = name_key(match[1])
            if all(name_key(e) != own for e in same_stem(os.path.splitext(match[1])[0])):
                self._candidate(name, match)


def is_darktables(path: str, photo: str) -> bool:
    """Whether ``path`` is a regular file (links followed) holding darktable's XMP for the photo named ``photo``:
    its namespace declared, and no ``xmpMM:DerivedFrom`` naming another file. Anything unreadable is not."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        darktable, derived = False, None
        for event, item in ET.iterparse(path, events=("start-ns", "end")):
            if event == "start-ns":
                darktable = darktable or item[1] == NS_DARKTABLE
            elif item.tag == _DERIVED_FROM:
                derived = (item.text or "").strip()
            elif item.tag == _DESCRIPTION and derived is None:
                derived = item.get(_DERIVED_FROM)
    except (OSError, ET.ParseError, UnicodeError):
        return False
    return darktable and (not derived or derived.casefold() == photo.casefold())


class DarktableCopies:
    """The sidecars of darktable's duplicates in the folders of one plan, found through ``listing`` (a plan's
    cached listings, ``by_stem(folder)``): each folder's names are looked at once."""

    def __init__(self, listing) -> None:
        self._listing = listing
        self._folders: dict[str, _Folder] = {}

    def of(self, folder: str, name: str) -> list[str]:
        """The names of the sidecars of darktable's duplicates of the file ``name`` in ``folder``."""
        if folder not in self._folders:
            self._folders[folder] = _Folder(self._names(folder))
        return [e for e in self._folders[folder].out.get(name, ()) if is_darktables(os.path.join(folder, e), name)]

    def added(self, folder: str, name: str) -> None:
        """A file ``name`` made in ``folder`` since it was listed (:meth:`.listing.Listing.added`): the folder's
        candidates are brought up to date (a duplicate's sidecar added; a duplicate's own name takes its sidecar
        from them). Until 2026-12-06 either had all the folder's names looked at again, and every sidecar ``tag``
        creates for a camera-named photo is of one shape or the other (``IMG_0001.JPG.xmp``: a duplicate's sidecar
        of ``IMG.JPG``; with ``--stem-names``, ``IMG_0001.xmp``: the own name of ``IMG_0001.xmp.xmp``), so a tag
        run did so once per photo: 4,000 photos in one folder took 12 s, 1,000 1.2 s."""
        if folder in self._folders:
            stems = self._listing.by_stem(folder)
            self._folders[folder].add(name, lambda stem: stems.get(name_key(stem), ()))

    def _names(self, folder: str) -> Iterator[str]:
        return (e for same in self._listing.by_stem(folder).values() for e in same)
