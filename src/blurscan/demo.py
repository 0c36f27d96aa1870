"""Sample photos that exist on any machine without the internet, for ``make demo``.

The photos are the public-domain / CC0 images that the scikit-image wheel ships (``skimage.data``), so no
download is needed. ``clock`` is a *real* camera-shake photo (the camera moved horizontally during the
exposure). Blurred copies of the sharp ones are made by :mod:`blurscan.synth` with a fixed seed, so the demo
is the same on every machine.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from .errors import UsageError

log = logging.getLogger(__name__)

#: skimage.data name -> (file stem, what it shows)
SOURCES = {
    "astronaut": ("astronaut", "portrait, sharp"),
    "chelsea": ("chelsea-cat", "the cat, sharp"),
    "coffee": ("coffee", "a cup of coffee, sharp"),
    "rocket": ("rocket", "a rocket on its pad, sharp"),
    "clock": ("clock-real-camera-shake", "a wall clock shot while the camera moved (real blur)"),
}

#: (source, synth kind, severity, stem suffix)
BLURRED = [
    ("chelsea", "shake", "strong", "shaken"),
    ("coffee", "defocus", "strong", "out-of-focus"),
    ("rocket", "linear_motion", "strong", "motion"),
    ("astronaut", "gaussian", "strong", "soft"),
    ("astronaut", "partial_subject", "strong", "soft-background"),
]


def make_samples(out_dir: str | Path, *, seed: int = 2024) -> list[Path]:
    """Write the demo photos (JPEG, quality 92) into ``out_dir`` and return their paths.

    Raises
    ------
    UsageError
        When scikit-image (the ``demo`` extra) is not installed.
    """
    try:
        import skimage.data
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise UsageError("the demo photos come from scikit-image: pip install 'blurscan[demo]'") from exc
    from PIL import Image

    from . import synth

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    images = {}
    written = []
    for name, (stem, _) in SOURCES.items():
        img = getattr(skimage.data, name)()
        if img.ndim == 2:
            img = np.stack([img] * 3, axis=-1)
        images[name] = img[..., :3]
        path = out / f"{stem}.jpg"
        Image.fromarray(images[name]).save(path, quality=92)
        written.append(path)
    rng = np.random.default_rng(seed)
    for name, kind, severity, suffix in BLURRED:
        blurred, _params = synth.synthesize(images[name], rng, blur=kind, severity=severity)
        path = out / f"{SOURCES[name][0]}-{suffix}.jpg"
        Image.fromarray(blurred).save(path, quality=92)
        written.append(path)
    log.info("wrote %d demo photos to %s", len(written), out)
    return written
