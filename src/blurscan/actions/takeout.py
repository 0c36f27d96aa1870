"""Google Photos Takeout's JSON files: which belong to a photo, so that they move with it (:mod:`.plan`).

Takeout writes beside each photo or video a JSON file of what Google Photos knew of it (the date taken, the
place, the description, the people), named after the file's whole name (the forms the tools that read Takeout
handle: GooglePhotosTakeoutHelper, google-photos-migrate, immich-go, ente; docs/actions.md has the sources):

* ``IMG_1.jpg.json`` (exports until late 2024), ``IMG_1.jpg.supplemental-metadata.json`` (since);
* the second photo of one name, ``IMG_1(1).jpg``: the number after the rest, ``IMG_1.jpg(1).json``,
  ``IMG_1.jpg.supplemental-metadata(1).json``;
* a long name: Takeout cuts the JSON's name, less the number and ``.json``, to :data:`JSON_STEM_LENGTH`
  characters (UTF-16 code units). ``.supplemental-metadata`` goes first, in part or whole
  (``IMG_1.jpg.supplemental-metad.json``, ... ``IMG_1.jpg.s.json``; any part of it is taken after the photo's
  whole name, as the limit was seen to vary), then the photo's name itself:
  ``PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGIN.json`` is the JSON of ``...ORIGINA.jpg``.

Names match whatever their case (``IMG_4081(1).jpg`` has ``IMG_4081.JPG(1).json``) and Unicode form (NFC). A
name by its stem alone (``IMG_1.json``: of ``IMG_1.jpg`` or of ``IMG_1.mp4``?) is nobody's.

A JSON goes with the last of the files it can belong to (:meth:`TakeoutJsons.jsons`): it stays while one of
them stays in the folder. Those are every file (but a JSON, ``.xmp`` or ``.AAE``) whose whole name it bears,
or whose name cut as above it bears (two long names alike in their first 46 characters, ``...ORIGINAL.jpg``
and ``...ORIGINAL.mp4``: it stays until both go), and their Takeout edits (``IMG_1-edited.jpg``, any
language: :mod:`blurscan.bursts.twins`), which the tools give their original's JSON: a kept edit keeps it.
"""
from __future__ import annotations

import os
import re
import unicodedata

from .regular_file import regular_lstat

#: Takeout's names for a JSON, less the number and ``.json``, are at most this many UTF-16 code units long.
JSON_STEM_LENGTH = 46
SUPPLEMENTAL = "supplemental-metadata"
#: Files that are no photo or video of Takeout's, so have no JSON of their own (sidecars of other programs).
NOT_OWNERS = (".json", ".xmp", ".aae")
_NUMBERED = re.compile(r"^(.*)(\(\d+\))\Z", re.DOTALL)  # (a name can hold a newline)


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _cuts(text: str) -> tuple[str, ...]:
    """``text`` (NFC) as Takeout cuts it, when it is longer than :data:`JSON_STEM_LENGTH` (else nothing): both
    ways round a character the cut would split (an emoji is two code units)."""
    units = text.encode("utf-16-le", "surrogatepass")
    n = 2 * JSON_STEM_LENGTH
    if len(units) <= n:
        return ()
    head = units[:n].decode("utf-16-le", "surrogatepass")
    if "\ud800" <= head[-1] <= "\udbff":
        return head[:-1], units[:n + 2].decode("utf-16-le", "surrogatepass")
    return (head,)


def _numbered(text: str) -> list[tuple[str, str]]:
    """``(text, "")``, and ``(rest, "(1)")`` for a text ending in a number in brackets."""
    match = _NUMBERED.match(text)
    return [(text, "")] + ([(match[1], match[2])] if match and match[1] else [])


def _targets(json_name: str) -> list[tuple[str, str]]:
    """``(name, number)`` pairs a JSON's name can be made from: the whole name of a file (``IMG_1.jpg``, or
    ``IMG_1.jpg`` with ``(1)`` for ``IMG_1(1).jpg``), or its cut form (:func:`_cuts`)."""
    out = []
    for text, number in _numbered(unicodedata.normalize("NFC", json_name[:-len(".json")])):
        out.append((text, number))
        rest, dot, part = text.rpartition(".")
        if dot and rest and SUPPLEMENTAL.startswith(part.casefold()):
            out.append((rest, number))
    return out


