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
