"""Paths near the system's limit (``PATH_MAX``: 4,096 bytes with the NUL that ends it; a folder tree may go deeper,
its files reachable only from a folder inside it) and names a photo's name makes longer than its folder takes
(``NAME_MAX``: 255 bytes). A folder past the limit was "file name too long" though every name in it was short; a
move to a ``--to`` longer than the library's path was promised by the dry run and failed with ``--yes``, after
making the folders above the photo; a sidecar ``NAME.EXT.xmp`` over 255 bytes was promised by ``tag``'s dry run;
and a photo deep enough that its temporary copy's path was too long could not be tagged, nor moved across drives.
"""
from __future__ import annotations

import os
from pathlib import Path

from blurscan.records import ScanRecord
from blurscan.store import Store
from helpers_cli import jsonl, run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide, force_cross_device, snapshot

SEGMENT = "d" * 250  # (a folder name well within the 255 bytes a folder takes)


def test_scan_says_a_folder_deeper_than_a_path_reaches_is_a_path_too_long_and_goes_on(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    save_jpeg(root / "top.jpg", textured(1, (48, 64)))
    fd = os.open(root, os.O_RDONLY)
    try:  # (made from inside the tree: its path is longer than a system call takes)
        for _ in range(17):
            os.mkdir(SEGMENT, dir_fd=fd)
            deeper = os.open(SEGMENT, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
        photo = os.open("deep.jpg", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        with os.fdopen(photo, "wb") as f:
            f.write((root / "top.jpg").read_bytes())
    finally:
        os.close(fd)
    out = run("scan", root, "--model", "none", "--workers", "1", "--format", "jsonl")
    records = jsonl(out.stdout)
    assert [r["path"] for r in records if r["status"] == "ok"] == [str(root / "top.jpg")]
    errors = [r for r in records if r["status"] != "ok"]
    assert len(errors) == 1 and errors[0]["path"].count(SEGMENT) >= 16, out.output
    size = len(os.fsencode(errors[0]["path"]))
    assert size > 4095
    assert errors[0]["error"] == f"cannot list folder: path too long: {size:,} bytes, longer than the system takes " \
                                 "(4,095)", errors[0]["error"]