"""The space a ``move`` or ``trash`` frees in the library: a file's bytes are freed only when its last name goes.

A photo with another name (a hard link: ``cp -l`` backups, a photo manager's "link instead of copy" import,
rsync ``--link-dest`` snapshots) keeps its pixels under that name when one name is moved or trashed, so it frees
nothing; moved to another drive, it takes space there as a copy of its own. Until 2026-12-06 the dry run counted
it among the space freed. A file whose every name is in the batch (a photo and a hard link of it beside it, both
taken) is freed.
"""
from __future__ import annotations

import os
from collections import Counter


def freed(plan) -> tuple[int, int]:
    """(bytes freed, number of photos of ``plan`` one of whose files has a name outside it)."""
    names: Counter = Counter()
    links: dict[str, tuple[tuple[int, int], int]] = {}
    for op in plan.files:
        try:
            st = os.lstat(op.src)
        except OSError:  # (gone since planning: counted as planned)
            continue
        names[(st.st_dev, st.st_ino)] += 1
        links[op.src] = ((st.st_dev, st.st_ino), st.st_nlink)
    total, linked = 0, 0
    for photo in plan.photos:
        kept = [op for op in photo.files if op.src in links and links[op.src][1] > names[links[op.src][0]]]
        total += sum(op.size for op in photo.files if op not in kept)
        linked += bool(kept)
    return total, linked


def freeing(plan, where: str, human_size) -> str:
    """``freeing SIZE WHERE``, saying which photos free nothing: ``(not 26.2 kB: 1 photo has another name, a hard
    link, that keeps its file)``."""
    total, linked = freed(plan)
    if not linked:
        return f"freeing {human_size(total)} {where}"
    has = "photo has" if linked == 1 else "photos have"
    its = "its file" if linked == 1 else "their files"
    return (f"freeing {human_size(total)} {where} (not {human_size(plan.total_bytes)}: {linked} {has} another "
            f"name, a hard link, that keeps {its})")
