"""Ctrl-C stops ``blurscan review`` once the requests it is answering are answered (review/server.py): until
2026-12-06 the process ended with them under way (the server's threads are daemon threads, which socketserver
does not wait for), and was most times aborted as it exited with a thumbnail being decoded (``terminate called
without an active exception``, exit status 134), a decision being stored dropped unanswered. Here a decision waits
for the database's write lock, held by the test, as Ctrl-C comes; the real command in a subprocess."""
from __future__ import annotations

import http.client
import json
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

from helpers_signals import default_signals
from test_cli_interrupt import _scanned_library
import pytest


@pytest.mark.slow
def test_ctrl_c_lets_a_decision_being_stored_finish_and_answer(tmp_path):
    lib = _scanned_library(tmp_path)
    db = f"{lib}/.blurscan.db"
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "review", lib, "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=default_signals)
    lock = sqlite3.connect(db, isolation_level=None)
    try:
        line = proc.stdout.readline()
        url = urlsplit(line.split(": ", 1)[1].strip())

        def request(method, path, body=None, headers=None):
            conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            try:
                return response, response.read()
            finally:
                conn.close()  # (its thread in the server ends, the database it opened closed)

        cookie = request("GET", f"{url.path}?{url.query}")[0].getheader("Set-Cookie").split(";")[0]
        page = request("GET", "/", headers={"Cookie": cookie})[1]
        csrf = re.search(rb'name="blurscan-csrf" content="([^"]+)"', page).group(1).decode()
        (item,) = json.loads(request("GET", "/api/items?filter=all", headers={"Cookie": cookie})[1])["items"]
        answered = []

        def decide():
            try:
                body = json.dumps({"id": item["id"], "decision": "discard", "v": item["v"]})
                answered.append(request("POST", "/api/decision", body, {
                    "Cookie": cookie, "Content-Type": "application/json", "X-Blurscan-CSRF": csrf})[0].status)
            except (OSError, http.client.HTTPException) as exc:  # (the server gone before answering)
                answered.append(type(exc).__name__)

        lock.execute("BEGIN IMMEDIATE")  # (another program writing: the decision waits for it)
        opened = _settled(lambda: _opened(proc.pid, db))
        writer = threading.Thread(target=decide)
        writer.start()
        # the decision is being answered once the server has opened the database for it (which it does after
        # taking the request in as one it answers): Ctrl-C from then on waits for it. Until 2026-12-07 the test
        # waited for the connection's thread to start and then 1 s more, a guess a loaded machine could beat (the
        # request read after the Ctrl-C is closed unanswered: RemoteDisconnected)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _opened(proc.pid, db) <= opened:
            opened = min(opened, _opened(proc.pid, db))  # (an earlier request's store was still being closed)
            time.sleep(0.02)
        assert _opened(proc.pid, db) > opened, "the decision never opened the database"
        proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
        lock.execute("COMMIT")
        writer.join(30)
        proc.wait(30)
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=60)  # (its pipes closed too)
    assert answered == [200]  # (RemoteDisconnected until 2026-12-06)
    assert lock.execute("SELECT decision FROM decisions").fetchall() == [("discard",)]  # stored
    lock.close()
    assert (proc.returncode, err) == (130, ""), err


def _settled(count, *, still: float = 0.3, limit: float = 10.0) -> int:
    """``count()`` once it has not changed for ``still`` seconds: the connections closed before, their threads
    and the database they opened, are done with (until 2026-12-06 a count of threads was taken while one of them
    was still ending, so that the decision's thread never raised it above the count)."""
    deadline = time.monotonic() + limit
    last, since = count(), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < still:
        time.sleep(0.05)
        now = count()
        if now != last:
            last, since = now, time.monotonic()
    return last


def _opened(pid: int, db: str) -> int:
    """How many times the process has the database ``db`` open (the review server opens it for each request)."""
    import contextlib
    import os

    real, count = os.path.realpath(db), 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):  # (closed since listed)
            count += os.readlink(f"/proc/{pid}/fd/{fd}") == real
    return count
