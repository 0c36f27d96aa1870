"""What a batch stopped by Ctrl-C (or SIGTERM, SIGHUP) says: one line on stderr, how far it went and the command
that undoes it or finishes it, and exit code 130 (143, 129: :mod:`blurscan.cli.ctrl_c`), on a line of its own
(:func:`blurscan.cli.ctrl_c.own_line`). A bare ``interrupted``
left a tag or an undo half-done without a word of what was done or what to run next."""
from __future__ import annotations

import sys

import click

from ..errors import printable_path
from .actions import human_size, trash_words, undo_command
from .ctrl_c import exit_code, own_line


def batch(store, plan, result, verb_done: str) -> None:
    """A move or trash: ``interrupted: moved 2 of 6 photos (...) to DIR as batch 1, the others not; undo with ...``."""
    own_line()  # (not after the terminal's ^C)
    n, k = result.photos_moved, len(result.moved)
    where = f" to {printable_path(plan.destination)}" if plan.destination else trash_words(result.moved)
    click.echo(f"interrupted: {verb_done} {n} of {len(plan.photos)} photo{'s' if len(plan.photos) != 1 else ''} "
               f"({k} file{'s' if k != 1 else ''}, {human_size(result.bytes_moved)}){where} as batch "
               f"{result.batch_id}, the others not; undo with `{undo_command(store, result.batch_id)}` (it checks "
               "every file of the batch on disk).", err=True)
    sys.exit(exit_code())


def tagging(store, result, total: int) -> None:
    """A tag: ``interrupted: tagged 2 of 6 photos as batch 3, the others not; undo with ...``."""
    own_line()  # (not after the terminal's ^C)
    done = f"interrupted: tagged {len(result.photos)} of {total} photo{'s' if total != 1 else ''}"
    if result.batch_id is None:
        click.echo(f"{done}; no sidecar was written, so there is nothing to undo.", err=True)
    else:
        click.echo(f"{done} as batch {result.batch_id}, the others not; undo with "
                   f"`{undo_command(store, result.batch_id)}` (it checks every sidecar of the batch).", err=True)
    sys.exit(exit_code())


def undoing(store, result, total: int) -> None:
    """An undo: ``interrupted: restored 2 of 6 files of batch 1; run `blurscan undo --batch 1` again to finish``."""
    own_line()  # (not after the terminal's ^C)
    n = len(result.restored) + len(result.removed)  # (a tag batch's sidecars put back, and those tag made removed)
    what = "sidecar" if result.kind == "tag" else "file"
    # none to put back (a move stopped before its first file; every file it moved back already): the rows the
    # batch never moved were being looked at (it said "restored 0 of 0 files", until 2026-12-06)
    done = (f"restored {n} of {total} {what}{'s' if total != 1 else ''} of batch {result.batch_id}" if total else
            f"batch {result.batch_id} has no {what} left to restore (none that it moved is still away)")
    click.echo(f"interrupted: {done}; run `{undo_command(store, result.batch_id)}` again to finish.", err=True)
    sys.exit(exit_code())
