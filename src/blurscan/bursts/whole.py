"""A group's "never joined" rules hold for the whole group, not only for each link.

:mod:`.grouping` links two shots only when they may be of one burst (:mod:`.apart`: not two cameras, not two
exposures more than half a stop apart), and a group is every set of shots connected by links (single linkage). A
shot that names no camera or no exposure (an export or an edit without those tags, a scan, a phone's copy, a frame
whose EXIF was stripped, a frame of a body that writes no serial number) may be linked with any shot, so one such
near-identical photo linked to two cameras' frames of one moment, or to a bracket's -2/0/+2 EV frames, joined them
into one group again, and ``move --from-bursts`` took the other body's frames or the bracket's (until 2026-12-07).

So a group two of whose shots are never linked (:func:`conflicted`) is split (:func:`split`): the shots that name
what the group's shots disagree on (the camera, the body's serial, the exposure setting, the exposure) keep only their links with each
other, each set so connected is one side; a shot that names none of it (with those of its kind linked to it) goes
with the one side it is linked to, or with the sides it is linked to where they may be one group; linked to sides
that are never joined, nothing tells whose it is (two bodies' clocks are seldom set alike, so its time does not
either), and it is left out of every group: never proposing a frame is the safe side. A group without such a pair
stays as it is, whatever its shots name (a burst whose exposure drifts a third of a stop a frame under passing
clouds is linked frame to frame, as before).

A bracket in steps under half a stop is chained frame to frame too (a manual -1, -2/3 ... +1 EV: each frame a third
of a stop from the next), so a group whose manual shots (ExposureMode 1) span more than half a stop, or whose shots
that do not say how their exposure was set more than 1.2 EV (:data:`~.apart.UNSET_EXPOSURE_SPAN`), is split by
exposure level (since 2026-12-07; until then one group spanning two stops, six frames of it candidates): its links
between exposures more than a tenth of a stop apart (:data:`~.apart.BRACKET_EXPOSURE_DIFFERENCE`: the steps of an
auto bracket's frames), one of them at least not of the auto mode at one bias, are dropped, and a shot that names no
exposure joins no two levels. A bracket shot twice gives one group per level, as a -2/0/+2 EV one does; shots of the
auto mode at one bias follow the light as before.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .apart import AUTO_EXPOSURE_DIFFERENCE as _AUTO, BRACKET_EXPOSURE_DIFFERENCE as _STEP, \
    MAX_EXPOSURE_DIFFERENCE as _MAX, UNSET_EXPOSURE_SPAN as _UNSET, Apart


class UnionFind:
    """Disjoint sets over ``0..n-1`` (union by size, path halving); ``edges``, where given a list, gets every pair
    ``union`` was called with (the links of :mod:`.grouping`, for :func:`split`)."""

    def __init__(self, n: int, edges: list[tuple[int, int]] | None = None) -> None:
        self.parent = list(range(n))
        self.size = [1] * n
        self.edges = edges

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        if self.edges is not None:
            self.edges.append((a, b))
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return True


def conflicted(roots: np.ndarray, apart: Apart) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                                         np.ndarray]:
    """For each group (by its root, ``roots[p]`` the root of position ``p``): whether its shots name two cameras
    (makes or models), two bodies (serial numbers), two exposure settings (biases, an auto bracket's frames),
    exposures more than half a stop apart (but for two shots of the auto mode at one bias: more than
    :data:`~.apart.AUTO_EXPOSURE_DIFFERENCE` apart), and exposure levels to split it by (a bracket in steps under half
    a stop, chained: manual shots more than half a stop apart, or shots that do not say how their exposure was set
    more than :data:`~.apart.UNSET_EXPOSURE_SPAN`), as five arrays indexed by root."""
    n = len(roots)
    out = []
    for values, unnamed in ((apart.model, -1), (apart.serial, -1), (apart.setting, -1)):
        named = values != unnamed
        low = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        high = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
        np.minimum.at(low, roots[named], values[named])
        np.maximum.at(high, roots[named], values[named])
        out.append((low <= high) & (high != low))
    named = ~np.isnan(apart.exposure)
    ranges = []
    # (every shot's, those not of the auto mode, an auto bracket's frames, manual shots, shots not saying how)
    unset = ~apart.auto & ~apart.manual & ~apart.bracket
    level = _level(apart)
    for shots, values in ((named, apart.exposure), (named & ~apart.auto, apart.exposure),
                          (named & apart.bracket, apart.exposure), (named & apart.manual, level),
                          (named & unset, apart.exposure)):
        low, high = np.full(n, np.inf), np.full(n, -np.inf)
        np.minimum.at(low, roots[shots], values[shots])
        np.maximum.at(high, roots[shots], values[shots])
        ranges.append((low, high))
    (low, high), (fixed_low, fixed_high), (bracket_low, bracket_high), manual, unset_range = ranges
    out.append((high - fixed_low > _MAX) | (fixed_high - low > _MAX) | (high - bracket_low > _STEP)
               | (bracket_high - low > _STEP) | (high - low > _AUTO))
    out.append((manual[1] - manual[0] > _MAX) | (unset_range[1] - unset_range[0] > _UNSET))
    return out[0], out[1], out[2], out[3], out[4]


def split(roots: Sequence[int], edges: Sequence[tuple[int, int]], apart: Apart) -> list[int]:
    """``roots`` (the group root of each position, from the links ``edges``) with each group that holds two shots
    never linked (:func:`conflicted`) split as the module says: its positions given the roots of their sides, -1 for
    a shot left out of every group. The other groups' roots are returned as they were."""
    r = np.asarray(roots, dtype=np.int64)
    by_model, by_serial, by_setting, by_exposure, by_level = conflicted(r, apart)
    bad_root = by_model | by_serial | by_setting | by_exposure
    if not bad_root.any():
        return list(roots)
    bad, level = bad_root[r], by_level[r]
    # a shot that does not name what its group's shots disagree on
    nameless = bad & ((by_model[r] & (apart.model < 0)) | (by_serial[r] & (apart.serial < 0))
                      | (by_setting[r] & (apart.setting == -1)) | (by_exposure[r] & np.isnan(apart.exposure)))
    sides, blobs = UnionFind(len(r)), UnionFind(len(r))
    across: list[tuple[int, int]] = []  # (nameless, named) links
    pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    pairs = pairs[bad[pairs[:, 0]]]
    pairs = pairs[~_other_levels(pairs, level, apart)]
    unnamed = nameless.tolist()
    for a, b in pairs.tolist():
        if unnamed[a] == unnamed[b]:
            (blobs if unnamed[a] else sides).union(a, b)
        else:
            across.append((a, b) if unnamed[a] else (b, a))
    out = r.copy()
    positions = np.flatnonzero(bad).tolist()
    members: dict[int, list[int]] = {}
    for p in positions:
        if unnamed[p]:
            members.setdefault(blobs.find(p), []).append(p)
    touched: dict[int, set[int]] = {}
    for a, b in across:
        touched.setdefault(blobs.find(a), set()).add(sides.find(b))
    named: dict[int, list[int]] = {}
    for p in positions:
        if not unnamed[p]:
            named.setdefault(sides.find(p), []).append(p)
    names = (apart.model.tolist(), apart.serial.tolist(), apart.setting.tolist(), apart.exposure.tolist(),
             apart.auto.tolist(), apart.bracket.tolist())
    kinds = {side: _Kinds(names, shots) for side, shots in named.items()}
    left: set[int] = set()
    for blob, shots in members.items():  # (in order of their first shot)
        linked = sorted({sides.find(s) for s in touched.get(blob, ())})
        own = _Kinds(names, shots)
        parts = [own, *(kinds[s] for s in linked)]
        fixed = _STEP if level[shots[0]] else _MAX  # (a bracket's levels: none joined through the shot)
        if own.split or not all(x.joins(y, fixed) for i, x in enumerate(parts) for y in parts[i + 1:]):
            left.update(shots)  # (linked to sides never joined: whose it is, nothing tells)
            continue
        for other in [*linked[1:], *shots]:
            sides.union(linked[0] if linked else shots[0], other)
        kinds[sides.find(shots[0])] = _Kinds.of(parts)
    for p in positions:
        out[p] = -1 if p in left else sides.find(p)
    return out.tolist()


class _Kinds:
    """The cameras, bodies, exposure settings and exposures the shots of a part of a group name (for :meth:`joins`):
    the ``(low, high)`` of every shot's exposure, of those not of the auto mode, of an auto bracket's frames."""

    def __init__(self, names: tuple[list, ...] | None, positions: Sequence[int]) -> None:
        self.models, self.serials, self.settings = set(), set(), set()
        self.all, self.fixed, self.bracket = (math.inf, -math.inf), (math.inf, -math.inf), (math.inf, -math.inf)
        if names is None:
            return
        models, serials, settings, exposures, autos, brackets = names
        for p in positions:
            if models[p] >= 0:
                self.models.add(models[p])
            if serials[p] >= 0:
                self.serials.add(serials[p])
            if settings[p] != -1:
                self.settings.add(settings[p])
            ev = exposures[p]
            if ev == ev:  # (not NaN: named)
                self.all = _widened(self.all, ev)
                if not autos[p]:
                    self.fixed = _widened(self.fixed, ev)
                if brackets[p]:
                    self.bracket = _widened(self.bracket, ev)

    @classmethod
    def of(cls, parts: Sequence[_Kinds]) -> _Kinds:
        out = cls(None, ())
        for part in parts:
            out.models |= part.models
            out.serials |= part.serials
            out.settings |= part.settings
            for name in ("all", "fixed", "bracket"):
                (low, high), (other_low, other_high) = getattr(out, name), getattr(part, name)
                setattr(out, name, (min(low, other_low), max(high, other_high)))
        return out

    @property
    def split(self) -> bool:
        """Whether two of the part's own shots are never linked by camera, body or exposure setting (its exposures
        may drift)."""
        return len(self.models) > 1 or len(self.serials) > 1 or len(self.settings) > 1

    def joins(self, other: _Kinds, fixed: float = _MAX) -> bool:
        """Whether no shot of this part is never linked with a shot of ``other``; ``fixed``: the largest difference
        of a shot not of the auto mode at one bias and another (an exposure level, in a group split by them)."""
        for mine, theirs in ((self.models, other.models), (self.serials, other.serials),
                             (self.settings, other.settings)):
            if mine and theirs and len(mine | theirs) > 1:
                return False
        # (two shots of the auto mode at one bias are linked up to _AUTO apart; an auto bracket's frame only with
        # one of the same exposure)
        for x, y in ((self, other), (other, self)):
            if max(x.fixed[1] - y.all[0], y.all[1] - x.fixed[0]) > fixed or \
                    max(x.bracket[1] - y.all[0], y.all[1] - x.bracket[0]) > _STEP or x.all[1] - y.all[0] > _AUTO:
                return False
        return True


def _other_levels(pairs: np.ndarray, level: np.ndarray, apart: Apart) -> np.ndarray:
    """For each link ``pairs[k]``: whether it joins two exposure levels of a group split by them (``level``, by
    position: its shots not of the auto mode at one bias span more than half a stop): exposures more than
    :data:`~.apart.BRACKET_EXPOSURE_DIFFERENCE` apart, one of them at least not of the auto mode at one bias (two
    such shots still follow the light)."""
    a, b = pairs[:, 0], pairs[:, 1]
    by_hand = ~np.isnan(apart.set_by_hand)
    values = np.where(by_hand[a] & by_hand[b], apart.set_by_hand[a] - apart.set_by_hand[b],
                      apart.exposure[a] - apart.exposure[b])  # (two manual shots: their shutter and aperture)
    with np.errstate(invalid="ignore"):  # NaN (an exposure unknown): no level
        other = np.abs(values) > _STEP
    return level[a] & other & ~(apart.auto[a] & apart.auto[b])


def _level(apart: Apart) -> np.ndarray:
    """Each shot's exposure level: a manual shot's shutter and aperture where its ISO is stored (the camera's auto
    ISO in the manual mode follows the light: a burst whose ISO went from 800 to 2000 is one level, until 2026-12-07
    one group a level, the frames of each ISO), else its exposure."""
    return np.where(np.isnan(apart.set_by_hand), apart.exposure, apart.set_by_hand)


def _widened(bounds: tuple[float, float], value: float) -> tuple[float, float]:
    return min(bounds[0], value), max(bounds[1], value)
