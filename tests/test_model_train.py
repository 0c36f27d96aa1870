"""Training side (needs torch): export parity torch vs ONNX Runtime, determinism, a tiny end-to-end run."""
from __future__ import annotations

import io

import numpy as np
import pytest

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from blurscan.errors import ModelError  # noqa: E402
from blurscan.model import aggregate, data, runtime  # noqa: E402
from blurscan.model.export import export_onnx  # noqa: E402
from blurscan.model.network import RegionNet  # noqa: E402
from blurscan.model.spec import METADATA_KEY, ModelSpec  # noqa: E402

pytestmark = pytest.mark.train

#: The seed blog's four blur algorithms, the classes of ``train --recipe seed-4class``.
FOUR_CLASSES = ("gaussian", "motion", "minfilter", "partial_centre")
_RULE = {"names": list(aggregate.FEATURE_NAMES), "mean": [0.0] * len(aggregate.FEATURE_NAMES),
         "scale": [1.0] * len(aggregate.FEATURE_NAMES), "coef": [0.0] * len(aggregate.FEATURE_NAMES),
         "intercept": 0.0, "threshold": 0.5}


def _with_batch_stats(widths: tuple) -> RegionNet:
    """A network with non-trivial batch-norm statistics, as after training (seed 0; left in train mode)."""
    torch.manual_seed(0)
    net = RegionNet(4, 1, widths)
    net.train()
    with torch.no_grad():
        for _ in range(3):
            net(torch.rand(16, 1, 64, 64))
    return net


def test_export_parity_checker_and_metadata(tmp_path):
    net = _with_batch_stats((8, 16, 16, 24))
    rng = np.random.default_rng(1)
    sample = rng.random((6, 1, 64, 64), dtype=np.float32)
    out = export_onnx(net, ModelSpec(version="t1", aggregator=_RULE), tmp_path / "m.onnx", sample)
    proto = onnx.load(str(out))
    onnx.checker.check_model(proto, full_check=True)
    meta = {p.key: p.value for p in proto.metadata_props}
    assert ModelSpec.from_json(meta[METADATA_KEY]).version == "t1"
    # dynamic batch: ORT agrees with torch on a batch size not used at export
    x = rng.random((37, 1, 64, 64), dtype=np.float32)
    with torch.no_grad():
        ref = net.eval()(torch.from_numpy(x)).numpy()
    got = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"]).run(None, {"patches": x})[0]
    np.testing.assert_allclose(got, ref, atol=1e-4)
    clf = runtime.load(out)
    assert clf.version.startswith("t1+")
    assert clf.predict_gray((rng.random((200, 300)) * 255).astype(np.uint8)).verdict in ("sharp", "partial", "blurry")


# (the TorchScript exporter's deprecation notices, as blurscan.model.export keeps them out of the output)
@pytest.mark.filterwarnings("ignore:You are using the legacy TorchScript-based ONNX export:DeprecationWarning")
@pytest.mark.filterwarnings("ignore::DeprecationWarning:torch.onnx")
def test_export_pads_channels_to_whole_blocks_same_function(tmp_path):
    """Convolutions feeding convolutions come out with a multiple of 16 channels (ONNX Runtime's blocked layout),
    the last one (feeding the pooling) as trained, and the file computes what the unpadded graph computes."""
    from blurscan.model.export import CHANNEL_BLOCK, pad_channels

    net = _with_batch_stats((12, 24, 48, 20)).eval()
    rng = np.random.default_rng(2)
    out = export_onnx(net, ModelSpec(version="t", aggregator=_RULE), tmp_path / "m.onnx",
                      rng.random((8, 1, 64, 64), dtype=np.float32))
    proto = onnx.load(str(out))
    onnx.checker.check_model(proto, full_check=True)
    inits = {i.name: onnx.numpy_helper.to_array(i) for i in proto.graph.initializer}
    filters = [inits[n.input[1]].shape for n in proto.graph.node if n.op_type == "Conv"]
    assert [f[0] for f in filters] == [16, 32, 48, 20]   # 12 -> 16, 24 -> 32, 48 kept, the last one kept
    assert [f[1] for f in filters] == [1, 16, 32, 48]    # each next convolution reads the widened input
    assert pad_channels(proto) == []                     # nothing left to pad: idempotent
    # the same function as the graph torch exported, unpadded
    buf = io.BytesIO()
    torch.onnx.export(net, (torch.rand(2, 1, 64, 64),), buf, input_names=["patches"], output_names=["logits"],
                      dynamic_axes={"patches": {0: "n"}, "logits": {0: "n"}}, opset_version=17, dynamo=False)
    x = rng.random((29, 1, 64, 64), dtype=np.float32)
    x[:5] = x[:5] * 0.02 + 0.5   # nearly flat windows: divided by a small std inside the graph
    plain = ort.InferenceSession(buf.getvalue(), providers=["CPUExecutionProvider"]).run(None, {"patches": x})[0]
    padded = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"]).run(None, {"patches": x})[0]
    np.testing.assert_allclose(padded, plain, atol=1e-4, rtol=1e-5)
    assert CHANNEL_BLOCK % 8 == 0


