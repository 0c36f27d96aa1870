"""Names in other Unicode normal forms (:mod:`blurscan.name_forms`), through the real command line.

macOS writes ``é`` decomposed (NFD: ``e`` + U+0301), and keeps it so in a zip, an rsync, a drive it formats;
Linux tools and a person typing write it composed (NFC). Until 2026-12-06 a photo named on a Mac and its
sidecar, ``.AAE`` or RAW twin named on Linux were unrelated names: ``move`` left them behind, ``tag`` wrote a
second sidecar beside the first, the scan judged JPEG and RAW as two photos, a rename to NFC (``convmv --nfc``)
lost every decision, and a folder typed composed was "no such file or directory" with no word of why. Two files
whose names differ in form alone stay two photos, each with the sidecars named exactly after it."""
from __future__ import annotations

import os
import subprocess
import sys
import unicodedata

import cv2
import pytest

import blurscan
from blurscan.actions import journal, photo_rows
from blurscan.config import ScanSettings
from blurscan.store import Store, db_path
from helpers_cli import jsonl, run
from helpers_images import blurred, save_jpeg, textured
from helpers_library import decide_in, sha
from helpers_raw import write_dng
from test_actions_keep_meanwhile import _CHILD

XMP = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="{}"/>'
       '</rdf:RDF></x:xmpmeta>\n')


def nfd(name: str) -> str:
    return unicodedata.normalize("NFD", name)


def nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def _names(folder) -> set[str]:
    return {n for n in os.listdir(folder) if not n.startswith(".")}


def test_a_raw_twin_named_in_the_other_form_makes_one_photo_with_its_jpeg(tmp_path):
    lib = tmp_path / "lib"
    img = blurred(textured(2), 4)
    save_jpeg(lib / nfd("Noël.jpg"), img)  # copied from a Mac
    write_dng(lib / nfc("Noël.dng"), img)  # the camera's RAW, copied on Linux
    out = run("scan", lib, "--model", "none", "--format", "jsonl")
    assert out.exit_code == 0, out.output
    records = jsonl(out.stdout)
    assert [os.path.basename(r["path"]) for r in records] == [nfd("Noël.jpg")]  # one photo, the JPEG's name


def _mac_photo_linux_companions(lib):
    """``Café.jpg`` decomposed, blurry, with its sidecar, Apple's ``.AAE`` and its RAW twin's sidecar composed;
    ``sharp.jpg`` beside it."""
    img = blurred(textured(1), 6)
    save_jpeg(lib / nfd("Café.jpg"), img)
    write_dng(lib / nfd("Café.DNG"), img)
    (lib / nfc("Café.jpg.xmp")).write_text(XMP.format("darktable"))
    (lib / nfc("Café.DNG.xmp")).write_text(XMP.format("darktable"))
    (lib / nfc("Café.AAE")).write_text("<plist/>")
    save_jpeg(lib / "sharp.jpg", textured(3))


def test_move_takes_the_companions_named_in_the_other_form_and_undo_brings_them_back(tmp_path):
    lib, rejects = tmp_path / "lib", tmp_path / "rejects"
    _mac_photo_linux_companions(lib)
    before = {n: sha(lib / n) for n in _names(lib)}
    assert run("scan", lib, "--model", "none").exit_code == 0
    dry = run("move", "--to", rejects, lib, "--all-blurry")
    assert dry.exit_code == 0, dry.output
    assert "(5 files," in dry.output, dry.output
    out = run("move", "--to", rejects, lib, "--all-blurry", "--yes")
    assert out.exit_code == 0, out.output
    assert _names(lib) == {"sharp.jpg"}
    assert _names(rejects) == set(before) - {"sharp.jpg"}
    out = run("undo", lib)
    assert out.exit_code == 0, out.output
    assert {n: sha(lib / n) for n in _names(lib)} == before  # each name back as written, bytes and all


@pytest.mark.parametrize("photo_form, other_form", [(nfd, nfc), (nfc, nfd)])
def test_undo_groups_a_companion_named_in_the_other_form_with_its_photo(photo_form, other_form):
    """Which rows of a batch are a photo's (undo keeps them with it when it cannot put the photo back), whichever
    has the decomposed names: the photo or its RAW twin, sidecars, ``.AAE`` and darktable duplicate's sidecar."""
    names = [photo_form("Café.jpg"), *map(other_form, ["Café.DNG", "Café.jpg.xmp", "Café.AAE", "Café_01.jpg.xmp"]),
             "sharp.jpg"]
    rows = [journal.JournalRow(n, 1, "/lib/" + name, "/r/" + name, 10, None, "done", None)
            for n, name in enumerate(names)]
    assert [[os.path.basename(r.src) for r in group] for group in photo_rows.by_photo(rows)] == \
        [names[:5], ["sharp.jpg"]]


