"""What tells apart two shots of one look and moment, which :mod:`blurscan.bursts.grouping` never links: another
exposure (the frames of an exposure bracket) or another camera (two bodies shooting one moment).

* **Exposure**: shots whose exposures (``ScanRecord.exposure_ev``, EV at ISO 100) differ by more than
  :data:`MAX_EXPOSURE_DIFFERENCE`: an HDR bracket's -2/0/+2 EV frames are each needed (since 2026-12-07).
* **Camera**: shots of two cameras (``ScanRecord.camera``: the EXIF Make, Model and BodySerialNumber), when both
  name theirs: another make or model, or two bodies of one model with both serial numbers written and different.
  A wedding shot with two bodies and a second shooter has the same kiss from each camera within the same second
  (the bodies' clocks are seldom set alike, and the window is two minutes): those are two photos, each the only
  one of its camera, not a burst of which one camera's frame is to be removed (until 2026-12-07 they were linked
  like a burst's frames, and ``move --from-bursts`` took every shot but the sharpest, whichever camera it was of).
  A shot that names no camera (an export without EXIF, a scan, a record stored before) is linked as before.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..records import ScanRecord

#: Largest difference of exposure (EV, ``ScanRecord.exposure_ev``) of two linked shots: an exposure bracket's frames
#: differ by their steps (2/3 EV and up for HDR), a burst's shots under one light by a third of a stop at most.
MAX_EXPOSURE_DIFFERENCE = 0.5


class Apart:
    """The exposure and camera of ``records`` (in the order given), to tell apart pairs of them by position."""

    def __init__(self, records: Sequence[ScanRecord]) -> None:
        exposures, models, serials = [], [], []
        codes: dict[tuple, int] = {}
        known: dict = {}  # a stored camera -> its codes: each camera's texts compared once (a library has a few)
        for record in records:
            ev = getattr(record, "exposure_ev", None)
            exposures.append(float(ev) if isinstance(ev, (int, float)) and not isinstance(ev, bool) else math.nan)
            value = getattr(record, "camera", None)
            try:
                key = tuple(value) if isinstance(value, list) else value
                model_code, serial_code = known[key]
            except KeyError:
                model_code, serial_code = known[key] = _codes(value, codes)
            except TypeError:  # (a damaged record's camera that cannot be a key: compared alone)
                model_code, serial_code = _codes(value, codes)
            models.append(model_code)
            serials.append(serial_code)
        self.exposure = np.asarray(exposures, dtype=np.float64)
        self.model = np.asarray(models, dtype=np.int64)
        self.serial = np.asarray(serials, dtype=np.int64)
        #: Whether any shot names its camera or exposure (else no two shots are ever told apart).
        self.named = bool(codes) or not np.isnan(self.exposure).all()

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """For each pair of positions ``a[k]``, ``b[k]``: True where the two shots are never linked."""
        with np.errstate(invalid="ignore"):  # NaN (an exposure unknown): no exposure test
            out = np.abs(self.exposure[a] - self.exposure[b]) > MAX_EXPOSURE_DIFFERENCE  # (a bracket)
        ma, mb, sa, sb = self.model[a], self.model[b], self.serial[a], self.serial[b]
        out |= (ma >= 0) & (mb >= 0) & (ma != mb)  # (another make or model)
        out |= (sa >= 0) & (sb >= 0) & (sa != sb)  # (another body of the same model)
        return out


def _codes(value, codes: dict[tuple, int]) -> tuple[int, int]:
    """The codes of a stored ``camera``'s model and body (-1: not named), each camera's given in ``codes``."""
    make, model, serial = _camera(value)
    body = (make, model)
    return (-1 if body == (None, None) else codes.setdefault(body, len(codes)),
            -1 if serial is None else codes.setdefault((*body, serial), len(codes)))


def _camera(value) -> tuple[str | None, str | None, str | None]:
    """``(make, model, serial)`` of a stored ``camera``, each compared without case and runs of spaces."""
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        return None, None, None
    out = tuple(" ".join(v.split()).casefold() or None if isinstance(v, str) else None for v in value)
    return out  # type: ignore[return-value]
