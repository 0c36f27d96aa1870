"""The export of a trained network (blurscan.model.export): checked against torch before anything is written,
then written whole."""
from __future__ import annotations

import os

import pytest

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from blurscan.errors import ModelError  # noqa: E402
from blurscan.model import runtime  # noqa: E402
from blurscan.model.export import export_onnx  # noqa: E402
from blurscan.model.spec import ModelSpec  # noqa: E402
from test_model_train import _RULE, _with_batch_stats  # noqa: E402


def test_export_that_fails_its_check_leaves_the_previous_model(tmp_path, monkeypatch):
    """The export wrote the file before comparing ONNX Runtime with torch: a network failing the check (after
    ``train --overwrite``) had already replaced the previous model, and the failing file stayed in its place.
    Now nothing is written then, and a good export replaces the file whole, keeping its permissions."""
    net = _with_batch_stats((8, 16, 16, 24))
    out = tmp_path / "m.onnx"
    export_onnx(net, ModelSpec(version="old", aggregator=_RULE), out)
    os.chmod(out, 0o640)
    before = out.read_bytes()
    session = ort.InferenceSession

    class Skewed:  # an ONNX Runtime whose outputs are off by one logit
        def __init__(self, *a, **k):
            self._s = session(*a, **k)

        def run(self, *a, **k):
            return [o + 1.0 for o in self._s.run(*a, **k)]

    monkeypatch.setattr(ort, "InferenceSession", Skewed)
    with pytest.raises(ModelError, match="not written: ONNX Runtime output differs"):
        export_onnx(net, ModelSpec(version="new", aggregator=_RULE), out)
    monkeypatch.undo()
    assert out.read_bytes() == before
    export_onnx(net, ModelSpec(version="new", aggregator=_RULE), out)
    assert runtime.load(out).version.startswith("new+")
    assert oct(os.stat(out).st_mode & 0o777) == oct(0o640)
    assert [p.name for p in tmp_path.iterdir()] == ["m.onnx"]  # no temporary file left


def test_a_model_with_the_longest_name_the_system_allows_is_written(tmp_path):
    """The temporary file's name was '.NAME.XXXXXXXX.part': for an --out name near the file system's 255-byte
    limit it was too long and the export failed after the whole training run."""
    net = _with_batch_stats((8, 16, 16, 24))
    out = tmp_path / ("m" * 250 + ".onnx")
    export_onnx(net, ModelSpec(version="long", aggregator=_RULE), out)
    assert runtime.load(out).version.startswith("long+")
    old = os.umask(0o027)
    try:
        fresh = tmp_path / "fresh.onnx"
        export_onnx(net, ModelSpec(version="m", aggregator=_RULE), fresh)
    finally:
        os.umask(old)
    assert oct(os.stat(fresh).st_mode & 0o777) == oct(0o640)  # what the umask leaves of 0666, as open() gives
