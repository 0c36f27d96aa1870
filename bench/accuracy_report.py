"""The markdown page of bench/accuracy.py (``docs/benchmarks-accuracy.md``): formatting only, no measuring."""
from __future__ import annotations

import math
import os
import platform

import baselines


def pct(v) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{100 * v:.1f} %"


def auc(v) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.3f}"


def speed_cell(ms: float | None, base: float) -> str:
    return "–" if ms is None else f"{ms:.0f} ({ms / base:.1f}x)"


def _summary(syn_ev, real_ev, mf_ev, gopro_sharp_lap: float) -> str:
    """A few sentences stating what the table shows (figures only, no judgement beyond them)."""
    real = real_ev.detectors
    aucs = {n: m.get("roc_auc") for n, m in real.items() if m.get("roc_auc") is not None
            and not math.isnan(m["roc_auc"])}
    best_auc = max(aucs, key=aucs.get) if aucs else None
    (tn, fp), (fn, tp) = real["blurscan"]["confusion"]
    lap = real["laplacian@100"]["confusion"]
    parts = []
    if best_auc:
        parts.append(f"On the real photos the best ranking (ROC AUC) is {best_auc}'s ({aucs[best_auc]:.3f}).")
    parts.append(f"blurscan finds {tp} of {tp + fn} real blurred photos and calls {fp} of {tn + fp} real sharp "
                 f"ones blurry; the Laplacian at 100 calls {lap[0][1]} of {sum(lap[0])} real sharp photos blurry "
                 f"(the sharp GoPro frames have a median Laplacian variance of {gopro_sharp_lap:.0f}).")
    mfb = mf_ev.detectors["blurscan"]["partial"]
    parts.append(f"Of the multi-focus photos blurscan calls {pct(mfb['called_blurry'])} blurry and "
                 f"{pct(mfb.get('called_partial'))} partial.")
    return " ".join(parts)


def _ranking_note(bal_acc, roc) -> str:
    """Say so when the scores rank well but the operating point is what costs the accuracy."""
    if roc is None or math.isnan(roc) or roc < 0.95 or bal_acc is None or bal_acc >= 0.9:
        return ""
    return ("; the scores rank those images well, so what keeps the balanced accuracy down is where the "
            "precision-first operating point cuts, see the model card")


def operating_point_text(op) -> str:
    """The model's thresholds in words, e.g. "0.787 below 1024 px, 0.701 at 1024 px"."""
    if not op:
        return "none"
    if "threshold_full_size" not in op:
        return f"{op['threshold']:.3f}"
    return f"{op['threshold']:.3f} below {op['full_size']} px, {op['threshold_full_size']:.3f} at {op['full_size']} px"


def sweep_table(rows, op) -> str:
    lines = ["| p_blurry cut-off | synthetic test bal. acc. | without min-filter | real bal. acc. "
             "| multifocus called blurry |", "|---:|---:|---:|---:|---:|"]
    for r in rows:
        cut = f"**the model's** ({operating_point_text(op)})" if r["cut"] is None else f"{r['cut']:.2f}"
        lines.append(f"| {cut} | {pct(r['synthetic'])} | {pct(r['synthetic_optical'])} "
                     f"| {pct(r['real'])} | {pct(r['multifocus_called_blurry'])} |")
    return "\n".join(lines)


def blur_type_table(rows: dict[str, dict]) -> str:
    """The ``blur_type`` table of :func:`bench.accuracy.blur_types`' rows."""
    lines = ["| blurred images (true kind) | images | called blurry | of those, type right "
             "| given a type (blurry or partial) | of those, type right |", "|---|---:|---:|---:|---:|---:|"]
    for name, r in rows.items():
        lines.append(f"| {name} | {r['n']} | {r['called_blurry']} | {pct(r['right_of_blurry'])} "
                     f"| {r['typed']} | {pct(r['right_of_typed'])} |")
    return "\n".join(lines)


