"""A row left ``undoing`` (an undo killed after journaling it, before its file moved back or its sidecar was put
back) still holds what its batch did, for an undo of an earlier batch by ``--batch``: the file is still in the later
batch's ``--to`` (:func:`blurscan.actions.afterwards.later_mover`), the sidecar still the later tag batch's bytes
(:func:`blurscan.actions.afterwards.later_tag_batch`). And what the next undo says of such rows, and an interrupted
undo's total (the files the batch moved: not one whose move failed). Found by mutation testing of the 2026-12-06
merge of fix-undogaps. The killed command through the real command line, the kill a real SIGKILL (the commands
before and after it in this process: :func:`helpers_cli.run_from`)."""
from __future__ import annotations

import signal
import subprocess
import sys

from helpers_cli import run_from
from helpers_images import blurred, save_jpeg, textured
from helpers_library import snapshot
from helpers_signals import default_signals
from test_cli_actions_interrupted import _AFTER_SECOND, _CHILD

#: The command line, killed (SIGKILL) as MODULE.NAME is called the first time, before it does anything: the row of
#: that file is journaled ``undoing`` and nothing was put back.
_KILLED_AT_FIRST = """
import importlib, os, signal, sys
module = importlib.import_module("{module}")
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
module.{name} = killed
from blurscan.cli import main
main(sys.argv[1:])
"""

#: `move` with a real SIGINT sent to itself right after its 3rd file moved: photos 3 to 6 stay `planned`.
_MOVE_STOPPED_AT_THIRD = _CHILD.format(again="")


def _blurscan(*args, cwd):
    """``blurscan ARGS`` from ``cwd``, in this process: the commands that set a library up and those that look at it
    after a kill (the killed or stopped command stays a real process, the signal a real one). Until 2026-12-07 each
    started an interpreter of its own: some 40, half the file's time, testing nothing more."""
    return run_from(cwd, *args)


def _scanned_blurry(tmp_path, n=6):
    root = tmp_path / "lib"
    for i in range(n):
        save_jpeg(root / f"d{i % 2}" / f"IMG_{i}.jpg", blurred(textured(i), 4.0))
    scan = _blurscan("scan", "--model", "none", "--workers", "1", "--format", "jsonl", str(root), cwd=tmp_path)
    assert scan.returncode == 0 and scan.stdout.count('"blurry"') == n, scan.stderr
    return root


def test_undo_of_a_stopped_move_leaves_a_photo_a_later_move_took_while_its_undo_was_killed(tmp_path):
    """Move 1 stopped after 3 photos; move 2 took the other 3 to the same --to (the same names); the undo of move 2
    was killed as it was to put its last photo back (row `undoing`, the photo still in --to). `undo --batch 1` leaves
    that photo to batch 2, as the two others batch 2 took: it is not batch 1's to put back. (Were the `undoing` row
    not counted as batch 2's, batch 1 found its own planned destination taken and failed: "journal says it was never
    moved, but it is missing and ... exists".)"""
    root = _scanned_blurry(tmp_path)
    before = snapshot(root)
    rejects = str(tmp_path / "rejects")
    first = subprocess.run([sys.executable, "-c", _MOVE_STOPPED_AT_THIRD, "move", "--to", rejects, "--all-blurry",
                            "--yes", str(root)], capture_output=True, text=True, preexec_fn=default_signals,
                           cwd=tmp_path)
    assert first.returncode == 130 and len(snapshot(root)) == 3, first.stderr
    second = _blurscan("move", "--to", rejects, "--all-blurry", "--yes", str(root), cwd=tmp_path)
    assert second.returncode == 0 and "batch 2" in second.stdout and len(snapshot(root)) == 0, second.stderr
    killed = subprocess.run([sys.executable, "-c", _KILLED_AT_FIRST.format(module="blurscan.actions.restore",
                                                                            name="move_file"),
                             "undo", str(root)], capture_output=True, text=True, cwd=tmp_path)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    undo1 = _blurscan("undo", "--batch", "1", str(root), cwd=tmp_path)
    assert (undo1.returncode, undo1.stderr) == (0, ""), undo1.stderr
    assert undo1.stdout.startswith("batch 1: restored 3 files"), undo1.stdout
    assert "could not be restored" not in undo1.stdout
    undo2 = _blurscan("undo", "--batch", "2", str(root), cwd=tmp_path)
    assert (undo2.returncode, undo2.stderr) == (0, ""), undo2.stderr
    assert undo2.stdout.startswith("batch 2: restored 3 files"), undo2.stdout
    assert snapshot(root) == before


