"""``blurscan train`` with ``HOME`` set but empty (``HOME=``) and no ``--work-dir``: its default work folder is
``~/.cache/blurscan/train``, which Python's expanduser made ``/.cache/blurscan/train`` (made there as root, until
2026-12-06). Refused now in words naming HOME, as every other command refuses (tests/test_empty_home.py)."""
from __future__ import annotations

import pytest

from helpers_cli import run


def test_train_with_an_empty_home_and_no_work_dir_is_refused_naming_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", "")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    (tmp_path / "photos").mkdir()  # (no photo: a train not refused stops at once, before making its work folder)
    result = run("train", tmp_path / "photos", "--out", tmp_path / "m.onnx")
    assert result.exit_code == 1, result.output
    assert result.stderr == ("Error: /.cache/blurscan/train: cannot make the work folder for the training data: the "
                             "home folder is not set (HOME is empty) (choose a folder you can write with --work-dir "
                             "DIR)\n"), result.stderr


@pytest.mark.train  # (needs torch: skipped without it, tests/conftest.py)
def test_an_empty_home_with_a_work_dir_or_xdg_cache_home_is_not_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", "")
    (tmp_path / "photos").mkdir()
    for env, extra in (({"XDG_CACHE_HOME": str(tmp_path / "cache")}, ()), ({}, ("--work-dir", tmp_path / "w"))):
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        result = run("train", tmp_path / "photos", "--out", tmp_path / "m.onnx", *extra)
        assert result.exit_code == 1 and "no sharp photos to train on" in result.stderr, result.stderr
