"""Sample photos that exist on any machine without the internet, for ``make demo``.

The photos are the public-domain / CC0 images that the scikit-image wheel ships (``skimage.data``), so no
download is needed. ``clock`` is a *real* camera-shake photo (the camera moved horizontally during the
exposure). Blurred copies of the sharp ones are made by :mod:`blurscan.synth` with a fixed seed, so the demo
is the same on every machine.

One burst shows ``blurscan bursts``: three shots of ``camera`` (a photographer at his tripod) taken within a
second, each framed a few pixels off the last as a hand-held camera moves: one sharp, one with slight camera
shake, one slightly out of focus (:data:`BURST`). Every photo carries an EXIF ``DateTimeOriginal`` (made up:
the burst's shots 0.4 s apart, every other photo 20 minutes after the one before), so the burst is the only
group: without capture times, ``blurscan bursts`` would read the files' modification times, all within the
same second, and group each sharp photo with its own blurred copies.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import io
import logging
import os
import secrets
import stat
from pathlib import Path

import numpy as np

from .errors import BlurscanError, UsageError, os_reason, printable_path

log = logging.getLogger(__name__)

#: skimage.data name -> (file stem, what it shows)
SOURCES = {
    "astronaut": ("astronaut", "portrait, sharp"),
    "chelsea": ("chelsea-cat", "the cat, sharp"),
    "coffee": ("coffee", "a cup of coffee, sharp"),
    "rocket": ("rocket", "a rocket on its pad, sharp"),
    "clock": ("clock-real-camera-shake", "a wall clock shot while the camera moved (real blur)"),
}

#: (source, synth kind, severity, stem suffix)
BLURRED = [
    ("chelsea", "shake", "strong", "shaken"),
    ("coffee", "defocus", "strong", "out-of-focus"),
    ("rocket", "linear_motion", "strong", "motion"),
    ("astronaut", "gaussian", "strong", "soft"),
    ("astronaut", "partial_subject", "strong", "soft-background"),
]

#: The burst: skimage.data name, then (file stem, synth kind or "none" for the sharp shot, severity, (top,
#: left) of the frame cut from the source: the camera moves a few pixels between shots)
BURST_SOURCE = "camera"
BURST = [
    ("cameraman-burst-1-shaken", "shake", "moderate", (0, 0)),
    ("cameraman-burst-2-sharp", "none", None, (3, 5)),
    ("cameraman-burst-3-out-of-focus", "defocus", "moderate", (6, 9)),
]
#: The shot ``blurscan bursts`` should keep.
BURST_KEEPER = "cameraman-burst-2-sharp.jpg"
#: Pixels the moving frame loses from the height and width of the burst's source (512 -> 496).
_BURST_MARGIN = 16
#: Made-up capture times: the first photo's, the step between photos, the burst's start and the step between
#: its shots (the default burst window is 120 s, so 20 minutes keeps every other photo out of any group).
_FIRST_TAKEN = _dt.datetime(2024, 6, 1, 9, 0, 0)
_PHOTO_STEP = _dt.timedelta(minutes=20)
_BURST_STEP = _dt.timedelta(milliseconds=400)


#: Written into the demo folder: later runs may rewrite the demo's own photos there, and only there. It lists
#: the SHA-256 of every photo a demo wrote into the folder, as ``sha256sum`` writes them (``<hex>  <name>``), so
#: a later run (another ``--seed``, another Pillow) knows them; before 2026-12-05 it was empty.
MARKER = ".blurscan-demo"


def make_samples(out_dir: str | Path, *, seed: int = 2024) -> list[Path]:
    """Write the demo photos (JPEG, quality 92) into ``out_dir`` and return their paths.

    ``out_dir`` must be new, empty, or a demo folder (it holds :data:`MARKER`, or only the demo photos as
    this function makes them). A demo photo is rewritten only where its name holds a regular file (not a link)
    whose bytes are those a demo wrote there (in a demo folder an older blurscan made, whose marker lists no
    photo: whose picture is that demo photo's, up to another ``--seed`` or JPEG encoder); anything else under a demo photo's name (a person's own
    ``coffee.jpg``, a link to a photo elsewhere), or any other file in a folder without the marker, is refused
    and nothing is written, so a person's own ``coffee.jpg`` is never overwritten. Files are written to a new
    name in the folder and renamed into place: never through a link.

    Raises
    ------
    UsageError
        When ``out_dir`` holds other files, or it or a folder above it is a file.
    BlurscanError
        When scikit-image (the ``demo`` extra) is not installed (exit code 1, an error, not a usage mistake: until
        2026-12-05 it was a UsageError, exit 2), or the folder cannot be read or a file cannot be written.
    """
    out = Path(out_dir)
    # a file where the folder or one above it must be: refused before any work, a usage error (exit 2) as
    # `blurscan demo FILE` is click's (until 2026-12-05 `demo FILE/sub` was "cannot write the demo photos: not a
    # directory", exit 1)
    from .actions.moves import not_a_folder

    if in_the_way := not_a_folder(str(out)):
        raise UsageError(f"{printable_path(out)}: cannot be made: {in_the_way}")
    from .permissions import unwritable_above  # (root too: a folder with no write bit is read-only)

    if locked := unwritable_above(out):  # (as root the demo was written there until 2026-12-06)
        raise UsageError(f"{printable_path(out)}: cannot be written: {printable_path(locked)} is read-only or not "
                         "yours")
    photos = _render(seed)
    try:
        recorded = _check_folder(out, photos)
        out.mkdir(parents=True, exist_ok=True)
        digests = recorded | {(name, _sha256(data)) for name, data in photos.items()}
        _write(out / MARKER, "".join(f"{digest}  {name}\n" for name, digest in sorted(digests)).encode())
        written = []
        for name, data in photos.items():
            if not _holds(out / name, {_sha256(data)}):  # (one the same already is left as it is)
                _write(out / name, data)
            written.append(out / name)
    except OSError as exc:
        where = exc.filename if getattr(exc, "filename", None) else out
        raise BlurscanError(f"{printable_path(where)}: cannot write the demo photos: {os_reason(exc)}") from None
    log.info("wrote %d demo photos to %s", len(written), out)
    return written


def _render(seed: int) -> dict[str, bytes]:
    """File name -> JPEG bytes of every demo photo."""
    from .optional import OptionalImportError, load

    try:
        skimage_data = load("skimage.data", "scikit-image")
    except OptionalImportError as exc:  # (installed and failing, a release built for NumPy 1 beside NumPy 2: until
        # 2026-12-06 a traceback)
        if not exc.installed:
            raise BlurscanError("the demo photos come from scikit-image: pip install 'blurscan[demo]'") from None
        raise BlurscanError(f"the demo photos come from scikit-image, and {exc.reason}: "
                            "pip install --upgrade 'blurscan[demo]'") from None
    from . import synth

    images, out = {}, {}
    for name, (stem, _) in SOURCES.items():
        images[name] = _rgb(getattr(skimage_data, name)())
        out[f"{stem}.jpg"] = images[name]
    rng = np.random.default_rng(seed)
    for name, kind, severity, suffix in BLURRED:
        blurred, _params = synth.synthesize(images[name], rng, blur=kind, severity=severity)
        out[f"{SOURCES[name][0]}-{suffix}.jpg"] = blurred
    taken = {name: _FIRST_TAKEN + i * _PHOTO_STEP for i, name in enumerate(out)}
    scene = _rgb(getattr(skimage_data, BURST_SOURCE)())
    height, width = (n - _BURST_MARGIN for n in scene.shape[:2])
    start = _FIRST_TAKEN + len(out) * _PHOTO_STEP
    rng = np.random.default_rng([seed, 1])  # the burst's own stream: BLURRED may change without changing it
    for i, (stem, kind, severity, (top, left)) in enumerate(BURST):
        shot = np.ascontiguousarray(scene[top:top + height, left:left + width])
        if kind != "none":
            shot, _params = synth.synthesize(shot, rng, blur=kind, severity=severity)
        out[f"{stem}.jpg"] = shot
        taken[f"{stem}.jpg"] = start + i * _BURST_STEP
    return {name: _jpeg(rgb, taken[name]) for name, rgb in out.items()}


def _rgb(img: np.ndarray) -> np.ndarray:
    return np.stack([img] * 3, axis=-1) if img.ndim == 2 else img[..., :3]


def _jpeg(rgb: np.ndarray, taken: _dt.datetime) -> bytes:
    """JPEG bytes with ``taken`` as EXIF DateTimeOriginal (and its hundredths as SubSecTimeOriginal)."""
    from PIL import Image

    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)  # the Exif IFD
    sub[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
    sub[0x9291] = f"{taken.microsecond // 10_000:02d}"  # SubSecTimeOriginal
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=92, exif=exif)
    return buf.getvalue()


def _check_folder(out: Path, photos: dict[str, bytes]) -> set[tuple[str, str]]:
    """Refuse a folder that holds anything but an earlier demo (hidden entries, the database, are ignored), or
    whose demo photos are not the demo's own; return the ``(name, sha256)`` pairs its :data:`MARKER` lists."""
    if not out.exists():
        return set()
    if not out.is_dir():
        raise UsageError(f"{printable_path(out)}: not a folder")
    marker = out / MARKER
    if os.path.lexists(marker):
        recorded = _recorded(marker)
        names = sorted(photos) if recorded is not None else [MARKER]  # (a marker that is a link or a folder)
    else:
        recorded = set()
        names = sorted(e for e in os.listdir(out) if not e.startswith("."))
    legacy = recorded == set()  # (an empty marker: a demo folder an older blurscan made, before it listed them)
    for name in names:
        known = {digest for n, digest in recorded or () if n == name}
        if name in photos:
            known.add(_sha256(photos[name]))
        if (os.path.lexists(out / name) and not _holds(out / name, known)
                and not (legacy and name in photos and _resembles(out / name, photos[name]))):
            raise UsageError(f"{printable_path(out)} holds files that are not blurscan's demo photos (such as "
                             f"{printable_path(name)}): nothing was written; move them away, or give `blurscan "
                             "demo` a new or empty folder")
    return recorded or set()


def _recorded(marker: Path) -> set[tuple[str, str]] | None:
    """The ``(name, sha256)`` pairs :data:`MARKER` lists; None when it is not a regular file."""
    if not stat.S_ISREG(os.lstat(marker).st_mode):
        return None
    pairs = set()
    for line in marker.read_text(encoding="utf-8", errors="replace").splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) == 64 and name:
            pairs.add((name, digest))
    return pairs


