"""An XMP sidecar as a document: set ``xmp:Rating`` / ``xmp:Label`` in its text and keep everything else
(bytes in, bytes out; no file is touched here: :mod:`.xmp` finds, writes and journals the sidecars).

Merging parses the sidecar with :mod:`xml.etree.ElementTree` (keeping comments and processing instructions),
replaces only ``xmp:Rating`` / ``xmp:Label`` (written as attributes of the first ``rdf:Description``, the form
Lightroom and darktable write; an element form is removed so a value never appears twice), and keeps every
other element, attribute, value (a carriage return as the reference ``&#xD;``, which a raw one is not read as)
and namespace prefix, and the bytes outside the root element as they were (the XML declaration, an
``<?xpacket?>`` wrapper with its padding and its ``end``, comments). A label the person set
(:func:`has_persons_label`: darktable's own color labels too) is kept unless ``replace_label``. A sidecar that holds
those values already, in either form, is returned as it is (byte for byte). A text that is not XMP
(not UTF-8, UTF-16 or UTF-32 included, not XML, or no ``rdf:RDF``) raises :class:`~blurscan.errors.ActionError`.
"""
from __future__ import annotations

import io
import re
import threading
import xml.etree.ElementTree as ET
from xml.parsers import expat

from ..errors import ActionError, UsageError, printable_path

NS_X = "adobe:ns:meta/"
NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_XMP = "http://ns.adobe.com/xap/1.0/"
NS_DARKTABLE = "http://darktable.sf.net/"
NS_DIGIKAM = "http://www.digikam.org/ns/1.0/"

_RATING = f"{{{NS_XMP}}}Rating"
_LABEL = f"{{{NS_XMP}}}Label"
_DESCRIPTION = f"{{{NS_RDF}}}Description"
_RDF = f"{{{NS_RDF}}}RDF"
_LI = f"{{{NS_RDF}}}li"
#: darktable's own color labels, a list of numbers (0 red ... 4 purple), which darktable reads only while the
#: sidecar has no ``xmp:Label`` (src/common/exif.cc, ``_exif_decode_xmp_data``)
_DT_COLORLABELS = f"{{{NS_DARKTABLE}}}colorlabels"
#: digiKam's color label and pick label, which digiKam reads before ``xmp:Label`` (``ColorLabel``, then
#: ``photoshop:Urgency``; ``xmp:Label`` only when both are missing: its dmetadata_labels.cpp), and writes on
#: every sidecar it makes, ``0`` when there is none
_DK_COLOR = f"{{{NS_DIGIKAM}}}ColorLabel"
_DK_PICK = f"{{{NS_DIGIKAM}}}PickLabel"
#: digiKam's color label numbers (digikam_globals.h: 0 none, 1 red, 2 orange, 3 yellow, 4 green, 5 blue,
#: 6 magenta, 7 gray, 8 black, 9 white) of the ``xmp:Label`` names it knows (its reader maps "Purple" to magenta)
DIGIKAM_COLORS = {"Red": "1", "Yellow": "3", "Green": "4", "Blue": "5", "Purple": "6"}
#: digiKam's pick label "rejected" (0 none, 1 rejected, 2 pending, 3 accepted)
DIGIKAM_REJECTED = "1"

_XPACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
_XPACKET_END = '<?xpacket end="{}"?>'  # "w" (writable), or as the sidecar had it

_NEW = (f'<x:xmpmeta xmlns:x="{NS_X}">\n'
        f' <rdf:RDF xmlns:rdf="{NS_RDF}">\n'
        f'  <rdf:Description rdf:about="" xmlns:xmp="{NS_XMP}"/>\n'
        ' </rdf:RDF>\n'
        '</x:xmpmeta>\n')


