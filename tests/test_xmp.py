"""XMP sidecars and what ``blurscan tag --xmp`` writes in them: parsing and merging (every other element,
attribute, prefix and comment kept, the element form replaced, idempotent, any label round trips, non-XMP
refused), then which sidecars a tag run writes or merges (the RAW twin's too, Lightroom's NAME.xmp,
``--stem-names``, the dry run), the photos never touched.

The tag batch's undo, its journal, failures and lock are in ``test_xmp_undo.py``, sidecars that are symbolic
links in ``test_xmp_symlinks.py``; both import the sample sidecars and ``_tag_library`` from here."""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from blurscan.actions import xmp, xmp_document
from blurscan.errors import ActionError
from helpers_library import decide, sha, snapshot

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
XMP = "{http://ns.adobe.com/xap/1.0/}"

#: A sidecar as darktable writes it (trimmed): attributes, nested sequences, another tool's namespace.
DARKTABLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:darktable="http://darktable.sf.net/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
   xmp:Rating="4"
   xmpMM:DerivedFrom="IMG_1.JPG"
   darktable:xmp_version="5"
   darktable:auto_presets_applied="1">
   <!-- edited with darktable 4.6 -->
   <darktable:history>
    <rdf:Seq>
     <rdf:li darktable:operation="exposure" darktable:enabled="1" darktable:params="0000000000"/>
    </rdf:Seq>
   </darktable:history>
   <dc:subject>
    <rdf:Bag><rdf:li>holiday</rdf:li><rdf:li>beach</rdf:li></rdf:Bag>
   </dc:subject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""

#: darktable's sidecar of the RAW twin IMG_1.CR2 (darktable keeps a RAW's edits in NAME.RAW.xmp).
DARKTABLE_RAW = DARKTABLE.replace(b"IMG_1.JPG", b"IMG_1.CR2").replace(b"holiday", b"raw edit")

#: Lightroom-style: xpacket wrapper, properties as elements, two descriptions.
LIGHTROOM = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/">
   <crs:Exposure2012>+0.35</crs:Exposure2012>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:Rating>2</xmp:Rating>
   <xmp:Label>Green</xmp:Label>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode()

#: The same without a label: tag gives it one (with its label, an unreviewed photo's sidecar says all it would).
LIGHTROOM_UNLABELLED = LIGHTROOM.replace(b"   <xmp:Label>Green</xmp:Label>\n", b"")


def _lightroom_alone(f) -> None:
    """Takes the fixture's IMG_5.heic (sharp, never tagged) away, so that IMG_5.xmp is IMG_5.jpg's sidecar alone
    and a tag run merges it: beside the HEIC it is that photo's too, and left to it (test_xmp_shared.py)."""
    os.unlink(f["IMG_5h"])


# the samples in the ``lib`` fixture's library, ready for a tag run (test_xmp_undo.py, test_xmp_symlinks.py)
def _tag_library(lib, *, heic: bool = False):
    """IMG_1 (discard; a RAW + JPEG pair) with darktable sidecars for the JPEG and the RAW, IMG_5 with a
    Lightroom one without a label (group-readable only), IMG_4 with none, IMG_2 kept: one tag run merges three
    sidecars and creates one. IMG_5.heic is taken away (:func:`_lightroom_alone`) unless ``heic``."""
    root, store, f = lib
    if not heic:
        _lightroom_alone(f)
    decide(store, f["IMG_1"], "discard")
    decide(store, f["IMG_2"], "keep")
    Path(f["IMG_1.JPG.xmp"]).write_bytes(DARKTABLE)
    Path(f["IMG_1.CR2.xmp"]).write_bytes(DARKTABLE_RAW)
    Path(f["IMG_5.xmp"]).write_bytes(LIGHTROOM_UNLABELLED)
    os.chmod(f["IMG_5.xmp"], 0o640)
    return root, store, f


