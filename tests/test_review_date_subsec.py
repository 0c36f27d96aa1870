"""The review page's "date taken" sort orders the shots of one second by the fraction of it the camera wrote
(EXIF ``SubSecTimeOriginal``), as ``blurscan bursts`` does: until 2026-12-06 the files' modification times
decided, so a burst copied in another order than it was shot (a copy that does not keep the times) was listed
out of its shooting order. Scanned by the real command line, read through the review app."""
from __future__ import annotations

import os

from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from helpers_images import blurred, scene
from helpers_review import _names, review_client

T = 1_717_236_000  # the files' times (2024-06-01), one second apart in the order they were copied


def _shot(path, pixels, date: str, subsec: str | None) -> None:
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = date  # DateTimeOriginal
    if subsec is not None:
        sub[0x9291] = subsec  # SubSecTimeOriginal
    Image.fromarray(pixels).save(path, format="JPEG", quality=92, exif=exif)


def _scanned(lib):
    done = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert done.exit_code == 0, done.output
    return review_client((lib / ".blurscan.db", {}))


def test_shots_of_one_second_are_listed_by_their_fractions_not_their_files_times(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    img = scene(5)
    for i in range(5):  # IMG_0001 ... IMG_0005 shot 0.2 s apart within one second
        _shot(lib / f"IMG_{i + 1:04d}.jpg", blurred(img, 1 + i), "2024:06:01 10:00:00", str(i * 2))
    for k, i in enumerate([3, 1, 4, 0, 2]):  # copied in another order
        os.utime(lib / f"IMG_{i + 1:04d}.jpg", (T + k, T + k))
    client = _scanned(lib)
    # (the files' order was IMG_0004, IMG_0002, IMG_0005, IMG_0001, IMG_0003)
    assert _names(client, "filter=all&sort=date") == [f"IMG_{i:04d}.jpg" for i in range(1, 6)]


def test_a_second_without_fractions_keeps_the_files_order_and_other_seconds_stay_in_place(tmp_path):
    """Shots whose camera wrote no fraction come in their files' order, as before; a shot without a fraction among
    those with one reads as its date does, at the start of its second; whole seconds order first."""
    lib = tmp_path / "lib"
    lib.mkdir()
    img = scene(6)
    shots = [("a.jpg", "2024:06:01 10:00:01", None, 2), ("b.jpg", "2024:06:01 10:00:01", None, 1),
             ("c.jpg", "2024:06:01 10:00:00", "7", 5), ("d.jpg", "2024:06:01 10:00:00", None, 6),
             ("e.jpg", "2024:06:01 10:00:00", "3", 4), ("f.jpg", "2024:06:01 09:59:59", "9", 3)]
    for n, (name, date, subsec, k) in enumerate(shots):
        _shot(lib / name, blurred(img, 1 + n / 2), date, subsec)
        os.utime(lib / name, (T + k, T + k))
    client = _scanned(lib)
    assert _names(client, "filter=all&sort=date") == ["f.jpg", "d.jpg", "e.jpg", "c.jpg", "b.jpg", "a.jpg"]
