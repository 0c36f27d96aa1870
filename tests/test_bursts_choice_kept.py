"""A keeper a person chose stays chosen in what is left of its burst when shots leave it (a shot moved away, a
burst split by new capture times), and one whose shot leaves its burst is said, not passed over
(blurscan.bursts.choices). Until 2026-12-06 a group that lost a shot was ranked afresh, the choice silently lost.
A shot joining the group still has it ranked afresh (test_bursts_cli)."""
from __future__ import annotations

import os
from pathlib import Path

from blurscan import bursts
from blurscan.store import Store
from helpers_images import exposed, record, scene, shaken


def _burst(tmp_path: Path, times=(0, 0.5, 1, 1.5)):
    a = scene(51)
    shots = [record(shaken(a), "a_blur", times[0]), record(a, "a_sharp", times[1]),
             record(exposed(shaken(a, 9), 1.2), "a_b2", times[2]), record(exposed(a, 0.9), "a_dim", times[3])]
    for rec in shots:
        rec.path = str(tmp_path / "photos" / os.path.basename(rec.path))
        Path(rec.path).parent.mkdir(exist_ok=True)
        Path(rec.path).write_bytes(b"")
    db = tmp_path / "lib.db"
    with Store(db) as store:
        store.put(shots, "test")
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
