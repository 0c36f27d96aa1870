"""The training defaults of the shipped model: plain numbers, no imports, so that ``blurscan train --help`` shows
the default epochs without loading numpy, OpenCV and the rest of :mod:`blurscan.model.train` (which re-exports
``DEFAULTS``: ``train.DEFAULTS`` is what the docs cite)."""
from __future__ import annotations

#: Each training window's contrast (around its mean) is scaled by a factor drawn log-uniformly from this range.
#: Blur lowers contrast, and the per-window normalisation does not stop a network from learning "low contrast
#: = blurred": trained without it, a sharp photo (scikit-image's `camera`) at a quarter of its contrast went from
#: a median region p_blur of 0.04 to 0.27 (with it: 0.03 to 0.07), and dark or hazy sharp photos (Levin's,
#: GoPro frames of asphalt) were called blurry or partial.
CONTRAST_RANGE = (0.2, 1.0)

#: Defaults of the shipped model (``blurscan train ../shared/data --out src/blurscan/models/default.onnx``).
#: torch runs single-threaded by default: on the shared 2-core machine two OpenMP threads competing with
#: other jobs made a training step 6x slower (measured), one thread never waits on a barrier.
DEFAULTS = {"epochs": 16, "batch": 128, "lr": 3e-3, "weight_decay": 1e-4, "patience": 4, "per_image": 24,
            "patch": 64, "max_grid": 10, "widths": (12, 24, 48, 64), "threads": 1, "real_repeat": 4,
            "coarse_per_image": 8, "false_alarm": 0.03, "contrast": CONTRAST_RANGE, "night": True,
            "small_subjects": True}
