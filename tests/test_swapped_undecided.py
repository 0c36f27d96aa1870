"""A discarded photo and one never discarded (undecided, sharp or blurry), of the same size and the same time of whole
seconds (two uncompressed TIFFs of one shape from a zip), their names then swapped by hand and `move`, `trash` or
`tag` run straight after, with no scan between. The discard is stored under a name with the size and time of the
file decided on, and the file under that name now has them too: `move` took the photo never discarded, and `tag`
marked it rejected. The rename moved the file's status-change time, and its sampled bytes are not those the scan
stored (blurscan.actions.other_bytes): it is left, and the line says why. Through the command line, as a person
would; decisions recorded as the review page records them. Real generated photos (model "none": the Laplacian
variance calls them sharp or blurry)."""
from __future__ import annotations

import os

import pytest
from PIL import Image

from helpers_cli import run
from helpers_images import blurred, textured
from helpers_library import decide_as_shown, swap_names

WHOLE_SECONDS = 1_700_000_000 * 1_000_000_000  # a zip keeps times of whole seconds
SCAN = ("--model", "none", "--workers", "1")
WIDE = {"COLUMNS": "300"}
#: The start of what the plan says of a discard whose name holds another file now.
NOT_DISCARDED = "not the photo you discarded"


def _library(tmp_path, blurry_b=False):
    """``A.tif`` (blurry) and ``B.tif`` (sharp, or blurry with ``blurry_b``) of the same byte size and time, another
    picture each, scanned: ``(lib, a, b, db)``."""
    lib = tmp_path / "lib"
    lib.mkdir()
    a, b = lib / "A.tif", lib / "B.tif"
    Image.fromarray(blurred(textured(1), 4.0)).save(a, format="TIFF")  # uncompressed: one shape, one size
    picture = textured(2)
    Image.fromarray(blurred(picture, 4.0) if blurry_b else picture).save(b, format="TIFF")
    for path in (a, b):
        os.utime(path, ns=(WHOLE_SECONDS, WHOLE_SECONDS))
    sa, sb = a.stat(), b.stat()
    assert (sa.st_size, sa.st_mtime_ns) == (sb.st_size, sb.st_mtime_ns) and a.read_bytes() != b.read_bytes()
    result = run("scan", lib, *SCAN)
    assert result.exit_code == 0, result.output
    return lib, a, b, str(lib / ".blurscan.db")




def _discarded_then_swapped(tmp_path, blurry_b=False):
    """A discarded, B never decided on, then their names swapped: ``(lib, a, b, a_bytes, b_bytes)`` (the bytes of
    the discarded photo and of the other, which is under A's name now)."""
    lib, a, b, db = _library(tmp_path, blurry_b)
    decide_as_shown(db, a, "discard")
    a_bytes, b_bytes = a.read_bytes(), b.read_bytes()
    swap_names(a, b)
    assert a.read_bytes() == b_bytes and (a.stat().st_size, a.stat().st_mtime_ns) == (b.stat().st_size, WHOLE_SECONDS)
    return lib, a, b, a_bytes, b_bytes


def _lines(output, start, path):
    """The lines of ``output`` starting with ``start`` that name ``path`` (by its name) before ``: ``."""
    return [line for line in output.splitlines() if line.startswith(start)
            and os.path.basename(line[len(start):].split(": ", 1)[0].split()[0]) == path.name]


def _taken(output, path):
    return bool(_lines(output, "would move ", path) or _lines(output, "would trash ", path))


def _skip_reason(output, path, start="skip "):
    lines = _lines(output, start, path)
    return lines[0][len(start):].split(": ", 1)[1] if lines else None


@pytest.mark.parametrize("all_blurry", [False, True])
def test_move_leaves_the_photo_never_discarded_now_under_the_discarded_name(tmp_path, all_blurry):
    lib, a, b, a_bytes, b_bytes = _discarded_then_swapped(tmp_path)
    rejects = tmp_path / "rejects"
    wide = ("--all-blurry",) if all_blurry else ()
    dry = run("move", lib, "--to", rejects, *wide, env=WIDE)
    assert dry.exit_code == 0, dry.output
    assert not _taken(dry.output, a), dry.output  # the sharp B, never discarded, under A's name
    assert _skip_reason(dry.output, a).startswith(NOT_DISCARDED), dry.output  # said, naming the file
    assert not _taken(dry.output, b)  # the discarded photo under B's name: B's record says sharp, undecided
    done = run("move", lib, "--to", rejects, *wide, "--yes", env=WIDE)
    assert done.exit_code == 0, done.output
    assert _skip_reason(done.stderr, a, "skipped: ").startswith(NOT_DISCARDED), done.stderr
    assert a.read_bytes() == b_bytes and b.read_bytes() == a_bytes  # both where they are
    assert not rejects.exists() or not any(rejects.rglob("*.tif"))


def test_a_flagged_photo_whose_name_holds_a_sharp_one_now_is_left(tmp_path):
    """No decision at all: A blurry, B sharp, swapped. `move --all-blurry` took the sharp B under A's name, the
    scan's verdict on the blurry A."""
    lib, a, b, db = _library(tmp_path)
    swap_names(a, b)
    dry = run("move", lib, "--to", tmp_path / "rejects", "--all-blurry", env=WIDE)
    assert dry.exit_code == 0, dry.output
    assert not _taken(dry.output, a), dry.output
    assert _skip_reason(dry.output, a).startswith("not the photo the scan called blurry"), dry.output


