"""Names blurscan makes from a photo's name (a temporary ``.NAME.blurscan-TAG.part``, a trash entry's
``NAME.trashinfo``) are longer than the photo's: a photo whose name fitted in its folder (up to 255 bytes) made
a name that did not, and ``tag --xmp`` (a sidecar of 255 bytes), ``move`` across drives (a name of 235 bytes
or more; with a bogus "could not remove temporary file" for a file never made) and ``trash`` (over 245 bytes)
failed with "file name too long". Those names are now cut to what the folder allows; undo brings every file
back."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from blurscan.actions import moves, xmp
from blurscan.errors import ActionError
from blurscan.records import ScanRecord
from blurscan.store import Store
from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide, force_cross_device, snapshot


def _library(root: Path, names: list[str]) -> None:
    """Blurry photos named ``names`` (paths under ``root``), scanned into ``root/.blurscan.db``, each marked
    discard."""
    root.mkdir(parents=True, exist_ok=True)
    with Store(root / ".blurscan.db") as store:
        for i, name in enumerate(names):
            path = save_jpeg(root / name, blurred(textured(i, (64, 80))))
            st = os.stat(path)
            store.put([ScanRecord(path=str(path), verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                                  format="JPEG")], "test")
            decide(store, str(path), "discard")


def _longest(folder: Path) -> int:
    return max(len(os.fsencode(name)) for name in os.listdir(folder))


def test_tag_xmp_writes_a_sidecar_whose_name_fills_the_folders_limit(tmp_path):
    root = tmp_path / "lib"
    photo = "M" * 247 + ".jpg"  # 251 bytes: its sidecar photo.jpg.xmp is 255
    _library(root, [photo])
    out = run("tag", "--xmp", "--discarded-only", root)
    assert out.exit_code == 0, out.output
    assert "failed" not in out.output and "too long" not in out.output
    sidecar = root / (photo + ".xmp")
    assert len(os.fsencode(sidecar.name)) == 255
    assert xmp.read_properties(sidecar.read_bytes()) == {"Rating": "-1", "Label": "Red"}
    assert [n for n in os.listdir(root) if n.endswith(".part")] == []
    assert run("undo", root).exit_code == 0
    assert not sidecar.exists()


@pytest.mark.parametrize("name", ["N" * 246 + ".jpg", "é" * 123 + ".jpg", "L" * 251 + ".jpg"])
def test_move_across_drives_takes_long_names_and_undo_brings_them_back(tmp_path, monkeypatch, caplog, name):
    root, dest = tmp_path / "lib", tmp_path / "rejects"
    _library(root, [name, "other.jpg"])
    force_cross_device(monkeypatch)
    before = snapshot(root)
    with caplog.at_level(logging.WARNING):
        out = run("move", "--to", dest, root, "--yes")
    assert out.exit_code == 0, out.output
    assert "failed" not in out.output and "could not remove" not in out.output + caplog.text
    assert "moved 2 photos" in out.output
    assert sorted(os.listdir(dest)) == sorted([name, "other.jpg"])  # the names kept whole, no leftover
    with Store(root / ".blurscan.db") as store:  # a copy a kill left (-9 midway through a move): undo finds it
        row = store.conn.execute("SELECT id, dst FROM journal WHERE dst LIKE ?", (f"%{name}",)).fetchone()
    leftover = Path(moves.temp_name(str(dest / name), row[0]))
    leftover.write_bytes(b"half a copy")
    out = run("undo", root)
    assert out.exit_code == 0, out.output
    assert not leftover.exists()
    assert snapshot(root) == before and not dest.exists()  # (undo removes the folder it made)


def test_a_copy_whose_temporary_file_could_not_be_made_removes_nothing(tmp_path, monkeypatch, caplog):
    """A temporary name already taken (``O_EXCL``): the file there is not blurscan's to remove, and no
    "could not remove temporary file" is said of it (it was, of a name too long to be created)."""
    force_cross_device(monkeypatch)
    src = save_jpeg(tmp_path / "a" / "p.jpg", textured(1, (32, 32)))
    dst = tmp_path / "b" / "p.jpg"
    dst.parent.mkdir()
    theirs = Path(moves.temp_name(str(dst), 7))
    theirs.write_bytes(b"not ours")
    with caplog.at_level(logging.WARNING), pytest.raises(ActionError, match="cannot copy to .*: file exists"):
        moves.move_file(str(src), str(dst), tag=7)
    assert theirs.read_bytes() == b"not ours" and src.exists() and not dst.exists()
    assert "could not remove" not in caplog.text


def test_temporary_names_fit_and_stay_apart(tmp_path):
    a, b = "X" * 250 + "a.jpg", "X" * 250 + "b.jpg"  # (255 bytes each; alike in the first 250)
    ta, tb = (os.path.basename(moves.temp_name(str(tmp_path / n), 12)) for n in (a, b))
    assert len(os.fsencode(ta)) <= 255 and len(os.fsencode(tb)) <= 255 and ta != tb
    assert ta.startswith(".XXXX") and ta.endswith(".blurscan-12.part")
    assert ta == os.path.basename(moves.temp_name(str(tmp_path / a), 12))  # (undo finds it by the same name)
    short = os.path.basename(moves.temp_name(str(tmp_path / "IMG_1.jpg"), 3))
    assert short == ".IMG_1.jpg.blurscan-3.part"  # (a name that fits: as before)


def test_trash_takes_long_names_under_a_shorter_name_and_undo_restores(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    long = "T" * 250 + ".jpg"  # 254 bytes: long.trashinfo would be 264
    wide = "é" * 125 + ".jpg"  # 254 bytes, two-byte characters (never cut inside one)
    root = tmp_path / "lib"
    _library(root, [long, wide, "a/" + long])  # two photos of one long name: two entries
    before = snapshot(root)
    out = run("trash", root, "--yes")
    assert out.exit_code == 0, out.output
    assert "failed" not in out.output and "trashed 3 photos" in out.output, out.output
    trash = tmp_path / "home" / "data" / "Trash"
    files, infos = sorted(os.listdir(trash / "files")), sorted(os.listdir(trash / "info"))
    assert len(files) == 3 and infos == sorted(n + ".trashinfo" for n in files)
    assert _longest(trash / "info") <= 255 and all(n.endswith(".jpg") for n in files)
    assert any(n.startswith("é" * 100) for n in files)  # (whole characters)
    paths = set()
    for n in files:
        text = (trash / "info" / (n + ".trashinfo")).read_text()
        paths.add(next(line for line in text.splitlines() if line.startswith("Path=")))
    from urllib.parse import quote

    assert paths == {"Path=" + quote(os.fsencode(str(root / n)), safe="/") for n in (long, wide, "a/" + long)}
    out = run("undo", root)
    assert out.exit_code == 0 and "restored 3 files" in out.output, out.output
    assert snapshot(root) == before and os.listdir(trash / "files") == [] and os.listdir(trash / "info") == []


def test_write_atomically_takes_a_name_of_four_byte_characters(tmp_path):
    from blurscan.model.export import write_atomically

    out = tmp_path / ("\N{GRINNING FACE}" * 62 + ".onnx")  # 253 bytes; its first 64 characters were 250
    write_atomically(out, b"model")
    assert out.read_bytes() == b"model" and os.listdir(tmp_path) == [out.name]