def test_runtime_refuses_other_tasks(tmp_path):
    net = RegionNet(4, 1, (8, 16, 16, 24))
    out = export_onnx(net, ModelSpec(version="t", task="algorithm4", labels=("a", "b", "c", "d")), tmp_path / "x.onnx")
    with pytest.raises(ModelError, match=r"x.onnx: the blog's 4-class experiment \(train --recipe seed-4class\) "
                                         "cannot score photos; scan needs a model made by `blurscan train`"):
        runtime.load(out)
    out = export_onnx(net, ModelSpec(version="t", task="other", labels=("a", "b", "c", "d")), tmp_path / "y.onnx")
    with pytest.raises(ModelError, match="y.onnx: a 'other' model cannot score photos"):
        runtime.load(out)


def test_two_scale_features_same_in_training_and_runtime(tmp_path):
    """The runtime's two-scale p_blurry equals what training computes from the same windows."""
    import cv2
    from skimage import data as skd

    from blurscan.model.spec import COARSE_MAX_GRID, coarse_image, extract_patches
    from blurscan.model.train import two_scale_features

    torch.manual_seed(0)
    net = RegionNet(4, 1, (8, 16, 16, 24)).eval()
    names = list(aggregate.FEATURE_NAMES + aggregate.COARSE_FEATURE_NAMES) + [aggregate.ANISOTROPY_FEATURE]
    rng = np.random.default_rng(2)
    rule = {"names": names, "mean": [0.0] * len(names), "scale": [1.0] * len(names),
            "coef": rng.normal(0, 0.5, len(names)).tolist(), "intercept": 0.1, "threshold": 0.5,
            "coarse": {"factor": 2, "max_grid": COARSE_MAX_GRID}, "anisotropy": True}
    out = export_onnx(net, ModelSpec(version="t2", max_grid=12, aggregator=rule), tmp_path / "m.onnx")
    clf = runtime.load(out)
    gray = cv2.cvtColor(skd.astronaut(), cv2.COLOR_RGB2GRAY)
    gray = cv2.resize(gray, (700, 500), interpolation=cv2.INTER_AREA)
    w, shape = extract_patches(gray, 64, 12)
    w2, shape2 = extract_patches(coarse_image(gray), 64, COARSE_MAX_GRID)
    assert shape == (7, 10) and shape2 == (3, 5)
    feats = two_scale_features(net, w[:, 0], shape, 700, w2[:, 0], shape2)
    assert feats.shape == (len(names),)
    expected = float(aggregate.rule_probability(feats, rule)[0])
    assert clf.predict_gray(gray).p_blurry == pytest.approx(expected, abs=1e-3)
    # a rule without the anisotropy (model files before 2026-12-03) uses the two grids' features alone
    two = {**rule, "anisotropy": False, "names": names[:-1], "mean": rule["mean"][:-1],
           "scale": rule["scale"][:-1], "coef": rule["coef"][:-1]}
    out2 = export_onnx(net, ModelSpec(version="t3", max_grid=12, aggregator=two), tmp_path / "m2.onnx")
    assert runtime.load(out2).predict_gray(gray).p_blurry == pytest.approx(
        float(aggregate.rule_probability(feats[:-1], two)[0]), abs=1e-3)
    # a rule without the "coarse" entry (older model files) still works on the analysis scale alone
    old = export_onnx(net, ModelSpec(version="t1", max_grid=12, aggregator=_RULE), tmp_path / "old.onnx")
    assert runtime.load(old).predict_gray(gray).p_blurry == pytest.approx(0.5)


