"""The figures of real labelled photos a freshly trained model is judged on, for the run's closing lines and the
model card (training side; numpy + runtime): the shared data set's real-evaluation sets (:func:`real_tables`,
:func:`real_lines`), and a person's own labelled photos
of the test split, held out (:func:`own_test_table`, :func:`own_test_line`, :func:`own_test_lines`), each beside the
Laplacian@100 baseline on the same files.

Real images are scored through :mod:`blurscan.model.runtime` exactly as the scan does (decoded with
:func:`blurscan.decode.decode`), so the figures are the shipped behaviour. (Split from :mod:`.report` on
2026-12-07, which had reached 498 lines.)
"""
from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)

def _decode(path):
    from ..decode import decode

    return decode(path)


def balanced_accuracy(y_true, y_pred) -> float:
    y_true, y_pred = np.asarray(y_true, bool), np.asarray(y_pred, bool)
    recalls = [float((y_pred[y_true == c] == c).mean()) for c in (True, False) if (y_true == c).any()]
    return float(np.mean(recalls)) if recalls else float("nan")


def laplacian_full(path) -> float:
    import cv2

    d = _decode(path)
    if d.laplacian_var is not None:
        return float(d.laplacian_var)
    g = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    return float(cv2.Laplacian(g, cv2.CV_64F).var())


def real_tables(model_path, entries) -> dict:
    """Real labelled images (evaluation parts only) scored by the exported model vs Laplacian@100.

    Photos labelled partly blurred (:attr:`blurscan.datasets.Entry.partial`: the CUHK ``partial-motion`` and
    ``partial-defocus`` photos) have ``partial`` as their right verdict: as ``blurscan evaluate`` and
    ``bench/accuracy.py`` do, they are left out of ``by_set`` (the binary figures) and listed in ``partial``.
    """
    from .. import datasets
    from ..config import LAPLACIAN_THRESHOLD
    from ..intervals import balanced_accuracy_intervals, wilson
    from .runtime import load

    if not entries:
        return {}
    clf = load(model_path)
    evaluation = [e for e in datasets.real_evaluation(entries) if e.path.is_file()]
    rows = []
    for e in evaluation:
        d = _decode(e.path)
        out = clf.predict(d)
        lap = d.laplacian_var if d.laplacian_var is not None else laplacian_full(e.path)
        rows.append({"set": e.set, "file": e.file, "blurry": e.blurry, "verdict": out.verdict,
                     "p_blurry": out.p_blurry, "blur_type": out.blur_type, "lap_blurry": lap < LAPLACIAN_THRESHOLD,
                     "partial": e.partial, "label_blur_type": e.blur_type})
    binary = [r for r in rows if not r["partial"]]
    mf = [e for e in datasets.multifocus(entries) if e.path.is_file()]
    if not rows and not mf:  # a person's own manifest (sets of their own): nothing here to report, no figure made
        return {}            # of no photo (until 2026-12-07 the card's targets read "+nan" and "0.0 % ... yes")
    by_set = {}
    for s in sorted({r["set"] for r in binary}) + (["all"] if binary else []):
        sel = [r for r in binary if s == "all" or r["set"] == s]
        by_set[s] = {
            "n": len(sel), "n_blurry": sum(r["blurry"] for r in sel),
            "model": balanced_accuracy([r["blurry"] for r in sel], [r["verdict"] == "blurry" for r in sel]),
            "model_flagged": balanced_accuracy([r["blurry"] for r in sel], [r["verdict"] != "sharp" for r in sel]),
            "laplacian": balanced_accuracy([r["blurry"] for r in sel], [r["lap_blurry"] for r in sel]),
        }
    # 95 % intervals (blurscan.intervals): bootstrap by recording / photo, the difference resampled jointly
    if binary:
        by_set["all"]["intervals"] = balanced_accuracy_intervals(
            [r["blurry"] for r in binary], {"model": [r["verdict"] == "blurry" for r in binary],
                                            "laplacian": [r["lap_blurry"] for r in binary]},
            [datasets.photo_group(r["set"], r["file"]) for r in binary], reference="laplacian")
    verdicts = [clf.predict(_decode(e.path)).verdict for e in mf]
    multi = {v: verdicts.count(v) / max(len(verdicts), 1) for v in ("sharp", "partial", "blurry")}
    multi["n"] = len(verdicts)
    multi["blurry_interval"] = wilson(verdicts.count("blurry"), len(verdicts))
    return {"by_set": by_set, "rows": binary, "partial": [r for r in rows if r["partial"]], "multifocus": multi}


