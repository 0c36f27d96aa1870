"""A test or bench script that sets a module's constant by assignment (``pipeline.MIN_POOL_BYTES = 0``, often in
a script run in a subprocess) names a constant that module still has. Python takes the assignment of a name a
module no longer has without a word: when the worker pool moved from ``pipeline.py`` to ``scan_workers.py``
(2026-12-07), four tests kept setting ``pipeline.MIN_POOL_BYTES`` / ``pipeline.POOL_FILES``, their scans no
longer started worker processes, and three of them failed while two passed without testing the pool at all.
(``monkeypatch.setattr`` raises on a missing name already.)"""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# `module.CONSTANT = ` at a line's start, after `;` or a space, or after a `\n` inside a script's string
_SET = re.compile(r"""(?:^|[\s;"']|\\n)([a-z_][a-z0-9_]*)\.([A-Z][A-Z0-9_]*) = """, re.MULTILINE)


def _blurscan_module(name: str):
    for full in (f"blurscan.{name}", f"blurscan.cli.{name}"):
        try:
            return importlib.import_module(full)
        except ModuleNotFoundError:
            continue
    return None


def _settings(folder: str) -> list[tuple[str, str, str]]:
    found = []
    for path in sorted((REPO / folder).glob("*.py")):
        for match in _SET.finditer(path.read_text(encoding="utf-8")):
            found.append((path.name, match.group(1), match.group(2)))
    return found


@pytest.mark.parametrize("folder", ["tests", "bench"])
def test_a_constant_set_by_assignment_is_one_its_module_has(folder):
    settings = _settings(folder)
    if folder == "tests":
        assert any(s[0] == "test_worker_start.py" and s[2] == "MIN_POOL_BYTES" for s in settings)  # it finds them
    missing = sorted({f"{file}: {module}.{name}" for file, module, name in settings
                      if (mod := _blurscan_module(module)) is not None and not hasattr(mod, name)})
    assert not missing, f"constants set on a module that no longer has them (moved?): {missing}"


# a module and a name given to a child script's template (``_AFTER_SECOND.format(...)``), which wraps
# ``module.name``: until 2026-12-07 one named ``blurscan.actions.xmp._write_journaled`` after the split had moved it
# to ``sidecar_write.write_journaled`` (imported into xmp by its new name): the child failed on the missing name
_WRAPPED = re.compile(r"""module=["'](blurscan[a-z0-9_.]*)["'],\s*name=["']([A-Za-z_][A-Za-z0-9_]*)["']""")


def test_a_name_a_child_script_wraps_is_one_its_module_has():
    found = [(path.name, m.group(1), m.group(2)) for path in sorted((REPO / "tests").glob("*.py"))
             for m in _WRAPPED.finditer(path.read_text(encoding="utf-8"))]
    assert any(f == "test_cli_actions_interrupted.py" and n == "write_journaled" for f, _, n in found)  # it finds them
    missing = sorted({f"{file}: {module}.{name}" for file, module, name in found
                      if not hasattr(importlib.import_module(module), name)})
    assert not missing, f"names wrapped in a module that no longer has them (moved?): {missing}"
