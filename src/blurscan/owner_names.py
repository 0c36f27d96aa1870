"""How blurscan's messages name a file's owner and group: by the name the system's user and group databases give
them (``alice``, ``staff``), else, for a number neither database knows (a photo copied from another machine, a
container's user, a deleted account), as ``user 1002`` and ``group 50``.

Until 2026-12-07 some messages gave such a user as a bare number ("owned by 1002", "owner 1002, mode 0755",
"run as 1002") and others as "user 1002", each module with a look-up of its own. A bare number read as a count
or a mode; every message now names them through these two functions.
"""
from __future__ import annotations


def user_name(uid: int) -> str:
    """The name of the user ``uid`` (``alice``), or ``user UID`` where the user database has none (or there is
    no such database: Windows)."""
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"user {uid}"


def group_name(gid: int) -> str:
    """The name of the group ``gid`` (``staff``), or ``group GID`` where the group database has none (or there is
    no such database: Windows)."""
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return f"group {gid}"
