"""A library scanned by a blurscan from before 2026-12-06 gets today's capture times on its next scan, its scores
reused (blurscan.redate). That day the date rules widened (Exif dates in IFD0, as Pillow writes ``exif[0x9003]``;
the XMP's date of a PNG export whose EXIF has none), but a rescan reuses an unchanged photo's record, and with it
the date read by the earlier release's rules: the last edit's IFD0 ``DateTime``, or none (the file's time stood in
for bursts and the review's date sort), until each file changed; a burst a few of whose photos were touched was
split between two rules. The earlier release's state is made as it wrote it (checked against a scan of 75ea52f):
the records have no ``dates`` and the old dates. Real scans of generated photos through the CLI."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path

from click.testing import CliRunner
from PIL import Image, PngImagePlugin

from blurscan import bursts
from blurscan.cli import main
from blurscan.store import Store
from helpers_images import blurred, exposed, scene, textured
from helpers_sqlite import connected

EDITED = "2025:01:01 09:00:00"  # IFD0 DateTime: when the files were last edited (all alike)


def _jpeg(path: Path, rgb, original: str) -> None:
    exif = Image.Exif()
    exif[0x0132] = EDITED
    exif[0x9003] = original  # IFD0, as Pillow's writer puts it
    Image.fromarray(rgb).save(path, exif=exif, quality=92)


def _png(path: Path, rgb, xmp_date: str) -> None:
    Image.fromarray(rgb).save(path, pnginfo=_xmp_info(xmp_date))


def _xmp_info(xmp_date: str) -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/'
                  '1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/">'
                  f'<exif:DateTimeOriginal>{xmp_date}</exif:DateTimeOriginal></rdf:Description></rdf:RDF></x:xmpmeta>')
    return info


def _scan(lib: Path) -> str:
    result = CliRunner().invoke(main, ["scan", str(lib), "--workers", "1", "--format", "jsonl", "-o",
                                       str(lib.parent / "out.jsonl")])
    assert result.exit_code == 0, result.output
    return result.output


def _as_an_earlier_release_stored_it(lib: Path) -> None:
    """The records as the release before wrote them: no ``dates``; a JPEG's date its IFD0 DateTime, a PNG's none."""
    with connected(lib / ".blurscan.db") as conn:
        for path, blob in conn.execute("SELECT path, record FROM images").fetchall():
            row = json.loads(blob)
            row.pop("dates", None)
            row["captured_at"] = "2025-01-01T09:00:00" if path.endswith(".jpg") else None
            row["captured_subsec"] = None
            conn.execute("UPDATE images SET record = ?, captured_at = ? WHERE path = ?",
                         (json.dumps(row), row["captured_at"], path))


def _dates(lib: Path) -> dict[str, tuple]:
    with connected(lib / ".blurscan.db") as conn:
        return {os.path.basename(p): (c, json.loads(r).get("captured_subsec"), json.loads(r).get("dates"))
                for p, c, r in conn.execute("SELECT path, captured_at, record FROM images")}


def test_a_rescan_after_the_upgrade_reads_the_dates_again_once_its_scores_reused(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    lib.mkdir()
    for i in range(2):
        _jpeg(lib / f"IMG_{i}.jpg", textured(i), f"2024:07:14 18:03:2{i}")
        _png(lib / f"export_{i}.png", textured(10 + i), f"2023-05-01T10:00:1{i}.5+02:00")
    _scan(lib)
    fresh = _dates(lib)
    _as_an_earlier_release_stored_it(lib)

    said = _scan(lib)
    assert "(4 unchanged, reused)" in said  # not scored again
    assert "note: 4 photos scanned before had their capture times read again" in said
    assert _dates(lib) == fresh  # as a first scan by this blurscan reads them
    from blurscan import redate

    assert _dates(lib)["IMG_1.jpg"] == ("2024-07-14T18:03:21", None, redate.DATE_RULES)
    assert _dates(lib)["export_0.png"] == ("2023-05-01T10:00:10+02:00", 0.5, redate.DATE_RULES)
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert {o["captured_at"] for o in out} == {v[0] for v in fresh.values()}

    _read_again_by_no_later_scan(lib, monkeypatch)  # the next scan reads no file's metadata
    assert "(4 unchanged, reused)" in _scan(lib)


def test_a_png_whose_xmp_follows_its_pixels_is_read_without_them(tmp_path):
    """A PNG's metadata after its image data (where Pillow's scan finds it, loading the pixels) is read without
    decoding them: the date is the scan's."""
    path = tmp_path / "late.png"
    _png(path, textured(1), "2023-05-01T10:00:10Z")
    data = path.read_bytes()
    idat = data.index(b"IDAT") - 4
    itxt = data.index(b"iTXt") - 4
    end = data.index(b"IEND") - 4
    late = data[:itxt] + data[idat:end] + data[itxt:idat] + data[end:]  # the iTXt moved after the IDAT
    path.write_bytes(late)
    from blurscan import redate

    Image.open(path).load()
    assert redate.read_dates(str(path)) == {"captured_at": "2023-05-01T10:00:10+00:00"}


