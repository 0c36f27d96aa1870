"""A photo named in a folder's form to the commands whose PATH is a folder (``move lib/x.jpg/``, as a shell's
history or a pasted path may give it, or ``lib/x.jpg/.``): refused as ``move lib/x.jpg`` is, a usage error naming
it. The slash made click's look-up of the name fail (not a folder), so it was taken for a name not there: until
2026-12-07 ``move lib/x.jpg/ --yes`` moved the photo (``only photos under lib/x.jpg are taken``), and ``trash``,
``tag`` and ``undo`` went on likewise, where ``mv lib/x.jpg/ rej`` says ``Not a directory``."""
from __future__ import annotations

import pytest

from helpers_cli import run
from helpers_images import blurred, save_jpeg, textured


@pytest.fixture
def lib(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # (trash: never the real one)
    lib = tmp_path / "lib"
    save_jpeg(lib / "x.jpg", blurred(textured(1), 6.0))
    save_jpeg(lib / "y.jpg", blurred(textured(2), 6.0))
    assert run("scan", lib, "--model", "none").exit_code == 0
    return lib


@pytest.mark.parametrize("form", ["/", "/.", "//"])
def test_a_photo_named_as_a_folder_is_refused_as_the_photo_is(lib, tmp_path, form):
    named = f"{lib / 'x.jpg'}{form}"
    plain = run("move", lib / "x.jpg", "--to", tmp_path / "rej", "--all-blurry", "--yes")
    assert plain.exit_code == 2 and f"Directory '{lib / 'x.jpg'}' is a file." in plain.stderr
    res = run("move", named, "--to", tmp_path / "rej", "--all-blurry", "--yes")
    assert res.exit_code == 2, res.output
    assert f"Directory '{named}' is a file." in res.stderr
    assert sorted(p.name for p in lib.glob("*.jpg")) == ["x.jpg", "y.jpg"] and not (tmp_path / "rej").exists()
    for command in (["trash", "--all-blurry", "--yes"], ["tag", "--xmp", "--all-blurry"], ["undo"]):
        res = run(command[0], named, *command[1:])
        assert res.exit_code == 2 and f"Directory '{named}' is a file." in res.stderr, (command, res.output)
    assert sorted(p.name for p in lib.iterdir() if not p.name.startswith(".")) == ["x.jpg", "y.jpg"]


def test_a_folder_in_its_forms_is_taken(lib, tmp_path):
    """``lib/``, ``lib/.``, ``lib//``: the library, as ``lib`` is."""
    for named in (f"{lib}/", f"{lib}/.", f"{lib}//"):
        res = run("move", named, "--to", tmp_path / "rej", "--all-blurry")
        assert res.exit_code == 0 and "Dry run: 2 photos" in res.output, (named, res.output)


@pytest.mark.parametrize("form", ["/", "/."])
def test_a_db_named_with_a_slash_is_read_as_scan_and_report_read_it(lib, tmp_path, form):
    """``--db lib/.blurscan.db/``: ``scan``, ``report`` and ``bursts`` read the database (``pathlib`` drops the
    slash); until 2026-12-07 ``move``, ``trash``, ``tag`` and ``undo`` said ``no blurscan database here (run
    `blurscan scan` first)``, which a scan of that very ``--db`` did not change."""
    db = f"{lib / '.blurscan.db'}{form}"
    assert run("scan", lib, "--db", db, "--model", "none").exit_code == 0
    assert run("report", "--db", db).exit_code == 0
    for command in (["move", "--to", tmp_path / "rej", "--all-blurry"], ["trash", "--all-blurry"],
                    ["tag", "--xmp", "--all-blurry", "--dry-run"]):
        res = run(*command, "--db", db)
        assert res.exit_code == 0 and "would" in res.output and "no blurscan database" not in res.output, res.output
    res = run("move", "--to", tmp_path / "rej", "--all-blurry", "--yes", "--db", db)
    assert res.exit_code == 0 and sorted(p.name for p in (tmp_path / "rej").iterdir()) == ["x.jpg", "y.jpg"]
    res = run("undo", "--db", db)
    assert res.exit_code == 0 and sorted(p.name for p in lib.glob("*.jpg")) == ["x.jpg", "y.jpg"], res.output


def test_a_link_to_a_photo_named_as_a_folder_is_refused_as_the_photo_is(lib, tmp_path):
    """``lib/l.jpg/``, ``l.jpg`` a symbolic link to a photo: a file too (``mv lib/l.jpg/ rej``: ``Not a
    directory``), refused by the commands whose PATH is a folder, and ``not a folder`` to ``scan``; only a link
    whose target is not there is left to the commands' own words (below)."""
    (lib / "l.jpg").symlink_to("x.jpg")
    for form in ("/", "/."):
        named = f"{lib / 'l.jpg'}{form}"
        res = run("move", named, "--to", tmp_path / "rej", "--all-blurry", "--yes")
        assert res.exit_code == 2 and f"Directory '{named}' is a file." in res.stderr, res.output
        res = run("scan", named, "--model", "none")
        assert res.exit_code == 1 and f"{lib / 'l.jpg'}{'/'}: not a folder" in res.stderr, res.output
    assert sorted(p.name for p in lib.glob("*.jpg")) == ["l.jpg", "x.jpg", "y.jpg"] and not (tmp_path / "rej").exists()


def test_a_link_to_nothing_or_a_name_not_there_in_a_folders_form_has_the_commands_words(lib, tmp_path):
    """``move lib/trip/`` of a link whose target is not there (a drive not mounted) is ``move lib/trip``: nothing
    in it to move; ``move lib/gone/`` of no name at all: ``no such file or directory``, as without the slash;
    neither is called a file. An empty ``--db`` (``--db "$DB"``, unset) is a usage error (until 2026-12-07 it was
    no ``--db``)."""
    (lib / "trip").symlink_to(tmp_path / "usb" / "trip")
    for named in (f"{lib / 'trip'}/", f"{lib / 'trip'}/."):
        res = run("move", named, "--to", tmp_path / "rej", "--all-blurry", "--yes")
        assert res.exit_code == 0 and "is a file" not in res.output and "Nothing to move." in res.stdout, res.output
    for named in (lib / "gone", f"{lib / 'gone'}/"):
        res = run("move", named, "--to", tmp_path / "rej", "--all-blurry", "--yes")
        assert res.exit_code == 1 and f"{lib / 'gone'}: no such file or directory" in res.stderr, res.output
    res = run("move", lib, "--db", "", "--to", tmp_path / "rej", "--all-blurry")
    assert res.exit_code == 2 and "--db is empty ('': an unset shell variable?); nothing was moved" in res.stderr
    assert sorted(p.name for p in lib.glob("*.jpg")) == ["x.jpg", "y.jpg"] and not (tmp_path / "rej").exists()


@pytest.mark.parametrize("form", ["/", "/."])
def test_a_photo_named_as_a_folder_through_a_links_dotdot_is_refused_as_the_photo_is(lib, tmp_path, form):
    """``move lib/trip/../trip/a.jpg/`` (``..`` read as the system reads it: from the link's target): refused as
    ``move lib/trip/../trip/a.jpg``; until 2026-12-07 its name kept the slash (``canonical``), a name not there,
    and the photo was said to be ``no such file or directory``."""
    from blurscan.walk import canonical

    save_jpeg(tmp_path / "ext" / "trip" / "a.jpg", blurred(textured(3), 6.0))
    (lib / "trip").symlink_to(tmp_path / "ext" / "trip")
    plain = lib / "trip" / ".." / "trip" / "a.jpg"
    assert canonical(f"{plain}{form}") == canonical(plain) == str(tmp_path.resolve() / "ext" / "trip" / "a.jpg")
    for named in (plain, f"{plain}{form}"):
        res = run("move", named, "--to", tmp_path / "rej", "--all-blurry", "--yes")
        assert res.exit_code == 2 and f"Directory '{named}' is a file." in res.stderr, res.output
    assert (tmp_path / "ext" / "trip" / "a.jpg").is_file() and not (tmp_path / "rej").exists()
