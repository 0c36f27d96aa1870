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

import unicodedata


def name_key(name: str) -> str:
    """``name`` composed (NFC) and case-folded: the key under which a folder's names that a person reads as the
    same name are one (``Café.JPG`` in NFD and ``café.jpg`` in NFC)."""
    return unicodedata.normalize("NFC", name).casefold()