def test_undo_of_an_earlier_tag_batch_names_the_later_one_whose_undo_was_killed(tmp_path):
    """Tag batch 2 rewrote batch 1's sidecars; the undo of batch 2 was killed as it was to put its first sidecar back
    (row `undoing`, the sidecar still batch 2's bytes). `undo --batch 1` says that sidecar was changed by tag batch
    2, to be undone first, and keeps batch 1 open, as for the others, not that "you or a photo app" changed it."""
    root = _scanned_blurry(tmp_path)
    before = snapshot(root)
    assert "as batch 1" in _blurscan("tag", "--xmp", "--label", "Purple", str(root), cwd=tmp_path).stdout
    assert "as batch 2" in _blurscan("tag", "--xmp", "--label", "Green", "--replace-label", str(root),
                                     cwd=tmp_path).stdout
    killed = subprocess.run([sys.executable, "-c", _KILLED_AT_FIRST.format(module="blurscan.actions.untag",
                                                                            name="_put_back"),
                             "undo", str(root)], capture_output=True, text=True, cwd=tmp_path)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    undo1 = _blurscan("undo", "--batch", "1", str(root), cwd=tmp_path)
    assert undo1.returncode == 0, undo1.stderr
    lines = undo1.stderr.splitlines()
    assert len(lines) == 6 and all("changed by tag batch 2 since; undo batch 2 first" in line for line in lines), \
        undo1.stderr
    assert "by you or a photo app" not in undo1.stderr
    assert "batch 1 stays open" in undo1.stdout, undo1.stdout
    assert _blurscan("undo", str(root), cwd=tmp_path).stdout.startswith("batch 2: restored 6 sidecars")
    assert _blurscan("undo", str(root), cwd=tmp_path).stdout.startswith("batch 1: removed 6 sidecars")
    assert snapshot(root) == before


def test_an_undo_of_a_tag_batch_whose_only_sidecar_a_killed_undo_removed_says_just_that(tmp_path):
    """Tag batch of one photo; its undo killed (SIGKILL) right after removing the sidecar tag had created, before
    the journal recorded it: the next undo says an earlier undo did it, and no "restored 0 sidecars"."""
    root = _scanned_blurry(tmp_path, n=1)
    before = snapshot(root)
    assert "as batch 1" in _blurscan("tag", "--xmp", str(root), cwd=tmp_path).stdout
    assert len(snapshot(root)) == 2  # (the photo and the sidecar tag created)
    killed = subprocess.run([sys.executable, "-c", _KILLED_AFTER_FIRST.format(module="blurscan.actions.untag",
                                                                               name="_fsync_dir"),
                             "undo", str(root)], capture_output=True, text=True, cwd=tmp_path)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert snapshot(root) == before
    again = _blurscan("undo", str(root), cwd=tmp_path)
    assert (again.returncode, again.stderr) == (0, ""), again.stderr
    assert again.stdout == "batch 1: 1 undone by an earlier undo that was stopped before it recorded it.\n"


#: The command line, killed (SIGKILL) right after MODULE.NAME returns the first time.
_KILLED_AFTER_FIRST = """
import importlib, os, signal, sys
module = importlib.import_module("{module}")
real = module.{name}
def killed(*args, **kwargs):
    real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
module.{name} = killed
from blurscan.cli import main
main(sys.argv[1:])
"""


#: `move`, during which another program puts a file at the destination of IMG_5.jpg (IMG_3.jpg when IMG_5.jpg is the
#: first to move) as the first photo moves: that photo's move fails ("destination exists"), the others go.
_MOVE_WITH_A_DESTINATION_TAKEN = """
import os, sys
from blurscan.actions import run
real, rejects = run.move_file, sys.argv.pop(1)
def move_file(src, dst, *args, **kwargs):
    if not os.path.exists(os.path.join(rejects, "taken")):
        name = "IMG_3.jpg" if os.path.basename(dst) == "IMG_5.jpg" else "IMG_5.jpg"
        os.makedirs(os.path.join(rejects, "d1"), exist_ok=True)
        for path in (os.path.join(rejects, "d1", name), os.path.join(rejects, "taken")):
            with open(path, "wb") as f:
                f.write(b"another program's")
    return real(src, dst, *args, **kwargs)
run.move_file = move_file
from blurscan.cli import main
main(sys.argv[1:])
"""


