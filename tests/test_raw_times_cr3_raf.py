"""A Canon CR3's and a Fujifilm RAF's own EXIF (since 2026-12-07): their capture time to the fraction of a second
with its offset, their camera (make, model, body serial) and their exposure, as a TIFF-based RAW's and a JPEG's.

Until then a CR3's and a RAF's were LibRaw's alone: whole seconds, no offset, no camera. A CR3 burst at 20 fps had
its shots of one second ordered by name, and two Canon EOS R5 bodies' shots of one moment were one burst, from
which ``move --from-bursts`` would take the other body's frame. The files are made by hand
(:mod:`helpers_cr3raf`; exiftool reads the same from them); LibRaw cannot develop such a file, so the scans below
stand a LibRaw in that gives what LibRaw gives for a real one: the sizes, the preview, the time in whole seconds.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
import struct
import subprocess
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan import raw
from blurscan.cli import main
from blurscan.exif import exposure_value
from blurscan.rawexif import cr3_tiffs, raf_tiff
from blurscan.rawtimes import capture_time
from helpers_cr3raf import CANON_UUID, box, cr3, raf
from helpers_images import blurred, scene

R5 = {0x010F: "Canon", 0x0110: "Canon EOS R5"}
SHOT = {**R5, 0x9003: "2024:06:01 10:00:00", 0x9291: "35", 0x9011: "+02:00", 0x829A: (1, 2000), 0x829D: (28, 10),
        0x8827: 400, 0xA431: "031021000111"}
WANTED = {"captured_at": "2024-06-01T10:00:00+02:00", "captured_subsec": 0.35, "make": "Canon",
          "model": "Canon EOS R5", "body_serial": "031021000111", "exposure_time": 1 / 2000, "f_number": 2.8,
          "iso": 400}


def test_a_cr3s_and_a_rafs_own_exif_is_read():
    assert capture_time(cr3(SHOT)) == WANTED
    fuji = {**SHOT, 0x010F: "FUJIFILM", 0x0110: "X-T5"}
    assert capture_time(raf(fuji)) == {**WANTED, "make": "FUJIFILM", "model": "X-T5"}
    assert exposure_value(capture_time(cr3(SHOT))) == round(math.log2(2.8 ** 2 * 2000) - 2, 2)
    # IFD0 DateTime alone (no Exif date), and DateTimeOriginal written in CMT1 (IFD0) as TIFF/EP has it
    assert capture_time(cr3({**R5, 0x0132: "2024:06:01 10:00:09"}))["captured_at"] == "2024-06-01T10:00:09"
    assert capture_time(cr3({0x0132: "2024:06:01 10:00:09"}))["captured_at"] == "2024-06-01T10:00:09"


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool is not installed")
def test_exiftool_reads_the_same_from_the_hand_made_files(tmp_path):
    for name, data in (("a.CR3", cr3(SHOT)), ("a.RAF", raf(SHOT))):
        (tmp_path / name).write_bytes(data)
        done = subprocess.run(["exiftool", "-j", "-n", "-Make", "-Model", "-DateTimeOriginal", "-SubSecTimeOriginal",
                               "-OffsetTimeOriginal", "-ExposureTime", "-FNumber", "-ISO", "-SerialNumber",
                               str(tmp_path / name)], capture_output=True, text=True, timeout=60)
        [read] = json.loads(done.stdout)
        assert (read["Make"], read["Model"], str(read["SerialNumber"])) == ("Canon", "Canon EOS R5", "031021000111")
        assert (read["DateTimeOriginal"], str(read["SubSecTimeOriginal"]), read["OffsetTimeOriginal"]) == \
            ("2024:06:01 10:00:00", "35", "+02:00")
        assert (read["ExposureTime"], read["FNumber"], read["ISO"]) == (0.0005, 2.8, 400)


def test_damaged_or_hostile_containers_read_nothing_and_cost_little():
    good = cr3(SHOT)
    assert capture_time(good[:40]) == {} and capture_time(good[:-70]) == WANTED  # (cut in moov / in mdat)
    ftyp, rest = good[:good.index(b"moov") - 4], good[good.index(b"moov") - 4:]
    for moov in (struct.pack(">I4s", 3, b"moov"),                         # a size shorter than its header
                 struct.pack(">I4sQ", 1, b"moov", 2 ** 63),               # a 64-bit size past the file
                 box(b"moov", box(b"uuid", b"\0" * 16 + box(b"CMT1", b"II*\0" + b"\xff" * 4))),  # not Canon's uuid
                 box(b"moov", box(b"uuid", CANON_UUID + box(b"CMT1", b"II*\0" + b"\xff" * 4))),  # IFD past the end
                 box(b"moov", box(b"uuid", CANON_UUID + box(b"CMT2", b"MM\0*\0\0\0\x08\xff\xff")))):  # 65535 entries
        assert capture_time(ftyp + moov) == {}
    # 100,000 empty boxes before moov: the first 64 only are looked at
    assert cr3_tiffs(ftyp + struct.pack(">I4s", 8, b"free") * 100_000 + rest) is None
    assert cr3_tiffs(ftyp + struct.pack(">I4s", 8, b"free") * 60 + rest) is not None
    assert capture_time(ftyp + struct.pack(">I4s", 0, b"moov") + rest[8:]) == WANTED  # (0: to the end)
    large = struct.pack(">I4sQ", 1, b"moov", len(rest) + 8) + rest[8:]  # (1: a 64-bit size)
    assert capture_time(ftyp + large) == WANTED
    fuji = raf(SHOT)
    for bad in (fuji[:84] + struct.pack(">II", 10 ** 9, 100) + fuji[92:],   # the JPEG past the end
                fuji[:84] + struct.pack(">II", 0, len(fuji)) + fuji[92:],    # no JPEG there
                fuji[:160] + b"\xff\xd8" + b"\xff\xfe\x00\x02" * 100_000):   # comments only: 64 looked at
        assert capture_time(bad) == {}
    assert raf_tiff(b"FUJIFILMCCD-RAW 0201") is None


class _Thumb:
    def __init__(self, data: bytes):
        self.format, self.data = "jpeg", data


class _LibRaw:
    """What LibRaw gives for a real CR3 or RAF: its size, its preview, the capture time in whole seconds of the wall
    clock (the first date the file holds) and no exposure figures."""

    def __init__(self, data: bytes):
        self._data = data
        self.sizes = types.SimpleNamespace(raw_width=640, raw_height=480, width=640, height=480, flip=0)
        date = re.search(rb"\d{4}:\d\d:\d\d \d\d:\d\d:\d\d", data).group().decode()
        self.other = types.SimpleNamespace(timestamp=dt.datetime.strptime(date, "%Y:%m:%d %H:%M:%S"),
                                           shutter_speed=0.0, aperture=0.0, iso_speed=0.0, focal_length=0.0)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def extract_thumb(self):
        return _Thumb(self._data[self._data.index(b"\xff\xd8\xff"):])


@pytest.fixture
def libraw(monkeypatch):
    stand_in = types.SimpleNamespace(imread=lambda f: _LibRaw(f.read()),
                                     ThumbFormat=types.SimpleNamespace(JPEG="jpeg"))
    monkeypatch.setattr(raw, "_rawpy", lambda: stand_in)


def _groups(lib: Path) -> list[dict]:
    scanned = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert scanned.exit_code == 0, scanned.output
    assert "0 errors" in scanned.output, scanned.output
    res = CliRunner().invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    return [json.loads(line) for line in res.stdout.splitlines()]


def test_a_cr3_bursts_fractions_are_read_and_two_bodies_are_apart(tmp_path, libraw):
    """Body A's three frames of one second (20 fps: .00, .05, .10; the first the sharpest), body B's frame of that
    second, the same name on its card. Was one burst of 4 in whole seconds without offset (body B's IMG_0001 a frame
    of it, which move --from-bursts would take)."""
    lib = tmp_path / "wedding"
    img = scene(7)
    frames = (("card1/IMG_0003.CR3", "00", img), ("card1/IMG_0001.CR3", "05", blurred(img, 2.0)),
              ("card1/IMG_0002.CR3", "10", blurred(img, 1.0)), ("card2/IMG_0001.CR3", "02", blurred(img, 0.6)))
    for name, subsec, picture in frames:
        serial = "031021000222" if name.startswith("card2") else "031021000111"
        (lib / name).parent.mkdir(parents=True, exist_ok=True)
        (lib / name).write_bytes(cr3({**SHOT, 0x9291: subsec, 0xA431: serial}, picture))
    [group] = _groups(lib)
    members = {str(Path(m["path"]).relative_to(lib)): (m["captured_at"], m["captured_subsec"])
               for m in group["members"]}
    assert list(members) == ["card1/IMG_0003.CR3", "card1/IMG_0002.CR3", "card1/IMG_0001.CR3"]
    assert {m[1] for m in members.values()} == {0.0, 0.05, 0.1}
    assert {m[0] for m in members.values()} == {"2024-06-01T10:00:00+02:00"}


def test_a_scanned_raf_stores_its_time_offset_camera_and_exposure(tmp_path, libraw):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "DSCF0001.RAF").write_bytes(raf({**SHOT, 0x010F: "FUJIFILM", 0x0110: "X-T5"}, scene(8)))
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    [record] = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert (record["status"], record["format"], record["captured_at"]) == ("ok", "RAF", "2024-06-01T10:00:00+02:00")
    from helpers_sqlite import connected

    with connected(lib / ".blurscan.db") as conn:
        [(stored,)] = conn.execute("SELECT record FROM images").fetchall()
    stored = json.loads(stored)
    assert stored["captured_subsec"] == 0.35 and stored["camera"] == ["FUJIFILM", "X-T5", "031021000111"]
    assert stored["exposure_ev"] == exposure_value(WANTED)


def test_hand_made_files_that_libraw_cannot_read_are_one_error_line_each(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "IMG_0001.CR3").write_bytes(cr3(SHOT))
    (lib / "DSCF0001.RAF").write_bytes(raf(SHOT))
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    errors = {Path(r["path"]).name: r["error"] for r in map(json.loads, res.stdout.splitlines())}
    assert errors == {name: f"camera RAW file ({kind}) that LibRaw cannot read (an unsupported camera, or a damaged "
                            "file)" for name, kind in (("IMG_0001.CR3", "CR3"), ("DSCF0001.RAF", "RAF"))}
    assert "Traceback" not in res.output


def _raf_with(segments: bytes, length: int | None = None) -> bytes:
    """:func:`raf` of ``SHOT`` with ``segments`` before its JPEG's own (after its SOI); ``length`` in the header."""
    fuji = raf(SHOT)
    jpeg = fuji[160:162] + segments + fuji[162:]
    return fuji[:84] + struct.pack(">II", 160, len(jpeg) if length is None else length) + fuji[92:160] + jpeg


