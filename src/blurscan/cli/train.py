"""``blurscan train``: train a blur model (or the blog's 4-class experiment) and export it to ONNX."""
from __future__ import annotations

import contextlib
import os
import shlex
import sys
import time

import click

from ..model.defaults import DEFAULTS as _TRAIN_DEFAULTS  # numbers only: no numpy, OpenCV or torch
from .path_given import not_empty


def _default_work_dir_refused() -> str | None:
    """Why the default work folder (``$XDG_CACHE_HOME/blurscan/train``, else ``~/.cache/blurscan/train``) cannot
    be made, as every command refuses a home folder that cannot hold its default folders
    (:func:`blurscan.xdg.missing_home`): an empty ``HOME``, one that does not exist; None when it can. Until
    2026-12-06 ``HOME= blurscan train`` as root made ``/.cache/blurscan/train`` and kept the training data there."""
    from ..errors import printable_path
    from ..xdg import cache_home, missing_home

    folder = os.path.join(cache_home(), "blurscan", "train")  # (blurscan.model.data.default_work_dir, without numpy)
    home = missing_home(folder, "XDG_CACHE_HOME")
    if home is None:
        return None
    return (f"{printable_path(folder)}: cannot make the work folder for the training data: {home} (choose a folder "
            "you can write with --work-dir DIR)")


def _unwritable(out: str) -> str | None:
    """Why the model could not be written to ``out`` at the end of the run, or None: said before any work, not
    after an hour of training. The export creates ``out``'s folder and writes a temporary file there, renamed
    over ``out`` (a dangling symbolic link is replaced by the file; a link to a file that exists is refused
    first, :func:`_other_names`), so a file where a folder must be, or a folder that may not be written, fails
    there."""
    from ..errors import printable_path
    from ..permissions import may_write  # (root too: a folder or file with no write bit is read-only)

    target = os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(out))), os.path.basename(out))
    folder = os.path.dirname(target)
    existing = folder
    while not os.path.lexists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        return f"{printable_path(existing)} is not a folder"
    if not may_write(existing, os.W_OK | os.X_OK) or (os.path.isfile(target) and not may_write(target)):
        return f"{printable_path(target if existing == folder and os.path.isfile(target) else existing)} " \
               "is read-only or not yours"
    return None


def _other_names(out: str) -> str | None:
    """Why ``--overwrite`` may not replace the existing ``out``, or None: it is another name of a file that
    ``--overwrite`` leaves as it is under that other name: a symbolic link to a file that exists (a link to the
    model shipped in the package, or to last month's model: the export replaces the link, the file it leads to
    keeps the old model) or a file with hard links (this name gets the new model, the others keep the old one).
    Until 2026-12-03 the export wrote through the link and in place, replacing the shipped model; either way,
    which file is meant is unclear, so the person names it. A dangling link overwrites nothing and is replaced
    by the model file."""
    from ..errors import printable_path
    from ..model.runtime import default_model_path

    shipped = default_model_path()
    try:
        is_shipped = os.path.exists(shipped) and os.path.samefile(out, shipped)
        st = os.stat(out)
    except OSError:  # a dangling link, or nothing there
        return None
    which = " (the model shipped in the package)" if is_shipped else ""
    if os.path.islink(out):
        target = printable_path(os.path.realpath(out))
        return (f"it is a symbolic link to {target}{which}, and --overwrite replaces the file named, not the one "
                "a link leads to; name that file itself")
    if st.st_nlink > 1:
        of = f"; one of them is {printable_path(shipped)}, the model shipped in the package" \
            if is_shipped and os.path.realpath(out) != os.path.realpath(shipped) else ""
        return (f"it is one file with {st.st_nlink} names (hard links{of}), and --overwrite would give this name "
                "the new model and leave the old one under the others; remove this name first")
    return None


def _same_file(a: str, b: str) -> bool:
    """Whether the paths ``a`` and ``b`` name one file: the same path once links and ``..`` are resolved, two names
    (hard links) of a file that exists, or two names that the file system takes for one once the file is made
    (:func:`_one_once_made`)."""
    if os.path.realpath(os.path.abspath(a)) == os.path.realpath(os.path.abspath(b)):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # (one of them not there yet)
        return not os.path.lexists(a) and not os.path.lexists(b) and _one_once_made(a, b)


