"""More of ``-o FILE`` copied into the file itself (another user's file in a sticky folder, whose rename is
refused): an earlier list longer than the new one leaves none of its end behind (found by mutation testing of
cli/output.py's ``_copy_in_place``)."""
from __future__ import annotations

from helpers_cli import run
from helpers_images import make_library

SCAN = ("--model", "none", "--workers", "1")


def test_a_shorter_list_copied_into_the_file_leaves_nothing_of_the_earlier_one(tmp_path, monkeypatch):
    from blurscan.cli import output

    lib = tmp_path / "lib"
    make_library(lib)
    assert run("scan", lib, *SCAN).exit_code == 0
    listed = run("report", lib, "--format", "csv").stdout
    out = tmp_path / "list.csv"
    out.write_text("an earlier, longer list\n" * 200)

    def refused(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(output.os, "replace", refused)  # (a sticky folder: the list is copied into the file)
    inode = out.stat().st_ino
    assert run("report", lib, "--format", "csv", "-o", out).exit_code == 0
    assert out.read_text() == listed and out.stat().st_ino == inode
