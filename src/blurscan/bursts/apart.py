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
* **How the camera set the exposure** (``ScanRecord.exposure_setting``: EXIF ExposureMode and ExposureBiasValue;
  since 2026-12-07): a frame of an auto bracket (ExposureMode 2) is linked only with a frame of an auto bracket of
  the same bias and exposure (within :data:`BRACKET_EXPOSURE_DIFFERENCE`: a repeated bracket's frames of one step),
  however fine the bracket's steps (an AEB of -1/3, 0, +1/3 EV is 0.33 EV apart: each frame is needed by the HDR
  merge), nor are two shots of other biases (the compensation dialled or stepped); two shots of the auto mode
  (ExposureMode 0) at one bias are linked up to :data:`AUTO_EXPOSURE_DIFFERENCE` apart (the camera followed the
  light: an auto-ISO jump from ISO 400 to 640 mid-burst, a cloud passing). Manual mode, or no tag: the half-a-stop
  rule above.

These rules are of two shots. A bracket in steps under half a stop (a manual one: -1, -2/3, ... +1 EV, each frame a
third of a stop from the next) has each frame linked with the next, so :mod:`.whole` splits a group by exposure level
where its manual shots (ExposureMode 1) span more than half a stop, or its shots that do not say how their exposure
was set more than :data:`UNSET_EXPOSURE_SPAN` (since 2026-12-07). A manual shot's exposure level is that of its
shutter and aperture where its ISO is stored (:attr:`Apart.set_by_hand`): the camera's auto ISO in the manual mode
follows the light, and a sports burst at 1/1000 s and f/4 whose ISO went from 800 to 2000 is one burst.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..records import ScanRecord

#: Largest difference of exposure (EV, ``ScanRecord.exposure_ev``) of two linked shots: an exposure bracket's frames
#: differ by their steps (2/3 EV and up for HDR), a burst's shots under one light by a third of a stop at most.
MAX_EXPOSURE_DIFFERENCE = 0.5
#: Largest difference of exposure of an auto bracket's frame and a shot it is linked with: less than any bracket's
#: step (a third of a stop), so only a repeated bracket's frames of one step are.
BRACKET_EXPOSURE_DIFFERENCE = 0.1
#: Largest difference of exposure of two linked shots of the auto mode at one bias: an auto-ISO jump between two
#: frames (400 to 640, 2/3 of a stop), never a whole stop, so that a camera that wrote its bracket's frames as of the
#: auto mode at one bias still has its frames of a stop and more apart (a group's frames may drift further, by links)
AUTO_EXPOSURE_DIFFERENCE = 0.9
#: Largest span of exposures (EV) of the shots of one group that do not say how their exposure was set (no
#: ExposureMode, or the auto mode with no bias written): a wider group is split by exposure level (:mod:`.whole`), as a
#: group of manual shots spanning more than :data:`MAX_EXPOSURE_DIFFERENCE` is. A bracket of five frames or more in
#: third stops spans 4/3 EV and more (-1 to +1 EV: 2), each step under half a stop; the light under one burst changes
#: a stop at most (a third of a stop a frame under a cloud, three frames): one group.
UNSET_EXPOSURE_SPAN = 1.2


