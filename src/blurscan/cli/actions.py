"""``blurscan move`` and ``trash``: thin commands over :mod:`blurscan.actions` (``tag``: :mod:`.tag`, ``undo``:
:mod:`.undo`).

Exit codes: 0 when everything asked for was done (or the dry run listed it), 1 when some file failed (the
others were still done; each failure is listed on stderr) or on a fatal error, 2 on a usage error, 130 when
interrupted (143, 129 by SIGTERM, SIGHUP), saying how far the batch went and how to undo it (:mod:`.interrupted`).
"""
from __future__ import annotations

import os
from functools import partial

import click

from ..errors import BlurscanError, printable_path, shell_path, when_writable
from ..library_root import as_stored, library_root
from ..sizes import human_size  # (imported from here by the other commands)
from ..walk import canonical
from .action_problems import destination_problems, none_taken, trash_problems
from .linked_note import say_linked_names
from .linked_folders import library_path
from .opendb import open_store as _open_store
from .path_given import DbFile, GivenPath, not_empty
from .selection import no_bursts_note, selection_options, unscored_note


class _Folder(click.Path):
    """``click.Path(file_okay=False)`` that refuses a file named in a folder's form too (``lib/x.jpg/``,
    ``lib/x.jpg/.``), as it refuses ``lib/x.jpg``: click looks the name up as given, which the slash makes fail
    (not a folder), and took it for a name not there, so ``move lib/x.jpg/ --yes`` moved the photo, and ``trash``
    and ``tag`` took it, until 2026-12-07. A link whose target is not there is left to the command's own words."""

    def __init__(self) -> None:
        super().__init__(file_okay=False)

    def convert(self, value, param, ctx):
        from ..walk import link_to_nothing, named_as_folder

        rv = super().convert(value, param, ctx)
        if named_as_folder(os.fsdecode(rv)):
            plain = canonical(rv)
            if os.path.lexists(plain) and not os.path.isdir(plain) and not link_to_nothing(plain):
                self.fail(f"{self.name.title()} {click.format_filename(value)!r} is a file.", param, ctx)
        return rv


def _db_options(func):
    func = click.option("--db", type=DbFile(), default=None,
                        help="Database file (default: .blurscan.db in PATH or its nearest parent folder).")(func)
    func = click.argument("path", required=False, type=_Folder(), callback=not_empty)(func)
    return func


_yes_option = click.option("--yes/--dry-run", default=False,  # --dry-run: the default, as tag's (the later wins)
                           help="--yes: do it; --dry-run (the default): only list what would happen.")


def _refuse_none_taken(plan, verb: str) -> None:
    """``--yes`` with no photo that can be taken out of its folder: the other skips, then one error line (exit 1);
    no batch is made."""
    from ..errors import ActionError

    line = none_taken(plan)
    if line:
        root = plan.root or os.getcwd()
        for skip in plan.skipped:
            if not skip.refusal:
                click.echo(f"skipped: {_show(skip.path, root)}: {skip.reason}", err=True)
        raise ActionError(f"{line}; nothing was {verb}")


def undo_command(store, batch_id: int, db: str | None = None) -> str:
    """The command that undoes ``batch_id`` of ``store`` when typed in the current folder: with the library's
    folder (or ``--db`` for a database in the cache folder) unless the current folder finds this database
    (a plain `blurscan undo --batch N` typed elsewhere found another library's database, or none). ``db``: the
    database as it is to be named (its drive mounted at another place then, :func:`.batch_drives.db_at`)."""
    return undo_typed(store, f" --batch {batch_id}", db)


def undo_typed(store, options: str = "", db: str | None = None) -> str:
    """``blurscan undo OPTIONS`` for ``store`` (named ``db`` where given) as it can be typed in the current folder
    (:func:`typed`): ``report``'s note of the photos moved away names it so (until 2026-12-07 a bare `blurscan
    undo`, which typed outside the library, or with the database given by ``--db``, found no database)."""
    return typed(store.path if db is None else db, f"blurscan undo{options}")


#: The most ``undo --batch N`` commands :func:`undo_puts_back` writes out; past it, one with N, and ``--list``.
UNDO_COMMANDS = 3


