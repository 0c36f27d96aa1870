"""``blurscan evaluate``: accuracy of blurscan and of the Laplacian baseline on a labelled manifest."""
from __future__ import annotations

import json
import math
import os
from pathlib import Path

import click

from . import completion
from .path_given import not_empty


def _pct(value) -> str:
    return "  n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:6.1%}"


def _pr(precision, recall) -> str:
    """``" 58.1% / 100.0%"``: a precision and a recall, each right-aligned in 6 columns, the slash between them in
    the same column on every line (until 2026-12-06 ``58.1% /100.0%``: a 100 % or an ``n/a`` moved it)."""
    return f"{_pct(precision):>6} / {_pct(recall):>6}"


def _auc(value) -> str:
    return "  n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"


def _cut(value: float) -> str:
    """A cut-off as people write one: ``88.42``, ``23791`` (not ``2.379e+04``)."""
    return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"


#: The widest line of the report (but a file's name): it is read on terminals of 80 columns. Until 2026-12-06 each
#: detector's row ended with its confusion matrix, 95 columns and more, and the legends were single lines of up
#: to 141: each wrapped there.
WIDTH = 79


def _wrapped(text: str, indent: str = "  ") -> list[str]:
    """``text`` in lines of :data:`WIDTH` columns at most, broken at spaces only, the lines after the first indented."""
    import textwrap

    return textwrap.wrap(text, WIDTH, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False)


def format_report(evaluation) -> str:
    """The text printed by ``blurscan evaluate`` (plain, aligned; one block per detector), 79 columns wide: each
    detector's figures in one table, its confusion matrix in a second one below."""
    from ..errors import printable_path  # (the manifest's name and its files' as every message names a file:
    # until 2026-12-06 printed as they were, a newline or a carriage return in one breaking the report's lines)

    ev = evaluation
    lines = [f"Manifest: {printable_path(ev.manifest)}",
             f"Images: {ev.n_rows} ({ev.n_binary} sharp/blurry, {ev.n_partial} partly in focus, "
             f"{len(ev.errors)} could not be read)"]
    if ev.model_version:
        lines.append(f"Model: {ev.model_version}")
    if ev.n_binary:
        shown = {name: m for name, m in ev.detectors.items() if "confusion" in m}
        lines += ["", f"{'detector':<16} {'accuracy':>8} {'bal.acc':>8} {'ROC AUC':>8}   "
                      f"{'sharp P / R':>15}   {'blurry P / R':>15}"]
        for name, m in shown.items():
            p, r = m["precision"], m["recall"]
            lines.append(f"{name:<16} {_pct(m['accuracy']):>8} {_pct(m['balanced_accuracy']):>8} "
                         f"{_auc(m['roc_auc']):>8}   {_pr(p['sharp'], r['sharp'])}   "
                         f"{_pr(p['blurry'], r['blurry'])}")
        lines += ["", f"{'detector':<16} confusion"]
        lines += [f"{name:<16} {m['confusion']}" for name, m in shown.items()]
        notes = [f"{name}: cut-off {_cut(m['threshold'])}" + (f", {m['note']}" if m.get("note") else "")
                 if m.get("threshold") is not None else f"{name}: {m['note']}"
                 for name, m in ev.detectors.items() if m.get("note") or m.get("threshold") is not None]
        lines += ["", *_wrapped("P / R: precision / recall of that class. Confusion: [[sharp called sharp, sharp "
                                "called blurry], [blurry called sharp, blurry called blurry]].", indent="")]
        lines += [line for note in notes for line in _wrapped(note)]
    if ev.n_partial:
        lines += ["", *_wrapped(f"Partly in focus ({ev.n_partial} image{'s' if ev.n_partial != 1 else ''}; a "
                                "'partial' verdict is right, 'blurry' is wrong):", indent="")]
        for name, m in ev.detectors.items():
            part = m.get("partial")
            if part:
                extra = f", called partial {_pct(part['called_partial'])}" if "called_partial" in part else ""
                lines.append(f"  {name:<16} called blurry {_pct(part['called_blurry'])}{extra}")
    if ev.blur_type or ev.blur_type_not_judged:
        lines += ["", *_wrapped("Blur type (blurscan's blur_type on the blurred images of a known kind):", indent="")]
        for kind, b in ev.blur_type.items():
            lines += _wrapped(f"  {kind:<8} {b['n']:>5} image{'s' if b['n'] != 1 else ' '}: {b['called_blurry']} "
                              f"called blurry, type right {_pct(b['right_of_blurry']).strip()}; {b['typed']} given "
                              f"a type (blurry or partial), right {_pct(b['right_of_typed']).strip()}", indent="    ")
        unjudged = ev.blur_type_not_judged  # (until 2026-12-06 left out without a word: "Motion Blur" as well)
        if unjudged:
            n = sum(unjudged.values())
            kinds = ", ".join(f"{printable_path(k)} {c}" for k, c in unjudged.items())
            lines += _wrapped(f"  not judged: {n} blurred image{'s' if n != 1 else ''} of a kind that is neither "
                              f"defocus nor motion, or not known ({kinds})", indent="    ")
    if ev.errors:
        lines += ["", f"Could not be scored ({len(ev.errors)}, left out of the metrics):"]
        lines += [f"  {printable_path(file)}: {reason}" for file, reason in ev.errors[:20]]
        if len(ev.errors) > 20:
            lines.append(f"  ... and {len(ev.errors) - 20} more (see metrics.json)")
    return "\n".join(lines)


