"""Two cameras shooting one moment in ``blurscan bursts``: a wedding shot with two bodies and a second shooter has
the same kiss from each camera within seconds (the bodies' clocks differ, and the window is two minutes), files of
the same names on each card (IMG_0001.JPG). Those are photos of two cameras, not a burst: until 2026-12-07 they
were linked as one burst's frames, and ``move --from-bursts`` took every shot but the sharpest, whichever camera
it was of. Shots of another make, model or body serial number (EXIF Make, Model, BodySerialNumber) are never
linked; one camera's burst still is one."""
from __future__ import annotations

import json
import sqlite3
import struct
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image, ImageFilter

from blurscan.bursts import find_groups
from blurscan.cli import main
from helpers_images import record, scene


def _shot(path: Path, img: np.ndarray, camera: tuple[str, str, str] | None, when: str, subsec: str, *,
          blur: float = 0.0, crop: int = 0) -> None:
    """A frame as a camera writes it: its make, model and body serial, its time to the hundredth of a second."""
    im = Image.fromarray(img)
    w, h = im.size
    im = im.crop((crop, crop, w - crop, h - crop)).resize((w, h))
    if blur:
        im = im.filter(ImageFilter.GaussianBlur(blur))
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[0x9003], sub[0x9291] = when, subsec  # DateTimeOriginal, SubSecTimeOriginal
    if camera is not None:
        exif[0x010F], exif[0x0110], sub[0xA431] = camera  # Make, Model, BodySerialNumber
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, quality=92, exif=exif)


BODY_A = ("Canon", "Canon EOS R5", "031021000111")
BODY_B = ("Canon", "Canon EOS R5", "031021000222")   # the same model: only the serial tells it
SECOND = ("NIKON CORPORATION", "NIKON Z 6_2", "3030303")


def _wedding(lib: Path, *, cameras: bool = True) -> None:
    """Body A's 3-frame burst at 10 fps, body B's frame of that moment (its clock 40 s ahead), the second shooter's
    (20 s behind); the same names on both Canon cards."""
    img = scene(5)
    a = BODY_A if cameras else None
    _shot(lib / "card1/DCIM/100CANON/IMG_0001.JPG", img, a, "2024:06:01 15:00:00", "00")
    _shot(lib / "card1/DCIM/100CANON/IMG_0002.JPG", img, a, "2024:06:01 15:00:00", "10", blur=3)
    _shot(lib / "card1/DCIM/100CANON/IMG_0003.JPG", img, a, "2024:06:01 15:00:00", "20", blur=1.5)
    _shot(lib / "card2/DCIM/100CANON/IMG_0001.JPG", img, BODY_B if cameras else None, "2024:06:01 15:00:40", "50",
          crop=4, blur=0.7)
    _shot(lib / "second/DCIM/100NIKON/DSC_0001.JPG", img, SECOND if cameras else None, "2024:06:01 14:59:40", "30",
          crop=8, blur=0.7)


def _scan(lib: Path) -> None:
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert res.exit_code == 0, res.output


def _groups(lib: Path) -> list[list[str]]:
    res = CliRunner().invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    return [[str(Path(m["path"]).relative_to(lib)) for m in json.loads(line)["members"]]
            for line in res.stdout.splitlines()]


def test_two_cameras_shots_of_one_moment_are_no_burst(tmp_path):
    lib = tmp_path / "wedding"
    _wedding(lib)
    _scan(lib)
    # (was one group of 5: card2's IMG_0001.JPG and the second shooter's DSC_0001.JPG candidates for removal)
    assert _groups(lib) == [["card1/DCIM/100CANON/IMG_0001.JPG", "card1/DCIM/100CANON/IMG_0003.JPG",
                             "card1/DCIM/100CANON/IMG_0002.JPG"]]
    dry = CliRunner().invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib)])
    assert dry.exit_code == 0, dry.output
    assert "card2" not in dry.output and "DSC_0001" not in dry.output
    assert dry.output.count("would move") == 2, dry.output


def test_shots_that_name_no_camera_group_as_before(tmp_path):
    lib = tmp_path / "wedding"
    _wedding(lib, cameras=False)
    _scan(lib)
    assert [len(g) for g in _groups(lib)] == [5]


