"""More of `blurscan synth` on a disk that fills up (a file-size limit, RLIMIT_FSIZE, as the disk's last free bytes,
set at a chosen point of the run as test_train_full_disk.py does): the manifest, or ``dataset.json`` at the very
end, that the disk cannot hold is one line naming it, the dataset said to be unfinished, and ``--overwrite`` then
makes it (found by mutation testing of synth/recipes.py: only a sample and the marker were tested)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from blurscan import synth
from test_synth_full_disk import _samples_on_disk, _sources, _synth

resource = pytest.importorskip("resource")

#: The command line, the disk filling up (a limit of 10 bytes a file) once the first source's samples are made
#: (``manifest``: the manifest's rows then meet it) or just before ``dataset.json`` is written (``dataset``).
_FILLS = """
import resource, sys
from blurscan.synth import recipes
when = sys.argv.pop(1)
if when == "manifest":
    real_source = recipes._do_source
    def _do_source(task):
        made = real_source(task)
        resource.setrlimit(resource.RLIMIT_FSIZE, (10, 10))
        return made
    recipes._do_source = _do_source
else:
    from blurscan.synth import dataset_files
    real_write = dataset_files.write_file
    def write_file(path, write):
        if path.name == "dataset.json":
            resource.setrlimit(resource.RLIMIT_FSIZE, (10, 10))
        return real_write(path, write)
    dataset_files.write_file = write_file
from blurscan.cli import main
main(sys.argv[1:])
"""


@pytest.mark.slow
@pytest.mark.parametrize("when, name", [("manifest", "manifest.csv"), ("dataset", "dataset.json")])
def test_a_manifest_or_dataset_json_the_disk_cannot_hold_is_one_line_and_the_dataset_unfinished(tmp_path, when, name):
    src, out = _sources(tmp_path / "src", 2), tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", _FILLS, when, "synth", str(src), str(out), "--per-image", "2",
                             "-q", "--workers", "1"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (f"Error: {out / name}: cannot write: file too large; {out} holds an unfinished dataset: "
                             "make room, then run the same command with --overwrite to make it again\n")
    assert (out / "unfinished.json").is_file() and not (out / "dataset.json").exists()
    again = _synth(src, out, "--overwrite")
    assert again.returncode == 0, again.stderr
    assert len(synth.read_manifest(out)) == 4 == len(_samples_on_disk(out))
    assert (out / "dataset.json").is_file() and not (out / "unfinished.json").exists()
