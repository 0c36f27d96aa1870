"""Which photos may not fit the memory a container's limit leaves the scan's own process.

A scan scores its files in its own process with one worker (``--workers 1``, the default in a one-CPU
container) and for a small job (:data:`blurscan.scan_workers.MIN_POOL_BYTES`). There, a photo too large for the
container's memory limit (:mod:`blurscan.memory_limit`) had the kernel's out-of-memory killer end the whole
command (``Killed``, exit code 137, no record for that photo): every later scan of the library stopped at the same
photo, and none ever finished (measured on 2026-12-06: a 50-MP PNG, 530 MB to decode, under a 384 MB limit).
Such a photo is scored alone in a worker process instead, whose death costs that photo only (an error record that
says "out of memory?"); every other photo is scored where it was. Which process scores a photo changes nothing
of its record.

A photo's need is told from its header: its pixels times what each took at peak on 2026-12-06 (a JPEG decoded
by :mod:`blurscan.jpeg`, scaled down with only the full-resolution gray kept: 2.1-2.3 bytes a pixel; anything
decoded whole by Pillow, a PNG, TIFF, WebP: 10.5, rounded up, with the file's bytes past 3 a pixel, which a
16-bit or RGBA TIFF has and the 8-bit RGB file measured had not: the scan holds the file whole). A TIFF's
directory after its pixels and a JPEG's frame header after more than 256 kB are read where they are, a WebP's
size from its first chunk. A photo whose header does not say (a RAW file, a HEIC without its reader loaded yet,
an unreadable file) is scored where it was, as before.
"""

from __future__ import annotations

import io
import os
import stat
import warnings
from collections.abc import Iterable, Iterator

from . import memory_limit
from .config import RAW_SUFFIXES
from .processes import killed
from .records import ImageRef

#: Bytes a pixel a photo takes at peak as it is scored, by Pillow's name of its format (others: ``_WHOLE``).
_BYTES_PER_PIXEL = {"JPEG": 3, "MPO": 3}
_WHOLE = 12
#: Bytes a pixel of the file ``_WHOLE`` was measured with (8-bit RGB, uncompressed). The scan holds a file whole as
#: it decodes it, so one of more bytes a pixel (16-bit RGB: 6; 16-bit RGBA: 8) needs those more: until 2026-12-06
#: a 60-MP 16-bit RGB TIFF took 1.0 GB to score, planned at 0.7.
_MEASURED_FILE = 3
#: Bytes a pixel, the file's included, that a picture of these Pillow modes takes at peak as it is scored, where
#: more than ``_WHOLE`` and its file's bytes past ``_MEASURED_FILE`` (measured on 2026-12-07, uncompressed TIFFs;
#: Pillow gives its pixels to numpy as one copy of its bytes joined from pieces, twice their size at that moment):
#: float grey (``F``), 32-bit integer grey (``I``), RGBA, grey with alpha (``LA``, four bytes a pixel in Pillow).
#: Until then they were planned at 13 and 12 bytes a pixel and took 18 (16 once its scaling went band by band),
#: 16, 16 and 18: scored in the command's own process under a memory limit they could bring the out-of-memory
#: killer.
_PEAK_BY_MODE = {"F": 16, "I": 16, "RGBA": 16, "LA": 18}
#: Bytes of a file read to find its size in pixels (a JPEG's frame header comes after its EXIF, up to 64 kB).
_HEAD = 256 << 10
#: How the files begin whose size is read from the file itself where their first ``_HEAD`` bytes do not say:
#: TIFF (little- and big-endian), JPEG.
_SEEKABLE = (b"II*\x00", b"MM\x00*", b"\xff\xd8\xff")


def headroom(limit: int | None = None) -> int | None:
    """Bytes this process may still take before its cgroup's memory limit (the limit less its resident size
    now), or None where there is no limit."""
    limit = memory_limit.limit_bytes() if limit is None else limit
    if limit is None:
        return None
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            resident = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        resident = 0
    return limit - resident


