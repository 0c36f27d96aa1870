"""`move` / `trash --all-blurry` on a library where the scan called nothing blurry: the note says that nothing
blurry is left to take, not only that no photo is marked discard (until 2026-12-05 it said just that, as if
--all-blurry had not been given)."""
from __future__ import annotations

import numpy as np
from click.testing import CliRunner
from PIL import Image


def test_all_blurry_with_nothing_blurry_says_so(tmp_path):
    from blurscan.cli import main

    lib = tmp_path / "lib"
    lib.mkdir()
    rng = np.random.default_rng(0)
    for i in range(2):  # fine noise: detail everywhere, sharp
        Image.fromarray((rng.random((400, 600, 3)) * 255).astype("uint8")).save(lib / f"s{i}.jpg", quality=95)
    runner = CliRunner()
    scan = runner.invoke(main, ["scan", str(lib), "--format", "jsonl"])
    assert scan.exit_code == 0, scan.output
    assert '"verdict": "blurry"' not in scan.stdout
    for command in (["move", "--to", str(tmp_path / "rejects")], ["trash"]):
        out = runner.invoke(main, [*command, "--all-blurry", str(lib)])
        assert out.exit_code == 0, out.output
        assert "Dry run: 0 photos" in out.stdout
        assert "none the scan called blurry is left to take" in out.stderr, out.stderr
    plain = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), str(lib)])
    assert "no photo is marked discard;" in plain.stderr and "called blurry is left" not in plain.stderr
