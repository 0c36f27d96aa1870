"""`blurscan evaluate`'s blur-type figures on a researcher's manifest: the kinds written in their own words
("Motion Blur", "out-of-focus", a folder-per-class data set's ``defocused_blurred``) are judged as blurscan's own
names are, and the blurred rows of a kind not judged (the min-filter, a word not known) are counted and said, not
left out of the figures without a word (until 2026-12-06)."""
from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.evaluate import read_manifest
from helpers_images import blurred, save_jpeg, shaken, textured


def test_a_researchers_words_for_the_kinds_of_blur(tmp_path):
    words = {"Motion Blur": "motion", "motion_blurred": "motion", "camera shake": "motion",
             "Linear-Motion": "motion", "Gaussian blur": "defocus", "defocus_blur": "defocus",
             "defocused_blurred": "defocus", "out-of-focus": "defocus", "Out of focus": "defocus",
             "lens blur": "defocus", "minfilter": "", "min filter": "", "blur": "", "haze": ""}
    m = tmp_path / "m.csv"
    with open(m, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "label", "blur_type"])
        w.writerows([f"{i}.jpg", "blurry", word] for i, word in enumerate(words))
    assert {word: r.kind for word, r in zip(words, read_manifest(m))} == words


def test_kinds_not_judged_are_counted_and_said(tmp_path):
    """Four blurred photos: one labelled "Motion Blur" (judged as motion: until 2026-12-06 it was not, unsaid), one
    "Gaussian", and two whose kind blurscan does not judge (a min-filter, a word it does not know): the report and
    metrics.json count those two by kind."""
    rows = [("m.jpg", "Motion Blur", shaken(textured(seed=1), 25)), ("g.jpg", "Gaussian", blurred(textured(seed=2), 4)),
            ("f.jpg", "minfilter", blurred(textured(seed=3), 4)), ("h.jpg", "haze", blurred(textured(seed=4), 4)),
            ("s.jpg", "none", textured(seed=5))]
    for name, _kind, img in rows:
        save_jpeg(tmp_path / name, img)
    (tmp_path / "m.csv").write_text("file,label,blur_type\n" + "".join(
        f"{n},{'sharp' if k == 'none' else 'blurry'},{k}\n" for n, k, _ in rows))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    metrics = json.loads((out / "metrics.json").read_text())
    assert sorted(metrics["blur_type"]) == ["defocus", "motion"]
    assert metrics["blur_type"]["motion"]["n"] == 1 and metrics["blur_type"]["defocus"]["n"] == 1
    assert metrics["blur_type_not_judged"] == {"haze": 1, "minfilter": 1}
    text = " ".join(result.stdout.split())
    assert "not judged: 2 blurred images of a kind that is neither defocus nor motion, or not known " \
           "(haze 1, minfilter 1)" in text, result.stdout


def test_only_kinds_not_judged_are_still_said(tmp_path):
    """A manifest whose one blurred photo is of a kind blurscan does not judge (``haze``): no blur type is
    judged at all, and the report still says the photo was left out, in the singular. A sharp photo with a blur
    kind (a data set's weakest min-filter, labelled sharp) is no blurred image and is not counted."""
    save_jpeg(tmp_path / "h.jpg", blurred(textured(seed=4), 4))
    save_jpeg(tmp_path / "s.jpg", textured(seed=5))
    save_jpeg(tmp_path / "w.jpg", textured(seed=6))
    (tmp_path / "m.csv").write_text("file,label,blur_type\nh.jpg,blurry,haze\ns.jpg,sharp,none\n"
                                    "w.jpg,sharp,minfilter\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "m.csv"), "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["blur_type_not_judged"] == {"haze": 1} and not metrics.get("blur_type")
    text = " ".join(result.stdout.split())
    assert "not judged: 1 blurred image of a kind that is neither defocus nor motion, or not known (haze 1)" \
        in text, result.stdout
