"""Shared pytest fixtures (plain helpers for generated images live in ``helpers_images.py``, for the action
tests' small library in ``helpers_library.py``, for the review page's browser tests in
``helpers_browser.py``)."""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import HealthCheck, settings

from blurscan.config import shared_data_dir
from helpers_review import BufferedClient
from helpers_signals import CHILD_SIGNALS

# Every Flask test client of the suite (a review app's ``app.test_client()`` in any test file) reads each reply whole
# and closes its body, as the real server closes a reply once sent (a /full read from its open file was otherwise left
# to the collector: a ResourceWarning under ``-X dev``, see helpers_review.BufferedClient)
Flask.test_client_class = BufferedClient

# The children the tests start (``python -m blurscan`` in a subprocess) write no bytecode: one run under a file-size
# limit (the tests' "full disk") left a module's .pyc cut at the limit in src/, and every later import of it failed
# ("marshal data too short": `blurscan bursts` said "Aborted!") until it was removed (until 2026-12-06); see
# test_children_bytecode.py. This process writes its own as before.
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"

# The terminal and colour settings of the tests (in this process and the children, which inherit them) are the
# suite's own, whatever the run was started with: an xterm, no colours or width forced, no debug log. A test that needs
# one sets it. Until 2026-12-07 a CI job's FORCE_COLOR=1 (or CLICOLOR_FORCE=1) put colour codes in the tables five
# tests compare, and TERM=dumb (an editor's shell, some CI agents) left eight tests of bars on a pseudo-terminal without
# a bar to see (rich draws none on a dumb terminal): each failed there.
for _name in ("FORCE_COLOR", "CLICOLOR_FORCE", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLORTERM",
              "COLUMNS", "LINES", "BLURSCAN_DEBUG"):
    os.environ.pop(_name, None)
os.environ["TERM"] = "xterm"

# The stop signals are not blocked in this process, nor in the children it starts (a signal mask survives fork and
# exec): a run whose launcher blocked SIGHUP (a CI run started in the background) had every test's child hold a
# SIGHUP sent to it, and the SIGHUP test's scan waited out its minute-long photo (the test timed out). The tests
# that start a child for a signal give it a known signal state (helpers_signals.default_signals)
if hasattr(signal, "pthread_sigmask"):
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM, signal.SIGHUP})

# CI (`CI` set, as .ci/run does and CI services do): the property tests draw the same examples every run, so that
# a pass or a failure says something about the change, not about that run's draw
settings.register_profile("ci", derandomize=True, suppress_health_check=[HealthCheck.too_slow])
if os.environ.get("CI"):
    settings.load_profile("ci")

# The scans the tests run (in this process and the children, which inherit it) take their database-choosing locks in
# a folder of the suite's own, emptied at its end (blurscan.cli.db_creation reads it when first imported, after
# this): until 2026-12-07 every run left some 60,000 empty lock files in /tmp/blurscan-locks and
# /tmp/blurscan-locks-UID, one per test folder scanned, until the next boot (test_db_creation_locks_suite.py).
# Sticky and open to every user, as /tmp is (the tests that run another user's scan make their locks there too).
LOCKS_BASE = tempfile.mkdtemp(prefix="blurscan-test-locks-")
os.chmod(LOCKS_BASE, 0o1777)
os.environ["BLURSCAN_LOCKS_DIR"] = LOCKS_BASE


def pytest_configure(config):
    # a browser test's failed try, run again, prints its traceback under "rerun test summary info" (16.3's
    # --rerun-show-tracebacks): until 2026-12-07 only its name, and a race that passed on its rerun left no trace
    if browser_reruns(config):
        config.option.rerun_show_tracebacks = True


def pytest_unconfigure(config):
    shutil.rmtree(LOCKS_BASE, ignore_errors=True)  # (this process's alone: a forked child runs no hook)


