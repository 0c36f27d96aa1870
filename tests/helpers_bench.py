"""A bench/ script loaded as a module, for the tests of its pure parts (bench/ is not a package)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_module(name: str):
    """``bench/NAME.py`` loaded as ``bench_NAME``, with bench/ on the import path while it loads (a script that
    imports a sibling, as throughput imports network_ab and history_growth commands_scale)."""
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module