def merge(existing: bytes | None, *, rating: int | None, label: str | None, replace_label: bool = False,
          source: str = "sidecar") -> bytes:
    """Return the sidecar text with ``xmp:Rating`` / ``xmp:Label`` set (None: leave that property as is);
    ``existing`` itself when it says so already (every occurrence of each property to set has its value):
    a sidecar is never rewritten only to be formatted another way.

    Parameters
    ----------
    existing : bytes or None
        The current sidecar (None or empty: a new one).
    rating : int or None
        -1 (rejected) or 0..5.
    label : str or None
    replace_label : bool
        Replace a label already there (default: a label the person set is kept).
    source : str
        Name used in error messages.

    Raises
    ------
    ActionError
        When ``existing`` is not an XMP document.
    """
    if rating is not None and not -1 <= rating <= 5:
        raise ActionError(f"{printable_path(source)}: rating {rating} outside -1..5")
    if label is not None:
        check_label(label)
    created = not (existing and existing.strip())
    wide = None if created else _wide_encoding(existing)
    if wide:  # (ASCII in UTF-16 would decode as UTF-8, NULs and all, and be called "not valid XML")
        raise ActionError(f"{printable_path(source)}: {wide} sidecars are not supported; left untouched")
    try:
        text = _NEW if created else existing.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ActionError(f"{printable_path(source)}: not UTF-8 text, not an XMP sidecar; left untouched") from exc
    prefixes = _declared_prefixes(text, source)
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True, insert_pis=True))
    try:
        root = ET.fromstring(_strip_outside(text), parser=parser)
    except ET.ParseError as exc:
        raise ActionError(f"{printable_path(source)}: not valid XML ({exc}); left untouched") from exc
    rdf = root if root.tag == _RDF else root.find(f".//{_RDF}")
    if rdf is None:
        raise ActionError(f"{printable_path(source)}: no rdf:RDF element, not an XMP sidecar; left untouched")
    descriptions = rdf.findall(_DESCRIPTION)
    if label is not None and not replace_label and has_persons_label(descriptions, but=label):
        label = None  # the person's own label stays
    writes = _writes(descriptions, rating, label)
    if not created and all(_holds(descriptions, prop, value) for prop, value in writes):
        return existing  # says it all already: rewriting would only change its formatting (and its time)
    if not descriptions:
        desc = ET.SubElement(rdf, _DESCRIPTION, {f"{{{NS_RDF}}}about": ""})
        descriptions = [desc]
    for prop, value in writes:
        for i, desc in enumerate(descriptions):
            if i:
                desc.attrib.pop(prop, None)
            for child in desc.findall(prop):
                desc.remove(child)
        descriptions[0].set(prop, value)  # in place when already there: attribute order is kept
    # a carriage return in a value (a caption's line break, &#xD;) stays a reference: a raw one is read as a newline
    try:
        out = _serialise(root, prefixes).replace("\r", "&#xD;")
    except RecursionError:  # (ElementTree writes an element's children by recursion: a traceback until 2026-12-05)
        raise ActionError(f"{printable_path(source)}: elements nested too deeply to be written again; left "
                          "untouched") from None
    around = None if created else _around_root(existing)
    if around is not None:  # what is outside the root element (declaration, xpacket and its padding) as it was
        return around[0] + out.encode("utf-8") + around[1]
    if "<?xpacket" in text:
        end = re.search(r"""<\?xpacket\s+end\s*=\s*["']([rw])["']""", text)
        out = f"{_XPACKET_BEGIN}\n{out}{_XPACKET_END.format(end[1] if end else 'w')}"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + out + "\n").encode("utf-8")


def has_persons_label(descriptions: list[ET.Element], but: str | None = None) -> bool:
    """Whether the sidecar holds a color label the person set: a non-blank ``xmp:Label``, darktable's own
    labels (a non-empty ``darktable:colorlabels``), or digiKam's (``digiKam:ColorLabel`` 1 to 9; 0 is none).
    darktable reads its own only while there is no ``xmp:Label``: one added beside them would replace them in
    darktable (and stay, as darktable never writes nor removes ``xmp:Label``). ``but``: an ``xmp:Label`` of that
    value does not count (the label being written, there already: what goes with it is written all the same,
    digiKam's ``ColorLabel`` in a sidecar an earlier blurscan tagged without it)."""
    for desc in descriptions:
        values = [desc.get(_LABEL) or "", *((c.text or "") for c in desc.findall(_LABEL))]
        if any(v.strip() not in ("", (but or "").strip()) for v in values):
            return True
        if any(next(labels.iter(_LI), None) is not None for labels in desc.findall(_DT_COLORLABELS)):
            return True
    color = _value(descriptions, _DK_COLOR)
    return color is not None and re.fullmatch("[0-9]+", color) is not None and 1 <= int(color) <= 9


