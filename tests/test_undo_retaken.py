"""Undo of an earlier batch whose photo a later batch took again: batch 1 moved (or trashed) IMG_4, the person put
it back at its place by hand (out of ``--to``, out of the trash), and batch 2 took it again. ``undo --batch 1`` said
the photo "could not be restored" (no longer where the move put it nor at its place, so undo cannot bring it
back), exit 1, and closed batch 1, though batch 2's undo brings it back. It now says which batch took it and the
command that brings it back, counted apart from the files it could not restore; batch 1 is undone. Another file
the person put at the photo's path, taken by batch 2, is not taken for the photo (its size or sample differ)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import journal
from blurscan.cli import main
from blurscan.records import ScanRecord
from blurscan.store import Store
from helpers_library import decide, sha


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _closed(lib_discarded, monkeypatch):
    """The discarded library, its store closed for the CLI, the trash in its own folder: ``(tmp_path, the library,
    files)``."""
    tmp_path, store, f = lib_discarded
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store.close()
    return tmp_path, tmp_path / "lib", f


def _take(kind: str, root: Path, to: Path):
    """The real ``move --to TO --yes`` (or ``trash --yes``) of the library's photos marked discard."""
    out = _run(*(["move", "--to", to] if kind == "move" else ["trash"]), "--yes", root)
    assert out.exit_code == 0, out.output
    return out


def _where(root: Path, batch_id: int, photo: str) -> str:
    with Store(root / ".blurscan.db") as store:
        [row] = [r for r in journal.rows(store, batch_id) if r.src == photo]
    return row.dst


def _batch_state(root: Path, batch_id: int) -> str:
    with Store(root / ".blurscan.db") as store:
        return journal.batch(store, batch_id).state


def _other_taken_by_batch_2(root: Path, f: dict, tmp_path: Path) -> None:
    """The file now at IMG_4's path (not the photo) scanned, marked discard and taken by batch 2 (``move``)."""
    st = os.stat(f["IMG_4"])
    with Store(root / ".blurscan.db") as again:
        again.put([ScanRecord(path=f["IMG_4"], verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                              format="JPEG")], "test")
        decide(again, f["IMG_4"], "discard")
    _take("move", root, tmp_path / "rej2")


@pytest.fixture
def taken_again(lib_discarded, monkeypatch, request):
    """``(root, files, photo's sha256)``: batch 1 (``request.param[0]``) took IMG_2, IMG_4 and IMG_5 (their
    sidecars with them); IMG_4 was put back by hand (moved out of ``--to`` or the trash, its trash entry left, as a
    file manager's move does); batch 2 (``request.param[1]``) took IMG_4 again, alone."""
    tmp_path, root, f = _closed(lib_discarded, monkeypatch)
    earlier, later = request.param
    photo = sha(f["IMG_4"])
    _take(earlier, root, tmp_path / "rej1")
    os.rename(_where(root, 1, f["IMG_4"]), f["IMG_4"])  # put back by hand
    out = _take(later, root, tmp_path / "rej2")
    assert "1 photo (1 file" in out.stdout and "as batch 2" in out.stdout, out.output
    assert not os.path.exists(f["IMG_4"])
    return root, f, photo


BOTH = [("move", "move"), ("move", "trash"), ("trash", "move"), ("trash", "trash")]


