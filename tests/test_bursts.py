"""Burst groups, the algorithm: grouping on generated images (time window, Hamming threshold, what is skipped),
ranking within a group (the reasons quoted, the region map, sizes, a file over its link) and scaling (work
bounded on large libraries, wins when comparisons are cyclic).

Storing the groups, a person's choice, ``blurscan bursts`` and the review page's bursts are in
``test_bursts_cli.py``; the shots of one scene both use are in ``helpers_images.py``."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import numpy as np
import pytest

from blurscan import bursts
from blurscan.config import ScanSettings
from blurscan.pipeline import score_image
from blurscan.records import ScanRecord
from helpers_images import T0, blurred, cropped, exposed, record, scene, shaken, shifted

SETTINGS = ScanSettings(workers=1, model="none")


# -- helpers -------------------------------------------------------------------------------------------------
def paths(groups) -> list[list[str]]:
    return [sorted(os.path.basename(r.path) for r in g) for g in groups]


# -- grouping ------------------------------------------------------------------------------------------------
def test_same_scene_shifted_cropped_and_exposed_is_one_group():
    a = scene(1)
    shots = [record(a, "a0", 0), record(shifted(a, 10, -6), "a1", 0.5), record(exposed(a, 1.35), "a2", 1.0),
             record(exposed(shifted(a, -8, 4), 0.75), "a3", 1.6), record(cropped(a, 0.04), "a4", 2.0),
             record(shaken(shifted(a, 5, 3)), "a5", 2.4)]
    groups = bursts.find_groups(shots)
    assert paths(groups) == [["a0.jpg", "a1.jpg", "a2.jpg", "a3.jpg", "a4.jpg", "a5.jpg"]]


def test_different_scenes_a_second_apart_are_not_grouped():
    shots = [record(scene(seed), f"s{seed}", float(seed)) for seed in range(2, 8)]
    stats = bursts.GroupingStats()
    assert bursts.find_groups(shots, stats=stats) == []
    assert stats.comparisons == 15  # every pair was inside the window, so time did not keep them apart


def test_same_scene_a_minute_apart_is_grouped_with_the_default_window_not_ten_minutes_apart():
    a, b = scene(11), scene(12)
    shots = [record(a, "a_first", 0), record(b, "b", 30), record(exposed(a, 1.2), "a_retake", 60),
             record(shifted(a, 4, 4), "a_much_later", 660)]
    assert paths(bursts.find_groups(shots)) == [["a_first.jpg", "a_retake.jpg"]]
    assert bursts.DEFAULT_WINDOW_S >= 60
    wide = bursts.find_groups(shots, window=700)
    assert paths(wide) == [["a_first.jpg", "a_much_later.jpg", "a_retake.jpg"]]
    assert bursts.find_groups(shots, window=59) == []


def test_max_distance_is_the_hamming_threshold():
    a = scene(21)
    one, other = record(a, "x", 0), record(shifted(a, 12, -8), "y", 1)
    d = bursts.hamming(one.phash, other.phash)
    assert 0 < d <= bursts.DEFAULT_MAX_DISTANCE
    assert len(bursts.find_groups([one, other], max_distance=d)) == 1
    assert bursts.find_groups([one, other], max_distance=d - 1) == []


def _hashed(name: str, phash: int, seconds: float, *, exif: bool = True, size=(1024, 768)) -> ScanRecord:
    """A stored-looking record with a chosen hash: an EXIF time, or only the file's (``mtime_ns``)."""
    when = T0 + dt.timedelta(seconds=seconds)
    return ScanRecord(path=f"/photos/{name}.jpg", phash=f"{phash:016x}", width=size[0], height=size[1],
                      captured_at=when.isoformat() if exif else None,
                      mtime_ns=int(when.replace(tzinfo=dt.timezone.utc).timestamp() * 1e9))


