"""Google Takeout edits whose word Takeout cut, in ``blurscan bursts``.

Takeout cuts a long name's stem to 47 characters after adding the edit word, so the edit of a 40 to 43
character name ends in part of the word: ``Con Yoli por Málaga en el piso nuevo_001-ha edi.JPG`` (the names
here are those quoted in reports to Takeout tools; docs/bursts.md). Such a pair was a two-shot "burst" with
one of them proposed for removal. A name taken for a cut edit must never be another photo's: the cases of
names that only look cut are checked below, on names and on a real burst.

Generated scenes are scored by the real pipeline (``helpers_images.record``) and stored as a scan would."""
from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from blurscan import bursts
from blurscan.actions import select
from blurscan.store import Store
from helpers_images import exposed, record, save_jpeg, scene, shaken, shifted
from test_bursts_twins import _no_burst

SPANISH = "Con Yoli por Málaga en el piso nuevo_001"      # 40 characters: its edit's word is cut to "ha edi"
SPANISH2 = "Museo Marino de Matalascañas con Yoli_001"    # 41: "-ha ed"
STOCK = "bigstockphoto_Human_Resource_Forms_756416"       # 41: "-edite"


def _store(tmp_path: Path, shots: list[tuple[str, object, float]]) -> Path:
    """Real JPEGs named as given (name, picture, capture second) and their records, as a scan leaves them."""
    folder = tmp_path / "photos"
    records = []
    for name, img, seconds in shots:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        save_jpeg(path, img)
        rec = record(img, "x", seconds)
        st = os.stat(path)
        rec.path, rec.size, rec.mtime_ns = str(path), st.st_size, st.st_mtime_ns
        records.append(rec)
    db = tmp_path / "lib.db"
    with Store(db) as store:
        store.put(records, "test")
    return db


def test_a_takeout_edit_whose_word_was_cut_is_an_edit_of_its_original(tmp_path):
    """Three edits with their word cut (Spanish ``-ha edi``/``-ha ed``, English ``-edite``, one numbered as the
    second photo of its name), each beside its original, same capture time, a little brighter: three two-shot
    "bursts" with a candidate each. The original's name as macOS gives it (NFD: ``á`` in two code points, 48)
    is still a 47-character name. Now no group and nothing for `move/trash --from-bursts`."""
    a, b, c = scene(101), scene(102), scene(103)
    spanish = unicodedata.normalize("NFD", f"{SPANISH}-ha edi.JPG")
    assert spanish != f"{SPANISH}-ha edi.JPG"
    db = _store(tmp_path, [(f"{SPANISH}.JPG", a, 0), (spanish, exposed(a, 1.2), 0),
                           (f"{SPANISH2}.JPG", shaken(b), 60), (f"{SPANISH2}-ha ed.JPG", exposed(shaken(b), 1.1), 60),
                           (f"{STOCK}.jpg", c, 900), (f"{STOCK}(1).jpg", shaken(c, 12), 120),
                           (f"{STOCK}-edite(1).jpg", exposed(shaken(c, 12), 0.9), 120)])
    _no_burst(db)
    folder = tmp_path / "photos"
    assert bursts.edits_of(str(folder / n) for n in os.listdir(folder)) == {
        str(folder / f"{SPANISH}.JPG"): [str(folder / spanish)],
        str(folder / f"{SPANISH2}.JPG"): [str(folder / f"{SPANISH2}-ha ed.JPG")],
        str(folder / f"{STOCK}(1).jpg"): [str(folder / f"{STOCK}-edite(1).jpg")]}


