"""`blurscan train OUTER`, OUTER/data a data set laid out as the shared one (manifest.csv with a `set` column): it
is trained on as `blurscan train OUTER/data` trains on it. Until 2026-12-07 the walk of the plain folder took every
sharp row of it as a source, the real-evaluation sets' sharp photos (Levin's) among them, and used none of its
labelled real photos (no evaluation, no calibration): only a note that its blurred rows were not used, "train makes
its blurred training images itself". The data gathering itself (blurscan.model.collected.collect), on generated
photos; `make model`'s own (../shared/data given itself) is unchanged."""
from __future__ import annotations

from pathlib import Path

import pytest

from blurscan.errors import BlurscanError
from blurscan.model.own_rows import own_photos
from blurscan.model.train import collect
from blurscan.model.unused_rows import say_unused_rows
from helpers_images import blurred, save_jpeg, textured


def _shared_layout(folder: Path) -> Path:
    """kodak24 (sharp photos training blurs), levin2009 (real evaluation: sharp and blurred), multifocus."""
    rows = ["file,set,label,blur_type"]
    for set_, name, label, blur, i in [("kodak24", f"kodim{i:02d}", "sharp", "none", i) for i in range(1, 5)] + \
            [("levin2009", f"sharp/im{i}", "sharp", "none", 10 + i) for i in range(1, 3)] + \
            [("levin2009", f"blurred/im{i}_kernel1_img", "blurry", "motion", 10 + i) for i in range(1, 3)] + \
            [("multifocus", f"mf{i}", "blurry", "defocus", 20 + i) for i in range(1, 3)]:
        path = folder / set_ / f"{name}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        rgb = textured(i, size=(64, 96))
        save_jpeg(path, rgb if label == "sharp" else blurred(rgb, 3.0))
        rows.append(f"{set_}/{name}.jpg,{set_},{label},{blur}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n")
    return folder


def test_a_shared_layout_data_set_inside_a_plain_folder_is_used_as_when_given_itself(tmp_path):
    outer = tmp_path / "outer"
    data = _shared_layout(outer / "data")
    save_jpeg(outer / "holiday" / "beach.jpg", textured(40, size=(64, 96)))  # a plain photo beside it: a source
    given_sources, given_real = collect([data])
    sources, real = collect([outer])
    assert sorted(s.path.name for s in given_sources) == [f"kodim{i:02d}.jpg" for i in range(1, 5)]
    assert sorted(s.path for s in sources) == sorted([s.path for s in given_sources] + [outer / "holiday" / "beach.jpg"])
    assert not any(s.path.parent.name == "sharp" for s in sources)  # (Levin's sharp frames were sources: evaluated
    assert real == given_real and len(real) == 10   # on after training on them; real was empty)
    notes: list[str] = []
    say_unused_rows([outer], sources, real, own_photos([outer], sources), say=notes.append)
    assert notes == []  # (was: "4 of its 10 rows are not used: 4 labelled blurry. train makes its blurred ...")


def test_a_plain_folder_inside_a_shared_layout_and_one_of_ones_own_sets_are_as_before(tmp_path):
    """A folder of a shared-layout data set given (data/kodak24) takes its sharp rows, and a data set of one's own
    sets (no sets the shared one has) inside a plain folder keeps its rows as own photos."""
    data = _shared_layout(tmp_path / "data")
    sources, real = collect([data / "kodak24"])
    assert len(sources) == 4 and real == []
    outer = tmp_path / "mine"
    (outer / "photos").mkdir(parents=True)
    save_jpeg(outer / "photos" / "a.jpg", textured(1, size=(64, 96)))
    save_jpeg(outer / "photos" / "b.jpg", blurred(textured(2, size=(64, 96)), 3.0))
    (outer / "photos" / "manifest.csv").write_text("file,set,label,blur_type\na.jpg,trip,sharp,none\n"
                                                   "b.jpg,trip,blurry,motion\n")
    sources, real = collect([outer])
    assert [s.path.name for s in sources] == ["a.jpg"] and real == collect([outer / "photos"])[1]  # (as given)
    assert sorted(p.path.name for p in own_photos([outer], sources)) == ["a.jpg", "b.jpg"]


