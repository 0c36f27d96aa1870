"""Camera RAW files: judged by the camera's JPEG preview when it is large enough, else developed by LibRaw at
half size; oriented by the RAW's own metadata; and moved, undone and shown in the review like any photo (RAW + JPEG
pairs: ``test_raw_pairs.py``). The RAWs are real DNGs made from real photos (``helpers_raw.write_dng``)."""
from __future__ import annotations

import io
import json

import cv2
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from blurscan.decode import decode, thumbnail
from blurscan.errors import DecodeError

from helpers_images import photo
from helpers_library import snapshot
from helpers_raw import write_dng


def _real(shared_data, size=(512, 768)) -> np.ndarray:
    return photo(shared_data, size)


def test_jpeg_preview_is_what_is_judged_turned_by_the_raws_orientation(shared_data, tmp_path):
    rgb = _real(shared_data)
    dng = write_dng(tmp_path / "DSC_0001.DNG", rgb, preview="jpeg", orientation=6)
    camera_jpeg = tmp_path / "same-as-preview.jpg"
    Image.fromarray(rgb).save(camera_jpeg, "JPEG", quality=92)  # the bytes write_dng embeds

    got, want = decode(dng), decode(camera_jpeg)
    assert got.format == "DNG"
    assert (got.width, got.height) == (512, 768)  # the sensor's 768 x 512, turned 90 degrees clockwise
    assert np.array_equal(got.gray, np.rot90(want.gray, -1))
    assert got.laplacian_var == pytest.approx(want.laplacian_var)
    assert got.exif["captured_at"] == "2024-07-14T18:03:22"


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_of_a_raw_as_of_its_camera_jpeg(tmp_path, orientation):
    """Mirrored orientations too (LibRaw's flip codes them apart from EXIF's numbers)."""
    from helpers_images import asym

    rgb = cv2.resize(asym(), (160, 120), interpolation=cv2.INTER_NEAREST)
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.fromarray(rgb).save(tmp_path / "cam.jpg", "JPEG", quality=92, exif=exif)
    for preview in ("jpeg", None):
        got = decode(write_dng(tmp_path / f"o{orientation}-{preview}.dng", rgb, preview=preview,
                               orientation=orientation))
        want = decode(tmp_path / "cam.jpg")
        assert (got.width, got.height) == (want.width, want.height)
        if preview == "jpeg":
            assert np.array_equal(got.gray, want.gray)
        else:  # the half-size development: compare the layout (which corner is bright), not the pixels
            small = cv2.resize(want.gray, got.gray.shape[::-1], interpolation=cv2.INTER_AREA).astype(float)
            assert np.corrcoef(small.ravel(), got.gray.astype(float).ravel())[0, 1] > 0.9


def test_small_preview_means_the_sensor_data_is_developed(shared_data, tmp_path):
    rgb = _real(shared_data)
    big = cv2.resize(rgb, (1536, 1024), interpolation=cv2.INTER_CUBIC)  # a sensor twice the photo's size
    dng = write_dng(tmp_path / "IMG_2.dng", big, preview="jpeg", preview_rgb=rgb[::4, ::4].copy())
    got = decode(dng)
    assert (got.width, got.height) == (1536, 1024)
    assert got.gray.shape == (512, 768)  # half-size development: one RGB pixel per 2 x 2 block
    original = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(float)
    assert np.corrcoef(original.ravel(), got.gray.astype(float).ravel())[0, 1] > 0.95


def test_raw_without_preview_is_scanned_and_blur_is_found(shared_data, tmp_path):
    import blurscan

    rgb = cv2.resize(_real(shared_data), (1536, 1024), interpolation=cv2.INTER_CUBIC)
    write_dng(tmp_path / "sharp.dng", rgb, preview=None)
    write_dng(tmp_path / "shaken.dng", cv2.GaussianBlur(rgb, (0, 0), 6), preview=None)
    records = {r.path.rsplit("/", 1)[1]: r for r in blurscan.scan([str(tmp_path)], db=str(tmp_path / "x.db"))}
    assert set(records) == {"sharp.dng", "shaken.dng"}
    sharp, shaken = records["sharp.dng"], records["shaken.dng"]
    assert sharp.status == shaken.status == "ok"
    assert shaken.verdict == "blurry" and sharp.verdict != "blurry"
    assert shaken.p_blurry > sharp.p_blurry + 0.3


def test_thumbnail_of_a_raw_for_the_review_page(shared_data, tmp_path):
    dng = write_dng(tmp_path / "P1.DNG", _real(shared_data), preview="bitmap", orientation=8)
    im = Image.open(io.BytesIO(thumbnail(dng, 200)))
    assert im.format == "JPEG" and im.size == (133, 200)  # 768 x 512 turned upright, long side 200


