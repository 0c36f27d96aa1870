"""A Google Pixel's RAW + JPEG pair: ``X.RAW-01.COVER.jpg`` (``.RAW-01.MP.COVER.jpg``) beside
``X.RAW-02.ORIGINAL.dng``, two stems, is one photo as ``IMG_1.JPG`` + ``IMG_1.CR2`` is: judged with its RAW,
moved and undone with it (:mod:`blurscan.pair_names`). The DNG is a real one made from a real photo."""
from __future__ import annotations

import json
import os

import cv2
from click.testing import CliRunner
from PIL import Image

from helpers_images import photo
from helpers_library import snapshot
from helpers_raw import write_dng

STEM = "PXL_20261201_101010123"


def _pair(shared_data, folder, cover=".RAW-01.COVER.jpg", long_side=640):
    """A shaken shot's DNG and a JPEG of it ``long_side`` px long (below the analysis size: judged from the RAW)."""
    rgb = cv2.GaussianBlur(cv2.resize(photo(shared_data, (512, 768)), (1536, 1024), interpolation=cv2.INTER_CUBIC),
                           (0, 0), 6)
    write_dng(folder / f"{STEM}.RAW-02.ORIGINAL.dng", rgb)
    small = cv2.resize(rgb, (long_side, long_side * 2 // 3), interpolation=cv2.INTER_AREA)
    Image.fromarray(small).save(folder / f"{STEM}{cover}", "JPEG", quality=92)


def _rows(runner, *args):
    from blurscan.cli import main

    out = runner.invoke(main, ["scan", *map(str, args), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    return [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]


def test_a_pixel_raw_pair_is_one_photo_judged_from_its_dng_moved_and_undone_with_it(shared_data, tmp_path):
    """Until 2026-12-06 the DNG was a photo of its own: the scan judged the two apart, and `move --all-blurry`
    took whichever was blurry, the JPEG without its DNG."""
    from blurscan.cli import main

    root = tmp_path / "DCIM"
    root.mkdir()
    _pair(shared_data, root)
    (root / f"{STEM}.RAW-02.ORIGINAL.dng.xmp").write_text("<x:xmpmeta/>")  # (darktable's sidecar of the DNG)
    runner = CliRunner()
    (row,) = _rows(runner, root)
    assert row["path"] == str(root / f"{STEM}.RAW-01.COVER.jpg")
    assert (row["format"], row["width"], row["verdict"]) == ("DNG", 1536, "blurry")
    assert row["note"].startswith(f"judged from the RAW twin {STEM}.RAW-02.ORIGINAL.dng: this file is 640 px")
    assert _rows(runner, *sorted(root.iterdir()))[0]["path"] == row["path"]  # (`scan DIR/*`: the same one photo)

    before = snapshot(root)
    out = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--all-blurry", "--yes", str(root)])
    assert out.exit_code == 0 and "moved 1 photo (3 files" in out.output, out.output
    assert sorted(p.name for p in (tmp_path / "rejects").iterdir()) == [
        f"{STEM}.RAW-01.COVER.jpg", f"{STEM}.RAW-02.ORIGINAL.dng", f"{STEM}.RAW-02.ORIGINAL.dng.xmp"]
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0 and "restored 3 files" in out.output, out.output
    assert snapshot(root) == before


def test_a_motion_photos_cover_is_the_twin_of_its_dng_and_other_names_are_not(shared_data, tmp_path):
    from blurscan.pair_names import pair_key
    from blurscan.walk import raw_twin

    _pair(shared_data, tmp_path, cover=".RAW-01.MP.COVER.jpg")
    Image.new("RGB", (64, 48)).save(tmp_path / f"{STEM}.RAW.jpg")  # (no Pixel's name: not the DNG's image)
    (row,) = [r for r in _rows(CliRunner(), tmp_path) if r["path"].endswith("COVER.jpg")]
    assert row["format"] == "DNG"
    assert raw_twin(tmp_path / f"{STEM}.RAW-01.MP.COVER.jpg") == str(tmp_path / f"{STEM}.RAW-02.ORIGINAL.dng")
    assert raw_twin(tmp_path / f"{STEM}.RAW.jpg") is None
    assert pair_key("IMG_1") == "img_1" and pair_key("PXL_1.raw-02.ORIGINAL") == pair_key("pxl_1.RAW-01.COVER")
    assert pair_key("PXL_1.RAW-02.COVER") != pair_key("PXL_1.RAW-01.COVER")


def test_the_dngs_own_sidecars_move_with_the_pair_and_stay_with_it_when_undo_cannot_put_it_back(shared_data, tmp_path):
    """The DNG's ``X.RAW-02.ORIGINAL.xmp`` (which ``tag --xmp`` merges into) moves with the pair as ``IMG_1.xmp``
    does with ``IMG_1.JPG`` + ``IMG_1.CR2``: until 2026-12-07 it stayed behind, tagged, its photo gone. And when
    undo cannot put the JPEG back (a file at its place), the DNG's sidecars stay at --to with it: until 2026-12-07
    ``X.RAW-02.ORIGINAL.dng.xmp``, not named after the JPEG, was undone alone and came back beside that file."""
    from blurscan.cli import main

    root = tmp_path / "DCIM"
    root.mkdir()
    _pair(shared_data, root)
    xmp = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="3"/></rdf:RDF>'
           '</x:xmpmeta>')
    (root / f"{STEM}.RAW-02.ORIGINAL.dng.xmp").write_text(xmp)  # (darktable's)
    (root / f"{STEM}.RAW-02.ORIGINAL.xmp").write_text(xmp)
    runner = CliRunner()
    _rows(runner, root)
    out = runner.invoke(main, ["tag", "--xmp", str(root)])
    assert out.exit_code == 0 and f"merged {STEM}.RAW-02.ORIGINAL.xmp" in out.output, out.output
    dest = tmp_path / "rejects"
    out = runner.invoke(main, ["move", "--to", str(dest), "--all-blurry", "--yes", str(root)])
    assert out.exit_code == 0 and "moved 1 photo (5 files" in out.output, out.output
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) == []
    (root / f"{STEM}.RAW-01.COVER.jpg").write_bytes(b"another picture")
    out = runner.invoke(main, ["undo", "--batch", "2", str(root)])
    assert out.exit_code == 1 and "restored 0 files, 5 could not be restored" in out.output, out.output
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) == [f"{STEM}.RAW-01.COVER.jpg"]
    (root / f"{STEM}.RAW-01.COVER.jpg").unlink()
    out = runner.invoke(main, ["undo", "--batch", "2", str(root)])
    assert out.exit_code == 0 and "restored 5 files" in out.output, out.output
    assert (root / f"{STEM}.RAW-02.ORIGINAL.xmp").read_text().count("Red") == 1


def test_a_copy_of_the_dng_is_a_photo_of_its_own_and_a_name_holding_a_newline_still_pairs(shared_data, tmp_path):
    """``X.RAW-02.ORIGINAL (1).dng`` (a copy) is no ``X.RAW-01.COVER.jpg``'s twin, as ``IMG_1 (1).CR2`` is none
    of ``IMG_1.JPG``'s: both are photos of their own. A name holding a newline pairs as any other."""
    from blurscan.walk import raw_twin

    _pair(shared_data, tmp_path)
    (tmp_path / f"{STEM}.RAW-02.ORIGINAL.dng").rename(tmp_path / f"{STEM}.RAW-02.ORIGINAL (1).dng")
    rows = _rows(CliRunner(), tmp_path)
    assert sorted((os.path.basename(r["path"]), r["format"]) for r in rows) == [
        (f"{STEM}.RAW-01.COVER.jpg", "JPEG"), (f"{STEM}.RAW-02.ORIGINAL (1).dng", "DNG")]
    odd = tmp_path / "odd"
    odd.mkdir()
    for name in ("PXL_1\n2.RAW-01.COVER.jpg", "PXL_1\n2.RAW-02.ORIGINAL.dng", "PXL_3\n4.RAW-01.MP.COVER.jpg",
                 "PXL_3\n4.RAW-02.ORIGINAL.dng"):
        (odd / name).write_bytes(b"")
    assert raw_twin(odd / "PXL_1\n2.RAW-01.COVER.jpg") == str(odd / "PXL_1\n2.RAW-02.ORIGINAL.dng")
    assert raw_twin(odd / "PXL_3\n4.RAW-01.MP.COVER.jpg") == str(odd / "PXL_3\n4.RAW-02.ORIGINAL.dng")


def test_a_lone_raw_moves_as_one_file_and_a_note_of_its_stem_stays(shared_data, tmp_path):
    """A DNG with no JPEG beside it is its photo, not its own twin; ``IMG_7.txt`` beside it is no RAW: it stays."""
    from blurscan.cli import main

    root = tmp_path / "DCIM"
    root.mkdir()
    _pair(shared_data, root)
    (root / f"{STEM}.RAW-01.COVER.jpg").unlink()
    (root / f"{STEM}.RAW-02.ORIGINAL.dng").rename(root / "IMG_7.dng")
    (root / "IMG_7.txt").write_text("a note")
    runner = CliRunner()
    (row,) = [r for r in _rows(runner, root) if r["path"].endswith(".dng")]
    assert row["verdict"] == "blurry"
    out = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--all-blurry", "--yes", str(root)])
    assert out.exit_code == 0 and "moved 1 photo (1 file" in out.output, out.output
    assert sorted(p.name for p in (tmp_path / "rejects").iterdir()) == ["IMG_7.dng"]
    assert (root / "IMG_7.txt").read_text() == "a note"
