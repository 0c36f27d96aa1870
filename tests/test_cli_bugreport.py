"""What a bug report needs: ``blurscan --version`` names blurscan's, the shipped model's (as the JSONL's
``model_version``), Python's, the platform's and the deciding libraries' versions; an error blurscan did not expect
keeps its traceback and says under it that it is a bug and what to send; ``kill -USR1`` dumps every thread's stack
while the command goes on. Each runs the real ``python -m blurscan`` entry point in a child process."""
from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata

import blurscan
from helpers_images import save_jpeg, textured
import pytest


def _blurscan(*args, script=None, timeout=120):
    """``python -m blurscan ARGS``, or ``script`` (Python run before the entry point, with ARGS as sys.argv)."""
    command = [sys.executable, "-m", "blurscan", *args] if script is None else [
        sys.executable, "-c", script + "\nimport sys\nsys.argv = ['blurscan', *sys.argv[1:]]\n"
        "from blurscan.__main__ import run\nrun()\n", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=dict(os.environ))


def test_version_names_the_model_python_platform_and_libraries(tmp_path):
    """``--version`` said ``blurscan, version X`` alone: the model that made a verdict, Python, the platform and
    the versions of numpy, OpenCV, ONNX Runtime, Pillow, pillow-heif and rawpy had to be asked for one by one."""
    done = _blurscan("--version")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"blurscan, version {blurscan.__version__}"  # (scripts read the first line: unchanged)
    save_jpeg(tmp_path / "a.jpg", textured(1))
    scanned = _blurscan("scan", str(tmp_path / "a.jpg"), "--workers", "1", "--format", "jsonl", "--db",
                        str(tmp_path / "x.db"))
    import json

    model_version = json.loads(scanned.stdout.splitlines()[0])["model_version"]
    assert lines[1] == f"model: {model_version} (the shipped model, as the JSONL's model_version names it)"
    assert lines[2] == (f"Python {platform.python_version()} ({platform.python_implementation()}) on "
                        f"{platform.platform()}")
    for name in ("numpy", "onnxruntime", "Pillow", "pillow-heif", "rawpy"):
        assert f"{name} {metadata.version(name)}" in lines[3], lines[3]
    assert lines[3].startswith("libraries: numpy ") and " opencv" in lines[3], lines[3]
    assert len(lines) == 4


SCRIPT_BOOM = """
import blurscan.actions
def boom(*args, **kwargs):
    raise RuntimeError("injected by a test")
blurscan.actions.list_batches = boom
"""


def test_an_unexpected_error_says_it_is_a_bug_and_what_to_report(tmp_path):
    """An error blurscan did not expect (here injected: ``undo --list`` failing inside) ended in a bare
    traceback, which says neither that it is blurscan's bug nor what a report needs; now the traceback is kept
    and two lines follow it, exit code 1 as before."""
    save_jpeg(tmp_path / "lib" / "a.jpg", textured(1))
    scan = _blurscan("scan", str(tmp_path / "lib"), "--model", "none", "--workers", "1")
    assert scan.returncode == 0, scan.stderr
    done = _blurscan("undo", "--list", str(tmp_path / "lib"), script=SCRIPT_BOOM)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"  # (kept: a report needs it)
    assert "RuntimeError: injected by a test" in lines
    assert lines[-2:] == [
        "Error: this is a bug in blurscan (an internal error, not a problem with your photos or settings).",
        "Please report it with the traceback above, the command you ran and the output of `blurscan --version`."]
    assert lines.index("RuntimeError: injected by a test") == len(lines) - 3


def test_an_expected_error_is_still_one_line(tmp_path):
    """Errors blurscan knows stay one ``Error:`` line, with no bug note."""
    done = _blurscan("undo", "--list", "--db", str(tmp_path / "none.db"))
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("Error: "), done.stderr
    assert "bug" not in done.stderr


SCRIPT_USR1 = """
import os, signal, threading
import blurscan.actions
def waiting_in_another_thread():
    threading.Event().wait(60)
threading.Thread(target=waiting_in_another_thread, daemon=True).start()
listed = blurscan.actions.list_batches
def listed_after_a_signal(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGUSR1)
    return listed(*args, **kwargs)
blurscan.actions.list_batches = listed_after_a_signal
"""


def test_sigusr1_writes_every_threads_stack_and_the_command_goes_on(tmp_path):
    """``kill -USR1`` on a command that seems to hang is the way to see what it is doing: it ended the process
    (killed by SIGUSR1, nothing said); now every thread's stack is written and the command finishes."""
    save_jpeg(tmp_path / "lib" / "a.jpg", textured(1))
    assert _blurscan("scan", str(tmp_path / "lib"), "--model", "none", "--workers", "1").returncode == 0
    done = _blurscan("undo", "--list", str(tmp_path / "lib"), script=SCRIPT_USR1)
    assert done.returncode == 0, done.stderr
    assert "most recent call first" in done.stderr and "listed_after_a_signal" in done.stderr, done.stderr
    assert "waiting_in_another_thread" in done.stderr, done.stderr  # every thread's, not the one signalled
    assert done.stdout == "No batches.\n"


