"""``blurscan scan --threads N``: the option no test ran until 2026-12-07 (a dead-code and untested-options audit)."""
from __future__ import annotations

from helpers_cli import jsonl as _jsonl, run



def test_scan_threads_runs_the_model_on_that_many_threads_with_the_same_results(library, tmp_path, monkeypatch):
    """``--threads N``: the model's ONNX Runtime session gets N intra-op threads; the results are those of one
    thread, and a scan with another ``--threads`` reuses them (the setting is not part of the cache key)."""
    from blurscan.model import runtime

    root, truth = library
    opened = []
    real_load = runtime.load

    def load(spec="default", threads=1):
        model = real_load(spec, threads=threads)
        opened.append(None if model is None else model._session.get_session_options().intra_op_num_threads)
        return model

    monkeypatch.setattr(runtime, "load", load)
    one = run("scan", root, "--db", tmp_path / "one.db", "--format", "jsonl", "--workers", "1", "--threads", "1")
    two = run("scan", root, "--db", tmp_path / "two.db", "--format", "jsonl", "--workers", "1", "--threads", "2")
    assert one.exit_code == 0 and two.exit_code == 0, one.stderr + two.stderr
    assert opened == [1, 2]

    def figures(result):
        return sorted((o["path"], o["verdict"], o["p_blurry"], o["blur_type"]) for o in _jsonl(result.stdout))

    assert figures(two) == figures(one) and len(figures(one)) == len(truth)
    again = run("scan", root, "--db", tmp_path / "one.db", "--workers", "1", "--threads", "2")
    assert again.exit_code == 0 and f"({len(truth)} unchanged, reused)" in again.stderr, again.stderr
