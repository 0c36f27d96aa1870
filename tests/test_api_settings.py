"""Settings as a library user writes them: a model given as a ``pathlib.Path`` (it was refused with "must be
'default', 'none' or a path to an .onnx file, got PosixPath(...)"), a database named by bytes, "~/..."."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import blurscan
from blurscan.config import ScanSettings
from blurscan.errors import ModelError, UsageError
from blurscan.model.runtime import default_model_path
from helpers_images import save_jpeg, textured


def test_a_model_given_as_a_path_object_scores_like_its_name(tmp_path):
    photo = save_jpeg(tmp_path / "a.jpg", textured(3))
    by_path = blurscan.score_image(photo, ScanSettings(workers=1, model=Path(default_model_path())))
    by_name = blurscan.score_image(photo, ScanSettings(workers=1, model=str(default_model_path())))
    assert by_path.model_version and by_path.to_json() == by_name.to_json()


def test_a_missing_model_path_object_is_a_model_error_naming_the_file(tmp_path):
    missing = tmp_path / "gone.onnx"
    with pytest.raises(ModelError, match="gone.onnx: model file not found"):
        list(blurscan.scan([tmp_path], ScanSettings(workers=1, model=missing)))


def test_a_model_file_named_none_is_that_file_not_the_keyword(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelError, match="model file not found"):
        blurscan.score_image(save_jpeg(tmp_path / "a.jpg", textured(3)), ScanSettings(workers=1, model=Path("none")))


def test_a_database_named_by_bytes_is_used_like_one_named_by_str(tmp_path):
    """(bytes named the photos, but a database named so was refused: "b'/tmp/...': cannot create the
    database: its folder /tmp/.../b'/tmp/... does not exist")."""
    save_jpeg(tmp_path / "photos" / "a.jpg", textured(4))
    db = tmp_path / "x.db"
    settings = ScanSettings(workers=1, model="none")
    first = list(blurscan.scan([tmp_path / "photos"], settings, db=bytes(db)))
    again = list(blurscan.scan([tmp_path / "photos"], settings, db=str(db)))
    assert [r.status for r in first] == ["ok"] and [r.cached for r in again] == [True]


def test_score_image_takes_a_home_relative_path_as_scan_does(tmp_path, monkeypatch):
    """(scan("~/Pictures") found the photos; score_image("~/Pictures/a.jpg") said "<cwd>/~/Pictures/a.jpg: no
    such file or directory")."""
    monkeypatch.setenv("HOME", str(tmp_path))
    photo = save_jpeg(tmp_path / "Pictures" / "a.jpg", textured(5))
    settings = ScanSettings(workers=1, model="none")
    assert [r.path for r in blurscan.scan("~/Pictures", settings)] == [str(photo)]
    assert blurscan.score_image("~/Pictures/a.jpg", settings).path == str(photo)


def _variant(src: Path, out: Path, note: str) -> Path:
    """The shipped model with another doc string: other bytes, so another model version (its hash)."""
    onnx = pytest.importorskip("onnx")
    proto = onnx.load(str(src))
    proto.doc_string = note
    onnx.save(proto, str(out))
    return out


def test_score_image_loads_a_model_file_again_when_it_changed(tmp_path, monkeypatch):
    """score_image kept a model by the path as given for the life of the process: a model exported again to the
    same path (a notebook that retrains) went on giving the old model's results, and a relative path meant the
    file of the first call's folder. Now a changed file is loaded again, and a relative path is the current
    folder's."""
    photo = save_jpeg(tmp_path / "a.jpg", textured(3))
    model = tmp_path / "m.onnx"
    _variant(Path(default_model_path()), model, "first")
    first = blurscan.score_image(photo, ScanSettings(workers=1, model=model)).model_version
    os.replace(_variant(Path(default_model_path()), tmp_path / "m2.onnx", "second export"), model)
    second = blurscan.score_image(photo, ScanSettings(workers=1, model=model)).model_version
    assert first != second
    assert second == next(blurscan.scan([photo], ScanSettings(workers=1, model=model))).model_version
    for folder, note in (("x", "in x"), ("y", "in y")):
        (tmp_path / folder).mkdir()
        _variant(Path(default_model_path()), tmp_path / folder / "m.onnx", note)
    monkeypatch.chdir(tmp_path / "x")
    in_x = blurscan.score_image(photo, ScanSettings(workers=1, model="m.onnx")).model_version
    monkeypatch.chdir(tmp_path / "y")
    in_y = blurscan.score_image(photo, ScanSettings(workers=1, model="m.onnx")).model_version
    assert len({first, second, in_x, in_y}) == 4


@pytest.mark.parametrize("field", ["full_res_baseline", "follow_symlinks", "include_hidden"])
@pytest.mark.parametrize("value", ["no", "false", 0, 1, None])
def test_a_switch_takes_true_or_false_only(field, value):
    """Boolean settings took anything ("no" counted as True, and entered the cache key as "no")."""
    with pytest.raises(UsageError, match=f"ScanSettings.{field} must be True or False, got {value!r}"):
        ScanSettings(**{field: value})
    assert getattr(ScanSettings(**{field: False}), field) is False


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1, -0.5, "100", None, True])
def test_the_laplacian_threshold_is_a_finite_number_at_least_0(value):
    """laplacian_threshold took nan, -1 and "100": the cut-off of evaluate's laplacian baseline, which then
    called every photo sharp (nan, -1) or failed to format it ("100")."""
    with pytest.raises(UsageError, match=r"ScanSettings.laplacian_threshold must be a finite number >= 0"):
        ScanSettings(laplacian_threshold=value)


def test_a_laplacian_threshold_given_as_a_whole_number_is_the_same_setting():
    """100 and 100.0 are one threshold: one cache key (json wrote "100" and "100.0", two keys)."""
    import numpy as np

    assert ScanSettings(laplacian_threshold=100).cache_hash() == ScanSettings().cache_hash()
    assert ScanSettings(laplacian_threshold=np.float32(50)).laplacian_threshold == 50.0
    assert ScanSettings(laplacian_threshold=0).laplacian_threshold == 0.0