def _items(root: ET.Element) -> list:
    """Every (tag, attributes, text) of a tree, except the two properties blurscan writes."""
    out = []
    for el in root.iter():
        if el.tag in (f"{XMP}Rating", f"{XMP}Label"):
            continue
        attrs = {k: v for k, v in el.attrib.items() if k not in (f"{XMP}Rating", f"{XMP}Label")}
        out.append((el.tag, sorted(attrs.items()), (el.text or "").strip()))
    return out


def _parse(data: bytes) -> ET.Element:
    return ET.fromstring(xmp_document._strip_outside(data.decode("utf-8-sig")))


def test_new_sidecar_is_valid_xmp_with_rating_and_label():
    data = xmp.merge(None, rating=-1, label="Red")
    root = _parse(data)
    assert root.tag == "{adobe:ns:meta/}xmpmeta"
    [desc] = root.iter(f"{RDF}Description")
    assert desc.get(f"{XMP}Rating") == "-1" and desc.get(f"{XMP}Label") == "Red"
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert b"xmlns:xmp=" in data and b"ns0" not in data


def test_merge_keeps_every_other_element_attribute_prefix_and_comment():
    merged = xmp.merge(DARKTABLE, rating=-1, label="Red")
    assert _items(_parse(merged)) == _items(_parse(DARKTABLE))
    assert xmp.read_properties(merged) == {"Rating": "-1", "Label": "Red"}
    text = merged.decode()
    for prefix in ("xmpMM:DerivedFrom", "darktable:history", "dc:subject", "x:xmptk"):
        assert prefix in text  # the document's own prefixes, not ns0/ns1
    assert "<!-- edited with darktable 4.6 -->" in text
    assert text.count("Rating") == 1


def test_merge_keeps_a_usual_prefix_the_sidecar_binds_to_another_namespace():
    """A sidecar whose ``xmp:`` (or ``x:``) prefix names another namespace: that prefix stays its own, XMP's basic
    namespace getting another one (until 2026-12-05 the sidecar's own became ``ns0``)."""
    other = DARKTABLE.replace(b'xmlns:xmp="http://ns.adobe.com/xap/1.0/"', b'xmlns:xmp="http://example.com/mine/"')
    other = other.replace(b'xmlns:x="adobe:ns:meta/"', b'xmlns:x="http://example.com/meta/"')
    merged = xmp.merge(other, rating=-1, label="Red")
    text = merged.decode()
    assert 'xmlns:xmp="http://example.com/mine/"' in text and 'xmp:Rating="4"' in text
    assert 'xmlns:x="http://example.com/meta/"' in text and "<x:xmpmeta" in text and "ns0" not in text
    assert 'xmlns:xmp1="http://ns.adobe.com/xap/1.0/"' in text and 'xmp1:Rating="-1"' in text
    assert _items(_parse(merged)) == _items(_parse(other))
    assert xmp.read_properties(merged) == {"Rating": "-1", "Label": "Red"}


def test_merge_element_form_replaced_not_duplicated_and_label_kept():
    merged = xmp.merge(LIGHTROOM, rating=-1, label="Red")
    assert xmp.read_properties(merged) == {"Rating": "-1", "Label": "Green"}  # the person's label stays
    assert merged.decode().count("Rating") == 1
    assert "crs:Exposure2012" in merged.decode() and "+0.35" in merged.decode()
    assert "<?xpacket begin=" in merged.decode() and '<?xpacket end="w"?>' in merged.decode()
    replaced = xmp.merge(LIGHTROOM, rating=None, label="Red", replace_label=True)
    assert xmp.read_properties(replaced) == {"Rating": "2", "Label": "Red"}
    assert _items(_parse(replaced)) == _items(_parse(LIGHTROOM))


def test_merge_is_idempotent():
    once = xmp.merge(DARKTABLE, rating=-1, label="Red")
    assert xmp.merge(once, rating=-1, label="Red") == once


@pytest.mark.parametrize("bad", [b"not xml at all <", b"<?xml version='1.0'?><html><body/></html>"])
def test_non_xmp_sidecar_is_refused(bad):
    with pytest.raises(ActionError, match="left untouched"):
        xmp.merge(bad, rating=-1, label="Red", source="IMG_1.JPG.xmp")


