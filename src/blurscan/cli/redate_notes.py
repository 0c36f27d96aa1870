"""What ``blurscan scan`` says of the photos a blurscan before the last date rules scanned (:mod:`blurscan.redate`):
before it reads their dates, exposures and cameras again, and afterwards how many capture times changed.

The first rescan after an upgrade reads every unchanged photo's header again, once, its scores reused: 2 to 4
times a plain rescan's time (the files are opened, not only looked up). Until 2026-12-07 nothing was said while
it ran, and a note only afterwards, where a date had changed: a rescan of a library that took seconds took a
minute or more without a word of why."""
from __future__ import annotations

from collections.abc import Callable


class RedatingNote:
    """``redate``'s ``before(n)`` for the scan (:func:`blurscan.pipeline.scan`'s ``redating``): one ``note:``
    line through ``say``, at the first chunk of stored records that has any. ``total``: the scan's ``[files]``
    (filled by its progress callback: a library of more than one chunk of lookups is told that chunk's count,
    so far)."""

    def __init__(self, say: Callable[[str], None], total: list[int]) -> None:
        self.say, self.total, self.said = say, total, False

    def __call__(self, n: int) -> None:
        from ..pipeline import LOOKUP_CHUNK

        if self.said:
            return
        self.said = True
        # (a library of several chunks is told at the first chunk that has any: "of the first 5,000 files" was
        # said of the 3 photos of files 5,001-5,003, "the rest" of none, until 2026-12-07)
        which = f"{n:,} photo{'s' if n != 1 else ''}" if self.total[0] <= LOOKUP_CHUNK else \
            f"photos ({n:,} so far: the files are looked up {LOOKUP_CHUNK:,} at a time, any others as the scan " \
            "reaches them)"
        # (one photo: "its score is reused"; "their scores are" was said of it until 2026-12-07)
        scores = "its score is" if which == "1 photo" else "their scores are"
        self.say(f"note: reading again the capture times, exposures and cameras of {which} scanned by an older "
                 f"blurscan: once, after the upgrade; {scores} reused, not computed again")


def redated_note(redated: int) -> str:
    """The ``note:`` line for the ``redated`` photos whose capture times changed."""
    return (f"note: {redated} photo{'s' if redated != 1 else ''} scanned before had "
            f"{'their capture times' if redated != 1 else 'its capture time'} read again by this blurscan's "
            "date rules (Exif dates in IFD0, XMP dates), for bursts and the date sort; scores unchanged")
