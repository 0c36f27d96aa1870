"""An empty ``HOME`` refuses only what needs the home folder (test_empty_home.py): the review page of a library it
may write starts without a word of it and keeps its thumbnails beside the database; a cache folder named on
purpose (``XDG_CACHE_HOME``) takes the thumbnails a read-only folder cannot; ``HOME`` not set at all is not an
empty one (the home folder is then the account's). Found by mutation testing of xdg.missing_home and
review.thumbs.no_cache_folder."""
from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import subprocess
import sys
import urllib.request

from blurscan.review.app import create_app
from blurscan.review.thumbs import CACHE_DIR_NAME, cache_dir_for

from helpers_cli import run
from helpers_review import PORT, TOKEN, build_review_library
from helpers_signals import default_signals
from test_empty_home import WHY
from test_missing_home import _scanned
from test_missing_home_more import home_in_password_database
from test_review_thumbs_read_only import _thumb
import pytest


@pytest.mark.slow
def test_review_of_a_library_it_may_write_with_an_empty_home(tmp_path):
    db, _ = build_review_library(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "XDG_CACHE_HOME"}
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "review", "--db", str(db), "--no-browser",
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**env, "HOME": ""}, preexec_fn=default_signals)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Review page: http://127.0.0.1:"), (line, proc.stderr.read() if proc.poll() else "")
        url = line.split()[-1]
        base = url.split("/?")[0]
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        assert opener.open(url, timeout=30).status == 200
        items = json.loads(opener.open(f"{base}/api/items?filter=all", timeout=30).read())["items"]
        thumb = opener.open(f"{base}/thumb/{items[0]['id']}?v={items[0]['v']}", timeout=60)
        assert thumb.status == 200 and thumb.read(2) == b"\xff\xd8"
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
        said = proc.communicate(timeout=60)[1]  # (its pipes closed too)
    assert "note:" not in said and "HOME" not in said, said
    assert [p.suffix for p in (db.parent / CACHE_DIR_NAME).rglob("*.jpg")] == [".jpg"]  # (kept beside it)


def test_an_empty_home_with_xdg_cache_home_set_keeps_the_thumbnails_there(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    db, recs = build_review_library(tmp_path)
    thumbs = db.parent / CACHE_DIR_NAME
    thumbs.mkdir()
    thumbs.chmod(0o555)
    try:
        folder = cache_dir_for(db)
        app = create_app(db, TOKEN, port=PORT, thumbnailer=lambda p, n: b"\xff\xd8\xffjpeg of " + p.encode())
        _thumb(app, recs["blurry.jpg"].path)
    finally:
        thumbs.chmod(0o755)
    assert folder.is_relative_to(tmp_path / "cache" / "blurscan" / "thumbs")
    assert len(list(folder.rglob("*.jpg"))) == 1 and list(thumbs.iterdir()) == []


def test_home_not_set_is_not_an_empty_home(tmp_path, monkeypatch):
    """(The dry run: nothing is trashed, the account's home trash only checked.)"""
    lib = _scanned(tmp_path)
    monkeypatch.delenv("HOME", raising=False)  # (unset already under `env -u HOME`, cron, some CI)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    # the account's home, from the password database: one that exists (a build farm's nobody has /nonexistent,
    # said in test_missing_home_more.py)
    home_in_password_database(monkeypatch, tmp_path / "account")
    (tmp_path / "account").mkdir()
    dry = run("trash", "--all-blurry", lib)
    assert dry.exit_code == 0 and WHY not in dry.stderr and "HOME" not in dry.stderr, dry.stderr
