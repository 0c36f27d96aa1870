"""The bench scripts that read the shared data's ``manifest.csv`` read it as every command does
(:func:`blurscan.datasets.read_manifest`, :mod:`blurscan.manifest_csv`): with their own ``csv.DictReader``, the
``,,,`` rows a spreadsheet's export ends with stopped ``bench/scan_speed.py`` (``int('')``), and a padded ``set``
value left a photo out of ``bench/bursts.py``'s synthetic sources (another file of it was shot instead). (On the
shared data itself both give what they gave: the scripts' outputs are unchanged.)"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _bench(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture()
def data(tmp_path, monkeypatch):
    """A shared-data folder whose manifest a spreadsheet saved: padded values, rows of empty fields at its end
    (the photos themselves are not needed to choose them)."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "manifest.csv").write_text(
        "file,set,label,blur_type,width,height\r\n"
        "div2k/0801.jpg, div2k , sharp ,none, 2040 , 1356 \r\n"
        "div2k/0801_x4_gt.jpg,div2k,sharp,none,2040,1356\r\n"      # the same photo: one source
        "sunhays80/im1.jpg,sunhays80,blurry,motion,1200,900\r\n"   # blurred: no source
        "sunhays80/im2.jpg,sunhays80,sharp,none,800,600\r\n"       # too small to be a camera's frame
        ",,,,,\r\n,,,,,\r\n", encoding="utf-8")
    monkeypatch.setenv("BLURSCAN_SHARED_DATA", str(folder))
    return folder


def test_scan_speed_takes_the_largest_photos_of_a_resaved_manifest(data):
    assert _bench("scan_speed").photos(3) == [str(data / "div2k/0801.jpg"), str(data / "div2k/0801_x4_gt.jpg"),
                                              str(data / "sunhays80/im1.jpg")]


def test_synthetic_bursts_are_shot_from_the_sharp_photos_of_a_resaved_manifest(data, monkeypatch):
    burst_sets = _bench("burst_sets")
    read = []

    class Chosen(Exception):
        pass

    def imread(path, *args):
        read.append(path)
        raise Chosen

    monkeypatch.setattr(burst_sets.cv2, "imread", imread)
    with pytest.raises(Chosen):
        burst_sets.build_synthetic(data, None, 5, 0, 0.0)
    assert read == [str(data / "div2k/0801.jpg")]
