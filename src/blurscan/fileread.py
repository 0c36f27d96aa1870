"""Reading an image file once and telling its format from its signature (before any decoder sees it).

:func:`read_once` opens the file read-only, takes its size and modification time from the open descriptor
and reads every byte into memory, so a file replaced in the middle of a scan is never half-read twice, and a
file that grows or changes while being read is refused rather than decoded. :func:`sniff` names the format
from the first bytes (a TIFF-based camera RAW is the one case where the suffix helps), and refuses what is not
a still image it can judge (video, PDF, PSD, text) with a reason a user can act on. Both raise
:class:`~blurscan.errors.DecodeError` (file name + one-line reason); :mod:`blurscan.decode` turns the bytes into
pixels.
"""
from __future__ import annotations

import os
import re
import stat as _stat

from .config import RAW_SUFFIXES
from .errors import DecodeError, os_reason

#: The reason for a file gone since the walk found it (its error does not replace a stored record: blurscan.pruning).
VANISHED = "file vanished (no such file)"

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}
_VIDEO_BRANDS = {b"isom", b"iso2", b"mp41", b"mp42", b"qt  ", b"M4V ", b"3gp4", b"3gp5", b"dash"}


def max_file_bytes(max_pixels: int) -> int:
    """The largest file read for an image of at most ``max_pixels`` pixels: 8 bytes a pixel (16-bit RGBA,
    uncompressed, as a TIFF may store it) and 256 MiB more for metadata, previews and extra pages."""
    return 8 * max_pixels + (256 << 20)


def read_once(path: str | os.PathLike, *, nofollow: bool = False,
              max_pixels: int | None = None) -> tuple[bytes, os.stat_result]:
    """Open read-only, stat the descriptor, read all bytes, check the file did not change meanwhile.

    ``nofollow``: refuse a symbolic link (``O_NOFOLLOW``) instead of reading the file it names.
    ``max_pixels``: refuse, before reading, a file larger than :func:`max_file_bytes` allows for that many
    pixels (the whole file is read into memory: a 30 GB file named ``.jpg`` could exhaust it)."""
    # O_NONBLOCK: a named pipe put in a photo's place after the walk would make open() wait for a writer (the
    # scan has no per-file timeout); it has no effect on reading a regular file, and anything else is refused
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    if nofollow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise DecodeError(path, VANISHED) from None
    except OSError as exc:
        raise _os_error(path, exc, "cannot open") from None
    try:
        return read_descriptor(fd, path, max_pixels=max_pixels)
    finally:
        os.close(fd)


