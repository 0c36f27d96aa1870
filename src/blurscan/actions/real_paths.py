"""The real paths of many photos, one ``realpath`` per folder rather than per photo (the review page and
``report`` ask for thousands): a photo's is its folder's real path and its name, unless it is itself a symbolic
link, told from its folder's listing where many of its photos are asked for. What
:func:`~blurscan.actions.keeps.kept_in_other_databases` compares a photo's keeps by.
"""
from __future__ import annotations

import os


#: From this many photos asked for in one folder, :class:`Resolver` lists the folder once (its entries' types:
#: one read of the folder, a few system calls for hundreds of names) rather than look at each photo (an ``lstat``
#: each: milliseconds each on a NAS). Below it, or for a folder of many more files than photos asked for, the
#: ``lstat`` each costs less: the listing stops after :data:`NAMES_A_PHOTO` names a photo asked for (until
#: 2026-12-06 it read them all: 8 photos of a folder of 50,000 files cost 25 ms, not 2), the others looked at.
LISTED_FROM = 8
NAMES_A_PHOTO = 32  # (a listed name costs about a quarter of an lstat on a local disk, a hundredth on a NAS)


class Resolver:
    """Real paths, one ``realpath`` per folder (the review page asks for thousands of photos): a photo's is
    its folder's real path and its name, unless the photo is itself a symbolic link. Whether it is one is read
    from its folder's listing when ``paths`` (those to be asked for) hold :data:`LISTED_FROM` photos of that
    folder or more; else, and for a name the listing does not hold as given (a case-insensitive drive), from
    the photo (``lstat``)."""

    def __init__(self, paths=()) -> None:
        self._folders: dict[str, str] = {}
        many: dict[str, int] = {}
        for path in paths:
            folder = os.path.dirname(path)
            many[folder] = many.get(folder, 0) + 1
        # folder -> the photos asked for in it; once listed, (its names read, those of symbolic links)
        self._kinds: dict[str, int | tuple[set[str], set[str]]] = {
            folder: n for folder, n in many.items() if n >= LISTED_FROM}

    def path(self, path: str) -> str:
        folder, name = os.path.split(path)
        if self._is_link(folder, name, path):
            return os.path.realpath(path)
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder)
        return os.path.join(real, name)

    def _is_link(self, folder: str, name: str, path: str) -> bool:
        kinds = self._kinds.get(folder)
        if kinds is not None:
            if isinstance(kinds, int):
                kinds = self._kinds[folder] = _kinds_of(folder, kinds * NAMES_A_PHOTO)
            names, links = kinds
            if name in names:
                return name in links
        return os.path.islink(path)


def _kinds_of(folder: str, most: int) -> tuple[set[str], set[str]]:
    """The names in ``folder`` (the first ``most`` it lists) and those of its symbolic links, from one listing (the
    entries' types: no ``lstat`` where the file system gives them); empty when it cannot be listed."""
    names: set[str] = set()
    links: set[str] = set()
    try:
        with os.scandir(folder) as entries:
            for n, entry in enumerate(entries):
                if n == most:
                    break
                try:
                    if entry.is_symlink():
                        links.add(entry.name)
                except OSError:
                    continue  # (not named: its photo is looked at itself)
                names.add(entry.name)
    except OSError:
        return set(), set()
    return names, links