@pytest.mark.slow
def test_fit_is_deterministic():
    from blurscan.model.train import fit_cnn

    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (96, 64, 64), dtype=np.uint8)
    y = rng.integers(0, 4, 96).astype(np.int64)
    kw = dict(seed=3, epochs=2, batch=32, lr=1e-3, weight_decay=0.0, patience=5, widths=(8, 16, 16, 24), threads=1)
    a, ha = fit_cnn(x, y, x[:32], y[:32], 4, **kw)
    b, hb = fit_cnn(x, y, x[:32], y[:32], 4, **kw)
    assert ha == hb
    for (ka, va), (kb, vb) in zip(a.state_dict().items(), b.state_dict().items()):
        assert torch.equal(va, vb), ka


@pytest.mark.slow
def test_training_pins_the_numeric_backends():
    """The weights must not depend on the CPU: training pins torch's and oneDNN's instruction sets to AVX2 and MKL
    to its COMPATIBLE reproducibility branch before torch loads (a fresh process), and says so when torch was
    loaded first and it is too late."""
    import os
    import platform
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA",
                                                            "MKL_ENABLE_INSTRUCTIONS", "MKL_CBWR")}
    # (one fresh process for both: MKL_VERBOSE only makes MKL say its branch, on lines of its own)
    # (its two lines written at once, flush=True: without PYTHONUNBUFFERED, set where this suite was written but not
    # on a build farm or a clean shell, they waited in Python's buffer and MKL's lines came first: ValueError)
    code = ("from blurscan.model import train; p = train.pin_numerics(); import torch; "
            "print('pinned', p == train.PINNED_NUMERICS, torch.backends.cpu.get_cpu_capability(), flush=True); "
            "print(torch.backends.mkl.is_available(), flush=True); print(torch.ones(64, 64) @ torch.ones(64, 64))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**env, "MKL_VERBOSE": "1"},
                         check=True).stdout
    first, out = out.split("\n", 1)
    _, pinned, capability = first.split()
    assert pinned == "True"
    if platform.machine().lower() in ("x86_64", "amd64"):
        assert capability in ("AVX2", "DEFAULT", "NO AVX"), capability  # never AVX512, whatever the CPU has
    if out.startswith("True") and platform.machine().lower() in ("x86_64", "amd64"):
        # MKL's own account of the branch it ran: the AVX2 branch binds on Intel CPUs only (CNR:AUTO on an AMD EPYC)
        assert "CNR:COMPATIBLE" in out and "CNR:AUTO" not in out, out[-600:]
    late = ("import torch; from blurscan.model import train; print(train.pin_numerics())")
    out = subprocess.run([sys.executable, "-c", late], capture_output=True, text=True, env=env, check=True)
    assert "torch already loaded" in out.stdout and "not pinned" in out.stderr


def test_window_labels():
    rng = np.random.default_rng(0)
    tex = rng.integers(0, 256, (3, 64, 64)).astype(np.uint8)
    flat = np.full((1, 64, 64), 100, np.uint8)
    src = np.concatenate([tex, flat])
    import cv2

    blurred = np.stack([cv2.GaussianBlur(w, (0, 0), 3) for w in src])
    assert list(data.window_labels(src, src, "none", "sharp")) == [1, 1, 1, 0]
    assert list(data.window_labels(src, blurred, "shake", "motion")) == [3, 3, 3, 0]
    mixed = np.concatenate([blurred[:2], src[2:]])
    assert list(data.window_labels(src, mixed, "partial_subject", "partial")) == [2, 2, 1, 0]
    # a night scene: a window holding a lamp is blurred under camera shake even where its fine detail rose
    # (a saturated streak), and stays sharp when nothing moved
    lit = np.array([False, True, False, True])
    assert list(data.window_labels(src, src, "shake", "motion", lit)) == [-1, 3, -1, 3]
    assert list(data.window_labels(src, src, "none", "sharp", lit)) == [1, 1, 1, 0]
    # sensor noise over a blurred window restores "fine detail"; measured on the noiseless twin it is blurred
    noisy = np.clip(blurred + rng.normal(0, 60, blurred.shape), 0, 255).astype(np.uint8)
    assert list(data.window_labels(src, noisy, "shake", "motion")) == [-1, -1, -1, 0]
    assert list(data.window_labels(src, noisy, "shake", "motion", ref_windows=blurred)) == [3, 3, 3, 0]
    assert list(data.window_labels(src, noisy, "partial_subject", "partial", ref_windows=mixed)) == [2, 2, 1, 0]