@pytest.mark.slow
def test_blurscan_debug_shows_what_the_command_did_and_why(tmp_path):
    """``BLURSCAN_DEBUG=1`` writes blurscan's log to stderr: a move says each file it moved and how. No command
    showed the library's log below a warning (the review server's failed request logs its traceback so too)."""
    import cv2

    save_jpeg(tmp_path / "lib" / "soft.jpg", cv2.GaussianBlur(textured(2), (0, 0), 6))
    assert _blurscan("scan", str(tmp_path / "lib"), "--model", "none", "--workers", "1").returncode == 0
    args = ("move", "--all-blurry", "--to", str(tmp_path / "rejects"), str(tmp_path / "lib"), "--yes")
    done = subprocess.run([sys.executable, "-m", "blurscan", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "BLURSCAN_DEBUG": "1"})
    assert done.returncode == 0, done.stderr
    assert (f"DEBUG blurscan.actions.run: move {tmp_path / 'lib' / 'soft.jpg'} -> "
            f"{tmp_path / 'rejects' / 'soft.jpg'} (rename)") in done.stderr.splitlines(), done.stderr
    quiet = _blurscan("undo", str(tmp_path / "lib"))
    assert quiet.returncode == 0 and "DEBUG" not in quiet.stderr, quiet.stderr


@pytest.mark.slow
def test_blurscan_debug_shows_each_file_an_undo_put_back(tmp_path):
    """The README's Troubleshooting says ``BLURSCAN_DEBUG=1`` shows each file a move, trash *or undo* took and
    how: the undo said nothing of its files (only the move logged them)."""
    import cv2

    save_jpeg(tmp_path / "lib" / "soft.jpg", cv2.GaussianBlur(textured(2), (0, 0), 6))
    assert _blurscan("scan", str(tmp_path / "lib"), "--model", "none", "--workers", "1").returncode == 0
    moved = _blurscan("move", "--all-blurry", "--to", str(tmp_path / "rejects"), str(tmp_path / "lib"), "--yes")
    assert moved.returncode == 0 and (tmp_path / "rejects" / "soft.jpg").exists(), moved.stderr
    done = subprocess.run([sys.executable, "-m", "blurscan", "undo", str(tmp_path / "lib")], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "BLURSCAN_DEBUG": "1"})
    assert done.returncode == 0 and (tmp_path / "lib" / "soft.jpg").exists(), done.stderr
    assert (f"DEBUG blurscan.actions.restore: undo {tmp_path / 'rejects' / 'soft.jpg'} -> "
            f"{tmp_path / 'lib' / 'soft.jpg'} (rename)") in done.stderr.splitlines(), done.stderr


@pytest.mark.slow
def test_blurscan_debug_0_or_empty_shows_nothing(tmp_path):
    """``BLURSCAN_DEBUG=0`` (or set empty, or `` 0 ``) is off, as documented: the move that logs each file with
    ``BLURSCAN_DEBUG=1`` says nothing more."""
    import cv2

    save_jpeg(tmp_path / "lib" / "soft.jpg", cv2.GaussianBlur(textured(2), (0, 0), 6))
    assert _blurscan("scan", str(tmp_path / "lib"), "--model", "none", "--workers", "1").returncode == 0
    for value in ("0", " 0 ", ""):
        args = ("move", "--all-blurry", "--to", str(tmp_path / "rejects"), str(tmp_path / "lib"), "--yes")
        done = subprocess.run([sys.executable, "-m", "blurscan", *args], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "BLURSCAN_DEBUG": value})
        assert done.returncode == 0 and (tmp_path / "rejects" / "soft.jpg").exists(), done.stderr
        assert "DEBUG" not in done.stderr, (value, done.stderr)
        assert _blurscan("undo", str(tmp_path / "lib")).returncode == 0


def test_version_names_opencv_from_any_of_its_wheels_and_a_damaged_install(monkeypatch):
    """OpenCV installed as ``opencv-python`` (not the headless wheel) is named so, not "not installed"; a
    library whose metadata cannot be read is named with a question mark, never a traceback of ``--version``."""
    from blurscan.cli.bugreport import version_text

    real = metadata.version

    def version(name):
        if name == "opencv-python-headless":
            raise metadata.PackageNotFoundError(name)
        if name == "opencv-python":
            return "4.10.0.84"
        if name == "rawpy":
            raise ValueError("damaged METADATA")
        return real(name)

    monkeypatch.setattr(metadata, "version", version)
    libraries = version_text("1.0").splitlines()[3]
    assert "opencv-python 4.10.0.84" in libraries and "rawpy ? (ValueError)" in libraries, libraries
