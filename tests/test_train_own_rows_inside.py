"""`blurscan train photos/trip`, a DATA folder inside a labelled data set (photos/manifest.csv labels the files under
trip/): its blurred rows are the person's own labelled photos as those of `blurscan train photos` are. Train takes
the folder's sharp rows from the parent's manifest (blurscan.synth.sources), but until 2026-12-07 its own photos
were read from the DATA folder's own manifest alone: the blurred rows under trip/ were said not to be used, and its
sharp ones did not fit the image rule as real photos."""
from __future__ import annotations

from pathlib import Path

from blurscan.model.own_rows import own_photos
from blurscan.model.train import collect
from blurscan.model.unused_rows import unused_rows_note
from helpers_images import blurred, save_jpeg, textured


def _photos(folder: Path) -> Path:
    """photos/manifest.csv labelling 8 sharp and 4 blurred photos under trip/, and 2 of each under home/."""
    (folder / "trip").mkdir(parents=True)
    (folder / "home").mkdir()
    rows = ["file,set,label,blur_type"]
    for where, sharp, blurry in (("trip", 8, 4), ("home", 2, 2)):
        for i in range(sharp):
            save_jpeg(folder / where / f"beach{i:02d}.jpg", textured(i, size=(64, 96)))
            rows.append(f"{where}/beach{i:02d}.jpg,{where},sharp,none")
        for i in range(blurry):
            save_jpeg(folder / where / f"hill{i:02d}.jpg", blurred(textured(40 + i, size=(64, 96)), 3.0))
            rows.append(f"{where}/hill{i:02d}.jpg,{where},blurry,motion")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n")
    return folder


def test_a_folder_inside_a_labelled_data_set_has_its_own_photos_as_the_data_set_has_them(tmp_path):
    photos = _photos(tmp_path / "photos")
    trip = photos / "trip"
    sources, real = collect([trip])
    own = own_photos([trip], sources)
    whole = [p for p in own_photos([photos], collect([photos])[0]) if p.path.parent.name == "trip"]
    assert sorted((p.path.name, p.label) for p in own) == sorted(
        [(f"beach{i:02d}.jpg", 0) for i in range(8)] + [(f"hill{i:02d}.jpg", 1) for i in range(4)])
    assert own == whole  # (the same keys, so the same splits, as when the data set is given)
    assert unused_rows_note(trip, sources, real, own) is None  # (was: "4 ... in photos/trip are not used: 4 labelled
    #                                                            blurry")
    assert own_photos([photos / "home", trip], collect([photos / "home", trip])[0]) == sorted(
        own_photos([photos], collect([photos])[0]), key=lambda p: p.key)


def test_a_folder_inside_the_shared_layout_takes_none_of_its_sets_rows(tmp_path):
    """A folder of the shared data set's sets (levin2009 inside a data set laid out as the shared one) gives no
    photo of one's own: those rows keep their roles."""
    photos = tmp_path / "data"
    (photos / "levin2009").mkdir(parents=True)
    save_jpeg(photos / "levin2009" / "a.jpg", textured(1, size=(64, 96)))
    save_jpeg(photos / "levin2009" / "b.jpg", blurred(textured(2, size=(64, 96)), 3.0))
    (photos / "manifest.csv").write_text("file,set,label,blur_type\nlevin2009/a.jpg,levin2009,sharp,none\n"
                                         "levin2009/b.jpg,levin2009,blurry,motion\n")
    inside = photos / "levin2009"
    assert own_photos([inside], collect([inside])[0]) == []


def test_a_labelled_data_set_inside_a_plain_folder_has_its_own_photos_as_when_given_itself(tmp_path):
    """`blurscan train OUTER`, OUTER/photos/manifest.csv labelling photos of one's own: the walk took the sharp rows
    as sources, but the blurred ones were unused without a word (no note, not counted as one's own photos), where
    `blurscan train OUTER/photos` used them all. The same photos in the same roles now, keyed as the walk keys its
    sources (OUTER/photos/...), and a note for the rows neither uses (a partly focused one)."""
    from blurscan.model.unused_rows import say_unused_rows

    outer = tmp_path / "outer"
    photos = _photos(outer / "photos")
    save_jpeg(photos / "trip" / "dof.jpg", textured(90, size=(64, 96)))
    with open(photos / "manifest.csv", "a") as fh:
        fh.write("trip/dof.jpg,trip,partial,none\n")
    whole_sources, whole_real = collect([photos])
    whole = own_photos([photos], whole_sources)
    sources, real = collect([outer])
    own = own_photos([outer], sources)
    assert len(whole) == 16 and sum(p.label for p in whole) == 6
    assert sorted((p.path, p.label, p.blur_type) for p in own) == sorted((p.path, p.label, p.blur_type) for p in whole)
    keys = {s.path: s.split_key for s in sources}
    for p in own:  # (keyed as the walk keys the folder's photos, so split as a source of it would be)
        assert p.key == f"outer/photos/{p.path.relative_to(photos).as_posix()}"
        assert keys.get(p.path, p.key) == p.key
    notes: list[str] = []
    say_unused_rows([outer], sources, real, own, say=notes.append)
    said: list[str] = []
    say_unused_rows([photos], whole_sources, whole_real, whole, say=said.append)
    assert len(notes) == len(said) == 1, notes  # (the partial row alone, as when the data set is given)
    assert notes[0].split(". train ")[0] == said[0].split(". train ")[0]
    assert "1 of its 17 rows is not used: 1 partly in focus" in notes[0], notes[0]
    both: list[str] = []
    say_unused_rows([outer, photos], *collect([outer, photos]), own_photos([outer, photos], collect([outer, photos])[0]),
                    say=both.append)
    assert len(both) == 1  # (one note a data set, given inside a folder also given)
