"""blurscan under a locale whose encoding is not UTF-8: it always runs in Python's UTF-8 mode (blurscan.utf8_mode).

Under a real ``en_US.ISO-8859-1`` locale (built here with localedef) Python decoded file names as Latin-1, while
blurscan stores and compares them as UTF-8: the database's ``café.jpg`` (bytes ``caf\\xc3\\xa9.jpg``) was taken for
the file ``caf\\xe9.jpg``, another photo, which ``move --yes`` moved instead (and ``undo`` then found the photo
"already back in place"); a name outside Latin-1 (``東.jpg``) failed ``report`` with a UnicodeEncodeError
traceback. And ``PYTHONIOENCODING=latin-1`` failed every listing that held such a name.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

import blurscan
from blurscan import utf8_mode
from blurscan.errors import UsageError
from blurscan.store import Store
from helpers_cli import cli, run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide

CAFE_UTF8 = "café.jpg".encode()  # caf\xc3\xa9.jpg
CAFE_LATIN1 = b"caf\xe9.jpg"
EAST = "東.jpg".encode()  # no Latin-1 character: e6 9d b1


@pytest.fixture(scope="module")
def latin1(tmp_path_factory) -> dict[str, str]:
    """The environment of a process under a real Latin-1 locale (``LOCPATH``, ``LC_ALL=en_US.ISO-8859-1``)."""
    localedef = shutil.which("localedef")
    if localedef is None or not os.path.exists("/usr/share/i18n/locales/en_US"):
        pytest.skip("localedef or the en_US locale source is missing (Debian: the `locales` package), so no "
                    "Latin-1 locale can be built")
    folder = tmp_path_factory.mktemp("locale")
    subprocess.run([localedef, "-i", "en_US", "-f", "ISO-8859-1", str(folder / "en_US.ISO-8859-1")],
                   capture_output=True, timeout=120)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("LC_") and k not in ("LANG", "PYTHONUTF8", "PYTHONIOENCODING")}
    env.update(LOCPATH=str(folder), LC_ALL="en_US.ISO-8859-1")
    probe = subprocess.run([sys.executable, "-c", "import sys; print(sys.getfilesystemencoding(), sys.flags.utf8_mode)"],
                           env=env, capture_output=True, timeout=60)
    if probe.stdout.split() != [b"iso8859-1", b"0"]:
        pytest.skip(f"the Latin-1 locale built with localedef did not take: {probe.stdout!r} {probe.stderr!r}")
    return env


def blurscan_under(env, *args, form: str = "-m", timeout: float = 120) -> subprocess.CompletedProcess:
    """``blurscan ARGS`` (bytes or text) in a subprocess with ``env``: ``python -m blurscan`` (``form="-m"``) or a
    ``blurscan`` script as pip writes one (``form``: its path)."""
    start = [sys.executable, "-m", "blurscan"] if form == "-m" else [form]
    return subprocess.run([*start, *(a if isinstance(a, bytes) else str(a) for a in args)], env=env,
                          capture_output=True, timeout=timeout)


def console_script(folder: Path) -> str:
    """A ``blurscan`` script as pip's console-script entry point writes one (its interpreter on the #! line)."""
    script = folder / "blurscan"
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom blurscan.__main__ import run\nsys.exit(run())\n")
    script.chmod(0o755)
    return str(script)


def photo(folder: bytes, name: bytes, seed: int = 1) -> bytes:
    path = os.path.join(folder, name)
    save_jpeg(Path(os.fsdecode(path)), blurred(textured(seed), sigma=3.0))
    return path


