"""Capture times of camera RAW files to the fraction of a second and with their offsets (since 2026-12-05), through
the real command line (``scan``, then ``bursts --format jsonl``) on real DNGs whose Exif IFD tifffile and
``helpers_raw`` write as cameras do.

Until then a RAW's time was LibRaw's: whole seconds, no offset. The shots of a burst shot in RAW (10-20 a second)
were ordered by name within a second, and times were compared on the wall clock. A TIFF-based RAW's own EXIF
(``DateTimeOriginal``, ``SubSecTimeOriginal``, ``OffsetTimeOriginal``) is now read as a JPEG's
(:mod:`blurscan.rawtimes`), within bounds a hostile file cannot stretch.
"""
from __future__ import annotations

import json
import os
import struct
import subprocess
import sys

import pytest
import tifffile
from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from blurscan.rawtimes import capture_time
from blurscan.tiffkind import PAGES_LOOKED_AT
from helpers_cli import jsonl
from helpers_images import scene, shaken, textured
from helpers_raw import EXIF_IFD, ifd0_offset, mosaic, write_dng
from helpers_sqlite import connected
from test_bursts_cli import scan_then_bursts


def _names(group: dict) -> list[str]:
    return [m["path"].rsplit("/", 1)[-1] for m in group["members"]]


def _times(group: dict) -> dict[str, tuple]:
    return {m["path"].rsplit("/", 1)[-1]: (m["captured_at"], m["captured_subsec"]) for m in group["members"]}


def test_raw_shots_of_one_second_are_ordered_by_their_fractions(tmp_path):
    """Two DNGs alike to the pixel (their figures tie) in one second: the earlier by SubSecTimeOriginal is kept,
    though its name sorts last (until 2026-12-05: the first by name, "no fraction of a second known")."""
    lib = tmp_path / "lib"
    lib.mkdir()
    img = scene(91)
    write_dng(lib / "DSC_0001.DNG", img, exif={0x9003: "2024:06:01 10:00:00", 0x9291: "80"})
    write_dng(lib / "DSC_0002.DNG", img, exif={0x9003: "2024:06:01 10:00:00", 0x9291: "20"})
    [group] = scan_then_bursts(lib)
    assert _names(group) == ["DSC_0002.DNG", "DSC_0001.DNG"]
    assert group["members"][0]["reason"] == "as sharp and as large; the earlier shot is kept"
    assert _times(group) == {"DSC_0001.DNG": ("2024-06-01T10:00:00", 0.8), "DSC_0002.DNG": ("2024-06-01T10:00:00", 0.2)}


def test_raws_stored_before_keep_their_times(tmp_path):
    """A RAW's record stored before 2026-12-05 (LibRaw's time: no fraction, no offset) is reused as it is while the
    file is unchanged (no score, no cache key changed): its shots of one second are ordered by name, as the reason
    says."""
    lib = tmp_path / "lib"
    lib.mkdir()
    img = scene(98)
    for name, subsec in (("DSC_0001.DNG", "80"), ("DSC_0002.DNG", "20")):
        write_dng(lib / name, img, exif={0x9003: "2024:06:01 10:00:00", 0x9011: "+02:00", 0x9291: subsec})
    scan_then_bursts(lib)
    with connected(lib / ".blurscan.db") as conn:
        for path, text in conn.execute("SELECT path, record FROM images").fetchall():
            record = json.loads(text)
            del record["captured_subsec"]  # as an older blurscan stored it
            record["captured_at"] = "2024-06-01T10:00:00"
            conn.execute("UPDATE images SET record = ?, captured_at = ? WHERE path = ?",
                         (json.dumps(record), record["captured_at"], path))
    [group] = scan_then_bursts(lib)
    assert _names(group) == ["DSC_0001.DNG", "DSC_0002.DNG"]
    assert group["members"][0]["reason"].endswith("taken in the same second (no fraction of a second known); "
                                                  "the first by path is kept")
    assert _times(group) == {"DSC_0001.DNG": ("2024-06-01T10:00:00", None), "DSC_0002.DNG": ("2024-06-01T10:00:00", None)}


