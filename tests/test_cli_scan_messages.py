"""The one-line messages of ``scan`` and ``report`` that a new-user walkthrough found vague or untrue, as the user
sees them: each names the file and says what is wrong in blurscan's words (lower case, as every reason it
prints)."""
from __future__ import annotations

from helpers_cli import run
from helpers_images import save_jpeg, textured


def test_an_output_file_that_cannot_be_written_gives_the_reason_in_lower_case(tmp_path):
    """`scan . -o /nodir/x.csv` said "cannot write output: No such file or directory", the system's capital
    letter, where every other reason blurscan prints is lower case."""
    save_jpeg(tmp_path / "lib" / "a.jpg", textured())
    out = tmp_path / "nodir" / "x.csv"
    result = run("scan", tmp_path / "lib", "-o", out, "--model", "none", "--workers", "1")
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {out}: cannot write output: no such file or directory\n"
    assert run("scan", tmp_path / "lib", "--model", "none", "--workers", "1").exit_code == 0
    result = run("report", tmp_path / "lib", "-o", out)
    assert result.exit_code == 2 and result.stderr == f"Error: {out}: cannot write output: no such file or directory\n"


def test_a_folder_where_the_database_should_be_is_named_as_a_folder(tmp_path, monkeypatch):
    """`mkdir L/.blurscan.db && blurscan scan L` said "cannot use database: unable to open database file"
    (SQLite's words), which names the file but no reason; it now says that it is a folder, and what to do."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    save_jpeg(tmp_path / "L" / "a.jpg", textured())
    (tmp_path / "L" / ".blurscan.db").mkdir()
    result = run("scan", tmp_path / "L", "--model", "none", "--workers", "1")
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"Error: {tmp_path / 'L' / '.blurscan.db'}: cannot use database: it is a folder, not "
                             "a database file (rename or remove the folder, or choose another file with --db)\n")
    assert sorted(p.name for p in (tmp_path / "L").iterdir()) == [".blurscan.db", "a.jpg"]
    assert list((tmp_path / "L" / ".blurscan.db").iterdir()) == []  # nothing written into the folder
    (tmp_path / "L" / ".blurscan.db").rmdir()  # what the message says to do: the scan then works
    assert run("scan", tmp_path / "L", "--model", "none", "--workers", "1").exit_code == 0
    assert (tmp_path / "L" / ".blurscan.db").is_file()
