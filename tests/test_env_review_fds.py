"""The review page under a low limit of open files (``ulimit -n 24``, as a CI job or a service manager may set):
a burst of requests, some of them given up by the client before the answer (a browser that stops loading the
thumbnails scrolled out of view), is answered in full, a few at a time, with nothing on the terminal. Until
2026-12-06 the server ran out of file descriptors: photos answered ``cannot open the file`` (403) or 500, and
Werkzeug's own handling of the failure printed tracebacks. The real ``blurscan review`` in a subprocess."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import resource
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from helpers_review import build_review_library
from helpers_signals import default_signals
import pytest

FDS = 24


def _review(db):
    def limited():
        default_signals()
        resource.setrlimit(resource.RLIMIT_NOFILE, (FDS, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    return subprocess.Popen([sys.executable, "-m", "blurscan", "review", "--no-browser", "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=limited)


def _fetch(opener, url, read):
    try:
        with opener.open(url, timeout=60) as answer:
            if read:
                answer.read()
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()[:200]


@pytest.mark.slow
def test_a_burst_of_requests_under_ulimit_n_24_is_answered(tmp_path):
    db, _records = build_review_library(tmp_path)
    server = _review(db)
    try:
        url = re.search(r"http://\S+", server.stdout.readline()).group(0)
        root = url.split("/?")[0]
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        assert _fetch(opener, url, read=True) == 200
        ids = [item["id"] for item in json.loads(opener.open(root + "/api/items").read())["items"]]
        paths = [f"/{kind}/{ident}" for ident in ids for kind in ("thumb", "full")] + ["/", "/api/items"]
        for burst in range(5):
            with ThreadPoolExecutor(40) as pool:  # the odd ones given up before their answer is read
                given_up = list(pool.map(lambda n: _fetch(opener, root + paths[n % len(paths)], read=False),
                                         range(1, 80, 2)))
                answered = list(pool.map(lambda n: _fetch(opener, root + paths[n % len(paths)], read=True),
                                         range(0, 80, 2)))
            assert answered == [200] * 40, (burst, answered, given_up)
        fds = os.listdir(f"/proc/{server.pid}/fd")
        assert len(fds) < 12, fds  # (nothing left open once the burst is answered: it starts with 4)
    finally:
        server.send_signal(signal.SIGINT)
        _out, err = server.communicate(timeout=60)
    assert server.returncode == 130
    assert err == "", err