def test_raw_times_with_offsets_are_compared_in_real_seconds(tmp_path):
    """A RAW burst across the night the clocks go back (02:59:59+02:00, then 02:00:01+01:00: two seconds apart,
    an hour on the wall clock) is one group; until 2026-12-05 the offsets were not read and it was none."""
    lib = tmp_path / "lib"
    lib.mkdir()
    img = scene(92)
    write_dng(lib / "DSC_0001.DNG", img, exif={0x9003: "2026:10:25 02:59:59", 0x9011: "+02:00", 0x9291: "5"})
    write_dng(lib / "DSC_0002.DNG", shaken(img), exif={0x9003: "2026:10:25 02:00:01", 0x9011: "+01:00"})
    [group] = scan_then_bursts(lib)
    assert _names(group) == ["DSC_0001.DNG", "DSC_0002.DNG"]
    assert (group["first_captured_at"], group["last_captured_at"]) == ("2026-10-25T02:59:59+02:00",
                                                                       "2026-10-25T02:00:01+01:00")
    assert _times(group)["DSC_0001.DNG"] == ("2026-10-25T02:59:59+02:00", 0.5)


def test_a_raw_without_an_original_date_has_its_ifd0_date_as_a_jpeg_would(tmp_path):
    """No Exif IFD, or one without dates: IFD0 DateTime, as LibRaw read it before, with its offset (OffsetTime)
    where the Exif IFD has one, as a JPEG's."""
    lib = tmp_path / "lib"
    lib.mkdir()
    img = scene(93)
    write_dng(lib / "DSC_0001.DNG", img, captured="2024:06:01 10:00:00")
    write_dng(lib / "DSC_0002.DNG", img, captured="2024:06:01 10:00:00", exif={0x9010: "+02:00"})
    [group] = scan_then_bursts(lib)
    # (IFD0 DateTime's offset is OffsetTime, an Exif IFD tag: as for a JPEG)
    assert _times(group) == {"DSC_0001.DNG": ("2024-06-01T10:00:00", None),
                             "DSC_0002.DNG": ("2024-06-01T10:00:00+02:00", None)}


#: A DNG's IFD0 tags (tifffile's extratags) with DateTimeOriginal and SubSecTimeOriginal written in IFD0 itself,
#: beside a DateTime of a later edit (2025), over an RGGB mosaic: its original date is 2024-06-01 10:00:00.25.
IFD0_DATES = [(50706, "B", 4, (1, 4, 0, 0), True), (50708, "s", 0, "blurscan test camera", True),
              (306, "s", 0, "2025:01:01 12:00:00", True), (0x9003, "s", 0, "2024:06:01 10:00:00", True),
              (0x9291, "s", 0, "25", True), (33421, "H", 2, (2, 2), True), (33422, "B", 4, (0, 1, 1, 2), True),
              (50717, "I", 1, 4095, True)]


def test_exif_dates_written_in_ifd0_itself_count(tmp_path):
    """A DNG whose writer put DateTimeOriginal and SubSecTimeOriginal in IFD0, beside a DateTime of a later edit:
    the original date (LibRaw gave the edit's, until 2026-12-05)."""
    lib = tmp_path / "lib"
    lib.mkdir()
    tags = IFD0_DATES
    for name in ("DSC_0001.DNG", "DSC_0002.DNG"):
        with tifffile.TiffWriter(lib / name) as tw:
            tw.write(mosaic(scene(97)), photometric=32803, subfiletype=0, bitspersample=16, extratags=tags)
    [group] = scan_then_bursts(lib)
    assert _times(group)["DSC_0001.DNG"] == ("2024-06-01T10:00:00", 0.25)


