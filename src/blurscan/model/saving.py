"""The end of a training run: its model written to ``--out`` and its card to ``--card``, where a write that fails
(a full disk, an I/O error) is one :class:`~blurscan.errors.ModelError` naming the file and the reason, and the
trained model is not lost.

Until 2026-12-06 such a write ended the command in a Python traceback (``OSError: [Errno 28] No space left on
device``) after a run of up to an hour, and the model went with it. Now the copy the run evaluated in its work
folder (:func:`staged`) is kept there when ``--out`` cannot be written, and the message says where: it only has
to be moved to ``--out`` once there is room. A card that cannot be written leaves the model written.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from ..errors import ModelError, os_reason, printable_path, shell_path
from .export import write_model


@contextlib.contextmanager
def staged(work: Path, out: str | os.PathLike, data: bytes) -> Iterator[Path]:
    """The model ``data`` in a file of its own in the work folder ``work`` (named as ``out``), which the run
    evaluates before ``out`` is written, removed at the end (unless :func:`save_model` kept it). One that cannot
    be written (a full work disk) raises :class:`ModelError`: nothing is written to ``out``."""
    with tempfile.TemporaryDirectory(prefix="model-", dir=work) as folder:
        path = Path(folder) / Path(out).name
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise ModelError(f"{printable_path(path)}: cannot write the model for its evaluation: {os_reason(exc)}; "
                             f"{printable_path(out)} was not written: make room, then run the same command again "
                             f"(the training images made are kept in {printable_path(work)})") from None
        yield path


def save_model(out: str | os.PathLike, data: bytes, diff: float, staged_copy: Path | None, work: Path, *,
               card: str | os.PathLike | None = None) -> None:
    """Write the model ``data`` to ``out`` (:func:`~blurscan.model.export.write_model`: whole or not at all).

    A write that fails raises :class:`ModelError` naming ``out`` and the reason, and where the model was kept:
    ``staged_copy`` (:func:`staged`) moved into ``work``, or ``data`` written there when there is none (no room
    needed for a move: the copy is on that disk already). ``card``: the card the run would write after the model,
    which is then not written either, and said so."""
    try:
        write_model(out, data, diff)
    except OSError as exc:
        reason = f"{printable_path(out)}: cannot write the model: {os_reason(exc)}"
        kept = _keep(Path(out).name, data, staged_copy, work)
        unwritten = f"; the model card {printable_path(card)} was not written" if card is not None else ""
        if kept is None:
            raise ModelError(f"{reason}; the trained model could not be kept elsewhere either{unwritten}: make room, "
                             f"then run the same command again (the training images made are kept in "
                             f"{printable_path(work)})") from None
        raise ModelError(f"{reason}; the trained model is kept in {printable_path(kept)}{unwritten}: make room, then "
                         f"move it there (mv {shell_path(kept)} {shell_path(out)}), no need to train "
                         "again") from None


def save_card(card: str | os.PathLike, out: str | os.PathLike, write: Callable[[], None]) -> None:
    """``write()`` the model card ``card`` of the model written to ``out``; a write that fails raises
    :class:`ModelError` naming the card and the reason (the model stays written)."""
    try:
        write()
    except OSError as exc:
        raise ModelError(f"{printable_path(card)}: cannot write the model card: {os_reason(exc)}; the model was "
                         f"written to {printable_path(out)}") from None


def _keep(name: str, data: bytes, staged_copy: Path | None, work: Path) -> Path | None:
    """Keep the model in ``work`` under ``name`` with the time added (a kept model of an earlier run is never
    replaced): ``staged_copy`` moved there, else ``data`` written. None when neither can be done."""
    stem, suffix = os.path.splitext(name)
    when = datetime.now().strftime("%Y-%m-%dT%H%M%S")
    kept, n = work / f"{stem}-{when}{suffix}", 1
    while os.path.lexists(kept):
        n += 1
        kept = work / f"{stem}-{when}-{n}{suffix}"
    try:
        if staged_copy is not None and staged_copy.is_file():
            os.rename(staged_copy, kept)
        else:
            work.mkdir(parents=True, exist_ok=True)
            kept.write_bytes(data)
        return kept
    except OSError:
        with contextlib.suppress(OSError):
            if staged_copy is None or not staged_copy.is_file():
                kept.unlink()  # (a part written: no model)
        return None
