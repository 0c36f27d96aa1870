"""The scan pipeline through the Python API: results, cache reuse and invalidation, workers, interruption."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

import numpy as np
import pytest

import blurscan
from blurscan import decode, measures, pipeline, scan_workers
from blurscan.config import ScanSettings
from blurscan.errors import DecodeError
from blurscan.store import Store

from helpers_images import blurred, save_jpeg, save_png, shared_photos, textured

S1 = ScanSettings(workers=1, model="none")


def _scan(paths, settings=S1, db=None, **kw):
    return {r.path: r for r in blurscan.scan(paths, settings, db=db, **kw)}


def test_scan_scores_each_file_once_with_the_right_verdict(library, tmp_path):
    root, truth = library
    records = list(blurscan.scan([root], S1, db=tmp_path / "x.db"))
    assert sorted(r.path for r in records) == sorted(truth)
    for r in records:
        assert r.status == "ok", r.error
        assert r.verdict == measures.classical_verdict(r.scores, S1) == truth[r.path]
        assert r.measure_version == measures.MEASURE_VERSION and r.model_version is None
        assert r.width == 320 and r.height == 240 and r.size == os.path.getsize(r.path)
        assert r.laplacian_var > 0 and set(r.scores) >= {"tenengrad", "laplacian_var_norm"}
        assert r.p_blurry is None and r.blur_type is None  # no model
    blurry = [r.laplacian_var for r in records if r.verdict == "blurry"]
    sharp = [r.laplacian_var for r in records if r.verdict == "sharp"]
    assert max(blurry) < min(sharp)


def test_real_photos_scanned(tmp_path):
    photos = shared_photos(3)
    if not photos:
        pytest.skip("../shared/data not available (set BLURSCAN_SHARED_DATA)")
    records = _scan(photos)
    assert set(records) == {str(p) for p in photos}
    for p in photos:
        r = records[str(p)]
        assert r.status == "ok" and r.verdict in ("sharp", "blurry") and r.width > 0
        assert r.format == "JPEG" and r.size == p.stat().st_size


def test_second_scan_reuses_everything(library, tmp_path, decode_calls):
    root, truth = library
    db = tmp_path / "x.db"
    first = _scan([root], db=db)
    assert sorted(decode_calls) == sorted(truth)
    decode_calls.clear()
    second = _scan([root], db=db)
    assert decode_calls == []
    assert all(r.cached for r in second.values())
    for path, r in second.items():
        assert (r.verdict, r.laplacian_var, r.scores) == (first[path].verdict, first[path].laplacian_var,
                                                           first[path].scores)


def test_touched_file_is_scanned_again(library, tmp_path, decode_calls):
    root, truth = library
    db = tmp_path / "x.db"
    _scan([root], db=db)
    touched = sorted(truth)[0]
    st = os.stat(touched)
    os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    decode_calls.clear()
    records = _scan([root], db=db)
    assert decode_calls == [touched]
    assert not records[touched].cached and records[touched].mtime_ns == st.st_mtime_ns + 1_000_000_000
    assert sum(r.cached for r in records.values()) == len(truth) - 1


def test_replaced_content_is_scanned_again(library, tmp_path, decode_calls):
    root, truth = library
    db = tmp_path / "x.db"
    _scan([root], db=db)
    sharp = next(p for p, v in truth.items() if v == "sharp" and p.endswith(".jpg"))
    st = os.stat(sharp)
    save_jpeg(type(root)(sharp), blurred(textured(5)))
    os.utime(sharp, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime, different size
    decode_calls.clear()
    records = _scan([root], db=db)
    assert decode_calls == [sharp] and records[sharp].verdict == "blurry"


@pytest.mark.parametrize("change", ["settings", "measure_version", "decode_version"])
def test_result_changing_settings_or_versions_invalidate(library, tmp_path, decode_calls, monkeypatch, change):
    root, truth = library
    db = tmp_path / "x.db"
    _scan([root], db=db)
    decode_calls.clear()
    settings = S1
    if change == "settings":
        settings = ScanSettings(workers=1, model="none", analysis_long_side=256)
    elif change == "measure_version":
        monkeypatch.setattr(measures, "MEASURE_VERSION", measures.MEASURE_VERSION + "-next")
    else:
        monkeypatch.setattr(decode, "DECODE_VERSION", decode.DECODE_VERSION + "-next")
    records = _scan([root], settings, db=db)
    assert sorted(decode_calls) == sorted(truth) and not any(r.cached for r in records.values())
    decode_calls.clear()
    _scan([root], settings, db=db)
    assert decode_calls == []


def test_settings_that_do_not_change_results_keep_the_cache(library, tmp_path, decode_calls):
    root, truth = library
    db = tmp_path / "x.db"
    _scan([root], db=db)
    decode_calls.clear()
    _scan([root], ScanSettings(workers=1, model="none", model_threads=2, max_pixels=10**9), db=db)
    assert decode_calls == []


@dataclass
class _Out:
    verdict: str
    p_blurry: float
    blur_type: str
    grid: list
    grid_box: list


class _FakeClassifier:
    """Stands in for a trained model file (the model-eng's runtime is tested in its own tests)."""

    def __init__(self, version):
        self.version = version

    def predict(self, decoded):
        p = float(decoded.laplacian_var < 100)
        return _Out("blurry" if p else "sharp", p, "defocus" if p else "none", [[p, None], [p, p]], [0.0, 0.1, 1.0, 0.9])


def test_model_version_is_part_of_the_cache_key(library, tmp_path, decode_calls, monkeypatch):
    root, truth = library
    db = tmp_path / "x.db"
    version = {"v": "1.0+aaaa"}
    monkeypatch.setattr(pipeline, "load_model", lambda spec, threads=1, **kw: _FakeClassifier(version["v"]))
    settings = ScanSettings(workers=1, model="default")
    first = _scan([root], settings, db=db)
    for path, r in first.items():
        assert r.model_version == "1.0+aaaa" and r.verdict == truth[path]
        assert r.p_blurry == (1.0 if truth[path] == "blurry" else 0.0) and r.grid[0][1] is None
        assert r.grid_box == [0.0, 0.1, 1.0, 0.9]
    decode_calls.clear()
    _scan([root], settings, db=db)
    assert decode_calls == []
    version["v"] = "1.0+bbbb"  # retrained model
    second = _scan([root], settings, db=db)
    assert sorted(decode_calls) == sorted(truth)
    assert {r.model_version for r in second.values()} == {"1.0+bbbb"}


def test_error_records_are_stored_but_retried(tmp_path, decode_calls):
    root = tmp_path / "lib"
    root.mkdir()
    bad = root / "bad.jpg"
    bad.write_text("not a photo")
    db = tmp_path / "x.db"
    (r,) = _scan([root], db=db).values()
    assert r.status == "error" and "not an image" in r.error
    with Store(db) as store:
        assert [x.path for x in store.records(only="errors")] == [str(bad)]
    decode_calls.clear()
    _scan([root], db=db)
    assert decode_calls == [str(bad)]


def test_worker_pool_gives_the_same_results(library, tmp_path, monkeypatch):
    root, truth = library
    monkeypatch.setattr(scan_workers, "MIN_POOL_FILES", 2)
    monkeypatch.setattr(scan_workers, "MIN_POOL_BYTES", 0)
    one = _scan([root], db=tmp_path / "a.db")
    two = _scan([root], ScanSettings(workers=2, model="none"), db=tmp_path / "b.db")
    assert set(one) == set(two) == set(truth)
    for path in truth:
        assert two[path].to_json() == one[path].to_json()
    with Store(tmp_path / "b.db") as store:
        assert len(store.records()) == len(truth)


def test_no_pool_when_nothing_needs_decoding(library, tmp_path, monkeypatch):
    root, truth = library
    db = tmp_path / "x.db"
    _scan([root], db=db)

    def no_pool(*a, **kw):
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(scan_workers, "MIN_POOL_FILES", 2)
    monkeypatch.setattr(scan_workers, "MIN_POOL_BYTES", 0)   # the pool would start for any 2 new files
    monkeypatch.setattr(scan_workers.cf, "ProcessPoolExecutor", no_pool)
    assert len(_scan([root], ScanSettings(workers=4, model="none"), db=db)) == len(truth)


def test_deleted_files_are_forgotten(library, tmp_path):
    root, truth = library
    db = tmp_path / "x.db"
    _scan([root], db=db)
    gone = sorted(truth)[0]
    os.remove(gone)
    assert gone not in _scan([root], db=db)
    with Store(db) as store:
        assert store.record(gone) is None and len(store.records()) == len(truth) - 1


def test_progress_callback(library, tmp_path):
    """From (0, total) to (total, total), each count once: with nothing reused, (0, total) came twice."""
    root, truth = library
    for scan in ("first", "again, all reused"):
        calls = []
        _scan([root], db=tmp_path / "x.db", progress=lambda done, total: calls.append((done, total)))
        assert calls[0] == (0, len(truth)) and calls[-1] == (len(truth), len(truth)), scan
        assert [d for d, _ in calls] == sorted(set(d for d, _ in calls)), (scan, calls)


@pytest.mark.parametrize("workers", [1, 2])
def test_interrupted_scan_keeps_what_was_yielded(library, tmp_path, workers, monkeypatch):
    root, truth = library
    monkeypatch.setattr(scan_workers, "MIN_POOL_FILES", 2)
    monkeypatch.setattr(scan_workers, "MIN_POOL_BYTES", 0)
    db = tmp_path / "x.db"
    seen = []

    def progress(done, total):
        if done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        for r in blurscan.scan([root], ScanSettings(workers=workers, model="none"), db=db, progress=progress):
            seen.append(r.path)
    assert len(seen) == 2
    with Store(db) as store:
        assert sorted(r.path for r in store.records()) == sorted(seen)


def test_consumer_stopping_early_keeps_what_was_yielded(library, tmp_path):
    root, truth = library
    db = tmp_path / "x.db"
    gen = blurscan.scan([root], S1, db=db)
    first = next(gen)
    gen.close()
    with Store(db) as store:
        assert [r.path for r in store.records()] == [first.path]


def test_file_replaced_or_deleted_after_the_walk(library, tmp_path):
    root, truth = library
    paths = sorted(p for p in truth if p.endswith(".jpg"))
    replaced, deleted = paths[0], paths[1]

    def progress(done, total):
        if done == 0 and os.path.exists(deleted):  # the walk is over, nothing decoded yet
            save_jpeg(type(root)(replaced), textured(9, size=(100, 150)))
            os.remove(deleted)

    records = _scan([root], db=tmp_path / "x.db", progress=progress)
    assert set(records) == set(truth)
    assert records[replaced].status == "ok" and (records[replaced].width, records[replaced].height) == (150, 100)
    assert records[replaced].size == os.path.getsize(replaced)
    assert records[deleted].status == "error" and "vanished" in records[deleted].error


def test_score_image_path_and_array(library):
    root, truth = library
    path = next(p for p, v in truth.items() if v == "blurry")
    r = blurscan.score_image(path, S1)
    assert r.path == path and r.verdict == "blurry" and r.size == os.path.getsize(path)
    arr = textured(3)
    ra = blurscan.score_image(arr, S1)
    assert ra.path == "<array>" and ra.verdict == "sharp" and (ra.width, ra.height) == (320, 240)
    assert blurscan.score_image(blurred(arr), S1).laplacian_var < ra.laplacian_var
    with pytest.raises(DecodeError, match="missing.jpg: no such file or directory"):
        blurscan.score_image(root / "missing.jpg", S1)
    with pytest.raises(DecodeError):
        blurscan.score_image(np.zeros((0, 5), np.uint8), S1)


def test_images_too_small_to_judge_get_an_error_record(tmp_path):
    """A 1-pixel strip or an icon has no region to look at: one line saying so, not a confident verdict."""
    save_png(tmp_path / "icon.png", textured(1, (16, 16)))
    save_png(tmp_path / "strip.png", textured(2, (1, 500)))
    save_png(tmp_path / "small.png", textured(3, (32, 48)))
    records = {os.path.basename(r.path): r for r in blurscan.scan([str(tmp_path)], S1)}
    assert records["icon.png"].status == "error"
    assert records["icon.png"].error == "too small to judge: 16 x 16 px (blurscan needs 32 px or more on each side)"
    assert records["strip.png"].error.startswith("too small to judge: 500 x 1 px")
    assert records["small.png"].status == "ok"
    with pytest.raises(DecodeError, match="too small to judge"):
        blurscan.score_image(textured(4, (8, 8)), S1)


@pytest.mark.slow
def test_scoring_a_large_jpeg_with_the_luminance_model_decodes_it_once(tmp_path, monkeypatch):
    """The shipped model reads luminance: a 12-MP JPEG is decoded once (full-resolution luma, for the
    baseline and the analysis image), and scores as with the colour decode but for a rounding."""
    import cv2

    from blurscan.model import runtime

    model = runtime.load("default")
    assert model is not None and not model.needs_color
    rng = np.random.default_rng(4)
    img = cv2.resize(textured(4, (300, 400)), (4000, 3000), interpolation=cv2.INTER_CUBIC)
    img = np.clip(img.astype(int) + rng.integers(-6, 7, img.shape), 0, 255).astype(np.uint8)
    path = save_jpeg(tmp_path / "big.jpg", img)
    calls = []
    real = cv2.imdecode
    monkeypatch.setattr(decode.cv2, "imdecode", lambda b, f: calls.append(f) or real(b, f))
    record = blurscan.score_image(path, ScanSettings())
    assert calls == [cv2.IMREAD_GRAYSCALE | cv2.IMREAD_IGNORE_ORIENTATION]
    colour = model.predict(decode.decode(path))
    assert abs(record.p_blurry - colour.p_blurry) < 0.02 and record.verdict == colour.verdict


def test_cache_key_parts():
    key = pipeline.cache_key(S1)
    assert measures.MEASURE_VERSION in key and decode.DECODE_VERSION in key and S1.cache_hash() in key
    assert pipeline.cache_key(S1, _FakeClassifier("7+x")) != key
    from blurscan.model import spec

    with_model = pipeline.cache_key(S1, _FakeClassifier("7+x"))
    assert f"7+x/p{spec.PREPROCESS_VERSION}" in with_model  # what the runtime does before the model counts
    assert pipeline.cache_key(ScanSettings(workers=3, model="none")) == key
    assert pipeline.cache_key(ScanSettings(analysis_long_side=512)) != key


def test_import_pipeline_does_not_import_torch():
    code = ("import sys, blurscan.pipeline, blurscan.cli.scan; "
            "bad = [m for m in ('torch', 'torchvision') if m in sys.modules]; print(bad); sys.exit(bool(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("n_new, min_bytes", [(scan_workers.MIN_POOL_FILES - 1, 0),      # too few files
                                               (scan_workers.MIN_POOL_FILES + 2, None)])  # too few bytes