# every character XML 1.0 can hold: no surrogates, no control characters, not the noncharacters U+FFFE/U+FFFF
# (which check_label refuses, see test_label_with_control_characters_refused)
_xml_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
                    min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(label=_xml_text, old_label=_xml_text, rating=st.integers(-1, 5))
def test_any_label_round_trips_and_the_rest_is_kept(label, old_label, rating):
    base = xmp.merge(DARKTABLE, rating=None, label=old_label, replace_label=True)
    merged = xmp.merge(base, rating=rating, label=label, replace_label=True)
    assert xmp.read_properties(merged) == {"Rating": str(rating), "Label": label}
    assert _items(_parse(merged)) == _items(_parse(DARKTABLE))
    kept = xmp.merge(base, rating=rating, label=label)
    # the person's label stays (a blank one counts as none)
    assert xmp.read_properties(kept)["Label"] == (old_label if old_label.strip() else label)


def test_label_with_control_characters_refused():
    from blurscan.errors import UsageError

    for bad in ("Red\x00", "Red\ufffe", "\uffff"):
        with pytest.raises(UsageError, match="cannot hold"):
            xmp.merge(None, rating=None, label=bad)


# -- what a tag run writes ------------------------------------------------------------------------------------

def test_tag_photos_writes_merges_and_never_touches_photos(lib):
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    decide(store, f["IMG_2"], "keep")
    Path(f["IMG_1.JPG.xmp"]).write_bytes(DARKTABLE)
    Path(f["IMG_1.CR2.xmp"]).write_bytes(DARKTABLE_RAW)
    Path(f["IMG_5.xmp"]).write_bytes(LIGHTROOM)  # Lightroom-style NAME.xmp
    _lightroom_alone(f)
    photos = [f[k] for k in ("IMG_1", "IMG_2", "IMG_3", "IMG_4", "IMG_5")]
    before = {p: (sha(p), os.stat(p).st_mtime_ns) for p in photos}
    result = xmp.tag_photos(store)
    assert result.failed == []
    by_photo = {t.photo: t for t in reversed(result.written)}  # each photo's first sidecar
    # discard -> rejected + label; unreviewed blurry -> label only; kept and sharp photos untouched
    assert set(by_photo) == {f["IMG_1"], f["IMG_4"], f["IMG_5"]}
    assert (by_photo[f["IMG_1"]].sidecar, by_photo[f["IMG_1"]].merged) == (f["IMG_1.JPG.xmp"], True)
    assert (by_photo[f["IMG_1"]].rating, by_photo[f["IMG_1"]].label) == ("-1", "Red")
    # and its RAW twin's darktable sidecar (IMG_1.CR2.xmp) too, its edits kept
    assert [(t.sidecar, t.rating) for t in result.written if t.photo == f["IMG_1"]] == [
        (f["IMG_1.JPG.xmp"], "-1"), (f["IMG_1.CR2.xmp"], "-1")]
    assert _items(_parse(Path(f["IMG_1.CR2.xmp"]).read_bytes())) == _items(_parse(DARKTABLE_RAW))
    assert by_photo[f["IMG_4"]].sidecar == f["IMG_4"] + ".xmp" and not by_photo[f["IMG_4"]].merged
    assert xmp.read_properties(Path(f["IMG_4"] + ".xmp").read_bytes()) == {"Label": "Red"}
    # IMG_5's Lightroom-style IMG_5.xmp is merged (its Green label kept), not a second sidecar created
    assert (by_photo[f["IMG_5"]].sidecar, by_photo[f["IMG_5"]].label) == (f["IMG_5.xmp"], "Green")
    assert not os.path.exists(f["IMG_5"] + ".xmp")
    assert _items(_parse(Path(f["IMG_5.xmp"]).read_bytes())) == _items(_parse(LIGHTROOM))
    # tagging again changes nothing
    sidecars = {t.sidecar: Path(t.sidecar).read_bytes() for t in result.written}
    xmp.tag_photos(store)
    assert {p: Path(p).read_bytes() for p in sidecars} == sidecars
    # a sidecar that is not XMP is reported and left untouched
    junk = os.urandom(64)
    Path(f["IMG_5.xmp"]).write_bytes(junk)
    third = xmp.tag_photos(store)
    assert [p for p, _ in third.failed] == [f["IMG_5"]]
    assert Path(f["IMG_5.xmp"]).read_bytes() == junk
    assert {p: (sha(p), os.stat(p).st_mtime_ns) for p in photos} == before
    assert not os.path.exists(f["IMG_2"] + ".xmp") and not os.path.exists(f["IMG_3"] + ".xmp")


