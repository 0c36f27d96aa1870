"""ONNX model files for tests, written without the ``onnx`` package (not among the dev extras): the protobuf wire
format by hand, for the few fields a model file needs (onnx.proto: ModelProto, GraphProto, NodeProto, TensorProto,
ValueInfoProto).

:func:`with_metadata` copies a model file with its ``blurscan`` metadata changed; :func:`tiny_network` writes a
small network that gives the same logits for every window, or NaN for an all-black one.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from blurscan.model.runtime import default_model_path
from blurscan.model.spec import METADATA_KEY

_METADATA_PROPS, _GRAPH = 14, 7  # ModelProto's field numbers


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def _read_varint(buf: bytes, i: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        b = buf[i]
        n |= (b & 0x7F) << shift
        i, shift = i + 1, shift + 7
        if not b & 0x80:
            return n, i


def _msg(field: int, data: bytes) -> bytes:
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def _int(field: int, n: int) -> bytes:
    return _varint(field << 3) + _varint(n)


def _str(field: int, text: str) -> bytes:
    return _msg(field, text.encode())


def _fields(buf: bytes):
    """``(field number, payload, the field's bytes)`` of a message's top level."""
    i = 0
    while i < len(buf):
        start = i
        key, i = _read_varint(buf, i)
        wire, payload = key & 7, b""
        if wire == 0:
            _, i = _read_varint(buf, i)
        elif wire == 1:
            i += 8
        elif wire == 2:
            n, i = _read_varint(buf, i)
            payload, i = buf[i:i + n], i + n
        elif wire == 5:
            i += 4
        else:
            raise ValueError(f"wire type {wire}")
        yield key >> 3, payload, buf[start:i]


def metadata(path=None) -> dict:
    """The ``blurscan`` metadata of a model file (the shipped model's by default), as a dict."""
    for field, payload, _ in _fields(Path(path or default_model_path()).read_bytes()):
        if field == _METADATA_PROPS:
            entry = {f: p.decode() for f, p, _ in _fields(payload)}
            if entry.get(1) == METADATA_KEY:
                return json.loads(entry[2])
    raise KeyError(METADATA_KEY)


def with_metadata(dst, edit, src=None) -> Path:
    """Write ``src`` (the shipped model by default) to ``dst`` with its ``blurscan`` metadata replaced by
    ``edit(metadata dict)``: a dict (written as JSON) or a str (written as it is)."""
    data = Path(src or default_model_path()).read_bytes()
    value = edit(metadata(src))
    text = value if isinstance(value, str) else json.dumps(value)
    kept = b"".join(raw for field, _, raw in _fields(data) if field != _METADATA_PROPS)
    Path(dst).write_bytes(kept + _msg(_METADATA_PROPS, _str(1, METADATA_KEY) + _str(2, text)))
    return Path(dst)


def _tensor(name: str, values) -> bytes:
    a = np.asarray(values, "<f4").ravel()
    return _int(1, a.size) + _int(2, 1) + _str(8, name) + _msg(9, a.tobytes())


def _value_info(name: str, dims: list) -> bytes:
    shape = b"".join(_msg(1, _int(1, d) if isinstance(d, int) else _str(2, d)) for d in dims)
    return _str(1, name) + _msg(2, _msg(1, _int(1, 1) + _msg(2, shape)))


def _node(op: str, inputs: list, outputs: list) -> bytes:
    return b"".join(_str(1, x) for x in inputs) + b"".join(_str(2, y) for y in outputs) + _str(4, op)


def tiny_network(dst, logits=(-4.0, 4.0, -4.0, -4.0), *, nan_on_black: bool = False, patch: int = 64,
                 channels: int = 1, meta: dict | None = None) -> Path:
    """A network giving ``logits`` (one per output: their number is the output's width) for every window;
    with ``nan_on_black``, NaN for a window whose pixels are all 0 (``0 * log(mean)``). Its metadata is the
    shipped model's (or ``meta``)."""
    nodes = [_node("GlobalAveragePool", ["patches"], ["mean4"]), _node("Flatten", ["mean4"], ["mean"]),
             _node("Log" if nan_on_black else "Identity", ["mean"], ["seen"]), _node("Mul", ["seen", "zero"], ["none"]),
             _node("Add", ["none", "bias"], ["logits"])]
    graph = (b"".join(_msg(1, n) for n in nodes) + _str(2, "tiny")
             + _msg(5, _tensor("zero", [0.0])) + _msg(5, _tensor("bias", logits))
             + _msg(11, _value_info("patches", ["n", channels, patch, patch]))
             + _msg(12, _value_info("logits", ["n", len(logits)])))
    text = json.dumps(meta if meta is not None else metadata())
    model = (_int(1, 8) + _str(2, "blurscan-tests") + _msg(_GRAPH, graph) + _msg(8, _str(1, "") + _int(2, 17))
             + _msg(_METADATA_PROPS, _str(1, METADATA_KEY) + _str(2, text)))
    Path(dst).write_bytes(model)
    return Path(dst)
