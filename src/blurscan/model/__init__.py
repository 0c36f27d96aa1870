"""The blur classifier: spec, ONNX Runtime inference and region aggregation (torch-free).

Training-only modules (:mod:`~blurscan.model.network`, :mod:`~blurscan.model.train`,
:mod:`~blurscan.model.export`) import torch and are never imported from here.
"""
from .runtime import Classifier, ModelOutput, default_model_path, load

__all__ = ["Classifier", "ModelOutput", "default_model_path", "load"]
