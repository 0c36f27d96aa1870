"""A path given to ``scan`` in a form a shell leaves as it is: a quoted ``~`` (``scan "~/My Pictures"``, the quotes
for the space). The walk reads ``~`` as the home folder, as ``report``, ``review`` and the actions do; until
2026-12-07 the rest of the scan did not: the database was looked for under a folder named ``~`` of the current
folder, none was found, and the photos were scored into no database (``database: none``), exit 1 without a word."""
from __future__ import annotations

from helpers_cli import jsonl, run
from helpers_images import save_jpeg, textured


def test_a_quoted_tilde_is_the_home_folder_as_the_walk_reads_it(tmp_path, monkeypatch):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    save_jpeg(home / "My Pictures" / "a.jpg", textured(1))
    save_jpeg(home / "My Pictures" / "b.jpg", textured(2))
    elsewhere.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(elsewhere)
    res = run("scan", "~/My Pictures", "--model", "none", "--format", "jsonl")
    assert res.exit_code == 0, res.output
    assert f"database: {home / 'My Pictures' / '.blurscan.db'}" in res.stderr, res.stderr
    assert (home / "My Pictures" / ".blurscan.db").is_file() and list(elsewhere.iterdir()) == []
    again = run("scan", "~/My Pictures/a.jpg", "--model", "none", "--format", "jsonl")  # (reused: the same database)
    assert again.exit_code == 0 and "(1 unchanged, reused)" in again.stderr, again.output
    listed = run("report", "~/My Pictures", "--format", "jsonl")
    assert listed.exit_code == 0 and len(jsonl(listed.stdout)) == 2, listed.output


def test_an_empty_path_is_refused_before_any_work(tmp_path, monkeypatch):
    """``scan "$PHOTOS"`` with the variable unset gives ``''``: until 2026-12-07 the current folder was walked and
    its photos scored into no database (``database: none``), exit 1 without a word; a usage error now, nothing
    scanned, no database made."""
    save_jpeg(tmp_path / "a.jpg", textured(1))
    monkeypatch.chdir(tmp_path)
    for named in ([""], ["a.jpg", ""]):
        res = run("scan", *named, "--model", "none", "--format", "jsonl")
        assert res.exit_code == 2, res.output
        assert "Error: a PATH is empty ('': an unset shell variable?); nothing was scanned" in res.stderr
        assert res.stdout == "" and sorted(p.name for p in tmp_path.iterdir()) == ["a.jpg"]
