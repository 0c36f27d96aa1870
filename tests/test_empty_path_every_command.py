"""An empty PATH (``blurscan move --to rej --yes "$LIB"`` in a script, the variable unset) is one usage error for
every command, as for ``scan``: until 2026-12-07 ``report``, ``bursts``, ``review``, ``move``, ``trash``, ``tag``
and ``undo`` read ``''`` as the current folder, so a script run from another library's folder acted on that
library. And a photo named in a folder's form (``lib/x.jpg/``, ``lib/x.jpg/.``) is ``not a folder`` for the
commands that take a photo as PATH (``report``, ``bursts``, ``review``), as ``scan`` says: until 2026-12-07 they
read it as the photo."""
from __future__ import annotations

import pytest

from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured

EMPTY = "Error: a PATH is empty ('': an unset shell variable?); nothing was "


@pytest.fixture
def lib(tmp_path, monkeypatch):
    from blurscan.review import server

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # (trash: never the real one)
    monkeypatch.setattr(server, "ReviewServer", lambda *a, **kw: pytest.fail("review served the library"))
    lib = tmp_path / "lib"
    save_jpeg(lib / "x.jpg", blurred(textured(1), 6.0))
    save_jpeg(lib / "y.jpg", blurred(textured(2), 6.0))
    assert run("scan", lib, "--model", "none").exit_code == 0
    return lib


#: each command that takes a PATH, its arguments, and what its usage error says was not done
EVERY_COMMAND = [
    (["report"], "listed"),
    (["bursts"], "listed"),
    (["review", "--no-browser"], "shown"),
    (["move", "--to", "REJ", "--all-blurry", "--yes"], "moved"),
    (["trash", "--all-blurry", "--yes"], "moved to the trash"),
    (["tag", "--xmp", "--all-blurry"], "tagged"),
    (["undo"], "undone"),
]


def _photos(folder):
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


@pytest.mark.parametrize("command, not_done", EVERY_COMMAND)
def test_an_empty_path_is_a_usage_error_in_the_current_library_too(lib, tmp_path, monkeypatch, command, not_done):
    """Run from inside a library (the one the empty PATH was read as): nothing is done there."""
    monkeypatch.chdir(lib)
    args = [str(tmp_path / "rej") if a == "REJ" else a for a in command]
    res = run(*args, "")
    assert res.exit_code == 2, res.output
    assert EMPTY + not_done in res.stderr and res.stdout == ""
    assert _photos(lib) == ["x.jpg", "y.jpg"] and not (tmp_path / "rej").exists()  # (no sidecar either)
    assert not (tmp_path / "data" / "Trash").exists()


def test_a_path_given_is_taken_as_before(lib, tmp_path, monkeypatch):
    """The folder given, and none given (the current folder), still work."""
    monkeypatch.chdir(lib)
    assert "2 files" in run("report").output and "2 files" in run("report", lib).output
    res = run("move", "--to", tmp_path / "rej", "--all-blurry")
    assert res.exit_code == 0 and "Dry run: 2 photos" in res.output, res.output


@pytest.mark.parametrize("form", ["/", "/."])
@pytest.mark.parametrize("command", [["report"], ["bursts"], ["review", "--no-browser"]])
def test_a_photo_named_as_a_folder_is_not_a_folder(lib, form, command):
    res = run(*command, f"{lib / 'x.jpg'}{form}")
    assert res.exit_code == 1, res.output
    assert f"Error: {lib / 'x.jpg'}/: not a folder" in res.stderr and res.stdout == ""


def test_a_photo_and_a_folder_named_as_a_folder_are_taken_as_before(lib):
    res = run("report", lib / "x.jpg", "--format", "csv")
    assert res.exit_code == 0 and "x.jpg" in res.stdout and "y.jpg" not in res.stdout
    for named in (f"{lib}/", f"{lib}/."):
        res = run("report", named, "--format", "csv")
        assert res.exit_code == 0 and "x.jpg" in res.stdout and "y.jpg" in res.stdout, (named, res.output)


def test_an_empty_to_is_a_usage_error(lib, tmp_path, monkeypatch):
    """``move --to "$REJECTS" --yes lib``, the variable unset, run from another folder: until 2026-12-07 the photos
    were moved into that folder."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    res = run("move", "--to", "", "--all-blurry", "--yes", lib)
    assert res.exit_code == 2, res.output
    assert "Error: --to is empty ('': an unset shell variable?); nothing was moved" in res.stderr
    assert _photos(lib) == ["x.jpg", "y.jpg"] and list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("command, not_done", [*EVERY_COMMAND, (["undo", "--list"], "listed")])
@pytest.mark.parametrize("with_path", [False, True])
def test_an_empty_db_is_a_usage_error(lib, tmp_path, monkeypatch, command, not_done, with_path):
    """``--db "$DB"`` in a script, the variable unset, run in a library (or given it as PATH): until 2026-12-07 an
    empty --db was no --db, and the command acted on that library's database (moved, trashed, tagged its photos)."""
    monkeypatch.chdir(lib)
    undoing = command[0] == "undo"
    if undoing:  # (a batch the undo would put back)
        assert run("move", "--to", tmp_path / "rej0", "--all-blurry", "--yes").exit_code == 0
    args = [str(tmp_path / "rej") if a == "REJ" else a for a in command]
    res = run(*args, "--db", "", *([lib] if with_path else []))
    assert res.exit_code == 2, res.output
    assert f"Error: --db is empty ('': an unset shell variable?); nothing was {not_done}" in res.stderr
    assert res.stdout == ""
    assert _photos(lib) == ([] if undoing else ["x.jpg", "y.jpg"]) and not (tmp_path / "rej").exists()
    assert not undoing or _photos(tmp_path / "rej0") == ["x.jpg", "y.jpg"]
    assert not (tmp_path / "data" / "Trash").exists()


