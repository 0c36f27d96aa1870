"""RAW + JPEG pairs: which of the two pictures a scan judges.

A camera that saves both writes ``IMG_1.NEF`` and ``IMG_1.JPG`` side by side; the walk makes them one photo,
the JPEG's :class:`~blurscan.records.ImageRef` with the RAW in ``raw_twin`` (:mod:`blurscan.walk`). The record
is always the **JPEG's**: its path, and its size and modification time as the cache's identity. That is the
path ``move``/``trash``/``undo`` plan from (they carry the RAW twin beside it, :mod:`blurscan.actions.plan`),
the review page and ``report`` list, and the walk finds again on the next scan; a record at the RAW's path
would be a second photo to the actions (the JPEG "staying" would keep the RAW in place too) and to the cache.

Which picture is judged:

* The JPEG (or HEIC ...), when its long side reaches the analysis size (``analysis_long_side``, within
  :data:`blurscan.jpeg.DCT_SCALE_TOLERANCE`, the tolerance the model's full-size threshold uses): only its
  header is read for that (Pillow's lazy open, well under a millisecond), then it is decoded exactly as a
  lone JPEG; the RAW is not opened. The test is whether the JPEG is analysed at the scale a larger copy of the
  same picture would be (:func:`blurscan.analysis.reaches_full_scale`), and the JPEG's own shape decides it (a
  camera's JPEG may be cropped, 16:9 or 1:1, where the RAW keeps the sensor's 3:2): for every shape up to
  16:1 that is its long side; a long thin picture (a panorama's strip, analysed larger: :mod:`blurscan.analysis`)
  is analysed with its short side at 64 px when it has them, so a 2048 x 48 JPEG, long enough, is still
  smaller than its analysis image (2731 x 64), and its RAW judges it. Comparing the long side alone took that
  JPEG, analysed from 48 rows where the RAW had 64.
* The RAW, as a lone RAW is judged (its embedded preview, or LibRaw's half-size development,
  :mod:`blurscan.raw`), when the JPEG is smaller (the smallest sizes of some cameras' "RAW + small JPEG" modes, or
  a 1-2 MP JPEG with a larger analysis size: the photo would be analysed below the size the model's
  full-size threshold is made for, from a picture with a fraction of the detail), or when the JPEG cannot be read at all (truncated, corrupt). ``format``, ``width``, ``height``,
  ``laplacian_var`` and ``captured_at`` (with ``captured_subsec``) are then the RAW's, and ``note`` says why.
* The small JPEG after all when its RAW cannot be read (``note`` says so); when neither can, the error names
  both files and both reasons.

A stored record of a pair that was judged from a JPEG below the analysis size is not reused (:func:`settled`
is False and the pair is judged again) when an older blurscan judged it so, or when its RAW could not be read
then and has changed since: the record keeps the unread RAW's name, size, modification and status-change times
and the LibRaw version that tried it (``unread_twin``), and a RAW that still matches all of them is not read
again on every scan (it would fail again), while one replaced, repaired, renamed or made readable
(``chmod``), or a newer LibRaw (which may know the camera), gets its try. A record judged from the RAW keeps the
RAW's size and time when read (``judged_twin``): a RAW changed since (a copy finished, a replacement) is judged
again, and a JPEG whose RAW is gone is judged alone (until 2026-12-06 both kept the record as it was).
"""
from __future__ import annotations

import os
import stat
import time
import warnings

from .analysis import full_scale_size, reaches_full_scale
from .config import ScanSettings
from .errors import DecodeError, printable_path
from .fileread import is_raw
from .pair_names import pair_key
from .records import DecodedImage, ImageRef, ScanRecord
from .filetime import mtime_of
from .pillowguard import pixel_limit


#: How the ``note`` of a pair judged from its RAW starts.
FROM_RAW = "judged from the RAW twin "


