"""Limits of the process that stop a command: one ``Error:`` line, exit code 1, not a traceback.

A compiled library that cannot be loaded (the usual reason: an address-space limit, ``ulimit -v``, too low for
its shared objects; or a damaged install) stops a command with one ``Error: cannot load ...`` line and exit code 1,
not an ImportError traceback (until 2026-12-06). Real command lines in a subprocess; the library that cannot be
loaded is a real shared-object file the system refuses (not an ELF file), found first on the module path. And a
limit of open files too low for a scan's worker processes (``ulimit -n 16``)."""
from __future__ import annotations

import errno
import importlib.machinery
import os
import resource
import subprocess
import sys
import textwrap

import pytest
from PIL import Image


def _cli(*args, refused: str, folder, limit: int | None = None):
    """``blurscan ARGS`` with ``refused`` (a module name) found first as a compiled module that cannot be loaded,
    and with an address-space limit of ``limit`` bytes when given, else none (the soft limit lifted to the hard one:
    a run under ``ulimit -Sv``, a CI job's, said "this process may use at most ..." until 2026-12-07, and the test
    of no limit failed)."""
    bad = folder / "unloadable"
    bad.mkdir(exist_ok=True)
    (bad / f"{refused}{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"not a shared object\n" * 64)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(bad), os.environ.get("PYTHONPATH")]))}

    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if limit is not None and hard != resource.RLIM_INFINITY and limit > hard:
        pytest.skip(f"this run's address space is limited for good (`ulimit -Hv`: {hard:,} bytes), below the "
                    f"{limit:,} bytes the test sets")

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (hard if limit is None else limit, hard))

    return subprocess.run([sys.executable, "-m", "blurscan", *map(str, args)], capture_output=True, timeout=120,
                          env=env, preexec_fn=limited)


