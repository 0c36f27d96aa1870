"""A camera RAW whose uncompressed preview claims a size its file cannot hold (a damaged or hostile DNG: 15000 x
15000 RGB in 13 kB). LibRaw copies the bytes the file has, and rawpy shows them as an array of the claimed size:
reading it read far outside them, and the scan died with a segmentation fault, its output lost (until 2026-12-05;
found by fuzzing the decoders). Such a preview is left alone and the sensor data developed, as when there is no
preview. Run in a subprocess: the failure killed the process."""
from __future__ import annotations

import json

import numpy as np
import tifffile

from helpers_cli import cli
from helpers_images import save_jpeg, textured
from helpers_raw import write_dng


def _claiming(path, width: int, height: int):
    """Make the preview (IFD0) of the DNG at ``path`` claim ``width`` x ``height`` pixels, one strip."""
    data = bytearray(path.read_bytes())
    with tifffile.TiffFile(path) as tf:
        tags = tf.pages[0].tags
        order = "little" if tf.byteorder == "<" else "big"
        slots = [(tags["ImageWidth"], width), (tags["ImageLength"], height), (tags["RowsPerStrip"], height)]
        slots = [(t.valueoffset, 2 if int(t.dtype) == 3 else 4, v) for t, v in slots]
    for offset, size, value in slots:
        data[offset:offset + size] = value.to_bytes(size, order)
    path.write_bytes(bytes(data))


def test_a_preview_larger_than_its_file_is_left_alone(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    rgb = (np.random.default_rng(5).random((64, 64, 3)) * 255).astype(np.uint8)
    _claiming(write_dng(lib / "DSC_0001.dng", rgb, preview="bitmap"), 15000, 15000)
    save_jpeg(lib / "IMG_0002.jpg", textured(2))
    result = cli("scan", lib, "--format", "jsonl", "--workers", "1")
    assert result.returncode == 0, (result.returncode, result.stderr[-500:])
    rows = {r["path"].rsplit("/", 1)[1]: r for r in map(json.loads, result.stdout.decode().splitlines())}
    dng = rows["DSC_0001.dng"]
    assert (dng["status"], dng["format"], dng["width"], dng["height"]) == ("ok", "DNG", 64, 64)
    assert rows["IMG_0002.jpg"]["status"] == "ok"
