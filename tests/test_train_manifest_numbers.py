"""A labelled data set's manifest whose ``width`` / ``height`` are not whole numbers (``12px``), or are whole
numbers as a spreadsheet may save them (``3000.0``), is read as any other: those columns only describe the images.
Until 2026-12-05 such a value stopped ``blurscan train`` with a traceback (``ValueError: invalid literal for
int()``)."""
from __future__ import annotations

from blurscan.datasets import read_manifest
from blurscan.model.train import collect
from helpers_images import save_jpeg, textured


def test_widths_that_are_not_whole_numbers_do_not_stop_train(tmp_path):
    folder = tmp_path / "data"
    rows = ["file,set,label,blur_type,width,height"]
    for i, (width, height) in enumerate([("128px", "96px"), ("128.0", "96.0"), ("", "")]):
        save_jpeg(folder / "kodak24" / f"k{i}.jpg", textured(i, size=(96, 128)))
        rows.append(f"kodak24/k{i}.jpg,kodak24,sharp,none,{width},{height}")
    save_jpeg(folder / "levin2009" / "l0.jpg", textured(9, size=(96, 128)))
    rows.append("levin2009/l0.jpg,levin2009,sharp,none,128,96")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n")

    assert [(e.width, e.height) for e in read_manifest(folder)] == [(0, 0), (128, 96), (0, 0), (128, 96)]
    sources, real = collect([folder])
    # the real evaluation set's photo is still kept out of training: the manifest was read as a data set's
    assert sorted(s.path.name for s in sources) == ["k0.jpg", "k1.jpg", "k2.jpg"] and len(real) == 4