@pytest.mark.parametrize("taken_again", BOTH, indirect=True, ids=["-then-".join(p) for p in BOTH])
def test_undo_batch_of_the_earlier_batch_names_the_later_one_and_does_not_call_the_photo_lost(taken_again):
    root, f, photo = taken_again
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 0, out.output
    assert "could not be restored" not in out.output and "closed" not in out.output, out.output
    assert out.stdout.startswith("batch 1: restored 3 files, 1 taken again by batch 2 since it was put back "
                                 "(`blurscan undo --batch 2 "), out.output
    assert f"note: {f['IMG_4']}: put back at its place since batch 1 moved it, then taken again by batch 2 (to " \
           in out.stderr and "`blurscan undo --batch 2 " in out.stderr, out.output
    assert os.path.exists(f["IMG_2"]) and os.path.exists(f["IMG_2.AAE"]) and not os.path.exists(f["IMG_4"])
    assert _batch_state(root, 1) == "undone"
    back = _run("undo", root)  # (a plain undo: batch 2, the one left)
    assert back.exit_code == 0 and back.stdout.startswith("batch 2: restored 1 file"), back.output
    assert sha(f["IMG_4"]) == photo
    assert "Nothing to undo" in _run("undo", root).stdout


@pytest.mark.parametrize("taken_again", [("move", "move")], indirect=True)
def test_a_plain_undo_goes_to_the_later_batch_first_and_then_finds_the_photo_back(taken_again):
    root, f, photo = taken_again
    first = _run("undo", root)
    assert first.exit_code == 0 and first.stdout.startswith("batch 2: restored 1 file"), first.output
    then = _run("undo", root)
    assert then.exit_code == 0, then.output
    assert then.stdout.startswith("batch 1: restored 3 files, 1 already back in place (put back by hand)"), then.output
    assert "taken again" not in then.output and sha(f["IMG_4"]) == photo


@pytest.mark.parametrize("taken_again", [("move", "move")], indirect=True)
def test_an_earlier_batch_closed_with_the_photo_counted_gone_is_undone_once_looked_at_again(taken_again):
    """A database whose ``undo --batch 1`` was run by a blurscan from before this: batch 1 closed, IMG_4's row
    ``gone``. ``--batch 1`` looks at it again and finds it taken by batch 2."""
    root, f, photo = taken_again
    with Store(root / ".blurscan.db") as store:
        [row] = [r for r in journal.rows(store, 1) if r.src == f["IMG_4"]]
        journal.mark(store, row.id, "gone", error="undo: missing")
        journal.set_batch_state(store, 1, "closed")
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 0 and "1 taken again by batch 2" in out.stdout, out.output
    assert _batch_state(root, 1) == "undone"


@pytest.mark.parametrize("other", ["another size", "the same size, other bytes"])
def test_another_file_at_the_photos_place_taken_by_the_later_batch_is_not_the_photo(lib_discarded, other):
    """IMG_4 deleted from rej1, another file put at its path (and scanned, marked discard), batch 2 took that one:
    ``undo --batch 1`` says IMG_4 could not be restored, gone, as before, and closes batch 1 (never "taken
    again": batch 2's undo brings back that other file, not the photo)."""
    tmp_path, store, f = lib_discarded
    store.close()
    root = tmp_path / "lib"
    _take("move", root, tmp_path / "rej1")
    moved = _where(root, 1, f["IMG_4"])
    data = bytearray(Path(moved).read_bytes())
    os.unlink(moved)
    if other == "another size":
        data = Path(f["IMG_3"]).read_bytes()  # (another photo: another size)
    else:  # (the photo's bytes, one changed near its end, within the sample: its size, not its sample)
        data[-10] ^= 0xFF
    Path(f["IMG_4"]).write_bytes(bytes(data))
    _other_taken_by_batch_2(root, f, tmp_path)
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 1, out.output
    assert "1 could not be restored" in out.stdout and "batch 1 is closed" in out.stdout, out.output
    assert "taken again" not in out.output


@pytest.mark.parametrize("taken_again", [("move", "move"), ("trash", "move")], indirect=True,
                         ids=["move", "trash"])
