"""How blurscan tells that two file names in one folder are the same name: whatever their case and their Unicode
normal form.

macOS writes an accented name decomposed (NFD: ``é`` as ``e`` and U+0301, combining acute), and keeps it so on a
drive it formats (exFAT, HFS+), in a zip, and through ``rsync`` or ``cp`` to Linux; Linux tools, and a person
typing the name, write it composed (NFC: ``é`` as U+00E9). So one folder can hold ``Café.jpg`` in NFD beside
``Café.jpg.xmp`` (a sidecar darktable wrote on Linux) or a RAW twin ``Café.CR2`` in NFC. To Linux these are
unrelated byte strings; to the person, the same name. A photo's companions (its sidecars, RAW twin, Apple's
``.AAE``, a Live Photo's video, Takeout's JSON) and a RAW + JPEG pair are found by :func:`name_key`, which
compares names as the person reads them. Until 2026-12-06 they were compared by case alone, and a sidecar or twin
in the other form was left behind by ``move`` / ``trash``, ``tag`` wrote a second sidecar beside it, and the scan
judged the JPEG and its RAW twin as two photos.

Two *files* whose names differ only in form are still two files (Linux keeps both): nothing is merged by this key
where a file's own name is what counts; a companion named exactly after one of them is that one's, as for names
that differ in case alone. A name that is not UTF-8 (Latin-1 bytes from an old camera, held as surrogate escapes)
keeps those escapes: normalising leaves them as they are.
"""
from __future__ import annotations

import os
import unicodedata


def name_key(name: str) -> str:
    """``name`` composed (NFC) and case-folded: the key under which a folder's names that a person reads as the
    same name are one (``Café.JPG`` in NFD and ``café.jpg`` in NFC)."""
    return unicodedata.normalize("NFC", name).casefold()


#: The ASCII characters that another character is in its composed form (NFC): the Kelvin sign U+212A is ``K``, the
#: Greek question mark U+037E ``;``, the Greek varia U+1FEF a backtick. An ASCII name without them is the NFC of
#: no other name.
_ASCII_OF_OTHERS = frozenset("K;`")


def on_disk(path: str) -> tuple[str, str] | None:
    """For a ``path`` that names nothing: ``(the path as on disk, the first name on the way written there in
    another Unicode form than given)`` (``Été`` typed composed, for a folder a Mac named decomposed); None when
    a missing name is missing in every form too, or is on disk in two forms (which is meant cannot be told)."""
    if os.path.lexists(path):
        return None
    head, name = os.path.split(path.rstrip(os.sep) or path)
    first = None
    if head and head != path and not os.path.lexists(head):
        found = on_disk(head)
        if found is None:
            return None
        head, first = found
        if os.path.lexists(os.path.join(head, name)):
            return os.path.join(head, name), first
    if name.isascii() and not _ASCII_OF_OTHERS.intersection(name):
        # (a name no other is written as in another form: its folder is not listed. A path under an accented
        # folder, /home/josé, listed its folder for each file of it found missing: a scan --files-from of paths
        # deleted since, a listing each, until 2026-12-06)
        return None
    try:
        names = os.listdir(head or ".")
    except OSError:
        return None
    composed = unicodedata.normalize("NFC", name)
    same = [e for e in names if e != name and unicodedata.normalize("NFC", e) == composed]
    if len(same) != 1:
        return None
    return os.path.join(head, same[0]), first or same[0]


def form(name: str) -> str:
    """The Unicode form ``name`` is written in, in words."""
    if unicodedata.is_normalized("NFC", name):
        return "composed (NFC), as Linux types names"
    return "decomposed (NFD), as macOS writes names" if unicodedata.is_normalized("NFD", name) else "mixed"


class AlikeNames:
    """The photos a scan met whose names differ from another's in their folder only in Unicode form (``Café.jpg``
    decomposed beside ``Café.jpg`` composed: two files Linux keeps apart, printed alike), for the scan to say so.
    Only names that are not plain ASCII are kept."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], set[str]] = {}

    def add(self, path: str) -> None:
        folder, name = os.path.split(path)
        if not name.isascii():
            self._seen.setdefault((folder, unicodedata.normalize("NFC", name)), set()).add(name)

    def alike(self) -> list[str]:
        """The paths of the photos that have such a namesake, in name order."""
        return sorted(os.path.join(folder, name) for (folder, _), names in self._seen.items() if len(names) > 1
                      for name in names)
