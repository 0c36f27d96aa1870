"""What a power cut (not a kill) leaves: only fsynced bytes, and names whose folder was fsynced, are on disk after
it. Each file move, sidecar write or trash entry must find on disk what undo needs before it happens: its journal
row (committed with ``PRAGMA synchronous = FULL``, the ``-wal`` fsynced; ``NORMAL`` left the last commits to the
system's write-back, a photo moved and fsynced in its new folder that no row named), and the folders it is made
in (a folder made for it whose name was not fsynced in its parent took the photo with it)."""
from __future__ import annotations

import os

import pytest

from blurscan.actions import backup_copy, execute, moves, plan_move, plan_trash, sidecar_write, undo, xmp
from helpers_library import decide

FULL = 2


@pytest.fixture
def renames(monkeypatch):
    """Every rename of a photo or sidecar (``moves._rename_noreplace``, ``os.replace``) with the synchronous level
    of the database's connection at that moment: ``(src, dst, level)``."""
    seen, stores = [], []
    real_noreplace, real_replace = moves._rename_noreplace, os.replace

    def level():
        return stores[0].conn.execute("PRAGMA synchronous").fetchone()[0] if stores else None

    def noreplace(src, dst):
        seen.append((src, dst, level()))
        return real_noreplace(src, dst)

    def replace(src, dst, *a, **k):
        seen.append((os.fspath(src), os.fspath(dst), level()))
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(moves, "_rename_noreplace", noreplace)
    monkeypatch.setattr(sidecar_write, "_rename_noreplace", noreplace)
    monkeypatch.setattr(os, "replace", replace)
    return seen, stores


def test_a_move_and_its_undo_have_their_journal_rows_on_disk_before_each_file_moves(lib, tmp_path, renames):
    root, store, f = lib
    seen, stores = renames
    stores.append(store)
    decide(store, f["IMG_4"], "discard")
    result = execute(store, plan_move(store, str(tmp_path / "rejects")))
    assert result.failed == [] and result.moved
    assert seen and all(level == FULL for _s, _d, level in seen), seen
    moved = len(seen)
    assert undo(store).complete and os.path.exists(f["IMG_4"])
    assert len(seen) > moved and all(level == FULL for _s, _d, level in seen), seen
    # the scan's results stay at NORMAL (a rescan makes them again): only the actions pay for the fsyncs
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1


def test_a_trashed_photo_has_its_journal_row_on_disk_before_it_goes(lib, tmp_path, renames, monkeypatch):
    root, store, f = lib
    seen, stores = renames
    stores.append(store)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    decide(store, f["IMG_4"], "discard")
    result = execute(store, plan_trash(store))
    assert result.failed == [] and result.moved
    assert seen and all(level == FULL for _s, _d, level in seen), seen


def test_tag_has_each_sidecars_row_on_disk_before_the_sidecar_changes(lib, renames):
    from test_xmp import _tag_library

    root, store, f = _tag_library(lib)
    seen, stores = renames
    stores.append(store)
    result = xmp.tag_photos(store)
    assert result.failed == [] and result.batch_id is not None
    assert seen and all(level == FULL for _s, _d, level in seen), seen


@pytest.fixture
def events(monkeypatch):
    """In order: ``("fsync", folder)`` for every folder fsynced (``moves._fsync_dir``, as :mod:`.sidecar_write` binds it too)
    and ``("rename", src, dst)`` for every file renamed into place (``moves._rename_noreplace``, ``os.replace``)."""
    seen = []
    real_fsync, real_noreplace, real_replace = moves._fsync_dir, moves._rename_noreplace, os.replace

    def fsync_dir(folder):
        seen.append(("fsync", os.fspath(folder)))
        return real_fsync(folder)

    def noreplace(src, dst):
        seen.append(("rename", src, dst))
        return real_noreplace(src, dst)

    def replace(src, dst, *a, **k):
        seen.append(("rename", os.fspath(src), os.fspath(dst)))
        return real_replace(src, dst, *a, **k)

    for module in (moves, sidecar_write):
        monkeypatch.setattr(module, "_fsync_dir", fsync_dir)
        monkeypatch.setattr(module, "_rename_noreplace", noreplace)
    monkeypatch.setattr(backup_copy, "_fsync_at", lambda fd, folder: (fsync_dir(folder), os.fsync(fd)))
    monkeypatch.setattr(os, "replace", replace)
    return seen