def test_put_back_and_taken_a_third_time_the_note_names_the_batch_that_has_it(taken_again, tmp_path):
    """IMG_4 put back out of rej2 too, and taken by batch 3: ``undo --batch 1`` named batch 2 (its note: to
    rej2, where it is not; batch 2's undo said in turn that batch 3 took it). It names batch 3, which has it."""
    root, f, photo = taken_again
    os.rename(_where(root, 2, f["IMG_4"]), f["IMG_4"])  # put back by hand again
    _take("move", root, tmp_path / "rej3")
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 0, out.output
    assert "1 taken again by batch 3 since it was put back (`blurscan undo --batch 3 " in out.stdout, out.output
    assert "batch 2" not in out.output, out.output
    assert f"then taken again by batch 3 (to {tmp_path / 'rej3'}{os.sep}" in out.stderr, out.output
    back = _run("undo", "--batch", 3, root)
    assert back.exit_code == 0 and back.stdout.startswith("batch 3: restored 1 file"), back.output
    assert sha(f["IMG_4"]) == photo


@pytest.mark.parametrize("taken_again", [("move", "move"), ("move", "trash")], indirect=True,
                         ids=["move", "trash"])
def test_deleted_from_the_later_batchs_folder_the_photo_is_gone_not_taken_again(taken_again):
    """IMG_4 deleted from where batch 2 put it (rej2, the trash): ``undo --batch 1`` said batch 2's undo brings it
    back (exit 0, batch 1 undone) while ``report`` said undo cannot bring it back, and batch 2's undo said it could
    not be restored. It is gone, as report says: could not be restored, batch 1 closed."""
    root, f, photo = taken_again
    os.unlink(_where(root, 2, f["IMG_4"]))
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 1, out.output
    assert "taken again" not in out.output and "brings it back" not in out.output, out.output
    assert "1 could not be restored" in out.stdout and "batch 1 is closed" in out.stdout, out.output
    report = _run("report", root)
    assert "`blurscan undo` cannot bring it back" in report.output, report.output


def _old_rows(root: Path, batch_id: int) -> None:
    """Batch ``batch_id``'s rows as a blurscan from before schema 3 journaled them: no sample, no time."""
    with Store(root / ".blurscan.db") as store, store.transaction() as conn:
        conn.execute("UPDATE journal SET mtime_ns = NULL, sample_sha256 = NULL WHERE batch_id = ?", (batch_id,))


def test_a_row_journaled_before_samples_is_not_taken_for_another_photo_of_its_size(lib_discarded):
    """Batch 1 journaled before schema 3 (its rows: size only); IMG_4 deleted from rej1, another file of
    IMG_4's size put at its path (a RAW of the same camera has the same size), batch 2 took it: ``undo --batch 1``
    said IMG_4 was put back and taken again by batch 2, whose undo brings it back (exit 0): the photo deleted, and
    nothing told. It says it could not be restored, as before, batch 1 closed."""
    tmp_path, store, f = lib_discarded
    store.close()
    root = tmp_path / "lib"
    _take("move", root, tmp_path / "rej1")
    _old_rows(root, 1)
    moved = _where(root, 1, f["IMG_4"])
    size = os.path.getsize(moved)
    other = Path(f["IMG_3"]).read_bytes()[:size]  # (another photo's bytes, cut or padded to its size)
    os.unlink(moved)
    Path(f["IMG_4"]).write_bytes(other + b"\0" * (size - len(other)))
    _other_taken_by_batch_2(root, f, tmp_path)
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 1, out.output
    assert "taken again" not in out.output, out.output
    assert "1 could not be restored" in out.stdout and "batch 1 is closed" in out.stdout, out.output


@pytest.mark.parametrize("taken_again", [("move", "move")], indirect=True)
def test_a_row_journaled_before_samples_is_the_photo_by_both_sha256(taken_again):
    """Both rows copies across drives (their SHA-256 journaled, the photo's): batch 1's old row is that photo."""
    root, f, photo = taken_again
    _old_rows(root, 1)
    with Store(root / ".blurscan.db") as store, store.transaction() as conn:
        conn.execute("UPDATE journal SET sha256 = ? WHERE src = (SELECT src FROM journal WHERE batch_id = 2)",
                     (photo,))
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 0 and "1 taken again by batch 2" in out.stdout, out.output


