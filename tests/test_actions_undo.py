"""``blurscan undo``: byte-identical restore, including after a kill at any point of a batch.

Kill points are reached two ways: a real subprocess running a batch is sent SIGKILL (after the Nth file, and
at random moments during cross-device copies); and each step boundary of the move primitive is interrupted
in-process by an exception raised from a patched function (the state the journal and the disk are left in
is the same as after a kill at that point, since nothing runs after it).
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from blurscan.actions import execute, journal, list_batches, moved_paths, plan_move, plan_trash, undo
from blurscan.actions import moves, run, sidecar_write, xmp
from blurscan.errors import NothingToUndo
from blurscan.store import Store
from helpers_library import build_library, decide, force_cross_device, other_device_dir, sha, snapshot


class Killed(BaseException):
    """Stands for SIGKILL: nothing after the raising point runs (no except/finally in our code catches it)."""


@pytest.fixture
def lib(tmp_path):
    store, files = build_library(tmp_path / "lib")
    for key in ("IMG_1", "IMG_2", "IMG_4", "IMG_5"):
        decide(store, files[key], "discard")
    yield tmp_path / "lib", store, files
    store.close()


def test_undo_restores_bytes_times_and_is_idempotent(lib, tmp_path):
    root, store, f = lib
    before = snapshot(root)
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    assert snapshot(root) != before
    back = undo(store)
    assert back.batch_id == result.batch_id and back.complete
    assert len(back.restored) == len(result.moved)
    assert snapshot(root) == before
    assert not (tmp_path / "rejects" / "a").exists()  # folders the batch created are removed when empty
    assert list_batches(store)[0].state == "undone"
    assert moved_paths(store) == frozenset()
    with pytest.raises(NothingToUndo, match="nothing to undo: 1 batch undone already"):
        undo(store)
    again = undo(store, result.batch_id)  # explicitly: nothing left to do, nothing touched
    assert again.restored == [] and snapshot(root) == before


def test_undo_never_overwrites_a_file_that_took_the_original_place(lib, tmp_path):
    root, store, f = lib
    before = snapshot(root)
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    Path(f["IMG_2"]).write_bytes(b"a new photo saved under the old name")
    back = undo(store)
    assert [p for p, _ in back.failed] == [f["IMG_2"], f["IMG_2.AAE"]]  # its sidecar stays with it
    assert Path(f["IMG_2"]).read_bytes() == b"a new photo saved under the old name"
    assert (tmp_path / "rejects" / "a" / "IMG_2.jpg").exists() and (tmp_path / "rejects" / "a" / "IMG_2.AAE").exists()
    assert list_batches(store)[0].state != "undone"
    # once the person moved the newcomer away, undo again finishes the job
    os.unlink(f["IMG_2"])
    back = undo(store, result.batch_id)
    assert back.complete and [d for d, _ in back.restored] == [str(tmp_path / "rejects" / "a" / n)
                                                                for n in ("IMG_2.jpg", "IMG_2.AAE")]
    assert snapshot(root) == before


def test_undo_of_cross_device_copy_checks_the_journaled_digest(lib, tmp_path, monkeypatch):
    root, store, f = lib
    force_cross_device(monkeypatch)
    result = execute(store, plan_move(store, tmp_path / "rejects"))
    moved = dict(result.moved)
    Path(moved[f["IMG_4"]]).write_bytes(b"corrupted in the rejects folder")
    back = undo(store)
    assert [p for p, _ in back.failed] == [f["IMG_4"]]
    assert "differs from the journal" in back.failed[0][1]
    assert not os.path.exists(f["IMG_4"])  # not restored with the wrong bytes
    assert os.path.exists(f["IMG_1"])


# -- interrupted at each step ---------------------------------------------------------------------------------

def _kill_when(monkeypatch, obj, name, should_kill):
    real = getattr(obj, name)

    def wrapper(*args, **kwargs):
        if should_kill(*args, **kwargs):
            raise Killed(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(obj, name, wrapper)


def _nth(n):
    count = {"n": 0}

    def check(*_a, **_k):
        count["n"] += 1
        return count["n"] == n
    return check


KILL_POINTS = {
    # after the journal row is 'moving', before anything happens
    "before-move": lambda mp: _kill_when(mp, run, "move_file", _nth(3)),
    # link fallback: the file is at both names (same inode)
    "between-link-and-unlink": lambda mp: (mp.setattr(moves, "_renameat2", None),
                                           _kill_when(mp, moves.os, "unlink", _nth(3))),
    # the move happened, the journal still says 'moving'
    "before-marking-done": lambda mp: _kill_when(
        mp, journal, "mark", lambda store, row_id, state, **k: state == "done" and row_id == 3),
    # cross-device: the temporary copy written, not yet verified nor renamed
    "copy-before-verify": lambda mp: (force_cross_device(mp), _kill_when(mp, moves, "sha256_file", _nth(3))),
    # cross-device: verified copy in place, source not yet removed
    "copy-before-unlink": lambda mp: (force_cross_device(mp), _kill_when(mp, moves.os, "unlink", _nth(3))),
}


@pytest.mark.parametrize("point", sorted(KILL_POINTS))
def test_undo_after_interruption_at_each_step(lib, tmp_path, monkeypatch, point):
    root, store, f = lib
    before = snapshot(root)
    plan = plan_move(store, tmp_path / "rejects")
    with monkeypatch.context() as mp:
        KILL_POINTS[point](mp)
        with pytest.raises(Killed):
            execute(store, plan)
    assert list_batches(store)[0].state == "running"
    states = [r.state for r in journal.rows(store, 1)]
    assert "moving" in states and "planned" in states
    back = undo(store)
    assert back.complete, back.failed
    assert snapshot(root) == before
    rejects = tmp_path / "rejects"
    assert not rejects.exists() or [n for _, _, names in os.walk(rejects) for n in names] == []


def test_undo_trash_interrupted_after_entry_written(lib, tmp_path, monkeypatch):
    root, store, f = lib
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    before = snapshot(root)
    with monkeypatch.context() as mp:
        _kill_when(mp, run, "move_file", _nth(2))
        with pytest.raises(Killed):
            execute(store, plan_trash(store))
    trash = tmp_path / "data" / "Trash"
    assert len(os.listdir(trash / "info")) == 2 and len(os.listdir(trash / "files")) == 1
    assert undo(store).complete
    assert snapshot(root) == before
    assert os.listdir(trash / "info") == [] and os.listdir(trash / "files") == []


# -- real SIGKILL of a running batch -----------------------------------------------------------------------------

_CHILD = textwrap.dedent("""
    import sys, time
    from blurscan.store import Store
    from blurscan.actions import plan_move, plan_trash, execute
    db, dest, stop_after = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store(db, create=False)
    plan = plan_trash(store) if dest == "TRASH" else plan_move(store, dest)
    print("start", len(plan.files), flush=True)
    def progress(done, total, path):
        print("moved", done, flush=True)
        if done == stop_after:
            time.sleep(60)  # the parent kills us here
    execute(store, plan, progress=progress)
    print("finished", flush=True)
