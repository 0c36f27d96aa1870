"""``move/trash/tag --from-bursts`` planning reads each stored group's shots' figures only for a group whose keeper
is marked discard (:func:`blurscan.bursts.standing.stored_groups`). On 2026-12-06 it came to parse every stored
shot's figures to learn that its group stands as stored: the groups of 100,000 shots took 2.4 times as long to
read (0.78 s where 0.33 s). No timing here: the shots' figures parsed are counted."""
from __future__ import annotations

from blurscan.bursts import standing

from helpers_review import review_client
from test_bursts_replaced import _dry_run
from test_review_bursts_discarded_keeper import _decide, _ids
from test_renamed_stale_burst import three_shot_burst


def test_from_bursts_planning_parses_no_figures_of_a_group_standing_as_stored(tmp_path, monkeypatch):
    lib = tmp_path / "lib"
    three_shot_burst(lib)  # IMG_0002.jpg the keeper, then IMG_0001.jpg, IMG_0003.jpg
    calls = []
    real = standing.parsed
    monkeypatch.setattr(standing, "parsed", lambda text: calls.append(text) or real(text))
    assert _dry_run(lib, tmp_path) == ({"IMG_0001.jpg", "IMG_0003.jpg"}, {})
    assert calls == []  # (before: each of the three shots')

    tab = review_client((lib / ".blurscan.db", None))
    _decide(tab, _ids(tab)["IMG_0002.jpg"], "discard")  # the keeper discarded in the review page
    assert _dry_run(lib, tmp_path) == ({"IMG_0002.jpg", "IMG_0003.jpg"}, {})  # the next shot its keeper
    assert len(calls) == 3  # (that group's shots read, as before)
