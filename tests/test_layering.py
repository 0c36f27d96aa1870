"""The layering of ``src/blurscan`` (docs/development.md, "The modules"): data moves one way, files -> decode ->
measures / model -> store -> report / review / bursts / actions -> cli, and no module imports a stage above its
own. The import graph is read from the source (nothing is imported): every ``import`` and ``from`` statement,
at module level and inside functions (the lazy imports, ``__getattr__`` of a package's ``__init__``), relative
or absolute, and ``importlib.import_module`` / ``__import__`` of a module written out, read with ``ast``. Library
modules also neither print (nor write to ``sys.stdout``), nor set up logging, nor import click or rich (only the
command line does), with the one exception listed.

A new module must be given its stage in :data:`STAGES` (the test names it otherwise). An import against the
table either moves a helper down to the stage of its job or, where that is not worth it, is listed in
:data:`ALLOWED` with its reason.
"""
from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

import pytest

from helpers_cli import PACKAGE  # (the package under test: src/blurscan, or the installed one)

#: (stage, rank, module patterns relative to ``blurscan``). A module may import its own stage and any stage of
#: a lower rank; stages of one rank are side by side and do not import each other (but see SIDEWAYS).
STAGES = [
    ("base", 0, "errors config records cpu_quota memory_limit filetime isotime taken_at utf8_mode xdg name_room name_forms pair_names"
                " permissions owner_names folders_down fs_owner held forking optional stop_signals processes ownstderr manifest_csv metrics intervals"
                " inode_flags sizes stored_json stored_records older_records typed_commands path_walk mount_table"),
    ("files", 1, "walk walk_state twins hidden_named managed same_file appledouble fileread readahead scanned_roots analysis samples memory_room"),
    ("decode", 2, "decode decode_reasons jpeg jpegdamage jpegend jpegexif jpegkind raw rawtimes rawexif exif xmpdates metadates heif pillowguard"
                  " pixels srgb pngsalvage tiffkind cutshort unfinished scaled arrays pairs"),
    ("measures", 3, "measures tiles borders fingerprint"),
    ("synth", 3, "synth synth.*"),
    ("model", 4, "model model.aggregate model.checks model.forked model.spec model.runtime model.defaults shipped_model"),
    ("store", 5, "store image_rows stored_paths schema dbfile shm_size dbleftovers open_databases seeded library_bounds library_root linked_names mount_twins other_databases share_ids"),
    # what a scan reuses of the store: records of files renamed, replaced, shifted, swapped; pruning (and what report
    # and review say of the records it keeps: unmounted)
    ("lookups", 6, "lookups pruning unmounted renamed replaced shifted swapped coarsened rescored judged_by root_drives share_roots redate too_small"),
    ("report", 7, "report listing table_paths"),
    ("review", 7, "review review.*"),
    ("actions", 7, "actions actions.*"),
    ("bursts", 7, "bursts bursts.*"),
    ("scan", 8, "pipeline batches loaded_models tasks scan_workers"),  # the one module that wires the stages, and its helpers
    ("evaluate", 9, "evaluate evaluate_plots evaluate_predictions manifest_rows datasets demo"),  # they run the scan
    ("training", 10, "model.train model.network model.export model.data model.rules model.report model.fourclass"
                     " model.real_figures model.saving model.card_design model.card_notes model.unused_rows"
                     " model.own_rows model.collected"),
    ("cli", 11, "cli cli.* __main__ __init__"),
]

#: Stages side by side that one reads of the other, and why.
SIDEWAYS = {
    ("review", "actions"): "the page keeps what move / trash would take with a photo and the keeps they honour",
    ("review", "bursts"): "the page's bursts view shows the stored groups and records a chosen keeper",
    ("actions", "bursts"): "--from-bursts takes the groups' non-keepers; a twin's Takeout JSON moves with it",
    ("report", "actions"): "report marks the photos kept in another database, as move / trash leave them",
    ("report", "review"): "report shows the person's keep / discard decisions (tables kept by review.decisions)",
    ("bursts", "report"): "the bursts list is written with report's CSV cells and one-line paths",
}

