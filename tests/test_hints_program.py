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
import subprocess
import sys
from pathlib import Path

import pytest

import blurscan
from blurscan.errors import shell_path
from blurscan.typed_commands import as_run, program
from helpers_cli import IMPORT_ROOT, run
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_a_usage_errors_help_hint_names_the_program_as_run(tmp_path):
    """A mistyped option, value or command of ``.venv/bin/blurscan`` run where PATH lacks it: the usage error's "Try
    ... --help" hint, pasted in another folder, shows that command's help (:mod:`blurscan.cli.usage_hint`); the same
    for ``python -m blurscan``. Until 2026-12-07 it said ``Try 'blurscan scan --help' for help.`` ("command not
    found" pasted there) and ``Try 'python -m blurscan undo --help'`` (a ``python`` that may be another Python)."""
    project, elsewhere = tmp_path / "my pro'ject", tmp_path / "else where"
    script = project / ".venv" / "bin" / "blurscan"  # (a console script, as pip writes it)
    script.parent.mkdir(parents=True)
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom blurscan.__main__ import run\nsys.exit(run())\n")
    script.chmod(0o755)
    elsewhere.mkdir()
    for words, command in ((["scan", "--fomat", "csv", "x"], " scan"), (["report", "--only", "fuzzy"], " report"),
                           (["bogus"], ""), (["--bogus"], "")):
        typo = _pasted(shlex.join([".venv/bin/blurscan", *words]), project)
        assert typo.returncode == 2 and typo.stderr.startswith(f"Usage: blurscan{command} "), typo.stderr
        hint = _quoted(r"Try `([^`]*)` for help\.\n", typo.stderr)
        assert hint == f"{shell_path(script)}{command} --help", hint
        shown = _pasted(hint, elsewhere)
        assert shown.returncode == 0 and shown.stdout.startswith(f"Usage: blurscan{command} "), shown.stderr
    typo = _pasted(f"{shell_path(sys.executable)} -m blurscan undo --bacth 2", elsewhere)
    assert typo.returncode == 2 and "Error: No such option '--bacth'" in typo.stderr, typo.stderr
    hint = _quoted(r"Try `([^`]*)` for help\.\n", typo.stderr)
    assert hint.endswith(f"{shell_path(sys.executable)} -m blurscan undo --help"), hint
    shown = _pasted(hint, project)
    assert shown.returncode == 0 and shown.stdout.startswith("Usage: python -m blurscan undo "), shown.stderr


@pytest.mark.slow
def test_a_link_of_another_name_is_named_as_typed_where_it_is_on_path(tmp_path):
    """``~/bin/bs``, a link to ``.venv/bin/blurscan``, ``~/bin`` on PATH and the environment's folder not: the usage
    error's help hint and report's scan hint say ``bs``, and pasted in another folder they run; run by its path where
    no PATH names it, its path. Until 2026-12-07 (the evening) they said ``blurscan`` ("command not found" there),
    and the usage errors had said ``Try 'bs scan --help'`` until earlier that day."""
    script, links, elsewhere = tmp_path / "venv" / "bin" / "blurscan", tmp_path / "my bin", tmp_path / "else where"
    script.parent.mkdir(parents=True)
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom blurscan.__main__ import run\nsys.exit(run())\n")
    script.chmod(0o755)
    links.mkdir()
    elsewhere.mkdir()
    (links / "bs").symlink_to(script)
    fresh = tmp_path / "fresh"
    save_jpeg(fresh / "one.jpg", scene(60))
    env = dict(os.environ, PATH=f"{links}:/usr/bin:/bin", PYTHONPATH=IMPORT_ROOT)

    def typed(command: str) -> subprocess.CompletedProcess:
        return subprocess.run(["sh", "-c", command], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)

    typo = typed("bs scan --fomat csv x")
    assert typo.returncode == 2 and "Error: No such option '--fomat'" in typo.stderr, typo.stderr
    hint = _quoted(r"Try [`']([^`']*)[`'] for help\.\n", typo.stderr)
    assert hint == "bs scan --help", hint
    shown = typed(hint)
    assert shown.returncode == 0 and shown.stdout.startswith("Usage: bs scan "), shown.stderr
    scan = _quoted(r"\(run `([^`]*)` first", typed(f"bs report {shell_path(fresh)}").stderr)
    assert scan == f"bs scan {shell_path(fresh)}", scan
    by_path = _pasted(f"{shell_path(links / 'bs')} scan --fomat csv x", elsewhere)  # (PATH without it)
    assert _quoted(r"Try `([^`]*)` for help\.\n", by_path.stderr) == f"{shell_path(links / 'bs')} scan --help"
    other = tmp_path / "other"  # (another program named bs on PATH: not the one run, not named; kills the mutant
    other.mkdir()              # of typed_commands.program taking any bs on PATH for the link)
    (other / "bs").write_text("#!/bin/sh\necho another bs\n")
    (other / "bs").chmod(0o755)
    by_path = subprocess.run([links / "bs", "scan", "--fomat", "csv", "x"], cwd=elsewhere, capture_output=True,
                             text=True, timeout=120, env=dict(env, PATH=f"{other}:/usr/bin:/bin"))
    assert _quoted(r"Try `([^`]*)` for help\.\n", by_path.stderr) == f"{shell_path(links / 'bs')} scan --help"


