"""A library shared by several users of one machine (a family NAS, a lab server): a set-group-ID folder of a
group they all belong to, each working under umask 002. What one user's blurscan makes there must be usable by
the others where the umask says so. The two-user tests run as root and become two other users in forked
children; they are skipped otherwise."""
from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.review.app import create_app
from helpers_images import save_jpeg, textured
from helpers_os import run_unprivileged
from helpers_review import BASE, PORT, TOKEN, _get

GROUP = 65530  # (a group number no one else uses: the group of the shared library)
USERS = (65531, 65532)  # (two users of that group, alice and bob)

as_root = pytest.mark.skipif(not (hasattr(os, "geteuid") and os.geteuid() == 0),
                             reason="becomes two other users (root only)")


@pytest.fixture
def shared():
    """``base/lib``: a set-group-ID folder of :data:`GROUP`, mode 2775, with three photos; each user's own cache
    folder beside it. ``base`` is open to every user (pytest's own folder is root's 0700 when run as root)."""
    base = Path(tempfile.mkdtemp(prefix="blurscan-shared-"))
    base.chmod(0o755)
    lib = base / "lib"
    lib.mkdir()
    for i in range(3):
        save_jpeg(lib / f"p{i}.jpg", textured(i, (120, 160)))
        os.chmod(lib / f"p{i}.jpg", 0o664)
    if os.geteuid() == 0:
        for path in (lib, *lib.iterdir()):
            os.chown(path, USERS[0], GROUP)
        for uid in USERS:
            (base / f"cache-{uid}").mkdir(mode=0o700)
            os.chown(base / f"cache-{uid}", uid, GROUP)
    lib.chmod(0o2775)
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _invoke(base, *args):
    out = CliRunner().invoke(main, [str(a) for a in args],
                             env={"XDG_CACHE_HOME": str(base / f"cache-{os.geteuid()}")})
    crashed = "" if out.exception is None or isinstance(out.exception, SystemExit) else repr(out.exception)
    return [out.exit_code, out.stdout, out.stderr + crashed]


_warmed: list[bool] = []


