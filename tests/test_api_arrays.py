"""In-memory images given to ``score_image`` (blurscan.arrays): Pillow images of every sample kind, float arrays
of a normalised tensor, uint16 arrays of 10- and 12-bit sensors, channels-first arrays."""
from __future__ import annotations

import inspect
import os

import cv2
import numpy as np
import pytest
from PIL import Image

import blurscan
from blurscan.config import ScanSettings
from blurscan.errors import DecodeError

from helpers_images import blurred, photo, textured

S = ScanSettings(workers=1)  # the shipped model: verdicts as a user gets them


def _gray(shared_data, blur: float | None = None) -> np.ndarray:
    g = cv2.cvtColor(photo(shared_data, (256, 320)), cv2.COLOR_RGB2GRAY)
    return blurred(g, blur) if blur else g


def _same(a, b) -> None:
    assert (a.verdict, a.p_blurry, a.laplacian_var, a.scores) == (b.verdict, b.p_blurry, b.laplacian_var, b.scores)


def test_a_pillow_image_of_16_bit_or_float_samples_scores_as_its_file(tmp_path, shared_data):
    """score_image(Image.open(...)) went through Pillow's convert("RGB"), which clipped 16-bit samples to white
    and made 0..1 floats black: a blurred photo saved as a 16-bit PNG (mode I;16) or a float TIFF (mode F)
    scored `sharp`, p_blurry 0, laplacian_var 0, while its file scored `blurry`. So did mode I (int32)."""
    g = _gray(shared_data, blur=3)
    Image.fromarray(g.astype(np.uint16) * 257).save(tmp_path / "b16.png")
    Image.fromarray(g.astype(np.float32) / 255).save(tmp_path / "bf.tif")
    by_file = blurscan.score_image(tmp_path / "b16.png", S)
    assert by_file.verdict == "blurry"
    for name, mode in (("b16.png", "I;16"), ("bf.tif", "F")):
        with Image.open(tmp_path / name) as im:
            assert im.mode == mode
            _same(blurscan.score_image(im, S), blurscan.score_image(tmp_path / name, S))
            _same(blurscan.score_image(im, S), by_file)
    as_int32 = Image.fromarray(g.astype(np.int32) * 257)
    assert as_int32.mode == "I"
    _same(blurscan.score_image(as_int32, S), by_file)
    _same(blurscan.score_image(Image.fromarray(g), S), blurscan.score_image(g, S))  # 8-bit: as before


@pytest.mark.parametrize("kind", ["imagenet", "minus_one_to_one"])
def test_a_normalised_float_array_is_refused_with_what_to_do(kind):
    """Float arrays with negative values (torchvision's Normalize, or -1..1) had their negatives clipped to
    black, silently: an ImageNet-normalised blurred photo scored `sharp`. Now a DecodeError says what to do."""
    rgb = blurred(textured(2), 3).astype(np.float32) / 255
    x = (rgb - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225] if kind == "imagenet" else rgb * 2 - 1
    with pytest.raises(DecodeError, match=r"<array>: float array with negative values \(min -[0-9.]+.*"
                                          r"a normalised tensor\? undo the normalisation \(x \* std \+ mean\)"):
        blurscan.score_image(x.astype(np.float32), S)


def test_the_undershoot_of_resampling_in_floats_is_not_refused(tmp_path, shared_data):
    """Values a little below 0 where a bicubic or Lanczos resize rings at an edge are black, as before (they are
    not a normalised tensor); a float TIFF file is read as before, negatives black; and a Pillow image of a float
    TIFF with negatives scores as its file."""
    rgb = photo(shared_data, (256, 320)).astype(np.float32) / 255
    for interpolation in (cv2.INTER_CUBIC, cv2.INTER_LANCZOS4):
        up = cv2.resize(rgb, None, fx=2, fy=2, interpolation=interpolation)
        assert up.min() < -0.01
        _same(blurscan.score_image(up, S), blurscan.score_image(np.clip(up, 0, None), S))
    g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY) * 2 - 1  # a -1..1 float TIFF: its negatives are black
    Image.fromarray(g).save(tmp_path / "signed.tif")
    by_file = blurscan.score_image(tmp_path / "signed.tif", S)
    assert by_file.status == "ok"
    with Image.open(tmp_path / "signed.tif") as im:
        _same(blurscan.score_image(im, S), by_file)


