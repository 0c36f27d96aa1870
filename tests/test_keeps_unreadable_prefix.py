"""A library database that cannot be read protects the photos below its folder, and only those: not the photos
of a sibling folder whose name starts with its folder's (``lib/2024-trip`` beside ``lib/2024``); found by
mutation testing of actions/keeps.py, 2026-12-05 (the folder's trailing separator could go and no test failed)."""
from __future__ import annotations

from click.testing import CliRunner

import blurscan
from blurscan.cli import main
from blurscan.config import ScanSettings
from helpers_images import blurred, save_jpeg, textured


def test_an_unreadable_database_protects_its_folder_not_a_sibling_with_a_longer_name(tmp_path):
    lib = tmp_path / "lib"
    inside = save_jpeg(lib / "2024" / "IMG_1.jpg", blurred(textured(1), 4.0))
    sibling = save_jpeg(lib / "2024-trip" / "IMG_2.jpg", blurred(textured(2), 4.0))
    records = list(blurscan.scan([lib], ScanSettings(workers=1, model="none"), db=str(lib / ".blurscan.db")))
    assert {r.verdict for r in records} == {"blurry"}
    (lib / "2024" / ".blurscan.db").write_bytes(b"not a database")  # damaged, or from a newer blurscan
    result = CliRunner().invoke(main, ["move", str(lib), "--all-blurry", "--to", str(tmp_path / "rejects")])
    assert result.exit_code == 0, result.output
    taken = [line for line in result.output.splitlines() if "IMG_" in line and "cannot be checked" not in line]
    assert any("IMG_2.jpg" in line for line in taken), result.output
    assert f"cannot be checked in {lib / '2024' / '.blurscan.db'}" in result.output
    assert not any("IMG_1.jpg" in line for line in taken), result.output
    assert inside.exists() and sibling.exists()  # a dry run
