"""How sure the figures of ``bench/accuracy.py`` are: 95 % confidence intervals of its balanced accuracies, of the
multi-focus "called blurry" rate, and of blurscan's lead over the Laplacian at 100 (:mod:`blurscan.intervals`:
a bootstrap with a fixed seed, 2,000 resamples, by source photo; a Wilson interval for the rate).

The images of each set are grouped by the photo they come from before resampling (:func:`cluster_of`): the
sharp, moderate and strong versions of one source photo in the sets this benchmark writes; the frames of one
GoPro recording (near-duplicates of one scene, sharp and blurred); Levin et al.'s photo and its 8 blurred
copies; the frames of other generators that share one sharp frame. Resampling images instead would count one
photo's versions as independent evidence, and the intervals would come out too narrow.
"""
from __future__ import annotations

import textwrap
from pathlib import PurePosixPath

import numpy as np

from blurscan import datasets
from blurscan.intervals import BOOTSTRAP_RESAMPLES, balanced_accuracy_intervals, span, wilson

#: The sets with an interval, as the table names them; "multifocus" is a rate (Wilson), the others balanced
#: accuracies (bootstrap by :func:`cluster_of`).
SETS = (("synthetic", "synthetic test bal. acc."), ("real", "real bal. acc."),
        ("multifocus", "multifocus called blurry"), ("night", "night shots bal. acc."),
        ("subject", "small subjects bal. acc."), ("other", "other generators bal. acc."))
#: The comparison the README makes: blurscan against the seed's rule, resampled jointly.
PAIR = ("blurscan", "laplacian@100")
#: The sets bench/accuracy_sets.py writes: ``<source's hash>-<i>-<variant>.jpg``, one hash per source photo.
WRITTEN = ("synthetic-", "night-", "subject-", "recompressed-", "bordered-")


def cluster_of(row) -> str:
    """The photo (or recording) the image of ``row`` (a :class:`~blurscan.manifest_rows.ManifestRow`) comes from."""
    name = PurePosixPath(row.file).name
    if (row.set or "").startswith(WRITTEN):
        return f"source:{name.split('-', 1)[0]}"
    return datasets.photo_group(row.set, row.file)  # the shared data's: recordings, Levin's photos, ...


def measure(kept: dict) -> dict:
    """``kept``: set name -> ``(rows, y, partial, calls)`` as ``evaluate_set`` scored them (``calls``: detector
    -> its blurry call per row). Returns set -> ``{detector: (lo, hi)}``, with ``"blurscan - laplacian@100"``
    among them where both ran, and ``"_clusters"`` (photos the set's images come from) for each bootstrapped set."""
    out: dict = {}
    for name, (rows, y, partial, calls) in kept.items():
        if name == "multifocus":
            out[name] = {d: wilson(int(c[partial].sum()), int(partial.sum())) for d, c in calls.items()}
            out[name]["_n"] = int(partial.sum())
            continue
        binary = ~partial
        keys = [cluster_of(r) for r, b in zip(rows, binary) if b]
        ref = PAIR[1] if PAIR[1] in calls and PAIR[0] in calls else None
        got = balanced_accuracy_intervals(y[binary], {d: c[binary] for d, c in calls.items()}, keys, reference=ref)
        out[name] = {d: v for d, v in got.items() if " - " not in d or d == f"{PAIR[0]} - {PAIR[1]}"}
        out[name]["_clusters"] = len(set(keys))
        if name == "real" and ref:  # what resampling images would say: for the page's comparison of the two
            pair = {d: calls[d][binary] for d in PAIR}
            out[name]["_by_image"] = balanced_accuracy_intervals(y[binary], pair, reference=ref)
    return out


def table(ci: dict, points: dict, names) -> str:
    """The intervals table: a row per detector (``points``: set -> detector -> its figure, the main table's),
    ``figure (lo-hi)``, and a last row with blurscan's difference from the Laplacian at 100."""
    sets = [(key, head) for key, head in SETS if key in ci]
    lines = ["| detector | " + " | ".join(h for _, h in sets) + " |", "|---|" + "---:|" * len(sets)]
    for name in names:
        cells = [_cell(points.get(k, {}).get(name), ci[k].get(name)) for k, _ in sets]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    diff = f"{PAIR[0]} - {PAIR[1]}"
    if any(diff in ci[k] for k, _ in sets):
        cells = []
        for k, _ in sets:
            a, b = points.get(k, {}).get(PAIR[0]), points.get(k, {}).get(PAIR[1])
            cells.append(_cell(None if a is None or b is None or diff not in ci[k] else a - b, ci[k].get(diff), True))
        lines.append(f"| {PAIR[0]} − {PAIR[1]} (points) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(point, bounds, signed=False) -> str:
    if point is None or bounds is None or (isinstance(point, float) and np.isnan(point)):
        return "–"
    shown = f"{100 * point:+.1f}" if signed else f"{100 * point:.1f} %"
    return f"{shown} ({span(bounds, signed)})"


def target_note(ci: dict, key: str, detector: str = PAIR[0]) -> str:
    """`` (lo-hi)`` to put after a target's measured figure, ``""`` when there is none."""
    bounds = ci.get(key, {}).get(detector)
    return f" ({span(bounds, ' - ' in detector)})" if bounds else ""


def _by_image(ci: dict, key: str) -> str:
    bounds = ci.get("real", {}).get("_by_image", {}).get(key)
    return span(bounds, " - " in key) if bounds else "–"


def section(ci: dict, intervals_table: str) -> str:
    """The page's section: what the intervals are and how they were drawn."""
    n = {k: v.get("_clusters") for k, v in ci.items() if isinstance(v, dict)}
    written = sorted({n.get(k) for k in ("synthetic", "night", "subject") if n.get(k)})
    sources = " / ".join(str(v) for v in written) or "–"
    text = (f"95 % confidence intervals (`bench/accuracy_intervals.py`, `blurscan.intervals`): how far each figure "
            f"could move with another draw of photos of the same kind. Balanced accuracies: a percentile bootstrap, "
            f"{BOOTSTRAP_RESAMPLES:,} resamples with a fixed seed, that draws whole **source photos**, not images. "
            f"The synthetic, night and small-subject sets hold three versions of each of {sources} source photos; "
            f"the real set's images come from {n.get('real')} photos or recordings (each GoPro recording is one: its "
            f"frames are near-duplicates of one scene; each Levin photo with its 8 blurred copies is one; the clock "
            f"is one); the other generators' from {n.get('other')} sharp frames. Drawing images would count one "
            f"photo's versions as independent evidence and give narrower intervals than the data support. The draws "
            f"are stratified (photos with both classes, blurry only, sharp only, each drawn from its own kind), so "
            f"every resample keeps both classes. The last row resamples the two detectors jointly (the same draws): "
            f"it, not two overlapping intervals, says whether one beats the other. The multi-focus rate is a Wilson "
            f"score interval over its {ci.get('multifocus', {}).get('_n')} photos (two focus settings of each scene, "
            f"so somewhat narrower than a by-scene interval would be). With so few real photos and recordings (the "
            f"Laplacian's misses are most of one GoPro recording's sharp frames), read the real column's intervals as "
            f"a rough guide; resampling the real images one by one, as if every frame were its own photo, would give "
            f"blurscan {_by_image(ci, PAIR[0])} and the difference {_by_image(ci, f'{PAIR[0]} - {PAIR[1]}')} points.")
    return "## How sure are these figures\n\n" + textwrap.fill(text, 112, break_on_hyphens=False) + \
        f"\n\n{intervals_table}\n"