class TakeoutJsons:
    """The Takeout JSON files of the folders of one plan, found through ``listing`` (a plan's cached listings,
    ``by_stem(folder)``); each folder is looked at once, on first use, and only when it holds a ``.json``."""

    def __init__(self, listing) -> None:
        self._listing = listing
        self._folders: dict[str, tuple[dict[str, set[str]], dict[str, list[str]]]] = {}

    def jsons(self, group: list, claimed: set[str]) -> list:
        """``[(path, stat, "sidecar")]``: the JSON files that go with ``group`` (``[(path, stat, role)]``, a
        photo and the files that go with it, all in one folder), those whose every possible owner is in the
        group or ``claimed`` (paths taken by the plan's earlier groups) and one of them in the group."""
        folder = os.path.dirname(group[0][0])
        owners_of, jsons_of = self._index(folder)
        names = {os.path.basename(path) for path, _st, _role in group}
        out = []
        for name in sorted({j for n in names for j in jsons_of.get(n, ())}):
            path = os.path.join(folder, name)
            if path in claimed or any(o not in names and os.path.join(folder, o) not in claimed
                                      for o in owners_of[name]):
                continue
            st = regular_lstat(path)
            if st is not None:
                out.append((path, st, "sidecar"))
        return out

    def added(self, folder: str, name: str) -> None:
        """A file ``name`` made in ``folder`` since it was listed (:meth:`.listing.Listing.added`): the folder is
        looked at again when the name can change its JSON files' owners (a JSON, or a file that can own one)."""
        suffix = os.path.splitext(name)[1].casefold()
        if suffix == ".json" or suffix not in NOT_OWNERS:
            self._folders.pop(folder, None)

    def _index(self, folder: str):
        """``(owners_of, jsons_of)``: JSON name -> the names of the files it can belong to, and the reverse."""
        if folder in self._folders:
            return self._folders[folder]
        names = [e for same in self._listing.by_stem(folder).values() for e in same]
        jsons = [e for e in names if e.casefold().endswith(".json") and len(e) > len(".json")]
        owners_of: dict[str, set[str]] = {}
        jsons_of: dict[str, list[str]] = {}
        self._folders[folder] = owners_of, jsons_of
        if not jsons:
            return owners_of, jsons_of
        from ..bursts.twins import original_stem, truncated_original_stem  # (the package loads numpy: only here)

        whole: dict[str, list[str]] = {}  # a file's name -> the files of that name (whatever the case)
        cut: dict[str, list[str]] = {}    # a long name cut as Takeout cuts it, with its number -> the files
        edits: dict[str, list[str]] = {}  # an original's name stem -> its Takeout (or iPhone) edits
        for e in names:
            if os.path.splitext(e)[1].casefold() in NOT_OWNERS:
                continue
            whole.setdefault(_key(e), []).append(e)
            stem, ext = os.path.splitext(unicodedata.normalize("NFC", e))
            for text, number in _numbered(stem):
                for head in _cuts(text + ext):
                    cut.setdefault(_key(head + number), []).append(e)
            original = original_stem(stem) or truncated_original_stem(stem)
            if original:
                edits.setdefault(original.casefold(), []).append(e)
        for j in jsons:
            owners: set[str] = set()
            for text, number in _targets(j):
                stem, ext = os.path.splitext(text)
                owners.update(whole.get(_key(stem + number + ext if number else text), ()))
                owners.update(cut.get(_key(text + number), ()))
            for owner in list(owners):
                owners.update(edits.get(_key(os.path.splitext(owner)[0]), ()))
            if owners:
                owners_of[j] = owners
                for owner in owners:
                    jsons_of.setdefault(owner, []).append(j)
        return owners_of, jsons_of
