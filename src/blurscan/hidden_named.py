"""Whether a file named explicitly (a PATH, a path of a ``--files-from`` list) is one a folder walk would not meet.

``find lib -type f | blurscan scan --files-from -`` lists every file ``blurscan scan lib`` walks past: hidden
ones (a ``.DS_Store``, the demo's ``.blurscan-demo``), those of the review page's thumbnail cache
(``.blurscan-thumbs/ab/ab12.jpg``, JPEGs), of a sync tool's hidden folders (Syncthing's ``.stversions``) and of
system folders (``@eaDir``, ``#recycle``). Until 2026-12-06 each named one was read: the thumbnails and old
versions stored as photos of the library (which ``move --all-blurry`` then took), the others error records. They
are passed over as in a folder walk, unless ``include_hidden`` (which never takes the thumbnail cache).

Which folders count: system folders and the thumbnail cache wherever they are on the path; hidden folders only
below the database's folder (the library's root), since a library may itself live in a hidden folder
(``~/.photos``), whose paths the JSON Lines output gives back to ``--files-from``."""
from __future__ import annotations

import os

from .config import THUMBS_DIR_NAME


def passed_over_when_named(path: str, library: str | None, include_hidden: bool, skipped_dirs) -> bool:
    """Whether the file ``path`` (absolute, its folders' links resolved), named explicitly, is passed over.

    ``library`` is the real folder of the scan's database (None: no database), ``skipped_dirs`` the system
    folders' names."""
    folder, name = os.path.split(path)
    parts = folder.split(os.sep)
    if THUMBS_DIR_NAME in parts:
        return True
    if include_hidden:
        return False
    if name.startswith(".") or any(part in skipped_dirs for part in parts):
        return True
    if library and folder.startswith(library.rstrip(os.sep) + os.sep):
        return any(part.startswith(".") for part in folder[len(library.rstrip(os.sep)) + 1:].split(os.sep))
    return False

