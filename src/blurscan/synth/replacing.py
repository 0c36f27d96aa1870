"""What ``write_dataset`` may replace in its OUT folder: a dataset it wrote, finished or not, and only its samples.

A run writes ``unfinished.json`` (:data:`UNFINISHED`) into OUT before any image: the names of every sample it
is about to write. It removes it once ``dataset.json`` is written, so its presence says that a run was stopped
before its end (Ctrl-C, a kill, a crash), and which files that run may have written: ``manifest.csv`` lists a
source's samples only once they are done, and with several workers, samples of later sources are on disk
before it does. (Until 2026-12-04 a run killed in its first seconds left a 0-byte ``manifest.csv``, its header
still in the write buffer, which every later run, ``--overwrite`` too, refused as "not a dataset blurscan synth
wrote".)

A folder holding such an unfinished dataset (:func:`unfinished`) is refused without ``--overwrite``, saying so;
with it, the files its marker and its manifest name are removed (only names of synth's samples, inside OUT), as
are those of a finished dataset's manifest. Any other ``manifest.csv`` (a folder of your own labelled photos, as ``evaluate``
reads) is refused, with or without ``--overwrite``: until 2026-12-04 ``--overwrite`` deleted the photos such a
manifest listed.
"""
from __future__ import annotations

import contextlib
import csv
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import UsageError, printable_path
from ..manifest_csv import dict_reader, open_manifest, records, unreadable

#: The marker of a dataset being written (see the module docstring), in OUT.
UNFINISHED = "unfinished.json"

#: A sample's file name in a dataset ``write_dataset`` wrote: ``<split>/<stem>-<index>-<kind>.jpg|.png``.
SAMPLE_NAME = re.compile(r"^(?:train|val|test)/[A-Za-z0-9_-]+-\d{2,}-[a-z_]+\.(?:jpg|png)$")


def to_replace(out: Path, columns: tuple[str, ...], *, overwrite: bool) -> list[Path]:
    """The files of the dataset in ``out`` that writing a new one there removes first (none when ``out`` holds
    none); ``columns``: those of synth's manifest. Raises :class:`UsageError` for a dataset without
    ``overwrite``, and for a ``manifest.csv`` synth did not write."""
    mpath, marker = out / "manifest.csv", out / UNFINISHED
    unfinished = os.path.lexists(marker)
    if unfinished and not _ours(marker):  # (a file of the person's own, or a link: never read, written or removed)
        raise UsageError(f"{printable_path(marker)}: not blurscan synth's (it writes a file of that name while it "
                         "works): choose another folder")
    listed: list[Path] = []
    if os.path.lexists(mpath):
        try:
            empty = mpath.is_file() and mpath.stat().st_size == 0
        except OSError:
            empty = False
        if empty:  # (a run killed in its first seconds, before 2026-12-04: its header never written)
            unfinished = True
        else:
            listed = _samples(out, _manifest_files(mpath, columns, unfinished=unfinished))
    elif not unfinished:
        return []
    if unfinished:
        listed += _samples(out, _planned(marker))
    if not overwrite:
        if unfinished:
            raise UsageError(f"{printable_path(out)}: holds an unfinished dataset (a blurscan synth run was stopped "
                             "before its end); add --overwrite to replace it, or choose another folder")
        raise UsageError(f"{printable_path(mpath)}: a dataset is already there (choose another folder, or add "
                         "--overwrite to write into it)")
    return list(dict.fromkeys(listed))


def unfinished(folder: str | os.PathLike) -> bool:
    """Whether ``folder`` holds a dataset a ``blurscan synth`` run began and did not finish: synth's marker is there
    (a file of that name of a person's own is not). Its ``manifest.csv`` lists only the sources done by then;
    ``blurscan evaluate`` says so before scoring it (until 2026-12-04 it scored such a set without a word)."""
    return _ours(Path(folder) / UNFINISHED)


