"""docs/scan.md (From Python): pass a Pillow image as opened, or the path, never a `convert("RGB")` of your own,
which clips a 16-bit image before blurscan sees it; docs/jsonl.md: every error record, a too-small one too, has
`width` and `height` null (its size is in the error text). Guards of what the docs say: they pass on the code
before the docs change too."""
from __future__ import annotations

import numpy as np
from PIL import Image

import blurscan
from blurscan.pipeline import scan
from helpers_images import blurred, textured


def test_a_16_bit_png_scores_as_opened_and_is_clipped_by_a_convert_of_ones_own(tmp_path):
    path = tmp_path / "blurred16.png"
    Image.fromarray(blurred(textured(0), 3.0)[..., 0].astype(np.uint16) * 257).save(path)
    with Image.open(path) as im:
        assert im.mode == "I;16"
        opened = blurscan.score_image(im)
        converted = blurscan.score_image(im.convert("RGB"))
        assert np.asarray(im.convert("RGB")).min() == 255  # what Pillow's conversion leaves: white
    assert blurscan.score_image(path).verdict == opened.verdict == "blurry"
    assert (converted.verdict, converted.p_blurry) == ("sharp", 0.0)


def test_a_too_small_record_has_no_width_or_height_and_says_its_size_in_the_error(tmp_path):
    Image.fromarray(np.zeros((16, 20, 3), np.uint8)).save(tmp_path / "icon.png")
    (record,) = [r.to_json() for r in scan([str(tmp_path)])]
    assert record["status"] == "error" and record["error"].startswith("too small to judge: 20 x 16 px")
    assert (record["width"], record["height"]) == (None, None) and record["size"] > 0
