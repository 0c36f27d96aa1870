"""The review page's thumbnail cache cleans itself up: a thumbnail's name is a hash of the photo's path, size,
modification time and the thumbnail size, so an edited, renamed, moved or deleted photo left its old thumbnail
behind for ever (``ThumbCache.prune`` existed but nothing called it). ``blurscan review`` now removes, in the
background, the cached thumbnails no photo of the database (nor of another blurscan database sharing the
folder) uses, and nothing else: not a file or folder a person put there, not a symbolic link, not a folder with
no write bit. Real stores made by real scans of generated JPEGs, thumbnails made by the page itself."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import blurscan
from blurscan.config import ScanSettings
from blurscan.review import security
from blurscan.review.app import create_app
from blurscan.review.thumbs import THUMB_LONG_SIDE, ThumbCache, cache_dir_for

from helpers_images import save_jpeg, textured
from helpers_review import BASE, PORT, TOKEN
from helpers_signals import default_signals
from helpers_sqlite import connected

HOUR_AGO = time.time() - 3600
JPEG = b"\xff\xd8\xff\xe0 a person's own picture"


def _scan(root: Path, db: Path) -> None:
    list(blurscan.scan([root], ScanSettings(workers=1, model="none"), db=db))


def _library(tmp_path: Path, name: str = "lib", db: Path | None = None, n: int = 3) -> tuple[Path, list[Path]]:
    """Photos scanned into ``db`` (default ``.blurscan.db`` in the library) and every thumbnail made by the page
    (its own decoder), all dated an hour ago (made at an earlier session)."""
    root = tmp_path / name
    photos = [save_jpeg(root / f"IMG_{i}.jpg", textured(i + ord(name[0]))) for i in range(n)]
    db = db or root / ".blurscan.db"
    _scan(root, db)
    _thumbnails(db, photos)
    return db, photos


def _thumbnails(db: Path, photos: list[Path]) -> None:
    app = create_app(db, TOKEN, port=PORT)
    client = app.test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    for photo in photos:
        r = client.get(f"/thumb/{security.path_id(str(photo))}", base_url=BASE)
        assert r.status_code == 200 and r.data[:3] == b"\xff\xd8\xff", (photo, r.status_code)
    for file in Path(app.config["BLURSCAN_THUMBS"]).glob("*/*.jpg"):
        os.utime(file, (HOUR_AGO, HOUR_AGO))


def _cached(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in folder.glob("??/*.jpg")
            if f.is_file() and not f.is_symlink() and not f.parent.is_symlink()}


def _edit(photo: Path, seed: int) -> None:
    before = photo.stat().st_mtime_ns
    save_jpeg(photo, textured(seed))
    os.utime(photo, ns=(before + 5 * 10**9, before + 5 * 10**9))  # (a coarse clock cannot hide the edit)


def _foreign(cache: Path, outside: Path) -> tuple[dict[str, bytes], str]:
    """What a person (or another program) put in the cache folder, thumbnail-like names included; returns
    relative path -> bytes of the files (links included, read through), and the name of the link made there to
    a folder outside (two hex digits, as a thumbnail sub-folder's; one the thumbnails do not use already)."""
    sub = next(p for p in sorted(cache.iterdir()) if p.is_dir())
    h = sub.name
    link = next(c * 2 for c in "edcba9876543210f" if not (cache / (c * 2)).exists())
    outside.mkdir()
    (outside / "IMG_9.jpg").write_bytes(JPEG)
    (outside / link).mkdir()
    (outside / link / (link[0] * 32 + ".jpg")).write_bytes(JPEG)
    made = {
        "README.txt": b"my notes",
        f"{h}/mine.jpg": JPEG,
        f"{h}/{'0' * 32}.jpg" if h != "00" else f"{h}/{'1' * 32}.jpg": JPEG,  # a thumbnail name in the wrong folder
        f"{h}/{h}{'9' * 30}.jpg": b"not a JPEG at all",  # the right name, but not a picture
        f"{h}/{h}{'8' * 30}.jpeg": JPEG,
        f"notes/{h}{'7' * 30}.jpg": JPEG,  # a folder that is not two hex digits
        f"{h.upper()}x/{h}{'6' * 30}.jpg": JPEG,
    }
    for rel, data in made.items():
        (cache / rel).parent.mkdir(parents=True, exist_ok=True)
        (cache / rel).write_bytes(data)
        os.utime(cache / rel, (HOUR_AGO, HOUR_AGO))
    (cache / h / (h + "5" * 30 + ".jpg")).mkdir()  # a folder named as a thumbnail
    os.symlink(outside / "IMG_9.jpg", cache / h / (h + "4" * 30 + ".jpg"))  # a link named as a stale thumbnail
    os.symlink(outside / link, cache / link)  # a link named as a sub-folder, to a folder with a thumbnail name
    os.symlink(outside / "IMG_9.jpg", cache / h / ".tmp-linked01.jpg")  # a link named as an interrupted write
    for old in (cache / h / (h + "5" * 30 + ".jpg"), cache / h / (h + "4" * 30 + ".jpg"), cache / link,
                cache / h / ".tmp-linked01.jpg",
                outside / "IMG_9.jpg", outside / link / (link[0] * 32 + ".jpg")):  # all made long ago
        os.utime(old, (HOUR_AGO, HOUR_AGO), follow_symlinks=False)
    return made, link


def _tmp_files(cache: Path) -> tuple[Path, Path]:
    sub = next(p for p in sorted(cache.iterdir()) if p.is_dir() and len(p.name) == 2 and not p.is_symlink())
    old, new = sub / ".tmp-abcd_123.jpg", sub / ".tmp-xyz98765.jpg"
    old.write_bytes(b"\xff\xd8")  # an interrupted write, long ago
    os.utime(old, (HOUR_AGO, HOUR_AGO))
    new.write_bytes(b"\xff\xd8")  # being written (a RAW's thumbnail can take a while)
    os.utime(new, (time.time() - 300, time.time() - 300))
    return old, new


def _stale_after_edit(tmp_path: Path):
    """A library whose photo IMG_1 was edited and scanned again, its new thumbnail made: returns the database,
    the cache folder, the edited photo's old thumbnail and the thumbnails there (relative path -> bytes)."""
    db, photos = _library(tmp_path)
    cache = cache_dir_for(db)
    st = photos[1].stat()
    old = ThumbCache(cache).file_for(str(photos[1]), st.st_size, st.st_mtime_ns, THUMB_LONG_SIDE)
    assert old.read_bytes()[:3] == b"\xff\xd8\xff" and len(_cached(cache)) == 3
    _edit(photos[1], 99)
    _scan(db.parent, db)
    _thumbnails(db, [photos[1]])  # the edited photo's new thumbnail
    thumbs = _cached(cache)
    assert len(thumbs) == 4 and old.is_file()  # the old one is left behind
    return db, cache, old, thumbs


@pytest.mark.slow
def test_review_removes_the_thumbnail_of_an_edited_photo_and_nothing_else(tmp_path):
    db, cache, old, thumbs = _stale_after_edit(tmp_path)
    made, link = _foreign(cache, tmp_path / "outside")
    old_tmp, new_tmp = _tmp_files(cache)
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "review", str(db.parent), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_signals)
    try:
        assert proc.stdout.readline().startswith("Review page: http://127.0.0.1:")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (old.exists() or old_tmp.exists()):
            time.sleep(0.1)
        time.sleep(0.3)  # (anything else it would remove, it has removed by now)
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
        err = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=60)  # (its pipes closed too)
    assert (proc.returncode, err) == (130, ""), err
    assert not old.exists()  # the edited photo's old thumbnail: removed
    rest = _cached(cache)
    for rel, data in thumbs.items():  # the current thumbnails kept, byte for byte
        if cache / rel != old:
            assert rest.pop(rel) == data, rel
    for rel, data in made.items():  # a person's files kept
        assert (cache / rel).read_bytes() == data, rel
        rest.pop(rel, None)
    assert not old_tmp.exists() and rest.pop(str(new_tmp.relative_to(cache))) == b"\xff\xd8"
    assert rest == {}  # an interrupted write of long ago removed, not one going on
    assert (cache / link).is_symlink() and len(list(cache.glob(f"*/*{'4' * 30}.jpg"))) == 1  # links kept
    assert len([p for p in cache.glob("??/.tmp-linked01.jpg") if p.is_symlink()]) == 1  # an old one too
    assert (tmp_path / "outside" / "IMG_9.jpg").read_bytes() == JPEG  # and what they lead to
    assert (tmp_path / "outside" / link / (link[0] * 32 + ".jpg")).read_bytes() == JPEG
    assert [p.is_dir() for p in cache.glob(f"??/*{'5' * 30}.jpg")] == [True]  # a folder named as a thumbnail