def test_tag_merges_the_sidecar_named_in_the_other_form_instead_of_writing_a_second(tmp_path):
    lib = tmp_path / "lib"
    save_jpeg(lib / nfd("Café.jpg"), blurred(textured(1), 6))
    (lib / nfc("Café.jpg.xmp")).write_text(XMP.format("darktable"))
    assert run("scan", lib, "--model", "none").exit_code == 0
    out = run("tag", "--xmp", lib)
    assert out.exit_code == 0, out.output
    assert "1 sidecar merged, 0 created" in out.output, out.output
    assert _names(lib) == {nfd("Café.jpg"), nfc("Café.jpg.xmp")}
    assert 'xmp:Label="Red"' in (lib / nfc("Café.jpg.xmp")).read_text()


@pytest.mark.parametrize("photo_form, other_form", [(nfd, nfc), (nfc, nfd)])
def test_tag_merges_the_sidecars_of_the_photo_and_its_raw_twin_named_in_the_other_form(tmp_path, photo_form,
                                                                                         other_form):
    """The JPEG of a RAW + JPEG pair: its sidecar and its RAW twin's, whichever of them has decomposed names."""
    lib = tmp_path / "lib"
    img = blurred(textured(1), 6)
    save_jpeg(lib / photo_form("Café.jpg"), img)
    write_dng(lib / other_form("Café.DNG"), img)
    for sidecar in ("Café.jpg.xmp", "Café.DNG.xmp"):
        (lib / other_form(sidecar)).write_text(XMP.format("darktable"))
    assert run("scan", lib, "--model", "none").exit_code == 0
    out = run("tag", "--xmp", lib)
    assert out.exit_code == 0, out.output
    assert "2 sidecars merged, 0 created" in out.output, out.output
    assert _names(lib) == {photo_form("Café.jpg"), *map(other_form, ["Café.DNG", "Café.jpg.xmp", "Café.DNG.xmp"])}
    for sidecar in ("Café.jpg.xmp", "Café.DNG.xmp"):
        assert 'xmp:Label="Red"' in (lib / other_form(sidecar)).read_text()


def test_names_alike_but_for_their_form_stay_two_photos_each_with_its_own_sidecar(tmp_path):
    lib, rejects = tmp_path / "lib", tmp_path / "rejects"
    save_jpeg(lib / nfd("Café.jpg"), blurred(textured(1), 6))
    save_jpeg(lib / nfc("Café.jpg"), textured(2))
    (lib / nfd("Café.jpg.xmp")).write_text(XMP.format("decomposed"))
    (lib / nfc("Café.jpg.xmp")).write_text(XMP.format("composed"))
    out = run("scan", lib, "--model", "none", "--format", "jsonl")
    assert out.exit_code == 0, out.output
    assert len(jsonl(out.stdout)) == 2
    assert "note: 2 photos are named alike but for the Unicode form of their names" in out.stderr
    decide_in(lib / ".blurscan.db", lib / nfd("Café.jpg"), "discard")
    decide_in(lib / ".blurscan.db", lib / nfc("Café.jpg"), "keep")
    out = run("move", "--to", rejects, lib, "--yes")
    assert out.exit_code == 0, out.output
    assert _names(rejects) == {nfd("Café.jpg"), nfd("Café.jpg.xmp")}
    assert _names(lib) == {nfc("Café.jpg"), nfc("Café.jpg.xmp")}
    assert "composed" in (lib / nfc("Café.jpg.xmp")).read_text()


def test_a_rename_to_the_composed_form_keeps_scores_and_decisions(tmp_path):
    lib = tmp_path / "lib"
    for i, name in enumerate(["Café", "Noël", "Zoë"]):
        path = lib / nfd(name + ".jpg")
        save_jpeg(path, blurred(textured(i), 1 + i))
        os.utime(path, (1_700_000_000 + i,) * 2)  # whole seconds, as a zip or a FAT card keeps them
    assert run("scan", lib, "--model", "none").exit_code == 0
    decide_in(lib / ".blurscan.db", lib / nfd("Noël.jpg"), "discard")
    for name in _names(lib):  # convmv -r -f utf8 -t utf8 --nfc --notest lib
        os.rename(lib / name, lib / nfc(name))
    out = run("scan", lib, "--model", "none")
    assert out.exit_code == 0, out.output
    assert "(0 unchanged and 3 moved or renamed, reused)" in out.stderr
    with Store(lib / ".blurscan.db") as store:
        decided = store.conn.execute("SELECT path, decision FROM decisions").fetchall()
    assert [tuple(row) for row in decided] == [(db_path(str(lib / nfc("Noël.jpg"))), "discard")]


