"""A path a command is given on a mount that does not answer (:mod:`blurscan.cli.hung_paths`): said before the command
waits there, on a real hung FUSE mount (root only) and with a lookup that never answers."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading

import pytest

from blurscan.cli import hung_paths
from test_undo_by_uuid import HUNG_FUSE

_SBIN = os.pathsep.join([os.environ.get("PATH", os.defpath), "/usr/sbin", "/sbin"])


def test_a_path_that_does_not_answer_is_said_waited_for(tmp_path, capsys):
    """The lookup of ``--to``'s folder never answers (until released): the command says it waits for it, by its
    absolute path, before going on to wait; the words before it, answered, and option names are not said."""
    released = threading.Event()
    looked = []

    def stat(path):
        looked.append(path)
        if path == "nas/rejects":
            released.wait()
        return os.stat(tmp_path)

    try:
        waited = hung_paths.say_if_waiting([str(tmp_path), "--all-blurry", "--to=nas/rejects", "--yes"],
                                           patience=0.01, stat=stat)
    finally:
        released.set()
    assert waited == "nas/rejects" and looked[:2] == [str(tmp_path), "nas/rejects"]
    assert capsys.readouterr().err == (f"note: waiting for {os.path.abspath('nas/rejects')} to answer (a drive waking "
                                       "up, or a share or drive that does not respond?)\n")


def test_paths_that_answer_say_nothing(tmp_path, capsys):
    """Every path given answering (or not there: an answer too), nothing is said."""
    assert hung_paths.say_if_waiting([str(tmp_path), "--to", str(tmp_path / "none"), "0.5"]) is None
    assert capsys.readouterr().err == ""


@pytest.mark.slow
@pytest.mark.parametrize("command", [["scan", "{nas}/lib"], ["report", "--db", "{nas}/lib.db"],
                                     ["move", "{lib}", "--all-blurry", "--to", "{nas}/rejects", "--yes"]])
def test_a_library_or_to_on_a_hung_mount_is_said_waited_for(tmp_path, command):
    """A FUSE file system whose program never answers (a NAS gone) mounted at ``nas``, as root in a mount namespace
    of its own: ``scan`` of a library there, ``report --db`` of a database there and ``move --to`` a folder there
    wait for it (the person's own), but say first, within seconds, what they wait for. Until 2026-12-07 they printed
    nothing, however long it hung."""
    if os.geteuid() != 0 or shutil.which("unshare", path=_SBIN) is None or not os.path.exists("/dev/fuse"):
        pytest.skip("needs root, unshare and /dev/fuse")
    nas, lib = tmp_path.resolve() / "nas", tmp_path.resolve() / "lib"
    nas.mkdir()
    lib.mkdir()
    words = [w.format(nas=nas, lib=lib) for w in command]
    # sh -c SCRIPT sh NAS PYTHON ARGS...: the hung mount at NAS, then PYTHON ARGS... run, killed after 8 s
    script = ('mount --make-rprivate / || exit 0; nas=$1; shift; mkfifo "$nas.up"\n'
              '"$1" -c "$HUNG_FUSE" none "$nas" > "$nas.up" & hung=$!; read up < "$nas.up"; echo "$up"\n'
              '[ "$up" = hung ] || exit 0; timeout -k 2 8 "$@"; echo "rc: $?"; kill $hung; wait $hung; umount -l "$nas"\n')
    ran = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", str(nas), sys.executable, "-m", "blurscan",
                          *words], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "HUNG_FUSE": HUNG_FUSE})
    if not ran.stdout.startswith("hung\n"):
        pytest.skip(f"cannot mount a FUSE file system here: {ran.stdout or ran.stderr}")
    assert ran.stdout.endswith(("rc: 124\n", "rc: 137\n")), ran.stdout + ran.stderr  # (waited there, as it must)
    said = words[1] if command[0] == "scan" else words[2] if command[0] == "report" else words[4]
    assert ran.stderr.startswith(f"note: waiting for {said} to answer (a drive waking up, or a share or drive that "
                                 "does not respond?)\n"), ran.stderr
