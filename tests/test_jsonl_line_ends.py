"""A file name holding a character that JSON leaves raw in a string but line readers take for a line end (U+2028,
U+2029, NEL U+0085): the JSON Lines of ``scan``, ``report`` and ``bursts`` wrote it as it was, and a script reading
the output with ``text.splitlines()`` (as this suite's own helper does) got an object cut in two, ``json.loads``
failing on each half (2026-12-05). Such characters, the other control characters past ASCII's (DEL, C1) and the
direction controls are written as JSON escapes now: the same values to a JSON reader, one line to every reader."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from helpers_images import blurred, save_jpeg, scene, shifted, textured

ODD = ["line\u2028sep.jpg", "para\u2029sep.jpg", "nel\u0085name.jpg", "csi\u009b2Jname.jpg", "del\x7fname.jpg",
       "\u202eevil-gpj.jpg"]
RAW = "\u2028\u2029\u0085\u009b\x7f\u202e"


def _objects(text: str) -> list[dict]:
    assert not any(ch in text for ch in RAW), ascii(text)
    return [json.loads(line) for line in text.splitlines()]  # what a script does: one object per line


def test_scan_and_report_write_one_line_per_file_whatever_the_name(tmp_path):
    lib = tmp_path / "lib"
    for i, name in enumerate(ODD):
        save_jpeg(lib / name, textured(i))
    runner = CliRunner()
    scanned = runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1", "--format", "jsonl"])
    assert scanned.exit_code == 0, scanned.output
    reported = runner.invoke(main, ["report", str(lib), "--format", "jsonl"])
    assert reported.exit_code == 0, reported.output
    for out in (scanned.stdout, reported.stdout):
        objects = _objects(out)
        assert sorted(o["path"] for o in objects) == sorted(str(lib / name) for name in ODD)  # the exact names
        assert {o["status"] for o in objects} == {"ok"}


def test_bursts_write_one_line_per_group_whatever_the_name(tmp_path):
    lib = tmp_path / "lib"
    a = scene(62)
    for i, (name, img) in enumerate([("a\u2028b.jpg", a), ("c\u0085d.jpg", blurred(shifted(a, 2, 0), 3.0))]):
        exif = Image.Exif()
        exif.get_ifd(0x8769)[0x9003] = f"2024:06:02 09:00:0{i}"  # DateTimeOriginal: one second apart
        lib.mkdir(exist_ok=True)
        Image.fromarray(img).save(lib / name, quality=92, exif=exif)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    res = runner.invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    groups = _objects(res.stdout)
    assert len(groups) == 1
    assert {Path(m["path"]).name for m in groups[0]["members"]} == {"a\u2028b.jpg", "c\u0085d.jpg"}


def test_a_saved_table_has_one_line_per_photo_and_shows_the_separators(tmp_path):
    """The table (on a terminal, or saved with ``-o``) showed U+2028 and U+2029 as they were: a terminal shows
    nothing there, and ``splitlines()`` of a saved table cut the photo's row in two. They read ``\\u2028`` now, as
    the direction controls do (and every message naming such a file: :func:`blurscan.errors.printable_path`)."""
    lib = tmp_path / "lib"
    for i, name in enumerate(ODD):
        save_jpeg(lib / name, textured(i))
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    saved = tmp_path / "table.txt"
    assert runner.invoke(main, ["report", str(lib), "-o", str(saved)]).exit_code == 0
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 + len(ODD) + 1, lines  # header, rule, one row a photo, the closing count
    assert any(line.rstrip().endswith(f"{lib}/line\\u2028sep.jpg") for line in lines), lines
    assert any(line.rstrip().endswith(f"{lib}/para\\u2029sep.jpg") for line in lines), lines