def test_a_keeper_chosen_stays_chosen_in_its_part_of_a_burst_the_new_dates_split(tmp_path):
    """Four shots edited at once had one date (IFD0 DateTime) and were one burst; a person chose its second shot.
    Read again, the shots are two bursts 25 minutes apart: the chosen keeper stays chosen in its own, and the
    other's keeper is proposed by sharpness, the note naming the keeper that left."""
    lib = tmp_path / "lib"
    lib.mkdir()
    shots = [scene(7), exposed(scene(7), 0.9), blurred(scene(7), 2.0), exposed(scene(7), 1.1)]
    times = ["18:03:20", "18:03:21", "18:28:20", "18:28:21"]
    for i, (rgb, time) in enumerate(zip(shots, times)):
        _jpeg(lib / f"IMG_{i}.jpg", rgb, f"2024:07:14 {time}")
    _scan(lib)
    _as_an_earlier_release_stored_it(lib)
    with Store(lib / ".blurscan.db") as store:
        (group,) = bursts.run(store)
        assert len(group.members) == 4
        chosen = str(lib / "IMG_1.jpg")
        assert group.keeper.path != chosen
        bursts.choose_keeper(store, group.group_id, chosen)

    _scan(lib)
    result = CliRunner().invoke(main, ["bursts", str(lib)])
    assert result.exit_code == 0, result.output
    with Store(lib / ".blurscan.db") as store:
        groups = {frozenset(os.path.basename(m.path) for m in g.members): g for g in bursts.load_groups(store)}
    assert set(groups) == {frozenset({"IMG_0.jpg", "IMG_1.jpg"}), frozenset({"IMG_2.jpg", "IMG_3.jpg"})}
    kept = groups[frozenset({"IMG_0.jpg", "IMG_1.jpg"})]
    assert kept.keeper.path == chosen and kept.chosen_by == "person"
    assert groups[frozenset({"IMG_2.jpg", "IMG_3.jpg"})].chosen_by == "auto"
    assert "IMG_1.jpg, the keeper you chose of its burst, is no longer grouped with" in result.output
    assert "IMG_2.jpg, " in result.output and "IMG_3.jpg" in result.output


def _aged_rescan(lib: Path) -> tuple[dict, dict, str]:
    """The dates of a first scan of ``lib``, and those of a rescan after the records were aged as the release before
    stored them, with what the rescan said."""
    _scan(lib)
    fresh = _dates(lib)
    _as_an_earlier_release_stored_it(lib)
    said = _scan(lib)
    return fresh, _dates(lib), said


