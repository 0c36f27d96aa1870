"""The review page's folder list counts what its folder filter shows (``/api/folders`` against ``/api/items``),
after ``blurscan move`` and its undo too."""
from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from blurscan.cli import main

from helpers_review import _get, build_review_library, review_client


@pytest.fixture()
def lib(tmp_path):
    return build_review_library(tmp_path)


def _counts(client):
    """folder -> (photos, flagged) as the folder list says, and as the folder filter lists them."""
    said, shown = {}, {}
    for f in _get(client, "/api/folders").get_json()["folders"]:
        said[f["folder"]] = (f["photos"], f["flagged"])
        items = {kind: _get(client, f"/api/items?filter={kind}&folder={quote(f['folder'])}").get_json()["items"]
                 for kind in ("all", "flagged")}
        shown[f["folder"]] = (len(items["all"]), len(items["flagged"]))
    return said, shown


def test_folder_counts_leave_out_the_photos_blurscan_moved_away_until_undone(lib, tmp_path):
    """Photos moved by ``blurscan move`` are not in the grid (nor the header) until undone: the folder list
    counted them still, ``a (2/2)`` over an empty grid (until 2026-12-05)."""
    client = review_client(lib)
    folder_a = os.path.dirname(lib[1]["blurry.jpg"].path)
    r = CliRunner().invoke(main, ["move", os.path.dirname(folder_a), "--to", str(tmp_path / "rejects"),
                                  "--all-blurry", "--yes"])
    assert r.exit_code == 0, r.output
    assert not os.path.exists(lib[1]["blurry.jpg"].path)
    said, shown = _counts(client)
    assert said == shown
    assert said[folder_a] == (1, 1)  # partial.jpg is left (move --all-blurry takes the blurry ones)
    r = CliRunner().invoke(main, ["undo", os.path.dirname(folder_a)])
    assert r.exit_code == 0, r.output
    said, shown = _counts(client)
    assert said == shown
    assert said[folder_a] == (2, 2)