@pytest.mark.parametrize("refused", ["cv2", "onnxruntime"])
def test_a_library_that_cannot_be_loaded_is_one_error_line(library, tmp_path, refused):
    done = _cli("scan", library[0], refused=refused, folder=tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "Traceback" not in err
    line, = err.splitlines()
    assert line.startswith(f"Error: cannot load {refused} (")
    # (no limit set, none named; where the run's hard limit keeps one, bash's `ulimit -v N`, it is named)
    assert ("ulimit" in line) == (resource.getrlimit(resource.RLIMIT_AS)[1] != resource.RLIM_INFINITY), line


def test_the_error_names_the_address_space_limit(library, tmp_path):
    """A limit far above what a scan uses (so that only the refused library fails): named with its size."""
    done = _cli("scan", library[0], refused="cv2", folder=tmp_path, limit=64 * 2**30)
    line, = done.stderr.decode().splitlines()
    assert line.startswith("Error: cannot load cv2 (")
    assert line.endswith(": this process may use at most 68,719 MB of address space (`ulimit -v`), too little for it?")


def test_a_scan_whose_workers_cannot_start_under_ulimit_n_16_says_so(tmp_path):
    """200 photos (so that a scan starts worker processes): the second worker could not be started, no descriptor
    left for its pipes; the traceback ended with ``OSError: [Errno 24] Too many open files``."""
    lib = tmp_path / "lib"
    lib.mkdir()
    for n in range(200):
        Image.new("L", (64, 48), n).save(lib / f"{n:03d}.jpg")

    done = _scan_with_open_files(lib, 16, workers=2)
    assert done.returncode == 1, done.stderr.decode()
    assert done.stderr.decode().splitlines()[-1:] == [
        "Error: too many open files: this process may have at most 16 open at once (`ulimit -n`); raise the limit, "
        "or run with --workers 1"], done.stderr.decode()
    assert b"Traceback" not in done.stderr


def test_a_scan_run_with_workers_1_is_not_told_to_run_with_it(tmp_path):
    """A scan given ``--workers 1`` that has no descriptor left names the limit only: until 2026-12-07 the line
    went on "or run with --workers 1", the very option it had been given."""
    lib = tmp_path / "lib"
    lib.mkdir()
    for n in range(3):
        Image.new("L", (64, 48), n).save(lib / f"{n}.jpg")

    done = _scan_with_open_files(lib, 8, workers=1)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert err.splitlines()[-1] == ("Error: too many open files: this process may have at most 8 open at once "
                                    "(`ulimit -n`); raise the limit"), err


def _scan_with_open_files(lib, limit: int, workers: int) -> subprocess.CompletedProcess:
    """``blurscan scan --workers WORKERS LIB`` in a process that may have at most ``limit`` files open."""
    def limited():
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    return subprocess.run([sys.executable, "-m", "blurscan", "scan", "--workers", str(workers), str(lib)],
                          capture_output=True, timeout=120, preexec_fn=limited)


def test_a_database_sqlite_cannot_open_for_want_of_descriptors_names_the_limit(tmp_path):
    """Under ``ulimit -n 16`` a scan of a folder some levels down holds most descriptors for its database's locks
    (two lock folders since 2026-12-07): SQLite opened the database, could not open its journal, closed the file
    and said only "unable to open database file", given as ``cannot use database: unable to open database file``
    (the clean-clone run's failure). It names the limit."""
    lib = tmp_path / "a" / "b" / "c" / "lib"
    lib.mkdir(parents=True)
    for n in range(3):
        Image.new("L", (64, 48), n).save(lib / f"{n}.jpg")

    done = _scan_with_open_files(lib, 16, workers=1)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert err.splitlines()[-1].startswith(
        "Error: too many open files: this process may have at most 16 open at once (`ulimit -n`)"), err
    assert "unable to open database file" not in err and "Traceback" not in err


def test_report_under_ulimit_n_6_gives_no_advice_on_workers(lib):
    """``report`` has no ``--workers`` option: the line names the limit and gives no advice the command cannot take
    (``or run with --workers 1``, which it would refuse as no such option)."""
    def limited():
        resource.setrlimit(resource.RLIMIT_NOFILE, (6, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    done = subprocess.run([sys.executable, "-m", "blurscan", "report", str(lib[0])], capture_output=True, timeout=120,
                          preexec_fn=limited)
    assert (done.returncode, done.stderr.decode().splitlines()) == (1, [
        "Error: too many open files: this process may have at most 6 open at once (`ulimit -n`); raise the limit"])


def test_a_module_missing_from_an_install_keeps_its_traceback(library, tmp_path):
    """A package with a module missing (a damaged install: ModuleNotFoundError, not a library the system refuses to
    load) is no limit of the process: its traceback shows where the import came from, not ``cannot load``."""
    damaged = tmp_path / "damaged" / "cv2"
    damaged.mkdir(parents=True)
    (damaged / "__init__.py").write_text("from ._missing_part import load\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(damaged.parent),
                                                                     os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(library[0])], capture_output=True,
                          timeout=120, env=env)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "Traceback" in err and "cannot load" not in err
    lines = err.splitlines()  # the traceback's last line, then what to make of it: the install, not a bug
    assert lines[-3] == "ModuleNotFoundError: No module named 'cv2._missing_part'", err
    assert lines[-2].startswith("Error: a module could not be imported (cv2._missing_part): ") and "bug" not in err
    assert "installation" in lines[-2] and lines[-1].startswith("If it persists, please report it with "), err


def test_the_descriptors_a_database_needs_are_told_by_three_and_none_is_kept():
    """SQLite needs three descriptors for a database (its file, -wal and -shm): two left is too few and named as the
    limit, three are enough (a read-only database is then told as such); the ones tried are closed either way."""
    probe = textwrap.dedent("""
        import os, resource, sys
        from blurscan.store import _no_descriptor_left
        def count():
            return len(os.listdir("/proc/self/fd")) - 1  # (the listing's own)
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        out = []
        for free in (2, 3):
            resource.setrlimit(resource.RLIMIT_NOFILE, (count() + free, hard))
            before = count()
            err = _no_descriptor_left()
            out.append((free, None if err is None else err.errno, count() - before))
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        print(out)
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"[(2, {errno.EMFILE}, 0), (3, None, 0)]"
