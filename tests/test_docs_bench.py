"""A benchmark script that says where its figures are recorded names a page that shows them: that page names the
script. ``bench/graphics.py`` said ``docs/benchmarks-accuracy.md``, a page ``bench/accuracy.py`` writes whole and
that never held its table (its figures are in the model card and the README)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted((ROOT / "bench").glob("*.py"))
WHERE = re.compile(r"(?:recorded\s+in|paste\s+it\s+into)\s+``(docs/[\w./-]+\.md)``")


def _pages(script: Path) -> list[str]:
    return WHERE.findall(ast.get_docstring(ast.parse(script.read_text())) or "")


def test_some_scripts_say_where_their_figures_are():
    assert sum(bool(_pages(s)) for s in SCRIPTS) >= 8


@pytest.mark.parametrize("script", [s for s in SCRIPTS if _pages(s)], ids=lambda s: s.name)
def test_the_page_a_script_names_shows_its_figures(script):
    for page in _pages(script):
        assert (ROOT / page).is_file(), f"{script.name}: {page} does not exist"
        assert f"bench/{script.name}" in (ROOT / page).read_text(), f"{page} never names bench/{script.name}"
