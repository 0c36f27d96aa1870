"""blurscan: find blurry photos.

Public API::

    import blurscan

    if __name__ == "__main__":                 # scan workers are spawned processes
        for record in blurscan.scan(["/home/me/Pictures"]):   # yields ScanRecord
            print(record.path, record.verdict, record.p_blurry)
        blurscan.score_image("photo.jpg")      # or a numpy array

Heavy modules are imported lazily so that ``import blurscan`` stays cheap.
"""
from __future__ import annotations

import os as _os

# ONNX Runtime's wheels send usage telemetry unless this is set before it first loads (see
# blurscan.model.runtime.import_onnxruntime): set here too, so that no path that reaches onnxruntime through
# another package first (an exporter, a user's script importing blurscan) turns it on. The user's own
# setting wins.
_os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
# OpenCV reads its settings (OPENCV_IO_MAX_IMAGE_PIXELS, OPENCV_FOR_THREADS_NUM, OPENCV_TRACE, ... some forty) as a
# number or a yes/no, and an empty value is neither: the process aborted at its first photo ("terminate called
# after throwing an instance of 'cv::Exception' what(): stoull", exit 134) or stopped with a cv2.error traceback,
# naming no variable (`-e OPENCV_IO_MAX_IMAGE_PIXELS=` in a container, a script's unset variable). An empty
# setting is taken as not set, as for NO_COLOR and the XDG variables (until 2026-12-06 it was not).
for _empty in [name for name, value in _os.environ.items() if name.startswith("OPENCV_") and not value.strip()]:
    _os.environ.pop(_empty, None)

from . import forking as _forking  # noqa: E402  (a fork waits for the lazy imports below: the standard library only)

__version__ = "0.1.0"

__all__ = ["scan", "score_image", "ScanRecord", "ScanSettings", "BlurscanError", "__version__"]

# What a type checker sees of the lazy names below (the package ships py.typed): their own modules' annotations;
# without this every one of them was Any to a script's type checker. Never true at run time (nor is typing imported:
# mypy and pyright take any name TYPE_CHECKING so).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .config import ScanSettings
    from .errors import BlurscanError
    from .pipeline import scan, score_image
    from .records import ScanRecord


def __getattr__(name):  # PEP 562 lazy re-exports
    if name in ("scan", "score_image"):
        with _forking.calls():  # a fork in another thread waits until pipeline is imported, never half-way
            from . import pipeline

        return getattr(pipeline, name)
    if name == "ScanRecord":
        from .records import ScanRecord

        return ScanRecord
    if name == "ScanSettings":
        from .config import ScanSettings

        return ScanSettings
    if name == "BlurscanError":
        from .errors import BlurscanError

        return BlurscanError
    raise AttributeError(f"module 'blurscan' has no attribute {name!r}")


def __dir__():  # the lazy names too (tab completion listed none of them)
    return sorted(set(globals()) - {"annotations"} | set(__all__))
