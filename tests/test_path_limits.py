"""Paths near the system's limit (``PATH_MAX``: 4,096 bytes with the NUL that ends it; a folder tree may go deeper,
its files reachable only from a folder inside it) and names a photo's name makes longer than its folder takes
(``NAME_MAX``: 255 bytes). A folder past the limit was "file name too long" though every name in it was short; a
move to a ``--to`` longer than the library's path was promised by the dry run and failed with ``--yes``, after
making the folders above the photo; a sidecar ``NAME.EXT.xmp`` over 255 bytes was promised by ``tag``'s dry run;
and a photo deep enough that its temporary copy's path was too long could not be tagged, nor moved across drives.
"""
from __future__ import annotations

import os
from pathlib import Path

from blurscan.records import ScanRecord
from blurscan.store import Store
from helpers_cli import jsonl, run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide, force_cross_device, snapshot

SEGMENT = "d" * 250  # (a folder name well within the 255 bytes a folder takes)


def _library(root: Path, paths: list[Path]) -> None:
    """Blurry photos at ``paths`` (under ``root``), stored in ``root/.blurscan.db`` as a scan would, each marked
    discard."""
    root.mkdir(parents=True, exist_ok=True)
    with Store(root / ".blurscan.db") as store:
        for i, path in enumerate(paths):
            save_jpeg(path, blurred(textured(i, (48, 64))))
            st = os.stat(path)
            store.put([ScanRecord(path=str(path), verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                                  format="JPEG")], "test")
            decide(store, str(path), "discard")


def _deep_photo(root: Path, length: int, stem: str = "p") -> Path:
    """A path under ``root`` of ``length`` bytes (folders of 250 bytes, then a photo's name), its folders made."""
    folder = root
    while len(os.fsencode(str(folder))) + 1 + 250 + 1 + 100 <= length:
        folder = folder / SEGMENT
    rest = length - len(os.fsencode(str(folder))) - 1
    if rest > 200:  # (a shorter last folder: the photo's name of 100 bytes)
        folder = folder / ("e" * (rest - 101))
    folder.mkdir(parents=True, exist_ok=True)
    name_room = length - len(os.fsencode(str(folder))) - 1
    path = folder / (stem + "n" * (name_room - len(stem) - 4) + ".jpg")
    assert len(os.fsencode(str(path))) == length
    return path


