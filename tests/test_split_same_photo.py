"""Splits keep one picture on one side: the super-resolution sets' copies of a picture at another scale or
resolution take the split of the picture; the bench's synthetic test photos are the shipped model's test split."""
from __future__ import annotations

from pathlib import Path

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
