"""More capture times of camera RAW files (rawtimes.py, since 2026-12-05), found by mutation testing: big-endian
TIFFs (Nikon's NEF, Pentax's PEF), a RAW whose first IFD is followed by others, the digitized date with its
offset and fraction, IFD0 DateTime's fraction, a fraction of three digits (stored in its tag's entry), and in
files made here byte by byte: Panasonic's and Olympus' own headers, an Exif IFD pointer of type IFD, and the Exif
IFD's date before the one a writer left in IFD0."""
from __future__ import annotations

import json
import struct

import pytest
import tifffile
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.rawtimes import capture_time
from helpers_cli import jsonl
from helpers_images import scene
from helpers_raw import EXIF_IFD, mosaic, write_dng
from helpers_sqlite import connected
from test_raw_times import IFD0_DATES


def _scanned(lib) -> dict[str, dict]:
    """The scan's records, with the fraction of the second its database keeps (JSONL leaves it out)."""
    result = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    with connected(lib / ".blurscan.db") as conn:
        stored = {path: json.loads(text) for path, text in conn.execute("SELECT path, record FROM images")}
    return {r["path"].rsplit("/", 1)[-1]: {**r, "captured_subsec": stored[r["path"]].get("captured_subsec")}
            for r in jsonl(result.stdout)}


def _when(record: dict) -> tuple:
    return record["status"], record["captured_at"], record["captured_subsec"]


@pytest.mark.parametrize("byteorder, pages", [(">", 1), ("<", 2)])
def test_exif_dates_of_a_big_endian_raw_or_one_of_several_ifds(tmp_path, byteorder, pages):
    """A big-endian DNG ("MM", as Nikon and Pentax write their RAWs), and one whose IFD0 is followed by another
    IFD (a second image): IFD0's dates are read (DateTimeOriginal and its fraction, not DateTime's edit)."""
    lib = tmp_path / "lib"
    lib.mkdir()
    tags = IFD0_DATES
    with tifffile.TiffWriter(lib / "DSC_0001.DNG", byteorder=byteorder) as tw:
        tw.write(mosaic(scene(81)), photometric=32803, subfiletype=0, bitspersample=16, extratags=tags)
        if pages == 2:
            tw.write(mosaic(scene(81))[::4, ::4].copy(), photometric=32803, subfiletype=1, bitspersample=16)
    assert (lib / "DSC_0001.DNG").read_bytes()[:2] == (b"MM" if byteorder == ">" else b"II")
    assert _when(_scanned(lib)["DSC_0001.DNG"]) == ("ok", "2024-06-01T10:00:00", 0.25)


def test_the_digitized_date_and_ifd0_dates_fraction_and_a_three_digit_fraction(tmp_path):
    """DateTimeDigitized with OffsetTimeDigitized and SubSecTimeDigitized where there is no original date;
    IFD0 DateTime with OffsetTime and SubSecTime; SubSecTimeOriginal "123" (four bytes with its NUL: kept in the
    entry itself, as TIFF stores a value of four bytes or fewer)."""
    lib = tmp_path / "lib"
    lib.mkdir()
    img = scene(82)
    write_dng(lib / "D1.DNG", img, captured="2025:01:01 12:00:00",
              exif={0x9004: "2024:06:01 10:00:00", 0x9012: "+02:00", 0x9292: "75"})
    write_dng(lib / "D2.DNG", img, captured="2024:06:01 10:00:00", exif={0x9010: "-05:00", 0x9290: "5"})
    write_dng(lib / "D3.DNG", img, exif={0x9003: "2024:06:01 10:00:00", 0x9291: "123"})
    records = _scanned(lib)
    assert _when(records["D1.DNG"]) == ("ok", "2024-06-01T10:00:00+02:00", 0.75)
    assert _when(records["D2.DNG"]) == ("ok", "2024-06-01T10:00:00-05:00", 0.5)
    assert _when(records["D3.DNG"]) == ("ok", "2024-06-01T10:00:00", 0.123)


def _raw(header: bytes, order: str, ifd0: dict, exif: dict | None, pointer_type: int = 4) -> bytes:
    """A TIFF-based RAW's EXIF structure: IFD0 with the ASCII tags ``ifd0`` and (unless ``exif`` is None) a pointer
    of type ``pointer_type`` to an Exif IFD of the ASCII tags ``exif``; texts longer than four bytes after them."""
    ifds = [dict(ifd0)] + ([dict(exif)] if exif is not None else [])
    sizes = [2 + 12 * (len(tags) + (i == 0 and exif is not None)) + 4 for i, tags in enumerate(ifds)]
    data_at = 8 + sum(sizes)
    out, data = header + struct.pack(order + "I", 8), b""
    for i, tags in enumerate(ifds):
        entries = []
        for tag, text in sorted(tags.items()):
            raw = text.encode("ascii") + b"\x00"
            if len(raw) <= 4:
                value = raw.ljust(4, b"\x00")
            else:
                value, data = struct.pack(order + "I", data_at + len(data)), data + raw
            entries.append(struct.pack(order + "HHI", tag, 2, len(raw)) + value)
        if i == 0 and exif is not None:
            entries.append(struct.pack(order + "HHII", EXIF_IFD, pointer_type, 1, 8 + sizes[0]))
        out += struct.pack(order + "H", len(entries)) + b"".join(entries) + struct.pack(order + "I", 0)
    assert len(out) == data_at
    return out + data


ORIGINAL = {0x9003: "2024:06:01 10:00:00", 0x9291: "40"}


@pytest.mark.parametrize("header, order", [(b"IIU\x00", "<"), (b"MMOR", ">"), (b"IIRS", "<"), (b"MM\x00*", ">")])
def test_panasonic_olympus_and_big_endian_headers(header, order):
    """Panasonic's RW2 header, Olympus' big-endian ORF and its other little-endian one, a big-endian TIFF."""
    found = capture_time(_raw(header, order, {0x0132: "2025:01:01 12:00:00"}, ORIGINAL))
    assert found == {"captured_at": "2024-06-01T10:00:00", "captured_subsec": 0.4}


def test_an_exif_pointer_of_type_ifd_is_followed():
    """TIFF's type 13 (IFD), which some writers give the Exif IFD pointer instead of LONG."""
    assert capture_time(_raw(b"II*\x00", "<", {}, ORIGINAL, pointer_type=13)) == {
        "captured_at": "2024-06-01T10:00:00", "captured_subsec": 0.4}


def test_the_exif_ifds_date_comes_before_the_same_tag_in_ifd0():
    """A writer that left an older DateTimeOriginal in IFD0 beside the Exif IFD's: the Exif IFD's is the one
    (IFD0's Exif dates count only where the Exif IFD has not the same tag)."""
    data = _raw(b"II*\x00", "<", {0x9003: "2020:01:01 00:00:00", 0x9011: "+01:00"}, ORIGINAL)
    assert capture_time(data) == {"captured_at": "2024-06-01T10:00:00+01:00", "captured_subsec": 0.4}
