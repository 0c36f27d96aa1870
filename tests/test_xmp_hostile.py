"""``blurscan tag --xmp`` and sidecars written to hurt a reader (found by fuzzing the XMP reader): elements nested
thousands deep were a traceback (ElementTree writes by recursion), and 20,000 namespace declarations took half a
minute (each one searched the namespace registry), an XML declaration of an encoding expat cannot read was a
traceback too, and a great many ``<?xpacket`` before a ``>`` took minutes. The first is a failure naming the
sidecar, left untouched; the others are tagged at once."""
from __future__ import annotations

import pytest

from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured

RDF = b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'


def _blurry_photo(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "IMG_1.jpg", blurred(textured(1), 4.0))
    result = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert '"verdict": "blurry"' in result.stdout, result.output
    return lib


def test_a_sidecar_nested_thousands_deep_is_a_failure_naming_it(tmp_path):
    lib = _blurry_photo(tmp_path)
    sidecar = lib / "IMG_1.jpg.xmp"
    data = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF ' + RDF + b'><rdf:Description rdf:about="">'
            + b"<a>" * 5000 + b"</a>" * 5000 + b"</rdf:Description></rdf:RDF></x:xmpmeta>")
    sidecar.write_bytes(data)
    result = run("tag", "--xmp", "--yes", lib)
    assert "Traceback" not in result.output
    assert f"failed: {sidecar}: elements nested too deeply to be written again; left untouched" in result.output
    assert sidecar.read_bytes() == data


def test_a_sidecar_of_many_namespaces_is_tagged_at_once(tmp_path):
    lib = _blurry_photo(tmp_path)
    sidecar = lib / "IMG_1.jpg.xmp"
    # (the registry of prefixes is now kept as a map from prefix to namespaces: each declaration had searched it
    # whole, half a minute for 20,000; checked here: every prefix still bound to its own namespace, one rebound)
    spaces = b" ".join(b'xmlns:p%d="urn:p%d"' % (i, i) for i in range(2_000))
    sidecar.write_bytes(b'<x:xmpmeta xmlns:x="adobe:ns:meta/" ' + spaces + b' xmlns:xmp="urn:not-adobe"><rdf:RDF '
                        + RDF + b'><rdf:Description rdf:about="" p7:kept="yes" p1999:last="1" xmp:own="2"/>'
                        b"</rdf:RDF></x:xmpmeta>")
    result = run("tag", "--xmp", "--yes", lib)
    assert result.exit_code == 0, result.output
    text = sidecar.read_text()
    assert 'xmp:Label="Red"' not in text  # (`xmp` names another namespace in this sidecar: Adobe's gets another)
    assert 'Label="Red"' in text and 'p7:kept="yes"' in text and 'p1999:last="1"' in text
    assert 'xmlns:p7="urn:p7"' in text and 'xmlns:p1999="urn:p1999"' in text and 'xmp:own="2"' in text
    assert 'xmlns:xmp="urn:not-adobe"' in text


@pytest.mark.parametrize("encoding", ["UTF-9", "Shift_JIS"])
def test_a_declared_encoding_expat_cannot_read_is_written_as_utf8(tmp_path, encoding):
    # expat refuses an encoding it does not know (a LookupError) or a multi-byte one (a ValueError): the sidecar,
    # ASCII, is read as UTF-8 and written with a UTF-8 declaration (until 2026-12-05 `tag` stopped with a traceback)
    lib = _blurry_photo(tmp_path)
    sidecar = lib / "IMG_1.jpg.xmp"
    sidecar.write_bytes(f'<?xml version="1.0" encoding="{encoding}"?>\n'.encode()
                        + b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF ' + RDF
                        + b'><rdf:Description rdf:about="" xmp:Rating="2" xmlns:xmp="http://ns.adobe.com/xap/1.0/"/>'
                          b"</rdf:RDF></x:xmpmeta>")
    result = run("tag", "--xmp", "--yes", lib)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    text = sidecar.read_text()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>') and 'xmp:Label="Red"' in text


@pytest.mark.timeout(60)
def test_a_sidecar_of_many_xpacket_openings_is_tagged_at_once(tmp_path):
    # a comment of 120,000 "<?xpacket" (1 MB): the wrapper was taken off by a pattern that looked from each one to
    # the next ">", the square of the sidecar's length (minutes; hours for a few MB) before it was tagged or refused
    lib = _blurry_photo(tmp_path)
    sidecar = lib / "IMG_1.jpg.xmp"
    comment = b"<!-- " + b"<?xpacket " * 120_000 + b"-->"
    sidecar.write_bytes(b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
                        + comment + b"<rdf:RDF " + RDF + b'><rdf:Description rdf:about=""/></rdf:RDF></x:xmpmeta>\n'
                        b'<?xpacket end="w"?>')
    result = run("tag", "--xmp", "--yes", lib)
    assert result.exit_code == 0, result.output
    data = sidecar.read_bytes()
    assert comment in data and b'Label="Red"' in data and data.endswith(b'<?xpacket end="w"?>')


@pytest.mark.timeout(60)
def test_a_sidecar_taking_every_xmp_prefix_for_other_namespaces_is_tagged_at_once(tmp_path):
    # xmp, xmp1 ... xmp99999 bound to other namespaces: Adobe's is written under the first name free, found by
    # trying xmp1, xmp2 ...; each try read every name taken, the square of their number (32,000: 16 s; this: minutes)
    lib = _blurry_photo(tmp_path)
    sidecar = lib / "IMG_1.jpg.xmp"
    spaces = b" ".join(b'xmlns:xmp%s="urn:o%d"' % (str(i or "").encode(), i) for i in range(100_000))
    sidecar.write_bytes(b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF ' + RDF + b" " + spaces
                        + b'><rdf:Description rdf:about="" xmp7:kept="yes"/></rdf:RDF></x:xmpmeta>')
    result = run("tag", "--xmp", "--yes", lib)
    assert result.exit_code == 0, result.output
    text = sidecar.read_text()
    assert 'xmlns:xmp100000="http://ns.adobe.com/xap/1.0/"' in text and 'xmp100000:Label="Red"' in text
    assert 'xmp7:kept="yes"' in text and 'xmlns:xmp7="urn:o7"' in text