def undo_puts_back(store, batches, them: str = "them", db: str | None = None) -> str:
    """``\\`blurscan undo LIB\\` puts them back``: the undo of the photos the move or trash ``batches`` took, as it can
    be typed here (:func:`undo_typed`). A plain undo only where it reaches them: their one batch is the newest
    neither undone nor closed (:func:`blurscan.actions.journal.latest_undoable`); else ``--batch N`` for each,
    newest first (``\\`blurscan undo --batch 3 LIB\\` and \\`blurscan undo --batch 1 LIB\\` put them back``), past
    :data:`UNDO_COMMANDS` batches one with N and ``undo --list``. Until 2026-12-07 ``report`` said a plain undo of
    every batch, which after ``undo --close --batch N`` (or with a newer batch, or one waiting for its drive)
    undid another batch or found none. ``db``: the database as it is to be named (:func:`undo_typed`)."""
    from ..actions.journal import latest_undoable

    ids = sorted(set(batches), reverse=True)
    if not ids or ids == [latest_undoable(store)]:
        return f"`{undo_typed(store, '', db)}` puts {them} back"
    if len(ids) <= UNDO_COMMANDS:
        commands = [f"`{undo_command(store, b, db)}`" for b in ids]
        return (" and ".join(commands) if len(commands) < 3 else ", ".join(commands[:-1]) + f" and {commands[-1]}") \
            + f" put{'s' if len(ids) == 1 else ''} {them} back"
    numbers = ", ".join(map(str, ids[:-1])) + f" and {ids[-1]}"
    return (f"`{undo_typed(store, ' --batch N', db)}` for N = {numbers} puts {them} back "
            f"(`{undo_typed(store, ' --list', db)}` lists those batches)")


def typed(db_path, command: str, path: str | None = None) -> str:
    """``command`` (``"blurscan undo --list"``) for the database ``db_path`` as it can be typed in the current
    folder: with PATH (``path``) where PATH finds that database, written absolute (as the command reads it,
    :func:`.linked_folders.library_path`: until 2026-12-07 as it was typed, ``blurscan review ../lib``, which
    pasted in another folder found another library or none), as it is where the current folder does (no
    ``path``), else naming it (:func:`blurscan.typed_commands.naming`: the library's folder, or ``--db FILE``).
    Until 2026-12-07 the actions' notes said `blurscan review`, `blurscan bursts` and `blurscan undo --list` bare,
    or with PATH, for a database given by ``--db`` too, which neither finds."""
    from ..typed_commands import as_run, naming

    if _finds(path if path is not None else ".", db_path):
        if path is None:
            return as_run(command)
        return as_run(f"{command} {shell_path(library_path(path))}")
    return naming(db_path, command)


def _finds(path: str, db_path) -> bool:
    """Whether a command given ``path`` (as report, review and the actions look: :func:`.locate.find_db`) uses the
    database ``db_path``; only compared, its notes unsaid."""
    from .linked_folders import library_path
    from .locate import find_db

    try:
        root = library_path(path)
        here = find_db(root if os.path.isdir(root) else os.path.dirname(root), quiet=True)
    except (OSError, BlurscanError):  # (a current folder deleted: none found there, the database then named)
        return False
    return here is not None and os.path.realpath(here) == os.path.realpath(db_path)


def _scope(store, path: str | None, db: str | None) -> str | None:
    """The folder a move / trash / tag is limited to: PATH (default: the current folder, when the database was
    found from it), as `blurscan report` lists; None (the whole database) when that is the database's own
    folder or when only --db was given. Says so on stderr when it leaves part of the library out."""
    if path is None and db:
        say_linked_names(store, None, True)
        return None
    root = library_path(path or ".")
    if path is not None:
        from .locate import must_exist

        must_exist(root, path, db)  # (PATH on a drive not mounted: said so, exit 1 as before)
    say_linked_names(store, root, bool(db))  # an older blurscan's names through a link: a scan converts them
    library = library_root(store)  # (None: photos in unrelated folders, no library folder)
    if library is not None:  # (PATH through a second mount point of the library's drive: the library's name)
        root = as_stored(root, library)
    if root == library:
        return None
    if library is not None and root.startswith(library.rstrip(os.sep) + os.sep):  # a folder inside the library: the rest is left alone
        click.echo(f"note: only photos under {printable_path(root)} are taken (the library is "
                   f"{printable_path(library)})", err=True)
    return root  # (a folder above the library, or beside it: PATH limits too)


def _show(path: str, root: str | None) -> str:
    if root:
        rel = os.path.relpath(path, root)
        if not rel.startswith(os.pardir):
            return printable_path(rel)
    return printable_path(path)


