"""The tile grid of blurscan.tiles on generated images: how many tiles, that each tile's figures are those of its own
pixels (at odd sizes too), and that texture and sharpness are judged per direction. Added 2026-12-05 after mutation
testing of blurscan.tiles (its use by the classical measures is in test_measures.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from blurscan import tiles


@pytest.mark.parametrize(("shape", "grid"), [((700, 1000), (5, 8)), ((333, 517), (3, 4)), ((60, 1000), (1, 8)),
                                             ((1023, 767), (8, 6))])
def test_the_grid_has_round_h_by_round_w_tiles(shape, grid):
    gray = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    assert tiles.tile_grid(gray).shape == grid


def _stds(filtered: np.ndarray, ys: np.ndarray, xs: np.ndarray) -> np.ndarray:
    return np.array([[filtered[ys[i]:ys[i + 1], xs[j]:xs[j + 1]].std() for j in range(len(xs) - 1)]
                     for i in range(len(ys) - 1)])


def test_each_tiles_figures_are_those_of_its_own_pixels_at_odd_sizes():
    """The integral-image figures equal a plain standard deviation over each tile, the tiles splitting the image
    evenly without a gap or an overlap (an odd-sized image, small tiles: every row and column counts)."""
    rng = np.random.default_rng(1)
    h, w = 203, 331
    smooth = cv2.GaussianBlur(rng.normal(0, 150, (h, w)), (0, 0), 2)
    gray = np.clip(128 + smooth + rng.normal(0, 6, (h, w)) * (np.arange(w) / w), 0, 255).astype(np.uint8)
    grid = tiles.tile_grid(gray, tile_px=20)
    rows, cols = round(h / 20), round(w / 20)
    assert grid.shape == (rows, cols)
    ys = np.linspace(0, h, rows + 1).round().astype(int)
    xs = np.linspace(0, w, cols + 1).round().astype(int)
    assert ys[-1] == h and xs[-1] == w and (np.diff(ys) > 0).all() and (np.diff(xs) > 0).all()

    def along(kernel, axis):
        img = gray if axis == 1 else np.ascontiguousarray(gray.T)
        out = cv2.sepFilter2D(img, cv2.CV_32F, kernel, np.ones((1, 1), np.float32))
        return out if axis == 1 else out.T

    coarse = [_stds(along(tiles._DOG_COARSE, a), ys, xs) for a in (1, 0)]
    band = [_stds(along(tiles._DOG, a), ys, xs) for a in (1, 0)]
    high = [_stds(along(tiles._D2, a), ys, xs) for a in (1, 0)]
    assert np.allclose(grid.texture, np.maximum(*coarse), rtol=1e-4, atol=1e-4)
    ratio = np.minimum(*[np.where(c >= tiles.TEXTURE_MIN / 2, hi / b, np.inf) for c, hi, b in zip(coarse, high, band)])
    assert grid.textured.any()
    assert np.allclose(grid.ratio[grid.textured], ratio[grid.textured], rtol=1e-4)


def test_a_flat_image_has_no_texture():
    grid = tiles.tile_grid(np.full((300, 400), 77, np.uint8))
    assert np.isfinite(grid.texture).all() and grid.texture.max() < 1e-3
    assert not grid.textured.any() and not grid.sharp.any() and np.isnan(grid.ratio).all()


def _stripes(band: int = 10, shape=(300, 400)) -> np.ndarray:
    """Horizontal stripes: structure along y only."""
    yy = np.arange(shape[0])[:, None]
    return np.tile((128 + 60 * ((yy // band) % 2 * 2 - 1)).astype(np.uint8), (1, shape[1]))


def test_stripes_are_judged_across_them_only():
    """Horizontal stripes have no structure along x: they are textured by their y figure alone, sharp when their
    edges are, and not sharp once blurred across (along y)."""
    stripes = _stripes()
    grid = tiles.tile_grid(stripes)
    assert grid.textured.all() and grid.sharp.all()
    soft = tiles.tile_grid(cv2.GaussianBlur(stripes, (0, 0), 2.5))
    assert soft.textured.all() and not soft.sharp.any()
    # the same holds turned a quarter: vertical stripes
    assert tiles.tile_grid(np.ascontiguousarray(stripes.T)).sharp.all()
    assert not tiles.tile_grid(np.ascontiguousarray(cv2.GaussianBlur(stripes, (0, 0), 2.5).T)).sharp.any()