def test_a_library_scanned_before_learns_its_cameras_on_its_next_scan(tmp_path):
    lib = tmp_path / "wedding"
    _wedding(lib)
    _scan(lib)
    with sqlite3.connect(lib / ".blurscan.db") as conn:  # as a blurscan before 2026-12-07 stored them
        for path, blob in conn.execute("SELECT path, record FROM images").fetchall():
            old = json.loads(blob)
            del old["camera"]
            old["dates"] = 3
            conn.execute("UPDATE images SET record = ? WHERE path = ?", (json.dumps(old), path))
    conn.close()
    assert [len(g) for g in _groups(lib)] == [5]
    _scan(lib)  # (reused, not scored again: the camera read from the header alone)
    assert [len(g) for g in _groups(lib)] == [3]


def test_camera_of_and_grouping_by_it():
    from blurscan.exif import camera_of

    assert camera_of({"make": "Canon", "model": "Canon EOS R5", "body_serial": "1"}) == ["Canon", "Canon EOS R5", "1"]
    assert camera_of({"make": "Canon"}) == ["Canon", None, None]
    assert camera_of({"captured_at": None}) is None
    img = scene(3)
    shots = [record(img, f"a{i}", 0.1 * i) for i in range(5)]
    shots[0].camera = ["Canon", "Canon EOS R5", "1"]
    shots[1].camera = ["CANON ", "canon  eos r5", None]  # (no serial written; case and spaces alike)
    shots[2].camera = ["Canon", "Canon EOS R5", "2"]     # another body of the model
    shots[3].camera = ["Apple", "iPhone 15", None]       # another model
    shots[4].camera = None                               # names none: linked with any
    groups = [[r.path.rsplit("/", 1)[1] for r in g] for g in find_groups(shots)]
    # (a4, naming none, and a1, no serial, link every shot, but no group holds two cameras: whose they are, nothing
    # tells, so they are in no group; until 2026-12-07 one chain of all 5: test_bursts_whole.py)
    assert groups == []
    groups = [[r.path.rsplit("/", 1)[1] for r in g] for g in find_groups([shots[0], shots[1], shots[3]])]
    assert groups == [["a0.jpg", "a1.jpg"]]  # (a1, no serial, links a body of its model)
    groups = [[r.path.rsplit("/", 1)[1] for r in g] for g in find_groups([shots[0], shots[1], shots[4]])]
    assert groups == [["a0.jpg", "a1.jpg", "a4.jpg"]]  # (one camera: as before)
    groups = [[r.path.rsplit("/", 1)[1] for r in g] for g in find_groups([shots[0], shots[2], shots[3]])]
    assert groups == []


def _raw_like(texts0: dict[int, bytes], texts_exif: dict[int, bytes]) -> bytes:
    """A little-endian TIFF (as a NEF, CR2 or DNG starts): IFD0 with ``texts0`` (tag -> ASCII with its NUL) and the
    Exif IFD's pointer, then the Exif IFD with ``texts_exif``, then the texts."""
    ifd0_at, exif_at = 8, 8 + 2 + 12 * (len(texts0) + 1) + 4
    at = exif_at + 2 + 12 * len(texts_exif) + 4
    tail, entries = b"", {}
    for tag, text in [*texts0.items(), *texts_exif.items()]:
        entries[tag] = struct.pack("<HHII", tag, 2, len(text), at + len(tail))
        tail += text
    ifd0 = b"".join(entries[t] for t in sorted(texts0)) + struct.pack("<HHII", 0x8769, 4, 1, exif_at)
    out = b"II*\x00" + struct.pack("<I", ifd0_at) + struct.pack("<H", len(texts0) + 1) + ifd0 + b"\0" * 4
    out += struct.pack("<H", len(texts_exif)) + b"".join(entries[t] for t in sorted(texts_exif)) + b"\0" * 4
    return out + tail


def test_a_raw_files_camera_is_read_from_its_own_exif():
    from blurscan.exif import camera_of
    from blurscan.rawtimes import capture_time

    data = _raw_like({0x010F: b"NIKON CORPORATION\x00", 0x0110: b"NIKON Z 6_2\x00"},
                     {0x9003: b"2024:06:01 15:00:00\x00", 0xA431: b"3030303\x00"})
    found = capture_time(data)
    assert camera_of(found) == ["NIKON CORPORATION", "NIKON Z 6_2", "3030303"]
    assert found["captured_at"] == "2024-06-01T15:00:00"
    undated = capture_time(_raw_like({0x010F: b"Canon\x00"}, {}))  # (no date: its camera all the same)
    assert camera_of(undated) == ["Canon", None, None] and "captured_at" not in undated


