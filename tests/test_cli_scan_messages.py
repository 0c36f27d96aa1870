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
