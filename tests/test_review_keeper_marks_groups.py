"""Keeper choices in two bursts, then another keeper chosen in the first after `blurscan review` was started
again: the first burst's earlier keeper loses its keep mark (review/keeper_marks.py keeps each choice's keep in the
database, for every group, not only the last chosen). Real JPEGs, scanned and grouped by the CLI."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from helpers_images import blurred, scene
from helpers_review import BASE, CSRF
from test_review_keeper_marks import _client, _taken


def _two_bursts(tmp_path: Path) -> Path:
    """Two scenes of three shots each, a second apart, ten minutes between the scenes (EXIF times)."""
    lib = tmp_path / "lib"
    lib.mkdir()
    for minute, (prefix, seed) in enumerate((("a", 61), ("b", 71))):
        img = scene(seed)
        for i, (name, shot) in enumerate((("sharp", img), ("soft", blurred(img, 1.2)), ("blur", blurred(img, 3.0)))):
            exif = Image.Exif()
            exif.get_ifd(0x8769)[0x9003] = f"2024:06:01 10:{minute}0:0{i}"  # DateTimeOriginal
            Image.fromarray(shot).save(lib / f"{prefix}-{name}.jpg", quality=92, exif=exif)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    assert runner.invoke(main, ["bursts", str(lib)]).exit_code == 0
    return lib


def _pick(c, name: str) -> dict:
    groups = c.get("/api/bursts", base_url=BASE).get_json()["groups"]
    [(group_id, shot)] = [(g["group_id"], p) for g in groups for p in g["photos"] if p["name"] == name]
    r = c.post(f"/api/bursts/{group_id}/keeper", json={"id": shot["id"]}, base_url=BASE, headers=CSRF)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_a_keeper_chosen_in_each_of_two_bursts_is_remembered_for_both(tmp_path):
    lib = _two_bursts(tmp_path)
    c = _client(lib)  # one run of `blurscan review`
    _pick(c, "a-soft.jpg")
    _pick(c, "b-soft.jpg")
    c = _client(lib)  # the next
    assert _pick(c, "a-sharp.jpg")["released"] is not None  # a-soft.jpg's keep mark went
    assert _pick(c, "b-sharp.jpg")["released"] is not None
    assert _taken(lib) == ["a-blur.jpg", "a-soft.jpg", "b-blur.jpg", "b-soft.jpg"]
