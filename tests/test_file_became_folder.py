"""A photo's name taken by a folder (``x.jpg`` deleted, a folder ``x.jpg`` made), and a folder's by a file: the
stored records of what was there before are no longer on disk. Until 2026-12-05 ``report`` listed the folder as a
photo "changed since the last scan", and a scan of the new folder (or file) by its name kept the old rows."""
from __future__ import annotations

import json
import shutil

from blurscan.store import Store
from helpers_cli import run
from helpers_images import save_jpeg, textured


def _stored(db) -> list[str]:
    with Store(db) as store:
        return sorted(r.path for r in store.records())


def test_a_photo_whose_name_a_folder_took_is_gone(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "one.jpg", textured(1))
    save_jpeg(lib / "x.jpg", textured(2))
    assert run("scan", lib, "--model", "none").exit_code == 0
    (lib / "x.jpg").unlink()
    save_jpeg(lib / "x.jpg" / "inner.jpg", textured(3))
    res = run("report", lib, "--format", "jsonl")
    assert res.exit_code == 0, res.output
    assert [json.loads(line)["path"] for line in res.stdout.splitlines()] == [str(lib / "one.jpg")]
    assert "1 stored photo no longer on disk" in res.stderr and "changed" not in res.stderr
    assert run("scan", lib / "x.jpg", "--model", "none").exit_code == 0
    assert _stored(lib / ".blurscan.db") == [str(lib / "one.jpg"), str(lib / "x.jpg" / "inner.jpg")]


def test_the_photos_of_a_folder_whose_name_a_file_took_are_gone(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "one.jpg", textured(1))
    save_jpeg(lib / "sub.jpg" / "a.jpg", textured(2))
    save_jpeg(lib / "sub.jpg" / "b.jpg", textured(3))
    assert run("scan", lib, "--model", "none").exit_code == 0
    shutil.rmtree(lib / "sub.jpg")
    save_jpeg(lib / "sub.jpg", textured(4))
    assert run("scan", lib / "sub.jpg", "--model", "none").exit_code == 0
    assert _stored(lib / ".blurscan.db") == [str(lib / "one.jpg"), str(lib / "sub.jpg")]
