"""Two photos whose names differ only in case (``IMG_1.JPG`` and ``IMG_1.jpg``, a case-sensitive file system),
each with its sidecar (``IMG_1.JPG.xmp``, ``IMG_1.jpg.xmp``): a move of one took both sidecars, the kept photo's
edits among them. Each photo's sidecar goes with it alone."""
from __future__ import annotations

import pytest

from blurscan.actions import plan_move
from blurscan.config import ScanSettings
from blurscan.pipeline import scan
from blurscan.store import Store
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide

XMP = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="{}"/>'
       '</rdf:RDF></x:xmpmeta>\n')


@pytest.mark.parametrize("sidecar_case", ["as the photo's", "upper"])
def test_a_sidecar_goes_with_the_photo_of_its_exact_name(tmp_path, sidecar_case):
    root = tmp_path / "lib"
    save_jpeg(root / "IMG_1.JPG", blurred(textured(1), 6))
    save_jpeg(root / "IMG_1.jpg", textured(2))
    if len({p.name for p in root.iterdir()}) < 2 or not (root / "IMG_1.jpg").exists():
        pytest.skip("a file system that does not tell names apart by case")
    suffix = ".xmp" if sidecar_case == "as the photo's" else ".XMP"
    for name in ("IMG_1.JPG", "IMG_1.jpg"):
        (root / (name + suffix)).write_text(XMP.format(name))
    db = tmp_path / "x.db"
    list(scan([root], ScanSettings(workers=1, model="none"), db=db))
    with Store(db) as store:
        decide(store, str(root / "IMG_1.JPG"), "discard")
        decide(store, str(root / "IMG_1.jpg"), "keep")
        plan = plan_move(store, tmp_path / "rejects")
    assert sorted(f.src for f in plan.files) == [str(root / "IMG_1.JPG"), str(root / ("IMG_1.JPG" + suffix))]


def test_tag_writes_the_sidecar_of_the_photo_of_its_exact_name(tmp_path):
    from click.testing import CliRunner

    from blurscan.cli import main

    root = tmp_path / "lib"
    save_jpeg(root / "IMG_1.JPG", blurred(textured(1), 6))
    save_jpeg(root / "IMG_1.jpg", textured(2))
    if not (root / "IMG_1.jpg").exists() or len(list(root.iterdir())) < 2:
        pytest.skip("a file system that does not tell names apart by case")
    for name in ("IMG_1.JPG", "IMG_1.jpg"):
        (root / (name + ".xmp")).write_text(XMP.format(name))
    kept_sidecar = (root / "IMG_1.jpg.xmp").read_bytes()
    db = root / ".blurscan.db"
    list(scan([root], ScanSettings(workers=1, model="none"), db=db))
    with Store(db) as store:
        decide(store, str(root / "IMG_1.JPG"), "discard")
        decide(store, str(root / "IMG_1.jpg"), "keep")
    out = CliRunner().invoke(main, ["tag", "--xmp", "--discarded-only", str(root)])
    assert out.exit_code == 0, out.output
    assert (root / "IMG_1.jpg.xmp").read_bytes() == kept_sidecar  # the kept photo's: untouched
    tagged = (root / "IMG_1.JPG.xmp").read_text()
    assert "Rating" in tagged and "-1" in tagged and 'CreatorTool="IMG_1.JPG"' in tagged  # its own, merged
