"""A PATH named to a command that is not there, under a folder that looks like a drive or share not mounted
(:mod:`blurscan.unmounted`): the one line every command that reads the database says of it (``report``,
``bursts``, ``review``, ``move``, ``trash``, ``tag``, ``undo``), through :func:`blurscan.cli.locate.must_exist`
and :func:`blurscan.cli.locate.no_database`. Until 2026-12-07 only ``report`` said it (this morning; it was
report's own), the others only ``no such file or directory``, as for a name mistyped."""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import StoreError, printable_path


def held_unmounted(exc: StoreError, path, root: str, db) -> StoreError:
    """``exc`` (``PATH: no such file or directory``; ``path`` PATH as given, ``root`` its name resolved) with, where
    the database (``db``, or found from PATH) holds photos at or under PATH and a folder above it looks like a drive
    or share not mounted (:func:`blurscan.unmounted.holding`: the judgement of report's notes), what that folder is:
    until 2026-12-07 ``report lib/phone/2024`` of a drive not mounted said only `no such file or directory`, as for
    a name mistyped, though a scan keeps those photos. PATH through a followed link (``lib/trip/day2``, ``lib/trip
    ->`` a drive's empty mount point or a target not there) is looked for under the link's name too, as a
    ``--follow-symlinks`` scan stores it (its name resolved is outside the library). ``exc`` as it is where ``path``
    is None (no PATH given), ``root`` is there after all or cannot be looked at, or nothing is held there."""
    from ..store import Store
    from ..unmounted import holding
    from .linked_folders import absolute_as_given
    from .locate import find_db

    if path is None:
        return exc
    try:
        os.lstat(root)
        return exc  # (there after all; or not looked at for another reason: said as it is)
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        return exc
    text = os.path.expanduser(os.fsdecode(path))
    names = [root] if ".." in Path(text).parts else list(dict.fromkeys((root, absolute_as_given(text))))
    for named in names:
        db_path = Path(db) if db else find_db(named, quiet=True)
        if db_path is None or not os.path.isfile(db_path):
            continue
        try:
            with Store(db_path, readonly=True) as store:
                found = holding(store, named)
        except StoreError:  # (a database that cannot be read: PATH said as before)
            return exc
        if found is not None:
            folder, held = found
            said = str(exc) if named == root else f"{printable_path(named)}: no such file or directory"
            return StoreError(f"{said}, though the database holds {held} photo{'s' if held != 1 else ''} there: "
                              f"{printable_path(folder.folder)} is {folder.why()}{folder.asked()}; "
                              f"{folder.remedy(db_path, 'them' if held != 1 else 'it')}")
    return exc
