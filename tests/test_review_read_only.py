"""`blurscan review` on a database it cannot write (a read-only mount, a folder or file with no write bit, another
user's library), at start and while the page is open. At start it said "read-only, and the review page stores
your decisions in it: make the file and its folder writable": no reason, and advice a read-only mount cannot
follow; it now says why and what to do in the words of `move`, `trash`, `tag` and `scan --db`
(blurscan.dbfile.read_only_error). With the page open, a database made read-only since answered every request,
reads too, with a 400 naming the database only, after the selection had moved on; now the photos are still
shown, and a keep / discard, an undo or a keeper choice is answered 503 with the photo, what was not done and
why, and nothing is recorded. Real scans of generated bursts; made read-only with its mode (honoured by
blurscan as root, refused by the system otherwise), as an ordinary user, or by a read-only remount
(``unshare -rm``, skipped where not allowed)."""
from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from blurscan.dbfile import read_only_hint
from blurscan.review import security
from blurscan.review.app import create_app
from blurscan.store import Store
from helpers_cli import run
from helpers_review import BASE, CSRF, PORT, TOKEN
from helpers_os import skip_unless_in_a_mount_namespace
from test_db_read_only_messages import _library, _read_only_mount
from test_renamed_stale_burst import three_shot_burst

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _refused(db: Path, why: str) -> str:
    return (f"{db}: cannot write: the database is read-only: {why} "
            f"({read_only_hint('read-only file system' in why)})")


def _not_writable(path: Path) -> str:
    """The words for ``path`` (no write bit) from this user: root's mode rule, else the system's refusal."""
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if ROOT:
        return f"is read-only (mode {mode:04o}: no one may write it; blurscan honours that when run as root too)"
    return f"is not writable by this user: owner {pwd.getpwuid(os.stat(path).st_uid).pw_name}, mode {mode:04o}"


# -- at start -------------------------------------------------------------------------------------------------

def test_review_refuses_a_database_it_may_not_write_saying_why_and_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lib = _library(tmp_path)
    db = lib / ".blurscan.db"
    for target, mode, subject in ((lib, 0o555, f"its folder {lib}"), (db, 0o444, "the file")):
        target.chmod(mode)
        try:
            why = f"{subject} {_not_writable(target)}"
            for args in ((lib,), (lib / "2024",), ("--db", db)):
                result = run("review", *args, "--no-browser")
                # it said: "read-only, and the review page stores your decisions in it: make the file and its
                # folder writable"
                assert result.exit_code == 1 and result.output == f"Error: {_refused(db, why)}\n", result.output
        finally:
            target.chmod(0o755 if target == lib else 0o644)
    assert sorted(p.name for p in lib.iterdir()) == [".blurscan.db", "2024"]  # no -wal / -shm, no thumbnails


