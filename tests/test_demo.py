"""``blurscan demo`` (what ``make demo`` runs): sample photos made offline, scanned, with one burst that
``blurscan bursts`` finds; a person's own files are never overwritten."""
from __future__ import annotations

import functools
import json
import os
import sys

import pytest
from click.testing import CliRunner

from blurscan import demo
from blurscan.cli import main
from blurscan.demo import BURST, BURST_KEEPER, MARKER, make_samples
from blurscan.errors import shell_path

#: The demo's photos of a seed, name -> bytes, as ``make_samples`` writes them: rendered once a seed (0.6 s of CPU
#: each time) for the tests to compare with, which only read them.
_render = functools.lru_cache(maxsize=None)(demo._render)


def _rows(folder, *command: str) -> list[dict]:
    out = CliRunner().invoke(main, [*command, str(folder), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    return [json.loads(line) for line in out.output.splitlines() if line.startswith("{")]


def _name(path: str) -> str:
    return path.rsplit("/", 1)[1]


def _verdicts(folder) -> dict[str, str]:
    return {_name(r["path"]): r["verdict"] for r in _rows(folder, "report")}


def test_demo_writes_the_samples_and_ranks_them(tmp_path):
    folder = tmp_path / "photos"
    out = CliRunner().invoke(main, ["demo", str(folder)])
    assert out.exit_code == 0, out.output
    verdicts = _verdicts(folder)
    assert len(verdicts) == 13 and (folder / MARKER).is_file()
    # the real camera-shake photo and the strongly blurred copies are found; their sharp originals are kept
    for name in ("clock-real-camera-shake.jpg", "coffee-out-of-focus.jpg", "chelsea-cat-shaken.jpg"):
        assert verdicts[name] == "blurry", name
    for name in ("coffee.jpg", "chelsea-cat.jpg", "rocket.jpg", "astronaut-soft-background.jpg"):
        assert verdicts[name] != "blurry", name
    again = CliRunner().invoke(main, ["demo", str(folder)])  # a demo folder may be written again
    assert again.exit_code == 0, again.output


def test_demo_has_one_burst_and_bursts_keeps_its_sharp_shot(tmp_path):
    folder = tmp_path / "photos"
    out = CliRunner().invoke(main, ["demo", str(folder)])
    assert out.exit_code == 0, out.output
    # the demo says what to try next, with this folder
    assert f"`blurscan bursts {shell_path(folder)}` groups the 3 cameraman-burst-* shots" in out.output
    assert f"proposes {BURST_KEEPER} as keeper" in out.output
    shots = sorted(f"{stem}.jpg" for stem, *_ in BURST)
    assert len(shots) == 3 and BURST_KEEPER in shots
    # every photo has an EXIF capture time; the shots were taken within a second (0.4 s apart)
    taken = {_name(r["path"]): r["captured_at"] for r in _rows(folder, "report")}
    assert all(taken.values()), taken
    assert sorted(taken[s] for s in shots) == ["2024-06-01T12:20:00"] * 3
    # the burst is the only group (the sharp photos and their blurred copies are not bursts), keeper the sharp shot
    groups = _rows(folder, "bursts")
    assert len(groups) == 1, groups
    (group,) = groups
    assert sorted(_name(m["path"]) for m in group["members"]) == shots
    assert _name(group["keeper"]) == BURST_KEEPER and group["chosen_by"] == "auto"
    assert [m["rank"] for m in group["members"]] == [1, 2, 3] and group["members"][0]["is_keeper"]
    # ... because it is the sharpest: no other shot beats it on the model's subject figure or the classical one
    keeper, *others = group["members"]
    assert all(keeper["subject_p_blurry"] <= m["subject_p_blurry"] for m in others), group
    assert all(keeper["sharpness"] > m["sharpness"] for m in others), group


def test_demo_never_overwrites_a_persons_files(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "coffee.jpg").write_bytes(b"my own photo")
    out = CliRunner().invoke(main, ["demo", str(folder)])
    assert out.exit_code == 2
    assert "not blurscan's demo photos (such as coffee.jpg): nothing was written" in out.output
    assert sorted(p.name for p in folder.iterdir()) == ["coffee.jpg"]
    assert (folder / "coffee.jpg").read_bytes() == b"my own photo"


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def test_an_earlier_demo_folder_keeps_a_persons_file_under_a_demo_name(tmp_path):
    """Once a folder held the demo's marker, a second `blurscan demo` (what `make demo` runs each time) wrote
    every demo photo again, over a person's own coffee.jpg put there since (exit 0, the photo gone)."""
    folder = tmp_path / "demo"
    make_samples(folder)
    (folder / "coffee.jpg").write_bytes(b"my own photo")
    before = _files(folder)
    out = CliRunner().invoke(main, ["demo", str(folder)])
    assert out.exit_code == 2, out.output
    assert "not blurscan's demo photos (such as coffee.jpg): nothing was written" in out.output
    assert _files(folder) == before and (folder / "coffee.jpg").read_bytes() == b"my own photo"


def test_an_earlier_demo_folder_never_writes_through_a_link(tmp_path):
    """A link under a demo photo's name was written through: the demo replaced a photo outside its folder."""
    folder, elsewhere = tmp_path / "demo", tmp_path / "my-photos"
    make_samples(folder)
    elsewhere.mkdir()
    for i, target in enumerate([b"my holiday photo", _render(2024)["coffee.jpg"]]):  # (even one the same)
        mine = elsewhere / f"holiday-{i}.jpg"
        mine.write_bytes(target)
        (folder / "coffee.jpg").unlink()
        (folder / "coffee.jpg").symlink_to(mine)
        out = CliRunner().invoke(main, ["demo", str(folder)])
        assert out.exit_code == 2, out.output
        assert "(such as coffee.jpg): nothing was written" in out.output
        assert (folder / "coffee.jpg").is_symlink() and mine.read_bytes() == target


@pytest.mark.slow
def test_a_demo_folder_is_written_again_with_another_seed(tmp_path):
    """The photos an earlier demo wrote (another --seed: other blurred copies) are rewritten, as the marker lists
    them; a fresh folder gets exactly the rendered bytes, and a folder from before is left as it is."""
    folder = tmp_path / "demo"
    make_samples(folder, seed=7)
    assert _files(folder) == _render(7)
    assert all(p.name in (folder / MARKER).read_text() for p in folder.iterdir() if p.name != MARKER)
    make_samples(folder)
    assert _files(folder) == _render(2024) != _render(7)
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert sorted(make_samples(folder)) == sorted(folder / name for name in _render(2024))
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.name != MARKER} == \
        {name: ns for name, ns in stamps.items() if name != MARKER}
    # a folder made before the marker listed the photos (it was empty) is still a demo folder
    (folder / MARKER).write_text("")
    (folder / "own-notes.txt").write_text("mine")
    make_samples(folder)
    assert _files(folder) == {**_render(2024), "own-notes.txt": b"mine"}


def test_demo_without_scikit_image_is_an_error_not_a_usage_mistake(tmp_path, monkeypatch):
    """Without the demo extra it exited with 2, the code the docs give usage errors only."""
    monkeypatch.setitem(sys.modules, "skimage", None)  # (import skimage.data: ImportError)
    out = CliRunner().invoke(main, ["demo", str(tmp_path / "photos")])
    assert out.exit_code == 1, out.output
    assert out.stderr == "Error: the demo photos come from scikit-image: pip install 'blurscan[demo]'\n"
    assert not (tmp_path / "photos").exists()


def test_demo_help_says_where_the_photos_go_by_default():
    """`blurscan demo` with no FOLDER writes demo/photos under the current folder; its --help did not say so
    (a walkthrough ran it from an installed wheel and found the photos only in the message afterwards)."""
    out = CliRunner().invoke(main, ["demo", "--help"])
    assert out.exit_code == 0 and "default: demo/photos, under the current folder" in out.output
    assert main.commands["demo"].params[0].default == "demo/photos"


def test_the_next_commands_run_the_blurscan_that_ran_when_it_is_not_on_path(tmp_path, monkeypatch):
    """`make demo` runs .venv/bin/blurscan; the `blurscan bursts demo/photos` it suggested said "command not found"
    to a new user, whose PATH lacks .venv/bin."""
    from blurscan.typed_commands import program as _command

    script = tmp_path / ".venv" / "bin" / "blurscan"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", [str(script), "demo"])
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert _command() == shell_path(script)  # (absolute: until 2026-12-07 .venv/bin/blurscan, found from here only)
    monkeypatch.setenv("PATH", f"{script.parent}:/usr/bin:/bin")
    assert _command() == "blurscan"
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # (the script not under the current folder: its full path)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert _command() == shell_path(script)  # (a word to paste: quoted)


@pytest.mark.slow
def test_the_next_commands_pasted_in_another_folder_run_this_blurscan_on_the_demo(tmp_path, monkeypatch):
    """`make demo` runs ``.venv/bin/blurscan demo FOLDER``, both relative (here named with a space and a quote):
    the `bursts` and `review` it suggests, pasted in another folder (another terminal tab, whose PATH lacks
    .venv/bin), run that blurscan on the demo's photos. Until 2026-12-07 both were named as typed
    (`.venv/bin/blurscan bursts demo/photos`), which there found no such program, nor folder."""
    import re
    import shlex
    import subprocess

    import blurscan.review.server as server_mod
    from helpers_cli import IMPORT_ROOT, run_from

    project, elsewhere = tmp_path / "my pro'ject", tmp_path / "else" / "where"
    script = project / ".venv" / "bin" / "blurscan"  # (a console script, as pip writes it)
    script.parent.mkdir(parents=True)
    elsewhere.mkdir(parents=True)
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom blurscan.__main__ import run\nsys.exit(run())\n")
    script.chmod(0o755)
    env = dict(os.environ, PATH="/usr/bin:/bin", PYTHONPATH=IMPORT_ROOT)
    made = subprocess.run([".venv/bin/blurscan", "demo", "ph o'tos"], cwd=project, env=env, capture_output=True,
                          text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    bursts, review = (shlex.split(c) for c in re.findall(r"`([^`]*)`", made.stderr.split("\nNext, bursts:")[1]))
    assert bursts[1] == "bursts" and review[:2] == [bursts[0], "review"], made.stderr
    try:
        grouped = subprocess.run(bursts, cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    except FileNotFoundError as exc:
        pytest.fail(f"{bursts} pasted in {elsewhere}: {exc}")
    assert grouped.returncode == 0 and "1 burst group" in grouped.stderr, grouped.stdout + grouped.stderr
    assert re.search(rf"keep\s+1\s+{re.escape(BURST_KEEPER)}", grouped.stdout), grouped.stdout
    opened = []

    def served(db_path, **kwargs):  # (the page itself is not what is tested: the database it serves is)
        opened.append(db_path)
        raise SystemExit(0)

    monkeypatch.setattr(server_mod, "ReviewServer", served)
    shown = run_from(elsewhere, *review[1:], "--no-browser")  # (its program ran above)
    assert shown.returncode == 0 and len(opened) == 1, shown.stdout + shown.stderr
    assert os.path.samefile(opened[0], project / "ph o'tos" / ".blurscan.db")
    assert os.listdir(elsewhere) == []


def test_a_demo_folder_an_older_blurscan_made_is_written_again(tmp_path):
    """An older blurscan's demo folder has an empty marker and photos of another seed (or JPEG encoder): the
    marker's hashes cannot recognise them, and such a folder was refused as "not blurscan's demo photos" (`make
    demo` after an upgrade, exit 2). Its photos are recognised by their pictures now; a person's own photo of
    the same size under a demo name is still refused, and a link still never written through."""
    import cv2
    import numpy as np

    folder = tmp_path / "demo"
    folder.mkdir()
    for name, data in _render(7).items():
        (folder / name).write_bytes(data)
    (folder / MARKER).write_text("")
    assert CliRunner().invoke(main, ["demo", str(folder)]).exit_code == 0
    assert _files(folder) == _render(2024)

    size = cv2.imdecode(np.frombuffer(_render(2024)["coffee.jpg"], np.uint8), cv2.IMREAD_COLOR).shape
    own = np.random.default_rng(0).integers(0, 256, size, dtype=np.uint8)
    own = cv2.GaussianBlur(own, (0, 0), 3)  # (a photo of the same size, not the demo's)
    (folder / "coffee.jpg").write_bytes(cv2.imencode(".jpg", own)[1].tobytes())
    (folder / MARKER).write_text("")
    before = _files(folder)
    out = CliRunner().invoke(main, ["demo", str(folder)])
    assert out.exit_code == 2 and "(such as coffee.jpg): nothing was written" in out.output
    assert _files(folder) == before

    mine = tmp_path / "mine.jpg"
    mine.write_bytes(_render(7)["coffee.jpg"])
    (folder / "coffee.jpg").unlink()
    (folder / "coffee.jpg").symlink_to(mine)
    assert CliRunner().invoke(main, ["demo", str(folder)]).exit_code == 2
    assert (folder / "coffee.jpg").is_symlink() and mine.read_bytes() == _render(7)["coffee.jpg"]


def test_a_demo_photo_the_disk_cannot_hold_is_named(tmp_path):
    """On a full disk (here a file-size limit, SIGXFSZ ignored: a write past it fails, as a full disk's does) the
    error named the folder, "photos: cannot write the demo photos: file too large", not the file that did not fit
    (until 2026-12-06); nothing cut short is left."""
    import re
    import subprocess

    resource = pytest.importorskip("resource")
    folder = tmp_path / "photos"

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))  # the marker fits, no photo does

    result = subprocess.run([sys.executable, "-m", "blurscan", "demo", str(folder)], capture_output=True, text=True,
                            timeout=120, preexec_fn=small_disk)
    assert result.returncode == 1, result.stderr
    match = re.fullmatch(r"Error: (.+): cannot write the demo photos: file too large\n", result.stderr)
    assert match and os.path.dirname(match[1]) == str(folder) and match[1].endswith(".jpg"), result.stderr
    assert [p.name for p in folder.iterdir()] == [MARKER]  # (the photo cut short removed)


def test_a_demo_folder_that_cannot_be_written_is_named_with_the_file():
    """A folder this user may not write (root's ``0755``, the demo run as ``nobody``; when not root, ``0555``): the
    error named the hidden temporary file it could not make (``.blurscan-demo.1a2b3c4d.tmp``), not the file it was
    to write (until 2026-12-06). Since 2026-12-06 such a folder is refused before any photo is made, a usage error
    naming it, as ``evaluate --out`` refuses one (and as root, a folder with no write bit: it was written)."""
    import shutil
    import tempfile

    from helpers_os import run_unprivileged

    base = tempfile.mkdtemp(prefix="blurscan-demo-")
    folder = os.path.join(base, "photos")
    try:
        os.chmod(base, 0o755)
        os.mkdir(folder, 0o755 if os.geteuid() == 0 else 0o555)
        os.chmod(folder, 0o755 if os.geteuid() == 0 else 0o555)

        def demo():
            result = CliRunner().invoke(main, ["demo", folder])
            return [result.exit_code, result.stderr]

        _render(0)  # (every module the demo imports loaded: the child may not read them)
        code, output = run_unprivileged(demo)
        assert os.listdir(folder) == []
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(base, ignore_errors=True)
    assert code == 2 and output == f"Error: {folder}: cannot be written: {folder} is read-only or not yours\n", output


def test_a_folder_that_may_be_written_but_not_entered_is_named_by_unwritable_above():
    """A folder with its write bit but not its search bit (``0722`` for a user not its owner, ``0200`` for its
    owner) cannot take a file: it is the folder ``unwritable_above`` names, which demo's FOLDER and synth's OUT are
    refused by before any work (mutation testing: checking the write bit alone went unnoticed)."""
    import shutil
    import tempfile

    from blurscan.permissions import unwritable_above
    from helpers_os import run_unprivileged

    base = tempfile.mkdtemp(prefix="blurscan-demo-")
    folder = os.path.join(base, "locked")
    try:
        os.chmod(base, 0o755)
        os.mkdir(folder)
        os.chmod(folder, 0o722 if os.geteuid() == 0 else 0o200)
        assert run_unprivileged(lambda: unwritable_above(os.path.join(folder, "photos"))) == folder
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(base)
