"""``blurscan synth``: write a labelled synthetic-blur dataset (images + manifest.csv) from sharp photos."""
from __future__ import annotations

import sys

import click

from .path_given import not_empty


@click.command(short_help="Blur sharp photos from SRC into a labelled dataset in OUT.")
@click.argument("src", nargs=-1, required=True, type=click.Path(),  # (each checked by must_exist: exit 1)
                callback=not_empty)
@click.argument("out", type=click.Path(file_okay=False), callback=not_empty)
@click.option("--recipe", default="binary", show_default=True,
              type=click.Choice(["binary", "seed-4class"]),
              help="binary: sharp vs blurry, mixed kinds and severities; seed-4class: Gaussian, motion, "
                   "min-filter, out-of-focus with a sharp centre (the seed blog's experiment).")
@click.option("--per-image", default=4, show_default=True, type=click.IntRange(min=1),
              help="Samples written per source photo.")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, 2**32 - 1),
              help="Seed of every draw and of the splits.")
@click.option("--max-side", default=1024, show_default=True, type=click.IntRange(min=0),
              help="Shrink sources to this long side first (never enlarged); 0 keeps full size.")
@click.option("--no-camera", is_flag=True,
              help="Blur the 8-bit values directly: no linear light, noise, shrinking or JPEG (PNG output).")
@click.option("--overwrite", is_flag=True, help="Write into OUT even if it already holds a manifest.csv (the "
              "images that manifest lists are removed first).")
