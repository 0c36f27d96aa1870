"""Export a trained :class:`~blurscan.model.network.RegionNet` to ONNX with its spec in the metadata.

Every export is followed by ``onnx.checker`` and a torch-vs-ONNX-Runtime comparison on the given sample
(the habit of ``timm/utils/onnx.py``); a mismatch raises :class:`~blurscan.errors.ModelError`.

Before that check, :func:`pad_channels` widens every convolution that feeds another one to a multiple of
:data:`CHANNEL_BLOCK` channels with all-zero filters (the same function, about 1e-6 apart in the logits):
ONNX Runtime's CPU convolutions run in a blocked layout (NCHWc, 8 channels per block with AVX2, 16 with
AVX-512) only when the channels fill whole blocks, and the shipped network's 12-channel stem made it convert
the stem's output back to plain layout and run the next convolution on it: 2.7 ms of a 1024-px photo's
15-18 ms (ORT's profiler, one thread, AVX2). Padded, the network runs about 12 % faster.
"""
from __future__ import annotations

import contextlib
import errno
import io
import logging
import os
import stat
import tempfile
import warnings
from pathlib import Path

import numpy as np

from ..errors import ModelError, printable_path
from ..name_room import cut_to_bytes
from ..permissions import umask
from .spec import METADATA_KEY, ModelSpec

log = logging.getLogger(__name__)

OPSET = 17

#: Channel counts are padded to a multiple of this (:func:`pad_channels`): ONNX Runtime's NCHWc block size is 8
#: with AVX2 and 16 with AVX-512, and 16 serves both.
CHANNEL_BLOCK = 16


def pad_channels(proto, block: int = CHANNEL_BLOCK) -> list[tuple[str, int, int]]:
    """Widen, in place, each convolution whose output reaches exactly one other convolution (directly or through
    one ``Relu``) to a multiple of ``block`` output channels: the added filters and biases are zero, so their
    channels are 0 after the ReLU, and the next convolution gets zero weights for them. The function computed
    is the same; only the summation order inside the kernels can change (about 1e-6 in the logits).

    Returns ``(conv name, channels before, after)`` for each convolution widened.
    """
    from onnx import numpy_helper

    graph = proto.graph
    inits = {init.name: init for init in graph.initializer}
    consumers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    outputs = {o.name for o in graph.output}

    def only_consumer(name):
        nodes = consumers.get(name, [])
        return nodes[0] if len(nodes) == 1 and name not in outputs else None

    def group(node) -> int:
        return next((a.i for a in node.attribute if a.name == "group"), 1)

    widened = []
    for conv in [n for n in graph.node if n.op_type == "Conv"]:
        nxt = only_consumer(conv.output[0])
        if nxt is not None and nxt.op_type == "Relu":
            nxt = only_consumer(nxt.output[0])
        if (nxt is None or nxt.op_type != "Conv" or group(conv) != 1 or group(nxt) != 1
                or len(conv.input) < 2 or conv.input[1] not in inits or len(nxt.input) < 2
                or nxt.input[1] not in inits):
            continue
        w = numpy_helper.to_array(inits[conv.input[1]])
        w_next = numpy_helper.to_array(inits[nxt.input[1]])
        channels = w.shape[0]
        extra = -channels % block
        # a weight shared with another node, or a bias that is no initializer, is left alone
        shared = any(len(consumers.get(conv.input[i], [])) != 1 for i in range(1, len(conv.input)))
        if extra == 0 or shared or len(consumers.get(nxt.input[1], [])) != 1 or (
                len(conv.input) > 2 and conv.input[2] not in inits):
            continue
        arrays = {conv.input[1]: np.concatenate([w, np.zeros((extra, *w.shape[1:]), w.dtype)]),
                  nxt.input[1]: np.concatenate([w_next, np.zeros((w_next.shape[0], extra, *w_next.shape[2:]),
                                                                  w_next.dtype)], axis=1)}
        if len(conv.input) > 2:
            b = numpy_helper.to_array(inits[conv.input[2]])
            arrays[conv.input[2]] = np.concatenate([b, np.zeros(extra, b.dtype)])
        for name, array in arrays.items():
            inits[name].CopyFrom(numpy_helper.from_array(array, name))
        widened.append((conv.name, channels, channels + extra))
    return widened


