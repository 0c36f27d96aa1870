"""The tables of ``report`` and ``scan`` mark a photo kept elsewhere ``(kept)``, as ``move`` skips it: a keep in
another library database above the photo (``lib/b/.blurscan.db`` from an earlier ``scan lib/b``, or the library's
own when ``--db`` names another file). They listed it as plain ``blurry`` while ``move`` left it where it was."""
from __future__ import annotations

import os

from blurscan.actions import plan_move
from blurscan.store import Store
from helpers_cli import run
from helpers_library import decide


def _line(output: str, path: str) -> str:
    (line,) = [ln for ln in output.splitlines() if ln.rstrip().endswith(os.path.basename(path))]
    return line


def test_report_marks_a_photo_kept_in_a_database_above_it_as_move_skips_it(lib, tmp_path):
    root, store, f = lib
    with Store(root / "b" / ".blurscan.db") as sub:       # an earlier `scan lib/b`, and its review
        decide(sub, f["IMG_4"], "keep")
    with Store(root / "a" / ".blurscan.db") as sub:
        decide(sub, f["IMG_3"], "keep")                    # a sharp photo ...
    decide(store, f["IMG_3"], "discard")                   # ... discarded in the library's database
    taken = {p.photo for p in plan_move(store, tmp_path / "rejects", all_flagged=True).photos}
    assert f["IMG_4"] not in taken and f["IMG_3"] not in taken and f["IMG_5"] in taken

    out = run("report", root)
    assert out.exit_code == 0, out.output
    assert "blurry (kept)" in _line(out.stdout, f["IMG_4"])
    assert "sharp (kept)" in _line(out.stdout, f["IMG_3"])  # not "(discarded)": move leaves it
    assert "(kept)" not in _line(out.stdout, f["IMG_5"])
    assert "(kept)" not in _line(out.stdout, f["IMG_1"])


def test_the_scan_table_marks_a_photo_kept_in_the_librarys_own_database(library, tmp_path):
    """`scan --db elsewhere.db LIB`: a keep in LIB/.blurscan.db protects the photo from `move --db elsewhere.db`,
    and the scan's table says so."""
    root, _truth = library
    db = tmp_path / "elsewhere.db"
    scan = ("scan", root, "--db", db, "--model", "none", "--workers", "1")
    assert run(*scan).exit_code == 0
    with Store(db) as store:
        flagged = sorted(r.path for r in store.records() if r.verdict in ("blurry", "partial"))
    assert flagged, "the library has a photo the scan flags"
    with Store(root / ".blurscan.db") as own:
        decide(own, flagged[0], "keep")
    for out in (run(*scan), run("report", "--db", db)):
        assert out.exit_code == 0, out.output
        assert "(kept)" in _line(out.stdout, flagged[0])
        assert all("(kept)" not in _line(out.stdout, p) for p in flagged[1:])