@click.option("--force", is_flag=True, hidden=True)  # the name train used for --overwrite: accepted here too
@click.option("--workers", "-j", "--jobs", "workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes (the output does not depend on it); -j and --jobs, its former names, still work.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def synth(src: tuple[str, ...], out: str, recipe: str, per_image: int, seed: int, max_side: int,
          no_camera: bool, overwrite: bool, force: bool, workers: int, quiet: bool) -> None:
    """Blur sharp photos from SRC (files or folders) into a labelled dataset in OUT.

    A folder holding a manifest.csv with a `label` column (such as ../shared/data) contributes only
    its `label == sharp` images. Splits (train/val/test ~ 70/15/15) are by source photo.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ..errors import BlurscanError, UsageError, printable_path
    from ..synth.recipes import WorkerDied, collect_sources, write_dataset
    from .locate import must_exist
    from .writefail import console

    import contextlib
    import os

    # a SRC that names nothing: one line, exit 1, as for every command's path (it was click's usage
    # error, exit 2, until 2026-12-05)
    from ..synth.sources import MIN_SOURCE_SIDE

    if 0 < max_side < MIN_SOURCE_SIDE:  # (until 2026-12-06 each source was skipped as "too small", and the error
        # that ended the run said to give other sources)
        raise UsageError(f"--max-side {max_side}: no sample can be made with a long side under {MIN_SOURCE_SIDE} "
                         f"px; give {MIN_SOURCE_SIDE} or more, or 0 to keep the full size")
    for folder in src:
        must_exist(folder)
    err = console(stderr=True)
    target = os.path.realpath(out)
    for folder in src:
        where = os.path.realpath(folder)
        if where == target or where.startswith(target + os.sep):
            what = "the source folder" if where == target else "a folder holding the source"
            raise UsageError(f"{printable_path(out)}: OUT is {what} {printable_path(folder)} (its images would be "
                             "skipped as the output's); write the dataset to another folder")
    from ..actions.folder_path import not_a_folder

    # a file (or a link leading nowhere) where OUT or a folder above it must be: a usage error, exit 2, said before
    # any work, as demo's FOLDER and evaluate's --out are (until 2026-12-06 exit 1 after the sources were read, as if
    # the disk were full: "cannot write: not a directory; nothing was written: make room, then run ... again")
    if in_the_way := not_a_folder(out):
        raise UsageError(f"{printable_path(out)}: cannot be made: {in_the_way}; write the dataset to another folder")
    from ..permissions import unwritable_above

    # a folder that may not be written (root too: one with no write bit), as evaluate's --out: root wrote the dataset
    # there until 2026-12-06, and a user was told, once the sources were read, to "make room"
    if locked := unwritable_above(out):
        raise UsageError(f"{printable_path(out)}: cannot be written: {printable_path(locked)} is read-only or not "
                         "yours; write the dataset to another folder")
    sources = collect_sources(src, exclude=out)
    if not sources:  # an error, exit 1, as train's "no sharp photos to train on" (it was 2, a usage error's, until
        # 2026-12-05: the command line was right, the folders held no photo)
        raise BlurscanError(f"{', '.join(printable_path(s) for s in src)}: no source images found")
    from ..model.unused_rows import say_unused_rows

    # a manifest's blurred, partly blurred and other rows are not sources: said (until 2026-12-05 without a word)
    say_unused_rows(src, sources, [], command="synth", say=lambda line: click.echo(line, err=True))

    def on_error(source, reason: str) -> None:
        click.echo(f"skipped {printable_path(source.path)}: {reason}", err=True)

    from ..synth.replacing import UNFINISHED

    replacing = any(os.path.lexists(os.path.join(out, name)) for name in ("manifest.csv", UNFINISHED))  # (--overwrite)
    columns = (TextColumn("synth"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    done = [0]

    from .progress_lines import ProgressLines

    # off a terminal (a log, a dumb one) a line now and then instead of the bar (nothing until 2026-12-06)
    lines = None if quiet or err.is_interactive else ProgressLines(lambda line: click.echo(line, err=True),
                                                                   doing="synth", things="photos")

    def on_progress(n: int, total: int, source) -> None:
        done[0] = n
        bar.update(task, completed=n)
        if lines is not None:
            lines.update(n, total)

    try:
        # off a terminal the bar is not drawn: rich would print only a blank line there, as it closed it (until
        # 2026-12-05, above the error or the closing line), as scan's bar is only drawn on a terminal. A bar not
        # drawn is not opened either: rich before 14.3 closes a disabled one with that blank line too (with the
        # declared floor, rich 13, it was back until 2026-12-06)
        bar = Progress(*columns, console=err, disable=quiet or not err.is_interactive, transient=True)
        with bar if not bar.disable else contextlib.nullcontext():
            task = bar.add_task("synth", total=len(sources))
            info = write_dataset(
                sources, out, recipe, per_image=per_image, seed=seed, max_side=max_side or None,
                camera=False if no_camera else None, overwrite=overwrite or force,
                progress=on_progress, on_error=on_error, workers=workers,
            )
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM: what was written is an unfinished dataset, said to be one
        from ..synth.replacing import UNFINISHED
        from . import ctrl_c

        unfinished = os.path.exists(os.path.join(out, UNFINISHED))
        ctrl_c.own_line()
        click.echo(f"interrupted: {done[0]} of {len(sources)} source photos done"
                   + (f"; {printable_path(out)} holds an unfinished dataset: run the same command with --overwrite "
                      "to make it again" if unfinished else ""), err=True)
        sys.exit(ctrl_c.exit_code())
    except WorkerDied as exc:  # (the pool waited for ever for the dead worker's source, until 2026-12-04)
        raise BlurscanError(f"a worker process ended abruptly (killed, perhaps by the out-of-memory killer, or "
                            f"crashed) when {exc.done} of {exc.total} source photos were done; {printable_path(out)} "
                            "holds an unfinished dataset: run the same command with --overwrite to make it again "
                            "(with fewer --workers if memory ran short)") from None
    if not info["n_images"]:  # (it said "Wrote 0 images" and exited 0: a script went on to train on nothing)
        # (no empty dataset is left either: until 2026-12-05 it was, "Wrote 0 images ..." on stdout before this)
        left = (f"the dataset that was in {printable_path(out)} was removed (--overwrite), and none written in its "
                "place" if replacing else f"nothing was left in {printable_path(out)}")
        raise BlurscanError(f"no image could be made from the {len(sources)} source"
                            f"{'s' if len(sources) != 1 else ''} (each skipped, listed above); {left}: give other "
                            "sources")
    counts = info["counts"]
    splits = {s: sum(c for k, c in counts.items() if k.startswith(s + "/")) for s in ("train", "val", "test")}
    n_sources = f"{info['n_sources']} source{'s' if info['n_sources'] != 1 else ''}"
    # (as every message names it: a newline in the name no longer breaks the line), with one slash after it: until
    # 2026-12-06 an OUT given with its slash, as the shell completes a folder, gave "out//" and "out//manifest.csv"
    shown = printable_path(out).rstrip(os.sep) + os.sep
    images = f"{info['n_images']} image{'s' if info['n_images'] != 1 else ''}"  # ("1 images" until 2026-12-06)
    click.echo(f"Wrote {images} from {n_sources} to {shown} "
               f"(recipe {recipe}; train {splits['train']}, val {splits['val']}, test {splits['test']}; "
               f"{len(info['skipped'])} skipped). Manifest: {shown}manifest.csv")
