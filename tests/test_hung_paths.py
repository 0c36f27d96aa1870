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


def test_a_path_in_memory_is_read_as_the_call_it_was_given_to(tmp_path, monkeypatch):
    """A ``newfstatat`` line of ``/proc/self/task/TID/syscall`` (x86-64's numbers; arm64's the same way): its path
    read from this process's memory, a relative one joined to the current folder; a call that looks at no file, or
    a pipe's descriptor, gives none."""
    import ctypes

    from blurscan.cli import waited_on

    monkeypatch.chdir(tmp_path)
    absolute, relative = ctypes.create_string_buffer(b"/mnt/nas/a.jpg"), ctypes.create_string_buffer(b"b/c.jpg")
    at = f"262 0xffffff9c {ctypes.addressof(absolute):#x} 0x7ffd 0x100 0x0 0x0"
    assert waited_on.path_of(at, machine="x86_64") == "/mnt/nas/a.jpg"
    assert waited_on.path_of(f"79 0xffffffffffffff9c {ctypes.addressof(relative):#x} 0x0", machine="aarch64") == \
        str(tmp_path / "b" / "c.jpg")
    assert waited_on.path_of(f"6 {ctypes.addressof(absolute):#x} 0x0", machine="x86_64") == "/mnt/nas/a.jpg"
    read, write = os.pipe()
    try:
        assert waited_on.path_of(f"0 {read:#x} 0x0 0x1", machine="x86_64") is None
    finally:
        os.close(read)
        os.close(write)
    assert waited_on.path_of(f"35 0x0 {ctypes.addressof(absolute):#x}", machine="x86_64") is None  # (nanosleep)


def test_a_read_waiting_on_a_terminal_is_no_drive_waited_for():
    """``blurscan scan --files-from -`` typed at a terminal reads it, and waits for the person: a ``read`` of a
    terminal's descriptor (``/dev/pts/N``) is not said as a drive that does not answer (it was, after 3 s: `note:
    waiting for /dev/pts/3 to answer (a drive waking up, ...)`)."""
    from blurscan.cli import waited_on

    main, terminal = os.openpty()
    try:
        assert os.readlink(f"/proc/self/fd/{terminal}").startswith("/dev/pts/")
        assert waited_on.path_of(f"0 {terminal:#x} 0x7ffd 0x1000", machine="x86_64") is None
        assert waited_on.path_of(f"63 {terminal:#x} 0x7ffd 0x1000", machine="aarch64") is None
    finally:
        os.close(main)
        os.close(terminal)


def test_a_command_waiting_on_a_file_is_said_waiting_for_it(tmp_path, monkeypatch):
    """The command's thread waits in one call that looks at a file (here the open of a FIFO nothing writes: as a
    stat of a photo on a hung mount waits): the watch says that file's path, once, and stops when told."""
    if not os.path.exists(f"/proc/self/task/{threading.get_native_id()}/syscall"):
        pytest.skip("no /proc/self/task/TID/syscall here")
    fifo = tmp_path / "nas.fifo"
    os.mkfifo(fifo)
    said, told = [], threading.Event()
    monkeypatch.setattr(hung_paths, "say_waiting", lambda path: (said.append(path), told.set()))
    started = threading.Event()
    tid: list[int] = []

    def command() -> None:
        tid.append(threading.get_native_id())
        started.set()
        with open(fifo, "rb") as fh:  # (waits until a writer opens it)
            fh.read()

    waiting = threading.Thread(target=command, daemon=True)
    waiting.start()
    started.wait(10)
    try:
        assert hung_paths.watch([], patience=0.3, tid=tid[0]) is None
        assert told.wait(20), "the wait was not said"
    finally:
        with open(fifo, "wb"):
            pass
        waiting.join(10)
        hung_paths.stop()
    assert said == [str(fifo)]


@pytest.mark.slow
@pytest.mark.parametrize("command", [["report", "{lib}"],
                                     ["move", "{lib}", "--all-blurry", "--to", "{tmp}/rejects"], ["scan", "{lib}"]])
