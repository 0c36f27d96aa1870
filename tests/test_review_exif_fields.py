"""The detail view's EXIF basics when a photo's EXIF holds what its tags should not: a rational of 0/0 (an
aperture or focal length a manual lens leaves unknown), an infinite double, a camera maker written as a number,
an ISO written as three rationals. Until 2026-12-06 the detail view's JSON said ``NaN`` or ``Infinity`` (which
JavaScript cannot read: the panel showed ``Unexpected token 'N' ... is not valid JSON`` instead of the photo's
details), gave the maker as a number (the page's script failed on it and the panel stayed empty) or failed with
a 500 (``Object of type IFDRational is not JSON serializable``). Each field that is not what it should be is
left out now; the others are shown. A maker given as bytes that are not ASCII is shown with those bytes replaced,
a blank model is left out, and the lens's name is shown as text."""
from __future__ import annotations

import json
import struct
import warnings

import numpy as np
from PIL import Image

from blurscan.config import ScanSettings
from blurscan.pipeline import scan
from blurscan.review import security

from helpers_exif import ASCII, DOUBLE, RATIONAL, SHORT, UNDEFINED, overlapping_exif, raw_exif, rationals, text
from helpers_review import _get, review_client


def _exif_of(client, record) -> dict:
    reply = _get(client, f"/api/item/{security.path_id(record.path)}")

    def refuse(constant):
        raise AssertionError(f"{constant} in the detail view's JSON (JavaScript cannot read it)")
    return json.loads(reply.data, parse_constant=refuse)["exif"]


def test_exif_fields_that_are_not_what_their_tags_should_be_are_left_out(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    rng = np.random.default_rng(0)
    pixels = Image.fromarray((rng.random((60, 80, 3)) * 255).astype(np.uint8))
    model = (0x0110, ASCII, 6, text("Cam 1"))
    iso = (0x8827, SHORT, 1, struct.pack("<H", 200))
    pixels.save(photos / "unknown_aperture.jpg", exif=raw_exif(
        [model], [iso, (0x829D, RATIONAL, 1, rationals((0, 0))), (0x920A, RATIONAL, 1, rationals((0, 0))),
                  (0x829A, RATIONAL, 1, rationals((1, 0)))]))
    pixels.save(photos / "infinite.jpg", exif=raw_exif([model], [iso, (0x829D, DOUBLE, 1, struct.pack("<d", np.inf))]))
    pixels.save(photos / "maker_a_number.jpg", exif=raw_exif([(0x010F, SHORT, 1, struct.pack("<H", 7)), model], [iso]))
    pixels.save(photos / "iso_rationals.jpg", exif=raw_exif(
        [model], [(0x8827, RATIONAL, 3, rationals((1, 2), (3, 4), (5, 6)))]))
    # a maker as bytes that are not ASCII, a model of spaces alone, the lens's name (text, not a figure)
    pixels.save(photos / "text_fields.jpg", exif=raw_exif(
        [(0x010F, UNDEFINED, 6, b"Nik\xf6n\0"), (0x0110, ASCII, 4, b"   \0")],
        [iso, (0xA434, ASCII, 14, text("EF 50mm f/1.8"))]))
    db = photos / ".blurscan.db"
    records = {r.path.rsplit("/", 1)[-1]: r for r in scan([photos], ScanSettings(workers=1, model="none"), db=db)}
    assert all(r.status == "ok" for r in records.values()), records
    client = review_client((db, None))

    for name, kept in (("unknown_aperture.jpg", {"model": "Cam 1", "iso": 200.0}),
                       ("infinite.jpg", {"model": "Cam 1", "iso": 200.0}),
                       ("maker_a_number.jpg", {"model": "Cam 1", "iso": 200.0}),
                       ("iso_rationals.jpg", {"model": "Cam 1", "iso": 0.5}),
                       ("text_fields.jpg", {"make": "Nik\ufffdn", "lens": "EF 50mm f/1.8", "iso": 200.0})):
        exif = _exif_of(client, records[name])
        assert {k: v for k, v in exif.items() if k not in ("captured_at", "width", "height")} == kept, (name, exif)


def test_pillows_warnings_on_the_exif_are_not_written_to_the_servers_terminal(tmp_path):
    """(Until 2026-12-06 the detail view of a photo whose EXIF has thousands of tags Pillow skips wrote two lines
    for each on the terminal of ``blurscan review``, as the scan did: exif.quiet.)"""
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.fromarray(np.zeros((60, 80, 3), np.uint8)).save(photos / "warned.jpg", exif=overlapping_exif(300))
    db = photos / ".blurscan.db"
    [record] = scan([photos], ScanSettings(workers=1, model="none"), db=db)
    client = review_client((db, None))
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        _exif_of(client, record)
    assert not said, said[:3]
