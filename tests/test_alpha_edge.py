"""A transparent image is judged composited on white (docs/measures.md, *Transparent images with a hard edge*):
a cut-out's binary alpha edge counts as sharp detail, in `laplacian_var` and in `p_blurry`. A guard of what the
docs say (it passes on the code before the docs change too)."""
from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

import blurscan
from helpers_images import blurred, textured


def _cut_out(size=224):
    yy, xx = np.mgrid[:size, :size]
    return ((((yy - size // 2) ** 2 + (xx - size // 2) ** 2) < (size * 2 // 5) ** 2) * 255).astype(np.uint8)


def test_a_hard_alpha_edge_reads_as_detail_and_laplacian_var_is_that_of_the_picture_on_white(tmp_path):
    mask = _cut_out()
    img = blurred(textured(0, (224, 224)), 3.0)
    Image.fromarray(img).save(tmp_path / "rgb.png")
    Image.fromarray(np.dstack([img, mask])).save(tmp_path / "hard.png")
    Image.fromarray(np.dstack([img, cv2.GaussianBlur(mask, (0, 0), 6)])).save(tmp_path / "feathered.png")
    rgb, hard, feathered = (blurscan.score_image(tmp_path / f"{n}.png") for n in ("rgb", "hard", "feathered"))
    alpha = mask[..., None].astype(np.int32)
    on_white = ((img.astype(np.int32) * alpha + 255 * (255 - alpha) + 127) // 255).astype(np.uint8)
    expected = cv2.Laplacian(cv2.cvtColor(on_white, cv2.COLOR_RGB2GRAY), cv2.CV_64F).var()
    assert abs(hard.laplacian_var - expected) <= 0.01 * expected
    assert rgb.laplacian_var < 100 < hard.laplacian_var  # the edge alone lifts it past the rule of thumb
    assert rgb.verdict == feathered.verdict == "blurry"
    assert hard.p_blurry < rgb.p_blurry and hard.p_blurry < feathered.p_blurry
    sharp = np.dstack([textured(0, (224, 224)), mask])
    Image.fromarray(sharp).save(tmp_path / "sharp.png")
    assert blurscan.score_image(tmp_path / "sharp.png").p_blurry < hard.p_blurry  # p_blurry still ranks them
