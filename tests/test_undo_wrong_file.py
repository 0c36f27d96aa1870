"""Undo puts back only the file its batch moved: not another file that took the destination's name since
(the trash emptied, then another file of that name trashed from the desktop; a file replaced in --to)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from blurscan.actions import execute, list_batches, plan_move, plan_trash, trash, undo
from helpers_library import build_library, decide


@pytest.fixture
def lib(tmp_path):
    store, files = build_library(tmp_path / "lib")
    decide(store, files["IMG_1"], "discard")
    yield tmp_path, store, files
    store.close()


def test_undo_of_trash_leaves_another_file_trashed_under_the_same_name(lib, monkeypatch):
    tmp_path, store, f = lib
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = execute(store, plan_trash(store))
    photo = str(f["IMG_1"])
    trashed = dict(result.moved)[photo]
    info = os.path.join(os.path.dirname(os.path.dirname(trashed)), "info", os.path.basename(trashed) + ".trashinfo")
    # the trash is emptied, then the desktop trashes another file that has the same name
    for p in os.listdir(os.path.dirname(trashed)):
        os.unlink(os.path.join(os.path.dirname(trashed), p))
    for p in os.listdir(os.path.dirname(info)):
        os.unlink(os.path.join(os.path.dirname(info), p))
    other = tmp_path / "docs" / os.path.basename(trashed)
    with open(trashed, "wb") as fh:
        fh.write(b"someone else's file")
    with open(info, "w") as fh:
        fh.write(f"[Trash Info]\nPath={other}\nDeletionDate=2024-01-01T00:00:00\n")
    back = undo(store)
    assert not os.path.lexists(photo)  # the other file was not taken into the library under the photo's name
    assert Path(trashed).read_bytes() == b"someone else's file" and os.path.exists(info)
    assert [p for p, _ in back.failed if p == photo], back.failed
    # the photo is at neither place: beyond undo (it was "run undo again once fixed", which fixes nothing)
    assert photo in back.gone


def test_undo_of_trash_leaves_a_photo_restored_by_hand_whose_trash_name_was_taken_since(lib, monkeypatch):
    """The desktop's Restore put the photo back, and the desktop then trashed another file of that name (its
    name in the trash free again): undo said 'both it and TRASH/IMG_1.JPG exist with different content;
    neither was touched', exit 1, and the batch could never be undone. The photo is back by hand, and the other
    file and its entry stay in the trash."""
    from click.testing import CliRunner

    from blurscan.cli import main

    tmp_path, store, f = lib
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = execute(store, plan_trash(store))
    photo = str(f["IMG_1"])
    trashed = dict(result.moved)[photo]
    info = trash.info_path_for(trashed)
    saved = Path(trashed).read_bytes()
    os.rename(trashed, photo)  # the desktop's Restore
    os.unlink(info)
    other = tmp_path / "docs" / os.path.basename(trashed)
    with open(trashed, "wb") as fh:  # another file of that name trashed since
        fh.write(b"someone else's file")
    with open(info, "w") as fh:
        fh.write(f"[Trash Info]\nPath={other}\nDeletionDate=2024-01-01T00:00:00\n")
    store.close()
    out = CliRunner().invoke(main, ["undo", str(tmp_path / "lib")])
    assert out.exit_code == 0, out.output
    assert out.stderr == ""
    assert "1 already back in place (put back by hand)" in out.stdout, out.stdout
    assert Path(photo).read_bytes() == saved
    assert Path(trashed).read_bytes() == b"someone else's file" and os.path.exists(info)


def test_undo_of_move_leaves_a_different_file_at_the_destination(lib):
    tmp_path, store, f = lib
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    photo = str(f["IMG_1"])
    moved = dict(result.moved)[photo]
    os.unlink(moved)
    with open(moved, "wb") as fh:
        fh.write(b"a different file")
    back = undo(store)
    assert not os.path.lexists(photo)
    assert Path(moved).read_bytes() == b"a different file"
    assert [p for p, _ in back.failed if p == photo], back.failed


def _same_size_other_photo(path: str, other: str, *, times_of: str | None = None) -> None:
    """Put at ``path`` another photo's bytes (``other``'s), cut or padded to ``path``'s size, and, with
    ``times_of``, that file's modification time (a copy that kept its times: `cp -p`, rsync)."""
    size = os.path.getsize(path)
    data = Path(other).read_bytes()[:size]
    st = os.stat(times_of) if times_of else None
    os.unlink(path)
    with open(path, "wb") as fh:
        fh.write(data + b"\0" * (size - len(data)))
    if st is not None:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