def test_night_scene():
    """Darker by the drawn exposure, lamps painted as clipped white and marked in the mask, source untouched."""
    import cv2

    from blurscan.synth import camera as cam

    rng = np.random.default_rng(1)
    src = rng.integers(30, 220, (300, 400, 3)).astype(np.uint8)
    before = src.copy()
    out, lamps = data.night_scene(src, np.random.default_rng(5))
    assert np.array_equal(src, before) and out.shape == src.shape and lamps.shape == src.shape[:2]
    unlit = lamps == 0
    ratio = cam.srgb_to_linear(out)[unlit].mean() / cam.srgb_to_linear(src)[unlit].mean()
    assert data.NIGHT_EXPOSURE[0] * 0.9 <= ratio <= data.NIGHT_EXPOSURE[1] * 1.1
    assert lamps.any() and (out[lamps > 0] == 255).all()
    n, _ = cv2.connectedComponents((lamps > 0).astype(np.uint8))
    assert 1 <= n - 1 <= data.NIGHT_LAMPS[1]


#: Six of scikit-image's sample photos, two for each split (train: astronaut, camera; val: chelsea, colorwheel;
#: test: coins, moon, as ``split_of`` draws them in a folder named ``photos``): every split filled, and a third of
#: the synthesis sixteen photos took (most of these tests' time).
SOURCES = ("astronaut", "camera", "chelsea", "colorwheel", "coins", "moon")


def _skimage_sources(folder):
    """:data:`SOURCES` as PNG files in ``folder`` (a tiny training set)."""
    import cv2
    from skimage import data as skd

    folder.mkdir()
    for n in SOURCES:
        img = getattr(skd, n)()
        if img.ndim == 2:
            img = np.repeat(img[:, :, None], 3, axis=2)
        cv2.imwrite(str(folder / f"{n}.png"), np.ascontiguousarray(img[:, :, :3][:, :, ::-1]))
    return folder


@pytest.mark.slow
def test_tiny_training_run(tmp_path):
    """End to end on a few generated sources: synthesis, training, rule, export, runtime."""
    from blurscan.model.train import train

    src = _skimage_sources(tmp_path / "photos")
    out, card = tmp_path / "m.onnx", tmp_path / "card.md"
    res = train([src], out, epochs=1, seed=0, work_dir=tmp_path / "work", workers=1, threads=1, card=card)
    assert res["splits"].get("train") and res["splits"].get("val")
    clf = runtime.load(out)
    assert clf.spec.training["seed"] == 0 and len(res["history"]) == 1
    # the library versions of the run, in the metadata and on the card (until 2026-12-05 neither said them)
    libs = clf.spec.training["libraries"]
    assert libs["numpy"] == np.__version__ and libs["torch"] == torch.__version__ and libs["onnx"] == onnx.__version__
    assert np.isfinite(res["history"][0]["val_loss"])
    # the card of a model trained on one's own photos describes that model, not the shipped one (it carried the
    # shipped model's title, data line, history table and known weaknesses)
    text = card.read_text()
    assert text.startswith("# Model card: m.onnx") and "default model" not in text
    assert f"Library versions of this run: Python {libs['python']}, NumPy {np.__version__}, " in text
    assert f"{len(SOURCES)} sharp source photos (from `{src}`)" in text
    assert "## What was tried" not in text and "## Known weaknesses" not in text and "make model" not in text


@pytest.mark.slow
@pytest.mark.parametrize("camera", [True, False])
def test_tiny_four_class_run(tmp_path, camera):
    """The blog experiment end to end on a few generated sources: its card, its algorithm4 model; with
    ``camera=False`` (``--no-camera``) the card says its images are clean renders."""
    from blurscan.model import fourclass
    from blurscan.model.train import train

    src = _skimage_sources(tmp_path / "photos")
    out, card = tmp_path / "f.onnx", tmp_path / "card.md"
    res = train([src], out, recipe="seed-4class", epochs=1, seed=0, work_dir=tmp_path / "work", workers=1,
                threads=1, card=card, camera=camera)
    assert res["classes"] == list(FOUR_CLASSES) and len(res["history"]) == 1
    assert res["cfg"]["stem_stride"] == 1 and tuple(res["cfg"]["widths"]) == fourclass.NETWORK["widths"]
    assert res["n_test"] > 0 and 0.0 <= res["test_accuracy"] <= 1.0
    assert sum(map(sum, res["confusion"])) == res["n_test"]
    assert res["camera"] is camera
    text = card.read_text()
    assert "first convolution at full resolution" in text and "| seed blog (reported) | 90 % |" in text
    assert ("clean renders: no camera pipeline" in text) is not camera
    assert f"camera pipeline {'on' if camera else 'off'}" in text
    assert f"sharp source photos of `{src}`, each" in text  # not "of `../shared/data`"
    assert f"- Library versions of this run: Python {res['libraries']['python']}, NumPy {np.__version__}" in text
    with pytest.raises(ModelError, match="4-class experiment"):
        runtime.load(out)


