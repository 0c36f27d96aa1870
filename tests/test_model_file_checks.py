"""A model file named by path that blurscan cannot use is refused when it is opened, before any photo, with one
line naming the file and the reason (exit 1 for `scan --model PATH`, ModelError from the API); a network that
gives NaN for one photo's windows makes that photo an error record naming the model, never a verdict.

Until 2026-12-05 a network giving NaN scored every photo "sharp" (p_blurry 0.81, an empty grid) and stored it,
labels in another order or a threshold of NaN gave wrong verdicts without a word, and most other faults failed on
every photo as an "internal error"."""
from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest

import blurscan
from blurscan.config import ScanSettings
from blurscan.errors import ModelError
from blurscan.model import runtime
from helpers_cli import jsonl, run
from helpers_images import save_png, textured
from helpers_onnx import tiny_network, with_metadata


def _rule(**changes):
    def edit(meta):
        meta["aggregator"].update(changes)
        return meta
    return edit


def _spec(**changes):
    def edit(meta):
        meta.update(changes)
        return meta
    return edit


BAD_METADATA = {
    "labels in another order": (_spec(labels=["sharp", "flat", "defocus", "motion"]), "'labels' are"),
    "labels as one text": (_spec(labels="flat,sharp,defocus,motion"), "'labels' are 'flat,sharp"),
    "patch unlike the network's": (_spec(patch=32), "the network takes tensor.float. of shape N x 1 x 64 x 64"),
    "colour, the network reads one channel": (_spec(channels=3), "N x 1 x 64 x 64, the metadata's windows are"),
    "patch a text": (_spec(patch="64"), "'patch' must be a whole number"),
    "no grid": (_spec(max_grid=0), "'max_grid' must be"),
    "no input scale": (_spec(input_scale=None), "'input_scale' must be a number above 0, got None"),
    "version null": (_spec(version=None), "'version' must be a non-empty text"),
    "no version": (lambda m: {k: v for k, v in m.items() if k != "version"}, "no 'version' in the blurscan metadata"),
    "threshold NaN": (_rule(threshold=math.nan), "'threshold' must be a number from 0 to 1, got nan"),
    "scale of 0": (lambda m: _rule(scale=[0.0] * len(m["aggregator"]["scale"]))(m), "'scale' holds a 0"),
    "coefficients missing": (lambda m: _rule(coef=m["aggregator"]["coef"][:5])(m), "'coef' has 5 values, the rule"),
    "coarse factor 0": (_rule(coarse={"factor": 0, "max_grid": 8}), "'coarse' must hold a whole 'factor' >= 2"),
    "rule without anisotropy": (_rule(anisotropy=False), "'mean' has 27 values, the rule reads 26"),
    "blur-type rule broken": (_rule(blur_type={"coef": [1.0]}), "blur-type rule's 'mean' must be"),
    "rule a list": (_spec(aggregator=[1, 2]), "is not a JSON object"),
}


@pytest.mark.parametrize("case", sorted(BAD_METADATA))
def test_metadata_the_runtime_cannot_use_is_refused_at_load(tmp_path, case):
    edit, reason = BAD_METADATA[case]
    path = with_metadata(tmp_path / "m.onnx", edit)
    with pytest.raises(ModelError, match=rf"m\.onnx: bad blurscan metadata \(.*{reason}"):
        runtime.load(path)


def test_the_shipped_models_metadata_copied_unchanged_loads(tmp_path):
    path = with_metadata(tmp_path / "m.onnx", lambda meta: meta)
    photo = textured(1, (300, 400))[:, :, 0]
    assert runtime.load(path).predict_gray(photo) == runtime.load("default").predict_gray(photo)


@pytest.mark.parametrize("network, reason", [
    (dict(logits=[math.nan] * 4), r"the network gives NaN for 2 of 2 windows"),
    (dict(logits=[math.inf, 0, 0, 0]), r"the network gives an infinite value for 2 of 2 windows"),
    (dict(logits=[0.0, 1.0, 2.0]), r"the network gives float32 output of shape \(2, 3\) for 2 windows"),
    (dict(patch=32), r"the network takes tensor\(float\) of shape N x 1 x 32 x 32"),
])
def test_a_network_blurscan_cannot_read_is_refused_at_load(tmp_path, network, reason):
    path = tiny_network(tmp_path / "net.onnx", **network)
    with pytest.raises(ModelError, match=rf"net\.onnx: .*{reason}"):
        runtime.load(path)
    with pytest.raises(ModelError, match=reason):
        blurscan.score_image(textured(2), ScanSettings(model=str(path)))


def test_scan_with_a_nan_network_stops_before_any_photo(tmp_path):
    (tmp_path / "photos").mkdir()
    save_png(tmp_path / "photos" / "a.png", textured(3))
    model = tiny_network(tmp_path / "nan.onnx", logits=[math.nan] * 4)
    db = tmp_path / "scan.db"
    result = run("scan", tmp_path / "photos", "--db", db, "--model", model, "--format", "jsonl")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: {model}: the network gives NaN for 2 of 2 windows "
                                                  "(a broken model)"]
    assert result.stdout == "" and not db.exists()


