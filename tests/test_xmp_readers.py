"""What the photo managers read from a sidecar ``blurscan tag --xmp`` merged into, by their own rules: darktable's
color labels (``darktable:colorlabels``, read only while there is no ``xmp:Label``), digiKam's
(``digiKam:ColorLabel`` and ``digiKam:PickLabel``, read before ``xmp:Label``), and the text values every XML
reader sees (a caption's carriage returns).

The sidecars are real ones' shapes (darktable 4.x, digiKam 8.2); where ``exiv2`` is installed the tests also
ask it what it reads, as darktable and digiKam read sidecars through it."""
from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from blurscan.actions import xmp, xmp_document
from helpers_library import decide

RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
XMP = "{http://ns.adobe.com/xap/1.0/}"
DK = "{http://www.digikam.org/ns/1.0/}"

#: darktable's sidecar of a photo the person gave its green and blue labels (darktable's numbers 2 and 3).
DARKTABLE_LABELLED = b"""<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:darktable="http://darktable.sf.net/"
   xmp:Rating="3"
   xmpMM:DerivedFrom="IMG_1.JPG"
   darktable:xmp_version="5"
   darktable:history_end="1">
   <darktable:colorlabels>
    <rdf:Seq>
     <rdf:li>2</rdf:li>
     <rdf:li>3</rdf:li>
    </rdf:Seq>
   </darktable:colorlabels>
   <dc:subject>
    <rdf:Bag>
     <rdf:li>clock</rdf:li>
    </rdf:Bag>
   </dc:subject>
   <darktable:history>
    <rdf:Seq>
     <rdf:li darktable:num="0" darktable:operation="exposure" darktable:enabled="1" darktable:params="0000"/>
    </rdf:Seq>
   </darktable:history>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""

#: The same photo without labels: darktable writes an empty list.
DARKTABLE_UNLABELLED = DARKTABLE_LABELLED.replace(b"""    <rdf:Seq>
     <rdf:li>2</rdf:li>
     <rdf:li>3</rdf:li>
    </rdf:Seq>""", b"""    <rdf:Seq/>""")

EXIV2 = shutil.which("exiv2")


def exiv2_keys(path) -> dict[str, str]:
    """``Xmp.*`` key -> value as exiv2 (the library darktable and digiKam read sidecars with) reads ``path``."""
    out = subprocess.run([EXIV2, "-PXkv", str(path)], capture_output=True, text=True, check=True).stdout
    return {line.split(None, 1)[0]: (line.split(None, 1) + [""])[1].strip() for line in out.splitlines() if line}


def _tag_one(lib, sidecar: bytes, decision: str | None = "discard", **kwargs) -> tuple[Path, xmp.TagResult]:
    """IMG_4 (blurry, alone in its folder) with ``sidecar`` as its NAME.EXT.xmp, tagged; the sidecar's path."""
    root, store, f = lib
    if decision:
        decide(store, f["IMG_4"], decision)
    path = Path(f["IMG_4"] + ".xmp")
    path.write_bytes(sidecar)
    result = xmp.tag_photos(store, under=str(Path(f["IMG_4"]).parent), **kwargs)
    assert result.failed == [] and result.photos == [f["IMG_4"]], result
    return path, result


# -- darktable --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("decision", ["discard", None])
def test_darktable_color_labels_are_the_persons_label_no_xmp_label_is_added(lib, decision):
    """darktable reads its own labels only while the sidecar has no ``xmp:Label``: the ``xmp:Label="Red"`` tag
    added beside green and blue made darktable show red alone, the person's labels lost (and, as darktable never
    removes ``xmp:Label``, for good). They count as the person's label now: kept, no ``xmp:Label`` added."""
    path, result = _tag_one(lib, DARKTABLE_LABELLED, decision)
    data = path.read_bytes()
    assert xmp.read_properties(data) == ({"Rating": "-1"} if decision else {"Rating": "3"})
    assert b"<rdf:li>2</rdf:li>" in data and b"<rdf:li>3</rdf:li>" in data
    if not decision:  # an unreviewed photo gets the label only, and the person has one: nothing to write
        assert data == DARKTABLE_LABELLED and not result.written[0].changed
    if EXIV2:
        keys = exiv2_keys(path)
        assert "Xmp.xmp.Label" not in keys and keys["Xmp.darktable.colorlabels"] == "2, 3", keys


