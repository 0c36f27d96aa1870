"""A photo's burst place carried to its new path after a move by hand (blurscan.renamed.carry_decisions) against
a stale burst row already stored under that path: the row of a photo deleted by hand, whose name the moved one
then took. ``blurscan bursts`` keeps a deleted shot's row until it runs again, and the carry (UPDATE OR IGNORE)
left it there: the photo now at the path was a member of the deleted shot's group, with its rank and keeper mark,
until ``bursts`` ran again, and ``move --from-bursts`` read it so. Real scans of generated JPEG bursts (model
"none": the Laplacian variance ranks the shots)."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.review.library import bursts as review_bursts
from blurscan.store import Store
from helpers_images import T0, blurred, scene, shaken, shifted
from test_bursts_cli import _jpeg_with_time


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _scan(lib: Path) -> None:
    _run("scan", str(lib), "--model", "none", "--workers", "1")


def _taken(lib: Path, tmp_path: Path) -> set[str]:
    """The file names `move --from-bursts` (dry run) would take."""
    out = _run("move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib))
    return {line.split()[2] for line in out.splitlines() if line.startswith("would move ")}


def _groups(lib: Path) -> list[list[tuple[str, bool]]]:
    """The review page's bursts: each group's shots (file name, keeper), keeper first."""
    with Store(lib / ".blurscan.db") as store:
        return [[(os.path.basename(p["path"]), p["is_keeper"]) for p in g["photos"]] for g in review_bursts(store)]


def three_shot_burst(lib: Path) -> None:
    """One burst of three, scanned and ranked: IMG_0002.jpg (sharp) the keeper, IMG_0001.jpg (shaken) and
    IMG_0003.jpg (out of focus) its candidates."""
    a = scene(61)
    _jpeg_with_time(lib / "IMG_0001.jpg", shaken(a), T0)
    _jpeg_with_time(lib / "IMG_0002.jpg", shifted(a, 6, 0), T0 + dt.timedelta(seconds=1))
    _jpeg_with_time(lib / "IMG_0003.jpg", blurred(shifted(a, 3, 3), 2.0), T0 + dt.timedelta(seconds=2))
    _scan(lib)
    _run("bursts", str(lib))
    assert _groups(lib) == [[("IMG_0002.jpg", True), ("IMG_0001.jpg", False), ("IMG_0003.jpg", False)]]


def test_a_keeper_renamed_onto_a_deleted_shot_of_another_burst_is_not_taken_from_it(tmp_path):
    """Two bursts; the blurry shot of the second deleted by hand and the keeper of the first renamed to its name
    (IMG_0002.jpg -> IMG_0004.jpg). The keeper stood in the second burst too, as its candidate, and `move
    --from-bursts` took it, with the rest of its own burst: no shot of the first scene was left."""
    lib = tmp_path / "lib"
    a, b = scene(61), scene(62)
    _jpeg_with_time(lib / "IMG_0001.jpg", shaken(a), T0)
    _jpeg_with_time(lib / "IMG_0002.jpg", shifted(a, 6, 0), T0 + dt.timedelta(seconds=1))
    _jpeg_with_time(lib / "IMG_0003.jpg", b, T0 + dt.timedelta(seconds=600))
    _jpeg_with_time(lib / "IMG_0004.jpg", blurred(shifted(b, 3, 3), 2.0), T0 + dt.timedelta(seconds=601))
    _scan(lib)
    _run("bursts", str(lib))
    assert _taken(lib, tmp_path) == {"IMG_0001.jpg", "IMG_0004.jpg"}  # the blurry shot of each burst
    os.unlink(lib / "IMG_0004.jpg")
    os.rename(lib / "IMG_0002.jpg", lib / "IMG_0004.jpg")
    _scan(lib)
    assert _taken(lib, tmp_path) == {"IMG_0001.jpg"}  # the keeper, under its new name, stays
    # the review page shows it in its own burst only, as its keeper (the other burst has one shot left)
    assert _groups(lib) == [[("IMG_0004.jpg", True), ("IMG_0001.jpg", False)]]


def test_a_shot_renamed_onto_its_bursts_deleted_keeper_does_not_pass_for_the_keeper(tmp_path):
    """One burst of three; its keeper deleted by hand and its blurriest shot renamed to the keeper's name
    (IMG_0003.jpg -> IMG_0002.jpg). The blurriest shot took the keeper's row, and `move --from-bursts` took
    IMG_0001.jpg, the sharper of the two left, as beaten by it. Now its own row is under the name: the burst has
    no keeper in place, and both are left for review."""
    lib = tmp_path / "lib"
    three_shot_burst(lib)
    os.unlink(lib / "IMG_0002.jpg")
    os.rename(lib / "IMG_0003.jpg", lib / "IMG_0002.jpg")
    _scan(lib)
    assert _taken(lib, tmp_path) == set()
    assert _groups(lib) == [[("IMG_0001.jpg", False), ("IMG_0002.jpg", False)]]
    out = _run("move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib))
    assert "skip IMG_0002.jpg: its burst has no keeper in place; left for review" in out, out