def test_file_times_link_only_near_identical_photos():
    """Files copied together share a time, so a link resting on a file time needs near-identity (<= 6 bits):
    a walkthrough's copied data set grouped a lake photo with 37 frames of a basketball court (12 bits)."""
    base = 0x5A5A_F0F0_3C3C_0FF0
    ten_bits = base ^ 0x3FF
    four_bits = base ^ 0xF000
    with_exif = [_hashed("a", base, 0), _hashed("b", ten_bits, 1)]
    assert paths(bursts.find_groups(with_exif)) == [["a.jpg", "b.jpg"]]          # a camera's burst: 10 bits
    copied = [_hashed("a", base, 0, exif=False), _hashed("b", ten_bits, 1, exif=False)]
    assert bursts.find_groups(copied) == []
    one_each = [_hashed("a", base, 0), _hashed("b", ten_bits, 1, exif=False)]
    assert bursts.find_groups(one_each) == []
    twins = [_hashed("a", base, 0, exif=False), _hashed("b", four_bits, 1, exif=False)]  # a blurred copy
    assert paths(bursts.find_groups(twins)) == [["a.jpg", "b.jpg"]]
    assert bursts.find_groups(twins, max_distance=3) == []                        # never more than asked


@pytest.mark.parametrize("other, linked", [((768, 1024), False),   # portrait beside landscape
                                           ((1280, 720), False),   # 16:9 beside 4:3
                                           ((980, 740), True),     # a crop of a few per cent
                                           ((None, None), True)])  # size unknown: the hash decides
def test_only_photos_of_one_shape_are_linked(other, linked):
    base = 0x0123_4567_89AB_CDEF
    shots = [_hashed("a", base, 0), _hashed("b", base ^ 0b11, 0.5, size=other)]
    assert (bursts.find_groups(shots) != []) == linked


def test_records_without_hash_time_or_ok_status_are_skipped():
    a = scene(31)
    good = [record(a, "g0", 0), record(a, "g1", 1)]
    no_hash = record(a, "n", 0.5)
    no_hash.phash = None
    failed = ScanRecord(path="/photos/bad.jpg", status="error", error="truncated JPEG")
    stats = bursts.GroupingStats()
    groups = bursts.find_groups(good + [no_hash, failed], stats=stats)
    assert paths(groups) == [["g0.jpg", "g1.jpg"]]
    assert stats.skipped == 1 and stats.photos == 2


def test_capture_time_reads_exif_as_wall_clock_and_falls_back_to_file_time():
    with_offset = ScanRecord(path="a", captured_at="2024-06-01T10:00:05+02:00")
    without = ScanRecord(path="b", captured_at="2024-06-01T10:00:00")
    assert bursts.capture_time(with_offset) - bursts.capture_time(without) == pytest.approx(5.0)
    stamp = dt.datetime(2024, 6, 1, 10, 0, 0).timestamp()  # this computer's local time
    by_file = ScanRecord(path="c", mtime_ns=int((stamp + 3) * 1e9))
    assert bursts.capture_time(by_file) - bursts.capture_time(without) == pytest.approx(3.0)
    assert bursts.capture_time(ScanRecord(path="d", captured_at="not a date")) is None


def test_bad_settings_are_usage_errors():
    from blurscan.errors import UsageError

    with pytest.raises(UsageError, match="window"):
        bursts.find_groups([], window=-1)
    with pytest.raises(UsageError, match="max distance"):
        bursts.find_groups([], max_distance=65)


# -- ranking -------------------------------------------------------------------------------------------------
def test_ranking_keeps_the_sharp_shot_and_the_reason_names_the_figures():
    a = scene(41)
    shots = [record(shaken(shifted(a, 6, 2), 13), "b1", 0), record(exposed(a, 0.8), "sharp", 0.4),
             record(blurred(shifted(a, -4, 3), 1.8), "b2", 0.8), record(shaken(exposed(a, 1.3), 9, 120), "b3", 1.2)]
    groups = bursts.find_groups(shots)
    assert len(groups) == 1
    ranked = bursts.rank_group(groups[0])
    assert [m.rank for m in ranked] == [1, 2, 3, 4]
    keeper = ranked[0]
    assert keeper.is_keeper and keeper.path.endswith("sharp.jpg")
    assert not any(m.is_keeper for m in ranked[1:])
    measure = keeper.figures["sharpness_measure"]
    assert measure == "laplacian_var_norm"  # at the analysis size
    for m in ranked[1:]:
        # "sharp.jpg is better: laplacian_var_norm 1478 vs 102"
        match = re.fullmatch(rf"sharp\.jpg is better: {measure} ([\d.]+) vs ([\d.]+)", m.reason)
        assert match, m.reason
        assert float(match.group(1)) == pytest.approx(keeper.figures["sharpness"], rel=0.01)
        assert float(match.group(2)) == pytest.approx(m.figures["sharpness"], rel=0.01)
    assert keeper.reason.startswith("sharpest of 4: ")


