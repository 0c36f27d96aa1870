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


def _bench_recipe() -> list[str]:
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("bench:"))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_bench_runs_the_scripts_the_readme_names():
    """The README's `make bench` line and docs/development.md's (where its details went on 2026-12-08) name the
    scripts the Makefile runs, in its order."""
    recipe = _bench_recipe()
    scripts = [word for line in recipe for word in line.split() if word.startswith("bench/")]
    for doc in ("README.md", "docs/development.md"):
        text = (ROOT / doc).read_text()
        bullet = text[text.index("* `make bench`"):].split("\n* ")[0].split("\n\n")[0]
        assert scripts and re.findall(r"`(bench/\w+\.py)`", bullet)[:len(scripts)] == scripts, doc
    assert all((ROOT / script).is_file() for script in scripts)


def test_make_bench_installs_cleanvision_for_the_row_the_readme_shows():
    """The README's accuracy table (and the page bench/accuracy.py writes) has a CleanVision row, which the script
    gives only where CleanVision (the ``bench`` extra) is installed; ``make bench`` installed the dev and train
    extras alone, so its run left the row out of the page it rewrote."""
    recipe = _bench_recipe()
    extras = [i for i, line in enumerate(recipe) if "pip install" in line
              and re.search(r"\.\[[\w,]*\bbench\b[\w,]*\]", line)]
    accuracy = next(i for i, line in enumerate(recipe) if "bench/accuracy.py" in line)
    assert extras and extras[0] < accuracy, recipe
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^bench = \[.*"cleanvision', pyproject, re.M)
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^\| cleanvision \| [\d.]+ % \|", readme, re.M)


def test_make_test_browser_runs_the_browser_tests_alone_and_requires_chromium():
    """The README and docs/review.md send a contributor changing the review page to its browser tests; the Makefile
    had no way to run them alone (`make test-fast` leaves them out, `make test` runs all 3,600 tests), and a plain
    `pytest -m browser` without Chromium skips every one and passes. ``make -n`` prints the recipe without running it."""
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    done = subprocess.run(["make", "-n", "test-browser", "PYTHON=python3", "PY=python3"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    command = [line for line in done.stdout.splitlines() if "-m pytest" in line]
    assert len(command) == 1, done.stdout
    assert "BLURSCAN_REQUIRE_BROWSER=1" in command[0] and re.search(r"-m '?browser'?( |$)", command[0]), command
    for doc in ("README.md", "docs/development.md"):
        assert "make test-browser" in (ROOT / doc).read_text(), doc
