"""RAW + JPEG pairs (same name, same folder): one photo with the JPEG's record, judged from the RAW when the JPEG
is below the analysis size or cannot be read; reused, moved, undone, reported and reviewed as one photo. The RAWs
are real DNGs made from real photos (``helpers_raw.write_dng``); split from ``test_raw.py``."""
from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil

import cv2
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from blurscan.decode import thumbnail
from blurscan.errors import DecodeError

from helpers_images import photo
from helpers_library import snapshot
from helpers_raw import write_dng


def _real(shared_data, size=(512, 768)) -> np.ndarray:
    return photo(shared_data, size)




def _shot(shared_data, blur: float = 0.0) -> np.ndarray:
    """A 1536 x 1024 photo (above the 1024 px analysis size, as any camera's)."""
    rgb = cv2.resize(_real(shared_data), (1536, 1024), interpolation=cv2.INTER_CUBIC)
    return cv2.GaussianBlur(rgb, (0, 0), blur) if blur else rgb


def _jpeg(path, rgb, long_side=None):
    if long_side:
        rgb = cv2.resize(rgb, (long_side, round(long_side * rgb.shape[0] / rgb.shape[1])), interpolation=cv2.INTER_AREA)
    Image.fromarray(rgb).save(path, "JPEG", quality=92)
    return path


def _records(paths, **kw) -> dict:
    import blurscan
    from blurscan.config import ScanSettings

    return {r.path.rsplit("/", 1)[1]: r for r in blurscan.scan(paths, ScanSettings(workers=1), **kw)}


def _counting_raw_reads(monkeypatch) -> list:
    """Spy on LibRaw's reads (the real function still runs): the RAW files opened, in order."""
    from blurscan import raw

    calls, real = [], raw.read
    monkeypatch.setattr(raw, "read", lambda data, path, *a, **k: calls.append(str(path)) or real(data, path, *a, **k))
    return calls


@pytest.mark.slow
@pytest.mark.parametrize("jpeg_long_side, judged", [(1536, "JPEG"), (1000, "JPEG"), (992, "DNG"), (768, "DNG")])
def test_a_pair_is_judged_from_the_raw_when_its_jpeg_is_below_the_analysis_size(shared_data, tmp_path, monkeypatch,
                                                                                jpeg_long_side, judged):
    """RAW + small JPEG camera modes: the RAW is judged, as a lone RAW would be; a JPEG within 2.5 % of 1024 px
    (the model's full-size tolerance) or larger is judged itself, and the RAW is not even opened (a spy on LibRaw's
    reads; the real function runs)."""
    from blurscan import score_image

    rgb = _shot(shared_data)
    dng = write_dng(tmp_path / "DSC_0005.DNG", rgb)
    jpg = _jpeg(tmp_path / "DSC_0005.JPG", rgb, jpeg_long_side)
    reads = _counting_raw_reads(monkeypatch)
    records = _records([str(tmp_path)])
    assert reads == ([str(dng)] if judged == "DNG" else [])  # a large enough JPEG costs what it costs alone
    assert list(records) == ["DSC_0005.JPG"]  # one photo, the JPEG's record
    record = records["DSC_0005.JPG"]
    assert record.status == "ok" and record.format == judged
    assert (record.size, record.mtime_ns) == (jpg.stat().st_size, jpg.stat().st_mtime_ns)  # the cache's identity
    alone = score_image(dng if judged == "DNG" else jpg)
    assert (record.width, record.height) == (alone.width, alone.height)
    assert record.p_blurry == alone.p_blurry and record.laplacian_var == alone.laplacian_var
    assert record.scores == alone.scores
    if judged == "JPEG":
        assert record.note is None
        assert (record.width, record.height) == (jpeg_long_side, round(jpeg_long_side * 2 / 3))
    else:
        assert (record.width, record.height) == (1536, 1024)
        assert record.note == (f"judged from the RAW twin DSC_0005.DNG: this file is {jpeg_long_side} px on its "
                               "long side, below the analysis size (1024 px)")
        assert record.to_json()["note"] == record.note
    # the JPEG named on the command line is the same photo
    (again,) = _records([str(jpg)]).values()
    assert (again.format, again.p_blurry, again.note) == (record.format, record.p_blurry, record.note)


