"""The note ``blurscan scan`` prints when it judged images under 256 px on their long side with the model.

The model was never trained or validated on images that small (the model card's "Small images"): at 32-128 px
its verdict misses most mild blur (an audit's Gaussian-blurred copies: 27-58 % called blurry) while
``p_blurry`` ranks them well (ROC AUC 0.97-0.997). The README said so, but a scan of a dataset of such images
printed their verdicts without a word until 2026-12-07 (32-255-px images blurred with OpenCV: 13 of 84 listed
``sharp``), nothing to say the verdict was not to be trusted there. The note is said on every scan that lists such images (a rescan's unchanged ones too): it is about the
images, not about this run."""
from __future__ import annotations

from ..config import SMALL_IMAGE_LONG_SIDE
from ..errors import printable_path


class SmallImages:
    """Counts the records of a scan judged by the model from an image under ``SMALL_IMAGE_LONG_SIDE`` px on
    its long side (``--model none``'s have no ``p_blurry`` to rank by: not counted)."""

    def __init__(self) -> None:
        self.count = 0
        self.first: str | None = None

    def add(self, record) -> None:
        if record.status != "ok" or record.p_blurry is None or not record.width or not record.height:
            return
        if max(record.width, record.height) < SMALL_IMAGE_LONG_SIDE:
            self.count += 1
            if self.first is None or record.path < self.first:  # (the first by name: the same on every run)
                self.first = record.path

    def note(self, cut: str) -> str | None:
        """The one line to print, or None when the scan listed no such image. ``cut``: the move that takes the
        images at or above the cut, as it can be typed where the scan ran (the library's folder, or ``--db FILE``,
        named outside it: :func:`blurscan.cli.actions.typed`). Until 2026-12-07 it said `blurscan move
        --min-p-blurry P`, which lacked the --to that move requires (a usage error), and from the folder of a
        dataset scanned with ``--db`` (the README's way) found no database."""
        if not self.count:
            return None
        n = self.count
        return (f"note: {n} image{'s' if n != 1 else ''} under {SMALL_IMAGE_LONG_SIDE} px on the long side "
                f"({printable_path(self.first)}{' ...' if n > 1 else ''}) judged by a model not trained on images "
                "that small: its verdict misses most mild blur there, while p_blurry still ranks them; rank by "
                f"p_blurry and cut it yourself (`{cut}`) rather than trust the verdict")
