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
from ..typed_commands import program


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

    def note(self) -> str | None:
        """The one line to print, or None when the scan listed no such image."""
        if not self.count:
            return None
        n = self.count
        return (f"note: {n} image{'s' if n != 1 else ''} under {SMALL_IMAGE_LONG_SIDE} px on the long side "
                f"({printable_path(self.first)}{' ...' if n > 1 else ''}) judged by a model not trained on images "
                "that small: its verdict misses most mild blur there, while p_blurry still ranks them; rank by "
                f"p_blurry and cut it yourself (`{program()} move --min-p-blurry P`) rather than trust the verdict")
