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