def test_small_jobs_are_scored_without_a_pool(library, tmp_path, monkeypatch, n_new, min_bytes):
    root, truth = library
    db = tmp_path / "x.db"
    _scan([root], db=db)
    for i in range(n_new):
        save_jpeg(root / f"new{i}.jpg", textured(30 + i))
    if min_bytes is not None:
        monkeypatch.setattr(scan_workers, "MIN_POOL_BYTES", min_bytes)

    def no_pool(*a, **kw):
        raise AssertionError("a process pool was started for a small job")

    monkeypatch.setattr(scan_workers.cf, "ProcessPoolExecutor", no_pool)
    records = _scan([root], ScanSettings(workers=4, model="none"), db=db)
    assert sum(not r.cached for r in records.values()) == n_new


def test_many_small_files_are_scored_in_a_pool(library, tmp_path, monkeypatch):
    """Bytes alone decided: 2,000 small photos (26 MB, under MIN_POOL_BYTES) were scored in one process, at
    half the speed of two workers. POOL_FILES new files start the pool whatever their size."""
    root, truth = library
    db = tmp_path / "x.db"
    _scan([root], db=db)
    for i in range(6):
        save_jpeg(root / f"new{i}.jpg", textured(30 + i))
    monkeypatch.setattr(scan_workers, "POOL_FILES", 6)
    pools = []
    real = scan_workers.cf.ProcessPoolExecutor

    def counted(*a, **kw):
        pools.append(a)
        return real(*a, **kw)

    monkeypatch.setattr(scan_workers.cf, "ProcessPoolExecutor", counted)
    records = _scan([root], ScanSettings(workers=2, model="none"), db=db)
    new = [r for r in records.values() if not r.cached]
    assert len(new) == 6 and sum(os.path.getsize(r.path) for r in new) < scan_workers.MIN_POOL_BYTES
    assert len(pools) == 1 and all(r.status == "ok" for r in new)


