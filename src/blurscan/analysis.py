"""The size of the analysis image: the picture the model and the classical measures look at.

A photo is analysed at ``analysis_long_side`` px on its long side (1024 by default, never upscaled:
:func:`fitted_size`). For a long thin image that leaves almost nothing: a 20000 x 40 strip (a panorama's band,
a scanned film strip) became 1024 x 2 px, far thinner than the model's 64-px window, which was then all
padding, and the model called a sharp strip *blurry* with ``p_blurry`` 1.000 (and the classical tiles, 128 px,
had nothing to measure either: ``--model none`` called a blurred strip sharp).

So an image whose short side would fall under :data:`MIN_ANALYSIS_SIDE` (the shipped model's window) is
analysed larger (:func:`analysis_size`): its short side is brought up to that, or to its full resolution when
that is thinner, within :func:`budget_side` squared pixels, what a square photo's analysis image holds
(1024 x 1024 at the default size, and never fewer at a smaller one), so such an image never costs more than a
square photo. That reaches the full window up to a side ratio of 256:1 at the default size, and half of it
(:data:`~blurscan.config.MIN_JUDGED_SIDE`) up to 1024:1. Only images with a side ratio over
``analysis_long_side / 64`` (16:1 by default) are concerned: every other photo is analysed exactly as before.

An image whose analysis image is still thinner than :data:`~blurscan.config.MIN_JUDGED_SIDE` gets an error
record, as one whose full resolution is (:func:`check_judgeable`): each window would be mostly padding.

The model reads its size features and picks its threshold at the photo's usual pixel scale
(``DecodedImage.fitted_long_side``), not at the strip's larger analysis size: a strip analysed larger is looked
at more closely than a photo of its resolution would be, never less.

Records stored before (``ScanRecord.analysis`` is None) of images now analysed larger are judged again
(:func:`current`); nothing else is, so a library of ordinary photos is not scanned again.
"""
from __future__ import annotations

import math

from .config import DEFAULT_ANALYSIS_LONG_SIDE, MIN_JUDGED_SIDE
from .errors import DecodeError

#: The short side (px) an analysis image is given where the photo's resolution allows: the shipped model's
#: window (``ModelSpec.patch``), so no window is padding, and half a tile of the classical measures.
MIN_ANALYSIS_SIDE = 64

#: The pixel budget of an analysis image made larger for a thin photo, as the side of a square: the analysis
#: long side (``analysis_long_side ** 2`` pixels, 1 MP at the default size).
PIXEL_BUDGET_SIDES = 1

#: Stored in ``ScanRecord.analysis`` for an image analysed larger than :func:`fitted_size`: records without it
#: were made from the thin image and are judged again. Bump it when the rule here changes.
THIN_ANALYSIS = "thin1"


def budget_side(long_side: int) -> int:
    """The side of the square whose pixels an analysis image made larger may hold: ``long_side``, and never less
    than at the default analysis size (1024), so that a small ``--long-side`` (down to 64) does not turn photos
    of 5:1 into "too long and thin to judge" errors: such a strip costs at most what a default photo costs."""
    return PIXEL_BUDGET_SIDES * max(int(long_side), DEFAULT_ANALYSIS_LONG_SIDE)


def fitted_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """``(w, h)`` fitted into ``long_side``: long side ``min(long_side, max(width, height))``, aspect kept."""
    longest = max(width, height)
    if longest <= long_side:
        return width, height
    scale = long_side / longest
    return max(1, round(width * scale)), max(1, round(height * scale))


