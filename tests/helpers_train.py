"""Settings of a training run of a few seconds, for the tests of ``blurscan train``'s command line."""
from __future__ import annotations


def tiny_training(mp) -> None:
    """Through ``mp`` (a pytest MonkeyPatch): two images a photo (unblurred, shaken), no night scenes nor small
    subjects, a network of 4 channels a layer and few windows an image: a run of a few seconds on small photos."""
    from blurscan.model import data, defaults

    mp.setattr(data, "BLUR_PLAN", ("none", "shake"))
    for key, value in (("night", False), ("small_subjects", False), ("widths", (4, 4, 4, 4)), ("per_image", 4),
                       ("coarse_per_image", 1)):
        mp.setitem(defaults.DEFAULTS, key, value)