def test_lookup_in_small_chunks_reuses_everything(library, tmp_path, decode_calls, monkeypatch):
    root, truth = library
    db = tmp_path / "x.db"
    first = _scan([root], db=db)
    monkeypatch.setattr(pipeline, "LOOKUP_CHUNK", 2)
    decode_calls.clear()
    second = _scan([root], db=db)
    assert decode_calls == [] and all(r.cached for r in second.values())
    assert {p: r.to_json() for p, r in second.items()} == {p: r.to_json() for p, r in first.items()}


@pytest.mark.parametrize("bad", [dict(analysis_long_side=0), dict(analysis_long_side=-5), dict(max_pixels=-1),
                                 dict(workers=0), dict(workers="2"), dict(model_threads=0), dict(model=None)])
def test_scan_settings_refuse_what_the_command_line_refuses(bad):
    """From Python a long side of 0 judged every photo 'sharp' (p_blurry 0) and max_pixels -1 made every file a
    'decompression bomb', silently (a walkthrough); the command line refused both."""
    from blurscan.errors import UsageError

    with pytest.raises(UsageError, match=f"ScanSettings.{next(iter(bad))} must be"):
        ScanSettings(**bad)


def test_a_script_without_a_main_guard_still_scans_in_worker_processes(tmp_path):
    """`blurscan.scan()` at a script's top level, no `if __name__ == "__main__":`: every spawned worker imported
    the script, called scan() again, and died; the files were retried one by one and all came back as "worker
    process crashed on this file" (40 of 40, 14 s). The workers now skip that call, with one line saying why."""
    import subprocess
    import sys

    from helpers_images import save_jpeg, textured

    for i in range(4):
        save_jpeg(tmp_path / "lib" / f"p{i}.jpg", textured(i))
    script = tmp_path / "noguard.py"
    script.write_text(
        "import blurscan\n"
        "from blurscan import scan_workers\n"
        "from blurscan.config import ScanSettings\n"
        "scan_workers.MIN_POOL_BYTES = 0  # small files still go to the worker processes\n"
        f"records = list(blurscan.scan([{str(tmp_path / 'lib')!r}], ScanSettings(workers=2, model='none')))\n"
        "print('scanned', len(records), sum(r.status == 'ok' for r in records))\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "scanned 4 4", done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "put it under `if __name__ == \"__main__\":`" in done.stderr
    said = [line for line in done.stderr.splitlines() if "skipped the scan() call" in line]
    # each a whole line (print wrote text and newline apart: two workers' lines ran together), saying the rest runs
    assert said and all(line.startswith("blurscan: a worker process") and "but runs the rest of it" in line and
                        line.endswith("import the script again)") for line in said), done.stderr


def test_python_api_odd_inputs(tmp_path):
    """A Pillow image is scored like its array (it raised TypeError naming os.PathLike); another type says what
    is accepted; an all-NaN array is not an image (it was judged 'sharp'); an empty burst ranks to nothing
    (IndexError); dir(blurscan) lists the lazy names (it listed only 'annotations')."""
    from PIL import Image

    import blurscan
    from blurscan import bursts
    from blurscan.errors import DecodeError
    from helpers_images import textured

    arr = textured(1)
    settings = ScanSettings(workers=1, model="none")
    from_pil = blurscan.score_image(Image.fromarray(arr), settings)
    assert from_pil.to_json() == blurscan.score_image(arr, settings).to_json()
    with pytest.raises(TypeError, match="a path, a numpy array or a Pillow image, not list"):
        blurscan.score_image([1, 2, 3], settings)
    with pytest.raises(DecodeError, match="no finite value"):
        blurscan.score_image(np.full((64, 64), np.nan, np.float32), settings)
    assert bursts.rank_group([]) == []
    assert {"scan", "score_image", "ScanSettings", "ScanRecord"} <= set(dir(blurscan))
    assert "annotations" not in dir(blurscan)


def test_record_failed_is_a_flag_and_still_builds_an_error_record(tmp_path):
    """``record.failed`` was only a constructor (a class method), so ``if record.failed:`` was always true and
    ``[r for r in scan(...) if not r.failed]`` kept nothing. It is now the record's flag; on the class it still
    builds an error record (its old use), as ``ScanRecord.from_error`` does."""
    from blurscan.records import ScanRecord

    save_jpeg(tmp_path / "ok.jpg", textured(1))
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a photo")
    records = _scan([tmp_path])
    assert [os.path.basename(r.path) for r in records.values() if not r.failed] == ["ok.jpg"]
    assert [r.failed for r in records.values() if r.status == "error"] == [True]
    made = ScanRecord.failed(str(tmp_path / "x.jpg"), "truncated")
    assert (made.status, made.error, made.failed) == ("error", "truncated", True)
    assert ScanRecord.from_error(str(tmp_path / "x.jpg"), "truncated") == made
    assert "failed" not in made.to_json() and "failed" not in made.to_row()
