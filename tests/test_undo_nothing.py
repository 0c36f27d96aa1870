"""``blurscan undo`` when there is nothing to undo, and its exit codes: it exited with 2 (a usage error) when
the library had no batch yet or every batch was undone, as if the command had been typed wrong. Nothing to
undo is said, with the reason, and exits with 0; a ``--batch`` that names no batch is an error (1); a
malformed option stays a usage error (2)."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from blurscan.actions import undo
from blurscan.cli import main
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


def test_undo_when_every_batch_is_undone_or_moved_nothing(lib, tmp_path):
    """Batch 1 moved a photo and was undone; batch 2 moved nothing (a file stands where the move needs a
    folder): a plain undo says both, exit 0. The already undone batch named: 0, as before. An unknown batch: an
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
    (blocked / "a").write_text("a file where the move needs a folder")
    assert runner.invoke(main, ["move", "--to", str(blocked), "--yes", str(root)]).exit_code == 1
    out = runner.invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert out.stdout == (f"Nothing to undo: 1 batch undone already and 1 batch that moved or tagged nothing "
                          f"(every file failed or was skipped) in {db} (`blurscan undo --list` lists them).\n")
    out = runner.invoke(main, ["undo", "--batch", "1", str(root)])
    assert out.exit_code == 0 and out.stdout == "batch 1 was already undone: nothing to restore.\n", out.output
    for args in (["--batch", "7"], ["--list", "--batch", "7"]):
        out = runner.invoke(main, ["undo", *args, str(root)])
        assert out.exit_code == 1, out.output
        assert out.stderr == f"Error: no batch 7 in {db} (see `blurscan undo --list`)\n"
    out = runner.invoke(main, ["undo", "--batch", "seven", str(root)])
    assert out.exit_code == 2 and "'seven' is not a valid integer" in out.stderr, out.output
    assert os.path.exists(f["IMG_1"])


def test_undo_batch_beyond_sqlite_integers_is_no_such_batch(lib):
    """`--batch 99999999999999999999` (a number typed wrong) ended in an OverflowError traceback; it names no
    batch, like `--batch 7`: an error, exit 1."""
    root, store, _ = lib
    store.close()
    for args in (["--batch", "99999999999999999999"], ["--list", "--batch", "-99999999999999999999"]):
        out = CliRunner().invoke(main, ["undo", *args, str(root)])
        assert out.exit_code == 1, out.output
        assert out.stderr == f"Error: no batch {args[-1]} in {root / '.blurscan.db'} (see `blurscan undo --list`)\n"