def test_scan_says_a_folder_deeper_than_a_path_reaches_is_a_path_too_long_and_goes_on(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    save_jpeg(root / "top.jpg", textured(1, (48, 64)))
    fd = os.open(root, os.O_RDONLY)
    try:  # (made from inside the tree: its path is longer than a system call takes)
        for _ in range(17):
            os.mkdir(SEGMENT, dir_fd=fd)
            deeper = os.open(SEGMENT, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
        photo = os.open("deep.jpg", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        with os.fdopen(photo, "wb") as f:
            f.write((root / "top.jpg").read_bytes())
    finally:
        os.close(fd)
    out = run("scan", root, "--model", "none", "--workers", "1", "--format", "jsonl")
    records = jsonl(out.stdout)
    assert [r["path"] for r in records if r["status"] == "ok"] == [str(root / "top.jpg")]
    errors = [r for r in records if r["status"] != "ok"]
    assert len(errors) == 1 and errors[0]["path"].count(SEGMENT) >= 16, out.output
    size = len(os.fsencode(errors[0]["path"]))
    assert size > 4095
    assert errors[0]["error"] == f"cannot list folder: path too long: {size:,} bytes, longer than the system takes " \
                                 "(4,095)", errors[0]["error"]


def test_move_skips_a_photo_whose_destination_path_would_be_too_long_before_moving_anything(tmp_path):
    root, dest = tmp_path / "lib", tmp_path / ("rejects-" + "r" * 120)
    deep = _deep_photo(root, 4000)  # fits; under the longer --to it would be 4,125 bytes
    top = root / "top.jpg"
    _library(root, [deep, top])
    out = run("move", "--to", dest, root)
    assert out.exit_code == 0, out.output
    assert "destination path too long: 4,125 bytes, longer than the system takes (4,095) (a shorter --to makes " \
           "room)" in out.output, out.output
    assert "would move top.jpg" in out.output and out.output.count("would move") == 1, out.output
    out = run("move", "--to", dest, root, "--yes")
    assert "failed" not in out.output and "moved 1 photo" in out.output and "1 skipped" in out.output, out.output
    assert deep.exists() and not top.exists()
    assert sorted(os.listdir(dest)) == ["top.jpg"]  # (no folders made for the photo left in place)
    assert run("undo", root).exit_code == 0 and top.exists() and not dest.exists()


def test_tag_dry_run_refuses_a_sidecar_whose_name_would_be_too_long(tmp_path):
    root = tmp_path / "lib"
    photo = root / ("x" * 251 + ".jpg")  # 255 bytes: photo.jpg.xmp would be 259
    _library(root, [photo, root / "other.jpg"])
    for mode in ("--dry-run", "--yes"):
        out = run("tag", "--xmp", root, mode)
        assert f"{photo.name}.xmp: cannot be created: its name is 259 bytes, longer than the folder takes (255) " \
               f"(--stem-names names it {'x' * 251}.xmp); left untouched" in out.output, out.output
        assert f"{photo.name}.xmp  " not in out.output and "file name too long" not in out.output, out.output
    assert sorted(os.listdir(root)) == sorted([".blurscan.db", ".blurscan.db.actions.lock", photo.name, "other.jpg",
                                               "other.jpg.xmp"])
    out = run("tag", "--xmp", root, "--stem-names")
    assert out.exit_code == 0 and (root / ("x" * 251 + ".xmp")).exists(), out.output


def test_tag_writes_the_sidecar_of_a_photo_whose_path_nearly_fills_the_limit(tmp_path):
    root = tmp_path / "lib"
    photo = _deep_photo(root, 4085)  # its sidecar's path 4,089 bytes: fits; its temporary file's did not
    _library(root, [photo])
    out = run("tag", "--xmp", root, "--yes")
    assert out.exit_code == 0 and "failed" not in out.output and "tagged 1 photo" in out.output, out.output
    sidecar = Path(str(photo) + ".xmp")
    assert sidecar.exists() and [n for n in os.listdir(photo.parent) if n.endswith(".part")] == []
    assert run("undo", root).exit_code == 0 and not sidecar.exists()


def test_tag_refuses_a_sidecar_whose_path_would_be_too_long(tmp_path):
    root = tmp_path / "lib"
    photo = _deep_photo(root, 4094)  # its sidecar's path: 4,098 bytes
    _library(root, [photo])
    out = run("tag", "--xmp", root, "--dry-run")
    assert ".jpg.xmp: cannot be created: path too long: 4,098 bytes, longer than the system takes (4,095); left " \
           "untouched" in out.output, out.output
    assert "would write" not in out.output


def test_move_across_drives_of_a_photo_whose_path_nearly_fills_the_limit_and_undo(tmp_path, monkeypatch):
    root, dest = tmp_path / "lib", tmp_path / "rej"  # (as long as the library's path: the same lengths there)
    photo = _deep_photo(root, 4085)
    _library(root, [photo])
    force_cross_device(monkeypatch)
    before = snapshot(root)
    out = run("move", "--to", dest, root, "--yes")
    assert out.exit_code == 0 and "failed" not in out.output and "moved 1 photo" in out.output, out.output
    moved = dest / photo.relative_to(root)
    assert moved.exists() and not photo.exists()
    out = run("undo", root)
    assert out.exit_code == 0 and "restored 1 file" in out.output, out.output
    assert snapshot(root) == before and not dest.exists()


def test_a_database_named_near_the_limit_takes_move_tag_and_undo(tmp_path):
    """``NAME.actions.lock`` and ``NAME.tag-backups`` are 13 and 12 bytes longer than the database's name: a database
    named 243 to 247 bytes was scanned, and every batch of it failed, "cannot open the actions lock: file name too
    long". Their names are cut to fit, as the same name every time."""
    root, db = tmp_path / "lib", tmp_path / ("q" * 242 + ".db")  # 245 bytes
    root.mkdir()
    photo, kept = root / "IMG_1.jpg", root / "IMG_2.jpg"
    with Store(db) as store:
        for i, path in enumerate((photo, kept)):
            save_jpeg(path, blurred(textured(i, (48, 64))))
            st = os.stat(path)
            store.put([ScanRecord(path=str(path), verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                                  format="JPEG")], "test")
        decide(store, str(photo), "discard")
    sidecar = root / "IMG_2.jpg.xmp"
    sidecar.write_bytes(b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
                        b'syntax-ns#"><rdf:Description rdf:about=""/></rdf:RDF></x:xmpmeta>')
    before = sidecar.read_bytes()
    out = run("tag", "--xmp", "--db", db, "--yes")
    assert out.exit_code == 0 and "tagged 2 photos (1 sidecar merged, 1 created)" in out.output, out.output
    assert sidecar.read_bytes() != before
    assert all(len(os.fsencode(n)) <= 255 for n in os.listdir(tmp_path))
    out = run("undo", "--db", db)
    assert out.exit_code == 0 and "restored 1 sidecar" in out.output, out.output
    assert sidecar.read_bytes() == before and not (root / "IMG_1.jpg.xmp").exists()
    out = run("move", "--to", tmp_path / "rejects", "--db", db, "--yes")
    assert out.exit_code == 0 and "moved 1 photo" in out.output, out.output
    assert not photo.exists()
    assert run("undo", "--db", db).exit_code == 0 and photo.exists()


def test_a_database_whose_sqlite_files_would_not_fit_is_refused_before_it_is_made(tmp_path):
    root, db = tmp_path / "lib", tmp_path / ("q" * 245 + ".db")  # 248 bytes: NAME-journal would be 256
    root.mkdir()
    save_jpeg(root / "IMG_1.jpg", textured(1, (48, 64)))
    out = run("scan", root, "--db", db, "--model", "none", "--workers", "1")
    assert out.exit_code == 1, out.output
    assert f"{db}: cannot create the database: its name is 248 bytes, and SQLite's -journal file beside it would be " \
           "longer than the folder takes (255): give it a name of at most 247 bytes" in out.output, out.output
    assert os.listdir(tmp_path) == ["lib"]  # (SQLite had made the database, then failed it, and left it)


def test_every_command_given_a_path_longer_than_the_system_takes_says_so(tmp_path):
    """A PATH of 4,096 bytes (its folders there, every name short): one byte past what a system call takes. ``move``,
    ``trash`` and ``tag`` said "no such file or directory" (they look for its database first), where ``scan``,
    ``report`` and ``bursts`` said "path too long"."""
    path = _deep_photo(tmp_path / "lib", 4096)
    said = f"{path}: path too long: 4,096 bytes, longer than the system takes (4,095)"
    for command in (["move", "--to", str(tmp_path / "rejects")], ["trash"], ["tag", "--xmp"], ["report"],
                    ["bursts"]):
        out = run(*command, path)
        assert out.exit_code == 1 and said in out.output, (command, out.output[-300:])
        assert "no such file" not in out.output and "file name too long" not in out.output, command
    assert not (tmp_path / "rejects").exists()