def render_doc(table, target_lines, subsets, by_kind, syn_optical, syn_optical_auc, sweep_rows, op, cuhk, syn_ev, real_ev, mf_ev, syn_cuts,
               real_cuts, model_version, n: dict[str, int], ms, have_cv, gopro_sharp_lap, type_rows=None,
               intervals: str = "") -> str:
    """``n``: images per set (synthetic, real, multifocus, night, subject, other); ``type_rows``: see
    :func:`blur_type_table`; ``intervals``: the section of bench/accuracy_intervals.py (how sure the figures are)."""
    syn_cm = syn_ev.detectors["blurscan"]["confusion"]
    real_cm = real_ev.detectors["blurscan"]["confusion"]
    sub_lines = ["| subset, true class | images | blurscan: called blurry | blurscan: called partial "
                 "| laplacian@100: called blurry |",
                 "|---|---:|---:|---:|---:|"]
    for g, s in subsets.items():
        sub_lines.append(f"| {g} | {s['n']} | {pct(s['blurscan_blurry'])} | {pct(s['blurscan_partial'])} "
                         f"| {pct(s['laplacian_blurry'])} |")
    kind_lines = ["| synthetic test, kind | images | blurscan: called blurry | blurscan: called partial "
                  "| laplacian@100: called blurry |", "|---|---:|---:|---:|---:|"]
    for g, s in by_kind.items():
        kind_lines.append(f"| {g.replace('synthetic-', '')} | {s['n']} | {pct(s['blurscan_blurry'])} "
                          f"| {pct(s['blurscan_partial'])} | {pct(s['laplacian_blurry'])} |")
    cuhk_lines = [f"- `{r.file}` ({r.set}, partial blur): blurscan `{rec.verdict}`"
                  + (f" (p_blurry {rec.p_blurry:.2f})" if rec.p_blurry is not None else "")
                  + f", Laplacian variance {rec.laplacian_var:.0f}" for r, rec in cuhk if rec.status == "ok"]
    cpu = platform.processor() or platform.machine()
    summary = _summary(syn_ev, real_ev, mf_ev, gopro_sharp_lap)
    return f"""# Accuracy benchmark

Measured by `bench/accuracy.py` (blurscan model `{model_version or 'none'}`; {os.cpu_count()} cores, {cpu};
each detector in one process, one thread; ms / image includes decoding the file; the machine is shared, so
compare the ratios to the Laplacian seed path timed in the same run rather than the absolute figures).

{table}

`blurscan` calls a photo blurry at the model's operating point (`p_blurry` at or above the threshold stored in
the model: {operating_point_text(op)}; chosen in training so that at most 3 % of the sharp synthetic validation
photos of each size are flagged: precision first); `blurscan@0.5` cuts the same scores at 0.5, to show what
that choice trades.
`@best`: the cut-off that maximises balanced accuracy **on that very set** (fitted on the answers, so it
is an optimistic ceiling for a threshold rule, not a result a user could get). For the multifocus column the
cut-off fitted on the real set is used. Fitted cut-offs: Laplacian {real_cuts.get('laplacian', float('nan')):.1f} (real),
{syn_cuts.get('laplacian', float('nan')):.1f} (synthetic); FFT {real_cuts.get('fft', float('nan')):.2f} (real), \
{syn_cuts.get('fft', float('nan')):.2f} (synthetic). No one cut-off serves both sets: that is the problem with a fixed threshold
on one global sharpness number.

{summary}

{intervals}
## Other cut-offs

`p_blurry` is in every JSONL record, so a script can choose its own cut. What each choice trades, on every set
at once (the model's own operating point was fixed in training, on synthetic validation photos, not on these
sets):

{sweep_table(sweep_rows, op) if sweep_rows else '(no model)'}

## Targets

{chr(10).join(target_lines)}

## Sets

- **synthetic test** ({n['synthetic']} images): every sharp synthetic-blur source of `../shared/data` whose split is
  `test` (held out from training by `blurscan.synth.recipes.split_of`, seed 0), written three times through
  the camera pipeline of `blurscan.synth` (linear light, sensor noise, sharpening, JPEG): unblurred, a
  *moderate* and a *strong* uniform blur (kind drawn from defocus, camera shake, Gaussian, linear motion,
  box, min-filter). Confusion of blurscan `[[TN FP] [FN TP]]`: {syn_cm}.
- **real** ({n['real']} sharp or blurry images, plus the 2 CUHK partial-blur photos below): the GoPro
  evaluation recordings (`blurscan.datasets.gopro_split`: real motion blur made by averaging 240-fps frames,
  and the sharp frames of the same videos; the calibration recordings are left out), Levin et al. 2009
  (sharp photos and the same photos blurred by 8 measured camera-shake kernels), scikit-image's
  `clock_motion` (a real hand-held photo; the other scikit-image photos are synthetic-blur sources, so they
  are not used as real sharp examples here). Confusion of blurscan: {real_cm}.
- **night shots** ({n['night']} images): the synthetic test's sources made night scenes
  (`blurscan.model.data.night_scene`: exposure 0.04-0.3 in linear light, 3-40 small lamps painted as clipped
  white, which the camera pipeline's highlight extension lifts far above white), each written three times:
  held still, a *moderate* camera shake, and a *strong* camera shake or linear motion, where the lamps smear
  into saturated, hard-edged streaks (the issue's first model missed these).
- **small subjects** ({n['subject']} images): the synthetic test's sources, each written three times: a sharp
  elliptic subject covering 5 % and 10 % of the frame (near the photo's most detailed place) with the rest
  defocused (a 24-px disk at the 1024-px scale: strong blur, in linear light), and the photo defocused all
  over. The subject photos are the sharp class (a soft background is intended; `partial` is the right answer), the
  defocused ones the blurry class. Composed by the benchmark itself, not by the training data's generator
  (the issue's first model flagged photos whose sharp subject covers under a tenth of the frame).
- **other generators** ({n['other']} images): photos blurred by other people's code, with their sharp
  frames (`blurscan.datasets.other_generators`): div2k photos blurred by named box, Gaussian, triangle and
  pixel-motion kernels (2040 px), and NYU depth indoor frames blurred by synthetic camera rotation and
  translation (580 x 420); each distinct sharp frame counted once. Not blurscan's generator, so it shows
  whether the model learnt blur or the quirks of `blurscan.synth`. The sharp frames are copies or crops of
  synthetic-blur sources that training used, so only the blurred side is unseen; the blur is uniform and the
  files are clean renders (no sensor noise), which suits a global sharpness number such as the Laplacian.
- **recompressed** ({n.get('recompressed', 0)} images): the synthetic test's sharp sources as they are (not through
  the camera pipeline), re-saved at JPEG quality 90, at quality 30, and halved at quality 40, as web and
  messenger copies are. All sharp: JPEG blocking and a resize's softness are not blur to flag, so the share
  called blurry is a false-alarm rate.
- **bordered** ({n.get('bordered', 0)} images): the synthetic test's sources, sharp and with a *strong* blur (defocus,
  shake, Gaussian or linear motion) through the camera pipeline, then given flat borders as pictures get them
  after they were taken: black letterbox or pillarbox bars (8-20 % of the side each) or a white frame (2-6 %).
  The border's edge against the picture is hard; blurscan leaves flat borders out before the model looks
  (`grid_box` in the JSONL says what the grid covers), so a blurred photo should stay `blurry`.
- **multifocus** ({n['multifocus']} images): real photos, each partly in focus (one scene focused near, then far). None
  should be called wholly `blurry`; `partial` is the right answer.

Per subset:

{chr(10).join(sub_lines)}

Per kind of synthetic blur (the min-filter is the blog's erosion, not a lens or camera blur; without those
images blurscan's balanced accuracy on the synthetic test is **{pct(syn_optical)}** and its ROC AUC
{auc(syn_optical_auc)}{_ranking_note(syn_optical, syn_optical_auc)}):

{chr(10).join(kind_lines)}

## Blur type

`blur_type` names the kind of blur (`defocus` or `motion`) of every photo not called `sharp`. How often it is
right, on the blurred images whose true kind is known (Gaussian and box blur count as `defocus`, camera shake
and linear motion as `motion`, the soft part of a multi-focus photo as `defocus`, where `partial` is the right
verdict; the min-filter is neither and is left out):

{blur_type_table(type_rows) if type_rows else '(no model)'}

CUHK partial-blur photos (reported apart: partly blurred, so `partial` is the expected verdict):

{chr(10).join(cuhk_lines) or '- (not scored)'}

## Detectors

- **blurscan**: `verdict == "blurry"` (a `partial` verdict counts as not blurry); ROC from `p_blurry`.
- **laplacian@100**: variance of the 3x3 Laplacian of the full-resolution grayscale image (Pech-Pacheco et al.,
  ICPR 2000), blurry below 100: the seed's rule and the most common recipe on the web.
- **fft@{baselines.FFT_THRESHOLD:g}**: the FFT high-frequency method (the idea: Liu, Li & Jia, CVPR 2008; the recipe people copy:
  Rosebrock, PyImageSearch 2020): resize to 500 px wide, zero the 120 x 120 lowest frequencies, inverse FFT,
  mean of `20 ln |.|`; blurry at or below {baselines.FFT_THRESHOLD:g}.
- **cleanvision**: CleanVision's `blurry` issue check with its defaults (edge strength of a 64-px
  thumbnail){'' if have_cv else ' — not installed in this run (`pip install cleanvision`), so not shown'}.

## Reproduce

```
make install-dev
.venv/bin/pip install cleanvision     # optional: the `bench` extra, for the CleanVision row
.venv/bin/python bench/accuracy.py    # ~ a few minutes on 2 cores; caches bench/out/synth-test/
```

`bench/accuracy.py` rewrites this page, docs/benchmarks-accuracy.md, with the figures of the run (its model's,
the CleanVision row only when installed); `--no-write` prints the tables and leaves the page as it is.

`blurscan evaluate MANIFEST` prints the same kind of metrics for any labelled CSV (e.g.
`../shared/data/manifest.csv` with `--set levin2009`, or the `manifest.csv` of `blurscan synth` with `--split
test`); plots and `metrics.json` go to `--out`. With `--set levin2009 --set gopro` its figures are not those of
the real set above: that selection holds the 14 GoPro calibration frames the model's image rule was fitted on (a
note says so) and not `clock_motion`; [docs/evaluate.md](evaluate.md) shows the manifest of the real set.
`bench/out/accuracy.json` holds every figure of this page, `bench/out/accuracy-images.csv` every image's scores,
`bench/out/plots-*/` the ROC and confusion plots.
"""