def test_a_library_of_raws_scanned_before_learns_their_cameras_on_its_next_scan(tmp_path, monkeypatch):
    """Two bodies' RAWs of one moment (DNGs, the serial numbers in their Exif IFD), stored by a blurscan before
    2026-12-07 (no camera; rules 3): a RAW's date is never read again, and until 2026-12-07 neither was its camera,
    so the two stayed one burst after every scan, and ``move --from-bursts`` took the other body's frame. The next
    scan reads each RAW's camera once (the file mapped, its date kept as LibRaw read it), scores reused."""
    from blurscan import redate
    from helpers_raw import write_dng

    lib = tmp_path / "wedding"
    lib.mkdir()
    img = scene(5)
    write_dng(lib / "A_0001.dng", img, exif={0x9003: "2024:06:01 15:00:00", 0x9291: "00", 0xA431: BODY_A[2]})
    write_dng(lib / "B_0001.dng", img, exif={0x9003: "2024:06:01 15:00:01", 0x9291: "50", 0xA431: BODY_B[2]})
    _scan(lib)
    assert _groups(lib) == []
    with sqlite3.connect(lib / ".blurscan.db") as conn:  # as a blurscan before 2026-12-07 stored them
        stored = dict(conn.execute("SELECT path, record FROM images").fetchall())
        for path, blob in stored.items():
            old = json.loads(blob)
            assert old["format"] == "DNG" and old["camera"] == [None, None, BODY_A[2] if "A_" in path else BODY_B[2]]
            del old["camera"]
            old["dates"] = 3
            conn.execute("UPDATE images SET record = ? WHERE path = ?", (json.dumps(old), path))
    conn.close()
    assert _groups(lib) == [["A_0001.dng", "B_0001.dng"]]
    read = []
    monkeypatch.setattr(redate, "read_dates", lambda path: read.append(path))  # (a RAW's date is not read)
    _scan(lib)
    assert _groups(lib) == [] and read == []
    with sqlite3.connect(lib / ".blurscan.db") as conn:
        again = dict(conn.execute("SELECT path, record FROM images").fetchall())
    conn.close()
    assert {path: json.loads(blob) for path, blob in again.items()} == \
        {path: json.loads(blob) for path, blob in stored.items()}  # (the cameras back, the dates as they were)
    monkeypatch.setattr(redate, "read_camera", lambda path: read.append(path) or {})
    _scan(lib)  # (read once: not at every scan)
    assert read == []


def test_the_cameras_are_read_alike_by_an_sqlite_without_json_functions(tmp_path):
    """An SQLite built without JSON functions (before 3.38) reads each record's camera by Python: the same rows,
    so the same groups."""
    from blurscan.bursts import _grouping_rows
    from blurscan.store import Store
    from test_bursts_replaced import _NoJson

    lib = tmp_path / "wedding"
    _wedding(lib)
    _scan(lib)
    with Store(lib / ".blurscan.db") as store:
        rows = list(_grouping_rows(store.conn))  # (a cursor: read once)
        assert sorted(r[9:12] for r in rows) == sorted([BODY_A] * 3 + [BODY_B, SECOND])
        assert _grouping_rows(_NoJson(store.conn)) == [tuple(r) for r in rows]


def test_each_camera_is_read_once_however_many_its_shots(monkeypatch):
    """Grouping reads each stored camera's texts once (a library holds a few cameras, each in thousands of shots):
    they were compared afresh for every shot, a quarter of ``find_groups``' time on 100,000 photos of one camera
    (bench/bursts.py). The same answer: shots of two bodies never linked, a damaged camera (a value that cannot be a
    key) read as before."""
    import numpy as np

    from blurscan.bursts import apart

    read = []
    real = apart._camera
    monkeypatch.setattr(apart, "_camera", lambda value: read.append(value) or real(value))
    bodies = [["Canon", "EOS R5", "0111"], ["Canon", "EOS R5", "0222"], ["canon ", "EOS  R5", "0111"]]
    shots = [type("Shot", (), {"camera": list(bodies[i % 3]), "exposure_ev": 10.0})() for i in range(60)]
    shots.append(type("Shot", (), {"camera": [{"make": "Canon"}, "EOS R5", "0222"], "exposure_ev": None})())
    found = apart.Apart(shots)
    assert len(read) == 4  # (the three bodies' texts, and the damaged one)
    a, b = np.asarray([0, 0, 1, 60, 60]), np.asarray([3, 1, 2, 1, 0])  # (0 and 3: one body, its names spaced)
    assert found(a, b).tolist() == [False, True, True, True, True]  # (as before: a body, a serial, another model)