def test_darktable_sidecar_without_labels_gets_the_label(lib):
    """An empty ``darktable:colorlabels`` is no label: ``xmp:Label`` is added, which darktable reads as red."""
    path, _result = _tag_one(lib, DARKTABLE_UNLABELLED)
    assert xmp.read_properties(path.read_bytes()) == {"Rating": "-1", "Label": "Red"}


def test_replace_label_on_darktable_labels_writes_xmp_label():
    """``--replace-label`` asks for the label in place of the person's: ``xmp:Label`` is written, darktable's
    list left as it is (darktable then shows that label only, as asked)."""
    merged = xmp.merge(DARKTABLE_LABELLED, rating=None, label="Red", replace_label=True)
    assert xmp.read_properties(merged) == {"Rating": "3", "Label": "Red"}
    assert b"<rdf:li>2</rdf:li>" in merged


# -- digiKam ----------------------------------------------------------------------------------------------------

#: digiKam 8.2's sidecar of a photo with 2 stars and no labels: it writes ``ColorLabel``, ``PickLabel`` and
#: ``photoshop:Urgency`` as 0, and pads the packet.
DIGIKAM = ("""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:digiKam="http://www.digikam.org/ns/1.0/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:MicrosoftPhoto="http://ns.microsoft.com/photo/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
   xmp:CreatorTool="digiKam-8.2.0"
   xmp:Rating="2"
   digiKam:PickLabel="0"
   digiKam:ColorLabel="0"
   photoshop:Urgency="0"
   MicrosoftPhoto:Rating="25">
   <digiKam:TagsList>
    <rdf:Seq>
     <rdf:li>People/Astronaut</rdf:li>
    </rdf:Seq>
   </digiKam:TagsList>
   <dc:subject>
    <rdf:Bag>
     <rdf:li>Astronaut</rdf:li>
    </rdf:Bag>
   </dc:subject>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
""" + " " * 100 + """
<?xpacket end="w"?>""").encode()


def _digikam_values(data: bytes) -> dict[str, str]:
    root = ET.fromstring(xmp_document._strip_outside(data.decode("utf-8-sig")))
    [desc] = root.iter(f"{RDF}Description")
    return {k.split("}")[1]: v for k, v in desc.attrib.items() if k.startswith(DK) or k.startswith(XMP)}


@pytest.mark.parametrize("decision", ["discard", None])
def test_digikam_sidecar_shows_the_label_and_the_rejection_in_digikam(lib, decision):
    """digiKam reads ``digiKam:ColorLabel`` first (then ``photoshop:Urgency``) and ``xmp:Label`` only when both
    are missing, and writes ``ColorLabel="0"`` on its sidecars: the Red label tag added was invisible there; and
    a rejection is its ``PickLabel`` 1 (it ignores a rating of -1). Both are set now (digiKam's numbers: red 1,
    rejected 1), the rest of the sidecar kept."""
    path, _result = _tag_one(lib, DIGIKAM, decision)
    values = _digikam_values(path.read_bytes())
    assert values == {"CreatorTool": "digiKam-8.2.0", "Rating": "-1" if decision else "2",
                      "PickLabel": "1" if decision else "0", "ColorLabel": "1", "Label": "Red"}
    if EXIV2:
        keys = exiv2_keys(path)
        assert (keys["Xmp.digiKam.ColorLabel"], keys["Xmp.digiKam.PickLabel"]) == ("1", "1" if decision else "0")
        assert keys["Xmp.digiKam.TagsList"] == "People/Astronaut" and keys["Xmp.photoshop.Urgency"] == "0"
    # tagged again: says it all already, not written
    before = path.read_bytes()
    root, store, f = lib
    again = xmp.tag_photos(store, under=str(path.parent))
    assert path.read_bytes() == before and not again.written[0].changed


