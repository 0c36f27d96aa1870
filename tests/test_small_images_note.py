"""`blurscan scan` of images under 256 px on their long side (a dataset's 64-px crops, CIFAR-like images) says in
one note that the model's verdict is not to be trusted there, and to rank by p_blurry (blurscan.cli.small_images;
the README's "Small images: rank, do not trust the verdict"). Until 2026-12-07 it printed their verdicts without a
word (a dataset of 32-255-px images blurred with OpenCV: 13 of 84 listed `sharp`)."""
from __future__ import annotations

import os
import re
import shlex

import cv2
import numpy as np

from helpers_cli import jsonl, run, run_from

NOTE = ("images under 256 px on the long side ({first} ...) judged by a model not trained on images that small: "
        "its verdict misses most mild blur there, while p_blurry still ranks them; rank by p_blurry and cut it "
        "yourself (`{cut}`) rather than trust the verdict")


def _texture(rng, h, w):
    img = cv2.resize(rng.integers(0, 256, (h // 4, w // 4, 3), dtype=np.uint8), (w, h),
                     interpolation=cv2.INTER_NEAREST)
    return img


def _dataset(tmp_path, photo=True):
    lib = tmp_path / "data" / "train"
    rng = np.random.default_rng(3)
    for cls in ("cat", "dog"):
        (lib / cls).mkdir(parents=True)
        for i, side in enumerate((64, 128, 255)):
            img = _texture(rng, side, side)
            cv2.imwrite(str(lib / cls / f"{cls} {i}.png"), cv2.GaussianBlur(img, (0, 0), 2) if i == 1 else img)
    if photo:  # 256 px and more on the long side: not counted
        cv2.imwrite(str(lib / "cat" / "wide.png"), _texture(rng, 120, 256))
        cv2.imwrite(str(lib / "dog" / "big.jpg"), _texture(rng, 400, 600))
    cv2.imwrite(str(lib / "dog" / "digit.png"), _texture(rng, 28, 28))  # too small to judge: an error, not counted
    return lib


def _scan(lib, *options, db=None):
    result = run("scan", lib, "--db", db or lib.parent / "train.blurscan.db", "--workers", "1", "--format", "jsonl",
                 *options)
    assert result.exit_code == 0, result.output
    return result


def test_a_scan_of_small_images_says_their_verdict_is_not_to_be_trusted(tmp_path):
    lib = _dataset(tmp_path)
    first = _scan(lib)
    records = jsonl(first.stdout)
    small = [r for r in records if r["status"] == "ok" and max(r["width"], r["height"]) < 256]
    assert len(small) == 6 and len(records) == 9  # (the two of 256 px and more, and the error, not counted)
    cut = "blurscan move --to DIR --min-p-blurry P --db " + shlex.quote(str(lib.parent / "train.blurscan.db"))
    note = "note: 6 " + NOTE.format(first=os.path.join(os.path.realpath(lib), "cat", "cat 0.png"), cut=cut)
    assert note in first.stderr.splitlines(), first.stderr
    again = _scan(lib)  # (unchanged, reused: the same images, the same note)
    assert "(9 unchanged, reused)" in again.stderr and note in again.stderr.splitlines(), again.stderr


def test_one_small_image_is_said_without_an_ellipsis(tmp_path):
    lib = _dataset(tmp_path)
    result = _scan(lib / "dog" / "dog 0.png", db=lib.parent / "train.blurscan.db")
    assert "note: 1 image under 256 px on the long side (" + os.path.join(os.path.realpath(lib), "dog", "dog 0.png") \
        + ") judged by a model not trained" in result.stderr, result.stderr


def test_no_note_without_small_images_or_without_the_model(tmp_path):
    lib = _dataset(tmp_path)
    big = _scan(lib / "dog" / "big.jpg", lib / "cat" / "wide.png", db=lib.parent / "train.blurscan.db")
    assert "under 256 px" not in big.stderr and "scanned 2 files" in big.stderr, big.stderr
    classical = _scan(lib, "--model", "none")  # (no p_blurry to rank by: the verdict is the tile rule's)
    assert "under 256 px" not in classical.stderr and "scanned 9 files" in classical.stderr, classical.stderr


def test_the_cut_the_note_names_pasted_elsewhere_takes_the_small_images(tmp_path, monkeypatch):
    """The note's `blurscan move --to DIR --min-p-blurry P ...`, DIR and P filled in, typed in another folder (a
    dataset scanned with --db beside it, the README's way; another terminal tab) takes the images at or above the
    cut. Until 2026-12-07 it said `blurscan move --min-p-blurry P`: without --to a usage error, and with it no
    database found outside the dataset."""
    _dataset(tmp_path, photo=False)
    monkeypatch.chdir(tmp_path)
    result = run("scan", "data/train", "--db", "data/my 'train'.db", "--workers", "1", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    said = re.search(r"cut it yourself \(`blurscan (move --to DIR --min-p-blurry P.*?)`\)", result.stderr)
    assert said, result.stderr
    words = [{"DIR": str(tmp_path / "rejects"), "P": "0.0"}.get(w, w) for w in shlex.split(said.group(1))]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    pasted = run_from(elsewhere, *words)
    assert pasted.returncode == 0, pasted.stderr
    taken = sorted(line.split(" [")[0].removeprefix("would move ") for line in pasted.stdout.splitlines()
                   if line.startswith("would move "))
    assert taken == sorted(os.path.join(cls, f"{cls} {i}.png") for cls in ("cat", "dog") for i in range(3)), \
        pasted.stdout
    assert os.listdir(elsewhere) == [] and not (tmp_path / "rejects").exists()