def _unwritable(out_dir: str) -> str | None:
    """Why ``metrics.json`` and the plots could not be written into ``out_dir`` (created with its parents), or
    None: said before the images are scored, not after (a file where a folder must be, a read-only folder, a
    folder or a read-only file in the place of one of the files; until 2026-12-04 those last two failed only
    once every image was scored; a symbolic link of such a name into a folder not there or read-only, until
    2026-12-05)."""
    import importlib.util

    from ..errors import printable_path
    from ..evaluate import METRICS_FILE, PLOT_FILES
    from ..evaluate_predictions import PREDICTIONS_FILE
    from ..permissions import may_write, why_not_writable  # (root too: a folder with no write bit is read-only)

    existing = os.path.abspath(out_dir)
    while not os.path.lexists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    if not os.path.isdir(existing):
        return f"{printable_path(existing)} is not a folder"
    if not may_write(existing, os.W_OK | os.X_OK):
        return f"{printable_path(existing)} is read-only or not yours"
    if existing != os.path.abspath(out_dir):
        return None  # (a folder to be made: nothing in it yet)
    # the plots only where they will be drawn (without matplotlib they are skipped, and said to be)
    plots = PLOT_FILES if importlib.util.find_spec("matplotlib") is not None else ()
    names = (METRICS_FILE, PREDICTIONS_FILE, *plots)
    for path in (os.path.join(out_dir, name) for name in names):
        if os.path.isdir(path):
            return f"{printable_path(path)} is a folder"
        if os.path.exists(path) and not os.path.isfile(path):  # (a named pipe: writing it waits for a reader)
            return f"{printable_path(path)} is not a regular file"
        if os.path.islink(path) and not os.path.exists(path):  # (written through: the file it names is made)
            folder = os.path.dirname(os.path.realpath(path))
            if not os.path.isdir(folder):  # (a disk not mounted, a folder deleted: it failed after the scoring)
                return f"{printable_path(path)} is a symbolic link into {printable_path(folder)}, which does not exist"
            if not may_write(folder, os.W_OK | os.X_OK):
                return f"{printable_path(path)} is a symbolic link into {printable_path(folder)}, read-only or not yours"
        reason = why_not_writable(path) if os.path.exists(path) else None
        if reason:
            return f"{printable_path(path)} {reason}"
    return None


def _remove_undrawn(out_dir: Path, drawn: list[Path]) -> list[Path]:
    """Remove the plots of blurscan's names (``roc.png``, ``confusion.png``) in ``out_dir`` that this run did not
    draw (:func:`blurscan.evaluate.save_plots` draws no confusion matrix without sharp/blurry rows, and nothing
    without matplotlib), or could not write (a full disk): an earlier run's, which beside this run's
    ``metrics.json`` would pass for its own (until 2026-12-05 they were kept). Only those names, and only a plain
    file or a symbolic link (the link, not what it points to); anything else in the folder is left. Returns the
    paths removed."""
    from ..evaluate import PLOT_FILES

    return [out_dir / name for name in PLOT_FILES if name not in {p.name for p in drawn} and _remove(out_dir / name)]


