"""A folder under a scanned path that cannot be listed gives a JSONL object of its own, whose ``path`` is the
folder and ``error`` "cannot list folder: permission denied" (scan and report alike). docs/jsonl.md (and the
README's copy) said "one JSON object per input file" and its list of errors lacked that text (an audit,
2026-12-04): the behaviour is kept, and documented."""
from __future__ import annotations

import os
from pathlib import Path

from helpers_cli import jsonl, run
from helpers_images import save_jpeg, textured

ROOT = Path(__file__).resolve().parents[1]


def test_an_unlisted_folder_is_an_object_of_its_own_and_documented(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    save_jpeg(lib / "ok" / "a.jpg", textured(1))
    save_jpeg(lib / "locked" / "b.jpg", textured(2))
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(lib / "locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    for args in (("scan", lib, "--model", "none", "--workers", "1"), ("report", lib)):
        result = run(*args, "--format", "jsonl")
        assert result.exit_code == 0, result.output
        errors = [(o["path"], o["error"]) for o in jsonl(result.stdout) if o["status"] == "error"]
        assert errors == [(str(lib / "locked"), "cannot list folder: permission denied")]
    for doc in (ROOT / "docs" / "jsonl.md", ROOT / "README.md"):
        text = doc.read_text()
        text = text[text.index("## JSONL output"):]
        intro = text[:text.index("From Python")]
        assert "one per folder" in intro and "`\"cannot list folder: permission denied\"`" in intro, doc
        error_row = next(line for line in text.splitlines() if line.startswith("| `error` |"))
        assert "`\"cannot list folder: permission denied\"`" in error_row, doc
