"""Images too small to judge (under 32 px on a side: an MNIST-style dataset's 28 x 28) are error records whose
reason depends on the file's bytes alone: a rescan reuses them while the file is unchanged (blurscan.too_small),
counts them among the unchanged, and says them in one note rather than a line each. Until 2026-12-06 every rescan
decoded each again and said each on stderr, as for every error record (5,000 images: 5,000 lines, seconds)."""
from __future__ import annotations

import os

import numpy as np
from PIL import Image

from blurscan.records import ImageRef, ScanRecord
from helpers_cli import jsonl, run

REASON = "too small to judge: 28 x 28 px (blurscan needs 32 px or more on each side)"


def _dataset(tmp_path, n=4):
    lib = tmp_path / "digits"
    lib.mkdir()
    rng = np.random.default_rng(0)
    for i in range(n):
        Image.fromarray((rng.random((28, 28)) * 255).astype(np.uint8)).save(lib / f"digit_{i}.png")
    Image.fromarray((rng.random((200, 300, 3)) * 255).astype(np.uint8)).save(lib / "photo.png")
    for name in os.listdir(lib):  # (not just written: a file changed in the last seconds is never reused)
        os.utime(lib / name, (1.7e9, 1.7e9))
    return lib


def _scan(lib):
    result = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return result


def test_a_rescan_reuses_images_too_small_to_judge(tmp_path):
    lib = _dataset(tmp_path)
    first = _scan(lib)
    assert first.stderr.count("too small to judge") == 4 and "(0 unchanged, reused)" in first.stderr
    again = _scan(lib)
    assert "too small to judge: 28" not in again.stderr, again.stderr
    assert "1 sharp, 4 errors (5 unchanged, reused)" in again.stderr, again.stderr
    # (the report named as it can be typed here, outside the library: a bare one found no database, until 2026-12-07)
    assert "note: 4 images too small to judge (under 32 px on a side), unchanged since the last scan, not read " \
        f"again; `blurscan report --only errors {lib}` lists them" in again.stderr, again.stderr
    rows = {os.path.basename(r["path"]): r for r in jsonl(again.stdout)}
    assert [rows[f"digit_{i}.png"]["error"] for i in range(4)] == [REASON] * 4
    assert {r["status"] for r in rows.values()} == {"error", "ok"} and rows["photo.png"]["status"] == "ok"
    assert {os.path.basename(r["path"]): r for r in jsonl(first.stdout)} == rows  # (the same records, every key)
    listed = run("report", "--only", "errors", lib)  # (as the note says it)
    assert listed.exit_code == 0 and listed.output.count(REASON) == 4, listed.output


def test_an_image_changed_or_touched_since_is_read_again(tmp_path):
    lib = _dataset(tmp_path)
    _scan(lib)
    os.chmod(lib / "digit_0.png", 0o600)  # (its status-change time moved: a file renamed over it moves it too)
    Image.fromarray(np.zeros((64, 64), np.uint8)).save(lib / "digit_1.png")  # now big enough to judge
    again = _scan(lib)
    assert "digit_0.png: too small to judge" in again.stderr and "digit_1.png" not in again.stderr, again.stderr
    assert "note: 2 images too small to judge" in again.stderr, again.stderr
    rows = {os.path.basename(r["path"]): r for r in jsonl(again.stdout)}
    assert rows["digit_1.png"]["status"] == "ok" and rows["digit_0.png"]["error"] == REASON


def test_only_a_too_small_error_of_the_very_file_judged_is_reusable():
    from blurscan import too_small

    ref = ImageRef("/p/a.png", 100, 5, None, 7)
    small = ScanRecord.from_error(ref, REASON)
    small.ctime_ns = 7
    assert too_small.reusable(small, ref)
    assert not too_small.reusable(small, ImageRef("/p/a.png", 100, 5, None, 8))  # touched, replaced
    assert not too_small.reusable(small, ImageRef("/p/a.png", 100, 5, "/p/a.CR2", 7))  # a RAW twin judges it
    for reason in ("too small to judge: 40 x 40 px (blurscan needs 32 px or more on each side)",  # a rule since
                   "permission denied", "truncated JPEG",
                   "too long and thin to judge: 200000 x 100 px (analysed within ...)"):
        other = ScanRecord.from_error(ref, reason)
        other.ctime_ns = 7
        assert not too_small.reusable(other, ref), reason
    before = ScanRecord.from_error(ref, REASON)  # stored before 2026-12-06: no status-change time
    assert not too_small.reusable(before, ref)


def test_the_report_it_names_lists_them_typed_in_another_folder_or_bare_in_the_library(tmp_path, monkeypatch):
    """A database given by ``--db``: the note's report names it; in the library, a bare report finds it."""
    import re
    import shlex

    lib, other = _dataset(tmp_path), tmp_path / "other"
    other.mkdir()
    monkeypatch.chdir(other)
    db = tmp_path / "dbs & co" / "digits.db"
    db.parent.mkdir()
    for _ in range(2):
        again = run("scan", lib, "--db", db, "--model", "none", "--workers", "1")
    words = shlex.split(re.search(r"`(blurscan report[^`]*)` lists them", again.stderr).group(1))
    assert words == ["blurscan", "report", "--only", "errors", "--db", str(db)], again.stderr
    assert run(*words[1:]).output.count(REASON) == 4
    monkeypatch.chdir(lib)
    for _ in range(2):  # (a database of its own, here: the first scan reads them, the second reuses them)
        again = run("scan", ".", "--model", "none", "--workers", "1")
    assert "`blurscan report --only errors` lists them" in again.stderr, again.stderr
