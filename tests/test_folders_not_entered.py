"""Folders an ordinary user may not enter, run as that user (``nobody``, when the tests run as root, as CI does):
another user's ``0700`` folder (it cannot be listed) and one it may list but not enter (another user's ``0744``,
or any folder after ``chmod -R 644``: the names are there, every look at a photo is refused).

Until 2026-12-05 `report`, `bursts` and `scan` given such a folder (or a folder inside it) ended in a
PermissionError traceback while looking for its ``.blurscan.db``; a photo in a folder that could be listed but not
entered was printed by the scan as ``permission denied`` and never stored (``os.path.lexists`` is False there, and
the scan took it for a command-line path that does not exist), so `report` left its error out, and `scan` named
it alone said "no such file" with exit 1 and no database."""
from __future__ import annotations

import colorsys  # noqa: F401  (the table's colours, and below, the output's encoding: modules of the standard
import encodings.utf_16_le  # noqa: F401  library the child, as nobody, may not be allowed to read)
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from helpers_cli import run
from helpers_images import save_jpeg, textured

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="needs root, to make another user's folders and run blurscan as nobody")

NOBODY = 65534
SCAN = ("scan", "--model", "none", "--workers", "1")


def _library(base: Path) -> Path:
    """``lib`` of nobody's, with a photo of its own, root's ``locked`` (0700) and ``listed`` (0744) folders."""
    lib = base / "lib"
    save_jpeg(lib / "a" / "IMG_1.jpg", textured(1))
    save_jpeg(lib / "locked" / "IMG_2.jpg", textured(2))
    save_jpeg(lib / "listed" / "IMG_3.jpg", textured(3))
    for folder in (lib, lib / "a"):
        os.chown(folder, NOBODY, NOBODY)
    os.chown(lib / "a" / "IMG_1.jpg", NOBODY, NOBODY)
    (lib / "locked").chmod(0o700)
    (lib / "listed").chmod(0o744)
    return lib


def _as_nobody(base: Path, *commands) -> list:
    """``[(exit code, output)]`` of each command (a tuple of arguments) run in order as nobody; an exception is
    kept as its ``repr`` (a traceback the person would have seen)."""
    from helpers_os import run_unprivileged

    def body():
        out = []
        for args in commands:
            try:
                result = run(*args, env={"COLUMNS": "300", "HOME": str(base / "home"),
                                         "XDG_CACHE_HOME": str(base / "home" / "cache")})
                out.append((result.exit_code, result.output))
            except Exception as exc:  # noqa: BLE001  (the test reports it)
                out.append(("raised", repr(exc)))
        return out

    return run_unprivileged(body)


@pytest.fixture
def base():
    folder = Path(tempfile.mkdtemp(prefix="blurscan-enter-"))  # (tmp_path is root's 0700: nobody may not enter it)
    folder.chmod(0o755)
    (folder / "home").mkdir()
    os.chown(folder / "home", NOBODY, NOBODY)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_folder_that_cannot_be_listed_given_to_report_bursts_and_scan(base):
    lib = _library(base)
    locked = lib / "locked"
    scanned, report, bursts, rescan, inner = _as_nobody(
        base, (*SCAN, lib), ("report", locked), ("bursts", locked), (*SCAN, locked), ("report", locked / "x"))
    assert scanned[0] == 0 and f"{locked}: cannot list folder: permission denied" in scanned[1], scanned
    for result in (report, rescan):
        assert result[0] == 0, result
        assert f"  {locked}: cannot list folder: permission denied\n" in result[1], result
        assert "1 file: 0 blurry, 0 partial, 0 sharp, 1 error" in result[1], result
    assert bursts[0] == 0 and "0 burst groups" in bursts[1], bursts
    # nothing stored there, and it cannot be told absent: said so in one line (until 2026-12-05 "0 files" alone)
    assert inner[0] == 0 and "0 files" in inner[1], inner
    assert (f"note: {locked} cannot be entered by this user: whether {locked / 'x'} exists cannot be told\n"
            in inner[1]), inner
    assert (locked / "IMG_2.jpg").is_file()


def test_a_photo_in_a_folder_listed_but_not_entered_is_stored_and_reported(base):
    lib = _library(base)
    photo = lib / "listed" / "IMG_3.jpg"
    scanned, report, folder, named, alone = _as_nobody(
        base, (*SCAN, lib), ("report", "--only", "errors", lib), ("report", photo.parent), ("report", photo),
        (*SCAN, photo))
    assert scanned[0] == 0 and f"{photo}: permission denied" in scanned[1], scanned
    for result in (report, folder, named):
        assert result[0] == 0 and f"  {photo}: permission denied\n" in result[1], result
    assert "2 files: 0 blurry, 0 partial, 0 sharp, 2 errors" in report[1], report  # (and the locked folder)
    assert "1 file: 0 blurry, 0 partial, 0 sharp, 1 error" in named[1], named
    # named alone: a photo the scan cannot read, as in a folder of its own (it was "no such file", exit 1)
    assert alone[0] == 0 and f"  {photo}: permission denied\n" in alone[1] and "no such file" not in alone[1], alone
    assert f"database: {lib / '.blurscan.db'}" in alone[1], alone
    assert "cannot be told" not in folder[1] + named[1], (folder, named)  # (the folder's listing names it)


def test_a_name_absent_from_a_folder_listed_but_not_entered_is_no_such_file(base):
    """The folder's listing tells the name is not there: said so, as for any name that is not there."""
    lib = _library(base)
    _, missing = _as_nobody(base, (*SCAN, lib), ("report", lib / "listed" / "IMG_9.jpg"))
    assert missing[0] == 1 and "IMG_9.jpg: no such file or directory" in missing[1], missing
