"""`blurscan bursts` on a full disk (a file-size limit: SQLite cannot size its ``-shm`` file, as on a full disk):
it stores the groups it finds, and the list it prints depends on what is stored (the shots `move/trash
--from-bursts` take), so it cannot run; until 2026-12-06 it said only ``DB: cannot use database: disk I/O
error``. It says why it needs the database written and that the groups stored before are unchanged."""
from __future__ import annotations

from test_full_disk_side_files import _on_a_full_disk
from test_renamed_stale_burst import _groups, three_shot_burst

BEFORE = [[("IMG_0002.jpg", True), ("IMG_0001.jpg", False), ("IMG_0003.jpg", False)]]


def test_bursts_on_a_full_disk_says_the_groups_cannot_be_stored(tmp_path):
    lib = tmp_path / "card"
    three_shot_burst(lib)  # (scanned, its groups stored)
    result = _on_a_full_disk("bursts", str(lib))
    assert result.returncode == 1 and result.stdout == "", result.stdout
    assert result.stderr == (f"Error: {lib / '.blurscan.db'}: cannot use database: disk I/O error; `blurscan bursts` "
                             "stores the groups it finds in the database (the review page and `move/trash "
                             "--from-bursts` read them there), so none was listed: run it again once the database "
                             "can be written (the groups stored before are unchanged)\n"), result.stderr
    assert _groups(lib) == BEFORE


def test_bursts_on_a_read_only_database_says_what_to_do_not_that_the_disk_is_full(tmp_path):
    """Only a full disk's errors get the words above: a read-only database's own says what to do (mutation testing
    of cli/bursts._not_stored)."""
    from helpers_cli import run

    lib = tmp_path / "card"
    three_shot_burst(lib)
    (lib / ".blurscan.db").chmod(0o444)  # (honoured by blurscan as root too)
    try:
        result = run("bursts", lib)
    finally:
        (lib / ".blurscan.db").chmod(0o644)
    assert result.exit_code == 1 and "the database is read-only" in result.stderr, result.stderr
    assert "stores the groups" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert _groups(lib) == BEFORE
