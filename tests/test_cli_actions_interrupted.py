"""Ctrl-C half-way through `move --yes` or `trash --yes`, through the real command line (the commands before and
after the interrupted one in this process: :func:`helpers_cli.run_from`): one line saying how many
photos went where, as which batch, and the undo command, which puts every file back byte for byte."""
from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys

import pytest

from helpers_cli import run_from
from helpers_images import blurred, save_jpeg, textured
from helpers_library import snapshot
from helpers_signals import default_signals

#: The command line, with a real SIGINT sent to itself right after the 3rd file is moved, before the journal marks it
#: done: Ctrl-C waits for that mark, and the line counts the 3rd photo (until 2026-12-06 it said 2, with 3 gone).
_CHILD = """
import os, signal, sys
from blurscan.actions import run
real, calls = run.move_file, []
def move_file(*args, **kwargs):
    out = real(*args, **kwargs)
    calls.append(1)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGINT)
    return out
run.move_file = move_file
{again}
from blurscan.cli import main
main(sys.argv[1:])
"""

#: Ctrl-C pressed again, by an impatient user, as the batch is being stopped: it cut the line short, leaving the
#: group's bare `interrupted`, with neither the count nor the undo command.
_AGAIN = """
stopped = run.BatchInterrupted.__init__
def stopping(self, *args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
    stopped(self, *args, **kwargs)
run.BatchInterrupted.__init__ = stopping
"""


def _scan(root) -> int:
    """``blurscan scan --model none --workers 1 ROOT`` (its database ROOT/.blurscan.db), in this process (the set-up:
    the commands under test run in processes of their own); how many photos it found blurry."""
    import blurscan
    from blurscan.config import ScanSettings

    records = list(blurscan.scan([root], ScanSettings(workers=1, model="none"), db=root / ".blurscan.db"))
    assert all(r.status == "ok" for r in records), records
    return sum(r.verdict == "blurry" for r in records)


@pytest.mark.slow
@pytest.mark.parametrize("presses", [1, 2])
@pytest.mark.parametrize("kind", ["move", "trash"])
def test_ctrl_c_half_way_says_what_was_moved_and_how_to_undo_it(tmp_path, kind, presses):
    root = tmp_path / "lib"
    for i in range(6):
        save_jpeg(root / f"d{i % 2}" / f"IMG_{i}.jpg", blurred(textured(i), 4.0))
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    assert _scan(root) == 6
    before = snapshot(root)
    action = ["move", "--to", str(tmp_path / "rejects")] if kind == "move" else ["trash"]
    proc = subprocess.run([sys.executable, "-c", _CHILD.format(again=_AGAIN if presses == 2 else ""), *action, "--all-blurry", "--yes", str(root)],
                          capture_output=True, text=True, env=env, preexec_fn=default_signals, cwd=tmp_path)
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    verb, where = ("moved", f" to {tmp_path / 'rejects'}") if kind == "move" else ("trashed", " to the trash")
    m = re.fullmatch(rf"interrupted: {verb} 3 of 6 photos \(3 files, [\d.]+ kB\){re.escape(where)} as batch 1, "
                     r"the others not; undo with `(blurscan undo --batch 1 [^`]+)` \(it checks every file of the "
                     r"batch on disk\)\.", lines[0])
    assert m, lines[0]
    assert len(snapshot(root)) == 3  # (as many as the line says went)
    undo = run_from(tmp_path, *shlex.split(m.group(1))[1:], env=env)
    assert undo.returncode == 0, undo.stderr
    assert "restored 3 files, 3 had not been moved" in undo.stdout
    assert snapshot(root) == before


def test_ctrl_c_between_a_photo_and_its_sidecar_lets_the_sidecar_follow(tmp_path):
    """Ctrl-C right after a photo was moved, before its sidecar: the photo went, the sidecar stayed in the library,
    and no later `move` took it (its photo was no longer there to select). Ctrl-C now waits for the photo's other
    files: the photo goes whole, and the line counts it."""
    root = tmp_path / "lib"
    for i in range(3):
        save_jpeg(root / f"IMG_{i}.jpg", blurred(textured(i), 4.0))
        (root / f"IMG_{i}.jpg.xmp").write_text('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>\n')
    _scan(root)
    before = snapshot(root)
    child = _CHILD.format(again="").replace("len(calls) == 3", "len(calls) == 1")  # right after the 1st photo
    proc = subprocess.run([sys.executable, "-c", child, "move", "--to", str(tmp_path / "rejects"), "--all-blurry",
                           "--yes", str(root)], capture_output=True, text=True, preexec_fn=default_signals,
                          cwd=tmp_path)
    assert proc.returncode == 130, proc.stderr
    assert re.match(r"interrupted: moved 1 of 3 photos \(2 files, ", proc.stderr), proc.stderr
    assert sorted(p.name for p in (tmp_path / "rejects").iterdir()) == ["IMG_0.jpg", "IMG_0.jpg.xmp"]
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".")) == \
        ["IMG_1.jpg", "IMG_1.jpg.xmp", "IMG_2.jpg", "IMG_2.jpg.xmp"]
    undo = run_from(None, "undo", str(root))
    assert undo.returncode == 0, undo.stderr
    assert snapshot(root) == before