def test_an_interrupted_undo_of_a_move_with_a_failed_photo_counts_only_the_files_it_moved(tmp_path):
    """A move of 6 photos of which one failed (its destination taken meanwhile), its undo stopped (Ctrl-C) at its
    2nd file put back: "restored 2 of 5", the failed photo having nothing to put back."""
    root = _scanned_blurry(tmp_path)
    before = snapshot(root)
    rejects = str(tmp_path / "rejects")
    moved = subprocess.run([sys.executable, "-c", _MOVE_WITH_A_DESTINATION_TAKEN, rejects, "move", "--to", rejects,
                            "--all-blurry", "--yes", str(root)], capture_output=True, text=True, cwd=tmp_path)
    assert moved.returncode == 1 and "destination exists" in moved.stderr and len(snapshot(root)) == 1, moved.stderr
    child = _AFTER_SECOND.format(module="blurscan.actions.restore", name="move_file", sig="SIGINT")
    proc = subprocess.run([sys.executable, "-c", child, "undo", str(root)], capture_output=True, text=True,
                          preexec_fn=default_signals, cwd=tmp_path)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.startswith("interrupted: restored 2 of 5 files of batch 1; "), proc.stderr
    again = _blurscan("undo", str(root), cwd=tmp_path)
    assert again.returncode == 0 and again.stdout.startswith("batch 1: restored 3 files"), again.stdout + again.stderr
    assert snapshot(root) == before



