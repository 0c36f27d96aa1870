"""The review server's socket timeout: a client that sent half a request and waited held a thread for ever (2,000
of them made 2,005 threads). Now a connection that sends nothing for the server's timeout is closed, and the
requests of a browser, sent whole, are answered as before."""
from __future__ import annotations

import socket
import time

import pytest

from blurscan.review.server import ReviewServer
from helpers_review import build_review_library


@pytest.fixture()
def lib(tmp_path):
    return build_review_library(tmp_path)


def _connect(server):
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def _answer(sock, port, path="/favicon.ico"):
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    return _status(sock)


def _status(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        assert chunk, data
        data += chunk
    return data.split(b"\r\n", 1)[0]


@pytest.mark.slow
def test_a_client_that_stops_sending_is_disconnected_after_the_timeout(lib):
    # (3 s: a slow client's half-second pause, on a busy machine, stays well inside it)
    with ReviewServer(lib[0], request_timeout=3.0) as server:
        stalled = _connect(server)
        stalled.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n".encode())  # half a request
        started = time.monotonic()
        slow = _connect(server)  # a whole request, sent slower than the stalled one waits: answered
        slow.sendall(b"GET /favicon.ico HTTP/1.1\r\n")
        time.sleep(0.5)
        slow.sendall(f"Host: 127.0.0.1:{server.port}\r\n\r\n".encode())
        assert _status(slow).startswith(b"HTTP/1.1 403")  # (no token: refused, but answered)
        assert stalled.recv(4096) == b""  # closed by the server, with no answer
        assert 2.5 < time.monotonic() - started < 15
        fresh = _connect(server)  # and the server still serves
        assert _answer(fresh, server.port).startswith(b"HTTP/1.1 403")
        for sock in (stalled, slow, fresh):
            sock.close()
