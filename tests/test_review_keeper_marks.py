"""The keep mark of a burst keeper chosen in the review page, when the person then chooses another keeper of the
same group (src/blurscan/review/keeper_marks.py): the first shot chosen loses the mark its choice made, so that
``move --from-bursts`` takes it like the group's other shots, and gets it back when the second choice is undone.
A keep the person made with ``k`` stays. The library is made of real JPEGs, scanned and grouped by the CLI."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from blurscan.cli import main
from blurscan.review.app import create_app
from helpers_images import blurred, scene
from helpers_review import BASE, CSRF, TOKEN
from helpers_sqlite import connected


def _burst(tmp_path: Path) -> Path:
    """Three shots of one scene a second apart (EXIF times), scanned and grouped: sharp.jpg the keeper."""
    lib = tmp_path / "lib"
    lib.mkdir()
    a = scene(61)
    for i, (name, img) in enumerate((("sharp", a), ("soft", blurred(a, 1.2)), ("blur", blurred(a, 3.0)))):
        exif = Image.Exif()
        exif.get_ifd(0x8769)[0x9003] = f"2024:06:01 10:00:0{i}"  # DateTimeOriginal
        Image.fromarray(img).save(lib / f"{name}.jpg", quality=92, exif=exif)
    runner = CliRunner()
    assert runner.invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"]).exit_code == 0
    assert runner.invoke(main, ["bursts", str(lib)]).exit_code == 0
    return lib


def _client(lib: Path):
    c = create_app(str(lib / ".blurscan.db"), TOKEN, port=5123).test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    return c


def _shots(c) -> dict[str, dict]:
    (group,) = c.get("/api/bursts", base_url=BASE).get_json()["groups"]
    return {p["name"]: {**p, "group_id": group["group_id"]} for p in group["photos"]}


def _pick(c, name: str) -> dict:
    """The keeper endpoint's answer (its ``change``, and ``released``: the shot whose keep mark went)."""
    shot = _shots(c)[name]
    r = c.post(f"/api/bursts/{shot['group_id']}/keeper", json={"id": shot["id"]}, base_url=BASE, headers=CSRF)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _undo(c, change: int) -> dict:
    r = c.post("/api/undo", json={"change": change}, base_url=BASE, headers=CSRF)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _taken(lib: Path) -> list[str]:
    out = CliRunner().invoke(main, ["move", "--from-bursts", "--to", str(lib.parent / "out"), str(lib)])
    assert out.exit_code == 0, out.output
    return sorted(line.split()[2] for line in out.output.splitlines() if line.startswith("would move"))


def test_a_second_keeper_choice_takes_back_the_first_ones_keep_mark_and_its_undo_puts_it_back(tmp_path):
    lib = _burst(tmp_path)
    c = _client(lib)
    first = _pick(c, "soft.jpg")
    assert first["released"] is None  # no keeper chosen before it
    assert _shots(c)["soft.jpg"]["decision"] == "keep" and _taken(lib) == ["blur.jpg", "sharp.jpg"]
    second = _pick(c, "sharp.jpg")  # a change of mind: the sharp shot after all
    shots = _shots(c)
    # the answer names the shot whose mark went, and its decision now, for the page to show (without it the
    # page's grid showed soft.jpg kept until reloaded)
    assert second["released"] == {"id": shots["soft.jpg"]["id"], "decision": None}
    assert shots["sharp.jpg"]["decision"] == "keep" and shots["soft.jpg"]["decision"] is None
    assert _taken(lib) == ["blur.jpg", "soft.jpg"]  # until 2026-12-05 soft.jpg stayed, "you marked it keep"

    undone = _undo(c, second["change"])  # the group and both marks as they were after the first choice
    shots = _shots(c)
    assert undone["released"] == {"id": shots["soft.jpg"]["id"], "decision": "keep"}  # its mark back, shown so
    assert shots["soft.jpg"]["decision"] == "keep" and shots["sharp.jpg"]["decision"] is None
    assert shots["soft.jpg"]["is_keeper"] and _taken(lib) == ["blur.jpg", "sharp.jpg"]
    assert _undo(c, first["change"])["released"] is None  # and the first choice can still be undone
    assert all(s["decision"] is None for s in _shots(c).values())


