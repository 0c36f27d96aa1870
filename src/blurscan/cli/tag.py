"""``blurscan tag --xmp``: blurry and discarded photos marked in XMP sidecars for photo apps, a thin command over
:mod:`blurscan.actions.xmp`, journaled as ``move`` and ``trash`` are (undone by ``blurscan undo``). Moved out of
:mod:`blurscan.cli.actions` on 2026-12-07 (near the 500-line limit), unchanged; exit codes as there.
"""
from __future__ import annotations

import os
from types import SimpleNamespace

import click

from ..errors import ActionError, UsageError, when_writable
from ..library_root import library_root
from .action_problems import none_taken
from .actions import _db_options, _empty_hint, _scope, _show, undo_command
from .opendb import open_store as _open_store
from .selection import min_p_blurry_option, no_bursts_note, unscored_note


def _label(value: str) -> str:
    """``--label``: a blank one is refused before anything is read or written (it would write sidecars that
    say nothing: an unreviewed photo gets the label only)."""
    if not value.strip():
        raise click.BadParameter(f"{value!r} is blank: give a label to write (default Red), such as Purple",
                                 param_hint="'--label'")
    return value


@click.command(short_help="Mark blurry or discarded photos in XMP sidecars for photo apps.")
@click.option("--xmp", "xmp_", is_flag=True, required=True,
              help="Write XMP sidecars (the only kind of tag so far).")
@click.option("--all-blurry/--discarded-only", "--all-flagged", "all_flagged", default=True, show_default=True,
              help="Tag every photo called blurry or marked discard (default), or only those you marked "
                   "discard. --all-flagged: the old name of --all-blurry.")
@click.option("--from-bursts", is_flag=True, help="Also tag the non-keeper shots of burst groups.")
@min_p_blurry_option
@click.option("--label", default="Red", show_default=True, callback=lambda ctx, param, value: _label(value),
              help="xmp:Label written on every tagged photo (a color name shows as that color label).")
@click.option("--replace-label", is_flag=True, help="Replace a label already in a sidecar (default: keep it).")
@click.option("--stem-names", is_flag=True,
              help="Name new sidecars NAME.xmp instead of NAME.EXT.xmp (darktable, digiKam): Lightroom Classic's "
                   "and Bridge's name for a RAW file's sidecar; it helps for RAW files only (they read none for "
                   "JPEG, TIFF, PNG or DNG), and not in darktable.")
@click.option("--dry-run/--yes", "dry_run", default=False,
              help="--dry-run: list the sidecars that would be written, write nothing. --yes (the default: only "
                   "sidecars are written, and undo takes them back): write them. Of the two, the later wins.")
