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
from collections.abc import Iterable

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
    which no file of the duplicate's own name is (compared case-insensitively), in name order."""
    return _index(names)[1]


def _index(names: Iterable[str]) -> tuple[set[str], dict[str, list[str]]]:
    """The case-folded ``names`` and their :func:`candidates`."""
    names = list(names)
    present = {n.casefold() for n in names}
    out: dict[str, list[str]] = {}
    for name in sorted(names):
        match = _SHAPE.match(name)
        if match and match[1].casefold() not in present:
            out.setdefault(match[2] + match[3], []).append(name)
    return present, out


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


def sidecars(photo: str, names: Iterable[str] | None = None) -> list[str]:
    """The paths of the sidecars of darktable's duplicates of ``photo`` (see the module docstring), found among
    ``names`` (its folder's names; default: the folder listed now)."""
    folder, name = os.path.split(photo)
    if names is None:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            return []
    return [os.path.join(folder, e) for e in candidates(names).get(name, ())
            if is_darktables(os.path.join(folder, e), name)]


class DarktableCopies:
    """The sidecars of darktable's duplicates in the folders of one plan, found through ``listing`` (a plan's
    cached listings, ``by_stem(folder)``): each folder's names are looked at once."""

    def __init__(self, listing) -> None:
        self._listing = listing
        self._folders: dict[str, tuple[set[str], dict[str, list[str]]]] = {}

    def of(self, folder: str, name: str) -> list[str]:
        """The names of the sidecars of darktable's duplicates of the file ``name`` in ``folder``."""
        if folder not in self._folders:
            self._folders[folder] = _index(e for same in self._listing.by_stem(folder).values() for e in same)
        return [e for e in self._folders[folder][1].get(name, ()) if is_darktables(os.path.join(folder, e), name)]

    def added(self, folder: str, name: str) -> None:
        """A file ``name`` made in ``folder`` since it was listed (:meth:`.listing.Listing.added`): a duplicate's
        sidecar is added to the folder's candidates; a duplicate's own name has them found again (it takes its
        sidecar from them). Until 2026-12-06 a duplicate's sidecar had them found again too: ``tag`` creates
        ``IMG_0001.JPG.xmp``, of that shape (a duplicate of ``IMG.JPG``), for every camera-named photo, so a tag
        run relisted the folder's names once per photo: 4,000 photos in one folder took 12 s, 1,000 1.2 s."""
        found = self._folders.get(folder)
        if found is None:
            return
        if _SHAPE.match(name + ".xmp"):
            self._folders.pop(folder)
            return
        present, out = found
        present.add(name.casefold())
        match = _SHAPE.match(name)
        if match and match[1].casefold() not in present:
            bisect.insort(out.setdefault(match[2] + match[3], []), name)