def _print_plan(plan, verb: str) -> None:
    root = plan.root or os.getcwd()
    for photo in plan.photos:
        extra = [os.path.relpath(f.src, os.path.dirname(photo.photo)) for f in photo.files[1:]]  # (CaptureOne/...)
        with_ = f"  (with {', '.join(printable_path(e) for e in extra)})" if extra else ""
        target = f" -> {printable_path(photo.files[0].dst)}" if photo.files[0].dst else ""
        why = f"duplicate of {_show(photo.duplicate_of, root)}" if photo.duplicate_of else photo.why or photo.reason
        click.echo(f"{verb} {_show(photo.photo, root)} [{why}]{with_}{target}")
    for skip in plan.skipped:
        click.echo(f"skip {_show(skip.path, root)}: {skip.reason}")


def _summary(plan) -> str:
    n, files = len(plan.photos), len(plan.files)
    return (f"{n} photo{'s' if n != 1 else ''} ({files} file{'s' if files != 1 else ''}, "
            f"{human_size(plan.total_bytes)})")


def _empty_hint(store, plan, all_flagged: bool, from_bursts: bool, path: str | None,
                under: str | None = None, min_p_blurry: float | None = None) -> None:
    """When nothing is selected, say why and what would select something (on stderr)."""
    if plan.photos or plan.skipped:
        return
    if under is not None:
        from ..actions import select
        from ..actions.batch_drives import carried_here

        carried = carried_here(store)  # (the library carried with its drive, not scanned at its new place yet:
        if carried is not None and (under + os.sep).startswith(carried[2].rstrip(os.sep) + os.sep):  # report's
            click.echo(f"note: nothing selected under {printable_path(under)}: this library was scanned at "  # words
                       f"{printable_path(carried[0])}, and its drive is mounted at {printable_path(carried[1])} now; "
                       f"`{typed(store.path, 'blurscan scan', carried[2])}` finds its photos there, scores and keeps "
                       "or discards kept; then run the command again.", err=True)
            return  # (until 2026-12-07 it said to give the library's folder at the old place, where nothing is)
        elsewhere = len(select(store, all_flagged=all_flagged, from_bursts=from_bursts, min_p_blurry=min_p_blurry)[0])
        if elsewhere:
            library = library_root(store)  # (a database kept elsewhere: not its folder)
            if library is not None and os.path.realpath(library) == under:
                return  # (the folder given, under a link's name an older blurscan stored: said, with the scan)
            them = "them" if elsewhere != 1 else "it"
            take = (f"give the library folder, {printable_path(library)}, to take {them}" if library is not None
                    else f"give --db {shell_path(os.path.abspath(store.path))} and no folder to take {them}")
            click.echo(f"note: nothing selected under {printable_path(under)}; {elsewhere} photo"
                       f"{'s' if elsewhere != 1 else ''} elsewhere in the library would be ({take}).", err=True)
            return
    from ..actions import moved_paths, select
    from ..store import path_from_db

    review = typed(store.path, "blurscan review", path)  # (to paste: `blurscan review 'my lib'`, or with --db)
    if from_bursts and store.conn.execute("SELECT 1 FROM burst_groups LIMIT 1").fetchone() is None:
        # --from-bursts takes the groups `blurscan bursts` stored: none yet, said by no_bursts_note (it said "no
        # photo is marked discard")
        return
    if min_p_blurry is not None and not all_flagged and not from_bursts:
        from ..actions.scored import highest, shown

        top = highest(store, under)
        if top is None or top < min_p_blurry:
            found = f"the highest is {shown(top)}" if top is not None else "none has a p_blurry"
            click.echo(f"note: no photo in place and not marked keep has a p_blurry of {shown(min_p_blurry)} or "
                       f"more ({found}); "
                       f"give a lower --min-p-blurry, or mark photos discard in `{review}`.", err=True)
            return
    from ..actions.plan import within

    # of those under the folder given only: a discard moved from elsewhere in the library said "nothing left to
    # take" of a folder where nothing was ever marked discard or moved (until 2026-12-06), the tips unsaid
    gone = {p for p in moved_paths(store) if within(p, under)}
    if gone:
        done = sum(1 for (p,) in store.conn.execute("SELECT path FROM decisions WHERE decision = 'discard'")
                   if path_from_db(p) in gone)
        if done or all_flagged or from_bursts or min_p_blurry is not None:
            click.echo("note: nothing left to take: what this selection takes was moved or trashed already "
                       f"(`{undo_typed(store, ' --list')}` shows the batches).", err=True)
            return
    blurry = 0 if all_flagged else len(select(store, all_flagged=True, under=under)[0])
    bursts = 0 if from_bursts else len(select(store, from_bursts=True, under=under)[0])
    tips = [f"review the flagged photos first (`{review}`) and mark some discard"]
    if blurry:
        tips.append(f"add --all-blurry to take the {blurry} photo{'s' if blurry != 1 else ''} the scan called blurry")
    if bursts:
        tips.append(f"add --from-bursts to take {bursts} non-keeper burst shot{'s' if bursts != 1 else ''}")
    # with --all-blurry / --from-bursts given, what they take is empty too: said, not only the discards (until
    # 2026-12-05 "no photo is marked discard" alone, as if the option had not been given)
    empty = "no photo is marked discard" + (", and none the scan called blurry is left to take (a photo marked "
                                            "keep never is)" if all_flagged else "")
    if from_bursts:
        empty += ", and no burst shot but the keepers and those marked keep is left to take"
    click.echo(f"note: {empty}; " + ", or ".join(tips) + ".", err=True)


