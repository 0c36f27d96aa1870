"""One shot under several files: a phone's edited version beside its original, and byte-identical copies.

Neither is a burst. A burst is several *moments*; these are one moment saved twice:

* **An edit and its original.** An iPhone library exported to disk holds ``IMG_E0001.JPG`` (the version the
  person edited in Photos) beside ``IMG_0001.HEIC`` or ``.JPG`` (the camera's original); Google Photos
  Takeout writes ``IMG_0001-edited.jpg`` beside ``IMG_0001.jpg`` (the word in the account's language:
  ``-bearbeitet``, ``-modifié``, ...: :data:`TAKEOUT_EDITED`; in a long name it may cut the word,
  ``...nuevo_001-ha edi.JPG``: :func:`truncated_original_stem`); Lightroom Classic and Photoshop write
  ``IMG_0001-Edit.tif``, ``-HDR.dng``, ``-Pano.dng``, ``-Enhanced-NR.dng`` beside ``IMG_0001.CR2``; a Pixel
  saves its finished portrait ``X.PORTRAIT-01.COVER.jpg`` beside the capture ``X.PORTRAIT-02.ORIGINAL.jpg``
  (:data:`CAMERA_VERSIONS`, taken only beside that capture). They look alike and share the capture time, so
  grouping alone made them a "burst" and proposed one for removal on a hundredth of ``p_blurry``.
  An edit is a deliberate second version, and editing a shot is a choice, so the pair is *one* shot of a
  burst, judged on the original's figures (the camera's pixels; a crop or filter would skew an edit's), and a
  shot that was edited is kept like a keeper a person chose (:func:`~blurscan.bursts.rank_group`). The edit
  itself is never a member of a group, so no burst action ever takes it.
  Pairs are made by name only, in one folder (any suffix, any case); an export in a folder below its original's
  (``darktable_exported/IMG_0003.jpg`` of ``IMG_0003.CR2``: the original's name, its very capture time, to the
  fraction of a second: :func:`export_of`) is such a version too; an edit whose original is not in the
  database (or no longer on disk) is a shot of its own, and still one the person edited, so it is kept too
  (:func:`lone_edits`): it was proposed for removal when a sharper shot of its burst was there.
* **Byte-identical copies** (``IMG_0005 (1).JPG``, ``backup/IMG_0005.JPG``: same size, same content) are
  duplicates. Their figures are the same up to the model's last-digit noise, so ranking them told nothing
  true; one of them (see :func:`identical_copies`) is ranked as the shot, the others follow it as
  ``duplicate of ...``, candidates for removal whatever happens to the shot (removing an exact copy loses
  nothing), except a copy the person edited (``b/IMG_0005.JPG`` beside ``b/IMG_E0005.JPG``): that one stands
  for the others when it can, and is kept when it cannot (two edited copies), so an edit never loses the
  original beside it. Only shots of one group are compared, and only those of one size are read: their ends
  first, all their bytes only where the ends match; grouping asks the same of photos of one perceptual hash and
  size anywhere in time (:func:`~blurscan.bursts.find_groups`' ``same_bytes``), so a copy far from its original
  joins its group.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from ..records import ScanRecord
from ..samples import read_sample

log = logging.getLogger(__name__)

#: The word Google Photos Takeout appends to an edited version's name (``X-edited.jpg`` beside ``X.jpg``), in
#: the account's language. Those seen in real exports (file names quoted in reports to tools that process
#: Takeout: GooglePhotosTakeoutHelper, google-photos-migrate, google-photos-exif), or contributed there by
#: people whose account is in that language; ``editado`` is listed by those tools for Spanish and Portuguese
#: without a file name quoted (a Spanish export quoted writes ``-ha editado``). Written in NFC, lower case.
TAKEOUT_EDITED = (
    "edited",        # English
    "bearbeitet",    # German
    "modifié",       # French
    "modificato",    # Italian
    "ha editado",    # Spanish
    "editado",       # Spanish, Portuguese
    "editat",        # Catalan
    "bewerkt",       # Dutch
    "edytowane",     # Polish
    "düzenlendi",    # Turkish
    "編集済み",       # Japanese
)

#: Name stems (no suffix) of an edited version, and how to get the original's stem from one. Matched on the
#: NFC form of the stem (macOS file systems give accented names decomposed, NFD), case-insensitively (but for
#: Adobe's words, in the case Lightroom and Photoshop write them).
EDIT_NAMES = (
    (re.compile(r"^(IMG_)E(\d+)\Z", re.IGNORECASE), r"\1\2"),   # iPhone: IMG_E0001 edits IMG_0001
    # Google Photos Takeout: X-edited (X-bearbeitet, X-modifié, ...) edits X; of photos with one name, Takeout
    # numbers the second X(1).jpg and its edit X-edited(1).jpg (the number after the word)
    (re.compile(r"^(.+)-(?:%s)(\(\d+\))?\Z" % "|".join(map(re.escape, TAKEOUT_EDITED)), re.IGNORECASE | re.DOTALL),
     r"\1\2"),
    # Lightroom Classic and Photoshop: X-Edit (Edit in Photoshop: .tif, .psd), X-HDR, X-Pano, X-HDR-Pano (Photo
    # Merge: .dng), X-Enhanced, X-Enhanced-NR, -SR, -RD (Enhance: .dng) beside X.CR2; a second one numbered
    # X-Edit-2; an edit of one (X-HDR-Edit, X-Enhanced-NR-Edit-2) is an edit of X, with X-HDR-Pano made from X
    # alone (no X-HDR made on the way). In the case they write (a name of one's own, X-edit, is not taken)
    (re.compile(r"^(.+?)(?:-(?:Edit|HDR|Pano|Enhanced(?:-(?:NR|SR|RD))?)(?:-\d+)?)+\Z", re.DOTALL), r"\1"),
)


#: Name stems of the finished picture a phone camera saves beside the capture it made it from, and how to get
#: that capture's stem from one. Google Camera keeps both in one folder: ``PXL_..._123.PORTRAIT-01.COVER.jpg``
#: (the background blurred on purpose) beside ``PXL_..._123.PORTRAIT-02.ORIGINAL.jpg`` (all of it sharp), the
#: same for ``LONG_EXPOSURE`` and ``ACTION_PAN`` (motion blur on purpose), ``RAW`` and ``NIGHT.RAW`` (the JPEG
#: beside its ``.dng``), ``X.PORTRAIT.jpg`` beside ``X.PORTRAIT.ORIGINAL.jpg``, and on a Pixel 2 or 3
#: ``00100sPORTRAIT_00100_BURST<time>_COVER.jpg`` beside ``00000PORTRAIT_00000_BURST<time>.jpg``. Both share
#: the capture time and the layout, so they were a burst, and the sharper capture was proposed to keep and the
#: portrait, long exposure or panning shot the phone shows to remove. The pair is one shot like an edit and its
#: original (the finished picture is the edit), but only beside that capture: alone, such a name is a shot.
CAMERA_VERSIONS = (
    (re.compile(r"^(.+\.[A-Z_]+)-01(?:\.MP)?\.COVER\Z", re.IGNORECASE | re.DOTALL), r"\1-02.ORIGINAL"),
    (re.compile(r"^(.+\.PORTRAIT)\Z", re.IGNORECASE | re.DOTALL), r"\1.ORIGINAL"),
    (re.compile(r"^\d{5}[a-z]*PORTRAIT_\d{5}_(BURST\d+)_COVER\Z", re.IGNORECASE), r"00000PORTRAIT_00000_\1"),
)


#: Takeout cuts a long name's stem to this many characters (UTF-16 code units) before the suffix and the
#: ``(1)`` that numbers a second photo of one name, and it does so after adding the edit word: the edit of
#: ``Con Yoli por Málaga en el piso nuevo_001.JPG`` (40) is ``...nuevo_001-ha edi.JPG`` (47), cut in its word.
#: Every cut name quoted in reports to Takeout tools has a 47-character stem (docs/bursts.md has the sources).
TAKEOUT_STEM_LENGTH = 47
#: A word cut shorter than this many characters is not taken for an edit's: ``-e``, ``-be``, ``-mo`` begin
#: too many other words (``...-evening``, ``...-beach``, ``...-morning`` cut by the same rule).
TRUNCATED_WORD_MIN = 3

#: (a name can hold a newline: ``\Z`` and DOTALL, or ``a\nb.jpg`` matched nothing and bursts ended in a traceback)
_NUMBERED = re.compile(r"^(.+?)(\(\d+\))?\Z", re.DOTALL)


def original_stem(stem: str) -> str | None:
    """The name stem of the original of an edited version named ``stem`` (None when the name is no edit's),
    in NFC form."""
    stem = unicodedata.normalize("NFC", stem)
    for pattern, replacement in EDIT_NAMES:
        if pattern.match(stem):
            return pattern.sub(replacement, stem)
    return None


def truncated_original_stem(stem: str) -> str | None:
    """The name stem of the original of a Takeout edit whose word Takeout cut (``...-edi``, ``...-ha edi(1)``)
    when the name is such an edit's, else None; in NFC form.

    The stem (less its ``(1)``) must be exactly :data:`TAKEOUT_STEM_LENGTH` long and end in ``-`` and the
    first :data:`TRUNCATED_WORD_MIN` or more characters of one of :data:`TAKEOUT_EDITED`, not the whole word
    (:func:`original_stem` takes that). Such a name says less than a whole word: a name is taken for an edit
    this way only beside its original (:func:`edits_of`), never alone (:func:`lone_edits`)."""
    base, number = _NUMBERED.match(unicodedata.normalize("NFC", stem)).groups()
    if len(base.encode("utf-16-le", "surrogatepass")) != 2 * TAKEOUT_STEM_LENGTH:  # (a non-UTF-8 name)
        return None
    head, hyphen, cut = base.rpartition("-")
    cut = cut.casefold()
    if not hyphen or not head or len(cut) < TRUNCATED_WORD_MIN:
        return None
    if any(word.startswith(cut) and word != cut for word in TAKEOUT_EDITED):
        return head + (number or "")
    return None


def camera_original_stem(stem: str) -> str | None:
    """The name stem of the capture a phone camera's finished picture named ``stem`` was made from
    (:data:`CAMERA_VERSIONS`), else None; in NFC form. Taken for an edit only beside that capture
    (:func:`edits_of`), never alone (:func:`lone_edits`)."""
    stem = unicodedata.normalize("NFC", stem)
    for pattern, replacement in CAMERA_VERSIONS:
        if pattern.match(stem):
            return pattern.sub(replacement, stem)
    return None


def _key(folder: str, stem: str) -> tuple[str, str]:
    return folder, unicodedata.normalize("NFC", stem).casefold()


def edits_of(paths: Iterable[str], times: Mapping[str, tuple] | None = None) -> dict[str, list[str]]:
    """Original path -> paths of its edited versions, among ``paths`` (same folder, matched by name), and of its
    exports (:func:`export_of`; with ``times``, path -> ``(captured_at, captured_subsec)``).

    Of two originals with the edit's stem (``IMG_0001.HEIC`` and ``IMG_0001.JPG``), the first by path."""
    paths = sorted(paths)
    by_stem: dict[tuple[str, str], str] = {}
    for path in paths:
        folder, name = os.path.split(path)
        by_stem.setdefault(_key(folder, os.path.splitext(name)[0]), path)
    parent: dict[str, str] = {}
    for path in paths:
        folder, name = os.path.split(path)
        stem = os.path.splitext(name)[0]
        named = original_stem(stem) or truncated_original_stem(stem)
        original = by_stem.get(_key(folder, named)) if named else None
        if original is None and camera_original_stem(stem):  # (a phone's portrait beside its capture)
            original = by_stem.get(_key(folder, camera_original_stem(stem)))
        if original is None and times is not None:
            original = export_of(path, by_stem, times)
        if original is not None and original != path:
            parent[path] = original
    out: dict[str, list[str]] = {}
    for edit, original in parent.items():
        for _ in range(len(parent)):  # an edit of an edit (IMG_E0001-edited.jpg) goes with the first original
            if original not in parent:
                break
            original = parent[original]
        out.setdefault(original, []).append(edit)
    return out


def export_of(path: str, by_stem: Mapping[tuple[str, str], str], times: Mapping[str, tuple]) -> str | None:
    """The photo ``path`` is an export of, or None: the file of its stem (any suffix and case) in the folder
    above, taken at the very same time, to the fraction of a second (``times``: path -> ``(captured_at,
    captured_subsec)``; without a fraction, not: two camera bodies' ``IMG_0003`` can share a second, and the
    shot taken for edited is kept before a sharper one), and not a byte-identical copy (``backup/IMG_0003.JPG``:
    a duplicate, :func:`identical_copies`). darktable exports ``IMG_0003.CR2`` to ``darktable_exported/
    IMG_0003.jpg`` by default, Lightroom and Capture One to a folder the person names (``Exports/``), keeping the
    name and the EXIF dates: the export was grouped as a shot of its original's burst, and ``move --from-bursts``
    took it (until 2026-12-06)."""
    folder, name = os.path.split(path)
    up = os.path.dirname(folder)
    original = by_stem.get(_key(up, os.path.splitext(name)[0])) if up != folder else None
    if original is None or None in times.get(path, (None,)):  # (a second alone: two bodies' IMG_0003 can share it)
        return None
    if times.get(original) != times[path]:
        return None
    try:
        same_size = os.stat(path).st_size == os.stat(original).st_size
    except OSError:
        same_size = False
    copy = _whole(path) if same_size else None
    return None if copy is not None and copy == _whole(original) else original


def lone_edits(paths: Iterable[str], edits: dict[str, list[str]]) -> set[str]:
    """Those of ``paths`` named as an edited version (``IMG_E0001.JPG``, ``X-edited.jpg``) that are no edit
    in ``edits`` (:func:`edits_of`, less the originals no longer on disk): their original is not there, and
    they are a version the person edited, kept as a shot with an edit is."""
    paired = {name for names in edits.values() for name in names}
    return {path for path in paths if path not in paired
            and original_stem(os.path.splitext(os.path.basename(path))[0]) is not None}


def identical_copies(group: Sequence[ScanRecord]) -> dict[str, str]:
    """Copy path -> the path that stands for it, for the shots of ``group`` that are byte-identical files.

    Shots of one ``size`` are compared: first by a sample of their bytes (:func:`~blurscan.samples.read_sample`,
    the first and last 64 KiB), then, where samples match, by a SHA-256 of all their bytes, each file read once
    (until 2026-12-04 each was compared byte by byte with every other of its size: 1,000 same-size shots of a
    time-lapse in TIFF, 10.9 s; 60k photos restored with one time, groups of 67, 52.8 s); a file that cannot be
    read, or is not a regular file, is nobody's copy. Of a set of identical files, the one that stands for them
    is a file rather than a symbolic link, then the shortest name (the original before its copies: ``IMG_1.JPG``
    before ``IMG_1 (1).JPG``), then the oldest file, then the first path."""
    def rank(r: ScanRecord):
        return (os.path.islink(r.path), len(os.path.basename(r.path)), r.mtime_ns or 0, r.path)

    by_size: dict[int, list[ScanRecord]] = {}
    for record in group:
        if record.size:
            by_size.setdefault(record.size, []).append(record)
    out: dict[str, str] = {}
    for same in by_size.values():
        for alike in _alike(_alike([same], _sample), _whole):
            first, *copies = sorted(alike, key=rank)
            for record in copies:
                out[record.path] = first.path
                log.info("%s: a copy of %s (same size and content)", record.path, first.path)
    return out


def _alike(sets: Iterable[list[ScanRecord]], key) -> list[list[ScanRecord]]:
    """Those of ``sets`` of two or more, split by ``key(path)`` (None: the file is dropped), sets of two or more."""
    out = []
    for records in sets:
        if len(records) < 2:
            continue
        by_key: dict[tuple, list[ScanRecord]] = {}
        for record in records:
            k = key(record.path)
            if k is not None:
                by_key.setdefault(k, []).append(record)
        out += [alike for alike in by_key.values() if len(alike) > 1]
    return out


def _sample(path: str) -> tuple[int, str] | None:
    try:
        st, digest = read_sample(path)
    except OSError:
        return None
    return st.st_size, digest


def _whole(path: str) -> tuple[int, str] | None:
    """(size, SHA-256 of all the bytes) of the regular file ``path``, None when it cannot be read."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        with open(os.open(path, flags), "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                return None
            digest = hashlib.sha256()
            size = 0
            while chunk := f.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return None
    return size, digest.hexdigest()
