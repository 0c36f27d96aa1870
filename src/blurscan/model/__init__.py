"""The blur classifier: spec, ONNX Runtime inference and region aggregation (torch-free).

Training-only modules (:mod:`~blurscan.model.network`, :mod:`~blurscan.model.train`,
:mod:`~blurscan.model.export`) import torch and are never imported from here. The names below are loaded from
:mod:`~blurscan.model.runtime` on first use (PEP 562), so that importing a light module of this package
(:mod:`~blurscan.model.defaults`, for ``blurscan train --help``) does not load numpy.
"""
from __future__ import annotations

__all__ = ["Classifier", "ModelOutput", "default_model_path", "load"]


def __getattr__(name):  # PEP 562 lazy re-exports
    if name in __all__:
        from . import runtime

        return getattr(runtime, name)
    raise AttributeError(f"module 'blurscan.model' has no attribute {name!r}")


def __dir__():  # the lazy names too
    return sorted(set(globals()) - {"annotations"} | set(__all__))
