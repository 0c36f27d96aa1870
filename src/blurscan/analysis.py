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

*Block scaling.* A JPEG is decoded scaled by libjpeg-turbo (1/2, 1/4, 1/8: :mod:`blurscan.jpeg`), and when that
scale lands within :data:`DCT_SCALE_TOLERANCE` (2.5 %) under the analysis size, it is analysed at that scale
(a 2040-px photo at 1020 px, a 12-MP phone's 4032 x 3024 at 1008 x 756): an exact 2 x 2 (4 x 4, 8 x 8) area
average rather than a resize by a ratio such as 1.992, which averages each output pixel over parts of 3 x 3
input pixels and softens the finest detail more. The model was trained and calibrated on such JPEGs, and that
difference is enough to move a verdict: the same pixels, one as a JPEG and one as a lossless PNG, scored
``p_blurry`` 0.674 (``partial``) and 0.771 (``blurry``) when only the JPEG was analysed at 1020 px. So every
format is analysed at that size (:func:`block_scale`, :func:`image_size`): PNG, TIFF, WebP, HEIC, AVIF, a RAW's
development and the Python API's arrays as the JPEG the model knows.

Records stored before (``ScanRecord.analysis`` without the mark) of images now analysed otherwise are judged
again (:func:`current`): a long thin image (:data:`THIN_ANALYSIS`), or a picture other than a JPEG whose size is
block-scaled (:data:`BLOCK_ANALYSIS`); nothing else is, so a library of ordinary photos is not scanned again.
"""
from __future__ import annotations

import math

from .config import DEFAULT_ANALYSIS_LONG_SIDE, MIN_JUDGED_SIDE
from .errors import DecodeError
from .fileread import is_raw

#: The short side (px) an analysis image is given where the photo's resolution allows: the shipped model's
#: window (``ModelSpec.patch``), so no window is padding, and half a tile of the classical measures.
MIN_ANALYSIS_SIDE = 64

#: The pixel budget of an analysis image made larger for a thin photo, as the side of a square: the analysis
#: long side (``analysis_long_side ** 2`` pixels, 1 MP at the default size).
PIXEL_BUDGET_SIDES = 1

#: Stored in ``ScanRecord.analysis`` for an image analysed larger than :func:`fitted_size`: records without it
#: were made from the thin image and are judged again. Bump it when the rule here changes.
THIN_ANALYSIS = "thin1"

#: Stored in ``ScanRecord.analysis`` (after :data:`THIN_ANALYSIS`, comma-separated, when both) for a picture
#: other than a JPEG whose analysis size is block-scaled (:func:`block_scale`) since 2026-12-05: records of such
#: pictures without it were analysed at :func:`analysis_size` and are judged again (:func:`current`).
BLOCK_ANALYSIS = "block1"

#: A picture whose size scaled by 1/2, 1/4 or 1/8 (:data:`BLOCK_FACTORS`) has a long side within this fraction
#: below the analysis size is analysed at that size (:func:`block_scale`): 4000 x 3000 -> 1000 x 750,
#: 4032 x 3024 (12-MP phones) and 8064 x 6048 (48-MP phones) -> 1008 x 756, 2040 x 1356 -> 1020 x 678.
DCT_SCALE_TOLERANCE = 0.975

#: The scale factors libjpeg-turbo decodes a JPEG at (its DCT scaling), largest first.
BLOCK_FACTORS = (8, 4, 2)


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


def block_scale(width: int, height: int, target: tuple[int, int]) -> tuple[int, tuple[int, int]]:
    """``(factor, (w, h))``: the largest of :data:`BLOCK_FACTORS` whose scale still reaches the ``target`` size
    (or whose long side is within :data:`DCT_SCALE_TOLERANCE` below it), 1 when none; and the analysis image's
    size: the scaled size ``ceil(width / factor) x ceil(height / factor)`` (as libjpeg rounds) when it is no
    larger than ``target`` on either side, else ``target``. A JPEG is decoded at ``1 / factor``
    (:func:`blurscan.jpeg.decode_fast`); every picture is analysed at the size.

    >>> block_scale(2040, 1356, (1024, 681))   # within 2.5 % below: an exact 2 x 2 average
    (2, (1020, 678))
    >>> block_scale(4000, 3000, (1024, 768))
    (4, (1000, 750))
    >>> block_scale(6000, 4000, (1024, 683))   # 1/8 is 750 px: 1/4 (1500 px) resized to the target
    (4, (1024, 683))
    >>> block_scale(4032, 3024, (1024, 768))
    (4, (1008, 756))
    >>> block_scale(1800, 1200, (1024, 683))   # 900 px: too far below
    (1, (1024, 683))
    """
    tw, th = target
    for factor in BLOCK_FACTORS:
        sw, sh = -(-width // factor), -(-height // factor)  # libjpeg rounds scaled sizes up
        if (sw >= tw and sh >= th) or max(sw, sh) >= DCT_SCALE_TOLERANCE * max(tw, th):
            if sw <= tw and sh <= th:  # within the tolerance below the target: the scaled size as is
                return factor, (sw, sh)
            return factor, (tw, th)
    return 1, (tw, th)


def image_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """``(w, h)`` of the analysis image a ``width x height`` picture is turned into: :func:`analysis_size`, or
    the block-scaled size within :data:`DCT_SCALE_TOLERANCE` below it (:func:`block_scale`).

    >>> image_size(2040, 1356, 1024), image_size(4032, 3024, 1024), image_size(6000, 4000, 1024)
    ((1020, 678), (1008, 756), (1024, 683))
    """
    return block_scale(width, height, analysis_size(width, height, long_side))[1]


def block_scaled(width: int, height: int, long_side: int) -> bool:
    """Whether a ``width x height`` picture's analysis image is block-scaled, not :func:`analysis_size`."""
    return image_size(width, height, long_side) != analysis_size(width, height, long_side)


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


def block_concerned(fmt: str | None, width: int, height: int, long_side: int) -> bool:
    """Whether a picture of format ``fmt`` (a record's ``format``) and this size is analysed otherwise since block
    scaling reached every format (:data:`BLOCK_ANALYSIS`): a block-scaled size, not a JPEG's (JPEGs were
    already). A camera RAW is judged from its preview JPEG or from its half-size development, which its record
    does not tell apart: it is concerned when its size or half its size is block-scaled."""
    if not fmt or fmt == "JPEG" or fmt == "array":
        return False
    sizes = [(width, height)]
    if is_raw(fmt):
        sizes += [(width // 2, height // 2), (-(-width // 2), -(-height // 2))]
    return any(min(w, h) > 0 and block_scaled(w, h, long_side) for w, h in sizes)


def marks(fmt: str | None, width: int, height: int, long_side: int) -> str | None:
    """What a record scored now stores in ``ScanRecord.analysis``: :data:`THIN_ANALYSIS` and/or
    :data:`BLOCK_ANALYSIS` (comma-separated) where they concern the picture, else None."""
    said = [THIN_ANALYSIS] * made_larger(width, height, long_side)
    said += [BLOCK_ANALYSIS] * block_concerned(fmt, width, height, long_side)
    return ",".join(said) or None


def current(record, settings) -> bool:
    """Whether a stored ``"ok"`` record may be reused as far as the analysis size goes: False for one of a long
    thin image judged from its thin analysis image, before :data:`THIN_ANALYSIS`, and for one of a picture other
    than a JPEG whose size is block-scaled, analysed at :func:`analysis_size` before :data:`BLOCK_ANALYSIS` (its
    format, width and height tell)."""
    if not record.width or not record.height:
        return True
    said = set((record.analysis or "").split(","))
    long_side = settings.analysis_long_side
    if THIN_ANALYSIS not in said and made_larger(record.width, record.height, long_side):
        return False
    return BLOCK_ANALYSIS in said or not block_concerned(record.format, record.width, record.height, long_side)


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