@pytest.mark.parametrize("bits", [10, 12])
def test_uint16_samples_of_a_10_or_12_bit_sensor_score_as_in_floats(bits, shared_data):
    """uint16 arrays were always taken as 0..65535: a 10- or 12-bit sensor's samples (0..1023, 0..4095) came
    out nearly black, while the same values as float32 were scored right. Now a uint16 array with no value
    above 4095 has its range told from its values, as a float array has."""
    for blur in (None, 3):
        g = _gray(shared_data, blur)
        samples = g.astype(np.uint16) << (bits - 8)
        as_u16 = blurscan.score_image(samples, S)
        _same(as_u16, blurscan.score_image(samples.astype(np.float32), S))
        assert as_u16.verdict == blurscan.score_image(g, S).verdict == ("blurry" if blur else "sharp")


def test_which_uint16_arrays_are_0_to_65535():
    """Pinned: above 4095 anywhere, a uint16 array is 0..65535 (OpenCV's round(v / 257), as a 16-bit file);
    up to 4095, its range is told from its values (the float rule: 0..255, 0..1023 or 0..4095)."""
    from blurscan.arrays import to_uint8

    ramp = (np.arange(256) * 4095 // 255).astype(np.uint16).reshape(16, 16)  # 0, 16, 32 ... 4095
    assert to_uint8(ramp).max() == 255 and to_uint8(ramp)[0, 1] == 1  # 0..4095
    assert to_uint8(ramp // 4).max() == 255  # 0..1023
    wider = ramp.copy()
    wider[0, 0] = 4096
    assert to_uint8(wider).max() == 16 and to_uint8(ramp * 16 + 15).max() == 255  # 0..65535
    assert to_uint8(np.full((4, 4), 65535, np.uint16)).max() == 255


@pytest.mark.parametrize("shape", [(3, 96, 128), (1, 96, 128), (4, 96, 128)])
def test_a_channels_first_array_is_refused_with_a_hint(shape):
    """A torch-style C x H x W array said only "not an image array: shape (3, 500, 500)"."""
    with pytest.raises(DecodeError, match=r"shape \(\d, 96, 128\) \(channels first\? transpose it to "
                                          r"H x W x C: array.transpose\(1, 2, 0\)"):
        blurscan.score_image(np.zeros(shape, np.uint8), S)
    with pytest.raises(DecodeError, match=r"a batch of one\? take its image: array\[0\]"):
        blurscan.score_image(np.zeros((1, 96, 128, 3), np.uint8), S)


def test_a_channels_first_batch_of_one_is_told_the_whole_way_to_an_image():
    """A torch batch of one (1 x 3 x H x W) was told to take array[0], which is refused in turn as channels first;
    the hint that follows the advice gives an image the scorer takes."""
    batch = textured(1).transpose(2, 0, 1)[None].astype(np.float32) / 255  # 1 x 3 x H x W, as a DataLoader gives
    with pytest.raises(DecodeError, match=r"a batch of one, channels first\? take its image: "
                                          r"array\[0\]\.transpose\(1, 2, 0\)") as caught:
        blurscan.score_image(batch, S)
    assert "array[0];" not in str(caught.value)
    advised = batch[0].transpose(1, 2, 0)
    assert blurscan.score_image(advised, S).status == "ok"


def test_score_image_says_what_it_takes(tmp_path):
    """Its type hint left out Pillow images and bytes paths, which it takes."""
    hint = str(inspect.signature(blurscan.score_image).parameters["image"].annotation)
    assert all(t in hint for t in ("str", "bytes", "os.PathLike", "np.ndarray", "PIL.Image.Image")), hint
    path = tmp_path / "a.png"
    Image.fromarray(textured(1)).save(path)
    assert blurscan.score_image(os.fsencode(path), S).path == str(path)


def test_a_grey_channels_first_batch_of_one_is_told_the_whole_way_to_an_image():
    """A batch of one grey image (1 x 1 x H x W) gets the same advice as a colour one: array[0] alone would be
    refused in turn as channels first (found by mutation testing: only 1 x 3 x H x W was tried)."""
    batch = textured(1).mean(axis=2)[None, None].astype(np.float32) / 255  # 1 x 1 x H x W
    with pytest.raises(DecodeError, match=r"a batch of one, channels first\? take its image: "
                                          r"array\[0\]\.transpose\(1, 2, 0\)"):
        blurscan.score_image(batch, S)
    assert blurscan.score_image(batch[0].transpose(1, 2, 0), S).status == "ok"