def test_no_camera_is_refused_for_the_scan_model(tmp_path):
    """The scan's model always learns from camera-like images; asking otherwise fails before any work."""
    from click.testing import CliRunner

    from blurscan.cli import main

    result = CliRunner().invoke(main, ["train", str(tmp_path), "--out", str(tmp_path / "m.onnx"), "--no-camera"])
    assert result.exit_code == 2
    assert "--no-camera is for --recipe seed-4class only" in result.output
    assert not (tmp_path / "m.onnx").exists()


@pytest.mark.parametrize("names, counts", [(("b", "d"), "train 2, val 0, test 0"),
                                           (("a", "b"), "train 1, val 1, test 0")])
def test_too_few_sources_fail_before_synthesis(tmp_path, names, counts):
    """Two photos cannot fill the train, val and test splits: one Error line and exit 1 (a data problem, not a
    usage error), before any synthesis (nothing in the work folder, in a second or so). Two photos in train and
    val only used to synthesise, train, and stop at the export with a traceback (no test windows)."""
    import cv2
    from click.testing import CliRunner
    from skimage import data as skd

    from blurscan.cli import main
    from blurscan.synth.recipes import split_of

    photos = tmp_path / "photos"
    photos.mkdir()
    for name, img in zip(names, (skd.camera(), skd.coins())):
        cv2.imwrite(str(photos / f"{name}.png"), img)
    assert ", ".join(f"{s} {sum(split_of(f'photos/{n}.png', 0) == s for n in names)}"
                     for s in ("train", "val", "test")) == counts  # the case this test is about
    work, out = tmp_path / "work", tmp_path / "m.onnx"
    result = CliRunner().invoke(main, ["train", str(photos), "--out", str(out), "--work-dir", str(work),
                                       "--workers", "1", "--epochs", "1"])
    assert result.exit_code == 1, result.output
    assert "Error: too few sources to make a train, a val and a test split: 2 photos (2 source groups" in result.stderr
    assert f"give {counts}; give more photos" in result.stderr
    assert "Traceback" not in result.output and "synthesising" not in result.output
    assert not work.exists() and not out.exists()


def test_no_photos_to_train_on_is_a_data_error(tmp_path):
    """A folder without a photo: one Error line and exit 1 (it was 2, the usage-error code), as for too few."""
    from click.testing import CliRunner

    from blurscan.cli import main

    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["train", str(tmp_path / "empty"), "--out", str(tmp_path / "m.onnx")])
    assert result.exit_code == 1, result.output
    # no blank line above it (the progress display, closed with no bar, printed one until 2026-12-05); in this
    # process torch is loaded already, which a warning line says first
    lines = result.stderr.splitlines()
    assert lines[-1] == f"Error: {tmp_path / 'empty'}: no sharp photos to train on" and "" not in lines, lines


