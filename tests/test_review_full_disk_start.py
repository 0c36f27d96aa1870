"""`blurscan review` of a library whose disk is full (here a file-size limit, SIGXFSZ ignored: SQLite cannot size
its ``-shm`` file, as on a full disk). Until 2026-12-06 it refused to start ("cannot use database: disk I/O
error") while `report` listed the same library; it now opens the page on the database read only, as when the
database stops being writable while the page is open: the photos shown, each keep or discard refused with the
reason, nothing recorded, a note saying so when it starts."""
from __future__ import annotations

import http.cookiejar
import json
import signal
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from blurscan.review import security
from blurscan.schema import SCHEMA_VERSION
from blurscan.store import Store
from helpers_review import build_review_library
from helpers_signals import default_signals

resource = pytest.importorskip("resource")


def _no_room():
    default_signals()
    resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))


@pytest.mark.slow
def test_review_on_a_full_disk_shows_the_photos_and_refuses_decisions(tmp_path):
    db, _ = build_review_library(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "review", "--db", str(db), "--no-browser",
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_no_room)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Review page: http://127.0.0.1:"), (line, proc.stderr.read() if proc.poll() else "")
        url = line.split()[-1]
        base, token = url.split("/?")[0], url.split("token=")[1]
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with opener.open(url, timeout=30) as page:
            assert page.status == 200
        with opener.open(f"{base}/api/items?filter=all", timeout=30) as listed:
            items = json.loads(listed.read())["items"]
        shown = [it for it in items if it["status"] == "ok"]
        assert len(shown) == 5
        with opener.open(f"{base}/thumb/{shown[0]['id']}?v={shown[0]['v']}", timeout=60) as thumb:
            assert thumb.status == 200 and thumb.read(2) == b"\xff\xd8"
        body = json.dumps({"id": shown[0]["id"], "decision": "discard", "v": shown[0]["v"]}).encode()
        request = urllib.request.Request(f"{base}/api/decision", data=body, method="POST", headers={
            "Content-Type": "application/json", "Origin": base, security.CSRF_HEADER: security.csrf_token(token)})
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(request, timeout=30)
        assert refused.value.code == 503
        with refused.value:
            reply = json.loads(refused.value.read())["error"]
        assert reply.startswith(f"{shown[0]['name']}: discard not recorded: {db}: cannot use database"), reply
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert f"note: {db}: cannot use database: disk I/O error; the page shows the photos, but records no keep or " \
           "discard until the database can be written again" in err, err
    with Store(db, readonly=True) as store:
        assert store.conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(".blurscan.db")) == [".blurscan.db"]


@pytest.mark.slow
def test_review_on_a_full_disk_of_a_database_it_would_upgrade_does_not_start(tmp_path):
    """A database at an older schema (3: before ``replaced_keeps``) must be upgraded before the page uses it, and
    the upgrade cannot be written: the page does not start on it read only; the database is left at its schema.
    The error says so (until 2026-12-06 only ``DB: cannot use database: disk I/O error``)."""
    db, _ = build_review_library(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE replaced_keeps")
        conn.execute("PRAGMA user_version = 3")
    conn.close()
    result = subprocess.run([sys.executable, "-m", "blurscan", "review", "--db", str(db), "--no-browser", "--port",
                             "0"], capture_output=True, text=True, preexec_fn=_no_room,
                            timeout=20)  # (a page that started: killed, the test failed)
    assert result.returncode == 1 and "Review page" not in result.stdout, result.stdout
    assert result.stderr.strip() == f"Error: {db}: cannot use database: it needs an upgrade (schema version 3 to " \
        f"{SCHEMA_VERSION}) before the review page can use it, and the upgrade cannot be written (cannot use " \
        "database: disk I/O error); free some room on its disk, or make it writable, and start the page again", \
        result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(".blurscan.db")) == [".blurscan.db"]
