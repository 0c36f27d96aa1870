"""Safe cleanup actions: move or trash rejected photos (with their sidecars), undo, XMP tags.

Typical use::

    from blurscan.actions import plan_move, execute, undo
    plan = plan_move(store, "~/Rejects", all_flagged=True)   # changes nothing: a dry run
    result = execute(store, plan)                            # journaled, no-clobber, verified
    undo(store, result.batch_id)                             # byte-identical restore

Modules: :mod:`.plan` (selection, sidecars, destinations, sizes; ``--min-p-blurry``: :mod:`.scored`; Google Takeout's
JSON files: :mod:`.takeout`),
:mod:`.moves` (the move primitive), :mod:`.journal` (tables ``batches`` / ``journal``), :mod:`.run` (carrying
out a plan; each photo's decision read again just before it is taken: :mod:`.fresh_decisions`), :mod:`.undo`
(one file put back: :mod:`.restore`; its drive guard: :mod:`.drives`; a batch on a drive gone for good closed by
hand: :mod:`.close`), :mod:`.trash` (freedesktop.org trash),
:mod:`.xmp` (sidecar labels and ratings), :mod:`.owners` (who owns what they write, run as root).
"""
from __future__ import annotations

from .afterwards import moved_paths
from .journal import BatchInfo, JournalRow, list_batches
from .moves import move_file
from .plan import FileOp, PhotoOp, Plan, Skip, plan_move, plan_trash, select
from .run import BatchResult, execute
from .undo import UndoResult, undo

__all__ = [
    "BatchInfo", "BatchResult", "FileOp", "JournalRow", "PhotoOp", "Plan", "Skip", "UndoResult", "execute",
    "list_batches", "move_file", "moved_paths", "plan_move", "plan_trash", "select", "undo",
]
