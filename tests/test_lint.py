"""The source passes ruff's bug-finding rules, as pyproject.toml's ``[tool.ruff.lint]`` chooses them (undefined and
unused names, mutable default arguments, a subprocess through a shell ...; never style). A linter round
(2026-12-07) ran them, and bandit, for the first time: they found no bug in ``src/``, and an unused import there,
f-strings without a value and a loop variable shadowing an import in the tests. This keeps it so. Skipped where
ruff (the ``dev`` extra) is not installed."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed (the dev extra installs it)")
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                           *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_source_passes_the_bug_finding_rules():
    paths = [name for name in ("src", "bench", "tests") if (ROOT / name).is_dir()]  # (an sdist's tests: no src)
    done = _ruff(*paths)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_rules_find_the_bugs_they_are_there_for(tmp_path):
    """The configuration is read and its rules fire: a mutable default argument, an undefined name, a subprocess
    through a shell (a test that could not fail would keep the other one passing whatever the rules)."""
    (tmp_path / "bad.py").write_text(
        "import subprocess\n\n\ndef f(seen=[]):\n    subprocess.run('ls ' + name, shell=True)\n    return seen\n",
        encoding="utf-8")
    done = _ruff("--config", str(ROOT / "pyproject.toml"), "bad.py", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert {"B006", "F821", "S602"} <= {word for word in done.stdout.split() if word[:1].isupper()}, done.stdout