def analysis_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """``(w, h)`` of the analysis image of a ``width x height`` photo.

    :func:`fitted_size`, unless that would leave the short side under :data:`MIN_ANALYSIS_SIDE` while the
    photo has more: then the short side is :data:`MIN_ANALYSIS_SIDE` (or the full resolution, if less), within
    :func:`budget_side` squared pixels. Never upscaled.

    >>> analysis_size(4032, 3024, 1024)
    (1024, 768)
    >>> analysis_size(20000, 40, 1024)   # full resolution: 800,000 pixels
    (20000, 40)
    >>> analysis_size(16000, 200, 1024)  # short side 64
    (5120, 64)
    >>> analysis_size(200000, 100, 1024)  # the budget: 1024 x 1024 pixels
    (45795, 23)
    """
    fitted = fitted_size(width, height, long_side)
    if min(fitted) >= MIN_ANALYSIS_SIDE or fitted == (width, height):
        return fitted
    shortest = min(width, height)
    budget = budget_side(long_side) ** 2
    scale = min(1.0, MIN_ANALYSIS_SIDE / shortest, math.sqrt(budget / (width * height)))
    scale = max(scale, long_side / max(width, height))
    if scale >= 1.0:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def full_scale_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """``(w, h)`` of the analysis image of a picture of this shape that has resolution to spare: what a larger
    copy of it (a RAW beside a smaller JPEG) would be analysed at. ``(long_side, ...)`` for every ordinary shape;
    for a long thin one (see :func:`analysis_size`) its short side at :data:`MIN_ANALYSIS_SIDE` within the pixel
    budget, which a picture of the same long side may not have.

    >>> full_scale_size(800, 600, 1024)
    (1024, 768)
    >>> full_scale_size(2048, 48, 1024)  # analysed at 2048 x 48 itself: thinner than its shape is judged at
    (2731, 64)
    """
    k = -(-budget_side(long_side) // max(1, min(width, height)))  # a copy whose short side fills the budget's
    return analysis_size(width * k, height * k, long_side)


def reaches_full_scale(width: int, height: int, long_side: int, tolerance: float = 1.0) -> bool:
    """Whether a ``width x height`` picture is analysed at the scale a larger copy of it would be, within
    ``tolerance``: for an ordinary shape, its long side reaching ``tolerance * long_side``; for a long thin one
    (analysed larger), its pixels reaching ``tolerance`` squared times :func:`full_scale_size`'s (the same
    shape: each side reaching ``tolerance`` times its side, without a rounded side deciding), which its long
    side alone does not tell (a 2048 x 48 strip is analysed at 2048 x 48, a larger copy at 2731 x 64)."""
    fw, fh = full_scale_size(width, height, long_side)
    if max(fw, fh) <= long_side:  # fitted to long_side: the long side alone sets the scale
        return max(width, height) >= tolerance * long_side
    return width * height >= tolerance * tolerance * fw * fh


def made_larger(width: int, height: int, long_side: int) -> bool:
    """Whether a ``width x height`` photo is analysed larger than :func:`fitted_size` (a long thin one)."""
    return analysis_size(width, height, long_side) != fitted_size(width, height, long_side)


def current(record, settings) -> bool:
    """Whether a stored ``"ok"`` record may be reused as far as the analysis size goes: False for one of a long
    thin image judged from its thin analysis image, before :data:`THIN_ANALYSIS` (its width and height tell)."""
    if not record.width or not record.height or record.analysis == THIN_ANALYSIS:
        return True
    return not made_larger(record.width, record.height, settings.analysis_long_side)


def check_judgeable(decoded) -> None:
    """Raise :class:`~blurscan.errors.DecodeError` for an image too small, or too long and thin, to judge: a
    side under :data:`~blurscan.config.MIN_JUDGED_SIDE` at full resolution or in the analysis image."""
    w, h = decoded.width, decoded.height
    if min(w, h) < MIN_JUDGED_SIDE:
        raise DecodeError(decoded.path, f"too small to judge: {w} x {h} px (blurscan needs {MIN_JUDGED_SIDE} px "
                                        "or more on each side)")
    ah, aw = decoded.gray.shape[:2]
    if min(aw, ah) < MIN_JUDGED_SIDE:
        side = budget_side(decoded.fitted_long_side or max(aw, ah))
        raise DecodeError(decoded.path, f"too long and thin to judge: {w} x {h} px (analysed within {side} x {side} "
                                        f"pixels, its short side is {min(aw, ah)} px; blurscan needs "
                                        f"{MIN_JUDGED_SIDE} px or more on each side)")