#: Imports of a higher stage left as they are (importer, imported): each with its reason.
ALLOWED = {
    ("decode", "measures"): "the Laplacian baseline needs the full-resolution gray image, which only the decoder "
                            "holds (dropped right after; keeping it for measures would cost its memory)",
    ("jpeg", "measures"): "the same, for a JPEG's full-resolution luma (jpeg is the JPEG half of decode)",
    ("shifted", "review.thumbs"): "a clock-shifted record keeps its review thumbnails: their names hash the time",
    ("shifted", "bursts.identity"): "the same record keeps its burst rows (a shared column name, FILE_KEY)",
    ("evaluate_plots", "model.export"): "write_atomically lives in model.export (numpy and the standard library "
                                        "only at import): a helper to move down one day",
    ("evaluate_predictions", "model.export"): "the same helper",
    ("root_drives", "actions.drive_ids"): "a drive's identity and where it is mounted now are read by the one "
                                          "mount-table reader undo uses (actions.drives, drive_ids): to move down "
                                          "one day, with drives",
    ("unmounted", "actions.batch_drives"): "a library carried with its drive to another mount point is told as "
                                           "undo tells it (carried_library, db_point)",
}

#: Library modules allowed to import click or rich, and why.
CONSOLE = {"report": "draws the ranked table with rich onto the console the command gives it",
           "table_paths": "the ranked table's path cell, which rich lays out (wrapped after a /)"}


def _module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


MODULES = _module_names()


def _ours(name: str) -> str:
    """The module of ours that ``name`` (relative to ``blurscan``, maybe an object in a module) is or is in."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or "__init__"


#: Calls that write to standard output (``print``, ``builtins.print``, ``sys.stdout.write``), as dotted names.
PRINTS = {"print", "builtins.print", "sys.stdout.write", "sys.stdout.writelines"}
#: Calls that import the module named by their first argument, when it is written out (``"blurscan.pipeline"``).
DYNAMIC = {"__import__", "import_module", "importlib.import_module"}


def _dotted(node) -> str:
    """``sys.stdout.write`` for the call target ``sys.stdout.write``; "" for one that is not a dotted name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def imports(module: str, source: str | None = None) -> tuple[set[str], set[str], list[int]]:
    """(our modules ``module`` imports, the third-party top-level names it imports, lines writing to standard
    output); ``source`` read in place of the module's file when given."""
    path = MODULES[module]
    package = module.split(".") if path.name == "__init__.py" and module != "__init__" else module.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    ours, theirs, prints = set(), set(), []
    for node in ast.walk(tree):  # module level and inside functions alike
        called = _dotted(node.func) if isinstance(node, ast.Call) else ""
        if called in PRINTS:
            prints.append(node.lineno)  # the built-in print, not console.print
        elif called in DYNAMIC and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(name := node.args[0].value, str) and name.partition(".")[0] == "blurscan":
            ours.add(_ours(name.partition(".")[2]))  # importlib.import_module("blurscan.pipeline")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "blurscan" or alias.name.startswith("blurscan."):
                    ours.add(_ours(alias.name.partition(".")[2]))
                else:
                    theirs.add(alias.name.partition(".")[0])
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
                target = ".".join(base)
            elif node.module == "blurscan" or (node.module or "").startswith("blurscan."):
                target = node.module.partition(".")[2]
            else:
                theirs.add((node.module or "").partition(".")[0])
                continue
            for alias in node.names:  # ``from . import x`` names a module; ``from .x import y`` an object of x
                ours.add(_ours(f"{target}.{alias.name}".lstrip(".")))
    ours.discard(module)
    return ours, theirs, prints


def stage_of(module: str) -> tuple[str, int]:
    for stage, rank, patterns in STAGES:
        if any(fnmatch.fnmatchcase(module, p) for p in patterns.split()):
            return stage, rank
    raise AssertionError(f"blurscan.{module} has no stage: give it one in tests/test_layering.py (STAGES)")


GRAPH = {module: imports(module) for module in sorted(MODULES)}


def upward(graph=None) -> list[str]:
    """Every import of a module of a higher stage, or of a stage beside its own, not allowed above."""
    found = []
    for module, (ours, _, _) in (graph or GRAPH).items():
        stage, rank = stage_of(module)
        for target in sorted(ours):
            other, other_rank = stage_of(target)
            if other_rank > rank or (other_rank == rank and other != stage and (stage, other) not in SIDEWAYS):
                if (module, target) not in ALLOWED:
                    found.append(f"blurscan.{module} ({stage}) imports blurscan.{target} ({other})")
    return found


