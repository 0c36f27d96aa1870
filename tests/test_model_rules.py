"""Training side (needs torch): fitting the model's small rules (:mod:`blurscan.model.rules`), the image rule's
operating point per photo size and the blur-type rule, and what the runtime makes of them."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from blurscan.decode import decode  # noqa: E402
from blurscan.jpeg import DCT_SCALE_TOLERANCE  # noqa: E402
from blurscan.model import aggregate, runtime  # noqa: E402
from blurscan.model.export import export_onnx  # noqa: E402
from blurscan.model.network import RegionNet  # noqa: E402
from blurscan.model.spec import ModelSpec  # noqa: E402
from test_model_train import _RULE  # noqa: E402

pytestmark = pytest.mark.train


def test_blur_type_rule_same_in_training_and_runtime(tmp_path):
    """A model with a fitted blur-type rule types a blurred photo from the type features that training computes
    from the same windows, and the rule decides, not the mass of the analysis scale alone."""
    import cv2
    from skimage import data as skd

    from blurscan.model.spec import COARSE_MAX_GRID, coarse_image, extract_patches
    from blurscan.model.train import two_scale_features

    torch.manual_seed(0)
    net = RegionNet(4, 1, (8, 16, 16, 24)).eval()
    names = list(aggregate.FEATURE_NAMES + aggregate.COARSE_FEATURE_NAMES) + [aggregate.ANISOTROPY_FEATURE]
    # every photo blurry (a large intercept), so every photo gets a type
    rule = {"names": names, "mean": [0.0] * len(names), "scale": [1.0] * len(names), "coef": [0.0] * len(names),
            "intercept": 5.0, "threshold": 0.5, "coarse": {"factor": 2, "max_grid": COARSE_MAX_GRID},
            "anisotropy": True}
    gray = cv2.resize(cv2.cvtColor(skd.astronaut(), cv2.COLOR_RGB2GRAY), (700, 500), interpolation=cv2.INTER_AREA)
    gray = cv2.GaussianBlur(gray, (0, 0), 3)
    w, shape = extract_patches(gray, 64, 12)
    w2, shape2 = extract_patches(coarse_image(gray), 64, COARSE_MAX_GRID)
    _, tf = two_scale_features(net, w[:, 0], shape, 700, w2[:, 0], shape2, with_type=True)
    assert tf.shape == (len(aggregate.TYPE_FEATURE_NAMES),) and 0.0 <= tf[0] <= 1.0 and 0.0 <= tf[1] <= 1.0
    mass = "motion" if tf[0] > 0.5 else "defocus"
    types = {}
    for sign in (1.0, -1.0):  # a rule that reads the analysis scale's motion share one way, then the other
        t_rule = {"names": list(aggregate.TYPE_FEATURE_NAMES), "mean": [float(tf[0]), 0.0, 0.0],
                  "scale": [1.0, 1.0, 1.0], "coef": [0.0, 0.0, 0.0], "intercept": sign}
        out = export_onnx(net, ModelSpec(version=f"bt{sign}", max_grid=12, aggregator={**rule, "blur_type": t_rule}),
                          tmp_path / f"m{sign}.onnx")
        pred = runtime.load(out).predict_gray(gray)
        assert pred.verdict == "blurry"
        types[sign] = pred.blur_type
        assert pred.blur_type == ("motion" if sign > 0 else "defocus")
    # without the rule (model files before it) the mass decides, as before
    plain = export_onnx(net, ModelSpec(version="bt0", max_grid=12, aggregator=rule), tmp_path / "plain.onnx")
    assert runtime.load(plain).predict_gray(gray).blur_type == mass


def test_fit_type_rule_learns_the_kind_and_keeps_the_plans_prior():
    from blurscan.model.rules import fit_type_rule, type_accuracy

    rng = np.random.default_rng(0)

    def rows(n, motion, share):
        return [(np.array([s, s + rng.normal(0, 0.05), rng.normal(-0.5, 0.2)]), motion, 1.0)
                for s in np.clip(rng.normal(share, 0.12, n), 0, 1)]

    train_rows = rows(150, True, 0.7) + rows(50, False, 0.3)
    rule = fit_type_rule(train_rows, seed=0)
    assert rule["names"] == list(aggregate.TYPE_FEATURE_NAMES) and "threshold" not in rule
    acc = type_accuracy(rows(60, True, 0.7) + rows(60, False, 0.3), rule)
    assert acc["n"] == 120 and acc["motion"] == 60 and acc["rule"] >= 0.85
    # not class-balanced: a photo whose features say nothing (the mean of both kinds) gets the commoner kind
    p = aggregate.rule_probability(np.array([0.5, 0.5, -0.5]), rule)[0]
    assert p > 0.5
    assert fit_type_rule(rows(20, True, 0.7), seed=0) is None  # one kind only: no rule
    assert fit_type_rule([], seed=0) is None


def test_operating_point_per_photo_size(tmp_path):
    """Each size class gets the threshold flagging the same share of its own sharp validation photos, and the
    runtime applies the full-size one to photos at the full analysis size only."""
    import cv2
    from skimage import data as skd

    from blurscan.model.rules import FULL_SIZE, MIN_SHARP_FOR_THRESHOLD, operating_thresholds

    n = len(aggregate.FEATURE_NAMES)
    rule = {"names": list(aggregate.FEATURE_NAMES), "mean": [0.0] * n, "scale": [1.0] * n,
            "coef": [1.0] + [0.0] * (n - 1), "intercept": 0.0}  # p_blurry = sigmoid(first feature)
    rng = np.random.default_rng(0)
    x = np.zeros((600, n))
    sides = np.array([512] * 300 + [FULL_SIZE] * 300)
    y = np.array(([0] * 200 + [1] * 100) * 2)
    x[:200, 0] = rng.normal(1.5, 1.0, 200)      # small sharp photos: scores spread high
    x[300:500, 0] = rng.normal(0.0, 0.5, 200)   # full-size sharp photos: scores lower
    x[y == 1, 0] = 3.0
    out = operating_thresholds(x, y, sides, rule, 0.03)
    assert out["full_size"] == FULL_SIZE and out["threshold"] > out["threshold_full_size"] >= 0.5
    p = aggregate.rule_probability(x, rule)
    for key, sel in (("threshold", sides < FULL_SIZE), ("threshold_full_size", sides >= FULL_SIZE)):
        flagged = (p[sel & (y == 0)] >= out[key]).mean()
        assert 0.01 <= flagged <= 0.03, (key, flagged)
    # too few sharp full-size photos for a threshold of their own: both classes get the pooled one
    few = np.concatenate([np.arange(300), 300 + np.arange(MIN_SHARP_FOR_THRESHOLD - 1), np.arange(500, 600)])
    out2 = operating_thresholds(x[few], y[few], sides[few], rule, 0.03)
    assert out2["threshold_full_size"] == pytest.approx(
        float(np.clip(np.quantile(p[few][y[few] == 0], 0.97), 0.5, 0.99)))
    # the runtime: p_blurry is 0.5 everywhere (all coefficients 0), blurry only where the threshold is 0.5
    flat_rule = dict(_RULE, threshold=0.9, threshold_full_size=0.5, full_size=FULL_SIZE)
    clf = runtime.load(export_onnx(RegionNet(4, 1, (8, 16, 16, 24)).eval(),
                                   ModelSpec(version="t3", max_grid=10, aggregator=flat_rule), tmp_path / "t.onnx"))
    gray = cv2.cvtColor(skd.astronaut(), cv2.COLOR_RGB2GRAY)
    big, small = cv2.resize(gray, (FULL_SIZE, 768)), cv2.resize(gray, (700, 525))
    assert aggregate.threshold_for(flat_rule, FULL_SIZE) == 0.5 and aggregate.threshold_for(flat_rule, 700) == 0.9
    assert aggregate.threshold_for(_RULE, FULL_SIZE) == 0.5  # an older rule: one threshold
    assert clf.predict_gray(big).verdict == "blurry"
    assert clf.predict_gray(small).verdict != "blurry"
    # a JPEG the decoder keeps at its DCT-scaled size (a 12-MP phone photo: 1008 px) is a full-size photo
    phone = tmp_path / "phone.jpg"
    cv2.imwrite(str(phone), cv2.resize(gray, (4032, 3024)), [cv2.IMWRITE_JPEG_QUALITY, 90])
    decoded = decode(phone)
    assert max(decoded.gray.shape) == 1008
    assert clf.predict(decoded).verdict == "blurry"
    assert aggregate.FULL_SIZE_TOLERANCE == DCT_SCALE_TOLERANCE
