"""``scan lib/*`` naming a link to a folder of a sibling whose name begins with the library's (``lib/trip ->
../lib2/trip``): outside ``lib`` as any other folder is, refused with the ways out (tests/test_scan_named_link_root.py),
not taken for a folder of ``lib`` by its name's first letters."""
from __future__ import annotations

import os

from click.testing import CliRunner

from blurscan.cli import main
from helpers_images import save_jpeg, textured


def test_a_link_to_a_sibling_folder_named_like_the_library_is_outside_it(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / "c.jpg", textured(1))
    save_jpeg(tmp_path / "lib2" / "trip" / "a.jpg", textured(2))
    os.symlink(os.path.join("..", "lib2", "trip"), lib / "trip")
    res = CliRunner().invoke(main, ["scan", str(lib / "c.jpg"), str(lib / "trip"), "--model", "none"])
    assert res.exit_code == 1, res.output
    assert res.stderr.startswith(f"Error: {lib / 'trip'}: a symbolic link to {tmp_path.resolve() / 'lib2' / 'trip'}, "
                                 f"a folder outside {lib.resolve()}, named with the other paths there"), res.stderr
    assert not any(p.name == ".blurscan.db" for p in tmp_path.rglob("*"))


def test_a_library_named_through_a_link_still_has_its_link_out_refused(tmp_path):
    """`scan pics/*`, `pics` a link to the library's folder: the folders named are judged by where they lead, as
    the library's own are, the link out of it refused as it is when the library is named by its own name."""
    lib, ext = tmp_path / "lib", tmp_path / "ext"
    save_jpeg(lib / "c.jpg", textured(1))
    save_jpeg(ext / "trip" / "a.jpg", textured(2))
    os.symlink(os.path.join("..", "ext", "trip"), lib / "trip")
    os.symlink(lib, tmp_path / "pics")
    pics = tmp_path / "pics"
    res = CliRunner().invoke(main, ["scan", str(pics / "c.jpg"), str(pics / "trip"), "--model", "none"])
    assert res.exit_code == 1, res.output
    assert res.stderr.startswith(f"Error: {pics / 'trip'}: a symbolic link to {ext.resolve() / 'trip'}, a folder "
                                 f"outside {lib.resolve()}, named with the other paths there"), res.stderr
    assert not any(p.name == ".blurscan.db" for p in tmp_path.rglob("*"))
