"""A folder linked into a library (``lib/trip -> /media/usb/trip``) whose target is not there when the library's
``--follow-symlinks`` scan runs (a drive not mounted, a folder renamed): the photos the database holds under the
link are kept, as those of a folder that cannot be listed, with a note; until 2026-12-07 the scan forgot them
(said to pass over "1 file without a suffix"), and decoded them all afresh once the drive was back."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from blurscan.cli import main
from blurscan.store import Store
from helpers_images import save_jpeg, textured
from helpers_os import NOBODY, give_all, run_unprivileged, usual_umask
from test_actions_source_folder import base  # noqa: F401  (a fixture: a folder nobody can reach)

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _held(lib) -> list[str]:
    with Store(lib / ".blurscan.db", readonly=True) as store:
        return sorted(os.path.relpath(p, lib.resolve()) for p in store.paths_under(str(lib.resolve())))


def _linked_trip(tmp_path):
    """``lib`` (``home.jpg``) and ``lib/trip``, a symbolic link to a drive's ``usb/trip`` (``a.jpg``, ``b.jpg``);
    returns (lib, the drive)."""
    lib, drive = tmp_path / "lib", tmp_path / "usb"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(drive / "trip" / "a.jpg", textured(2))
    save_jpeg(drive / "trip" / "b.jpg", textured(3))
    os.symlink(drive / "trip", lib / "trip")
    return lib, drive


def test_the_photos_under_a_link_whose_target_is_not_there_are_kept(tmp_path):
    lib, drive = _linked_trip(tmp_path)
    runner = CliRunner()
    scan = ["scan", str(lib), "--follow-symlinks", "--model", "none"]
    assert runner.invoke(main, scan).exit_code == 0
    assert _held(lib) == ["home.jpg", "trip/a.jpg", "trip/b.jpg"]
    drive.rename(tmp_path / "away")  # (unmounted)
    res = runner.invoke(main, scan)
    assert res.exit_code == 0, res.output
    assert _held(lib) == ["home.jpg", "trip/a.jpg", "trip/b.jpg"]
    assert (f"note: {lib / 'trip'}: a symbolic link to {drive / 'trip'}, which is not there (a drive not mounted?): "
            "the 2 photos the database holds under it are kept") in res.stderr, res.stderr
    (tmp_path / "away").rename(drive)  # (mounted again: nothing decoded afresh)
    res = runner.invoke(main, scan)
    assert res.exit_code == 0 and "(3 unchanged, reused)" in res.stderr and "not there" not in res.stderr, res.output
    drive.rename(tmp_path / "away")
    res = runner.invoke(main, ["scan", str(lib), "--model", "none"])  # (not followed: forgotten, as when there)
    assert res.exit_code == 0 and _held(lib) == ["home.jpg"] and "which is not there" not in res.stderr, res.output


def test_removing_the_link_forgets_its_photos(tmp_path):
    lib, drive = tmp_path / "lib", tmp_path / "usb"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(drive / "a.jpg", textured(2))
    os.symlink(os.path.relpath(drive, lib), lib / "trip")  # (a relative link)
    runner = CliRunner()
    scan = ["scan", str(lib), "--follow-symlinks", "--model", "none"]
    assert runner.invoke(main, scan).exit_code == 0 and _held(lib) == ["home.jpg", "trip/a.jpg"]
    drive.rename(tmp_path / "away")
    res = runner.invoke(main, scan)
    assert f"a symbolic link to {drive}, which is not there" in res.stderr and "the 1 photo " in res.stderr
    (lib / "trip").unlink()
    res = runner.invoke(main, scan)
    assert res.exit_code == 0 and _held(lib) == ["home.jpg"] and "not there" not in res.stderr, res.output


def test_the_note_counts_each_photo_once_when_the_folders_named_overlap(tmp_path):
    """``scan lib lib/sub --follow-symlinks`` with ``lib/sub/trip`` a link whose target is not there: the note said
    the database held 4 photos under it, where it holds 2 (counted once for each folder named, until 2026-12-07)."""
    lib, drive = tmp_path / "lib", tmp_path / "usb"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(drive / "a.jpg", textured(2))
    save_jpeg(drive / "b.jpg", textured(3))
    (lib / "sub").mkdir()
    os.symlink(drive, lib / "sub" / "trip")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--follow-symlinks", "--model", "none"]).exit_code == 0
    drive.rename(tmp_path / "away")
    for named in ([lib, lib / "sub"], [lib / "sub", lib]):
        res = runner.invoke(main, ["scan", *map(str, named), "--follow-symlinks", "--model", "none"])
        assert res.exit_code == 0, res.output
        notes = [line for line in res.stderr.splitlines() if "which is not there" in line]
        assert len(notes) == 1 and "the 2 photos the database holds under it are kept" in notes[0], res.stderr
    assert _held(lib) == ["home.jpg", "sub/trip/a.jpg", "sub/trip/b.jpg"]


def _closing(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if line.startswith("scanned "))


def test_the_closing_line_calls_a_link_whose_target_is_not_there_no_file(tmp_path):
    """The ``--follow-symlinks`` scan that kept the photos under ``lib/trip`` (its target renamed) said in its closing
    line that it passed over ``1 file that is not a photo: 1 without a suffix`` (the link, counted by its name's
    suffix), and so did a plain scan of that library, until 2026-12-07."""
    lib, drive = tmp_path / "lib", tmp_path / "usb"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(drive / "trip" / "a.jpg", textured(2))
    os.symlink(os.path.relpath(drive / "trip", lib), lib / "trip")
    runner = CliRunner()
    scan = ["scan", str(lib), "--follow-symlinks", "--model", "none"]
    assert runner.invoke(main, scan).exit_code == 0
    (drive / "trip").rename(drive / "x")
    res = runner.invoke(main, scan)
    assert res.exit_code == 0 and "the 1 photo the database holds under it is kept" in res.stderr, res.output
    assert _closing(res.stderr).endswith("; passed over 1 symbolic link whose target is not there"), res.stderr
    assert "without a suffix" not in res.stderr and "not a photo" not in res.stderr
    (lib / "notes").write_text("a file without a suffix\n")  # (a real one: still counted, the link apart)
    os.symlink("/nonexistent/clip.MOV", lib / "clip.MOV")  # (a link to a file, gone: no .MOV either)
    res = runner.invoke(main, ["scan", str(lib), "--model", "none"])  # (plain: the link is no file either)
    assert res.exit_code == 0, res.output
    assert _closing(res.stderr).endswith("; passed over 1 file that is not a photo: 1 without a suffix; and 2 "
                                         "symbolic links whose targets are not there"), res.stderr
    assert ".MOV" not in res.stderr


def test_the_walk_counts_a_broken_link_apart_from_the_files(tmp_path):
    from blurscan.walk import BROKEN_LINK, walk

    (tmp_path / "notes.txt").write_text("x")
    os.symlink(tmp_path / "gone", tmp_path / "trip")
    os.symlink("notes.txt", tmp_path / "also.txt")  # (a link whose file is there: a .txt)
    passed_over: dict[str, int] = {}
    assert list(walk([tmp_path], passed_over=passed_over)) == []
    assert passed_over == {".txt": 2, BROKEN_LINK: 1}



def test_a_link_named_whose_target_is_not_there_is_said_as_in_a_scan_of_its_folder(tmp_path):
    """``scan lib/* --follow-symlinks`` names ``lib/trip``, a link whose target was renamed since the library's
    ``--follow-symlinks`` scan: until 2026-12-07 it was an error record (``broken symbolic link``, ``1 error``), its
    photos kept with no note; it says what ``scan lib`` says, and the error record such a scan stored is forgotten."""
    from blurscan.records import ScanRecord

    lib, drive = tmp_path / "lib", tmp_path / "ext"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(drive / "trip" / "a.jpg", textured(2))
    save_jpeg(drive / "trip" / "b.jpg", textured(3))
    os.symlink(os.path.relpath(drive / "trip", lib), lib / "trip")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--follow-symlinks", "--model", "none"]).exit_code == 0
    (drive / "trip").rename(drive / "x")
    with Store(lib / ".blurscan.db") as store:  # (what `scan lib/*` stored until 2026-12-07)
        store.put([ScanRecord.from_error(str(lib.resolve() / "trip"), "broken symbolic link")], "older")
    for named in ([lib / "home.jpg", lib / "trip"], [lib / "trip"]):
        res = runner.invoke(main, ["scan", *map(str, named), "--follow-symlinks", "--model", "none",
                                   "--format", "jsonl"])
        assert res.exit_code == 0, res.output
        assert "trip" not in res.stdout and "broken symbolic link" not in res.stderr, res.output
        closing = _closing(res.stderr)
        assert " 0 errors " in closing, res.stderr
        assert closing.endswith("; passed over 1 symbolic link whose target is not there"), res.stderr
        assert (f"note: {lib.resolve() / 'trip'}: a symbolic link to {drive.resolve() / 'trip'}, which is not there "
                "(a drive not mounted?): the 2 photos the database holds under it are kept") in res.stderr, res.stderr
        assert _held(lib) == ["home.jpg", "trip/a.jpg", "trip/b.jpg"]


def test_a_link_named_with_a_slash_whose_target_is_not_there_is_the_link(tmp_path):
    """``scan lib/trip/ --follow-symlinks`` (the slash Tab completion added while the drive was there), or
    ``lib/trip/.``: until 2026-12-07 ``lib/trip/: not a folder``, 1 error, exit 1 and no note (``lib/trip/.``:
    exit 1 and no line at all), where ``lib/trip`` is passed over as a link whose target is not there, its photos
    kept with a note, exit 0. The slash names the folder the link leads to, which is gone: said the same way."""
    from blurscan.records import ScanRecord

    lib, drive = tmp_path / "lib", tmp_path / "ext"
    save_jpeg(lib / "home.jpg", textured(1))
    save_jpeg(drive / "trip" / "a.jpg", textured(2))
    os.symlink(os.path.relpath(drive / "trip", lib), lib / "trip")
    runner = CliRunner()
    for named in (f"{lib / 'trip'}/", f"{lib / 'trip'}/.", f"{lib / 'trip'}//"):
        for follow in (["--follow-symlinks"], []):
            _scanned_then_unplugged(runner, lib, drive / "trip", drive / "x")
            with Store(lib / ".blurscan.db") as store:  # (what `scan lib/*` stored until 2026-12-07: forgotten)
                store.put([ScanRecord.from_error(str(lib.resolve() / "trip"), "broken symbolic link")], "older")
            res = runner.invoke(main, ["scan", named, *follow, "--model", "none", "--format", "jsonl"])
            assert res.exit_code == 0, (named, res.output)
            assert res.stdout == "" and "not a folder" not in res.stderr, res.output
            assert _closing(res.stderr).endswith("; passed over 1 symbolic link whose target is not there")
            assert ("the 1 photo the database holds under it is kept" in res.stderr) == bool(follow), res.stderr
            # (not followed: forgotten, as by `scan lib`; kept without a word until 2026-12-07)
            assert _held(lib) == (["home.jpg", "trip/a.jpg"] if follow else ["home.jpg"])


def _scanned_then_unplugged(runner, lib, target, away) -> None:
    """The library ``lib`` scanned with ``--follow-symlinks`` while the folder ``target`` of its link is there,
    then that folder renamed to ``away`` (a drive unplugged)."""
    if away.exists():
        away.rename(target)
    res = runner.invoke(main, ["scan", str(lib), "--follow-symlinks", "--model", "none"])
    assert res.exit_code == 0, res.output
    target.rename(away)


def test_a_plain_scan_naming_a_link_whose_target_is_not_there_forgets_its_photos_as_a_scan_of_its_folder(
        tmp_path):
    """``scan lib/*`` without ``--follow-symlinks`` names ``lib/trip``, a link whose target is not there (the drive
    unplugged), under which the database holds the photos of a ``--follow-symlinks`` scan: ``scan lib`` forgets
    them (it does not follow links, as when the target is there), and until 2026-12-07 ``scan lib/*`` (or
    ``scan lib/trip``, or a list naming it) kept them without a word; ``report`` said they were no longer on disk."""
    lib, drive = _linked_trip(tmp_path)
    runner = CliRunner()
    (tmp_path / "list").write_text(f"{lib / 'home.jpg'}\n{lib / 'trip'}\n")
    for named in (["scan", str(lib)], ["scan", str(lib / "home.jpg"), str(lib / "trip")], ["scan", str(lib / "trip")],
                  ["scan", "--files-from", str(tmp_path / "list")]):
        _scanned_then_unplugged(runner, lib, drive / "trip", tmp_path / "away")
        assert _held(lib) == ["home.jpg", "trip/a.jpg", "trip/b.jpg"]
        res = runner.invoke(main, [*named, "--model", "none"])
        assert res.exit_code == 0, (named, res.output)
        assert _closing(res.stderr).endswith("; passed over 1 symbolic link whose target is not there"), res.stderr
        assert "which is not there" not in res.stderr, res.stderr  # (no note: nothing kept)
        assert _held(lib) == ["home.jpg"], named
        res = runner.invoke(main, ["report", str(lib), "--format", "csv"])
        assert res.exit_code == 0 and "no longer on disk" not in res.stderr, res.output
    _scanned_then_unplugged(runner, lib, drive / "trip", tmp_path / "away")
    res = runner.invoke(main, ["scan", str(lib / "home.jpg"), str(lib / "trip"), "--follow-symlinks", "--model", "none"])
    assert res.exit_code == 0 and "the 2 photos the database holds under it are kept" in res.stderr, res.output
    assert _held(lib) == ["home.jpg", "trip/a.jpg", "trip/b.jpg"]  # (followed: kept, as by `scan lib --follow-...`)


@pytest.mark.skipif(not AS_ROOT, reason="a folder this user may not enter: root enters any, so the test drops to nobody")
def test_a_link_named_whose_target_cannot_be_reached_is_kept_when_followed_and_forgotten_when_not(base):
    """``lib/trip`` leads into a folder this user may not enter (``ext/locked``, mode 000): nothing is known of the
    photos there. ``scan lib/* --follow-symlinks`` keeps their records, with the note ``scan lib --follow-symlinks``
    gives; ``scan lib/*`` without it forgets them, as ``scan lib`` does (kept without a word until 2026-12-07)."""
    lib, ext = base / "lib", base / "ext"
    with usual_umask():
        save_jpeg(lib / "home.jpg", textured(1))
        save_jpeg(ext / "locked" / "trip" / "a.jpg", textured(2))
    os.symlink(ext / "locked" / "trip", lib / "trip")
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--follow-symlinks", "--model", "none"]).exit_code == 0
    give_all(base, (NOBODY, NOBODY))
    (ext / "locked").chmod(0)
    named = ["scan", str(lib / "home.jpg"), str(lib / "trip"), "--model", "none", "--workers", "1"]

    def scanned(*more):
        res = runner.invoke(main, [*named, *more])
        return [res.exit_code, res.stderr]

    code, stderr = run_unprivileged(lambda: scanned("--follow-symlinks"))
    assert code == 0 and "the 1 photo the database holds under it is kept" in stderr, stderr
    assert _held(lib) == ["home.jpg", "trip/a.jpg"]
    code, stderr = run_unprivileged(scanned)
    assert code == 0 and "which is not there" not in stderr, stderr
    assert _held(lib) == ["home.jpg"]