@_db_options
def tag(xmp_, all_flagged, from_bursts, min_p_blurry, label, replace_label, stem_names, dry_run, path, db):
    """Write or merge an XMP sidecar per blurry or discarded photo so photo managers show it.

    Photos you marked discard (and burst non-keepers with --from-bursts) get xmp:Rating=-1 ("rejected" in darktable;
    digiKam's own rejection in its sidecars); every tagged photo gets xmp:Label (default "Red", a red color label in
    Lightroom, darktable and digiKam) unless it has a label already. An existing sidecar (NAME.EXT.xmp or NAME.xmp)
    is merged: everything else in it is kept. The RAW of a RAW + JPEG pair gets the same tags in its own
    NAME.RAW.xmp (darktable's), unless a NAME.xmp covers both. The photos themselves are never touched. A photo you
    marked keep is never tagged, nor the NAME.xmp it shares with a tagged photo of its name (that one is tagged in
    its own NAME.EXT.xmp). A sidecar that is a symbolic link is left alone and said so (the photo's other sidecars
    are still tagged; a photo whose every sidecar is a link is skipped).

    Every sidecar written is journaled first, with a copy of a merged sidecar's previous bytes, so
    `blurscan undo` puts the sidecars back as they were (and removes those tag created), even after a crash;
    a sidecar changed since (by you or a photo app) is left as it is.

    PATH (default: the current folder) finds the library's database, and only photos under PATH are taken:
    give the library folder to take the whole library. --db FILE without PATH takes the whole database, wherever
    the command is run.
    """
    from ..actions.xmp import tag_photos

    if not xmp_:  # pragma: no cover - click enforces required
        raise UsageError("tag needs --xmp")
    from ..actions.run import BatchInterrupted
    from . import ctrl_c, interrupted

    with _open_store(path, db, dry_run=dry_run) as store:
        under = _scope(store, path, db)
        try:
            with ctrl_c.once():  # a second Ctrl-C cannot cut short the line saying how far it went
                result = tag_photos(store, all_flagged=all_flagged, from_bursts=from_bursts, label=label, under=under,
                                    replace_label=replace_label, stem_names=stem_names, dry_run=dry_run,
                                    min_p_blurry=min_p_blurry)
        except BatchInterrupted as exc:  # Ctrl-C half-way: what was tagged and how to undo it (not "interrupted")
            interrupted.tagging(store, exc.result, exc.total)
        unscored_note(store, min_p_blurry, under)
        no_bursts_note(store, from_bursts, path)
        root = library_root(store)
        # every photo selected in a folder that refuses (a read-only share, a card locked): one error line, exit 1,
        # as move and trash say it (until 2026-12-07 "tagged 0 photos, 4 skipped (listed above); no sidecar was
        # written, so there is nothing to undo.", exit 0); the dry run warns
        refused = none_taken(SimpleNamespace(photos=[], skipped=result.refused), "tagged")
        if refused and not dry_run:
            said = {s.path for s in result.refused}
            for path_, reason in result.skipped:
                if path_ not in said:
                    click.echo(f"skip {_show(path_, root)}: {reason}")
            raise ActionError(f"{refused}; nothing was tagged")
        # nothing selected (a batch the journal refused at once, locked or on a full disk, is said below: it was
        # "Nothing to tag." and exit code 0 until 2026-12-05)
        if not (result.written or result.skipped or result.failed or result.left_alone or result.stopped):
            click.echo("Nothing to tag.")
            _empty_hint(store, SimpleNamespace(photos=[], skipped=[]), all_flagged, from_bursts, path, under,
                        min_p_blurry)
            return
        for item in result.written:
            if not item.changed:  # says what tag would write already: not rewritten (nor journaled)
                verb = "unchanged"
            elif dry_run:
                verb = "would merge" if item.merged else "would write"
            else:
                verb = "merged" if item.merged else "wrote"
            rating = "rating -1: rejected" if str(item.rating) == "-1" else \
                (f"rating {item.rating}" if item.rating is not None else "rating unchanged")
            label = f"label {item.label}" if item.label else "label unchanged"
            already = "" if item.changed else "already tagged: "
            click.echo(f"{verb} {_show(item.sidecar, root)}  ({already}{rating}, {label})")
        for _photo, link in result.left_alone:  # a link among the sidecars of a photo tagged in the others
            click.echo(f"{'would leave alone' if dry_run else 'left alone'} {_show(link, root)}: "
                       "a symbolic link, not changed")
        for sidecar, reason in result.shared:  # NAME.xmp of another image of the name, not tagged
            if os.path.lexists(sidecar):
                verb = "would leave alone" if dry_run else "left alone"
            else:  # (--stem-names: the NAME.xmp it asked for is not made)
                verb = "would not create" if dry_run else "did not create"
            click.echo(f"{verb} {_show(sidecar, root)}: {reason}")
        for path_, reason in result.skipped:
            click.echo(f"skip {_show(path_, root)}: {reason}")
        for path_, reason in result.failed:
            click.echo(f"failed: {reason}", err=True)
        # each photo counted once: tagged (some sidecar holds the tags), skipped or failed; a tagged photo's
        # sidecars left alone (links) or failed are counted as sidecars
        n = len(result.photos)
        notes = []
        if result.skipped:  # missing or changed photos, photos whose every sidecar is a symbolic link
            notes.append(f"{len(result.skipped)} skipped (listed above)")
        if result.left_alone:
            k = len(result.left_alone)
            notes.append(f"{k} sidecar{'s' if k != 1 else ''} left alone "
                         f"({'symbolic links' if k != 1 else 'a symbolic link'}, listed above)")
        if result.failed_photos:
            notes.append(f"{len(result.failed_photos)} failed (listed above)")
        if result.failed_sidecars_of_tagged:
            k = len(result.failed_sidecars_of_tagged)
            notes.append(f"{k} of {'their' if n != 1 else 'its'} sidecars failed (listed above)")
        failed = "".join(f", {note}" for note in notes)
        if result.stopped and not (result.photos or result.failed):  # the journal's first write refused
            pass  # (said below alone: "tagged 0 photos; no sidecar was written" came first until 2026-12-07)
        elif dry_run:
            click.echo(f"Dry run: would tag {n} photo{'s' if n != 1 else ''}{failed}. Nothing was changed"
                       + ("; run again without --dry-run to tag." if n else "."))
        elif result.batch_id is None:
            why = "no sidecar needed a change" if result.written else "no sidecar was written"
            click.echo(f"tagged {n} photo{'s' if n != 1 else ''}{failed}; {why}, so there is nothing to undo.")
        else:
            written = [item for item in result.written if item.changed]
            merged = sum(item.merged for item in written)
            # (a batch whose every sidecar failed, on a read-only drive say, wrote nothing: undo has nothing to do)
            again = f"undo with `{undo_command(store, result.batch_id)}`." if written else "nothing to undo."
            click.echo(f"tagged {n} photo{'s' if n != 1 else ''} ({merged} sidecar{'s' if merged != 1 else ''} "
                       f"merged, {len(written) - merged} created) as batch {result.batch_id}{failed}; {again}")
        if refused:
            click.echo(f"warning: {refused}", err=True)
        if result.stopped:  # the journal refused a write (a full disk): until 2026-12-04 one "Error:" line
            which = "no photo was tagged" if not (result.photos or result.failed) else \
                "the photos not listed above were not tagged"
            click.echo(f"stopped: {result.stopped}; {which}: "
                       f"{when_writable(result.stopped)} run the same command again to tag them", err=True)
        if result.failed or result.stopped:
            raise SystemExit(1)
