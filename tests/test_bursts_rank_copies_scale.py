"""Ranking a burst of thousands of shots, each with a byte-identical copy (a time-lapse imported twice), each copy
a person edited: each shot's copies are found among its own, not among all the burst's. Until 2026-12-06 each
edited copy, and each shot placed, read every copy of the burst (4,000 such: 5 s; the square of their number).
Counted here by the comparisons of paths, not timed."""
from __future__ import annotations

import datetime as dt

from blurscan import bursts
from blurscan.records import ScanRecord

T0 = dt.datetime(2024, 5, 1, 12, 0, 0)


class _Path(str):
    """A path whose comparisons with another are counted."""

    compared = 0

    def __eq__(self, other):
        _Path.compared += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def _shot(name: str, second: int, sharpness: float) -> ScanRecord:
    return ScanRecord(path=_Path(f"/p/{name}.jpg"), width=4000, height=3000,
                      scores={"laplacian_var_norm": sharpness},
                      captured_at=(T0 + dt.timedelta(seconds=second)).isoformat())


def test_copies_of_thousands_of_edited_shots_are_placed_reading_each_set_alone():
    n = 2_000
    shots = [_shot(f"IMG_{i:04d}", i, 100.0 + i) for i in range(n)]
    copies = [_shot(f"IMG_{i:04d} (1)", i, 100.0 + i) for i in range(n)]
    # each shot listed as the copy (the shorter name is taken for the original, and a person edited it)
    duplicates = {s.path: c.path for s, c in zip(shots, copies)}
    edits = {s.path: [s.path.replace("IMG_", "IMG_E")] for s in shots}
    _Path.compared = 0
    ranked = bursts.rank_group(shots + copies, duplicates=duplicates, edits=edits)
    assert _Path.compared < 50 * n  # (before: 2 n^2, 8 million)
    # each edited shot stands for its copy, which follows it; the sharpest first
    assert [m.path for m in ranked[:4]] == ["/p/IMG_1999.jpg", "/p/IMG_1999 (1).jpg",
                                            "/p/IMG_1998.jpg", "/p/IMG_1998 (1).jpg"]
    assert ranked[1].reason == "duplicate of IMG_1999.jpg (same size and content)"
    assert all(m.is_keeper for m in ranked[::2]) and not any(m.is_keeper for m in ranked[1::2])
    assert len(ranked) == 2 * n and {m.path for m in ranked} == {r.path for r in shots + copies}


def test_a_shots_several_copies_follow_it_in_the_order_of_their_paths():
    shots = [_shot("IMG_1", 0, 300.0), _shot("IMG_2", 1, 200.0)]
    copies = [_shot(name, 0, 300.0) for name in ("IMG_1 (2)", "IMG_1 (3)", "IMG_1 (1)")]
    duplicates = {c.path: "/p/IMG_1.jpg" for c in copies}
    ranked = bursts.rank_group(copies + shots, duplicates=duplicates)
    assert [m.path for m in ranked] == ["/p/IMG_1.jpg", "/p/IMG_1 (1).jpg", "/p/IMG_1 (2).jpg", "/p/IMG_1 (3).jpg",
                                        "/p/IMG_2.jpg"]
    assert [m.is_keeper for m in ranked] == [True, False, False, False, False]
