"""Tests of blurscan.synth's datasets: splits by source, recipes, manifests, and the ``blurscan synth`` command."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from blurscan import synth
from blurscan.config import shared_data_dir
from blurscan.errors import DecodeError
from blurscan.synth import recipes

SHARED = shared_data_dir()


def _photo() -> np.ndarray:
    """A real photo with detail everywhere: scikit-image's astronaut (offline, reproducible)."""
    from skimage import data

    return np.ascontiguousarray(data.astronaut())


def _lapvar(img: np.ndarray) -> float:
    g = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    return float(cv2.Laplacian(g, cv2.CV_64F).var())


def _make_sources(folder: Path, n: int = 8) -> list[Path]:
    img = _photo()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        y, x = (i * 37) % 200, (i * 53) % 200
        crop = img[y: y + 300, x: x + 300]
        p = folder / f"photo{i:02d}.png"
        Image.fromarray(crop).save(p)
        paths.append(p)
    twin = folder / "photo00_gt.png"  # a near-duplicate of photo00: must share its split
    Image.fromarray(img[:300, :300]).save(twin)
    paths.append(twin)
    return paths


def test_group_keys_from_real_naming_schemes():
    g = recipes.group_key
    assert g("data/div2k/0830.jpg") == g("data/div2k/saved_images/0830_pixel_motion_umot-8_vmot-1_gt.jpg")
    assert g("data/gopro/saved_images/GOPR0374_11_00_st_frame-1195_n_avg-8_gt.jpg") == \
        g("data/gopro/saved_images/GOPR0374_11_00_st_frame-614_n_avg-8.jpg")
    assert g("data/gopro/videos/GOPR0477_11_00/000010.jpg") == g("data/gopro/videos/GOPR0477_11_00/000020.jpg") \
        == g("data/gopro/saved_images/GOPR0477_11_00_st_frame-9_gt.jpg")
    assert g("data/skimage/sharp/motorcycle_left.jpg") == g("data/skimage/sharp/motorcycle_right.jpg")
    assert g("data/nyu_depth/images/272.jpg") == g("data/nyu_depth/saved_images/272_roll0_pitch0_yaw3_gt.jpg")
    assert g("data/kodak24/kodim01.jpg") != g("data/kodak24/kodim02.jpg")
    # same file name in two different sets: two photos
    assert g("data/bsd100/image_SRF_2/img_001_SRF_2_HR.jpg") != g("data/urban100/image_SRF_2/img_001_SRF_2_HR.jpg")
    assert g("data/bsd100/image_SRF_2/img_001_SRF_2_HR.jpg") != g("data/bsd100/image_SRF_2/img_002_SRF_2_HR.jpg")
    # a phone's date-time names: a photo of its own second (the id rule made the whole day, or year, one group)
    assert g("me/phone/20240101_120001.jpg") != g("me/phone/20240101_120002.jpg")
    assert g("me/phone/2024-01-01 12.00.00.jpg") != g("me/phone/2024-01-01 12.00.01.jpg")
    assert g("me/phone/20240101_120001.jpg") == g("me/phone/20240101_120001_gt.jpg")


