"""A database whose path is not UTF-8 (a library folder named on another system, in Latin-1: b'Fr\\xe9jus') is
read as any other: the read-only open (``blurscan report``, the review page's thumbnail cleanup, the databases
seeding a scan, the keeps of other databases) names the file in an SQLite URI, which ``urllib.parse.quote`` of the
surrogate-escaped text could not encode: ``report`` ended in a UnicodeEncodeError traceback, and the review page
never removed an old thumbnail there. Real scans of generated JPEGs."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import blurscan
from blurscan.cli import main
from blurscan.config import ScanSettings
from blurscan.review import prune, security
from blurscan.review.app import create_app
from blurscan.review.thumbs import THUMB_LONG_SIDE, ThumbCache, cache_dir_for
from blurscan.store import Store

from helpers_images import save_jpeg, textured
from helpers_review import BASE, PORT, TOKEN

pytestmark = pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names must be UTF-8")


def _folder(tmp_path: Path) -> Path:
    folder = Path(os.fsdecode(os.fsencode(str(tmp_path)) + b"/Fr\xe9jus"))
    try:
        folder.mkdir(parents=True)
    except OSError as exc:  # a file system that takes UTF-8 names only
        pytest.skip(f"cannot make a folder whose name is not UTF-8: {exc}")
    return folder


def _scan(root: Path, db: Path) -> None:
    list(blurscan.scan([root], ScanSettings(workers=1, model="none"), db=db))


def test_report_reads_a_database_whose_path_is_not_utf8(tmp_path):
    root = _folder(tmp_path)
    photos = [save_jpeg(root / f"IMG_{i}.jpg", textured(i)) for i in range(2)]
    _scan(root, root / ".blurscan.db")
    with Store(root / ".blurscan.db", readonly=True) as store:
        assert store.conn.execute("SELECT count(*) FROM images").fetchone()[0] == 2
    result = CliRunner().invoke(main, ["report", str(root), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert sorted(line.count("IMG_") for line in result.stdout.splitlines()) == [1, 1]
    assert all(photo.is_file() for photo in photos)


def test_old_thumbnails_are_removed_in_a_folder_whose_name_is_not_utf8(tmp_path):
    """The page's database and another one beside it (``--db``) in such a folder: the old thumbnail of an edited
    photo goes, the current ones of both databases stay."""
    root = _folder(tmp_path)
    photos = [save_jpeg(root / f"IMG_{i}.jpg", textured(i)) for i in range(2)]
    other_root = _folder(tmp_path / "x")
    other_photo = save_jpeg(other_root / "IMG_9.jpg", textured(9))
    db, other_db = root / ".blurscan.db", root / os.fsdecode(b"\xe9t\xe9.db")
    _scan(root, db)
    _scan(other_root, other_db)
    for database, shown in ((db, photos), (other_db, [other_photo])):
        client = create_app(database, TOKEN, port=PORT).test_client()
        assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
        for photo in shown:
            assert client.get(f"/thumb/{security.path_id(str(photo))}", base_url=BASE).status_code == 200
    cache = cache_dir_for(db)
    assert cache == cache_dir_for(other_db)
    st = photos[1].stat()
    old = ThumbCache(cache).file_for(str(photos[1]), st.st_size, st.st_mtime_ns, THUMB_LONG_SIDE)
    hour_ago = st.st_mtime - 3600
    for file in cache.glob("*/*.jpg"):
        os.utime(file, (hour_ago, hour_ago))
    save_jpeg(photos[1], textured(99))
    os.utime(photos[1], (st.st_mtime + 5, st.st_mtime + 5))
    _scan(root, db)
    kept = {f for f in cache.glob("*/*.jpg")} - {old}
    assert old.is_file() and len(kept) == 2
    done = prune.prune(db, cache)
    assert done.skipped is None and (done.removed, done.kept) == (1, 2)
    assert not old.exists() and {f for f in cache.glob("*/*.jpg")} == kept


def test_a_scan_of_the_parent_reuses_a_sub_folder_database_whose_path_is_not_utf8(tmp_path):
    """`scan lib` after `scan lib/Fréjus` (Latin-1): the sub-folder's database seeds the new one; the scan ended
    in a UnicodeEncodeError traceback when it looked whether that database could be read."""
    sub = _folder(tmp_path / "lib")
    save_jpeg(sub / "IMG_0.jpg", textured(3))
    _scan(sub, sub / ".blurscan.db")
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "lib"), "--model", "none", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "(1 unchanged, reused)" in result.stderr
