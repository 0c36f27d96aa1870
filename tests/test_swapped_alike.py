"""A kept and a discarded photo of the same size and the same time of whole seconds (two uncompressed TIFFs of one
shape from a zip, two JPEGs of one byte count), their names then swapped by hand: the rename gave both a new
status-change time, so the re-scan read both samples, found each another than the one its decision was made on
(blurscan.replaced.recheck), and cleared both decisions' size and time. The swap itself cannot be told (same size,
same time: either file may be either photo), so nothing was carried, and `move --all-blurry` took the kept
photo, now under the discarded one's name. Through the command line, as a person would; the decisions recorded as
the review page records them. Real generated blurry photos (model "none": the Laplacian variance calls them)."""
from __future__ import annotations

import os

import pytest

from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide_as_shown, swap_names

WHOLE_SECONDS = 1_700_000_000 * 1_000_000_000  # a zip keeps times of whole seconds (two seconds, even)
SCAN = ("--model", "none", "--workers", "1")


def _alike(lib, suffix):
    """Two blurry photos of other pictures, ``A`` and ``B``, of the same byte size and the same time."""
    from PIL import Image

    lib.mkdir(parents=True)
    a, b = lib / f"A.{suffix}", lib / f"B.{suffix}"
    for seed, path in ((1, a), (2, b)):
        if suffix == "tif":
            Image.fromarray(blurred(textured(seed), 4.0)).save(path, format="TIFF")  # uncompressed
        else:
            save_jpeg(path, blurred(textured(seed), 4.0))
    if suffix != "tif":  # one byte count: the shorter padded after its end (readers stop at the end marker)
        small = min((a, b), key=os.path.getsize)
        with open(small, "ab") as f:
            f.write(b"\0" * abs(os.path.getsize(a) - os.path.getsize(b)))
    for path in (a, b):
        os.utime(path, ns=(WHOLE_SECONDS, WHOLE_SECONDS))
    sa, sb = a.stat(), b.stat()
    assert (sa.st_size, sa.st_mtime_ns) == (sb.st_size, sb.st_mtime_ns) and a.read_bytes() != b.read_bytes()
    return a, b




def _scan(lib):
    result = run("scan", lib, *SCAN)
    assert result.exit_code == 0, result.output


