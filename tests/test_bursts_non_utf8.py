"""A burst shot whose file name is not valid UTF-8 (a Latin-1 ``caf\\xe9.jpg`` copied from an old camera card
or archive): stored by the scan as the raw bytes of its name, it made ``blurscan bursts`` fail with a traceback
(``TypeError: '<' not supported between instances of 'bytes' and 'str'``) for the whole library."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path


from blurscan import bursts
from blurscan.store import Store
from helpers_images import T0, scene, shaken, shifted
from test_bursts_cli import _jpeg_with_time, scan_then_bursts


def test_bursts_groups_a_shot_with_a_non_utf8_name_and_keeps_a_persons_choice(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    a = scene(71)
    odd = os.fsdecode(os.fsencode(str(lib)) + b"/caf\xe9.jpg")  # surrogate-escaped text, as os.listdir gives it
    _jpeg_with_time(lib / "IMG_0001.jpg", shaken(a), T0)
    _jpeg_with_time(Path(odd), shifted(a, 6, 0), T0 + dt.timedelta(seconds=1))
    groups = scan_then_bursts(lib)
    assert [(os.path.basename(g["keeper"]), sorted(os.path.basename(m["path"]) for m in g["members"]))
            for g in groups] == [("caf\\xe9.jpg", ["IMG_0001.jpg", "caf\\xe9.jpg"])]
    with Store(lib / ".blurscan.db") as store:
        # stored under the name the images table has (its bytes), so the review page and --from-bursts find it
        rows = store.conn.execute("SELECT b.is_keeper FROM burst_groups b JOIN images i ON i.path = b.path "
                                  "ORDER BY b.rank").fetchall()
        assert [r["is_keeper"] for r in rows] == [1, 0]
        group = bursts.load_groups(store)[0]
        assert [m.path for m in group.members] == [odd, str(lib / "IMG_0001.jpg")]
        # a person prefers the other shot; a rerun keeps that choice, and the odd name can be chosen back
        bursts.choose_keeper(store, group.group_id, str(lib / "IMG_0001.jpg"))
        again = bursts.run(store)[0]
        assert again.keeper.path == str(lib / "IMG_0001.jpg") and again.chosen_by == "person"
        from blurscan.review.library import pick_burst_keeper
        from blurscan.store import db_path
        assert pick_burst_keeper(store, again.group_id, db_path(odd)) is not None
        assert bursts.run(store)[0].keeper.path == odd
    assert Path(odd).exists()