@pytest.mark.parametrize("kind", ["trash", "move"])
def test_undo_leaves_another_file_of_the_same_size_where_it_is(lib, monkeypatch, kind):
    """The file at a photo's place in the trash (or --to) was replaced since by another one of the same size
    (the photo restored by hand and the trash emptied; the desktop then trashed another a/IMG_1.JPG of one
    size, a camera's uncompressed RAW say): undo compared sizes only, put that file into the library as the
    photo, and removed its trash entry. IMG_1 is replaced by a file with its size and even its modification
    time: it is left where it is, said with the file and the reason; the batch is not marked undone, and undo
    puts back what it can. IMG_2, its own bytes only touched since (another modification time), is the photo
    and comes back: it was refused too, and the person had to move it back by hand."""
    tmp_path, store, f = lib
    decide(store, f["IMG_2"], "discard")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    plan = plan_trash(store) if kind == "trash" else plan_move(store, tmp_path / "rejects")
    result = execute(store, plan)
    moved = dict(result.moved)
    one, two = str(f["IMG_1"]), str(f["IMG_2"])
    saved = {p: Path(moved[p]).read_bytes() for p in (one, two)}
    when = os.stat(moved[one]).st_mtime_ns
    _same_size_other_photo(moved[one], str(f["IMG_3"]), times_of=moved[one])
    assert os.path.getsize(moved[one]) == len(saved[one])
    os.utime(moved[two], ns=(0, os.stat(moved[two]).st_mtime_ns + 2_000_000_000))  # its bytes, touched since
    back = undo(store)
    failed = dict(back.failed)
    held = [f[name] for name in ("IMG_1.CR2", "IMG_1.CR2.xmp", "IMG_1.JPG.xmp")]  # its RAW and sidecars stay with it
    assert sorted(failed) == sorted([one, *held])
    why = f"{moved[one]} is not the file this batch moved there (same size, but another content: replaced since?); " \
        "left as it is"
    assert failed[one] == f"{one}: {why}"
    for path in held:
        assert failed[path] == f"{path}: not put back (it stays at {moved[path]}): its photo IMG_1.JPG was not put " \
            f"back: {why}"
    assert not os.path.lexists(one) and Path(moved[one]).read_bytes() != saved[one]
    assert Path(two).read_bytes() == saved[two] and not os.path.lexists(moved[two])
    if kind == "trash":  # the trash entry stays with its file
        assert os.path.exists(trash.info_path_for(moved[one]))
    assert os.path.exists(f["IMG_2.AAE"]) and not any(os.path.lexists(p) for p in held)  # the other photo's: back
    assert list_batches(store)[0].state != "undone"
    # the photo's own bytes and time back at its place: undo takes it
    os.unlink(moved[one])
    with open(moved[one], "wb") as fh:
        fh.write(saved[one])
    os.utime(moved[one], ns=(when, when))
    again = undo(store, result.batch_id)
    assert again.failed == []
    assert Path(one).read_bytes() == saved[one] and all(os.path.exists(p) for p in held)


def test_rows_journaled_before_the_time_and_sample_are_compared_by_size(lib, tmp_path):
    """A batch journaled by an older blurscan (schema 2: no modification time, no sample) is still undone: its
    rows are compared by size, as before."""
    tmp_path, store, f = lib
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    with store.transaction() as conn:
        conn.execute("UPDATE journal SET mtime_ns = NULL, sample_sha256 = NULL")
    moved = dict(result.moved)[str(f["IMG_1"])]
    os.utime(moved, ns=(0, 0))
    back = undo(store)
    assert back.complete and os.path.exists(f["IMG_1"]), back.failed


def test_a_moved_file_that_cannot_be_read_now_is_named_with_the_reason(lib, monkeypatch):
    """Undo reads the ends of the file at the destination (its sample): a file made unreadable since (its
    permissions) was reported as `lib/a/IMG_1.JPG: permission denied`, the photo's own path, where no file is.
    The message names the file that cannot be read; nothing is moved, and undo takes it back once readable."""
    import importlib

    restore_module = importlib.import_module("blurscan.actions.restore")
    tmp_path, store, f = lib
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    photo = str(f["IMG_1"])
    moved = dict(result.moved)[photo]
    real = restore_module.sample_sha256

    def unreadable(path):
        if path == moved:
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(restore_module, "sample_sha256", unreadable)
    back = undo(store)
    assert (photo, f"{photo}: {moved} cannot be read to tell whether it is the file this batch moved there: "
                   "permission denied; left as it is") in back.failed
    assert os.path.exists(moved) and not os.path.lexists(photo)
    monkeypatch.setattr(restore_module, "sample_sha256", real)
    assert undo(store).failed == [] and os.path.exists(photo)