""")


def _spawn(db, dest, stop_after, env=None):
    return subprocess.Popen([sys.executable, "-c", _CHILD, str(db), str(dest), str(stop_after)], stdout=subprocess.PIPE,
                            text=True, env=env)


@pytest.mark.parametrize("kind", ["move", "trash"])
def test_sigkill_after_nth_file_then_undo(lib, tmp_path, kind):
    root, store, f = lib
    before = snapshot(root)
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    proc = _spawn(store.path, "TRASH" if kind == "trash" else tmp_path / "rejects", 3, env)
    try:
        assert proc.stdout.readline().startswith("start")
        for _ in range(3):
            assert proc.stdout.readline().startswith("moved")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)  # (its pipe closed too)
    assert proc.returncode == -signal.SIGKILL
    assert len(moved_paths(store)) == 3
    assert list_batches(store)[0].state == "running"
    back = undo(store)
    assert back.complete and len(back.restored) == 3
    assert snapshot(root) == before


@pytest.mark.slow
def test_sigkill_at_random_moments_during_cross_device_copies(tmp_path):
    other = other_device_dir()
    if other is None:
        pytest.skip("no second file system (/dev/shm) here")
    rng = random.Random(5)
    root = tmp_path / "lib"
    store, f = build_library(root)
    big = [root / "big" / f"IMG_{i:02d}.jpg" for i in range(12)]
    from blurscan.records import ScanRecord

    records = []
    for p in big:
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(os.urandom(3_000_000))
        st = os.stat(p)
        records.append(ScanRecord(path=str(p), verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns))
    store.put(records, "test")
    for p in big:
        decide(store, str(p), "discard")
    before = snapshot(root)
    states = []
    for attempt in range(5):
        dest = Path(tempfile.mkdtemp(dir=other, prefix="blurscan-kill-"))
        newest = max((batch.id for batch in list_batches(store)), default=0)
        try:
            # the last attempt stops after its 4th file and is killed there: one kill surely inside a batch
            # however slow this machine (the others may land anywhere)
            proc = _spawn(store.path, dest, 4 if attempt == 4 else 0)
            assert proc.stdout.readline().startswith("start")
            if attempt == 4:
                assert [proc.stdout.readline().split()[0] for _ in range(4)] == ["moved"] * 4
            elif attempt % 2 == 0:
                # right after the k-th file is reported done: the kill lands in the middle of the batch
                # (usually inside the next copy) whatever the speed of this machine
                k = rng.randint(1, 6)
                line = proc.stdout.readline()
                while line and not line.startswith(f"moved {k}"):
                    line = proc.stdout.readline()
                assert line, "the child ended before reporting its k-th file"
            else:
                time.sleep(rng.uniform(0.0, 0.25))  # anywhere: before the first copy, inside one, ...
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=10)  # (its pipe closed too)
            # (a kill before the batch was written leaves none: the next batch's number is not attempt + 1)
            made = [batch.id for batch in list_batches(store) if batch.id > newest]
            states.append(sorted(r.state for r in journal.rows(store, made[0])) if made else [])
            if made:  # (none made: nothing was moved, nothing to undo; a loaded machine's child, slow to write
                undo(store)  # its batch, was killed before it: `undo` said "nothing to undo", and the test failed)
            assert snapshot(root) == before, f"attempt {attempt}"
            assert [n for _, _, names in os.walk(dest) for n in names] == []
        finally:
            import shutil
            shutil.rmtree(dest, ignore_errors=True)
    store.close()
    # the kills landed inside batches (some files moved, some not), not only before or after them
    assert any("done" in s and ("planned" in s or "moving" in s) for s in states)
    assert states[4].count("done") == 4 and len(states[4]) == 12


def test_second_batch_waits_for_the_lock(lib, tmp_path):
    from blurscan.errors import ActionError

    root, store, f = lib
    other = Store(store.path)
    with journal.exclusive(other):
        with pytest.raises(ActionError, match="another blurscan"):
            execute(store, plan_move(store, tmp_path / "rejects"))
    other.close()
    assert list_batches(store) == []


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_name = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1,
                max_size=20).filter(lambda n: n not in (".", "..") and not n.startswith(".") and
                                    len(os.fsencode(n)) < 200)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_name, min_size=1, max_size=4, unique_by=lambda n: n.casefold()),
       to_trash=st.booleans())
def test_any_file_names_round_trip_through_move_or_trash_and_undo(names, to_trash, monkeypatch):
    """Spaces, percent signs, newlines, accents, emoji ...: moved (or trashed) and restored exactly."""
    from blurscan.records import ScanRecord

    with tempfile.TemporaryDirectory() as tmp:
        monkeypatch.setenv("XDG_DATA_HOME", os.path.join(tmp, "data"))
        root = Path(tmp) / "lib"
        (root / "sub").mkdir(parents=True)
        store = Store(root / ".blurscan.db")
        records = []
        for i, name in enumerate(names):
            p = root / "sub" / (name + ".jpg")
            p.write_bytes(os.urandom(100 + i))
            stt = os.stat(p)
            records.append(ScanRecord(path=str(p), verdict="blurry", size=stt.st_size, mtime_ns=stt.st_mtime_ns))
        store.put(records, "t")
        before = snapshot(root)
        plan = plan_trash(store, all_flagged=True) if to_trash else plan_move(store, Path(tmp) / "out",
                                                                               all_flagged=True)
        result = execute(store, plan)
        assert result.failed == [] and result.photos_moved == len(names)
        assert snapshot(root) == {}
        if to_trash:
            for src, dst in result.moved:
                from blurscan.actions import trash
                assert trash.original_path(trash.info_path_for(dst)) == src
        assert undo(store).complete
        assert snapshot(root) == before
        store.close()


@pytest.mark.parametrize("step", ["copy-back-before-verify", "copy-back-before-unlink", "before-marking-undone"])
def test_undo_interrupted_in_turn_can_be_run_again(lib, tmp_path, monkeypatch, step):
    root, store, f = lib
    before = snapshot(root)
    with monkeypatch.context() as mp:
        force_cross_device(mp)
        result = execute(store, plan_move(store, tmp_path / "rejects"))
        assert result.failed == []
        if step == "copy-back-before-verify":
            _kill_when(mp, moves, "sha256_file", _nth(2))
        elif step == "copy-back-before-unlink":
            _kill_when(mp, moves.os, "unlink", _nth(2))
        else:
            _kill_when(mp, journal, "mark", lambda store, row_id, state, **k: state == "undone" and row_id == 5)
        with pytest.raises(Killed):
            undo(store)
    assert list_batches(store)[0].state != "undone"
    back = undo(store)
    assert back.complete, back.failed
    assert snapshot(root) == before


# -- tag batches (XMP sidecars) interrupted -------------------------------------------------------------------

#: A sidecar a photo app wrote, with content tag must keep: merged by tag, byte-identical after undo.
SIDECAR = (b'<?xml version="1.0" encoding="UTF-8"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
           b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
           b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmp:Rating="3">'
           b'<dc:subject><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF>'
           b'</x:xmpmeta>\n')


def _tag_sidecars(lib):
    """The undo fixture's library with real XMP in IMG_1.JPG.xmp, its RAW twin's IMG_1.CR2.xmp and IMG_5.xmp;
    IMG_2 and IMG_4 have none. IMG_5.heic (sharp, never tagged) is taken away: beside it, IMG_5.xmp is its
    sidecar too, which tag leaves to it (test_xmp_shared.py)."""
    root, store, f = lib
    os.unlink(f["IMG_5h"])
    Path(f["IMG_1.JPG.xmp"]).write_bytes(SIDECAR % b"one")
    Path(f["IMG_1.CR2.xmp"]).write_bytes(SIDECAR % b"one raw")
    Path(f["IMG_5.xmp"]).write_bytes(SIDECAR % b"five")
    return root, store, f


def _merged(path) -> bool:
    return path.endswith(("IMG_1.JPG.xmp", "IMG_1.CR2.xmp", "IMG_5.xmp"))


def _marking(state, merged):
    """Kill when the first merged (or created) sidecar's row is about to be marked ``state``."""
    def check(store, row_id, new_state, **_):
        first = next((r.id for r in journal.rows(store, 1) if _merged(r.src) == merged), None)
        return new_state == state and row_id == first
    return check


