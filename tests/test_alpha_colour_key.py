"""A PNG whose transparency is a colour key (a ``tRNS`` chunk on a grey, 16-bit grey or RGB picture: what PNG
optimisers such as oxipng and optipng make of an RGBA picture whose alpha is only 0 and 255) is judged as its RGBA
original, composited on white. Until 2026-12-05 the keyed pixels were read as their stored colour (black here):
a cut-out scored ``sharp`` as RGBA and ``partial`` once optimised, with a third of its ``laplacian_var``."""
from __future__ import annotations

import numpy as np
from PIL import Image

from helpers_cli import jsonl, run
from helpers_images import blurred, textured


def _cut_out(size=224):
    """A blurred textured disc on a transparent background: ``(rgb, alpha)``, no black pixel inside the disc (so
    that black can be the colour key)."""
    yy, xx = np.mgrid[:size, :size]
    alpha = ((((yy - size // 2) ** 2 + (xx - size // 2) ** 2) < (size * 2 // 5) ** 2) * 255).astype(np.uint8)
    rgb = np.maximum(blurred(textured(0, (size, size)), 1.5), 1)
    rgb[alpha == 0] = 0
    return rgb, alpha


def test_a_colour_keyed_png_scores_as_its_rgba_original(tmp_path):
    rgb, alpha = _cut_out()
    gray = np.asarray(Image.fromarray(rgb).convert("L")).copy()
    gray[(alpha == 255) & (gray == 0)] = 1
    Image.fromarray(np.dstack([rgb, alpha])).save(tmp_path / "rgba.png")
    Image.fromarray(rgb).save(tmp_path / "rgb_key.png", transparency=(0, 0, 0))
    Image.fromarray(np.dstack([gray, alpha]), "LA").save(tmp_path / "la.png")
    Image.fromarray(gray).save(tmp_path / "l_key.png", transparency=0)
    Image.fromarray(gray.astype(np.uint16) * 257).save(tmp_path / "l16_key.png", transparency=0)
    with Image.open(tmp_path / "l16_key.png") as im:
        assert im.mode == "I;16"  # (the 16-bit path is the one tested)
    result = run("scan", tmp_path, "--db", tmp_path / "x.db", "--workers", "1", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    got = {r["path"].rsplit("/", 1)[-1]: r for r in jsonl(result.stdout)}
    assert all(r["status"] == "ok" for r in got.values()), got
    for keyed, original in (("rgb_key.png", "rgba.png"), ("l_key.png", "la.png"), ("l16_key.png", "la.png")):
        assert got[keyed]["laplacian_var"] == got[original]["laplacian_var"], keyed
        assert got[keyed]["p_blurry"] == got[original]["p_blurry"], keyed
        assert got[keyed]["verdict"] == got[original]["verdict"], keyed
