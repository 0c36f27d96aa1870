"""The optional packages of the extras (scikit-image for ``demo``, matplotlib for ``evaluate``'s plots), imported
with a reason that says what is wrong: not installed, or installed but failing as it is imported.

The second is common: a release built for NumPy 1 (scikit-image 0.22, matplotlib 3.7) left in an environment
whose NumPy was upgraded to 2 raises ``ValueError: numpy.dtype size changed`` or ``ImportError: numpy.core.
multiarray failed to import`` (after NumPy's own warning on stderr). Until 2026-12-06 ``blurscan demo`` then
died in a traceback, and ``evaluate`` said "matplotlib is not installed" of an installed one (``pip install
matplotlib`` answered "Requirement already satisfied").
"""
from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
from types import ModuleType


class OptionalImportError(ImportError):
    """An optional package could not be imported; ``reason`` is a line saying why (the fix follows it)."""

    def __init__(self, reason: str, installed: bool):
        super().__init__(reason)
        self.reason = reason
        self.installed = installed


def load(module: str, distribution: str) -> ModuleType:
    """``import module`` (``"skimage.data"``, ``"matplotlib.pyplot"``), of the package ``distribution`` gives
    (``"scikit-image"``).

    Raises
    ------
    OptionalImportError
        ``installed`` False: nothing of that name is installed; True: it is, and importing it raised (any
        exception, as a package built for another NumPy raises a ValueError or an AttributeError too), its
        type and first line in ``reason``.
    """
    top = module.split(".")[0]
    if importlib.util.find_spec(top) is None:
        raise OptionalImportError(f"{distribution} is not installed", installed=False)
    try:
        return importlib.import_module(module)
    except Exception as exc:  # noqa: BLE001 - whatever the import raised is the reason to give
        try:
            version = f" {importlib.metadata.version(distribution)}"
        except importlib.metadata.PackageNotFoundError:
            version = ""
        first = (str(exc).strip().splitlines() or [""])[0]
        raise OptionalImportError(f"{distribution}{version} is installed but cannot be imported "
                                  f"({type(exc).__name__}: {first})", installed=True) from exc


def probe(module: str, distribution: str, timeout: float = 300) -> str | None:
    """Why ``import module`` fails, tried in a fresh interpreter (this process's own and its environment), or None
    where it loads (or the child gives no answer in ``timeout`` seconds: the work goes on, as before this check).

    For torch, which ``blurscan train`` must not load before its instruction sets are pinned
    (:func:`blurscan.model.train.pin_numerics`), yet whose failure was met only after the training images were
    made (2 min for 124 photos, hours for a library) and then was a traceback (until 2026-12-06)."""
    import subprocess
    import sys

    if module in sys.modules:
        return None
    if importlib.util.find_spec(module.split(".")[0]) is None:
        return f"{distribution} is not installed"
    try:
        done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True,
                              errors="replace", timeout=timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode == 0:
        return None
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    try:
        version = f" {importlib.metadata.version(distribution)}"
    except importlib.metadata.PackageNotFoundError:
        version = ""
    why = f" ({lines[-1]})" if lines else ""
    return f"{distribution}{version} is installed but cannot be imported{why}"
