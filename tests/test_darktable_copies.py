"""darktable's duplicates (virtual copies) of a photo keep their edit history, rating and labels in sidecars of
their own, ``NAME_01.EXT.xmp``, ``NAME_02.EXT.xmp`` ... beside the photo: ``move`` and ``trash`` left them behind
(an orphaned edit history, a missing image in darktable's library) and ``tag --xmp`` did not tag them. They go
with the photo now, and back with it on undo, and are tagged; a file of that shape that is not darktable's
sidecar of the photo (another program's, another photo's, a photo ``NAME_01.EXT`` of its own beside it) is left
alone."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from blurscan.actions import xmp
from blurscan.cli import main
from helpers_images import save_jpeg, textured
from helpers_library import decide, sha, snapshot


def dt_sidecar(derived_from: str | None, rating: int = 1) -> bytes:
    """A sidecar as darktable writes one for a duplicate (trimmed): its namespace, the photo it derives from."""
    derived = f'\n   xmpMM:DerivedFrom="{derived_from}"' if derived_from else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:darktable="http://darktable.sf.net/"
   xmp:Rating="{rating}"{derived}
   darktable:xmp_version="5"
   darktable:history_end="1">
   <darktable:history>
    <rdf:Seq>
     <rdf:li darktable:num="0" darktable:operation="exposure" darktable:enabled="1" darktable:params="00"/>
    </rdf:Seq>
   </darktable:history>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
""".encode()


