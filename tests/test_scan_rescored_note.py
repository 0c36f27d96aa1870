"""A scan after an upgrade whose cache key changed (2026-12-06: the model runtime's PREPROCESS_VERSION 3 -> 4)
scores every photo of a library again, as long as a first scan, and said only ``scanned 3 files (0 unchanged,
reused) in 41 min``: nothing told the person why, nor that the keeps and discards made in the review stand. A note
says how many and why now (blurscan.rescored). The old key is faked as the earlier blurscan wrote it: the rows of a
real scan given the previous runtime version. Real scans of generated JPEGs through the CLI."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.model.spec import PREPROCESS_VERSION
from blurscan.review import decisions
from blurscan.rescored import note, why
from blurscan.store import Store
from helpers_images import blurred, save_jpeg, textured
from helpers_sqlite import connected

NOW = f"/p{PREPROCESS_VERSION}|"
BEFORE = f"/p{int(PREPROCESS_VERSION) - 1}|"


def _scan(lib: Path, *options: str):
    result = CliRunner().invoke(main, ["scan", str(lib), "--workers", "1", *options])
    assert result.exit_code == 0, result.output
    return result


def _library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    save_jpeg(lib / "IMG_0001.jpg", textured(1))
    save_jpeg(lib / "IMG_0002.jpg", blurred(textured(2), 3.0))
    save_jpeg(lib / "IMG_0003.jpg", textured(3))
    return lib


def _keys(lib: Path) -> set[str]:
    with connected(lib / ".blurscan.db") as conn:
        return {k for (k,) in conn.execute("SELECT cache_key FROM images")}


def _stored_by_the_previous_runtime(lib: Path) -> None:
    with connected(lib / ".blurscan.db") as conn:
        conn.execute("UPDATE images SET cache_key = replace(cache_key, ?, ?)", (NOW, BEFORE))
    assert all(BEFORE in k for k in _keys(lib))


def test_a_scan_after_the_runtime_changed_says_why_every_photo_is_scored_again(tmp_path):
    lib = _library(tmp_path)
    _scan(lib)
    with Store(lib / ".blurscan.db") as store:
        decisions.decide(store, str(lib / "IMG_0002.jpg"), "keep")
        decisions.decide(store, str(lib / "IMG_0003.jpg"), "discard")
    _stored_by_the_previous_runtime(lib)

    result = _scan(lib)
    assert "(0 unchanged, reused)" in result.stderr
    said = [line for line in result.stderr.splitlines() if "scored again" in line]
    assert said == [f"note: 3 photos unchanged since their last scan were scored again, as long as a first scan: "
                    f"the model's rules changed in this blurscan (runtime preprocessing {int(PREPROCESS_VERSION) - 1}"
                    f" -> {PREPROCESS_VERSION}); their keeps and discards stand (kept by file), as do the keepers "
                    "chosen in bursts"], result.stderr  # nothing was said on main
    assert all(NOW in k for k in _keys(lib))
    with Store(lib / ".blurscan.db") as store:  # what the note says: the decisions stand
        assert decisions.kept(store) == {str(lib / "IMG_0002.jpg")}
        assert decisions.discarded(store) == {str(lib / "IMG_0003.jpg")}

    again = _scan(lib)  # once: the next scan reuses them, and says nothing of it
    assert "(3 unchanged, reused)" in again.stderr and "scored again" not in again.stderr


def test_only_the_unchanged_photos_are_counted(tmp_path):
    """A photo edited since, and one new, are scored again as always: not counted in the note."""
    lib = _library(tmp_path)
    _scan(lib)
    _stored_by_the_previous_runtime(lib)
    save_jpeg(lib / "IMG_0001.jpg", textured(11))  # edited (another size)
    save_jpeg(lib / "IMG_0004.jpg", textured(4))  # new
    result = _scan(lib)
    assert "note: 2 photos unchanged since their last scan were scored again" in result.stderr, result.stderr


def test_the_note_names_other_causes_and_keeps_quiet_where_nothing_changed(tmp_path):
    lib = _library(tmp_path)
    first = _scan(lib, "--model", "none")
    assert "scored again" not in first.stderr  # a first scan: nothing stored before
    # the classical records of an earlier --model none scan are untouched by a runtime change: reused
    assert "(3 unchanged, reused)" in _scan(lib, "--model", "none").stderr
    with_model = _scan(lib)
    assert "note: 3 photos unchanged since their last scan were scored again, as long as a first scan: a scan " \
           "with --model none scored them;" in with_model.stderr, with_model.stderr
    # back to --model none: the note of its own (the model's verdicts replaced), not this one
    assert "scored again" not in _scan(lib, "--model", "none").stderr
    other_size = _scan(lib, "--model", "none", "--long-side", "512")
    assert "scored again, as long as a first scan: other settings (--long-side, or a full scan after --fast " \
           "ones);" in other_size.stderr, other_size.stderr


def test_why_in_words():
    key = f"m1.2|d2|2026.12.04+8ff75eac/p{PREPROCESS_VERSION}|b923f213c64dd048"
    older = key.replace(NOW, BEFORE)
    assert why(older, key) == f"the model's rules changed in this blurscan (runtime preprocessing " \
                              f"{int(PREPROCESS_VERSION) - 1} -> {PREPROCESS_VERSION})"
    # a database a newer blurscan scored, opened by this one (a person who went back to an older release)
    newer = key.replace(NOW, f"/p{int(PREPROCESS_VERSION) + 1}|")
    assert why(newer, key).startswith("the model's rules changed since: a newer blurscan scored them")
    assert why(key.replace("2026.12.04+8ff75eac", "2026.12.03+00000000"), key) == \
        "another model (2026.12.03+00000000 -> 2026.12.04+8ff75eac)"
    assert why(key.replace("|d2|", "|d1|"), key) == "the decoding changed in this blurscan (d1 -> d2)"
    assert why(key.replace("m1.2", "m1.1"), key) == "the measures changed (another blurscan scored them)"
    assert why(key.replace(f"/p{PREPROCESS_VERSION}", ""), key).startswith("the model's rules changed")
    assert why(key, key.replace(f"2026.12.04+8ff75eac/p{PREPROCESS_VERSION}", "none")) is None  # its own note
    assert why("garbage", key) == "another blurscan scored them"
    assert note({}) is None
    assert note({"a": 1}).startswith("note: 1 photo unchanged since its last scan was scored again")
    assert "b (2); a (1)" in note({"a": 1, "b": 2})
