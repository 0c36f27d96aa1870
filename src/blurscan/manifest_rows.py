"""A labelled manifest read and checked for ``blurscan evaluate``: its rows (``file``, ``label``; ``set``, ``split``,
``blur_type`` / ``blur`` / ``category``) as :class:`ManifestRow`, the partly sharp ones told apart
(:func:`is_partial_row`), the blur kind each blurred row should be named; which of their images are missing (and
whether they would be found from the current folder), and which are named twice. The CSV itself (its delimiter,
encoding, header) is :mod:`blurscan.manifest_csv`'s.

These were :mod:`blurscan.evaluate`'s (which still gives them); a module of their own since evaluate neared 500
lines."""
from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import BlurscanError, printable_path
from .manifest_csv import dict_reader, listed_path, open_manifest, records, unreadable
from .metrics import CLASSES

REQUIRED_COLUMNS = ("file", "label")
_BLUR_COLUMNS = ("blur_type", "blur", "category")
#: ``blurscan synth`` kinds that keep a sharp region although labelled blurry (soft subject, sharp background)
_PARTLY_SHARP_KINDS = frozenset({"missed_focus"})
#: Manifest blur kinds (``blur_type``, else ``blur``) by the ``blur_type`` blurscan should name for them. A kind
#: not listed (``minfilter``: an erosion, neither defocus nor motion) is not judged.
BLUR_KINDS = {"defocus": "defocus", "gaussian": "defocus", "box": "defocus", "motion": "motion",
              "shake": "motion", "linear_motion": "motion",
              # a researcher's words for them (read after _kind_words: "Motion blur", "out-of-focus",
              # "defocused_blurred" as a folder-per-class data set names it; until 2026-12-06 not judged, unsaid)
              "defocused": "defocus", "out_of_focus": "defocus", "lens": "defocus", "camera_shake": "motion"}


class ManifestError(BlurscanError):
    """A manifest cannot be used (missing file or column, unknown label); the message names file and reason."""



@dataclass(frozen=True)
class ManifestRow:
    """One labelled image of a manifest."""

    file: str       # as written in the manifest
    path: str       # absolute
    label: str      # sharp | blurry
    partial: bool   # partly in focus: reported apart from the binary metrics
    set: str = ""
    split: str = ""
    line: int = 0   # line number in the CSV (header = 1)
    kind: str = ""  # blurred, not partial, of a known kind: the blur_type to name (defocus | motion); else ""
    blur: str = ""  # the manifest's blur_type (or, without one, its blur) as written: predictions.csv shows it


def is_partial_row(row: dict[str, str]) -> bool:
    """Whether a manifest row shows a photo that is partly in focus (``partial`` is its right verdict): label
    ``partial``, or a ``blur_type`` / ``blur`` / ``category`` starting with ``partial`` or naming synth's
    ``missed_focus``. Such rows are left out of the binary metrics (here, in ``bench/accuracy.py`` and on the
    model card)."""
    if (row.get("label") or "").strip().lower() == "partial":
        return True
    values = [(row.get(c) or "").strip().lower() for c in _BLUR_COLUMNS]
    return any(v.startswith("partial") or v in _PARTLY_SHARP_KINDS for v in values)


def _kind_words(value: str) -> str:
    """A manifest's blur kind as :data:`BLUR_KINDS` names it: in lower case, spaces and hyphens as ``_``, a last
    word ``blur`` / ``blurred`` left off (``Motion Blur``, ``linear-motion``, ``defocused_blurred``)."""
    words = "_".join(value.strip().lower().replace("-", " ").replace("_", " ").split())
    for suffix in ("_blurred", "_blur"):
        if words.endswith(suffix) and len(words) > len(suffix):
            return words[:-len(suffix)]
    return words


def _blur_kind(row: dict[str, str]) -> str:
    """:data:`BLUR_KINDS` of the row's ``blur_type`` (or, without one, ``blur``) column; ``""`` if unknown."""
    for column in ("blur_type", "blur"):
        value = (row.get(column) or "").strip().lower()
        if value:
            return BLUR_KINDS.get(value) or BLUR_KINDS.get(_kind_words(value), "")
    return ""


