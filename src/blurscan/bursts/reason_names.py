"""How a burst's reasons name its shots and the other versions of a shot (:func:`~blurscan.bursts.rank_group`).

A shot is named by its file name, or by its path from the group's common folder where two shots' names are alike
(:func:`group_names`); an export in a folder below its shot by its path from the shot's folder. A shot kept for a
version of it beside it says whose version that is: one a person made (``IMG_E0001.JPG``, ``IMG_0001-Edit.tif``,
an export: ``you edited it (IMG_E0001.JPG)``) or the finished picture a phone made from its capture (a Pixel's
``X.PORTRAIT-01.COVER.jpg`` beside ``X.PORTRAIT-02.ORIGINAL.jpg``: ``the phone made a picture from it
(X.PORTRAIT-01.COVER.jpg)``, :data:`~blurscan.bursts.twins.CAMERA_VERSIONS`). Until 2026-12-06 a portrait's capture
was kept because "you edited it", though the person had done nothing.
"""
from __future__ import annotations

import os
from collections.abc import Collection, Sequence

from ..errors import printable_path
from .twins import camera_original_stem

#: Why a shot is kept for a version of it: a person's edit, or the picture a phone made from it.
YOU_EDITED = "you edited it"
PHONE_MADE = "the phone made a picture from it"


def kept_too_reason(edits: Sequence[str] | None, shot: str | None = None) -> str:
    """The reason of a shot (``shot``) kept for its versions (``edits``: their paths; none for an edit whose
    original is not there) behind the keeper."""
    return f"{edited_words(edits, shot)}: kept too"


def kept_first_reason(edits: Sequence[str] | None, shot: str | None = None) -> str:
    """The reason of such a shot ranked first."""
    if edits and not _by_person(edits):
        return f"{edited_words(edits, shot)}: kept with it"
    return f"{edited_words(edits, shot)}: a shot you edited is kept"


def kept_for(edits: Sequence[str] | None) -> str:
    """Why the keeper of a shot's reason is kept: :data:`YOU_EDITED` or :data:`PHONE_MADE`."""
    return PHONE_MADE if edits and not _by_person(edits) else YOU_EDITED


def edited_words(edits: Sequence[str] | None, shot: str | None = None) -> str:
    """``you edited it (IMG_E0001.JPG)``, ``the phone made a picture from it (X.PORTRAIT-01.COVER.jpg)``, both
    (``; ``) where a shot has versions of both kinds, or the words of an edit whose original is not there."""
    if not edits:
        return "a version you edited (its original is not here)"
    person = _by_person(edits)
    phone = [p for p in edits if p not in person]
    parts = [f"{words} ({', '.join(name_in_reason(p, shot) for p in paths)})"
             for words, paths in ((YOU_EDITED, person), (PHONE_MADE, phone)) if paths]
    return "; ".join(parts)


def _by_person(edits: Sequence[str]) -> list[str]:
    """The versions in ``edits`` that a person made (not a phone's finished picture of its capture)."""
    return [p for p in edits if camera_original_stem(os.path.splitext(os.path.basename(p))[0]) is None]


def name_in_reason(path: str, shot: str | None = None) -> str:
    """A file as a reason names it: its name, or, for an export in a folder below the shot ``shot``'s, its path
    from the shot's folder."""
    up = os.path.dirname(shot) if shot and os.path.dirname(os.path.dirname(path)) == os.path.dirname(shot) else None
    return printable_path(os.path.relpath(path, up) if up else os.path.basename(path) or path)


def group_names(paths: Collection[str]) -> dict[str, str]:
    """How reasons name the shots of one group: the file name, or, for shots whose file names are alike
    (``camA/IMG_0001.jpg`` beside ``camB/IMG_0001.jpg``: cameras and cards reuse numbers), the path from the
    group's common folder, so that a reason never reads as a shot better than itself (until 2026-12-04:
    ``IMG_0001.jpg is better``, given to the other ``IMG_0001.jpg``)."""
    paths = list(dict.fromkeys(paths))
    count: dict[str, int] = {}
    for path in paths:
        count[os.path.basename(path)] = count.get(os.path.basename(path), 0) + 1
    alike = [p for p in paths if count[os.path.basename(p)] > 1]
    try:
        common = os.path.commonpath([os.path.dirname(p) for p in alike]) if alike else ""
    except ValueError:  # relative and absolute paths mixed: the whole path tells them apart
        common = ""
    return {p: printable_path(os.path.relpath(p, common) if p in alike and common else p) if p in alike
            else name_in_reason(p) for p in paths}
