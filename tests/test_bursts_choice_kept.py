"""A keeper a person chose stays chosen in what is left of its burst when shots leave it (a shot moved away, a
burst split by new capture times), and one whose shot leaves its burst is said, not passed over
(blurscan.bursts.choices). Until 2026-12-06 a group that lost a shot was ranked afresh, the choice silently lost.
A shot joining the group still has it ranked afresh (test_bursts_cli)."""
from __future__ import annotations

import os
from pathlib import Path

from blurscan import bursts
from blurscan.store import Store
from helpers_images import exposed, record, scene, shaken, stored_shots


def _burst(tmp_path: Path, times=(0, 0.5, 1, 1.5)):
    a = scene(51)
    shots = [record(shaken(a), "a_blur", times[0]), record(a, "a_sharp", times[1]),
             record(exposed(shaken(a, 9), 1.2), "a_b2", times[2]), record(exposed(a, 0.9), "a_dim", times[3])]
    db = stored_shots(tmp_path, shots)
    return db, {os.path.basename(r.path).split(".")[0]: r for r in shots}


def test_a_chosen_keeper_stays_chosen_when_another_shot_is_moved_away(tmp_path):
    db, shots = _burst(tmp_path)
    with Store(db) as store:
        (group,) = bursts.run(store)
        chosen = shots["a_b2"].path
        assert group.keeper.path != chosen
        bursts.choose_keeper(store, group.group_id, chosen)
        os.remove(shots["a_dim"].path)  # moved away by hand
        (again,) = bursts.run(store)
        assert len(again.members) == 3
        assert again.keeper.path == chosen and again.chosen_by == "person"
        left: list = []
        assert bursts.run(store, left=left)[0].chosen_by == "person" and left == []  # (as stored now)


def test_a_chosen_keeper_whose_shot_leaves_its_burst_is_named(tmp_path):
    db, shots = _burst(tmp_path)
    with Store(db) as store:
        (group,) = bursts.run(store)
        chosen = shots["a_blur"].path
        bursts.choose_keeper(store, group.group_id, chosen)
        # its capture time read anew: 10 minutes before the others
        store.conn.execute("UPDATE images SET captured_at = '2024-07-14T09:50:00' WHERE path = ?", (chosen,))
        store.conn.commit()
        left: list = []
        (rest,) = bursts.run(store, left=left)
        assert chosen not in {m.path for m in rest.members} and rest.chosen_by == "auto"
        assert left == [(chosen, sorted(m.path for m in rest.members))]


def _apart(store, path: str) -> None:
    """``path``'s capture time read anew: 10 minutes before the rest of its burst."""
    store.conn.execute("UPDATE images SET captured_at = '2024-07-14T09:50:00' WHERE path = ?", (path,))
    store.conn.commit()


def test_only_the_burst_a_chosen_keeper_left_is_named(tmp_path):
    """Another burst, whose shots never were with the keeper, is not named with them."""
    db, shots = _burst(tmp_path)
    b = scene(52)
    other = [record(b, "b_sharp", 30), record(shaken(b), "b_blur", 30.5)]
    for rec in other:
        rec.path = str(tmp_path / "photos" / os.path.basename(rec.path))
        Path(rec.path).write_bytes(b"")
    with Store(db) as store:
        store.put(other, "test")
        groups = bursts.run(store)
        assert len(groups) == 2
        first = next(g for g in groups if shots["a_blur"].path in {m.path for m in g.members})
        bursts.choose_keeper(store, first.group_id, shots["a_blur"].path)
        _apart(store, shots["a_blur"].path)
        left: list = []
        bursts.run(store, left=left)
        assert left == [(shots["a_blur"].path, sorted(shots[n].path for n in ("a_sharp", "a_b2", "a_dim")))]


def test_a_chosen_keeper_gone_or_discarded_is_not_named(tmp_path):
    """The person moved the keeper away, or marked it discard: its burst's keeper is proposed anew, said already
    (the keeper gone, or "you marked it discard")."""
    from blurscan.review import decisions

    db, shots = _burst(tmp_path)
    with Store(db) as store:
        (group,) = bursts.run(store)
        bursts.choose_keeper(store, group.group_id, shots["a_b2"].path)
        os.remove(shots["a_b2"].path)
        left: list = []
        (rest,) = bursts.run(store, left=left)
        assert rest.chosen_by == "auto" and left == []

    (tmp_path / "second").mkdir()
    db, shots = _burst(tmp_path / "second")
    with Store(db) as store:
        (group,) = bursts.run(store)
        keeper = shots["a_b2"]
        bursts.choose_keeper(store, group.group_id, keeper.path)
        decisions.set_decision(store, keeper.path, "discard", size=keeper.size, mtime_ns=keeper.mtime_ns)
        _apart(store, keeper.path)
        left = []
        bursts.run(store, left=left)
        assert left == []


