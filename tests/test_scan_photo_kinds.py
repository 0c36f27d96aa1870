"""Kinds of photo files that a library holds besides the usual JPEGs, made here as their cameras and tools write
them: a 3D camera's or a Nintendo 3DS's stereo pair (``.MPO``: two JPEGs, the first the left eye), and a JPEG XL
(``.jxl``, which neither Pillow 13 nor pillow-heif reads). Until 2026-12-06 a folder walk passed both over as
files that are not photos (``passed over 2 files that are not photos: 1 .MPO, 1 .jxl``): the stereo photos, which
blurscan reads, were never judged, and a JPEG XL photo was said to be no photo at all."""
from __future__ import annotations

import io

from PIL import Image

from helpers_cli import jsonl, run
from helpers_images import blurred, save_jpeg, textured
import pytest

#: A 64 x 48 JPEG XL (a grey ramp) as libjxl's ``cjxl -d 2`` writes it: a bare code stream, ``FF 0A``.
JXL = bytes.fromhex(
    "ff0acb40525c08013802ab720900800a9551c60d5ecef57cf9a1c362dac67586b6dab6b084b1d95e18240440e96bed564dc260000007"
    "01253890030878e11ccfd28fc8fc35c5ff3f0b63f3e0448322204285f0718131cc8fe700110201aaf2e091427a117cf52d20db3053bb"
    "46022ad82700d92aa4c0ada54e1723638c1c06250098821232175fa5afed4ddec07061541f11ee8947067b06")
#: The same in libjxl's ISO box container (``cjxl --container=1``): its first 40 bytes are enough to sniff.
JXL_BOXED = bytes.fromhex("0000000c4a584c200d0a870a00000014667479706a786c20000000006a786c20000000a06a786c63")


def _mpo(first, second) -> bytes:
    """A Multi-Picture file of two JPEGs, as Pillow writes one (what a stereo camera or an Ultra HDR phone does)."""
    buf = io.BytesIO()
    Image.fromarray(first).save(buf, format="MPO", save_all=True, append_images=[Image.fromarray(second)],
                                quality=92)
    return buf.getvalue()


def _records(result) -> dict[str, dict]:
    return {r["path"].rsplit("/", 1)[1]: r for r in jsonl(result.stdout)}