def test_a_tiff_whose_first_image_is_a_thumbnail_is_dated_by_its_picture(tmp_path):
    """The scan judges such a TIFF by its full-resolution image after the thumbnail (tiffkind), and reads that
    image's tags: read again, its date was the thumbnail's (its IFD0 DateTime), not the scan's."""
    from PIL import TiffImagePlugin

    lib = tmp_path / "lib"
    lib.mkdir()
    thumb, picture = Image.Exif(), Image.Exif()
    thumb[0x00FE], thumb[0x0132] = 1, "2025:03:03 09:00:00"  # NewSubfileType: a reduced-resolution image
    picture[0x00FE], picture[0x0132], picture[0x9003] = 0, EDITED, "2024:07:14 18:03:21"
    with TiffImagePlugin.AppendingTiffWriter(str(lib / "scan.tif"), True) as tiff:
        Image.fromarray(textured(1)[:64, :64]).save(tiff, format="TIFF", exif=thumb)
        tiff.newFrame()
        Image.fromarray(textured(1)).save(tiff, format="TIFF", exif=picture)
        tiff.newFrame()
    io.BytesIO.close(tiff)  # (Pillow's writer, a BytesIO, is closed again when collected: its file's seek failed)
    fresh, again, _ = _aged_rescan(lib)
    assert fresh["scan.tif"][0] == "2024-07-14T18:03:21"
    assert again == fresh


def test_an_animated_png_is_read_again(tmp_path, monkeypatch):
    """An animated PNG's metadata without its frames' data left the frames' controls out of sequence: Pillow
    refused it, taken for a file unreadable now; its date stayed the old rules' (none, for an XMP date) and it was
    read again at every scan."""
    lib = tmp_path / "lib"
    lib.mkdir()
    frames = [Image.fromarray(textured(i)) for i in range(3)]
    frames[0].save(lib / "anim.png", save_all=True, append_images=frames[1:],
                   pnginfo=_xmp_info("2023-05-01T10:00:10Z"))
    fresh, again, said = _aged_rescan(lib)
    assert fresh["anim.png"][0] == "2023-05-01T10:00:10+00:00"
    assert again == fresh and "note: 1 photo scanned before had its capture time read again" in said
    _read_again_by_no_later_scan(lib, monkeypatch)


def test_a_png_pillow_reads_only_without_a_damaged_chunk_is_read_as_the_scan_reads_it(tmp_path, monkeypatch):
    """A PNG with an ancillary chunk of wrong CRC is scanned without it (pngsalvage), its EXIF date read: read
    again, Pillow's refusal (an OSError) was taken for a file unreadable now: its old date stayed, read again at
    every scan."""
    import struct

    lib = tmp_path / "lib"
    lib.mkdir()
    exif = Image.Exif()
    exif[0x0132], exif[0x9003] = EDITED, "2024:07:14 18:03:21"
    Image.fromarray(textured(3)).save(lib / "damaged.png", exif=exif)
    data = (lib / "damaged.png").read_bytes()
    at = data.index(b"IDAT") - 4
    (lib / "damaged.png").write_bytes(data[:at] + struct.pack(">I", 5) + b"tEXta\x00bcd" + bytes(4) + data[at:])
    fresh, again, _ = _aged_rescan(lib)
    assert fresh["damaged.png"][0] == "2024-07-14T18:03:21"
    assert again == fresh
    _read_again_by_no_later_scan(lib, monkeypatch)


def _read_again_by_no_later_scan(lib: Path, monkeypatch) -> None:
    from blurscan import redate

    read = []
    monkeypatch.setattr(redate, "read_dates", read.append)
    said = _scan(lib)
    assert read == [] and "read again" not in said


def _with_comments(path: Path, size: int) -> None:
    """``size`` bytes of comment segments put before the JPEG's EXIF (right after its start marker)."""
    data, segments = path.read_bytes(), []
    while size > 0:
        body = b"c" * min(size, 65000)
        segments.append(b"\xff\xfe" + (len(body) + 2).to_bytes(2, "big") + body)
        size -= len(body) + 4
    path.write_bytes(data[:2] + b"".join(segments) + data[2:])


