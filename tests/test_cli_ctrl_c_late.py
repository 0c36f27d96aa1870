"""Ctrl-C in the last instant of a command, after `move --yes` printed its final line: one line and exit code 130,
wherever it lands. It was click's "Aborted!" and exit code 1 (in click's teardown of the command), a traceback
and the process killed by SIGINT, -2 to its parent (as the command line's main returned), or a traceback
("Exception ignored in: <module 'threading'>") and exit code 0 (as the interpreter waited for its threads)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpers_images import blurred, save_jpeg, textured
from helpers_signals import default_signals

#: Where the child sends itself a real SIGINT, after the command's work is done.
_LANDINGS = {
    # click closes the command's context once the command returned
    "click's teardown": """
import click
closed = click.Context.close
def close(self):
    os.kill(os.getpid(), signal.SIGINT)
    return closed(self)
click.Context.close = close
""",
    # the command line's main has ended (its SystemExit on its way out)
    "main's return": """
from blurscan import cli
Group = type(cli.main)
ran = Group.main
def main(self, *args, **kwargs):
    try:
        return ran(self, *args, **kwargs)
    finally:
        os.kill(os.getpid(), signal.SIGINT)
Group.main = main
""",
    # the interpreter's teardown: it waits for a thread, which sends the signal once the main thread is done
    "the interpreter's teardown": """
import threading, time
def late():
    while threading.main_thread().is_alive():
        time.sleep(0.001)
    os.kill(os.getpid(), signal.SIGINT)
threading.Thread(target=late).start()
""",
}


@pytest.mark.parametrize("landing", list(_LANDINGS))
def test_ctrl_c_after_the_final_line_exits_130_with_one_line(tmp_path, landing):
    root = _moved_library(tmp_path)
    done = _move_child(tmp_path, root, _LANDINGS[landing])
    assert (done.returncode, done.stderr) == \
        (130, "interrupted after the command had ended (what it printed above stands)\n"), done.stderr
    assert done.stdout.startswith("moved 2 photos (2 files, "), done.stdout  # its final line, as it was
    assert sorted(os.listdir(tmp_path / "rejects")) == ["IMG_0.jpg", "IMG_1.jpg"]
    assert not [name for name in os.listdir(root) if name.endswith(".jpg")]


def _moved_library(tmp_path):
    """A scanned library of two blurry photos."""
    import blurscan
    from blurscan.config import ScanSettings

    root = tmp_path / "lib"
    for i in range(2):
        save_jpeg(root / f"IMG_{i}.jpg", blurred(textured(i), 4.0))
    list(blurscan.scan([root], ScanSettings(workers=1, model="none"), db=root / ".blurscan.db"))
    return root


def _move_child(tmp_path, root, landing: str) -> subprocess.CompletedProcess:
    """`blurscan move --all-blurry --yes` of ``root`` in a child that runs ``landing`` first."""
    child = ("import os, signal, sys\n" + landing
             + f"sys.argv = ['blurscan', 'move', '--to', {str(tmp_path / 'rejects')!r}, '--all-blurry', '--yes', "
               f"{str(root)!r}]\nfrom blurscan.__main__ import run\nrun()\n")
    return subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, preexec_fn=default_signals)


#: A Ctrl-C once Python has run the last of its code: it resets every signal handler of Python's to the default
#: action before it frees its modules (a few hundredths of a second with numpy and OpenCV loaded), and a module's
#: object freed then sends it.
_FREED_LAST = """
import time
class _FreedLast:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)
_freed_last = _FreedLast()
"""


def test_ctrl_c_as_python_frees_its_modules_leaves_the_commands_exit_code(tmp_path):
    """The process was killed by the signal there (exit code -2 to its parent, 130 to a shell, no line at
    all), a move that had finished reading as one cut short. Now it is ignored: the command had ended, its
    final line and exit code stand."""
    root = _moved_library(tmp_path)
    done = _move_child(tmp_path, root, _FREED_LAST)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert done.stdout.startswith("moved 2 photos (2 files, "), done.stdout
    assert sorted(os.listdir(tmp_path / "rejects")) == ["IMG_0.jpg", "IMG_1.jpg"]


#: A second Ctrl-C, in the interpreter's teardown, after one the command line said already.
_AGAIN_IN_TEARDOWN = _LANDINGS["the interpreter's teardown"]
_TWICE = {
    "both after the final line": _LANDINGS["click's teardown"] + _AGAIN_IN_TEARDOWN,
    # the first one half-way through the batch, as its first photo is moved: the command says how far it went
    "half-way, then as Python exits": """
from blurscan.actions import run as batch
moved = batch.move_file
def move_file(*args, **kwargs):
    out = moved(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGINT)
    return out
batch.move_file = move_file
""" + _AGAIN_IN_TEARDOWN,
}


@pytest.mark.parametrize("twice", list(_TWICE))
def test_ctrl_c_pressed_again_as_python_exits_adds_no_line(tmp_path, twice):
    """Ctrl-C pressed twice: the second one, in the interpreter's teardown, added its own line `interrupted after
    the command had ended` below the one said already (after the batch's `interrupted: moved 0 of 2 photos ...`,
    it read as if the batch had ended)."""
    root = _moved_library(tmp_path)
    done = _move_child(tmp_path, root, _TWICE[twice])
    lines = done.stderr.splitlines()
    assert (done.returncode, len(lines)) == (130, 1), done.stderr
    if twice == "both after the final line":
        assert lines[0] == "interrupted after the command had ended (what it printed above stands)"
    else:
        # (the first photo went: Ctrl-C waits for the journal to record it; it said "moved 0" until 2026-12-06)
        assert lines[0].startswith("interrupted: moved 1 of 2 photos (1 file, "), lines[0]
        assert "undo with `blurscan undo --batch 1 " in lines[0], lines[0]