def check_label(label: str) -> None:
    """Raise :class:`~blurscan.errors.UsageError` for a label XML cannot hold (control characters)."""
    if any((ord(c) < 0x20 and c not in "\t\n\r") or 0xD800 <= ord(c) <= 0xDFFF or ord(c) in (0xFFFE, 0xFFFF)
           for c in label):
        raise UsageError(f"label {label!r}: contains characters an XMP file cannot hold")


def read_properties(data: bytes) -> dict[str, str]:
    """``{"Rating": ..., "Label": ...}`` found in an XMP document (attribute or element form)."""
    parser = ET.XMLParser(target=ET.TreeBuilder())
    root = ET.fromstring(_strip_outside(data.decode("utf-8-sig")), parser=parser)
    out = {}
    for desc in root.iter(_DESCRIPTION):
        for prop in (_RATING, _LABEL):
            name = prop.split("}")[1]
            if prop in desc.attrib:
                out[name] = desc.attrib[prop]
            for child in desc.findall(prop):
                out[name] = (child.text or "").strip()
    return out



# -- helpers ------------------------------------------------------------------------------------------------

def _writes(descriptions: list[ET.Element], rating: int | None, label: str | None) -> list[tuple[str, str]]:
    """``(property, value)`` of each property merging sets: ``xmp:Rating`` and ``xmp:Label`` (None: not set), and
    in a digiKam sidecar (one with a property of its namespace) what digiKam reads instead: ``digiKam:PickLabel``
    "rejected" with a rating of -1, and ``digiKam:ColorLabel`` for a label of a color digiKam knows (it reads
    ``xmp:Label`` only while it has no ``ColorLabel``, and its own sidecars say ``0`` there)."""
    digikam = any(key.startswith(f"{{{NS_DIGIKAM}}}") for desc in descriptions
                  for key in [*desc.attrib, *(child.tag for child in desc)] if isinstance(key, str))
    out = []
    if rating is not None:
        out.append((_RATING, str(rating)))
        if digikam and rating == -1:
            out.append((_DK_PICK, DIGIKAM_REJECTED))
    if label is not None:
        out.append((_LABEL, label))
        if digikam and label in DIGIKAM_COLORS:
            out.append((_DK_COLOR, DIGIKAM_COLORS[label]))
    return out


def _value(descriptions: list[ET.Element], prop: str) -> str | None:
    """The first value of ``prop`` in the descriptions (attribute, or element holding plain text), stripped."""
    for desc in descriptions:
        if prop in desc.attrib:
            return desc.attrib[prop].strip()
        for child in desc.findall(prop):
            if not len(child):
                return (child.text or "").strip()
    return None


def _holds(descriptions: list[ET.Element], prop: str, value: str) -> bool:
    """``prop`` is in the descriptions, and every occurrence of it (attribute, or element holding plain
    text) is ``value``: the form :func:`merge` writes changes nothing a reader sees."""
    found = []
    for desc in descriptions:
        if prop in desc.attrib:
            found.append(desc.attrib[prop])
        found += [None if len(child) or child.attrib else (child.text or "").strip()
                  for child in desc.findall(prop)]
    return bool(found) and all(v == value for v in found)


def _wide_encoding(data: bytes) -> str | None:
    """``"UTF-16"`` or ``"UTF-32"`` for a text in one of those (a byte-order mark, or ``<`` in two or four bytes),
    else None."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"<\x00\x00\x00", b"\x00\x00\x00<"):
        return "UTF-32"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:2] in (b"<\x00", b"\x00<"):
        return "UTF-16"
    return None


def _around_root(data: bytes) -> tuple[bytes, bytes] | None:
    """The bytes before the root element and after it (the XML declaration, an ``<?xpacket?>`` wrapper with its
    padding and ``end``, comments), kept as they are; None when expat cannot read ``data`` as it is (text before
    the declaration, a declared encoding it does not know), or the root is an empty element: merging writes them
    anew then. A declaration of another encoding than UTF-8 (the text read as UTF-8 all the same: ASCII) is made
    UTF-8's."""
    parser = expat.ParserCreate()
    bounds: list[int] = []
    depth = 0

    def start(_name, _attrs):
        nonlocal depth
        if depth == 0:
            bounds.append(parser.CurrentByteIndex)
        depth += 1

    def end(_name):
        nonlocal depth
        depth -= 1
        if depth == 0:
            bounds.append(parser.CurrentByteIndex)

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, LookupError, ValueError):  # (a declared encoding expat does not know, ``UTF-9`` or
        return None  # a multi-byte one: a LookupError or ValueError, a traceback of ``tag`` until 2026-12-05)
    if len(bounds) != 2 or data[bounds[1]:bounds[1] + 2] != b"</":
        return None
    before, after = data[:bounds[0]], data[data.index(b">", bounds[1]) + 1:]
    declared = re.match(rb"""(\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["'][^>]*\?>""", before)
    if declared and declared[2].lower() not in (b"utf-8", b"utf8"):
        before = before[:declared.start(2)] + b"UTF-8" + before[declared.end(2):]
    return before, after