def test_trash_leaves_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    lib, a, b, a_bytes, b_bytes = _discarded_then_swapped(tmp_path)
    dry = run("trash", lib, env=WIDE)
    assert dry.exit_code == 0 and not _taken(dry.output, a), dry.output
    assert _skip_reason(dry.output, a).startswith(NOT_DISCARDED), dry.output
    done = run("trash", lib, "--yes", env=WIDE)
    assert done.exit_code == 0, done.output
    assert _skip_reason(done.stderr, a, "skipped: ").startswith(NOT_DISCARDED), done.stderr
    assert a.read_bytes() == b_bytes and b.read_bytes() == a_bytes
    trash = tmp_path / "data" / "Trash" / "files"
    assert not trash.exists() or not os.listdir(trash)


@pytest.mark.parametrize("dry_run", [False, True])
def test_tag_writes_no_rejected_sidecar_for_it(tmp_path, dry_run):
    lib, a, b, a_bytes, b_bytes = _discarded_then_swapped(tmp_path)
    out = run("tag", "--xmp", "--discarded-only", *(["--dry-run"] if dry_run else []), lib, env=WIDE)
    assert out.exit_code == 0, out.output
    assert _skip_reason(out.output, a).startswith(NOT_DISCARDED), out.output
    assert not list(lib.glob("*.xmp")), out.output  # no sidecar says the sharp B is rejected


def test_a_discard_whose_file_is_unswapped_is_still_taken(tmp_path):
    """The check costs nothing when the status-change time is the one stored, and when it moved without the bytes
    changing (a chmod, a rename there and back), the sample read is the one stored: the discard is taken."""
    lib, a, b, db = _library(tmp_path)
    decide_as_shown(db, a, "discard")
    rejects = tmp_path / "rejects"
    dry = run("move", lib, "--to", rejects, env=WIDE)
    assert _taken(dry.output, a) and _skip_reason(dry.output, a) is None, dry.output
    before = a.stat().st_ctime_ns
    os.chmod(a, 0o600)
    os.rename(a, a.with_name("away.tif"))
    os.rename(a.with_name("away.tif"), a)
    assert a.stat().st_ctime_ns != before
    dry = run("move", lib, "--to", rejects, env=WIDE)
    assert _taken(dry.output, a) and _skip_reason(dry.output, a) is None, dry.output
    done = run("move", lib, "--to", rejects, "--yes", env=WIDE)
    assert done.exit_code == 0 and (rejects / "A.tif").is_file() and not a.exists(), done.output


def test_swapped_back_before_the_move_it_is_taken(tmp_path):
    """Swapped, then swapped back (both status-change times moved twice): the discarded photo is under its name
    again, and is taken."""
    lib, a, b, a_bytes, b_bytes = _discarded_then_swapped(tmp_path)
    swap_names(a, b)
    dry = run("move", lib, "--to", tmp_path / "rejects", env=WIDE)
    assert _taken(dry.output, a) and _skip_reason(dry.output, a) is None, dry.output


def test_two_discards_swapped_are_both_taken(tmp_path):
    """Both discarded, then swapped: under each name another file than the one decided on, but one the person
    discarded (under the other name): both are taken, as before."""
    lib, a, b, db = _library(tmp_path, blurry_b=True)
    decide_as_shown(db, a, "discard")
    decide_as_shown(db, b, "discard")
    swap_names(a, b)
    dry = run("move", lib, "--to", tmp_path / "rejects", env=WIDE)
    assert _taken(dry.output, a) and _taken(dry.output, b) and "skip " not in dry.output, dry.output


def test_a_discard_and_a_blurry_photo_swapped_leave_the_one_never_discarded(tmp_path):
    """A discarded, B blurry and undecided, swapped: `move` without --all-blurry takes only discards, and the
    photo under A's name is B; with --all-blurry, B's bytes under A's name are not taken as a discard either (the
    label would say so), and A's bytes under B's name not as blurry (the scan called B's blurry, not A's)."""
    lib, a, b, db = _library(tmp_path, blurry_b=True)
    decide_as_shown(db, a, "discard")
    swap_names(a, b)
    for wide in ((), ("--all-blurry",)):
        dry = run("move", lib, "--to", tmp_path / "rejects", *wide, env=WIDE)
        assert not _taken(dry.output, a) and _skip_reason(dry.output, a).startswith(NOT_DISCARDED), dry.output
    assert not _taken(dry.output, b), dry.output
    assert _skip_reason(dry.output, b).startswith("not the photo the scan called blurry"), dry.output


def test_a_burst_shot_whose_name_holds_another_photo_of_its_size_and_time_is_left(tmp_path):
    """`move --from-bursts` straight after a burst's candidate was replaced by another photo of the same byte size
    and time (a photo of another scene, padded after its end; saved over it and its time set back, no scan since):
    the burst row and the scan record both had that size and time, and the other photo was taken."""
    from test_bursts_replaced import REPLACED
    from test_renamed_stale_burst import three_shot_burst

    lib = tmp_path / "lib"
    three_shot_burst(lib)
    shot = lib / "IMG_0003.jpg"
    before = shot.stat()
    other = lib.parent / "other.jpg"
    Image.fromarray(textured(9)).save(other, format="JPEG", quality=30)  # smaller than the shot, padded to its size
    assert other.stat().st_size < before.st_size
    with open(other, "ab") as f:
        f.write(b"\0" * (before.st_size - other.stat().st_size))
    os.replace(other, shot)
    os.utime(shot, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (shot.stat().st_size, shot.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    dry = run("move", "--from-bursts", "--to", tmp_path / "rejects", lib, env=WIDE)
    assert dry.exit_code == 0, dry.output
    assert not _taken(dry.output, shot) and _skip_reason(dry.output, shot) == REPLACED, dry.output
    assert _taken(dry.output, lib / "IMG_0001.jpg"), dry.output  # the burst's other candidate, in place