def test_blurscan_alone_shows_its_help_where_path_lacks_it(tmp_path):
    """``.venv/bin/blurscan`` (and ``python -m blurscan``) run without a command, PATH without it: click's help, the
    commands listed, as where ``blurscan`` is on PATH. Until 2026-12-07 (the evening) the usage hint's rewording
    (:mod:`blurscan.cli.usage_hint`) made it ``Error: Usage: blurscan [OPTIONS] COMMAND [ARGS]...`` under a usage
    line and a "Try ... --help" hint: a new user's first command, after ``make demo``, answered with an error."""
    project = tmp_path / "project"
    script = project / ".venv" / "bin" / "blurscan"
    script.parent.mkdir(parents=True)
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom blurscan.__main__ import run\nsys.exit(run())\n")
    script.chmod(0o755)
    for command, usage in ((".venv/bin/blurscan", "blurscan"), (f"{shell_path(sys.executable)} -m blurscan",
                                                                "python -m blurscan")):
        alone = _pasted(command, project)
        said = alone.stdout + alone.stderr
        assert said.startswith(f"Usage: {usage} [OPTIONS] COMMAND [ARGS]...\n\n  Find blurry photos"), said
        assert "Error:" not in said and "Try " not in said and "\n  scan " in said, said


def test_a_usage_error_of_the_blurscan_on_path_keeps_clicks_own_hint():
    """Where the program click names is the one a hint would name (``blurscan``, on PATH), the usage error is
    click's own, quotes and all (kills the mutant of :func:`blurscan.cli.usage_hint.as_run_hint` that drops that
    check and rewrites every hint)."""
    typo = run("scan", "--fomat", "csv", "x", prog_name="blurscan")
    assert typo.exit_code == 2 and "Try 'blurscan scan --help' for help.\n" in typo.stderr, typo.stderr
    assert "`" not in typo.stderr, typo.stderr


def test_the_program_is_named_in_a_deleted_current_folder_whatever_argv0(tmp_path, monkeypatch):
    """A relative ``sys.argv[0]`` (``-c``, as a test runner's worker process has) in a current folder that was
    deleted: the program is still named (``blurscan``), not an error about the current folder. Until 2026-12-07 (the
    evening) the link-of-another-name check resolved it, and ``report /abs/lib`` run in-process there failed."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    monkeypatch.setattr("sys.argv", ["-c", "report"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert program() == "blurscan"


def test_reports_note_of_photos_gone_from_the_rejects_folder_names_the_undo_as_run(tmp_path, monkeypatch):
    """The note of the photos deleted from the --to folder says that the undo, named as it is run (the program's
    path here, not on PATH), cannot bring them back, as its `undo --list` beside it is named. Until 2026-12-07,
    the evening, it said a plain `blurscan undo` there."""
    from helpers_images import make_library

    lib, rej = tmp_path / "lib", tmp_path / "rej"
    make_library(lib, n_sharp=1, n_blurry=2)
    script = tmp_path / "venv" / "bin" / "blurscan"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr("sys.argv", [str(script), "report"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert run("scan", lib, "--model", "none").exit_code == 0
    assert run("move", lib, "--to", rej, "--all-blurry", "--yes").exit_code == 0
    for moved in [p for p in rej.rglob("*") if p.is_file()]:
        moved.unlink()  # deleted by hand from the rejects folder
    noted = run("report", lib).stderr
    me = shell_path(script)
    assert (f"no longer in the trash or the --to folder, are not listed: `{me} undo` cannot bring them back unless "
            f"they are there again (`{me} undo --list {shell_path(lib)}` lists the batches)") in noted, noted
