"""A DecodeError crosses processes: score_image of an unreadable file in a process pool's worker raises it in
the parent, with its path and reason. Until 2026-12-05 it could not be unpickled (``DecodeError(message)``:
missing ``reason``): a ProcessPoolExecutor broke (``BrokenProcessPool``, as if a worker had crashed) and a
multiprocessing.Pool's result thread died, its ``map`` waiting for ever."""
from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

import blurscan
from blurscan.errors import DecodeError
from helpers_images import save_jpeg, textured


def _unreadable(tmp_path):
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a photo")
    return bad


def test_a_decode_error_pickles_with_its_path_and_reason(tmp_path):
    bad = _unreadable(tmp_path)
    with pytest.raises(DecodeError) as raised:
        blurscan.score_image(bad)
    again = pickle.loads(pickle.dumps(raised.value))
    assert type(again) is DecodeError
    assert (again.path, again.reason, str(again)) == (raised.value.path, raised.value.reason, str(raised.value))


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs the fork start method")
def test_score_image_in_a_process_pool_raises_the_decode_error_in_the_parent(tmp_path):
    good = tmp_path / "good.jpg"
    save_jpeg(good, textured(1))
    bad = _unreadable(tmp_path)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        first = pool.submit(blurscan.score_image, str(good))
        failing = pool.submit(blurscan.score_image, str(bad))
        assert first.result(timeout=120).status == "ok"
        with pytest.raises(DecodeError) as raised:
            failing.result(timeout=120)
        with pytest.raises(DecodeError) as here:  # the same call in this process: the same error
            blurscan.score_image(str(bad))
        assert (raised.value.path, raised.value.reason) == (str(bad), here.value.reason)
        assert pool.submit(blurscan.score_image, str(good)).result(timeout=120).status == "ok"  # the pool still works