def _cache_folder_db(tmp_path: Path, name: str) -> Path:
    """Where `blurscan scan` keeps the database of a library it may not write (one per library, all in one
    folder): such databases share one thumbnail folder."""
    from blurscan.cli.locate import _fallback_db

    db = _fallback_db(tmp_path / name)
    db.parent.mkdir(parents=True, exist_ok=True)
    return db


def test_databases_sharing_the_folder_keep_their_thumbnails(tmp_path, monkeypatch):
    from blurscan.review.prune import prune

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    db_a, photos_a = _library(tmp_path, "a", _cache_folder_db(tmp_path, "a"))
    db_b, photos_b = _library(tmp_path, "b", _cache_folder_db(tmp_path, "b"))
    cache = cache_dir_for(db_a)
    assert cache == cache_dir_for(db_b) and db_a.parent == db_b.parent != tmp_path / "a"
    thumbs = _cached(cache)
    assert len(thumbs) == 6
    photos_b[0].unlink()  # deleted by hand, and forgotten by the next scan of b
    _scan(tmp_path / "b", db_b)
    gone = [rel for rel in thumbs if not _listed(rel, [db_a, db_b])]
    assert len(gone) == 1
    (db_a.parent / "photos.db").write_bytes(b"")  # another program's database, beside them
    with connected(db_a.parent / "photos.db") as conn:
        conn.execute("CREATE TABLE photos (path TEXT, size INTEGER)")
        conn.execute("INSERT INTO photos VALUES ('/x.jpg', 3)")
    done = prune(db_a, cache)
    assert (done.removed, done.kept, done.skipped) == (1, 5, None)
    assert _cached(cache) == {rel: data for rel, data in thumbs.items() if rel not in gone}