def test_tag_dry_run_writes_nothing_and_cli(lib):
    from blurscan.cli import main

    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    store.close()
    Path(f["IMG_1.JPG.xmp"]).write_bytes(DARKTABLE)
    Path(f["IMG_1.CR2.xmp"]).write_bytes(DARKTABLE_RAW)
    before = snapshot(root)
    out = CliRunner().invoke(main, ["tag", "--xmp", "--dry-run", "--discarded-only", str(root)])
    assert out.exit_code == 0, out.output
    assert "would merge a/IMG_1.JPG.xmp" in out.output and "(rating -1: rejected, label Red)" in out.output
    assert snapshot(root) == before
    # --yes, as move and trash take it (it was "No such option"), then --dry-run after it: the later wins
    out = CliRunner().invoke(main, ["tag", "--xmp", "--yes", "--dry-run", "--discarded-only", str(root)])
    assert out.exit_code == 0 and "would merge a/IMG_1.JPG.xmp" in out.output, out.output
    assert snapshot(root) == before
    out = CliRunner().invoke(main, ["tag", "--xmp", "--stem-names", str(root)])
    assert out.exit_code == 0, out.output
    assert os.path.exists(root / "b" / "c" / "IMG_4.xmp")  # --stem-names for new sidecars
    # but IMG_5.xmp (random bytes in the fixture) is IMG_5.heic's too, which is sharp, not tagged: left alone
    # (never read), and IMG_5.jpg tagged in its own IMG_5.jpg.xmp
    assert ("left alone b/IMG_5.xmp: it is the sidecar of IMG_5.heic too, which is not tagged; IMG_5.jpg is "
            "tagged in IMG_5.jpg.xmp instead") in out.output
    assert "wrote b/IMG_5.jpg.xmp  (rating unchanged, label Red)" in out.output