def test_a_data_set_given_twice_gives_its_real_entries_once(tmp_path):
    """`blurscan train OUTER OUTER/data` (and `train data data`): the sources were one each, but the data set's
    rows were taken twice, its calibration pairs weighed twice and the card's real evaluation counting each photo
    twice (`real evaluation: ... 8 images` of 4; reproduced with the CLI, 2026-12-07)."""
    outer = tmp_path / "outer"
    data = _shared_layout(outer / "data")
    given_sources, given_real = collect([data])
    for args in ([outer, data], [data, outer], [data, data]):
        sources, real = collect(args)
        assert real == given_real and len(real) == 10, args
        assert sorted(s.path for s in sources) == sorted(s.path for s in given_sources), args


def test_relative_paths_and_links_are_the_folders_they_name(tmp_path, monkeypatch):
    """`blurscan train outer` from the folder above it (a relative path), and the data set given once relatively and
    once by a link or absolutely: the same sources and real entries as `train /abs/outer/data`, each once."""
    outer = tmp_path / "outer"
    data = _shared_layout(outer / "data")
    (tmp_path / "link").symlink_to(data)
    given_sources, given_real = collect([data])
    monkeypatch.chdir(tmp_path)
    for args in (["outer"], ["outer", str(data)], ["outer/data", str(data)], ["outer", "link"], ["link", "outer/data"]):
        sources, real = collect(args)
        assert sorted(s.path.resolve() for s in sources) == sorted(s.path for s in given_sources), args
        assert sorted(e.path.resolve() for e in real) == sorted(e.path for e in given_real), args


def test_a_shared_layout_data_set_of_real_evaluation_photos_alone_has_no_photo_to_train_on(tmp_path):
    """Its Levin photos are evaluated on, none blurred for training: `no sharp photos to train on`, given itself
    or inside a plain folder (not a training run of no source)."""
    data = tmp_path / "outer" / "data"
    _shared_layout(data)
    rows = (data / "manifest.csv").read_text().splitlines()
    (data / "manifest.csv").write_text("\n".join(r for r in rows if ",levin2009," in r or r.startswith("file,")) + "\n")
    for given in (data, data.parent):
        with pytest.raises(BlurscanError, match=r": no sharp photos to train on$"):
            collect([given])


def test_a_data_set_inside_a_labelled_data_set_is_as_before(tmp_path):
    """A labelled data set of one's own (`file,label`) holding a shared-layout one in a sub-folder: its manifest
    says what is trained on, as before: its sharp rows, and none of the inner data set's rows (not its photos
    walked as sources, nor its real entries taken)."""
    mine = tmp_path / "mine"
    save_jpeg(mine / "a.jpg", textured(1, size=(64, 96)))
    save_jpeg(mine / "b.jpg", blurred(textured(2, size=(64, 96)), 3.0))
    (mine / "manifest.csv").write_text("file,label\na.jpg,sharp\nb.jpg,blurry\n")
    _shared_layout(mine / "data")
    for given in (mine, tmp_path):
        sources, real = collect([given])
        assert [s.path.name for s in sources] == ["a.jpg"] and real == [], given


def test_a_set_column_left_empty_is_ones_own_data_set(tmp_path):
    """A manifest of one's own with a `set` column left empty (as a spreadsheet writes it) is trained on as the same
    manifest without it: its sharp rows as sources, no real-evaluation entries (no set of the shared data)."""
    got = []
    for header, row in (("file,label", ""), ("file,set,label,blur_type", ",")):
        mine = tmp_path / header.replace(",", "_")
        save_jpeg(mine / "a.jpg", textured(1, size=(64, 96)))
        save_jpeg(mine / "b.jpg", blurred(textured(2, size=(64, 96)), 3.0))
        sharp, blurry = ("a.jpg,sharp", "b.jpg,blurry") if not row else ("a.jpg,,sharp,none", "b.jpg,,blurry,motion")
        (mine / "manifest.csv").write_text(f"{header}\n{sharp}\n{blurry}\n")
        sources, real = collect([mine])
        got.append(([s.path.name for s in sources], real))
    assert got[0] == got[1] == (["a.jpg"], [])