def _print_skips(plan) -> None:
    """With --yes, the photos the plan leaves out, each with its reason (on stderr)."""
    root = plan.root or os.getcwd()
    for skip in plan.skipped:
        click.echo(f"skipped: {_show(skip.path, root)}: {skip.reason}", err=True)


def _freeing(plan, where: str) -> str:
    """``freeing SIZE WHERE`` of a dry run (:mod:`blurscan.actions.freed`: hard-linked files free nothing)."""
    from ..actions.freed import freeing

    return freeing(plan, where, human_size)


def _dry_run_warnings(plan, problems, hint) -> None:
    """After a dry run's summary (move's, trash's): ``problems(plan)``, what --yes would stop or fail at, said before
    it is typed; the plan's lack of any photo that can be taken; and, with nothing selected, why (``hint()``:
    :func:`_empty_hint` of the command's selection)."""
    for problem in problems(plan):
        click.echo(f"warning: {problem}", err=True)
    if none_taken(plan):
        click.echo(f"warning: {none_taken(plan)}", err=True)
    hint()


def _carry_out(store, plan, verb: str, verb_done: str, verb_ing: str, hint) -> None:
    """With --yes: :func:`_run` the plan; one of no photo: refused (:func:`_refuse_none_taken`), or its skips, then
    ``Nothing to VERB.`` and why (``hint()``, as :func:`_dry_run_warnings`)."""
    if plan.photos:
        _run(store, plan, verb_done, verb_ing)
        return
    _refuse_none_taken(plan, verb_done)
    _print_skips(plan)
    click.echo(f"Nothing to {verb}." + (f" ({len(plan.skipped)} skipped, listed above.)" if plan.skipped else ""))
    hint()


