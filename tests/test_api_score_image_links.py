"""``score_image`` of a broken symbolic link or a link loop: the scan's record says ``broken symbolic link`` and
``symbolic link loop``, the words docs/jsonl.md lists, but ``score_image`` raised ``file vanished (no such file)``
(a file that disappeared while being read: it never existed) and ``cannot open: too many levels of symbolic
links`` (2026-12-05). Its ``DecodeError`` has the reason a scan gives that file now, as the README promises."""
from __future__ import annotations

import os

import pytest

import blurscan
from blurscan.config import ScanSettings
from blurscan.errors import DecodeError

S1 = ScanSettings(workers=1, model="none")


@pytest.mark.parametrize("make", ["broken", "loop", "missing"])
def test_score_image_gives_the_reason_a_scan_gives(tmp_path, make):
    path = tmp_path / f"{make}.jpg"
    if make == "broken":
        os.symlink(tmp_path / "nowhere.jpg", path)
    elif make == "loop":
        os.symlink(path, path)
    scanned = list(blurscan.scan([str(path)], S1))
    assert len(scanned) == 1 and scanned[0].status == "error"
    with pytest.raises(DecodeError) as raised:
        blurscan.score_image(path, S1)
    assert raised.value.reason == scanned[0].error, (raised.value.reason, scanned[0].error)
    assert raised.value.path == str(path) and str(raised.value) == f"{path}: {scanned[0].error}"


def test_score_image_reads_and_names_the_file_a_scan_does_through_a_folders_link(tmp_path):
    """``lib/trip/../x.jpg``, ``trip`` a link to ``real/sub``, is ``lib/real/x.jpg`` to the system (and to a scan),
    but ``score_image`` dropped the ``..`` by text and scored ``lib/x.jpg``, another photo (until 2026-12-06); and
    a file given through a folder's link was named by the link, where the scan names it by the folder's real path
    (the README: score_image gives the record a scan of that file gives)."""
    from helpers_images import blurred, save_jpeg, textured

    lib = tmp_path / "lib"
    (lib / "real" / "sub").mkdir(parents=True)
    save_jpeg(lib / "real" / "x.jpg", blurred(textured(1, (96, 128)), 4.0))
    save_jpeg(lib / "x.jpg", textured(2, (64, 80)))  # (another size: the wrong file tells itself)
    os.symlink("real/sub", lib / "trip")
    os.symlink(lib, tmp_path / "link")
    for given in (lib / "trip" / ".." / "x.jpg", tmp_path / "link" / "real" / "x.jpg"):
        scanned = list(blurscan.scan([str(given)], S1))
        record = blurscan.score_image(str(given), S1)
        assert (record.width, record.height) == (128, 96) == (scanned[0].width, scanned[0].height)
        assert record.path == scanned[0].path == os.path.join(os.path.realpath(lib), "real", "x.jpg")
        assert record.to_json() == scanned[0].to_json()
