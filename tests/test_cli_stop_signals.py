"""SIGTERM and SIGHUP (``kill``, ``timeout``, a service manager, a closed terminal), through the real command line:
the command stops as on Ctrl-C, with exit code 143 or 129: ``scan -o FILE`` keeps what it scored and leaves no
temporary file, ``report -o FILE`` leaves the file as it was, a move says how far it went; and the temporary files
of commands killed outright are removed by the next command writing beside them."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from helpers_cli import jsonl
from helpers_images import blurred, save_jpeg, textured
from helpers_signals import default_signals

SCAN = ("--model", "none", "--workers", "1")

#: The command line, the second photo of a scan taking a minute, saying so with the file MARKER.
_SLOW_SCAN = """
import sys, time
from blurscan import pipeline
real, seen = pipeline._process, []
def slow(ref, *a):
    if seen:
        open({marker!r}, "w").close()
        time.sleep(60)
    seen.append(ref)
    return real(ref, *a)
pipeline._process = slow
from blurscan.cli import main
main(sys.argv[1:])
"""


def _wait_for(path, proc, seconds=60):
    deadline = time.monotonic() + seconds
    while not path.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()


def _library(root, n=6):
    for i in range(n):
        save_jpeg(root / f"p{i}.jpg", textured(i))
    return root


@pytest.mark.slow
@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_scan_stopped_by_sigterm_or_sighup_keeps_what_it_scored_in_its_output_file(tmp_path, sig, code):
    """SIGTERM or SIGHUP killed the scan at once: the `--output` list was left as a hidden
    `.blurscan-output-*.part` file beside the file (they piled up), the file itself as it was."""
    lib, out, marker = _library(tmp_path / "lib"), tmp_path / "out.jsonl", tmp_path / "busy"
    out.write_text("an earlier list\n")
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_SCAN.format(marker=str(marker)), "scan", str(lib), "-o",
                             str(out), *SCAN], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=default_signals)
    _wait_for(marker, proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert err == b"interrupted: 1 of 6 scanned, kept in " + os.fsencode(lib / ".blurscan.db") + b"\n", err
    objs = jsonl(out.read_text())
    assert len(objs) == 1 and objs[0]["path"].startswith(str(lib))
    assert sorted(os.listdir(tmp_path)) == ["busy", "lib", "out.jsonl"]


def test_a_report_stopped_by_sigterm_leaves_its_output_file_as_it_was(tmp_path):
    lib, out, marker = _library(tmp_path / "lib", 3), tmp_path / "list.csv", tmp_path / "busy"
    assert subprocess.run([sys.executable, "-m", "blurscan", "scan", str(lib), *SCAN], capture_output=True).returncode == 0
    out.write_text("an earlier list\n")
    code = ("import sys, time\n"
            "from blurscan import listing\n"
            "def slow(*a, **k):\n"
            f"    open({str(marker)!r}, 'w').close(); time.sleep(60)\n"
            "listing.survey = slow\n"
            "from blurscan.cli import main\nmain(sys.argv[1:])\n")
    proc = subprocess.Popen([sys.executable, "-c", code, "report", str(lib), "-o", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=default_signals)
    _wait_for(marker, proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (143, b"interrupted\n")
    assert out.read_text() == "an earlier list\n"
    assert sorted(os.listdir(tmp_path)) == ["busy", "lib", "list.csv"]


@pytest.mark.slow
def test_temporary_files_of_killed_commands_are_removed_by_the_next_one(tmp_path):
    """A command killed outright (SIGKILL, the out-of-memory killer) leaves its temporary file: nothing removed it.
    The next command writing a list to that folder removes those whose process is gone, and nothing else."""
    lib, out, marker = _library(tmp_path / "lib"), tmp_path / "out.jsonl", tmp_path / "busy"
    out.write_text("an earlier list\n")
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_SCAN.format(marker=str(marker)), "scan", str(lib), "-o",
                             str(out), *SCAN], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=default_signals)
    _wait_for(marker, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    left = [name for name in os.listdir(tmp_path) if name.startswith(".blurscan-output-")]
    assert len(left) == 1 and re.fullmatch(rf"\.blurscan-output-{proc.pid}-[0-9a-f]{{8}}\.part", left[0]), left
    hour_ago, two_days_ago = time.time() - 3600, time.time() - 2 * 86400
    others = {  # name: (age, stays)
        ".blurscan-output-0123abcd.part": (two_days_ago, False),  # an earlier version's, old
        ".blurscan-output-4567abcd.part": (hour_ago, True),       # an earlier version's, perhaps still at work
        f".blurscan-output-{os.getpid()}-89abcdef.part": (hour_ago, True),  # its process runs
        ".blurscan-output-xyz.part": (two_days_ago, True),        # not a name blurscan gives
    }
    for name, (when, _) in others.items():
        (tmp_path / name).write_text("a list\n")
        os.utime(tmp_path / name, (when, when))
    fresh = tmp_path / ".blurscan-output-999999999-01234567.part"  # no such process, but made a moment ago
    fresh.write_text("a list\n")
    os.utime(tmp_path / left[0], (hour_ago, hour_ago))
    done = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(lib), "-o", str(out), *SCAN],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(jsonl(out.read_text())) == 6
    assert sorted(name for name in os.listdir(tmp_path) if name.startswith(".")) == \
        sorted([fresh.name] + [name for name, (_, stays) in others.items() if stays])


@pytest.mark.slow
def test_a_live_commands_temporary_file_is_never_removed(tmp_path):
    """Another scan writing to the same folder, still at work (however long, its process id shown in no other
    process list): its file is locked while it lives, and left."""
    lib, marker = _library(tmp_path / "lib"), tmp_path / "busy"
    first = subprocess.Popen([sys.executable, "-c", _SLOW_SCAN.format(marker=str(marker)), "scan", str(lib), "-o",
                              str(tmp_path / "a.csv"), *SCAN], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=default_signals)
    try:
        _wait_for(marker, first)
        (temp,) = [name for name in os.listdir(tmp_path) if name.startswith(".blurscan-output-")]
        renamed = tmp_path / temp.replace(f"-{first.pid}-", "-999999999-")  # as another pid namespace would see it
        os.rename(tmp_path / temp, renamed)
        os.utime(renamed, (time.time() - 3600,) * 2)
        done = subprocess.run([sys.executable, "-m", "blurscan", "scan", str(lib), "-o", str(tmp_path / "b.csv"),
                               *SCAN], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert renamed.exists()
    finally:
        first.kill()
        first.communicate()


_MOVE = """
import os, signal, sys
from blurscan.actions import run
real, calls = run.move_file, []
def move_file(*args, **kwargs):
    out = real(*args, **kwargs)
    calls.append(1)
    if len(calls) == 1:
        os.kill(os.getpid(), signal.SIGTERM)
    return out
