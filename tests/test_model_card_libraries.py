"""A training run records the versions of Python and the numeric libraries it ran with (the model's metadata,
`training.libraries`, and its card): the same command with other versions may give other weights, and until
2026-12-05 nothing said which were used. The shipped model predates that: its card says they were not recorded."""
from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from blurscan.model import report
from helpers_cli import PACKAGE

ROOT = Path(__file__).resolve().parents[1]


def test_library_versions_are_those_installed_and_torch_is_not_loaded_for_them():
    import cv2
    import PIL

    versions = report.library_versions()
    assert versions["python"] == platform.python_version()
    assert versions["numpy"] == np.__version__ and versions["cv2"] == cv2.__version__
    assert versions["PIL"] == PIL.__version__
    for module in ("onnx", "onnxruntime", "torch"):
        try:
            from importlib import metadata

            installed = metadata.version(module)
        except metadata.PackageNotFoundError:
            assert module not in versions
        else:
            assert versions[module] == installed
    # asking for the versions must not load torch: loaded before training pins its back-ends, it is not pinned
    code = ("import sys; from blurscan.model import report; v = report.library_versions(); "
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_card_line_names_each_version_or_says_none_was_recorded():
    line = report.library_line({"libraries": {"python": "3.11.7", "numpy": "2.4.6", "cv2": "5.1.0",
                                              "PIL": "13.0.0", "onnx": "1.23.2", "onnxruntime": "1.32.0",
                                              "torch": "2.13.0+cpu"}})
    assert line == ("Library versions of this run: Python 3.11.7, NumPy 2.4.6, OpenCV 5.1.0, Pillow 13.0.0, "
                    "onnx 1.23.2, ONNX Runtime 1.32.0, torch 2.13.0+cpu.")
    assert report.library_line({}).startswith("Library versions: not recorded for this model")


def test_the_shipped_cards_say_what_the_generator_writes_for_models_without_versions():
    """The shipped model's metadata records no versions (trained before 2026-12-05): its card, edited by hand in
    step with report.py, says so as `make model` would write it; so do the blog experiment's cards."""
    pytest.importorskip("onnxruntime")
    from blurscan.model import runtime

    training = runtime.load(PACKAGE / "models" / "default.onnx").spec.training
    assert "libraries" not in training
    line = report.library_line(training)
    assert f"`bench/accuracy.py` keeps fixed test sets.)\n\n{line}\n\n## Model" in \
        (ROOT / "docs" / "model-card.md").read_text()
    for card in ("seed-4class.md", "seed-4class-clean.md"):
        assert f" min on this machine\n- {line}\n" in (ROOT / "docs" / card).read_text()
