"""A ``..`` in a PATH, in ``-o`` and in ``HOME``, read as the system reads it (``ls rej/../x``): after a symbolic link to
a folder, from where the link leads; after a name not there, a link that leads nowhere or a link to a file, nowhere
at all. Until 2026-12-07 ``realpath`` (or plain text) read past those: ``scan typo/../lib`` scanned ``lib``, ``report
-o afile/../out.csv`` wrote into the photo's folder, and ``HOME=~/rej/../me`` kept the trash beside the link. Real
scans of generated photos in folders and links made for each test."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from helpers_cli import jsonl, run, run_from
from helpers_images import make_library

SCAN = ("--model", "none", "--workers", "1")


@pytest.fixture
def linked(tmp_path):
    """``here/`` with ``good -> drive/a`` (a folder), ``old -> drive/gone`` (removed since), ``afile -> the photo
    drive/lib/sharp_1.jpg``, and the library ``drive/lib``, the sibling of where ``good`` leads; ``here/lib`` is
    another library, where a ``..`` read by text would land."""
    here, drive = tmp_path / "here", tmp_path / "drive"
    (drive / "a").mkdir(parents=True)
    make_library(drive / "lib", n_sharp=2, n_blurry=1)
    make_library(here / "lib", n_sharp=1, n_blurry=1)
    os.symlink(drive / "a", here / "good")
    os.symlink(drive / "gone", here / "old")
    os.symlink(drive / "lib" / "sharp_1.jpg", here / "afile")
    return here, drive


def test_a_path_after_a_link_goes_beside_its_target_and_nowhere_past_a_missing_name(linked):
    here, drive = linked
    out = run_from(here, "scan", "good/../lib", "--format", "jsonl", *SCAN)
    assert out.returncode == 0, out.stderr
    assert sorted(r["path"] for r in jsonl(out.stdout)) == sorted(
        str(p) for p in (drive / "lib").rglob("*.*") if not p.name.startswith("."))
    # ls says "No such file or directory" (typo/, old/) and "Not a directory" (afile/): until 2026-12-07 each scanned
    # a folder: here/lib, drive/lib (beside where old led) and drive/lib (the photo's folder)
    for given, reason in (("typo/../lib", "no such file or directory"), ("old/../lib", "no such file or directory"),
                          ("afile/..", "not a folder")):
        out = run_from(here, "scan", given, "--format", "jsonl", *SCAN)
        assert out.returncode == 1, (given, out.stdout, out.stderr)
        records = jsonl(out.stdout)
        assert [(r["path"], r["status"], r["error"]) for r in records] == [(f"{here}/{given}", "error", reason)]
    assert not (here / "lib" / ".blurscan.db").exists()
    out = run_from(here, "report", "typo/../lib")
    assert out.returncode == 1 and out.stderr == f"Error: {here}/typo/../lib: no such file or directory\n", out.stderr
    out = run_from(here, "move", "--all-blurry", "--to", str(here / "rejects"), "--yes", "old/../lib")
    assert out.returncode == 1 and "no such file or directory" in out.stderr, out.stderr
    assert not (here / "rejects").exists()


def test_an_output_file_with_a_dot_dot_is_written_where_the_shell_writes_it(linked):
    here, drive = linked
    assert run("scan", drive / "lib", *SCAN).exit_code == 0
    (here / "data").write_text("a file beside the link\n")
    (drive / "data").mkdir()
    # `echo > good/../data/out.csv` writes drive/data/out.csv: until 2026-12-07 refused, `here/data is a file`
    out = run_from(here, "report", str(drive / "lib"), "-o", "good/../data/out.csv")
    assert out.returncode == 0, out.stderr
    assert (drive / "data" / "out.csv").read_text().count(str(drive / "lib")) == 3
    assert (here / "data").read_text() == "a file beside the link\n"
    # the shell refuses these ("Not a directory", "No such file or directory"): until 2026-12-07 the list was written
    # into the photo's folder, and beside where old led
    for given, why in (("afile/../out.csv", f"{here}/afile is a symbolic link to a file, not a folder"),
                       ("old/../out.csv", f"{here}/old is a symbolic link to {drive}/gone, which leads nowhere")):
        out = run_from(here, "report", str(drive / "lib"), "-o", given)
        assert out.returncode == 2 and out.stderr.endswith(f"Error: {given}: cannot be reached: {why}\n"), out.stderr
    assert not (drive / "out.csv").exists() and not (drive / "lib" / "out.csv").exists()


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the freedesktop.org trash only")
def test_a_home_with_a_dot_dot_keeps_the_trash_where_the_shell_finds_it(linked, monkeypatch):
    """``HOME=here/good/../me``: ``~`` is ``drive/me`` to the shell and the desktop. Until 2026-12-07 the trash was
    ``here/me/.local/share/Trash``, which the desktop never shows, and with no ``here/me`` the photos were skipped,
    ``the home folder here/me does not exist``."""
    here, drive = linked
    (drive / "me").mkdir()
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", f"{here}/good/../me")
    lib = drive / "lib"
    assert run("scan", lib, *SCAN).exit_code == 0
    blurry = lib / "blurry_0.png"
    out = run("trash", "--all-blurry", "--yes", lib)
    assert out.exit_code == 0 and "trashed 1 photo " in out.stdout, out.output
    assert (drive / "me" / ".local" / "share" / "Trash" / "files" / "blurry_0.png").is_file()
    assert not blurry.exists() and not (here / "me").exists()
    assert run("undo", lib).exit_code == 0 and blurry.is_file()
    monkeypatch.setenv("HOME", f"{here}/old/../me")  # (the shell: `cd ~` says "No such file or directory")
    out = run("trash", "--all-blurry", lib)
    assert out.exit_code == 0 and (f"skip blurry_0.png: cannot make the trash folder {here}/old/../me/.local/share/"
                                   f"Trash: the home folder {here}/old/../me cannot be reached: {here}/old is a "
                                   f"symbolic link to {drive}/gone, which leads nowhere (HOME); left in place"
                                   ) in out.stdout, out.output


def test_a_folder_to_write_with_a_dot_dot_is_made_where_mkdir_p_makes_it(linked):
    """``synth SRC good/../ev``: ``mkdir -p good/../ev`` makes ``drive/ev``; until 2026-12-07 the folder beside the
    link was judged, and a file ``here/ev`` refused it (``ev is read-only or not yours``)."""
    here, drive = linked
    (here / "ev").write_text("a file beside the link\n")
    out = run_from(here, "synth", str(drive / "lib" / "sub" / "sharp_0.jpg"), "good/../ev", "--per-image", "1",
                   "--max-side", "256", "--workers", "1", "-q")
    assert out.returncode == 0, out.stderr
    assert (drive / "ev" / "manifest.csv").is_file() and (here / "ev").read_text() == "a file beside the link\n"
    out = run_from(here, "synth", str(drive / "lib" / "sub" / "sharp_0.jpg"), "old/../ev2", "--workers", "1", "-q")
    assert out.returncode == 2, out.stderr
    assert out.stderr.endswith(f"Error: {here}/old/../ev2: cannot be made: {here}/old is a symbolic link to "
                               f"{drive}/gone, which leads nowhere\n"), out.stderr
    assert not (drive / "ev2").exists()


#: every command that takes a library PATH, given ``hop/../lib`` (``{db}``: the library's database, ``{out}``: a
#: folder nobody may write); scan's line is a record's, the others' an error's
_THROUGH_SHUT = [("scan", *SCAN), ("report",), ("bursts",), ("review",), ("undo",), ("undo", "--list"),
                 ("move", "--all-blurry", "--to", "{out}", "--yes"), ("trash", "--all-blurry", "--yes"),
                 ("tag", "--xmp", "--yes"), ("report", "--db", "{db}"), ("bursts", "--db", "{db}"),
                 ("undo", "--db", "{db}"), ("move", "--all-blurry", "--to", "{out}", "--yes", "--db", "{db}"),
                 ("tag", "--xmp", "--yes", "--db", "{db}")]


@pytest.fixture(scope="module")
def shut_hop():
    """``base/lib`` (scanned, its files anyone's to write), ``base/locked`` (``0700``, root's), ``base/hop -> locked/sub``
    and ``base/out`` (anyone's): made as root in a folder nobody may enter, outside root's own temporary folder."""
    import shutil
    import tempfile

    from helpers_os import usual_umask

    base = tempfile.mkdtemp(prefix="blurscan-shutdotdot-")
    try:
        os.chmod(base, 0o755)
        lib = os.path.join(base, "lib")
        with usual_umask():
            make_library(Path(lib), n_sharp=2, n_blurry=2)
            assert run("scan", lib, *SCAN).exit_code == 0
        os.mkdir(os.path.join(base, "out"))
        for folder, _, files in [*os.walk(lib), (os.path.join(base, "out"), (), ())]:
            os.chmod(folder, 0o777)
            for name in files:
                os.chmod(os.path.join(folder, name), 0o666)
        os.makedirs(os.path.join(base, "locked", "sub"))
        os.chmod(os.path.join(base, "locked"), 0o700)
        os.symlink(os.path.join(base, "locked", "sub"), os.path.join(base, "hop"))
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root, to make folders another user (nobody) cannot enter")
@pytest.mark.parametrize("command", _THROUGH_SHUT, ids=" ".join)
def test_a_path_whose_dot_dot_the_system_cannot_take_is_named_by_every_command(shut_hop, command):
    """``COMMAND base/hop/../lib`` as nobody, ``hop`` a link into ``locked`` (``0700``, root's): the system takes no
    ``..`` there (``ls hop/..``: ``Permission denied``), so each command names the folder, as ``scan`` does, exits 1
    and changes nothing. Until 2026-12-07 every command but scan said ``no blurscan database found here or in a
    parent folder`` (the ``..`` read by text found none), and with ``--db`` ``report`` listed ``lib`` (exit 0),
    ``undo`` looked for ``lib``'s batches and ``move`` and ``tag`` said ``nothing selected under .../hop/../lib``."""
    from helpers_os import run_unprivileged

    base = shut_hop
    lib = os.path.join(base, "lib")
    given = f"{base}/hop/../lib"
    args = [a.format(db=os.path.join(lib, ".blurscan.db"), out=os.path.join(base, "out")) for a in command]
    before = {folder: sorted(files) for folder, _, files in os.walk(base)}

    def body():
        r = run(*args, given, env={"HOME": base, "XDG_CACHE_HOME": base, "XDG_DATA_HOME": os.path.join(base, "out")})
        return r.exit_code, r.stdout, r.stderr

    code, out, err = run_unprivileged(body)
    why = f"{given}: cannot be reached: {base}/hop leads into {base}/locked, which this user may not enter"
    assert code == 1, (out, err)
    assert err.splitlines()[0] == (why if command[0] == "scan" else f"Error: {why}"), err
    assert command[0] == "scan" or (out, err) == ("", f"Error: {why}\n")
    assert {folder: sorted(files) for folder, _, files in os.walk(base)} == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root, to make folders another user (nobody) cannot enter")
def test_scan_of_a_dot_dot_the_system_cannot_take_names_the_folder_and_stores_nothing(shut_hop):
    """``scan hop/../lib``, ``hop`` a link into ``locked`` (``0700``, root's), as nobody: the system takes no ``..``
    there (``ls hop/..``: ``Permission denied``), so the scan names the folder, uses no database and exits 1, as for
    a name not there (``scan typo/../lib``). Until 2026-12-07 it stored the error record ``.../hop/../lib:
    permission denied`` in ``lib``'s database (the ``..`` read by text to find it) and exited 0."""
    import sqlite3

    from helpers_os import run_unprivileged

    base = shut_hop
    before = sorted(os.listdir(base))

    def body():
        r = run("scan", f"{base}/hop/../lib", *SCAN, env={"HOME": base, "XDG_CACHE_HOME": base})
        return r.exit_code, r.stderr

    code, err = run_unprivileged(body)
    assert code == 1, err
    assert err == (f"{base}/hop/../lib: cannot be reached: {base}/hop leads into {base}/locked, which "
                   "this user may not enter\n"), err  # (one line: no database, no file scored; 12-07)
    with sqlite3.connect(os.path.join(base, "lib", ".blurscan.db")) as conn:
        assert conn.execute("SELECT COUNT(*) FROM images WHERE path LIKE '%..%'").fetchone() == (0,)
    assert sorted(os.listdir(base)) == before


def test_a_model_with_a_dot_dot_is_read_where_the_system_reads_it_or_refused_naming_why(linked):
    """``--model`` reads a ``..`` as ``--db``, ``-o`` and the others do (``GivenPath``): after a link, beside its
    target; one the system cannot follow is refused naming what stops it. Until 2026-12-07 it went to ONNX Runtime
    as typed: ``typo/../m.onnx: model file not found``, for a name not there and for a link to a photo alike."""
    from blurscan.model.runtime import default_model_path

    here, drive = linked
    (drive / "m.onnx").write_bytes(default_model_path().read_bytes())
    (here / "m.onnx").write_bytes(b"not a model")  # (where the `..` read by text would lead)
    out = run_from(here, "scan", str(drive / "lib"), "--model", "good/../m.onnx", "--workers", "1")
    assert out.returncode == 0, out.stderr
    for given, why in (("typo/../m.onnx", f"{here}/typo does not exist"),
                       ("afile/../m.onnx", f"{here}/afile is a symbolic link to a file, not a folder"),
                       ("old/../m.onnx", f"{here}/old is a symbolic link to {drive}/gone, which leads nowhere")):
        for command in ("scan", "evaluate"):
            out = run_from(here, command, str(drive / "lib"), "--model", given)
            assert out.returncode == 2 and out.stderr == f"Error: {given}: cannot be reached: {why}\n", out.stderr
def test_a_dot_dot_after_a_name_the_system_cannot_look_at_reaches_nothing(linked):
    """A ``..`` after a name the system cannot look at for another reason than its absence or a folder shut (a name
    past 255 bytes: ``ls`` says ``File name too long``; an I/O error alike) reaches nothing: ``--db`` and ``-o``
    through it are refused naming that name (:func:`blurscan.path_walk.reach`), not read by text as the database or
    the file beside it; nothing is written."""
    here, drive = linked
    assert run_from(here, "scan", "lib", *SCAN).returncode == 0
    long = "a" * 300
    with pytest.raises(OSError):
        os.lstat(here / long / os.pardir)  # (as the system says it)
    out = run_from(here, "report", "--db", f"{long}/../lib/.blurscan.db", "--format", "jsonl")
    assert out.returncode != 0 and out.stdout == "", out.stdout
    assert out.stderr == f"Error: {long}/../lib/.blurscan.db: cannot be reached: {here}/{long} cannot be looked " \
                         "at\n", out.stderr
    out = run_from(here, "report", "lib", "-o", f"lib/{long}/../out.csv")
    assert out.returncode == 2 and f"{here}/lib/{long} cannot be looked at" in out.stderr, out.stderr
    assert not (here / "lib" / "out.csv").exists()