def _warm_up() -> None:
    """Run scan, report and the review page once in this process, so that the modules they import lazily (rich's,
    the standard library's) are loaded before a child becomes another user, who may not read them (an
    interpreter under root's home). Once."""
    if _warmed:
        return
    _warmed.append(True)
    import encodings.utf_8_sig  # noqa: F401  (the sidecars' reader)
    folder = Path(tempfile.mkdtemp(prefix="blurscan-warm-"))
    try:
        save_jpeg(folder / "p.jpg", textured(9, (120, 160)))
        for args in (["scan", folder, "--workers", "1", "--model", "none"], ["report", folder, "--format", "jsonl"]):
            CliRunner().invoke(main, [str(a) for a in args])
        _show_all_thumbnails(str(folder / ".blurscan.db"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def as_user(uid: int, fn, umask: int = 0o002):
    """``fn()`` called in a forked child that has become user ``uid`` of :data:`GROUP` (when run as root) under
    ``umask``; what it returned (JSON-serialisable)."""
    _warm_up()
    return run_unprivileged(fn, [GROUP], uid=uid, gid=GROUP, umask=umask)


def test_a_new_database_gets_the_mode_new_files_get(shared):
    """Under umask 002 the library's new database is group-writable (0664), as any file made there; SQLite alone
    made it 0644 whatever the umask (until 2026-12-06). Its -wal and -shm files take its mode."""
    from blurscan.store import Store

    lib = shared / "lib"
    code, _out, err = as_user(USERS[0], lambda: _invoke(shared, "scan", lib, "--workers", "1", "--model", "none"))
    assert code == 0, err
    db = lib / ".blurscan.db"
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o664, err
    with Store(db):
        for side in ("-wal", "-shm"):
            assert stat.S_IMODE(os.stat(f"{db}{side}").st_mode) == 0o664


@as_root
def test_a_second_user_of_the_group_scans_into_the_librarys_database(shared):
    """alice scans the shared library first; bob's scan then uses its database (and so do his decisions and
    batches), not one of his own in his cache folder with a note that the library's is read-only."""
    lib = shared / "lib"
    first = as_user(USERS[0], lambda: _invoke(shared, "scan", lib, "--workers", "1", "--model", "none"))
    assert first[0] == 0, first
    save_jpeg(lib / "p3.jpg", textured(3, (120, 160)))
    os.chown(lib / "p3.jpg", USERS[1], GROUP)
    second = as_user(USERS[1], lambda: _invoke(shared, "scan", lib, "--workers", "1", "--model", "none"))
    assert second[0] == 0, second
    assert "read-only" not in second[2] and f"database: {lib / '.blurscan.db'}" in second[2], second[2]
    assert not os.listdir(shared / f"cache-{USERS[1]}")
    listed = as_user(USERS[0], lambda: _invoke(shared, "report", lib, "--format", "jsonl"))
    assert listed[0] == 0 and len(listed[1].splitlines()) == 4, listed


def _show_all_thumbnails(db: str) -> int:
    """Open the review page of ``db`` (its own server, as a ``blurscan review`` does) and ask for each thumbnail
    its grid shows; how many were served."""
    client = create_app(db, TOKEN, port=PORT).test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    items = _get(client, "/api/items?filter=all").get_json()["items"]
    return sum(_get(client, f"/thumb/{item['id']}?v={item['v']}").status_code == 200 for item in items)


def test_thumbnails_are_kept_for_the_other_users_of_the_library(shared):
    """The thumbnails one user's review page keeps in the library's ``.blurscan-thumbs`` get the mode any new
    file gets (0664 under umask 002), so another member's page serves them as they are; they were mkstemp's 0600,
    and each member's page made every thumbnail again, replacing the other's with its own (until 2026-12-06)."""
    lib = shared / "lib"
    db = str(lib / ".blurscan.db")
    assert as_user(USERS[0], lambda: _invoke(shared, "scan", lib, "--workers", "1", "--model", "none"))[0] == 0
    assert as_user(USERS[0], lambda: _show_all_thumbnails(db)) == 3
    thumbs = [os.path.join(d, f) for d, _, fs in os.walk(lib / ".blurscan-thumbs") for f in fs]
    assert len(thumbs) == 3 and all(stat.S_IMODE(os.stat(t).st_mode) == 0o664 for t in thumbs)
    made = {t: os.stat(t).st_ino for t in thumbs}
    assert as_user(USERS[1], lambda: _show_all_thumbnails(db)) == 3
    assert {t: os.stat(t).st_ino for t in thumbs} == made  # (served from the cache: none made again)


XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="3"/></rdf:RDF>'
       b'</x:xmpmeta>\n')


def _discard(db, paths) -> int:
    """Mark ``paths`` discard, as the review page does."""
    from blurscan.review.decisions import set_decision
    from blurscan.store import Store

    with Store(db) as store:
        for path in paths:
            set_decision(store, path, "discard")
    return len(paths)


@as_root
def test_another_member_undoes_a_tag_batch_merging_sidecars(shared):
    """alice tags the library, merging into a sidecar of hers (0664); bob undoes the batch: the sidecar's previous
    bytes come back. Their copy was 0600 in a 0700 folder (until 2026-12-06): bob's undo removed the sidecars
    the batch had created and left the merged one changed, 'cannot be read: permission denied'."""
    lib = shared / "lib"
    sidecar = lib / "p0.jpg.xmp"
    sidecar.write_bytes(XMP)
    os.chown(sidecar, USERS[0], GROUP)
    sidecar.chmod(0o664)
    assert as_user(USERS[0], lambda: _invoke(shared, "scan", lib, "--workers", "1", "--model", "none"))[0] == 0
    as_user(USERS[0], lambda: _discard(lib / ".blurscan.db", [str(lib / "p0.jpg"), str(lib / "p1.jpg")]))
    tagged = as_user(USERS[0], lambda: _invoke(shared, "tag", "--xmp", lib, "--yes"))
    assert tagged[0] == 0 and "1 sidecar merged" in tagged[1] + tagged[2], tagged
    assert sidecar.read_bytes() != XMP
    undone = as_user(USERS[1], lambda: _invoke(shared, "undo", lib))
    assert undone[0] == 0 and "could not" not in undone[1] + undone[2], undone
    assert sidecar.read_bytes() == XMP and not os.path.exists(lib / "p1.jpg.xmp")
