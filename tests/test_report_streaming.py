"""`blurscan report` reads the records from the database as it writes them (blurscan.listing) instead of holding
the library's records (400 MB for 50,000 photos until 2026-12): its output, in every format, is byte for byte what
the records held in memory give (the writers `scan` uses, on `Store.records()`, with the exclusions report always
made), on a generated library of varied records; and its memory no longer grows with the library's records."""
from __future__ import annotations

import io
import os
import random
import tracemalloc

import pytest

from blurscan import report
from blurscan.actions import moved_paths
from blurscan.pair_names import raw_twins_among
from blurscan.records import ScanRecord
from blurscan.store import Store
from blurscan.walk import one_name_per_file

from helpers_cli import run
from helpers_library import decide

ODD = ["with space.jpg", "ünïcødé.jpg", "😀 emoji.jpg", "\ue000private.jpg", "new\nline.jpg", "esc\x1b[31m.jpg",
       "zz.JPG", "A.jpg", "-dash.jpg", "a,comma\"quote.jpg"]


def _library(tmp_path, n: int, seed: int = 1, grid: tuple[int, int] = (9, 10)):
    """``n`` one-byte files in sub-folders (odd names among them, one not UTF-8) and a database with a record for
    each: errors, the three verdicts, --model none rows, scan --fast rows, rows with no figure, equal figures,
    RAW + JPEG pairs, scores that differ between records; then decisions, a file gone, one changed, a hard link,
    and rows stored again (so that the stored order is not the paths' order)."""
    rng = random.Random(seed)
    root = tmp_path / "lib"
    paths = []
    for i in range(n):
        folder = root / "odd" if i < len(ODD) else root / f"{2020 + i % 3}" / (f"sub {i % 5}" if i % 2 else "top")
        folder.mkdir(parents=True, exist_ok=True)
        name = ODD[i] if i < len(ODD) else f"IMG_{rng.randrange(10**6):06d}_{i}.jpg"
        paths.append(os.path.join(folder, name))
    bad = os.fsencode(root / "odd") + b"/\xffbad.jpg"  # not UTF-8: ranked among the names as Python sorts them
    paths.append(os.fsdecode(bad))
    pair = [str(root / "2021" / "top" / "IMG_PAIR.CR2"), str(root / "2021" / "top" / "IMG_PAIR.JPG")]
    paths += pair
    records = []
    for i, path in enumerate(paths):
        with open(path, "wb") as f:
            f.write(b"x" * (1 + i % 7))
        st = os.stat(path)
        records.append(_record(path, st, rng, i, pair, grid))
    db = tmp_path / "lib.db"
    with Store(db) as store:
        store.put(records, "k")
        store.put([r for r in records[::17]], "k")  # stored again: last in the stored order
        for path in paths[3:60:9]:
            decide(store, path, "keep")
        for path in paths[5:60:11]:
            decide(store, path, "discard")
    os.remove(paths[20])  # gone since the scan: not listed
    with open(paths[21], "ab") as f:
        f.write(b"more")  # changed since the scan: listed
    os.link(paths[22], os.path.join(os.path.dirname(paths[22]), "hard link.jpg"))
    with Store(db) as store:  # the hard link stored too (a scan of its folder alone): listed once
        st = os.stat(paths[22])
        store.put([ScanRecord(path=os.path.join(os.path.dirname(paths[22]), "hard link.jpg"), verdict="blurry",
                              p_blurry=0.99, size=st.st_size, mtime_ns=st.st_mtime_ns)], "k")
    return root, db