def test_undo_of_a_stopped_move_leaves_a_photo_a_later_move_was_killed_moving(tmp_path):
    """Move 1 stopped after 3 photos; move 2 to the same --to (the same names) was killed (SIGKILL) right after its
    first photo went, before the journal recorded it (row `moving`, the photo in --to). `undo --batch 1` leaves that
    photo to batch 2: it is not batch 1's to put back. (Were the `moving` row not counted as batch 2's, batch 1
    found its own planned destination taken and failed: "journal says it was never moved, but it is missing and ...
    exists".) Found by mutation testing of later_mover."""
    root = _scanned_blurry(tmp_path)
    before = snapshot(root)
    rejects = str(tmp_path / "rejects")
    first = subprocess.run([sys.executable, "-c", _MOVE_STOPPED_AT_THIRD, "move", "--to", rejects, "--all-blurry",
                            "--yes", str(root)], capture_output=True, text=True, preexec_fn=default_signals,
                           cwd=tmp_path)
    assert first.returncode == 130 and len(snapshot(root)) == 3, first.stderr
    killed = subprocess.run([sys.executable, "-c", _KILLED_AFTER_FIRST.format(module="blurscan.actions.run",
                                                                               name="move_file"),
                             "move", "--to", rejects, "--all-blurry", "--yes", str(root)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert killed.returncode == -signal.SIGKILL and len(snapshot(root)) == 2, killed.stderr
    undo1 = _blurscan("undo", "--batch", "1", str(root), cwd=tmp_path)
    assert (undo1.returncode, undo1.stderr) == (0, ""), undo1.stderr
    assert undo1.stdout.startswith("batch 1: restored 3 files"), undo1.stdout
    assert "could not be restored" not in undo1.stdout and len(snapshot(root)) == 5
    undo2 = _blurscan("undo", str(root), cwd=tmp_path)
    assert (undo2.returncode, undo2.stderr) == (0, ""), undo2.stderr
    assert undo2.stdout.startswith("batch 2: restored 1 file"), undo2.stdout
    assert snapshot(root) == before


def test_undo_of_an_earlier_tag_batch_names_the_later_one_whose_sidecars_its_undo_left_alone(tmp_path):
    """Tag batch 2 rewrote batch 1's sidecars; a move (batch 3) took the photos and sidecars away, so the undo of
    batch 2 left them alone (rows `kept`); once the move is undone they hold batch 2's bytes again. `undo --batch 1`
    says they were changed by tag batch 2, to be undone first, and keeps batch 1 open, not that "you or a photo app"
    changed them; `undo --batch 2` then a plain undo put everything back. Found by mutation testing of
    afterwards.later_tag_batch (a `kept` row not counted as its batch's)."""
    root = _scanned_blurry(tmp_path, n=2)
    before = snapshot(root)
    assert "as batch 1" in _blurscan("tag", "--xmp", "--label", "Purple", str(root), cwd=tmp_path).stdout
    assert "as batch 2" in _blurscan("tag", "--xmp", "--label", "Green", "--replace-label", str(root),
                                     cwd=tmp_path).stdout
    assert "as batch 3" in _blurscan("move", "--to", str(tmp_path / "rejects"), "--all-blurry", "--yes", str(root),
                                     cwd=tmp_path).stdout
    kept = _blurscan("undo", "--batch", "2", str(root), cwd=tmp_path)
    assert kept.returncode == 0 and kept.stdout.startswith("batch 2: 2 left as they are"), kept.stdout + kept.stderr
    assert _blurscan("undo", str(root), cwd=tmp_path).stdout.startswith("batch 3: restored 4 files")
    undo1 = _blurscan("undo", "--batch", "1", str(root), cwd=tmp_path)
    assert undo1.returncode == 0, undo1.stderr
    lines = undo1.stderr.splitlines()
    assert len(lines) == 2 and all("changed by tag batch 2 since; undo batch 2 first" in line for line in lines), \
        undo1.stderr
    assert "batch 1 stays open" in undo1.stdout, undo1.stdout
    assert _blurscan("undo", "--batch", "2", str(root), cwd=tmp_path).stdout.startswith("batch 2: restored 2 sidecars")
    assert _blurscan("undo", str(root), cwd=tmp_path).stdout.startswith("batch 1: removed 2 sidecars")
    assert snapshot(root) == before


def test_undo_of_a_move_whose_photo_failed_leaves_that_photo_to_the_later_move_that_took_it(tmp_path):
    """Move 1's move of a photo failed (another program's file at its destination); that file removed, move 2 to
    the same --to took the photo. `undo --batch 1` puts back the 5 photos it moved and says nothing of the photo at
    the failed row's destination: it is move 2's, which its undo puts back. It said "note: ...: not put back at ...:
    this batch never moved it there (its move of that photo failed: destination exists ...), and the photo is no
    longer at its place; left as it is": the photo itself taken for the other program's file (one to delete), as
    lost."""
    root = _scanned_blurry(tmp_path)
    before = snapshot(root)
    rejects = tmp_path / "rejects"
    moved = subprocess.run([sys.executable, "-c", _MOVE_WITH_A_DESTINATION_TAKEN, str(rejects), "move", "--to",
                            str(rejects), "--all-blurry", "--yes", str(root)], capture_output=True, text=True,
                           cwd=tmp_path)
    assert moved.returncode == 1 and "destination exists" in moved.stderr and len(snapshot(root)) == 1, moved.stderr
    for other in [rejects / "taken", *(p for p in (rejects / "d1").iterdir() if p.read_bytes() == b"another program's")]:
        other.unlink()  # (the other program's file removed)
    second = _blurscan("move", "--to", str(rejects), "--all-blurry", "--yes", str(root), cwd=tmp_path)
    assert second.returncode == 0 and "as batch 2" in second.stdout and len(snapshot(root)) == 0, second.stderr
    undo1 = _blurscan("undo", "--batch", "1", str(root), cwd=tmp_path)
    assert (undo1.returncode, undo1.stderr) == (0, ""), undo1.stderr
    assert undo1.stdout.startswith("batch 1: restored 5 files, 1 had not been moved"), undo1.stdout
    undo2 = _blurscan("undo", str(root), cwd=tmp_path)
    assert (undo2.returncode, undo2.stderr) == (0, ""), undo2.stderr
    assert undo2.stdout.startswith("batch 2: restored 1 file"), undo2.stdout
    assert snapshot(root) == before


def test_a_file_at_the_place_of_a_photo_a_killed_undo_was_putting_back_is_not_taken_for_it(tmp_path):
    """The undo of a move was killed as it was to put the photo back (row `undoing`, the photo still in --to); then
    the photo was deleted from --to and another file put at its place. The next undo says another file is there and
    the photo can no longer be brought back (the batch closed), not that the earlier undo put it back. Found by
    mutation testing (restore's look at the file of an `undoing` row dropped)."""
    root = _scanned_blurry(tmp_path, n=1)
    rejects = tmp_path / "rejects"
    assert "as batch 1" in _blurscan("move", "--to", str(rejects), "--all-blurry", "--yes", str(root),
                                     cwd=tmp_path).stdout
    killed = subprocess.run([sys.executable, "-c", _KILLED_AT_FIRST.format(module="blurscan.actions.restore",
                                                                            name="move_file"),
                             "undo", str(root)], capture_output=True, text=True, cwd=tmp_path)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    [moved] = [p for p in rejects.rglob("*") if p.is_file()]
    place = root / moved.relative_to(rejects)
    moved.unlink()  # deleted from --to
    place.write_bytes(b"another file, of another size")
    again = _blurscan("undo", str(root), cwd=tmp_path)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "another file is now at its place" in again.stderr, again.stderr
    assert "batch 1 is closed" in again.stdout and "earlier undo" not in again.stdout, again.stdout
    assert place.read_bytes() == b"another file, of another size"