def test_damaged_or_unknown_raw_files_get_one_line_each(shared_data, tmp_path):
    dng = write_dng(tmp_path / "whole.dng", _real(shared_data), preview="jpeg").read_bytes()
    cut = tmp_path / "cut.dng"
    cut.write_bytes(dng[: len(dng) // 2])  # the sensor data and the preview behind it are gone
    with pytest.raises(DecodeError) as err:
        decode(cut)
    assert str(err.value) == f"{cut}: truncated or corrupt camera RAW file (DNG)"
    signed = {"IMG_1.CR2": b"II*\x00\x10\x00\x00\x00CR\x02\x00", "P1.ORF": b"IIRO\x08\x00\x00\x00",
              "P2.RW2": b"IIU\x00\x18\x00\x00\x00", "DSCF1.RAF": b"FUJIFILMCCD-RAW 0201",
              "IMG_2.CR3": b"\x00\x00\x00\x18ftypcrx \x00\x00\x00\x01"}
    for name, head in signed.items():
        path = tmp_path / name
        path.write_bytes(head + bytes(range(256)) * 2)
        with pytest.raises(DecodeError) as err:
            decode(path)
        line = str(err.value)
        assert line.startswith(f"{path}: ") and "\n" not in line
        assert f"camera RAW file ({name.rsplit('.', 1)[1]})" in line, line  # cannot read / truncated or corrupt


def test_a_tiff_named_like_a_raw_is_not_judged_by_pillows_first_image(tmp_path):
    """Pillow would open a TIFF-based RAW at IFD0 (a thumbnail in real NEFs); the suffix sends it to LibRaw."""
    tiff = io.BytesIO()
    Image.fromarray(photo(None, (120, 160))).save(tiff, format="TIFF")
    nef = tmp_path / "DSC_0001.NEF"
    nef.write_bytes(tiff.getvalue())
    with pytest.raises(DecodeError, match=r"camera RAW file \(NEF\) that LibRaw cannot read"):
        decode(nef)
    ok = tmp_path / "scan.tif"
    ok.write_bytes(tiff.getvalue())
    assert decode(ok).width == 160


def test_raw_alone_is_scanned_moved_and_undone_with_its_sidecar(shared_data, tmp_path):
    from blurscan.cli import main

    root = tmp_path / "shoot"
    root.mkdir()
    rgb = cv2.resize(_real(shared_data), (1536, 1024), interpolation=cv2.INTER_CUBIC)
    write_dng(root / "DSC_0002.DNG", cv2.GaussianBlur(rgb, (0, 0), 6), preview=None)
    (root / "DSC_0002.xmp").write_text("<x:xmpmeta/>")
    write_dng(root / "DSC_0003.dng", rgb, preview=None)  # its camera JPEG is beside it: a RAW + JPEG pair
    Image.fromarray(rgb).save(root / "DSC_0003.JPG", quality=92)
    runner = CliRunner()
    out = runner.invoke(main, ["scan", str(root), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    rows = {json.loads(line)["path"].rsplit("/", 1)[1]: json.loads(line)
            for line in out.output.splitlines() if line.startswith("{")}
    assert set(rows) == {"DSC_0002.DNG", "DSC_0003.JPG"}
    assert rows["DSC_0002.DNG"]["format"] == "DNG" and rows["DSC_0002.DNG"]["verdict"] == "blurry"
    before = snapshot(root)
    out = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--all-flagged", "--yes", str(root)])
    assert out.exit_code == 0 and "moved 1 photo (2 files" in out.output, out.output
    assert sorted(p.name for p in (tmp_path / "rejects").iterdir()) == ["DSC_0002.DNG", "DSC_0002.xmp"]
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0 and "restored 2 files" in out.output, out.output
    assert snapshot(root) == before


def test_review_page_shows_a_raw_as_jpeg(shared_data, tmp_path):
    import blurscan
    from blurscan.review import security
    from blurscan.review.app import create_app

    dng = write_dng(tmp_path / "DSC_0004.NEF.dng", _real(shared_data), preview="jpeg", orientation=6)
    db = tmp_path / "lib.db"
    (record,) = blurscan.scan([str(dng)], db=str(db))
    assert record.status == "ok", record.error
    base, token = "http://127.0.0.1:5124", "raw-token"
    client = create_app(db, token, port=5124).test_client()
    assert client.get(f"/?token={token}", base_url=base).status_code == 303
    ident = security.path_id(record.path)
    for url, size in ((f"/full/{ident}", (512, 768)), (f"/thumb/{ident}", None)):
        r = client.get(url, base_url=base)
        assert r.status_code == 200 and r.mimetype == "image/jpeg", (url, r.status_code, r.data[:200])
        im = Image.open(io.BytesIO(r.data))
        assert im.width < im.height  # upright
        if size:
            assert im.size == size
    assert client.get(f"/api/item/{ident}", base_url=base).get_json()["exif"]["captured_at"] == "2024-07-14T18:03:22"
