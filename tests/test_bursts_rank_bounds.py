"""Ranking a burst at its margins: a model difference just over its margin, a classical one just under its own,
a tie broken by the raw figures or by the earlier shot, a classical measure where lower is sharper, and a
larger shot scaled to the analysis size beside a smaller one measured at its own (found by mutation testing,
2026-12-05: each of these could change and no test failed)."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from blurscan import bursts
from blurscan.records import ScanRecord
from helpers_images import T0, record, scene


def _shot(name, seconds, *, sharpness=None, grid=None, size=(4000, 3000), scores=None, **kw) -> ScanRecord:
    return ScanRecord(path=f"/p/{name}.jpg", grid=grid, width=size[0], height=size[1],
                      scores=scores if scores is not None else {"laplacian_var_norm": sharpness},
                      captured_at=(T0 + dt.timedelta(seconds=seconds)).isoformat(), **kw)


def test_a_model_difference_just_over_its_margin_decides_before_the_classical_figure():
    # subject p_blurry 0.10 vs 0.20 (over the 0.05 margin): the model decides, though the classical figure
    # prefers the other shot clearly
    ranked = bursts.rank_group([_shot("a", 0, sharpness=300.0, grid=[[0.20]]),
                                _shot("b", 1, sharpness=200.0, grid=[[0.10]])])
    assert ranked[0].path == "/p/b.jpg"
    assert ranked[1].reason == "b.jpg is better: subject p_blurry 0.10 vs 0.20"


def test_a_classical_difference_under_its_margin_leaves_the_decision_to_resolution():
    # 100 vs 90.5: 9.5 % of the larger figure, under the 10 % margin, though over 10 % of the smaller; the shot
    # with clearly more pixels (both scaled to the analysis size) is kept
    ranked = bursts.rank_group([_shot("a", 0, sharpness=100.0, size=(4000, 3000)),
                                _shot("b", 1, sharpness=90.5, size=(4400, 3300))])
    assert ranked[0].path == "/p/b.jpg"
    assert ranked[1].reason == "b.jpg is better: as sharp, more pixels: 4400x3300 vs 4000x3000"


def test_of_shots_about_as_sharp_the_sharper_figure_wins_not_the_earlier_shot():
    ranked = bursts.rank_group([_shot("a", 0, sharpness=100.0), _shot("b", 1, sharpness=105.0)])
    assert ranked[0].path == "/p/b.jpg"
    assert ranked[1].reason == "b.jpg is better: about as sharp: laplacian_var_norm 105 vs 100"


def test_of_shots_as_sharp_and_as_large_the_earlier_is_kept_whatever_the_names(tmp_path):
    # real shots of one picture, scored alike: the earlier shot is kept, though its name sorts last
    img = scene(74)
    shots = []
    for name, seconds in (("b_later", 2), ("c_earliest", 0), ("a_last", 4)):
        rec = record(img, name, seconds)
        rec.path = str(tmp_path / f"{name}.jpg")
        Path(rec.path).write_bytes(b"")
        shots.append(rec)
    members = bursts.rank_group(shots)
    assert [os.path.basename(m.path) for m in members] == ["c_earliest.jpg", "b_later.jpg", "a_last.jpg"]
    assert members[0].reason == "as sharp and as large; the earlier shot is kept"


def test_a_classical_measure_where_lower_is_sharper_is_read_that_way():
    # records that hold only Crete-Roffet's blur effect (0 sharp, 1 blurred), as some scans stored
    ranked = bursts.rank_group([_shot("a", 0, scores={"blur_effect": 0.6}), _shot("b", 1, scores={"blur_effect": 0.2})])
    assert ranked[0].path == "/p/b.jpg" and ranked[0].figures["sharpness_measure"] == "blur_effect"
    assert ranked[1].reason == "b.jpg is better: blur_effect 0.2 vs 0.6"


def test_a_larger_shot_scaled_to_the_analysis_size_is_not_compared_with_a_smaller_one_at_its_own():
    # 1090x818 (scaled to 1024 px) beside 1000x750 (measured at its own size): long sides within 10 %, but the
    # smaller's blur was measured on more of its pixels; the larger is kept, not the smaller's higher figure
    ranked = bursts.rank_group([_shot("small", 0, sharpness=400.0, size=(1000, 750)),
                                _shot("large", 1, sharpness=300.0, size=(1090, 818))])
    assert ranked[0].path == "/p/large.jpg"
    assert "more pixels: 1090x818 vs 1000x750 (sharpness not comparable" in ranked[1].reason


def test_a_region_map_missing_for_one_shot_leaves_the_whole_photo_p_blurry_to_decide():
    # one shot without a region map (scanned without one): the subject figure is not comparable across the
    # group, the whole-photo p_blurry of every shot is
    ranked = bursts.rank_group([_shot("a", 0, sharpness=100.0, grid=[[0.10]], p_blurry=0.6),
                                _shot("b", 1, sharpness=100.0, p_blurry=0.3)])
    assert ranked[0].path == "/p/b.jpg" and ranked[1].reason == "b.jpg is better: p_blurry 0.30 vs 0.60"


def test_shots_with_different_classical_measures_are_compared_on_one_they_all_have():
    # one record holds the Laplacian variance at the analysis size, the other only the Tenengrad: the two are
    # not comparable, the full-resolution Laplacian variance of two shots of one size is
    ranked = bursts.rank_group([_shot("a", 0, scores={"laplacian_var_norm": 100.0}, laplacian_var=200.0),
                                _shot("b", 1, scores={"tenengrad": 5000.0}, laplacian_var=100.0)])
    assert ranked[0].path == "/p/a.jpg" and ranked[0].figures["sharpness_measure"] == "laplacian_var"


def test_a_figure_that_is_not_a_number_is_passed_over_and_an_empty_list_of_edits_is_no_edit():
    nan = float("nan")
    group = [_shot("a", 0, scores={"laplacian_var_norm": nan, "tenengrad": 900.0}),
             _shot("b", 1, scores={"laplacian_var_norm": nan, "tenengrad": 300.0})]
    ranked = bursts.rank_group(group, edits={"/p/b.jpg": []})
    assert [m.path for m in ranked] == ["/p/a.jpg", "/p/b.jpg"]
    assert ranked[0].figures["sharpness_measure"] == "tenengrad"
    assert not ranked[1].is_keeper
