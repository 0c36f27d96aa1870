"""Every default lives here once, in frozen dataclasses.

Only settings that change a stored result enter the cache key (:meth:`ScanSettings.cache_fields`).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import numbers
import os
from dataclasses import dataclass, field
from pathlib import Path

from .cpu_quota import quota_cores

#: Long side (px) at which images are analysed. A photo shown fitted on a laptop or a full-HD monitor is
#: displayed at about 1000-1400 px on its long side; blur a person cannot see at that size does not make a
#: photo worth deleting, and analysing at a fixed size makes scores comparable across 2-MP and 48-MP cameras.
DEFAULT_ANALYSIS_LONG_SIDE = 1024

#: The classic baseline's cut-off: variance of the Laplacian below this means "blurry".
LAPLACIAN_THRESHOLD = 100.0

#: Refuse images with more pixels than this (decompression-bomb guard); ~ 2x a 100-MP medium-format frame.
DEFAULT_MAX_PIXELS = 200_000_000

#: Folders skipped by the walk (besides every hidden folder, i.e. a name starting with ".").
SKIPPED_DIRS = frozenset({
    "@eaDir", "#recycle", "$RECYCLE.BIN", "System Volume Information", "__MACOSX", "lost+found",
    ".thumbnails", ".Trash", ".git", "node_modules",
    # a Nextcloud / ownCloud server's data folder: each user's old versions and deleted files (since 2026-12-06; a
    # deleted folder's photos keep their names there, and were scanned as the library's)
    "files_versions", "files_trashbin",
})

#: Suffixes of photos in a format blurscan cannot decode (lower case): JPEG XL, which neither Pillow (13) nor
#: pillow-heif reads. A folder walk takes them all the same (since 2026-12-06), so that each is an error record
#: naming its format (:func:`blurscan.fileread.sniff`) rather than one of the "files that are not photos" the
#: closing line counts, as they were until then.
UNREADABLE_PHOTO_SUFFIXES = frozenset({".jxl"})

#: File name suffixes treated as images (lower case).
IMAGE_SUFFIXES = frozenset({
    ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif", ".heic", ".heif",
    ".hif", ".avif",
    ".ppm", ".pgm", ".pbm", ".pnm",  # Netpbm, as ML data sets keep images (GTSRB, face sets): since 2026-12-05
    # a Multi-Picture JPEG's own suffix: a stereo camera's (Fujifilm FinePix Real 3D) or a Nintendo 3DS's photos,
    # judged from their first picture, the left eye (since 2026-12-06; until then passed over as not photos)
    ".mpo",
}) | UNREADABLE_PHOTO_SUFFIXES

#: Camera RAW formats (lower case), read through LibRaw (:mod:`blurscan.raw`). In a folder, a RAW file with the
#: stem of a JPEG/HEIC/... beside it is that photo's "RAW twin": one photo with the camera's picture, whose record
#: is the picture's (:mod:`blurscan.pairs` says which of the two is judged), and it moves with that photo
#: (:mod:`blurscan.actions`); a RAW file without one is scanned itself.
RAW_SUFFIXES = frozenset({
    ".3fr", ".ari", ".arw", ".bay", ".cr2", ".cr3", ".crw", ".dcr", ".dng", ".erf", ".fff", ".iiq", ".k25",
    ".kdc", ".mef", ".mos", ".mrw", ".nef", ".nrw", ".orf", ".pef", ".raf", ".raw", ".rw2", ".rwl", ".sr2",
    ".srf", ".srw", ".x3f",
})
DEFAULT_DB_NAME = ".blurscan.db"

#: Suffixes of files still being downloaded or synced, named after the photo they will be (lower case): rclone's
#: ``IMG_1.jpg.1a2b3c4d.partial``, Resilio Sync's ``IMG_1.jpg.!sync``, Syncthing's ``~syncthing~IMG_1.jpg.tmp`` (on
#: Windows; elsewhere ``.syncthing.IMG_1.jpg.tmp``, hidden), a browser's ``.part`` and ``.crdownload``. Their first
#: bytes are a photo's and the rest is not there yet: named on the command line (``DIR/*``), they are passed over
#: whatever their first bytes (each was an error record, ``truncated JPEG``, until 2026-12-06), as a folder walk
#: passes them over by their suffix. Renamed to the photo's name once whole, they are scanned then.
UNFINISHED_SUFFIXES = frozenset({".partial", ".part", ".!sync", ".tmp", ".crdownload"})

#: Suffixes of files that are known not to be photos (lower case): what a phone, a camera or a computer keeps
#: beside them, videos and their low-resolution proxies, sound, edit sidecars and system files. Inside folders
#: every file without an image or RAW suffix is passed over; a file *named* on the command line (``DIR/*``) is
#: read whatever its suffix, but one of these, which a shell's ``*`` names with the photos, is passed over and
#: counted as in a folder (:func:`blurscan.walk.walk`).
#:
#: A sync tool's files, since 2026-12-06: its unfinished downloads (:data:`UNFINISHED_SUFFIXES`) and the online-only
#: placeholders of a cloud client's "virtual files" (Nextcloud's ``IMG_1.jpg.nextcloud``, ownCloud's ``.owncloud``,
#: Resilio Sync's ``.rsls``: empty or a byte or two, the photo is elsewhere). Named, the placeholders said ``not an
#: image (text file?)`` or ``file is empty``.
NON_PHOTO_SUFFIXES = frozenset({
    # videos (a Live Photo's .MOV, GoPro's .LRV proxy, AVCHD's .MTS, Insta360's .INSV)
    ".mov", ".mp4", ".m4v", ".avi", ".mts", ".m2ts", ".mpg", ".mpeg", ".3gp", ".3g2", ".mkv", ".wmv", ".webm",
    ".lrv", ".insv", ".vob", ".flv",
    # sound (voice memos, a camera's audio notes)
    ".wav", ".mp3", ".m4a", ".aac", ".amr",
    # edit sidecars and metadata: Apple Photos, Lightroom / darktable, Google Takeout, RawTherapee, DxO
    ".aae", ".xmp", ".json", ".pp3", ".dop",
    # system files (Thumbs.db, desktop.ini, a shortcut)
    ".db", ".ini", ".lnk",
    # documents, lists and archives beside the photos: a data set's labels.csv and README.md, a card's notes.txt
    # (`DIR/*` and `find DIR -type f` name them: each was an error record, not an image, until 2026-12-06)
    ".txt", ".csv", ".tsv", ".md", ".pdf", ".html", ".htm", ".log", ".yaml", ".yml", ".xml", ".zip", ".tar", ".gz",
    # online-only placeholders of a sync tool's virtual files (Nextcloud, ownCloud, Resilio Sync's selective sync)
    ".nextcloud", ".owncloud", ".rsls", ".rsl~",
    # a photo application's catalogs and their cache files (Lightroom Classic's, Capture One's, Luminar's), which
    # `find DIR -type f` names beside the photos (each was an error record, not an image, until 2026-12-06)
    ".lrcat", ".lrcat-wal", ".lrcat-shm", ".lrcat-journal", ".lrprev", ".cocatalogdb", ".cosessiondb", ".cos",
    ".cop", ".cot", ".cof", ".luminar",
}) | UNFINISHED_SUFFIXES

#: The review page's thumbnail cache, beside the database: JPEGs, never walked (not even with include_hidden).
THUMBS_DIR_NAME = ".blurscan-thumbs"
#: Images with a side shorter than this are not judged (an error record says so): an icon, a spacer, a
#: 1-pixel strip has no region to look at, and the model's answer on one padded window means nothing.
MIN_JUDGED_SIDE = 32
#: Images under this on their long side are judged, but by a model never trained or validated on images that
#: small: its verdict misses most mild blur there while ``p_blurry`` still ranks them (the model card's "Small
#: images"); ``blurscan scan`` says so in one note (:mod:`blurscan.cli.small_images`).
SMALL_IMAGE_LONG_SIDE = 256


def shared_data_dir() -> Path:
    """Folder of the shared real photos: ``$BLURSCAN_SHARED_DATA`` or ``<repo>/../shared/data``."""
    env = os.environ.get("BLURSCAN_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def usable_cores() -> int:
    """The cores this process may run on: ``workers``' default. The machine's count (``os.cpu_count()``, the
    default until 2026-12-05) started a worker per core of the host in a container or a job pinned to fewer
    (``taskset``, ``docker --cpuset-cpus``, a batch scheduler's cpuset), each of them ~100 MB.
    Since 2026-12-05 a cgroup CPU quota (``docker run --cpus``, a Kubernetes CPU limit) bounds it too, rounded
    up: ``--cpus 1.5`` gives 2."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # (macOS, Windows: no affinity)
        cores = os.cpu_count() or 1
    quota = quota_cores()
    return min(cores, max(1, math.ceil(quota))) if quota is not None else cores


@dataclass(frozen=True)
class ScanSettings:
    """Settings of one scan. Fields marked ``cache=True`` in their metadata change stored results."""

    analysis_long_side: int = field(default=DEFAULT_ANALYSIS_LONG_SIDE, metadata={"cache": True})
    laplacian_threshold: float = field(default=LAPLACIAN_THRESHOLD, metadata={"cache": True})
    #: Compute the seed baseline ``laplacian_var`` on the full-resolution image (about half of a JPEG's
    #: decoding cost, see blurscan.decode); False is "fast mode": ``laplacian_var`` is None.
    full_res_baseline: bool = field(default=True, metadata={"cache": True})
    max_pixels: int = field(default=DEFAULT_MAX_PIXELS, metadata={"cache": False})
    #: "default" (the shipped model), "none" (classical measures only) or a path to an .onnx file (str or
    #: os.PathLike, kept as str).
    model: str = field(default="default", metadata={"cache": False})  # the model *version* is in the key
    model_threads: int = field(default=1, metadata={"cache": False})
    workers: int = field(default_factory=usable_cores, metadata={"cache": False})
    follow_symlinks: bool = field(default=False, metadata={"cache": False})
    include_hidden: bool = field(default=False, metadata={"cache": False})

    def __post_init__(self) -> None:
        """Refuse values the command line refuses too: from Python they gave wrong results silently (a long side
        of 0 judged every photo `sharp`, p_blurry 0; max_pixels -1 made every file a "decompression bomb")."""
        from .errors import UsageError

        def whole(name: str, least: int) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise UsageError(f"ScanSettings.{name} must be a whole number >= {least}, got {value!r}")

        whole("analysis_long_side", 64)
        whole("max_pixels", 1)
        whole("model_threads", 1)
        whole("workers", 1)
        for name in ("full_res_baseline", "follow_symlinks", "include_hidden"):  # "no" was true, and in the key
            if not isinstance(getattr(self, name), bool):
                raise UsageError(f"ScanSettings.{name} must be True or False, got {getattr(self, name)!r}")
        threshold = self.laplacian_threshold  # (evaluate's laplacian baseline: nan or -1 called every photo sharp)
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not 0 <= threshold < math.inf:
            raise UsageError(f"ScanSettings.laplacian_threshold must be a finite number >= 0, got {threshold!r}")
        object.__setattr__(self, "laplacian_threshold", float(threshold))  # 100 and 100.0: one cache key
        if isinstance(self.model, (bytes, os.PathLike)):  # a Path is a path (it was refused); never a keyword
            model = os.fsdecode(self.model)
            object.__setattr__(self, "model", os.path.join(".", model) if model in ("default", "none") else model)
        if not isinstance(self.model, str) or not self.model:
            raise UsageError(f"ScanSettings.model must be 'default', 'none' or a path to an .onnx file, "
                             f"got {self.model!r}")

    def cache_fields(self) -> dict:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.metadata.get("cache")}

    def cache_hash(self) -> str:
        """Short stable hash of the settings that affect stored results."""
        blob = json.dumps(self.cache_fields(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def given_settings(settings) -> ScanSettings:
    """``scan()``'s and ``score_image()``'s ``settings``: a :class:`ScanSettings`, or None for the defaults (since
    2026-12-05; a None, a dict of options or the class itself failed deep inside with an AttributeError on
    ``model``, or were taken as the defaults). Anything else is a ``TypeError`` naming the parameter."""
    if settings is None:
        return ScanSettings()
    if not isinstance(settings, ScanSettings):
        hint = ": ScanSettings(**options) makes one of a dict" if isinstance(settings, dict) else ""
        raise TypeError(f"The parameter `settings` must be a blurscan.ScanSettings or None, got "
                        f"{settings!r:.60}{hint}")
    return settings
