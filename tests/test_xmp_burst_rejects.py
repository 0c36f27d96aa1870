"""``tag --xmp --from-bursts`` rejects every non-keeper shot of a burst (``xmp:Rating="-1"``, darktable's
"rejected"), also one that ``--all-blurry`` (the default) or ``--min-p-blurry`` selected first. Until 2026-12-06
such a shot got the label alone, as any blurry photo: darktable (reading the sidecar with exiv2) showed the blurry
non-keepers of a burst as not rejected, while the sharper ones, taken for the burst alone, were."""
from __future__ import annotations

from click.testing import CliRunner

from blurscan.actions import xmp_document
from blurscan.cli import main
from blurscan.store import db_path
from helpers_library import build_library, decide


def _burst(store, *paths):
    """One burst group of ``paths``, the first its keeper (as ``blurscan bursts`` stores it)."""
    with store.transaction() as conn:
        for rank, path in enumerate(paths, 1):
            conn.execute("INSERT INTO burst_groups (group_id, path, rank, is_keeper) VALUES (1, ?, ?, ?)",
                         (db_path(path), rank, int(rank == 1)))


def _library(tmp_path):
    """``build_library``'s, with IMG_1 (whose sidecars there are random bytes) marked keep: never tagged."""
    root = tmp_path / "lib"
    store, f = build_library(root)
    decide(store, f["IMG_1"], "keep")
    return root, store, f


def _rating(path) -> str | None:
    with open(path + ".xmp", "rb") as fh:
        return xmp_document.read_properties(fh.read()).get("Rating")


def test_blurry_non_keeper_of_a_burst_is_rejected(tmp_path):
    root, store, f = _library(tmp_path)
    _burst(store, f["IMG_3"], f["IMG_2"], f["IMG_4"])  # IMG_3 sharp, the keeper; IMG_2 and IMG_4 blurry
    decide(store, f["IMG_4"], "discard")
    out = CliRunner().invoke(main, ["tag", "--xmp", "--from-bursts", str(root)])
    assert out.exit_code == 0, out.output
    assert _rating(f["IMG_2"]) == "-1", out.output  # a non-keeper of the burst, blurry too (label only until now)
    assert _rating(f["IMG_4"]) == "-1"              # marked discard: as before
    assert _rating(f["IMG_5"]) is None              # blurry, in no burst: the label alone, as before
    with open(f["IMG_5"] + ".xmp", "rb") as fh:
        assert xmp_document.read_properties(fh.read()) == {"Label": "Red"}


def test_without_from_bursts_a_blurry_shot_gets_the_label_alone(tmp_path):
    root, store, f = _library(tmp_path)
    _burst(store, f["IMG_3"], f["IMG_2"])
    out = CliRunner().invoke(main, ["tag", "--xmp", str(root)])
    assert out.exit_code == 0, out.output
    assert _rating(f["IMG_2"]) is None


def test_a_non_keeper_over_min_p_blurry_is_rejected(tmp_path):
    root, store, f = _library(tmp_path)
    with store.transaction() as conn:  # IMG_3, sharp, over the cut-off: selected by --min-p-blurry first
        conn.execute("UPDATE images SET p_blurry = 0.5 WHERE path = ?", (db_path(f["IMG_3"]),))
    _burst(store, f["IMG_1"], f["IMG_3"])
    out = CliRunner().invoke(main, ["tag", "--xmp", "--discarded-only", "--from-bursts", "--min-p-blurry", "0.4",
                                    str(root)])
    assert out.exit_code == 0, out.output
    assert _rating(f["IMG_3"]) == "-1", out.output


def test_a_non_keeper_of_a_burst_with_no_keeper_in_place_gets_the_label_alone(tmp_path):
    root, store, f = _library(tmp_path)
    _burst(store, f["IMG_3"], f["IMG_2"])
    decide(store, f["IMG_3"], "discard")  # the keeper itself marked discard: the burst gives nothing away
    out = CliRunner().invoke(main, ["tag", "--xmp", "--from-bursts", str(root)])
    assert out.exit_code == 0, out.output
    assert _rating(f["IMG_3"]) == "-1"
    assert _rating(f["IMG_2"]) is None  # blurry: tagged as such, not rejected for the burst
