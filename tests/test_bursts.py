"""Burst groups: grouping on generated images, ranking, the JSONL contract, a person's choice, scaling."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import cv2
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from blurscan import bursts
from blurscan.cli import main
from blurscan.config import ScanSettings
from blurscan.pipeline import score_image
from blurscan.records import ScanRecord
from blurscan.store import Store
from helpers_images import blurred, save_jpeg, textured

SETTINGS = ScanSettings(workers=1, model="none")
T0 = dt.datetime(2024, 6, 1, 10, 0, 0)


# -- helpers -------------------------------------------------------------------------------------------------
def scene(seed: int) -> np.ndarray:
    return textured(seed, (480, 640))


def shifted(img: np.ndarray, dx: int, dy: int) -> np.ndarray:
    return np.ascontiguousarray(np.roll(np.roll(img, dy, axis=0), dx, axis=1))


def exposed(img: np.ndarray, gain: float) -> np.ndarray:
    return np.clip(img.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def cropped(img: np.ndarray, share: float) -> np.ndarray:
    h, w = img.shape[:2]
    return np.ascontiguousarray(img[int(h * share):, int(w * share):])


def shaken(img: np.ndarray, length: int = 15, angle: float = 30.0) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    return cv2.filter2D(img, -1, kernel / kernel.sum())


def record(img: np.ndarray, name: str, seconds: float) -> ScanRecord:
    """Score a generated image with the real pipeline (decode, measures, fingerprint), give it a time."""
    rec = score_image(img, SETTINGS)
    rec.path = f"/photos/{name}.jpg"
    rec.captured_at = (T0 + dt.timedelta(seconds=seconds)).isoformat()
    return rec


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


# -- store, person's choice, CLI -----------------------------------------------------------------------------
def _library(tmp_path: Path) -> tuple[Path, list[ScanRecord]]:
    a, b = scene(51), scene(52)
    shots = [record(shaken(a), "a_blur", 0), record(a, "a_sharp", 0.5), record(exposed(shaken(a, 9), 1.2), "a_b2", 1),
             record(b, "b_sharp", 2), record(blurred(shifted(b, 3, 3), 2.0), "b_blur", 2.3),
             record(scene(53), "lone", 3)]
    for rec in shots:
        rec.path = str(tmp_path / "photos" / os.path.basename(rec.path))
        Path(rec.path).parent.mkdir(exist_ok=True)
        Path(rec.path).write_bytes(b"")  # run() leaves out files that no longer exist
    db = tmp_path / "lib.db"
    with Store(db) as store:
        store.put(shots, "test")
    return db, shots


def test_run_stores_groups_and_a_persons_choice_survives_while_membership_is_unchanged(tmp_path):
    db, shots = _library(tmp_path)
    with Store(db) as store:
        groups = bursts.run(store)
        assert [sorted(os.path.basename(m.path) for m in g.members) for g in groups] == [
            ["a_b2.jpg", "a_blur.jpg", "a_sharp.jpg"], ["b_blur.jpg", "b_sharp.jpg"]]
        first = groups[0]
        assert first.keeper.path.endswith("a_sharp.jpg") and first.chosen_by == "auto"
        rows = store.conn.execute("SELECT path, is_keeper, chosen_by, figures FROM burst_groups").fetchall()
        assert len(rows) == 5 and sum(r["is_keeper"] for r in rows) == 2
        assert all(json.loads(r["figures"])["sharpness_measure"] for r in rows)

        # a person prefers the shaken, brighter shot
        chosen = next(m.path for m in first.members if m.path.endswith("a_b2.jpg"))
        bursts.choose_keeper(store, first.group_id, chosen)
        again = bursts.run(store)
        assert again[0].keeper.path == chosen and again[0].chosen_by == "person"
        assert again[0].keeper.reason == "chosen by a person"
        assert again[1].chosen_by == "auto"
        assert [m.path for m in bursts.load_groups(store)[0].members][0] == chosen
        non_keepers = {r["path"] for r in store.conn.execute("SELECT path FROM burst_groups WHERE is_keeper = 0")}
        assert chosen not in non_keepers and any(p.endswith("a_sharp.jpg") for p in non_keepers)

        # a new shot joins the group: the membership changed, the automatic choice is back
        extra = record(exposed(scene(51), 0.9), "a_extra", 0.7)
        extra.path = str(tmp_path / "photos" / "a_extra.jpg")
        Path(extra.path).write_bytes(b"")
        store.put([extra], "test")
        third = bursts.run(store)
        assert len(third[0].members) == 4 and third[0].chosen_by == "auto"
        assert not third[0].keeper.path.endswith("a_b2.jpg")

        # a shot moved away since the scan leaves the group
        os.remove(extra.path)
        assert len(bursts.run(store)[0].members) == 3


def test_choose_keeper_refuses_a_path_outside_the_group(tmp_path):
    from blurscan.errors import UsageError

    db, _ = _library(tmp_path)
    with Store(db) as store:
        groups = bursts.run(store)
        with pytest.raises(UsageError, match="not a member of burst group"):
            bursts.choose_keeper(store, groups[0].group_id, groups[1].members[0].path)


def test_cli_jsonl_contract(tmp_path):
    db, _ = _library(tmp_path)
    result = CliRunner().invoke(main, ["bursts", "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    for obj in lines:
        assert {"group", "keeper", "members", "size", "chosen_by"} <= set(obj)
        assert obj["size"] == len(obj["members"])
        assert [m["rank"] for m in obj["members"]] == list(range(1, obj["size"] + 1))
        assert obj["keeper"] == obj["members"][0]["path"] and obj["members"][0]["is_keeper"] is True
        for m in obj["members"]:
            assert {"path", "rank", "is_keeper", "reason", "sharpness", "sharpness_measure", "p_blurry",
                    "width", "height", "captured_at"} <= set(m)
    assert lines[0]["keeper"].endswith("a_sharp.jpg")


def test_cli_options_and_table(tmp_path):
    db, _ = _library(tmp_path)
    runner = CliRunner()
    strict = runner.invoke(main, ["bursts", "--db", str(db), "--format", "jsonl", "--max-distance", "0"])
    wide = runner.invoke(main, ["bursts", "--db", str(db), "--format", "jsonl", "--window", "0.4"])
    assert strict.exit_code == 0 and wide.exit_code == 0
    assert len(strict.stdout.splitlines()) < 2 and len(wide.stdout.splitlines()) < 2
    table = runner.invoke(main, ["bursts", "--db", str(db)])
    assert table.exit_code == 0
    assert "keep" in table.stdout and "a_sharp.jpg" in table.stdout and "is better" in table.stdout
    missing = runner.invoke(main, ["bursts", "--db", str(tmp_path / "nothing.db")])
    assert missing.exit_code == 1 and missing.output.startswith("Error: ") and "nothing.db" in missing.output
    bad = runner.invoke(main, ["bursts", "--db", str(db), "--window", "-3"])
    assert bad.exit_code == 2


def test_cli_candidate_count_is_what_from_bursts_would_take(tmp_path):
    """The count under the table matches `move --from-bursts`: a shot marked keep is not a candidate."""
    from blurscan.review import decisions

    db, _ = _library(tmp_path)
    runner = CliRunner()

    def counted() -> int:
        out = runner.invoke(main, ["bursts", "--db", str(db)])
        assert out.exit_code == 0, out.output
        return int(re.search(r"(\d+) candidates? for `blurscan move/trash --from-bursts`", out.stderr).group(1))

    def taken() -> int:
        out = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--from-bursts", "--db", str(db)])
        assert out.exit_code == 0, out.output
        return out.stdout.count("would move ")

    groups = [json.loads(line) for line in runner.invoke(main, ["bursts", "--db", str(db), "--format",
                                                                "jsonl"]).stdout.splitlines()]
    before = counted()
    assert before == taken() > 0
    spared = next(m["path"] for g in groups for m in g["members"] if not m["is_keeper"])
    with Store(db) as store:
        decisions.set_decision(store, spared, "keep")
    assert counted() == taken() == before - 1


def _jpeg_with_time(path: Path, rgb: np.ndarray, when: dt.datetime) -> Path:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = when.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(rgb).save(path, format="JPEG", quality=92, exif=exif)
    return path


def test_end_to_end_scan_then_bursts(tmp_path):
    lib = tmp_path / "lib"
    a, b = scene(61), scene(62)
    _jpeg_with_time(lib / "IMG_0001.jpg", shaken(a), T0)
    _jpeg_with_time(lib / "IMG_0002.jpg", shifted(a, 6, 0), T0 + dt.timedelta(seconds=1))
    _jpeg_with_time(lib / "IMG_0003.jpg", b, T0 + dt.timedelta(seconds=2))  # another scene, a second later
    # no EXIF: the file's time is used
    no_exif = save_jpeg(lib / "scan_0004.jpg", blurred(shifted(b, -5, 2), 2.0))
    local = (T0 + dt.timedelta(seconds=3)).timestamp()
    os.utime(no_exif, (local, local))
    runner = CliRunner()
    scanned = runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1", "--format", "jsonl"])
    assert scanned.exit_code == 0, scanned.output
    result = runner.invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    groups = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(os.path.basename(g["keeper"]), sorted(os.path.basename(m["path"]) for m in g["members"]))
            for g in groups] == [("IMG_0002.jpg", ["IMG_0001.jpg", "IMG_0002.jpg"]),
                                 ("IMG_0003.jpg", ["IMG_0003.jpg", "scan_0004.jpg"])]


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


def test_a_keeper_chosen_in_the_review_page_survives_a_rerun(tmp_path):
    from blurscan.review.library import set_burst_keeper

    db, _ = _library(tmp_path)
    with Store(db) as store:
        first = bursts.run(store)[1]
        other = first.candidates[0].path
        assert set_burst_keeper(store, first.group_id, other)
        again = next(g for g in bursts.run(store) if {m.path for m in g.members} == {m.path for m in first.members})
        assert again.keeper.path == other and again.chosen_by == "person"


def test_cli_path_limits_the_listing_to_groups_under_it(tmp_path):
    db, _ = _library(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    runner = CliRunner()
    inside = runner.invoke(main, ["bursts", str(tmp_path / "photos"), "--db", str(db), "--format", "jsonl"])
    outside = runner.invoke(main, ["bursts", str(tmp_path / "elsewhere"), "--db", str(db), "--format", "jsonl"])
    assert inside.exit_code == 0 and outside.exit_code == 0
    assert len(inside.stdout.splitlines()) == 2 and outside.stdout == ""
    with Store(db) as store:  # grouping still covered the whole database
        assert len(bursts.load_groups(store)) == 2


def test_review_bursts_view_leaves_out_shots_moved_away_until_undone(tmp_path):
    from blurscan.actions import execute, plan_move, undo
    from blurscan.review.library import bursts as review_bursts

    db, _ = _library(tmp_path)
    with Store(db) as store:
        bursts.run(store)
        before = review_bursts(store)
        shots = {p["path"] for g in before for p in g["photos"]}
        result = execute(store, plan_move(store, str(tmp_path / "rejects"), from_bursts=True))
        assert result.photos_moved > 0
        after = review_bursts(store)
        left = {p["path"] for g in after for p in g["photos"]}
        assert left < shots and all(len(g["photos"]) > 1 for g in after)
        assert all(os.path.exists(p) for p in left)
        undo(store)
        assert review_bursts(store) == before


# -- one file under several names ----------------------------------------------------------------------------
def test_a_file_is_never_a_burst_of_its_own_link_nor_is_a_link_kept(tmp_path):
    """``0_favourites/best.jpg -> ../2024/party/IMG_0001.jpg``: the scan gave the link a record of its own,
    and bursts grouped it with its own file and kept the link (its name sorts first), so `move/trash
    --from-bursts` took the file away and left the favourite dangling. Now the scan reports the file once,
    and bursts leaves out other names of a file (stored by a scan of the link's folder alone, or by an older
    scan): a link, a hard link."""
    lib = tmp_path / "lib"
    a = scene(71)
    original = _jpeg_with_time(lib / "2024" / "party" / "IMG_0001.jpg", a, T0)
    (lib / "0_favourites").mkdir()
    link = lib / "0_favourites" / "best.jpg"
    link.symlink_to(Path("..") / "2024" / "party" / "IMG_0001.jpg")
    (lib / "backup").mkdir()
    os.link(original, lib / "backup" / "IMG_0001.jpg")
    runner = CliRunner()

    def scan(path):
        out = runner.invoke(main, ["scan", str(path), "--model", "none", "--workers", "1", "--format", "jsonl"])
        assert out.exit_code == 0, out.output
        return [json.loads(line)["path"] for line in out.stdout.splitlines()]

    def groups():
        out = runner.invoke(main, ["bursts", str(lib), "--format", "jsonl"])
        assert out.exit_code == 0, out.output
        return [json.loads(line) for line in out.stdout.splitlines()]

    assert scan(lib) == [str(original)]                    # one record per file
    assert groups() == []
    # each other name scanned on its own is that photo's only name there, and is stored
    assert scan(lib / "0_favourites") == [str(link)]
    assert scan(lib / "backup") == [str(lib / "backup" / "IMG_0001.jpg")]
    assert groups() == []                                  # but a file is not a burst of itself
    # a real re-take: a group of two shots, the file itself kept, never its link
    retake = _jpeg_with_time(lib / "2024" / "party" / "IMG_0002.jpg", shaken(a), T0 + dt.timedelta(seconds=1))
    scan(lib / "2024")
    (group,) = groups()
    assert group["keeper"] == str(original)
    assert sorted(m["path"] for m in group["members"]) == [str(original), str(retake)]
    moved = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--from-bursts", str(lib)])
    assert moved.exit_code == 0, moved.output
    assert moved.stdout.count("would move ") == 1 and "IMG_0002.jpg" in moved.stdout


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
    assert members[0].reason == "as sharp and as large, taken at the same time; the first by path is kept"
    assert members[1].reason == ("as good as b_file.jpg: as sharp and as large, taken at the same time; "
                                 "the first by path is kept")
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
