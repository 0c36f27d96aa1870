"""One shot under several files, in ``blurscan bursts``: a phone's edited version beside its original
(``IMG_E0001.JPG`` / ``IMG_0001.JPG``) and byte-identical copies (``IMG_0005 (1).JPG``), found by a
walkthrough of an iPhone library exported to disk. Neither is a burst: an edit is one shot with its original
(and a shot a person edited is kept), a copy is said to be a duplicate instead of being ranked on noise.

Generated scenes are scored by the real pipeline (``helpers_images.record``) and stored as a scan would."""
from __future__ import annotations

import json
import os
import shutil
import unicodedata
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from blurscan import bursts
from blurscan.actions import select
from blurscan.cli import main
from blurscan.records import ScanRecord
from blurscan.store import Store
from helpers_images import exposed, record, save_jpeg, scene, shaken, shifted


def _store(tmp_path: Path, shots: list[tuple[str, tuple[ScanRecord, np.ndarray]]], copies: dict[str, str] = ()) -> Path:
    """Files named as given (real JPEGs of the shots; ``copies``: name -> name of the file it copies byte for
    byte) and their records in a database, as a scan leaves them."""
    folder = tmp_path / "photos"
    folder.mkdir(exist_ok=True)
    records = []
    for name, (rec, img) in shots:
        rec.path = str(folder / name)
        if name in dict(copies):
            shutil.copyfile(folder / dict(copies)[name], rec.path)
        else:
            save_jpeg(Path(rec.path), img)
        st = os.stat(rec.path)
        rec.size, rec.mtime_ns = st.st_size, st.st_mtime_ns
        records.append(rec)
    db = tmp_path / "lib.db"
    with Store(db) as store:
        store.put(records, "test")
    return db


def _shot(img: np.ndarray, seconds: float) -> tuple[ScanRecord, np.ndarray]:
    return record(img, "x", seconds), img