@pytest.mark.slow
def test_move_under_latin1_moves_the_discarded_utf8_named_photo_not_its_latin1_twin(tmp_path, latin1):
    lib, rejects = os.fsencode(tmp_path / "lib"), os.fsencode(tmp_path / "rejects")
    os.mkdir(lib)
    discarded = photo(lib, CAFE_UTF8)
    twin = os.path.join(lib, CAFE_LATIN1)
    shutil.copy2(discarded, twin)  # the same photo under its Latin-1 name: same size and time, not discarded
    assert cli("scan", tmp_path / "lib").returncode == 0  # (this test's locale: UTF-8)
    with Store(tmp_path / "lib" / ".blurscan.db") as store:
        decide(store, os.fsdecode(discarded), "discard")

    moved = blurscan_under(latin1, "move", "--to", rejects, lib, "--yes")
    assert moved.returncode == 0, moved.stderr
    assert os.listdir(rejects) == [CAFE_UTF8]  # the discarded photo, and only it (it was caf\xe9.jpg)
    assert CAFE_LATIN1 in os.listdir(lib) and CAFE_UTF8 not in os.listdir(lib)

    undone = blurscan_under(latin1, "undo", lib)
    assert undone.returncode == 0 and b"restored 1 file" in undone.stdout + undone.stderr, undone
    assert sorted(n for n in os.listdir(lib) if n.endswith(b".jpg")) == sorted([CAFE_UTF8, CAFE_LATIN1])
    assert not os.path.exists(rejects) or os.listdir(rejects) == []


@pytest.fixture
def library(tmp_path) -> bytes:
    """A scanned library of ``café.jpg`` and ``東.jpg`` (one photo, so a burst group), ``東.jpg`` discarded."""
    lib = os.fsencode(tmp_path / "lib")
    os.mkdir(lib)
    photo(lib, CAFE_UTF8)
    east = photo(lib, EAST)
    assert cli("scan", tmp_path / "lib").returncode == 0
    with Store(tmp_path / "lib" / ".blurscan.db") as store:
        decide(store, os.fsdecode(east), "discard")
    return lib


#: The commands that list names (the table of ``report`` and ``scan``, ``bursts``, dry runs), and what their
#: standard output holds of ``東.jpg``.
LISTINGS = [("report",), ("scan",), ("bursts",), ("move", "--to", "REJECTS"), ("tag", "--xmp", "--dry-run")]


def _listing(args, lib):
    return [a if a != "REJECTS" else os.path.join(os.path.dirname(lib), b"rejects") for a in args] + [lib]


@pytest.mark.slow
def test_listings_under_latin1_print_utf8_names_without_a_traceback(tmp_path, library, latin1):
    script = console_script(tmp_path)  # (`blurscan` as pip installs it, and `python -m blurscan`)
    for args, form in zip(LISTINGS, [script, "-m", script, "-m", script]):
        out = blurscan_under(latin1, *_listing(args, library), form=form)
        assert out.returncode == 0 and b"Traceback" not in out.stderr, (args, form, out.stderr)
        assert EAST in out.stdout, (args, form, out.stdout)  # UTF-8 mode: names written as UTF-8
    assert not os.path.exists(os.path.join(os.path.dirname(library), b"rejects"))  # (dry runs)


@pytest.mark.slow
def test_listings_to_an_encoding_without_the_names_escape_them(tmp_path, library):
    for encoding, listings, cafe in (("latin-1", LISTINGS, b"caf\xe9.jpg"), ("ascii", LISTINGS[:1], rb"caf\xe9.jpg")):
        env = {**os.environ, "PYTHONIOENCODING": encoding}
        for args in listings:
            out = blurscan_under(env, *_listing(args, library))
            assert out.returncode == 0 and b"Traceback" not in out.stderr, (encoding, args, out.stderr)
            assert rb"\u6771.jpg" in out.stdout, (encoding, args, out.stdout)
            if args in LISTINGS[:2]:  # (the tables list every photo)
                assert cafe in out.stdout, (encoding, args, out.stdout)