def test_the_later_batchs_drive_unplugged_the_photo_is_still_taken_again(lib_discarded, monkeypatch):
    """Batch 2's ``--to`` on a drive unplugged since: its file cannot be looked at, and is not taken for gone
    (batch 1 closed, the photo said lost): batch 2 took it, and its undo says when the drive is back. (Passes on
    main: a guard of the look at the later batch's file.)"""
    from blurscan.actions import drives

    tmp_path, store, f = lib_discarded
    store.close()
    root = tmp_path / "lib"
    media = tmp_path / "media"
    monkeypatch.setattr(drives, "MOUNT_PARENTS", ((str(media), 2),))
    _take("move", root, tmp_path / "rej1")
    os.rename(_where(root, 1, f["IMG_4"]), f["IMG_4"])  # put back by hand
    _take("move", root, media / "me" / "usb" / "rej2")
    os.rename(media / "me" / "usb", tmp_path / "unplugged")
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text("27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n")
    monkeypatch.setattr(drives, "MOUNTINFO", str(mountinfo))
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 0 and "1 taken again by batch 2" in out.stdout, out.output
    assert "could not be restored" not in out.output


@pytest.mark.parametrize("taken_again", [("move", "trash")], indirect=True)
def test_the_later_trash_batchs_name_holding_another_file_the_photo_is_gone(taken_again):
    """Batch 2 trashed IMG_4; the trash emptied since, and another file of its name trashed by the desktop (its
    entry names another path): ``undo --batch 1`` said batch 2's undo brings the photo back, which said it gone."""
    root, f, photo = taken_again
    in_trash = Path(_where(root, 2, f["IMG_4"]))
    info = in_trash.parent.parent / "info" / (in_trash.name + ".trashinfo")
    in_trash.write_bytes(b"another photo")
    info.write_text(f"[Trash Info]\nPath={root.parent / 'elsewhere' / in_trash.name}\n"
                    "DeletionDate=2026-12-07T10:00:00\n")
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 1 and "taken again" not in out.output, out.output
    assert "1 could not be restored" in out.stdout and "batch 1 is closed" in out.stdout, out.output


@pytest.mark.parametrize("taken_again", [("move", "move"), ("trash", "move")], indirect=True, ids=["move", "trash"])
def test_another_file_at_the_later_batchs_place_is_not_the_photo_the_batch_after_it_holds(taken_again, tmp_path):
    """IMG_4 put back out of rej2 too and trashed by batch 3; another file is at its name in rej2 since (a new
    camera file of its name, moved there by a later batch, or put there by hand): ``undo --batch 1`` named batch 2,
    whose undo then failed ("not the file this batch moved there"), while batch 3 had the photo. It names batch 3."""
    root, f, photo = taken_again
    in_rej2 = _where(root, 2, f["IMG_4"])
    os.rename(in_rej2, f["IMG_4"])  # put back by hand again
    _take("trash", root, tmp_path / "unused")
    Path(in_rej2).write_bytes(b"another photo of the same name")
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 0, out.output
    assert "1 taken again by batch 3 since it was put back (`blurscan undo --batch 3 " in out.stdout, out.output
    assert "batch 2" not in out.output, out.output
    back = _run("undo", "--batch", 3, root)
    assert back.exit_code == 0 and back.stdout.startswith("batch 3: restored 1 file"), back.output
    assert sha(f["IMG_4"]) == photo


