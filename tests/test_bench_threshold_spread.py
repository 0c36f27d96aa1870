"""``bench/threshold_spread.py`` needs the training cache ``make model`` leaves; without it, it says so in one
line naming the folder it looked in (it named none: ``~/.cache`` or ``$XDG_CACHE_HOME`` was left to guess)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_without_the_training_cache_it_names_the_folder_it_looked_in(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    spec = importlib.util.spec_from_file_location("bench_threshold_spread", BENCH / "threshold_spread.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--draws", "1"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path / "blurscan" / "train") in lines[0] and "make model" in lines[0]
