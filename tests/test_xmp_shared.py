"""``NAME.xmp`` beside two images of that name (``IMG_8.JPG`` and ``IMG_8.HEIC``) is the sidecar of both, as a
move treats it (it stays while the other image stays). ``blurscan tag`` merged its rejected rating into it when
it tagged the JPEG alone: the kept HEIC's 5 stars became "rejected" (and with a sharp, unreviewed HEIC, or with
``--stem-names`` and no sidecar yet, the same). Now, while the other image is not tagged by the same run, the
photo is tagged in its own ``NAME.EXT.xmp``, ``NAME.xmp`` is left as it is and the output says why; when both
are tagged, they share ``NAME.xmp`` as before (``test_xmp_undo.py``). Real JPEG and HEIC files, scanned."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import xmp
from blurscan.cli import main
from blurscan.config import ScanSettings
from blurscan.pipeline import scan
from blurscan.store import Store
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide, snapshot

#: The kept photo's Lightroom-style sidecar: 5 stars, a Green label.
STARRED = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="5" '
           b'xmp:Label="Green"/></rdf:RDF></x:xmpmeta>\n')


def _pair(tmp_path, *, sidecar: bool = True, raw: bool = False) -> tuple[Path, Path]:
    """``lib/IMG_8.JPG`` (blurry) and ``lib/IMG_8.HEIC`` (sharp, a real HEIC), with ``IMG_8.xmp`` (5 stars)
    and an ``IMG_8.CR2`` when asked; scanned. Returns the library and its database."""
    pillow_heif = pytest.importorskip("pillow_heif")
    from PIL import Image

    pillow_heif.register_heif_opener()
    root = tmp_path / "lib"
    save_jpeg(root / "IMG_8.JPG", blurred(textured(8, (240, 320)), 6))
    Image.fromarray(textured(9, (240, 320))).save(root / "IMG_8.HEIC")
    if sidecar:
        (root / "IMG_8.xmp").write_bytes(STARRED)
    if raw:
        (root / "IMG_8.CR2").write_bytes(os.urandom(5000))
    db = root / ".blurscan.db"
    records = {Path(r.path).name: r.verdict for r in scan([root], ScanSettings(workers=1, model="none"), db=db)}
    assert records == {"IMG_8.JPG": "blurry", "IMG_8.HEIC": "sharp"}, records
    return root, db


def test_tag_leaves_the_name_xmp_of_a_kept_photo_and_tags_the_photos_own_sidecar(tmp_path):
    root, db = _pair(tmp_path)
    with Store(db) as store:
        decide(store, str(root / "IMG_8.JPG"), "discard")
        decide(store, str(root / "IMG_8.HEIC"), "keep")
    runner = CliRunner()
    before = snapshot(root)
    dry = runner.invoke(main, ["tag", "--xmp", "--discarded-only", "--dry-run", str(root)])
    assert dry.exit_code == 0, dry.output
    assert "would write IMG_8.JPG.xmp  (rating -1: rejected, label Red)" in dry.output
    assert ("would leave alone IMG_8.xmp: it is the sidecar of IMG_8.HEIC too, which is not tagged; IMG_8.JPG is "
            "tagged in IMG_8.JPG.xmp instead") in dry.output
    assert snapshot(root) == before

    out = runner.invoke(main, ["tag", "--xmp", "--discarded-only", str(root)])
    assert out.exit_code == 0, out.output
    assert (root / "IMG_8.xmp").read_bytes() == STARRED  # the kept HEIC's 5 stars and label, untouched
    assert os.stat(root / "IMG_8.xmp").st_mtime_ns == before[str(root / "IMG_8.xmp")][1]
    assert xmp.read_properties((root / "IMG_8.JPG.xmp").read_bytes()) == {"Rating": "-1", "Label": "Red"}
    assert "left alone IMG_8.xmp: it is the sidecar of IMG_8.HEIC too" in out.output
    assert "(0 sidecars merged, 1 created) as batch 1" in out.output
    assert runner.invoke(main, ["undo", str(root)]).exit_code == 0
    assert snapshot(root) == before


@pytest.mark.parametrize("stem_names", [False, True])
def test_a_sharp_unreviewed_image_of_the_name_keeps_its_name_xmp_too(tmp_path, stem_names):
    """The HEIC is sharp and not reviewed: it is never tagged, so IMG_8.xmp is left to it; with --stem-names
    and no IMG_8.xmp yet, none is created (it would be the HEIC's too): the JPEG's own IMG_8.JPG.xmp is."""
    root, db = _pair(tmp_path, sidecar=not stem_names)
    args = ["tag", "--xmp", *(["--stem-names"] * stem_names), str(root)]
    out = CliRunner().invoke(main, args)  # every blurry photo: the JPEG, label only
    assert out.exit_code == 0, out.output
    assert "wrote IMG_8.JPG.xmp  (rating unchanged, label Red)" in out.output
    if stem_names:
        assert not (root / "IMG_8.xmp").exists()
        assert ("did not create IMG_8.xmp: it would be the sidecar of IMG_8.HEIC too, which is not tagged; "
                "IMG_8.JPG is tagged in IMG_8.JPG.xmp instead") in out.output
    else:
        assert (root / "IMG_8.xmp").read_bytes() == STARRED
    assert xmp.read_properties((root / "IMG_8.JPG.xmp").read_bytes()) == {"Label": "Red"}
    assert sorted(p.name for p in root.glob("*.xmp")) == ["IMG_8.JPG.xmp"] + ([] if stem_names else ["IMG_8.xmp"])


def test_the_raw_of_the_name_stays_with_the_image_not_tagged_as_a_move_leaves_it(tmp_path):
    """IMG_8.CR2 beside IMG_8.JPG and IMG_8.HEIC: a move of the JPEG leaves the RAW with the kept HEIC, and tag
    no longer gives it the JPEG's rejection (IMG_8.CR2.xmp was created); both discarded, both are tagged in the
    shared IMG_8.xmp, as before."""
    from blurscan.actions import plan_move

    root, db = _pair(tmp_path, raw=True)
    with Store(db) as store:
        decide(store, str(root / "IMG_8.JPG"), "discard")
        decide(store, str(root / "IMG_8.HEIC"), "keep")
        assert [Path(f.src).name for f in plan_move(store, tmp_path / "rejects").files] == ["IMG_8.JPG"]
        result = xmp.tag_photos(store, all_flagged=False)
        assert [Path(t.sidecar).name for t in result.written] == ["IMG_8.JPG.xmp"]
        assert result.shared == [(str(root / "IMG_8.xmp"), "it is the sidecar of IMG_8.HEIC too, which is not "
                                  "tagged; IMG_8.JPG is tagged in IMG_8.JPG.xmp instead")]
        assert not (root / "IMG_8.CR2.xmp").exists() and (root / "IMG_8.xmp").read_bytes() == STARRED

        decide(store, str(root / "IMG_8.HEIC"), "discard")  # both taken: the shared files are theirs
        both = xmp.tag_photos(store, all_flagged=False)
        assert both.shared == [] and both.failed == []
        assert {(Path(t.photo).name, Path(t.sidecar).name) for t in both.written} == {
            ("IMG_8.JPG", "IMG_8.JPG.xmp"), ("IMG_8.JPG", "IMG_8.xmp"), ("IMG_8.HEIC", "IMG_8.xmp")}
        assert xmp.read_properties((root / "IMG_8.xmp").read_bytes()) == {"Rating": "-1", "Label": "Green"}


def test_the_dry_run_sees_the_name_xmp_an_earlier_photo_would_write(tmp_path):
    """IMG_8.JPG and IMG_8.PNG, both blurry, share IMG_8.xmp (--stem-names): tag writes it for the first and finds
    it tagged already for the second. The dry run said 'would write IMG_8.xmp' twice (it read the folder as it is,
    without the sidecar the first photo would create); it says what the run does now."""
    from helpers_images import save_png

    root = tmp_path / "lib"
    save_jpeg(root / "IMG_8.JPG", blurred(textured(8, (240, 320)), 6))
    save_png(root / "IMG_8.PNG", blurred(textured(9, (240, 320)), 6))
    records = {Path(r.path).name: r.verdict for r in scan([root], ScanSettings(workers=1, model="none"),
                                                          db=root / ".blurscan.db")}
    assert records == {"IMG_8.JPG": "blurry", "IMG_8.PNG": "blurry"}, records
    runner = CliRunner()
    before = snapshot(root)
    args = ["tag", "--xmp", "--all-blurry", "--stem-names", str(root)]
    dry = runner.invoke(main, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert snapshot(root) == before
    out = runner.invoke(main, args)
    assert out.exit_code == 0, out.output
    real = [line for line in out.output.splitlines() if "IMG_8.xmp" in line]
    assert real == ["wrote IMG_8.xmp  (rating unchanged, label Red)",
                    "unchanged IMG_8.xmp  (already tagged: rating unchanged, label Red)"], out.output
    assert [line for line in dry.output.splitlines() if "IMG_8.xmp" in line] == \
        [real[0].replace("wrote", "would write"), real[1]], dry.output
