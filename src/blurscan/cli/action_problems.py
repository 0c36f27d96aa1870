"""What ``move`` / ``trash --yes`` would stop at, found from a plan: the dry run warns of it before ``--yes`` is
typed, and ``--yes`` refuses with one line when no photo can be taken (:mod:`.actions`)."""
from __future__ import annotations

import os

from ..errors import printable_path


def destination_problems(plan) -> list[str]:
    """Why moving ``plan`` would fail at its destination: a folder that cannot be written (a read-only drive),
    too little free space for the files copied across devices, a folder there that takes no copy (append-only or
    immutable: :func:`..inode_flags.closed_to_copies`)."""
    from ..actions.destinations import existing_ancestor
    from ..permissions import may_write
    from .actions import human_size

    if not plan.photos:
        return []
    problems = []
    folder = existing_ancestor(plan.destination)
    if not may_write(folder, os.W_OK | os.X_OK):  # (as root too: a folder with no write bit)
        problems.append(f"{printable_path(folder)} cannot be written: `--yes` would move nothing there")
    elif plan.dest_free is not None and plan.copy_bytes > plan.dest_free:
        problems.append(f"{printable_path(plan.destination)}: not enough free space ({human_size(plan.copy_bytes)} "
                        f"to copy, {human_size(plan.dest_free)} free)")
    if plan.cross_device:  # (a folder of the destination made append-only: a copy's temporary name stays there)
        from ..inode_flags import closed_to_copies

        for folder in sorted({os.path.dirname(op.dst) for op in plan.files if op.dst}):
            closed = closed_to_copies(folder) if os.path.isdir(folder) else None
            if closed:
                problems.append(f"{printable_path(folder)} {closed}: `--yes` would move no photo there")
    return problems


def trash_problems(plan) -> list[str]:
    """Why trashing ``plan`` would fail: a file where the home trash's folders must be (photos on another drive
    may still go to that drive's own trash, so it is a warning)."""
    from ..actions.destinations import in_the_way
    from ..actions.trash import home_trash

    if not plan.photos:
        return []
    folders = [os.path.join(home_trash(), name) for name in ("files", "info")]
    return [f"{printable_path(folder)}: {unmade}: `--yes` would trash nothing there"
            for folder in folders if (unmade := in_the_way(folder))][:1]


def none_taken(plan, verb: str = "taken") -> str | None:
    """When no photo of ``plan`` can be taken because a folder refuses (the photos' own: a card with its lock
    switch on; the trash's), one line saying so, naming the folder and why; None otherwise. ``--yes`` copied
    each photo to the other drive, failed to remove it, and removed the copy again (:mod:`..actions.sources`)."""
    refused = [s for s in plan.skipped if s.refusal]
    if plan.photos or not refused:
        return None
    # the folders that refuse, each once: a sticky folder's reasons each name a file (it said "3 other folders
    # refuse too" of one sticky folder with four photos)
    folders = list(dict.fromkeys(s.folder or s.refusal for s in refused))
    n = len(refused)
    what = f"none of the {n} photos selected can be {verb}" if n != 1 else f"the photo selected cannot be {verb}"
    k = len(folders) - 1
    them = "folders refuse too: the dry run lists them" if k != 1 else "folder refuses too: the dry run lists it"
    more = f" ({k} other {them})" if k else ""
    return f"{what}: {refused[0].refusal}{more}"