def pct(x) -> str:
    return "n/a" if x is None or not np.isfinite(x) else f"{100 * x:.1f} %"


def real_lines(real: dict) -> list[str]:
    """The card's section on the real labelled photos (:func:`real_tables`); ``[]`` without them."""
    if not real:
        return []
    lines = ["### Real labelled photos (evaluation parts; the GoPro calibration recordings excluded)", "",
             "Balanced accuracy; *model* counts only `blurry` as a detection, *flagged* counts "
             "`partial` too; Laplacian@100 is the seed baseline on the same files. Photos labelled partly blurred "
             "(`partial-...` in the manifest) are left out, as `blurscan evaluate` and `bench/accuracy.py` leave "
             "them out: `partial` is their right verdict (listed below).", "",
             "| set | images | blurry | model | flagged | Laplacian@100 |", "|---|---:|---:|---:|---:|---:|"]
    for s, r in real["by_set"].items():
        lines.append(f"| {s} | {r['n']} | {r['n_blurry']} | {pct(r['model'])} | {pct(r['model_flagged'])} "
                     f"| {pct(r['laplacian'])} |")
    if not real["by_set"]:
        lines = lines[:-2] + ["No real photo labelled sharp or blurry among the data's evaluation sets."]
    only = one_class(real["by_set"].get("all"))
    if only:
        lines += ["", f"Every real photo here is {only}: balanced accuracy needs sharp and blurry photos, so the "
                  f"figures above are only the share of the {only} photos called right (the targets below are not "
                  "judged on them)."]
    m = real["multifocus"]
    if m["n"]:
        lines += ["", f"Multi-focus photos (each partly in focus; {m['n']} images): called blurry "
                  f"**{pct(m['blurry'])}**, partial {pct(m['partial'])}, sharp {pct(m['sharp'])}."]
    lines.append("")
    lines += _misclassified(real["rows"], "Misclassified real images:")
    partial = real.get("partial") or []
    if partial:
        lines += ["Partial-labelled real images (partial is the right verdict; not in the table above):", ""]
        lines += [f"- `{r['file']}`: label {r['label_blur_type']}, verdict {r['verdict']} "
                  f"(p_blurry {r['p_blurry']:.2f})" for r in partial]
        lines.append("")
    return lines


def one_class(allr: dict | None) -> str:
    """``"blurry"`` or ``"sharp"`` when the real photos scored (``by_set["all"]``) are all of that one class, else
    ``""``: their balanced accuracy is then one class's recall, no figure to judge a target by."""
    if not allr or "n_blurry" not in allr or not allr.get("n"):
        return ""
    return "blurry" if allr["n_blurry"] == allr["n"] else "sharp" if allr["n_blurry"] == 0 else ""