def _leftovers(root, name) -> list[str]:
    return [str(p) for p in Path(root).rglob("*") if name in p.name]


TAG_KILL_POINTS = {
    # the copy of the previous bytes is written, the journal row is still 'planned'
    "copy-kept-not-journaled": (
        lambda mp: _kill_when(mp, journal, "mark", _marking("writing", True)),
        lambda root, before: len(_leftovers(root / ".blurscan.db.tag-backups", ".xmp")) == 1),
    # journaled 'writing', new bytes at the temporary name, the sidecar not yet replaced (or created)
    "merged-before-replace": (
        lambda mp: _kill_when(mp, sidecar_write, "_put_in_place", lambda tmp, path, **k: _merged(path)),
        lambda root, before: len(_leftovers(root, ".blurscan-tag")) == 1),
    "created-before-rename": (
        lambda mp: _kill_when(mp, sidecar_write, "_put_in_place", lambda tmp, path, **k: not _merged(path)),
        lambda root, before: len(_leftovers(root, ".blurscan-tag")) == 1),
    # the sidecar replaced (or created), the journal still says 'writing'
    "merged-after-replace": (
        lambda mp: _kill_when(mp, journal, "mark", _marking("done", True)),
        lambda root, before: any(sha(p) != before[p][0] for p in before if _merged(p))),
    "created-after-rename": (
        lambda mp: _kill_when(mp, journal, "mark", _marking("done", False)),
        lambda root, before: any(p.endswith("jpg.xmp") for p in _leftovers(root, ".xmp"))),
}


