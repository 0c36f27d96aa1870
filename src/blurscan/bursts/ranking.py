"""Ranking: which shot of a burst to keep, and why.

The figures (see :func:`figures_of`):

* **model** (``subject_p_blurry``): the subject's sharpness from the model's region map, the mean
  ``p_blurry`` of the sharpest quarter of the textured regions of ``ScanRecord.grid`` (flat regions, ``None``
  in the grid, say nothing about focus): in a burst the subject is what the photographer focused on, so a
  blurred background (bokeh) does not count against a shot. Without a region map, the whole-photo
  ``p_blurry``.
* **classical** (``sharpness``): a classical measure computed on the analysis-size image, the same 1024-px
  scale for every shot that has 1024 px (the first of :data:`CLASSICAL_KEYS` stored for every shot: the
  Laplacian variance at the analysis size, ``laplacian_var_norm``). The stored full-resolution ``laplacian_var``
  is only used when every shot of the group has the same pixel size: the Laplacian variance of a 48-MP frame
  and of a 12-MP frame of one scene are not comparable, while at the fixed analysis size they are.
* **pixels**: resolution, ``width x height``.

A picture smaller than the analysis size is not enlarged (:func:`blurscan.analysis.analysis_size`): it is
measured at its own size, where a blur spans fewer pixels, so the model's figures and the classical one read
sharper than those of a larger copy (a 1000-px export of a 2040-px photo measured 339 against the photo's 292
at 1024 px; a 32-px copy beat its 512-px original). Two shots whose pixel counts differ by more than
:data:`PIXELS_MARGIN`, the smaller not analysed at the scale a larger copy would be
(:func:`~blurscan.analysis.reaches_full_scale` at the default analysis size: records do not say which
``--long-side`` scanned them), the larger scaled down to the analysis size or its long side over
:data:`PIXELS_MARGIN` times the smaller's, are therefore not compared on sharpness, whatever the order
(:func:`_own_scale`; two shots both analysed at their own size with long sides within the margin, a re-framed
crop of a 1024-px frame, are compared as before): a shot whose verdict is ``blurry`` loses to one whose
verdict is not (the verdict is made for each photo at its own size, with a threshold held per photo size:
a truly blurred original gives way to a sharp smaller shot, while a smaller copy of a blurred photo that
looks sharp is no loss of a sharp original), else the larger wins
(``"more pixels: 2040x1536 vs 1000x753 (sharpness not comparable: ...)"``).

Two shots are compared figure by figure in :data:`DEFAULT_ORDER`: a figure decides only when the
difference is clear (model: more than :data:`MODEL_MARGIN`; classical: more than :data:`CLASSICAL_MARGIN`
relative; pixels: a factor over :data:`PIXELS_MARGIN`), otherwise the next figure is asked; when no figure
is clear, a file wins over a symbolic link (``move`` and ``trash`` leave links alone, so a link kept would
have its file taken away as a candidate, and the link left dangling), then the raw values break the tie in
the same order, then the earlier shot wins (:func:`~.times.shot_times`; to the fraction of a second where every
shot of that second has one, EXIF ``SubSecTimeOriginal``; of shots taken at the same time, or in one second
without their fractions, the shorter file name: an original before its copies, ``IMG_1.JPG`` before ``IMG_1
(1).JPG``). Before any figure, a shot a person edited (an
``IMG_E`` version beside it) ranks before one that was not, and is kept; byte-identical copies are not ranked
but follow their original as duplicates (:mod:`.twins`, passed by :func:`~blurscan.bursts.run`). Shots are
ranked by their number of pairwise wins (Copeland's method), because margins make the comparison
intransitive at times. The comparison that decided is written as the reason, with its figures
(``"IMG_2.jpg is better: subject p_blurry 0.08 vs 0.71"``).

Evidence for the order (bench/bursts.py, docs/benchmarks-bursts.md, 73 bursts with a known sharpest shot):
with the trained model (2026.11.25+e191236d) the subject figure alone keeps the sharpest shot in 73 of 73,
and of the 227 pairs (sharp shot, shaken or motion-blurred shot of the same burst) it orders all 227 the
right way; the Laplacian variance at the analysis size keeps the sharpest in 72 of 73 and orders one pair
wrongly. Inside a burst the content, camera and exposure are nearly the same, so the classical figure is a
good second opinion (its usual weakness, judging content rather than blur, cancels out); it decides when
the model's figures are within 0.05. A model whose region map does not separate the shots (an untrained
one gives a constant map) therefore leaves the decision to the classical figure. ``rank_group(...,
order=("classical", "model", "pixels"))`` puts the classical figure first.
"""
from __future__ import annotations

