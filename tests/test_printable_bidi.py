"""A direction control in a file name (a right-to-left override, U+202E) turned the rest of a message around
where text is laid out in both directions: the review page showed a refusal the server wrote about
``\u202eevil-gpj.jpg`` as "...gpj.jpg-live ... dedrocer ton dracsid" (2026-12-04). Names in messages show such
characters as ``\\u202e`` now, as control characters are shown as ``\\xNN``."""
from __future__ import annotations

import json

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.errors import printable_path
from helpers_images import save_jpeg, textured


def test_direction_controls_in_names_are_shown_escaped():
    assert printable_path("/p/\u202eevil-gpj.jpg") == "/p/\\u202eevil-gpj.jpg"
    assert printable_path("/p/\u2067a\u2069.jpg") == "/p/\\u2067a\\u2069.jpg"
    assert printable_path("/p/שלום.jpg") == "/p/שלום.jpg"  # right-to-left letters themselves are names


def test_a_message_naming_such_a_file_reads_in_order(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "\u202eevil-gpj.jpg", textured(1))
    assert CliRunner().invoke(main, ["scan", str(lib), "--model", "none"]).exit_code == 0
    result = CliRunner().invoke(main, ["report", str(lib)])  # the table names it
    assert "\u202e" not in result.output and "\\u202eevil-gpj.jpg" in result.output, result.output
    jsonl = CliRunner().invoke(main, ["report", str(lib), "--format", "jsonl"]).output
    assert json.loads(jsonl)["path"] == str(lib / "\u202eevil-gpj.jpg")  # the contract: the path as it is
