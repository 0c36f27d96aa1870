"""A photo with another name (a hard link: a ``cp -l`` backup, an rsync ``--link-dest`` snapshot) frees nothing
when one name is moved or trashed: the other name keeps its pixels. Until 2026-12-06 the dry run counted it among
the space freed ("freeing 26.2 kB in the library" for photos whose files all stayed on the drive)."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.cli.actions import human_size

from helpers_library import build_library


def _dry_run(command, root, tmp_path) -> str:
    to = ["--to", str(tmp_path / "rejects")] if command == "move" else []
    out = CliRunner().invoke(main, [command, "--all-blurry", *to, str(root)],
                             env={"XDG_DATA_HOME": str(tmp_path / "data")})
    assert out.exit_code == 0, out.output
    return out.stdout


@pytest.mark.parametrize("command, where", [("move", "in the library"), ("trash", "once the trash is emptied")])
def test_a_photo_with_another_name_is_not_counted_as_freed(tmp_path, command, where):
    root = tmp_path / "lib"
    store, f = build_library(root)
    store.close()
    whole = _dry_run(command, root, tmp_path)
    sizes = {k: os.path.getsize(p) for k, p in f.items()}
    total = sum(sizes[k] for k in ("IMG_1", "IMG_1.CR2", "IMG_1.JPG.xmp", "IMG_1.CR2.xmp", "IMG_2", "IMG_2.AAE",
                                   "IMG_4", "IMG_5"))
    assert f"freeing {human_size(total)} {where}." in whole, whole
    (tmp_path / "backup").mkdir()
    os.link(f["IMG_4"], tmp_path / "backup" / "IMG_4.jpg")  # a backup outside the library, the same file
    os.link(f["IMG_1.CR2"], tmp_path / "backup" / "IMG_1.CR2")  # the RAW twin of a photo: that photo counts once
    out = _dry_run(command, root, tmp_path)
    freed = total - sizes["IMG_4"] - sizes["IMG_1.CR2"]
    assert (f"freeing {human_size(freed)} {where} (not {human_size(total)}: 2 photos have another name, a hard "
            "link, that keeps their files)") in out, out


def test_a_file_whose_every_name_is_taken_is_freed(tmp_path):
    """Two names of one file in the library, both selected: both go, and the file is freed (a guard: no photo is
    said to keep its file)."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    store.close()
    whole = _dry_run("move", root, tmp_path)
    os.unlink(f["IMG_2.AAE"])
    os.link(f["IMG_2"], f["IMG_2.AAE"])  # (a sidecar name for the photo's own file: both names go together)
    out = _dry_run("move", root, tmp_path)
    assert "hard link" not in out and "hard link" not in whole, out


def test_a_photo_whose_files_all_have_other_names_is_one_photo(tmp_path):
    """A backup made with ``cp -al`` links every file of a folder: a RAW+JPEG photo with both its files linked is
    one photo that keeps its files, said in the singular (a count of files said "2 photos have")."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    store.close()
    sizes = {k: os.path.getsize(p) for k, p in f.items()}
    total = sum(sizes[k] for k in ("IMG_1", "IMG_1.CR2", "IMG_1.JPG.xmp", "IMG_1.CR2.xmp", "IMG_2", "IMG_2.AAE",
                                   "IMG_4", "IMG_5"))
    (tmp_path / "backup").mkdir()
    for key in ("IMG_1", "IMG_1.CR2"):
        os.link(f[key], tmp_path / "backup" / os.path.basename(f[key]))
    out = _dry_run("trash", root, tmp_path)
    freed = total - sizes["IMG_1"] - sizes["IMG_1.CR2"]
    assert (f"freeing {human_size(freed)} once the trash is emptied (not {human_size(total)}: 1 photo has another "
            "name, a hard link, that keeps its file)") in out, out