def test_a_raw_and_jpeg_pair_takes_the_time_of_the_picture_judged(tmp_path):
    """A pair judged from its JPEG (as large as the analysis size) has the JPEG's time; one judged from its RAW
    (the JPEG is smaller) has the RAW's, now to the fraction of the second as a lone RAW's."""
    lib = tmp_path / "lib"
    lib.mkdir()
    img = textured(94, (768, 1024))
    for stem, jpeg_rgb, jpeg_subsec, raw_subsec in (("IMG_0001", img, "30", "90"),
                                                    ("IMG_0002", img[::4, ::4].copy(), "10", "60")):
        exif = Image.Exif()
        exif.get_ifd(0x8769).update({0x9003: "2024:06:01 10:00:00", 0x9291: jpeg_subsec})
        Image.fromarray(jpeg_rgb).save(lib / f"{stem}.JPG", quality=92, exif=exif)
        write_dng(lib / f"{stem}.DNG", img, exif={0x9003: "2024:06:01 10:00:00", 0x9291: raw_subsec})
    [group] = scan_then_bursts(lib)
    assert _times(group) == {"IMG_0001.JPG": ("2024-06-01T10:00:00", 0.3),  # the JPEG's
                             "IMG_0002.JPG": ("2024-06-01T10:00:00", 0.6)}  # the RAW's


def test_a_raw_shot_in_the_hour_the_clocks_skip_keeps_its_time(tmp_path):
    """LibRaw turns the EXIF text into a moment in this computer's time zone and back, so a RAW shot at 02:30 on
    the night the clocks go forward there (02:30 does not exist: 02:00 is 03:00) read 03:30, an hour off, until
    2026-12-05; the EXIF text is now read as it is, as a JPEG's. (A POSIX rule for Central Europe: no time zone
    database needed.)"""
    lib = tmp_path / "lib"
    lib.mkdir()
    write_dng(lib / "DSC_0001.DNG", scene(96), captured="2026:03:29 02:30:00", exif={0x9003: "2026:03:29 02:30:00"})
    env = {**os.environ, "TZ": "CET-1CEST,M3.5.0,M10.5.0/3"}
    done = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(lib), "--model", "none", "--workers", "1",
                           "--format", "jsonl"], capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    [record] = jsonl(done.stdout.decode())
    assert record["captured_at"] == "2026-03-29T02:30:00"


def _patch_exif_pointer(path, value: int) -> None:
    data = bytearray(path.read_bytes())
    at = ifd0_offset(path)
    for i in range(int.from_bytes(data[at:at + 2], "little")):
        slot = at + 2 + 12 * i
        if int.from_bytes(data[slot:slot + 2], "little") == EXIF_IFD:
            data[slot + 8:slot + 12] = value.to_bytes(4, "little")
    path.write_bytes(bytes(data))


def test_hostile_exif_pointers_in_a_raw_are_survived(tmp_path):
    """An Exif IFD pointer back at IFD0 (a loop) is read once: IFD0's date, and the scan and bursts go on. One
    outside the file: LibRaw refuses the file (as before 2026-12-05), reported as one line, and the others are
    scanned."""
    lib = tmp_path / "lib"
    lib.mkdir()
    img = scene(95)
    loop = write_dng(lib / "DSC_0001.DNG", img, captured="2024:06:01 10:00:00", exif={0x9003: "2030:01:01 00:00:00"})
    _patch_exif_pointer(loop, ifd0_offset(loop))
    write_dng(lib / "DSC_0002.DNG", img, captured="2024:06:01 10:00:00", exif={0x9291: "50"})
    outside = write_dng(lib / "DSC_0003.DNG", img, exif={0x9003: "2024:06:01 10:00:00"})
    _patch_exif_pointer(outside, 0xFFFFFF00)
    runner = CliRunner()
    scanned = runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1", "--format", "jsonl"])
    records = {r["path"].rsplit("/", 1)[-1]: r for r in jsonl(scanned.stdout)}
    assert records["DSC_0003.DNG"]["status"] == "error", records
    assert [records[n]["status"] for n in ("DSC_0001.DNG", "DSC_0002.DNG")] == ["ok", "ok"]
    result = runner.invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    [group] = jsonl(result.stdout)
    # (DSC_0002's SubSecTimeOriginal goes with its DateTime, of no other second)
    assert _times(group) == {"DSC_0001.DNG": ("2024-06-01T10:00:00", None),
                             "DSC_0002.DNG": ("2024-06-01T10:00:00", None)}