def test_where_the_exif_is_in_a_cr3_or_a_raf():
    """The edges mutation testing found untested: each CMT box alone, a box of a 64-bit size before ``moov``,
    another maker's ``uuid`` box before Canon's, another brand; a RAF's Exif segment after others (XMP, ten
    comments), a JPEG whose length in the header stops before it, a byte that is no marker."""
    good = cr3(SHOT)
    ftyp, rest = good[:good.index(b"moov") - 4], good[good.index(b"moov") - 4:]
    canon = rest[8:]  # (moov's children: Canon's uuid box)
    cmt1, cmt2 = canon.index(b"CMT1") - 4, canon.index(b"CMT2") - 4
    cmt2_end, cmt3 = cmt2 + struct.unpack(">I", canon[cmt2:cmt2 + 4])[0], canon.index(b"CMT3") - 4
    only1 = ftyp + box(b"moov", box(b"uuid", CANON_UUID + canon[24:cmt2]))  # (24: the uuid box's header and uuid)
    only2 = ftyp + box(b"moov", box(b"uuid", CANON_UUID + canon[24:cmt1] + canon[cmt2:cmt2_end] + canon[cmt3:]))
    assert capture_time(only1) == {"make": "Canon", "model": "Canon EOS R5"}  # (IFD0: no date in it)
    assert capture_time(only2) == {key: WANTED[key] for key in WANTED if key not in ("make", "model")}
    free64 = struct.pack(">I4sQ", 1, b"free", 24) + b"\0" * 8
    assert capture_time(ftyp + free64 + rest) == WANTED
    other = box(b"uuid", bytes(16) + box(b"CMT1", b"II*\0" + b"\xff" * 4))
    assert capture_time(ftyp + box(b"moov", other + canon)) == WANTED
    assert cr3_tiffs(good.replace(b"ftypcrx ", b"ftypisom", 1)) is None
    xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>"
    assert capture_time(_raf_with(b"\xff\xe1" + struct.pack(">H", 2 + len(xmp)) + xmp)) == WANTED
    assert capture_time(_raf_with(b"\xff\xfe\x00\x04ab" * 10)) == WANTED
    assert capture_time(_raf_with(b"", length=4)) == {} and capture_time(_raf_with(b"\x00\xfe\x00\x04ab")) == {}
