"""Other open-source blur detectors, run beside blurscan by ``bench/accuracy.py`` on the same images.

* :func:`laplacian_seed` — the seed's one-liner: ``cv2.imread`` in grayscale, variance of the 3x3 Laplacian
  (Pech-Pacheco et al., 2000), blurry below 100. blurscan's decoder computes the same value
  (``ScanRecord.laplacian_var``); this function exists to time the seed path on its own.
* :func:`fft_highfreq` — the FFT high-frequency method: remove the low frequencies of the spectrum, go back to
  the image domain and take the mean log magnitude of what is left; a sharp image keeps much energy there.
  The idea (blur attenuates high frequencies, measured on the spectrum) is from Liu, Li & Jia (2008); the
  exact recipe and its defaults (resize to 500 px wide, zero a 120 x 120 square around the DC term, mean of
  ``20 ln |.|``, blurry when the mean is at most 10) are those popularised by Rosebrock (2020), which is
  what people copy when they say "FFT blur detection". Written here from that description.
* :func:`cleanvision_blurry` — CleanVision's ``blurry`` issue check (Cleanlab), through its public
  ``Imagelab`` API with its default settings. Optional: the ``bench`` extra (``pip install cleanvision``);
  :data:`HAVE_CLEANVISION` is False without it.

References
----------
.. [1] J. L. Pech-Pacheco et al., "Diatom autofocusing in brightfield microscopy: a comparative study",
   ICPR 2000.
.. [2] R. Liu, Z. Li, J. Jia, "Image partial blur detection and classification", CVPR 2008.
.. [3] A. Rosebrock, "OpenCV Fast Fourier Transform (FFT) for blur detection in images and video streams",
   PyImageSearch, 15 June 2020.
.. [4] Cleanlab, CleanVision, https://github.com/cleanlab/cleanvision (``issue_managers/image_property.py``:
   edge-image standard deviation at 64 px, score ``1 - exp(-0.01 x)``, issue below 0.29).
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import logging
import time
from collections.abc import Sequence

import cv2
import numpy as np

HAVE_CLEANVISION = importlib.util.find_spec("cleanvision") is not None

#: Rosebrock's defaults for the FFT method.
FFT_WIDTH = 500
FFT_HALF_SIZE = 60
FFT_THRESHOLD = 10.0

LAPLACIAN_THRESHOLD = 100.0


def _read_gray(path: str) -> np.ndarray:
    gray = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise OSError(f"{path}: OpenCV cannot read this image")
    return gray


def laplacian_seed(path: str) -> float:
    """Variance of the Laplacian of the full-resolution grayscale image (the seed's measure)."""
    return float(cv2.Laplacian(_read_gray(path), cv2.CV_64F).var())


def fft_highfreq_score(gray: np.ndarray, width: int = FFT_WIDTH, half_size: int = FFT_HALF_SIZE) -> float:
    """Mean of ``20 ln |.|`` of the image rebuilt from its spectrum without the low frequencies.

    Parameters
    ----------
    gray : ndarray
        2-D uint8 grayscale image.
    width : int
        The image is resized to this width first (aspect kept), so scores compare across sizes.
    half_size : int
        Half the side of the square of low frequencies (around the DC term) that is zeroed.
    """
    h, w = gray.shape
    if w != width:
        gray = cv2.resize(gray, (width, max(1, round(h * width / w))), interpolation=cv2.INTER_AREA)
    spectrum = np.fft.fftshift(np.fft.fft2(gray.astype(np.float64)))
    cy, cx = spectrum.shape[0] // 2, spectrum.shape[1] // 2
    spectrum[max(0, cy - half_size):cy + half_size, max(0, cx - half_size):cx + half_size] = 0
    rebuilt = np.fft.ifft2(np.fft.ifftshift(spectrum))
    magnitude = 20.0 * np.log(np.abs(rebuilt) + 1e-12)  # natural log, as in the recipe (not dB)
    return float(magnitude.mean())


def fft_highfreq(path: str) -> float:
    """:func:`fft_highfreq_score` of an image file (blurry when ``<= FFT_THRESHOLD``)."""
    return fft_highfreq_score(_read_gray(path))


def cleanvision_blurry(paths: Sequence[str]) -> tuple[np.ndarray, np.ndarray, float]:
    """CleanVision's blurry check on ``paths`` with its defaults, one process.

    Returns
    -------
    flagged : ndarray of bool
        CleanVision's ``is_blurry_issue`` per path.
    score : ndarray of float
        CleanVision's ``blurry_score`` (lower = blurrier).
    seconds : float
        Wall time of the whole call.
    """
    if not HAVE_CLEANVISION:
        raise ImportError("cleanvision is not installed (pip install cleanvision, the `bench` extra)")
    from cleanvision import Imagelab

    logging.getLogger("cleanvision").setLevel(logging.ERROR)
    t0 = time.perf_counter()
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):  # tqdm bars
        lab = Imagelab(filepaths=list(paths))
        lab.find_issues({"blurry": {}}, n_jobs=1, verbose=False)
    seconds = time.perf_counter() - t0
    issues = lab.issues
    flagged = np.array([bool(issues.loc[p, "is_blurry_issue"]) for p in paths])
    score = np.array([float(issues.loc[p, "blurry_score"]) for p in paths])
    return flagged, score, seconds