@pytest.mark.skipif(not ROOT, reason="needs root to become another user")
def test_review_of_another_users_library():
    from helpers_os import run_unprivileged, usual_umask

    base = Path(tempfile.mkdtemp(prefix="blurscan-ro-"))
    try:
        base.chmod(0o755)
        with usual_umask():
            lib = _library(base)
        db = lib / ".blurscan.db"
        home = base / "home"
        home.mkdir()
        os.chown(home, 65534, 65534)
        old = {key: os.environ.get(key) for key in ("HOME", "XDG_CACHE_HOME")}
        os.environ.update(HOME=str(home), XDG_CACHE_HOME=str(home / "cache"))
        try:
            result = run_unprivileged(lambda: (lambda r: [r.exit_code, r.output])(run("review", lib, "--no-browser")))
            hint = read_only_hint()  # (naming this XDG_CACHE_HOME's folder)
        finally:
            for key, value in old.items():
                os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
        mode = stat.S_IMODE(os.stat(db).st_mode)
        why = f"the file is not writable by this user: owner root, mode {mode:04o}"
        assert result == [1, f"Error: {db}: cannot write: the database is read-only: {why} ({hint})\n"], result
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_review_of_a_library_on_a_read_only_mount(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # (no cache-folder database of this user's)
    source, target = tmp_path / "disk", tmp_path / "mnt"
    target.mkdir()
    lib = _library(source)
    ran = _read_only_mount(source, target, sys.executable, "-m", "blurscan", "review", "--no-browser",
                           target / lib.name)
    if ran is None:
        pytest.skip("no read-only bind mount here (unshare -rm)")
    db = target / lib.name / ".blurscan.db"
    why = f"its folder {db.parent} is on a read-only file system"
    assert ran.returncode == 1 and ran.stderr == f"Error: {_refused(db, why)}\n", ran.stderr


# -- with the page open -----------------------------------------------------------------------------------------

def _client(db: Path):
    client = create_app(db, TOKEN, port=PORT).test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    "x".encode("idna")  # (the codec the test client's requests use, loaded before a child becomes nobody)
    return client


def _post(client, url: str, body: dict):
    r = client.post(url, json=body, base_url=BASE, headers=CSRF)
    return [r.status_code, r.get_json()]


def _state(db: Path) -> list:
    with Store(db, readonly=True) as store:
        return [[tuple(r) for r in store.conn.execute(sql)] for sql in (
            "SELECT path, decision FROM decisions ORDER BY path", "SELECT id, undone FROM decision_log",
            "SELECT path, rank, is_keeper, chosen_by FROM burst_groups ORDER BY path")]


def _writes_refused(client, lib: Path) -> dict:
    """With ``IMG_0001.jpg`` kept (change ``keep``), the database made read-only since: a discard, the keep's undo,
    a keeper choice and reads, as ``[status, JSON]`` each."""
    ident = {name: security.path_id(str(lib / name)) for name in ("IMG_0001.jpg", "IMG_0003.jpg")}
    out = {"discard": _post(client, "/api/decision", {"id": ident["IMG_0003.jpg"], "decision": "discard"}),
           "undo": _post(client, "/api/undo", {"change": KEEP[0]}),
           "undo_last": _post(client, "/api/undo", {}),
           "keeper": _post(client, f"/api/bursts/{GROUP[0]}/keeper", {"id": ident["IMG_0001.jpg"]})}
    for url in ("/api/items?filter=all", "/api/bursts", "/api/summary", f"/thumb/{ident['IMG_0003.jpg']}"):
        r = client.get(url, base_url=BASE)
        out[url] = [r.status_code, r.get_json() if r.is_json else r.mimetype]
    return out


KEEP, GROUP = [0], [0]  # (set by _kept: the keep's change, the burst's group)


def _kept(lib: Path):
    """A signed-in client of the burst library ``lib``, ``IMG_0001.jpg`` kept."""
    client = _client(lib / ".blurscan.db")
    with Store(lib / ".blurscan.db", readonly=True) as store:
        (GROUP[0],) = {g for (g,) in store.conn.execute("SELECT group_id FROM burst_groups")}
    status, body = _post(client, "/api/decision", {"id": security.path_id(str(lib / "IMG_0001.jpg")),
                                                   "decision": "keep"})
    assert status == 200, body
    KEEP[0] = body["change"]
    return client


def _check(out: dict, refused: str) -> None:
    """Each write answered 503 with the photo, what was not done and ``refused``; the page's reads answered."""
    assert out["discard"] == [503, {"error": f"IMG_0003.jpg: discard not recorded: {refused}"}], out["discard"]
    assert out["undo"] == [503, {"error": f"IMG_0001.jpg: keep not undone: {refused}"}], out["undo"]
    assert out["undo_last"] == [503, {"error": f"IMG_0001.jpg: keep not undone: {refused}"}], out["undo_last"]
    assert out["keeper"] == [503, {"error": f"IMG_0001.jpg: keeper not changed: {refused}"}], out["keeper"]
    status, items = out["/api/items?filter=all"]  # (the old page: 400, the database's error, for every read)
    assert status == 200 and {i["name"]: i["decision"] for i in items["items"]} == {
        "IMG_0001.jpg": "keep", "IMG_0002.jpg": None, "IMG_0003.jpg": None}, out
    assert out["/api/bursts"][0] == out["/api/summary"][0] == 200, out
    assert out["/api/summary"][1]["photos"] == 3, out
    assert out[next(k for k in out if k.startswith("/thumb/"))] == [200, "image/jpeg"], out


def test_a_database_made_read_only_while_the_page_is_open(tmp_path):
    lib = tmp_path / "lib"
    three_shot_burst(lib)
    client = _kept(lib)
    before = _state(lib / ".blurscan.db")
    lib.chmod(0o555)
    try:
        out = _writes_refused(client, lib)
        why = f"its folder {lib} {_not_writable(lib)}"
    finally:
        lib.chmod(0o755)
    _check(out, _refused(lib / ".blurscan.db", why))
    assert _state(lib / ".blurscan.db") == before  # nothing recorded
    # writable again: the same undo (the page keeps it to undo, answered 503) is done
    status, body = _post(client, "/api/undo", {"change": KEEP[0]})
    assert status == 200 and body["reverted"] == "keep" and body["decision"] is None, body


@pytest.mark.skipif(not ROOT, reason="needs root to become another user")
def test_another_users_database_made_read_only_while_the_page_is_open(monkeypatch):
    """As an ordinary user, the database file made read-only (``chmod 0444``): SQLite opens it read only without
    a word, so the write itself fails (not the opening, as above). The user 65534 is named nobody whatever this
    machine calls them (nfsnobody on older Red Hat systems, or nothing): the message names them."""
    from helpers_os import NOBODY, run_unprivileged, users_known

    users_known(monkeypatch, {NOBODY: ("nobody", NOBODY, [])})

    base = Path(tempfile.mkdtemp(prefix="blurscan-ro-"))
    try:
        base.chmod(0o755)
        lib = base / "lib"
        three_shot_burst(lib)
        for p in [lib, *lib.rglob("*")]:
            os.chown(p, 65534, 65534)
        db = lib / ".blurscan.db"
        client = _kept(lib)
        before = _state(db)

        def attempt():
            db.chmod(0o444)
            return _writes_refused(client, lib)

        out = run_unprivileged(attempt)
        why = "the file is not writable by this user: owner nobody, mode 0444"
        _check(out, _refused(db, why))
        assert _state(db) == before
    finally:
        shutil.rmtree(base, ignore_errors=True)


_REMOUNTED = r"""
import json, subprocess, sys
sys.path[:0] = json.loads(sys.argv[1])
from pathlib import Path
import test_review_read_only as t
lib = Path(sys.argv[2])
subprocess.run(["mount", "--bind", str(lib), str(lib)], check=True)
client = t._kept(lib)
subprocess.run(["mount", "-o", "remount,bind,ro", str(lib)], check=True)
print(json.dumps(t._writes_refused(client, lib)))
"""


def test_a_library_remounted_read_only_while_the_page_is_open(tmp_path):
    lib = tmp_path / "lib"
    three_shot_burst(lib)
    skip_unless_in_a_mount_namespace('mount --bind "$1" "$1"', lib, reason="no read-only bind mount here (unshare -rm)")
    before = _state(lib / ".blurscan.db")
    ran = subprocess.run(["unshare", "-rm", sys.executable, "-c", _REMOUNTED, json.dumps(sys.path), str(lib)],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    why = f"its folder {lib} is on a read-only file system"
    _check(json.loads(ran.stdout), _refused(lib / ".blurscan.db", why))
    with Store(lib / ".blurscan.db", readonly=True) as store:  # the keep made before the remount, and no more
        assert [tuple(r) for r in store.conn.execute("SELECT decision FROM decisions")] == [("keep",)]
    assert _state(lib / ".blurscan.db")[2] == before[2]