def mark_unfinished(out: Path, names: Iterable[str]) -> None:
    """Write the marker: the names of the samples this run is about to write (before the first of them)."""
    about = ("blurscan synth was writing this dataset and did not finish; run it again with --overwrite to replace "
             "it (the files listed here and in manifest.csv are removed first)")
    text = json.dumps({"about": about, "files": list(names)}, indent=0) + "\n"
    marker = out / UNFINISHED
    if os.path.lexists(marker):
        if not _ours(marker):  # (to_replace refused it already; a file put there since)
            raise UsageError(f"{printable_path(marker)}: not blurscan synth's: choose another folder")
        marker.unlink()
    # never through a link put there (it wrote synth's JSON into the file the link named)
    fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError:  # a full disk: no part of it left (until 2026-12-06 one cut short was refused by every later
        with contextlib.suppress(OSError):  # run, --overwrite too, as not synth's)
            marker.unlink()
        raise


def mark_finished(out: Path) -> None:
    """The dataset is complete (``dataset.json`` written): the marker (this run's) goes."""
    marker = out / UNFINISHED
    if os.path.lexists(marker) and _ours(marker):
        marker.unlink()


def _ours(marker: Path) -> bool:
    """``marker`` is a plain file synth wrote (its ``about`` and ``files``), not a person's own or a link."""
    try:
        if not marker.is_file() or marker.is_symlink() or marker.stat().st_size > 64 << 20:
            return False
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(data, dict) and str(data.get("about", "")).startswith("blurscan synth was writing") and \
        isinstance(data.get("files"), list)


def _manifest_files(mpath: Path, columns: tuple[str, ...], *, unfinished: bool) -> list[str]:
    """The ``file`` column of ``mpath``. One with other columns is refused; one that cannot be read too, unless
    the marker is there: a run killed in the middle of a row (its marker names every file the run wrote)."""
    try:
        with open_manifest(mpath) as fh:  # (re-saved by a spreadsheet: a byte-order mark,
            reader = dict_reader(fh)  # semicolons or tabs, padded values, rows of empty fields: as evaluate reads it)
            found = tuple(reader.fieldnames)  # (lower-cased, as every manifest's: blurscan.manifest_csv)
            if found != columns:
                raise UsageError(f"{printable_path(mpath)}: not a dataset blurscan synth wrote (its columns: "
                                 f"{', '.join(reader.written_names) or 'none'}); synth replaces only those (with "
                                 "--overwrite), and never removes other files: choose another folder")
            return [row["file"] for _, row in records(reader)]  # (values stripped, rows of empty fields skipped)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        if unfinished and not isinstance(exc, OSError):
            return []
        # (why in words, as every reader of a manifest says it: until 2026-12-06 Python's text, "[Errno 21] Is a
        # directory: '...'" or "'utf-8' codec can't decode byte 0xe9 in position 135: ...")
        raise UsageError(f"{printable_path(mpath)}: cannot read the manifest there ({unreadable(exc, mpath)}); a "
                         "dataset can replace only one blurscan synth wrote: choose another folder") from None


def _planned(marker: Path) -> list[str]:
    """The names the marker lists; none when it cannot be read (a run killed as it wrote it had written no image)."""
    try:
        files = json.loads(marker.read_text(encoding="utf-8")).get("files")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return []
    return [name for name in files if isinstance(name, str)] if isinstance(files, list) else []


def _samples(out: Path, names: Iterable[str]) -> list[Path]:
    """The files of ``names`` that are synth's samples (by their name), in their split folder of ``out`` (that
    folder itself no link out of it) and there: a plain file, or a link of a sample's name, removed as a link (its
    target was removed, and the new sample then written through the dangling link, over that target)."""
    root = out.resolve()
    found = []
    for name in names:
        if not SAMPLE_NAME.match(name):
            continue
        path = out / name
        if Path(os.path.realpath(path.parent)).parent != root:
            continue
        if path.is_symlink() or path.is_file():
            found.append(path)
    return found