def test_the_note_names_three_shots_of_a_burst_the_keeper_left_and_counts_the_rest(tmp_path):
    from click.testing import CliRunner

    from blurscan.cli import main

    db, shots = _burst(tmp_path)
    fifth = record(exposed(scene(51), 1.1), "a_fifth", 2)
    fifth.path = str(tmp_path / "photos" / "a_fifth.jpg")
    Path(fifth.path).write_bytes(b"")
    with Store(db) as store:
        store.put([fifth], "test")
        (group,) = bursts.run(store)
        assert len(group.members) == 5
        bursts.choose_keeper(store, group.group_id, shots["a_blur"].path)
        _apart(store, shots["a_blur"].path)
    result = CliRunner().invoke(main, ["bursts", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "a_blur.jpg, the keeper you chose of its burst, is no longer grouped with " in result.output
    (note,) = [line for line in result.output.splitlines() if "no longer grouped" in line]
    assert "a_b2.jpg, " in note and "a_fifth.jpg and 1 more (their capture times" in note
    assert "a_sharp.jpg" not in note  # (the fourth, counted)


def _unmount(folder: Path, away: Path) -> None:
    """``folder``'s drive unmounted: its mount point left there, empty, as old as it was (an hour ago)."""
    import shutil
    import time

    shutil.move(folder, away)
    folder.mkdir()
    an_hour_ago = time.time() - 3600
    os.utime(folder, (an_hour_ago, an_hour_ago))


def _burst_across(lib: Path, on_phone: tuple[str, ...]) -> dict[str, str]:
    """A burst of three real photos (``IMG_0002.jpg`` the sharpest) and another of two, scanned and grouped by the
    CLI; those named in ``on_phone`` in ``lib/phone`` (a drive mounted inside the library), the others in
    ``lib/home``: name -> path."""
    import datetime as dt

    from helpers_cli import run
    from helpers_images import T0, blurred, shifted
    from test_bursts_cli import _jpeg_with_time

    a, b = scene(61), scene(62)
    shots = {"IMG_0001.jpg": (shaken(a), 0), "IMG_0002.jpg": (shifted(a, 6, 0), 1),
             "IMG_0003.jpg": (blurred(shifted(a, 3, 3), 2.0), 2), "IMG_0004.jpg": (b, 600),
             "IMG_0005.jpg": (shaken(b), 601)}
    paths = {}
    for name, (rgb, seconds) in shots.items():
        path = lib.resolve() / ("phone" if name in on_phone else "home") / name
        _jpeg_with_time(path, rgb, T0 + dt.timedelta(seconds=seconds))
        paths[name] = str(path)
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    assert run("bursts", lib).exit_code == 0
    return paths


def _keepers(lib: Path) -> dict[frozenset[str], tuple[str, str]]:
    """The stored groups: the names of their shots -> (the keeper's name, chosen_by)."""
    with Store(lib / ".blurscan.db", readonly=True) as store:
        return {frozenset(os.path.basename(m.path) for m in g.members):
                (os.path.basename(g.keeper.path), g.chosen_by) for g in bursts.load_groups(store)}


def _choose(lib: Path, path: str) -> None:
    with Store(lib / ".blurscan.db") as store:
        (group,) = [g for g in bursts.load_groups(store) if path in {m.path for m in g.members}]
        bursts.choose_keeper(store, group.group_id, path)


def test_bursts_run_while_a_drive_is_not_mounted_keep_its_shots_and_the_keeper_chosen(tmp_path):
    """``lib/phone`` a drive mounted inside the library holding a whole burst, its keeper chosen by a person;
    ``blurscan bursts lib`` run while it is not mounted (its mount point empty, as old as it was) keeps the group
    and the choice, and says why its shots are listed; until 2026-12-07 the group was dropped, and once the drive
    was back its keeper was proposed by sharpness again."""
    from helpers_cli import run

    lib = tmp_path / "lib"
    paths = _burst_across(lib, ("IMG_0001.jpg", "IMG_0002.jpg", "IMG_0003.jpg"))
    _choose(lib, paths["IMG_0003.jpg"])
    stored = _keepers(lib)
    assert stored[frozenset({"IMG_0001.jpg", "IMG_0002.jpg", "IMG_0003.jpg"})] == ("IMG_0003.jpg", "person")
    phone = lib.resolve() / "phone"
    _unmount(phone, tmp_path / "away")
    res = run("bursts", lib)
    assert res.exit_code == 0, res.output
    assert _keepers(lib) == stored
    assert (f"note: 3 shots listed under {phone} are not on disk: it is empty and not modified since the scan (a "
            "share or drive not mounted?): kept in their bursts (a keeper chosen stays chosen); mount it to move or "
            "trash them\n") in res.stderr, res.stderr
    res = run("bursts", lib / "home")  # (the drive's group not listed: nothing said of it)
    assert res.exit_code == 0 and "not on disk" not in res.stderr, res.output
    phone.rmdir()
    os.rename(tmp_path / "away", phone)  # mounted again: the choice is there
    res = run("bursts", lib)
    assert res.exit_code == 0 and "not on disk" not in res.stderr, res.output
    assert _keepers(lib) == stored


def test_a_keeper_chosen_on_a_drive_not_mounted_is_not_replaced_by_a_shot_still_there(tmp_path):
    """The keeper a person chose is on the drive not mounted, the burst's other shots on the system disk: the
    keeper stays chosen, the review page's bursts view shows the others as not chosen (the keeper's shot counted
    under the folder not mounted), and ``move --from-bursts`` takes none of them (the burst has no keeper in place);
    until 2026-12-07 a keeper was proposed among the shots still there, and ``move --from-bursts`` took the other."""
    from helpers_cli import run

    lib = tmp_path / "lib"
    paths = _burst_across(lib, ("IMG_0003.jpg",))
    _choose(lib, paths["IMG_0003.jpg"])
    stored = _keepers(lib)
    _unmount(lib.resolve() / "phone", tmp_path / "away")
    res = run("bursts", lib)
    assert res.exit_code == 0, res.output
    assert _keepers(lib) == stored
    assert (f"note: 1 shot listed under {lib.resolve() / 'phone'} is not on disk: it is empty and not modified since the "
            "scan (a share or drive not mounted?): kept in its burst (a keeper chosen stays chosen); mount it to move or "
            "trash it\n") in res.stderr, res.stderr
    from helpers_review import _get, review_client

    answer = _get(review_client((lib / ".blurscan.db", None)), "/api/bursts").get_json()  # (the review page's view)
    assert [(g["chosen_by"], [(p["name"], p["is_keeper"], p["reason"]) for p in g["photos"]])
            for g in answer["groups"]][0] == \
        ("person", [("IMG_0002.jpg", False, "a person chose IMG_0003.jpg"),
                    ("IMG_0001.jpg", False, "a person chose IMG_0003.jpg")])
    assert [(u["folder"], u["shots"]) for u in answer["unmounted_shots"]] == [(str(lib.resolve() / "phone"), 1)]
    res = run("move", "--from-bursts", "--to", tmp_path / "rejects", lib)
    assert res.exit_code == 0, res.output
    moved = {line.split()[2] for line in res.stdout.splitlines() if line.startswith("would move ")}
    assert moved == {"home/IMG_0005.jpg"}, res.output  # (the other burst's candidate only)


def test_an_edit_beside_its_original_on_a_drive_not_mounted_stays_one_shot_with_it(tmp_path):
    """``IMG_E0002.jpg``, an edit beside ``IMG_0002.jpg`` on the drive: grouped and ranked as its original, never a
    member itself (bursts/twins.py), also while the drive is not mounted; it did not become a shot of its own, its
    original taken for gone, which would change the burst."""
    import shutil

    from helpers_cli import run

    lib = tmp_path / "lib"
    paths = _burst_across(lib, ("IMG_0001.jpg", "IMG_0002.jpg", "IMG_0003.jpg"))
    shutil.copyfile(paths["IMG_0002.jpg"], lib / "phone" / "IMG_E0002.jpg")
    assert run("scan", lib, "--model", "none", "--workers", "1").exit_code == 0
    assert run("bursts", lib).exit_code == 0
    stored = _keepers(lib)
    assert frozenset({"IMG_0001.jpg", "IMG_0002.jpg", "IMG_0003.jpg"}) in stored, stored
    _unmount(lib.resolve() / "phone", tmp_path / "away")
    res = run("bursts", lib)
    assert res.exit_code == 0, res.output
    assert _keepers(lib) == stored
