"""The plots ``blurscan evaluate`` writes beside its ``metrics.json``: the ROC curves and the confusion matrices of
an :class:`~blurscan.evaluate.Evaluation` (matplotlib, loaded on the first plot: it is in the ``train`` and ``dev``
extras, not the runtime). Until 2026-12-05 this was part of :mod:`blurscan.evaluate`, whose names they still are.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .metrics import CLASSES

if TYPE_CHECKING:
    from .evaluate import Evaluation

#: The plots of :func:`save_plots`, in an evaluation's ``--out`` folder.
PLOT_FILES = ("roc.png", "confusion.png")


def _figure(**kwargs):
    """A matplotlib figure of its own, drawn off screen (Agg, by its ``savefig``); an
    :class:`~blurscan.optional.OptionalImportError` where matplotlib is missing or cannot be imported (a release
    built for NumPy 1 beside NumPy 2).

    Not pyplot's: until 2026-12-06 this set ``matplotlib.use("Agg")`` for the whole process, so a notebook or
    program that called ``blurscan.cli.main(["evaluate", ...])`` or :func:`save_plots` had its own backend
    (Jupyter's inline one, a GUI's) switched to Agg, and its ``plt.show()`` showed nothing from then on; and a
    figure it drew stayed in pyplot's list when drawing it failed."""
    from .optional import load

    return load("matplotlib.figure", "matplotlib").Figure(**kwargs)


def save_plots(evaluation: Evaluation, out_dir: str | os.PathLike,
               on_error: Callable[[Path, OSError], None] | None = None) -> list[Path]:
    """Write ``roc.png`` and ``confusion.png`` into ``out_dir``; returns the files written.

    Each plot is drawn in memory, then written whole or not at all (through a symbolic link to its target):
    :func:`blurscan.model.export.write_atomically`, so a full disk leaves an earlier plot whole, never half a PNG
    (until 2026-12-05 it was cut short). ``on_error(path, error)`` is called for a plot that could not be written
    (an :class:`OSError`), and the next one is drawn; without it the error is raised.

    Raises
    ------
    blurscan.optional.OptionalImportError
        An ImportError: matplotlib is not installed (it is in the ``train`` and ``dev`` extras, not the
        runtime), or is and cannot be imported (its ``reason`` says which, and why).
    """
    import io

    _figure()  # (matplotlib missing: said before any folder is made)

    from .model.export import write_atomically  # (numpy and the standard library only)

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def save(fig, name: str) -> None:
        data = io.BytesIO()
        fig.savefig(data, format="png", dpi=120)
        try:
            write_atomically(Path(os.path.realpath(out / name)), data.getvalue())
        except OSError as exc:
            if on_error is None:
                raise
            on_error(out / name, exc)
        else:
            written.append(out / name)

    save(roc_figure(evaluation), PLOT_FILES[0])

    names = [n for n, m in evaluation.detectors.items() if "confusion" in m]
    if names:
        cols = min(3, len(names))
        rows = -(-len(names) // cols)
        fig = _figure(figsize=(3.4 * cols, 3.2 * rows))
        axes = fig.subplots(rows, cols, squeeze=False)
        for ax in axes.flat[len(names):]:
            ax.axis("off")
        for ax, name in zip(axes.flat, names):
            cm = np.array(evaluation.detectors[name]["confusion"])
            ax.imshow(cm, cmap="Blues", vmin=0)
            for (i, j), v in np.ndenumerate(cm):
                ax.text(j, i, str(v), ha="center", va="center",
                        color="white" if v > cm.max() / 2 else "black")
            ax.set_xticks([0, 1], [f"called {c}" for c in CLASSES])
            ax.set_yticks([0, 1], list(CLASSES))
            ax.set_ylabel("true label")
            ax.set_title(f"{name}\nbal. acc. {evaluation.detectors[name]['balanced_accuracy']:.1%}",
                         fontsize="medium")
        fig.tight_layout()
        save(fig, PLOT_FILES[1])
    return written


def roc_figure(evaluation: Evaluation):
    """The figure of ``roc.png``: a curve per ranking of ``evaluation.roc``, its AUC in the legend.

    The points are joined by straight lines, as scikit-learn's ``RocCurveDisplay`` joins them: where a score is
    shared by sharp and blurry images, the curve goes straight across the run of ties (the expected result of
    ordering them at random), so the area under the line drawn is the AUC of the legend, which counts a tie one
    half. Until 2026-12-05 the curve was drawn as a staircase (across, then up), whose area counted every such
    tie against the detector: below the AUC it was labelled with.
    """
    fig = _figure(figsize=(5.5, 5))
    ax = fig.subplots()
    for name, (fpr, tpr, auc) in evaluation.roc.items():
        ax.plot(fpr, tpr, label=f"{name} (AUC {auc:.3f})")
    ax.plot([0, 1], [0, 1], color="0.7", linestyle=":", linewidth=1)
    ax.set(xlabel="false positive rate (sharp called blurry)", ylabel="true positive rate (blurry found)",
           xlim=(-0.01, 1.01), ylim=(-0.01, 1.01), title=f"ROC, {evaluation.n_binary} images")
    if evaluation.roc:
        ax.legend(loc="lower right", fontsize="small")
    else:  # one class only (or nothing scored): there is no curve to draw, say so on the plot
        ax.text(0.5, 0.5, "no ROC curve: it needs both sharp and blurry images", ha="center", va="center")
    fig.tight_layout()
    return fig