def _record(path, st, rng, i, pair, grid) -> ScanRecord:
    kind = 0 if i < 4 or path.endswith("bad.jpg") else i % 13  # (errors: ranked by path alone)
    common = dict(path=path, size=st.st_size, mtime_ns=st.st_mtime_ns, width=4000 + i % 3, height=3000,
                  format="JPEG", measure_version="m1")
    if kind == 0:
        return ScanRecord(path=path, status="error", error=f"cannot decode: truncated ({i})", size=st.st_size,
                          mtime_ns=st.st_mtime_ns)
    scores = {"laplacian_var_norm": rng.uniform(1, 500), "tenengrad": rng.uniform(1, 9)}
    if kind == 1:
        scores["extra_measure"] = 1.0  # a score only some records have: a CSV column of its own
    if path in pair:
        return ScanRecord(**common, verdict="blurry", p_blurry=0.875, blur_type="motion", laplacian_var=20.0,
                          scores=scores, note="judged from the RAW file of a RAW + JPEG pair")
    if kind in (2, 3):  # --model none
        return ScanRecord(**common, verdict=rng.choice(("blurry", "sharp")), laplacian_var=round(rng.uniform(1, 900)),
                          scores=scores)
    if kind == 4:  # scan --fast --model none: no full-size figure
        return ScanRecord(**common, verdict="sharp", scores=scores)
    if kind == 5:  # no figure at all
        return ScanRecord(**common, verdict="sharp", scores={})
    p = 0.5 if kind == 6 else rng.random()  # equal figures: ranked by path
    verdict = "blurry" if p > 0.7 else "partial" if p > 0.45 else "sharp"
    return ScanRecord(**common, verdict=verdict, p_blurry=p, blur_type=rng.choice(("none", "defocus", "motion")),
                      laplacian_var=rng.uniform(1, 900), scores=scores,
                      grid=[[round(rng.random(), 3) for _ in range(grid[1])] for _ in range(grid[0])], grid_box=[0.0, 0.0, 1.0, 1.0])


