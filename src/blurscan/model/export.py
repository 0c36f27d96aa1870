"""Export a trained :class:`~blurscan.model.network.RegionNet` to ONNX with its spec in the metadata.

Every export is followed by ``onnx.checker`` and a torch-vs-ONNX-Runtime comparison on the given sample
(the habit of ``timm/utils/onnx.py``); a mismatch raises :class:`~blurscan.errors.ModelError`.
"""
from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .spec import METADATA_KEY, ModelSpec

log = logging.getLogger(__name__)

OPSET = 17


def export_onnx(model, spec: ModelSpec, out: str | os.PathLike, sample: np.ndarray | None = None,
                atol: float = 1e-3, rtol: float = 1e-3) -> Path:
    """Write ``model`` to ``out`` as ONNX, store ``spec`` in metadata_props, check it, compare outputs.

    Parameters
    ----------
    model : torch.nn.Module
        The network (put in eval mode here).
    spec : ModelSpec
        Preprocessing spec and image-level rule, stored under the metadata key ``"blurscan"``.
    out : path
        Output file.
    sample : ndarray, optional
        ``N x C x P x P`` float32 windows used for the parity check (random ones if omitted).
    atol, rtol : float
        Allowed difference between torch and ONNX Runtime logits: ``|ort - torch| <= atol + rtol * |torch|``
        element-wise (float32 kernels differ in summation order; windows that are almost flat are divided by
        a small standard deviation inside the graph, which magnifies that, so 1e-3 logits: a 0.1 % change).

    Returns
    -------
    Path
        ``out``.
    """
    import onnx
    import torch

    from .runtime import import_onnxruntime

    ort = import_onnxruntime()

    model = model.eval()
    if sample is None:
        rng = np.random.default_rng(0)
        sample = rng.random((4, spec.channels, spec.patch, spec.patch), dtype=np.float32)
    sample = np.ascontiguousarray(sample, dtype=np.float32)
    dummy = torch.from_numpy(sample[:2])
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(
            model, (dummy,), buf, input_names=["patches"], output_names=["logits"],
            dynamic_axes={"patches": {0: "n"}, "logits": {0: "n"}}, opset_version=OPSET, dynamo=False,
        )
    proto = onnx.load_from_string(buf.getvalue())
    del proto.metadata_props[:]
    entry = proto.metadata_props.add()
    entry.key, entry.value = METADATA_KEY, spec.to_json()
    proto.producer_name = "blurscan"
    proto.doc_string = f"blurscan region classifier {spec.version} ({spec.task})"
    onnx.checker.check_model(proto, full_check=True)
    data = proto.SerializeToString()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)

    with torch.no_grad():
        ref = model(torch.from_numpy(sample)).numpy()
    sess = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    got = sess.run(None, {"patches": sample})[0]
    diff = float(np.abs(ref - got).max())
    log.info("exported %s (%d bytes); torch vs onnxruntime max |diff| = %.2e", out, len(data), diff)
    if not np.allclose(got, ref, atol=atol, rtol=rtol):
        raise ModelError(f"{out}: ONNX Runtime output differs from torch by {diff:.3g} "
                         f"(allowed {atol} + {rtol} x |logit|)")
    return out
