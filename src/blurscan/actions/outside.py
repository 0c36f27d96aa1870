"""The photos a ``move`` / ``trash`` / ``tag`` selected that lie outside the library: skipped, with the reason
(:mod:`blurscan.library_bounds`). A discard stored for another user's photo (a row added by hand to a shared
library's database, which needs no record of the photo itself) made ``move`` take it, as root too (until
2026-12-05)."""
from __future__ import annotations

from ..library_bounds import OUTSIDE_REASON, in_library, library_folders


def drop_outside(store, chosen: dict, skipped: list, left: dict) -> None:
    """Take the photos outside the library out of ``chosen`` and ``left`` (path -> candidate, as
    :func:`~blurscan.actions.plan.select` holds them), and give each in ``skipped`` (and only there) the reason
    :data:`~blurscan.library_bounds.OUTSIDE_REASON`. Changes its arguments."""
    from .plan import Skip

    folders = library_folders(store)
    outside = {path for path in [*chosen, *left, *(s.path for s in skipped)] if not in_library(path, folders)}
    if not outside:
        return
    for path in outside:
        chosen.pop(path, None)
        left.pop(path, None)
    skipped[:] = [s for s in skipped if s.path not in outside] + [Skip(p, OUTSIDE_REASON) for p in sorted(outside)]
