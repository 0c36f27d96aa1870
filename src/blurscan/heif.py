"""Pillow's HEIC / HEIF opener (pillow-heif, libheif), registered on first need instead of at import.

Importing pillow-heif (6-8 ms, ``python -X importtime``) and registering its opener, with rawpy (4-5 ms:
:mod:`blurscan.raw`), cost every scan worker process 12-21 ms of CPU as it started (least and median of 40
fresh interpreters on the loaded development machine), even in a library without a single HEIC or RAW file.
:mod:`blurscan.decode` calls :func:`register_opener` once it has told a file is HEIF (or AVIF, which it lets
Pillow try as HEIF too) from its signature, whatever its suffix; the review page's EXIF reader and the RAW + JPEG
pairs' header read call it before opening a file Pillow is to recognise by its content.
"""
from __future__ import annotations

import threading

_lock = threading.Lock()
_registered: bool | None = None  # None: not tried yet; False: pillow-heif is not installed


def register_opener() -> bool:
    """Register pillow-heif's opener with Pillow, once per process (thread-safe); whether HEIF can be read."""
    global _registered
    if _registered is None:
        with _lock:
            if _registered is None:
                try:
                    import pillow_heif
                except ImportError:  # pragma: no cover - pillow-heif is a dependency
                    _registered = False
                else:
                    pillow_heif.register_heif_opener()
                    _registered = True
    return _registered


def is_iso_media(head: bytes) -> bool:
    """Whether ``head`` (a file's first bytes) starts an ISO media file: HEIC, HEIF, AVIF (or a video)."""
    return head[4:8] == b"ftyp"
