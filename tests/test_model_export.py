"""The export of a trained network (blurscan.model.export): checked against torch before anything is written,
then written whole."""
from __future__ import annotations

import os
from pathlib import Path

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


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="only root can give a file another owner (os.chown)")
def test_a_model_replaced_by_root_keeps_its_owner_and_group(tmp_path):
    """`train --overwrite` run as root (sudo) over a model owned by someone else kept its permissions but gave it
    to root: the owner then could no longer replace or chmod it. Now the replacement keeps owner and group."""
    net = _with_batch_stats((8, 16, 16, 24))
    out = tmp_path / "m.onnx"
    export_onnx(net, ModelSpec(version="old", aggregator=_RULE), out)
    os.chown(out, 12345, 12346)
    os.chmod(out, 0o640)
    export_onnx(net, ModelSpec(version="new", aggregator=_RULE), out)
    assert runtime.load(out).version.startswith("new+")
    st = os.stat(out)
    assert (st.st_uid, st.st_gid, oct(st.st_mode & 0o7777)) == (12345, 12346, oct(0o640))
    # a new file, with nothing to take over, is root's own
    fresh = tmp_path / "fresh.onnx"
    export_onnx(net, ModelSpec(version="fresh", aggregator=_RULE), fresh)
    assert (os.stat(fresh).st_uid, os.stat(fresh).st_gid) == (os.geteuid(), os.getegid())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.onnx", "m.onnx"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to run the write as another user (os.setuid in a child process)")
def test_a_model_replaced_by_a_user_keeps_a_group_of_theirs_and_else_gets_theirs(tmp_path):
    """Without root only the group can be kept, and only one the user belongs to; any other stays theirs (the
    refusal, EPERM, is not an error). Run as uid 12345, member of 12346 and 12347, in a child process."""
    import subprocess
    import sys
    import tempfile

    folder = tempfile.mkdtemp(prefix="blurscan-owner-")  # (pytest's own folder is root's alone)
    try:
        os.chmod(folder, 0o777)
        shared, foreign = os.path.join(folder, "shared.onnx"), os.path.join(folder, "foreign.onnx")
        for path, gid in ((shared, 12347), (foreign, 999)):
            with open(path, "wb") as fh:
                fh.write(b"old")
            os.chown(path, 12345, gid)
            os.chmod(path, 0o664)
        code = ("import os, sys; from pathlib import Path; from blurscan.model.export import write_atomically; "
                "os.setgroups([12346, 12347]); os.setgid(12346); os.setuid(12345); "  # (imports first: Python's
                "[write_atomically(Path(p), b'new') for p in sys.argv[1:]]")  # own files may be root's alone)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        run = subprocess.run([sys.executable, "-c", code, shared, foreign], capture_output=True, text=True,
                             timeout=120, env=env)
        assert run.returncode == 0, run.stderr
        got = {os.path.basename(p): (os.stat(p).st_uid, os.stat(p).st_gid, oct(os.stat(p).st_mode & 0o777),
                                     Path(p).read_bytes()) for p in (shared, foreign)}
        assert got == {"shared.onnx": (12345, 12347, oct(0o664), b"new"),
                       "foreign.onnx": (12345, 12346, oct(0o664), b"new")}
        assert sorted(os.listdir(folder)) == ["foreign.onnx", "shared.onnx"]
    finally:
        import shutil

        shutil.rmtree(folder)
