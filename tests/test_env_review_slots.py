"""The review server's slots for connections (review/server.py ``connection_limit``): under ``ulimit -n 24`` it
answers two connections at once and the others wait their turn. Each connection gives its slot back once it is
done, so the page answers for as long as it runs (a slot kept would leave the page blank after two requests), and
a stop (Ctrl-C) closes a connection still waiting for a slot at once (the stop waited until a slot was free: up
to the 30 s a silent connection is given), and a request the client gave up (a reset) leaves nothing open
(Werkzeug's poll of its socket, left to the garbage collector). The real ``blurscan review`` in a subprocess."""
from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import socket
import struct
import subprocess
import sys
import time

from helpers_review import build_review_library
from helpers_signals import default_signals
import pytest

FDS = 24  # (two connections at once, with the descriptors the server opens first)


def _review(db):
    def limited():
        default_signals()
        resource.setrlimit(resource.RLIMIT_NOFILE, (FDS, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    server = subprocess.Popen([sys.executable, "-m", "blurscan", "review", "--no-browser", "--db", str(db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=limited)
    return server, int(re.search(r"http://127\.0\.0\.1:(\d+)/", server.stdout.readline()).group(1))


def _ask(port, timeout=5.0):
    """The status line of a whole request (no token: refused, 403, but answered); None when no answer comes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(f"GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        try:
            return sock.recv(4096).split(b"\r\n", 1)[0]
        except TimeoutError:
            return None


def _stopped(server):
    server.send_signal(signal.SIGINT)
    started = time.monotonic()
    _out, err = server.communicate(timeout=60)
    return server.returncode, err, time.monotonic() - started


@pytest.mark.slow
def test_three_hundred_requests_one_after_another_are_all_answered(tmp_path):
    db, _records = build_review_library(tmp_path)
    server, port = _review(db)
    try:
        answers = []
        while len(answers) < 300 and None not in answers:  # (5 s for one unanswered, not for each)
            answers.append(_ask(port))
    finally:
        code, err, _took = _stopped(server)
    assert answers == [b"HTTP/1.1 403 FORBIDDEN"] * 300, f"request {len(answers)} unanswered"
    assert (code, err) == (130, "")


@pytest.mark.slow
def test_ctrl_c_while_a_connection_waits_for_a_slot_stops_at_once(tmp_path):
    db, _records = build_review_library(tmp_path)
    server, port = _review(db)
    silent = []
    try:
        # connections that send half a request hold the slots (for 30 s), one more each time until a request
        # waits for a slot (two under ulimit -n 24 here; the count depends on the descriptors open at the start)
        while len(silent) < 6 and _ask(port, timeout=1.0) is not None:
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(b"GET / HTTP/1.1\r\n")
            silent.append(sock)
            time.sleep(0.3)
        assert _ask(port, timeout=1.0) is None, f"a request is answered with {len(silent)} slots held"
    finally:
        code, err, took = _stopped(server)
        for sock in silent:
            sock.close()
    assert (code, err) == (130, "")
    assert took < 8, took  # (28 s: until the silent connections were closed)


@pytest.mark.slow
def test_requests_given_up_after_their_answer_leave_nothing_open(tmp_path):
    db, _records = build_review_library(tmp_path)
    server, port = _review(db)
    try:
        for _ in range(20):  # more sent after a request's answer, then the connection reset
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(f"GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            assert sock.recv(4096).startswith(b"HTTP/1.1 403")
            sock.sendall(b"more")  # (Werkzeug reads on, to discard what a client sent beyond its request)
            time.sleep(0.05)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # given up: a reset
            sock.close()
        # the last connections' threads may still be ending on a busy machine (or under pytest -n 2): wait for
        # them, up to 30 s, rather than a fixed half second (once seen failing with one poll left; and after 10 s
        # in a run of the suite niced under six other jobs on 2 cores, where a thread may wait that long for a CPU)
        deadline = time.monotonic() + 30
        while True:
            polls = []
            for fd in os.listdir(f"/proc/{server.pid}/fd"):
                with contextlib.suppress(FileNotFoundError):  # (closed since listed)
                    if "eventpoll" in os.readlink(f"/proc/{server.pid}/fd/{fd}"):
                        polls.append(fd)
            if not polls or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert _ask(port) == b"HTTP/1.1 403 FORBIDDEN"
    finally:
        code, err, _took = _stopped(server)
    assert polls == []  # (Werkzeug's poll of each socket, until the garbage collector ran: 16 after 40)
    assert (code, err) == (130, "")


@pytest.mark.slow
def test_a_photo_whose_client_went_away_mid_answer_is_closed_not_left_to_the_collector(tmp_path):
    """The full view sends a photo's own file; a client that sends more after its request and resets the
    connection (a browser leaving the photo: the key `u` in the detail view) made Werkzeug skip the answer's
    close, and the file was left to the garbage collector: under ``-X dev`` a ``ResourceWarning: unclosed file``
    on the terminal for each (an error in this suite, where a browser test failed so once). Closed now."""
    from blurscan.review import security

    db, records = build_review_library(tmp_path)
    server = subprocess.Popen([sys.executable, "-X", "dev", "-m", "blurscan", "review", "--no-browser", "--db",
                               str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              preexec_fn=default_signals)  # (as _review)
    try:
        port, token = re.search(r":(\d+)/\?token=([^\s&]+)", server.stdout.readline()).groups()

        def request(path, more=""):
            return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{more}\r\n".encode()

        with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as sock:
            sock.sendall(request(f"/?token={token}"))
            cookie = re.search(r"Set-Cookie: ([^;]+);", sock.recv(65536).decode("latin-1")).group(1)
        photo = f"/full/{security.path_id(records['blurry.jpg'].path)}"
        answers = []
        for _ in range(10):
            sock = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
            sock.sendall(request(photo, f"Cookie: {cookie}\r\n") + b"more")
            answers.append(sock.recv(15))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # given up: a reset
            sock.close()
        time.sleep(0.5)  # (the last answers' threads ending)
    finally:
        code, err, _took = _stopped(server)
    assert answers == [b"HTTP/1.1 200 OK"] * 10
    assert "unclosed" not in err, err
    assert code == 130, err