def test_files_gone_that_no_later_batch_took_are_not_looked_for_in_its_rows(lib_discarded, tmp_path):
    """An undo of a batch whose files are all gone (its --to folder deleted) looks at the later batches' places
    once, not in their rows for each file (no index by path: 2,000 photos gone with 20,000 later rows made the
    undo take 5.1 s where it takes 1.2 s, the day "taken again" came). A photo a later batch did take again is
    still found."""
    from blurscan.actions import undo

    _tmp, store, f = lib_discarded
    store.close()
    root = tmp_path / "lib"
    _take("move", root, tmp_path / "rej1")
    os.rename(_where(root, 1, f["IMG_4"]), f["IMG_4"])  # put back by hand, then taken again by batch 2
    for key in ("IMG_2", "IMG_5"):
        os.unlink(_where(root, 1, f[key]))  # deleted from rej1: gone
    _take("move", root, tmp_path / "rej2")
    statements = []
    with Store(root / ".blurscan.db") as store:
        store.conn.set_trace_callback(statements.append)
        result = undo(store, 1)
    assert sorted(os.path.basename(p) for p in result.gone) == ["IMG_2.jpg", "IMG_5.jpg"], result
    assert [(os.path.basename(p), b) for p, b, _where_now in result.retaken] == [("IMG_4.jpg", 2)]
    rows_read = [s for s in statements if "AND j.src = " in s and "j.state IN ('moving', 'done', 'undoing')" in s]
    assert len(rows_read) == 1 and "IMG_4" in rows_read[0], rows_read  # (IMG_4's alone)
    assert sum("SELECT DISTINCT j.src" in s for s in statements) == 1


def _entry(in_trash: str) -> Path:
    """The ``.trashinfo`` entry of the file the trash holds at ``in_trash``."""
    return Path(in_trash).parent.parent / "info" / (Path(in_trash).name + ".trashinfo")


@pytest.mark.parametrize("taken_again", [("trash", "move"), ("trash", "trash")], indirect=True,
                         ids=["then-move", "then-trash"])
def test_the_trash_entry_of_a_photo_taken_out_of_the_trash_by_hand_is_not_left_there(taken_again):
    """IMG_4, trashed by batch 1, was taken out of the trash by hand (a file manager's move: its entry stays) and
    taken again by batch 2. Its entry stayed in ``Trash/info`` for good once both batches were undone, naming a file
    the trash no longer holds (and the desktop's next IMG_4.jpg went to the trash as IMG_4.1.jpg)."""
    root, f, photo = taken_again
    entry = _entry(_where(root, 1, f["IMG_4"]))
    assert entry.exists() and not entry.with_suffix("").exists()  # (its file out of Trash/files)
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 0 and "1 taken again by batch 2" in out.stdout, out.output
    assert not entry.exists()
    back = _run("undo", root)
    assert back.exit_code == 0 and back.stdout.startswith("batch 2: restored 1 file"), back.output
    assert sha(f["IMG_4"]) == photo
    assert list(entry.parent.iterdir()) == [] and list((entry.parent.parent / "files").iterdir()) == []


@pytest.mark.parametrize("names", ["the photo", "another file"])
def test_the_trash_entry_of_a_photo_deleted_from_the_trash_by_hand(lib_discarded, monkeypatch, names):
    """IMG_4 deleted from ``Trash/files`` by hand, its entry left: undo says it gone and removes the entry, which
    names the photo and no file (an entry the trash spec lets an implementation remove). One naming another path
    (the desktop's) is left as it is."""
    tmp_path, root, f = _closed(lib_discarded, monkeypatch)
    _take("trash", root, tmp_path / "unused")
    in_trash = _where(root, 1, f["IMG_4"])
    os.unlink(in_trash)
    entry = _entry(in_trash)
    if names == "another file":
        entry.write_text(f"[Trash Info]\nPath={tmp_path / 'elsewhere' / 'IMG_4.jpg'}\nDeletionDate=2026-12-07T10:00:00\n")
    out = _run("undo", root)
    assert out.exit_code == 1 and "1 could not be restored" in out.stdout, out.output
    assert f"{f['IMG_4']}: no longer in the trash" in out.stderr, out.output
    assert entry.exists() == (names == "another file")
    assert os.path.exists(f["IMG_2"]) and os.path.exists(f["IMG_5"])


