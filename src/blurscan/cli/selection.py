"""The selection options of ``blurscan move``, ``trash`` and ``tag`` (:mod:`.actions`): ``--all-blurry``,
``--from-bursts`` and ``--min-p-blurry P`` (:mod:`blurscan.actions.scored`), and what is said of the photos the last
cannot take."""
from __future__ import annotations

import click

from ..errors import UsageError


def _min_p_blurry(ctx, param, value):
    """``--min-p-blurry``: a cut-off in [0, 1], refused (exit code 2) before anything is read."""
    from ..actions.scored import check

    try:
        return check(value)
    except UsageError:
        raise click.BadParameter(f"{value!r} is not between 0 and 1: give a p_blurry cut-off such as 0.4") from None


min_p_blurry_option = click.option(
    "--min-p-blurry", "min_p_blurry", type=float, metavar="P", callback=_min_p_blurry,
    help="Also select every photo whose p_blurry (as report and the JSONL show it) is at least P (0..1), whatever its "
         "verdict, partial too; never one you marked keep, nor one without a p_blurry (a file that could not be "
         "read, a --model none scan). The dry run shows each as [p_blurry 0.62 >= 0.4].")


def selection_options(func):
    func = min_p_blurry_option(func)
    func = click.option("--from-bursts", is_flag=True,
                        help="Also take the non-keeper shots of burst groups (see `blurscan bursts`).")(func)
    func = click.option("--all-blurry", "--all-flagged", "all_flagged", is_flag=True,
                        help="Also take every photo the scan called blurry (never one you marked keep; not the "
                             "partial ones the review page counts as flagged). --all-flagged: its old name."
                        )(func)
    return func


def unscored_note(store, min_p_blurry: float | None, under: str | None) -> None:
    """With --min-p-blurry, the photos it cannot take for want of a p_blurry (a --model none scan), on stderr."""
    from ..actions.scored import unscored

    n = 0 if min_p_blurry is None else unscored(store, under)
    if n:
        click.echo(f"note: {n} photo{'s have' if n != 1 else ' has'} no p_blurry (scanned with --model none): "
                   "--min-p-blurry does not take them; scan again without --model none to score them", err=True)


def no_bursts_note(store, from_bursts: bool, path: str | None) -> None:
    """With --from-bursts, and no burst group in the database (``blurscan bursts`` not run yet), that it takes
    nothing until then, on stderr. Said whatever the other options take: until 2026-12-06 only when nothing at
    all was selected, so ``move --all-blurry --from-bursts`` before ``bursts`` listed (and with --yes moved) the
    blurry photos alone, without a word of the bursts left out."""
    if not from_bursts or store.conn.execute("SELECT 1 FROM burst_groups LIMIT 1").fetchone() is not None:
        return
    from ..bursts.storage import GROUPED_KEY
    from .actions import typed

    if store.conn.execute("SELECT 1 FROM meta WHERE key = ?", (GROUPED_KEY,)).fetchone() is not None:
        # (bursts ran and found none: an HDR bracket or a time-lapse alone; until 2026-12-07 it said to run it first,
        # for ever)
        click.echo("note: `blurscan bursts` found no burst group in this library when it last ran (shots of one "
                   "scene in quick succession; run it again after a scan that adds photos): --from-bursts adds no "
                   "photo this time.", err=True)
        return
    bursts = typed(store.path, "blurscan bursts", path)  # (to paste: `blurscan bursts 'my lib'`, or with --db)
    click.echo(f"note: no burst groups yet: run `{bursts}` first (it groups the shots and proposes a "
               "keeper of each; --from-bursts then takes the others): it adds no photo this time.", err=True)
