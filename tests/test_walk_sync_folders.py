"""A library in a sync tool's folder (Syncthing, Dropbox, Nextcloud, rclone, Resilio Sync), met by the real
command line. The tools' own folders and files are hidden (``.stfolder``, ``.stversions``, ``.dropbox.cache``,
``.sync``, ``.syncthing.IMG_1.jpg.tmp``, ``.~lock.IMG_1.jpg#``, ``.sync_1a2b.db``): never walked. Their unfinished
downloads (``IMG_1.jpg.1a2b3c4d.partial``, ``IMG_1.jpg.!sync``, ``~syncthing~IMG_1.jpg.tmp``) and online-only
placeholders (``IMG_1.jpg.nextcloud``, Resilio's empty ``IMG_1.jpg.rsls``) a folder walk passes over by their suffix; named by a shell's ``DIR/*``, an
unfinished download was read, its first bytes a photo's, and stored as an error, ``truncated JPEG`` (a
placeholder ``not an image (text file?)``), until 2026-12-06. Now both give the same records and the same count."""
from __future__ import annotations

import os

from helpers_cli import cli, jsonl
from helpers_images import save_jpeg, textured

UNFINISHED = ("IMG_0003.jpg.1a2b3c4d.partial", "IMG_0004.jpg.!sync", "~syncthing~IMG_0005.jpg.tmp",
              "IMG_0006.jpg.part", "IMG_0007.jpg.crdownload")
PLACEHOLDERS = ("IMG_0008.jpg.nextcloud", "IMG_0009.jpg.owncloud", "IMG_0010.jpg.rsls", "IMG_0011.jpg.rsl~")


def _synced(lib):
    """Two photos, a sync tool's hidden files and folders, its unfinished downloads (the first half of a photo)
    and a cloud client's placeholders (one byte)."""
    whole = save_jpeg(lib / "IMG_0001.jpg", textured(1)).read_bytes()
    save_jpeg(lib / "IMG_0002.jpg", textured(2))
    for folder in (".stfolder", ".stversions", ".dropbox.cache", ".sync"):
        (lib / folder).mkdir()
    (lib / ".stversions" / "IMG_0001~20261206-101010.jpg").write_bytes(whole)
    (lib / ".dropbox.cache" / "IMG_0001.jpg").write_bytes(whole)
    for name in (".syncthing.IMG_0005.jpg.tmp", ".~lock.IMG_0001.jpg#", ".sync_1a2b3c.db", ".owncloudsync.log"):
        (lib / name).write_bytes(whole[:len(whole) // 2])
    for name in UNFINISHED:
        (lib / name).write_bytes(whole[:len(whole) // 2])
    for name in PLACEHOLDERS:
        (lib / name).write_bytes(b"" if name.endswith((".rsls", ".rsl~")) else b"\n")
    return lib


def test_a_sync_tools_files_are_passed_over_whether_walked_or_named(tmp_path):
    lib = _synced(tmp_path / "Sync")
    named = sorted(str(p) for p in lib.iterdir() if not p.name.startswith("."))  # what the shell makes of lib/*
    for args, db in ((named, tmp_path / "named.db"), ([lib], tmp_path / "walked.db")):
        out = cli("scan", *args, "--db", db, "--format", "jsonl", "--model", "none", "--workers", "1")
        assert out.returncode == 0, out.stderr
        records, lines = jsonl(out.stdout), out.stderr.decode().splitlines()
        assert sorted(os.path.basename(r["path"]) for r in records) == ["IMG_0001.jpg", "IMG_0002.jpg"], records
        assert all(r["status"] == "ok" for r in records), records
        assert len(lines) == 1 and ", 0 errors (" in lines[0], lines  # no error line, only the closing one
        assert lines[0].endswith("; passed over 9 files that are not photos: 1 .!sync, 1 .crdownload, "
                                 "1 .nextcloud, 1 .owncloud, 1 .part, 1 .partial, 3 others"), (args, lines)


def test_a_photo_named_with_a_download_suffix_is_passed_over_but_one_named_json_is_read(tmp_path):
    """An unfinished download is passed over whatever its first bytes (they are a photo's: the rest is not there
    yet); a JPEG saved as ``photo.json`` is still read, as before."""
    lib = tmp_path / "lib"
    whole = save_jpeg(lib / "IMG_0001.jpg", textured(1)).read_bytes()
    (lib / "IMG_0002.jpg.partial").write_bytes(whole)
    (lib / "photo.json").write_bytes(whole)
    out = cli("scan", lib / "IMG_0002.jpg.partial", lib / "photo.json", "--db", tmp_path / "x.db", "--format",
              "jsonl", "--model", "none", "--workers", "1")
    assert out.returncode == 0, out.stderr
    assert [os.path.basename(r["path"]) for r in jsonl(out.stdout)] == ["photo.json"]
    assert out.stderr.decode().rstrip().endswith("; passed over 1 file that is not a photo: 1 .partial")
