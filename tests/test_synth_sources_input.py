"""Which files ``synth`` and ``train`` take as sources, and what ``synth --overwrite`` may remove: a folder of
your own labelled photos, spreadsheet manifests (byte-order mark, CRLF, capitalised labels, another encoding),
two photos under one name, a dataset written inside a source folder, and ``train``'s cache of another photo
under the same name. Each was a reproduced bug (2026-12-04)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from blurscan.errors import UsageError
from blurscan.model import data
from blurscan.synth import recipes
from blurscan.synth.sources import collect_sources, split_of
from helpers_images import blurred, textured


def _photo(path: Path, seed: int, sigma: float = 0.0) -> Path:
    img = textured(seed, (160, 200))
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(blurred(img, sigma) if sigma else img).save(path, quality=92)
    return path


def _labelled(folder: Path, header: bytes = b"", newline: bytes = b"\n", sharp: bytes = b"sharp",
              sep: bytes = b",") -> Path:
    """A folder of 3 sharp and 3 blurred photos with its manifest.csv (bytes as a spreadsheet may write them)."""
    lines = [b"file" + sep + b"label"]
    for i in range(3):
        _photo(folder / "sharp" / f"s{i}.jpg", i)
        _photo(folder / "blurry" / f"b{i}.jpg", i, sigma=4.0)
        lines += [f"sharp/s{i}.jpg".encode() + sep + sharp, f"blurry/b{i}.jpg".encode() + sep + b"blurry"]
    (folder / "manifest.csv").write_bytes(header + newline.join(lines) + newline)
    return folder


def _synth(*args: str):
    return CliRunner().invoke(main, ["synth", *args, "-q"])


def test_overwrite_never_removes_the_photos_a_manifest_of_your_own_lists(tmp_path):
    """A folder of real labelled photos (the manifest evaluate reads) counted as "a dataset is already there",
    and --overwrite deleted every photo its manifest listed, before writing anything."""
    mine = _labelled(tmp_path / "mine")
    before = {p: p.read_bytes() for p in mine.rglob("*") if p.is_file()}
    src = _photo(tmp_path / "src" / "new.jpg", 9)
    for extra in ([], ["--overwrite"]):
        res = _synth(str(src), str(mine), "--per-image", "1", *extra)
        assert res.exit_code == 2, res.output
        assert "not a dataset blurscan synth wrote" in res.stderr and "manifest.csv" in res.stderr
        assert {p: p.read_bytes() for p in mine.rglob("*") if p.is_file()} == before
    # a dataset synth wrote is still replaced whole by --overwrite, its old images removed
    out = tmp_path / "out"
    assert _synth(str(src), str(out), "--per-image", "3").exit_code == 0
    old = {p.name for p in out.rglob("*.jpg")}
    assert len(old) == 3
    assert _synth(str(src), str(out), "--per-image", "1", "--seed", "4", "--overwrite").exit_code == 0
    new = {p.relative_to(out).as_posix() for p in out.rglob("*.jpg")}
    assert new == {r["file"] for r in recipes.read_manifest(out)} and len(new) == 1


@pytest.mark.parametrize("header,newline,sharp", [
    (b"\xef\xbb\xbf", b"\r\n", b"sharp"),   # a spreadsheet's "CSV UTF-8": byte-order mark, CRLF
    (b"", b"\n", b"Sharp"),                 # labels as a person typed them (evaluate lower-cases them too)
    (b"", b"\n", b" SHARP "),
])
def test_a_spreadsheet_manifest_gives_only_its_sharp_photos(tmp_path, header, newline, sharp):
    """With a byte-order mark the manifest was not recognised and the folder was walked, so its blurred photos
    became sharp sources; capitalised labels gave "no source images found"."""
    folder = _labelled(tmp_path / "data", header, newline, sharp)
    sources = collect_sources([folder])
    assert sorted(s.key for s in sources) == [f"data/sharp/s{i}.jpg" for i in range(3)]
    res = _synth(str(folder), str(tmp_path / "out"), "--per-image", "1")
    assert res.exit_code == 0, res.output
    with open(tmp_path / "out" / "manifest.csv", newline="") as fh:
        assert {r["source"] for r in csv.DictReader(fh)} == {s.key for s in sources}


@pytest.mark.parametrize("sep", [b";", b"\t"])
def test_a_manifest_separated_by_semicolons_or_tabs_gives_only_its_sharp_photos(tmp_path, sep):
    """A spreadsheet's CSV in locales whose decimal mark is a comma (';'), or a tab-separated one, which evaluate
    reads: synth read its header as the one column "file;label", so the folder was walked as plain photos and
    its blurred photos became sharp sources (train's sources too)."""
    from blurscan.evaluate import read_manifest as evaluate_reads
    from blurscan.model.train import collect

    folder = _labelled(tmp_path / "data", b"\xef\xbb\xbf", b"\r\n", sep=sep)
    wanted = [f"data/sharp/s{i}.jpg" for i in range(3)]
    assert sorted(s.key for s in collect_sources([folder])) == wanted
    assert sorted(s.key for s in collect([folder])[0]) == wanted
    assert [r.label for r in evaluate_reads(folder / "manifest.csv")] == ["sharp", "blurry"] * 3
    res = _synth(str(folder), str(tmp_path / "out"), "--per-image", "1")
    assert res.exit_code == 0, res.output
    assert sorted(r["source"] for r in recipes.read_manifest(tmp_path / "out")) == wanted


def test_a_dataset_resaved_with_semicolons_is_still_read_and_replaced_whole(tmp_path):
    """synth's own manifest, opened and saved again by a spreadsheet that separates with ';': read_manifest read
    one column, and --overwrite refused the folder as "not a dataset blurscan synth wrote"."""
    out = tmp_path / "out"
    src = _photo(tmp_path / "src" / "p.jpg", 3)
    assert _synth(str(src), str(out), "--per-image", "2").exit_code == 0
    with open(out / "manifest.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    with open(out / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    old = recipes.read_manifest(out)
    assert [r["file"] for r in old] == [r[0] for r in rows[1:]] and old[0]["params"]["sample"]["index"] == 0
    res = _synth(str(src), str(out), "--per-image", "1", "--seed", "5", "--overwrite")
    assert res.exit_code == 0, res.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jpg")) == \
        [r["file"] for r in recipes.read_manifest(out)]


def _resaved(rows: list[list[str]], how: str) -> bytes:
    """synth's manifest ``rows`` as a spreadsheet may save them again: the ``,,,`` rows its export ends with (and a
    blank line), every value padded with spaces, or a byte-order mark ("CSV UTF-8")."""
    pad = (lambda v: f" {v} ") if how == "padded" else (lambda v: v)
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(rows[0])
    writer.writerows([pad(v) for v in row] for row in rows[1:])
    if how == "empty rows":
        text.write("\r\n" + "," * (len(rows[0]) - 1) + "\r\n" + "," * (len(rows[0]) - 1) + "\r\n")
    return (b"\xef\xbb\xbf" if how == "byte-order mark" else b"") + text.getvalue().encode()


@pytest.mark.parametrize("how", ["empty rows", "padded", "byte-order mark"])
def test_a_dataset_resaved_by_a_spreadsheet_reads_as_evaluate_reads_it(tmp_path, how):
    """synth.read_manifest read rows with csv.DictReader alone: a ``,,,`` row raised "could not convert string to
    float: ''", padded values kept their spaces (file names that name no file) and a byte-order mark renamed the
    ``file`` column; --overwrite (the same manifest, read for the files to remove) refused the folder with a
    byte-order mark, and left the old images with padded names. Now both read as evaluate does."""
    from blurscan.evaluate import read_manifest as evaluate_reads

    out = tmp_path / "out"
    src = _photo(tmp_path / "src" / "p.jpg", 3)
    assert _synth(str(src), str(out), "--per-image", "3").exit_code == 0
    written = recipes.read_manifest(out)
    old_images = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jpg"))
    with open(out / "manifest.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    (out / "manifest.csv").write_bytes(_resaved(rows, how))
    assert recipes.read_manifest(out) == written and len(written) == 3
    assert [r.file for r in evaluate_reads(out / "manifest.csv")] == [r["file"] for r in written]
    res = _synth(str(src), str(out), "--per-image", "1", "--seed", "5", "--overwrite")
    assert res.exit_code == 0, res.output
    new_images = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jpg"))
    assert new_images == [r["file"] for r in recipes.read_manifest(out)] and not set(old_images) & set(new_images)


def test_a_manifest_in_another_encoding_is_one_error_naming_it(tmp_path):
    folder = tmp_path / "data"
    _photo(folder / "s.jpg", 1)
    (folder / "manifest.csv").write_bytes(b"file,label,note\ns.jpg,sharp,caf\xe9\n")  # Latin-1
    res = _synth(str(folder), str(tmp_path / "out"))
    assert res.exit_code == 2 and isinstance(res.exception, SystemExit), res.output
    assert res.stderr.startswith("Error: ") and "manifest.csv: cannot read" in res.stderr
    assert not (tmp_path / "out").exists()
    with pytest.raises(UsageError, match="manifest.csv: cannot read"):  # train reads sources the same way
        from blurscan.model.train import collect
        collect([folder])


def test_two_photos_under_one_name_are_refused_and_their_parents_tell_them_apart(tmp_path):
    """``synth 2023/DCIM 2024/DCIM``: both IMG_0001.jpg had the key DCIM/IMG_0001.jpg, and the second photo's
    samples were written over the first's (4 rows in the manifest, 2 files)."""
    a = _photo(tmp_path / "2023" / "DCIM" / "IMG_0001.jpg", 1)
    b = _photo(tmp_path / "2024" / "DCIM" / "IMG_0001.jpg", 2)
    for given in ([a.parent, b.parent], [a, b]):
        res = _synth(*map(str, given), str(tmp_path / "out"), "--per-image", "2")
        assert res.exit_code == 2, res.output
        assert str(a) in res.stderr and str(b) in res.stderr and "one name" in res.stderr
        assert not (tmp_path / "out").exists()
    res = _synth(str(tmp_path / "2023"), str(tmp_path / "2024"), str(tmp_path / "out"), "--per-image", "2")
    assert res.exit_code == 0, res.output
    rows = recipes.read_manifest(tmp_path / "out")
    assert len({r["file"] for r in rows}) == len(rows) == 4
    assert {r["source"] for r in rows} == {"2023/DCIM/IMG_0001.jpg", "2024/DCIM/IMG_0001.jpg"}
    assert all((tmp_path / "out" / r["file"]).is_file() for r in rows)
    # one photo given twice is one source, not a clash
    assert len(collect_sources([a.parent, a])) == 1


def test_a_dataset_inside_a_source_folder_keeps_its_copies_in_their_photos_split(tmp_path):
    """A synth dataset written inside the photos folder, then walked with it: its unblurred rows (the photos
    through the camera pipeline) were drawn their own split, so a near-copy of a test photo could train."""
    photos = tmp_path / "photos"
    for i in range(12):
        _photo(photos / f"k{i:02d}.jpg", i)
    assert _synth(str(photos), str(photos / "synth"), "--per-image", "2").exit_code == 0
    sources = collect_sources([photos])
    copies = [s for s in sources if s.origin]
    assert copies and all(s.key.startswith("photos/synth/") for s in copies)
    own = {s.key: split_of(s.key, 7) for s in sources if not s.origin}
    assert len(set(own.values())) > 1  # the seed spreads the photos over more than one split
    for s in copies:
        assert split_of(s.split_key, 7) == own[s.origin]
    res = _synth(str(photos), str(tmp_path / "out"), "--per-image", "1", "--seed", "7")
    assert res.exit_code == 0, res.output
    split_of_source = {}
    for r in recipes.read_manifest(tmp_path / "out"):
        split_of_source[r["source"]] = r["split"]
    for s in copies:
        assert split_of_source[s.key] == split_of_source[s.origin]


def test_train_cache_is_made_anew_for_another_photo_under_the_same_name(tmp_path):
    """The cache was named by the source's key alone: a second run on other photos with the same names (a
    camera's DCIM/IMG_0000.JPG of another card) trained on the first run's images."""
    first = collect_sources([_photo(tmp_path / "A" / "DCIM" / "IMG_0000.jpg", 1).parent])
    second = collect_sources([_photo(tmp_path / "B" / "DCIM" / "IMG_0000.jpg", 2).parent])
    same = collect_sources([_photo(tmp_path / "C" / "DCIM" / "IMG_0000.jpg", 1).parent])  # A's bytes again
    assert first[0].key == second[0].key == same[0].key
    plan = ("none", "gaussian")
    jobs = [data.plan_jobs(s, tmp_path / "work", seed=0, plan=plan) for s in (first, second, same)]
    assert {j.out for j in jobs[0]}.isdisjoint(j.out for j in jobs[1])
    assert [j.out for j in jobs[0]] == [j.out for j in jobs[2]]
    made = [data.make_one(jobs[0][1]), data.make_one(jobs[1][1])]
    with np.load(jobs[0][1].out) as a, np.load(jobs[1][1].out) as b:
        assert not np.array_equal(a["windows"], b["windows"])
    assert made[0]["key"] == made[1]["key"]


def test_a_link_loop_among_the_sources_is_skipped_with_its_reason(tmp_path):
    """``Path.resolve`` raises on a loop of symbolic links: synth and train ended in a traceback."""
    src = tmp_path / "src"
    _photo(src / "a.jpg", 1)
    (src / "l1.jpg").symlink_to("l2.jpg")
    (src / "l2.jpg").symlink_to("l1.jpg")
    res = _synth(str(src), str(tmp_path / "out"), "--per-image", "1")
    assert res.exit_code == 0, res.output
    assert sorted(ln for ln in res.stderr.splitlines() if ln.startswith("skipped")) == [
        f"skipped {src / 'l1.jpg'}: symbolic link loop", f"skipped {src / 'l2.jpg'}: symbolic link loop"]
    assert "from 1 source to" in res.stdout
    from blurscan.model.train import collect, readable
    sources, _ = collect([src])
    assert [s.path.name for s in readable(sources)] == ["a.jpg"]


def test_a_nested_datasets_copies_keep_their_photos_split_given_from_another_level(tmp_path):
    """The dataset written by ``synth parent/photos parent/photos/ds`` names its sources ``photos/...``; a later
    ``synth parent`` names the photos ``parent/photos/...``: the copies were drawn their own split."""
    photos = tmp_path / "parent" / "photos"
    for i in range(12):
        _photo(photos / f"img{i:02d}.jpg", i)
    assert _synth(str(photos), str(photos / "ds"), "--per-image", "2").exit_code == 0
    sources = collect_sources([tmp_path / "parent"])
    copies = [s for s in sources if s.origin]
    own = {s.key for s in sources if not s.origin}
    assert copies and all(s.origin in own and s.origin.startswith("parent/photos/img") for s in copies)
    res = _synth(str(tmp_path / "parent"), str(tmp_path / "out"), "--per-image", "1", "--seed", "3")
    assert res.exit_code == 0, res.output
    split = {r["source"]: r["split"] for r in recipes.read_manifest(tmp_path / "out")}
    assert all(split[s.key] == split[s.origin] for s in copies)


@pytest.mark.parametrize("pillow_guard", ["on", "off"])
def test_a_source_past_pillows_pixel_limit_is_skipped_not_a_traceback(tmp_path, monkeypatch, pillow_guard):
    """A PNG whose header says 20000 x 20000 (a stitched panorama, a damaged header): Pillow's
    DecompressionBombError was a traceback from synth and train (2026-12-05); it is a skipped source, as the
    scan reports it. Also once Pillow's own guard is off, as it was in any process that had imported
    blurscan.decode until 2026-12-06 (the source was then decoded whole: 400 MP), or a program turns it off."""
    import struct
    import zlib

    from PIL import Image

    if pillow_guard == "off":
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", None)

    _photo(tmp_path / "src" / "small.png", 1)
    data = (tmp_path / "src" / "small.png").read_bytes()
    ihdr = struct.pack(">II", 20000, 20000) + data[24:29]
    chunk = struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    (tmp_path / "src" / "huge.png").write_bytes(data[:8] + chunk + data[33:])
    assert recipes.check_source(tmp_path / "src" / "huge.png").startswith("decompression bomb: ")
    res = CliRunner().invoke(main, ["synth", str(tmp_path / "src"), str(tmp_path / "out"), "--per-image", "1",
                                    "-q"])
    assert res.exit_code == 0, res.output
    assert "huge.png: decompression bomb: " in res.output and "1 skipped" in res.output


def test_sources_past_the_programs_pillow_limit_are_used_under_blurscans(tmp_path, monkeypatch):
    """synth opens its sources (a PNG read again without its metadata too) and its camera's JPEGs under blurscan's
    limit, as the scan does: a program's Pillow guard set lower (here refusing past 10000 pixels) skipped them."""
    from PIL import PngImagePlugin

    _photo(tmp_path / "src" / "a.jpg", 1)  # 200 x 160: 32000 pixels
    info = PngImagePlugin.PngInfo()
    info.add_text("XML:com.adobe.xmp", "x" * (2 << 20), zip=True)  # past MAX_TEXT_CHUNK: read again without it
    Image.fromarray(textured(2, (160, 200))).save(tmp_path / "src" / "b.png", pnginfo=info)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5000)
    res = _synth(str(tmp_path / "src"), str(tmp_path / "out"), "--per-image", "1")
    assert res.exit_code == 0 and "0 skipped" in res.output, res.output
    assert sorted(r["source"] for r in recipes.read_manifest(tmp_path / "out")) == ["src/a.jpg", "src/b.png"]
    assert Image.MAX_IMAGE_PIXELS == 5000


def test_a_max_side_under_which_no_sample_can_be_made_is_a_usage_error(tmp_path):
    """`synth --max-side 10` shrank every source under the 16 px a sample needs, skipped each as "too small (10x8
    px)" and ended with "no image could be made ...: give other sources" (exit 1), blaming the photos; found by
    measuring which lines the tests ran (2026-12-06). Now refused before any work; a source that a --max-side above
    16 leaves too narrow (a panorama) is skipped saying it was shrunk so."""
    _photo(tmp_path / "src" / "a.jpg", 1)
    for side in (1, 10, 15):
        result = CliRunner().invoke(main, ["synth", "-q", "--max-side", str(side), str(tmp_path / "src"),
                                           str(tmp_path / "out")])
        assert result.exit_code == 2, result.output
        assert result.stderr == (f"Error: --max-side {side}: no sample can be made with a long side under 16 px; "
                                 "give 16 or more, or 0 to keep the full size\n")
        assert not (tmp_path / "out").exists()
    Image.fromarray(textured(2, (40, 200))).save(tmp_path / "src" / "a.jpg")  # 5:1, as a panorama
    result = CliRunner().invoke(main, ["synth", "-q", "--max-side", "50", str(tmp_path / "src"), str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert f"skipped {tmp_path / 'src' / 'a.jpg'}: too small (50x10 px, shrunk to a long side of 50 px)\n" \
        in result.stderr
    result = CliRunner().invoke(main, ["synth", "-q", "--max-side", "16", "--per-image", "1", str(tmp_path / "src"),
                                       str(tmp_path / "out")])
    assert result.exit_code == 1 and "too small (16x3 px, shrunk to a long side of 16 px)" in result.stderr


def test_a_photo_whose_name_is_not_utf8_is_a_source_of_synth_and_train(tmp_path):
    """A photo named with a byte that is not UTF-8 (``caf\\xe9.jpg``, a Latin-1 camera card): synth ended in a
    traceback (UnicodeEncodeError: surrogates not allowed) hashing its key for its split, then writing it to the
    manifest, and train's cache named it the same way. The manifest writes the name's bytes as ``\\xNN``, and a
    dataset written inside the photos' folder keeps its copies in their photo's split."""
    photos = tmp_path / "photos"
    for i in range(6):
        name = f"k{i}-caf\udce9.jpg" if i % 2 else f"k{i}.jpg"
        _photo(photos / name, i)
    res = _synth(str(photos), str(photos / "ds"), "--per-image", "2")
    assert res.exit_code == 0, res.output
    rows = recipes.read_manifest(photos / "ds")
    assert sorted({r["source"] for r in rows}) == sorted(
        [f"photos/k{i}.jpg" for i in (0, 2, 4)] + [f"photos/k{i}-caf\\xe9.jpg" for i in (1, 3, 5)])
    sources = collect_sources([photos])
    copies = [s for s in sources if s.origin]
    own = {s.key for s in sources if not s.origin}
    assert "photos/k1-caf\udce9.jpg" in own
    assert copies and all(s.origin in own for s in copies)  # the escaped name read back as the photo's own key
    res = _synth(str(photos), str(tmp_path / "out"), "--per-image", "1", "--seed", "3")
    assert res.exit_code == 0, res.output
    split = {r["source"]: r["split"] for r in recipes.read_manifest(tmp_path / "out")}
    shown = {s.key: s.key.replace("\udce9", "\\xe9") for s in sources}
    assert all(split[shown[s.key]] == split[shown[s.origin]] for s in copies)
    jobs = data.plan_jobs([s for s in sources if "\udce9" in s.key][:1], tmp_path / "work", seed=0,
                          plan=("none", "gaussian"))
    assert data.make_one(jobs[1])["key"] == "photos/k1-caf\udce9.jpg"


def test_two_photos_whose_names_differ_in_a_byte_that_is_not_utf8_keep_their_own_samples(tmp_path):
    """``caf\\xe9.jpg`` and ``caf\\xe8.jpg`` (Latin-1 names one byte apart): each photo's samples are its own files,
    none written over the other's, each drawn with its own randomness (not the same recipes' figures)."""
    photos = tmp_path / "photos"
    _photo(photos / "caf\udce9.jpg", 1)
    _photo(photos / "caf\udce8.jpg", 2)
    res = _synth(str(photos), str(tmp_path / "out"), "--per-image", "20")
    assert res.exit_code == 0, res.output
    rows = recipes.read_manifest(tmp_path / "out")
    assert len(rows) == len({r["file"] for r in rows}) == 40
    assert all((tmp_path / "out" / r["file"]).is_file() for r in rows)
    by_source = {}
    for r in rows:
        by_source.setdefault(r["source"], []).append({k: v for k, v in r.items() if k not in ("file", "source")})
    assert sorted(by_source) == ["photos/caf\\xe8.jpg", "photos/caf\\xe9.jpg"]
    first, second = by_source.values()
    assert first != second  # (the two photos' draws)


def test_photos_whose_names_differ_in_bytes_that_are_not_utf8_are_spread_over_the_splits():
    """Twelve Latin-1 names one byte apart each: split by their own bytes (about 70/15/15), not all hashed as one
    replaced name into one split."""
    splits = [split_of(f"photos/k{chr(0xDC00 + byte)}.jpg", 0) for byte in range(0xC0, 0xCC)]
    assert len(set(splits)) > 1 and splits.count("train") < 12
