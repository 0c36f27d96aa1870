"""The examples in blurscan's docstrings run, and say what the code does: until 2026-12-05 none was run by the
suite (analysis.py's sizes, borders.py's box, synth's shapes), so one could go wrong unseen. Every module whose
source holds an example (``>>>``) is found by reading the package's files, not by a list kept by hand; an example
that needs a model or a photo says ``# doctest: +SKIP``."""
from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import blurscan

_ROOT = Path(blurscan.__file__).parent


def _modules_with_examples() -> list[str]:
    names = []
    for path in sorted(_ROOT.rglob("*.py")):
        if ">>>" not in path.read_text(encoding="utf-8"):
            continue
        parts = ("blurscan", *path.relative_to(_ROOT).with_suffix("").parts)
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_the_modules_with_examples_are_found():
    assert "blurscan.analysis" in _modules_with_examples()


@pytest.mark.parametrize("name", _modules_with_examples())
def test_the_examples_in_the_docstrings_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (printed above)"
