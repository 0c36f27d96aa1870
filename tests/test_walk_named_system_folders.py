"""System folders named on the command line, as a shell's ``DIR/*`` names them with the photos (``@eaDir``, a
Synology NAS's thumbnails; ``#recycle``, its recycle bin): passed over as in a folder walk, unless
``--include-hidden``. Until 2026-12-05 they were walked: ``scan lib/*`` stored the thumbnails as photos, blurry
ones, which ``move lib --all-blurry`` then took."""
from __future__ import annotations

import json

from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured


def test_system_folders_named_by_a_glob_are_passed_over_as_in_a_folder_walk(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "one.jpg", textured(1))
    save_jpeg(lib / "sub" / "two.jpg", textured(2))
    save_jpeg(lib / "@eaDir" / "one.jpg" / "SYNOPHOTO_THUMB_S.jpg", blurred(textured(1), 4.0))
    save_jpeg(lib / "#recycle" / "old.jpg", blurred(textured(3), 4.0))
    named = sorted(lib.iterdir())  # (what `lib/*` gives)
    res = run("scan", *named, "--model", "none", "--format", "jsonl")
    assert res.exit_code == 0, res.output
    assert sorted(json.loads(line)["path"] for line in res.stdout.splitlines()) == \
        [str(lib / "one.jpg"), str(lib / "sub" / "two.jpg")]
    assert "lib/@eaDir: a system folder" in res.stderr and "--include-hidden" in res.stderr
    res = run("move", lib, "--all-blurry", "--to", tmp_path / "rejects")
    assert res.exit_code == 0 and "Dry run: 0 photos" in res.output, res.output
    res = run("scan", lib / "@eaDir", "--include-hidden", "--model", "none", "--format", "jsonl")
    assert [json.loads(line)["path"] for line in res.stdout.splitlines()] == \
        [str(lib / "@eaDir" / "one.jpg" / "SYNOPHOTO_THUMB_S.jpg")]