def test_an_empty_db_is_a_usage_error_for_scan(tmp_path, monkeypatch):
    """``scan --db "$DB" lib``: until 2026-12-07 the scan wrote into ``lib/.blurscan.db``."""
    lib = tmp_path / "lib"
    save_jpeg(lib / "x.jpg", blurred(textured(1), 6.0))
    monkeypatch.chdir(tmp_path)
    res = run("scan", "--db", "", "lib", "--model", "none")
    assert res.exit_code == 2, res.output
    assert "Error: --db is empty ('': an unset shell variable?); nothing was scanned" in res.stderr
    assert res.stdout == "" and sorted(p.name for p in lib.iterdir()) == ["x.jpg"]


@pytest.mark.parametrize("order", [["--list", ""], ["", "--list"], ["--list", "--batch", "1", ""]])
def test_an_empty_path_of_undo_list_says_nothing_was_listed(lib, order):
    """``undo --list "$LIB"``: a listing, whatever the order typed (until 2026-12-07 ``nothing was undone``)."""
    res = run("undo", *order)
    assert res.exit_code == 2, res.output
    assert EMPTY + "listed" in res.stderr and res.stdout == ""


def test_an_empty_db_of_undo_list_typed_before_it_says_nothing_was_listed(lib):
    res = run("undo", "--db", "", "--list")
    assert res.exit_code == 2, res.output
    assert "Error: --db is empty ('': an unset shell variable?); nothing was listed" in res.stderr


@pytest.mark.parametrize("args, named, not_done", [
    (["synth", "SRC", "", "--per-image", "1", "--max-side", "64", "-q"], "OUT", "written"),
    (["synth", "", "out"], "SRC", "written"),
    (["demo", ""], "FOLDER", "written"),
    (["evaluate", "SRC/manifest.csv", "--model", "none", "--workers", "1", "--out", ""], "--out", "evaluated"),
    (["evaluate", ""], "MANIFEST", "evaluated"),
    (["train", "SRC", "--out", "m.onnx", "--work-dir", ""], "--work-dir", "trained"),
    (["train", "SRC", "", "--out", "m.onnx"], "DATA", "trained"),
    (["train", "SRC", "--out", ""], "--out", "trained"),
    (["train", "SRC", "--out", "m.onnx", "--card", ""], "--card", "trained"),
])
def test_an_empty_path_of_the_dataset_commands_is_a_usage_error(tmp_path, monkeypatch, args, named, not_done):
    """``synth "$SRC" "$OUT"``, ``evaluate m.csv --out "$OUT"`` ... with a variable unset: until 2026-12-07 ``synth``
    wrote its dataset into the current folder (saying ``to /``), ``demo`` its photos, ``evaluate`` its metrics and
    plots (removing an earlier run's there); ``train --work-dir ""`` was no --work-dir; the others said ``: no such
    file or directory`` or ``: names a folder``, naming nothing."""
    src = tmp_path / "src"
    save_jpeg(src / "x.jpg", textured(1))
    save_jpeg(src / "y.jpg", blurred(textured(2), 6.0))
    (src / "manifest.csv").write_text("file,label\nx.jpg,sharp\ny.jpg,blurry\n")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    res = run(*[a.replace("SRC", str(src)) for a in args])
    assert res.exit_code == 2, res.output
    assert f"Error: {named} is empty ('': an unset shell variable?); nothing was {not_done}" in res.stderr, res.output
    assert list(here.iterdir()) == [] and sorted(p.name for p in src.iterdir()) == ["manifest.csv", "x.jpg", "y.jpg"]


@pytest.mark.parametrize("args, named, not_done", [
    (["scan", "LIB", "--model", "none", "-o", ""], "--output", "scanned"),
    (["scan", "LIB", "--model", "none", "-o="], "--output", "scanned"),
    (["scan", "--files-from", "", "--model", "none"], "--files-from", "scanned"),
    (["report", "LIB", "-o", ""], "--output", "listed"),
    (["report", "LIB", "--output="], "--output", "listed"),
    (["bursts", "LIB", "--output", ""], "--output", "listed"),
])
def test_an_empty_output_or_list_is_a_usage_error(lib, tmp_path, monkeypatch, args, named, not_done):
    """``-o "$OUT"``, ``--files-from "$LIST"``, the variable unset: until 2026-12-07 ``Error: : cannot write output: no
    such file or directory`` (``--files-from : no such file or directory``), naming nothing."""
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    res = run(*[str(lib) if a == "LIB" else a for a in args])
    assert res.exit_code == 2, res.output
    assert f"Error: {named} is empty ('': an unset shell variable?); nothing was {not_done}" in res.stderr
    assert res.stdout == "" and sorted(p.name for p in tmp_path.iterdir()) == before