import functools
import math
import os
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analysis import analysis_size, reaches_full_scale
from ..config import DEFAULT_ANALYSIS_LONG_SIDE
from ..errors import text_path
from ..records import ScanRecord
from .times import exact_time, shot_times, subsec
from .reason_names import group_names, kept_first_reason, kept_for, kept_too_reason

#: Classical measures of ``ScanRecord.scores`` computed at the analysis size (so comparable across
#: resolutions), best first, with +1 when higher means sharper. On synthetic bursts (one camera, exposure
#: varying by +-1/2 EV, shake of 2-10 px at 1024 px; bench/bursts.py) the Laplacian variance at the analysis
#: size picked the sharp shot in 59 of 60 bursts, the Tenengrad 60, Crete-Roffet's blur effect 57 and the
#: contrast-free ``sharp_tile_ratio`` only 55 (sensor noise raises it): a burst's shots share one camera,
#: one ISO and nearly one exposure, so the contrast that these measures also see cancels out.
CLASSICAL_KEYS = (("laplacian_var_norm", +1), ("laplacian_var_normalised", +1), ("tenengrad", +1),
                  ("blur_effect", -1))
#: Share of the textured regions that make up the "subject" (the sharpest ones).
SUBJECT_SHARE = 0.25
#: A difference in p_blurry larger than this decides.
MODEL_MARGIN = 0.05
#: The order in which figures are asked (see the module docstring).
DEFAULT_ORDER = ("model", "classical", "pixels")
#: A relative difference of the classical measure larger than this decides.
CLASSICAL_MARGIN = 0.10
#: Groups up to this size are ranked by pairwise wins (quadratic in the group's size).
COPELAND_MAX = 60
#: Resolution decides only when the pixel counts differ by more than this factor (a re-framed shot is a
#: few per cent smaller; 12 MP against 8 MP is a real difference).
PIXELS_MARGIN = 1.10


@dataclass
class Member:
    """One shot of a burst group with its rank (1 = keeper) and the figures the ranking used."""

    path: str
    rank: int
    is_keeper: bool
    reason: str
    figures: dict[str, Any] = field(default_factory=dict)
    captured_at: str | None = None
    captured_subsec: float | None = None  # the fraction of captured_at's second (EXIF SubSecTimeOriginal)

    def to_json(self) -> dict[str, Any]:
        out = {"path": text_path(self.path), "rank": self.rank, "is_keeper": self.is_keeper}
        for key, value in self.figures.items():
            if key == "edits":  # paths, not figures (twins.py)
                out[key] = [text_path(p) for p in value]
            elif key == "duplicate_of":
                out[key] = text_path(value)
            else:
                out[key] = _rounded(value)
        out["captured_at"] = self.captured_at
        out["captured_subsec"] = self.captured_subsec
        out["reason"] = self.reason
        return out


def subject_p_blurry(grid: Sequence[Sequence[float | None]] | None, share: float = SUBJECT_SHARE) -> float | None:
    """Mean p_blurry of the sharpest ``share`` of the textured regions of a region map (None if none)."""
    if not grid:
        return None
    values = sorted(float(v) for row in grid for v in (row or ()) if v is not None and math.isfinite(float(v)))
    if not values:
        return None
    count = max(1, math.ceil(len(values) * share))
    return sum(values[:count]) / count


def classical_figure(record: ScanRecord) -> tuple[str, float] | None:
    """(name, value) of the first classical measure of :data:`CLASSICAL_KEYS` stored for ``record``."""
    for key, _ in CLASSICAL_KEYS:
        value = (record.scores or {}).get(key)
        if isinstance(value, (int, float)) and math.isfinite(value):
            return key, float(value)
    return None


