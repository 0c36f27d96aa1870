"""Photos whose modification time lies past 2262-04-11, the end of nanoseconds in a signed 64-bit integer (SQLite's
integers): ext4, XFS and btrfs keep such times (``touch -d 2300-01-01``). Until 2026-12-06 the first scan that met
one stopped with an OverflowError traceback, the photos after it unscanned. Through the real command line."""
from __future__ import annotations

import os

import pytest
from PIL import Image, ImageFilter

from helpers_cli import jsonl, run
from helpers_images import scene, shifted
from helpers_library import decide_as_shown

FAR_NS = 10_000_000_000 * 10**9  # 2286-11-20 17:46:40 UTC
INT64_MAX = 2**63 - 1  # 2262-04-11 23:47:16.854775807 UTC


def _photo(path, seed: int, *, blurred: bool = False, mtime_ns: int | None = None):
    img = Image.fromarray(scene(seed))
    (img.filter(ImageFilter.GaussianBlur(8)) if blurred else img).save(path, format="JPEG", quality=90)
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def _far_library(tmp_path, far_ns: int = FAR_NS):
    """``lib`` with a sharp photo of today and a blurry one of 2286; skipped where the file system cannot keep
    that time (tmpfs, ext4 with 128-byte inodes)."""
    lib = tmp_path / "lib"
    lib.mkdir()
    _photo(lib / "a.jpg", 1)
    far = _photo(lib / "far.jpg", 2, blurred=True, mtime_ns=far_ns)
    if os.stat(far).st_mtime_ns <= INT64_MAX:
        pytest.skip("this file system keeps no time past 2262")
    return lib, far


@pytest.mark.parametrize("fraction_ns", [0, 123_456_789])  # (whole seconds: also looked up as a FAT copy's time)
def test_a_photo_dated_past_2262_is_scored_and_found_unchanged_by_the_next_scan(tmp_path, fraction_ns):
    lib, far = _far_library(tmp_path, FAR_NS + fraction_ns)
    first = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert first.exit_code == 0, first.output
    records = {r["path"].rsplit("/", 1)[-1]: r for r in jsonl(first.stdout)}
    assert {name: r["status"] for name, r in records.items()} == {"a.jpg": "ok", "far.jpg": "ok"}
    assert records["far.jpg"]["verdict"] == "blurry"
    again = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert again.exit_code == 0, again.output
    assert "(2 unchanged, reused)" in again.stderr


def test_a_discarded_photo_dated_past_2262_is_moved_and_put_back_with_its_time_and_decision(tmp_path):
    lib, far = _far_library(tmp_path)
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    decide_as_shown(lib / ".blurscan.db", far, "discard")
    when = os.stat(far).st_mtime_ns
    moved = run("move", lib, "--to", tmp_path / "rej", "--yes")
    assert moved.exit_code == 0, moved.output
    assert (tmp_path / "rej" / "far.jpg").exists() and not far.exists()
    undone = run("undo", lib)
    assert undone.exit_code == 0, undone.output
    assert os.stat(far).st_mtime_ns == when
    # put back as it was: still the photo scanned and decided on, so the dry run would take it again
    again = run("move", lib, "--to", tmp_path / "rej2")
    assert again.exit_code == 0, again.output
    assert "far.jpg" in again.output and "changed since" not in again.output


def test_the_review_page_shows_and_decides_on_a_photo_dated_past_2262_and_a_scan_keeps_its_decision(tmp_path):
    from helpers_review import BASE, _get, _post, review_client

    lib, far = _far_library(tmp_path)
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    client = review_client((lib / ".blurscan.db",))
    (item,) = [it for it in _get(client, "/api/items").get_json()["items"] if it["name"] == "far.jpg"]
    for url in (f"/thumb/{item['id']}?v={item['v']}", f"/full/{item['id']}?v={item['v']}"):
        assert client.get(url, base_url=BASE).status_code == 200, url  # (not 409: "changed since the scan")
    for decision in ("keep", "discard"):
        r = _post(client, "/api/decision", {"id": item["id"], "decision": decision, "v": item["v"]})
        assert r.status_code == 200, r.get_json()
    again = run("scan", lib, "--model", "none", "--workers", "1", "--format", "jsonl")
    assert "(2 unchanged, reused)" in again.stderr
    moved = run("move", lib, "--to", tmp_path / "rej")  # the decision still the photo's: the dry run takes it
    assert moved.exit_code == 0 and "would move far.jpg [discard]" in moved.output, moved.output


def test_a_burst_dated_past_2262_is_ranked_trashed_tagged_and_put_back(tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    lib, _far = _far_library(tmp_path)
    shots = [lib / f"IMG_10{i}.jpg" for i in range(3)]  # the same scene, a pixel apart, the last one blurred
    for i, path in enumerate(shots):
        img = Image.fromarray(shifted(scene(5), i, 0))
        (img.filter(ImageFilter.GaussianBlur(8)) if i == 2 else img).save(path, format="JPEG", quality=90)
        os.utime(path, ns=(FAR_NS, FAR_NS))
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    (group,) = jsonl(run("bursts", lib, "--format", "jsonl").stdout)
    assert len(group["members"]) == 3 and group["keeper"] != str(shots[2]), json.dumps(group)
    tagged = run("tag", lib, "--xmp", "--from-bursts", "--yes")
    assert tagged.exit_code == 0 and "IMG_102.jpg.xmp" in tagged.output, tagged.output
    assert run("undo", lib).exit_code == 0
    trashed = run("trash", lib, "--from-bursts", "--yes")
    assert trashed.exit_code == 0 and "trashed 2 photos" in trashed.output, trashed.output
    assert run("undo", lib).exit_code == 0 and all(os.stat(p).st_mtime_ns > INT64_MAX for p in shots)
    # put back as they were: the same burst, its keeper and candidates unchanged
    assert jsonl(run("bursts", lib, "--format", "jsonl").stdout) == [group]
    assert "trashed 2 photos" in run("trash", lib, "--from-bursts", "--yes").output


def test_report_and_a_scan_by_name_take_a_photo_dated_past_2262_as_scanned(tmp_path):
    lib, far = _far_library(tmp_path)
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    listed = run("report", lib, "--format", "jsonl")
    assert listed.exit_code == 0 and "changed" not in listed.stderr, listed.stderr  # (not: "edited since the scan")
    assert sorted(r["path"] for r in jsonl(listed.stdout)) == sorted(str(p) for p in (lib / "a.jpg", far))
    named = run("scan", far, "--model", "none", "--workers", "1")  # `blurscan scan lib/far.jpg`
    assert named.exit_code == 0 and "(1 unchanged, reused)" in named.stderr, named.output
    bare = lib / "far-photo"  # a photo named with no suffix: taken as named, whatever its name says
    bare.write_bytes(far.read_bytes())
    os.utime(bare, ns=(FAR_NS, FAR_NS))
    named = run("scan", bare, "--model", "none", "--workers", "1")
    assert named.exit_code == 0 and "1 file: 1 blurry" in named.stdout, named.output


def test_a_photo_dated_past_2262_renamed_by_hand_keeps_its_decision(tmp_path):
    lib, far = _far_library(tmp_path)
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    decide_as_shown(lib / ".blurscan.db", far, "discard")
    os.rename(far, lib / "renamed.jpg")
    again = run("scan", lib, "--model", "none", "--workers", "1")
    assert again.exit_code == 0 and "1 moved or renamed, reused" in again.stderr, again.output
    moved = run("move", lib, "--to", tmp_path / "rej")
    assert moved.exit_code == 0 and "would move renamed.jpg [discard]" in moved.output, moved.output
