"""The files of a dataset ``synth`` writes, each a one-line error naming it when the disk cannot hold it: a sample or
``dataset.json`` (:func:`write_file`: the part written removed), ``manifest.csv`` row by row (:class:`Manifest`),
and what a run stopped so says of its OUT folder (:data:`UNFINISHED_NOTE`). Used by
:func:`blurscan.synth.recipes.write_dataset` and its workers.
"""
from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable
from pathlib import Path

from ..errors import BlurscanError, os_reason, printable_path


class NotWritten(BlurscanError):
    """A file of the dataset could not be written (a full disk): ``PATH: cannot write: REASON``. One text argument,
    so that it comes back whole from a worker process."""


def not_written(path: Path, exc: OSError) -> NotWritten:
    return NotWritten(f"{printable_path(path)}: cannot write: {os_reason(exc)}")


def write_file(path: Path, write: Callable) -> None:
    """Open ``path`` and ``write(fh)`` to it; a write that fails (a full disk) removes the part written (until
    2026-12-06 a sample cut short stayed in its split folder) and raises :class:`NotWritten` naming it."""
    try:
        fh = open(path, "wb")
    except OSError as exc:
        raise not_written(path, exc) from None
    try:
        with fh:
            write(fh)
    except OSError as exc:
        with contextlib.suppress(OSError):
            path.unlink()
        raise not_written(path, exc) from None


#: What a run stopped by a write that failed says of its OUT folder (the marker stays: ``--overwrite`` replaces it).
UNFINISHED_NOTE = ("{out} holds an unfinished dataset: make room, then run the same command with --overwrite to "
                   "make it again")


class Manifest:
    """``manifest.csv`` being written (``columns``: :data:`~blurscan.synth.recipes.MANIFEST_COLUMNS`), row by row,
    flushed after each source's rows; a write that fails (a full disk) raises :class:`NotWritten` naming it."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.path = path
        try:
            self.fh = open(path, "w", newline="", encoding="utf-8")
        except OSError as exc:
            raise not_written(path, exc) from None
        self.writer = csv.DictWriter(self.fh, fieldnames=columns)
        try:
            self._flushed(self.writer.writeheader)
        except NotWritten:
            self.__exit__(NotWritten, None, None)
            raise

    def write(self, rows: list[dict]) -> None:
        self._flushed(lambda: self.writer.writerows(rows))

    def _flushed(self, write: Callable) -> None:
        try:
            write()
            self.fh.flush()
        except OSError as exc:
            raise not_written(self.path, exc) from None

    def __enter__(self) -> "Manifest":
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.fh.close()
        except OSError as error:  # (what the buffer still held: said, unless another error is on its way)
            if exc[0] is None:
                raise not_written(self.path, error) from None
