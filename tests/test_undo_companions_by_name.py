"""Which rows of a batch went with which photo (:func:`blurscan.actions.photo_rows.by_photo`), for undo to keep a
photo's sidecars, RAW twin, Live Photo video and Takeout JSON with it when it cannot put the photo back.

Until 2026-12-04 a row with a record in the database counted as a photo of its own: after ``scan DIR/*`` (every
file named is scanned, so its sidecar, JSON and video got error records) those came back beside the other photo
that had taken the photo's name; and in a batch whose photos had no record (moved by an older blurscan, forgotten
by a scan since), ``IMG_1.JPG`` after ``IMG_1.JPEG`` was held back as the latter's sidecar. The names decide now."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.actions import journal, photo_rows
from blurscan.cli import main
from blurscan.records import ScanRecord
from blurscan.store import Store
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide, sha


def _row(n: int, path: str) -> journal.JournalRow:
    return journal.JournalRow(n, 1, path, path + ".moved", 10, None, "done", None)


def test_rows_are_grouped_by_their_names():
    names = ["a/IMG_1.JPEG", "a/IMG_1.JPEG.xmp", "a/IMG_1.JPG", "a/IMG_1.CR2", "a/IMG_1.CR2.xmp", "a/IMG_1.MOV",
             "a/IMG_1.JPG.json", "a/IMG_2.NEF", "a/IMG_2.NEF.xmp", "a/IMG_2.DNG", "b/IMG_2.xmp", "b/IMG_3.heic",
             "b/IMG_3.AAE", "b/IMG_3.HEIC(1).json", "b/IMG_30.CR2"]
    groups = photo_rows.by_photo([_row(n, "/lib/" + name) for n, name in enumerate(names)])
    assert [[os.path.relpath(r.src, "/lib") for r in g] for g in groups] == [
        ["a/IMG_1.JPEG", "a/IMG_1.JPEG.xmp"],
        ["a/IMG_1.JPG", "a/IMG_1.CR2", "a/IMG_1.CR2.xmp", "a/IMG_1.MOV", "a/IMG_1.JPG.json"],
        ["a/IMG_2.NEF", "a/IMG_2.NEF.xmp"],  # a RAW alone, a photo of its own
        ["a/IMG_2.DNG"],                      # another RAW alone of that stem: not the first one's twin
        ["b/IMG_2.xmp"],                      # in another folder than the photo before it
        ["b/IMG_3.heic", "b/IMG_3.AAE", "b/IMG_3.HEIC(1).json"],
        ["b/IMG_30.CR2"],                     # another stem
    ]


def test_after_scanning_each_file_by_name_a_photos_files_stay_with_it(tmp_path):
    """``scan DIR/*`` recorded ``IMG_1.JPG.xmp``, ``IMG_1.JPG.json`` and ``IMG_1.MOV`` (as errors) until
    2026-12-05 (now it passes them over; a database of such a scan still holds them, put here as it stored them):
    they are the photo's all the same, and stay in ``--to`` while another photo holds its name."""
    root, rej = tmp_path / "lib", tmp_path / "rej"
    photo = save_jpeg(root / "IMG_1.JPG", blurred(textured(1, (120, 160))))
    companions = [root / "IMG_1.JPG.xmp", root / "IMG_1.JPG.json", root / "IMG_1.MOV"]
    companions[0].write_text('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>\n')
    companions[1].write_text("{}\n")
    companions[2].write_bytes(os.urandom(4000))
    runner = CliRunner()
    runner.invoke(main, ["scan", "--model", "none", "--db", str(root / ".blurscan.db"), str(photo)])
    with Store(root / ".blurscan.db") as store:
        (key,) = store.conn.execute("SELECT cache_key FROM images").fetchone()
        store.put([ScanRecord(path=str(p), status="error", error="not an image (unknown file signature)",
                              size=p.stat().st_size, mtime_ns=p.stat().st_mtime_ns) for p in companions], key)
        recorded = {p for (p,) in store.conn.execute("SELECT path FROM images")}
        assert {str(p) for p in companions} <= recorded  # (what made them photos before)
        decide(store, str(photo), "discard")
    before = {p.name: sha(p) for p in [photo, *companions]}
    moved = runner.invoke(main, ["move", str(root), "--to", str(rej), "--yes"])
    assert moved.exit_code == 0, moved.output
    assert sorted(os.listdir(rej)) == sorted(before)
    photo.write_bytes(b"another photo, imported under the old name")
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 1, out.output
    assert sorted(n for n in os.listdir(root) if not n.startswith(".")) == ["IMG_1.JPG"]
    assert {n: sha(rej / n) for n in before} == before
    for path in companions:
        assert f"failed: {path}: not put back (it stays at {rej / path.name}): its photo IMG_1.JPG was not put back" \
            in out.stderr
    os.unlink(photo)
    again = runner.invoke(main, ["undo", str(root)])
    assert again.exit_code == 0, again.output
    assert {p.name: sha(p) for p in [photo, *companions]} == before


def test_a_photo_after_another_of_its_stem_comes_back_without_records(tmp_path):
    """``IMG_1.JPEG`` then ``IMG_1.JPG`` in a batch whose photos have no record any more (a scan after the move,
    by a blurscan that forgot moved photos): the second is a photo, put back though the first cannot be."""
    root, rej = tmp_path / "lib", tmp_path / "rej"
    first = save_jpeg(root / "IMG_1.JPEG", blurred(textured(1, (120, 160))))
    second = save_jpeg(root / "IMG_1.JPG", blurred(textured(2, (120, 160))))
    runner = CliRunner()
    assert runner.invoke(main, ["scan", "--model", "none", str(root)]).exit_code == 0
    with Store(root / ".blurscan.db") as store:
        decide(store, str(first), "discard")
        decide(store, str(second), "discard")
    digest = sha(second)
    assert runner.invoke(main, ["move", str(root), "--to", str(rej), "--yes"]).exit_code == 0
    with Store(root / ".blurscan.db") as store, store.transaction() as conn:
        conn.execute("DELETE FROM images")
        assert [os.path.basename(r.src) for r in journal.rows(store, 1)] == ["IMG_1.JPEG", "IMG_1.JPG"]
    first.write_bytes(b"another photo, imported under the old name")
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 1, out.output
    assert sha(second) == digest and not (rej / "IMG_1.JPG").exists()
    assert out.stderr.count("failed: ") == 1 and f"failed: {first}: both it and" in out.stderr