def figures_of(group: Sequence[ScanRecord]) -> list[dict[str, Any]]:
    """The sharpness figures of each shot, restricted to those comparable across the whole group."""
    subjects = [subject_p_blurry(r.grid) for r in group]
    use_subject = all(s is not None for s in subjects)
    use_p = not use_subject and all(r.p_blurry is not None for r in group)

    classical = [classical_figure(r) for r in group]
    names = {c[0] for c in classical if c is not None}
    classical_name = None
    if len(names) == 1 and all(c is not None for c in classical):
        classical_name = names.pop()
    elif all(r.laplacian_var is not None for r in group) and len({(r.width, r.height) for r in group}) == 1:
        classical_name = "laplacian_var"  # full resolution, but every shot has the same size

    out = []
    for record, subject, measured in zip(group, subjects, classical):
        fig: dict[str, Any] = {"p_blurry": record.p_blurry}
        if use_subject:
            fig["subject_p_blurry"] = subject
        if classical_name == "laplacian_var":
            fig["sharpness"] = float(record.laplacian_var)
        elif classical_name is not None:
            fig["sharpness"] = measured[1]
        fig["sharpness_measure"] = classical_name
        fig["width"], fig["height"] = record.width, record.height
        fig["_verdict"] = record.verdict
        fig["_model"] = subject if use_subject else (record.p_blurry if use_p else None)
        fig["_model_name"] = "subject p_blurry" if use_subject else ("p_blurry" if use_p else None)
        out.append(fig)
    return out


def _pixels(fig: dict) -> int:
    return (fig.get("width") or 0) * (fig.get("height") or 0)


def _compare(a: dict, b: dict, order: Sequence[str] = DEFAULT_ORDER) -> tuple[int, str]:
    """-1 when ``a`` ranks before ``b``, +1 after, 0 tied; and the words that decided (a's view)."""
    ma, mb = a.get("_model"), b.get("_model")
    sa, sb = a.get("sharpness"), b.get("sharpness")
    pa, pb = _pixels(a), _pixels(b)
    model, measure = a.get("_model_name"), a.get("sharpness_measure")
    sign = _DIRECTION.get(measure, 1)
    size = f"{a.get('width')}x{a.get('height')} vs {b.get('width')}x{b.get('height')}"
    if _own_scale(a, b):  # the sharpness figures were not measured at one scale: see the module docstring
        va, vb = a.get("_verdict"), b.get("_verdict")
        if va and vb and (va == "blurry") != (vb == "blurry"):
            return (1 if va == "blurry" else -1), f"verdict {va} vs {vb} {NOT_COMPARABLE}"
        return (-1 if pa > pb else 1), f"more pixels: {size} {NOT_COMPARABLE}"
    # per figure: (available, clear difference, a better, words)
    tests = {
        "model": (ma is not None and mb is not None,
                  ma is not None and mb is not None and abs(ma - mb) > MODEL_MARGIN,
                  ma is not None and mb is not None and ma < mb,
                  f"{model} {_pair(ma, mb)}" if ma is not None and mb is not None else ""),
        "classical": (sa is not None and sb is not None,
                      sa is not None and sb is not None
                      and abs(sa - sb) > CLASSICAL_MARGIN * max(abs(sa), abs(sb), 1e-12),
                      sa is not None and sb is not None and sign * sa > sign * sb,
                      f"{measure} {_pair(sa, sb, format_figure)}" if sa is not None and sb is not None else ""),
        "pixels": (bool(pa and pb), bool(pa and pb) and max(pa, pb) > PIXELS_MARGIN * min(pa, pb),
                   pa > pb, f"more pixels: {size}"),
    }
    for name in order:
        available, clear, better, words = tests[name]
        if available and clear:
            return (-1 if better else 1), (f"as sharp, {words}" if name == "pixels" else words)
    values = {"model": (ma, mb), "classical": (sa, sb), "pixels": (pa, pb)}
    link_a, link_b = bool(a.get("_link")), bool(b.get("_link"))
    if link_a != link_b:  # the actions leave links alone: keeping a link would give its file away
        kinds = "a symbolic link vs a file" if link_a else "a file vs a symbolic link"
        alike = all(values[name][0] == values[name][1] for name in order)
        return (1 if link_a else -1), f"{'as sharp and as large' if alike else 'about as sharp'}, {kinds}"
    for name in order:
        available, _, better, words = tests[name]
        x, y = values[name]
        if available and x != y:
            return (-1 if better else 1), (f"as sharp, {words}" if name == "pixels" else f"about as sharp: {words}")
    ta, tb = a.get("_time"), b.get("_time")
    exact = a.get("_exact", True)  # (b's too: shots of one second share it, see rank_group)
    if ta is not None and tb is not None and (ta == tb or not exact and math.floor(ta) == math.floor(tb)):
        # until 2026-12-05 "taken at the same time" also of shots whose EXIF times only share their second
        when = "taken at the same time" if exact else f"taken in the same second ({NO_FRACTION})"
        if len(a.get("_name", "")) != len(b.get("_name", "")):
            return 0, f"as sharp and as large, {when}; the shorter name is kept (an original before its copies: " \
                      "IMG_1.JPG before IMG_1 (1).JPG)"
        return 0, f"as sharp and as large, {when}; the first by path is kept"
    return 0, "as sharp and as large; the earlier shot is kept"


