"""The review page's bursts view finds the shots replaced by another file (blurscan.bursts.identity.replaced_shots:
a ``stat`` of every stored shot and a read of its scan record) once per request. It did it twice, once for the
groups shown and again to count those left out: 2.5 s more per request (and per keeper choice, and its undo)
with 100,000 shots stored. Real scans of generated JPEG bursts, the real Flask app's test client."""
from __future__ import annotations

import os

from helpers_review import _get, _post, review_client
from test_bursts_replaced import _another_photo, _burst


def _stats_of_shots(monkeypatch, shots):
    """Count the ``os.stat`` calls on the stored shots' files (path -> count)."""
    counts = dict.fromkeys(shots, 0)
    real = os.stat

    def counting(path, *args, **kwargs):
        if isinstance(path, str) and path in counts:
            counts[path] += 1
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counting)
    return counts


def test_the_bursts_view_stats_each_shot_once_per_request(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    _burst(lib)
    _another_photo(lib / "IMG_0003.jpg")  # one shot replaced: left out, and counted
    tab = review_client((lib / ".blurscan.db", None))
    shots = [str(lib / f"IMG_000{i}.jpg") for i in (1, 2, 3)]
    counts = _stats_of_shots(monkeypatch, shots)
    data = _get(tab, "/api/bursts").get_json()
    assert data["replaced_shots"] == 1
    shown = [os.path.basename(p["path"]) for g in data["groups"] for p in g["photos"]]
    assert shown == ["IMG_0002.jpg", "IMG_0001.jpg"]
    assert counts == dict.fromkeys(shots, 1)  # the old code: 2 each

    counts.update(dict.fromkeys(shots, 0))  # a keeper choice answers with the groups too
    group = data["groups"][0]
    pick = _post(tab, f"/api/bursts/{group['group_id']}/keeper", {"id": group["photos"][1]["id"]})  # IMG_0001
    assert pick.status_code == 200 and pick.get_json()["replaced_shots"] == 1
    assert (counts[shots[1]], counts[shots[2]]) == (1, 1)  # (the shot chosen is looked at for the keep too)


def test_a_folder_in_a_ranked_shots_place_is_a_shot_gone(tmp_path):
    """A shot deleted and a folder made under its name: gone (as the grid and `report` say), not 'replaced by
    another file', which it was counted as until 2026-12-05 (the folder's stat compared as a file's)."""
    lib = tmp_path / "lib"
    _burst(lib)
    os.remove(lib / "IMG_0003.jpg")
    os.mkdir(lib / "IMG_0003.jpg")
    tab = review_client((lib / ".blurscan.db", None))
    data = _get(tab, "/api/bursts").get_json()
    assert (data["gone_shots"], data["replaced_shots"]) == (1, 0)
    assert [os.path.basename(p["path"]) for g in data["groups"] for p in g["photos"]] == ["IMG_0002.jpg",
                                                                                        "IMG_0001.jpg"]
