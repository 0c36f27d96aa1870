"""A source that names nothing, given to ``synth`` or ``train``: one ``Error:`` line and exit code 1, as every other
command says of a path that does not exist (``scan``, ``report``, ``evaluate`` ...). Until 2026-12-05 it was click's
usage error (``Usage: ... Error: Invalid value for 'SRC...': Path 'x' does not exist.``, exit 2), and a symbolic link
that leads nowhere was exit 2 too."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.cli import main


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_a_missing_source_is_an_error_not_a_usage_mistake(tmp_path):
    missing = tmp_path / "no-such-folder"
    for args in (["synth", missing, tmp_path / "out", "-q"], ["train", missing, "--out", tmp_path / "m.onnx"]):
        res = _invoke(*args)
        assert res.exit_code == 1, (args[0], res.output)
        assert res.stderr.strip() == f"Error: {missing}: no such file or directory", res.stderr
        assert "Usage:" not in res.stderr and res.stdout == ""
    assert not (tmp_path / "out").exists() and not (tmp_path / "m.onnx").exists()


def test_a_link_that_leads_nowhere_is_the_same_error(tmp_path):
    link = tmp_path / "gone.jpg"
    os.symlink(tmp_path / "nowhere.jpg", link)
    res = _invoke("synth", link, tmp_path / "out", "-q")
    assert res.exit_code == 1, res.output
    assert res.stderr.startswith(f"Error: {link}: no such file") and "Traceback" not in res.output
    assert not (tmp_path / "out").exists()
