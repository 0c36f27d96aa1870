"""An extra's package that is installed but fails as it is imported: scikit-image 0.22 or matplotlib 3.7, built for
NumPy 1, left in an environment whose NumPy was upgraded to 2 (an installed wheel, 2026-12-06: matplotlib 3.7.0
raised `ImportError: numpy.core.multiarray failed to import`, scikit-image 0.22.0 `ValueError: numpy.dtype size
changed`). `blurscan demo` died in a traceback; `blurscan evaluate` said "matplotlib is not installed" of an
installed one (`pip install matplotlib`: "Requirement already satisfied"), or died in a traceback after the
scoring, its predictions.csv unwritten. Each now says what is installed, why it fails and how to mend it.

The packages here are stand-ins on PYTHONPATH that fail as the real ones did (the environment, not blurscan)."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from helpers_images import blurred, save_jpeg, textured


def _blurscan(tmp_path, broken: dict[str, str], *args):
    """``python -m blurscan ARGS`` with each package of ``broken`` (name -> the exception its import raises)
    shadowed by one that raises it."""
    fake = tmp_path / "site"
    for name, raised in broken.items():
        (fake / name).mkdir(parents=True)
        (fake / name / "__init__.py").write_text(f"raise {raised}\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(fake), *(p for p in sys.path if p)])}
    return subprocess.run([sys.executable, "-m", "blurscan", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


def test_demo_with_a_scikit_image_that_fails_to_import_is_one_line(tmp_path):
    done = _blurscan(tmp_path, {"skimage": 'ValueError("numpy.dtype size changed, may indicate binary '
                                           'incompatibility. Expected 96 from C header, got 88 from PyObject")'},
                     "demo", tmp_path / "photos")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert re.fullmatch(r"Error: the demo photos come from scikit-image, and scikit-image( \S+)? is installed but "
                        r"cannot be imported \(ValueError: numpy\.dtype size changed, may indicate binary "
                        r"incompatibility\. Expected 96 from C header, got 88 from PyObject\): "
                        r"pip install --upgrade 'blurscan\[demo\]'\n", done.stderr), done.stderr
    assert not (tmp_path / "photos").exists()


@pytest.mark.parametrize("raised", ['ImportError("numpy.core.multiarray failed to import")',
                                    'AttributeError("_ARRAY_API not found")'])
def test_evaluate_with_a_matplotlib_that_fails_to_import_says_so_and_writes_the_rest(tmp_path, raised):
    save_jpeg(tmp_path / "sharp.jpg", textured(seed=1))
    save_jpeg(tmp_path / "soft.jpg", blurred(textured(seed=2), sigma=5.0))
    (tmp_path / "m.csv").write_text("file,label\nsharp.jpg,sharp\nsoft.jpg,blurry\n")
    out = tmp_path / "out"
    done = _blurscan(tmp_path, {"matplotlib": raised}, "evaluate", tmp_path / "m.csv", "--model", "none",
                     "--workers", "1", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "not installed" not in done.stderr
    kind, text = re.fullmatch(r'(\w+)\("(.*)"\)', raised).groups()
    assert re.search(rf"^matplotlib( \S+)? is installed but cannot be imported \({kind}: {re.escape(text)}\): "
                     r"plots skipped \(pip install --upgrade matplotlib\)\.$", done.stderr, re.M), done.stderr
    assert sorted(os.listdir(out)) == ["metrics.json", "predictions.csv"]


def test_train_with_a_torch_that_fails_to_import_stops_before_any_work(tmp_path):
    """A torch that is installed and fails (a wheel missing its libraries) was met once every training image
    had been made (2 min 17 s for 124 photos here), and was a traceback. It is tried first now, in a child
    process (this one must not load torch before its instruction sets are pinned)."""
    for i in range(3):
        save_jpeg(tmp_path / "photos" / f"p{i}.jpg", textured(seed=i))
    done = _blurscan(tmp_path, {"torch": 'ImportError("libtorch_cpu.so: cannot open shared object file: No such '
                                         'file or directory")'},
                     "train", tmp_path / "photos", "--out", tmp_path / "m.onnx", "--work-dir", tmp_path / "work")
    assert done.returncode == 1, done.stderr
    assert re.fullmatch(r"Error: training needs PyTorch, and torch( \S+)? is installed but cannot be imported "
                        r"\(ImportError: libtorch_cpu\.so: cannot open shared object file: No such file or "
                        r"directory\): mend or reinstall it \(the 'train' extra\); nothing was done\n",
                        done.stderr), done.stderr
    assert sorted(os.listdir(tmp_path)) == ["photos", "site"]


def _dist_info(tmp_path, name: str, version: str) -> None:
    """The installed release's record beside its stand-in (found first on PYTHONPATH, as an old wheel's is)."""
    info = tmp_path / "site" / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")


def test_demo_names_the_release_that_fails_and_the_first_line_of_its_error(tmp_path):
    _dist_info(tmp_path, "scikit-image", "0.22.0")
    done = _blurscan(tmp_path, {"skimage": 'ValueError("numpy.dtype size changed, may indicate binary '
                                           'incompatibility\\nExpected 96 from C header, got 88 from PyObject")'},
                     "demo", tmp_path / "photos")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr == ("Error: the demo photos come from scikit-image, and scikit-image 0.22.0 is installed but "
                           "cannot be imported (ValueError: numpy.dtype size changed, may indicate binary "
                           "incompatibility): pip install --upgrade 'blurscan[demo]'\n")


def test_train_names_the_torch_release_that_fails(tmp_path):
    _dist_info(tmp_path, "torch", "2.0.1")
    (tmp_path / "photos").mkdir()
    save_jpeg(tmp_path / "photos" / "p0.jpg", textured(seed=0))
    done = _blurscan(tmp_path, {"torch": 'ImportError("libtorch_cpu.so: cannot open shared object file")'},
                     "train", tmp_path / "photos", "--out", tmp_path / "m.onnx", "--work-dir", tmp_path / "work")
    assert done.returncode == 1, done.stderr
    assert "and torch 2.0.1 is installed but cannot be imported (ImportError: libtorch_cpu.so: cannot open " \
           "shared object file)" in done.stderr, done.stderr