def read_descriptor(fd: int, path, *, max_pixels: int | None = None) -> tuple[bytes, os.stat_result]:
    """:func:`read_once` of a file already open (``fd``, left open; read from its start whatever its offset):
    the review server reads a photo through the descriptor it checked (:mod:`blurscan.review.security`), never
    by its name again."""
    try:
        st = os.fstat(fd)
        if _stat.S_ISDIR(st.st_mode):
            raise DecodeError(path, "is a directory, not a file")
        if not _stat.S_ISREG(st.st_mode):
            raise DecodeError(path, "not a regular file")
        if st.st_size == 0:
            raise DecodeError(path, "file is empty")
        if max_pixels is not None and st.st_size > max_file_bytes(max_pixels):
            raise DecodeError(path, f"file too large: {st.st_size / 1e9:.1f} GB, more than an image of "
                                    f"{max_pixels:,} pixels (--max-pixels) can take")
        os.lseek(fd, 0, os.SEEK_SET)
        chunks, got, want = [], 0, st.st_size + 1  # one byte more than expected reveals a growing file
        while got < want:
            chunk = os.read(fd, want - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        data = b"".join(chunks)
        after = os.fstat(fd)
    except OSError as exc:
        raise _os_error(path, exc, "read error") from None
    if not data:
        raise DecodeError(path, "file is empty")
    if len(data) != st.st_size or after.st_mtime_ns != st.st_mtime_ns or after.st_size != st.st_size:
        raise DecodeError(path, "file changed while being read")
    return data, st


def _os_error(path, exc: OSError, what: str) -> DecodeError:
    """The one-line reason for an operating-system error while opening (``what``) or reading a file."""
    if isinstance(exc, PermissionError):
        return DecodeError(path, "permission denied")
    if isinstance(exc, IsADirectoryError):
        return DecodeError(path, "is a directory, not a file")
    return DecodeError(path, f"{what}: {os_reason(exc)}")


def sniff(data: bytes, path) -> str:
    """Format from the file signature (never from the suffix). Raises DecodeError for non-images.

    A camera RAW file gets its own name (``"CR2"``, ``"NEF"``, ``"DNG"`` ...; see :func:`is_raw`), so that it
    goes to LibRaw (:mod:`blurscan.raw`) and not to Pillow, which would open a TIFF-based RAW (NEF, ARW, DNG
    ...) at its first image, a thumbnail of a few hundred pixels. RAWs are told by signature where they have
    one of their own (CR2, CR3, ORF, RW2, RAF) and by their suffix where the signature is plain TIFF's.
    """
    head = data[:32]
    raw = _camera_raw(head, path)
    if raw:
        return raw
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00"):  # (a little-endian BigTIFF, which Pillow reads, too:
        return "TIFF"                                      # until 2026-12-06 "unsupported format (BigTIFF)")
    if head[:2] == b"BM" and len(data) > 26:
        return "BMP"
    if _NETPBM.match(data[:512]):  # PPM / PGM / PBM (Pillow's "PPM"), binary or plain: until 2026-12-05 "not an image"
        return "PPM"
    if head[4:8] == b"ftyp":
        brands = {head[8:12]} | {data[i:i + 4] for i in range(16, min(len(data), 64), 4)}
        if brands & _AVIF_BRANDS:
            return "AVIF"
        if brands & _HEIF_BRANDS:
            return "HEIF"
        if brands & _VIDEO_BRANDS:
            raise DecodeError(path, "unsupported format (video file)")
        raise DecodeError(path, f"unsupported format (ISO media brand {head[8:12]!r})")
    for magic, name in ((b"%PDF", "PDF"), (b"8BPS", "Photoshop PSD"), (b"PK\x03\x04", "ZIP archive"),
                        (b"MM\x00+", "big-endian BigTIFF"), (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
                        (b"\xff\x0a", "JPEG XL"), (b"\x00\x00\x00\x0cJXL ", "JPEG XL")):
        if head.startswith(magic):
            raise DecodeError(path, f"unsupported format ({name}{_CONVERT.get(name, '')})")
    if _looks_like_text(data[:4096]):
        raise DecodeError(path, "not an image (text file?)")
    raise DecodeError(path, "not an image (unknown file signature)")


def holds_image(path: str | os.PathLike) -> bool:
    """Whether the file at ``path`` starts with the signature of a picture :func:`sniff` takes (one read of its
    first 64 bytes; False when it cannot be read): for a file named on the command line whose suffix says it is
    no photo (a ``.json``, a ``.MOV``: :mod:`blurscan.walk`), which is read all the same when it holds one."""
    try:
        with open(path, "rb") as f:
            sniff(f.read(64), path)
        return True
    except (OSError, DecodeError):
        return False


def is_raw(fmt: str) -> bool:
    """Whether a format name from :func:`sniff` is a camera RAW format's."""
    return fmt in _RAW_NAMES or fmt.casefold() in {s[1:] for s in RAW_SUFFIXES}


_RAW_NAMES = frozenset({"CR2", "CR3", "ORF", "RW2", "RAF"})


def _camera_raw(head: bytes, path) -> str | None:
    """The RAW format's name when ``head`` (the first bytes) is a camera RAW file's, else None."""
    if head[:4] == b"II*\x00" and head[8:10] == b"CR":
        return "CR2"
    if head[4:8] == b"ftyp" and head[8:12] == b"crx ":
        return "CR3"
    if head[:4] in (b"IIRO", b"IIRS", b"MMOR"):
        return "ORF"
    if head[:4] == b"IIU\x00":
        return "RW2"
    if head.startswith(b"FUJIFILMCCD-RAW"):
        return "RAF"
    suffix = os.path.splitext(os.fsdecode(path))[1].casefold()
    if head[:4] in (b"II*\x00", b"MM\x00*") and suffix in RAW_SUFFIXES:
        return suffix[1:].upper()
    return None


#: What to do with a photo in a format that no installed decoder reads (Pillow 13 has no JPEG XL plugin, nor has
#: pillow-heif; the pillow-jxl-plugin package adds one, which blurscan does not use): said after its name.
_CONVERT = {"JPEG XL": ": neither Pillow nor pillow-heif reads it; convert it to PNG or JPEG, e.g. "
                       "`djxl IN.jxl OUT.png`",
            "big-endian BigTIFF": ", which Pillow does not read (a little-endian one is read): save it as a classic "
                                  "TIFF, or a BigTIFF in Intel byte order"}


#: A Netpbm file's magic number (P1-P3 plain, P4-P6 binary bitmap, graymap, pixmap), then white space and comments
#: (GIMP's is 39 bytes long) before its width: a text file that starts with "P1 is ..." stays a text file. One
#: white-space byte a repetition: ``(?:[ \t\r\n]+|...)+`` split a run of them every possible way before it gave
#: up, and a file of "P6", 40 spaces and no digit held a scan (or score_image) for hours (until 2026-12-06).
_NETPBM = re.compile(rb"P[1-6](?:[ \t\r\n]|#[^\r\n]*[\r\n])+[0-9]")


def _looks_like_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:  # a multi-byte character cut at the end of the sample is fine
        if exc.start < len(sample) - 4:
            return False
        text = sample[:exc.start].decode("utf-8")
    printable = sum(ch.isprintable() or ch in "\t\r\n\f" for ch in text)
    return printable >= 0.95 * max(1, len(text))