@pytest.mark.parametrize("taken_again", BOTH, indirect=True, ids=["-then-".join(p) for p in BOTH])
def test_another_file_at_the_photos_place_since_the_later_batch_took_it_is_left_and_the_batch_named(taken_again):
    """Batch 1 moved IMG_4, it was put back by hand, batch 2 took it again, and then a new file appeared at its
    place (`printf x > lib/IMG_4.jpg`). ``undo --batch 1`` said "another file is now at its place ... nothing to
    put back" (exit 1) and closed batch 1, although batch 2 holds the photo (2026-12-07, the real CLI). It now says
    batch 2 took it again and that the file at its place is in the way; that file is never moved nor overwritten:
    batch 2's undo refuses, naming both, and brings the photo back once the file is moved away."""
    root, f, photo = taken_again
    Path(f["IMG_4"]).write_bytes(b"x")
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 0, out.output
    assert "could not be restored" not in out.output and "closed" not in out.output, out.output
    # (the line itself says when; until 2026-12-07 only the note did, the line saying it "brings it back")
    assert f", 1 taken again by batch 2 since it was put back (`blurscan undo --batch 2 {root}` brings it back once " \
        "the file now at its place is moved away)" in out.stdout, out.output
    assert (f"note: {f['IMG_4']}: put back at its place since batch 1 moved it, then taken again by batch 2 (to "
            f"{_where(root, 2, f['IMG_4'])}); another file is at its place now, left as it is: `blurscan undo "
            "--batch 2 ") in out.stderr, out.output
    assert _batch_state(root, 1) == "undone" and Path(f["IMG_4"]).read_bytes() == b"x"
    refused = _run("undo", root)  # (batch 2: the file in the way named, both left)
    assert refused.exit_code == 1, refused.output
    assert f"{f['IMG_4']}: both it and {_where(root, 2, f['IMG_4'])} exist with different content" in refused.stderr
    assert Path(f["IMG_4"]).read_bytes() == b"x" and sha(_where(root, 2, f["IMG_4"])) == photo
    os.rename(f["IMG_4"], root.parent / "moved-away")
    back = _run("undo", root)
    assert back.exit_code == 0 and back.stdout.startswith("batch 2: restored 1 file"), back.output
    assert sha(f["IMG_4"]) == photo and (root.parent / "moved-away").read_bytes() == b"x"


def test_of_files_taken_again_the_line_says_which_wait_for_a_file_at_their_place(lib_discarded, monkeypatch):
    """Batch 1 moved IMG_2 (with its AAE) and IMG_4, both put back by hand and taken again by batch 2, then a new
    file appeared at IMG_4's place alone: the line says batch 2's undo brings them back, IMG_4 once that file is
    moved away."""
    tmp_path, root, f = _closed(lib_discarded, monkeypatch)
    _take("move", root, tmp_path / "rej1")
    for name in ("IMG_2", "IMG_2.AAE", "IMG_4"):
        os.rename(_where(root, 1, f[name]), f[name])  # put back by hand
    _take("move", root, tmp_path / "rej2")
    Path(f["IMG_4"]).write_bytes(b"x")
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 0, out.output
    assert f", 3 taken again by batch 2 since they were put back (`blurscan undo --batch 2 {root}` brings them back, " \
        "1 of them once the file now at its place is moved away)" in out.stdout, out.output
    assert out.stderr.count("another file is at its place now") == 1, out.output


@pytest.mark.parametrize("taken_again", [("move", "move")], indirect=True)
def test_another_file_at_the_photos_place_and_the_photo_deleted_from_the_later_batchs_folder_is_gone(taken_again):
    """The same, the photo deleted from rej2 too: gone, as before (never "taken again"), the file left as it is."""
    root, f, _photo = taken_again
    os.unlink(_where(root, 2, f["IMG_4"]))
    Path(f["IMG_4"]).write_bytes(b"x")
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 1 and "taken again" not in out.output, out.output
    assert "another file is now at its place" in out.stderr and "batch 1 is closed" in out.stdout, out.output
    assert Path(f["IMG_4"]).read_bytes() == b"x"


