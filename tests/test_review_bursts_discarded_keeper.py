"""A burst's keeper marked discard in the review page gives its place at once to the next shot of the ranking not
discarded: in the bursts view (the JSON the page reads), and in what ``move --from-bursts`` takes; a discard
undone, or changed to keep, puts the group back. Until 2026-12-06 the view went on showing the discarded shot as
the keeper until ``blurscan bursts`` ran again, and ``move --from-bursts`` left the burst's other shots ("run
`blurscan bursts` again"). Nothing is written to the groups: scores and the stored ranking stay. A real generated
burst of three (IMG_0002.jpg the sharpest), scanned and ranked through the CLI; the real review app's client."""
from __future__ import annotations

import json
import os

from blurscan.review import bursts_view
from blurscan.store import Store
from helpers_review import _get, _post, review_client
from helpers_sqlite import connected
from test_bursts_replaced import _dry_run
from test_renamed_stale_burst import _groups, _run, three_shot_burst


def _view(tab) -> list[tuple[str, bool, int, str]]:
    """The one group as the page reads it: (name, keeper, rank, reason) of each shot, in order; and its heading."""
    (group,) = _get(tab, "/api/bursts").get_json()["groups"]
    return group["chosen_by"], [(p["name"], p["is_keeper"], p["rank"], p["reason"]) for p in group["photos"]]


def _ids(tab) -> dict[str, dict]:
    return {p["name"]: p for g in _get(tab, "/api/bursts").get_json()["groups"] for p in g["photos"]}


def _stored(lib) -> list[tuple]:
    with connected(lib / ".blurscan.db") as conn:
        return conn.execute("SELECT path, rank, is_keeper, reason, figures, chosen_by FROM burst_groups "
                            "ORDER BY path").fetchall()


def _decide(tab, shot: dict, decision):
    answer = _post(tab, "/api/decision", {"id": shot["id"], "v": shot["v"], "decision": decision})
    assert answer.status_code == 200, answer.data
    return answer.get_json()


def test_a_keeper_discarded_in_the_review_page_gives_its_place_at_once_and_an_undo_takes_it_back(tmp_path):
    lib = tmp_path / "lib"
    three_shot_burst(lib)  # IMG_0002.jpg the keeper, then IMG_0001.jpg, IMG_0003.jpg
    stored = _stored(lib)
    tab = review_client((lib / ".blurscan.db", None))
    before = _view(tab)
    assert [shot[:3] for shot in before[1]] == [("IMG_0002.jpg", True, 1), ("IMG_0001.jpg", False, 2),
                                                ("IMG_0003.jpg", False, 3)]
    shots = _ids(tab)

    # a candidate discarded: nothing changes in the group, and the page is not asked to read it again
    assert "bursts_changed" not in _decide(tab, shots["IMG_0003.jpg"], "discard")
    assert _view(tab) == before
    assert "bursts_changed" not in _decide(tab, shots["IMG_0003.jpg"], None)

    answer = _decide(tab, shots["IMG_0002.jpg"], "discard")
    assert answer["bursts_changed"] is True  # (the page reads the groups again: bursts.js groupsAgain)
    chosen_by, now = _view(tab)
    assert chosen_by == "auto"
    assert [shot[:3] for shot in now] == [("IMG_0001.jpg", True, 1), ("IMG_0003.jpg", False, 2),
                                          ("IMG_0002.jpg", False, 3)]
    assert "IMG_0002.jpg" in now[0][3] and "marked discard" in now[0][3]
    assert now[2][3] == "you marked it discard: IMG_0001.jpg is proposed instead"
    # the answer written shot by shot from one request to the next (bursts_view.Written) is the plain one
    with Store(lib / ".blurscan.db") as store:
        plain = bursts_view.view(store)["groups"]
    assert _get(tab, "/api/bursts").get_json()["groups"] == json.loads(json.dumps(plain))
    # move --from-bursts takes the discard and the shot behind the new keeper; none left asking for `bursts`
    assert _dry_run(lib, tmp_path) == ({"IMG_0002.jpg", "IMG_0003.jpg"}, {})
    assert _stored(lib) == stored  # nothing written to the groups: the ranking and its figures stay

    undo = _post(tab, "/api/undo", {"change": answer["change"], "id": shots["IMG_0002.jpg"]["id"]})
    assert undo.status_code == 200 and undo.get_json()["bursts_changed"] is True
    assert _view(tab) == before
    assert _dry_run(lib, tmp_path) == ({"IMG_0001.jpg", "IMG_0003.jpg"}, {})

    # discarded, then kept: the keeper again
    _decide(tab, shots["IMG_0002.jpg"], "discard")
    assert _decide(tab, shots["IMG_0002.jpg"], "keep")["bursts_changed"] is True
    assert [shot[:3] for shot in _view(tab)[1]] == [shot[:3] for shot in before[1]]

    # what the view and the move said is what `blurscan bursts` proposes when it ranks the burst again
    _decide(tab, shots["IMG_0002.jpg"], "discard")
    derived, taken = _groups(lib), _dry_run(lib, tmp_path)
    _run("bursts", str(lib))
    assert _groups(lib) == derived == [[("IMG_0001.jpg", True), ("IMG_0003.jpg", False), ("IMG_0002.jpg", False)]]
    assert _dry_run(lib, tmp_path) == taken