def _declared_prefixes(text: str, source: str) -> dict[str, str]:
    """uri -> prefix as declared in the document (the first declaration of a uri wins)."""
    out: dict[str, str] = {}
    try:
        for _event, (prefix, uri) in ET.iterparse(io.StringIO(_strip_outside(text)), events=("start-ns",)):
            if prefix and uri not in out:
                out[uri] = prefix
    except ET.ParseError as exc:
        raise ActionError(f"{printable_path(source)}: not valid XML ({exc}); left untouched") from exc
    # the names taken, as a set: a sidecar binding xmp, xmp1 ... xmp32000 to other namespaces held `tag` 16 s (the
    # names read through once a name tried, the square of their number), until 2026-12-06
    taken = set(out.values())
    for uri, prefix in ((NS_XMP, "xmp"), (NS_RDF, "rdf"), (NS_X, "x")):
        # a prefix the document binds to another namespace stays that one's (until 2026-12-05 it was renamed ns0)
        n = 0
        while uri not in out:
            name = f"{prefix}{n or ''}"
            if name not in taken:
                out[uri] = name
                taken.add(name)
            n += 1
    return out


def _strip_outside(text: str) -> str:
    """The document without the XML declaration and the ``<?xpacket?>`` wrapper (re-added when writing)."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    return _without_xpackets(text).strip()


def _without_xpackets(text: str) -> str:
    """``text`` without its ``<?xpacket ...?>`` instructions: what ``re.sub(r"<\\?xpacket[^>]*\\?>", "", text)``
    gives, in one pass. That pattern looked from each ``<?xpacket`` to the next ``>``: a sidecar of a great many
    of them and no ``>`` took the square of its length (half a megabyte held ``tag`` for minutes, until
    2026-12-06). Here each ``>`` is looked for once: an instruction ends at the first ``>`` after its name, and
    none of the ``<?xpacket`` before that ``>`` does when the first does not."""
    pieces, kept, at = [], 0, 0
    while (start := text.find("<?xpacket", at)) >= 0:
        close = text.find(">", start + 9)
        if close < 0:
            break
        if close > start + 9 and text[close - 1] == "?":  # ("?>" after the name, and no ">" before it)
            pieces.append(text[kept:start])
            kept = close + 1
        at = close + 1
    pieces.append(text[kept:])
    return "".join(pieces)


_NS_LOCK = threading.Lock()


def _serialise(root: ET.Element, prefixes: dict[str, str]) -> str:
    """ElementTree output with the document's own namespace prefixes (not ``ns0``, ``ns1`` ...).

    ElementTree takes prefixes from its module-wide registry; it is set for this call and restored after,
    under a lock.
    """
    registry = ET._namespace_map  # uri -> prefix, what ET.register_namespace fills
    with _NS_LOCK:
        saved = dict(registry)
        try:
            # the uris of each prefix, kept as the registry changes: a sidecar declaring 50,000 namespaces took
            # minutes when the registry was searched for each one (until 2026-12-05)
            owners: dict[str, set[str]] = {}
            for uri, prefix in registry.items():
                owners.setdefault(prefix, set()).add(uri)
            for uri, prefix in prefixes.items():
                if re.match(r"ns\d+$", prefix):
                    continue
                for other_uri in owners.get(prefix, set()) - {uri}:
                    del registry[other_uri]
                if uri in registry:
                    owners[registry[uri]].discard(uri)
                registry[uri] = prefix
                owners[prefix] = {uri}
            return ET.tostring(root, encoding="unicode")
        finally:
            registry.clear()
            registry.update(saved)