@pytest.mark.parametrize("stem_names", [False, True])
def test_tag_of_a_raw_jpeg_pair_writes_the_raws_sidecar_too_and_undo_takes_it_back(tmp_path, stem_names):
    """darktable keeps a RAW's rating and labels in NAME.RAW.xmp, and tag wrote only the JPEG's NAME.JPG.xmp of
    a RAW + JPEG pair: the reject did not show on the RAW. The RAW twin's sidecar is now written (or merged:
    darktable's NAME.DNG.xmp, its edits kept) in the same journaled batch and undone alike; with --stem-names
    the one NAME.xmp covers both. Real DNG pairs, scanned as one photo each."""
    from blurscan.actions import list_batches
    from blurscan.cli import main
    from blurscan.config import ScanSettings
    from blurscan.pipeline import scan
    from blurscan.store import Store
    from helpers_images import blurred, save_jpeg, textured
    from helpers_raw import write_dng

    root = tmp_path / "shoot"
    root.mkdir()
    for name in ("DSC_0001", "DSC_0002"):
        rgb = blurred(textured(len(name), (512, 768)), 4)
        write_dng(root / f"{name}.DNG", rgb)
        save_jpeg(root / f"{name}.JPG", rgb)
    darktable = DARKTABLE.replace(b"IMG_1.JPG", b"DSC_0002.DNG")
    (root / "DSC_0002.DNG.xmp").write_bytes(darktable)  # darktable has imported this RAW already
    db = root / ".blurscan.db"
    records = list(scan([root], ScanSettings(workers=1, model="none"), db=db))
    assert sorted(Path(r.path).name for r in records) == ["DSC_0001.JPG", "DSC_0002.JPG"]  # a pair is one photo
    with Store(db) as store:
        for r in records:
            decide(store, r.path, "discard")
    before = {p: digest for p, (digest, _mtime) in snapshot(root).items()}
    runner = CliRunner()
    out = runner.invoke(main, ["tag", "--xmp", "--discarded-only", *(["--stem-names"] * stem_names), str(root)])
    assert out.exit_code == 0, out.output

    new = {p.name for p in root.glob("*.xmp")} - {"DSC_0002.DNG.xmp"}
    if stem_names:  # NAME.xmp is read for the RAW and the JPEG alike: no second sidecar
        assert new == {"DSC_0001.xmp", "DSC_0002.xmp"}
        assert "(1 sidecar merged, 2 created) as batch 1" in out.output
    else:
        assert new == {"DSC_0001.JPG.xmp", "DSC_0001.DNG.xmp", "DSC_0002.JPG.xmp"}
        assert "wrote DSC_0001.DNG.xmp  (rating -1: rejected, label Red)" in out.output
        assert "(1 sidecar merged, 3 created) as batch 1" in out.output
    for sidecar in [*new, "DSC_0002.DNG.xmp"]:
        assert xmp.read_properties((root / sidecar).read_bytes()) == {"Rating": "-1", "Label": "Red"}, sidecar
    assert _items(_parse((root / "DSC_0002.DNG.xmp").read_bytes())) == _items(_parse(darktable))
    assert {p: sha(p) for p in before if not p.endswith(".xmp")} == \
        {p: d for p, d in before.items() if not p.endswith(".xmp")}  # the photos are never touched
    with Store(db) as store:
        [info] = list_batches(store)
    assert (info.kind, info.state, info.files) == ("tag", "done", len(new) + 1)

    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert f"removed {len(new)} sidecars tag had created" in out.output
    assert {p: digest for p, (digest, _mtime) in snapshot(root).items()} == before


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_tag_with_a_blank_label_is_a_usage_error_before_anything_is_written(lib, blank):
    """``tag --xmp --label ""`` wrote an empty sidecar for every unreviewed blurry photo (they get the label only,
    and there was none): a blank label is refused, exit code 2, naming the option, nothing written nor journaled."""
    from blurscan.cli import main
    from blurscan.actions import journal
    from blurscan.errors import UsageError

    root, store, f = lib
    before = snapshot(root)
    for args in (["--label", blank], [f"--label={blank}", "--dry-run"]):
        out = CliRunner().invoke(main, ["tag", "--xmp", *args, str(root)])
        assert out.exit_code == 2, out.output
        assert "Invalid value for '--label'" in out.output and "is blank" in out.output, out.output
        assert snapshot(root) == before
    if blank:  # the library refuses a blank label too ("" there means: write no label)
        with pytest.raises(UsageError, match="is blank"):
            xmp.tag_photos(store, label=blank)
    assert snapshot(root) == before and journal.list_batches(store) == []


def test_tag_photos_without_a_label_skips_the_photos_it_would_write_nothing_for(lib):
    """The library's ``label=None`` (no label): an unreviewed blurry photo, which gets the label only, got an
    empty sidecar; it is skipped, saying why, and a discarded one is still rejected."""
    root, store, f = lib
    decide(store, f["IMG_4"], "discard")
    result = xmp.tag_photos(store, label=None)
    assert [(t.photo, t.rating, t.label) for t in result.written] == [(f["IMG_4"], "-1", None)]
    assert xmp.read_properties(Path(f["IMG_4"] + ".xmp").read_bytes()) == {"Rating": "-1"}
    assert (f["IMG_2"], "nothing to write: not marked discard, and no label asked for") in result.skipped
    assert not os.path.exists(f["IMG_2"] + ".xmp")  # no empty sidecar