def read_manifest(manifest: str | os.PathLike, *, sets: Iterable[str] = (),
                  split: str | Iterable[str] | None = None) -> list[ManifestRow]:
    """Read and check a manifest; keep the rows of the given ``sets`` (if any) and ``split`` (a name or names).

    Raises
    ------
    ManifestError
        The manifest is missing or unreadable, lacks a column, or has an unknown label (message names the
        file, the line and the reason). Missing *images* are not an error here: they are scored as error
        rows.
    """
    mpath = Path(manifest)
    name = printable_path(mpath)
    # stripped as the manifest's values are (until 2026-12-05 --set " real" found no rows of set "real")
    splits = {s.strip() for s in ([split] if isinstance(split, str) else split or ())}
    wanted_sets = {s.strip() for s in sets}
    try:
        with open_manifest(mpath) as fh:
            reader = dict_reader(fh)  # commas, or semicolons or tabs (a spreadsheet's CSV): blurscan.manifest_csv
            columns = reader.fieldnames  # (lower-cased: names are read in any case)
            missing = [c for c in REQUIRED_COLUMNS if c not in columns]
            if missing:
                raise ManifestError(f"{name}: missing column{'s' if len(missing) > 1 else ''} "
                                    f"{', '.join(repr(c) for c in missing)} "
                                    f"(columns: {', '.join(reader.written_names) or 'none'})")
            for col, wanted in (("set", wanted_sets), ("split", splits)):
                if wanted and col not in columns:
                    raise ManifestError(f"{name}: cannot filter by {col}: the manifest has no {col!r} column")
            raw = list(records(reader))  # (line, row): values stripped, rows of empty fields skipped
    except FileNotFoundError:
        raise ManifestError(f"{name}: no such manifest file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ManifestError(f"{name}: cannot read manifest: {unreadable(exc, mpath)}") from None

    base = mpath.resolve().parent
    rows = []
    for i, r in raw:  # (i: the line the row starts on, blank lines counted)
        if wanted_sets and r.get("set", "") not in wanted_sets:
            continue
        if splits and r.get("split", "") not in splits:
            continue
        file = r["file"]
        if not file:
            raise ManifestError(f"{name}, line {i}: empty 'file'")
        partial = is_partial_row(r)
        label = r["label"].lower()
        if label == "partial":
            label = "blurry"
        if not label:
            raise ManifestError(f"{name}, line {i}: empty 'label' (wanted 'sharp' or 'blurry')")
        if label not in CLASSES:
            raise ManifestError(f"{name}, line {i}: label {r.get('label')!r} is not 'sharp' or 'blurry'")
        kind = _blur_kind(r) if label == "blurry" and not partial else ""
        rows.append(ManifestRow(file=file, path=os.path.normpath(listed_path(base, file)), label=label, partial=partial,
                                set=r.get("set", ""), split=r.get("split", ""), line=i, kind=kind,
                                blur=r.get("blur_type") or r.get("blur") or ""))
    if not rows:
        raise ManifestError(f"{name}: no rows{_filtered_out([r for _, r in raw], wanted_sets, splits)}")
    return rows


def _filtered_out(rows: Sequence[dict[str, str]], sets: set[str], splits: set[str]) -> str:
    """`` for set a, split test (its sets: a, b; splits of set a: train)``: what ``--set`` / ``--split`` asked
    for, and the values there are to choose from (the splits of the sets asked for); ``""`` without a filter."""
    def listed(values: Iterable[str], limit: int = 20) -> str:
        found = sorted({printable_path(v) or "(empty)" for v in values})
        return ", ".join(found[:limit]) + (f" and {len(found) - limit} more" if len(found) > limit else "")

    if not rows or not (sets or splits):
        return ""
    asked = [f"{col} {'/'.join(sorted(printable_path(v) for v in wanted))}"
             for col, wanted in (("set", sets), ("split", splits)) if wanted]
    there = [f"its sets: {listed(r.get('set', '') for r in rows)}"] if sets else []
    in_sets = [r for r in rows if r.get("set", "") in sets]
    if splits:
        there.append(f"splits of set {'/'.join(sorted(printable_path(v) for v in sets))}: "
                     f"{listed(r.get('split', '') for r in in_sets)}" if in_sets else
                     f"its splits: {listed(r.get('split', '') for r in rows)}")
    return f" for {', '.join(asked)} ({'; '.join(there)})"


def some_files(files: Sequence[str], limit: int = 3) -> str:
    """``a.jpg, b.jpg, c.jpg and 4 more``: the first ``limit`` names of ``files`` (printable) and a count."""
    shown = ", ".join(printable_path(f) for f in files[:limit])
    return shown + (f" and {len(files) - limit} more" if len(files) > limit else "")


def missing_rows(manifest: str | os.PathLike, rows: Sequence[ManifestRow]) -> list[ManifestRow]:
    """The rows whose image does not exist (they are scored as error rows, "no such file or directory").

    Raises
    ------
    ManifestError
        No row's image exists: nothing could be evaluated (the message names the first few and the folder
        the paths are relative to).
    """
    missing = [r for r in rows if not os.path.exists(r.path)]
    if missing and len(missing) == len(rows):
        name = printable_path(manifest)
        base = printable_path(Path(manifest).resolve().parent)
        what = (f"the only image it names, {printable_path(missing[0].file)}, does not exist" if len(rows) == 1
                else f"none of the {len(rows)} images it names exists ({some_files([r.file for r in missing])})")
        raise ManifestError(f"{name}: {what}; nothing to evaluate (paths are relative to {base}"
                            f"{_found_from_here(missing)})")
    return missing


def where_paths_are(manifest: str | os.PathLike, missing: Sequence[ManifestRow]) -> str:
    """``paths are relative to /data/set2; 76 of them exist relative to the current folder: ...``: what the
    note on missing images adds, so that a manifest written with paths from the folder it was made in, not from
    its own, is told at once (until 2026-12-06 the note named the files alone, and the few found were scored)."""
    return f"paths are relative to {printable_path(Path(manifest).resolve().parent)}{_found_from_here(missing)}"


def _found_from_here(missing: Sequence[ManifestRow]) -> str:
    """``; 2 of them exist relative to the current folder (...)``, or ``""``: the missing images that a path taken
    from the current folder, not the manifest's, would have found."""
    here = [r for r in missing if not os.path.isabs(r.file) and os.path.exists(listed_path(Path.cwd(), r.file))]
    if not here:
        return ""
    which = "it exists" if len(missing) == 1 else f"{len(here)} of them exist{'s' if len(here) == 1 else ''}"
    return (f"; {which} relative to the current folder ({printable_path(os.getcwd())}): write the paths relative to "
            "the manifest's folder, or as absolute ones")


def repeated_rows(rows: Sequence[ManifestRow]) -> tuple[list[str], list[str]]:
    """The images named on more than one row (each row counts in the metrics), and those of them labelled
    both ways (also partial vs not): ``(repeated, conflicting)``, as written in the manifest's first row."""
    seen: dict[str, list[ManifestRow]] = {}
    for r in rows:
        seen.setdefault(r.path, []).append(r)
    repeated = [group for group in seen.values() if len(group) > 1]
    return ([g[0].file for g in repeated],
            [g[0].file for g in repeated if len({(r.label, r.partial) for r in g}) > 1])
