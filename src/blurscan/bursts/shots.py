"""A shot as grouping reads it: the eleven stored columns :func:`~blurscan.bursts.grouping.find_groups` needs of
every hashed photo, in a slotted object (about 150 bytes, its texts apart), not a whole
:class:`~blurscan.records.ScanRecord`.

A :class:`~blurscan.records.ScanRecord` has 34 fields: past CPython's 30 keys of a dict shared by a class's
instances, each instance holds a whole dict of its own (1,584 bytes). Since 2026-12-06 (its ``dates`` field, the
29th and 30th fields) the light record of every photo ``blurscan bursts`` grouped cost 1.3 KB more: at 100,000
photos some 125 MiB of its peak (265 MiB on the morning of 2026-12-06, 442 on 2026-12-07). Only the grouped shots'
full records are read (:func:`blurscan.bursts.run`); :meth:`Shot.record` is the record of one whose row went
meanwhile.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..records import ScanRecord


@dataclass(slots=True)
class Shot:
    """The grouping's columns of one stored photo (the names and meanings of :class:`ScanRecord`'s)."""

    #: every photo grouped has a hash, which only a photo scanned ``ok`` has (:func:`blurscan.bursts._grouping_rows`)
    status: ClassVar[str] = "ok"

    path: str
    captured_at: str | None = None
    phash: str | None = None
    mtime_ns: int | None = None
    width: int | None = None
    height: int | None = None
    size: int | None = None
    captured_subsec: float | None = None
    exposure_ev: float | None = None
    camera: list | None = None
    exposure_setting: list | None = None

    def record(self) -> ScanRecord:
        """A :class:`ScanRecord` of these columns (a grouped shot whose stored row is no longer there)."""
        return ScanRecord(path=self.path, captured_at=self.captured_at, phash=self.phash, mtime_ns=self.mtime_ns,
                          width=self.width, height=self.height, size=self.size,
                          captured_subsec=self.captured_subsec, exposure_ev=self.exposure_ev, camera=self.camera,
                          exposure_setting=self.exposure_setting)