def test_a_stored_photo_on_a_mount_that_hung_since_is_said_waited_for(tmp_path, command):
    """A library scanned with its folder ``nas`` a (healthy) mount, which then hangs (a FUSE file system whose
    program never answers mounted there, as root in a mount namespace of its own): ``report``, ``move``
    (a dry run) and ``scan`` of the library, given only paths that answer, wait on its stored photos there, but
    say within seconds which path they wait for. Until 2026-12-08 they printed nothing, however long it hung."""
    if os.geteuid() != 0 or shutil.which("unshare", path=_SBIN) is None or not os.path.exists("/dev/fuse"):
        pytest.skip("needs root, unshare and /dev/fuse")
    tmp = tmp_path.resolve()
    lib = tmp / "lib"
    (lib / "nas").mkdir(parents=True)
    words = [w.format(lib=lib, tmp=tmp) for w in command] + ["--db", str(tmp / "lib.db")]
    # sh -c SCRIPT sh LIB DB PYTHON ARGS...: two photos in LIB/nas, a tmpfs, scanned; the hung mount over it; then
    # PYTHON ARGS... run, killed after 10 s
    script = ('mount --make-rprivate / || exit 0; lib=$1; db=$2; shift 2; mount -t tmpfs nas "$lib/nas" || exit 0\n'
              '"$1" -c "$PHOTOS" "$lib/nas"; "$1" -m blurscan scan "$lib" --db "$db" >/dev/null || exit 1\n'
              'umount "$lib/nas"; mkfifo "$lib.up"\n'
              '"$1" -c "$HUNG_FUSE" none "$lib/nas" > "$lib.up" & hung=$!; read up < "$lib.up"; echo "$up"\n'
              '[ "$up" = hung ] || exit 0; timeout -k 2 10 "$@"; echo "rc: $?"; kill $hung; wait $hung\n'
              'umount -l "$lib/nas"\n')
    photos = ("import sys, numpy as np, cv2; rng = np.random.default_rng(0)\n"
              "for i in range(2):\n"
              "    img = cv2.resize((rng.random((30, 40, 3)) * 255).astype(np.uint8), (400, 300))\n"
              "    cv2.imwrite(f'{sys.argv[1]}/p{i}.jpg', cv2.GaussianBlur(img, (0, 0), 8) if i else img)\n")
    ran = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", str(lib), str(tmp / "lib.db"), sys.executable,
                          "-m", "blurscan", *words], capture_output=True, text=True, timeout=180,
                         env={**os.environ, "HUNG_FUSE": HUNG_FUSE, "PHOTOS": photos})
    if not ran.stdout.startswith("hung\n"):
        pytest.skip(f"cannot mount a tmpfs and a FUSE file system here: {ran.stdout or ran.stderr}")
    assert ran.stdout.endswith(("rc: 124\n", "rc: 137\n")), ran.stdout + ran.stderr  # (waited there, as it must)
    said = ran.stderr.splitlines()
    waited = [line for line in said if line.startswith("note: waiting for ")]
    assert len(waited) == 1 and waited[0].startswith(f"note: waiting for {lib}/nas") and waited[0].endswith(
        " to answer (a drive waking up, or a share or drive that does not respond?)"), ran.stderr


def test_a_call_ended_while_its_path_is_read_says_nothing(tmp_path, monkeypatch):
    """The command's thread leaves the call it waited in (the drive answered) while the watch reads that call's
    path: nothing is said, since the memory or descriptor read may by then name another file than the one waited
    for. Until 2026-12-08 the path read was said all the same."""
    from blurscan.cli import waited_on

    if not os.path.exists(f"/proc/self/task/{threading.get_native_id()}/syscall"):
        pytest.skip("no /proc/self/task/TID/syscall here")
    fifo = tmp_path / "nas.fifo"
    os.mkfifo(fifo)
    said, read, path_of = [], threading.Event(), waited_on.path_of
    monkeypatch.setattr(hung_paths, "say_waiting", said.append)
    started = threading.Event()
    tid: list[int] = []

    def command() -> None:
        tid.append(threading.get_native_id())
        started.set()
        with open(fifo, "rb") as fh:  # (waits until a writer opens it)
            fh.read()

    def path_then_answered(call, *args, **kwargs):  # (the path read; then the wait ends, the thread gone on)
        path = path_of(call, *args, **kwargs)
        with open(fifo, "wb"):
            pass
        waiting.join(10)
        read.set()
        return path

    monkeypatch.setattr(waited_on, "path_of", path_then_answered)
    waiting = threading.Thread(target=command, daemon=True)
    waiting.start()
    started.wait(10)
    try:
        hung_paths.watch([], patience=0.3, tid=tid[0])
        assert read.wait(20), "the wait was not seen"
    finally:
        if waiting.is_alive():
            with open(fifo, "wb"):
                pass
        hung_paths.stop()
    assert not waiting.is_alive() and said == []
