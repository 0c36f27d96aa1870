"""A photo whose capture time is in its XMP alone (a Lightroom or Photoshop PNG export, a JPEG whose EXIF was
stripped and its XMP kept): ``captured_at`` from ``exif:DateTimeOriginal`` / ``photoshop:DateCreated`` as exiftool
reads them, the EXIF's date first where there is one (blurscan.xmpdates). Until 2026-12-06 such a photo had no
capture time, and its file's time (of the export or copy) stood in for bursts and the review's date sort."""
from __future__ import annotations

from PIL import Image, PngImagePlugin

from blurscan.decode import decode

from helpers_cli import jsonl, run
from helpers_images import asym


def _xmp(body: str, attrs: str = "") -> bytes:
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
            'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
            f'xmlns:xmp="http://ns.adobe.com/xap/1.0/" {attrs}>{body}</rdf:Description></rdf:RDF></x:xmpmeta>'
            '<?xpacket end="w"?>').encode()


def _png(path, packet: bytes) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", packet.decode())
    Image.fromarray(asym()).save(path, pnginfo=info)


def test_a_jpegs_xmp_original_date_with_its_fraction_and_offset(tmp_path):
    path = tmp_path / "p.jpg"
    packet = _xmp("<exif:DateTimeOriginal>2024-07-14T18:03:22.45+05:30</exif:DateTimeOriginal>")
    Image.fromarray(asym()).save(path, xmp=packet)
    e = decode(path).exif
    assert e["captured_at"] == "2024-07-14T18:03:22+05:30"
    assert e["captured_subsec"] == 0.45


def test_a_png_export_with_photoshop_date_created(tmp_path):
    """Lightroom's attribute form (and exiftool's single quotes); Z is +00:00; xmp:ModifyDate is no capture time."""
    path = tmp_path / "p.png"
    _png(path, _xmp("", "xmp:ModifyDate='2025-01-01T00:00:00Z' photoshop:DateCreated='2024-07-14T18:03:22Z'"))
    assert decode(path).exif == {"captured_at": "2024-07-14T18:03:22+00:00"}
    _png(path, _xmp("", 'xmp:ModifyDate="2025-01-01T00:00:00"'))
    assert decode(path).exif["captured_at"] is None


def test_a_date_without_its_seconds_is_passed_for_the_next(tmp_path):
    path = tmp_path / "p.png"
    _png(path, _xmp("<exif:DateTimeOriginal>2024-07-14</exif:DateTimeOriginal>"
                    "<photoshop:DateCreated>2024-07-14T18:03</photoshop:DateCreated>"
                    "<xmp:CreateDate>2024-07-14T18:03:22</xmp:CreateDate>"))
    assert decode(path).exif["captured_at"] == "2024-07-14T18:03:22"


def test_the_exif_date_comes_first(tmp_path):
    path = tmp_path / "p.jpg"
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2024:07:14 18:03:22"
    packet = _xmp("<exif:DateTimeOriginal>2020-01-01T00:00:00</exif:DateTimeOriginal>")
    Image.fromarray(asym()).save(path, exif=exif, xmp=packet)
    assert decode(path).exif["captured_at"] == "2024-07-14T18:03:22"


def test_scan_writes_it_in_the_jsonl(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    _png(lib / "export.png", _xmp("", 'exif:DateTimeOriginal="2024-07-14T18:03:22.5"'))
    result = run("scan", lib, "--format", "jsonl", "--model", "none", "--db", tmp_path / "b.db")
    (line,) = jsonl(result.stdout)
    assert line["captured_at"] == "2024-07-14T18:03:22"


def test_the_properties_are_read_in_their_order(tmp_path):
    """exif:DateTimeOriginal, then photoshop:DateCreated, then exif:DateTimeDigitized, then xmp:CreateDate: each
    one's date is taken over the ones after it, whatever order the packet writes them in."""
    path = tmp_path / "p.png"
    dates = {"exif:DateTimeOriginal": "2021-01-01T01:01:01", "photoshop:DateCreated": "2022-02-02T02:02:02",
             "exif:DateTimeDigitized": "2023-03-03T03:03:03", "xmp:CreateDate": "2024-04-04T04:04:04"}
    names = list(dates)
    for first in range(4):
        kept = names[first:]
        _png(path, _xmp("".join(f"<{name}>{dates[name]}</{name}>" for name in reversed(kept))))
        assert decode(path).exif["captured_at"] == dates[kept[0]], kept


def test_a_date_that_is_no_date_is_passed_for_the_next(tmp_path):
    """A camera's blank date (0000-00-00T00:00:00), or a 30 February, is no capture time: the next property's is
    taken, not none at all."""
    path = tmp_path / "p.png"
    for bad in ("0000-00-00T00:00:00", "2024-02-30T10:00:00"):
        _png(path, _xmp(f"<exif:DateTimeOriginal>{bad}</exif:DateTimeOriginal>"
                        "<xmp:CreateDate>2024-07-14T18:03:22</xmp:CreateDate>"))
        assert decode(path).exif["captured_at"] == "2024-07-14T18:03:22", bad


def test_a_long_fraction_and_the_spacing_xml_allows(tmp_path):
    """A fraction to the nanosecond (exiftool's and phones' milliseconds), spaces around an attribute's '=', an
    element's value on a line of its own: all XML and XMP allow, read as exiftool reads them."""
    path = tmp_path / "p.png"
    _png(path, _xmp("", 'exif:DateTimeOriginal = "2024-07-14T18:03:22.123456789-04:00"'))
    assert decode(path).exif == {"captured_at": "2024-07-14T18:03:22-04:00", "captured_subsec": 0.123456789}
    _png(path, _xmp("<exif:DateTimeOriginal>\n    2024-07-14T18:03:22.120\n   </exif:DateTimeOriginal>"))
    assert decode(path).exif == {"captured_at": "2024-07-14T18:03:22", "captured_subsec": 0.12}