def _aae_left_by_a_photo_taken_again(lib_discarded, monkeypatch):
    """Batch 1 moved IMG_2 and IMG_2.AAE to rej1; the photo alone was put back by hand, batch 2 took it to rej2, and
    a new file (``x``) is at its place now: ``(root, files, where the AAE is in rej1)``."""
    tmp_path, root, f = _closed(lib_discarded, monkeypatch)
    _take("move", root, tmp_path / "rej1")
    aae = _where(root, 1, f["IMG_2.AAE"])
    os.rename(_where(root, 1, f["IMG_2"]), f["IMG_2"])  # the photo alone put back by hand
    _take("move", root, tmp_path / "rej2")
    Path(f["IMG_2"]).write_bytes(b"x")
    return root, f, aae


def test_the_files_of_a_photo_taken_again_with_another_file_at_its_place_stay_where_they_are(lib_discarded, monkeypatch):
    """Batch 1 moved IMG_2 and IMG_2.AAE; the photo alone was put back by hand, batch 2 took it again, and a new
    file appeared at its place. The AAE is not put back beside that file (it would go with it, as for a photo
    replaced: ``undo._held``): it stays in rej1, a failure to retry, and comes back once batch 2's undo has."""
    root, f, aae = _aae_left_by_a_photo_taken_again(lib_discarded, monkeypatch)
    out = _run("undo", "--batch", 1, root)
    assert out.exit_code == 1 and "1 taken again by batch 2" in out.stdout, out.output
    assert (f"{f['IMG_2.AAE']}: not put back (it stays at {aae}): its photo IMG_2.jpg was not put back: taken again "
            "by batch 2, and another file is at its place now") in out.stderr, out.output
    assert os.path.exists(aae) and not os.path.exists(f["IMG_2.AAE"]) and Path(f["IMG_2"]).read_bytes() == b"x"
    assert _batch_state(root, 1) not in ("undone", "closed")  # (to be undone again)
    os.unlink(f["IMG_2"])
    assert _run("undo", "--batch", 2, root).exit_code == 0
    again = _run("undo", "--batch", 1, root)
    assert again.exit_code == 0 and os.path.exists(f["IMG_2.AAE"]) and not os.path.exists(aae), again.output


def test_the_files_of_a_photo_taken_again_stay_where_they_are_when_undo_is_run_again(lib_discarded, monkeypatch):
    """The same, ``undo --batch 1`` run again (as its line says) with the new file still at the photo's place: the
    AAE stays in rej1, said so again. Until 2026-12-07 the photo's row, undone by the first undo, no longer held
    it: the second put it back beside that file (which it would go with) and said batch 1 undone."""
    root, f, aae = _aae_left_by_a_photo_taken_again(lib_discarded, monkeypatch)
    assert _run("undo", "--batch", 1, root).exit_code == 1
    again = _run("undo", "--batch", 1, root)
    assert again.exit_code == 1, again.output
    assert (f"{f['IMG_2.AAE']}: not put back (it stays at {aae}): its photo IMG_2.jpg was not put back: taken again "
            "by batch 2, and another file is at its place now") in again.stderr, again.output
    assert os.path.exists(aae) and not os.path.exists(f["IMG_2.AAE"]) and Path(f["IMG_2"]).read_bytes() == b"x"
    assert _batch_state(root, 1) not in ("undone", "closed")
    os.unlink(f["IMG_2"])  # (the file moved away: batch 2 brings the photo back, then batch 1 its AAE)
    assert _run("undo", "--batch", 2, root).exit_code == 0
    last = _run("undo", "--batch", 1, root)
    assert last.exit_code == 0 and os.path.exists(f["IMG_2.AAE"]) and not os.path.exists(aae), last.output
    assert _batch_state(root, 1) == "undone"
