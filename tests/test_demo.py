"""``blurscan demo`` (what ``make demo`` runs): sample photos made offline, scanned; a person's own files are
never overwritten."""
from __future__ import annotations

import json

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.demo import MARKER


def _verdicts(folder) -> dict[str, str]:
    out = CliRunner().invoke(main, ["report", str(folder), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]
    return {r["path"].rsplit("/", 1)[1]: r["verdict"] for r in rows}


def test_demo_writes_the_samples_and_ranks_them(tmp_path):
    folder = tmp_path / "photos"
    out = CliRunner().invoke(main, ["demo", str(folder)])
    assert out.exit_code == 0, out.output
    verdicts = _verdicts(folder)
    assert len(verdicts) == 10 and (folder / MARKER).is_file()
    # the real camera-shake photo and the strongly blurred copies are found; their sharp originals are kept
    for name in ("clock-real-camera-shake.jpg", "coffee-out-of-focus.jpg", "chelsea-cat-shaken.jpg"):
        assert verdicts[name] == "blurry", name
    for name in ("coffee.jpg", "chelsea-cat.jpg", "rocket.jpg", "astronaut-soft-background.jpg"):
        assert verdicts[name] != "blurry", name
    again = CliRunner().invoke(main, ["demo", str(folder)])  # a demo folder may be written again
    assert again.exit_code == 0, again.output


def test_demo_never_overwrites_a_persons_files(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "coffee.jpg").write_bytes(b"my own photo")
    out = CliRunner().invoke(main, ["demo", str(folder)])
    assert out.exit_code == 2
    assert "not blurscan's demo photos (such as coffee.jpg): nothing was written" in out.output
    assert sorted(p.name for p in folder.iterdir()) == ["coffee.jpg"]
    assert (folder / "coffee.jpg").read_bytes() == b"my own photo"