def _no_burst(db: Path) -> None:
    """No group, no candidate for a burst action, and `blurscan bursts` says so."""
    with Store(db) as store:
        assert bursts.run(store) == []
        assert select(store, from_bursts=True)[0] == []
    result = CliRunner().invoke(main, ["bursts", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "0 burst groups, 0 candidates" in result.stderr


def _names(group) -> list[tuple[str, bool]]:
    return [(os.path.basename(m.path), m.is_keeper) for m in group.members]


def test_an_edit_beside_its_original_is_not_a_burst(tmp_path):
    """IMG_E0001.JPG (edited in Photos: a little brighter) and IMG_0001.JPG share the capture time and look
    alike: they were a two-shot "burst", one proposed for removal on a figure difference of the edit."""
    a = scene(81)
    db = _store(tmp_path, [("IMG_0001.JPG", _shot(a, 0)), ("IMG_E0001.JPG", _shot(exposed(a, 1.15), 0)),
                           ("IMG_0002.HEIC.jpg", _shot(scene(82), 5))])
    _no_burst(db)


def test_an_edited_shot_of_a_real_burst_is_one_member_and_is_kept(tmp_path):
    """A burst IMG_0001..IMG_0004 where the person edited IMG_0002 (IMG_E0002.JPG): still one group of four
    shots; the edit is no member (no burst action takes it), and the shot that was edited is kept although
    IMG_0003 is sharper: editing it was choosing it. The others are candidates."""
    a = scene(83)
    db = _store(tmp_path, [("IMG_0001.JPG", _shot(shaken(a), 0)), ("IMG_0002.JPG", _shot(shaken(a, 9), 0.4)),
                           ("IMG_E0002.JPG", _shot(exposed(shaken(a, 9), 1.2), 0.4)),
                           ("IMG_0003.JPG", _shot(shifted(a, 3, 2), 0.8)),
                           ("IMG_0004.JPG", _shot(shaken(a, 21), 1.2))])
    with Store(db) as store:
        groups = bursts.run(store)
        assert len(groups) == 1
        group = groups[0]
        assert _names(group)[0] == ("IMG_0002.JPG", True)
        assert sorted(_names(group)[1:]) == [("IMG_0001.JPG", False), ("IMG_0003.JPG", False),
                                             ("IMG_0004.JPG", False)]
        assert group.keeper.reason == "you edited it (IMG_E0002.JPG): a shot you edited is kept"
        third = next(m for m in group.members if m.path.endswith("IMG_0003.JPG"))
        assert third.reason.startswith("IMG_0002.JPG is kept, you edited it; though this shot is sharper: ")
        taken = sorted(os.path.basename(c.path) for c in select(store, from_bursts=True)[0])
        assert taken == ["IMG_0001.JPG", "IMG_0003.JPG", "IMG_0004.JPG"]
    line = CliRunner().invoke(main, ["bursts", "--db", str(db), "--format", "jsonl"]).stdout
    member = json.loads(line)["members"][0]
    assert member["edits"] == [str(tmp_path / "photos" / "IMG_E0002.JPG")] and member["is_keeper"] is True


def test_an_edit_whose_original_is_gone_is_a_shot_of_its_own(tmp_path):
    a = scene(84)
    db = _store(tmp_path, [("IMG_0001.JPG", _shot(shaken(a), 0)), ("IMG_0002.JPG", _shot(a, 0.5)),
                           ("IMG_E0002.JPG", _shot(exposed(a, 1.2), 0.5))])
    os.remove(tmp_path / "photos" / "IMG_0002.JPG")  # trashed since the scan
    with Store(db) as store:
        (group,) = bursts.run(store)
        assert _names(group) == [("IMG_E0002.JPG", True), ("IMG_0001.JPG", False)]


def test_byte_identical_copies_are_duplicates_not_ranked_on_noise(tmp_path):
    """IMG_0005 (1).JPG is IMG_0005.JPG byte for byte. Its stored figures differ in the last digits (a
    model's threads sum in another order; a scan with other settings): ranking took that noise as a reason and
    kept the copy. The copy follows its original as a duplicate, and a real burst around them still ranks."""
    a = scene(85)
    (original, img), (copy, _) = _shot(a, 0), _shot(a, 0)
    copy.scores = dict(copy.scores, laplacian_var_norm=copy.scores["laplacian_var_norm"] * 1.0001)
    db = _store(tmp_path, [("IMG_0005.JPG", (original, img)), ("IMG_0005 (1).JPG", (copy, img)),
                           ("IMG_0006.JPG", _shot(shaken(shifted(a, 2, 2)), 0.6))],
                copies={"IMG_0005 (1).JPG": "IMG_0005.JPG"})
    with Store(db) as store:
        (group,) = bursts.run(store)
        assert _names(group) == [("IMG_0005.JPG", True), ("IMG_0005 (1).JPG", False), ("IMG_0006.JPG", False)]
        dup = group.members[1]
        assert dup.reason == "duplicate of IMG_0005.JPG (same size and content)"
        assert dup.figures["duplicate_of"] == str(tmp_path / "photos" / "IMG_0005.JPG")
        assert group.members[2].reason.startswith("IMG_0005.JPG is better: ")
    obj = json.loads(CliRunner().invoke(main, ["bursts", "--db", str(db), "--format", "jsonl"]).stdout)
    assert obj["members"][1]["duplicate_of"].endswith("IMG_0005.JPG")


def test_a_pair_of_copies_alone_names_the_original_and_the_duplicate(tmp_path):
    a = scene(86)
    (original, img), (copy, _) = _shot(a, 0), _shot(a, 0)
    original.p_blurry, copy.p_blurry = 0.31, 0.3099  # noise in the last digits
    db = _store(tmp_path, [("IMG_0005.JPG", (original, img)), ("IMG_0005 (1).JPG", (copy, img))],
                copies={"IMG_0005 (1).JPG": "IMG_0005.JPG"})
    with Store(db) as store:
        (group,) = bursts.run(store)
    assert _names(group) == [("IMG_0005.JPG", True), ("IMG_0005 (1).JPG", False)]
    assert group.members[0].reason == "only shot; the others are copies of it"


def test_edits_are_paired_by_name_in_one_folder():
    paths = ["/p/IMG_0001.HEIC", "/p/IMG_E0001.JPG", "/p/img_e0002.jpg", "/p/IMG_0002.JPG", "/q/IMG_E0003.JPG",
             "/p/IMG_0003.JPG", "/p/PXL_1-edited.jpg", "/p/PXL_1.jpg", "/p/IMG_E0009.JPG", "/p/EDITED.jpg"]
    assert bursts.edits_of(paths) == {"/p/IMG_0001.HEIC": ["/p/IMG_E0001.JPG"],
                                      "/p/IMG_0002.JPG": ["/p/img_e0002.jpg"],
                                      "/p/PXL_1.jpg": ["/p/PXL_1-edited.jpg"]}


def test_a_keeper_chosen_in_the_review_page_leaves_an_edited_shot_kept(tmp_path):
    """Choosing IMG_0003 as keeper in the review page's bursts view made the edited IMG_0002 a candidate for
    `move --from-bursts` (only the chosen shot stayed a keeper), and once `bursts` had stored both as keepers
    the next run forgot the person's choice. Whatever keeper a person chooses, a shot they edited stays kept."""
    from blurscan.review.library import bursts as review_bursts, pick_burst_keeper

    a = scene(87)
    db = _store(tmp_path, [("IMG_0001.JPG", _shot(shaken(a), 0)), ("IMG_0002.JPG", _shot(shaken(a, 9), 0.4)),
                           ("IMG_E0002.JPG", _shot(exposed(shaken(a, 9), 1.2), 0.4)),
                           ("IMG_0003.JPG", _shot(shifted(a, 3, 2), 0.8)),
                           ("IMG_0004.JPG", _shot(shaken(a, 21), 1.2))])
    folder = tmp_path / "photos"
    with Store(db) as store:
        (group,) = bursts.run(store)
        assert pick_burst_keeper(store, group.group_id, str(folder / "IMG_0003.JPG")) is not None
        (shown,) = review_bursts(store)
        assert [(p["name"], p["is_keeper"]) for p in shown["photos"]][:2] == [("IMG_0003.JPG", True),
                                                                              ("IMG_0002.JPG", True)]
        assert sorted(os.path.basename(c.path) for c in select(store, from_bursts=True)[0]) == \
            ["IMG_0001.JPG", "IMG_0004.JPG"]
        for _ in range(2):  # `blurscan bursts` again, twice: the person's keeper and the edited shot stay kept
            (again,) = bursts.run(store)
            assert again.chosen_by == "person"
            assert _names(again)[:2] == [("IMG_0003.JPG", True), ("IMG_0002.JPG", True)]
            assert [kept for _, kept in _names(again)[2:]] == [False, False]
        # the library call: the same rule, with the reasons
        bursts.choose_keeper(store, group.group_id, str(folder / "IMG_0004.JPG"))
        (stored,) = bursts.load_groups(store)
        assert _names(stored)[:2] == [("IMG_0004.JPG", True), ("IMG_0002.JPG", True)]
        assert stored.members[1].reason == "you edited it (IMG_E0002.JPG): kept too"
        assert [m.reason.startswith("a person chose ") for m in stored.members[2:]] == [True, True]
        assert all("/" not in m.reason for m in stored.members[2:])  # the file name, as rank_group writes it
        assert sorted(os.path.basename(c.path) for c in select(store, from_bursts=True)[0]) == \
            ["IMG_0001.JPG", "IMG_0003.JPG"]


def test_the_copy_a_person_edited_stands_for_its_copies_and_is_never_taken(tmp_path):
    """a/IMG_0005.JPG and b/IMG_0005.JPG are one file copied (an export and a backup), and the person edited
    the one in b (b/IMG_E0005.JPG beside it). The copy in a stood for the shot (first by path) and the edited
    one was listed as its duplicate: `move --from-bursts` took the very shot the person edited away from its
    edit. The edited copy stands (and is kept); the other copy is the duplicate."""
    a = scene(88)
    (one, img), (two, _) = _shot(a, 0), _shot(a, 0)
    for folder in ("a", "b"):
        (tmp_path / "photos" / folder).mkdir(parents=True)
    db = _store(tmp_path, [("a/IMG_0005.JPG", (one, img)), ("b/IMG_0005.JPG", (two, img)),
                           ("b/IMG_E0005.JPG", _shot(exposed(a, 1.2), 0)),
                           ("a/IMG_0006.JPG", _shot(shaken(shifted(a, 2, 2)), 0.6))],
                copies={"b/IMG_0005.JPG": "a/IMG_0005.JPG"})
    photos = tmp_path / "photos"
    with Store(db) as store:
        (group,) = bursts.run(store)
        assert [(m.path, m.is_keeper) for m in group.members] == [
            (str(photos / "b" / "IMG_0005.JPG"), True), (str(photos / "a" / "IMG_0005.JPG"), False),
            (str(photos / "a" / "IMG_0006.JPG"), False)]
        assert group.members[0].reason == "you edited it (IMG_E0005.JPG): a shot you edited is kept"
        assert group.members[1].figures["duplicate_of"] == str(photos / "b" / "IMG_0005.JPG")
        taken = sorted(c.path for c in select(store, from_bursts=True)[0])
        assert taken == [str(photos / "a" / "IMG_0005.JPG"), str(photos / "a" / "IMG_0006.JPG")]


def test_two_edited_copies_are_both_kept(tmp_path):
    """A folder and its backup, each with the original and the person's edit: one copy stands, the other is its
    duplicate, and it is kept too (taking it would leave its edit without the original beside it)."""
    a = scene(89)
    (one, img), (two, _) = _shot(a, 0), _shot(a, 0)
    for folder in ("a", "b"):
        (tmp_path / "photos" / folder).mkdir(parents=True)
    db = _store(tmp_path, [("a/IMG_0005.JPG", (one, img)), ("b/IMG_0005.JPG", (two, img)),
                           ("a/IMG_E0005.JPG", _shot(exposed(a, 1.2), 0)),
                           ("b/IMG_E0005.JPG", _shot(exposed(a, 1.2), 0)),
                           ("a/IMG_0006.JPG", _shot(shaken(shifted(a, 2, 2)), 0.6))],
                copies={"b/IMG_0005.JPG": "a/IMG_0005.JPG", "b/IMG_E0005.JPG": "a/IMG_E0005.JPG"})
    with Store(db) as store:
        (group,) = bursts.run(store)
        assert [(m.path.split("photos")[1], m.is_keeper) for m in group.members] == [
            ("/a/IMG_0005.JPG", True), ("/b/IMG_0005.JPG", True), ("/a/IMG_0006.JPG", False)]
        # (the copy it follows is named with its folder: both are IMG_0005.JPG)
        assert group.members[1].reason == ("duplicate of a/IMG_0005.JPG (same size and content); "
                                           "you edited it (IMG_E0005.JPG): kept too")
        assert [os.path.basename(c.path) for c in select(store, from_bursts=True)[0]] == ["IMG_0006.JPG"]


def test_a_keeper_a_person_chose_among_copies_stays_the_keeper(tmp_path):
    """The person chose the copy IMG_0005 (1).JPG as keeper: the next `bursts` ranked the original in its
    place ('sharpest of 2') under the heading 'keeper chosen by a person', listed the chosen copy as a
    duplicate, a candidate for --from-bursts, and the run after that had forgotten the choice."""
    a = scene(90)
    (original, img), (copy, _) = _shot(a, 0), _shot(a, 0)
    db = _store(tmp_path, [("IMG_0005.JPG", (original, img)), ("IMG_0005 (1).JPG", (copy, img)),
                           ("IMG_0006.JPG", _shot(shaken(shifted(a, 2, 2)), 0.6))],
                copies={"IMG_0005 (1).JPG": "IMG_0005.JPG"})
    chosen = str(tmp_path / "photos" / "IMG_0005 (1).JPG")
    with Store(db) as store:
        (group,) = bursts.run(store)
        bursts.choose_keeper(store, group.group_id, chosen)
        for _ in range(2):
            (again,) = bursts.run(store)
            assert again.chosen_by == "person"
            assert _names(again) == [("IMG_0005 (1).JPG", True), ("IMG_0005.JPG", False), ("IMG_0006.JPG", False)]
            assert again.members[0].reason == "chosen by a person"
            assert again.members[1].reason == "duplicate of IMG_0005 (1).JPG (same size and content)"
            assert chosen not in {c.path for c in select(store, from_bursts=True)[0]}


def test_an_edit_without_its_original_is_kept(tmp_path):
    """IMG_E0001.JPG (the person's edit; its original trashed, or never exported) and a Takeout
    img_0003-edited.jpg beside a sharper IMG_0002.JPG: each is a shot of its own, and was proposed for removal
    as any other; it is still the version the person edited, so it is kept, and stays kept when the person
    chooses another keeper."""
    a = scene(91)
    db = _store(tmp_path, [("IMG_E0001.JPG", _shot(shaken(a, 15), 0)), ("IMG_0002.JPG", _shot(a, 0.4)),
                           ("img_0003-edited.jpg", _shot(shifted(shaken(a, 9), 2, 1), 0.8))])
    with Store(db) as store:
        (group,) = bursts.run(store)
        kept = {name for name, is_keeper in _names(group) if is_keeper}
        assert kept == {"IMG_E0001.JPG", "img_0003-edited.jpg"}
        edit = next(m for m in group.members if m.path.endswith("IMG_E0001.JPG"))
        assert edit.reason.startswith("a version you edited (its original is not here): ")
        assert "edits" not in edit.to_json()
        # the sharper of the two edits first, said kept as an edit (no version of it a phone made), and the shot
        # behind them told whose edit is kept (a mutant naming them "kept with it", "the phone made a picture
        # from it", lived)
        reasons = {os.path.basename(m.path): m.reason for m in group.members}
        assert reasons["img_0003-edited.jpg"] == \
            "a version you edited (its original is not here): a shot you edited is kept"
        assert reasons["IMG_0002.JPG"].startswith("img_0003-edited.jpg is kept, you edited it; ")
        assert [os.path.basename(c.path) for c in select(store, from_bursts=True)[0]] == ["IMG_0002.JPG"]
        bursts.choose_keeper(store, group.group_id, str(tmp_path / "photos" / "IMG_0002.JPG"))
        (stored,) = bursts.load_groups(store)
        assert _names(stored)[0] == ("IMG_0002.JPG", True)
        assert {n for n, k in _names(stored) if k} == {"IMG_0002.JPG", "IMG_E0001.JPG", "img_0003-edited.jpg"}
        assert stored.members[1].reason == "a version you edited (its original is not here): kept too"
        assert select(store, from_bursts=True)[0] == []


def test_an_edit_beside_a_links_name_is_an_edit_of_the_file(tmp_path):
    """b/IMG_0005.JPG is a symbolic link to a/IMG_0005.JPG (stored by a scan of b alone), and the person's edit
    b/IMG_E0005.JPG lies beside the link. The link's name is left out of the group (another name of a file in
    it), and the edit went with it: a/IMG_0005.JPG, blurrier than the next shot, was proposed for removal. The
    edit goes with the name that takes part."""
    a = scene(91)
    for folder in ("a", "b"):
        (tmp_path / "photos" / folder).mkdir(parents=True)
    (one, img), (two, _) = _shot(shaken(a), 0), _shot(shaken(a), 0)
    db = _store(tmp_path, [("a/IMG_0005.JPG", (one, img)), ("b/IMG_0005.JPG", (two, img)),
                           ("b/IMG_E0005.JPG", _shot(exposed(shaken(a), 1.2), 0)),
                           ("a/IMG_0006.JPG", _shot(shifted(a, 2, 2), 0.6))],
                copies={"b/IMG_0005.JPG": "a/IMG_0005.JPG"})
    photos = tmp_path / "photos"
    link = photos / "b" / "IMG_0005.JPG"
    link.unlink()
    link.symlink_to(photos / "a" / "IMG_0005.JPG")
    with Store(db) as store:
        (group,) = bursts.run(store)
        assert [(m.path, m.is_keeper) for m in group.members] == [
            (str(photos / "a" / "IMG_0005.JPG"), True), (str(photos / "a" / "IMG_0006.JPG"), False)]
        assert group.members[0].reason == "you edited it (IMG_E0005.JPG): a shot you edited is kept"
        taken = sorted(c.path for c in select(store, from_bursts=True)[0])
        assert taken == [str(photos / "a" / "IMG_0006.JPG")]


def test_takeout_edits_in_the_accounts_language_are_edits(tmp_path):
    """Google Photos Takeout names an edited version in the account's language: PXL_1-bearbeitet.jpg (German),
    DSC_2-modifié.JPG (French, its accent decomposed as macOS writes names: NFD), IMG-3-ha editado.jpeg
    (Spanish), each beside its original and with its capture time. Only ``-edited`` was known: each pair was a
    "burst" of two and one of them was proposed for removal. Each is one shot with its original now."""
    a, b, c = scene(92), scene(93), scene(94)
    french = unicodedata.normalize("NFD", "DSC_2-modifié.JPG")
    assert french != "DSC_2-modifié.JPG"
    db = _store(tmp_path, [("PXL_1.jpg", _shot(shaken(a), 0)), ("PXL_1-bearbeitet.jpg", _shot(exposed(a, 1.2), 0)),
                           ("DSC_2.JPG", _shot(shaken(b), 60)), (french, _shot(exposed(shaken(b), 1.1), 60)),
                           ("IMG-3.jpeg", _shot(c, 120)), ("IMG-3-HA EDITADO.jpeg", _shot(exposed(c, 0.9), 120))])
    _no_burst(db)


def test_a_takeout_edit_in_a_real_burst_keeps_its_shot(tmp_path):
    """A burst of three where the person edited the blurriest (a Dutch account: IMG_0002-bewerkt.jpg): the
    edit is no member and the shot it edits is kept, as with ``-edited``."""
    a = scene(95)
    db = _store(tmp_path, [("IMG_0001.jpg", _shot(a, 0)), ("IMG_0002.jpg", _shot(shaken(a, 15), 0.4)),
                           ("IMG_0002-bewerkt.jpg", _shot(exposed(shaken(a, 15), 1.2), 0.4)),
                           ("IMG_0003.jpg", _shot(shifted(shaken(a, 9), 2, 1), 0.8))])
    with Store(db) as store:
        (group,) = bursts.run(store)
        assert _names(group)[0] == ("IMG_0002.jpg", True)
        assert group.keeper.reason == "you edited it (IMG_0002-bewerkt.jpg): a shot you edited is kept"
        assert sorted(os.path.basename(c.path) for c in select(store, from_bursts=True)[0]) == \
            ["IMG_0001.jpg", "IMG_0003.jpg"]


def test_takeout_edit_names_in_other_languages_are_paired_by_name():
    nfd = unicodedata.normalize("NFD", "/p/Café-MODIFIÉ.jpg")
    paths = ["/p/A-bearbeitet.jpg", "/p/A.jpg", "/p/B-modificato.JPG", "/p/b.jpg", "/p/C-editat.jpg", "/p/C.jpg",
             "/p/D-ha editado.jpg", "/p/D.jpg", "/p/E-edytowane.jpg", "/p/E.jpg", "/p/F-編集済み.jpg", "/p/F.jpg",
             "/p/G-düzenlendi.jpg", "/p/G.jpg", "/p/H-editado.jpg", "/p/H.jpg", nfd, "/p/Café.jpg",
             "/p/modifié.jpg", "/p/X-bearbeitetx.jpg", "/p/X.jpg", "/p/Y bewerkt.jpg", "/p/Y.jpg"]
    edits = bursts.edits_of(paths)
    assert edits == {"/p/A.jpg": ["/p/A-bearbeitet.jpg"], "/p/b.jpg": ["/p/B-modificato.JPG"],
                     "/p/C.jpg": ["/p/C-editat.jpg"], "/p/D.jpg": ["/p/D-ha editado.jpg"],
                     "/p/E.jpg": ["/p/E-edytowane.jpg"], "/p/F.jpg": ["/p/F-編集済み.jpg"],
                     "/p/G.jpg": ["/p/G-düzenlendi.jpg"], "/p/H.jpg": ["/p/H-editado.jpg"],
                     "/p/Café.jpg": [nfd]}


def test_move_from_bursts_dry_run_names_a_duplicate_as_such(tmp_path):
    """`bursts` lists b/IMG_0005.JPG as `duplicate of IMG_0005.JPG`, but the `move --from-bursts` dry run showed
    it as `[burst]`, like a blurrier shot: nothing said that moving it loses nothing. It says `[duplicate of
    a/IMG_0005.JPG]` (the path from the library, as the line's own); the other shot is still `[burst]`."""
    a = scene(96)
    (one, img), (two, _) = _shot(a, 0), _shot(a, 0)
    for folder in ("a", "b"):
        (tmp_path / "photos" / folder).mkdir(parents=True)
    db = _store(tmp_path, [("a/IMG_0005.JPG", (one, img)), ("b/IMG_0005.JPG", (two, img)),
                           ("a/IMG_0006.JPG", _shot(shaken(shifted(a, 2, 2)), 0.6))],
                copies={"b/IMG_0005.JPG": "a/IMG_0005.JPG"})
    with Store(db) as store:
        (group,) = bursts.run(store)
        assert [os.path.relpath(m.path, tmp_path / "photos") for m in group.members] == \
            ["a/IMG_0005.JPG", "b/IMG_0005.JPG", "a/IMG_0006.JPG"]
    runner = CliRunner()
    for command in (["move", "--to", str(tmp_path / "rejects")], ["trash"]):
        out = runner.invoke(main, [*command, "--from-bursts", "--db", str(db), str(tmp_path / "photos")])
        assert out.exit_code == 0, out.output
        lines = sorted(line for line in out.stdout.splitlines() if line.startswith("would "))
        assert [line.split(" -> ")[0] for line in lines] == [
            f"would {command[0]} a/IMG_0006.JPG [burst]",
            f"would {command[0]} b/IMG_0005.JPG [duplicate of a/IMG_0005.JPG]"], out.output


def test_a_numbered_takeout_edit_is_an_edit_of_the_numbered_original(tmp_path):
    """Takeout numbers the second photo of one name IMG_0484(1).JPG and writes its edit IMG_0484-edited(1).JPG
    (the number after the word; -modifié(1) in French): the pair was a two-shot "burst" and the edit, blurrier
    than the original here, was proposed for removal. It is the original's edit now, not IMG_0484.JPG's (another
    photo of that name, taken another day)."""
    a, b, c = scene(96), scene(97), scene(98)
    db = _store(tmp_path, [("IMG_0484.JPG", _shot(b, 900)), ("IMG_0484(1).JPG", _shot(a, 0)),
                           ("IMG_0484-edited(1).JPG", _shot(exposed(shaken(a, 12), 1.2), 0)),
                           ("IMG_0485(2).jpg", _shot(c, 300)), ("IMG_0485-MODIFIÉ(2).jpg", _shot(exposed(c, 0.9), 300))])
    _no_burst(db)
    folder = str(tmp_path / "photos")
    assert bursts.edits_of(os.path.join(folder, n) for n in os.listdir(folder)) == {
        os.path.join(folder, "IMG_0484(1).JPG"): [os.path.join(folder, "IMG_0484-edited(1).JPG")],
        os.path.join(folder, "IMG_0485(2).jpg"): [os.path.join(folder, "IMG_0485-MODIFIÉ(2).jpg")]}


def test_move_from_bursts_names_no_duplicate_once_its_original_is_gone(tmp_path):
    """A person keeps a/IMG_0006.JPG, then moves a/IMG_0005.JPG away (discarded): the dry run still said
    `[duplicate of a/IMG_0005.JPG]` for b/c/IMG_0005.JPG, the last copy of that shot in the library,
    as if taking it lost nothing. It reads `[burst]` once the original is gone (moved or deleted by hand)."""
    from blurscan.bursts.storage import choose_keeper
    from helpers_library import decide

    a = scene(96)
    (one, img), (two, _) = _shot(a, 0), _shot(a, 0)
    photos = tmp_path / "photos"
    for folder in ("a", "b/c"):
        (photos / folder).mkdir(parents=True)
    db = _store(tmp_path, [("a/IMG_0005.JPG", (one, img)), ("b/c/IMG_0005.JPG", (two, img)),
                           ("a/IMG_0006.JPG", _shot(shaken(shifted(a, 2, 2)), 0.6))],
                copies={"b/c/IMG_0005.JPG": "a/IMG_0005.JPG"})
    with Store(db) as store:
        (group,) = bursts.run(store)
        choose_keeper(store, group.group_id, str(photos / "a" / "IMG_0006.JPG"))
    runner = CliRunner()
    dry = ["move", "--to", str(tmp_path / "rejects"), "--from-bursts", "--db", str(db), str(photos / "b")]

    def line() -> str:
        out = runner.invoke(main, dry)
        assert out.exit_code == 0, out.output
        (shown,) = [x for x in out.stdout.splitlines() if x.startswith("would ")]
        return shown.split(" -> ")[0]

    assert line() == "would move b/c/IMG_0005.JPG [duplicate of a/IMG_0005.JPG]"
    with Store(db) as store:
        decide(store, str(photos / "a" / "IMG_0005.JPG"), "discard")
    out = runner.invoke(main, ["move", "--to", str(tmp_path / "rejects"), "--yes", "--db", str(db), str(photos / "a")])
    assert out.exit_code == 0 and not (photos / "a" / "IMG_0005.JPG").exists(), out.output
    assert line() == "would move b/c/IMG_0005.JPG [burst]"
    runner.invoke(main, ["undo", "--db", str(db)])
    assert line() == "would move b/c/IMG_0005.JPG [duplicate of a/IMG_0005.JPG]"
    (photos / "a" / "IMG_0005.JPG").unlink()  # deleted by hand
    assert line() == "would move b/c/IMG_0005.JPG [burst]"