_DIRECTION = dict(CLASSICAL_KEYS)
#: Said of shots whose EXIF times share their second, when one of them has no fraction of a second (the camera
#: wrote no ``SubSecTimeOriginal``, or the photo was scanned before 2026-12-05): which was taken first is unknown.
NO_FRACTION = "no fraction of a second known"
#: Said of two shots whose sharpness figures were not measured at one scale (:func:`_own_scale`).
NOT_COMPARABLE = "(sharpness not comparable: the smaller was measured at its own size)"


def _own_scale(a: dict, b: dict) -> bool:
    """Whether two shots' sharpness figures, the model's and the classical one alike, were not measured at one
    scale: the smaller, clearly smaller (pixels over :data:`PIXELS_MARGIN`), was analysed at its own size,
    below the analysis size (never upscaled), while the larger was scaled down to it, or is over
    :data:`PIXELS_MARGIN` longer (blur shrinks with the picture: a 1000-px export of a photo measures sharper
    than the photo scaled to 1024 px, a 32-px copy of a 512-px photo sharper than the photo). Two shots both
    analysed at their own size with long sides within the margin (a re-framed crop) were measured alike."""
    pa, pb = _pixels(a), _pixels(b)
    if not (pa and pb) or max(pa, pb) <= PIXELS_MARGIN * min(pa, pb):
        return False
    (sw, sh), (lw, lh) = sorted(((a["width"], a["height"]), (b["width"], b["height"])), key=lambda s: s[0] * s[1])
    if reaches_full_scale(sw, sh, DEFAULT_ANALYSIS_LONG_SIDE):
        return False
    scaled = analysis_size(lw, lh, DEFAULT_ANALYSIS_LONG_SIDE) != (lw, lh)
    return scaled or max(lw, lh) > PIXELS_MARGIN * max(sw, sh)


