"""blurscan.intervals: the bootstrap intervals of balanced accuracy (by cluster, stratified, seeded; differences
resampled jointly) and the Wilson interval of a rate, on generated data with known answers."""
from __future__ import annotations

import math

import numpy as np
import pytest

from blurscan.intervals import balanced_accuracy_intervals, span, wilson


def _classifier(n=40, wrong_blurry=3, wrong_sharp=2):
    """``n`` blurry then ``n`` sharp images; the first ``wrong_blurry`` blurry and ``wrong_sharp`` sharp missed."""
    y = np.r_[np.ones(n, bool), np.zeros(n, bool)]
    calls = y.copy()
    calls[:wrong_blurry] = False
    calls[n:n + wrong_sharp] = True
    return y, calls


def _by_formula(k, n, z=1.959963984540054):
    """The Wilson score interval as the textbooks write it: (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    p = k / n
    root = z * math.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2))
    return ((p + z ** 2 / (2 * n) - root) / (1 + z ** 2 / n), (p + z ** 2 / (2 * n) + root) / (1 + z ** 2 / n))


def test_a_perfect_classifier_has_the_interval_100_to_100():
    y, _ = _classifier()
    got = balanced_accuracy_intervals(y, {"perfect": y, "always blurry": np.ones_like(y)})
    assert got["perfect"] == (1.0, 1.0)
    assert got["always blurry"] == (0.5, 0.5)  # every resample keeps both classes: recall 1 and 0


def test_the_interval_holds_the_figure_and_the_seed_makes_it_reproducible():
    y, calls = _classifier()
    point = ((40 - 3) / 40 + (40 - 2) / 40) / 2
    a = balanced_accuracy_intervals(y, {"d": calls}, seed=3)["d"]
    assert a[0] < point < a[1] < 1.0
    assert balanced_accuracy_intervals(y, {"d": calls}, seed=3)["d"] == a
    assert balanced_accuracy_intervals(y, {"d": calls}, seed=4)["d"] != a


def test_duplicated_photos_do_not_narrow_the_interval_when_clustered():
    """Each photo written 5 times (as the synthetic set writes several versions of one source): resampled as
    images, the copies count as independent evidence and the interval shrinks; resampled by photo it is the
    interval of the photos themselves."""
    y, calls = _classifier()
    ids = np.arange(y.size)
    once = balanced_accuracy_intervals(y, {"d": calls})["d"]
    y5, calls5, ids5 = np.repeat(y, 5), np.repeat(calls, 5), np.repeat(ids, 5)
    by_image = balanced_accuracy_intervals(y5, {"d": calls5})["d"]
    by_photo = balanced_accuracy_intervals(y5, {"d": calls5}, [f"photo{i}" for i in ids5])["d"]
    assert by_photo[1] - by_photo[0] > 1.5 * (by_image[1] - by_image[0])
    assert by_photo == pytest.approx(once, abs=0.02)


def test_clusters_holding_both_classes_are_drawn_whole_and_every_resample_keeps_both_classes():
    """One source per cluster: a sharp and a blurred version. Every draw has both classes (no nan bound); with
    one cluster only, every resample is the data itself."""
    y = np.array([0, 1] * 6, bool)
    calls = np.array([0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1], bool)
    got = balanced_accuracy_intervals(y, {"d": calls}, [i // 2 for i in range(12)], resamples=300)["d"]
    assert all(np.isfinite(got)) and 0 <= got[0] <= got[1] <= 1
    single = balanced_accuracy_intervals(y[2:4], {"d": calls[2:4]}, ["one", "one"])["d"]
    assert single == (0.5, 0.5)


def test_a_set_without_both_classes_has_no_balanced_accuracy_interval():
    assert balanced_accuracy_intervals(np.ones(5, bool), {"d": np.ones(5, bool)}) == {}


def test_the_difference_is_resampled_jointly():
    """Two detectors that differ on one image only: drawn jointly, the difference is never below 0 and at most
    what a few draws of that image weigh; drawn apart, two intervals this wide overlap and say nothing."""
    y, a = _classifier(wrong_blurry=6, wrong_sharp=6)
    b = a.copy()
    b[50] = True  # b also calls one more sharp image blurry
    got = balanced_accuracy_intervals(y, {"a": a, "b": b}, reference="b")
    assert got["a - b"][0] >= 0 and 0 < got["a - b"][1] <= 4 * 0.5 / 40
    assert got["a"][0] < got["b"][1]  # the separate intervals overlap
    got_ref = balanced_accuracy_intervals(y, {"a": a, "b": b}, reference="a")
    assert got_ref["b - a"] == pytest.approx((-got["a - b"][1], -got["a - b"][0]))


def test_mismatched_lengths_are_refused():
    y, calls = _classifier()
    with pytest.raises(ValueError, match="one value per image"):
        balanced_accuracy_intervals(y, {"d": calls}, ["x"] * 3)


@pytest.mark.parametrize("k,n,published", [
    # R. G. Newcombe, Statistics in Medicine 17 (1998), table I, method 3 (score interval without correction)
    (81, 263, (0.2553, 0.3662)), (15, 148, (0.0624, 0.1605)), (0, 20, (0.0, 0.1611)), (1, 29, (0.0061, 0.1718))])
def test_wilson_matches_the_formula_and_the_published_worked_examples(k, n, published):
    got = wilson(k, n)
    assert got == pytest.approx(_by_formula(k, n), abs=1e-12)
    assert got == pytest.approx(published, abs=5e-5)


def test_wilson_of_one_in_88_and_of_nothing():
    assert wilson(1, 88) == pytest.approx(_by_formula(1, 88))
    assert 0 < wilson(1, 88)[0] < 1 / 88 < wilson(1, 88)[1] < 0.07
    assert all(math.isnan(v) for v in wilson(0, 0))


def test_span_writes_percent_and_signed_points():
    assert span((0.898, 0.9812)) == "89.8-98.1"
    assert span((0.2012, 0.4833), signed=True) == "+20.1 to +48.3"
    assert span(None) == "–" and span((math.nan, 1.0)) == "–"


def test_one_blurry_image_among_twenty_is_in_every_resample():
    """Each image its own cluster, one blurry among twenty sharp: drawn apart by class, every resample holds that
    image (a draw of all the images left it out of about a third of them: a recall of 0 / 0, a nan bound)."""
    y = np.r_[True, np.zeros(20, bool)]
    calls = y.copy()
    calls[1] = True  # one sharp image called blurry: a sharp recall of 19/20 on the whole set
    lo, hi = balanced_accuracy_intervals(y, {"d": calls})["d"]
    assert np.isfinite([lo, hi]).all() and 0.5 < lo <= hi == 1.0


def test_each_class_is_drawn_as_many_times_as_it_has_images_each_draw_counted():
    """Three blurry images, one missed, each its own cluster; the sharp ones all right. The blurry recall of a
    resample is Binomial(3, 2/3) / 3: 0 with chance 1/27 (3.7 %), 1/3 with 6/27. The 90 % interval's lower end
    (the 5th percentile) is then a recall of 1/3 (balanced accuracy 2/3), and its upper end 1."""
    y = np.r_[np.ones(3, bool), np.zeros(30, bool)]
    calls = y.copy()
    calls[0] = False
    lo, hi = balanced_accuracy_intervals(y, {"d": calls}, resamples=4000, level=0.90)["d"]
    assert lo == pytest.approx((1 / 3 + 1) / 2) and hi == 1.0


def test_the_reference_gives_one_difference_for_each_other_detector():
    y, a = _classifier()
    got = balanced_accuracy_intervals(y, {"a": a, "b": ~a, "c": a}, reference="b", resamples=200)
    assert sorted(got) == ["a", "a - b", "b", "c", "c - b"]


def test_a_rates_interval_stays_within_0_and_1():
    """All or none of n (the multi-focus rate's 0 or 20 of 20): the bounds are 0 and 1, never a hair past them
    as the formula's rounding gives (1.0000000000000002 for 16 of 16, -7e-18 for 0 of 27)."""
    for n in range(1, 200):
        (lo, _), (_, hi) = wilson(0, n), wilson(n, n)
        assert 0.0 <= lo < 1e-12 and 1 - 1e-12 < hi <= 1.0, n


def test_none_or_all_of_n_give_exactly_0_and_1():
    """The formula's rounding gave 2.8e-17 for 0 of 7 and 0.9999999999999999 for 10 of 10: a "0.0-..." interval
    written as a hair above 0, a perfect rate's upper bound as not quite 1."""
    for n in range(1, 300):
        assert wilson(0, n)[0] == 0.0 and wilson(n, n)[1] == 1.0, n


@pytest.mark.parametrize("calls", [[True], [[True] * 80], True])
def test_a_detectors_calls_of_another_length_are_refused_not_broadcast(calls):
    """One call (or a row of 80 in a 1 x 80 table) was compared with every image's class by numpy's broadcasting:
    a detector given one value got an interval as if it had called every image alike."""
    y, good = _classifier()
    with pytest.raises(ValueError, match=r"'d' has (1|80) calls for 80 images"):
        balanced_accuracy_intervals(y, {"ok": good, "d": calls})


def test_wilson_bounds_of_one_short_of_none_or_all_are_not_0_or_1():
    # only none or all of n has a bound of exactly 0 or 1: one off either end keeps the formula's bound
    low, high = wilson(9, 10)
    assert 0.5 < low < 0.6 and 0.98 < high < 1.0
    low, high = wilson(1, 10)
    assert 0.0 < low < 0.02 and 0.4 < high < 0.5
