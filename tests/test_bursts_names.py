"""How burst reasons name the shots when two shots of one group have the same file name in different folders
(cameras and cards reuse numbers): the reasons named them by file name only, so the blurred ``IMG_0001.jpg``
read ``IMG_0001.jpg is better`` (2026-12-04)."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from blurscan import bursts
from blurscan.bursts.reason_names import group_names
from blurscan.cli import main
from blurscan.store import Store
from helpers_images import blurred, scene, shifted


def _shot(path: Path, img, taken: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken  # DateTimeOriginal
    Image.fromarray(img).save(path, quality=92, exif=exif)


def test_group_names_tell_alike_names_apart_and_keep_the_others_short():
    names = group_names(["/l/camA/IMG_0001.jpg", "/l/camB/IMG_0001.jpg", "/l/camA/IMG_0002.jpg"])
    assert names == {"/l/camA/IMG_0001.jpg": "camA/IMG_0001.jpg", "/l/camB/IMG_0001.jpg": "camB/IMG_0001.jpg",
                     "/l/camA/IMG_0002.jpg": "IMG_0002.jpg"}
    deep = group_names(["/l/2023/a/IMG_1.jpg", "/l/2024/a/IMG_1.jpg"])
    assert deep == {"/l/2023/a/IMG_1.jpg": "2023/a/IMG_1.jpg", "/l/2024/a/IMG_1.jpg": "2024/a/IMG_1.jpg"}


def test_a_burst_across_cards_names_the_keeper_apart_from_its_namesake(tmp_path):
    lib = tmp_path / "lib"
    a = scene(61)
    _shot(lib / "camA" / "IMG_0001.jpg", blurred(a, 4.0), "2024:06:02 09:00:00")
    _shot(lib / "camB" / "IMG_0001.jpg", shifted(a, 2, 0), "2024:06:02 09:00:01")
    _shot(lib / "camA" / "IMG_0002.jpg", blurred(shifted(a, 1, 0), 2.0), "2024:06:02 09:00:02")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    res = runner.invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [m for line in res.stdout.splitlines() for m in json.loads(line)["members"]]
    shots = {Path(r["path"]).relative_to(lib).as_posix(): r for r in rows}
    assert shots["camB/IMG_0001.jpg"]["rank"] == 1
    for other in ("camA/IMG_0001.jpg", "camA/IMG_0002.jpg"):
        assert shots[other]["reason"].startswith("camB/IMG_0001.jpg is better"), shots[other]["reason"]
    assert "next: camA/IMG_0002.jpg" not in shots["camB/IMG_0001.jpg"]["reason"]  # that name is unique
    # a person's choice is named the same way
    with Store(lib / ".blurscan.db") as store:
        group = bursts.load_groups(store)[0]
        bursts.choose_keeper(store, group.group_id, str(lib / "camA" / "IMG_0001.jpg"))
        reasons = {Path(m.path).relative_to(lib).as_posix(): m.reason for m in bursts.load_groups(store)[0].members}
    assert reasons["camB/IMG_0001.jpg"] == "a person chose camA/IMG_0001.jpg"
    assert reasons["camA/IMG_0002.jpg"] == "a person chose camA/IMG_0001.jpg"


def test_a_name_with_a_newline_neither_stops_bursts_nor_a_move(tmp_path):
    """``a\\nb.jpg`` matched none of the name patterns (no DOTALL, ``$``): ``bursts``, and ``move``/``trash`` with a
    Takeout ``.json`` in the folder, ended in a traceback (AttributeError on ``None.groups()``)."""
    from blurscan.bursts.twins import original_stem, truncated_original_stem
    from helpers_images import save_jpeg, textured

    assert truncated_original_stem("a\nb") is None and original_stem("IMG_E0001\n") is None
    assert original_stem("a\nb-edited") == "a\nb"
    lib = tmp_path / "lib"
    a = scene(62)
    _shot(lib / "a\nb.jpg", a, "2024:06:02 09:00:00")
    _shot(lib / "c.jpg", blurred(shifted(a, 1, 0), 4.0), "2024:06:02 09:00:01")
    save_jpeg(lib / "blurry\nx.jpg", blurred(textured(5)))
    (lib / "blurry\nx.jpg.json").write_text("{}")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    grouped = runner.invoke(main, ["bursts", str(lib)])
    assert grouped.exit_code == 0 and grouped.exception is None, grouped.output
    moved = runner.invoke(main, ["move", "--to", str(tmp_path / "rej"), str(lib), "--all-blurry", "--yes"])
    assert moved.exit_code == 0 and moved.exception is None, moved.output
    assert (tmp_path / "rej" / "blurry\nx.jpg").exists() and (tmp_path / "rej" / "blurry\nx.jpg.json").exists()


def test_alike_names_of_relative_and_absolute_paths_are_named_whole():
    """Records of one group given with relative and absolute paths (the Python API's ``rank_group`` takes what
    it is given): no common folder to name them from (``os.path.commonpath`` refuses them mixed), so each alike
    name is its whole path, the others their file name (a mutant catching another error than that one lived)."""
    names = group_names(["camA/IMG_0001.jpg", "/l/camB/IMG_0001.jpg", "/l/camB/IMG_0002.jpg"])
    assert names == {"camA/IMG_0001.jpg": "camA/IMG_0001.jpg", "/l/camB/IMG_0001.jpg": "/l/camB/IMG_0001.jpg",
                     "/l/camB/IMG_0002.jpg": "IMG_0002.jpg"}


def test_the_reasons_show_names_with_control_characters_escaped(tmp_path):
    """A keeper whose name holds an escape sequence (``c\\x1b[2Jd.jpg``: it would clear the terminal) and two shots
    of one name with a newline in two folders: each reason names them escaped, as the file column does, the two
    alike ones by their folder (mutants naming them as they are lived: the terminal cleared, a reason cut in two
    lines)."""
    lib = tmp_path / "lib"
    a = scene(62)
    _shot(lib / "x" / "c\x1b[2Jd.jpg", a, "2024:06:02 09:00:00")
    _shot(lib / "x" / "a\nb.jpg", blurred(shifted(a, 1, 0), 2.0), "2024:06:02 09:00:01")
    _shot(lib / "y" / "a\nb.jpg", blurred(shifted(a, 0, 1), 4.0), "2024:06:02 09:00:02")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    out = runner.invoke(main, ["bursts", str(lib)])
    assert out.exit_code == 0, out.output
    assert "\x1b" not in out.output, out.output
    # (the line after the closing line names the command that takes the candidates: set aside, one line)
    lines = out.output.splitlines()
    assert len(lines) == 9 and lines[1].startswith("next: `blurscan trash --from-bursts "), out.output
    del lines[1]
    reasons = [line.strip() for line in lines[3::2]]
    assert reasons[0].startswith("sharpest of 3: ") and reasons[0].endswith(r"(next: x/a\x0ab.jpg)"), reasons
    assert reasons[1].startswith(r"c\x1b[2Jd.jpg is better: ") and reasons[2].startswith(r"c\x1b[2Jd.jpg is better: ")
