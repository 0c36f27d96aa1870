"""``blurscan tag --xmp`` and a sidecar it may not write: one made read-only, or something other than a file at a
sidecar's name (a folder, a named pipe). Each is a failure naming the file and why, the same in the dry run, and
nothing is written there."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from blurscan.cli import main
from helpers_cli import IMPORT_ROOT
from helpers_library import decide
from test_xmp import LIGHTROOM_UNLABELLED

SRC = IMPORT_ROOT  # (where the package under test was imported from)


def test_a_read_only_sidecar_is_not_replaced(lib):
    """A sidecar the person made read-only (0444) was replaced all the same (a rename needs only the folder's
    write permission), its mode copied onto the new file; now it is a failure, in the dry run too."""
    root, store, f = lib
    os.unlink(f["IMG_5h"])  # IMG_5.xmp is IMG_5.jpg's alone
    decide(store, f["IMG_5"], "discard")
    store.close()
    Path(f["IMG_5.xmp"]).write_bytes(LIGHTROOM_UNLABELLED)
    os.chmod(f["IMG_5.xmp"], 0o444)
    before = os.stat(f["IMG_5.xmp"])
    runner = CliRunner()
    for dry in (["--dry-run"], []):
        out = runner.invoke(main, ["tag", "--xmp", *dry, str(root)])
        assert out.exit_code == 1, out.output
        assert f"failed: {f['IMG_5.xmp']}: is " in out.output and "; left untouched" in out.output
        assert "IMG_5.xmp  (" not in out.output  # neither "would merge" nor "merged"
    assert Path(f["IMG_5.xmp"]).read_bytes() == LIGHTROOM_UNLABELLED
    after = os.stat(f["IMG_5.xmp"])
    assert (after.st_ino, after.st_mtime_ns, after.st_mode) == (before.st_ino, before.st_mtime_ns, before.st_mode)
    assert os.path.exists(f["IMG_4"] + ".xmp")  # the other photos are tagged
    # made writable it is tagged; read-only again, it says all that tag would write: unchanged, no failure
    os.chmod(f["IMG_5.xmp"], 0o644)
    assert runner.invoke(main, ["tag", "--xmp", str(root)]).exit_code == 1  # (IMG_1's sidecar is not XMP)
    os.chmod(f["IMG_5.xmp"], 0o444)
    out = runner.invoke(main, ["tag", "--xmp", str(root)])
    assert "unchanged b/IMG_5.xmp  (already tagged: rating -1: rejected, label Red)" in out.output
    assert "IMG_5.xmp: is" not in out.output


def test_a_folder_or_a_named_pipe_at_a_sidecars_name_is_a_failure_not_a_hang(lib):
    """A named pipe where tag would create IMG_4.jpg.xmp: reading it before the rename waited forever (the run
    hung); a folder at IMG_1.JPG.xmp: the dry run promised to write it. Both are failures naming the file now."""
    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    store.close()
    for name in ("IMG_1.JPG.xmp", "IMG_1.CR2.xmp", "IMG_5.xmp"):
        os.unlink(f[name])
    os.mkdir(f["IMG_1.JPG.xmp"])
    pipe = f["IMG_4"] + ".xmp"
    os.mkfifo(pipe)
    env = {**os.environ, "PYTHONPATH": SRC}
    for dry in (["--dry-run"], []):
        out = subprocess.run([sys.executable, "-m", "blurscan", "tag", "--xmp", *dry, str(root)], env=env,
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 1, out.stdout + out.stderr
        assert f"failed: {f['IMG_1.JPG.xmp']}: is a folder, not a sidecar file; left untouched" in out.stderr
        assert f"failed: {pipe}: is a named pipe, not a sidecar file; left untouched" in out.stderr
        assert "IMG_1.JPG.xmp  (" not in out.stdout
    assert os.path.isdir(f["IMG_1.JPG.xmp"]) and os.listdir(f["IMG_1.JPG.xmp"]) == []
    assert not os.path.exists(f["IMG_1.CR2.xmp"])  # the photo failed: its RAW's sidecar is not made either
    assert os.path.exists(f["IMG_2"] + ".xmp")