def test_region_map_decides_first_and_is_quoted():
    grid_sharp = [[0.05, 0.10, None], [0.60, 0.90, 0.95]]  # subject sharp, background blurred
    grid_shaken = [[0.70, 0.72, None], [0.80, 0.90, 0.95]]

    def shots(lap1, lap2):
        return [
            ScanRecord(path="/p/shot1.jpg", p_blurry=0.55, grid=grid_shaken, width=4000, height=3000,
                       scores={"laplacian_var_norm": lap1}, captured_at="2024-06-01T10:00:00"),
            ScanRecord(path="/p/shot2.jpg", p_blurry=0.60, grid=grid_sharp, width=4000, height=3000,
                       scores={"laplacian_var_norm": lap2}, captured_at="2024-06-01T10:00:01"),
        ]

    subject = bursts.subject_p_blurry(grid_sharp)
    assert subject == pytest.approx((0.05 + 0.10) / 2)  # the sharpest quarter of 5 textured regions: 2
    # the subject decides, though the whole-photo p_blurry and the classical figure say otherwise
    ranked = bursts.rank_group(shots(300.0, 200.0))
    assert ranked[0].path == "/p/shot2.jpg"
    assert ranked[1].reason == f"shot2.jpg is better: subject p_blurry {subject:.2f} vs 0.71"
    # the order can put the classical figure first
    ranked = bursts.rank_group(shots(300.0, 200.0), order=("classical", "model", "pixels"))
    assert ranked[0].path == "/p/shot1.jpg" and ranked[1].reason == "shot1.jpg is better: laplacian_var_norm 300 vs 200"
    # model figures within 0.05: the classical figure decides
    close = [[0.09, 0.10, None], [0.60, 0.90, 0.95]]
    group = shots(300.0, 200.0)
    group[0].grid = close
    ranked = bursts.rank_group(group)
    assert ranked[0].path == "/p/shot1.jpg" and ranked[1].reason == "shot1.jpg is better: laplacian_var_norm 300 vs 200"
    with pytest.raises(ValueError, match="order"):
        bursts.rank_group(shots(1.0, 2.0), order=("luck",))


def test_full_resolution_laplacian_is_not_compared_across_sizes():
    # the small shot's full-resolution Laplacian variance is higher only because it has fewer pixels
    big = ScanRecord(path="/p/big.jpg", laplacian_var=300.0, width=6000, height=4000,
                     captured_at="2024-06-01T10:00:00")
    small = ScanRecord(path="/p/small.jpg", laplacian_var=900.0, width=1500, height=1000,
                       captured_at="2024-06-01T10:00:01")
    ranked = bursts.rank_group([small, big])
    assert "sharpness" not in ranked[0].figures
    assert ranked[0].path == "/p/big.jpg" and "more pixels: 6000x4000 vs 1500x1000" in ranked[1].reason
    # same size: the full-resolution figure is comparable and decides
    small_same = ScanRecord(path="/p/other.jpg", laplacian_var=900.0, width=6000, height=4000,
                            captured_at="2024-06-01T10:00:01")
    ranked = bursts.rank_group([big, small_same])
    assert ranked[0].path == "/p/other.jpg" and ranked[0].figures["sharpness_measure"] == "laplacian_var"