def test_stereo_mpo_photos_in_a_folder_are_scanned_from_their_first_picture(tmp_path):
    """An ``.MPO`` is judged as the JPEG of its first picture alone is (the left eye; or an Ultra HDR photo's
    picture, its second image the gain map), whichever of its two pictures is the blurred one."""
    sharp, soft = textured(1, (480, 640)), blurred(textured(1, (480, 640)), 4.0)
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "DSCF0001.MPO").write_bytes(_mpo(sharp, soft))
    (lib / "HNI_0002.mpo").write_bytes(_mpo(soft, sharp))
    save_jpeg(tmp_path / "alone" / "sharp.jpg", sharp)
    save_jpeg(tmp_path / "alone" / "soft.jpg", soft)
    result = run("scan", lib, "--format", "jsonl", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "passed over" not in result.stderr
    got = _records(result)
    assert sorted(got) == ["DSCF0001.MPO", "HNI_0002.mpo"]
    alone = _records(run("scan", tmp_path / "alone", "--format", "jsonl", "--workers", "1"))
    for name, twin in (("DSCF0001.MPO", "sharp.jpg"), ("HNI_0002.mpo", "soft.jpg")):
        assert got[name]["status"] == "ok" and got[name]["format"] == "JPEG", got[name]
        for key in ("verdict", "p_blurry", "laplacian_var", "width", "height"):
            assert got[name][key] == alone[twin][key], (name, key)
    assert got["DSCF0001.MPO"]["laplacian_var"] > 10 * got["HNI_0002.mpo"]["laplacian_var"]


def test_jpeg_xl_photos_get_an_error_record_that_names_the_format(tmp_path):
    """A JPEG XL photo, met in a folder or named, is one error record and one line on stderr naming the file and
    its format, and what to do (convert it: no installed decoder reads it), in either of its two forms; the JPEG
    beside it is scanned as ever, and ``report --only errors`` lists the JPEG XL files."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured(2))
    (lib / "IMG_0001.jxl").write_bytes(JXL)
    (lib / "IMG_0002.JXL").write_bytes(JXL_BOXED)
    reason = ("unsupported format (JPEG XL: neither Pillow nor pillow-heif reads it; convert it to PNG or JPEG, "
              "e.g. `djxl IN.jxl OUT.png`)")
    result = run("scan", lib, "--format", "jsonl", "--model", "none", "--workers", "1")
    assert result.exit_code == 0, result.output
    got = _records(result)
    assert sorted(got) == ["IMG_0001.jxl", "IMG_0002.JXL", "a.jpg"]
    assert got["a.jpg"]["status"] == "ok"
    for name in ("IMG_0001.jxl", "IMG_0002.JXL"):
        assert got[name]["status"] == "error" and got[name]["error"] == reason, got[name]
        assert got[name]["size"] == (lib / name).stat().st_size
        assert f"{lib / name}: {reason}\n" in result.stderr
    assert "passed over" not in result.stderr
    assert "scanned 3 files: 0 blurry, 0 partial, 1 sharp, 2 errors" in result.stderr
    named = run("scan", lib / "IMG_0001.jxl", "--format", "jsonl", "--model", "none", "--workers", "1")
    assert [r["error"] for r in jsonl(named.stdout)] == [reason]
    listed = run("report", lib, "--only", "errors", "--format", "jsonl")
    assert sorted(r["path"].rsplit("/", 1)[1] for r in jsonl(listed.stdout)) == ["IMG_0001.jxl", "IMG_0002.JXL"]


def test_an_mpo_thumbnail_is_decoded_reduced_as_a_jpegs_is(tmp_path):
    """The review page's thumbnail of a Multi-Picture JPEG (an Ultra HDR phone photo, a stereo pair), which Pillow
    opens as "MPO", is libjpeg's reduced decode of its first picture, the same thumbnail as that picture's alone.
    Until 2026-12-06 only a "JPEG" was decoded reduced: an MPO's thumbnail decoded the full picture (3.6 times the
    time for a 12-MP one) and came out a little otherwise."""
    from blurscan.decode import thumbnail

    picture = textured(5, (1200, 1600))
    gain_map = blurred(textured(5, (300, 400)), 3.0)
    mpo = tmp_path / "PXL_0001.jpg"
    mpo.write_bytes(_mpo(picture, gain_map))
    with Image.open(mpo) as im:
        assert im.format == "MPO"
    plain = save_jpeg(tmp_path / "plain.jpg", picture)
    assert thumbnail(mpo) == thumbnail(plain)


def test_a_live_photos_video_as_google_takeout_names_it_moves_with_its_photo(tmp_path):
    """Google Photos' Takeout gives an iPhone Live Photo (and a Samsung motion photo) as ``IMG_0001.HEIC`` and
    ``IMG_0001.MP4``, where the phone wrote ``.MOV``: ``move`` left the clip behind, an orphan in the library that
    ``undo`` had nothing to do with, until 2026-12-06. It goes with its photo, its Takeout JSON too, and comes back
    with it; the dry run names it."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "IMG_0001.jpg", blurred(textured(6, (480, 640)), 6.0))
    clip = lib / "IMG_0001.MP4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(3000))
    clip_json = lib / "IMG_0001.MP4.supplemental-metadata.json"
    clip_json.write_text('{"title": "IMG_0001.MP4"}')
    before = {p.name: p.read_bytes() for p in lib.iterdir()}
    assert run("scan", lib, "--workers", "1").exit_code == 0
    rejects = tmp_path / "rejects"
    dry = run("move", "--to", rejects, lib, "--all-blurry")
    assert dry.exit_code == 0, dry.output
    assert "IMG_0001.MP4" in dry.stdout and "(3 files," in dry.stdout, dry.stdout
    moved = run("move", "--to", rejects, lib, "--all-blurry", "--yes")
    assert moved.exit_code == 0, moved.output
    assert sorted(p.name for p in rejects.iterdir()) == [
        "IMG_0001.MP4", "IMG_0001.MP4.supplemental-metadata.json", "IMG_0001.jpg"]
    assert not clip.exists() and not clip_json.exists()
    assert run("undo", lib).exit_code == 0
    assert {p.name: p.read_bytes() for p in lib.iterdir() if not p.name.startswith(".blurscan")} == before