@pytest.mark.skipif(not (SHARED / "manifest.csv").is_file(), reason="shared data not available")
def test_a_folder_inside_a_labelled_data_set_gives_only_its_sharp_rows(tmp_path):
    """`synth shared/data/levin2009` walked the folder and took its 32 blurred photos as sharp sources; a synth
    output inside SRC gave its blurred images as sources too. Both follow their manifest now."""
    with open(SHARED / "manifest.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    sharp = {r["file"] for r in rows if r["file"].startswith("levin2009/") and r["label"] == "sharp"}
    got = recipes.collect_sources([SHARED / "levin2009"])
    assert {s.key for s in got} == {f"{SHARED.name}/{f}" for f in sharp} and sharp
    assert len(sharp) < sum(r["file"].startswith("levin2009/") for r in rows)       # blurred ones exist there
    whole = {s.key: s for s in recipes.collect_sources([SHARED])}
    assert all(s.key in whole for s in got)                                            # keys as from the set
    src = tmp_path / "src"
    _make_sources(src, n=3)
    synth.write_dataset(recipes.collect_sources([src]), src / "out", "binary", per_image=4, seed=1)
    written = synth.read_manifest(src / "out")
    again = recipes.collect_sources([src], exclude=tmp_path / "elsewhere")
    blurred = {r["file"] for r in written if r["blur"] != "none"}
    assert blurred and not any(s.path.relative_to(src / "out").as_posix() in blurred
                               for s in again if (src / "out") in s.path.parents)
    with pytest.raises(Exception, match="manifest.csv: not an image file"):
        recipes.collect_sources([SHARED / "manifest.csv"])


@pytest.mark.skipif(not (SHARED / "manifest.csv").is_file(), reason="shared data not available")
def test_shared_data_splits_are_near_70_15_15_with_twins_together():
    sources = recipes.collect_sources([SHARED])
    groups: dict[str, set] = {}
    for s in sources:
        groups.setdefault(recipes.group_key(s.key), set()).add(recipes.split_of(s.key, 0))
    assert all(len(v) == 1 for v in groups.values())
    splits = [recipes.split_of(s.key, 0) for s in sources]
    assert 0.55 < splits.count("train") / len(splits) < 0.85
    assert splits.count("val") >= 30 and splits.count("test") >= 30


def test_splits_are_by_source_and_roughly_70_15_15():
    keys = [f"set/img_{i:04d}.jpg" for i in range(3000)]
    splits = [recipes.split_of(k, 0) for k in keys]
    frac = {s: splits.count(s) / len(splits) for s in ("train", "val", "test")}
    assert frac["train"] == pytest.approx(0.70, abs=0.03)
    assert frac["val"] == pytest.approx(0.15, abs=0.03)
    assert [recipes.split_of(k, 1) for k in keys] != splits  # the seed reshuffles
    assert [recipes.split_of(k, 0) for k in keys] == splits  # deterministic


@pytest.mark.slow
@pytest.mark.parametrize("recipe", ["binary", "seed-4class"])
def test_dataset_manifest_round_trips_and_no_source_leaks(tmp_path, recipe):
    _make_sources(tmp_path / "src")
    sources = recipes.collect_sources([tmp_path / "src"])
    assert len(sources) == 9
    calls = []
    info = synth.write_dataset(sources, tmp_path / "out", recipe, per_image=3, seed=5,
                               progress=lambda d, t, s: calls.append((d, t)))
    assert calls[-1] == (9, 9)
    rows = synth.read_manifest(tmp_path / "out")
    assert len(rows) == 27 == info["n_images"]
    with open(tmp_path / "out" / "manifest.csv", newline="") as fh:
        assert tuple(csv.DictReader(fh).fieldnames) == synth.MANIFEST_COLUMNS
    split_of_source: dict[str, set] = {}
    for r in rows:
        split_of_source.setdefault(r["source"], set()).add(r["split"])
        with Image.open(tmp_path / "out" / r["file"]) as im:
            assert im.size == (r["width"], r["height"])
        assert r["label"] == synth.LABEL[r["blur"]] and r["category"] == synth.CATEGORY[r["blur"]]
        assert r["target"] in info["classes"]
        assert r["file"].startswith(r["split"] + "/")
        assert r["params"]["blur"] == r["blur"]
    assert all(len(s) == 1 for s in split_of_source.values())
    assert split_of_source["src/photo00.png"] == split_of_source["src/photo00_gt.png"]
    if recipe == "seed-4class":
        assert set(info["classes"]) == {"gaussian", "motion", "minfilter", "partial_centre"}
    else:
        assert set(info["classes"]) == {"sharp", "blurry"}
        assert {r["target"] for r in rows} <= {"sharp", "blurry"}
        assert all(r["target"] == r["label"] for r in rows)
    # every row can be regenerated byte for byte from the manifest
    r = rows[4]
    src = next(s for s in sources if s.key == r["source"])
    rng = recipes._sample_rng(r["params"]["sample"]["seed"], src.key, r["params"]["sample"]["index"])
    target, kind, level, downscale = recipes.RECIPES[recipe].draw(rng)
    assert (target, kind) == (r["target"], r["blur"])
    _, p, data = synth.synthesize_encoded(recipes.load_source(src.path), rng, kind, level, downscale=downscale)
    assert data == (tmp_path / "out" / r["file"]).read_bytes()
    # same seed -> identical dataset, whatever the number of worker processes
    synth.write_dataset(sources, tmp_path / "again", recipe, per_image=3, seed=5, workers=2)
    assert (tmp_path / "again" / "manifest.csv").read_bytes() == (tmp_path / "out" / "manifest.csv").read_bytes()
    assert all((tmp_path / "again" / r["file"]).read_bytes() == (tmp_path / "out" / r["file"]).read_bytes()
               for r in rows)


def test_sources_are_never_enlarged(tmp_path):
    p = tmp_path / "small.png"
    Image.fromarray(_photo()[:100, :150]).save(p)
    assert recipes.load_source(p, max_side=1024).shape == (100, 150, 3)
    assert max(recipes.load_source(p, max_side=120).shape[:2]) == 120


def test_sources_in_odd_modes_load_as_rgb(tmp_path):
    rgb = _photo()[:64, :96]
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    Image.fromarray(gray).save(tmp_path / "gray.png")
    Image.fromarray(rgb).convert("RGBA").save(tmp_path / "rgba.png")
    Image.fromarray(rgb).convert("P").save(tmp_path / "palette.png")
    Image.fromarray(gray.astype(np.uint16) * 257).save(tmp_path / "deep.png")  # 16-bit grey
    Image.fromarray(rgb).save(tmp_path / "rotated.jpg", exif=_exif_rotate_90())
    for name in ("gray.png", "rgba.png", "palette.png", "deep.png"):
        a = recipes.load_source(tmp_path / name)
        assert a.shape == (64, 96, 3) and a.dtype == np.uint8, name
    assert np.abs(recipes.load_source(tmp_path / "deep.png")[..., 0].astype(int) - gray).max() <= 1
    assert recipes.load_source(tmp_path / "rotated.jpg").shape == (96, 64, 3)  # EXIF orientation applied
    (tmp_path / "empty.jpg").write_bytes(b"")
    with pytest.raises(DecodeError, match="empty.jpg"):
        recipes.load_source(tmp_path / "empty.jpg")
    with pytest.raises(DecodeError, match="missing.jpg: file not found"):
        recipes.load_source(tmp_path / "missing.jpg")


def test_sources_of_any_sample_kind_load_as_the_scan_reads_them(tmp_path):
    """A big-endian 16-bit TIFF was skipped ("point operation not supported for this mode"), a 0..1 float TIFF
    came out black (blurred and labelled as a photo), a transparent pixel took the colour stored under it."""
    rgb = _photo()[:64, :96]
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    Image.frombytes("I;16B", (96, 64), (gray.astype(">u2") * 257).tobytes()).save(tmp_path / "big-endian.tif")
    Image.fromarray(gray.astype(np.float32) / 255, "F").save(tmp_path / "floats.tif")
    for name in ("big-endian.tif", "floats.tif"):
        a = recipes.load_source(tmp_path / name)
        assert a.shape == (64, 96, 3) and np.abs(a[..., 0].astype(int) - gray).max() <= 1, name
    rgba = np.dstack([np.zeros_like(gray)] * 3 + [np.zeros_like(gray)])  # black under full transparency
    Image.fromarray(rgba, "RGBA").save(tmp_path / "clear.png")
    assert (recipes.load_source(tmp_path / "clear.png") == 255).all()  # on white, as the scan shows it


def test_png_sources_pillow_refuses_for_their_metadata_load_as_the_scan_reads_them(tmp_path):
    """A text chunk over Pillow's MAX_TEXT_CHUNK (Photoshop's long XMP history) or an ancillary chunk of wrong CRC:
    `scan` scores such a PNG; synth and train skipped it ("Decompressed data too large ...")."""
    import struct
    import zlib

    from PIL import PngImagePlugin

    from blurscan.cli import main

    rgb = _photo()[:64, :96]
    info = PngImagePlugin.PngInfo()
    info.add_text("XML:com.adobe.xmp", "x" * (2 << 20), zip=True)  # deflates to a few kB
    Image.fromarray(rgb).save(tmp_path / "photoshop.png", pnginfo=info)
    Image.fromarray(rgb).save(tmp_path / "plain.png")
    data, body = (tmp_path / "plain.png").read_bytes(), b"Comment\0hello"
    crc = (zlib.crc32(b"tEXt" + body) ^ 1) & 0xFFFFFFFF  # wrong
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", crc)
    (tmp_path / "bad-crc.png").write_bytes(data[:33] + chunk + data[33:])  # after the 8-byte signature and IHDR
    for name in ("photoshop.png", "bad-crc.png"):
        assert recipes.check_source(tmp_path / name) is None, name
        assert (recipes.load_source(tmp_path / name) == rgb).all(), name
    out = CliRunner().invoke(main, ["synth", "-q", "--per-image", "1", str(tmp_path / "photoshop.png"),
                                    str(tmp_path / "out")])
    assert out.exit_code == 0 and "0 skipped" in out.output, out.output


def _exif_rotate_90() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 CW to display
    return exif.tobytes()


def test_shared_style_manifest_selects_only_sharp_images(tmp_path):
    paths = _make_sources(tmp_path / "data", n=4)
    with open(tmp_path / "data" / "manifest.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "set", "label"])
        for i, p in enumerate(paths):
            w.writerow([p.name, "x", "sharp" if i % 2 == 0 else "blurry"])
    sources = recipes.collect_sources([tmp_path / "data"])
    assert [s.path.name for s in sources] == sorted(p.name for i, p in enumerate(paths) if i % 2 == 0)
    # a synth dataset as source: only its unblurred rows (partial kinds are labelled sharp too)
    synth.write_dataset(sources, tmp_path / "ds", "binary", per_image=10, seed=2)
    rows = synth.read_manifest(tmp_path / "ds")
    again = recipes.collect_sources([tmp_path / "ds"])
    assert {s.key.split("/", 1)[1] for s in again} == {r["file"] for r in rows if r["blur"] == "none"}
    assert any(r["label"] == "sharp" and r["blur"] != "none" for r in rows)  # the case is exercised


def test_cli_offers_every_recipe():
    from blurscan.cli.synth import synth as command

    option = next(p for p in command.params if p.name == "recipe")
    assert list(option.type.choices) == list(recipes.RECIPES)


def test_cli_writes_dataset_and_reports_bad_files(tmp_path):
    from blurscan.cli import main

    _make_sources(tmp_path / "src", n=3)
    (tmp_path / "src" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    runner = CliRunner()
    res = runner.invoke(main, ["synth", str(tmp_path / "src"), str(tmp_path / "out"), "--recipe", "seed-4class",
                               "--per-image", "2", "--seed", "3", "-q"])
    assert res.exit_code == 0, res.output
    bad_lines = [ln for ln in res.stderr.splitlines() if "broken.jpg" in ln]
    assert len(bad_lines) == 1 and "skipped" in bad_lines[0]
    rows = synth.read_manifest(tmp_path / "out")
    assert len(rows) == 8 and {r["blur"] for r in rows} <= {"gaussian", "linear_motion", "minfilter", "partial_centre"}
    info = json.loads((tmp_path / "out" / "dataset.json").read_text())
    assert info["skipped"][0]["source"].endswith("broken.jpg")
    # refuses to overwrite an existing dataset (usage error, exit 2)
    res = runner.invoke(main, ["synth", str(tmp_path / "src"), str(tmp_path / "out"), "-q"])
    assert res.exit_code == 2 and "already" in res.stderr


def test_overwrite_removes_the_old_datasets_images_and_out_cannot_be_src(tmp_path):
    """--overwrite left the earlier dataset's images in their split folders (87 files for a 30-row manifest,
    some in another split than the new one gives their source). OUT = SRC said 'no source images found'."""
    from blurscan.cli import main

    _make_sources(tmp_path / "src", n=3)
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["synth", str(tmp_path / "src"), str(out), "--per-image", "3", "-q"]).exit_code == 0
    res = runner.invoke(main, ["synth", str(tmp_path / "src"), str(out), "--per-image", "1", "--seed", "5",
                               "--overwrite", "-q"])
    assert res.exit_code == 0, res.output
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jpg"))
    assert on_disk == sorted(r["file"] for r in synth.read_manifest(out)) and len(on_disk) == 4
    same = runner.invoke(main, ["synth", str(tmp_path / "src"), str(tmp_path / "src"), "-q"])
    assert same.exit_code == 2 and "OUT is the source folder" in same.stderr
    above = runner.invoke(main, ["synth", str(tmp_path / "src"), str(tmp_path), "-q"])
    assert above.exit_code == 2 and "OUT is a folder holding the source" in above.stderr
    bad_seed = runner.invoke(main, ["synth", str(tmp_path / "src"), str(tmp_path / "o2"), "--seed", "-1", "-q"])
    assert bad_seed.exit_code == 2 and "Traceback" not in bad_seed.output


def test_synth_takes_force_as_train_did(tmp_path):
    """train spelled "replace my output" --force, synth --overwrite: both take --overwrite now, and --force (a
    script written for train's old name) writes into an existing dataset as --overwrite does, hidden from the help."""
    from blurscan.cli import main

    _make_sources(tmp_path / "src", n=2)
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["synth", str(tmp_path / "src"), str(out), "--per-image", "2", "-q"]).exit_code == 0
    res = runner.invoke(main, ["synth", str(tmp_path / "src"), str(out), "--per-image", "1", "--force", "-q"])
    assert res.exit_code == 0, res.output
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jpg"))
    assert on_disk == sorted(r["file"] for r in synth.read_manifest(out)) and len(on_disk) == 3  # 2 + a twin
    shown = runner.invoke(main, ["synth", "--help"]).stdout
    assert "--overwrite" in shown and "--force" not in shown


def test_cli_refusal_names_the_overwrite_option(tmp_path):
    """Into a folder that holds a dataset: the error names the option that allows it, and nothing is written."""
    from blurscan.cli import main

    _make_sources(tmp_path / "src", n=1)
    out = tmp_path / "out"
    out.mkdir()
    listed = ",".join(recipes.MANIFEST_COLUMNS) + "\n"  # a dataset synth wrote (its own columns), no rows
    (out / "manifest.csv").write_text(listed)
    res = CliRunner().invoke(main, ["synth", str(tmp_path / "src"), str(out), "-q"])
    assert res.exit_code == 2
    assert res.stderr.startswith("Error: ") and "manifest.csv: a dataset is already there" in res.stderr
    assert "--overwrite" in res.stderr
    assert (out / "manifest.csv").read_text() == listed
    assert sorted(p.name for p in out.iterdir()) == ["manifest.csv"]


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "manifest.csv").is_file(), reason="shared data not available")
def test_real_shared_data_manifest_and_real_photos(tmp_path):
    with open(SHARED / "manifest.csv", newline="") as fh:
        n_sharp = sum(1 for r in csv.DictReader(fh) if r["label"] == "sharp")
    sources = recipes.collect_sources([SHARED])
    assert len(sources) == n_sharp
    some = [s for s in sources if "kodak24" in s.key][:3]
    info = synth.write_dataset(some, tmp_path / "ds", "binary", per_image=4, seed=1)
    assert info["n_images"] == 12
    # blur lowers sharpness on real photos too, at the same seed
    img = recipes.load_source(some[0].path)
    sharp, _ = synth.synthesize(img, np.random.default_rng(0), "none")
    for kind in ("defocus", "shake"):
        out, _ = synth.synthesize(img, np.random.default_rng(0), kind, "strong")
        assert _lapvar(out) < 0.5 * _lapvar(sharp)
    assert os.path.getsize(tmp_path / "ds" / "manifest.csv") > 0


