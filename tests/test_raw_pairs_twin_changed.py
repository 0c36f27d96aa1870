"""A RAW + small JPEG pair judged from its RAW, whose RAW changed or went while its JPEG stayed as it was.

The record is the JPEG's, keyed by the JPEG's size and time: a RAW still being copied when the scan read it
(a camera import in progress), finished since, kept the half file's scores for good, and a RAW deleted to keep
the JPEG alone left the JPEG with the RAW's verdict, format and note (until 2026-12-06).
"""
from __future__ import annotations

import json
import os

import cv2
from click.testing import CliRunner
from PIL import Image

from helpers_images import photo
from helpers_raw import write_dng
from helpers_sqlite import connected


def _pair(shared_data, folder, *, blur: float):
    """``DSC_0007.DNG`` (1536 x 1024, blurred by ``blur``) and its 640 px camera JPEG of the sharp picture."""
    sharp = cv2.resize(photo(shared_data, (512, 768)), (1536, 1024), interpolation=cv2.INTER_CUBIC)
    folder.mkdir(exist_ok=True)
    dng = write_dng(folder / "DSC_0007.DNG", cv2.GaussianBlur(sharp, (0, 0), blur) if blur else sharp)
    Image.fromarray(cv2.resize(sharp, (640, 427), interpolation=cv2.INTER_AREA)).save(folder / "DSC_0007.JPG",
                                                                                     "JPEG", quality=92)
    return dng, folder / "DSC_0007.JPG"


def _scan(root) -> dict:
    from blurscan.cli import main

    out = CliRunner().invoke(main, ["scan", str(root), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    (row,) = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    row["reused"] = "(1 unchanged, reused)" in out.output
    return row


def _fresh(shared_data, tmp_path, blur):
    """The JSONL row a first scan gives the pair made with ``blur``."""
    _pair(shared_data, tmp_path / "fresh", blur=blur)
    return _scan(tmp_path / "fresh")


def test_a_raw_replaced_or_finished_copying_since_its_pair_was_judged_is_judged_again(shared_data, tmp_path):
    root = tmp_path / "card"
    dng, jpg = _pair(shared_data, root, blur=6)  # the RAW read first: another picture (a copy not finished)
    first = _scan(root)
    assert (first["format"], first["verdict"]) == ("DNG", "blurry") and not first["reused"]
    stat = jpg.stat()
    _pair(shared_data, tmp_path / "whole", blur=0)
    os.replace(tmp_path / "whole" / "DSC_0007.DNG", dng)  # the RAW whole now; the JPEG untouched
    assert (jpg.stat().st_size, jpg.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    second = _scan(root)
    fresh = _fresh(shared_data, tmp_path, 0)
    assert not second["reused"]
    assert (second["format"], second["verdict"]) == ("DNG", fresh["verdict"]) and fresh["verdict"] != "blurry"
    assert (second["p_blurry"], second["laplacian_var"]) == (fresh["p_blurry"], fresh["laplacian_var"])
    assert _scan(root)["reused"]  # and reused from then on, the RAW unchanged
    os.utime(dng, ns=(dng.stat().st_atime_ns, dng.stat().st_mtime_ns + 10**9))  # its time moved, same size
    assert not _scan(root)["reused"]
    assert _scan(root)["reused"]
    before = dng.stat()
    _pair(shared_data, tmp_path / "other", blur=3)  # another RAW of another size, given the same time (cp -p)
    os.replace(tmp_path / "other" / "DSC_0007.DNG", dng)
    os.utime(dng, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert dng.stat().st_size != before.st_size and dng.stat().st_mtime_ns == before.st_mtime_ns
    assert not _scan(root)["reused"]


def test_a_pair_judged_from_its_raw_whose_raw_was_deleted_is_its_jpeg_alone(shared_data, tmp_path):
    from blurscan import score_image

    root = tmp_path / "card"
    dng, jpg = _pair(shared_data, root, blur=6)
    first = _scan(root)
    assert (first["format"], first["verdict"]) == ("DNG", "blurry")
    assert first["note"].startswith("judged from the RAW twin DSC_0007.DNG: ")
    dng.unlink()  # the RAWs deleted, the JPEGs kept
    second = _scan(root)
    alone = score_image(jpg)
    assert not second["reused"]
    assert (second["format"], second["width"], second["note"]) == ("JPEG", 640, None)
    assert (second["verdict"], second["p_blurry"]) == (alone.verdict, round(alone.p_blurry, 4))
    assert second["verdict"] != "blurry"  # the sharp JPEG, no longer the shaken RAW's verdict
    assert _scan(root)["reused"]


def test_a_record_judged_from_its_raw_before_judged_twin_was_kept_is_reused_until_the_raw_goes(shared_data, tmp_path):
    """A record stored by a blurscan before 2026-12-06 has no ``judged_twin``: its RAW is not re-read on every
    scan for that (it is reused while the RAW is there), and once the RAW is deleted the JPEG is judged alone."""

    root = tmp_path / "card"
    dng, jpg = _pair(shared_data, root, blur=6)
    first = _scan(root)
    assert (first["format"], first["verdict"]) == ("DNG", "blurry")
    with connected(root / ".blurscan.db") as conn:  # the record as an earlier blurscan stored it
        [(path, blob)] = conn.execute("SELECT path, record FROM images").fetchall()
        row = json.loads(blob)
        assert row.pop("judged_twin") is not None
        conn.execute("UPDATE images SET record = ? WHERE path = ?", (json.dumps(row), path))
    kept = _scan(root)
    assert kept["reused"] and (kept["format"], kept["verdict"]) == ("DNG", "blurry")
    dng.unlink()
    alone = _scan(root)
    assert not alone["reused"] and (alone["format"], alone["note"]) == ("JPEG", None)


def test_a_raw_that_finished_copying_while_it_was_read_is_read_again(shared_data, tmp_path, monkeypatch):
    """The RAW's size and time are taken before it is read: a copy that finished while the scan read the half
    file is judged again at the next scan, not kept with the half file's scores."""
    import blurscan.decode

    root = tmp_path / "card"
    dng, jpg = _pair(shared_data, root, blur=6)
    _pair(shared_data, tmp_path / "whole", blur=0)
    stat = dng.stat()
    decode = blurscan.decode.decode

    def read_while_the_copy_finishes(path, *args, **kwargs):
        out = decode(path, *args, **kwargs)
        if os.fspath(path) == str(dng) and (tmp_path / "whole" / "DSC_0007.DNG").exists():
            os.replace(tmp_path / "whole" / "DSC_0007.DNG", dng)
        return out

    monkeypatch.setattr(blurscan.decode, "decode", read_while_the_copy_finishes)
    first = _scan(root)
    assert dng.stat().st_size != stat.st_size or dng.stat().st_mtime_ns != stat.st_mtime_ns
    assert (first["format"], first["verdict"]) == ("DNG", "blurry")  # the half file's
    second = _scan(root)
    assert not second["reused"] and (second["format"], second["verdict"]) != ("DNG", "blurry")
    assert _scan(root)["reused"]