@pytest.mark.parametrize("label, color", [("Red", "1"), ("Purple", "6"), ("Blurry", "0")])
def test_digikam_color_label_follows_the_label_asked_for(label, color):
    """``--label``: digiKam's number for the colors it knows by name (its reader maps Purple to magenta, 6); any
    other label has none, and ``ColorLabel`` stays as it is."""
    merged = xmp.merge(DIGIKAM, rating=None, label=label)
    assert _digikam_values(merged)["ColorLabel"] == color and xmp.read_properties(merged)["Label"] == label


def test_a_digikam_color_label_the_person_set_is_kept(lib):
    """A non-zero ``ColorLabel`` (4, green) is the person's label, as an ``xmp:Label`` is: kept, no label added;
    the rejection is still written."""
    green = DIGIKAM.replace(b'digiKam:ColorLabel="0"', b'digiKam:ColorLabel="4"')
    path, _result = _tag_one(lib, green)
    values = _digikam_values(path.read_bytes())
    assert (values["ColorLabel"], values["PickLabel"], values["Rating"]) == ("4", "1", "-1")
    assert "Label" not in values
    assert xmp.merge(green, rating=None, label="Red") == green  # an unreviewed photo: nothing to write
    replaced = xmp.merge(green, rating=None, label="Red", replace_label=True)  # --replace-label replaces it
    assert _digikam_values(replaced)["ColorLabel"] == "1"


def test_a_sidecar_of_another_program_gets_no_digikam_properties():
    """Only a digiKam sidecar gets digiKam's properties: darktable's, Lightroom's and new ones stay as they were
    written."""
    for data in (DARKTABLE_UNLABELLED, None):
        assert b"digiKam" not in xmp.merge(data, rating=-1, label="Red")


# -- what the help says ---------------------------------------------------------------------------------------

def test_help_says_stem_names_are_for_raw_files_and_claims_no_lightroom_reject():
    """Lightroom Classic and Bridge read a sidecar only for a RAW file, and Lightroom's reject is a pick flag kept
    in its catalog: ``--stem-names`` was offered for "Lightroom, Bridge" in general, and the rating -1 said to be
    "rejected" in Lightroom. darktable reads ``NAME.xmp`` only through its Lightroom importer."""
    from click.testing import CliRunner

    from blurscan.cli import main

    out = CliRunner().invoke(main, ["tag", "--help"], terminal_width=400)
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "RAW files only" in text and "not in darktable" in text
    assert '"rejected" in Lightroom' not in text


# -- text every XML reader sees ---------------------------------------------------------------------------------

#: Photoshop / Bridge write a caption's line breaks as carriage returns, character references (a raw CR is read
#: as a newline by every XML reader); an xpacket marked read-only, its padding, comments outside the root.
CAPTIONED = ("""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<!-- written by hand -->
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Instructions="a&#xD;b&#x9;c">
   <dc:description>
    <rdf:Alt>
     <rdf:li xml:lang="x-default">Line one&#xD;Line two&#xD;&#xA;Line three</rdf:li>
    </rdf:Alt>
   </dc:description>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
""" + " " * 64 + "\n" + " " * 64 + """
<?xpacket end="r"?>
<!-- the end -->
""").encode()


def _values(data: bytes) -> tuple[str, str]:
    root = ET.fromstring(xmp_document._strip_outside(data.decode("utf-8-sig")))
    [desc] = root.iter(f"{RDF}Description")
    return (desc.get("{http://ns.adobe.com/photoshop/1.0/}Instructions"),
            next(desc.iter(f"{RDF}li")).text)