def test_gopro_sharp_frame_beats_its_real_motion_blurred_frame(shared_data):
    folder = shared_data / "gopro" / "saved_images"
    shots = []
    for i, stem in enumerate(["GOPR0410_11_00_st_frame-448_n_avg-8", "GOPR0374_11_00_st_frame-802_n_avg-10"]):
        for suffix in ("", "_gt"):
            rec = score_image(folder / f"{stem}{suffix}.jpg", SETTINGS)
            rec.captured_at = (T0 + dt.timedelta(seconds=10 * i + (0.01 if suffix else 0))).isoformat()
            shots.append(rec)
    groups = bursts.find_groups(shots)
    assert len(groups) == 2
    for group in groups:
        assert bursts.rank_group(group)[0].path.endswith("_gt.jpg")


def test_ranking_keeps_a_file_rather_than_a_symbolic_link_as_good(tmp_path):
    """Shots alike within the margins: the file wins over a symbolic link (the actions leave links alone, so a
    link kept gives its file away as a candidate), though the link's name sorts first."""
    img = scene(72)
    (tmp_path / "elsewhere").mkdir()
    shots = []
    for name, seconds in (("a_link", 0), ("b_file", 0), ("c_file", 0)):
        rec = record(img, name, seconds)
        rec.path = str(tmp_path / f"{name}.jpg")
        shots.append(rec)
    target = tmp_path / "elsewhere" / "a.jpg"
    target.write_bytes(b"")
    os.symlink(target, shots[0].path)
    Path(shots[1].path).write_bytes(b"")
    Path(shots[2].path).write_bytes(b"")
    members = bursts.rank_group(shots)
    assert [os.path.basename(m.path) for m in members] == ["b_file.jpg", "c_file.jpg", "a_link.jpg"]
    # names of one length; times of whole seconds (no SubSecTimeOriginal): only their second is known to be one
    same_time = "as sharp and as large, taken in the same second (no fraction of a second known); the first by " \
                "path is kept"
    assert members[0].reason == same_time
    assert members[1].reason == f"as good as b_file.jpg: {same_time}"
    assert members[2].reason == "b_file.jpg is better: as sharp and as large, a file vs a symbolic link"
    pair = bursts.rank_group(shots[:2])
    assert pair[0].path == shots[1].path
    assert pair[0].reason == "best of 2: as sharp and as large, a file vs a symbolic link (next: a_link.jpg)"
    # a clear difference still decides: a clearly sharper link is kept
    sharp_link = record(img, "a_link", 0)
    sharp_link.path = shots[0].path
    blurry = [record(shaken(img), n, 0) for n in ("b_file", "c_file")]
    for rec, shot in zip(blurry, shots[1:]):
        rec.path = shot.path
    assert bursts.rank_group([sharp_link, *blurry])[0].path == shots[0].path


# -- scaling -------------------------------------------------------------------------------------------------
def _timeline(n: int, rng: np.random.Generator, gap: float = 300.0) -> list[ScanRecord]:
    out, clock, burst = [], 0.0, 0
    while len(out) < n:
        base = int(rng.integers(0, 2**63))
        burst += 1
        for shot in range(int(rng.integers(1, 6))):
            flip = 1 << int(rng.integers(0, 64))
            out.append(ScanRecord(path=f"/lib/b{burst:06d}_{shot}.jpg", phash=f"{base ^ flip:016x}",
                                  captured_at=(T0 + dt.timedelta(seconds=clock)).isoformat()))
            clock += float(rng.uniform(0.2, 2.0))
        clock += float(rng.exponential(gap))
    return out[:n]



def test_of_identical_copies_the_original_name_is_kept(tmp_path):
    """Exact copies ("IMG_0005 (1).JPG", "IMG_0003 copy.HEIC", "IMG_0055-2.HEIC") sort before the original by path,
    and the original was proposed for removal (found by the phone-library walkthrough). The shorter name wins."""
    img = scene(73)
    for original, copy in (("IMG_0005.JPG", "IMG_0005 (1).JPG"), ("IMG_0003.HEIC", "IMG_0003 copy.HEIC"),
                           ("IMG_0055.HEIC", "IMG_0055-2.HEIC")):
        shots = []
        for name in (copy, original):
            rec = record(img, "x", 0)
            rec.path = str(tmp_path / name)
            Path(rec.path).write_bytes(b"")
            shots.append(rec)
        members = bursts.rank_group(shots)
        assert [os.path.basename(m.path) for m in members] == [original, copy]