#: The command line, with a real signal sent to itself right after the 2nd call of MODULE.NAME.
_AFTER_SECOND = """
import importlib, os, signal, sys
module = importlib.import_module("{module}")
real, calls = module.{name}, []
def wrapped(*args, **kwargs):
    out = real(*args, **kwargs)
    calls.append(1)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.{sig})
    return out
module.{name} = wrapped
from blurscan.cli import main
main(sys.argv[1:])
"""


def _scanned_blurry(tmp_path, n=6):
    root = tmp_path / "lib"
    for i in range(n):
        save_jpeg(root / f"d{i % 2}" / f"IMG_{i}.jpg", blurred(textured(i), 4.0))
    assert _scan(root) == n
    return root


@pytest.mark.parametrize("sig, code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_an_interrupted_tag_says_what_was_tagged_and_how_to_undo_it(tmp_path, sig, code):
    """It said only "interrupted": neither how many photos had their sidecars written, nor the batch to undo."""
    root = _scanned_blurry(tmp_path)
    before = snapshot(root)
    child = _AFTER_SECOND.format(module="blurscan.actions.xmp", name="write_journaled", sig=sig)
    proc = subprocess.run([sys.executable, "-c", child, "tag", "--xmp", str(root)], capture_output=True, text=True,
                          preexec_fn=default_signals, cwd=tmp_path)
    assert proc.returncode == code, proc.stderr
    m = re.fullmatch(r"interrupted: tagged 2 of 6 photos as batch 1, the others not; undo with "
                     r"`(blurscan undo --batch 1 [^`]+)` \(it checks every sidecar of the batch\)\.\n", proc.stderr)
    assert m, proc.stderr  # (it said 1, the signal landing before the 2nd was counted: until 2026-12-06)
    assert len([p for p in snapshot(root) if p.endswith(".xmp")]) == 2
    undo = run_from(tmp_path, *shlex.split(m.group(1))[1:])
    assert undo.returncode == 0, undo.stderr
    assert snapshot(root) == before


@pytest.mark.parametrize("sig, code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_an_interrupted_undo_says_what_was_restored_and_how_to_finish(tmp_path, sig, code):
    """It said only "interrupted": neither how many files were back, nor the command that puts back the rest."""
    root = _scanned_blurry(tmp_path)
    before = snapshot(root)
    moved = run_from(tmp_path, "move", "--to", str(tmp_path / "rejects"), "--all-blurry", "--yes", str(root))
    assert moved.returncode == 0 and len(snapshot(root)) == 0, moved.stderr
    child = _AFTER_SECOND.format(module="blurscan.actions.undo", name="restore", sig=sig)
    proc = subprocess.run([sys.executable, "-c", child, "undo", str(root)], capture_output=True, text=True,
                          preexec_fn=default_signals, cwd=tmp_path)
    assert proc.returncode == code, proc.stderr
    m = re.fullmatch(r"interrupted: restored 2 of 6 files of batch 1; run `(blurscan undo --batch 1 [^`]+)` again "
                     r"to finish\.\n", proc.stderr)
    assert m, proc.stderr  # (it said 1, the signal landing before the 2nd was journaled: until 2026-12-06)
    assert len(snapshot(root)) == 2
    again = run_from(tmp_path, *shlex.split(m.group(1))[1:])
    assert again.returncode == 0, again.stderr
    # (not "restored 4 files, 1 already back in place (put back by hand)": the interrupted undo put it back)
    assert again.stdout == "batch 1: restored 4 files, removed 3 empty folders the move had created.\n"
    assert snapshot(root) == before



def test_an_undo_interrupted_before_its_first_file_says_none_of_them_is_restored_yet(tmp_path):
    """Stopped as it was to begin on the batch's rows: "restored 0 of 6 files", the six still away (not "has no
    file left to restore", which is for a batch with none away: mutation testing, 2026-12-06)."""
    root = _scanned_blurry(tmp_path)
    moved = run_from(tmp_path, "move", "--to", str(tmp_path / "rejects"), "--all-blurry", "--yes", str(root))
    assert moved.returncode == 0 and len(snapshot(root)) == 0, moved.stderr
    child = _AFTER_SECOND.format(module="blurscan.actions.undo", name="_in_order", sig="SIGINT") \
        .replace("out = real(*args, **kwargs)\n    calls.append(1)", "calls.append(1)") \
        .replace("len(calls) == 2", "len(calls) == 1").replace("return out", "return real(*args, **kwargs)")
    proc = subprocess.run([sys.executable, "-c", child, "undo", str(root)], capture_output=True, text=True,
                          preexec_fn=default_signals, cwd=tmp_path)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.startswith("interrupted: restored 0 of 6 files of batch 1; run `blurscan undo --batch 1 "), \
        proc.stderr
    assert len(snapshot(root)) == 0

@pytest.mark.parametrize("kind", ["move", "trash"])
def test_an_undo_killed_after_putting_a_file_back_is_not_said_to_be_put_back_by_hand(tmp_path, kind):
    """Killed (SIGKILL, a power cut) between a file's move back and the journal's record of it: the next undo said
    that file was "already back in place (put back by hand)". The row is journaled `undoing` before the file moves:
    the next undo says an earlier undo put it back."""
    root = _scanned_blurry(tmp_path)
    before = snapshot(root)
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    action = ["move", "--to", str(tmp_path / "rejects")] if kind == "move" else ["trash"]
    moved = run_from(tmp_path, *action, "--all-blurry", "--yes", str(root), env=env)
    assert moved.returncode == 0 and len(snapshot(root)) == 0, moved.stderr
    child = _AFTER_SECOND.format(module="blurscan.actions.restore", name="move_file", sig="SIGKILL")
    proc = subprocess.run([sys.executable, "-c", child, "undo", str(root)], capture_output=True, text=True,
                          cwd=tmp_path, env=env)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert len(snapshot(root)) == 2
    again = run_from(tmp_path, "undo", str(root), env=env)
    assert again.returncode == 0, again.stderr
    folders = ", removed 3 empty folders the move had created" if kind == "move" else ""
    assert again.stdout == ("batch 1: restored 4 files, 1 put back by an earlier undo that was stopped before it "
                            f"recorded it{folders}.\n")
    assert snapshot(root) == before
    assert not list((tmp_path / "data").rglob("*.trashinfo"))  # (none left behind for the trash)


def test_a_file_an_undo_was_killed_before_putting_back_is_still_away_for_the_review_page(tmp_path):
    """Killed after journaling a row `undoing`, before its file moved back: the photo is still in --to, and the
    review page and the report (:meth:`Store.moved_away`) still count it as moved away; the next undo puts it back."""
    from blurscan.store import Store

    root = _scanned_blurry(tmp_path)
    before = snapshot(root)
    moved = run_from(tmp_path, "move", "--to", str(tmp_path / "rejects"), "--all-blurry", "--yes", str(root))
    assert moved.returncode == 0, moved.stderr
    size = re.search(r" done: 6 moved, 0 failed, 0 undone of 6 files (\([^)]+\))\n",
                     run_from(None, "undo", "--list", str(root)).stdout)
    child = _AFTER_SECOND.format(module="blurscan.actions.restore", name="move_file", sig="SIGKILL") \
        .replace("out = real(*args, **kwargs)\n    calls.append(1)", "calls.append(1)") \
        .replace("return out", "return real(*args, **kwargs)")  # (killed as the 2nd file is to move back)
    proc = subprocess.run([sys.executable, "-c", child, "undo", str(root)], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert len(snapshot(root)) == 1  # (the 1st put back; the 2nd journaled `undoing`, still in --to)
    with Store(root / ".blurscan.db") as store:
        assert [s for (s,) in store.conn.execute("SELECT state FROM journal")].count("undoing") == 1
        assert len(store.moved_away()) == 5
    listed = run_from(tmp_path, "undo", "--list", str(root))
    assert " done: 5 moved, 0 failed, 1 undone of 6 files " in listed.stdout, listed.stdout  # (it said 4 moved)
    assert size and listed.stdout.endswith(f" of 6 files {size.group(1)}\n"), listed.stdout  # (the 6 files' bytes)
    again = run_from(tmp_path, "undo", str(root))
    assert again.stdout == "batch 1: restored 5 files, removed 3 empty folders the move had created.\n", again.stderr
    assert snapshot(root) == before


def test_an_interrupted_undo_of_an_interrupted_move_counts_only_the_files_the_move_moved(tmp_path):
    """A move stopped at its 3rd photo of 6, then its undo stopped at its 2nd file put back: "restored 2 of 3", not
    of 6 (until 2026-12-06 its total counted the rows the move never got to, and it said "restored 1 of 6")."""
    root = _scanned_blurry(tmp_path)
    before = snapshot(root)
    proc = subprocess.run([sys.executable, "-c", _CHILD.format(again=""), "move", "--to", str(tmp_path / "rejects"),
                           "--all-blurry", "--yes", str(root)], capture_output=True, text=True,
                          preexec_fn=default_signals, cwd=tmp_path)
    assert proc.returncode == 130 and len(snapshot(root)) == 3, proc.stderr
    child = _AFTER_SECOND.format(module="blurscan.actions.restore", name="move_file", sig="SIGINT")
    proc = subprocess.run([sys.executable, "-c", child, "undo", str(root)], capture_output=True, text=True,
                          preexec_fn=default_signals, cwd=tmp_path)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.startswith("interrupted: restored 2 of 3 files of batch 1; "), proc.stderr
    assert len(snapshot(root)) == 5
    again = run_from(tmp_path, "undo", str(root))
    assert again.returncode == 0, again.stderr
    # (the rows the move never got to stay "planned" once an undo has looked at them, since 2026-12-06: each undo
    # of the batch says them, until one finishes it)
    assert again.stdout == ("batch 1: restored 1 file, 3 had not been moved, removed 2 empty folders the move had "
                            "created.\n")
    assert snapshot(root) == before


#: The command line with a real SIGINT sent to itself as the batch reads the first photo's decision again, before
#: it moves any file: the batch is made, and moves nothing.
_BEFORE_FIRST = """
import os, signal, sys
from blurscan.actions import fresh_decisions
real = fresh_decisions.changed_since
def changed_since(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
    return real(*args, **kwargs)
fresh_decisions.changed_since = changed_since
from blurscan.cli import main
main(sys.argv[1:])
"""


def test_an_interrupted_undo_of_a_move_stopped_before_its_first_file_says_none_is_left_to_restore(tmp_path):
    """A move stopped before its first file, then its undo stopped as it looked at the rows the move never got to:
    it said "restored 0 of 0 files of batch 1" (until 2026-12-06)."""
    root = _scanned_blurry(tmp_path)
    before = snapshot(root)
    proc = subprocess.run([sys.executable, "-c", _BEFORE_FIRST, "move", "--to", str(tmp_path / "rejects"),
                           "--all-blurry", "--yes", str(root)], capture_output=True, text=True,
                          preexec_fn=default_signals, cwd=tmp_path)
    assert proc.returncode == 130 and "interrupted: moved 0 of 6 photos" in proc.stderr, proc.stderr
    child = _AFTER_SECOND.format(module="blurscan.actions.undo", name="restore", sig="SIGINT")
    proc = subprocess.run([sys.executable, "-c", child, "undo", str(root)], capture_output=True, text=True,
                          preexec_fn=default_signals, cwd=tmp_path)
    assert proc.returncode == 130, proc.stderr
    m = re.fullmatch(r"interrupted: batch 1 has no file left to restore \(none that it moved is still away\); run "
                     r"`(blurscan undo --batch 1 [^`]+)` again to finish\.\n", proc.stderr)
    assert m, proc.stderr
    again = run_from(tmp_path, *shlex.split(m.group(1))[1:])
    assert again.returncode == 0 and again.stdout == "batch 1: restored 0 files, 6 had not been moved.\n", again
    assert snapshot(root) == before

@pytest.mark.parametrize("merged", [False, True])
def test_an_undo_of_a_tag_batch_killed_after_a_sidecar_is_not_said_to_be_changed_or_unwritten(tmp_path, merged):
    """Killed (SIGKILL) right after putting a sidecar back (or removing one tag had created), before the journal
    recorded it: the next undo said the removed one was "no longer there (moved or deleted since `blurscan tag`
    wrote it); left as it is" (and kept the batch's row open for it), the one put back "had not been written"."""
    root = _scanned_blurry(tmp_path)
    if merged:
        for photo in list(root.rglob("*.jpg")):
            (photo.parent / (photo.name + ".xmp")).write_text(
                '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                '<rdf:Description rdf:about=""/></rdf:RDF></x:xmpmeta>\n')
    before = snapshot(root)
    tagged = run_from(tmp_path, "tag", "--xmp", str(root))
    assert tagged.returncode == 0 and snapshot(root) != before, tagged.stderr
    child = _AFTER_SECOND.format(module="blurscan.actions.untag", name="_fsync_dir", sig="SIGKILL")
    proc = subprocess.run([sys.executable, "-c", child, "undo", str(root)], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    again = run_from(tmp_path, "undo", str(root))
    assert (again.returncode, again.stderr) == (0, ""), again.stderr
    done = "restored 4 sidecars to their bytes from before tagging" if merged else "removed 4 sidecars tag had created"
    assert again.stdout == f"batch 1: {done}, 1 undone by an earlier undo that was stopped before it recorded it.\n"
    # (the bytes from before; a sidecar put back gets a new time, for photo managers to see it changed)
    assert {p: digest for p, (digest, _) in snapshot(root).items()} == {p: d for p, (d, _) in before.items()}
    listed = run_from(tmp_path, "undo", "--list", str(root))
    assert "left alone" not in listed.stdout and " undone: 0 written, 0 failed, 6 undone of 6 " in listed.stdout
