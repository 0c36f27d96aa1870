"""``blurscan undo`` when there is nothing to undo, and its exit codes: it exited with 2 (a usage error) when
the library had no batch yet or every batch was undone, as if the command had been typed wrong. Nothing to
undo is said, with the reason, and exits with 0; a ``--batch`` that names no batch is an error (1); a
malformed option stays a usage error (2)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import undo
from blurscan.cli import main
from blurscan.store import Store
from helpers_library import decide


def test_undo_with_no_batch_yet_says_so_and_exits_0(lib):
    from blurscan.errors import NothingToUndo

    root, store, _ = lib
    db = root / ".blurscan.db"
    with pytest.raises(NothingToUndo, match="no move, trash or tag batch in .* yet"):
        undo(store)
    store.close()
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert out.stdout == f"Nothing to undo: no move, trash or tag batch in {db} yet.\n"
    assert out.stderr == ""


def test_undo_when_every_batch_is_undone_or_moved_nothing(lib, tmp_path, monkeypatch):
    """Batch 1 moved a photo and was undone; batch 2 moved nothing (a file put where the move needs a folder
    after it was planned): a plain undo says both, exit 0. The already undone batch named: 0, as before. An unknown batch: an
    error, exit 1, one line naming the database. A malformed --batch: a usage error, 2."""
    root, store, f = lib
    db = root / ".blurscan.db"
    decide(store, f["IMG_1"], "discard")
    store.close()
    runner = CliRunner()
    assert runner.invoke(main, ["move", "--to", str(tmp_path / "rej"), "--yes", str(root)]).exit_code == 0
    assert runner.invoke(main, ["undo", str(root)]).exit_code == 0
    assert os.path.exists(f["IMG_1"])
    blocked = tmp_path / "full"
    blocked.mkdir()
    import blurscan.actions as actions

    planned = actions.plan_move

    def plan_then_block(*args, **kwargs):  # (before planning, the plan skips the photo: no batch)
        plan = planned(*args, **kwargs)
        (blocked / "a").write_text("a file where the move needs a folder")
        return plan

    monkeypatch.setattr(actions, "plan_move", plan_then_block)
    assert runner.invoke(main, ["move", "--to", str(blocked), "--yes", str(root)]).exit_code == 1
    monkeypatch.setattr(actions, "plan_move", planned)
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert out.stdout == (f"Nothing to undo: 1 batch undone already and 1 batch that moved or tagged nothing "
                          f"(every file failed or was skipped) in {db} (`blurscan undo --list {root}` lists them).\n")
    out = runner.invoke(main, ["undo", "--batch", "1", str(root)])
    assert out.exit_code == 0 and out.stdout == "batch 1 was already undone: nothing to restore.\n", out.output
    for args in (["--batch", "7"], ["--list", "--batch", "7"]):
        out = runner.invoke(main, ["undo", *args, str(root)])
        assert out.exit_code == 1, out.output
        assert out.stderr == f"Error: no batch 7 in {db} (see `blurscan undo --list {root}`)\n"
    out = runner.invoke(main, ["undo", "--batch", "seven", str(root)])
    assert out.exit_code == 2 and "'seven' is not a valid integer" in out.stderr, out.output
    assert os.path.exists(f["IMG_1"])


def test_undo_batch_beyond_sqlite_integers_is_no_such_batch(lib):
    """`--batch 99999999999999999999` (a number typed wrong) ended in an OverflowError traceback; it names no
    batch, like `--batch 7`: an error, exit 1."""
    root, store, _ = lib
    store.close()
    # (2**63, the first number beyond them: a mutant of the bound's < for <= survived; -2**63 is one of them)
    for args in (["--batch", "99999999999999999999"], ["--list", "--batch", "-99999999999999999999"],
                 ["--batch", str(2**63)], ["--list", "--batch", str(2**63)], ["--batch", str(-2**63)]):
        out = CliRunner().invoke(main, ["undo", *args, str(root)])
        assert out.exit_code == 1, out.output
        assert out.stderr == f"Error: no batch {args[-1]} in {root / '.blurscan.db'} (see `blurscan undo --list " \
            f"{root}`)\n"


def test_undo_of_files_gone_from_the_trash_says_undo_cannot_bring_them_back(lib, tmp_path, monkeypatch):
    """The trash was emptied after `blurscan trash`: undo said "run undo again once fixed", which fixes nothing
    (the files are gone), and every plain undo failed the same way. It says that undo cannot bring them back
    (and closes the batch: tests/test_undo_closed.py); a move batch where one file is gone and another is
    blocked by a new file at its place says which is which, and that the blocked one can be retried."""
    root, store, f = lib
    decide(store, f["IMG_2"], "discard")
    store.close()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    runner = CliRunner()
    assert runner.invoke(main, ["trash", "--yes", str(root)]).exit_code == 0
    for name in os.listdir(tmp_path / "data" / "Trash" / "files"):  # the trash emptied
        os.unlink(tmp_path / "data" / "Trash" / "files" / name)
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 1
    assert out.stdout.startswith("batch 1: restored 0 files, 2 could not be restored (listed above: no longer in "
                                 "the trash nor at their place, so undo cannot bring them back).\nbatch 1 is closed")
    assert out.stderr.count("no longer in the trash at") == 2

    with Store(root / ".blurscan.db") as again:
        decide(again, f["IMG_3"], "discard")
        decide(again, f["IMG_4"], "discard")
    assert runner.invoke(main, ["move", "--to", str(tmp_path / "rej"), "--yes", str(root)]).exit_code == 0
    moved = {name: os.path.join(dirpath, name) for dirpath, _, names in os.walk(tmp_path / "rej") for name in names}
    os.unlink(moved["IMG_3.jpg"])              # deleted by hand from --to
    Path(f["IMG_4"]).write_text("a new file at its place")
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 1
    # (rej/a, emptied by hand, is removed as the move had made it)
    assert out.stdout == ("batch 2: restored 0 files, removed 1 empty folder the move had created, "
                          "2 could not be restored (listed above; 1 of them no longer "
                          "where the move put it nor at its place, which undo cannot bring back; run undo "
                          "again once the others are fixed).\n")


def test_the_list_it_names_is_found_typed_in_another_folder(tmp_path, monkeypatch):
    """A database kept elsewhere (`--db`): `blurscan undo --list --db FILE`, which lists its batches typed in any
    folder; until 2026-12-07 a bare `blurscan undo --list`, which found no database there."""
    import re
    import shlex
    import subprocess
    import sys

    from helpers_cli import run
    from helpers_images import make_library

    lib, other = tmp_path / "lib", tmp_path / "other"
    make_library(lib, n_sharp=1, n_blurry=2)
    (tmp_path / "dbs").mkdir()
    other.mkdir()
    db = tmp_path / "dbs" / "my pics.db"
    assert run("scan", lib, "--db", db, "--model", "none").exit_code == 0
    assert run("move", "--db", db, "--to", tmp_path / "rej", "--all-blurry", "--yes").exit_code == 0
    assert run("undo", "--db", db).exit_code == 0
    for args in ([], ["--batch", "7"]):
        said = run("undo", "--db", db, *args).output
        command = shlex.split(re.search(r"`(blurscan undo --list[^`]*)`", said).group(1))
        assert command == ["blurscan", "undo", "--list", "--db", str(db)], said
        listed = subprocess.run([sys.executable, "-m", "blurscan", *command[1:]], cwd=other, capture_output=True,
                                text=True, timeout=120)
        assert listed.returncode == 0 and listed.stdout.startswith("batch 1 "), listed.stdout + listed.stderr


def test_undo_of_a_path_that_names_nothing_is_refused_and_undoes_nothing(tmp_path):
    """``undo lib/typo`` (a mistyped folder inside the library): refused as every other command refuses a PATH
    that names nothing, exit 1, the batch left as it is; until 2026-12-07 it undid the library's newest batch (and
    `undo --list lib/typo` listed its batches)."""
    from helpers_images import make_library

    lib = tmp_path / "lib"
    truth = make_library(lib, n_sharp=1, n_blurry=1)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    moved = runner.invoke(main, ["move", "--all-blurry", "--to", str(tmp_path / "rej"), "--yes", str(lib)])
    assert moved.exit_code == 0 and "moved 1 photo" in moved.output, moved.output
    [blurry] = [p for p, t in truth.items() if t == "blurry"]
    for args in (["undo", str(lib / "typo")], ["undo", "--list", str(lib / "typo")]):
        out = runner.invoke(main, args)
        assert out.exit_code == 1 and out.stderr == f"Error: {lib / 'typo'}: no such file or directory\n", out.output
        assert out.stdout == "" and not os.path.exists(blurry)
    back = runner.invoke(main, ["undo", str(lib)])
    assert back.exit_code == 0 and "restored 1 file" in back.output and os.path.exists(blurry), back.output