@pytest.mark.slow
def test_a_live_photos_video_as_icloudpd_names_it_moves_with_its_photo(tmp_path):
    """icloud_photos_downloader, the tool that backs an iCloud library up to a disk, names a HEIC Live Photo's clip
    ``IMG_0005_HEVC.MOV`` (its default ``--live-photo-mov-filename-policy suffix``): ``move`` left it behind until
    2026-12-06. It goes with its photo, and ``undo`` puts it back with it, or, when another file has taken the
    photo's name since, leaves it with the photo (it came back beside the other file, as that one's clip)."""
    from blurscan import heif

    assert heif.register_opener()
    lib = tmp_path / "lib"
    lib.mkdir()
    Image.fromarray(blurred(textured(7, (480, 640)), 6.0)).save(lib / "IMG_0005.HEIC", quality=80)
    clip = lib / "IMG_0005_HEVC.MOV"
    clip.write_bytes(b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + bytes(3000))
    (lib / "IMG_0006_HEVC.MOV").write_bytes(b"\x00\x00\x00\x14ftypqt  " + bytes(100))  # another photo's: stays
    before = {p.name: p.read_bytes() for p in lib.iterdir()}
    assert run("scan", lib, "--workers", "1").exit_code == 0
    rejects = tmp_path / "rejects"
    moved = run("move", "--to", rejects, lib, "--all-blurry", "--yes")
    assert moved.exit_code == 0, moved.output
    assert "(2 files," in moved.stdout, moved.stdout
    assert sorted(p.name for p in rejects.iterdir()) == ["IMG_0005.HEIC", "IMG_0005_HEVC.MOV"]
    assert (lib / "IMG_0006_HEVC.MOV").exists()
    (lib / "IMG_0005.HEIC").write_bytes(b"another photo, imported under the old name")
    assert run("undo", lib).exit_code == 1
    assert sorted(p.name for p in rejects.iterdir()) == ["IMG_0005.HEIC", "IMG_0005_HEVC.MOV"]
    (lib / "IMG_0005.HEIC").unlink()
    assert run("undo", lib).exit_code == 0
    assert {p.name: p.read_bytes() for p in lib.iterdir() if not p.name.startswith(".blurscan")} == before


def test_training_sources_take_neither_mpo_nor_jpeg_xl_files(tmp_path):
    """``synth`` and ``train`` take their sources as before 2026-12-06, when the scan began to take ``.mpo`` and
    ``.jxl`` files: a stereo pair is no single sharp picture to blur (its second picture, another eye's or a gain
    map, is not kept), and a JPEG XL cannot be read. Of a folder, the JPEG alone is a source (the JPEG XL is not
    one "skipped" either), and either file named alone is refused as not an image file."""
    src = tmp_path / "src"
    save_jpeg(src / "a.jpg", textured(8, (240, 320)))
    (src / "DSCF0001.MPO").write_bytes(_mpo(textured(9, (240, 320)), textured(10, (240, 320))))
    (src / "IMG_0001.jxl").write_bytes(JXL)
    result = run("synth", src, tmp_path / "out", "--per-image", "1", "--quiet")
    assert result.exit_code == 0, result.output
    assert "from 1 source " in result.output and "0 skipped" in result.output, result.output
    manifest = (tmp_path / "out" / "manifest.csv").read_text().splitlines()
    assert [line.split(",")[1] for line in manifest[1:]] == ["src/a.jpg"]
    for name in ("DSCF0001.MPO", "IMG_0001.jxl"):
        named = run("synth", src / name, tmp_path / name, "--quiet")
        assert named.exit_code == 2 and "not an image file" in named.output, named.output