@pytest.mark.parametrize("point", sorted(TAG_KILL_POINTS))
def test_undo_of_tag_after_interruption_at_each_step(lib, monkeypatch, point):
    root, store, f = _tag_sidecars(lib)
    before = snapshot(root)
    kill, on_disk = TAG_KILL_POINTS[point]
    with monkeypatch.context() as mp:
        kill(mp)
        with pytest.raises(Killed):
            xmp.tag_photos(store)
    assert on_disk(root, before)  # the kill left the state this point stands for
    [info] = list_batches(store)
    assert (info.kind, info.state) == ("tag", "running")
    back = undo(store)
    assert back.complete and back.kept == [], (back.failed, back.kept)
    # every sidecar as before (tag's copies and temporary files gone, the photos untouched)
    assert {p: s for p, (s, _) in snapshot(root).items()} == {p: s for p, (s, _) in before.items()}
    assert not os.path.exists(journal.backups_root(store))
    assert list_batches(store)[0].state == "undone"


def test_tag_keeps_the_previous_bytes_and_journals_before_changing_a_sidecar(lib, monkeypatch):
    """At the moment a sidecar is replaced, its copy is on disk and the journal row says 'writing'."""
    root, store, f = _tag_sidecars(lib)
    seen = {}
    real = sidecar_write._put_in_place

    def check(tmp, path, *, replace):
        rows = {r.src: r for r in journal.rows(store, 1)}
        row = rows[path]
        seen[path] = (row.state, None if row.dst is None else Path(row.dst).read_bytes(), Path(tmp).exists())
        real(tmp, path, replace=replace)

    monkeypatch.setattr(sidecar_write, "_put_in_place", check)
    result = xmp.tag_photos(store)
    assert result.failed == []
    assert seen[f["IMG_1.JPG.xmp"]] == ("writing", SIDECAR % b"one", True)
    assert seen[f["IMG_1.CR2.xmp"]] == ("writing", SIDECAR % b"one raw", True)
    assert seen[f["IMG_5.xmp"]] == ("writing", SIDECAR % b"five", True)
    assert seen[f["IMG_4"] + ".xmp"] == ("writing", None, True)
    assert {r.state for r in journal.rows(store, 1)} == {"done"}