def decode_pair(ref: ImageRef, settings: ScanSettings = ScanSettings(), *,
                color: bool = True) -> tuple[DecodedImage, str | None, list | None]:
    """Decode the picture that judges the pair ``ref`` (an image with its ``raw_twin``) and say why.

    Returns
    -------
    (DecodedImage, note, unread_twin)
        ``path``, ``size`` and ``mtime_ns`` are the JPEG's, whichever picture was decoded; ``note`` is None
        when the JPEG was judged as usual, else one line for the record's ``note``; ``unread_twin`` is the
        :func:`twin_identity` of a RAW that could not be read when the small JPEG was judged instead, else None
        (the record's ``unread_twin``, for :func:`settled`).

    Raises
    ------
    DecodeError
        At the JPEG's path, when neither file can be judged (the reason names both).
    """
    from . import decode

    jpeg, twin = ref.path, ref.raw_twin
    twin_name = printable_path(os.path.basename(twin))
    size = _size(jpeg, settings.max_pixels)
    if size is None or reaches_full_scale(*size, settings.analysis_long_side, _full_size()):
        try:
            return decode.decode(jpeg, settings, color=color), None, None
        except DecodeError as exc:
            jpeg_error = exc
        note = f"{FROM_RAW}{twin_name}: this file could not be read ({jpeg_error.reason})"
        return _raw_or_both(decode, ref, settings, color, jpeg_error), note, None
    long_side = max(size)
    tried = twin_identity(twin)  # before reading: a RAW changed while it is read is tried again next time
    try:
        decoded = decode.decode(twin, settings, color=color)
    except DecodeError as exc:
        try:
            out = decode.decode(jpeg, settings, color=color)
        except DecodeError as jpeg_error:
            raise _both(jpeg, twin_name, jpeg_error, exc) from None
        note = f"judged from this {long_side} px file: its RAW twin {twin_name} could not be read ({exc.reason})"
        return out, note, tried
    _as_jpeg(decoded, ref)
    return decoded, f"{FROM_RAW}{twin_name}: this file is {_below(size, settings)}", None


def decode_judged(ref: ImageRef, settings: ScanSettings, *, color: bool) -> tuple[DecodedImage, str | None,
                                                                                 list | None, list | None]:
    """:func:`decode_pair` and, last, the :func:`raw_identity` of the RAW twin when the pair was judged from it
    (the record's ``judged_twin``, for :func:`settled`), taken before reading it: a RAW still being copied when
    it was read, and finished since, is judged again."""
    before = raw_identity(ref.raw_twin)
    decoded, note, unread = decode_pair(ref, settings, color=color)
    return decoded, note, unread, (before if is_raw(decoded.format or "") else None)


def raw_identity(path: str) -> list | None:
    """``[size, mtime_ns]`` of the RAW file ``path``, None when it cannot be ``stat``-ed."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, mtime_of(st)]


def decode_named(path: str, settings: ScanSettings, *, color: bool) -> tuple[DecodedImage, str | None]:
    """Decode the file ``path`` as a scan of it would: with its RAW twin when it has one (:func:`decode_pair`),
    for :func:`blurscan.score_image`; returns the picture and the record's ``note``. Until 2026-12-05
    ``score_image`` decoded the JPEG of a pair alone, and judged a photo a scan judges from its RAW otherwise."""
    from . import decode

    twin = _twin_of(path)
    if twin is None:
        return decode.decode(path, settings, color=color), None
    st = os.stat(path)
    decoded, note, _unread = decode_pair(ImageRef(path, st.st_size, mtime_of(st), raw_twin=twin), settings,
                                         color=color)
    return decoded, note


#: folder -> (its identity and modification time, the names of its RAW files by stem in any case and Unicode form,
#: :func:`.pair_names.pair_key`), for :func:`decode_named`: looking for a twin listed the folder at each call, and
#: a pipeline scoring each photo of a 30,000-file folder took 122 ms a call instead of 46. A file added to, removed
#: from or renamed in a folder changes its time, so a listing is used again only while the time it was made at
#: holds. The last few folders are kept.
_RAW_NAMES: dict[str, tuple[tuple[int, int, int], dict[str, list[str]]]] = {}
_FOLDERS_KEPT = 8
#: A listing made less than this after the folder's time is not kept: a file system's clock may be coarse (FAT,
#: a camera card's: 2 s; ext4 before Linux 6.13: a few ms), so a RAW copied in just after the listing may leave
#: the folder's time as it was (until 2026-12-05 the pair was then judged from the JPEG alone until the folder
#: changed again). A folder being filled is so listed at each call; one left as it is, once.
_SETTLED_NS = 3_000_000_000


def _twin_of(path: str) -> str | None:
    """:func:`blurscan.twins.raw_twin` of ``path``, its folder's listing kept while the folder is unchanged."""
    from .config import RAW_SUFFIXES
    from .twins import raw_twin

    folder, name = os.path.split(path)
    try:
        st = os.stat(folder)
        when = (st.st_dev, st.st_ino, mtime_of(st))
        kept = _RAW_NAMES.get(folder)
        if kept is None or kept[0] != when:
            listed_at = time.time_ns()
            raws: dict[str, list[str]] = {}
            for entry in os.listdir(folder):
                stem, suffix = os.path.splitext(entry)
                if suffix.lower() in RAW_SUFFIXES:
                    raws.setdefault(pair_key(stem), []).append(entry)
            kept = (when, raws)
            if listed_at - mtime_of(st) >= _SETTLED_NS:
                while len(_RAW_NAMES) >= _FOLDERS_KEPT:
                    _RAW_NAMES.pop(next(iter(_RAW_NAMES), None), None)
                _RAW_NAMES[folder] = kept
            else:
                _RAW_NAMES.pop(folder, None)
    except (OSError, RuntimeError):  # (unlistable: as raw_twin judges it; another thread changed the dict)
        return raw_twin(path)
    return raw_twin(path, kept[1].get(pair_key(os.path.splitext(name)[0]), ()))


