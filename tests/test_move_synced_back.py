"""A photo that ``move`` took away and a sync tool brought back (from a device that had not seen the move yet, or a
phone's camera upload sending it again): the next scan finds it, ``move`` meets its own earlier copy at the
destination. It is never overwritten, and until 2026-12-06 the reason was ``destination exists: ... (never
overwritten)`` alone, at every move, as for any other file there; now it says that the file there has the same
bytes, so that the person knows the photo is already safe in the rejects folder."""
from __future__ import annotations

import shutil

from helpers_cli import run
from helpers_images import make_library

SCAN = ("--model", "none", "--workers", "1")


def test_a_photo_brought_back_after_its_move_is_said_to_be_there_already(tmp_path):
    lib, to = tmp_path / "Sync", tmp_path / "rejects"
    make_library(lib, n_sharp=1, n_blurry=2)
    assert run("scan", lib, *SCAN).exit_code == 0
    result = run("move", lib, "--all-blurry", "--to", to, "--yes")
    assert result.exit_code == 0 and "moved 2 photos" in result.output, result.output
    shutil.copy2(to / "blurry_1.jpg", lib / "blurry_1.jpg")  # synced back, bytes and time as they were
    (to / "blurry_0.png").rename(tmp_path / "elsewhere.png")  # (and another, edited on the other device)
    (lib / "blurry_0.png").write_bytes((tmp_path / "elsewhere.png").read_bytes())
    (tmp_path / "elsewhere.png").rename(to / "blurry_0.png")
    with open(to / "blurry_0.png", "ab") as fh:
        fh.write(b"\0")
    assert run("scan", lib, *SCAN).exit_code == 0
    for yes in ((), ("--yes",)):
        result = run("move", lib, "--all-blurry", "--to", to, *yes)
        assert (f"blurry_1.jpg: destination exists: {to / 'blurry_1.jpg'} (never overwritten): the same bytes as "
                "blurry_1.jpg, moved there before and back in the library since (brought back by a sync tool?): "
                "delete it from the library by hand if it is to go") in result.output, result.output
        assert f"destination exists: {to / 'blurry_0.png'} (never overwritten)\n" in result.output, result.output
    assert (lib / "blurry_1.jpg").exists() and (lib / "blurry_0.png").exists()


def test_a_file_there_that_differs_only_in_its_middle_is_not_said_the_same(tmp_path):
    """The file at the destination has the photo's size, first and last 64 KiB (a sample's) and one byte other in
    the middle: it is not said to hold the same bytes, for the message tells the person to delete the photo by hand."""
    lib, to = tmp_path / "Sync", tmp_path / "rejects"
    make_library(lib, n_sharp=1, n_blurry=2)
    with open(lib / "blurry_1.jpg", "ab") as fh:  # (a motion photo's video after the picture: 300 kB)
        fh.write(bytes(range(256)) * 1200)
    assert run("scan", lib, *SCAN).exit_code == 0
    assert "moved 2 photos" in run("move", lib, "--all-blurry", "--to", to, "--yes").output
    shutil.copy2(to / "blurry_1.jpg", lib / "blurry_1.jpg")
    data = bytearray((to / "blurry_1.jpg").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (to / "blurry_1.jpg").write_bytes(bytes(data))
    assert run("scan", lib, *SCAN).exit_code == 0
    result = run("move", lib, "--all-blurry", "--to", to, "--yes")
    assert f"destination exists: {to / 'blurry_1.jpg'} (never overwritten)\n" in result.output, result.output
    assert "the same bytes" not in result.output, result.output