def test_a_jpeg_is_read_to_its_header_however_far_its_date(tmp_path, monkeypatch):
    """A camera's JPEG: its first 64 KiB; one whose header is longer (a large ICC profile or XMP): up to 1 MiB;
    one whose date follows more than 1 MiB of metadata: the whole file, its date the scan's."""
    import numpy as np

    from blurscan import redate

    lib = tmp_path / "lib"
    lib.mkdir()
    noise = np.random.default_rng(5).integers(0, 256, (1200, 1600, 3), dtype=np.uint8)  # (some 4 MB)
    for name, before in (("camera.jpg", 0), ("profiled.jpg", 300_000), ("far.jpg", 1_200_000)):
        _jpeg(lib / name, noise, "2024:07:14 18:03:21")
        _with_comments(lib / name, before)
    fresh, again, _ = _aged_rescan(lib)
    assert {v[0] for v in fresh.values()} == {"2024-07-14T18:03:21"}
    assert again == fresh

    read = []

    class Counted(io.FileIO):
        def read(self, size=-1):
            data = super().read(size)
            read.append(len(data))
            return data

    monkeypatch.setattr(redate, "open", lambda path, mode: Counted(path, "r"), raising=False)
    for name, most in (("camera.jpg", 1 << 16), ("profiled.jpg", 1 << 20), ("far.jpg", None)):
        read.clear()
        assert redate.read_dates(str(lib / name)) == {"captured_at": "2024-07-14T18:03:21"}
        assert sum(read) == (most or (lib / name).stat().st_size), name


def test_a_raw_is_not_read_again(tmp_path, monkeypatch):
    """A camera RAW's date is read by LibRaw by the same rules as before: its file (tens of MB) is not read."""
    from blurscan import redate
    from helpers_raw import write_dng

    lib = tmp_path / "lib"
    lib.mkdir()
    write_dng(lib / "IMG_1.dng", textured(1), exif={0x9003: "2024:06:01 10:00:00"})
    _jpeg(lib / "IMG_2.jpg", textured(2), "2024:07:14 18:03:21")
    _scan(lib)
    _as_an_earlier_release_stored_it(lib)
    read, real = [], redate.read_dates
    monkeypatch.setattr(redate, "read_dates", lambda path: read.append(os.path.basename(path)) or real(path))
    assert "note: 1 photo scanned before had its capture time read again" in _scan(lib)
    assert read == ["IMG_2.jpg"]


def _xmp_after_pixels(path: Path) -> None:
    """The PNG at ``path`` with its XMP's iTXt chunk moved to just before its IEND (after all its image data)."""
    data = path.read_bytes()
    at = data.index(b"iTXt") - 4
    chunk = data[at:at + int.from_bytes(data[at:at + 4], "big") + 12]
    rest = data[:at] + data[at + len(chunk):]
    end = rest.index(b"IEND") - 4
    path.write_bytes(rest[:end] + chunk + rest[end:])


def test_a_first_scan_finds_the_xmp_date_after_the_pixels_of_a_png_with_an_early_exif(tmp_path):
    """A PNG whose eXIf chunk (no date) comes before its pixels and its XMP after them, and an animated PNG whose
    XMP follows all its frames: the first scan read the EXIF before the pixels and the chunks up to the first
    frame's end, and stored no date, where a rescan after the upgrade read the XMP's: the two disagreed."""
    lib = tmp_path / "lib"
    lib.mkdir()
    exif = Image.Exif()
    exif[0x010F] = "Camera"  # Make: an EXIF without a date
    Image.fromarray(textured(1)).save(lib / "still.png", exif=exif, pnginfo=_xmp_info("2023-05-01T10:00:10Z"))
    frames = [Image.fromarray(textured(i)) for i in range(3)]
    frames[0].save(lib / "anim.png", save_all=True, append_images=frames[1:],
                   pnginfo=_xmp_info("2023-05-01T10:00:11.5+02:00"))
    for name in ("still.png", "anim.png"):
        _xmp_after_pixels(lib / name)
    fresh, again, _ = _aged_rescan(lib)
    assert fresh["still.png"][:2] == ("2023-05-01T10:00:10+00:00", None)
    assert fresh["anim.png"][:2] == ("2023-05-01T10:00:11+02:00", 0.5)
    assert again == fresh