def _fsynced_before(events, dst) -> set[str]:
    """The folders fsynced before the first rename to ``dst``."""
    at = next(i for i, e in enumerate(events) if e[0] == "rename" and e[2] == dst)
    return {e[1] for e in events[:at] if e[0] == "fsync"}


def test_a_move_into_new_folders_has_each_folders_name_on_disk_before_the_photo_goes_in(lib, tmp_path, events):
    """``--to`` and the sub-folders made in it: a power cut could keep the photo's rename (fsynced in its new folder,
    and out of the library) and lose a folder made for it, the photo with it."""
    root, store, f = lib
    decide(store, f["IMG_4"], "discard")
    to = tmp_path / "rejects"
    result = execute(store, plan_move(store, str(to)))
    assert result.failed == [] and [d for _s, d in result.moved] == [str(to / "b" / "c" / "IMG_4.jpg")]
    assert {str(tmp_path), str(to), str(to / "b")} <= _fsynced_before(events, str(to / "b" / "c" / "IMG_4.jpg"))


def test_a_trashed_photo_has_its_trash_entry_and_the_trash_folders_on_disk_before_it_goes(lib, tmp_path, events,
                                                                                           monkeypatch):
    """The freedesktop.org specification: the ``.trashinfo`` first. Its bytes were fsynced, its name in ``info/`` was
    not, nor were the trash's folders made for the first photo trashed."""
    root, store, f = lib
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    decide(store, f["IMG_4"], "discard")
    result = execute(store, plan_trash(store))
    assert result.failed == [] and result.moved
    [(_src, dst)] = result.moved
    assert os.path.dirname(dst) == str(data / "Trash" / "files")
    assert {str(tmp_path), str(data), str(data / "Trash"), str(data / "Trash" / "info")} <= \
        _fsynced_before(events, dst)
    assert undo(store).complete and os.path.exists(f["IMG_4"])


def test_tag_has_the_folders_of_its_copies_on_disk_before_a_sidecar_changes(lib, events):
    """``<db>.tag-backups/batch-N``, made for the first copy of a batch: the copy's name was fsynced in it, its
    own name and that of ``<db>.tag-backups`` were not."""
    from blurscan.actions import journal
    from test_xmp import _tag_library

    root, store, f = _tag_library(lib)
    result = xmp.tag_photos(store)
    assert result.failed == [] and result.batch_id is not None
    first = next(e[2] for e in events if e[0] == "rename" and e[2].endswith(".xmp"))
    assert {str(root), journal.backups_root(store)} <= _fsynced_before(events, first)


def test_a_keep_on_the_review_page_is_on_disk_when_the_page_says_so(tmp_path, monkeypatch):
    """The review page's keeps and discards were committed at ``NORMAL``: a power cut could lose the last clicks,
    and a keep lost let a later ``move --all-blurry`` take the photo. Committed at ``FULL`` now."""
    from blurscan.review import decisions, security
    from helpers_review import _post, build_review_library, review_client

    lib = build_review_library(tmp_path)
    levels = []
    real = decisions.record_in

    def record_in(conn, *a, **k):
        levels.append(conn.execute("PRAGMA synchronous").fetchone()[0])
        return real(conn, *a, **k)

    monkeypatch.setattr(decisions, "record_in", record_in)
    client = review_client(lib)
    photo = lib[1]["blurry.jpg"].path
    assert _post(client, "/api/decision", {"id": security.path_id(photo), "decision": "keep"}).status_code == 200
    assert levels == [FULL]
