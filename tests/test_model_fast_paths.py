"""The inference's shortcuts around the network give exactly what the straightforward computation gives: the
scan's cache key does not change with them, so every figure (p_blurry, verdict, blur type, grid) must stay the
same bit for bit. Each test compares a fast path with the plain NumPy way on generated images."""
from __future__ import annotations

import numpy as np
import pytest

from blurscan import borders
from blurscan.model import aggregate, runtime
from blurscan.model.spec import extract_patches


@pytest.fixture(scope="module")
def clf():
    return runtime.load("default")


def _photo(rng, h, w):
    """Smooth structure plus noise: textured, with lines of every standard deviation from 0 to ~60."""
    import cv2

    coarse = rng.integers(0, 256, (max(h // 32, 2), max(w // 32, 2)), dtype=np.uint8)
    img = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC).astype(np.int16)
    return np.clip(img + rng.normal(0, rng.uniform(0, 12), (h, w)), 0, 255).astype(np.uint8)


def _bordered(rng, img):
    """``img`` with flat borders of 0-6 lines on each side (some with a little noise, std about 1-3)."""
    out = img.copy()
    h, w = out.shape
    for side in range(4):
        depth = int(rng.integers(0, min(7, min(h, w) // 2 + 1)))
        if depth == 0:
            continue
        level = int(rng.choice([0, 16, 128, 255]))
        noise = rng.normal(0, rng.choice([0.0, 1.5, 2.0, 3.0]), (depth, w if side < 2 else h))
        bar = np.clip(level + noise, 0, 255).astype(np.uint8)
        if side == 0:
            out[:depth] = bar
        elif side == 1:
            out[h - depth:] = bar[::-1]
        elif side == 2:
            out[:, :depth] = bar.T
        else:
            out[:, w - depth:] = bar.T[:, ::-1]
    return out


def _near_threshold_line(rng, n):
    """A line whose standard deviation lies near :data:`~blurscan.borders.BORDER_STD` (two or three levels)."""
    base = int(rng.integers(10, 240))
    step = int(rng.choice([3, 4, 5]))
    share = rng.uniform(0.05, 0.5)
    return np.where(rng.random(n) < share, base + step, base).astype(np.uint8)


def test_surely_not_flat_only_where_numpys_float32_std_agrees():
    """Where the exact-integer test says "not flat", NumPy's float32 figure (what the border loop compares with
    BORDER_STD) is above it too; and the test does answer for lines just above the threshold."""
    rng = np.random.default_rng(0)
    said = 0
    for n in list(range(1, 70)) + [255, 256, 768, 1000, 1024, 4099, 65536]:
        for _ in range(30 if n < 2000 else 4):
            line = _near_threshold_line(rng, n)
            if borders._surely_not_flat(line):
                said += 1
                assert np.asarray(line[None], np.float32).std(axis=1)[0] > borders.BORDER_STD
            column = np.ascontiguousarray(np.stack([line, line[::-1]], axis=1))[:, 0]  # a strided column
            assert borders._surely_not_flat(column) == borders._surely_not_flat(line)
    assert said > 100
    # exactly at the threshold (two levels 4 apart, half each: std 2.0 exactly) the loop decides, not the test
    assert not borders._surely_not_flat(np.tile(np.array([126, 130], np.uint8), 512))
    assert borders._surely_not_flat(np.tile(np.array([125, 130], np.uint8), 512))
    assert not borders._surely_not_flat(np.tile(np.array([125, 130], np.uint8), 512).astype(np.float32))


def test_content_box_same_with_and_without_the_quick_test(monkeypatch):
    rng = np.random.default_rng(1)
    images = []
    for h, w in [(768, 1024), (1024, 683), (200, 300), (70, 64), (5, 9), (4, 4)]:
        for _ in range(12):
            img = _photo(rng, h, w)
            images.append(img)
            images.append(_bordered(rng, img))
            edged = img.copy()
            edged[0] = _near_threshold_line(rng, w)  # an outermost row near the flatness threshold
            edged[:, -1] = _near_threshold_line(rng, h)
            images.append(edged)
    fast = [(borders.content_box(img), borders.content_box(img, min_side=64)) for img in images]
    calls = []
    monkeypatch.setattr(borders, "_surely_not_flat", lambda line: calls.append(1) and False)
    slow = [(borders.content_box(img), borders.content_box(img, min_side=64)) for img in images]
    assert calls and fast == slow
    assert sum(box != (0, img.shape[0], 0, img.shape[1]) for img, (box, _) in zip(images, fast)) > 30


def test_anisotropy_same_as_selecting_then_converting():
    """Every window textured (no selection copy) or some (selected): the same float32 vectors, the same ratio."""
    rng = np.random.default_rng(3)

    def straightforward(windows, textured):
        w = np.asarray(windows)
        w = (w[:, 0] if w.ndim == 4 else w)[np.asarray(textured, bool)].astype(np.int16)
        if len(w) == 0:
            return 1.0
        gx = (w[:, 1:-1, 2:] - w[:, 1:-1, :-2]).astype(np.float32).ravel()
        gy = (w[:, 2:, 1:-1] - w[:, :-2, 1:-1]).astype(np.float32).ravel()
        # (summed as the runtime sums them on every CPU: aggregate.dot32, test_determinism_cpu.py)
        a, b, c = aggregate.dot32(gx, gx), aggregate.dot32(gy, gy), aggregate.dot32(gx, gy)
        half = (a + b) / 2
        disc = float(np.sqrt(max(half * half - (a * b - c * c), 0.0)))
        return (half - disc) / max(half + disc, 1e-9)

    for _ in range(6):
        windows = extract_patches(_photo(rng, 768, 1024), 64, 10)[0]
        colour_view = np.repeat(windows, 3, axis=1)[:, 1:2]  # not contiguous
        for textured in (np.ones(len(windows), bool), rng.random(len(windows)) < 0.7, np.zeros(len(windows), bool)):
            for w in (windows, windows[:, 0], colour_view):
                assert aggregate.anisotropy(w, textured) == straightforward(w, textured)


def test_predict_same_as_the_straightforward_way(clf, monkeypatch):
    """The whole prediction (with the network input captured: the windows times the scale, in float32) equals
    the one with every shortcut replaced by the plain computation, on photos with and without borders."""
    rng = np.random.default_rng(4)
    images = []
    for h, w in [(768, 1024), (683, 1024), (1024, 768), (300, 450), (60, 90)]:
        img = _photo(rng, h, w)
        images += [img, _bordered(rng, img), np.full((h, w), 40, np.uint8)]
    seen = []
    real = clf._session

    class Watch:
        def run(self, names, feed):
            seen.append(next(iter(feed.values())))
            return real.run(names, feed)

    monkeypatch.setattr(clf, "_session", Watch())
    fast = [clf.predict_gray(img) for img in images]
    fed = list(seen)
    with monkeypatch.context() as m:
        m.setattr(borders, "_surely_not_flat", lambda line: False)
        seen.clear()
        slow = [clf.predict_gray(img) for img in images]
    assert [vars(o) for o in fast] == [vars(o) for o in slow]
    assert all(a.tobytes() == b.tobytes() for a, b in zip(fed, seen))
    # the network input is what the straightforward conversion gives
    from blurscan.model.spec import coarse_image

    img = images[0]
    windows = np.concatenate([extract_patches(img, clf.spec.patch, clf.spec.max_grid)[0],
                              extract_patches(coarse_image(img), clf.spec.patch, 8)[0]])
    want = windows.astype(np.float32) * np.float32(clf.spec.input_scale)
    assert np.concatenate(fed[:-(-len(windows) // runtime.WINDOWS_PER_CALL)]).tobytes() == want.tobytes()


def test_extract_patches_of_a_cropped_view_is_the_crop_copys():
    """The content box hands the grid a view into the photo (rows longer than the crop): same windows."""
    img = _photo(np.random.default_rng(5), 500, 700)
    view = img[13:487, 21:650]
    a, shape_a = extract_patches(view, 64, 10)
    b, shape_b = extract_patches(np.ascontiguousarray(view), 64, 10)
    assert shape_a == shape_b and a.flags.c_contiguous and np.array_equal(a, b)