def on_disk(path, status, size, mtime_ns):
    """(report's check before it streamed) ``"missing"``, ``"changed"`` or None."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "missing" if not os.path.lexists(path) else None
    except OSError:
        return None
    if status == "ok" and size is not None and mtime_ns is not None and (st.st_size, st.st_mtime_ns) != (size, mtime_ns):
        return "changed"
    return None


def _expected(db, under, fmt: str, only=None) -> bytes:
    """What report wrote before it streamed: the records held, the same exclusions, the writers on the list."""
    with Store(db, readonly=True) as store:
        gone = moved_paths(store)
        stored = store.records(under=under)
        state = {r.path: on_disk(r.path, r.status, r.size, r.mtime_ns) for r in stored if r.path not in gone}
        missing = {p for p, s in state.items() if s == "missing"}
        others = one_name_per_file(r.path for r in stored if r.path not in gone and r.path not in missing)
        # (and since 2026-12-07 a RAW's own record beside its photo's, IMG_PAIR.CR2 beside IMG_PAIR.JPG: the
        # photo's RAW twin, which a scan stores no record of)
        others = {*others, *raw_twins_among(r.path for r in stored if r.path not in gone | missing | set(others))}
        records = report.filter_only([r for r in stored if r.path not in gone | missing and r.path not in others],
                                     only)
        kept, discarded = report.table_decisions(store, records)
    buf = io.StringIO(newline="")
    if fmt == "jsonl":
        report.write_jsonl(records, buf)
    elif fmt == "csv":
        report.write_csv(report.ranked(records), buf)
    else:
        buf.write(report.render_table_text(records, kept=kept, discarded=discarded))
    return buf.getvalue().encode("utf-8", "surrogateescape")


@pytest.mark.parametrize("fmt", ["table", "jsonl", "csv"])
def test_report_writes_what_the_records_held_in_memory_gave(tmp_path, fmt):
    root, db = _library(tmp_path, 620)  # more than the 500 rows rich lays out: the plain table
    for args, under, only in [((), root, None), (("--only", "partial"), root, ["partial"]),  # (rich's table)
                              (("--only", "errors", "--only", "blurry"), root / "2020", ["errors", "blurry"])]:
        out = tmp_path / f"out.{fmt}"
        result = run("report", under, "--db", db, "--format", fmt, "-o", out, *args)
        assert result.exit_code == 0, result.output
        assert out.read_bytes() == _expected(db, str(under), fmt, only), (fmt, args)


def test_report_table_on_standard_output_is_unchanged(tmp_path, monkeypatch):
    root, db = _library(tmp_path, 40)
    monkeypatch.chdir(root)
    result = run("report", "--db", db, ".")
    assert result.exit_code == 0
    with Store(db, readonly=True) as store:
        gone = moved_paths(store)
        stored = [r for r in store.records() if r.path not in gone]
        missing = {r.path for r in stored if on_disk(r.path, r.status, r.size, r.mtime_ns) == "missing"}
        records = [r for r in stored if r.path not in missing]
        others = one_name_per_file(r.path for r in records)
        records = [r for r in records if r.path not in others]
        twins = raw_twins_among(r.path for r in records)  # (IMG_PAIR.CR2 beside IMG_PAIR.JPG: its RAW twin)
        records = [r for r in records if r.path not in twins]
        kept, discarded = report.table_decisions(store, records)
    from rich.console import Console

    buf = io.StringIO()
    report.render_table(records, Console(file=buf, width=report.unwrapped_width(records), no_color=True,
                                         force_terminal=False, highlight=False), kept=kept, discarded=discarded)
    assert result.stdout_bytes == buf.getvalue().encode("utf-8", "surrogateescape")


def _peak(*args) -> int:
    tracemalloc.start()
    try:
        result = run(*args)
        assert result.exit_code == 0, result.output
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    return _library(tmp_path_factory.mktemp("large"), 2100, grid=(3, 4))  # (tracemalloc: small records)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "jsonl", "csv"])
def test_report_memory_does_not_grow_with_the_records(large, tmp_path, fmt):
    """700 photos, then 2,100 (both above the 500 rows rich lays out): the records held made each photo cost 2-4 kB more at the peak (Python objects of
    its JSON); now what grows is 200-600 bytes a photo (the one-name-per-file check's entry, blurscan.walk; for
    the table, the flagged photos asked about keeps elsewhere)."""
    root, db = large
    small = root / "2021"  # a third of the library
    out = tmp_path / "out"
    _peak("report", small, "--db", db, "--format", fmt, "-o", out)  # (imports, caches: not counted below)
    n_small = len(out.read_bytes().splitlines())
    low = _peak("report", small, "--db", db, "--format", fmt, "-o", out)
    high = _peak("report", root, "--db", db, "--format", fmt, "-o", out)
    per_row = (high - low) / (len(out.read_bytes().splitlines()) - n_small)
    assert per_row < 1000, f"{per_row:.0f} bytes more at the peak for each photo listed"


def test_raw_twins_are_looked_for_only_in_the_folders_of_raw_files(tmp_path, monkeypatch):
    """`report` hands every listed path to raw_twins_among (blurscan.listing.survey): the images of a folder
    without RAW files are not keyed (until 2026-12-07 each image was, some 240 bytes a photo held to the end of
    the survey: 24 MiB of report's peak at 100,000 photos), and the twins found are the same."""
    from blurscan import pair_names

    keyed = []
    real_key = pair_names.pair_key
    monkeypatch.setattr(pair_names, "pair_key", lambda stem: keyed.append(stem) or real_key(stem))
    plain = [str(tmp_path / "2024" / f"IMG_{i}.jpg") for i in range(50)]
    assert raw_twins_among(iter(plain)) == {} and keyed == []
    pair = [str(tmp_path / "raw" / "IMG_1.JPG"), str(tmp_path / "raw" / "IMG_1.CR2"), str(tmp_path / "raw" / "b.jpg"),
            str(tmp_path / "raw" / "PXL_1.RAW-01.COVER.jpg"), str(tmp_path / "raw" / "PXL_1.RAW-02.ORIGINAL.dng")]
    found = raw_twins_among(p for p in plain + pair)
    assert found == {pair[1]: pair[0], pair[4]: pair[3]}
    assert not any(stem.startswith("IMG_") and stem[4:].isdigit() and stem != "IMG_1" for stem in keyed)
