"""The blurscan commands a message or the review page tells the person to type next, naming the database they are
for, so that they find it wherever they are typed.

A bare ``blurscan undo`` (``review``, ``bursts``, ``undo --list``) finds the database of the current folder or of
its nearest parent: typed outside the library, or for a database given by ``--db`` (kept on another drive, in the
cache folder), it found none (``no blurscan database found here or in a parent folder``), or another library's.
:func:`naming` writes the command with the library's folder for a ``.blurscan.db`` (``blurscan undo
'/home/me/My Pictures'``), else with ``--db FILE``, each absolute and quoted for the shell
(:func:`~blurscan.errors.shell_path`). The command line writes the bare command where the current folder finds
that database (:func:`blurscan.cli.actions.typed`); the review page, read away from any terminal, always names it
(until 2026-12-07 it said a bare `blurscan undo` puts the moved photos back).

Each such command begins with the program as it can be run again from any folder (:func:`program`,
:func:`as_run`): ``blurscan`` where that name on PATH is the blurscan running, else the command that ran it, absolute
and quoted where the shell needs it (``/home/me/blurscan/.venv/bin/blurscan``, ``'/home/me/my lib/.venv/bin/blurscan'``,
``/usr/bin/python3 -m blurscan``, with
``PYTHONPATH=...`` before it where only that shows the package to that Python). Until 2026-12-07 only
``demo`` named it so; every other hint said ``blurscan``, which a shell whose PATH lacks the virtual environment's
folder (``.venv/bin/blurscan scan ...``, ``python -m blurscan ...``) answered with "command not found".
"""
from __future__ import annotations

import os
import shutil
import sys

from .config import DEFAULT_DB_NAME
from .errors import shell_path


def naming(db_path: str | os.PathLike, command: str) -> str:
    """``command`` (``"blurscan undo --batch 2"``, options included) followed by what names the database
    ``db_path`` typed in any folder: its folder for a ``.blurscan.db`` (the library, where the command looks for
    it), else ``--db FILE``. A relative ``db_path`` is taken from the current folder."""
    command = as_run(command)
    db = os.path.abspath(db_path)
    if os.path.basename(db) == DEFAULT_DB_NAME:
        return f"{command} {shell_path(os.path.dirname(db))}"
    return f"{command} --db {shell_path(db)}"


#: The word the commands blurscan suggests begin with, as written in the source (:func:`as_run` replaces it).
NAME = "blurscan"


#: The folders every sudo's ``secure_path`` holds (Debian's and Ubuntu's sudoers: ``/usr/local/sbin:/usr/local/bin:
#: /usr/sbin:/usr/bin:/sbin:/bin``; Fedora's and RHEL's: ``/sbin:/bin:/usr/sbin:/usr/bin``): a command typed after
#: ``sudo`` is looked for there only, never in the person's PATH.
SECURE_PATH = ("/usr/sbin", "/usr/bin", "/sbin", "/bin")


def program(sudo: bool = False) -> str:
    """How to run this blurscan again, from any folder, as the first words of a suggested command: ``blurscan`` when
    that name on PATH is the one running (or when blurscan runs inside another program: a test's in-process
    runner), else its absolute path, quoted (``make demo`` runs ``.venv/bin/blurscan``, whose folder a new user's
    PATH lacks), and for ``python -m blurscan`` that Python's absolute path followed by ``-m blurscan`` (``blurscan``
    where the ``blurscan`` on PATH lies beside that Python, in the same virtual environment), with ``PYTHONPATH=...``
    before it where only that shows that Python the package (:func:`_python_path`). The installed command run by a
    link of another name (``~/bin/bs`` to ``.venv/bin/blurscan``): that name where it is on PATH, else the link's
    path (until 2026-12-07, the evening, ``blurscan``, "command not found" where PATH lacks the environment's
    folder: the usage errors' hints had said ``Try 'bs scan --help'`` until earlier that day). ``sudo``: for a
    command typed after ``sudo``, which looks for it in its ``secure_path`` only (:data:`SECURE_PATH`): the program
    on PATH by its absolute path where it lies elsewhere (a virtual environment, ``~/.local/bin``,
    ``/usr/local/bin``: until 2026-12-07 ``sudo blurscan undo`` was advised there, which sudo answered ``command
    not found``)."""
    me = sys.argv[0] if sys.argv else ""
    found = shutil.which(NAME)
    typed = os.path.basename(me)
    if NAME in (typed, os.path.basename(_real(me))) and os.path.isfile(me):  # the installed command
        if found and os.path.realpath(found) == _real(me):
            return _for_sudo(found) if sudo else NAME
        alias = shutil.which(typed) if typed != NAME else None  # (a link of another name on PATH: as typed)
        if alias and os.path.realpath(alias) == _real(me):
            return _for_sudo(alias, typed) if sudo else shell_path(typed)
        return shell_path(os.path.abspath(me))
    if _is_main_module(me):  # python -m blurscan
        python = os.path.abspath(sys.executable)
        if found and os.path.dirname(os.path.abspath(found)) == os.path.dirname(python):
            return _for_sudo(found) if sudo else NAME
        path = _python_path()
        return f"{'PYTHONPATH=' + shell_path(path) + ' ' if path else ''}{shell_path(python)} -m {NAME}"
    return NAME


def _real(path: str) -> str:
    """``os.path.realpath(path)``, or ``path`` where a relative one cannot be resolved: the current folder deleted
    (a test runner's ``sys.argv[0]`` of ``-c``; until 2026-12-07, the evening, every command with a hint to print,
    run in-process there, failed "the current folder no longer exists", its paths absolute)."""
    try:
        return os.path.realpath(path)
    except OSError:
        return path


def _for_sudo(found: str, name: str = NAME) -> str:
    """``name`` where ``found`` (the program on PATH by that name) lies in a folder of every sudo's ``secure_path``,
    else its absolute path, quoted."""
    found = os.path.abspath(found)
    return shell_path(name) if os.path.dirname(found) in SECURE_PATH else shell_path(found)


def _python_path() -> str | None:
    """PYTHONPATH as a new shell's Python needs it to find this blurscan (its folders absolute), where only PYTHONPATH,
    or the current folder (``cd src && python -m blurscan``), shows it to Python (a checkout's ``src``): without it,
    "No module named blurscan". None where it is among the site folders (installed), or neither names it. Until
    2026-12-07 (later that day) the hint of ``PYTHONPATH=src python3 -m blurscan ...`` said ``'/usr/bin/python3' -m
    blurscan undo ...``, which failed pasted, where the plain ``blurscan`` said until then ran the one installed."""
    import site

    root = os.path.realpath(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sites = [*site.getsitepackages(), site.getusersitepackages()] if hasattr(site, "getsitepackages") else []
    if any(os.path.realpath(folder) == root for folder in sites):
        return None
    named = [os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if any(os.path.realpath(folder) == root for folder in named):
        return os.pathsep.join(dict.fromkeys(named))
    return root if os.path.realpath(os.curdir) == root else None


def as_run(command: str) -> str:
    """``command`` (``"blurscan undo --list"``) beginning with :func:`program` instead of ``blurscan``; any other
    text is returned as it is."""
    if command == NAME or command.startswith(NAME + " "):
        return program() + command[len(NAME):]
    return command


def _is_main_module(argv0: str) -> bool:
    """Whether ``argv0`` (``sys.argv[0]``) is this package's ``__main__.py``, as ``python -m blurscan`` sets it."""
    if os.path.basename(argv0) != "__main__.py" or not os.path.isfile(argv0):
        return False
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__main__.py")
    return os.path.realpath(argv0) == os.path.realpath(here)
