"""The commands' help under ``python -OO`` (``PYTHONOPTIMIZE=2``), which strips docstrings.

click takes a command's help from its function's docstring. ``-OO`` removes every docstring as the modules are
compiled, so until 2026-12-06 ``blurscan --help`` listed the commands with no word on what they do, and ``blurscan
scan --help`` lost its description and its exit codes (the options' help, given as strings, stayed). Some container
images and CI jobs set ``PYTHONOPTIMIZE=2`` for everything. The source files ship in the package, so there the
docstrings are read back from them (:mod:`ast`, only under ``-OO``: about 30 ms); where the sources are not there
(an install of compiled files only), the help stays as ``-OO`` left it.
"""
from __future__ import annotations

import ast
import inspect
import sys


def restore(group) -> None:
    """Give ``group`` and each of its commands the help their docstring gave them, where ``-OO`` took it away."""
    if sys.flags.optimize < 2:
        return
    trees: dict[str, ast.Module | None] = {}
    for command in (group, *group.commands.values()):
        if command.help is None and command.callback is not None:
            command.help = _docstring(inspect.unwrap(command.callback), trees)


def _docstring(function, trees: dict) -> str | None:
    """``function``'s docstring as written in its source file (as ``__doc__`` holds it without ``-OO``), or None."""
    code = getattr(function, "__code__", None)
    if code is None:
        return None
    path = code.co_filename
    if path not in trees:
        try:
            with open(path, encoding="utf-8") as source:
                trees[path] = ast.parse(source.read(), path)
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
            trees[path] = None
    tree = trees[path]
    if tree is None:
        return None
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name != function.__name__:
            continue
        if code.co_firstlineno in (node.lineno, *(d.lineno for d in node.decorator_list)):  # (its first decorator)
            return ast.get_docstring(node, clean=False)
    return None
