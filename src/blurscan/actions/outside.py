"""The photos a ``move`` / ``trash`` / ``tag`` selected that lie outside the library: skipped, with the reason
(:mod:`blurscan.library_bounds`). A discard stored for another user's photo (a row added by hand to a shared
library's database, which needs no record of the photo itself) made ``move`` take it, as root too (until
2026-12-05). So are the photos inside a library a photo application manages (an Apple Photos library) or in its
cache (Lightroom's previews), scanned by name or by an older blurscan: taking one out of such a library breaks it
(:func:`blurscan.managed.managed_reason`; until 2026-12-06 ``move --all-blurry`` took them)."""
from __future__ import annotations

from ..library_bounds import OUTSIDE_REASON, in_library, library_folders
from ..managed import managed_reason


def drop_outside(store, chosen: dict, skipped: list, left: dict) -> None:
    """Take the photos outside the library, and those in a managed library, out of ``chosen`` and ``left`` (path ->
    candidate, as :func:`~blurscan.actions.plan.select` holds them), and give each in ``skipped`` (and only there)
    the reason, :data:`~blurscan.library_bounds.OUTSIDE_REASON` or the managed library's. Changes its arguments."""
    from .plan import Skip

    folders = library_folders(store)
    paths = [*chosen, *left, *(s.path for s in skipped)]
    reals: dict[str, str] = {}  # (each folder's real path found once)
    outside = {path: OUTSIDE_REASON for path in paths if not in_library(path, folders, reals)}
    outside.update((path, why) for path in paths if path not in outside and (why := managed_reason(path)))
    if not outside:
        return
    for path in outside:
        chosen.pop(path, None)
        left.pop(path, None)
    skipped[:] = [s for s in skipped if s.path not in outside] + [Skip(p, outside[p]) for p in sorted(outside)]