@pytest.mark.parametrize("step", ["before-replace", "before-marking-undone"])
def test_undo_of_tag_interrupted_in_turn_can_be_run_again(lib, monkeypatch, step):
    import importlib

    undo_module = importlib.import_module("blurscan.actions.undo")
    root, store, f = _tag_sidecars(lib)
    before = snapshot(root)
    xmp.tag_photos(store)
    with monkeypatch.context() as mp:
        if step == "before-replace":
            _kill_when(mp, undo_module.os, "replace", _nth(1))
        else:
            _kill_when(mp, journal, "mark", lambda store, row_id, state, **k: state == "undone" and row_id == 1)
        with pytest.raises(Killed):
            undo(store)
    assert list_batches(store)[0].state != "undone"
    back = undo(store)
    assert back.complete and back.kept == [], (back.failed, back.kept)
    assert {p: s for p, (s, _) in snapshot(root).items()} == {p: s for p, (s, _) in before.items()}
    assert not os.path.exists(journal.backups_root(store))


_TAG_CHILD = textwrap.dedent("""
    import os, signal, sys
    from blurscan.store import Store
    from blurscan.actions import sidecar_write, xmp
    real = sidecar_write._put_in_place
    def put_then_die(tmp, path, *, replace):
        if path.endswith(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)  # journaled 'writing', copy kept, new bytes not yet in place
        real(tmp, path, replace=replace)
    sidecar_write._put_in_place = put_then_die
    xmp.tag_photos(Store(sys.argv[1], create=False))
""")


def test_sigkill_between_journal_and_sidecar_write_then_undo(lib):
    root, store, f = _tag_sidecars(lib)
    before = snapshot(root)
    proc = subprocess.run([sys.executable, "-c", _TAG_CHILD, str(store.path), "IMG_5.xmp"], timeout=60)
    assert proc.returncode == -signal.SIGKILL
    rows = {os.path.basename(r.src): r.state for r in journal.rows(store, 1)}
    assert rows["IMG_5.xmp"] == "writing" and "done" in rows.values()  # the earlier ones were written
    assert _leftovers(root, ".blurscan-tag") and sha(f["IMG_1.JPG.xmp"]) != before[f["IMG_1.JPG.xmp"]][0]
    back = undo(store)
    assert back.complete and back.kept == [] and back.removed and back.restored
    assert {p: s for p, (s, _) in snapshot(root).items()} == {p: s for p, (s, _) in before.items()}
    assert not _leftovers(root, ".blurscan-tag") and not os.path.exists(journal.backups_root(store))