def test_a_heic_source_is_read_by_synth_in_a_fresh_process(tmp_path):
    """``blurscan synth`` loads Pillow's HEIF opener itself (it is registered on first need since pillow-heif
    stopped loading with every scan worker): a HEIC photo, one named .jpg too, is a source like any other."""
    pillow_heif = pytest.importorskip("pillow_heif")
    import subprocess
    import sys

    src = tmp_path / "src"
    src.mkdir()
    rng = np.random.default_rng(3)
    for name in ("IMG_0001.heic", "IMG_0002.jpg"):  # the second is HEIC inside, whatever its name says
        photo = cv2.GaussianBlur(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8), (0, 0), 1.0)
        pillow_heif.from_pillow(Image.fromarray(photo)).save(src / name, quality=90)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "blurscan", "synth", str(src), str(out), "--per-image", "1",
                           "-q"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with open(out / "manifest.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2 and {os.path.basename(r["source"]) for r in rows} == {"IMG_0001.heic", "IMG_0002.jpg"}


def test_cli_fails_when_no_source_gives_an_image(tmp_path):
    """Every source skipped (too small): it said "Wrote 0 images" and exited 0, and a script went on to train
    on an empty dataset; then it printed "Wrote 0 images ... Manifest: OUT/manifest.csv" before its error, and
    left that empty dataset, which the next run refused without --overwrite. Now it leaves nothing behind."""
    from blurscan.cli import main

    (tmp_path / "src").mkdir()
    Image.new("RGB", (8, 8)).save(tmp_path / "src" / "tiny.png")
    good = tmp_path / "good"
    good.mkdir()
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(good / "a.png")
    out = tmp_path / "out"

    def synth(*args):
        return CliRunner().invoke(main, ["synth", *args, str(out), "--per-image", "1", "-q"])

    res = synth(str(tmp_path / "src"))
    assert res.exit_code == 1, res.output
    assert res.stdout == "" and "Wrote" not in res.output
    assert "skipped" in res.stderr and "tiny.png: too small (8x8 px)" in res.stderr
    assert res.stderr.endswith(f"Error: no image could be made from the 1 source (each skipped, listed above); "
                               f"nothing was left in {out}: give other sources\n")
    assert not out.exists()
    # a folder of the person's keeps what it held, and nothing else
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert synth(str(tmp_path / "src")).exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    # the next run needs no --overwrite
    res = synth(str(good))
    assert res.exit_code == 0 and res.stdout.startswith("Wrote 1 image from 1 source "), res.output
    # with --overwrite, the dataset that was there is removed (its samples first), and said to be
    res = synth(str(tmp_path / "src"), "--overwrite")
    assert res.exit_code == 1 and res.stdout == "", res.output
    assert res.stderr.endswith(f"the dataset that was in {out} was removed (--overwrite), and none written in its "
                               "place: give other sources\n")
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == ["notes.txt"]
    assert synth(str(good)).exit_code == 0




def test_no_camera_never_shrinks_a_sample_and_draws_the_same_blur(tmp_path):
    """`synth --no-camera` blurs the 8-bit values as a plain blur experiment does (docs/synth.md): until 2026-12-05
    it still shrank about 15 % of the samples by 0.6-0.9 (params `"camera":false,"downscale":0.63`), where
    `train --recipe seed-4class --no-camera` shrinks none. Each sample's blur is drawn as before."""
    from blurscan.cli import main

    _make_sources(tmp_path / "src", n=8)
    made = {}
    for name, extra in (("plain", ["--no-camera"]), ("cam", [])):
        result = CliRunner().invoke(main, ["synth", str(tmp_path / "src"), str(tmp_path / name), "--recipe",
                                           "seed-4class", "--per-image", "4", "-q", *extra])
        assert result.exit_code == 0, result.output
        made[name] = synth.read_manifest(tmp_path / name)
    plain, cam = made["plain"], made["cam"]
    assert len(plain) == len(cam) == 36
    assert all(r["params"]["camera"] is False and "downscale" not in r["params"] for r in plain)
    assert all(r["params"]["output_size"] == r["params"]["source_size"] for r in plain)  # never shrunk
    assert any("downscale" in r["params"] for r in cam)  # (the seed draws shrinking, which --no-camera drops)
    assert [(r["blur"], r["params"].get("blur_params")) for r in plain] == \
        [(r["blur"], r["params"].get("blur_params")) for r in cam]


def test_synth_says_which_manifest_rows_it_does_not_blur(tmp_path):
    """A manifest's blurry and partly blurred rows are not sources: one stderr line names the manifest and counts
    them (until 2026-12-05 they were passed over without a word); none when every row is used."""
    src = tmp_path / "src"
    paths = _make_sources(src, n=3)
    labels = ["sharp"] * len(paths)
    labels[0], labels[1] = "blurry", "partial"
    with open(src / "manifest.csv", "w", newline="") as fh:
        csv.writer(fh).writerows([["file", "label"], *([p.name, lab] for p, lab in zip(paths, labels))])
    from blurscan.cli import main

    result = CliRunner().invoke(main, ["synth", str(src), str(tmp_path / "out"), "--per-image", "1"])
    assert result.exit_code == 0, result.output
    note = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert note == [f"note: {src / 'manifest.csv'}: 2 of its {len(paths)} rows are not used: 1 labelled blurry; 1 "
                    "partly in focus (label `partial`, a `partial-...` blur or synth's `missed_focus`). synth blurs "
                    "only the rows labelled sharp (with no blur named)"]
    assert len(synth.read_manifest(tmp_path / "out")) == len(paths) - 2  # (one image of each sharp row)
    (src / "manifest.csv").write_text("file,label\n" + "".join(f"{p.name},sharp\n" for p in paths))
    again = CliRunner().invoke(main, ["synth", str(src), str(tmp_path / "out2"), "--per-image", "1"])
    assert again.exit_code == 0 and "note: " not in again.stderr
