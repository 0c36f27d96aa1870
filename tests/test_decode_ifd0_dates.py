"""EXIF dates written in IFD0 itself, as TIFF/EP places them (DateTimeOriginal 0x9003 is a TIFF/EP IFD0 tag; Pillow's
own ``Exif`` writer puts ``exif[0x9003] = ...`` there, as do scripts that set it so): read for a JPEG or TIFF as for
a RAW (:mod:`blurscan.rawtimes`) and as exiftool and exiv2 read them, not replaced by IFD0 DateTime (the time of the
last edit) or by the file's time. Until 2026-12-06 a JPEG's IFD0 DateTimeOriginal was not read."""
from __future__ import annotations

from PIL import Image

from blurscan.decode import decode

from helpers_cli import jsonl, run
from helpers_images import asym


def _exif_in_ifd0(**tags) -> Image.Exif:
    exif = Image.Exif()
    for tag, value in tags.items():
        exif[int(tag[1:], 16)] = value
    return exif


def test_a_jpegs_original_date_in_ifd0_is_its_capture_time_not_its_edit_time(tmp_path):
    path = tmp_path / "p.jpg"
    exif = _exif_in_ifd0(x0132="2024:08:01 09:00:00", x9003="2024:07:14 18:03:22", x9291="45", x9011="+05:30")
    Image.fromarray(asym()).save(path, exif=exif)
    e = decode(path).exif
    assert e["captured_at"] == "2024-07-14T18:03:22+05:30"
    assert e["captured_subsec"] == 0.45

    Image.fromarray(asym()).save(path, exif=_exif_in_ifd0(x9003="2024:07:14 18:03:22"))
    assert decode(path).exif["captured_at"] == "2024-07-14T18:03:22"


def test_the_exif_ifds_own_date_comes_first(tmp_path):
    """The Exif IFD's DateTimeOriginal, where the camera put it, wins over a copy in IFD0 (as in a RAW)."""
    path = tmp_path / "p.jpg"
    exif = _exif_in_ifd0(x9003="2020:01:01 00:00:00")
    exif.get_ifd(0x8769)[0x9003] = "2024:07:14 18:03:22"
    Image.fromarray(asym()).save(path, exif=exif)
    assert decode(path).exif["captured_at"] == "2024-07-14T18:03:22"


def test_a_tiffs_original_date_in_ifd0(tmp_path):
    path = tmp_path / "p.tif"
    Image.fromarray(asym()).save(path, tiffinfo={0x0132: "2024:08:01 09:00:00", 0x9003: "2024:07:14 18:03:22"})
    assert decode(path).exif["captured_at"] == "2024-07-14T18:03:22"


def test_scan_writes_it_in_the_jsonl(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    Image.fromarray(asym()).save(lib / "p.jpg", exif=_exif_in_ifd0(x9003="2024:07:14 18:03:22"))
    result = run("scan", lib, "--format", "jsonl", "--model", "none", "--db", tmp_path / "b.db")
    (line,) = jsonl(result.stdout)
    assert line["captured_at"] == "2024-07-14T18:03:22"


def test_the_digitized_date_and_the_edit_times_offset_in_ifd0(tmp_path):
    """DateTimeDigitized (0x9004) with its offset and fraction in IFD0 is the capture time where no original date
    is written; IFD0 DateTime's own offset (OffsetTime, 0x9010) and fraction (SubSecTime) written in IFD0 too are
    kept with it."""
    path = tmp_path / "p.jpg"
    Image.fromarray(asym()).save(path, exif=_exif_in_ifd0(x0132="2024:08:01 09:00:00", x9004="2024:07:14 18:03:22",
                                                          x9012="-04:00", x9292="5"))
    assert decode(path).exif == {"captured_at": "2024-07-14T18:03:22-04:00", "captured_subsec": 0.5}
    Image.fromarray(asym()).save(path, exif=_exif_in_ifd0(x0132="2024:08:01 09:00:00", x9010="+09:00", x9290="25"))
    assert decode(path).exif == {"captured_at": "2024-08-01T09:00:00+09:00", "captured_subsec": 0.25}
