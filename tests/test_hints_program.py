"""The commands blurscan's messages and review page suggest begin with the program as it was run
(:func:`blurscan.typed_commands.program`): ``blurscan`` where that name on PATH is the one running, else its
absolute path, quoted, and ``PYTHON -m blurscan`` for ``python -m blurscan``. Until 2026-12-07 only ``demo`` named
it so; the undo of a move, report's notes, bursts' ``next:`` line, the missing database's scan and the review page
said ``blurscan``, which a shell whose PATH lacks the virtual environment's folder answered "command not found"."""
from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import blurscan
from blurscan.errors import shell_path
from blurscan.typed_commands import as_run, program
from helpers_cli import IMPORT_ROOT
from helpers_images import exposed, save_jpeg, scene, shaken

MAIN = str(Path(blurscan.__file__).resolve().parent / "__main__.py")


def test_python_m_blurscan_is_named_by_its_python_unless_its_blurscan_is_on_path(tmp_path, monkeypatch):
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.symlink_to(sys.executable)
    monkeypatch.setattr("sys.argv", [MAIN, "report"])
    monkeypatch.setattr("sys.executable", str(python))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.delenv("PYTHONPATH", raising=False)  # (installed: the tests' own PYTHONPATH not needed)
    monkeypatch.chdir(tmp_path)
    assert program() == f"{shell_path(python)} -m blurscan"
    assert as_run("blurscan undo --list") == f"{shell_path(python)} -m blurscan undo --list"
    script = python.parent / "blurscan"  # (the venv's own command, on PATH: the same blurscan)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{python.parent}:/usr/bin:/bin")
    assert program() == "blurscan" and as_run("blurscan undo") == "blurscan undo"
    monkeypatch.setattr("sys.argv", ["/usr/lib/python3/site-packages/pytest/__main__.py"])  # (in another program)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert program() == "blurscan"