def _run(store, plan, verb_done: str, verb_ing: str) -> None:
    from ..actions import execute
    from ..actions.run import PHOTO_NOT_MOVED, BatchInterrupted
    from . import ctrl_c, interrupted
    from .bars import progressbar

    try:
        with ctrl_c.once():  # a second Ctrl-C cannot cut short the line saying how far it went
            if len(plan.files) > 20:  # (a bar no wider than the terminal; off one, a line now and then)
                with progressbar(len(plan.files), verb_ing, doing=verb_ing.lower(), things="files") as bar:
                    result = execute(store, plan, progress=lambda done, total, path: bar.update(1))
            else:
                result = execute(store, plan)
    except BatchInterrupted as exc:  # Ctrl-C half-way: say what was done and how to put it back (not "interrupted")
        interrupted.batch(store, plan, exc.result, verb_done)
    _print_skips(plan)
    for path, reason in result.failed:
        click.echo(f"failed: {reason}", err=True)
    for path, reason in result.skipped:
        click.echo(f"skipped: {printable_path(path)}: {reason}", err=True)
    for path, dst in result.taken_meanwhile:  # (until 2026-12-06 "cannot copy", its copy left out of undo's reach)
        click.echo(f"note: {printable_path(path)}: gone from its folder as it was being moved (another program "
                   f"removed or moved it); the photo is at {printable_path(dst)}, counted as {verb_done} "
                   "(undo puts it back)", err=True)
    for path, dst in result.replaced_meanwhile:  # (until 2026-12-06 the new file was removed, never copied)
        click.echo(f"note: {printable_path(path)}: replaced by another file as it was being moved (a new version "
                   f"from a sync tool?), which stays; the photo blurscan judged is at {printable_path(dst)}, counted "
                   f"as {verb_done}", err=True)
    for path, dst, words in result.not_kept:  # (a user's copy on another drive is theirs: only root gives files away)
        click.echo(f"note: {printable_path(path)}: its copy {printable_path(dst)} keeps its permissions, times and "
                   f"extended attributes, but not its {words}", err=True)
    n = result.photos_moved
    where = f" to {printable_path(plan.destination)}" if plan.destination else trash_words(result.moved)
    # (the files left with a photo that failed are listed, but counted in that failure)
    skipped = len(plan.skipped) + sum(why != PHOTO_NOT_MOVED for _path, why in result.skipped)
    k = len(result.moved)
    problems = [f"{len(result.failed)} failed"] if result.failed else []
    problems += [f"{skipped} skipped"] if skipped else []
    if result.stopped and not (k or result.failed):  # stopped at its first journal write: said alone below (until
        _stopped_first(result.stopped, verb_done)  # 2026-12-07 'moved 0 photos (0 files, 0 bytes) ...' came first)
    click.echo(f"{verb_done} {n} photo{'s' if n != 1 else ''} ({k} file{'s' if k != 1 else ''}, "
               f"{human_size(result.bytes_moved)}){where} as batch {result.batch_id}; "
               + (f"{', '.join(problems)} (listed above); " if problems else "")
               + (f"undo with `{undo_command(store, result.batch_id)}`." if k else "nothing to undo."))
    if result.stopped:  # the journal refused a write (a full disk): until 2026-12-04 one "Error:" line, nothing said
        for path in result.left_behind:  # (stopped between a photo and its sidecars: no later move takes them)
            click.echo(f"left behind: {printable_path(path)}: its photo was moved, and the database could not record "
                       "more; the undo of this batch puts the photo back beside it", err=True)
        # stopped before any file went: no undo to offer (until 2026-12-06 it was, below "nothing to undo")
        back = f", or `{undo_command(store, result.batch_id)}` to put back what this one moved" if k else ""
        click.echo(f"stopped: {result.stopped}; the photos not counted above are where they were: "
                   f"{when_writable(result.stopped)} run the same command again to take them{back}", err=True)
    if result.failed or result.stopped:
        raise SystemExit(1)


def trash_words(moved) -> str:
    """Where a trash batch's files ``moved`` (``(src, dst)``) went, after ``trashed 2 photos (...)``: ``" to the
    trash"`` for the home trash alone; a drive's own trash named (``" to the drive's own trash,
    /media/me/DISK/.Trash-0,"``), which emptying the desktop's trash with the drive unplugged leaves as it is (until
    2026-12-07, the evening, " to the trash" for every trash)."""
    from ..actions.trash import home_trash

    home = os.path.realpath(home_trash())
    trashes = sorted({os.path.dirname(os.path.dirname(dst)) for _src, dst in moved})  # (TRASH/files/NAME)
    drives = [t for t in trashes if os.path.realpath(t) != home]
    if not drives:
        return " to the trash"
    if len(trashes) == 1:
        return f" to the drive's own trash, {printable_path(drives[0])},"
    named = ", ".join([*(["the home trash"] if len(drives) < len(trashes) else []), *map(printable_path, drives)])
    return f" to {len(trashes)} trashes ({named})"


def _stopped_first(reason: str, verb_done: str) -> None:
    """A batch the journal stopped before it moved any photo (a full disk, the database locked past 30 s): the
    ``stopped:`` line alone, exit code 1, with no summary of nothing done before it."""
    click.echo(f"stopped: {reason}; no photo was {verb_done}: {when_writable(reason)} run the same command again to "
               "take them", err=True)
    raise SystemExit(1)


@click.command(short_help="Move photos marked discard to a folder (dry run unless --yes).")
@click.option("--to", "destination", required=True, type=GivenPath(file_okay=False),
              help="Folder to move the photos to; their paths relative to the library root are kept.")
