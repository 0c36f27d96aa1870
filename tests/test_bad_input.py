"""Bad input never stops a scan: each bad file gets a one-line reason (record + stderr), every file appears once."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import blurscan
from blurscan import scan_workers
from blurscan.cli import main
from blurscan.config import ScanSettings
from blurscan.store import Store

from helpers_images import bad_files, make_library, save_jpeg, textured
from helpers_os import run_unprivileged


@pytest.fixture
def messy(tmp_path):
    """A library with good photos and one file per bad-input case; returns (root, good paths, bad cases)."""
    root = tmp_path / "lib"
    good = make_library(root, n_sharp=2, n_blurry=1)
    cases = bad_files(root / "bad")
    raw = os.fsencode(root) + b"/caf\xe9 \xff.jpg"          # a name that is not valid UTF-8
    save_jpeg(Path(os.fsdecode(raw)), textured(4))
    good[os.fsdecode(raw)] = "sharp"
    return root, good, cases


def _check(records, good, cases):
    paths = [r.path for r in records]
    assert len(paths) == len(set(paths))                                 # each file exactly once
    assert set(paths) == set(good) | set(cases)
    by_path = {r.path: r for r in records}
    for path in good:
        assert by_path[path].status == "ok", (path, by_path[path].error)
    for path, word in cases.items():
        r = by_path[path]
        assert r.status == "error" and r.verdict is None, path
        assert word in r.error and "\n" not in r.error, (path, r.error)


@pytest.mark.parametrize("workers", [1, 2])
def test_bad_files_through_the_pipeline(messy, tmp_path, workers, monkeypatch):
    root, good, cases = messy
    monkeypatch.setattr(scan_workers, "MIN_POOL_FILES", 2)
    monkeypatch.setattr(scan_workers, "MIN_POOL_BYTES", 0)
    records = list(blurscan.scan([root], ScanSettings(workers=workers, model="none"), db=tmp_path / "x.db"))
    _check(records, good, cases)
    with Store(tmp_path / "x.db") as store:                            # stored too, non-UTF-8 name included
        _check(store.records(), good, cases)


def test_bad_files_through_the_cli(messy, tmp_path):
    root, good, cases = messy
    result = CliRunner().invoke(main, ["scan", str(root), "--format", "jsonl", "--model", "none",
                                       "--workers", "1", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 0, result.stderr                       # bad files do not fail the scan
    objs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objs) == len(good) + len(cases)
    printable = {p.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") for p in good}
    assert {o["path"] for o in objs if o["status"] == "ok"} == printable
    assert any(o["path"].endswith("/caf\\xe9 \\xff.jpg") for o in objs)
    err_lines = result.stderr.splitlines()
    for path, word in cases.items():                                  # one stderr line per bad file
        lines = [ln for ln in err_lines if ln.startswith(path + ": ")]
        assert len(lines) == 1 and word in lines[0], (path, err_lines)


def test_bad_files_named_on_the_command_line(messy, tmp_path):
    root, good, cases = messy
    # a suffix not known as a photo's nor as a non-photo's is taken when named (a `.pdf`, known not to be a photo,
    # is passed over and counted since 2026-12-06): a PDF's bytes under it are an error record that says so
    pdf = tmp_path / "scan.dat"
    pdf.write_bytes(b"%PDF-1.7\n" + b"0" * 100)
    records = list(blurscan.scan([*cases, pdf], ScanSettings(workers=1, model="none")))
    _check(records, {}, {**cases, str(pdf): "unsupported format (PDF)"})


def test_missing_path_and_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    records = list(blurscan.scan([tmp_path / "empty", tmp_path / "gone"], ScanSettings(workers=1, model="none")))
    assert [(r.path, r.status, r.error) for r in records] == [
        (str(tmp_path / "gone"), "error", "no such file or directory")]


def test_deleted_while_scanning(messy, tmp_path):
    root, good, cases = messy
    victim = sorted(good)[0]

    def progress(done, total):
        if done == 0 and os.path.exists(victim):
            os.remove(victim)

    records = list(blurscan.scan([root], ScanSettings(workers=1, model="none"), progress=progress))
    _check(records, {p: v for p, v in good.items() if p != victim}, {**cases, victim: "vanished"})


def test_permission_denied_in_process(messy, monkeypatch):
    """Simulated at ``os.open`` (tests may run as root, who can read a chmod-000 file)."""
    root, good, cases = messy
    locked = sorted(good)[0]
    real_open = os.open

    def guarded_open(path, flags, *args, **kw):
        if os.fsdecode(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", guarded_open)
    records = list(blurscan.scan([root], ScanSettings(workers=1, model="none")))
    _check(records, {p: v for p, v in good.items() if p != locked}, {**cases, locked: "permission denied"})


def test_permission_denied_for_real(tmp_path):
    """A real unreadable file (chmod 000) refused by the kernel. As root, the scan runs in a forked child that
    has dropped to the unprivileged user ``nobody`` (root may read any file)."""
    from blurscan import decode, measures, pipeline  # noqa: F401  (loaded before dropping privileges)

    base = Path(tempfile.mkdtemp(prefix="blurscan-perm-"))
    try:
        base.chmod(0o755)
        lib = base / "lib"
        save_jpeg(lib / "ok.jpg", textured(1))
        save_jpeg(lib / "locked.jpg", textured(2))
        lib.chmod(0o755)
        (lib / "ok.jpg").chmod(0o644)
        (lib / "locked.jpg").chmod(0o000)
        blurscan.score_image(textured(3), ScanSettings(workers=1, model="none"))  # warm every lazy import
        got = {path: (status_, error) for path, status_, error in run_unprivileged(
            lambda: [[r.path, r.status, r.error] for r in blurscan.scan([lib], ScanSettings(workers=1, model="none"))])}
        assert got == {str(lib / "ok.jpg"): ("ok", None), str(lib / "locked.jpg"): ("error", "permission denied")}
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _crash_library(tmp_path, monkeypatch, crash_name="crash.jpg", wait_for=None):
    """Six photos and ``crash_name``, whose decoding kills its worker process (as a segfault would), once the file
    ``wait_for`` exists when one is given; pools from 2 files."""
    root = tmp_path / "lib"
    for i in range(6):
        save_jpeg(root / f"p{i}.jpg", textured(i, size=(120, 160)))
    save_jpeg(root / crash_name, textured(9, size=(120, 160)))
    hook = tmp_path / "hook"
    hook.mkdir()
    # sitecustomize runs in every spawned worker: make decoding crash_name kill the process
    (hook / "sitecustomize.py").write_text(
        "import os, time\n"
        "from blurscan import decode\n"
        "_real = decode.decode\n"
        "def _crashing(path, *a, **k):\n"
        f"    if os.fsdecode(path).endswith({crash_name!r}):\n"
        f"        while {str(wait_for) if wait_for else ''!r} and not os.path.exists({str(wait_for)!r}):\n"
        "            time.sleep(0.01)\n"
        "        os._exit(11)\n"
        "    return _real(path, *a, **k)\n"
        "decode.decode = _crashing\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setattr(scan_workers, "MIN_POOL_FILES", 2)
    monkeypatch.setattr(scan_workers, "MIN_POOL_BYTES", 0)
    return root


def _check_crash(records, root, crash_name="crash.jpg"):
    by_path = {r.path: r for r in records}
    assert len(records) == len(by_path) == 7
    assert by_path[str(root / crash_name)].error == "worker process crashed on this file"
    assert all(r.status == "ok" for p, r in by_path.items() if not p.endswith(crash_name))


@pytest.mark.slow
def test_worker_crash_is_one_error_and_the_scan_goes_on(tmp_path, monkeypatch):
    """A decoder that kills its worker process (as a segfault would) costs that file only."""
    root = _crash_library(tmp_path, monkeypatch)
    _check_crash(list(blurscan.scan([root], ScanSettings(workers=2, model="none"), db=tmp_path / "x.db")), root)


@pytest.mark.slow
def test_worker_crash_while_the_consumer_holds_a_record(tmp_path, monkeypatch):
    """A worker that dies while the scan's consumer is busy with a record (a slow reader of `scan --format jsonl`'s
    output) costs that file only. Until 2026-12-05 the next task given to the broken pool raised
    BrokenProcessPool out of the scan: the command stopped with a traceback, half of the photos unlisted."""
    marker = tmp_path / "crash-now"
    root = _crash_library(tmp_path, monkeypatch, "a_crash.jpg", wait_for=marker)  # (first: in the first task)
    records = []
    for record in blurscan.scan([root], ScanSettings(workers=2, model="none"), db=tmp_path / "x.db"):
        records.append(record)
        if not marker.exists():
            marker.touch()  # the worker holding a_crash.jpg dies now, while this consumer is busy
            time.sleep(1.5)
    _check_crash(records, root, "a_crash.jpg")