#: Run with ``python -c``: a pool of two worker processes for four photos, each worker writing its UTF-8 mode and
#: file-system encoding to the file $PROBE (its initializer wrapped; the workers import this module by name).
PROBE = """
import os, sys
from blurscan import processes, scan_workers

def init(*args):
    with open(os.environ["PROBE"], "a") as f:
        f.write(f"{sys.flags.utf8_mode} {sys.getfilesystemencoding()}\\n")
    scan_workers._init_worker(*args)

def pool(self, workers, initializer, *initargs):
    return processes.WorkerStart.pool.__wrapped__(self, workers, init, *initargs)

pool.__wrapped__ = processes.WorkerStart.pool
"""


@pytest.mark.slow
def test_arguments_keep_their_bytes_and_workers_run_in_utf8_mode_too(tmp_path, latin1):
    (tmp_path / "probe_workers.py").write_text(PROBE)
    odd, east = os.fsencode(tmp_path) + b"/lib\xe9", os.fsencode(tmp_path) + "/東".encode()  # not UTF-8; not Latin-1
    for folder in (odd, east):
        os.mkdir(folder)
        photo(folder, b"a.jpg", 1)
        photo(folder, b"b.jpg", 2)
    env = {**latin1, "PYTHONPATH": os.pathsep.join([str(tmp_path), latin1.get("PYTHONPATH", "")]),
           "PROBE": str(tmp_path / "probe.txt")}
    code = ("import probe_workers, blurscan.scan_workers as w, blurscan.processes as pr; w.MIN_POOL_BYTES = 0; "
            "pr.WorkerStart.pool = probe_workers.pool; from blurscan.__main__ import run; run()")
    out = subprocess.run([sys.executable, "-c", code, "scan", odd, east, "--workers", "2", "--format", "jsonl",
                          "--db", os.fsencode(tmp_path) + b"/scan.db"], env=env, capture_output=True, timeout=300)
    assert out.returncode == 0, out.stderr
    records = [__import__("json").loads(line) for line in out.stdout.splitlines()]
    assert sorted(r["path"] for r in records) == sorted(
        [f"{tmp_path}/lib\\xe9/a.jpg", f"{tmp_path}/lib\\xe9/b.jpg", f"{tmp_path}/東/a.jpg", f"{tmp_path}/東/b.jpg"])
    assert {r["status"] for r in records} == {"ok"}
    assert (tmp_path / "probe.txt").read_text().splitlines() == ["1 utf-8", "1 utf-8"]  # both workers


def test_a_command_runs_in_utf8_mode_whatever_the_interpreter_was_told_and_never_loops(tmp_path, latin1):
    lib = os.fsencode(tmp_path / "lib")
    os.mkdir(lib)
    photo(lib, EAST)
    assert blurscan_under(latin1, "scan", lib).returncode == 0
    out = subprocess.run([sys.executable, "-X", "utf8=0", "-m", "blurscan", "report", lib], env=latin1,
                         capture_output=True, timeout=60)
    assert out.returncode == 0 and EAST in out.stdout, out.stderr  # (the first -X utf8 is the one Python takes)
    # run again and still not in UTF-8 mode (what the variable says): the message, not a third start
    out = subprocess.run([sys.executable, "-m", "blurscan", "report", lib], capture_output=True, timeout=60,
                         env={**latin1, utf8_mode._RUN_AGAIN: "1"})
    assert out.returncode == 2 and out.stdout == b""
    assert out.stderr.decode("latin-1").splitlines() == [f"Error: {_message('iso8859-1')}"]


# -- the decision, in this process -----------------------------------------------------------------------------

def _message(encoding):
    return (f"blurscan needs UTF-8 file names, and this Python decodes them as {encoding} (the locale's encoding): "
            "run it in Python's UTF-8 mode (`python -X utf8`, or PYTHONUTF8=1 in the environment); nothing was done")