def _listed(rel: str, dbs: list[Path]) -> bool:
    from blurscan.store import Store

    for db in dbs:
        with Store(db, readonly=True) as store:
            for path, size, mtime_ns in store.conn.execute("SELECT path, size, mtime_ns FROM images"):
                if ThumbCache(Path("/")).file_for(path, size, mtime_ns) == Path("/", rel):
                    return True
    return False


@pytest.mark.parametrize("case", ["unreadable", "newer"])
def test_a_database_beside_that_cannot_be_read_keeps_everything(tmp_path, case):
    from blurscan.review.prune import prune

    db, cache, old, thumbs = _stale_after_edit(tmp_path)
    other = db.parent / "other.db"
    if case == "unreadable":  # an SQLite header, then garbage: it may be a database using these thumbnails
        other.write_bytes(b"SQLite format 3\x00" + b"\x07" * (4096 - 16))  # (whole pages, as SQLite writes)
    else:  # written by a newer blurscan: which thumbnails it uses is unknown
        _scan(tmp_path / "lib", other)
        with connected(other) as conn:
            conn.execute("PRAGMA user_version = 99")
    done = prune(db, cache)
    assert done.removed == 0 and str(other) in done.skipped, done
    assert _cached(cache) == thumbs and old.is_file()
    from blurscan.review import prune as prune_module

    said = []  # what `blurscan review` prints on stderr: the cleanup is off until that file is dealt with
    prune_module.start(db, cache, say=said.append).join(timeout=60)
    assert said == [f"note: old thumbnails in {cache} are not removed: {done.skipped}"], said


def test_a_thumbnail_written_while_it_runs_is_kept(tmp_path):
    """A thumbnail written since the keys were read may be that of a photo scanned meanwhile: kept."""
    from blurscan.review.prune import prune

    db, cache, old, thumbs = _stale_after_edit(tmp_path)
    # as if written as it runs: its time a minute ahead (set to now, it was one more than 2 s old when the prune
    # began on a loaded machine, and removed)
    os.utime(old, (time.time() + 60, time.time() + 60))
    assert prune(db, cache).removed == 0 and old.is_file()
    os.utime(old, (HOUR_AGO, HOUR_AGO))
    assert prune(db, cache).removed == 1 and not old.exists()
    assert _cached(cache) == {rel: data for rel, data in thumbs.items() if cache / rel != old}


def test_a_folder_no_one_may_write_is_left_alone(tmp_path):
    """(As root, by blurscan's rule: no write bit for anyone; for another user, by the system.)"""
    from blurscan.review.prune import prune

    db, cache, old, thumbs = _stale_after_edit(tmp_path)
    for folder in (old.parent, cache):
        folder.chmod(0o555)
        try:
            done = prune(db, cache)
        finally:
            folder.chmod(0o755)
        assert done.removed == 0 and old.is_file(), (folder, done)
    assert _cached(cache) == thumbs
    assert prune(db, cache).removed == 1 and not old.exists()


def test_files_beside_that_cannot_be_sqlite_are_not_read(tmp_path, monkeypatch):
    """A file beside the database whose size is no whole number of 512-byte pages cannot be an SQLite database: it
    is not opened (a video on a mount that fetches files on demand was downloaded to read 16 bytes)."""
    import builtins

    from blurscan.review.prune import prune

    db, cache, old, _ = _stale_after_edit(tmp_path)
    (db.parent / "clip.bin").write_bytes(b"\x00" * 1000)
    opened, real_open = [], builtins.open
    monkeypatch.setattr(builtins, "open", lambda f, *a, **k: opened.append(os.fspath(f)) or real_open(f, *a, **k))
    done = prune(db, cache)
    monkeypatch.undo()
    assert str(db.parent / "clip.bin") not in opened
    assert done.removed == 1 and not old.exists(), done
