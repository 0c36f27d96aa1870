"""Netpbm images (PPM, PGM, PBM), as ML data sets keep them (GTSRB's traffic signs, face sets) and torchvision's
ImageFolder loads them: scanned and scored as the same picture in PNG. Until 2026-12-05 a folder's ``.ppm`` and
``.pgm`` files were passed over as not photos, and one named was "not an image (unknown file signature)"."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

import blurscan
from blurscan.errors import DecodeError
from helpers_cli import jsonl, run
from helpers_images import blurred, photo


def test_a_dataset_of_netpbm_images_is_scanned_as_its_png_twins(tmp_path, shared_data):
    sharp = photo(shared_data)
    soft = blurred(sharp, 3)
    train = tmp_path / "train"
    (train / "signs").mkdir(parents=True)
    (train / "faces").mkdir()
    Image.fromarray(sharp).save(train / "signs" / "00000.ppm")
    Image.fromarray(soft).save(train / "signs" / "00001.ppm")
    Image.fromarray(soft).convert("L").save(train / "faces" / "1.pgm")
    wide = np.asarray(Image.fromarray(sharp).convert("L")).astype(np.uint16) * 257  # a 16-bit PGM (maxval 65535)
    Image.fromarray(wide).save(train / "faces" / "2.pgm")
    gray = np.asarray(Image.fromarray(sharp).convert("L"))  # GIMP's export: a comment of 39 bytes in the header
    (train / "faces" / "3.pgm").write_bytes(b"P5\n# CREATOR: GIMP PNM Filter Version 1.1\n%d %d\n255\n"
                                            % (gray.shape[1], gray.shape[0]) + gray.tobytes())
    pngs = tmp_path / "png"
    pngs.mkdir()
    for name, picture in (("00000", sharp), ("00001", soft)):
        Image.fromarray(picture).save(pngs / f"{name}.png")
    Image.fromarray(soft).convert("L").save(pngs / "1.png")
    Image.fromarray(sharp).convert("L").save(pngs / "2.png")
    Image.fromarray(sharp).convert("L").save(pngs / "3.png")

    done = run("scan", train, "--db", tmp_path / "train.db", "--format", "jsonl")
    assert done.exit_code == 0, done.output
    records = {r["path"].rsplit("/", 1)[-1]: r for r in jsonl(done.stdout)}
    assert sorted(records) == ["00000.ppm", "00001.ppm", "1.pgm", "2.pgm", "3.pgm"]
    assert {r["status"] for r in records.values()} == {"ok"} and {r["format"] for r in records.values()} == {"PPM"}
    assert "not photos" not in done.stderr
    for name in records:
        twin = blurscan.score_image(pngs / (name.split(".")[0] + ".png"))
        record = records[name]
        assert (record["verdict"], record["p_blurry"], record["width"], record["height"]) == (
            twin.verdict, round(twin.p_blurry, 4), twin.width, twin.height), name
    assert records["00001.ppm"]["p_blurry"] > records["00000.ppm"]["p_blurry"]


def test_a_text_file_that_starts_like_a_netpbm_header_is_still_text(tmp_path):
    notes = tmp_path / "plan.pgm"
    notes.write_text("P1 is the first point of the plan\nP2 the second\n")
    with pytest.raises(DecodeError, match=r"not an image \(text file\?\)"):
        blurscan.score_image(notes)


@pytest.mark.timeout(60)
def test_a_netpbm_like_header_of_white_space_and_no_size_is_refused_at_once(tmp_path, shared_data):
    # "P6" then a run of white space and no digit: the header pattern split the run every possible way before it
    # gave up, 2 ** 40 ways for 40 spaces, and the scan (or the review page) never ended (until 2026-12-06)
    (tmp_path / "lib").mkdir()
    for name, head in (("spaces.ppm", b"P6" + b" " * 200), ("lines.pgm", b"P5" + b"\r\n" * 100 + b"\t" * 50)):
        (tmp_path / "lib" / name).write_bytes(head + b"x\n")
        with pytest.raises(DecodeError, match=r"not an image \(text file\?\)"):
            blurscan.score_image(tmp_path / "lib" / name)
    Image.fromarray(photo(shared_data)).save(tmp_path / "lib" / "real.ppm")
    done = run("scan", tmp_path / "lib", "--db", tmp_path / "lib.db", "--model", "none", "--format", "jsonl")
    records = {r["path"].rsplit("/", 1)[-1]: r for r in jsonl(done.stdout)}
    assert {name: r["status"] for name, r in records.items()} == {"spaces.ppm": "error", "lines.pgm": "error",
                                                                "real.ppm": "ok"}, done.output