def test_carriage_returns_in_values_stay_carriage_returns(lib):
    """A caption's ``&#xD;`` was written back as a raw carriage return, which XML readers take for a newline:
    the caption's line breaks changed. It is written as a reference again."""
    path, _result = _tag_one(lib, CAPTIONED)
    data = path.read_bytes()
    assert _values(data) == ("a\rb\tc", "Line one\rLine two\r\nLine three") == _values(CAPTIONED)
    assert b"\r" not in data
    if EXIV2:
        keys = exiv2_keys(path)
        assert keys["Xmp.xmp.Rating"] == "-1"


def test_what_is_outside_the_root_element_is_kept_as_it_was():
    """The rewrite dropped the comments outside the root and the xpacket's padding, and wrote ``end="w"`` for
    ``end="r"``: the bytes before and after the root element are kept now."""
    merged = xmp.merge(CAPTIONED, rating=-1, label="Red")
    head, tail = CAPTIONED.split(b"<x:xmpmeta", 1)[0], CAPTIONED.rsplit(b"</x:xmpmeta>", 1)[1]
    assert merged.startswith(head + b"<x:xmpmeta") and merged.endswith(b"</x:xmpmeta>" + tail)
    assert xmp.read_properties(merged) == {"Rating": "-1", "Label": "Red"}
    # a text that cannot be read as it is (a line before the XML declaration) is wrapped anew: its end kept
    odd = b"\n" + b'<?xml version="1.0"?>' + CAPTIONED
    assert b'<?xpacket end="r"?>' in xmp.merge(odd, rating=-1, label="Red")


# -- encodings ------------------------------------------------------------------------------------------------

UTF16_TEXT = """<?xml version="1.0" encoding="UTF-16"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="5"/></rdf:RDF></x:xmpmeta>
"""


def test_a_utf16_sidecar_is_said_to_be_unsupported_and_left_untouched(lib):
    """A UTF-16 sidecar was refused as "not UTF-8 text, not an XMP sidecar" (or, without a byte-order mark, "not
    valid XML"): it is XMP, in an encoding blurscan does not write. Said so; the file stays as it is."""
    from click.testing import CliRunner

    from blurscan.cli import main

    root, store, f = lib
    decide(store, f["IMG_4"], "discard")
    store.close()
    path = Path(f["IMG_4"] + ".xmp")
    data = UTF16_TEXT.encode("utf-16")  # with a byte-order mark, as Windows tools write it
    path.write_bytes(data)
    out = CliRunner().invoke(main, ["tag", "--xmp", "--discarded-only", str(root)])
    assert out.exit_code == 1, out.output
    assert f"failed: {path}: UTF-16 sidecars are not supported; left untouched" in out.output, out.output
    assert path.read_bytes() == data
    for encoded, name in ((UTF16_TEXT.encode("utf-16-le"), "UTF-16"), (UTF16_TEXT.encode("utf-16-be"), "UTF-16"),
                          (UTF16_TEXT.encode("utf-32"), "UTF-32")):
        with pytest.raises(xmp.ActionError, match=f"{name} sidecars are not supported; left untouched"):
            xmp.merge(encoded, rating=-1, label="Red", source="x.xmp")


def test_a_digikam_sidecar_tagged_by_an_earlier_blurscan_gets_digikams_label_too():
    """An earlier blurscan wrote only ``xmp:Label="Red"`` into digiKam's sidecars, which digiKam does not show
    (``ColorLabel`` 0): that label, the one asked for, is no label of the person's keeping ``ColorLabel`` from
    being set; another one is."""
    tagged = DIGIKAM.replace(b'xmp:Rating="2"', b'xmp:Rating="-1"\n   xmp:Label="Red"')
    merged = xmp.merge(tagged, rating=-1, label="Red")
    assert (_digikam_values(merged)["ColorLabel"], _digikam_values(merged)["PickLabel"]) == ("1", "1")
    green = DIGIKAM.replace(b'xmp:Rating="2"', b'xmp:Rating="2"\n   xmp:Label="Green"')
    assert xmp.merge(green, rating=None, label="Red") == green
