"""What a packager gets: the sdist carries what building and testing need (the test suite with its helpers,
the docs the tests and the README read, the model) and none of a working tree's by-products; the metadata
agrees with itself."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A working tree's by-products, planted in a copy of it: none may reach the sdist.
BY_PRODUCTS = ["demo/photos/astronaut.jpg", "demo/photos/.blurscan.db", "docs/.blurscan.db",
               "docs/.blurscan-thumbs/0a/thumb.jpg", "tests/__pycache__/conftest.cpython-311.pyc",
               "tests/.blurscan.db-wal", "bench/out/throughput.json", "artifacts/review.png"]


def _build_sdist(tree: Path, out: Path) -> Path:
    if not (ROOT / "src" / "blurscan").is_dir():
        pytest.skip(f"no source tree to build an sdist from ({ROOT / 'src'} is not there: the tests run against an "
                    "installed blurscan)")
    setuptools = pytest.importorskip("setuptools")
    if int(setuptools.__version__.split(".")[0]) < 77:  # pyproject's build-system asks for it (SPDX licence)
        pytest.skip(f"setuptools {setuptools.__version__} < 77 (the dev extra installs a newer one)")
    done = subprocess.run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
                           "print(build_meta.build_sdist(sys.argv[1]))", str(out)],
                          cwd=tree, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return out / done.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_the_sdist_holds_the_tests_docs_and_model_and_no_by_products(tmp_path):
    """The sdist had tests/test_*.py (setuptools' default) but not conftest.py or the helpers_*.py they import,
    nor docs/ (which tests and README links read): its test suite could not even be collected (a packaging
    walkthrough)."""
    tree = tmp_path / "tree"
    shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "demo", "artifacts", ".pytest_cache", ".hypothesis",
        "__pycache__", "*.db", "*.db-wal", "*.db-shm", ".blurscan*", "out"))
    source = sorted(str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file())
    for name in BY_PRODUCTS:
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_bytes(b"x")

    sdist = _build_sdist(tree, tmp_path / "dist")
    with tarfile.open(sdist) as tar:
        top = sdist.name[:-len(".tar.gz")] + "/"
        names = {m.name[len(top):] for m in tar.getmembers() if m.isfile()}
        pkg_info = tar.extractfile(top + "PKG-INFO").read().decode()
    import blurscan  # the version is written once, in the package (pyproject reads it)

    assert f"\nVersion: {blurscan.__version__}\n" in pkg_info

    wanted = [n for n in source if n.split("/")[0] in ("src", "tests", "docs", "bench")]
    wanted += ["Makefile", "LICENSE", "README.md", "CHANGES.md", "pyproject.toml", "MANIFEST.in", ".ci/run"]
    assert not [n for n in wanted if n not in names], "missing from the sdist"
    assert {"tests/conftest.py", "tests/helpers_cli.py", "docs/jsonl.md",
            "src/blurscan/models/default.onnx"} <= names
    assert not names & set(BY_PRODUCTS)
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".db"))]
    allowed_top = {"src", "tests", "docs", "bench", "Makefile", "LICENSE", "README.md", "CHANGES.md",
                   "pyproject.toml", "MANIFEST.in", "PKG-INFO", "setup.cfg",
                   ".ci"}  # (.ci/run: README says it installs Chromium; CHANGES.md: README links to it)
    assert {n.split("/")[0] for n in names} <= allowed_top


def test_the_metadata_names_the_python_versions_it_requires():
    """The metadata had no classifiers at all: nothing said which Python versions are supported (3.10 to 3.13
    were each checked with a wheel install and a scan in a packaging walkthrough). The versions listed start at
    requires-python's minimum and have no gap."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"].startswith(">=3.")
    lowest = int(project["requires-python"][len(">=3."):])
    prefix = "Programming Language :: Python :: 3."
    minors = sorted(int(c[len(prefix):]) for c in project.get("classifiers", []) if c.startswith(prefix))
    assert minors and minors == list(range(lowest, lowest + len(minors)))
    assert "Programming Language :: Python :: 3 :: Only" in project["classifiers"]
    assert not [c for c in project["classifiers"] if c.startswith("License ::")]  # the SPDX `license` says it


def test_a_package_two_extras_name_has_one_floor():
    """The train extra asked for matplotlib>=3.7 where the dev extra asks for 3.8.4, the first release built for
    NumPy 2: `pip install 'blurscan[train]'` kept a matplotlib 3.7 it found, which fails to import beside NumPy 2
    (its plots skipped), and a resolver choosing floors could pair them (a packaging walkthrough, 2026-12-06). A
    floor raised in one extra is raised in every extra naming the package."""
    tomllib = pytest.importorskip("tomllib")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    floors: dict[str, set[str]] = {}
    for requirements in extras.values():
        for requirement in requirements:
            name, _, floor = requirement.partition(">=")
            if floor:
                floors.setdefault(name.strip().lower(), set()).add(floor.split(",")[0].strip())
    assert {name: sorted(f) for name, f in floors.items() if len(f) > 1} == {}


@pytest.mark.slow  # (a pytest of its own: ~5 s)
def test_the_tests_that_read_the_package_read_the_one_under_test(tmp_path):
    """A packager runs the sdist's tests against the wheel installed (its ``src/`` removed, or beside it): the
    layering, the module tree's (docs/development.md), the model card's and the odd-files tests read ``src/blurscan`` by path
    (KeyError, FileNotFoundError, 'model file not found'; a packaging walkthrough, 2026-12-06), and two gave
    ``src/`` to a child's PYTHONPATH. They read the package imported, wherever it is: here a copy of the tests
    and docs beside no ``src/``, with the package under test on the PYTHONPATH."""
    import blurscan

    tree = tmp_path / "unpacked"
    for name in ("tests", "docs"):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("README.md", "CHANGES.md", "pyproject.toml", "Makefile", "LICENSE"):
        shutil.copy(ROOT / name, tree / name)
    contracts = "tests/test_docs_contracts.py::test_"
    files = ["tests/test_layering.py", f"{contracts}every_relative_link_leads_to_a_file_and_heading",
             f"{contracts}the_module_table_names_every_module_of_the_package_and_no_other",
             "tests/test_model_card_libraries.py", "tests/test_typed.py"]
    env = {**os.environ, "PYTHONPATH": str(Path(blurscan.__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *files],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout and "error" not in done.stdout.lower()
