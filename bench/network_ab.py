"""The shipped network timed against itself unpadded and in one call, in one process (rows of ``bench/throughput.py``).

:func:`blurscan.model.export.pad_channels` widens the exported convolutions to whole blocks of 16 channels so
that ONNX Runtime keeps its blocked (NCHWc) layout. To show what that gains on the machine at hand, the
padding's all-zero filters are taken out again (as the file was exported before 2026-12-03) and both graphs
run alternately on the same photos' windows, so both see the same load. So does a third run of the shipped file
that takes each photo's windows in one network call, as the scan did before it split them into calls of
:data:`blurscan.model.runtime.WINDOWS_PER_CALL`.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np


def unpadded_network(path: Path) -> bytes | None:
    """The shipped network as exported before 2026-12-03: the all-zero filters that
    :func:`blurscan.model.export.pad_channels` adds (and the next convolution's weights for them) taken out
    again. ``None`` without the ``onnx`` package (the ``train`` extra) or when the file has nothing to take out."""
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        return None
    proto = onnx.load(str(path))
    inits = {i.name: i for i in proto.graph.initializer}
    convs = [n for n in proto.graph.node if n.op_type == "Conv"]
    changed = False
    for conv, nxt in zip(convs, convs[1:]):
        w, w_next = numpy_helper.to_array(inits[conv.input[1]]), numpy_helper.to_array(inits[nxt.input[1]])
        b = numpy_helper.to_array(inits[conv.input[2]]) if len(conv.input) > 2 else np.zeros(len(w), w.dtype)
        live = np.flatnonzero(np.abs(w).reshape(len(w), -1).sum(axis=1) + np.abs(b) > 0)
        if len(live) == len(w) or w_next.shape[1] != len(w):
            continue
        keep = np.arange(live.max() + 1)  # the padding is at the end
        arrays = {conv.input[1]: w[keep], nxt.input[1]: w_next[:, keep]}
        if len(conv.input) > 2:
            arrays[conv.input[2]] = b[keep]
        for name, array in arrays.items():
            inits[name].CopyFrom(numpy_helper.from_array(np.ascontiguousarray(array), name))
        changed = True
    return proto.SerializeToString() if changed else None


def timed(clf, images: list[np.ndarray], rounds: int = 5) -> tuple[float, float, float] | None:
    """Milliseconds per photo of the network alone (ONNX Runtime, one thread): the shipped file as the scan runs
    it (each photo's windows of both grids in calls of :data:`blurscan.model.runtime.WINDOWS_PER_CALL`), the same
    network unpadded run the same way, and the shipped file given all of a photo's windows in one call (as the
    scan did before 2026-12-03's evening). The three run alternately photo by photo so that all see the same load;
    medians over ``rounds``. ``None`` when there is no unpadded twin."""
    from blurscan.model.runtime import WINDOWS_PER_CALL, import_onnxruntime
    from blurscan.model.spec import coarse_image, extract_patches

    plain = unpadded_network(clf.path)
    if plain is None:
        return None
    ort = import_onnxruntime()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads, opts.inter_op_num_threads, opts.log_severity_level = 1, 1, 3
    opts.enable_mem_pattern = False
    unpadded = ort.InferenceSession(plain, opts, providers=["CPUExecutionProvider"])

    def in_calls(session, size):
        return lambda x: [session.run(None, {"patches": x[i:i + size]}) for i in range(0, len(x), size)]

    runners = [in_calls(clf._session, WINDOWS_PER_CALL), in_calls(unpadded, WINDOWS_PER_CALL),
               lambda x: clf._session.run(None, {"patches": x})]
    coarse = clf.spec.aggregator.get("coarse") or {}
    inputs = []
    for image in images:
        windows = [extract_patches(image, clf.spec.patch, clf.spec.max_grid)[0]]
        if coarse:
            windows.append(extract_patches(coarse_image(image, int(coarse["factor"])), clf.spec.patch,
                                           int(coarse["max_grid"]))[0])
        inputs.append(np.concatenate(windows).astype(np.float32) * np.float32(clf.spec.input_scale))
    for run in runners:  # warm-up
        run(inputs[0])
    totals = [[] for _ in runners]
    for _ in range(rounds):
        spent = [0.0] * len(runners)
        for x in inputs:
            for k, run in enumerate(runners):
                t = time.perf_counter()
                run(x)
                spent[k] += time.perf_counter() - t
        for k in range(len(runners)):
            totals[k].append(spent[k] / len(inputs) * 1000)
    return tuple(float(np.median(t)) for t in totals)