run.move_file = move_file
from blurscan.cli import main
main(sys.argv[1:])
"""


def test_sigterm_between_a_photo_and_its_sidecar_is_held_as_ctrl_c_is(tmp_path):
    """SIGTERM as the first photo moved: the photo's sidecar follows it (Ctrl-C is held there, and SIGTERM with
    it), and the line says how far the move went and how to undo it, with exit code 143."""
    root = tmp_path / "lib"
    for i in range(3):
        save_jpeg(root / f"IMG_{i}.jpg", blurred(textured(i), 4.0))
        (root / f"IMG_{i}.jpg.xmp").write_text('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>\n')
    scan = subprocess.run([sys.executable, "-m", "blurscan", "scan", *SCAN, str(root)], capture_output=True, text=True)
    assert scan.returncode == 0, scan.stderr
    proc = subprocess.run([sys.executable, "-c", _MOVE, "move", "--to", str(tmp_path / "rejects"), "--all-blurry",
                           "--yes", str(root)], capture_output=True, text=True, preexec_fn=default_signals,
                          cwd=tmp_path)
    assert proc.returncode == 143, proc.stderr
    assert re.fullmatch(r"interrupted: moved 1 of 3 photos \(2 files, .*undo with `blurscan undo --batch 1 .*\n",
                        proc.stderr), proc.stderr
    assert sorted(p.name for p in (tmp_path / "rejects").iterdir()) == ["IMG_0.jpg", "IMG_0.jpg.xmp"]


def test_sigterm_stops_the_review_page_as_ctrl_c_does(tmp_path):
    """It killed the page's server at once, with no word; now it is shut down, 'Stopped.', and the process then ends
    killed by SIGTERM, as a service manager expects (exit code 143 made systemd call the unit failed)."""
    import blurscan
    from blurscan.config import ScanSettings

    save_jpeg(tmp_path / "lib" / "IMG_1.jpg", textured(1))
    list(blurscan.scan([tmp_path / "lib"], ScanSettings(workers=1, model="none"), db=tmp_path / "lib" / ".blurscan.db"))
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "review", str(tmp_path / "lib"), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=default_signals)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Review page: http://127.0.0.1:"), line
        assert proc.stdout.readline().startswith("Only this URL")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert (proc.returncode, err, out) == (-signal.SIGTERM, "", "Stopped.\n")


def test_a_stop_signal_while_ctrl_c_is_ignored_for_a_while_is_acted_on_as_that_ends():
    """A SIGTERM as a worker process starts (Ctrl-C deferred meanwhile, so that the worker is born blocking it)
    would be lost: the command went on to its end. It is raised once the worker has started."""
    from blurscan import stop_signals
    from blurscan.processes import ctrl_c_deferred

    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    stop_signals.install()
    reached = []
    try:
        with pytest.raises(KeyboardInterrupt):
            with ctrl_c_deferred(children=True):
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)
                reached.append("inside, after it")
        assert reached == ["inside, after it"] and stop_signals.exit_code() == 143
    finally:
        stop_signals.uninstall()
        signal.signal(signal.SIGINT, handler)


def test_a_temporary_file_that_cannot_be_locked_is_kept(tmp_path, monkeypatch):
    """On a share without locks (NFS `nolock`, some container folder shares) flock fails: the file counted as free,
    and another machine's live `--output` list, over a minute old, was removed under it (its scan then ended in
    "cannot write output")."""
    import errno
    import fcntl

    from blurscan.cli import output

    old = tmp_path / ".blurscan-output-999999999-abcdef01.part"
    old.write_text("another machine's list\n")
    os.utime(old, (time.time() - 3600, time.time() - 3600))

    def no_locks(fd, how):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    assert output._remove_stale(str(tmp_path)) == [] and old.exists()
    monkeypatch.undo()
    assert output._remove_stale(str(tmp_path)) == [str(old)] and not old.exists()  # (where locks work: removed)