def settled(record: ScanRecord, settings: ScanSettings, twin: str | None) -> bool:
    """Whether a stored ``"ok"`` record may be reused as far as RAW + JPEG pairs go (``twin``: the RAW the walk
    found beside it now, None for a photo that is not a pair, always settled): False when it was judged from a
    JPEG below the analysis size (the RAW is to judge it, see the module docstring), unless because that very
    RAW could not be read: same :func:`twin_identity` now as when it was tried (one ``stat``, for such records
    only)."""
    if record.judged_twin is not None or (record.note or "").startswith(FROM_RAW):  # judged from its RAW twin
        # the RAW deleted (the JPEG kept alone) and the JPEG is judged on its own; a RAW replaced or finished
        # copying since it was read (a record stored before 2026-12-06 has no judged_twin: kept while there)
        return twin is not None and record.judged_twin in (None, raw_identity(twin))
    if twin is None or is_raw(record.format or "") or not record.width or not record.height:
        return True
    if reaches_full_scale(record.width, record.height, settings.analysis_long_side, _full_size()):
        return True
    return bool(record.unread_twin) and record.unread_twin == twin_identity(twin)


def twin_identity(path: str) -> list | None:
    """``[name, size, mtime_ns, ctime_ns, LibRaw version]`` of the RAW file ``path`` (a list: it is stored as
    JSON), or None when it cannot be ``stat``-ed. The status-change time moves with a ``chmod`` (a RAW that
    was unreadable for its permissions) and a rename; the LibRaw version with an upgrade that may know the
    camera."""
    from .raw import rawpy

    try:
        st = os.stat(path)
    except OSError:
        return None
    libraw = ".".join(map(str, getattr(rawpy, "libraw_version", ()) or ())) or None
    return [os.path.basename(path), st.st_size, mtime_of(st), st.st_ctime_ns, libraw]


def _raw_or_both(decode, ref: ImageRef, settings, color, jpeg_error: DecodeError) -> DecodedImage:
    try:
        decoded = decode.decode(ref.raw_twin, settings, color=color)
    except DecodeError as exc:
        raise _both(ref.path, printable_path(os.path.basename(ref.raw_twin)), jpeg_error, exc) from None
    _as_jpeg(decoded, ref)
    return decoded


def _as_jpeg(decoded: DecodedImage, ref: ImageRef) -> None:
    """The record of a pair judged from its RAW is the JPEG's (path and cache identity from the walk; its sample,
    not read here, is taken at the next scan: blurscan.replaced)."""
    decoded.path, decoded.size, decoded.mtime_ns = ref.path, ref.size, ref.mtime_ns
    decoded.ctime_ns = decoded.sample = None


def _both(jpeg: str, twin_name: str, jpeg_error: DecodeError, raw_error: DecodeError) -> DecodeError:
    return DecodeError(jpeg, f"{jpeg_error.reason}; its RAW twin {twin_name} could not be read either "
                             f"({raw_error.reason})")


def _below(size: tuple[int, int], settings: ScanSettings) -> str:
    """Why a JPEG of ``size`` is not judged: the note's end."""
    w, h = size
    fw, fh = full_scale_size(w, h, settings.analysis_long_side)
    if max(fw, fh) <= settings.analysis_long_side:
        return f"{max(w, h)} px on its long side, below the analysis size ({settings.analysis_long_side} px)"
    return f"{w} x {h} px, below the analysis size of so long and thin a picture ({fw} x {fh} px)"


def _size(path: str, max_pixels: int) -> tuple[int, int] | None:
    """The image's ``(width, height)`` from its header (Pillow's lazy open), or None when that cannot be read
    (nor past ``max_pixels``: the decode that follows refuses it)."""
    from PIL import Image

    from .heif import is_iso_media, register_opener

    try:
        # not open(path): a named pipe put there since the walk would wait for a writer (see fileread.read_once)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            if is_iso_media(fh.read(8)):  # a HEIC beside its RAW (whatever its suffix): Pillow's HEIF opener
                register_opener()
            fh.seek(0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with pixel_limit(max_pixels), Image.open(fh) as im:
                    return tuple(im.size)
    except Exception:  # unreadable: the decode that follows gives the reason
        return None


def _full_size() -> float:
    from .jpeg import DCT_SCALE_TOLERANCE

    return DCT_SCALE_TOLERANCE
