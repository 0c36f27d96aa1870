"""How long a file name may be, and names cut to fit: for the names blurscan makes itself from a photo's name.

A folder's names are limited in bytes (``NAME_MAX``: 255 on ext4, XFS, btrfs, tmpfs; 143 with eCryptfs' name
encryption). A name blurscan builds from a photo's (a temporary ``.NAME.blurscan-TAG.part``, a trash entry's
``NAME.trashinfo``) is longer than the photo's, so a photo whose name fitted made a name that did not: ``move``
across drives, ``tag --xmp`` and ``trash`` failed with "file name too long" (until 2026-12-05). Those names are
now cut (:func:`cut_to_bytes`) to what the folder allows (:func:`name_max`).

A whole path given to the system is limited too (``PATH_MAX``: 4,096 bytes with its NUL, :func:`path_max`), while a
folder tree may go deeper: :func:`path_too_long` says so in those words, where the system's are "file name too
long" of a path whose every name is short (until 2026-12-06 blurscan repeated them).
"""
from __future__ import annotations

import hashlib
import os

#: The longest name assumed where the folder does not say (it is not there yet, or it says "no limit"), and the
#: longest ever used: the common limit, in bytes.
DEFAULT_NAME_MAX = 255


def name_max(folder: str) -> int:
    """The longest file name, in bytes, that ``folder`` takes (``pathconf``'s ``PC_NAME_MAX``), at most
    :data:`DEFAULT_NAME_MAX`; that when the folder cannot be asked (not there yet, no such setting)."""
    try:
        room = os.pathconf(folder or ".", "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # (no os.pathconf on Windows)
        return DEFAULT_NAME_MAX
    return DEFAULT_NAME_MAX if room is None or room <= 0 else min(room, DEFAULT_NAME_MAX)


def name_bytes(text: str) -> int:
    """The length of a name, in the bytes the file system stores (``os.fsencode``: undecodable bytes count
    as one byte each)."""
    return len(os.fsencode(text))


def cut_to_bytes(text: str, room: int) -> str:
    """The longest start of ``text`` whose bytes (:func:`name_bytes`) fit in ``room``, cut between characters
    (never inside a multi-byte character); ``text`` itself when it fits."""
    if name_bytes(text) <= room:
        return text
    used = 0
    for i, char in enumerate(text):
        used += name_bytes(char)
        if used > room:
            return text[:i]
    return text  # pragma: no cover - (it fitted)


def fitted(prefix: str, name: str, suffix: str, room: int) -> str:
    """``prefix + name + suffix``, or, when that is longer than ``room`` bytes, with ``name`` cut and ``~`` and
    8 hex digits of its SHA-256 after it: two long names that start alike still make two names."""
    whole = prefix + name + suffix
    if name_bytes(whole) <= room:
        return whole
    mark = "~" + hashlib.sha256(os.fsencode(name)).hexdigest()[:8]
    return prefix + cut_to_bytes(name, room - name_bytes(prefix + mark + suffix)) + mark + suffix


#: The longest path, in bytes, that the system takes in one call where it does not say: Linux's ``PATH_MAX``
#: (4096) less the NUL that ends it. A folder tree may go deeper (each name short enough), its files reachable
#: only from a folder inside it, never by their whole path.
DEFAULT_PATH_MAX = 4095


def path_max(folder: str) -> int:
    """The longest path, in bytes, the system takes for a file in ``folder`` (``pathconf``'s ``PC_PATH_MAX`` less
    the NUL it counts); :data:`DEFAULT_PATH_MAX` when the folder cannot be asked (not there, no such setting)."""
    try:
        room = os.pathconf(folder or ".", "PC_PATH_MAX")
    except (OSError, ValueError, AttributeError):  # (not there, too deep itself; no os.pathconf on Windows)
        return DEFAULT_PATH_MAX
    return DEFAULT_PATH_MAX if room is None or room <= 1 else room - 1


def path_too_long(path: str, folder: str | None = None) -> str | None:
    """``path too long: N bytes, longer than the system takes (4,095)`` where ``path`` is longer than
    :func:`path_max` of ``folder`` (default: the root folder, which every Linux file system shares the limit of),
    else None. The system's own words, "file name too long", point to a name, where every name may be short."""
    size, limit = name_bytes(path), path_max(folder or os.sep)
    return f"path too long: {size:,} bytes, longer than the system takes ({limit:,})" if size > limit else None


def beside(path: str, suffix: str) -> str:
    """``path + suffix`` (a database's ``NAME.actions.lock``, ``NAME.tag-backups``), with ``path``'s name cut as
    :func:`fitted` cuts it where the whole name would be longer than its folder takes: the same ``path`` always
    gives the same name. A database named 243 to 247 bytes was scanned, and every ``move``, ``trash``, ``tag`` and
    ``undo`` of it failed, "cannot open the actions lock: file name too long" (until 2026-12-06)."""
    folder, name = os.path.split(path)
    return os.path.join(folder, fitted("", name, suffix, name_max(folder)))


#: The longest name SQLite adds to a database's beside it: ``NAME-journal``.
SQLITE_SIDE_SUFFIX = "-journal"


def database_name_too_long(path: str) -> str | None:
    """Why a database cannot be made at ``path``: SQLite's ``NAME-journal`` beside it (8 bytes longer; a name SQLite
    makes, which cannot be cut) longer than the folder takes; else None. SQLite said "unable to open database
    file", and left the database it had begun (until 2026-12-06)."""
    folder, name = os.path.split(os.path.abspath(path))
    size, room = name_bytes(name), name_max(folder)
    if size + len(SQLITE_SIDE_SUFFIX) <= room:
        return None
    return (f"its name is {size} bytes, and SQLite's {SQLITE_SIDE_SUFFIX} file beside it would be longer than the "
            f"folder takes ({room}): give it a name of at most {room - len(SQLITE_SIDE_SUFFIX)} bytes")


def temp_name(dst: str, tag: object) -> str:
    """The temporary name used while copying to ``dst`` (``tag``: the journal row id): ``.NAME.blurscan-TAG.part``,
    with ``NAME`` cut (and a digest of it added) when that is longer than the folder allows (:func:`fitted`): a
    photo's name that fits in the folder made a temporary name that did not, and the copy failed (until
    2026-12-05). Cut the same way where the whole path would be longer than the system takes (:func:`path_max`): a
    photo or sidecar whose path fitted, deep in a library, had no temporary file, and ``tag`` and a move across
    drives failed it, "file name too long" (until 2026-12-06); one whose folder leaves less room than the shortest
    such name (``.~DIGEST.blurscan-TAG.part``) is refused first (:func:`temp_too_long`). The same ``dst`` and
    ``tag`` give the same name (undo looks for leftovers by it)."""
    folder, name = os.path.split(dst)
    room = min(name_max(folder), path_max(folder) - name_bytes(folder) - 1)  # (- 1: the slash)
    return os.path.join(folder, fitted(".", name, f".blurscan-{tag}.part", room))


#: The journal row id a temporary name is planned with, before the row is written (longer than any a journal holds)
PLANNED_ROW = "9" * 12


def temp_too_long(dst: str, kind: str = "") -> str | None:
    """:func:`path_too_long` of the temporary file written before ``dst`` (:func:`temp_name`, its tag ``kind`` and
    the longest row id, :data:`PLANNED_ROW`): a path that fits, but within a few bytes of the limit and with a short
    name, leaves no room for it (``temp_name('<4,089-byte folder>/a.jpg', 12)`` is 4,117 bytes). Until 2026-12-06
    the dry run promised such a move across drives, or a sidecar, and ``--yes`` failed it, "file name too long"."""
    return path_too_long(temp_name(dst, kind + PLANNED_ROW))