def own_test_table(model_path, photos) -> dict:
    """The person's own labelled real photos of the test split (:func:`blurscan.model.own_rows.own_photos`: held
    out, neither the network nor the image rule saw them), scored as :func:`real_tables` scores the shared data
    set's real-evaluation photos: ``{"n", "n_blurry", "model", "model_flagged", "laplacian"`` (balanced accuracies,
    as ``real_tables``' ``by_set`` entries), ``"called_right": {"model" | "laplacian": {"blurry" | "sharp": (right,
    of)}}, "rows"}``; ``{}`` when there is none. A photo that cannot be read is skipped, named on stderr. (Until
    2026-12-07 they were only counted, "held out (test split, not used)": a person training on their own photos
    was told nothing of how the model does on them.)"""
    from ..config import LAPLACIAN_THRESHOLD
    from ..errors import BlurscanError
    from .runtime import load

    held = [p for p in photos if p.split == "test"]
    if not held:
        return {}
    clf = load(model_path)
    rows = []
    for photo in held:
        try:
            d = _decode(photo.path)
            lap = d.laplacian_var if d.laplacian_var is not None else laplacian_full(photo.path)
        except BlurscanError as exc:
            log.warning("warning: skipped %s", exc)
            continue
        out = clf.predict(d)
        rows.append({"file": photo.key, "blurry": bool(photo.label), "verdict": out.verdict, "p_blurry": out.p_blurry,
                     "lap_blurry": bool(lap < LAPLACIAN_THRESHOLD)})
    if not rows:
        return {}
    y = [r["blurry"] for r in rows]
    calls = {"model": [r["verdict"] == "blurry" for r in rows], "laplacian": [r["lap_blurry"] for r in rows]}
    right = {name: {c: (sum(1 for t, p in zip(y, called) if t == (c == "blurry") and p == t),
                        sum(1 for t in y if t == (c == "blurry"))) for c in ("blurry", "sharp")}
             for name, called in calls.items()}
    return {"n": len(rows), "n_blurry": sum(y), "model": balanced_accuracy(y, calls["model"]),
            "model_flagged": balanced_accuracy(y, [r["verdict"] != "sharp" for r in rows]),
            "laplacian": balanced_accuracy(y, calls["laplacian"]), "called_right": right, "rows": rows}


def _called_right(right: dict) -> str:
    """``blurry 3 of 4, sharp 5 of 6`` (a class with no photo left out)."""
    return ", ".join(f"{c} {k} of {n}" for c, (k, n) in right.items() if n)


def own_test_line(own: dict) -> str:
    """The run's closing line on the person's held-out photos (:func:`own_test_table`), as the shared sets' ``real
    evaluation: ...`` line: ``your held-out photos (test split): balanced accuracy 87.5 % (Laplacian@100: 62.5 %,
    6 photos; called right: blurry 2 of 2, sharp 3 of 4)``."""
    only = one_class(own)
    n = own["n"]
    return (f"your held-out photos (test split): {f'{only} photos only, called right' if only else 'balanced accuracy'}"
            f" {pct(own['model'])} (Laplacian@100: {pct(own['laplacian'])}, {n} photo{'s' if n != 1 else ''}; "
            f"called right: {_called_right(own['called_right']['model'])})")


def own_test_lines(own: dict) -> list[str]:
    """The card's section on the person's held-out photos (:func:`own_test_table`); ``[]`` without them."""
    if not own:
        return []
    right = own["called_right"]
    lines = ["### Your labelled real photos held out (test split)", "",
             "Your own labelled photos that fell in the test split: neither the network nor the image rule saw them. "
             "Balanced accuracy; *model* counts only `blurry` as a detection, *flagged* counts `partial` too; "
             "Laplacian@100 is the seed baseline on the same files.", "",
             "| images | blurry | model | flagged | Laplacian@100 |", "|---:|---:|---:|---:|---:|",
             f"| {own['n']} | {own['n_blurry']} | {pct(own['model'])} | {pct(own['model_flagged'])} "
             f"| {pct(own['laplacian'])} |", "",
             f"Called right: {_called_right(right['model'])} (Laplacian@100: {_called_right(right['laplacian'])})."]
    only = one_class(own)
    if only:
        lines += ["", f"Every one of them is {only}: balanced accuracy needs sharp and blurry photos, so the figures "
                  f"above are only the share of the {only} photos called right."]
    lines.append("")
    return lines + _misclassified(own["rows"], "Misclassified:")


def _misclassified(rows: list[dict], heading: str) -> list[str]:
    """The card's list of the photos ``rows`` whose verdict is not their label (``blurry`` against the rest), under
    ``heading``; nothing when there is none."""
    wrong = [r for r in rows if (r["verdict"] == "blurry") != r["blurry"]]
    if not wrong:
        return []
    return [heading, "", *(f"- `{r['file']}`: label {'blurry' if r['blurry'] else 'sharp'}, verdict {r['verdict']} "
                           f"(p_blurry {r['p_blurry']:.2f})" for r in wrong), ""]