def test_rule_only_entries_give_the_network_no_windows(tmp_path):
    """Small-subject images serve the image rule only: the window CNN's training set leaves them out, and
    leaving them out draws nothing from the sampler, so the other images' windows are the same as without them."""
    import json

    def job(i, kind, value):
        out = tmp_path / f"{i}.npz"
        wins = np.repeat((value + np.arange(5, dtype=np.uint8))[:, None, None], 64, axis=1).repeat(64, axis=2)
        np.savez_compressed(out, windows=wins, labels=np.arange(5) % 4, meta=json.dumps({"kind": kind}),
                            windows2=wins[:2], labels2=np.zeros(2, np.int8))
        return data.Job(str(out), f"k{i}", "train", i, kind, 0, 64, 10, str(out))

    mixed = [job(0, "none", 10), job(1, "partial_small", 20), job(2, "shake", 30)]
    x, y, ids = data.load_windows(mixed, ["train"], 3, np.random.default_rng(0), coarse_per_image=1)
    assert set(np.unique(x) // 10) == {1, 3} and set(ids) == {0, 2}
    alone, _, _ = data.load_windows([mixed[0], mixed[2]], ["train"], 3, np.random.default_rng(0), coarse_per_image=1)
    np.testing.assert_array_equal(x, alone)
    every, _, _ = data.load_windows(mixed, ["train"], 3, np.random.default_rng(0), skip_kinds=())
    assert set(np.unique(every) // 10) == {1, 2, 3}
    assert "partial_small" in data.RULE_ONLY and data.image_label("partial_small") == 0


def test_full_resolution_stem_exports_and_costs_what_the_card_says(tmp_path):
    """The blog experiment's network (first convolution at stride 1) exports with torch/ORT parity and its
    first layer keeps the window's full resolution (about 4x the default network's multiply-adds)."""
    from blurscan.model import fourclass
    from blurscan.model.network import count_macs

    torch.manual_seed(0)
    widths = fourclass.NETWORK["widths"]
    net = RegionNet(4, 1, widths, stem_stride=fourclass.NETWORK["stem_stride"])
    default = RegionNet(4, 1, (12, 24, 48, 64))
    with torch.no_grad():
        assert net.stem(torch.rand(2, 1, 64, 64)).shape[-1] == 64
        assert default.stem(torch.rand(2, 1, 64, 64)).shape[-1] == 32
        assert net.blocks(net.stem(torch.rand(2, 1, 64, 64))).shape[-1] == 4
    ratio = count_macs(net) / count_macs(default)
    assert 3.0 < ratio < 5.0
    rng = np.random.default_rng(2)
    x = rng.random((9, 1, 64, 64), dtype=np.float32)
    out = export_onnx(net.eval(), ModelSpec(version="t", task="algorithm4", labels=FOUR_CLASSES),
                      tmp_path / "f.onnx", x)
    with torch.no_grad():
        ref = net(torch.from_numpy(x)).numpy()
    got = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"]).run(None, {"patches": x})[0]
    np.testing.assert_allclose(got, ref, atol=1e-4)


def test_dihedral_average_does_not_depend_on_the_windows_orientation():
    """The 4-class experiment averages each window over its 8 rotations and mirror images, so a rotated or
    mirrored window gets the same probabilities (a plain forward pass does not)."""
    from blurscan.model import fourclass
    from blurscan.model.train import predict_windows

    torch.manual_seed(3)
    net = RegionNet(4, 1, (8, 16, 16, 24), stem_stride=1).eval()
    rng = np.random.default_rng(4)
    w = (rng.random((5, 64, 64)) * 255).astype(np.uint8)
    w[:, :, :20] = 0  # something orientation-dependent
    turned = np.ascontiguousarray(np.rot90(w, 1, axes=(1, 2)))
    mirrored = np.ascontiguousarray(w[:, ::-1, :])
    p = fourclass.predict_dihedral(net, w)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(fourclass.predict_dihedral(net, turned), p, atol=1e-5)
    np.testing.assert_allclose(fourclass.predict_dihedral(net, mirrored), p, atol=1e-5)
    assert np.abs(predict_windows(net, turned) - predict_windows(net, w)).max() > 1e-4


def test_train_skips_unreadable_photos_before_synthesising_and_names_each(tmp_path):
    """An empty PNG, a text file named .jpg and a cut-off JPEG: train synthesised for half a minute and then
    stopped at the first one ('Error: ...zz_empty.png: not an image Pillow can read'), one file per run. Each
    is now skipped with its reason before anything is synthesised, as `blurscan synth` skips them."""
    import cv2
    from click.testing import CliRunner
    from skimage import data as skd

    from blurscan.cli import main

    photos = tmp_path / "photos"
    photos.mkdir()
    cv2.imwrite(str(photos / "camera.png"), skd.camera())
    cv2.imwrite(str(photos / "coins.png"), skd.coins())
    (photos / "zz_empty.png").write_bytes(b"")
    (photos / "zz_text.jpg").write_text("not a photo")
    good = cv2.imencode(".jpg", skd.astronaut())[1].tobytes()
    (photos / "zz_cut.jpg").write_bytes(good[: len(good) // 3])
    work, out = tmp_path / "work", tmp_path / "m.onnx"
    result = CliRunner().invoke(main, ["train", str(photos), "--out", str(out), "--work-dir", str(work),
                                       "--workers", "1", "--epochs", "1"])
    skipped = sorted(line.split(":")[0] for line in result.stderr.splitlines() if line.startswith("skipped "))
    assert skipped == [f"skipped {photos / n}" for n in ("zz_cut.jpg", "zz_empty.png", "zz_text.jpg")], result.stderr
    assert result.exit_code == 1 and "too few sources" in result.stderr and "2 photos" in result.stderr  # the rest
    assert not work.exists()
    bad_seed = CliRunner().invoke(main, ["train", str(photos), "--out", str(out), "--seed", "-1"])
    assert bad_seed.exit_code == 2 and "Traceback" not in bad_seed.output

