"""The records of a managed library's originals (an Apple Photos library) that a walk of the folder above passes
over (blurscan.managed, blurscan.pruning): ``blurscan scan ~/Pictures`` says to name the library to score its
originals, and ``blurscan scan "~/Pictures/Photos Library.photoslibrary"`` (the database of ~/Pictures) did; the
next ``blurscan scan ~/Pictures`` forgot every one of them without a word (report and the review page lost them,
and naming the library again decoded each photo afresh). The same befell a database an older release wrote, which
scored the library's originals and thumbnails in the walk: the originals' records (and the photos' place in report
and on the review page beside the decisions made on them) went. Their records now stay while their files are
there; the thumbnails' are forgotten."""
from __future__ import annotations

import sqlite3

from helpers_cli import jsonl, run
from helpers_sqlite import connected
from test_walk_managed_libraries import PHOTOS, _pictures, _scan

ORIGINALS = ("originals/A/A1B2C3D4-0001.jpeg", "originals/B/B1B2C3D4-0002.jpeg")
THUMB = "resources/derivatives/A/A1B2C3D4-0001_1_105_c.jpeg"


def _reported(pics):
    res = run("report", pics, "--format", "jsonl")
    assert res.exit_code == 0, res.output
    return sorted(r["path"] for r in jsonl(res.stdout))


def test_a_named_librarys_records_stay_when_the_folder_above_is_scanned_again(tmp_path):
    pics = _pictures(tmp_path / "Pictures")
    _, err = _scan(pics)
    assert "an Apple Photos library, passed over" in err and "name it to score its originals" in err
    _scan(pics / PHOTOS)  # (the advice: its database is that of Pictures, the folder above)
    originals = [str(pics / PHOTOS / name) for name in ORIGINALS]
    assert set(originals) <= set(_reported(pics))
    _scan(pics)
    assert set(originals) <= set(_reported(pics))  # (forgotten before the fix)
    _, err = _scan(pics / PHOTOS)
    assert "(2 unchanged, reused)" in err, err  # not decoded afresh
    (pics / PHOTOS / ORIGINALS[1]).unlink()  # deleted in Photos: forgotten by the next scan, as any photo
    _scan(pics)
    reported = _reported(pics)
    assert originals[0] in reported and originals[1] not in reported


def test_an_older_releases_records_of_a_photos_library_keep_its_originals_and_forget_its_thumbnails(tmp_path):
    pics = _pictures(tmp_path / "Pictures")
    _scan(pics, pics / PHOTOS)
    db = pics / ".blurscan.db"
    # an older release walked into the library: a thumbnail scored too (its row as that release wrote it)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    row = dict(conn.execute("SELECT * FROM images WHERE path = ?", (str(pics / PHOTOS / ORIGINALS[0]),)).fetchone())
    st = (pics / PHOTOS / THUMB).stat()
    row.update(path=str(pics / PHOTOS / THUMB), size=st.st_size, mtime_ns=st.st_mtime_ns)
    conn.execute(f"INSERT INTO images ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    conn.commit()
    conn.close()
    _, err = _scan(pics)  # this release: the library passed over
    assert "an Apple Photos library, passed over" in err
    reported = _reported(pics)
    assert [p for p in reported if PHOTOS in p] == [str(pics / PHOTOS / name) for name in ORIGINALS], reported
    with connected(db) as conn:
        stored = sorted(p for (p,) in conn.execute("SELECT path FROM images") if PHOTOS in p)
    assert stored == [str(pics / PHOTOS / name) for name in ORIGINALS]  # the thumbnail's row forgotten
