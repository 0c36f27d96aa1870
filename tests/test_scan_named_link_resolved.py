"""The folders a scan names resolved from their parent's resolved folder (``linked_folders._resolved``, one
``lstat`` each, for the check of a link out of the library): each is what a whole resolve gives
(:func:`blurscan.walk.canonical`), whatever the order the folders come in and wherever the links are among their
folders: a link below a folder, a link inside a link, a relative link, a link to a link, a link back into the
library, folders sharing a linked parent."""
from __future__ import annotations

import os
import random

from click.testing import CliRunner

from blurscan.cli import main
from blurscan.cli.linked_folders import _resolved
from blurscan.walk import canonical
from helpers_images import save_jpeg, textured


def _databases(tmp_path) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, n), tmp_path) for d, _, files in os.walk(tmp_path)
                  for n in files if n == ".blurscan.db")


def test_each_folder_is_resolved_as_a_whole_resolve_gives_it_in_any_order(tmp_path):
    lib, ext = tmp_path / "lib", tmp_path / "ext"
    for folder in (lib / "2024" / "jan", lib / "2024" / "feb" / "x", ext / "a" / "b", ext / "c"):
        folder.mkdir(parents=True)
    os.symlink(os.path.join("..", "ext", "a"), lib / "out")  # (relative, out of lib)
    os.symlink(os.path.join("..", "..", "ext", "c"), lib / "2024" / "deep")  # (a link below a folder)
    os.symlink(ext / "c", ext / "a" / "c")  # (a link inside the link above, absolute)
    os.symlink(os.path.join("..", "..", "lib", "2024"), ext / "a" / "back")  # (back into the library)
    os.symlink("out", lib / "again")  # (a link to a link)
    os.symlink(os.path.join("2024", "feb"), lib / "feb")  # (into the library)
    folders = [str(lib / p) for p in ("2024/jan", "2024/feb/x", "2024/feb", "2024/deep", "out/b", "out", "out/c",
                                      "out/back/jan", "again/b", "feb/x", "feb", "2024")]
    root = str(lib)
    shuffled = random.Random(7)
    for order in (folders, folders[::-1], *(shuffled.sample(folders, len(folders)) for _ in range(20))):
        known: dict[str, str] = {}
        got = [_resolved(folder, root, canonical(root), known) for folder in (*order, *order)]
        assert got == [canonical(folder) for folder in (*order, *order)], order


def test_folders_under_a_link_named_with_another_link_out_keep_their_targets_database(tmp_path):
    """``scan ~/Pictures/2024/* ~/Downloads``, ``Pictures`` and ``Downloads`` links to a data drive's folders: every
    path named goes out through a link, so they name the targets' tree (its common folder keeps the database), as
    ``scan ~/Pictures ~/Downloads`` does: the second folder under ``Pictures`` is resolved from the first's parent,
    the link's target, not taken for a folder of ``~``."""
    home, data = tmp_path / "home", tmp_path / "data"
    save_jpeg(data / "Pictures" / "2024" / "jan" / "a.jpg", textured(1))
    save_jpeg(data / "Pictures" / "2024" / "feb" / "b.jpg", textured(2))
    save_jpeg(data / "Downloads" / "c.jpg", textured(3))
    home.mkdir()
    for name in ("Pictures", "Downloads"):
        os.symlink(data / name, home / name)
    named = [str(home / "Pictures" / "2024" / m) for m in ("jan", "feb")] + [str(home / "Downloads")]
    res = CliRunner().invoke(main, ["scan", *named, "--model", "none"])
    assert res.exit_code == 0 and "Error" not in res.stderr and "3 files" in res.stderr, res.output
    assert _databases(tmp_path) == [os.path.join("data", ".blurscan.db")]


def test_a_link_out_below_a_folder_of_the_library_is_refused(tmp_path):
    """``scan lib/c.jpg lib/2024/trip``, ``trip`` a link out of ``lib`` below its folder ``2024``: refused as a
    link named beside ``lib``'s photos is, nothing scanned, no database made above."""
    lib, ext = tmp_path / "lib", tmp_path / "ext"
    save_jpeg(lib / "c.jpg", textured(1))
    save_jpeg(lib / "2024" / "d.jpg", textured(2))
    save_jpeg(ext / "trip" / "a.jpg", textured(3))
    os.symlink(os.path.join("..", "..", "ext", "trip"), lib / "2024" / "trip")
    res = CliRunner().invoke(main, ["scan", str(lib / "c.jpg"), str(lib / "2024" / "trip"), "--model", "none"])
    assert res.exit_code == 1, res.output
    assert res.stderr.startswith(f"Error: {lib / '2024' / 'trip'}: a symbolic link to {ext.resolve() / 'trip'}, "
                                 f"a folder outside {lib.resolve()}, named with the other paths there"), res.stderr
    assert _databases(tmp_path) == []


def test_a_link_named_with_a_leading_double_slash_is_refused_as_named(tmp_path):
    """``scan //lib/c.jpg //lib/trip`` (a script's ``"$ROOT/$SUB"`` with ``ROOT=/``): the system reads ``//`` as
    ``/``, so the link is refused as ``scan /lib/c.jpg /lib/trip`` refuses it, the link named itself: until
    2026-12-07 the error said ``in /lib/trip, a symbolic link to`` of the link named."""
    lib, ext = tmp_path / "lib", tmp_path / "ext"
    save_jpeg(lib / "c.jpg", textured(1))
    save_jpeg(ext / "trip" / "a.jpg", textured(2))
    os.symlink(os.path.join("..", "ext", "trip"), lib / "trip")
    for named in ([f"/{lib / 'c.jpg'}", f"/{lib / 'trip'}"], [f"/{lib / 'c.jpg'}", f"/{lib / '2024'}", f"/{lib / 'trip'}"]):
        (lib / "2024").mkdir(exist_ok=True)
        res = CliRunner().invoke(main, ["scan", *named, "--model", "none"])
        assert res.exit_code == 1, res.output
        assert res.stderr.startswith(f"Error: /{lib / 'trip'}: a symbolic link to {ext.resolve() / 'trip'}, a folder "
                                     f"outside {lib.resolve()}, named with the other paths there"), res.stderr
        assert _databases(tmp_path) == []
    res = CliRunner().invoke(main, ["scan", f"/{lib / 'c.jpg'}", f"/{lib / 'trip' / 'a.jpg'}", "--model", "none"])
    assert res.exit_code == 1 and f"in {lib / 'trip'}, a symbolic link to " in res.stderr, res.output