#: The tests collected before ``-m`` / ``-k`` leave any out (test_docs checks the README's count of them)
COLLECTED = pytest.StashKey[list]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    config.stash[COLLECTED] = list(items)
    reruns = browser_reruns(config)
    for item in items:
        if reruns and item.get_closest_marker("browser") and not item.get_closest_marker("flaky"):
            item.add_marker(pytest.mark.flaky(reruns=reruns))


def browser_reruns(config) -> int:
    """How many times a browser test that failed runs again (pytest-rerunfailures, in the ``dev`` extra): once, or
    ``$BLURSCAN_BROWSER_RERUNS``; 0 where the plugin is missing. A headless Chromium run beside other jobs
    is timing-dependent in ways a page's code is not: each race the suite met was found and fixed (the last:
    Playwright's ``page.route``, helpers_routes.py), but one left in 166 browser tests cost a whole CI run
    until 2026-12-07 (stops 59 and 60). A failure is still shown (``R`` in the progress line, the test named with
    its traceback under "rerun test summary info", "N rerun" in the last line: ``-raR``, :func:`pytest_configure`),
    and a test that fails twice fails the run."""
    if not config.pluginmanager.hasplugin("rerunfailures"):
        return 0
    return int(os.environ.get("BLURSCAN_BROWSER_RERUNS", "1"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real photos (``$BLURSCAN_SHARED_DATA`` or ``../shared/data``); skip when absent."""
    root = shared_data_dir()
    if not (root / "manifest.csv").is_file():
        pytest.skip(f"shared photos not available at {root} (set BLURSCAN_SHARED_DATA)")
    return root


@pytest.fixture(scope="session")
def manifest(shared_data) -> list[dict]:
    """Rows of ``manifest.csv`` (file, set, label, blur_type, width, height, origin, reencoded)."""
    import csv

    with open(shared_data / "manifest.csv", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def library(tmp_path):
    """``(root, truth)``: :func:`helpers_images.make_library` under ``tmp_path / "lib"`` (path -> sharp/blurry)."""
    from helpers_images import make_library

    root = tmp_path / "lib"
    return root, make_library(root)


@pytest.fixture
def scanned_none(tmp_path):
    """``tmp_path / "lib"``: :func:`helpers_images.make_library` (3 sharp, 2 blurry photos) scanned with
    ``--model none``, its database beside them (the actions' tests of one move and its undo)."""
    from click.testing import CliRunner

    from blurscan.cli import main
    from helpers_images import make_library

    lib = tmp_path / "lib"
    make_library(lib, n_blurry=2)
    assert CliRunner().invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    return lib


@pytest.fixture
def lib(tmp_path):
    """``(root, store, files)``: :func:`helpers_library.build_library` under ``tmp_path / "lib"``, no decisions."""
    from helpers_library import build_library

    store, files = build_library(tmp_path / "lib")
    yield tmp_path / "lib", store, files
    store.close()


#: The session's :class:`helpers_browser.Chromium`, once a browser test asked for it
CHROMIUM = pytest.StashKey["object"]()
#: A test's reports (setup, call, teardown) as they are made
REPORTS = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def chromium(request):
    """The one headless Chromium of the browser tests (per pytest-xdist worker): a
    :class:`helpers_browser.Chromium`, launched when a test first asks for its browser."""
    from helpers_browser import Chromium

    request.config.stash[CHROMIUM] = shared = Chromium()
    yield shared
    shared.stop()


@pytest.fixture
def lib_discarded(tmp_path):
    """``(tmp_path, store, files)``: the :func:`lib` library under ``tmp_path / "lib"`` with IMG_2, IMG_4 and IMG_5
    marked discard (what a plain ``move`` / ``trash`` takes)."""
    from helpers_library import build_library, decide

    store, files = build_library(tmp_path / "lib")
    for key in ("IMG_2", "IMG_4", "IMG_5"):
        decide(store, files[key], "discard")
    yield tmp_path, store, files
    store.close()


@pytest.fixture()
def sync_api(chromium, request):
    """The review page's browser tests' Chromium: Playwright's sync API (:func:`helpers_browser.playwright_sync_api`:
    skips without Chromium or playwright, or fails where ``BLURSCAN_REQUIRE_BROWSER=1``) with the run's one browser
    (``sync_api.browser``, see :class:`helpers_browser.Chromium`). The test's browser contexts are closed when it
    ends; after a failure the browser is stopped, so that a hung or broken one never fails the tests after it."""
    from helpers_browser import playwright_sync_api

    chromium.api = playwright_sync_api()
    yield chromium
    # (a failure to be run again is reported as "rerun", not failed: pytest-rerunfailures)
    if any(report.outcome in ("failed", "rerun") for report in request.node.stash.get(REPORTS, [])):
        chromium.stop()
    else:
        chromium.close_contexts()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    item.stash.setdefault(REPORTS, []).append(outcome.get_result())


def pytest_runtest_setup(item):
    """A test that is not a browser test runs with the browser stopped (a live Playwright sync API marks an
    asyncio event loop as running in this thread): one Chromium serves each run of browser tests in a row. A
    ``train`` test is skipped where torch is not installed (a venv of the ``dev`` extra alone; ``make test``
    installs the ``train`` extra, so CI runs them)."""
    if item.get_closest_marker("train") is not None:
        import importlib.util

        if importlib.util.find_spec("torch") is None:
            pytest.skip("needs torch (the 'train' extra: pip install -e '.[train]')")
    shared = item.config.stash.get(CHROMIUM, None)
    if shared is not None and shared.live and "sync_api" not in getattr(item, "fixturenames", ()):
        shared.stop()


@pytest.fixture(scope="session")
def _sample_photos_scanned(tmp_path_factory) -> Path:
    """The ``photos`` folder of :func:`helpers_browser.scan_sample_photos`, scanned once per worker: the template
    each ``scanned`` fixture copies. Never given to a test."""
    from helpers_browser import scan_sample_photos

    return scan_sample_photos(tmp_path_factory.mktemp("sample-scan-template"))[0]


@pytest.fixture()
def scanned(tmp_path, _sample_photos_scanned):
    """``(photos, db)``: :func:`helpers_browser.scan_sample_photos`' library as ``tmp_path / "photos"``, the test's
    own copy of the one scanned per worker (:func:`helpers_browser.copy_scanned`; the review page's browser
    tests)."""
    from helpers_browser import copy_scanned

    return copy_scanned(_sample_photos_scanned, tmp_path)


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory):
    """The tests' cache folder is their own: a database this user's scans kept in ``~/.cache/blurscan`` (see
    ``blurscan.cli.locate``) must not become a test's database (one made `review` of an empty folder serve
    it, and the test wait forever). Subprocesses inherit it."""
    import os

    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session", autouse=True)
def _a_home_to_write(tmp_path_factory):
    """A home folder the tests' trash may be made in, where this account has none to write: a build farm's (HOME
    unset for nobody, whose home is /nonexistent; nixpkgs' /homeless-shelter). Every test of trash, its dry run
    too, failed there on "cannot make the trash folder ... the home folder ... does not exist" (a packaging
    walkthrough, 2026-12-06). A home that can be written is left as it is; tests of a missing or empty HOME set
    their own. Subprocesses inherit it."""
    import os

    home = os.path.expanduser("~")
    if home != "~" and os.path.isdir(home) and os.access(home, os.W_OK):
        yield
        return
    old = os.environ.get("HOME")
    os.environ["HOME"] = str(tmp_path_factory.mktemp("home"))
    yield
    if old is None:
        os.environ.pop("HOME", None)
    else:
        os.environ["HOME"] = old


@pytest.fixture(scope="session", autouse=True)
def _no_library_database_above_the_test_folders(tmp_path_factory):
    """Commands find a library's database in a parent folder (as git finds its repository), so a stray
    ``.blurscan.db`` in /tmp would capture every test's scan: stop with a clear message instead. (The root
    folder's is never used, see ``blurscan.cli.locate``.)"""
    from blurscan.config import DEFAULT_DB_NAME

    base = tmp_path_factory.getbasetemp().resolve()
    stray = [p / DEFAULT_DB_NAME for p in base.parents if p != Path(p.anchor) and (p / DEFAULT_DB_NAME).exists()]
    if stray:
        pytest.exit(f"{stray[0]} would be used by the tests' scans as their library database: remove it "
                    "(or run pytest with --basetemp in another folder)", returncode=4)


@pytest.fixture(autouse=True)
def _close_stores_helpers_opened():
    """The stores helpers opened for a test (``helpers_sqlite.closed_after_the_test``) closed when it ends: one
    left to the collector warns on Python 3.13 (``ResourceWarning``: an error here), in whichever test runs then."""
    from helpers_sqlite import close_stores_left_open

    yield
    close_stores_left_open()


#: The signals whose disposition a test must leave as it found it (:func:`_signals_left_as_found`): those a test's
#: child gets in a known state (helpers_signals.default_signals)
GUARDED_SIGNALS = CHILD_SIGNALS


def _signal_state() -> tuple:
    """This thread's blocked signals among :data:`GUARDED_SIGNALS` and their handlers."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, ()) if hasattr(signal, "pthread_sigmask") else set()
    return (frozenset(s for s in mask if s in GUARDED_SIGNALS),
            tuple((s, signal.getsignal(s)) for s in GUARDED_SIGNALS))


@pytest.fixture(autouse=True)
def _signals_left_as_found():
    """A test that leaves a stop signal (or SIGCHLD, SIGPIPE) blocked, ignored or handled otherwise than it found it
    fails, by name, and the state is put back: a leak was otherwise met by a later test of the same worker (and by
    every child it starts, which inherits a mask and an ignored signal), far from its cause: a child that held a
    SIGHUP waited out its minute-long photo (see the stop signals unblocked above)."""
    before = _signal_state()
    yield
    after = _signal_state()
    if after == before:
        return
    blocked, handlers = before
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(after[0] - blocked))
        signal.pthread_sigmask(signal.SIG_BLOCK, set(blocked - after[0]))
    for signum, handler in handlers:
        if handler is not None:  # (None: a handler not set from Python, left as it is)
            signal.signal(signum, handler)
    changed = [f"{signal.Signals(s).name} {'blocked' if s in after[0] else 'unblocked'}" for s in GUARDED_SIGNALS
               if (s in blocked) != (s in after[0])]
    changed += [f"{signal.Signals(s).name} handled by {dict(after[1])[s]!r} (was {h!r})" for s, h in handlers
                if h != dict(after[1])[s]]
    pytest.fail(f"the test left {'; '.join(changed)} (put back after it)", pytrace=False)


@pytest.fixture
def sigint_put_back():
    """Ctrl-C's handler put back after a test whose in-process command is stopped by a KeyboardInterrupt: the
    command then ignores Ctrl-C for its clean-up and its exit, as its process would, and it was left ignored in the
    suite's process (and in every child its later tests started) until it ended."""
    before = signal.getsignal(signal.SIGINT)
    yield
    if before is not None:
        signal.signal(signal.SIGINT, before)


@pytest.fixture
def decode_calls(monkeypatch):
    """Spy on the real decoder (in-process scans only): the list of paths decoded."""
    from blurscan import decode
    from blurscan.config import ScanSettings

    calls = []
    real = decode.decode

    def spy(path, settings=ScanSettings(), **kw):
        calls.append(os.fsdecode(path))
        return real(path, settings, **kw)

    monkeypatch.setattr(decode, "decode", spy)
    return calls


@pytest.fixture
def zone(monkeypatch):
    """Sets this process's time zone (``TZ``, POSIX form) for the test; put back after it."""
    import time

    def set_zone(tz: str) -> None:
        monkeypatch.setenv("TZ", tz)
        time.tzset()
    yield set_zone
    monkeypatch.undo()
    time.tzset()