def _holds(path: Path, digests: set[str]) -> bool:
    """Whether ``path`` is a regular file (not a link) whose SHA-256 is one of ``digests``."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return False
    with os.fdopen(fd, "rb") as f:
        digest = hashlib.sha256()
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest() in digests


#: Largest mean absolute difference (0-255, per pixel and channel) between a photo in a demo folder an older
#: blurscan made and the one this demo renders under that name, for it to count as that demo's photo: another
#: ``--seed`` (other blurred copies) or another JPEG encoder gives 0-9; another photo of the same size 40 or more
#: (measured on the demo's 13 and 10 Kodak / DIV2K photos resized to their sizes).
LEGACY_MAX_DIFFERENCE = 16
#: Larger files are not read to compare them (the demo's photos are under 100 KB).
LEGACY_MAX_BYTES = 8 << 20


def _resembles(path: Path, data: bytes) -> bool:
    """Whether ``path``, in a demo folder an older blurscan made (its marker lists no photo), is a regular file
    (not a link) holding the picture ``data`` holds, up to another seed's blur or another JPEG encoder: the same
    size, and a mean absolute difference of at most :data:`LEGACY_MAX_DIFFERENCE`."""
    import cv2

    try:
        if not stat.S_ISREG(os.lstat(path).st_mode) or os.lstat(path).st_size > LEGACY_MAX_BYTES:
            return False
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return False
    with os.fdopen(fd, "rb") as f:
        found = cv2.imdecode(np.frombuffer(f.read(LEGACY_MAX_BYTES), np.uint8), cv2.IMREAD_COLOR)
    wanted = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if found is None or found.shape != wanted.shape:
        return False
    return float(cv2.absdiff(found, wanted).mean()) <= LEGACY_MAX_DIFFERENCE


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` as ``path`` without following a link there: into a new hidden file of the same folder,
    then renamed over ``path`` (a link there would be replaced, never written through). An ``OSError`` names
    ``path``: until 2026-12-06 a full disk's (a write's error names no file) named the folder, and an unwritable
    folder's the hidden temporary file."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise
