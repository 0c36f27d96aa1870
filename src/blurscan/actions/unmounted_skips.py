"""A selected photo not on disk because its folder looks like a drive or share not mounted (``~/Pictures/phone``, a
phone's drive mounted inside the library, now an empty mount point; a followed link to one): ``move``, ``trash`` and
``tag`` skip it saying so, by the judgement of ``report``'s notes and the review page (:class:`blurscan.unmounted.Judge`).
Until 2026-12-07 they said ``missing (already moved or deleted)`` of each of them, as of a photo deleted by hand,
while ``report`` and ``bursts`` said of the same photos that the drive looked not mounted (a scan keeps them)."""
from __future__ import annotations

import os
from dataclasses import replace

from ..errors import printable_path
from ..unmounted import Judge
from .photo_group import MISSING


def said_unmounted(store, skipped: list) -> None:
    """Each :class:`~.plan.Skip` of ``skipped`` whose photo is missing (:data:`.photo_group.MISSING`) under a folder
    that looks like a drive or share not mounted, its reason replaced by one saying so (in place). One
    :class:`~blurscan.unmounted.Judge` for all: one look at the mount point however many of its photos."""
    judge = None
    for i, skip in enumerate(skipped):
        if skip.reason != MISSING:
            continue
        judge = judge or Judge(store)
        found = judge(os.path.dirname(skip.path))
        if found is not None:
            skipped[i] = replace(skip, reason=f"not there: {printable_path(found.folder)} is {found.why()}"
                                              f"{found.asked()}; {found.remedy(store.path)}")
