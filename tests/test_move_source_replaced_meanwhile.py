"""A move to another drive whose photo a sync tool replaces with a new version (written to a temporary name, then
renamed over the photo: Syncthing, Nextcloud, Dropbox, rclone) once blurscan's verified copy of it is in place,
just before blurscan removes it. Until 2026-12-06 blurscan removed what was at the photo's name then: the new
version, which it had never copied nor judged, was gone (and the sync tool sent its removal to the other devices).
The new version stays; the judged one is at the destination, counted as moved, and a note says so."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from blurscan.actions import moves
from blurscan.errors import ActionError
from helpers_cli import run
from helpers_images import make_library, save_jpeg, textured
from helpers_library import force_cross_device

SCAN = ("--model", "none", "--workers", "1")


def _replaced_once_placed(monkeypatch, lib, to, new_bytes) -> list[str]:
    """Across drives, the first photo whose copy is in place in ``to`` is replaced in ``lib`` by a sync tool at
    the fsync of ``to`` that follows: ``new_bytes`` written to a hidden temporary file, renamed over the photo."""
    force_cross_device(monkeypatch)
    real, replaced = moves._fsync_dir, []

    def fsync_dir(folder):
        real(folder)
        if os.path.abspath(folder) == str(to) and not replaced:
            for name in sorted(os.listdir(to)):
                if not name.startswith(".") and (lib / name).exists():
                    tmp = lib / f".syncthing.{name}.tmp"
                    tmp.write_bytes(new_bytes)
                    os.replace(tmp, lib / name)
                    replaced.append(name)
                    return

    monkeypatch.setattr(moves, "_fsync_dir", fsync_dir)
    return replaced


def test_a_new_version_renamed_over_the_photo_as_it_is_moved_stays(tmp_path, monkeypatch):
    lib, to = tmp_path / "lib", tmp_path / "rejects"
    make_library(lib, n_sharp=1, n_blurry=2)
    assert run("scan", lib, *SCAN).exit_code == 0
    old = {p.name: p.read_bytes() for p in lib.iterdir() if p.name.startswith("blurry_")}
    new_version = save_jpeg(tmp_path / "new.jpg", textured(7)).read_bytes()
    replaced = _replaced_once_placed(monkeypatch, lib, to, new_version)
    result = run("move", lib, "--all-blurry", "--to", to, "--yes")
    (name,) = replaced
    assert result.exit_code == 0, result.output
    assert (lib / name).read_bytes() == new_version  # the sync tool's new version is where it put it
    assert {p.name: p.read_bytes() for p in to.iterdir()} == old  # the judged versions, both moved
    assert "moved 2 photos (2 files," in result.output, result.output
    assert (f"note: {lib / name}: replaced by another file as it was being moved (a new version from a sync tool?), "
            f"which stays; the photo blurscan judged is at {to / name}, counted as moved") in result.output, result.output
    monkeypatch.undo()
    result = run("undo", lib)  # the new version is in the way of the judged one's return: left, and said
    assert (lib / name).read_bytes() == new_version
    assert (to / name).read_bytes() == old[name], result.output
    assert f"{lib / name}" in result.output and "restored 1 file" in result.output, result.output


def test_move_file_keeps_a_source_replaced_while_it_was_copied(tmp_path, monkeypatch):
    """``move_file`` itself: a rename over the photo during its copy, the new version of the same size and time
    (a tool that keeps times: only the file is another), is not removed; nothing of it is left at the
    destination."""
    lib, to = tmp_path / "lib", tmp_path / "to"
    lib.mkdir()
    src = lib / "a.jpg"
    src.write_bytes(b"a" * 5000)
    force_cross_device(monkeypatch)
    real = moves.sha256_file

    def sha256_file(path):  # the copy is written: now the new version is renamed over the photo
        if not (lib / ".new").exists():
            st = os.stat(src)
            (lib / ".new").write_bytes(b"b" * 5000)
            os.utime(lib / ".new", ns=(st.st_atime_ns, st.st_mtime_ns))
            os.replace(lib / ".new", src)
        return real(path)

    monkeypatch.setattr(moves, "sha256_file", sha256_file)
    with pytest.raises(ActionError) as refused:
        moves.move_file(str(src), str(to / "a.jpg"), tag=1)
    assert str(refused.value) == f"{src}: changed while it was being copied; source kept"
    assert src.read_bytes() == b"b" * 5000
    assert not (to / "a.jpg").exists()


def test_a_new_version_renamed_over_the_photo_just_before_its_rename_is_put_back(tmp_path, monkeypatch):
    """One drive: the sync tool's new version lands between blurscan's last look at the photo and its rename (the
    journal's write comes between them). Until 2026-12-06 the new version, never judged, was the file moved, counted
    as moved, and ``undo`` refused to put it back ("not the file this batch moved there"), while the sync tool sent
    its removal to the other devices. The file renamed is looked at: another one goes back, and the photo fails."""
    lib, to = tmp_path / "lib", tmp_path / "rejects"
    make_library(lib, n_sharp=1, n_blurry=2)
    assert run("scan", lib, *SCAN).exit_code == 0
    new_version = save_jpeg(tmp_path / "new.jpg", textured(7)).read_bytes()
    real, replaced = moves._rename_noreplace, []

    def rename_noreplace(src, dst):
        if not replaced and os.path.dirname(src) == str(lib):
            (lib / ".syncthing.tmp").write_bytes(new_version)
            os.replace(lib / ".syncthing.tmp", src)
            replaced.append(os.path.basename(src))
        return real(src, dst)

    monkeypatch.setattr(moves, "_rename_noreplace", rename_noreplace)
    result = run("move", lib, "--all-blurry", "--to", to, "--yes")
    (name,) = replaced
    assert (f"failed: {lib / name}: changed as it was being moved (a new version put in its place by a sync "
            "tool?); not moved, the new one stays") in result.output, result.output
    assert "moved 1 photo (1 file," in result.output, result.output
    assert (lib / name).read_bytes() == new_version and not (to / name).exists()
    monkeypatch.undo()
    result = run("undo", lib)
    assert result.exit_code == 0 and "restored 1 file" in result.output, result.output
    assert (lib / name).read_bytes() == new_version


def _edited_in_place_of(lib, name_filter, replaced):
    """A ``_rename_noreplace`` wrapper: just before the first photo of ``lib`` is renamed (or, across drives, is
    found on another drive and copied), a sync tool renames a new version over it: the same bytes but one in the
    middle (a rating or caption written on another device, the file's size unchanged), its time now."""
    real = moves._rename_noreplace

    def rename_noreplace(src, dst):
        if not replaced and os.path.dirname(src) == str(lib) and name_filter(os.path.basename(src)):
            data = bytearray(Path(src).read_bytes())
            data[len(data) // 2] ^= 0xFF
            (lib / ".syncthing.tmp").write_bytes(bytes(data))
            os.replace(lib / ".syncthing.tmp", src)
            replaced.append((os.path.basename(src), bytes(data)))
        return real(src, dst)

    return rename_noreplace


def _old_library(lib):
    """Two blurry photos and a sharp one, their times a year old (a sync tool's new version has today's)."""
    make_library(lib, n_sharp=1, n_blurry=2)
    for p in lib.iterdir():
        os.utime(p, ns=(1_733_000_000_123_456_789, 1_733_000_000_123_456_789))
    assert run("scan", lib, *SCAN).exit_code == 0


@pytest.mark.parametrize("verb", ["move", "trash"])
@pytest.mark.parametrize("across_drives", [False, True], ids=["one drive", "across drives"])
def test_a_new_version_of_the_same_size_put_in_place_just_before_the_move_stays(tmp_path, monkeypatch,
                                                                                across_drives, verb):
    """The new version (same size, another time) lands between the last look at the photo and its move (or its
    trashing): on one drive it is renamed back, across drives it is never copied; the photo fails, the new version
    stays, and nothing of it is at the destination (nor a trash entry). Its size alone is no sign (a caption
    written in place keeps it), and a move of the new version sent the sync tool's removal of it to the other
    devices."""
    lib = tmp_path / "lib"
    to = tmp_path / "rejects" if verb == "move" else tmp_path / "data" / "Trash" / "files"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    _old_library(lib)
    if across_drives:
        force_cross_device(monkeypatch)
    replaced = []
    monkeypatch.setattr(moves, "_rename_noreplace",
                        _edited_in_place_of(lib, lambda name: name.endswith(".jpg"), replaced))
    result = run(verb, lib, "--all-blurry", *(("--to", to) if verb == "move" else ()), "--yes")
    ((name, new_version),) = replaced
    assert (f"failed: {lib / name}: changed as it was being moved (a new version put in its place by a sync "
            "tool?); not moved, the new one stays") in result.output, result.output
    assert f"{'moved' if verb == 'move' else 'trashed'} 1 photo (1 file," in result.output, result.output
    assert (lib / name).read_bytes() == new_version
    assert sorted(p.name for p in to.iterdir()) == ["blurry_0.png"]  # (no copy of it, no temporary file)
    if verb == "trash":
        assert sorted(p.name for p in (to.parent / "info").iterdir()) == ["blurry_0.png.trashinfo"]
    monkeypatch.undo()
    result = run("undo", lib)
    assert result.exit_code == 0 and "restored 1 file" in result.output, result.output
    assert (lib / name).read_bytes() == new_version and (lib / "blurry_0.png").exists()


def test_a_new_version_that_cannot_be_put_back_keeps_its_trash_entry(tmp_path, monkeypatch):
    """The new version renamed into the trash cannot be renamed back (a third file at the photo's name by then): it
    stays in the trash, and the message says where. Its ``.trashinfo`` stays with it, so that the desktop's trash
    lists it and can restore it to the photo's folder; until 2026-12-06 the entry was removed, and the file sat in
    the trash's ``files`` folder unlisted, out of reach of the trash's restore."""
    lib, trash = tmp_path / "lib", tmp_path / "data" / "Trash"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    _old_library(lib)
    replaced = []
    renamed_over = _edited_in_place_of(lib, lambda name: name.endswith(".jpg"), replaced)

    def rename_noreplace(src, dst):
        first = not replaced
        done = renamed_over(src, dst)
        if first and replaced:  # (and yet another version, just after the rename)
            (lib / os.path.basename(src)).write_bytes(b"third")
        return done

    monkeypatch.setattr(moves, "_rename_noreplace", rename_noreplace)
    result = run("trash", lib, "--all-blurry", "--yes")
    ((name, new_version),) = replaced
    assert (f"failed: {lib / name}: changed as it was being moved (a new version put in its place by a sync tool?): "
            f"the new one went to {trash / 'files' / name} and cannot be put back: file exists") in result.output
    assert (trash / "files" / name).read_bytes() == new_version and (lib / name).read_bytes() == b"third"
    assert sorted(os.listdir(trash / "info")) == ["blurry_0.png.trashinfo", f"{name}.trashinfo"]
    assert f"Path={quote(str(lib / name))}\n" in (trash / "info" / f"{name}.trashinfo").read_text()