class Apart:
    """The exposure and camera of ``records`` (in the order given), to tell apart pairs of them by position."""

    def __init__(self, records: Sequence[ScanRecord]) -> None:
        exposures, models, serials, kinds = [], [], [], []
        codes: dict[tuple, int] = {}
        known: dict = {}  # a stored camera -> its codes: each camera's texts compared once (a library has a few)
        biases: dict = {}  # (an auto bracket's frame or not, its bias) -> its code
        seen: dict = {}  # a stored setting -> its row of table: each setting's read once
        table: list[tuple[int, bool, bool, bool, float]] = []  # (the setting's code, auto mode at a known bias,
        #                                                            auto bracket, manual mode, a manual shot's ISO)
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
            setting = getattr(record, "exposure_setting", None)
            if setting is None:  # (any shot without the tags, a record stored before: no look-up)
                kinds.append(-1)
                continue
            try:
                kinds.append(seen[tuple(setting)])
            except (KeyError, TypeError):  # (a setting not met yet; a damaged one)
                kinds.append(_kind(setting, seen, biases, table))
        self.exposure = np.asarray(exposures, dtype=np.float64)
        self.model = np.asarray(models, dtype=np.int64)
        self.serial = np.asarray(serials, dtype=np.int64)
        rows = np.asarray(kinds, dtype=np.int64)  # (-1: the last row of each, a setting not named)
        codes_of, autos, brackets, manuals, isos = (np.asarray([*column, last]) for column, last in
                                                    zip(zip(*table) if table else ((), (), (), (), ()),
                                                        (-1, False, False, False, math.nan)))
        #: The code of each shot's setting (whether an auto bracket's frame, its bias), -1 where it names neither
        self.setting = codes_of.astype(np.int64)[rows]
        #: Whether each shot is an auto bracket's frame
        self.bracket = brackets.astype(bool)[rows]
        #: Whether each shot was exposed by the camera's auto mode at a known bias (its exposure followed the light)
        self.auto = autos.astype(bool)[rows]
        #: Whether each shot was exposed in the manual mode (ExposureMode 1: each exposure the photographer's)
        self.manual = manuals.astype(bool)[rows]
        #: Each manual shot's exposure as the photographer set it, shutter and aperture (its exposure at its own
        #: ISO: the camera's auto ISO in the manual mode follows the light); NaN where its ISO is not stored
        with np.errstate(invalid="ignore", divide="ignore"):
            self.set_by_hand = self.exposure + np.log2(isos.astype(np.float64)[rows] / 100)
        #: Whether any shot names its camera or exposure (else no two shots are ever told apart).
        self.named = bool(codes) or bool(biases) or not np.isnan(self.exposure).all()

    def __call__(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """For each pair of positions ``a[k]``, ``b[k]``: True where the two shots are never linked."""
        with np.errstate(invalid="ignore"):  # NaN (an exposure unknown): no exposure test
            apart = np.abs(self.exposure[a] - self.exposure[b])
            out = (apart > MAX_EXPOSURE_DIFFERENCE) & ~(self.auto[a] & self.auto[b])  # (a bracket; not where the
            out |= apart > AUTO_EXPOSURE_DIFFERENCE
            out |= (self.bracket[a] | self.bracket[b]) & (apart > BRACKET_EXPOSURE_DIFFERENCE)  # camera followed
        ca, cb = self.setting[a], self.setting[b]                                                   # the light)
        out |= (ca != -1) & (cb != -1) & (ca != cb)  # (an auto bracket's frame and another shot, another bias)
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


def _kind(value, seen: dict, biases: dict, table: list) -> int:
    """The row of ``table`` of the stored setting ``value``, added (and to ``seen``, where it can be a key)."""
    mode, bias = _setting(value)
    code = -1 if mode != 2 and bias is None else biases.setdefault((mode == 2, bias), len(biases))
    iso = value[2] if mode == 1 and len(value) == 3 and isinstance(value[2], (int, float)) and \
        not isinstance(value[2], bool) and math.isfinite(value[2]) and value[2] > 0 else math.nan
    table.append((code, mode == 0 and bias is not None, mode == 2, mode == 1, float(iso)))
    try:
        seen[tuple(value)] = len(table) - 1
    except TypeError:  # (a damaged record's setting that cannot be a key: read alone)
        pass
    return len(table) - 1


def _setting(value) -> tuple[int | None, float | None]:
    """``(mode, bias)`` of a stored ``exposure_setting`` (each None where not named; a manual shot's ISO, third
    since rules 6, read by :func:`_kind`)."""
    if not isinstance(value, (list, tuple)) or len(value) not in (2, 3):
        return None, None
    mode, bias = value[:2]
    mode = mode if mode in (0, 1, 2) and not isinstance(mode, bool) else None
    bias = round(float(bias), 2) if isinstance(bias, (int, float)) and not isinstance(bias, bool) \
        and math.isfinite(bias) else None
    return mode, bias