def test_every_module_has_a_stage():
    for module in MODULES:
        stage_of(module)


def test_no_module_imports_a_higher_stage():
    assert upward() == []


def test_the_allowed_exceptions_are_all_still_needed():
    """An exception whose import is gone is taken off the list (else it would allow the import back)."""
    for module, target in ALLOWED:
        assert target in GRAPH[module][0], f"{module} -> {target} is allowed but no longer imported"
    for module in CONSOLE:
        assert GRAPH[module][1] & {"click", "rich"}, f"{module} is allowed click / rich but imports neither"


def test_only_the_command_line_prints_or_imports_click_and_rich():
    for module, (_, theirs, prints) in GRAPH.items():
        if stage_of(module)[0] == "cli":
            continue
        assert not prints, f"blurscan.{module} prints (lines {prints}): only the command line prints"
        if module not in CONSOLE:
            assert not theirs & {"click", "rich"}, f"blurscan.{module} imports {theirs & {'click', 'rich'}}"
        source = MODULES[module].read_text(encoding="utf-8")
        assert "basicConfig(" not in source and "addHandler(" not in source, f"blurscan.{module} sets up logging"


@pytest.mark.parametrize("module,target,stage", [
    ("decode", "store", "store"),        # upward
    ("measures", "model.runtime", "model"),  # upward
    ("store", "actions.undo", "actions"),    # upward
    ("report", "cli.output", "cli"),         # upward
    ("measures", "synth.kernels", "synth"),  # beside it, not allowed
    ("report", "pipeline", "scan"),      # what report did until 2026-12-06
])
def test_an_upward_import_is_found(module, target, stage):
    """The check itself: each of these imports, added to the graph, is reported."""
    graph = {name: (set(ours), theirs, prints) for name, (ours, theirs, prints) in GRAPH.items()}
    graph[module][0].add(target)
    assert upward(graph) == [f"blurscan.{module} ({stage_of(module)[0]}) imports blurscan.{target} ({stage})"]


def test_lazy_and_relative_imports_are_read(tmp_path):
    """A function-level ``from ..x import y``, ``from . import x`` and ``import blurscan.x`` are all edges."""
    assert "measures" in GRAPH["decode"][0]            # ``from .measures import laplacian_var`` in a function
    assert "pipeline" in GRAPH["__init__"][0]          # ``from . import pipeline`` in __getattr__
    assert "model.runtime" in GRAPH["model"][0]        # the package's own __init__, ``from . import runtime``
    assert "store" in GRAPH["review.library"][0]       # ``from ..store import ...`` two levels up


@pytest.mark.parametrize("module, source, found", [
    ("measures", "def f():\n    from .pipeline import scan\n", "pipeline"),  # in a function
    ("model", "def __getattr__(name):\n    from .. import pipeline\n", "pipeline"),  # a package's __getattr__
    ("measures", "import blurscan.cli.output as out\n", "cli.output"),
    ("actions.freed", "def f():\n    from .. import pipeline\n", "pipeline"),
    ("actions.freed", "from blurscan import cli\n", "cli"),
    ("decode", "import importlib\nm = importlib.import_module('blurscan.pipeline')\n", "pipeline"),
    ("decode", "m = __import__('blurscan.cli.output')\n", "cli.output"),
])
def test_each_form_of_import_is_read(module, source, found):
    """The reader itself, on made-up sources: each form of an import of ours is an edge (a dynamic import whose
    module is written out too: importlib.import_module and __import__ were not read until 2026-12-06)."""
    assert found in imports(module, source)[0]


@pytest.mark.parametrize("source", ["print('x')\n", "import builtins\nbuiltins.print('x')\n",
                                    "import sys\nsys.stdout.write('x')\n", "def f():\n    print()\n"])
def test_each_way_of_printing_is_found(source):
    """A library module's write to standard output, however written (only ``print(...)`` was found until
    2026-12-06); ``console.print`` and ``sys.stderr.write`` are not: a rich console is given by the command,
    and a worker's warning goes to stderr (processes)."""
    assert imports("measures", source)[2]
    assert not imports("measures", "console.print('x')\nimport sys\nsys.stderr.write('x')\n")[2]
