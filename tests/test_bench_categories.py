"""``bench/categories.py`` draws its pictures from one seed, so its table is reproducible: the same seed draws the
same pictures (byte for byte once saved), another seed others. Checked on the cheap kinds, without a scan."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def categories():
    spec = importlib.util.spec_from_file_location("bench_categories", BENCH / "categories.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _draw(categories, seed):
    drawer = categories.Drawer(seed, [], [])
    return [np.asarray(f()) for f in (drawer.app_screen, drawer.chat, drawer.map_screen, drawer.pixel_art,
                                      drawer.gradient)]


@pytest.mark.slow
def test_the_same_seed_draws_the_same_pictures(categories):
    first, again, other = _draw(categories, 5), _draw(categories, 5), _draw(categories, 6)
    assert all(a.shape == b.shape and np.array_equal(a, b) for a, b in zip(first, again))
    assert not all(a.shape == b.shape and np.array_equal(a, b) for a, b in zip(first, other))
    assert first[0].shape[:2][::-1] in categories.PHONES


def test_without_the_shared_photos_the_photo_kinds_are_left_out(categories, tmp_path):
    names = categories.kinds(categories.Drawer(1, [], []))
    assert "app screenshot" in names and "power lines, clear sky" in names
    assert not [n for n in names if "meme" in n or "fog" in n or "underwater" in n]
    assert categories.shared_photos(tmp_path) == ([], [])
