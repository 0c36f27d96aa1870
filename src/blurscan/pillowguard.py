"""Pillow's decompression-bomb guard: the program's own, except inside blurscan's opens, which use blurscan's limit.

Pillow refuses an image of more than twice ``PIL.Image.MAX_IMAGE_PIXELS`` (about 179 MP by default; it warns past
the value itself) as it opens it, and again at a few later steps (a GIF frame larger than its screen, a TIFF tile,
a crop). blurscan has a limit of its own, ``ScanSettings.max_pixels`` (``scan --max-pixels``, 200 MP by default),
which may be higher than Pillow's, told from the header before any pixel is decoded: a photo between the two must
be scored, not refused by Pillow.

Until 2026-12-06 :mod:`blurscan.decode` set ``Image.MAX_IMAGE_PIXELS = None`` as it was imported (by the first
:func:`blurscan.score_image`), which switched Pillow's guard off for the whole program: a web service scoring
uploads with blurscan then opened a 10-gigapixel PNG of its own as if it were any other. Now the program's setting
is left as it is, and every place blurscan opens or loads an image with Pillow does so inside :func:`pixel_limit`,
which, for that thread alone and for as long as it lasts, makes Pillow's check blurscan's: refuse past
``max_pixels`` (``DecompressionBombError``, "N pixels > limit L", the words of blurscan's own check), warn never.

How: Pillow makes every one of these checks by calling ``PIL.Image._decompression_bomb_check(size)`` (private, the
same from Pillow 11.3, the lowest blurscan takes, to 13: ``Image.open`` through the module's globals, the plugins
as ``Image._decompression_bomb_check``; 13 added the keyword ``error_only``). On import this module puts a wrapper
in its place which, outside a :func:`pixel_limit` of its own thread, calls the function it replaced with the same
arguments (the program's guard, ``MAX_IMAGE_PIXELS`` read at each call as before). A Pillow without that function
is left alone: its own guard then applies to blurscan's opens too.
"""
from __future__ import annotations

import contextlib
import threading

from PIL import Image

_local = threading.local()  # .limit: the innermost pixel_limit's of this thread, or None outside any


def _install() -> None:
    replaced = getattr(Image, "_decompression_bomb_check", None)
    if replaced is None or getattr(replaced, "_blurscan", False):  # (no such function; or put there already)
        return

    def _decompression_bomb_check(size, *args, **kwargs):
        limit = getattr(_local, "limit", None)
        if limit is None:
            return replaced(size, *args, **kwargs)
        pixels = max(1, size[0]) * max(1, size[1])
        if pixels > limit:
            raise Image.DecompressionBombError(f"{pixels} pixels > limit {limit}")
        return None

    _decompression_bomb_check._blurscan = True
    _decompression_bomb_check.__doc__ = replaced.__doc__
    Image._decompression_bomb_check = _decompression_bomb_check


_install()


@contextlib.contextmanager
def pixel_limit(limit: int):
    """Within this block, and in this thread only, Pillow refuses an image of more than ``limit`` pixels and of no
    fewer, whatever ``PIL.Image.MAX_IMAGE_PIXELS`` says; the previous limit (or the program's guard) after it.
    Holds no lock, and nothing the program runs may be called inside it (a callback would be judged by it)."""
    previous = getattr(_local, "limit", None)
    _local.limit = int(limit)
    try:
        yield
    finally:
        _local.limit = previous
