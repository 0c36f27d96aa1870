"""The hints' program named as run (:func:`blurscan.typed_commands.program`, :mod:`tests.test_hints_program`), where
the tests there, each run from a checkout or an editable install, let mistakes through: the ``blurscan`` on PATH
run by another spelling of its path, a blurscan installed (not editable) whose PYTHONPATH names its site folder
too, a program that sets ``sys.argv[0]`` to ``blurscan``, a relative PYTHONPATH (mutation testing, 2026-12-07)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from blurscan.errors import shell_path
from blurscan.typed_commands import as_run
from helpers_cli import IMPORT_ROOT
from helpers_images import save_jpeg, scene


def _quoted(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, text
    return found.group(1)


def test_the_blurscan_on_path_run_by_another_spelling_of_its_path_is_named_blurscan(tmp_path):
    """``.venv/bin/blurscan`` typed in the project's folder while that virtual environment is active (its ``bin``
    on PATH, absolute): the ``blurscan`` PATH finds is the one running, so the hints say ``blurscan``, as they do
    for ``blurscan`` typed bare (:func:`blurscan.typed_commands.program` compares the two by their real paths; a
    comparison as spelled said ``'/home/me/proj/.venv/bin/blurscan' scan ...``)."""
    project, fresh = tmp_path / "proj", tmp_path / "fresh"
    script = project / ".venv" / "bin" / "blurscan"
    script.parent.mkdir(parents=True)
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom blurscan.__main__ import run\nsys.exit(run())\n")
    script.chmod(0o755)
    save_jpeg(fresh / "one.jpg", scene(60))
    env = dict(os.environ, PATH=f"{script.parent}:/usr/bin:/bin", PYTHONPATH=IMPORT_ROOT)
    missing = subprocess.run([".venv/bin/blurscan", "report", str(fresh)], cwd=project, env=env, capture_output=True,
                             text=True, timeout=120)
    assert _quoted(r"\(run `([^`]*)` first", missing.stderr) == f"blurscan scan {shell_path(fresh)}", missing.stderr


def _installed(tmp_path: Path, where: str) -> tuple[Path, Path, dict]:
    """A copy of this blurscan installed, not editable, as pip puts it: into a new virtual environment's
    site-packages (``venv``), or into the user site of the base Python (``user``, ``pip install --user``), its
    libraries found through a ``.pth`` file naming this environment's site folders: ``(python, site folder, env)``."""
    import site

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONUSERBASE")}
    env["PATH"] = "/usr/bin:/bin"
    if where == "venv":
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", tmp_path / "venv"], check=True, timeout=120)
        python = tmp_path / "venv" / "bin" / "python"
    else:
        python = Path(getattr(sys, "_base_executable", sys.executable))
        env["PYTHONUSERBASE"] = str(tmp_path / "user")
    folder = subprocess.run([python, "-c", "import site, sys; print(site.getusersitepackages() if sys.argv[1] == "
                             "'user' else site.getsitepackages()[0])", where], env=env, capture_output=True,
                            text=True, check=True, timeout=60).stdout.strip()
    package = Path(folder) / "blurscan"
    shutil.copytree(Path(IMPORT_ROOT) / "blurscan", package, ignore=shutil.ignore_patterns("__pycache__"))
    (package.parent / "blurscan-libraries.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    found = subprocess.run([python, "-c", "import blurscan; print(blurscan.__file__)"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=60)
    if found.stdout.strip() != str(package / "__init__.py"):
        pytest.skip(f"the copy installed in {folder} is not the blurscan that Python imports: {found.stderr}")
    return python, package.parent, env


@pytest.mark.slow
@pytest.mark.parametrize("where", ["venv", "user"])
def test_an_installed_blurscan_named_on_pythonpath_too_is_named_by_its_python_alone(tmp_path, where):
    """A blurscan installed (not editable) in a virtual environment or the user site, run as ``python -m blurscan``
    with a PYTHONPATH that names that site folder too (one set in a profile): installed, it needs no PYTHONPATH, and
    its hints name that Python alone, which pasted without it runs (:func:`blurscan.typed_commands._python_path`
    leaves out a package among the site folders, the user site included; these checks survived every test, each
    run from a checkout or an editable install)."""
    python, folder, env = _installed(tmp_path, where)
    fresh = tmp_path / "fresh"
    save_jpeg(fresh / "one.jpg", scene(60))
    missing = subprocess.run([python, "-m", "blurscan", "report", str(fresh)], env={**env, "PYTHONPATH": str(folder)},
                             cwd=tmp_path, capture_output=True, text=True, timeout=120)
    scan = _quoted(r"\(run `([^`]*)` first", missing.stderr)
    assert scan == f"{shell_path(python)} -m blurscan scan {shell_path(fresh)}", scan
    pasted = subprocess.run(["sh", "-c", scan + " --model none"], env=env, cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert pasted.returncode == 0 and (fresh / ".blurscan.db").is_file(), pasted.stderr


def test_a_program_that_names_itself_blurscan_but_is_no_file_is_named_blurscan(tmp_path, monkeypatch):
    """blurscan run inside another program that set ``sys.argv[0]`` to ``blurscan`` (no file of that name in the
    current folder, nor on PATH): the hints say ``blurscan``, not the path of a ``blurscan`` in the current folder
    that is not there (:func:`blurscan.typed_commands.program` takes ``sys.argv[0]`` for the installed command only
    where it is a file)."""
    monkeypatch.setattr("sys.argv", ["blurscan", "report"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.chdir(tmp_path)
    assert as_run("blurscan undo --list") == "blurscan undo --list"


@pytest.mark.slow
def test_a_relative_pythonpath_is_named_absolute(tmp_path):
    """``PYTHONPATH=src python3 -m blurscan ...`` typed in a checkout (a Python that has not installed it): the
    hint names the PYTHONPATH absolute, so that pasted in another folder it finds blurscan (a relative ``src``
    there said "No module named blurscan")."""
    import site

    sites = [os.path.realpath(f) for f in site.getsitepackages()]
    base = getattr(sys, "_base_executable", sys.executable)
    if os.path.realpath(IMPORT_ROOT) in sites or sys.prefix == sys.base_prefix:
        pytest.skip("needs a checkout's blurscan run by a virtual environment (its base Python lacks blurscan)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PATH"] = "/usr/bin:/bin"
    if subprocess.run([base, "-c", "import blurscan"], env=env, capture_output=True, cwd=tmp_path).returncode == 0:
        pytest.skip("the virtual environment's base Python finds a blurscan of its own")
    checkout, fresh = os.path.dirname(os.path.abspath(IMPORT_ROOT)), tmp_path / "fresh"
    save_jpeg(fresh / "one.jpg", scene(60))
    typed = os.pathsep.join([os.path.relpath(IMPORT_ROOT, checkout), *sites])
    missing = subprocess.run([base, "-m", "blurscan", "report", str(fresh)], env={**env, "PYTHONPATH": typed},
                             cwd=checkout, capture_output=True, text=True, timeout=120)
    scan = _quoted(r"\(run `([^`]*)` first", missing.stderr)
    absolute = os.pathsep.join([os.path.abspath(IMPORT_ROOT), *sites])
    assert scan == f"PYTHONPATH={shell_path(absolute)} {shell_path(base)} -m blurscan scan {shell_path(fresh)}", scan
    pasted = subprocess.run(["sh", "-c", scan + " --model none"], env=env, cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert pasted.returncode == 0 and (fresh / ".blurscan.db").is_file(), pasted.stderr