def test_a_folder_typed_composed_that_a_mac_named_decomposed_is_said_so(tmp_path):
    folder = tmp_path / nfd("Été")
    save_jpeg(folder / "IMG_1.jpg", textured(1))
    assert run("scan", folder, "--model", "none").exit_code == 0
    typed = tmp_path / nfc("Été")
    for args in (["report", typed], ["move", "--to", tmp_path / "r", typed], ["report", typed / "IMG_1.jpg"],
                 ["scan", typed, "--model", "none"]):
        out = run(*args)
        assert out.exit_code == 1, out.output
        assert f"no such file or directory ({nfd('Été')} is there, its name written decomposed (NFD)" in out.output, \
            args
    out = run("report", tmp_path / "nothing")  # (a name not there in any form: nothing more said)
    assert out.output.rstrip().endswith("nothing: no such file or directory"), out.output


def test_names_that_are_not_utf8_still_keep_their_companions(tmp_path):
    lib = os.path.join(os.fsencode(tmp_path), b"lib", b"Caf\xe9")  # Latin-1 bytes: an old camera's card
    os.makedirs(lib)
    photo = os.path.join(lib, b"No\xebl.jpg")
    save_jpeg(tmp_path / "x.jpg", blurred(textured(1), 6))
    os.rename(tmp_path / "x.jpg", photo)
    for companion in (b"No\xebl.jpg.xmp", b"No\xebl.AAE"):
        with open(os.path.join(lib, companion), "w") as f:
            f.write(XMP.format("x"))
    root = os.fsdecode(os.path.dirname(lib))
    assert run("scan", root, "--model", "none").exit_code == 0
    out = run("move", "--to", tmp_path / "rejects", root, "--all-blurry", "--yes")
    assert out.exit_code == 0, out.output
    assert sorted(os.listdir(lib)) == []
    out = run("undo", root)
    assert out.exit_code == 0, out.output
    assert sorted(os.listdir(lib)) == sorted([b"No\xebl.jpg", b"No\xebl.jpg.xmp", b"No\xebl.AAE"])


def test_a_photo_alone_with_an_accented_name_is_not_said_to_be_named_alike(tmp_path):
    """The note names photos that have a namesake in the other form; an accented name by itself has none."""
    lib = tmp_path / "lib"
    save_jpeg(lib / nfd("Café.jpg"), textured(1))
    save_jpeg(lib / nfc("Noël.jpg"), textured(2))
    out = run("scan", lib, "--model", "none")
    assert out.exit_code == 0, out.output
    assert "named alike" not in out.stderr, out.stderr


def test_a_raw_twin_named_in_the_other_form_given_file_by_file_makes_one_photo(tmp_path):
    """``scan lib/*``: the shell gives the JPEG and its RAW as two files; the RAW is still the JPEG's twin."""
    lib = tmp_path / "lib"
    img = blurred(textured(2), 4)
    save_jpeg(lib / nfc("Noël.jpg"), img)  # (renamed on Linux)
    write_dng(lib / nfd("Noël.dng"), img)  # (copied from a Mac)
    out = run("scan", *sorted(lib.iterdir()), "--db", tmp_path / "x.db", "--model", "none", "--format", "jsonl")
    assert out.exit_code == 0, out.output
    assert [os.path.basename(r["path"]) for r in jsonl(out.stdout)] == [nfc("Noël.jpg")]


@pytest.mark.parametrize("jpeg_form, raw_form", [(nfd, nfc), (nfc, nfd)])
def test_a_small_jpeg_is_judged_from_its_raw_twin_named_in_the_other_form(tmp_path, jpeg_form, raw_form):
    """A camera's "RAW + small JPEG": the pair is judged from the RAW, by a scan and by ``score_image``, whichever
    of the two has the decomposed name."""
    lib = tmp_path / "lib"
    lib.mkdir()
    rgb = blurred(textured(8, size=(900, 1200)), 1.5)
    write_dng(lib / raw_form("Noël.dng"), rgb)
    save_jpeg(lib / jpeg_form("Noël.jpg"), cv2.resize(rgb, (600, 450), interpolation=cv2.INTER_AREA))
    out = run("scan", lib, "--model", "none", "--format", "jsonl")
    assert out.exit_code == 0, out.output
    [record] = jsonl(out.stdout)
    assert (record["format"], record["note"][:24]) == ("DNG", "judged from the RAW twin"), record
    scored = blurscan.score_image(lib / jpeg_form("Noël.jpg"), ScanSettings(model="none")).to_json()
    assert (scored["format"], scored["note"][:24]) == ("DNG", "judged from the RAW twin"), scored