def test_a_tie_broken_on_figures_shows_the_digits_that_differ():
    from blurscan.bursts.ranking import _pair

    assert _pair(0.0312, 0.0334) == "0.031 vs 0.033"
    assert _pair(0.08, 0.71) == "0.08 vs 0.71"
    assert _pair(0.12341, 0.12349) == "0.1234 vs 0.1235"
    assert _pair(0.031210, 0.031240) == "0.03121 vs 0.03124"
    from blurscan.bursts.ranking import format_figure

    assert _pair(425.1, 425.3, format_figure) == "425.1 vs 425.3"
    assert _pair(425.0, 612.0, format_figure) == "425 vs 612"

def test_grouping_compares_only_inside_the_time_window():
    rng = np.random.default_rng(7)
    n = 20_000
    records = _timeline(n, rng)
    stats = bursts.GroupingStats()
    groups = bursts.find_groups(records, stats=stats)
    times = np.array([bursts.capture_time(r) for r in records])
    # exactly the pairs inside the window are compared: count them independently
    inside = int((np.searchsorted(times, times + bursts.DEFAULT_WINDOW_S, side="right") - np.arange(n) - 1).sum())
    assert stats.comparisons == inside
    assert stats.comparisons < 10 * n < n * (n - 1) // 2 // 100
    # every burst (hashes one flipped bit from its own random base) is found, and nothing else
    def burst(r):
        return r.path.split("_")[0]
    expected = {}
    for r in records:
        expected.setdefault(burst(r), []).append(r.path)
    expected = sorted(sorted(v) for v in expected.values() if len(v) > 1)
    assert sorted(sorted(r.path for r in g) for g in groups) == expected
    assert len(groups) > 1000


def test_grouping_work_is_bounded_when_every_photo_has_the_same_time():
    rng = np.random.default_rng(8)
    n = 5_000
    records = [ScanRecord(path=f"/copy/{i:05d}.jpg", phash=f"{int(rng.integers(0, 2**63)):016x}", mtime_ns=10**18)
               for i in range(n)]
    stats = bursts.GroupingStats()
    bursts.find_groups(records, stats=stats, max_neighbours=50)
    assert stats.comparisons <= 50 * n
    assert stats.comparisons >= 50 * (n - 50)


def test_ranking_is_by_pairwise_wins_when_margins_make_comparisons_cyclic():
    from blurscan.bursts import ranking

    rng = np.random.default_rng(3)
    cyclic = 0
    for trial in range(1200):
        group = [ScanRecord(path=f"/p/{trial}_{k}.jpg", grid=[[float(rng.uniform(0.1, 0.25))]],
                            scores={"laplacian_var_norm": float(rng.uniform(100, 160))}, width=100, height=100,
                            captured_at=f"2024-06-01T10:00:0{k}") for k in range(5)]
        figs = {r.path: f for r, f in zip(group, ranking.figures_of(group))}

        def wins(path):
            return sum(ranking._compare(figs[path], figs[other])[0] < 0 for other in figs if other != path)

        members = bursts.rank_group(group)
        ranked = [m.path for m in members]
        counts = [wins(p) for p in ranked]
        assert counts == sorted(counts, reverse=True)
        cyclic += len(set(counts)) < len(counts)  # ties in wins come from cycles (or exact ties)
        keeper, runner = ranked[0], ranked[1]
        tied = [p for p, c in zip(ranked, counts) if c == counts[0]]
        if len(tied) == 2:  # two shots tied on wins: the one that beats the other is kept
            assert ranking._compare(figs[keeper], figs[runner])[0] <= 0
        for m in members[1:]:  # a reason never says the keeper is better when it loses to this shot alone
            head_to_head = ranking._compare(figs[keeper], figs[m.path])[0]
            assert m.reason.startswith(("beats ", "as good as ")) if head_to_head >= 0 else "is better" in m.reason
        if ranking._compare(figs[keeper], figs[runner])[0] > 0:
            assert "beats it alone" in members[0].reason
    assert cyclic > 10  # the generated figures did exercise intransitive comparisons