def _dry_run(tmp_path, lib):
    result = run("move", lib, "--all-blurry", "--to", tmp_path / "rejects", "--dry-run", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return result.output


def _named(shown, path):
    """Whether ``shown`` (a path as the dry run shows it, relative to the library) is ``path``."""
    return shown == path.name or shown.endswith("/" + path.name)


def _taken(output, path):
    """Whether the dry run lists ``path`` among the photos it would move (not among those it skips)."""
    return any(line.startswith("would move ") and _named(line.split()[2], path) for line in output.splitlines())


def _skipped(output, path):
    """The reasons the dry run gives for leaving ``path`` (its stale discard, a keep)."""
    return [line.split(": ", 1)[1] for line in output.splitlines()
            if line.startswith("skip ") and _named(line.split(": ", 1)[0][5:], path)]


def _kept_discarded_swapped(tmp_path, ext):
    """Two alike photos (``_alike``) scanned, A kept and B discarded, then their names swapped by hand, not scanned
    since: ``(lib, a, b, db)``."""
    lib = tmp_path / "lib"
    a, b = _alike(lib, ext)
    _scan(lib)
    db = str(lib / ".blurscan.db")
    decide_as_shown(db, a, "keep")
    decide_as_shown(db, b, "discard")
    swap_names(a, b)
    return lib, a, b, db


@pytest.mark.parametrize("suffix", ["tif", "jpg"])
def test_a_kept_photo_swapped_with_a_discarded_one_of_its_size_and_time_is_never_taken(tmp_path, suffix):
    lib = tmp_path / "lib"
    a, b = _alike(lib, suffix)
    _scan(lib)
    db = str(lib / ".blurscan.db")
    before = _dry_run(tmp_path, lib)
    assert _taken(before, a) and _taken(before, b)  # both blurry, undecided: both would be taken
    decide_as_shown(db, a, "keep")
    decide_as_shown(db, b, "discard")
    kept_bytes = a.read_bytes()
    output = _dry_run(tmp_path, lib)
    assert not _taken(output, a) and _taken(output, b)
    swap_names(a, b)  # the kept photo is B now, the discarded one A
    assert b.read_bytes() == kept_bytes
    _scan(lib)
    output = _dry_run(tmp_path, lib)
    assert not _taken(output, b), output  # the kept photo, whatever its name now
    assert any(why.startswith(f"marked keep as {a.name}") for why in _skipped(output, b)), output  # and says why
    # and again, once more scanned: the keep still protects it (nothing read differently the second time)
    _scan(lib)
    assert not _taken(_dry_run(tmp_path, lib), b)


def _report(lib):
    """The report's line of each photo, by name."""
    result = run("report", lib, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return {os.path.basename(line.split()[-1]): line for line in result.output.splitlines()
            if line.split() and line.split()[-1].endswith((".tif", ".jpg"))}


def test_the_pages_show_the_kept_photo_kept_and_the_other_to_review_again(tmp_path):
    """What the review page and `report` show (blurscan.actions.keeps.kept_elsewhere, the rule `move` follows):
    the kept photo under its new name, kept; the discarded one under the kept name, neither kept nor discarded."""
    lib, a, b, db = _kept_discarded_swapped(tmp_path, "tif")
    _scan(lib)
    shown = _report(lib)
    assert "(kept)" in shown[b.name] and "(kept)" not in shown[a.name] and "(discarded)" not in shown[a.name], shown


def test_a_swap_not_scanned_since_leaves_the_kept_photo(tmp_path):
    """`move` run after the swap without a scan between: the discard on B.tif (made on its size and time) applied
    to the kept photo now there, and `move --all-blurry` took it. The keep's name holds a file of its size and
    time with other bytes (its status-change time moved, its sample read): the kept photo may be elsewhere."""
    lib, a, b, db = _kept_discarded_swapped(tmp_path, "tif")
    output = _dry_run(tmp_path, lib)
    assert not _taken(output, b), output
    plain = run("move", lib, "--to", tmp_path / "rejects", "--dry-run", env={"COLUMNS": "300"})  # the discards only
    assert plain.exit_code == 0 and not _taken(plain.output, b), plain.output


def test_a_swap_of_photos_kept_in_a_sub_folders_own_database(tmp_path):
    """Kept and discarded in lib/2024's own database (scan lib/2024, review, then scan lib), swapped, lib scanned
    again: no scan writes the sub-folder's database, whose record of the kept name has the kept photo's sample,
    and the file there now has another one."""
    lib = tmp_path / "lib"
    a, b = _alike(lib / "2024", "tif")
    sub = str(lib / "2024" / ".blurscan.db")
    _scan(lib / "2024")
    decide_as_shown(sub, a, "keep")
    decide_as_shown(sub, b, "discard")
    _scan(lib)
    swap_names(a, b)
    _scan(lib)
    output = _dry_run(tmp_path, lib)
    assert not _taken(output, b) and any(f"as {a.name}" in why for why in _skipped(output, b)), output


def _kept_in_an_old_sub_folder_database(tmp_path):
    """A.tif kept and B.tif discarded in lib/2024's own database as a blurscan from before samples wrote it (its
    records have no sample), lib scanned since (its records sampled), the names then swapped by hand:
    ``(lib, a, b)``."""
    import sqlite3

    lib = tmp_path / "lib"
    a, b = _alike(lib / "2024", "tif")
    sub = str(lib / "2024" / ".blurscan.db")
    _scan(lib / "2024")
    decide_as_shown(sub, a, "keep")
    decide_as_shown(sub, b, "discard")
    conn = sqlite3.connect(sub)
    with conn:  # the rows as a blurscan from before samples wrote them: no "ctime_ns" nor "sample" key
        conn.execute("UPDATE images SET record = json_remove(record, '$.ctime_ns', '$.sample')")
    conn.close()
    _scan(lib)
    swap_names(a, b)
    return lib, a, b


def test_a_swap_of_photos_kept_in_a_sub_folders_database_from_before_samples(tmp_path):
    """As above, the sub-folder's database written by a blurscan from before samples were stored: nothing told
    that the kept name's file was replaced once the library's scan had stored the new file's sample, and `move
    --all-blurry` took the kept photo under its new name. The library scan that finds the kept name's file
    replaced now remembers the keep with the sample its own record had (replaced_keeps)."""
    lib, a, b = _kept_in_an_old_sub_folder_database(tmp_path)
    _scan(lib)
    output = _dry_run(tmp_path, lib)
    assert not _taken(output, b) and any(f"as {a.name}" in why for why in _skipped(output, b)), output
    assert any("earlier version" in why for why in _skipped(output, a)), output  # the photo there now: review it
    shown = _report(lib)
    assert "(kept)" in shown[b.name] and "(kept)" not in shown[a.name], shown
    _scan(lib)  # scanned once more: still protected
    assert not _taken(_dry_run(tmp_path, lib), b)


def test_a_swap_not_scanned_since_of_photos_kept_in_a_sub_folders_database_from_before_samples(tmp_path):
    """The same swap, `move` run with no scan of the library since: the sub-folder's record of the kept file has
    no sample to tell the file there now from it, and `move --all-blurry` took the kept photo. The library's
    record of it, sampled by its scan, tells."""
    lib, a, b = _kept_in_an_old_sub_folder_database(tmp_path)
    output = _dry_run(tmp_path, lib)
    assert not _taken(output, b) and any(f"as {a.name}" in why for why in _skipped(output, b)), output
    assert "(kept)" in _report(lib)[b.name]


def test_a_discard_made_since_on_the_kept_photo_is_taken(tmp_path):
    """The keep protects the kept photo under its new name until a decision is made on that photo as it is now:
    discarded then, in the review page, `move` takes it (the person's word on that very photo)."""
    lib, a, b, db = _kept_discarded_swapped(tmp_path, "tif")
    _scan(lib)
    assert not _taken(_dry_run(tmp_path, lib), b)
    decide_as_shown(db, b, "discard")  # the kept photo, looked at again under its new name, and discarded
    output = _dry_run(tmp_path, lib)
    assert _taken(output, b) and not _taken(output, a), output  # A.tif: to review again, left (its keep's name)
    plain = run("move", lib, "--to", tmp_path / "rejects", "--dry-run", env={"COLUMNS": "300"})
    assert plain.exit_code == 0 and _taken(plain.output, b) and not _taken(plain.output, a), plain.output


def test_the_kept_photo_is_listed_once(tmp_path):
    """Swapped and scanned: the kept photo under its new name has that name's stale discard and the keep made on
    it; the dry run listed it twice (`skip B.tif: changed since it was reviewed ...`, then `skip B.tif: marked
    keep as A.tif ...`), and the real run counted it twice among the skipped. Once now, for the keep."""
    lib, a, b, db = _kept_discarded_swapped(tmp_path, "tif")
    _scan(lib)
    reasons = _skipped(_dry_run(tmp_path, lib), b)
    assert len(reasons) == 1 and reasons[0].startswith(f"marked keep as {a.name}"), reasons
    done = run("move", lib, "--all-blurry", "--to", tmp_path / "rejects", "--yes", env={"COLUMNS": "300"})
    assert done.exit_code == 0, done.output
    assert sum(line.startswith(f"skipped: {b.name}:") for line in done.output.splitlines()) == 1, done.output
    assert b.exists() and a.exists(), done.output  # neither taken (A.tif: to review again)


def test_the_names_swapped_back_keep_the_kept_photo(tmp_path):
    """Swapped, scanned, swapped back and scanned again: the kept photo, under its own name again, is kept."""
    lib, a, b, db = _kept_discarded_swapped(tmp_path, "jpg")
    _scan(lib)
    swap_names(a, b)
    _scan(lib)
    output = _dry_run(tmp_path, lib)
    assert not _taken(output, a), output
    assert "(kept)" in _report(lib)[a.name]