@pytest.mark.parametrize("photo_form, other_form", [(nfd, nfc), (nfc, nfd)])
def test_a_sidecar_shared_by_the_stem_stays_with_an_image_of_that_stem_named_in_the_other_form(
        tmp_path, photo_form, other_form):
    """``Café.xmp`` is the sidecar of each image named ``Café``: moving the blurry ``Café.jpg`` leaves it beside
    ``Café.png``, named in the other form, which stays; ``tag`` leaves it to that image too, writing its own."""
    lib, rejects = tmp_path / "lib", tmp_path / "rejects"
    save_jpeg(lib / photo_form("Café.jpg"), blurred(textured(1), 6))
    save_jpeg(lib / other_form("Café.png"), textured(2))
    (lib / other_form("Café.xmp")).write_text(XMP.format("darktable"))
    assert run("scan", lib, "--model", "none").exit_code == 0
    decide_in(lib / ".blurscan.db", lib / photo_form("Café.jpg"), "discard")
    out = run("tag", "--xmp", lib, "--discarded-only")
    assert out.exit_code == 0, out.output
    assert "0 sidecars merged, 1 created" in out.output, out.output
    assert "darktable" in (lib / other_form("Café.xmp")).read_text()
    os.remove(lib / (photo_form("Café.jpg") + ".xmp"))
    decide_in(lib / ".blurscan.db", lib / other_form("Café.png"), "keep")
    out = run("move", "--to", rejects, lib, "--yes")
    assert out.exit_code == 0, out.output
    assert _names(rejects) == {photo_form("Café.jpg")}
    assert _names(lib) == {other_form("Café.png"), other_form("Café.xmp")}


DARKTABLE_XMP = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                 '<rdf:Description rdf:about="" xmlns:darktable="http://darktable.sf.net/" darktable:xmp_version="5"/>'
                 '</rdf:RDF></x:xmpmeta>\n')


@pytest.mark.parametrize("photo_form, other_form", [(nfd, nfc), (nfc, nfd)])
def test_a_sidecar_shaped_as_a_duplicates_stays_with_the_photo_of_its_name_in_the_other_form(
        tmp_path, photo_form, other_form):
    """``Café_01.jpg.xmp`` is the sidecar of darktable's first duplicate of ``Café.jpg``, unless a file
    ``Café_01.jpg`` is beside it, in any case or Unicode form: then it is that photo's, and moving ``Café.jpg``
    leaves it."""
    lib, rejects = tmp_path / "lib", tmp_path / "rejects"
    save_jpeg(lib / photo_form("Café.jpg"), blurred(textured(1), 6))
    save_jpeg(lib / other_form("Café_01.jpg"), textured(2))
    (lib / photo_form("Café_01.jpg.xmp")).write_text(DARKTABLE_XMP)
    assert run("scan", lib, "--model", "none").exit_code == 0
    decide_in(lib / ".blurscan.db", lib / photo_form("Café.jpg"), "discard")
    decide_in(lib / ".blurscan.db", lib / other_form("Café_01.jpg"), "keep")
    out = run("move", "--to", rejects, lib, "--yes")
    assert out.exit_code == 0, out.output
    assert _names(rejects) == {photo_form("Café.jpg")}
    assert _names(lib) == {other_form("Café_01.jpg"), photo_form("Café_01.jpg.xmp")}