def _remove(path: Path) -> bool:
    """Remove ``path`` if it is a plain file or a symbolic link (the link, not what it points to); whether it was."""
    import stat

    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
        path.unlink(missing_ok=True)
        return True
    return False


def _manifest_in(path: str) -> str:
    """The manifest MANIFEST names: a folder's manifest.csv (a `blurscan synth` dataset, a folder `train` takes),
    else the path itself. Until 2026-12-06 a folder got click's "File '...' is a directory" (exit 2)."""
    from ..errors import UsageError, printable_path

    if not os.path.isdir(path):
        return path
    inside = os.path.join(path, "manifest.csv")
    if not os.path.isfile(inside):
        raise UsageError(f"{printable_path(path)}: is a folder without a manifest.csv; give the manifest (a CSV "
                         "with 'file' and 'label' columns) or the folder `blurscan synth` wrote")
    return inside


def _say_if_unfinished(manifest: str) -> None:
    """A warning on stderr when ``manifest`` is that of a dataset a ``blurscan synth`` run began and did not finish
    (stopped, killed): it lists only the images made by then. Scored all the same (the rows it lists are whole,
    and looking at part of a set may be what is wanted), but not without a word, as until 2026-12-04."""
    from ..errors import printable_path
    from ..synth.replacing import UNFINISHED, unfinished

    folder = os.path.dirname(manifest) or os.curdir
    if unfinished(folder):
        click.echo(f"warning: {printable_path(folder)} holds an unfinished dataset (a blurscan synth run was stopped "
                   f"before its end: {UNFINISHED}), so its manifest lists only the images made by then; they are "
                   "scored, but to evaluate the whole set run the same synth command again with --overwrite",
                   err=True)


def _say_if_fitted_on(name: str, rows, clf, default: bool) -> None:
    """A note on stderr when ``rows`` show GoPro calibration frames and the model's image rule was fitted on such
    frames (its metadata's ``fitted_on``, as every model ``blurscan train`` makes from the shared data, the shipped
    one included): scored all the same, but its figures are then not those of unseen photos, nor bench/accuracy.py's,
    which leaves them out (until 2026-12-05 not a word: the documented example gave 93.0 % where the bench says
    94.3 %)."""
    from ..datasets import gopro_calibration_frame

    fitted = ((getattr(clf, "spec", None) and clf.spec.aggregator.get("fitted_on")) or {})
    if not fitted.get("gopro_calibration_images"):
        return
    recordings = [gopro_calibration_frame(r.file) for r in rows]
    seen = sorted({r for r in recordings if r})
    if not seen:
        return
    n = sum(1 for r in recordings if r)
    what = "are GoPro calibration frames" if n != 1 else "is a GoPro calibration frame"
    click.echo(f"note: {n} of the images of {name} {what} (recording{'s' if len(seen) != 1 else ''} "
               f"{', '.join(seen)}) that {'the shipped' if default else 'the'} model's image rule was fitted on; "
               "scored all the same, so the figures are not those of unseen photos (bench/accuracy.py leaves them "
               "out)", err=True)


@click.command(short_help="Measure accuracy on labelled photos (MANIFEST) with a baseline.")
@click.argument("manifest", type=click.Path(), callback=not_empty)  # (a folder: its manifest.csv, _manifest_in)
@click.option("--model", "model", default="default", show_default=True, metavar="default|none|PATH",
              shell_complete=completion.model, callback=completion.given_model,
              help="Model: the shipped one, none (classical measures only), or an .onnx file.")
@click.option("--set", "sets", multiple=True, metavar="NAME",
              help="Only rows whose 'set' column is NAME (repeatable).")
@click.option("--split", "splits", multiple=True, metavar="NAME",
              help="Only rows whose 'split' column is NAME, e.g. test (repeatable).")
