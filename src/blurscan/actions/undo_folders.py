"""The folders a batch made, removed by its undo once emptied (:mod:`.undo`): a move's folders under its ``--to``,
deepest first, each only when empty (never one that was there before the move, nor one holding anything), and a
tag batch's folder of sidecar copies with the ``.tag-backups`` folder above it. Each removed in its parent opened
from the destination down, never through a link put there (:mod:`.held_folder`)."""
from __future__ import annotations

import os

from . import batch_drives, held_folder, journal


def remove_backup_folders(store, batch_id: int, rows: list[journal.JournalRow]) -> None:
    """A tag batch's folder of copies and the ``.tag-backups`` folder above it, each only when empty (copies of
    kept sidecars stay): beside the database, and where the batch wrote its copies, which its rows name (a
    database moved since, as the README moves one out of a dataset: until 2026-12-06 only the folder beside the
    database was looked at, and the batch's own folder stayed behind, empty, a hidden folder that torchvision's
    ``ImageFolder`` takes for a class)."""
    folders = {journal.backup_dir(store, batch_id)} | {os.path.dirname(r.dst) for r in rows if r.dst}
    for folder in sorted(folders):
        library = os.path.dirname(os.path.dirname(folder))  # (<library>/<db>.tag-backups/batch-N)
        for each in (folder, os.path.dirname(folder)):
            try:  # (as root: in its parent opened from the library down, never through a link put there)
                held_folder.rmdir(each, library)
            except OSError:
                break


def remove_folders(store, batch_id: int, destination: str | None, restored_dirs: set[str],
                    remounted: tuple[str, str] | None = None) -> list[str]:
    """Remove the folders the move batch created (journaled before it made them), deepest first, each only
    when it is empty: never a folder that existed before the move, nor one holding anything (a file this
    undo could not restore, another batch's, the person's). Returns those removed. ``remounted``: the ``--to``'s
    drive is mounted at another place (:func:`.batch_drives.remounted`), where its folders are now.

    A batch journaled before folders were (schema 1) keeps the old rule: the folders of the restored files
    below the destination, when empty (the destination itself stays)."""
    journaled = journal.created_folders(store, batch_id)
    if journaled is not None and remounted is not None:
        journaled = [batch_drives.moved_along(f, *remounted) if under(f, remounted[0]) else f for f in journaled]
    if journaled is None:
        return _remove_empty_dirs(restored_dirs, destination) if destination else []
    removed = []
    for folder in sorted(journaled, key=lambda f: f.count(os.sep), reverse=True):
        try:  # (as root: in its parent opened from --to down, never through a link put in --to)
            held_folder.rmdir(folder, destination)
        except OSError:  # not empty, or not there (never made: killed in between; removed by an earlier undo)
            continue
        removed.append(folder)
    return removed


def _remove_empty_dirs(folders: set[str], destination: str) -> list[str]:
    """Remove folders the batch created under ``destination`` when now empty (never ``destination``)."""
    stop = os.path.abspath(destination)
    removed = []
    for folder in sorted(folders, key=len, reverse=True):
        folder = os.path.abspath(folder)
        while folder.startswith(stop + os.sep):
            try:
                held_folder.rmdir(folder, destination)
            except OSError:
                break
            removed.append(folder)
            folder = os.path.dirname(folder)
    return removed


def under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or below it (by its words: no file system looked at)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