def test_a_pair_whose_jpeg_cannot_be_read_is_judged_from_the_raw(shared_data, tmp_path):
    from blurscan import score_image

    rgb = _shot(shared_data)
    whole = _jpeg(tmp_path / "whole.jpeg", rgb).read_bytes()
    (tmp_path / "IMG_1.JPG").write_bytes(whole[: len(whole) // 2])  # truncated
    (tmp_path / "IMG_2.jpg").write_bytes(b"\x00" * 4096)             # not an image at all
    for stem in ("IMG_1", "IMG_2"):
        write_dng(tmp_path / f"{stem}.DNG", rgb)
    records = _records([str(tmp_path / "IMG_1.JPG"), str(tmp_path / "IMG_2.jpg")])
    alone = score_image(tmp_path / "IMG_1.DNG")
    for name, reason in (("IMG_1.JPG", "truncated JPEG"), ("IMG_2.jpg", "not an image")):
        record = records[name]
        assert record.status == "ok" and record.format == "DNG" and record.p_blurry == alone.p_blurry, name
        assert record.note.startswith(f"judged from the RAW twin {name[:5]}.DNG: this file could not be read ("), name
        assert reason in record.note, record.note
        # the review page's thumbnail of the photo is the picture that was judged
        got = Image.open(io.BytesIO(thumbnail(tmp_path / name, 300)))
        want = Image.open(io.BytesIO(thumbnail(tmp_path / f"{name[:5]}.DNG", 300)))
        assert got.size == want.size == (300, 200)
        assert np.array_equal(np.asarray(got), np.asarray(want))


def test_a_pair_with_one_unreadable_file_is_judged_from_the_other_and_with_two_gets_one_error(shared_data, tmp_path):
    rgb = _shot(shared_data)
    dng = write_dng(tmp_path / "spare.dng", rgb).read_bytes()
    whole = _jpeg(tmp_path / "spare.jpeg", rgb).read_bytes()
    shoot = tmp_path / "shoot"
    shoot.mkdir()
    (shoot / "DSC_0007.JPG").write_bytes(whole[: len(whole) // 2])
    (shoot / "DSC_0007.DNG").write_bytes(dng[: len(dng) // 2])
    _jpeg(shoot / "DSC_0008.JPG", rgb, 768)
    (shoot / "DSC_0008.DNG").write_bytes(dng[: len(dng) // 2])
    records = _records([str(shoot)], db=str(tmp_path / "lib.db"))
    assert sorted(records) == ["DSC_0007.JPG", "DSC_0008.JPG"]
    both = records["DSC_0007.JPG"]
    assert both.status == "error" and both.error == ("truncated JPEG; its RAW twin DSC_0007.DNG could not be read "
                                                      "either (truncated or corrupt camera RAW file (DNG))")
    with pytest.raises(DecodeError, match=r"DSC_0007\.JPG: truncated JPEG$"):  # no picture of that pair at all
        thumbnail(shoot / "DSC_0007.JPG", 300)
    small = records["DSC_0008.JPG"]
    assert small.status == "ok" and small.format == "JPEG" and small.width == 768
    assert small.note == ("judged from this 768 px file: its RAW twin DSC_0008.DNG could not be read "
                          "(truncated or corrupt camera RAW file (DNG))")
    # like a file that could not be read, such a pair is tried again on the next scan: the RAW, once readable, judges
    write_dng(shoot / "DSC_0008.DNG", rgb)
    again = _records([str(shoot)], db=str(tmp_path / "lib.db"))["DSC_0008.JPG"]
    assert not again.cached and again.format == "DNG" and again.note.startswith("judged from the RAW twin")


def test_pair_records_are_reused_and_those_judged_on_a_small_jpeg_by_older_versions_are_not(shared_data, tmp_path):
    from blurscan import pipeline
    from blurscan.config import ScanSettings
    from blurscan.store import Store

    rgb = _shot(shared_data)
    write_dng(tmp_path / "A.DNG", rgb)
    write_dng(tmp_path / "B.DNG", rgb)
    _jpeg(tmp_path / "A.JPG", rgb, 768)
    small = _jpeg(tmp_path / "B.JPG", rgb, 768)
    db = str(tmp_path / "lib.db")
    first = _records([str(tmp_path)], db=db)
    assert {r.format for r in first.values()} == {"DNG"}
    # B's row as blurscan stored it before pairs were judged from the RAW: the small JPEG's own record, same key
    settings = ScanSettings(workers=1)
    (tmp_path / "alone").mkdir()  # (score_image judges a pair from its RAW too, as a scan: the JPEG scored alone)
    alone = shutil.copy2(small, tmp_path / "alone" / "B.JPG")
    old = dataclasses.replace(pipeline.score_image(alone, settings), path=str(small))
    shutil.rmtree(tmp_path / "alone")
    assert old.format == "JPEG" and old.note is None
    with Store(db) as store:
        store.put([old], pipeline.cache_key(settings, pipeline.load_model(settings.model, quiet=True)))
    second = _records([str(tmp_path)], db=db)
    assert second["A.JPG"].cached and second["A.JPG"].note == first["A.JPG"].note
    assert not second["B.JPG"].cached and second["B.JPG"].format == "DNG"
    assert second["B.JPG"].p_blurry == first["B.JPG"].p_blurry


def test_a_pair_judged_from_its_raw_is_moved_undone_reported_and_reviewed_as_one_photo(shared_data, tmp_path):
    from blurscan.cli import main
    from blurscan.review import security
    from blurscan.review.app import create_app

    root = tmp_path / "shoot"
    root.mkdir()
    shaken = _shot(shared_data, blur=6)
    write_dng(root / "DSC_0009.NEF.dng", shaken)  # (a stem with a dot: the twin of DSC_0009.NEF.jpg)
    _jpeg(root / "DSC_0009.NEF.jpg", shaken, 640)
    (root / "DSC_0009.NEF.xmp").write_text("<x:xmpmeta/>")
    runner = CliRunner()
    out = runner.invoke(main, ["scan", str(root), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    (row,) = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    assert row["path"] == str(root / "DSC_0009.NEF.jpg")
    assert (row["format"], row["width"], row["verdict"]) == ("DNG", 1536, "blurry")
    assert row["note"].startswith("judged from the RAW twin DSC_0009.NEF.dng: this file is 640 px")
    out = runner.invoke(main, ["report", str(root), "--format", "jsonl"])
    assert out.exit_code == 0 and json.loads(out.output.splitlines()[0]) == row, out.output

    client = create_app(root / ".blurscan.db", "t", port=5125).test_client()
    base = "http://127.0.0.1:5125"
    assert client.get("/?token=t", base_url=base).status_code == 303
    thumb = client.get(f"/thumb/{security.path_id(row['path'])}", base_url=base)
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    # the detail view says why the 640 px file has the RAW's 1536 x 1024 (it showed the size and nothing else)
    item = client.get(f"/api/item/{security.path_id(row['path'])}", base_url=base).get_json()
    assert (item["note"], item["width"], item["format"]) == (row["note"], 1536, "DNG")

    before = snapshot(root)
    out = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--all-flagged", "--yes", str(root)])
    assert out.exit_code == 0 and "moved 1 photo (3 files" in out.output, out.output
    assert sorted(p.name for p in (tmp_path / "rejects").iterdir()) == [
        "DSC_0009.NEF.dng", "DSC_0009.NEF.jpg", "DSC_0009.NEF.xmp"]
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0 and "restored 3 files" in out.output, out.output
    assert snapshot(root) == before


def test_a_pair_named_file_by_file_is_still_one_photo(shared_data, tmp_path):
    """`blurscan scan DIR/*` (the shell names the JPEG, the RAW and the sidecar) gives the records of
    `blurscan scan DIR`: the RAW was a second photo, grouped by `bursts` with its own JPEG, so that
    `trash --from-bursts` took the keeper's RAW along with the JPEG it ranked second."""
    from blurscan.cli import main

    rgb = _shot(shared_data)
    write_dng(tmp_path / "DSC_0010.NEF", rgb)
    _jpeg(tmp_path / "DSC_0010.JPG", rgb, 768)
    write_dng(tmp_path / "DSC_0011.DNG", rgb)
    _jpeg(tmp_path / "DSC_0011.JPG", rgb)
    runner = CliRunner()

    def rows(*paths):
        out = runner.invoke(main, ["scan", *map(str, paths), "--format", "jsonl", "--db", str(tmp_path / "x.db")])
        assert out.exit_code == 0, out.output
        lines = [line for line in out.output.splitlines() if line.startswith("{")]
        return sorted((r["path"], r["format"], r["p_blurry"], r["note"]) for r in map(json.loads, lines))

    named = rows(*sorted(tmp_path.glob("DSC_*")))
    assert [(name.rsplit("/", 1)[1], fmt) for name, fmt, _, _ in named] == [("DSC_0010.JPG", "NEF"),
                                                                            ("DSC_0011.JPG", "JPEG")]
    assert named == rows(tmp_path)
    assert rows(tmp_path / "DSC_0010.NEF") == named[:1]


def test_the_full_view_of_a_pair_whose_jpeg_cannot_be_read_is_the_raws_picture(shared_data, tmp_path):
    """The review page's full-size view showed the damaged JPEG (the browser's grey where the data stops) next
    to a verdict, thumbnail and size that are the RAW's; it now shows the RAW's picture, at its size."""
    from blurscan.review import security
    from blurscan.review.app import create_app

    rgb = _shot(shared_data)
    whole = _jpeg(tmp_path / "whole.jpeg", rgb).read_bytes()
    shoot = tmp_path / "shoot"
    shoot.mkdir()
    (shoot / "IMG_1.JPG").write_bytes(whole[: len(whole) // 3])
    write_dng(shoot / "IMG_1.DNG", rgb)
    small = _jpeg(shoot / "IMG_2.JPG", rgb, 768)
    write_dng(shoot / "IMG_2.DNG", rgb)
    records = _records([str(shoot)], db=str(tmp_path / "lib.db"))
    assert records["IMG_1.JPG"].format == records["IMG_2.JPG"].format == "DNG"
    client = create_app(tmp_path / "lib.db", "t", port=5126).test_client()
    base = "http://127.0.0.1:5126"
    assert client.get("/?token=t", base_url=base).status_code == 303

    def full(name):
        r = client.get(f"/full/{security.path_id(str(shoot / name))}", base_url=base)
        assert r.status_code == 200 and r.mimetype == "image/jpeg", r.data[:200]
        return np.asarray(Image.open(io.BytesIO(r.data)).convert("RGB"))

    got = full("IMG_1.JPG")
    want = np.asarray(Image.open(io.BytesIO(thumbnail(shoot / "IMG_1.DNG", 1536))))
    assert got.shape == want.shape == (1024, 1536, 3)
    assert np.abs(got.astype(int) - want).mean() < 1
    assert np.abs(got[-200:].astype(int) - rgb[-200:]).mean() < 12  # the picture to its bottom, not grey
    kept = full("IMG_2.JPG")  # a small JPEG that reads is shown: it is the file the person has
    assert kept.shape == (512, 768, 3)
    assert np.abs(kept.astype(int) - np.asarray(Image.open(small).convert("RGB"))).mean() < 3


def test_review_space_figures_count_the_raw_twin_and_sidecars_that_move_takes(shared_data, tmp_path):
    """The review header's flagged and discarded sizes, and the detail view's, counted the JPEG of a RAW + JPEG
    pair alone, while `move` takes its RAW twin and sidecars too: they are what the move plan frees now. The
    files beside a photo are looked up once per page load, not at each request."""
    from blurscan.actions import plan_move
    from blurscan.cli import main
    from blurscan.review import security
    from blurscan.review.app import create_app
    from blurscan.store import Store

    root = tmp_path / "shoot"
    root.mkdir()
    shaken = _shot(shared_data, blur=6)
    write_dng(root / "DSC_0010.DNG", shaken)
    jpg = _jpeg(root / "DSC_0010.JPG", shaken)
    (root / "DSC_0010.JPG.xmp").write_text("<x:xmpmeta/>")
    (root / "DSC_0010.DNG.xmp").write_text("<x:xmpmeta>" + "raw edits " * 50 + "</x:xmpmeta>")
    out = CliRunner().invoke(main, ["scan", str(root), "--format", "jsonl"])
    assert out.exit_code == 0 and json.loads(out.output.splitlines()[0])["verdict"] == "blurry", out.output
    four = sum(p.stat().st_size for p in root.glob("DSC_0010.*"))

    client = create_app(root / ".blurscan.db", "t", port=5126).test_client()
    base = "http://127.0.0.1:5126"
    assert client.get("/?token=t", base_url=base).status_code == 303
    assert client.get("/", base_url=base).status_code == 200  # the page load
    s = client.get("/api/summary", base_url=base).get_json()
    assert s["flagged"] == 1 and s["flagged_bytes"] == four
    assert four > jpg.stat().st_size + (root / "DSC_0010.DNG").stat().st_size  # the sidecars count too
    ident = security.path_id(str(jpg))
    item = client.get(f"/api/item/{ident}", base_url=base).get_json()
    assert [(f["name"], f["size"], f["role"]) for f in item["companions"]] == [
        (p.name, p.stat().st_size, "raw" if p.suffix == ".DNG" else "sidecar")
        for p in (root / "DSC_0010.DNG", root / "DSC_0010.DNG.xmp", root / "DSC_0010.JPG.xmp")]
    answer = client.post("/api/decision", json={"id": ident, "decision": "discard"}, base_url=base,
                         headers={security.CSRF_HEADER: security.csrf_token("t")})
    with Store(root / ".blurscan.db") as store:
        freed = plan_move(store, tmp_path / "rejects").total_bytes
    assert answer.get_json()["summary"]["discarded_bytes"] == freed == four

    (root / "DSC_0010.xmp").write_text("<x:xmpmeta/>")  # Lightroom's sidecar, added while the page is open
    assert client.get("/api/summary", base_url=base).get_json()["flagged_bytes"] == four  # no new listing
    client.get("/", base_url=base)  # reloaded: looked up again
    s = client.get("/api/summary", base_url=base).get_json()
    assert s["flagged_bytes"] == s["discarded_bytes"] == four + (root / "DSC_0010.xmp").stat().st_size


def test_a_small_jpeg_whose_raw_cannot_be_read_is_reused_until_the_raw_changes(tmp_path, monkeypatch, decode_calls):
    """A 768 px JPEG beside a damaged NEF is judged from the JPEG, and was decoded again, RAW and JPEG, on every
    scan (its record, judged below the analysis size, was never reused). Now it is reused while the RAW is the
    one that failed; a RAW with another size or time, or a newer LibRaw, is tried again."""
    import blurscan
    from blurscan import raw
    from blurscan.config import ScanSettings
    from helpers_images import save_jpeg, textured

    jpg = save_jpeg(tmp_path / "lib" / "DSC_0005.JPG", textured(5, (512, 768)))
    nef = tmp_path / "lib" / "DSC_0005.NEF"
    nef.write_bytes(b"II*\x00" + bytes(4000))  # a TIFF header and nothing: a truncated NEF
    db = str(tmp_path / "lib.db")

    def scan_once():
        decode_calls.clear()
        (record,) = blurscan.scan([tmp_path / "lib"], ScanSettings(workers=1, model="none"), db=db)
        assert record.status == "ok" and record.format == "JPEG" and record.path == str(jpg), record
        assert record.note.startswith("judged from this 768 px file: its RAW twin DSC_0005.NEF could not be read (")
        return record.cached, decode_calls[:]

    tried = (False, [str(nef), str(jpg)])
    assert scan_once() == tried
    assert scan_once() == (True, [])  # nothing decoded
    assert scan_once() == (True, [])
    nef.write_bytes(b"II*\x00" + bytes(5000))  # another size
    assert scan_once() == tried
    os.utime(nef, ns=(nef.stat().st_atime_ns, nef.stat().st_mtime_ns + 10**9))  # another time, same size
    assert scan_once() == tried
    assert scan_once() == (True, [])
    monkeypatch.setattr(raw.rawpy, "libraw_version", (99, 0, 0), raising=False)  # a LibRaw upgrade
    assert scan_once() == tried
    assert scan_once() == (True, [])