def rank_group(group: Sequence[ScanRecord], *, keeper: str | None = None,
               order: Sequence[str] = DEFAULT_ORDER, edits: Mapping[str, Sequence[str]] | None = None,
               duplicates: Mapping[str, str] | None = None, edited: Collection[str] = (),
               discarded: Collection[str] = ()) -> list[Member]:
    """Rank the shots of one burst group, best first, each with the reason for its place.

    Parameters
    ----------
    group : sequence of ScanRecord
        The shots (from :func:`~blurscan.bursts.find_groups`).
    keeper : str, optional
        Path of a keeper chosen by a person: ranked first whatever the figures; the others are ranked
        among themselves.
    order : sequence of str
        The figures in the order they are asked: ``"classical"``, ``"model"``, ``"pixels"``.
    edits : mapping, optional
        Path of a shot -> paths of the versions of it a person edited (:func:`~blurscan.bursts.twins.edits_of`;
        the edits are not in ``group``). A shot that was edited is kept (``is_keeper``), ranked before the
        shots that were not, whatever the figures: editing a shot is choosing it.
    duplicates : mapping, optional
        Path of a shot -> path of a byte-identical shot of the group that stands for it
        (:func:`~blurscan.bursts.twins.identical_copies`). A copy is not ranked: it follows the shot it
        copies, as ``duplicate of ...``, a candidate unless a person edited it. Of a set of copies, the
        ``keeper`` stands for them when it is one of them, else a copy a person edited (the file their edit
        sits beside; the other copies can go, it stays).
    edited : collection of str, optional
        Paths of shots that are themselves a version a person edited, whose original is not there
        (``IMG_E0001.JPG`` alone: :func:`~blurscan.bursts.twins.lone_edits`): kept like a shot with ``edits``.
    discarded : collection of str, optional
        Paths of shots a person marked discard: ranked after all the others, so never the keeper while one is not.

    Returns
    -------
    list of Member
        ``rank`` 1 is the keeper, and so is every shot that was edited; the others are candidates for removal.
    """
    if not group:  # nothing to rank (it raised IndexError)
        return []
    edits = {path: list(names) for path, names in (edits or {}).items() if names}
    paths = {r.path for r in group}
    copy_of = {c: o for c, o in (duplicates or {}).items() if c in paths and o in paths and c != o}
    edited = set(edited) & paths
    # the copy a person chose, else one they edited, stands for its copies (it was listed as a duplicate, taken)
    preferred = {p for p in paths if p in edits or p in edited}
    sets: dict[str, list[str]] = {}  # the shot that stands for a set of copies -> its copies
    for c, o in copy_of.items():
        sets.setdefault(o, []).append(c)
    for path in sorted(preferred):
        if copy_of.get(path) not in preferred:
            _standing(copy_of, sets, path)
    if keeper in paths:
        _standing(copy_of, sets, keeper)
    figs = figures_of(group)
    times = shot_times(group)
    # A second in which any shot's time is of whole seconds: the order of its shots is unknown (and the name
    # decides a tie), else the fractions of the second tell it (EXIF SubSecTimeOriginal, since 2026-12-05).
    known: dict[int, bool] = {}
    for record, when in zip(group, times):
        if when is not None:
            known[math.floor(when)] = known.get(math.floor(when), True) and exact_time(record)
    for record, fig, when in zip(group, figs, times):
        fig["_link"] = os.path.islink(record.path)  # (one lstat per shot of a group)
        fig["_time"] = when
        fig["_exact"] = when is None or known[math.floor(when)]
        fig["_name"] = os.path.basename(record.path)
        fig["_edited"] = record.path in edits or record.path in edited
        fig["_discarded"] = record.path in discarded
        if record.path in edits:
            fig["edits"] = edits[record.path]
        if record.path in copy_of:
            fig["duplicate_of"] = copy_of[record.path]
    copies = [(r, f) for r, f in zip(group, figs) if r.path in copy_of]
    items = [(r, f) for r, f in zip(group, figs) if r.path not in copy_of]
    # earlier shot first for ties (stable sort keeps this order); of shots taken at the same time (a duplicate
    # file), or in one second without its fractions, the shorter name: the original before its copies ("IMG_1
    # (1).JPG", "IMG_1 copy.JPG", "IMG_1-2.JPG" sort before "IMG_1.JPG" by path, and the original was proposed
    # for removal)
    items.sort(key=lambda it: (_when(it[1]), len(os.path.basename(it[0].path)), it[0].path))

    unknown = set(order) - set(DEFAULT_ORDER)
    if unknown:
        raise ValueError(f"The parameter `order` must name figures of {DEFAULT_ORDER}, got {sorted(unknown)}")

    def cmp(x, y):
        if x[1]["_discarded"] != y[1]["_discarded"]:  # a shot a person discarded, after every other
            return 1 if x[1]["_discarded"] else -1
        if keeper is not None and (x[0].path == keeper) != (y[0].path == keeper):
            return -1 if x[0].path == keeper else 1
        if x[1]["_edited"] != y[1]["_edited"]:  # a shot a person edited, like one a person chose
            return -1 if x[1]["_edited"] else 1
        return _compare(x[1], y[1], order)[0]

    items.sort(key=functools.cmp_to_key(cmp))
    if len(items) <= COPELAND_MAX:
        # The margins make the comparison intransitive at times (A beats B on the model, B beats C on the
        # classical figure, C beats A on the model): rank by pairwise wins (Copeland's method), ties in the
        # order of the sort above.
        wins = [sum(cmp(x, y) < 0 for y in items) for x in items]
        # shots with as many wins are ordered by their wins among themselves (of two, the head-to-head
        # winner comes first), then as sorted above
        tied = {w: [it for it, v in zip(items, wins) if v == w] for w in set(wins)}
        inner = [sum(cmp(x, y) < 0 for y in tied[w]) for x, w in zip(items, wins)]
        items = [it for _, _, _, it in sorted(zip((-w for w in wins), (-i for i in inner), range(len(items)),
                                                  items))]
    best_record, best_fig = items[0]
    # (every shot marked discard: ranked as if none were, not "sharpest of 0 not marked discard" and each said to
    # give way to a shot marked discard too, until 2026-12-06)
    set_apart = not best_fig["_discarded"] and any(f["_discarded"] for _, f in items)
    ranked_n = f"{sum(not f['_discarded'] for _, f in items)} not marked discard" if set_apart else f"{len(items)}"
    names = group_names(r.path for r in group)
    best_name = names[best_record.path]
    members = []
    ranked = []
    following: dict[str, list] = {}  # (not all copies read a shot: thousands of copies took the square of their number)
    for c in copies:
        following.setdefault(copy_of[c[0].path], []).append(c)
    for record, fig in items:  # each copy right after the shot it copies
        ranked += [(record, fig), *sorted(following.get(record.path, ()), key=lambda c: c[0].path)]
    for rank, (record, fig) in enumerate(ranked, start=1):
        if fig["_discarded"] and rank > 1 and set_apart:
            reason = f"you marked it discard: {best_name} is proposed instead"
        elif record.path in copy_of:
            reason = f"duplicate of {names[copy_of[record.path]]} (same size and content)"
            if fig["_edited"]:
                reason += f"; {kept_too_reason(edits.get(record.path), record.path)}"
        elif fig["_edited"] and not (keeper is not None and record.path == keeper):
            kept_why = kept_first_reason if rank == 1 else kept_too_reason  # (a person's edit, a phone's picture)
            reason = kept_why(edits.get(record.path), record.path)
        elif rank == 1:
            if keeper is not None and record.path == keeper:
                reason = "chosen by a person"
            elif len(items) == 1:
                reason = "only shot; the others are copies of it"
            elif len(items) > 1 and items[1][1]["_discarded"] and not fig["_discarded"]:
                reason = "the only shot you did not mark discard"
            elif len(items) > 1:
                runner_record, runner_fig = items[1]
                verdict, words = _compare(fig, runner_fig, order)
                lead = "sharpest" if verdict < 0 and "more pixels" not in words and "symbolic" not in words \
                    and NOT_COMPARABLE not in words else "best"
                if verdict > 0:  # a cycle (A beats B beats C beats A): first on wins over the whole group
                    reason = (f"best of {ranked_n} on wins over the whole group, though "
                              f"{names[runner_record.path]} beats it alone: {words}")
                else:
                    reason = (f"{lead} of {ranked_n}: {words} (next: {names[runner_record.path]})" if verdict
                              else words)
            else:
                reason = "only shot"
        else:
            verdict, words = _compare(best_fig, fig, order)
            if keeper is not None and best_record.path == keeper:
                reason = f"a person chose {best_name}"
            elif best_fig["_edited"]:
                if verdict > 0:
                    words = f"though this shot is sharper: {_compare(fig, best_fig, order)[1]}"
                reason = f"{best_name} is kept, {kept_for(edits.get(best_record.path))}; " + (
                    f"it is better: {words}" if verdict < 0 else words if verdict > 0 else f"as good: {words}")
            elif verdict > 0:
                reason = f"beats {best_name} alone ({_compare(fig, best_fig, order)[1]}), but {best_name} wins " \
                         "more of the group's comparisons"
            elif verdict == 0:
                reason = f"as good as {best_name}: {words}"
            else:
                reason = f"{best_name} is better: {words}"
        public = {k: v for k, v in fig.items() if not k.startswith("_")}
        kept = rank == 1 or fig["_edited"]  # an edited copy too: its edit sits beside it
        members.append(Member(path=record.path, rank=rank, is_keeper=kept, reason=reason, figures=public,
                              captured_at=record.captured_at, captured_subsec=subsec(record)))
    return members