@click.option("--out", "out_dir", default="blurscan-evaluation", show_default=True,
              type=click.Path(file_okay=False), callback=not_empty,
              help="Folder for metrics.json, predictions.csv (one row per image), roc.png and confusion.png.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the cores this process may use, as scan).")
def evaluate(manifest: str, model: str, sets: tuple[str, ...], splits: tuple[str, ...], out_dir: str,
             workers: int | None) -> None:
    """Score the images of MANIFEST (a CSV with 'file' and 'label' = sharp/blurry columns, paths relative to
    its folder; or a folder holding a manifest.csv, as `blurscan synth` writes one) and print accuracy, balanced accuracy, per-class precision/recall, ROC AUC and the confusion
    matrix of blurscan and of the Laplacian-variance baseline (at its classic cut-off of 100 and at the
    cut-off that is best on this very set, an optimistic ceiling). Rows whose blur is partial are reported
    apart. Writes metrics.json, predictions.csv (each image's label, blurscan's answer and whether each detector
    called it right) and ROC / confusion-matrix plots to --out (an earlier run's plot there that this run
    does not draw, or cannot write, is removed).
    """
    import dataclasses

    from ..config import ScanSettings
    from ..errors import BlurscanError, UsageError, os_reason, printable_path
    from ..evaluate import (METRICS_FILE, ManifestError, evaluate_records, missing_rows, read_manifest, repeated_rows,
                            save_plots, score_paths, scored, some_files, where_paths_are)
    from ..evaluate_predictions import PREDICTIONS_FILE, write_predictions
    from ..model.export import write_atomically  # (numpy and the standard library only)
    from ..records import ScanRecord
    from . import quiet_native_decoders
    from .bars import progressbar

    quiet_native_decoders()

    manifest = _manifest_in(manifest)
    settings = ScanSettings(model=model)
    if workers is not None:
        settings = dataclasses.replace(settings, workers=workers)

    _say_if_unfinished(manifest)
    rows = read_manifest(manifest, sets=sets, split=splits)
    unwritable = _unwritable(out_dir)
    if unwritable:
        raise UsageError(f"{printable_path(out_dir)}: cannot be written: {unwritable}; choose another --out")
    for name in (PREDICTIONS_FILE, METRICS_FILE):  # (an earlier run's predictions.csv has the manifest's columns:
        written = os.path.join(out_dir, name)         # evaluated again into the same --out, it was replaced)
        if os.path.exists(written) and os.path.samefile(written, manifest):
            raise UsageError(f"{printable_path(manifest)}: is the {name} this run would write in "
                             f"{printable_path(out_dir)}; choose another --out")
    missing = missing_rows(manifest, rows)  # none of its images exists: an error, before loading the model
    from ..pipeline import load_model

    clf = load_model(settings.model, settings.model_threads)  # a bad --model fails now, not after a progress bar
    name = printable_path(manifest)
    if missing:
        click.echo(f"note: {len(missing)} of the {len(rows)} images of {name} "
                   f"{'do not exist' if len(missing) != 1 else 'does not exist'}: "
                   f"{some_files([r.file for r in missing])} ({where_paths_are(manifest, missing)}); left out of "
                   "the metrics, the rest is scored", err=True)
    repeated, conflicting = repeated_rows(rows)
    if repeated:
        both = (f"; {len(conflicting)} of them with different labels: {some_files(conflicting)}"
                if conflicting else "")
        click.echo(f"note: {len(repeated)} image{'s' if len(repeated) != 1 else ''} of {name} "
                   f"{'are' if len(repeated) != 1 else 'is'} listed on more than one row, each row counted: "
                   f"{some_files(repeated)}{both}", err=True)
    gone = {r.line for r in missing}
    present = [r for r in rows if r.line not in gone]
    _say_if_fitted_on(name, present, clf, settings.model == "default")
    label = f"Scoring {len(present)} image{'s' if len(present) != 1 else ''}"
    with progressbar(len(present), label, doing="scoring", things="images", label_off_terminal=True) as bar:
        found = iter(score_paths([r.path for r in present], settings,
                                 lambda done, total: bar.update(done - bar.pos)))
    records = [ScanRecord.from_error(r.path, "no such file or directory") if r.line in gone else next(found)
               for r in rows]
    ok = scored(rows, records)
    ev = evaluate_records(manifest, rows, records, settings)
    if not ok:
        click.echo(format_report(ev))
        what = f"none of its {len(rows)} images could" if len(rows) != 1 else "its only image could not"
        raise ManifestError(f"{name}: {what} be scored (listed above); nothing to evaluate")
    labels = {row.label for row, _ in ok if not row.partial}
    if len(labels) == 1:
        some = " that could be scored" if len(ok) < len(rows) else ""
        click.echo(f"note: every sharp/blurry row of {name}{some} is {labels.pop()}: balanced accuracy and ROC AUC "
                   "need both classes and mean little here; laplacian@best, whose cut-off is fitted on both, is "
                   "left out", err=True)
    click.echo(format_report(ev))

    out = Path(out_dir)
    written = [out / METRICS_FILE]
    failed: dict[Path, OSError] = {}  # plots that could not be written (a full disk): the others are still drawn
    try:
        out.mkdir(parents=True, exist_ok=True)
        try:  # whole or not at all, as the plots and predictions.csv (until 2026-12-06 written in place: a full
            # disk left the earlier run's metrics.json empty or cut short, and the line named the folder)
            write_atomically(Path(os.path.realpath(written[0])),
                             (json.dumps(ev.to_json(), indent=2) + "\n").encode("utf-8"))
        except OSError as exc:
            raise BlurscanError(f"{printable_path(written[0])}: cannot write the evaluation: {os_reason(exc)}"
                                ) from None
        try:
            drawn = save_plots(ev, out, on_error=failed.__setitem__)
        except ImportError as exc:  # (an OptionalImportError: not installed, or installed and failing to import)
            drawn = []
            if getattr(exc, "installed", False):  # (a release built for NumPy 1 beside NumPy 2: until 2026-12-06
                # "not installed" was said of it, and `pip install matplotlib` answered "already satisfied")
                click.echo(f"{exc.reason}: plots skipped (pip install --upgrade matplotlib).", err=True)
            else:
                click.echo("matplotlib is not installed: plots skipped (pip install matplotlib, or the train extra: "
                           "pip install 'blurscan[train]').", err=True)
        written += drawn
        removed = _remove_undrawn(out, drawn)  # an earlier run's plot would pass for this run's
    except OSError as exc:  # (a disk that filled meanwhile; a folder made read-only during the run)
        where = exc.filename if getattr(exc, "filename", None) else out
        raise BlurscanError(f"{printable_path(where)}: cannot write the evaluation: {os_reason(exc)}") from None
    for path, exc in failed.items():  # (its earlier run's file, left whole by the failed write, removed just now)
        was = "; the earlier run's plot of that name was removed" if path in removed else ""
        click.echo(f"warning: {printable_path(path)}: plot not written: {os_reason(exc)}{was}", err=True)
    predictions = out / PREDICTIONS_FILE  # (last: one that cannot be written leaves every other file this run's)
    try:
        wrong, judged = write_predictions(predictions, rows, records, settings.laplacian_threshold)
    except OSError as exc:  # (left whole by the failed write; beside the new metrics.json it would pass for its own)
        was = "; the earlier run's file of that name was removed" if _remove(predictions) else ""
        raise BlurscanError(f"{printable_path(predictions)}: cannot write the evaluation: {os_reason(exc)}{was}"
                            ) from None
    removed = [p for p in removed if p not in failed]
    click.echo(f"\nWrote {', '.join(printable_path(p) for p in written)}", err=True)
    if removed:
        click.echo(f"Removed {', '.join(printable_path(p) for p in removed)}: an earlier run's "
                   f"plot{'s' if len(removed) > 1 else ''}, which this run did not draw", err=True)
    called = (f"{wrong} of {judged} called wrong by blurscan" if judged else
              "no sharp/blurry image scored, so none called right or wrong")
    click.echo(f"per-image results: {printable_path(predictions)} ({called})", err=True)