@pytest.mark.parametrize("was, now", [(nfc, nfd), (nfd, nfc)])
def test_a_library_copied_to_an_exfat_drive_in_the_other_form_keeps_its_decisions(tmp_path, was, now):
    """A Mac writes the names decomposed on the exFAT drive it copies a library to (and a library from a Mac
    copied there on Linux may come out composed), which keeps times to 10 ms alone (:mod:`blurscan.coarsened`):
    each photo is still the one stored, its scores and decisions kept."""
    lib = tmp_path / "home" / "lib"
    for i, name in enumerate(["Café", "Noël", "Zoë"]):
        path = lib / was(name + ".jpg")
        save_jpeg(path, blurred(textured(i), 1 + i))
        os.utime(path, ns=(1_700_000_000_987_654_321 + i * 10**9,) * 2)
    assert run("scan", lib, "--model", "none").exit_code == 0
    decide_in(lib / ".blurscan.db", lib / was("Noël.jpg"), "discard")
    card = tmp_path / "card" / "lib"
    card.mkdir(parents=True)
    for name in os.listdir(lib):
        st = os.stat(lib / name)
        os.rename(lib / name, card / now(name))
        os.utime(card / now(name), ns=(st.st_atime_ns, st.st_mtime_ns // 10_000_000 * 10_000_000))
    out = run("scan", card, "--model", "none")
    assert out.exit_code == 0, out.output
    assert "(0 unchanged and 3 moved or renamed, reused)" in out.stderr, out.stderr
    with Store(card / ".blurscan.db") as store:
        decided = store.conn.execute("SELECT path, decision FROM decisions").fetchall()
    assert [tuple(row) for row in decided] == [(db_path(str(card / now("Noël.jpg"))), "discard")]


@pytest.mark.parametrize("raw_form, jpeg_form", [(nfc, nfd), (nfd, nfc)])
def test_a_raw_marked_keep_keeps_its_jpeg_named_in_the_other_form_in_place(tmp_path, raw_form, jpeg_form):
    """A RAW scanned and marked keep, then a blurry JPEG of its name in the other form made beside it (exported,
    or copied from another computer): the JPEG, whose move would take the RAW with it, is left, and said so."""
    lib, rejects = tmp_path / "lib", tmp_path / "rejects"
    lib.mkdir()
    img = blurred(textured(3), 6)
    write_dng(lib / raw_form("Noël.dng"), img)
    assert run("scan", lib, "--model", "none").exit_code == 0
    decide_in(lib / ".blurscan.db", lib / raw_form("Noël.dng"), "keep")
    save_jpeg(lib / jpeg_form("Noël.jpg"), img)
    assert run("scan", lib, "--model", "none").exit_code == 0
    out = run("move", "--to", rejects, lib, "--all-blurry", "--yes")
    assert out.exit_code == 0, out.output
    assert "is a photo you marked keep" in out.output, out.output
    assert _names(lib) == {raw_form("Noël.dng"), jpeg_form("Noël.jpg")}


def test_a_file_shared_by_the_stem_stays_with_an_image_in_the_other_form_kept_while_the_move_runs(tmp_path):
    """``Café.png`` (decomposed) and ``Café.jpg`` (composed) both discarded: ``Café.xmp`` goes with the later one.
    ``Café.png`` marked keep on the review page once the move has planned: it stays, and ``Café.xmp`` with it;
    ``Café.jpg`` goes with its own sidecar, ``Café.jpg.xmp``, whatever the form of that one's name."""
    lib, rejects = tmp_path / "lib", tmp_path / "rejects"
    save_jpeg(lib / nfd("Café.png"), blurred(textured(1), 6))
    save_jpeg(lib / nfc("Café.jpg"), blurred(textured(2), 6))
    (lib / nfc("Café.xmp")).write_text(XMP.format("shared"))
    (lib / nfd("Café.jpg.xmp")).write_text(XMP.format("own"))
    assert run("scan", lib, "--model", "none").exit_code == 0
    for name in (nfd("Café.png"), nfc("Café.jpg")):
        decide_in(lib / ".blurscan.db", lib / name, "discard")
    done = subprocess.run([sys.executable, "-c", _CHILD, str(lib / ".blurscan.db"), str(lib / nfd("Café.png")),
                           "move", "--to", str(rejects), "--yes", str(lib)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _names(lib) == {nfd("Café.png"), nfc("Café.xmp")}, done.stderr
    assert _names(rejects) == {nfc("Café.jpg"), nfd("Café.jpg.xmp")}


def test_a_plain_name_is_looked_for_in_another_form_only_where_one_exists(tmp_path):
    """A missing ASCII name has no other form, so its folder is not listed (one listing a file missing under an
    accented folder, until 2026-12-06), but for the three ASCII characters another character composes to: the
    Kelvin sign is K in NFC, so a file named with it is still found for a K typed."""
    from blurscan.name_forms import on_disk

    folder = tmp_path / "Été"
    folder.mkdir()
    (folder / "\u212aodak.jpg").write_bytes(b"x")
    assert on_disk(str(folder / "Kodak.jpg")) == (str(folder / "\u212aodak.jpg"), "\u212aodak.jpg")
    assert on_disk(str(folder / "Leica.jpg")) is None
    for other, typed in (("a\u037eb.jpg", "a;b.jpg"), ("a\u1fefb.jpg", "a`b.jpg")):  # (the Greek question mark, varia)
        (folder / other).write_bytes(b"x")
        assert on_disk(str(folder / typed)) == (str(folder / other), other)