def test_python_m_blurscan_found_by_pythonpath_only_names_it(tmp_path, monkeypatch):
    """``PYTHONPATH=SRC python3 -m blurscan`` (a checkout run by a Python that has not installed it): the hints say
    the PYTHONPATH too, and pasted in a shell without it they run. Until 2026-12-07 (later that day) they said
    ``PYTHON -m blurscan ...``, "No module named blurscan" pasted, where the plain ``blurscan`` said before ran the
    one on PATH. The same in-process, and from the package's own folder (``cd src && python -m blurscan``)."""
    import site

    sites = [os.path.realpath(f) for f in site.getsitepackages()]
    base = getattr(sys, "_base_executable", sys.executable)
    if os.path.realpath(IMPORT_ROOT) in sites or sys.prefix == sys.base_prefix:
        pytest.skip("needs a checkout's blurscan run by a virtual environment (its base Python lacks blurscan)")
    path = os.pathsep.join([IMPORT_ROOT, *sites])  # (the base Python: blurscan and its libraries by PYTHONPATH)
    lib = tmp_path / "fresh"
    save_jpeg(lib / "one.jpg", scene(60))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    alone = subprocess.run([base, "-c", "import blurscan"], env=env, capture_output=True, cwd=tmp_path)
    if alone.returncode == 0:
        pytest.skip("the virtual environment's base Python finds a blurscan of its own")
    missing = subprocess.run([base, "-m", "blurscan", "report", str(lib)], env={**env, "PATH": "/usr/bin:/bin",
                             "PYTHONPATH": path}, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    scan = _quoted(r"\(run `([^`]*)` first", missing.stderr)
    assert scan == f"PYTHONPATH={shell_path(path)} {shell_path(base)} -m blurscan scan {shell_path(lib)}", scan
    pasted = subprocess.run(["sh", "-c", scan + " --model none"], env={**env, "PATH": "/usr/bin:/bin"},
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert pasted.returncode == 0 and (lib / ".blurscan.db").is_file(), pasted.stderr
    monkeypatch.setattr("sys.argv", [MAIN, "report"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.setenv("PYTHONPATH", "")
    monkeypatch.chdir(tmp_path)
    assert program() == f"{shell_path(sys.executable)} -m blurscan"  # (installed: nothing to add)
    monkeypatch.chdir(IMPORT_ROOT)
    assert program() == f"PYTHONPATH={shell_path(os.path.realpath(IMPORT_ROOT))} {shell_path(sys.executable)} -m blurscan"


def _pasted(command: str, folder: Path) -> subprocess.CompletedProcess:
    """``command`` as printed, pasted in a shell in ``folder`` whose PATH lacks blurscan."""
    env = dict(os.environ, PATH="/usr/bin:/bin", PYTHONPATH=IMPORT_ROOT)
    return subprocess.run(["sh", "-c", command], cwd=folder, env=env, capture_output=True, text=True, timeout=120)


def _quoted(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, text
    return found.group(1)


def test_the_hints_of_a_blurscan_not_on_path_run_it_pasted_in_another_folder(tmp_path):
    """``.venv/bin/blurscan`` run from the project's folder (PATH without it), then each hint it prints pasted
    in another folder, whose PATH lacks blurscan too: bursts' trash dry run, the move's undo, report's undo and
    the scan a folder without a database needs; the same for ``python -m blurscan``."""
    project, lib, elsewhere = tmp_path / "my pro'ject", tmp_path / "my lib", tmp_path / "else where"
    script = project / ".venv" / "bin" / "blurscan"  # (a console script, as pip writes it)
    script.parent.mkdir(parents=True)
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom blurscan.__main__ import run\nsys.exit(run())\n")
    script.chmod(0o755)
    elsewhere.mkdir()
    a = scene(51)
    for name, img in (("a_sharp", a), ("a_shaken", shaken(a)), ("a_shaken2", exposed(shaken(a, 9), 1.2)),
                      ("lone", scene(53))):
        save_jpeg(lib / f"{name}.jpg", img)

    def ran(*words: str) -> subprocess.CompletedProcess:
        return _pasted(shlex.join(words), project)

    scanned = ran(".venv/bin/blurscan", "scan", str(lib), "--model", "none")
    assert scanned.returncode == 0, scanned.stderr
    grouped = ran(".venv/bin/blurscan", "bursts", str(lib))
    taking = _quoted(r"next: `([^`]*)` shows", grouped.stderr)
    assert taking.startswith(shell_path(script) + " trash"), taking
    shown = _pasted(taking, elsewhere)
    assert shown.returncode == 0 and shown.stdout.count("would trash ") == 2, shown.stdout + shown.stderr

    moved = ran(".venv/bin/blurscan", "move", "--to", str(tmp_path / "rej"), "--from-bursts", "--yes", str(lib))
    assert moved.returncode == 0 and sorted(lib.glob("*.jpg")) == [lib / "a_sharp.jpg", lib / "lone.jpg"], moved.stderr
    undo = _quoted(r"undo with `([^`]*)`", moved.stdout + moved.stderr)
    assert undo == f"{shell_path(script)} undo --batch 1 {shell_path(lib)}", undo
    noted = ran(".venv/bin/blurscan", "report", str(lib)).stderr
    assert _quoted(r"\(`([^`]*)` puts them back\)", noted) == f"{shell_path(script)} undo {shell_path(lib)}"
    back = _pasted(undo, elsewhere)
    assert back.returncode == 0 and "restored 2 files" in back.stdout, back.stdout + back.stderr
    assert sorted(p.name for p in lib.glob("*.jpg")) == ["a_shaken.jpg", "a_shaken2.jpg", "a_sharp.jpg", "lone.jpg"]

    fresh = tmp_path / "fresh"
    save_jpeg(fresh / "one.jpg", scene(60))
    missing = _pasted(f"{shell_path(sys.executable)} -m blurscan report {shell_path(fresh)}", elsewhere)
    scan = _quoted(r"\(run `([^`]*)` first", missing.stderr)
    import site

    path = "" if os.path.realpath(IMPORT_ROOT) in map(os.path.realpath, site.getsitepackages()) else \
        f"PYTHONPATH={shell_path(os.path.abspath(IMPORT_ROOT))} "  # (a checkout's src: named, _pasted gives it)
    assert scan == f"{path}{shell_path(sys.executable)} -m blurscan scan {shell_path(fresh)}", scan
    assert _pasted(scan + " --model none", elsewhere).returncode == 0
    assert (fresh / ".blurscan.db").is_file()


def test_the_review_page_names_the_program_as_run(tmp_path, monkeypatch):
    """The page's move, undo and scan commands (app.js reads the program from the page's head)."""
    from blurscan.review.app import create_app
    from helpers_review import BASE, TOKEN, BufferedClient

    script = tmp_path / "venv" / "bin" / "blurscan"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr("sys.argv", [str(script), "review"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    db = tmp_path / "lib" / ".blurscan.db"
    db.parent.mkdir()
    from blurscan.store import Store
    Store(db).close()
    app = create_app(db, TOKEN, port=int(BASE.rsplit(":", 1)[1]))
    app.test_client_class = BufferedClient
    page = app.test_client().get(f"/?token={TOKEN}", base_url=BASE, follow_redirects=True).get_data(as_text=True)
    me = shell_path(script)
    assert html.unescape(_quoted(r'<meta name="blurscan-program" content="([^"]*)">', page)) == me
    assert html.unescape(_quoted(r'<code id="undo-hint">([^<]*)</code>', page)) == f"{me} undo {shell_path(db.parent)}"
    assert html.unescape(_quoted(r'<meta name="blurscan-scan" content="([^"]*)">', page)).startswith(f"{me} scan ")


def test_another_blurscan_on_path_is_not_the_one_named(tmp_path, monkeypatch):
    """Another blurscan first on PATH (one installed for the system, an older virtual environment's): the hints name
    the one that ran, by its path, or by its Python's for ``python -m blurscan``, since a bare ``blurscan`` runs the
    other one; run inside another program's ``__main__.py`` (``python -m pytest``), ``blurscan``."""
    other = tmp_path / "old" / "bin" / "blurscan"
    other.parent.mkdir(parents=True)
    other.write_text("#!/bin/sh\n")
    other.chmod(0o755)
    venv = tmp_path / "my env" / "bin"
    venv.mkdir(parents=True)
    mine, python = venv / "blurscan", venv / "python"
    mine.write_text("#!/bin/sh\n")
    mine.chmod(0o755)
    python.symlink_to(sys.executable)
    monkeypatch.setenv("PATH", f"{other.parent}:/usr/bin:/bin")
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", [str(mine), "report"])
    assert as_run("blurscan undo --list") == f"{shell_path(mine)} undo --list"
    monkeypatch.setattr("sys.argv", [MAIN, "report"])
    monkeypatch.setattr("sys.executable", str(python))
    assert as_run("blurscan undo --list") == f"{shell_path(python)} -m blurscan undo --list"
    monkeypatch.setattr("sys.argv", [pytest.__file__.replace("__init__.py", "__main__.py")])  # (python -m pytest)
    assert os.path.isfile(sys.argv[0]) and as_run("blurscan undo --list") == "blurscan undo --list"


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
