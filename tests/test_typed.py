"""The package is typed (PEP 561): its wheel carries ``py.typed``, and a type checker sees the public names
(``blurscan.scan``, ``score_image``, ``ScanRecord``, ``ScanSettings``, ``BlurscanError``) as annotated, not as
the ``Any`` a module ``__getattr__`` or an unannotated decorator makes of them (a type checker's walkthrough,
2026-12-06: mypy and pyright called every one of them ``Any``)."""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import blurscan
from blurscan import forking

SRC = Path(blurscan.__file__).resolve().parent


def _type_checking_imports(module: Path) -> set[str]:
    """The names a module imports under ``if TYPE_CHECKING:`` (what a type checker alone sees)."""
    names = set()
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            names |= {alias.asname or alias.name for imp in node.body if isinstance(imp, ast.ImportFrom)
                      for alias in imp.names}
    return names


def test_every_lazy_public_name_is_shown_to_a_type_checker():
    lazy = set(blurscan.__all__) - {"__version__"}
    assert _type_checking_imports(SRC / "__init__.py") == lazy
    for name in lazy:  # the very objects the lazy imports give at run time
        assert getattr(blurscan, name).__module__.startswith("blurscan.")


def test_the_call_counting_decorators_keep_the_signature_they_wrap():
    """``@waited_for`` and ``@steps_waited_for`` (on ``scan`` and ``score_image``) were unannotated: a type checker
    took the functions they decorate for ``Any``."""
    for decorator, given in ((forking.waited_for, "func"), (forking.steps_waited_for, "generator_function")):
        hints = decorator.__annotations__
        assert hints[given] == hints["return"] and "P" in hints["return"]
    assert blurscan.score_image.__wrapped__.__annotations__["return"] == "ScanRecord"
    assert blurscan.scan.__wrapped__.__annotations__["return"] == "Iterator[ScanRecord]"


def test_typing_is_not_imported_by_import_blurscan():
    """(the markers above are for type checkers only: ``import blurscan`` stays cheap)"""
    code = "import sys, blurscan; print('typing' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_the_marker_is_in_the_package_and_its_wheel(tmp_path):
    assert (SRC / "py.typed").is_file()
    setuptools = pytest.importorskip("setuptools")
    if int(setuptools.__version__.split(".")[0]) < 77:  # pyproject's build-system asks for it (SPDX licence)
        pytest.skip(f"setuptools {setuptools.__version__} < 77 (the dev extra installs a newer one)")
    tree = tmp_path / "tree"  # (a copy: the build leaves build/ and an .egg-info behind it)
    root = Path(__file__).resolve().parents[1]
    if not (root / "src" / "blurscan").is_dir():
        pytest.skip(f"no source tree to build a wheel from ({root / 'src'} is not there: the tests run against an "
                    "installed blurscan)")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        tree.mkdir(exist_ok=True)
        shutil.copy(root / name, tree / name)
    shutil.copytree(root / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    done = subprocess.run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
                           "print(build_meta.build_wheel(sys.argv[1]))", str(tmp_path / "dist")],
                          cwd=tree, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    with zipfile.ZipFile(tmp_path / "dist" / done.stdout.strip().splitlines()[-1]) as wheel:
        assert "blurscan/py.typed" in wheel.namelist()