def test_a_cut_edit_in_a_real_burst_keeps_its_shot(tmp_path):
    """A burst of three where the person edited the blurriest; its edit's word was cut (``-edi``): the edit
    is no member, and the shot it edits is kept, as with a whole word."""
    a = scene(104)
    stem = "Trip to the coast with the whole family_00"    # + "2": 43, its edit cut to "-edi"
    assert len(f"{stem}2-edi") == 47
    db = _store(tmp_path, [(f"{stem}1.jpg", a, 0), (f"{stem}2.jpg", shaken(a, 15), 0.4),
                           (f"{stem}2-edi.jpg", exposed(shaken(a, 15), 1.2), 0.4),
                           (f"{stem}3.jpg", shifted(shaken(a, 9), 2, 1), 0.8)])
    with Store(db) as store:
        (group,) = bursts.run(store)
        names = [(os.path.basename(m.path), m.is_keeper) for m in group.members]
        assert len(names) == 3 and names[0] == (f"{stem}2.jpg", True)
        assert group.keeper.reason == f"you edited it ({stem}2-edi.jpg): a shot you edited is kept"
        assert sorted(os.path.basename(c.path) for c in select(store, from_bursts=True)[0]) == \
            [f"{stem}1.jpg", f"{stem}3.jpg"]


def test_names_that_only_look_cut_are_no_edits():
    """Only a 47-character stem ending in 3 or more characters of an edit word, beside its original in the same
    folder (and with the same number), is a cut edit. Not: a short name of one's own (``IMG_0001-edi``); a cut
    too short to tell (``-``, ``-e``, ``-ed``, ``-be``, ``-mo``: ``...-evening``, ``...-beach``, ``...-morning``
    cut by the same rule); a cut that is no edit word's (``-eve``); a stem of 46 or 48; the numbered edit of
    another photo than the unnumbered one; an original in another folder. Nor, alone, an edit whose original is
    not there (a whole word is: it is kept)."""
    def p(stem: str, folder: str = "/p") -> str:
        return f"{folder}/{stem}.jpg"

    o46, o45, o44, o43 = "A" * 46, "B" * 45, "C" * 44, "D" * 43
    paths = [p("IMG_0001"), p("IMG_0001-edi"),
             p(o46), p(o46 + "-"), p(o45), p(o45 + "-e"), p(o44), p(o44 + "-ed"),
             p("E" * 45), p("E" * 45 + "-be"), p("F" * 45), p("F" * 45 + "-mo"),
             p(o43), p(o43 + "-eve"),
             p("G" * 42), p("G" * 42 + "-edi"),      # 46
             p("H" * 43), p("H" * 43 + "-edit"),     # 48: a name Takeout never writes
             p("J" * 43), p("J" * 43 + "-edi(1)"),   # edits J(1), not J
             p("K" * 43, "/a"), p("K" * 43 + "-edi", "/b")]
    assert bursts.edits_of(paths) == {}
    cut_alone = [p("L" * 43 + "-edi"), p("M" * 41 + "-ha ed"), p("IMG_0002-edited")]
    assert bursts.lone_edits(cut_alone, {}) == {p("IMG_0002-edited")}
    # the lengths the cases stand for
    assert [len(os.path.basename(n)[:-4]) for n in (paths[3], paths[5], paths[7], paths[13], paths[15])] == \
        [47, 47, 47, 47, 46]


def test_a_real_burst_whose_second_name_looks_cut_stays_a_burst(tmp_path):
    """Two shots a second apart, one named after the other and cut by Takeout to ``...-e`` (``-evening``): two
    different photos, never taken for an edit pair; the blurrier is still proposed."""
    a = scene(105)
    stem = "Sunset over the old harbour from the hill top"   # 45
    assert len(stem) == 45
    db = _store(tmp_path, [(f"{stem}.jpg", a, 0), (f"{stem}-e.jpg", shaken(a, 15), 1)])
    with Store(db) as store:
        (group,) = bursts.run(store)
        assert [(os.path.basename(m.path), m.is_keeper) for m in group.members] == \
            [(f"{stem}.jpg", True), (f"{stem}-e.jpg", False)]
        assert [os.path.basename(c.path) for c in select(store, from_bursts=True)[0]] == [f"{stem}-e.jpg"]
