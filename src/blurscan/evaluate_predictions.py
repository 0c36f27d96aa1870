"""The per-image results ``blurscan evaluate`` writes beside its ``metrics.json``: ``predictions.csv``, one row per
manifest row (in the manifest's order) with its label, blurscan's answer and whether each detector called it right,
so that the images blurscan got wrong can be listed (until 2026-12-05 only the totals were written).

The columns are always the same, whatever the manifest holds (a script reading the file need not look which are
there): :func:`prediction_columns`. A value the manifest or the scan has not got is empty.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .records import ScanRecord, shown_laplacian_var

if TYPE_CHECKING:
    from .manifest_rows import ManifestRow

#: The per-image file of an evaluation's ``--out`` folder.
PREDICTIONS_FILE = "predictions.csv"


def prediction_columns(laplacian_cut: float) -> list[str]:
    """The header of ``predictions.csv``: the manifest's ``file`` (as written there), ``label``, ``partial``
    (``yes``: partly in focus, left out of the sharp/blurry metrics), ``set``, ``split``, ``manifest_blur_type``
    (its ``blur_type``, or without one its ``blur`` as ``blurscan synth`` writes it); blurscan's ``verdict``,
    ``p_blurry``, ``blur_type`` and ``laplacian_var``; ``blurscan_correct`` and ``laplacian<cut>_correct``
    (``laplacian100_correct`` at evaluate's cut-off): ``yes``, ``no``, or empty where the metrics do not judge the
    row (partly in focus, or not scored); ``error``: why the image could not be scored."""
    return ["file", "label", "partial", "set", "split", "manifest_blur_type", "verdict", "p_blurry", "blur_type",
            "laplacian_var", "blurscan_correct", f"laplacian{laplacian_cut:g}_correct", "error"]


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def prediction_rows(rows: Sequence[ManifestRow], records: Sequence[ScanRecord],
                    laplacian_cut: float) -> list[list[str]]:
    """The cells of ``predictions.csv`` for ``rows`` and their ``records`` (same order), header not included.
    blurscan's call is ``verdict == "blurry"`` and the baseline's ``laplacian_var < laplacian_cut``, as in the
    metrics (:func:`blurscan.evaluate.standard_detectors`), on the figure as written; figures rounded as in the JSON
    Lines output."""
    out = []
    for row, rec in zip(rows, records):
        ok = rec.status == "ok" and rec.laplacian_var is not None  # (blurscan.evaluate.scored)
        judged = ok and not row.partial
        blurry = row.label == "blurry"
        out.append([
            row.file, row.label, _yes(row.partial), row.set, row.split, row.blur,
            (rec.verdict or "") if ok else "",
            f"{rec.p_blurry:.4f}" if ok and rec.p_blurry is not None else "",
            (rec.blur_type or "") if ok else "",
            f"{rec.laplacian_var:.2f}" if ok else "",
            _yes((rec.verdict == "blurry") == blurry) if judged else "",
            _yes((shown_laplacian_var(rec.laplacian_var) < laplacian_cut) == blurry) if judged else "",
            "" if ok else (rec.error or "no Laplacian variance"),
        ])
    return out


def csv_text(lines: Sequence[Sequence[str]]) -> str:
    """``lines`` as CSV text, quoted and ended as ``blurscan report``'s CSV (:class:`blurscan.report.CsvLine`: a
    field holding a comma, a quote, a ``\\r`` or a ``\\n`` quoted; each row ended by ``\\n``, the line ending
    ``awk`` and ``cut`` expect), and text a spreadsheet would take for a formula after a ``'`` as there
    (:func:`blurscan.report.csv_cell`: a manifest's ``file`` is relative, and may start with ``=``, ``-`` ...;
    until 2026-12-06 it was written as it was, a formula to Excel and LibreOffice Calc)."""
    from .report import CsvLine, csv_cell  # (the standard library only)

    line = CsvLine()
    return "".join(line(csv_cell(cell) for cell in cells) for cells in lines)


def write_predictions(path: str | os.PathLike, rows: Sequence[ManifestRow], records: Sequence[ScanRecord],
                      laplacian_cut: float) -> tuple[int, int]:
    """Write ``predictions.csv`` to ``path`` in UTF-8, whole or not at all (a temporary file renamed over the old
    one, through a symbolic link to its target, as the plots are: :func:`blurscan.model.export.write_atomically`).
    Returns ``(wrong, judged)``: how many of the sharp/blurry rows that were scored blurscan called wrong, of how
    many."""
    from .model.export import write_atomically  # (numpy and the standard library only)

    cells = prediction_rows(rows, records, laplacian_cut)
    text = csv_text([prediction_columns(laplacian_cut), *cells])
    write_atomically(Path(os.path.realpath(path)), text.encode("utf-8"))
    calls = [row[10] for row in cells if row[10]]
    return calls.count("no"), len(calls)