def _tiff(ifds: list[tuple[list[tuple[int, int, int, bytes]], int | None]], header: bytes = b"II*\x00") -> bytes:
    """A little-endian TIFF of the IFDs given, one after the other: each a list of entries ``(tag, type, count,
    4-byte value)`` and the index of the IFD it chains to (None: the next one, -1: none)."""
    sizes = [2 + 12 * len(entries) + 4 for entries, _ in ifds]
    starts = [8 + sum(sizes[:i]) for i in range(len(ifds))]
    out = header + struct.pack("<I", starts[0])
    for i, (entries, following) in enumerate(ifds):
        if following is None:
            following = i + 1 if i + 1 < len(ifds) else -1
        out += struct.pack("<H", len(entries))
        out += b"".join(struct.pack("<HHI", tag, kind, n) + value for tag, kind, n, value in entries)
        out += struct.pack("<I", starts[following] if following >= 0 else 0)
    return out


def _date_at(offset: int) -> tuple[int, int, int, bytes]:
    return (0x9003, 2, 20, struct.pack("<I", offset))  # DateTimeOriginal, its text at ``offset``


DATE = b"2024:06:01 10:00:00\x00"


@pytest.mark.parametrize("page", [PAGES_LOOKED_AT, PAGES_LOOKED_AT + 1])
def test_the_exif_pointer_is_looked_for_in_a_bounded_chain_of_ifds(page):
    """IFD0 and the IFDs chained after it are looked at, at most PAGES_LOOKED_AT after IFD0: a file of a million
    IFDs costs no more than one of seventeen."""
    ifds = [([], None) for _ in range(page + 2)]  # IFD ``page`` points at the Exif IFD, the last one
    data_at = 8 + sum(2 + 12 * (1 if i in (page, page + 1) else 0) + 4 for i in range(page + 2))
    exif_at = data_at - (2 + 12 + 4)
    ifds[page] = ([(EXIF_IFD, 4, 1, struct.pack("<I", exif_at))], -1)
    ifds[page + 1] = ([_date_at(data_at)], -1)
    data = _tiff(ifds) + DATE
    assert data[data_at:] == DATE
    found = capture_time(data)
    assert found == ({"captured_at": "2024-06-01T10:00:00"} if page <= PAGES_LOOKED_AT else {})


def test_hostile_tiff_structures_read_nothing_and_stay_cheap():
    loop = _tiff([([], 0)])  # IFD0 chained to itself, no Exif IFD
    assert capture_time(loop) == {}
    outside = _tiff([([(EXIF_IFD, 4, 1, struct.pack("<I", 0xFFFFFF00))], None)])
    assert capture_time(outside) == {}
    text_outside = _tiff([([(EXIF_IFD, 4, 1, struct.pack("<I", 26))], None), ([_date_at(0xFFFFFFF0)], None)])
    assert capture_time(text_outside) == {}
    # an IFD claiming 65535 entries, and the file ends after a few: those there are read
    claims = _tiff([([(EXIF_IFD, 4, 1, struct.pack("<I", 26))], None), ([_date_at(44)], None)]) + DATE
    claims = claims[:26] + struct.pack("<H", 65535) + claims[28:]
    assert capture_time(claims) == {"captured_at": "2024-06-01T10:00:00"}
    for damaged in (b"", b"II*\x00", b"II*\x00\xff\xff\xff\xff", loop[:9], b"\x00" * 64):
        assert capture_time(damaged) == {}
    # ORF's and RW2's own headers are TIFF's structure
    orf = _tiff([([(EXIF_IFD, 4, 1, struct.pack("<I", 26))], None), ([_date_at(44)], None)], b"IIRO") + DATE
    assert capture_time(orf) == {"captured_at": "2024-06-01T10:00:00"}