NOT_DARKTABLE = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="2"/></rdf:RDF></x:xmpmeta>
"""


def _copies(lib) -> tuple[list[str], list[str]]:
    """IMG_1.JPG (discard, with its RAW twin IMG_1.CR2) gets three darktable duplicates' sidecars, two of the
    JPEG's and one of the RAW's, and files of their shape that are not its: the names of each."""
    root, store, f = lib
    folder = Path(f["IMG_1"]).parent
    decide(store, f["IMG_1"], "discard")
    ours = {"IMG_1_01.JPG.xmp": dt_sidecar("IMG_1.JPG", 2), "IMG_1_02.JPG.xmp": dt_sidecar(None, 3),
            "IMG_1_01.CR2.xmp": dt_sidecar("IMG_1.CR2", 4)}
    others = {
        "IMG_1_03.JPG.xmp": NOT_DARKTABLE,                # another program's
        "IMG_1_04.JPG.xmp": dt_sidecar("OTHER.JPG"),      # darktable's, of another photo
        "IMG_1_05.JPG.xmp": b"not xml <",                 # not XMP
        "IMG_1_1.JPG.xmp": dt_sidecar("IMG_1.JPG"),       # one digit: not darktable's naming
        "img_1_07.jpg.xmp": dt_sidecar("IMG_1.JPG"),      # another case than the photo's name
        "IMG_1_06.JPG.xmp": dt_sidecar("IMG_1_06.JPG"),   # the sidecar of the photo IMG_1_06.JPG beside it
        "IMG_1_08.JPG.xmp": dt_sidecar("IMG_1.JPG"),      # ... and of a file img_1_08.jpg, whatever its case
    }
    for name, data in {**ours, **others}.items():
        (folder / name).write_bytes(data)
    save_jpeg(folder / "IMG_1_06.JPG", textured(9, (64, 64)))
    (folder / "img_1_08.jpg").write_bytes(b"x" * 100)
    return sorted(ours), sorted(others)


def test_which_names_are_darktables_duplicates(lib):
    from blurscan.actions import darktable_copies

    ours, others = _copies(lib)
    root, store, f = lib
    from blurscan.actions.listing import Listing

    copies = Listing().copies  # as move, trash and tag find them: each folder listed once
    assert copies.of(*os.path.split(f["IMG_1"])) == ["IMG_1_01.JPG.xmp", "IMG_1_02.JPG.xmp"]
    assert copies.of(*os.path.split(f["IMG_1.CR2"])) == ["IMG_1_01.CR2.xmp"]
    assert darktable_copies.photo_name("IMG_1_01_02.JPG.xmp") == "IMG_1_01.JPG"  # a duplicate of IMG_1_01.JPG
    assert darktable_copies.photo_name("IMG_1.JPG.xmp") is None


@pytest.mark.parametrize("action", ["move", "trash"])
def test_move_and_trash_take_the_duplicates_sidecars_with_the_photo_and_undo_brings_them_back(
        lib, tmp_path, monkeypatch, action):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    ours, others = _copies(lib)
    root, store, f = lib
    store.close()
    folder = Path(f["IMG_1"]).parent
    before = snapshot(root)
    runner = CliRunner()
    args = ["move", "--to", str(tmp_path / "rej")] if action == "move" else ["trash"]
    dry = runner.invoke(main, [*args, str(root)])
    assert dry.exit_code == 0, dry.output
    assert all(name in dry.output for name in ours) and not any(name in dry.output for name in others), dry.output
    out = runner.invoke(main, [*args, "--yes", str(root)])
    assert out.exit_code == 0, out.output
    left = set(os.listdir(folder))
    assert not left & {"IMG_1.JPG", "IMG_1.CR2", *ours} and set(others) <= left
    if action == "move":
        assert set(ours) <= set(os.listdir(tmp_path / "rej" / "a"))
    undone = runner.invoke(main, ["undo", str(root)])
    assert undone.exit_code == 0, undone.output
    assert snapshot(root) == before


def test_tag_tags_the_duplicates_and_undo_restores_them_byte_for_byte(lib):
    ours, others = _copies(lib)
    root, store, f = lib
    folder = Path(f["IMG_1"]).parent
    Path(f["IMG_1.JPG.xmp"]).write_bytes(dt_sidecar("IMG_1.JPG"))
    Path(f["IMG_1.CR2.xmp"]).write_bytes(dt_sidecar("IMG_1.CR2"))
    before = {name: sha(folder / name) for name in os.listdir(folder) if name.endswith(".xmp")}
    result = xmp.tag_photos(store, all_flagged=False)
    assert result.failed == []
    written = {os.path.basename(t.sidecar): t.rating for t in result.written}
    assert written == {name: "-1" for name in ["IMG_1.JPG.xmp", "IMG_1.CR2.xmp", *ours]}
    for name in ours:
        assert xmp.read_properties((folder / name).read_bytes())["Rating"] == "-1"
    assert {name: sha(folder / name) for name in others} == {name: before[name] for name in others}
    store.close()
    out = CliRunner().invoke(main, ["undo", str(root)])
    assert out.exit_code == 0, out.output
    assert {name: sha(folder / name) for name in before} == before


def test_undo_groups_a_duplicates_sidecar_with_its_photo():
    """Undo keeps the files that moved with a photo with it (held back when the photo cannot be put back): by
    their names, a duplicate's sidecar is its photo's, or its RAW twin's, and not a photo's of its own name."""
    from blurscan.actions import journal, photo_rows

    names = ["a/IMG_1.JPG", "a/IMG_1.JPG.xmp", "a/IMG_1_01.JPG.xmp", "a/IMG_1.CR2", "a/IMG_1_01.CR2.xmp",
             "a/IMG_1_01.JPG", "a/IMG_1_01.JPG.xmp", "a/IMG_1_01_01.JPG.xmp", "a/IMG_2_01.JPG.xmp"]
    rows = [journal.JournalRow(n, 1, "/lib/" + name, "/rej/" + name, 10, None, "done", None)
            for n, name in enumerate(names)]
    assert [[os.path.relpath(r.src, "/lib") for r in g] for g in photo_rows.by_photo(rows)] == [
        ["a/IMG_1.JPG", "a/IMG_1.JPG.xmp", "a/IMG_1_01.JPG.xmp", "a/IMG_1.CR2", "a/IMG_1_01.CR2.xmp"],
        ["a/IMG_1_01.JPG", "a/IMG_1_01.JPG.xmp", "a/IMG_1_01_01.JPG.xmp"],
        ["a/IMG_2_01.JPG.xmp"],  # another photo's: on its own
    ]
