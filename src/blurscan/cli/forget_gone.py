"""``blurscan scan --forget --db FILE FOLDER...``: forget the records under a folder whose drive is gone for good (a
drive that died or was given away, its mount point ``/media/me/DISK`` removed as a desktop unmounts it), which no
scan forgets: a scan of a folder not there knows nothing of its photos (:mod:`blurscan.pruning`), and ``report``
named the drive "not mounted now" on every run (since 2026-12-07; until then "moved, renamed or deleted", with a
scan that failed on the folder). Explicit, as ``undo --close --batch N``: named by ``report``'s note
(:func:`forget_typed`), refused for a folder that is there or whose drive is mounted anywhere, and it says what it
forgot. Records only: the photos' rows, their keeps and discards and their burst places; nothing on any disk is
touched; the journal's batches stay (their undo is refused on the drive gone, ``undo --close`` closes them)."""
from __future__ import annotations

import os

import click

from ..errors import printable_path


def with_forget(ctx: click.Context) -> None:
    """Refuse an option ``--forget`` would not use (it scans nothing): given, it would be ignored without a word."""
    from click.core import ParameterSource

    given = [p for p in ctx.command.params if p.name not in ("paths", "db", "forget") and
             ctx.get_parameter_source(p.name) is ParameterSource.COMMANDLINE]
    if given:
        names = ", ".join(max(p.opts, key=len) for p in given)
        raise click.UsageError(f"--forget scans nothing: {names} cannot go with it (give --db FILE and the FOLDER).")


def forget_typed(db_path, folder: str) -> str:
    """The command that forgets the records under ``folder`` in the database ``db_path``, as it can be pasted
    (:func:`blurscan.unmounted.forget_command`)."""
    from ..unmounted import forget_command

    return forget_command(db_path, folder)


def refusal(store, folder: str) -> str | None:
    """Why the records under ``folder`` are not to be forgotten, or None: it is there (a scan of it forgets what is
    gone from it), a drive recorded at or above it is mounted (there, at another place, or with a copy), or the
    database holds nothing under it (a name mistyped)."""
    from ..actions import drive_ids
    from ..root_drives import recorded_drives

    if os.path.lexists(folder):
        return (f"{printable_path(folder)} is there: nothing forgotten (`blurscan scan` of it forgets the photos gone "
                "from it)")
    for point, ident in recorded_drives(store).items():
        if folder == point or folder.startswith(point.rstrip(os.sep) + os.sep):
            now = drive_ids.mounted_at(ident, point)
            if now is not None:
                where = " and ".join(map(printable_path, now)) if isinstance(now, tuple) else printable_path(now)
                return (f"{printable_path(folder)}: the drive mounted at {printable_path(point)} when it was scanned "
                        f"is mounted at {where} now: nothing forgotten")
    if not store.holds(folder):
        return f"{printable_path(folder)}: the database holds no photo there: nothing forgotten"
    return None


def forget(store, folder: str) -> tuple[int, int, int, list[int]]:
    """Forget the rows of the photos at or under ``folder`` (``images``, ``decisions``, ``burst_groups``), in one
    transaction: ``(photos, keeps and discards, burst places, [the batches that moved photos from or to there])``."""
    from ..stored_paths import under_clause

    counts = []
    with store.transaction() as conn:
        for table in ("images", "decisions", "burst_groups"):
            args: list = []
            counts.append(conn.execute(f"DELETE FROM {table} WHERE {under_clause(folder, args)}", args).rowcount)
        src: list = []
        dst: list = []
        batches = sorted({b for (b,) in conn.execute(
            f"SELECT DISTINCT batch_id FROM journal WHERE state IN ('done', 'moving', 'gone', 'undoing') AND "
            f"({under_clause(folder, src, 'src')} OR {under_clause(folder, dst, 'dst')})",
            src + dst)})
    return counts[0], counts[1], counts[2], batches


def forget_gone(paths, db) -> None:
    """``scan --forget``: each of ``paths`` checked first (:func:`refusal`: exit 1, nothing forgotten), then
    forgotten, a line each."""
    from ..store import Store

    if not db:
        raise click.UsageError("--forget needs --db FILE, the database holding the records to forget.")
    if not paths:
        raise click.UsageError("--forget needs the FOLDER whose records to forget.")
    folders = list(dict.fromkeys(os.path.abspath(os.path.expanduser(p)) for p in paths))
    with Store(db, create=False) as store:
        refused = [why for why in (refusal(store, folder) for folder in folders) if why is not None]
        if refused:
            for why in refused[:-1]:
                click.echo(f"Error: {why}", err=True)
            raise click.ClickException(refused[-1])
        _forget_all(store, folders)


def _forget_all(store, folders: list[str]) -> None:
    """Each of ``folders`` forgotten (:func:`forget`), a line each, and the batches that stay named."""
    from .actions import undo_typed

    for folder in folders:
        n, decided, placed, batches = forget(store, folder)
        kept = f"{decided} keep{'s' if decided != 1 else ''} or discard{'s' if decided != 1 else ''}, " \
            f"{placed} burst place{'s' if placed != 1 else ''} with them"
        click.echo(f"forgot {n} stored photo{'s' if n != 1 else ''} under {printable_path(folder)} ({kept}); nothing "
                   "on disk was touched.")
        for batch in batches:
            click.echo(f"batch {batch} moved photos there and stays in the journal: "
                       f"`{undo_typed(store, f' --close --batch {batch}')}` closes it.")