def _one_once_made(a: str, b: str) -> bool:
    """Whether ``b`` names the file ``a`` once it is made, where neither is there yet: found by making ``a``, empty,
    and removing it again. A case-insensitive drive (a USB stick's FAT or exFAT, macOS's APFS: ``M.onnx`` and
    ``m.onnx``) or a folder mounted at two places (``mount --bind``) gives one file two names that no path
    resolving tells apart: until 2026-12-06 ``--out M.onnx --card m.onnx`` there wrote the card over the model
    just trained, and said "wrote M.onnx". False when ``a`` cannot be made (its folder not there yet, read-only:
    said by the checks that follow)."""
    try:
        fd = os.open(a, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return False
    os.close(fd)
    try:
        return os.path.lexists(b) and os.path.samefile(a, b)
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(a)


def _written_by_train(card: str) -> bool:
    """Whether the existing file ``card`` is a model card ``blurscan train`` wrote (its italic line under the title
    says so): such a card is the one a run regenerates, any other file is the person's own."""
    try:
        with open(card, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return b"*Written by `blurscan train" in head


class _ArgsKept(click.Command):
    """``train`` keeping the arguments click parses for it, for the model card's command (:data:`ARGS`)."""

    def parse_args(self, ctx, args):
        ctx.meta[ARGS] = list(args)
        return super().parse_args(ctx, args)


#: The ``ctx.meta`` key of the arguments ``train`` was given (after its name). Until 2026-12-06 the card's command
#: was read from ``sys.argv[2:]``: train run through ``blurscan.cli.main([...])`` from a script recorded the
#: script's own arguments ("blurscan train --quick" for ``python run.py --quick``).
ARGS = "blurscan.train.args"


@click.command(cls=_ArgsKept, short_help="Train a model on sharp photos in DATA... and write it as ONNX.")
@click.argument("data", nargs=-1, required=True, type=click.Path(),  # (each checked by must_exist: exit 1)
                callback=not_empty)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), callback=not_empty,
              help="The .onnx file to write (refused if it exists, unless --overwrite).")
@click.option("--overwrite", is_flag=True, help="Replace --out if it exists (written at the end of the run), "
              "and a --card that is not a card blurscan train wrote.")
@click.option("--force", is_flag=True, hidden=True)  # --overwrite's former name, kept for existing scripts
@click.option("--recipe", type=click.Choice(["blur", "seed-4class"]), default="blur", show_default=True,
              help="'blur': the scan's model (sharp / defocus / motion regions + image rule); 'seed-4class': "
                   "the blog's 4-way blur-algorithm classifier (an experiment, not usable by scan).")
@click.option("--no-camera", is_flag=True,
              help="seed-4class only: blur the 8-bit values directly (no linear light, sensor noise, "
                   "sharpening or JPEG), as a plain blur experiment would.")
@click.option("--epochs", type=click.IntRange(min=1), default=None, help="Most epochs (early stopping may end "
              f"sooner; default {_TRAIN_DEFAULTS['epochs']}).")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=0, show_default=True,
              help="Seed of everything (same seed, same model).")
@click.option("--work-dir", type=click.Path(file_okay=False), default=None, callback=not_empty,
              help="Cache of the synthetic training data (default: blurscan/train in $XDG_CACHE_HOME, else in "
                   "~/.cache).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Processes synthesising training images.")
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True,
              help="Torch threads (1 is fastest on a busy machine).")
@click.option("--card", type=click.Path(dir_okay=False), default=None, callback=not_empty,
              help="Write the model card (markdown) here, e.g. my-model.md (an existing file only if it is a card "
                   "blurscan train wrote, else with --overwrite).")