def need(path: str, max_pixels: int | None = None) -> int | None:
    """Bytes that scoring the photo at ``path`` may take at peak, told from its header; None where it does not
    say, and for a picture of more than ``max_pixels`` (refused unread by the decompression-bomb guard). Opened
    without waiting (a named pipe put in the photo's place), regular files only."""
    if os.path.splitext(path)[1].lower() in RAW_SUFFIXES:
        return None  # (LibRaw's own decoding)
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        head = os.read(fd, _HEAD)
        width, height, fmt, mode = _webp_size(head) or _pillow_size(head, fd)
    except Exception:  # (not an image Pillow knows from its head: scored where it was)
        return None
    finally:
        os.close(fd)
    if max_pixels is not None and width * height > max_pixels:
        return None
    pixels = width * height
    if fmt in _BYTES_PER_PIXEL:
        return pixels * _BYTES_PER_PIXEL[fmt]
    whole = pixels * _WHOLE + max(0, st.st_size - _MEASURED_FILE * pixels)
    return max(whole, pixels * _PEAK_BY_MODE.get(mode, 0))


def _pillow_size(head: bytes, fd: int) -> tuple[int, int, str, str]:
    """Width, height, format and mode by Pillow from the file's head; a TIFF's or a JPEG's from the file itself
    where the head does not hold them (Pillow seeks to what it needs: a TIFF's directory, which libtiff, so scanners,
    GIMP and OpenCV, and Pillow's compressed TIFFs write after the pixels; a JPEG's frame header after more
    than 256 kB of metadata). Until 2026-12-06 such a TIFF was not known to need anything."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with Image.open(io.BytesIO(head)) as im:
                return *im.size, im.format, im.mode
        except Exception:
            if len(head) < _HEAD or not head.startswith(_SEEKABLE):
                raise
        with open(fd, "rb", closefd=False) as fh, Image.open(fh, formats=["TIFF", "JPEG", "MPO"]) as im:
            return *im.size, im.format, im.mode


def _webp_size(head: bytes) -> tuple[int, int, str, str] | None:
    """A WebP's width, height and mode (RGBA where its header says it has alpha) from its first chunk (Pillow's
    WebP reader reads the whole file to open one: until 2026-12-06 every WebP past the 256 kB head was not known to need anything); None for another file."""
    if len(head) < 30 or head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    kind = head[12:16]
    if kind == b"VP8X":  # extended (EXIF, ICC, alpha, animation): the canvas, 24 bits less one each
        return (int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1, "WEBP",
                "RGBA" if head[20] & 0x10 else "RGB")
    if kind == b"VP8L" and head[20] == 0x2F:  # lossless: 14 bits less one each after the signature byte
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, "WEBP", "RGBA" if bits >> 28 & 1 else "RGB"
    if kind == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":  # lossy: a key frame's 14-bit sizes
        return (int.from_bytes(head[26:28], "little") & 0x3FFF,
                int.from_bytes(head[28:30], "little") & 0x3FFF, "WEBP", "RGB")
    return None


def fitting(refs: Iterable[ImageRef], alone: list[ImageRef], max_pixels: int | None = None) -> Iterator[ImageRef]:
    """Those of ``refs`` that may be scored in this process, in order; the others, whose photos may not fit the
    memory this process has left under its cgroup's limit, appended to ``alone``. Each is read for its header as
    it comes, just before its bytes are read whole (never all of them first: thousands of heads read ahead of a
    large library's scan); without a limit none is read here."""
    limit = memory_limit.limit_bytes()
    for ref in refs:
        if limit is not None and (need(ref.path, max_pixels) or 0) > headroom(limit):
            alone.append(ref)
        else:
            yield ref


def crash_reason(pool) -> str:
    """Why the worker process that scored one file alone died: killed (SIGKILL: the out-of-memory killer, where
    a container's memory limit was reached), or crashed (a decoder's segfault). Until 2026-12-06 both were
    "worker process crashed on this file", which said nothing of memory."""
    if not killed(pool):
        return "worker process crashed on this file"
    limit = memory_limit.described()
    return "worker process killed on this file: out of memory?" + (f" ({limit})" if limit else "")
