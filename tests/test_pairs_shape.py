"""Which file of a RAW + JPEG pair judges the photo: the JPEG's own shape decides (blurscan.pairs,
blurscan.analysis.reaches_full_scale), not its long side alone.

A long thin picture (a panorama's strip, over 16:1) is analysed with its short side at 64 px where it has them,
so a JPEG long enough on its long side can still be smaller than its analysis image: the RAW then judges it.
"""
from __future__ import annotations

import cv2
import pytest
from PIL import Image

import blurscan
from blurscan.config import ScanSettings
from blurscan.pairs import settled
from blurscan.records import ScanRecord

from helpers_images import textured
from helpers_raw import write_dng


def _pair(folder, jpeg_size, raw_size=(8192, 192), name="PANO_1"):
    """A DNG of a ``raw_size`` (w, h) picture and its camera JPEG at ``jpeg_size``, the same picture."""
    w, h = raw_size
    rgb = cv2.resize(textured(5, (h // 4, w // 4)), (w, h), interpolation=cv2.INTER_CUBIC)
    write_dng(folder / f"{name}.DNG", rgb)
    Image.fromarray(cv2.resize(rgb, jpeg_size, interpolation=cv2.INTER_AREA)).save(folder / f"{name}.JPG",
                                                                                    "JPEG", quality=92)
    return folder / f"{name}.JPG"


def _judge(jpeg):
    (record,) = blurscan.scan([str(jpeg)], ScanSettings(workers=1, model="none"), db=None)
    return record


def test_a_thin_jpeg_long_enough_but_thinner_than_its_analysis_image_is_judged_from_its_raw(tmp_path):
    """2048 x 48: its long side passes the 1024-px test, but it is analysed at 2048 x 48 where its RAW
    (8192 x 192) is analysed at 2731 x 64: the old rule judged it from the JPEG's 48 rows."""
    record = _judge(_pair(tmp_path, (2048, 48)))
    assert record.status == "ok", record.error
    assert record.format == "DNG" and (record.width, record.height) == (8192, 192)
    assert record.note == ("judged from the RAW twin PANO_1.DNG: this file is 2048 x 48 px, below the analysis size "
                           "of so long and thin a picture (2731 x 64 px)")


@pytest.mark.parametrize("jpeg_size", [(4096, 96), (2731, 64)])
def test_a_thin_jpeg_that_reaches_its_analysis_image_is_judged_itself(tmp_path, jpeg_size):
    record = _judge(_pair(tmp_path, jpeg_size))
    assert record.status == "ok", record.error
    assert record.format == "JPEG" and (record.width, record.height) == jpeg_size and record.note is None


@pytest.mark.parametrize("jpeg_size,judged", [((1024, 1024), "JPEG"), ((1024, 576), "JPEG"), ((900, 900), "DNG")])
def test_a_cropped_jpeg_is_judged_by_its_own_shape(tmp_path, jpeg_size, judged):
    """A camera JPEG cropped (1:1, 16:9) beside the sensor's 3:2 RAW: its own long side against the analysis size,
    as for any ordinary shape."""
    record = _judge(_pair(tmp_path, jpeg_size, raw_size=(1536, 1024), name="IMG_1"))
    assert record.status == "ok" and record.format == judged, (record.format, record.note)


def test_a_stored_record_of_a_thin_jpeg_judged_from_itself_is_judged_again(tmp_path):
    """A record stored by the old rule (the 2048 x 48 JPEG judged from itself) is not reused while its RAW is
    there; one of a JPEG that reaches its analysis image is."""
    settings = ScanSettings()
    twin = str(write_dng(tmp_path / "PANO_1.DNG", textured(1, (64, 256))))
    for (w, h), reused in (((2048, 48), False), ((48, 2048), False), ((4096, 96), True), ((1536, 1024), True)):
        record = ScanRecord(path=str(tmp_path / "PANO_1.JPG"), status="ok", format="JPEG", width=w, height=h)
        assert settled(record, settings, twin) is reused, (w, h)
        assert settled(record, settings, None)  # no RAW beside it: nothing else to judge it
