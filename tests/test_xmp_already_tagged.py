"""A sidecar that already says what ``blurscan tag --xmp`` would write is left as it is: not rewritten, not
journaled, its bytes and modification time unchanged, however another program formatted it.

It was rewritten (ElementTree's formatting of the same tags) with a new modification time, and journaled;
undo put the bytes back but not the time, and darktable, Lightroom and digiKam, which watch sidecar times,
could take it for an outside change (a prompt, a re-import)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import xmp
from helpers_library import decide
from test_xmp import DARKTABLE, LIGHTROOM, _lightroom_alone

#: darktable's sidecar of a photo rejected and red-labelled already, keywords and history kept (darktable puts
#: each attribute on a line of its own, which ElementTree would write on one line).
DARKTABLE_TAGGED = DARKTABLE.replace(b'xmp:Rating="4"', b'xmp:Rating="-1"\n   xmp:Label="Red"')

#: Lightroom's form of the same: an xpacket, the two properties as elements in the second description.
LIGHTROOM_TAGGED = LIGHTROOM.replace(b"<xmp:Rating>2<", b"<xmp:Rating>-1<").replace(b">Green<", b">Red<")

OLD_NS = 1_600_000_000_123_456_789  # 2020-09-13: any write would change it


def _state(path) -> tuple[bytes, int]:
    return Path(path).read_bytes(), os.stat(path).st_mtime_ns


def _already_tagged_library(lib):
    """IMG_1 (discard) whose JPEG and RAW sidecars hold rating -1 and label Red already, in darktable's and
    Lightroom's formats; IMG_5 (blurry, not reviewed: label only) whose Lightroom sidecar has the person's
    Green label, which tag keeps; IMG_4 without a sidecar. Every existing sidecar dated OLD_NS."""
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    decide(store, f["IMG_2"], "keep")
    Path(f["IMG_1.JPG.xmp"]).write_bytes(DARKTABLE_TAGGED)
    Path(f["IMG_1.CR2.xmp"]).write_bytes(LIGHTROOM_TAGGED)
    Path(f["IMG_5.xmp"]).write_bytes(LIGHTROOM)
    _lightroom_alone(f)
    sidecars = [f["IMG_1.JPG.xmp"], f["IMG_1.CR2.xmp"], f["IMG_5.xmp"]]
    for p in sidecars:
        os.utime(p, ns=(OLD_NS, OLD_NS))
    store.close()
    return root, f, sidecars


def test_cli_tag_leaves_an_already_tagged_sidecar_byte_for_byte_with_its_time(lib, monkeypatch):
    monkeypatch.chdir(lib[0])
    from blurscan.cli import main

    root, f, sidecars = _already_tagged_library(lib)
    before = {p: _state(p) for p in sidecars}
    runner = CliRunner()
    out = runner.invoke(main, ["tag", "--xmp", "--discarded-only", "--yes", str(root)])
    assert out.exit_code == 0, out.output
    assert {p: _state(p) for p in sidecars} == before
    lines = out.output.splitlines()
    assert "unchanged a/IMG_1.JPG.xmp  (already tagged: rating -1: rejected, label Red)" in lines
    assert "unchanged a/IMG_1.CR2.xmp  (already tagged: rating -1: rejected, label Red)" in lines
    assert lines[-1] == "tagged 1 photo; no sidecar needed a change, so there is nothing to undo."
    assert "No batches." in runner.invoke(main, ["undo", "--list", str(root)]).output  # nothing journaled
    assert not list(root.glob(".blurscan.db.tag-backups/*/*"))

    # with every blurry photo: IMG_4's sidecar is created (a batch of one row); IMG_5's, holding the
    # person's Green label, which tag keeps, and no rating to set, is left as it is too
    out = runner.invoke(main, ["tag", "--xmp", "--yes", str(root)])
    assert out.exit_code == 0, out.output
    assert "unchanged b/IMG_5.xmp  (already tagged: rating 2, label Green)" in out.output.splitlines()
    assert "(0 sidecars merged, 1 created) as batch 1; undo with `blurscan undo --batch 1`." in out.output
    assert {p: _state(p) for p in sidecars} == before
    assert "tag  done: 1 written, 0 failed, 0 undone of 1 sidecar" in \
        runner.invoke(main, ["undo", "--list", str(root)]).output
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0 and "removed 1 sidecar tag had created" in out.output, out.output
    assert not os.path.exists(f["IMG_4"] + ".xmp")
    assert {p: _state(p) for p in sidecars} == before


def test_merge_returns_the_sidecar_itself_when_it_holds_the_tags_already():
    assert xmp.merge(DARKTABLE_TAGGED, rating=-1, label="Red") is DARKTABLE_TAGGED
    assert xmp.merge(LIGHTROOM_TAGGED, rating=-1, label="Red") is LIGHTROOM_TAGGED
    # a label of the person's own is kept, so only the rating counts
    assert xmp.merge(LIGHTROOM_TAGGED, rating=-1, label="Blue") is LIGHTROOM_TAGGED
    assert xmp.merge(LIGHTROOM, rating=None, label="Red") is LIGHTROOM
    with_bom = b"\xef\xbb\xbf" + DARKTABLE_TAGGED
    assert xmp.merge(with_bom, rating=-1, label="Red") is with_bom


@pytest.mark.parametrize("sidecar, rating, label, replace_label", [
    (DARKTABLE, -1, "Red", False),                   # rating 4, no label
    (DARKTABLE_TAGGED, 3, "Red", False),             # another rating
    (DARKTABLE_TAGGED, -1, "Purple", True),          # --replace-label with another label
    (LIGHTROOM_TAGGED, -1, "Purple", True),          # the same, in element form
    # the rating twice, the second time another value: one value is left
    (DARKTABLE_TAGGED.replace(b"<dc:subject>", b"<xmp:Rating>3</xmp:Rating><dc:subject>"), -1, "Red", False),
    (LIGHTROOM_TAGGED.replace(b"<xmp:Rating>-1</xmp:Rating>",
                              b"<xmp:Rating><rdf:Alt><rdf:li>-1</rdf:li></rdf:Alt></xmp:Rating>"),
     -1, "Red", False),  # not a simple value
])
def test_merge_still_writes_when_a_tag_differs(sidecar, rating, label, replace_label):
    merged = xmp.merge(sidecar, rating=rating, label=label, replace_label=replace_label)
    assert merged != sidecar
    props = xmp.read_properties(merged)
    assert props["Rating"] == str(rating) and (props["Label"] == label or not replace_label)