def _when(fig: dict) -> float:
    """A shot's time as ties are ordered by it: its second alone where the fractions are not all known."""
    return (fig["_time"] or 0.0) if fig["_exact"] else math.floor(fig["_time"] or 0.0)


def _standing(copy_of: dict[str, str], sets: dict[str, list[str]], path: str) -> None:
    """``copy_of`` (copy -> the shot that stands for it) changed for ``path`` to stand for its copies, found in
    ``sets`` (that shot -> its copies, kept alike; until 2026-12-06 all the burst's copies were read each time)."""
    if (old := copy_of.pop(path, None)) is not None:
        sets[path] = [c for c in sets.pop(old) if c != path and copy_of.get(c) == old] + [old]
        copy_of.update(dict.fromkeys(sets[path], path))


def format_figure(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def _pair(a: float, b: float, fmt=None) -> str:
    """``"0.08 vs 0.71"``: two figures as shown (p_blurry with two decimals, a classical figure with ``fmt``), or
    with as many more digits (up to three more) as it takes to show that they differ ("about as sharp: subject
    p_blurry 0.03 vs 0.03" told nobody why one shot won)."""
    for extra in range(4):
        if fmt is None:
            x, y = f"{a:.{2 + extra}f}", f"{b:.{2 + extra}f}"
        elif extra == 0:
            x, y = fmt(a), fmt(b)
        else:
            x, y = f"{a:.{3 + extra}g}", f"{b:.{3 + extra}g}"
        if x != y:
            break
    return f"{x} vs {y}"


def _rounded(value):
    if isinstance(value, float):
        return round(value, 4) if math.isfinite(value) else None
    return value
