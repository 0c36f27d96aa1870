"""Splits keep one picture on one side: the super-resolution sets' copies of a picture at another scale or
resolution, and the photos one set copied from another (Set5's from Set14), take the split of the picture."""
from __future__ import annotations

from pathlib import Path

import cv2

from blurscan.model.train import collect
from blurscan.synth.sources import group_key, split_of

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_scale_and_resolution_copies_of_a_picture_are_one_group():
    """SelfExSR names each scale factor's copy of a picture, and its low-resolution twin, apart: until 2026-12-05
    each drew its own split, so ``img_001_SRF_3_HR`` could be trained on while ``img_001_SRF_2_HR`` was tested."""
    for top in ("data/bsd100", "bsd100"):  # the data set's folder given, or the set's own
        names = [f"{top}/image_SRF_{k}/img_001_SRF_{k}_{res}.png" for k in (2, 3, 4) for res in ("HR", "LR")]
        assert len({group_key(n) for n in names}) == 1
        assert all(len({split_of(n, seed) for n in names}) == 1 for seed in range(5))
    # the shared data's own names keep the group, and so the split, the shipped model was trained with
    assert group_key("data/bsd100/image_SRF_2/img_001_SRF_2_HR.jpg") == "data/bsd100/img_001_srf_2_hr"
    assert group_key("data/sunhays80/image_SRF_8/img_001_SRF_8_HR.jpg") == "data/sunhays80/img_001_srf_8_hr"
    assert group_key("data/sunhays80/image_SRF_8/img_001_SRF_8_LR.jpg") == "data/sunhays80/img_001_srf_8_hr"
    # other pictures, and the same number in another set, stay apart
    assert group_key("data/bsd100/image_SRF_3/img_002_SRF_3_HR.png") != group_key("data/bsd100/img_001_SRF_2_HR.png")
    assert group_key("data/urban100/image_SRF_2/img_001_SRF_2_HR.png") != \
        group_key("data/bsd100/image_SRF_2/img_001_SRF_2_HR.png")


def test_set5_copies_of_set14_photos_take_their_split():
    """Set5's butterfly is a crop of Set14's monarch, Set5's head is Set14's face: with seed 0 they were test
    photos whose originals were in train and val (until 2026-12-05)."""
    for five, fourteen in (("img_003_SRF_2_HR.png", "img_011_SRF_2_HR.jpg"),
                           ("img_004_SRF_2_HR.png", "img_006_SRF_2_HR.png")):
        for top, scale in (("data/set5", 2), ("set5", 4)):  # (Set5 at scale 4 is still the Set14 photo)
            a = f"{top}/image_SRF_{scale}/{five.replace('SRF_2', f'SRF_{scale}')}"
            b = f"{top.replace('set5', 'set14')}/image_SRF_2/{fourteen}"
            assert group_key(a) == group_key(b)
            assert all(split_of(a, seed) == split_of(b, seed) for seed in range(5))
    assert group_key("data/set5/image_SRF_2/img_001_SRF_2_HR.jpg") == "data/set5/img_001_srf_2_hr"


def _contains(big, small) -> bool:
    """Whether the picture ``small`` (its border of 4 px left out: a copy may be cropped a little) is found in
    ``big`` at the same scale (grey levels, both halved)."""
    a, b = (cv2.resize(cv2.imread(str(p), cv2.IMREAD_GRAYSCALE), None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
            for p in (big, small))
    b = b[4:-4, 4:-4]
    if b.shape[0] > a.shape[0] or b.shape[1] > a.shape[1]:
        return False
    return float(cv2.matchTemplate(a, b, cv2.TM_CCOEFF_NORMED).max()) > 0.95


def test_no_set5_picture_is_on_another_side_than_its_set14_original(shared_data):
    """Each Set5 photo found in a Set14 photo (matched by its pixels, at the same scale) is in that photo's split,
    as ``blurscan train ../shared/data`` splits them (seed 0)."""
    sources, _ = collect([shared_data])
    by_set = {name: [s for s in sources if s.key.split("/")[1] == name] for name in ("set5", "set14")}
    found = 0
    for five in by_set["set5"]:
        for fourteen in by_set["set14"]:
            if _contains(fourteen.path, five.path) or _contains(five.path, fourteen.path):
                found += 1
                assert split_of(five.split_key, 0) == split_of(fourteen.split_key, 0), (five.key, fourteen.key)
    assert found == 2  # the butterfly in the monarch, the face in the head


def test_bench_test_sources_are_the_shipped_models_test_split(shared_data, tmp_path, monkeypatch):
    """The bench's synthetic test photos are exactly the test split of ``blurscan train ../shared/data`` (the shipped
    model's), none of them in its train or val, also when ``$BLURSCAN_SHARED_DATA`` names the data by another
    folder name (until 2026-12-05 that name keyed the splits: most "test" photos had been trained on)."""
    import importlib.util

    from blurscan import datasets

    spec = importlib.util.spec_from_file_location("bench_accuracy_sets", BENCH / "accuracy_sets.py")
    sets = importlib.util.module_from_spec(spec)
    monkeypatch.syspath_prepend(str(BENCH))
    spec.loader.exec_module(sets)
    named = tmp_path / "shared" / "data"  # keyed data/..., as `make model` (../shared/data) keys them
    named.parent.mkdir()
    named.symlink_to(shared_data.resolve(), target_is_directory=True)
    sources, _ = collect([named])
    split = {s.key: split_of(s.split_key, 0) for s in sources}
    test = {k for k, v in split.items() if v == "test"}
    other = tmp_path / "blurdata"
    other.symlink_to(shared_data.resolve(), target_is_directory=True)
    for folder in (shared_data, other):
        monkeypatch.setenv("BLURSCAN_SHARED_DATA", str(folder))
        got = {s.key for s in sets._synth_sources(datasets.read_manifest(folder))}
        assert got == test and len(test) >= 30
