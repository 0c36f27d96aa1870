"""Where ``move --to DIR`` puts the photos of a database that has no library folder
(:func:`blurscan.library_root.library_root` is None: folders scanned together that share no folder but ``/``,
``blurscan scan --db ~/all.db /data/a ~/b``, or a ``--files-from`` list of paths all over the disk), and whether
``DIR`` is inside that database's photos' folders.

Each photo goes under ``DIR`` into a folder named for the scanned folder holding it (:mod:`blurscan.scanned_roots`),
its path below that folder kept: ``/data/a/x/1.jpg`` -> ``DIR/a/x/1.jpg``, ``~/b/2.jpg`` -> ``DIR/b/2.jpg``, as
``cp -r /data/a ~/b DIR`` lays them out. Scanned folders of the same name take as many of the folders above them as
tells them apart (``/data/photos`` and ``/srv/photos``: ``DIR/data/photos/...``, ``DIR/srv/photos/...``). The names
are made from every folder the database records, not only from those of the photos taken, so each move lays a folder
out the same way. Until 2026-12-07 the paths were kept relative to the photos' common folder, ``/``: the whole
absolute path was copied under ``DIR`` (``DIR/data/a/x/1.jpg``, ``DIR/home/me/b/2.jpg``), every ``DIR`` was said to
be "inside the library" (it is inside ``/``), and the dry run gave no space freed. (``undo`` reads where each file
went from the journal, whatever the layout.) A database that records no scanned folder (an older blurscan's) keeps
the paths relative to the common folder of the photos taken, as before.
"""
from __future__ import annotations

import os
from collections import defaultdict

from ..library_bounds import under_any


def root_names(roots) -> dict[str, str]:
    """Each of ``roots`` (absolute folders) -> the name of its folder under ``--to``: its last part, or as many of
    its last parts as make it differ from the others' names and lie neither above nor below another's (the whole
    path below ``/`` at most: roots none of which holds another never clash so)."""
    parts = {root: [p for p in root.split(os.sep) if p] for root in roots}
    depth = dict.fromkeys(parts, 1)
    while True:
        names = {root: os.sep.join(parts[root][-depth[root]:]) if parts[root] else "" for root in parts}
        by_name: dict[str, list[str]] = defaultdict(list)
        for root, name in names.items():
            by_name[name].append(root)
        clash: set[str] = set()
        for name, holders in by_name.items():
            if len(holders) > 1:
                clash.update(holders)
            above = name
            while above and (above := os.path.dirname(above)):  # a name that is a folder above another's
                if above in by_name:
                    clash.update(holders)
                    clash.update(by_name[above])
        grow = [root for root in clash if depth[root] < len(parts[root])]
        if not grow:
            return names
        for root in grow:
            depth[root] += 1


def by_root_names(roots):
    """A function of a file's path (absolute) -> its path under ``--to`` (:func:`root_names`, below the outermost of
    ``roots`` holding it), or None when none of them does."""
    names = root_names(roots)

    def relative(path: str) -> str | None:
        folder = path
        holder = None
        while True:  # the outermost root holding it: each folder above it looked up
            if folder in names:
                holder = folder
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        if holder is None or holder == path:
            return None
        return os.path.join(names[holder], os.path.relpath(path, holder))
    return relative


def destination_inside(destination: str, library: str | None, roots, common: str | None) -> bool:
    """Whether a ``move``'s ``destination`` is inside the library, where a later scan finds the photos moved there:
    below ``library`` (:func:`blurscan.library_root.library_root`); for a database without one, below one of the
    folders scanned into it (``roots``), or, none recorded, below ``common``, the photos' common folder, unless that
    is the file system's root (until 2026-12-07 that root: every ``--to`` was "inside the library")."""
    if library is not None:
        return under_any(destination, [library])
    if roots:
        return under_any(destination, list(roots))
    return common is not None and os.path.dirname(common) != common and under_any(destination, [common])
