"""An export in a folder below its original (darktable's default ``darktable_exported/IMG_0003.jpg`` of
``IMG_0003.CR2``; Lightroom's, Capture One's ``Exports/``) keeps the original's name and EXIF dates: it was grouped
as a shot of the original's burst, and ``move --from-bursts`` proposed to move it. It is one shot with its
original, as an edit beside it is (twins.py), when its capture time is the original's to the fraction of a second;
a second camera's ``IMG_0003`` in a sub-folder, and a byte-identical backup copy, are not exports."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from helpers_images import blurred, scene, shifted

TAKEN = "2024:06:01 14:22:03"


def _jpeg(path: Path, img: np.ndarray, fraction: str | None, taken: str = TAKEN) -> None:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "Canon EOS R6"
    exif.get_ifd(0x8769).update({0x9003: taken, **({0x9291: fraction} if fraction else {})})
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(img).save(path, quality=92, exif=exif)


def _burst(lib: Path, fractions=("10", "20", "30", "40")) -> np.ndarray:
    """IMG_0001..4.JPG of one second, IMG_0002 the sharp one."""
    a = scene(71)
    for n, (img, fraction) in enumerate(zip([blurred(a, 3.0), shifted(a, 1, 0), blurred(shifted(a, 2, 0), 3.5),
                                             blurred(shifted(a, 3, 1), 4.0)], fractions), start=1):
        _jpeg(lib / f"IMG_{n:04d}.JPG", img, fraction)
    return a


def _bursts(tmp_path: Path, lib: Path) -> tuple[dict, str]:
    """The burst's members by path from ``lib``, and the move --from-bursts dry run's output."""
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    res = runner.invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    [group] = [json.loads(line) for line in res.stdout.splitlines()]
    dry = runner.invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib)])
    assert dry.exit_code == 0, dry.output
    return {str(Path(m["path"]).relative_to(lib)): m for m in group["members"]}, dry.output


def test_a_darktable_export_below_is_one_shot_with_its_original_never_a_candidate(tmp_path):
    lib = tmp_path / "2024-06-01"
    a = _burst(lib)
    export = lib / "darktable_exported" / "IMG_0003.jpg"
    _jpeg(export, blurred(shifted(a, 2, 0), 3.0), "30")
    members, dry = _bursts(tmp_path, lib)
    assert "darktable_exported/IMG_0003.jpg" not in members        # no shot of the burst ...
    assert members["IMG_0003.JPG"]["edits"] == [str(export)]       # ... but its original's export,
    assert members["IMG_0003.JPG"]["is_keeper"] is True            # kept, as a shot a person edited is
    assert "darktable_exported/IMG_0003.jpg" in members["IMG_0003.JPG"]["reason"]
    assert "IMG_0002.JPG [burst]" in dry
    assert "darktable_exported" not in dry and "IMG_0003.JPG" not in dry


def test_another_cameras_shot_or_a_backup_copy_below_stays_what_it_was(tmp_path):
    """``second/IMG_0003.JPG`` of the same second but another fraction (a second camera body's number), one with
    no fraction at all, and ``backup/IMG_0004.JPG`` (the same bytes: a duplicate) are no exports."""
    lib = tmp_path / "2024-06-01"
    a = _burst(lib)
    _jpeg(lib / "second" / "IMG_0003.JPG", blurred(shifted(a, 2, 1), 3.0), "35")
    _jpeg(lib / "nofraction" / "IMG_0001.JPG", blurred(shifted(a, 1, 1), 3.2), None)
    (lib / "backup").mkdir()
    shutil.copy2(lib / "IMG_0004.JPG", lib / "backup" / "IMG_0004.JPG")
    members, dry = _bursts(tmp_path, lib)
    assert {"second/IMG_0003.JPG", "backup/IMG_0004.JPG"} <= set(members)
    assert not any(m.get("edits") for m in members.values())
    assert members["IMG_0002.JPG"]["is_keeper"] is True
    assert "second/IMG_0003.JPG [burst]" in dry
    assert "backup/IMG_0004.JPG [duplicate of IMG_0004.JPG]" in dry


def test_without_fractions_a_shot_of_the_same_name_below_is_no_export(tmp_path):
    """A camera that writes no fraction of a second (none of the burst has one): ``second/IMG_0003.JPG`` of the
    very second is another body's shot, not taken for an export (the shot taken for edited would be kept before
    a sharper one)."""
    lib = tmp_path / "2024-06-01"
    a = _burst(lib, fractions=(None, None, None, None))
    _jpeg(lib / "second" / "IMG_0003.JPG", blurred(shifted(a, 2, 1), 3.0), None)
    members, dry = _bursts(tmp_path, lib)
    assert "second/IMG_0003.JPG" in members
    assert not any(m.get("edits") for m in members.values())


def test_exports_of_two_shots_are_named_from_their_shots_folder_in_each_reason(tmp_path):
    """darktable's exports of IMG_0002 (the sharpest) and IMG_0003, and a Lightroom export of IMG_0003 too: both
    shots are kept, IMG_0002 first; IMG_0003's reason, behind it, names its two exports by their paths from its
    folder, one after the other (mutants naming them by their file names alone, or joined without the space,
    lived)."""
    lib = tmp_path / "2024-06-01"
    a = _burst(lib)
    _jpeg(lib / "darktable_exported" / "IMG_0002.jpg", blurred(shifted(a, 1, 0), 0.8), "20")
    _jpeg(lib / "darktable_exported" / "IMG_0003.jpg", blurred(shifted(a, 2, 0), 3.0), "30")
    _jpeg(lib / "Exports" / "IMG_0003.jpg", blurred(shifted(a, 2, 0), 2.5), "30")
    members, dry = _bursts(tmp_path, lib)
    assert sorted(members) == ["IMG_0001.JPG", "IMG_0002.JPG", "IMG_0003.JPG", "IMG_0004.JPG"]
    assert members["IMG_0002.JPG"]["rank"] == 1
    assert members["IMG_0002.JPG"]["reason"] == \
        "you edited it (darktable_exported/IMG_0002.jpg): a shot you edited is kept"
    assert members["IMG_0003.JPG"]["rank"] == 2 and members["IMG_0003.JPG"]["is_keeper"] is True
    exports = ", ".join(str(Path(p).relative_to(lib)) for p in members["IMG_0003.JPG"]["edits"])
    assert sorted(exports.split(", ")) == ["Exports/IMG_0003.jpg", "darktable_exported/IMG_0003.jpg"]
    assert members["IMG_0003.JPG"]["reason"] == f"you edited it ({exports}): kept too"
    assert "IMG_0003.JPG" not in dry and "IMG_0002.JPG" not in dry