def test_a_photo_the_network_gives_nan_for_is_an_error_naming_the_model(tmp_path):
    """The network gives NaN for all-black windows only: the photo with a black square is an error record, the
    other is scored, and the database holds no verdict for the first."""
    photos = tmp_path / "photos"
    photos.mkdir()
    black = textured(4, (480, 640))
    black[120:400, 160:480] = 0
    save_png(photos / "black.png", black)
    save_png(photos / "plain.png", textured(5, (480, 640)))
    model = tiny_network(tmp_path / "nan_on_black.onnx", nan_on_black=True)
    result = run("scan", photos, "--db", tmp_path / "scan.db", "--model", model, "--format", "jsonl",
                 "--workers", "1")
    records = {r["path"].rsplit("/", 1)[-1]: r for r in jsonl(result.stdout)}
    assert records["plain.png"]["status"] == "ok" and records["plain.png"]["verdict"] == "sharp"
    bad = records["black.png"]
    assert bad["status"] == "error" and bad["verdict"] is None and bad["p_blurry"] is None
    assert bad["error"].startswith(f"{model}: the network gives NaN for ") and "Traceback" not in result.stderr
    with pytest.raises(ModelError, match="nan_on_black.onnx: the network gives NaN for"):
        blurscan.score_image(black, ScanSettings(model=str(model)))
    again = run("scan", photos, "--db", tmp_path / "scan.db", "--model", model, "--format", "jsonl",
                "--workers", "1")
    assert {r["path"].rsplit("/", 1)[-1]: r["status"] for r in jsonl(again.stdout)} == {
        "black.png": "error", "plain.png": "ok"}



@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts the threads in /proc")
def test_model_threads_beyond_the_cores_start_no_more_threads():
    """`--threads 100000` started thousands of ONNX Runtime threads (16 GB, SIGTERM unheeded) until 2026-12-05:
    no more than four per core this process may use are started, and the photo is scored the same."""
    code = ("import numpy as np; from blurscan.config import usable_cores; from blurscan.model import runtime\n"
            "def threads(): return int([l for l in open('/proc/self/status') if l.startswith('Threads:')][0].split()[1])\n"
            "gray = np.random.default_rng(0).integers(0, 256, (300, 400), dtype=np.uint8)\n"
            "one = runtime.load('default').predict_gray(gray); before = threads()\n"
            "two = runtime.load('default', threads=2); two.predict_gray(gray); with_two = threads() - before\n"
            "clf = runtime.load('default', threads=4 * usable_cores() + 6); many = clf.predict_gray(gray)\n"
            "print(with_two, threads() - before - with_two, 4 * usable_cores(), abs(many.p_blurry - one.p_blurry) < 1e-5)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    with_two, started, most, same = out.stdout.split()
    assert int(with_two) == 1, out.stdout  # two threads asked for: one beside the calling thread
    assert int(started) <= int(most) - 1 and same == "True", out.stdout


def test_a_model_rewritten_in_place_at_the_same_size_is_loaded_again(tmp_path):
    """A model retrained into the same file keeps its inode and, with the same architecture, its size: its
    modification time tells score_image to load it again."""
    model = with_metadata(tmp_path / "m.onnx", _spec(version="2026.12.01"))
    settings = ScanSettings(model=str(model))
    first = blurscan.score_image(textured(6), settings).model_version
    inode, size, mtime = model.stat().st_ino, model.stat().st_size, model.stat().st_mtime_ns
    with open(model, "r+b") as fh:  # the same bytes but the version's last digit: same inode, same size
        data = fh.read().replace(b"2026.12.01", b"2026.12.02")
        fh.seek(0)
        fh.write(data)
    os.utime(model, ns=(mtime + 10**9, mtime + 10**9))
    assert (model.stat().st_ino, model.stat().st_size) == (inode, size)
    again = blurscan.score_image(textured(6), settings).model_version
    assert first.startswith("2026.12.01+") and again.startswith("2026.12.02+")


@pytest.mark.timeout(60)
def test_a_named_pipe_given_as_the_model_is_refused_not_waited_on(tmp_path):
    # reading a named pipe waits for a writer: until 2026-12-05 `scan --model PIPE` waited for good
    pipe = tmp_path / "model.onnx"
    os.mkfifo(pipe)
    save_png(tmp_path / "lib" / "a.png", textured(1))
    result = run("scan", tmp_path / "lib", "--model", pipe, "--workers", "1")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"Error: {pipe}: not a model file (a named pipe): give an .onnx file" in result.output
    assert not (tmp_path / "lib" / ".blurscan.db").exists()
    with pytest.raises(ModelError, match="a named pipe"):
        runtime.load(pipe)