def _take_over(tmp: str, out: Path) -> None:
    """Give the temporary file ``tmp`` what the file ``out`` it replaces had: its owner and group (then its
    permissions, as a change of owner can clear the set-ID bits), else what the umask leaves of 0666 (as a plain
    ``open(out, "w")`` gives; the temporary file starts at 0600 and belongs to whoever runs the export).

    Root can give any owner: ``sudo blurscan train --overwrite`` over a model owned by a user (or a group's shared
    one) left it to root. Anyone else can only give a group they belong to: a refusal (EPERM) leaves theirs."""
    try:
        st = os.stat(out)
    except OSError:
        os.chmod(tmp, 0o666 & ~umask())
        return
    mine = os.stat(tmp)
    uid = st.st_uid if st.st_uid != mine.st_uid else -1
    gid = st.st_gid if st.st_gid != mine.st_gid else -1
    if os.geteuid() == 0:
        if uid != -1 or gid != -1:
            os.chown(tmp, uid, gid)
    elif gid != -1:
        try:
            os.chown(tmp, -1, gid)
        except OSError as exc:
            if exc.errno != errno.EPERM:  # EPERM: not a member of that group, which stays the user's own
                raise
    os.chmod(tmp, stat.S_IMODE(st.st_mode))


def write_atomically(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` through a temporary file in its folder renamed over it: a run killed or a disk
    full midway leaves the previous model (or model card) whole, never half a file (a model being read by a scan
    meanwhile keeps its old bytes too). The new file keeps the old one's permissions, owner and group (:func:`_take_over`)."""
    # (the name cut: a temporary name longer than the file system allows would fail where ``out`` would not; cut to
    # 64 bytes, not characters: 64 four-byte characters were 256 bytes, until 2026-12-05)
    fd, tmp = tempfile.mkstemp(prefix=f".{cut_to_bytes(out.name, 64)}.", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _take_over(tmp, out)
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_card_text(path: str | os.PathLike, text: str) -> None:
    """Write a model card: its folders made (as ``--out``'s are; a ``--card`` in a new folder failed after the
    whole run), through a symbolic link to the file it names, whole or not at all (:func:`write_atomically`: a
    Ctrl-C or a full disk while writing leaves the old card, not half of one)."""
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, text.encode("utf-8"))


def export_onnx(model, spec: ModelSpec, out: str | os.PathLike, sample: np.ndarray | None = None,
                atol: float = 1e-3, rtol: float = 1e-3) -> Path:
    """Write ``model`` to ``out`` as ONNX, store ``spec`` in metadata_props, check it, compare outputs:
    :func:`checked_onnx`, then :func:`write_model`.

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
    data, diff = checked_onnx(model, spec, out, sample, atol, rtol)
    write_model(out, data, diff)
    return Path(out)


def checked_onnx(model, spec: ModelSpec, out: str | os.PathLike, sample: np.ndarray | None = None,
                 atol: float = 1e-3, rtol: float = 1e-3) -> tuple[bytes, float]:
    """The ONNX file of ``model`` (:func:`export_onnx`'s parameters; ``out`` only names it in a message), checked
    and compared with torch, and the largest difference found; nothing is written."""
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
    # the TorchScript-based exporter (dynamo=False): deprecated since torch 2.9 but in the pinned torch 2.13; the
    # torch.export-based one needs the onnxscript package (not a dependency) and builds the graph another way, so
    # `make model` might no longer give the shipped file. Its deprecation notice is kept out of the user's output
    with torch.no_grad(), warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"torch\.onnx")
        warnings.filterwarnings("ignore", message=".*legacy TorchScript-based ONNX export", category=DeprecationWarning)
        torch.onnx.export(
            model, (dummy,), buf, input_names=["patches"], output_names=["logits"],
            dynamic_axes={"patches": {0: "n"}, "logits": {0: "n"}}, opset_version=OPSET, dynamo=False,
        )
    proto = onnx.load_from_string(buf.getvalue())
    for name, before, after in pad_channels(proto):
        log.info("%s: %d output channels padded to %d for ONNX Runtime's blocked layout", name, before, after)
    del proto.metadata_props[:]
    entry = proto.metadata_props.add()
    entry.key, entry.value = METADATA_KEY, spec.to_json()
    proto.producer_name = "blurscan"
    proto.doc_string = f"blurscan region classifier {spec.version} ({spec.task})"
    onnx.checker.check_model(proto, full_check=True)
    data = proto.SerializeToString()
    out = Path(out)
    # compared before anything is written: a file that fails the check never replaces the model at ``out``
    with torch.no_grad():
        ref = model(torch.from_numpy(sample)).numpy()
    sess = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    got = sess.run(None, {"patches": sample})[0]
    diff = float(np.abs(ref - got).max())
    if not np.allclose(got, ref, atol=atol, rtol=rtol):
        raise ModelError(f"{printable_path(out)}: not written: ONNX Runtime output differs from torch by {diff:.3g} "
                         f"(allowed {atol} + {rtol} x |logit|)")
    return data, diff


def write_model(out: str | os.PathLike, data: bytes, diff: float) -> None:
    """Write :func:`checked_onnx`'s file ``data`` to ``out`` (its folders made), whole or not at all, and log it
    with ``diff``, the difference from torch found."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(out, data)
    log.info("exported %s (%d bytes); torch vs onnxruntime max |diff| = %.2e", out, len(data), diff)