@click.option("--limit-sources", type=click.IntRange(min=2), default=None, hidden=True)
def train(data, out, overwrite, force, recipe, no_camera, epochs, seed, work_dir, workers, threads, card,
          limit_sources):
    """Train a model on the sharp photos in DATA... (blurred on the fly) and write it to --out as ONNX.

    Folders with a manifest.csv (the shared data set) contribute their sharp photos, minus the real
    evaluation sets; their GoPro calibration pairs calibrate p_blurry. Needs the 'train' extra (torch).
    """
    import importlib.util

    from ..errors import BlurscanError, UsageError, printable_path

    from .locate import must_exist

    # a DATA that names nothing: one line, exit 1, as for every command's path (it was click's usage
    # error, exit 2, until 2026-12-05)
    for path in data:
        must_exist(path)
    overwrite = overwrite or force
    # every path the run writes is checked now, not after a run of up to an hour: an --out or --card naming a
    # folder (`--out models/` wrote a file named `models`), a --card or --work-dir that cannot be written (the
    # card failed with a traceback at the very end, the work folder with one at the start)
    for option, path in (("--out", out), ("--card", card)):
        if path is not None and (path.endswith(("/", os.sep)) or os.path.basename(path) in ("", ".", "..")):
            raise UsageError(f"{printable_path(path)}: names a folder; {option} names the file to write")
    if card is not None and _same_file(card, out):  # (the card was written over the model just trained, and the run
        # said "wrote OUT" with exit 0, until 2026-12-06)
        raise UsageError(f"{printable_path(card)}: --card names the file --out writes the model to; name another "
                         "file for the card (my-model.md, say)")
    if card is not None and (bad := _unwritable(card)):
        raise UsageError(f"{printable_path(card)}: cannot be written: {bad}; choose another --card")
    if work_dir is not None and (bad := _unwritable(os.path.join(work_dir, "config.json"))):
        raise UsageError(f"{printable_path(work_dir)}: cannot hold the training data: {bad}; choose another "
                         "--work-dir")
    if work_dir is None and (home := _default_work_dir_refused()):
        raise BlurscanError(home)
    if os.path.lexists(out) and not overwrite:  # now, not after a run of up to an hour that ends by writing it
        raise UsageError(f"{printable_path(out)}: already exists: add --overwrite to replace it with the model this "
                         "run trains, or choose another --out")
    # a --card that is some other file (the notes of the project, its README) was replaced without a word until
    # 2026-12-05, while an existing --out was refused; a card train wrote is regenerated as before
    if card is not None and not overwrite and os.path.exists(card) and not _written_by_train(card):
        raise UsageError(f"{printable_path(card)}: already exists and is not a model card blurscan train wrote: add "
                         "--overwrite to replace it with this run's card, or choose another --card")
    other = _other_names(out) if overwrite else None  # (without --overwrite an existing --out is refused above)
    if other:
        raise UsageError(f"{printable_path(out)}: not replaced: {other}, or choose another --out")
    unwritable = _unwritable(out)
    if unwritable:
        raise UsageError(f"{printable_path(out)}: cannot be written: {unwritable}; choose another --out")
    if importlib.util.find_spec("torch") is None:  # found, not loaded: its instruction sets are pinned first
        # (an error, exit 1, not a usage mistake: until 2026-12-05 it exited with 2, the usage errors' code)
        raise BlurscanError("training needs PyTorch: pip install 'blurscan[train]'")
    from ..optional import probe

    broken = probe("torch", "torch")  # (in a child process: this one loads torch only once it is pinned)
    if broken:  # (until 2026-12-06 a traceback, once every training image had been made)
        raise BlurscanError(f"training needs PyTorch, and {broken}: mend or reinstall it (the 'train' extra); "
                            "nothing was done")
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from ..model import train as trainer
    from ..model.data import DataNotWritten, WorkerDied
    from .writefail import console

    import logging

    given = click.get_current_context().meta.get(ARGS, [])  # (as click parsed them: _ArgsKept)
    command = "blurscan train " + " ".join(shlex.quote(a) for a in given) if given else ""
    labels = {"synth": "synthesising", "train": "training", "evaluate": "evaluating"}
    start = time.perf_counter()
    # the bars start with the first stage: an error met before it (no photo, too few) is its one line, without the
    # blank line above it that a display closed with no bar printed (until 2026-12-05)
    bar = Progress(TextColumn("{task.description:<13}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                   TimeElapsedColumn(), TimeRemainingColumn(), transient=False, console=console(stderr=True))
    tasks: dict = {}

    def progress(stage, done, total):
        if not tasks:
            bar.start()
        if stage not in tasks:
            tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    # the trainer's lines on stderr for this run only: a script or notebook that calls main() again had each
    # line once more per earlier run, and its own later use of blurscan.model logged through them (until 2026-12-06)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    model_log = logging.getLogger("blurscan.model")
    level = model_log.level
    model_log.addHandler(handler)
    model_log.setLevel(logging.INFO)
    try:
        results = trainer.train(data, out, recipe=recipe, epochs=epochs, seed=seed, work_dir=work_dir,
                                workers=workers, threads=threads, card=card, command=command, progress=progress,
                                limit_sources=limit_sources, camera=not no_camera)
    except WorkerDied as exc:  # (the pool waited for ever for the dead worker's images, until 2026-12-05)
        raise BlurscanError(f"a worker process ended abruptly (killed, perhaps by the out-of-memory killer, or "
                            f"crashed) when {exc.done} of {exc.total} training images were made; "
                            f"{printable_path(out)} was not written: run the same command again to go on (the "
                            f"images made are kept in {printable_path(exc.work)}), with fewer --workers if memory "
                            "ran short") from None
    except DataNotWritten as exc:  # a full work disk (a traceback until 2026-12-06)
        raise BlurscanError(f"{exc}; {printable_path(out)} was not written: make room (or choose another --work-dir), "
                            "then run the same command again to go on") from None
    finally:
        model_log.removeHandler(handler)
        model_log.setLevel(level)
        if tasks:  # (rich's stop prints a new line off a terminal, started or not)
            bar.stop()
    minutes = (time.perf_counter() - start) / 60
    # the model and its card named as every message names a file (until 2026-12-06 as given: a newline or an
    # escape sequence in the name printed raw)
    click.echo(f"wrote {printable_path(out)} in {minutes:.1f} min")
    if recipe == "seed-4class":
        click.echo(f"test accuracy {100 * results['test_accuracy']:.1f} % on {results['n_test']} held-out images "
                   f"(blog: 90 %)")
        if card:
            click.echo(f"model card: {printable_path(card)}")
        return
    syn = results.get("synthetic") or {}
    if syn:
        click.echo(f"synthetic test: balanced accuracy {100 * syn['balanced_accuracy']:.1f} % "
                   f"({syn['n_images']} images)")
    mine = (getattr(results.get("spec"), "aggregator", None) or {}).get("fitted_on", {}).get("own_real_photos")
    if mine:  # (a person's blurred photos were passed over until 2026-12-07: blurscan.model.own_rows)
        from ..model.own_rows import used_text

        click.echo(used_text(mine))
    if results.get("own_test"):  # (they were only counted, "held out (test split, not used)", until 2026-12-07)
        from ..model.real_figures import own_test_line

        click.echo(own_test_line(results["own_test"]))
    real = (results.get("real") or {}).get("by_set", {}).get("all")
    if real and real.get("n"):  # (none: a manifest of sets of one's own; until 2026-12-07 "balanced accuracy nan %")
        from ..model.report import one_class

        only = one_class(real)
        click.echo(f"real evaluation: {f'{only} photos only, called right' if only else 'balanced accuracy'} "
                   f"{100 * real['model']:.1f} % (Laplacian@100: {100 * real['laplacian']:.1f} %, {real['n']} images)")
    mf = (results.get("real") or {}).get("multifocus")
    if mf and mf.get("n"):
        click.echo(f"multi-focus called blurry: {100 * mf['blurry']:.1f} % of {mf['n']}")
    if card:
        click.echo(f"model card: {printable_path(card)}")
    if results.get("few_photos"):  # (said before the synthesis too, above the progress bars)
        click.echo(f"warning: {results['few_photos']}", err=True)