def test_a_keeper_chosen_in_the_page_then_discarded_gives_way_and_comes_back_with_the_undo(tmp_path):
    lib = tmp_path / "lib"
    three_shot_burst(lib)
    tab = review_client((lib / ".blurscan.db", None))
    shots = _ids(tab)
    group_id = _get(tab, "/api/bursts").get_json()["groups"][0]["group_id"]
    pick = _post(tab, f"/api/bursts/{group_id}/keeper", {"id": shots["IMG_0003.jpg"]["id"],
                                                          "v": shots["IMG_0003.jpg"]["v"]})
    assert pick.status_code == 200
    chosen = _view(tab)
    assert chosen[0] == "person" and chosen[1][0][:2] == ("IMG_0003.jpg", True)

    answer = _decide(tab, shots["IMG_0003.jpg"], "discard")  # (its keep mark, from the choice, replaced)
    assert answer["bursts_changed"] is True
    chosen_by, now = _view(tab)
    assert chosen_by == "auto"  # the keeper is proposed now, not the person's
    assert [shot[:2] for shot in now] == [("IMG_0002.jpg", True), ("IMG_0001.jpg", False), ("IMG_0003.jpg", False)]
    assert _dry_run(lib, tmp_path) == ({"IMG_0001.jpg", "IMG_0003.jpg"}, {})

    assert _post(tab, "/api/undo", {"change": answer["change"],
                                    "id": shots["IMG_0003.jpg"]["id"]}).get_json()["bursts_changed"] is True
    assert _view(tab) == chosen
    # and the keeper choice itself undoes as before: the group as `bursts` ranked it
    assert _post(tab, "/api/undo", {"change": pick.get_json()["change"],
                                    "id": shots["IMG_0003.jpg"]["id"]}).status_code == 200
    assert [shot[:2] for shot in _view(tab)[1]][0] == ("IMG_0002.jpg", True)


def test_a_keeper_discarded_while_a_move_from_bursts_runs_leaves_the_shot_now_its_keeper(tmp_path):
    """The move planned with IMG_0002.jpg the keeper (IMG_0001.jpg and IMG_0003.jpg to take); the keeper discarded
    in the review page before the move reached them (its confirmation prompt open): IMG_0001.jpg, the keeper now,
    is left, as a shot made the keeper by a `bursts` run meanwhile is. It was taken: the burst kept only the shot
    the person had just discarded."""
    from blurscan.actions import execute, plan_move
    from blurscan.actions.fresh_decisions import KEEPER_SINCE
    from test_bursts_discarded import _discard

    lib = tmp_path / "lib"
    three_shot_burst(lib)
    with Store(lib / ".blurscan.db") as store:
        plan = plan_move(store, tmp_path / "rejects", from_bursts=True)
        assert sorted(os.path.basename(p.photo) for p in plan.photos) == ["IMG_0001.jpg", "IMG_0003.jpg"]
        _discard(lib, "IMG_0002.jpg")  # (the review page: another connection)
        result = execute(store, plan)
    assert dict(result.skipped) == {str(lib / "IMG_0001.jpg"): KEEPER_SINCE}
    assert (lib / "IMG_0001.jpg").exists() and (lib / "IMG_0002.jpg").exists()
    assert not (lib / "IMG_0003.jpg").exists() and (tmp_path / "rejects" / "IMG_0003.jpg").exists()
