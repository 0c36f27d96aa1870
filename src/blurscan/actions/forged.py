"""The journal rows of a batch that blurscan never writes, refused before its undo touches a file
(:func:`refusal`, called by :func:`.undo.undo`).

A library's database is a file that whoever may write it can change: another member of a group sharing the
library, the person whose archive or synced folder the library came from. Undo does what the journal says, as
whoever runs it (root too), so until 2026-12-06 a batch written by hand made ``blurscan undo`` move any file
this user may move: a move row whose ``dst`` was ``~/.ssh/id_rsa`` "put back" that file into the library; one
whose ``src`` was ``~/.bash_aliases`` put a file of the library there; a tag row whose copy of a sidecar's
previous bytes was named ``~/notes.txt`` deleted it. The rules, each what every batch blurscan writes keeps:

* every row's ``src`` (the place a file is put back to; a tag row's sidecar) lies in the library
  (:func:`blurscan.library_bounds.in_library`), and a tag row's is an ``.xmp`` sidecar;
* a move row's ``dst`` lies below the batch's ``--to`` folder, under the trailing names of its ``src``
  (``--to/2024/IMG_1.JPG`` for ``LIBRARY/2024/IMG_1.JPG``: :func:`.plan.plan_move` keeps the photo's path
  below the library);
* a trash row's ``dst`` is in the ``files`` folder of a trash (``Trash``, ``.Trash-UID`` or ``.Trash/UID``);
* a tag row's ``dst``, when it has one, is named ``ROW-SHA256.xmp`` in a ``batch-N`` folder (N its batch) of a
  ``.tag-backups`` folder (:func:`.journal.add_tag_row`).

A path must be absolute and normalised (no ``..``). What a batch's rows may name is recorded in the database
too (the scanned folders, the ``--to`` folder), so this stops rows added to a library's database, not a
database forged whole around another library: the files a forged move batch can take are then those below the
``--to`` folder it names, under the names of photos.
"""
from __future__ import annotations

import os
import re

from ..errors import StoreError, printable_path
from ..library_bounds import in_library, library_folders
from . import journal

#: The folder a trash keeps its files in: ``files`` in ``Trash`` (the home trash, ``$XDG_DATA_HOME/Trash``),
#: ``.Trash-UID`` or ``.Trash/UID`` (a drive's, :func:`.trash.trash_dir_for`).
_TRASH = re.compile(r"(?:.*/Trash|.*/\.Trash-\d+|.*/\.Trash/\d+)/files")


def refusal(store, info, rows) -> StoreError | None:
    """The error naming the database and the first of ``rows`` (of batch ``info``) that blurscan never writes,
    and why; None when each is one it may have written (the module docstring)."""
    folders = library_folders(store)
    reals: dict[str, str] = {}
    for row in rows:
        why = _why(info, row, folders, reals)
        if why:
            return _refused(store, info, f"its journal row {row.id} {why}")
    folder = _made_folder_why(store, info)
    return None if folder is None else _refused(store, info, folder)


def _refused(store, info, why: str) -> StoreError:
    return StoreError(f"{printable_path(store.path)}: batch {info.id} cannot be undone: {why}, which blurscan never "
                      "writes (a row added by another user or program?); nothing was touched")


def _made_folder_why(store, info) -> str | None:
    """Why a folder a move batch journaled as made by it (``batch_folders``, removed by undo when empty) is not
    one it can have made: a folder of a photo's place below the batch's ``--to`` folder (:func:`_below`), that
    folder itself or one above it (made when ``--to`` was missing: :func:`.run._do_one` journals the missing
    folders of each destination). For a tag batch: a row of any state (one ``skipped`` or ``undone`` too, which
    undo does not put back) whose copy is not in a tag backup (:func:`_backup_why`): undo removes each row's
    copy's folder and the one above it when empty (:func:`.undo_folders.remove_backup_folders`), and until 2026-12-06 a
    ``skipped`` row added by hand, never looked at, made it remove any empty folder (``~/.config/app``) and the
    one above it."""
    if info.kind == "tag":
        for row in journal.rows(store, info.id):
            if row.dst is not None and (why := _backup_why(info, row)):
                return f"its journal row {row.id} {why}"
        return None
    if info.kind != "move":
        return None
    made = journal.created_folders(store, info.id) or []
    places: set[str] = set()
    if made and info.destination and _clean(info.destination):
        for row in journal.rows(store, info.id):
            if row.dst is not None and _clean(row.dst) and _below(row.src, row.dst, info.destination):
                place = os.path.dirname(row.dst)
                while place not in places and os.path.dirname(place) != place:
                    places.add(place)
                    place = os.path.dirname(place)
    for folder in made:
        if folder not in places:
            return (f"names {printable_path(folder)} as a folder it made, not one of its photos' places below the "
                    f"batch's folder {printable_path(info.destination or '(none)')} or above it")
    return None


def _why(info, row, folders, reals) -> str | None:
    if not in_library(row.src, folders, reals):
        return f"names {printable_path(row.src)}, outside the library"
    if info.kind == "tag":
        if os.path.splitext(row.src)[1].lower() != ".xmp":
            return f"names {printable_path(row.src)}, not an .xmp sidecar"
        return None if row.dst is None else _backup_why(info, row)
    if row.dst is None:
        return None
    if not _clean(row.dst):
        return f"moved {printable_path(row.src)} to {printable_path(row.dst)}, not a plain absolute path"
    if info.kind == "trash":
        if _TRASH.fullmatch(os.path.dirname(row.dst)):
            return None
        return f"trashed {printable_path(row.src)} to {printable_path(row.dst)}, not in a trash"
    if info.kind == "move" and info.destination and _clean(info.destination) and \
            _below(row.src, row.dst, info.destination):
        return None
    return (f"moved {printable_path(row.src)} to {printable_path(row.dst)}, not that photo's place below the "
            f"batch's folder {printable_path(info.destination or '(none)')}")


def _backup_why(info, row) -> str | None:
    """Why a tag row's copy of the sidecar's previous bytes is not one :func:`.journal.add_tag_row` names."""
    folder, name = os.path.split(row.dst)
    if _clean(row.dst) and re.fullmatch(rf"{row.id}-[0-9a-f]{{64}}\.xmp", name) and \
            os.path.basename(folder) == f"batch-{info.id}" and os.path.dirname(folder).endswith(".tag-backups"):
        return None
    return f"keeps the previous bytes of {printable_path(row.src)} at {printable_path(row.dst)}, not in a tag backup"


def _clean(path: str) -> bool:
    return os.path.isabs(path) and os.path.normpath(path) == path and "\x00" not in path


def _below(src: str, dst: str, destination: str) -> bool:
    """Whether ``dst`` is ``destination`` joined with the last names of ``src`` (one at least)."""
    inside = os.path.relpath(dst, destination).split(os.sep)
    if inside[0] == os.pardir or inside == [os.curdir]:
        return False
    return src.split(os.sep)[-len(inside):] == inside