@pytest.fixture
def names_as(monkeypatch):
    """``names_as(encoding, utf8_mode)``: this process, as one decoding file names so."""
    def set_(encoding, mode=0):
        monkeypatch.setattr(utf8_mode, "sys", types.SimpleNamespace(
            flags=types.SimpleNamespace(utf8_mode=mode), getfilesystemencoding=lambda: encoding,
            executable=sys.executable, orig_argv=sys.orig_argv, stderr=sys.stderr, exit=sys.exit))
    return set_


@pytest.mark.parametrize("encoding, mode, needed", [("iso8859-1", 0, True), ("ascii", 0, True),
                                                    ("euc_jp", 0, True), ("utf-8", 0, False), ("UTF8", 0, False),
                                                    ("iso8859-1", 1, False)])
def test_utf8_mode_is_needed_where_names_are_decoded_otherwise(names_as, encoding, mode, needed):
    names_as(encoding, mode)
    assert utf8_mode.needed() is needed


def test_the_library_refuses_to_open_a_database_where_names_are_not_utf8(tmp_path, names_as):
    lib = tmp_path / "lib"
    lib.mkdir()
    save_jpeg(lib / "café.jpg", textured(1))
    names_as("iso8859-1")
    with pytest.raises(UsageError) as refused:
        Store(tmp_path / "a.db")
    assert str(refused.value) == _message("iso8859-1")
    with pytest.raises(blurscan.BlurscanError, match="needs UTF-8 file names"):
        list(blurscan.scan([lib], blurscan.ScanSettings(workers=1, model="none"), db=tmp_path / "b.db"))
    assert sorted(os.listdir(tmp_path)) == ["lib"]  # no database made


def test_a_command_run_in_this_process_refuses_before_acting(tmp_path, names_as):
    lib = tmp_path / "lib"
    lib.mkdir()
    path = save_jpeg(lib / "café.jpg", blurred(textured(1)))
    assert run("scan", lib, "--model", "none").exit_code == 0
    with Store(lib / ".blurscan.db") as store:
        decide(store, str(path), "discard")
    names_as("iso8859-1")
    moved = run("move", "--to", tmp_path / "rejects", lib, "--yes")
    assert moved.exit_code == 2 and moved.output.strip().splitlines()[-1] == f"Error: {_message('iso8859-1')}"
    assert path.exists() and not (tmp_path / "rejects").exists()


def test_the_command_runs_again_in_utf8_mode_with_its_arguments_bytes(monkeypatch, names_as):
    calls = []
    monkeypatch.setattr(os, "execve", lambda exe, argv, env: calls.append((exe, argv, env)))
    monkeypatch.delenv(utf8_mode._RUN_AGAIN, raising=False)
    names_as("utf-8")
    utf8_mode.run_again_in_utf8_mode()
    assert calls == []
    names_as("iso8859-1")
    with pytest.raises(SystemExit):  # (execve returns here: it is replaced by the test)
        utf8_mode.run_again_in_utf8_mode()
    [(exe, argv, env)] = calls
    with open("/proc/self/cmdline", "rb") as f:
        given = f.read().split(b"\0")[:-1]
    assert exe == sys.executable and argv == [sys.executable, "-X", "utf8", *given[1:]]
    assert env["PYTHONUTF8"] == "1" and env[utf8_mode._RUN_AGAIN] == "1"
    assert utf8_mode._RUN_AGAIN not in os.environ  # (this process's own environment is left as it was)


def test_a_command_run_again_that_is_still_not_in_utf8_mode_exits_with_the_message(monkeypatch, names_as, capsys):
    calls = []
    monkeypatch.setattr(os, "execve", lambda *a: calls.append(a))
    monkeypatch.setenv(utf8_mode._RUN_AGAIN, "1")
    names_as("iso8859-1")
    with pytest.raises(SystemExit) as exited:
        utf8_mode.run_again_in_utf8_mode()
    assert exited.value.code == 2 and calls == []
    assert capsys.readouterr().err == f"Error: {_message('iso8859-1')}\n"
    assert utf8_mode._RUN_AGAIN not in os.environ  # (not passed on to the processes it starts)
