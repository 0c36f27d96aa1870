"""docs/jsonl.md's threshold of `verdict`, as a script reading the JSONL would apply it, gives the verdicts blurscan
writes: a photo analysed a little under 1024 px (a 1000-px picture) takes the full-size threshold, 0.7053, not the
smaller photos' 0.8469 (the docs said 0.8469 for every photo under 1024 px; the model's rule has a 2.5 % tolerance,
blurscan.model.aggregate.FULL_SIZE_TOLERANCE)."""
import re
from pathlib import Path

import numpy as np
import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "jsonl.md"


def _documented_rule():
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    m = re.search(r"for the shipped model (0\.\d{4}) for photos analysed at (\d+) px or more on the long side"
                  r".*? and (0\.\d{4}) for smaller ones", text)
    assert m, "docs/jsonl.md no longer states from which size the full-size threshold applies"
    return float(m.group(1)), int(m.group(2)), float(m.group(3))


def _generated(width, height):
    cv2 = pytest.importorskip("cv2")
    rng = np.random.default_rng(0)
    base = cv2.resize((rng.random((100, 250)) * 255).astype(np.uint8), (1000, 400), interpolation=cv2.INTER_CUBIC)
    base = cv2.addWeighted(base, 0.5, (rng.random((400, 1000)) * 255).astype(np.uint8), 0.5, 0)
    img = cv2.GaussianBlur(base, (0, 0), 1.0)  # a mild blur: p_blurry between the two thresholds
    return img if width == 1000 else cv2.resize(img, (width, height), interpolation=cv2.INTER_AREA)


def test_the_documented_size_boundary_is_the_models():
    from blurscan.model import aggregate, runtime

    full, boundary, small = _documented_rule()
    rule = runtime.load().spec.aggregator
    assert round(aggregate.threshold_for(rule, boundary), 4) == full
    assert round(aggregate.threshold_for(rule, boundary - 1), 4) == small


@pytest.mark.parametrize("size", [(1000, 400), (990, 396)])
def test_a_photo_just_under_1024_px_is_judged_by_the_documented_threshold(size):
    import blurscan

    full, boundary, small = _documented_rule()
    record = blurscan.score_image(_generated(*size))
    obj = record.to_json()
    threshold = full if max(obj["width"], obj["height"]) >= boundary else small
    assert small - 0.05 > record.p_blurry > full + 0.01  # between the two: the threshold decides
    assert (obj["verdict"] == "blurry") == (record.p_blurry >= threshold), (obj["p_blurry"], obj["verdict"], threshold)
