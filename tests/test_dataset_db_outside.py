"""The README's advice for an ML dataset (its *Cleaning an image dataset*): with the database kept outside the
dataset (`--db data/train.blurscan.db`), scan, review, move and undo write nothing into `data/train`, whose every
folder torchvision's `ImageFolder` takes for a class (a `.blurscan-thumbs` there would be class 0). The documented
commands, run as documented, the review page as a real server whose thumbnails go beside the database. A guard:
it passes on the code before the docs change too (but for `--min-p-blurry`, added just before)."""
from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import subprocess
import sys
import urllib.request

from helpers_cli import run
from helpers_images import blurred, save_png, textured
from helpers_signals import default_signals
import pytest


def _tree(folder):
    return sorted(os.path.relpath(os.path.join(top, name), folder)
                  for top, dirs, files in os.walk(folder) for name in dirs + files)


def _review_one_thumbnail(db):
    """`blurscan review --db DB --no-browser` as a user starts it; one thumbnail fetched as the page does."""
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "review", "--db", str(db), "--no-browser",
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_signals)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Review page: http://127.0.0.1:"), (line, proc.stderr.read() if proc.poll() else "")
        url = line.split()[-1]
        base = url.split("/?")[0]
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        assert opener.open(url, timeout=30).status == 200
        items = json.loads(opener.open(f"{base}/api/items?filter=all", timeout=30).read())["items"]
        assert items
        thumb = opener.open(f"{base}/thumb/{items[0]['id']}?v={items[0]['v']}", timeout=60)
        assert thumb.status == 200 and thumb.read(2) == b"\xff\xd8"
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=60)  # (its pipes closed too)


@pytest.mark.slow
def test_the_documented_dataset_commands_leave_the_dataset_tree_as_it_was(tmp_path, monkeypatch):
    data = tmp_path / "data"
    for i, (cls, sigma) in enumerate([("cat", 0), ("cat", 3.0), ("dog", 0), ("dog", 3.0)]):
        img = textured(i, (128, 128))
        save_png(data / "train" / cls / f"{i}.png", blurred(img, sigma) if sigma else img)
    before = _tree(data / "train")
    monkeypatch.chdir(tmp_path)  # the README's relative paths
    db = "data/train.blurscan.db"
    assert run("scan", "data/train", "--db", db, "--workers", 1).exit_code == 0
    _review_one_thumbnail(db)
    assert list((data / ".blurscan-thumbs").rglob("*.jpg"))  # beside the database, outside the dataset
    dry = run("move", "--db", db, "--min-p-blurry", 0.9, "--to", "data/rejects")
    assert dry.exit_code == 0 and "[p_blurry 0." in dry.stdout, dry.output
    moved = run("move", "--db", db, "--min-p-blurry", 0.9, "--to", "data/rejects", "--yes")
    assert moved.exit_code == 0, moved.output
    assert {p.parent.name for p in (data / "rejects").rglob("*.png")} == {"cat", "dog"}
    assert run("undo", "--db", db).exit_code == 0
    assert _tree(data / "train") == before  # no .blurscan.db, no .blurscan-thumbs, no lock: only the classes
    assert sorted(os.listdir(data)) == [".blurscan-thumbs", "train", "train.blurscan.db",
                                        "train.blurscan.db.actions.lock"]