def test_a_keep_the_person_made_with_k_stays_when_another_keeper_is_chosen(tmp_path):
    lib = _burst(tmp_path)
    c = _client(lib)
    _pick(c, "soft.jpg")
    r = c.post("/api/decision", json={"id": _shots(c)["soft.jpg"]["id"], "decision": "keep"}, base_url=BASE,
               headers=CSRF)
    assert r.status_code == 200
    assert _pick(c, "sharp.jpg")["released"] is None
    assert _shots(c)["soft.jpg"]["decision"] == "keep" and _taken(lib) == ["blur.jpg"]


def test_a_keeper_chosen_in_an_earlier_run_of_the_server_loses_its_keep_mark_too(tmp_path):
    """The first keeper chosen one day, the server stopped; started again, another keeper chosen in the group:
    the first shot's keep mark goes as in one run (until 2026-12-05 it stayed, the server not knowing that choice),
    and undoing the second choice puts it back."""
    lib = _burst(tmp_path)
    _pick(_client(lib), "soft.jpg")  # one run of `blurscan review`
    c = _client(lib)  # and the next
    second = _pick(c, "sharp.jpg")
    shots = _shots(c)
    assert second["released"] == {"id": shots["soft.jpg"]["id"], "decision": None}
    assert shots["soft.jpg"]["decision"] is None and _taken(lib) == ["blur.jpg", "soft.jpg"]
    assert _undo(c, second["change"])["released"] == {"id": shots["soft.jpg"]["id"], "decision": "keep"}
    assert _shots(c)["soft.jpg"]["decision"] == "keep" and _taken(lib) == ["blur.jpg", "sharp.jpg"]


def test_a_keep_made_with_k_in_an_earlier_run_after_the_choice_stays(tmp_path):
    lib = _burst(tmp_path)
    c = _client(lib)
    first = _pick(c, "soft.jpg")
    _undo(c, first["change"])
    _pick(c, "soft.jpg")  # chosen again (the records of undone keeps are dropped)
    r = c.post("/api/decision", json={"id": _shots(c)["soft.jpg"]["id"], "decision": "keep"}, base_url=BASE,
               headers=CSRF)
    assert r.status_code == 200
    c = _client(lib)  # the next run
    assert _pick(c, "sharp.jpg")["released"] is None
    assert _shots(c)["soft.jpg"]["decision"] == "keep" and _taken(lib) == ["blur.jpg"]


def test_a_third_keeper_choice_takes_back_the_second_ones_keep_mark(tmp_path):
    """Three choices in a row (2026-12-06): the choice in effect is the latest, whose mark goes; the first's went
    with the second choice."""
    lib = _burst(tmp_path)
    c = _client(lib)
    _pick(c, "soft.jpg")
    _pick(c, "sharp.jpg")
    third = _pick(c, "blur.jpg")
    shots = _shots(c)
    assert third["released"] == {"id": shots["sharp.jpg"]["id"], "decision": None}
    assert [name for name, shot in shots.items() if shot["decision"] == "keep"] == ["blur.jpg"]
    assert _taken(lib) == ["sharp.jpg", "soft.jpg"]


def test_a_record_of_keeper_choices_damaged_by_hand_is_as_none(tmp_path):
    """The database's record of earlier runs' keeper choices not JSON, or not an object (written by hand): a
    keeper is chosen all the same, as with no record (2026-12-06)."""

    from blurscan.review.keeper_marks import KEY

    for i, damaged in enumerate(("{not json", "[1, 2]")):
        (tmp_path / str(i)).mkdir()
        lib = _burst(tmp_path / str(i))
        _pick(_client(lib), "soft.jpg")
        with connected(lib / ".blurscan.db") as conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = ?", (damaged, KEY))
        c = _client(lib)
        assert _pick(c, "sharp.jpg")["released"] is None  # (the earlier choice not known: its mark stays)
        shots = _shots(c)
        assert shots["sharp.jpg"]["is_keeper"] and shots["soft.jpg"]["decision"] == "keep"
