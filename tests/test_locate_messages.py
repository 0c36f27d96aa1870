"""How the commands that find the library's database say which one they use, and why none: `bursts . --db`
listed the whole library (an explicit `.` was taken for no PATH), its closing line counted candidates that
`move --from-bursts PATH` does not take (a group listed for its keeper under PATH, its other shots elsewhere),
the cache-folder database of a read-only library was used without a word, and a folder named `.blurscan.db`
was "no blurscan database found here ... (run blurscan scan first)", a scan that then refused it. Real scans
of generated photos."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import numpy as np
from PIL import Image

from helpers_cli import run
from helpers_images import T0, save_jpeg, scene, shaken, shifted, textured

SCAN = ("--model", "none", "--workers", "1")
COUNT = re.compile(r"(\d+) candidates? for `blurscan move/trash --from-bursts`")


def _shot(path: Path, rgb: np.ndarray, seconds: float) -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = (T0 + dt.timedelta(seconds=seconds)).strftime("%Y:%m:%d %H:%M:%S")
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(path, format="JPEG", quality=92, exif=exif)


def _scanned(lib: Path) -> None:
    result = run("scan", lib, *SCAN)
    assert result.exit_code == 0, result.output


def test_bursts_with_db_lists_only_the_groups_under_an_explicit_path_even_dot(tmp_path, monkeypatch):
    a, b = scene(61), scene(62)
    lib = tmp_path / "lib"
    _shot(lib / "2023" / "a1.jpg", shaken(a), 0)
    _shot(lib / "2023" / "a2.jpg", shifted(a, 6, 0), 1)
    _shot(lib / "2024" / "b1.jpg", b, 1000)
    _shot(lib / "2024" / "b2.jpg", shaken(shifted(b, -5, 2)), 1001)
    _scanned(lib)
    monkeypatch.chdir(lib / "2023")
    monkeypatch.delenv("PWD", raising=False)
    db = os.path.join("..", ".blurscan.db")
    dot = run("bursts", ".", "--db", db, "--format", "jsonl")
    assert dot.exit_code == 0, dot.output
    listed = [sorted(os.path.basename(m["path"]) for m in json.loads(g)["members"]) for g in dot.stdout.splitlines()]
    assert listed == [["a1.jpg", "a2.jpg"]], dot.stdout  # as `report . --db` lists only the files under `.`
    report = run("report", ".", "--db", db, "--format", "jsonl")
    assert "b1.jpg" not in report.stdout and "a1.jpg" in report.stdout
    # no PATH with --db: the whole database, as `report --db` lists it
    everything = run("bursts", "--db", db, "--format", "jsonl")
    assert everything.exit_code == 0 and len(everything.stdout.splitlines()) == 2, everything.output


def test_bursts_closing_line_counts_what_from_bursts_takes_under_path(tmp_path):
    """The keeper lies in bl/a, both other shots in bl/b: `bursts bl/a` lists the group and said "2 candidates",
    `move --from-bursts bl/a` takes none."""
    a = scene(61)
    lib = tmp_path / "bl"
    _shot(lib / "a" / "k.jpg", a, 0)
    _shot(lib / "b" / "x1.jpg", shaken(a), 1)
    _shot(lib / "b" / "x2.jpg", shaken(shifted(a, 3, 0), 9), 2)
    _scanned(lib)
    listed = run("bursts", lib / "a")
    assert listed.exit_code == 0 and "k.jpg" in listed.stdout, listed.output
    assert int(COUNT.search(listed.stderr).group(1)) == 0, listed.stderr
    assert f"under {lib / 'a'} (2 more outside it)" in listed.stderr, listed.stderr
    moved = run("move", "--to", tmp_path / "rejects", "--from-bursts", lib / "a")
    assert moved.exit_code == 0 and "Dry run: 0 photos" in moved.output, moved.output
    # the library: both, as move takes them, and no word of elsewhere
    whole = run("bursts", lib)
    assert int(COUNT.search(whole.stderr).group(1)) == 2 and "outside" not in whole.stderr, whole.stderr
    moved = run("move", "--to", tmp_path / "rejects", "--from-bursts", lib)
    assert "Dry run: 2 photos" in moved.output, moved.output


def test_the_cache_folder_database_of_a_read_only_library_is_named(tmp_path, monkeypatch):
    """`chmod 0555 lib; blurscan scan lib` keeps the database in the cache folder (no lib/.blurscan.db); report,
    review and the actions used it without a word, where a read-only lib/.blurscan.db gets a note. (As root
    blurscan honours the mode; as another user the system refuses the write.)"""
    from blurscan.review import server as server_mod

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lib = tmp_path / "lib"
    save_jpeg(lib / "IMG_1.jpg", textured(1))
    lib.chmod(0o555)
    try:
        _scanned(lib)
        assert not (lib / ".blurscan.db").exists()
        (cache,) = (tmp_path / "cache" / "blurscan").glob("*.db")
        note = f"note: {lib} has no .blurscan.db (it could not be written when scanned); using {cache}, "

        opened = []

        def served(db_path, **kwargs):
            opened.append(db_path)
            raise SystemExit(0)

        monkeypatch.setattr(server_mod, "ReviewServer", served)
        review = run("review", lib, "--no-browser")
        assert review.exit_code == 0 and opened == [str(cache)], review.output
        for result in (run("report", lib), review, run("trash", "--all-blurry", lib)):
            lines = [line for line in result.stderr.splitlines() if line.startswith("note: ") and str(cache) in line]
            assert len(lines) == 1 and lines[0].startswith(note), result.stderr
    finally:
        lib.chmod(0o755)


def test_a_folder_where_the_database_should_be_is_said_to_be_one(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "2024" / "IMG_1.jpg", textured(1))
    (lib / ".blurscan.db").mkdir()
    said = (f"Error: {lib / '.blurscan.db'}: cannot use database: it is a folder, not a database file (rename or "
            "remove the folder, or choose another file with --db)\n")
    for args in (("report",), ("review", "--no-browser"), ("bursts",), ("undo",), ("trash",),
                 ("move", "--to", tmp_path / "rejects")):
        for where in (lib, lib / "2024"):  # the library, and a folder inside it
            result = run(*args, where)
            assert result.exit_code == 1 and result.output == said, (args, result.output)
    scan = run("scan", lib, *SCAN)  # the scan they no longer advise says the same
    assert scan.exit_code == 1 and said in scan.output, scan.output


def test_a_name_too_long_is_said_so_by_every_command(tmp_path):
    """A PATH with a name over the file system's limit (255 bytes): `scan` said `file name too long`, and
    `report`, `bursts`, `move` and `review` said `no such file or directory` (until 2026-12-05)."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "a.jpg", textured(1))
    assert run("scan", lib, *SCAN).exit_code == 0
    long = lib / ("x" * 300)
    for args in (("scan", long, *SCAN), ("report", long), ("bursts", long),
                 ("move", long, "--all-blurry", "--to", tmp_path / "out"), ("review", long, "--no-browser")):
        res = run(*args)
        assert res.exit_code == 1, (args, res.output)
        assert f"{long}: file name too long" in res.stderr, (args, res.stderr)
        assert "no such file" not in res.stderr, (args, res.stderr)
