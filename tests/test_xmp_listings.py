"""``blurscan tag`` listed a photo's whole folder several times per photo (its sidecars, the other images of its
stem, its RAW twin, darktable's duplicates' sidecars, again for the twin): 3000 photos in one folder, all marked
discard, took 2 minutes for a dry run, growing with the square of the folder's size. Now a run lists each folder
once, as ``move``'s plan does (:mod:`blurscan.actions.listing`). Counted, not timed: the listings of the photos'
folder during a tag run of 200 photos, a dry run and a real one, whose sidecars are all there afterwards."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from blurscan.actions import xmp
from blurscan.cli import main
from blurscan.config import ScanSettings
from blurscan.pipeline import scan
from blurscan.store import Store
from helpers_images import save_jpeg, textured
from helpers_library import decide

N = 200


def _library(tmp_path):
    """``lib`` with N small JPEGs, the first with a RAW twin (``IMG_0000.CR2``), all scanned and marked discard."""
    root = tmp_path / "lib"
    img = textured(3, (24, 32))
    for i in range(N):
        save_jpeg(root / f"IMG_{i:04d}.JPG", img)
    (root / "IMG_0000.CR2").write_bytes(os.urandom(3000))
    db = root / ".blurscan.db"
    records = list(scan([root], ScanSettings(workers=1, model="none"), db=db))
    assert len(records) == N
    with Store(db) as store:
        for r in records:
            decide(store, r.path, "discard")
    return root


def _count_listings(monkeypatch, folder) -> list:
    """Each listing of ``folder`` (``os.listdir`` / ``os.scandir``) made from now on, appended to the list."""
    calls = []
    for fname in ("listdir", "scandir"):
        real = getattr(os, fname)

        def counted(path=".", _real=real, _name=fname):
            if os.path.realpath(os.fsdecode(path)) == os.path.realpath(folder):
                calls.append(_name)
            return _real(path)
        monkeypatch.setattr(os, fname, counted)
    return calls


def test_a_tag_run_lists_the_photos_folder_once_per_run_not_once_per_photo(tmp_path, monkeypatch):
    root = _library(tmp_path)
    runner = CliRunner()
    calls = _count_listings(monkeypatch, root)
    dry = runner.invoke(main, ["tag", "--xmp", "--discarded-only", "--dry-run", str(root)])
    assert dry.exit_code == 0, dry.output
    assert dry.output.count("would write ") == N + 1, dry.output  # (the RAW twin's IMG_0000.CR2.xmp too)
    assert len(calls) <= 3, f"{len(calls)} listings of the folder for {N} photos: {calls[:10]}"
    del calls[:]
    done = runner.invoke(main, ["tag", "--xmp", "--discarded-only", str(root)])
    assert done.exit_code == 0, done.output
    assert len(calls) <= 3, f"{len(calls)} listings of the folder for {N} photos: {calls[:10]}"
    monkeypatch.undo()
    for i in range(N):
        props = xmp.read_properties((root / f"IMG_{i:04d}.JPG.xmp").read_bytes())
        assert props.get("Rating") == "-1", (i, props)
    assert xmp.read_properties((root / "IMG_0000.CR2.xmp").read_bytes()).get("Rating") == "-1"


class _CountedShape:
    """``darktable_copies._SHAPE`` (the name shape of a darktable duplicate's sidecar), its matches counted."""

    def __init__(self, real) -> None:
        self.real, self.calls = real, 0

    def match(self, name):
        self.calls += 1
        return self.real.match(name)


@pytest.mark.slow
@pytest.mark.parametrize("stem_names", [False, True])
def test_a_tag_run_looks_at_the_folders_names_once_not_once_per_sidecar_it_creates(tmp_path, monkeypatch,
                                                                                  stem_names):
    # Every sidecar tag creates for a camera-named photo has the shape of a darktable duplicate's sidecar
    # (IMG_0001.JPG.xmp: of a photo IMG.JPG) or of a duplicate's own name (--stem-names' IMG_0001.xmp: of the
    # sidecar IMG_0001.xmp.xmp): until 2026-12-06 each one had the folder's names looked at again for the next
    # photo, N x N name matches (4,000 photos in one folder: 12 s of a tag run, 1,000: 1.2 s).
    from blurscan.actions import darktable_copies

    root = _library(tmp_path)
    shape = _CountedShape(darktable_copies._SHAPE)
    monkeypatch.setattr(darktable_copies, "_SHAPE", shape)
    done = CliRunner().invoke(main, ["tag", "--xmp", "--discarded-only", str(root)] + ["--stem-names"] * stem_names)
    assert done.exit_code == 0, done.output
    assert shape.calls <= 10 * N, f"{shape.calls} name matches for {N} photos"
    monkeypatch.undo()
    made = sorted(e for e in os.listdir(root) if e.endswith(".xmp"))
    if stem_names:  # (IMG_0000.xmp covers IMG_0000.JPG and its RAW twin IMG_0000.CR2)
        assert made == [f"IMG_{i:04d}.xmp" for i in range(N)]
    else:
        assert made == ["IMG_0000.CR2.xmp"] + [f"IMG_{i:04d}.JPG.xmp" for i in range(N)]
    assert all(xmp.read_properties((root / e).read_bytes()).get("Rating") == "-1" for e in made)


def test_a_listing_told_of_new_files_finds_darktables_duplicates_as_a_new_listing_would(tmp_path):
    # what each photo's duplicates are, after files were made since the folder was listed, is what a listing of
    # the folder made now finds: duplicates' sidecars made (in name order, any case), a duplicate's own photo
    # made (its sidecar is then that photo's), other files
    from blurscan.actions.listing import Listing
    from test_darktable_copies import dt_sidecar

    (tmp_path / "IMG_1.JPG").write_bytes(b"x")
    (tmp_path / "IMG_1_03.JPG.xmp").write_bytes(dt_sidecar("IMG_1.JPG"))
    (tmp_path / "IMG_2.JPG").write_bytes(b"x")
    (tmp_path / "IMG_03.xmp.xmp").write_bytes(dt_sidecar(None))  # (a duplicate's sidecar of IMG.xmp: no photo)
    told = Listing()
    photos = ["IMG_1.JPG", "IMG_2.JPG", "IMG_1_01.JPG", "IMG_1_05.JPG", "IMG.JPG", "IMG.xmp"]
    assert told.copies.of(str(tmp_path), "IMG_1.JPG") == ["IMG_1_03.JPG.xmp"]
    for name in ["IMG_1_05.JPG.xmp", "IMG_1_01.JPG.xmp", "img_1_02.jpg.xmp", "IMG_2_01.JPG.xmp", "IMG_1.JPG.xmp",
                 "IMG_1_05.jpg", "IMG_2.JPG.xmp", "IMG_1_01_01.JPG.xmp", "notes.txt", "IMG_03.xmp",
                 "IMG_04.xmp.xmp"]:
        (tmp_path / name).write_bytes(dt_sidecar(None) if name.endswith(".xmp") else b"x")
        told.added(str(tmp_path / name))
        fresh = Listing()
        for photo in photos:
            assert told.copies.of(str(tmp_path), photo) == fresh.copies.of(str(tmp_path), photo), (name, photo)
    assert told.copies.of(str(tmp_path), "IMG_1.JPG") == ["IMG_1_01.JPG.xmp", "IMG_1_03.JPG.xmp"]
    assert told.copies.of(str(tmp_path), "IMG.xmp") == ["IMG_04.xmp.xmp"]
