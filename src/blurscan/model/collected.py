"""What ``blurscan train`` trains on, gathered from its DATA arguments: the sharp photos it blurs (sources) and
the labelled real entries of a data set laid out as the shared one (``set`` column): the GoPro calibration pairs,
the real-evaluation and multi-focus photos (:mod:`blurscan.datasets`).

Such a data set given itself (``blurscan train data``) gives only its sharp photos of the sets that may be blurred
(:func:`blurscan.datasets.synth_sources`) as sources, and its rows as real entries. One inside a plain folder
(``blurscan train photos``, ``photos/data/manifest.csv``) has them the same way since 2026-12-07: until then the
folder's walk took every sharp row of it as a source, the real-evaluation sets' sharp frames (GoPro's ``_gt``,
Levin's) among them, and its calibration pairs and evaluation photos were not used, the closing note saying only
that its blurred rows were not (``train makes its blurred training images itself``).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import BlurscanError, UsageError, printable_path


def collect(data_paths: Sequence[str | Path]) -> tuple[list, list]:
    """``(synthetic sources, real labelled entries)`` from the ``DATA`` arguments."""
    from ..synth.sources import check_unique_keys, collect_sources, real_path

    sources, real = [], []
    for raw in data_paths:
        p = Path(raw)
        if p.is_dir() and (p / "manifest.csv").is_file():
            entries = _shared_layout(p)
            if entries is not None:
                allowed = _allowed(entries)
                sources += [s for s in collect_sources([p]) if s.key.split("/", 1)[1] in allowed]
                real += entries
                continue
        found = collect_sources([p])
        if p.is_dir():  # a plain folder: the data sets laid out as the shared one inside it, as when given
            found = _as_given(p, found, real)
        sources += found
    if not sources:
        raise BlurscanError(f"{', '.join(map(printable_path, data_paths))}: no sharp photos to train on")
    once: dict[Path, object] = {}
    for s in sources:  # a photo given twice (``train data data/set``) is one source
        once.setdefault(real_path(s.path), s)
    entries: dict[Path, object] = {}
    for e in real:  # a data set given twice (``train OUTER OUTER/data``, ``train data data``) is one: its rows were
        entries.setdefault(real_path(e.path), e)  # twice, calibration pairs and evaluated photos counted twice
    return check_unique_keys(list(once.values())), list(entries.values())


def _shared_layout(folder: Path) -> list | None:
    """The entries of ``folder``'s manifest when it is laid out as the shared data set (a ``set`` column), else
    None."""
    from .. import datasets

    try:
        entries = datasets.read_manifest(folder)
    except UsageError:
        return None
    return entries if entries and entries[0].set else None


def _allowed(entries: list) -> set[str]:
    """The manifest's ``file`` of each sharp photo training may blur (no real-evaluation photo)."""
    from .. import datasets

    return {e.file for e in datasets.synth_sources(entries)}


def _as_given(folder: Path, found: list, real: list) -> list:
    """``found``, the walk of the plain ``folder``, less the photos of each data set laid out as the shared one
    inside it that are no sources when it is given itself; their entries added to ``real``."""
    from .. import datasets
    from ..synth.sources import real_path
    from .unused_rows import _manifest_folder, nested_manifests

    if _manifest_folder(folder) is not None:  # (inside a labelled data set: its rows under the folder, as before)
        return found
    for nested in nested_manifests(folder):
        entries = _shared_layout(nested)
        if entries is None:
            continue
        kept = {real_path(e.path) for e in datasets.synth_sources(entries)}
        out = {real_path(e.path) for e in entries} - kept
        found = [s for s in found if real_path(s.path) not in out]
        real += entries
    return found
