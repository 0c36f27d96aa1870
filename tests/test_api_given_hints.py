"""What an ML pipeline hands score_image by mistake gets a hint that works: a dataset's encoded image bytes (a
PNG or JPEG file's content, as a Parquet or WebDataset column holds it), a file object, an array of another
library (a torch tensor). Until 2026-12-05 the bytes ended in os.stat's ``ValueError: embedded null byte`` and the
others in a TypeError naming the type alone."""
from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

import blurscan
from helpers_images import blurred, save_jpeg, textured


@pytest.fixture
def photo(tmp_path):
    return save_jpeg(tmp_path / "p.jpg", blurred(textured(3), 2))


def test_encoded_bytes_are_refused_with_the_way_that_scores_them(photo):
    data = photo.read_bytes()
    with pytest.raises(ValueError, match=r"encoded image.*PIL\.Image\.open\(io\.BytesIO\(data\)\)") as raised:
        blurscan.score_image(data)
    assert "embedded null byte" not in str(raised.value)
    with pytest.raises(ValueError, match=r"these 4 bytes hold a NUL byte"):  # (at its first byte only)
        blurscan.score_image(b"\0abc")
    for buffer in (bytearray(data), memoryview(data)):
        with pytest.raises(TypeError, match=r"encoded image.*PIL\.Image\.open\(io\.BytesIO\(data\)\)"):
            blurscan.score_image(buffer)
    as_told = blurscan.score_image(Image.open(io.BytesIO(data)))
    assert as_told.p_blurry == blurscan.score_image(photo).p_blurry


def test_a_file_object_is_refused_with_the_way_that_scores_it(photo):
    with open(photo, "rb") as f:
        with pytest.raises(TypeError, match=r"not BufferedReader: a file object\? .*PIL\.Image\.open\(f\)"):
            blurscan.score_image(f)
        f.seek(0)
        assert blurscan.score_image(Image.open(f)).p_blurry == blurscan.score_image(photo).p_blurry


class _OtherLibrarysArray:
    """An array of another library (a torch tensor, C x H x W): it has NumPy's ``__array__`` protocol, as torch's
    tensors have (torch itself is no test dependency)."""

    def __init__(self, chw):
        self.chw = chw

    def __array__(self, dtype=None, copy=None):
        return self.chw if dtype is None else self.chw.astype(dtype)


def test_an_array_of_another_library_is_refused_with_a_hint(photo):
    hwc = np.asarray(Image.open(photo).convert("RGB")).astype(np.float32) / 255
    x = _OtherLibrarysArray(hwc.transpose(2, 0, 1))
    hint = re.escape("not _OtherLibrarysArray: make it a NumPy array, H x W x C (np.asarray(x); a torch tensor, "
                     "C x H x W: x.permute(1, 2, 0).numpy())")
    with pytest.raises(TypeError, match=hint):
        blurscan.score_image(x)
    assert blurscan.score_image(np.asarray(x).transpose(1, 2, 0)).p_blurry == blurscan.score_image(hwc).p_blurry