@selection_options
@_yes_option
@_db_options
def move(destination, all_flagged, from_bursts, min_p_blurry, yes, path, db):
    """Move the photos you marked discard (and their sidecars) to a folder. Dry run unless --yes.

    With --all-blurry every blurry photo is taken too, with --min-p-blurry P every photo whose p_blurry is at
    least P (your own cut-off: a dataset's soft images), with --from-bursts the non-keeper shots of bursts;
    a photo you marked keep is never taken. Sidecars (.xmp, .aae, Google Takeout's .json), a RAW twin and a Live
    Photo's video (.mov, .mp4, _HEVC.mov) with the same name move with their photo. Nothing is ever overwritten: a photo whose destination exists is skipped. Each file is
    renamed atomically on the same device, or copied, verified by SHA-256 and only then removed across devices.
    Every step is written to the database's journal first, so `blurscan undo` can put everything back, even
    after a crash.

    PATH (default: the current folder) finds the library's database, and only photos under PATH are taken:
    give the library folder to take the whole library. --db FILE without PATH takes the whole database, wherever
    the command is run.
    """
    with _open_store(path, db, dry_run=not yes) as store:
        from ..actions import plan_move

        under = _scope(store, path, db)
        plan = plan_move(store, destination, all_flagged=all_flagged, from_bursts=from_bursts, under=under,
                         min_p_blurry=min_p_blurry)
        unscored_note(store, min_p_blurry, under)
        no_bursts_note(store, from_bursts, path)
        hint = partial(_empty_hint, store, plan, all_flagged, from_bursts, path, under, min_p_blurry)
        # (that of a database kept elsewhere too: not the database's folder; photos in unrelated folders: the
        # folders scanned into it, not `/`, which every --to was inside until 2026-12-07)
        from ..actions.root_layout import destination_inside
        from ..library_root import root_folders

        inside = destination_inside(plan.destination, library_root(store), root_folders(store), plan.root)
        if inside:
            click.echo(f"note: {printable_path(plan.destination)} is inside the library; a later scan will "
                       "find the moved photos there (a folder outside it, or a hidden one, avoids that)", err=True)
        if not yes:
            _print_plan(plan, "would move")
            note = ""
            if plan.cross_device:
                note = f" ({human_size(plan.copy_bytes)} copied across devices)"
            freeing = "" if inside else ", " + _freeing(plan, "in the library")
            click.echo(f"Dry run: {_summary(plan)} would be moved to {printable_path(plan.destination)}{note}"
                       f"{freeing}. Nothing was changed; add --yes to move.")
            _dry_run_warnings(plan, destination_problems, hint)  # (what --yes would stop at)
            return
        _carry_out(store, plan, "move", "moved", "Moving", hint)


@click.command(short_help="Send photos marked discard to the trash (dry run unless --yes).")
@selection_options
@_yes_option
@_db_options
def trash(all_flagged, from_bursts, min_p_blurry, yes, path, db):
    """Send the photos you marked discard (and their sidecars) to the desktop trash. Dry run unless --yes.

    The selection is the same as for `blurscan move`. The trash is the freedesktop.org one
    (~/.local/share/Trash, or .Trash-UID on other drives) that file managers show; space is freed when the
    trash is emptied. `blurscan undo` restores a trash batch as long as the trash was not emptied (the
    desktop's "Restore" works too).

    PATH (default: the current folder) finds the library's database, and only photos under PATH are taken:
    give the library folder to take the whole library. --db FILE without PATH takes the whole database, wherever
    the command is run.
    """
    with _open_store(path, db, dry_run=not yes) as store:
        from ..actions import plan_trash

        under = _scope(store, path, db)
        plan = plan_trash(store, all_flagged=all_flagged, from_bursts=from_bursts, under=under,
                          min_p_blurry=min_p_blurry)
        unscored_note(store, min_p_blurry, under)
        no_bursts_note(store, from_bursts, path)
        hint = partial(_empty_hint, store, plan, all_flagged, from_bursts, path, under, min_p_blurry)
        if not plan.root:
            plan.root = library_root(store)
        if not yes:
            _print_plan(plan, "would trash")
            click.echo(f"Dry run: {_summary(plan)} would go to the trash, "
                       f"{_freeing(plan, 'once the trash is emptied')}. Nothing was changed; add "
                       "--yes to trash "
                       + ("them." if len(plan.photos) != 1 else "it."))
            _dry_run_warnings(plan, trash_problems, hint)  # (what --yes would fail at)
            return
        _carry_out(store, plan, "trash", "trashed", "Trashing", hint)
