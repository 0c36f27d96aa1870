"""A plan takes each file once, under one of its names (a library scanned through a link, hard links):
:func:`one_name_per_file`."""
from __future__ import annotations

from .. import same_file


def one_name_per_file(chosen: dict, kept: set[str], skipped: list, looked: dict | None = None) -> dict:
    """The selection with each file once. A database can hold one file under two names (the library scanned
    once through a symbolic link to it, a link's folder scanned on its own, hard links): a name of a photo
    the person kept is never taken (it took the kept photo itself), and of the other names of one file only
    one is taken, the one a walk keeps (:func:`blurscan.walk.one_name_per_file`: a regular file's before a
    link's, as the actions leave links alone; else the first a walk meets). ``looked``: path -> its ``lstat``
    taken earlier in the same plan (:func:`.other_bytes.drop_other_files`), not taken again."""
    from .plan import Skip

    name_of = same_file.one_name_per_file([*chosen, *kept], looked)  # another name -> the name kept
    kept_files = {name_of.get(path, path) for path in kept}
    out = {}
    for path, cand in chosen.items():
        name = name_of.get(path, path)  # (a path that cannot be read is its own: planning says why)
        if name in kept_files:
            skipped.append(Skip(path, "another name of a photo you marked keep"))
        elif name == path:
            out[path] = cand
    return out
