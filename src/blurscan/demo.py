"""Sample photos that exist on any machine without the internet, for ``make demo``.

The photos are the public-domain / CC0 images that the scikit-image wheel ships (``skimage.data``), so no
download is needed. ``clock`` is a *real* camera-shake photo (the camera moved horizontally during the
exposure). Blurred copies of the sharp ones are made by :mod:`blurscan.synth` with a fixed seed, so the demo
is the same on every machine.
"""
from __future__ import annotations

import io
import logging
import os
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


#: Written into the demo folder: later runs may rewrite the photos there, and only there.
MARKER = ".blurscan-demo"


def make_samples(out_dir: str | Path, *, seed: int = 2024) -> list[Path]:
    """Write the demo photos (JPEG, quality 92) into ``out_dir`` and return their paths.

    ``out_dir`` must be new, empty, or a demo folder (it holds :data:`MARKER`, or only the demo photos as
    this function makes them): a folder with other files is refused and nothing is written, so a person's
    own ``coffee.jpg`` is never overwritten.

    Raises
    ------
    UsageError
        When scikit-image (the ``demo`` extra) is not installed, or ``out_dir`` holds other files.
    """
    photos = _render(seed)
    out = Path(out_dir)
    _check_folder(out, photos)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).touch()
    written = []
    for name, data in photos.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    log.info("wrote %d demo photos to %s", len(written), out)
    return written


def _render(seed: int) -> dict[str, bytes]:
    """File name -> JPEG bytes of every demo photo."""
    try:
        import skimage.data
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise UsageError("the demo photos come from scikit-image: pip install 'blurscan[demo]'") from exc
    from . import synth

    images, out = {}, {}
    for name, (stem, _) in SOURCES.items():
        img = getattr(skimage.data, name)()
        if img.ndim == 2:
            img = np.stack([img] * 3, axis=-1)
        images[name] = img[..., :3]
        out[f"{stem}.jpg"] = _jpeg(images[name])
    rng = np.random.default_rng(seed)
    for name, kind, severity, suffix in BLURRED:
        blurred, _params = synth.synthesize(images[name], rng, blur=kind, severity=severity)
        out[f"{SOURCES[name][0]}-{suffix}.jpg"] = _jpeg(blurred)
    return out


def _jpeg(rgb: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=92)
    return buf.getvalue()


def _check_folder(out: Path, photos: dict[str, bytes]) -> None:
    """Refuse a folder that holds anything but an earlier demo (hidden entries, the database, are ignored)."""
    if not out.exists():
        return
    if not out.is_dir():
        raise UsageError(f"{out}: not a folder")
    if (out / MARKER).exists():
        return
    others = sorted(e for e in os.listdir(out) if not e.startswith("."))
    same = all(e in photos and (out / e).is_file() and (out / e).read_bytes() == photos[e] for e in others)
    if not same:
        example = next(e for e in others if e not in photos or (out / e).read_bytes() != photos[e])
        raise UsageError(f"{out} holds files that are not blurscan's demo photos (such as {example}): nothing "
                         "was written; give `blurscan demo` a new or empty folder")
