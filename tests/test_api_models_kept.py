"""The models score_image keeps loaded (blurscan.loaded_models): the last few by path, each loaded once.

Until 2026-12-06 every model named by path stayed loaded for the life of the process (a notebook scoring 40
checkpoints grew by 103 MB), and N threads' first calls on one new model loaded it N times.
"""
from __future__ import annotations

import gc
import shutil
import threading
import time
import weakref

import numpy as np

import blurscan
from blurscan import loaded_models, pipeline
from blurscan.config import ScanSettings
from blurscan.decode import decode_array
from blurscan.model.runtime import default_model_path

from helpers_images import textured


def _copies(tmp_path, n):
    out = []
    for i in range(n):
        out.append(tmp_path / f"checkpoint_{i}.onnx")
        shutil.copyfile(default_model_path(), out[-1])
    return [str(p) for p in out]


def test_only_the_last_models_used_stay_loaded(tmp_path):
    paths = _copies(tmp_path, loaded_models.KEPT + 3)
    img = textured(1)
    first = weakref.ref(loaded_models.model(paths[0]))
    records = []
    for p in paths:
        records.append(blurscan.score_image(img, ScanSettings(model=p)))
        blurscan.score_image(img, ScanSettings(model=paths[1]))  # used all along: kept
    gc.collect()
    assert first() is None  # let go and freed (was kept for the life of the process)
    kept = [p for p in paths if (p, 1) in loaded_models._MODELS]
    assert kept == [paths[1], *paths[-loaded_models.KEPT + 1:]]
    assert len({(r.verdict, r.p_blurry) for r in records}) == 1  # the same model each time
    again = blurscan.score_image(img, ScanSettings(model=paths[0]))  # loaded again when asked for
    assert (again.verdict, again.p_blurry) == (records[0].verdict, records[0].p_blurry)


def test_a_model_let_go_still_serves_a_call_that_holds_it(tmp_path):
    """A call of another thread holds its model: letting it go does not close it under that call."""
    paths = _copies(tmp_path, loaded_models.KEPT + 1)
    held = loaded_models.model(paths[0])  # as score_image holds it for the length of a call
    decoded = decode_array(textured(2))
    before = held.predict(decoded)
    for p in paths[1:]:
        loaded_models.model(p)
    assert (paths[0], 1) not in loaded_models._MODELS
    after = held.predict(decoded)
    assert after.p_blurry == before.p_blurry


def test_threads_first_calls_on_a_new_model_load_it_once(tmp_path, monkeypatch):
    (path,) = _copies(tmp_path, 1)
    loads = []
    real = pipeline.load_model

    def counted(spec, threads=1, **kw):  # the real load, counted (and slowed: every thread asks meanwhile)
        loads.append(spec)
        time.sleep(0.3)
        return real(spec, threads, **kw)

    monkeypatch.setattr(pipeline, "load_model", counted)
    img = np.ascontiguousarray(textured(3))
    start = threading.Barrier(8)
    records = [None] * 8

    def call(i):
        start.wait(30)
        records[i] = blurscan.score_image(img, ScanSettings(model=path, model_threads=2))

    threads = [threading.Thread(target=call, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(loads) == 1, loads  # (was 8: 7 sessions opened and thrown away)
    assert len({(r.verdict, r.p_blurry) for r in records}) == 1


def test_a_model_in_use_stays_loaded_and_the_shipped_one_is_never_let_go(tmp_path, monkeypatch):
    """Least recently used out: a model used between every other is loaded once (not again each time it comes
    round to the oldest kept); the shipped model does not count among the KEPT, nor is it let go."""
    shipped = loaded_models.model("default")
    paths = _copies(tmp_path, loaded_models.KEPT + 3)
    loads = []
    real = pipeline.load_model

    def counted(spec, threads=1, **kw):  # the real load, counted
        loads.append(spec)
        return real(spec, threads, **kw)

    monkeypatch.setattr(pipeline, "load_model", counted)
    img = textured(1)
    for p in paths:
        blurscan.score_image(img, ScanSettings(model=p))
        blurscan.score_image(img, ScanSettings(model=paths[1]))
    assert loads == paths, loads  # each once, paths[1] too
    assert loaded_models.model("default") is shipped and loads == paths
    kept = [p for p in paths if (p, 1) in loaded_models._MODELS]
    assert kept == [paths[1], *paths[-loaded_models.KEPT + 1:]]  # KEPT by path, the shipped one besides


def test_a_model_is_kept_for_each_thread_count(tmp_path):
    """``model_threads`` is the session's: a model loaded with one count is not handed to a call asking another."""
    (path,) = _copies(tmp_path, 1)
    for spec in (path, "default"):
        assert [loaded_models.model(spec, n).threads for n in (1, 2, 1, 2)] == [1, 2, 1, 2], spec
