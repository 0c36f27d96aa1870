"""The README documents what the tool does: every command, every JSONL key, the two set-up commands."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from blurscan.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_readme_opens_with_the_two_setup_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    assert README.index("make demo") < README.index("## ")  # before the first section


def test_every_command_is_documented():
    for name in main.commands:
        assert f"blurscan {name}" in README, f"README does not mention `blurscan {name}`"


def test_every_jsonl_key_is_documented():
    from blurscan.pipeline import score_image

    record = score_image(np.random.default_rng(0).integers(0, 255, (96, 128, 3), dtype=np.uint8))
    section = README[README.index("## JSONL output"):README.index("## How verdicts are made")]
    for key in record.to_json():
        assert f"`{key}`" in section, f"JSONL key {key} is not documented in the README"


def test_the_jsonl_key_tables_list_the_keys_in_their_order():
    """The README and docs/jsonl.md say "every key below, always in this order": their tables listed the scores
    in another order than the output (a docs audit)."""
    from blurscan.pipeline import score_image

    keys = list(score_image(np.random.default_rng(0).integers(0, 255, (96, 128, 3), dtype=np.uint8)).to_json())
    for text in (README, (Path(__file__).resolve().parents[1] / "docs" / "jsonl.md").read_text()):
        table = text[text.index("| key | type | meaning |"):]
        table = table[:table.index("\n\n")]
        listed = [k for row in table.splitlines()[2:] for k in re.findall(r"`(\w+)`", row.split("|")[1])]
        assert listed == keys


def test_readme_links_point_to_files():
    for target in re.findall(r"\]\(((?:docs|bench)/[^)#]+)", README):
        assert (Path(__file__).resolve().parents[1] / target).exists(), target


def test_the_readme_gives_the_number_of_tests_within_a_tenth(request):
    """The Development section's "about N tests" is the suite's size within 10 %: it said about 2,280 while the
    suite held 2,646 (a docs audit, 2026-12-06). Checked where the whole folder was collected (`make test`,
    `make test-slow`, `make test-all`: counted before -m or -k leaves tests out), skipped where test files were named, and on
    ``pytest --lf`` (only the tests that failed last time are collected then)."""
    from conftest import COLLECTED

    collected = request.config.stash.get(COLLECTED, [])
    tests = Path(__file__).resolve().parent
    if {Path(arg.split("::")[0]).resolve() for arg in request.config.args} != {tests}:  # (`pytest`, `pytest tests`)
        pytest.skip("only some test files were collected")
    if request.config.getoption("lf", False):  # (no such option where the cache plugin is off: -p no:cacheprovider)
        pytest.skip("only the tests that failed last time were collected (--lf)")
    stated, count = int(re.search(r"about ([\d,]+) tests", README).group(1).replace(",", "")), len(collected)
    assert abs(stated - count) <= count / 10, f"the README says about {stated:,} tests; the suite has {count:,}"


def test_move_help_names_every_live_photo_clip_that_moves():
    """`blurscan move --help` named a Live Photo's `.mov` alone after `.mp4` and `_HEVC.MOV` clips began to move
    with their photo (a docs audit, 2026-12-06)."""
    from click.testing import CliRunner

    from blurscan.actions.photo_group import LIVE_VIDEO_SUFFIXES

    text = " ".join(CliRunner().invoke(main, ["move", "--help"], terminal_width=200).output.split()).lower()
    clips = text[text.index("live photo's video"):].split(")")[0]
    assert all(suffix in clips for suffix in LIVE_VIDEO_SUFFIXES), clips


@pytest.mark.slow
def test_the_test_count_check_passes_a_rerun_of_the_last_failures(tmp_path):
    """``pytest --lf`` after the count check failed (the README put right since) collects only the tests that
    failed: until 2026-12-06 the check then counted those ("the suite has 1") and failed again, however right the
    README was. A real pytest run of the tests folder, with a cache that says the check failed last time (the other
    test files are not even collected: a second or two)."""
    import json
    import subprocess
    import sys

    check = "tests/test_docs.py::test_the_readme_gives_the_number_of_tests_within_a_tenth"
    (tmp_path / "cache" / "v" / "cache").mkdir(parents=True)
    (tmp_path / "cache" / "v" / "cache" / "lastfailed").write_text(json.dumps({check: True}))
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "cacheprovider", "-o",
                           f"cache_dir={tmp_path / 'cache'}", "--lf", "-rs", "tests"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 skipped" in done.stdout, done.stdout


def test_the_readme_says_which_trash_batch_waits_for_its_drive_where_it_was():
    """The Troubleshooting answer says which trash batch of a drive mounted at another place waits for it to be
    mounted where it was: one whose database is kept off the drive (test_undo_remounted.py's
    ``test_undo_of_a_trash_batch_waits_for_its_drive_mounted_again_where_it_was``), not one of a library carried
    with its drive, which undo puts back there (``test_a_library_carried_with_its_drive_to_another_place_is_undone_
    there``). Until 2026-12-07, the evening, it said "a trash batch of such a library waits", "such" read as either."""
    text = " ".join(README[README.index("* **Where did my moved photos go?"):].split("\n* **")[0].split())
    waits = [s for s in re.split(r"(?<=[.;])\s", text) if "waits for the drive to be mounted where it was" in s]
    assert len(waits) == 1 and "database is kept off the drive" in waits[0], waits
    assert "one of a library carried with its drive is put back at `/media/me/DISK1`" in text, text
