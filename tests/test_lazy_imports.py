"""rawpy (LibRaw) and pillow-heif (libheif) are imported on the first RAW / HEIC file, not when a scan worker
starts: importing them cost every worker process about 15 ms, in libraries without a single RAW or HEIC file.
Each check runs in a fresh interpreter (this one has imported both long ago) that scans with ``workers=1``: the
code a worker process runs, in the calling process. And the command line's help and version load none of the
heavy libraries a command uses, nor do the commands that read the store and move files (``undo``, ``move``,
``trash``, ``tag``, ``report``) load NumPy or the bursts grouping; ``review`` loads them, OpenCV and Pillow only
when its page needs them (a thumbnail made, a photo's EXIF)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import cv2
import pytest
from PIL import Image

from helpers_images import save_jpeg, save_png, textured

_SCAN = """
import json, sys
import blurscan
from blurscan.config import ScanSettings

records = list(blurscan.scan(sys.argv[1:], ScanSettings(workers=1)))
print(json.dumps({"records": {r.path.rsplit("/", 1)[1]: [r.status, r.format, r.width, r.height, r.note]
                              for r in records},
                  "loaded": [m for m in ("rawpy", "pillow_heif") if m in sys.modules]}))
"""


def _scan_fresh(*paths) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, "-c", _SCAN, *map(str, paths)], capture_output=True, text=True,
                         timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_library_of_jpegs_and_pngs_loads_neither_rawpy_nor_pillow_heif(tmp_path):
    save_jpeg(tmp_path / "IMG_0001.JPG", textured(1))
    save_png(tmp_path / "IMG_0002.png", textured(2))
    save_jpeg(tmp_path / "IMG_0003.heic", textured(3))  # a JPEG whose suffix says HEIC: judged by its content
    got = _scan_fresh(tmp_path)
    assert got["records"] == {"IMG_0001.JPG": ["ok", "JPEG", 320, 240, None],
                              "IMG_0002.png": ["ok", "PNG", 320, 240, None],
                              "IMG_0003.heic": ["ok", "JPEG", 320, 240, None]}
    assert got["loaded"] == []


@pytest.mark.slow
def test_a_heic_named_jpg_and_a_raw_are_still_read_loading_their_library(tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    pytest.importorskip("tifffile")
    from helpers_raw import write_dng

    save_jpeg(tmp_path / "IMG_0001.JPG", textured(1))
    pillow_heif.from_pillow(Image.fromarray(textured(4))).save(tmp_path / "IMG_0004.jpg", quality=90)  # HEIC inside
    write_dng(tmp_path / "DSC_0005.DNG", textured(5, (400, 600)))
    got = _scan_fresh(tmp_path)
    assert got["records"] == {"IMG_0001.JPG": ["ok", "JPEG", 320, 240, None],
                              "IMG_0004.jpg": ["ok", "HEIF", 320, 240, None],
                              "DSC_0005.DNG": ["ok", "DNG", 600, 400, None]}
    assert sorted(got["loaded"]) == ["pillow_heif", "rawpy"]
    # the HEIC alone, in a fresh interpreter: the HEIF opener registered on its first decode, not before
    only = _scan_fresh(tmp_path / "IMG_0004.jpg")
    assert only["records"] == {"IMG_0004.jpg": ["ok", "HEIF", 320, 240, None]} and only["loaded"] == ["pillow_heif"]


@pytest.mark.slow
def test_a_small_heic_beside_its_raw_is_judged_from_the_raw_in_a_fresh_process(tmp_path):
    """A RAW + HEIC pair whose HEIC is below the analysis size: the pair's header read (before any decode) needs
    Pillow's HEIF opener to tell the HEIC's size; without it the small HEIC itself was judged."""
    pillow_heif = pytest.importorskip("pillow_heif")
    pytest.importorskip("tifffile")
    from helpers_raw import write_dng

    rgb = textured(6, (1024, 1536))
    write_dng(tmp_path / "IMG_0006.DNG", rgb)
    small = cv2.resize(rgb, (768, 512), interpolation=cv2.INTER_AREA)
    pillow_heif.from_pillow(Image.fromarray(small)).save(tmp_path / "IMG_0006.HEIC", quality=90)
    got = _scan_fresh(tmp_path)
    assert got["records"] == {"IMG_0006.HEIC": [
        "ok", "DNG", 1536, 1024,
        "judged from the RAW twin IMG_0006.DNG: this file is 768 px on its long side, below the analysis size "
        "(1024 px)"]}


_CLI_HELP = """
import json, sys
import blurscan.cli

HEAVY = ("numpy", "cv2", "PIL", "onnxruntime", "rich", "flask", "sqlite3", "torch", "rawpy", "pillow_heif")
imported = [m for m in HEAVY if m in sys.modules]
from click.testing import CliRunner

runner = CliRunner()
runs = [["--help"], ["--version"]] + [[name, "--help"] for name in sorted(blurscan.cli.main.commands)]
codes = {" ".join(args): runner.invoke(blurscan.cli.main, args).exit_code for args in runs}
print(json.dumps({"imported": imported, "after_help": [m for m in HEAVY if m in sys.modules], "codes": codes}))
"""


def test_the_command_line_and_every_help_load_no_heavy_library():
    """``blurscan --help``, ``--version`` and a command's ``--help`` build the click commands and say their help:
    they loaded numpy (blurscan.records' annotations), OpenCV (``train``'s default epochs, from the training
    module), sqlite3 (the library folder's module) and more: about 0.35 s of the 0.4 s ``blurscan --version``
    took, and a longer window in which a Ctrl-C was Python's own traceback rather than blurscan's line."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, "-c", _CLI_HELP], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["imported"] == []
    assert got["after_help"] == []
    assert len(got["codes"]) > 10 and set(got["codes"].values()) == {0}, got["codes"]


_COMMAND = """
import json, sys
from blurscan.cli import main

try:
    main(sys.argv[1:], prog_name="blurscan")
except SystemExit as exit:
    code = exit.code
HEAVY = ("numpy", "cv2", "PIL", "onnxruntime", "torch", "rawpy", "pillow_heif", "blurscan.bursts",
         "blurscan.bursts.grouping")
print(json.dumps({"code": code, "loaded": [m for m in HEAVY if m in sys.modules]}))
"""


def _command_fresh(*args, env: dict) -> tuple[int, list[str], str]:
    """The command line run in a fresh interpreter: its exit code, the heavy libraries it left loaded, its output."""
    out = subprocess.run([sys.executable, "-c", _COMMAND, *map(str, args)], capture_output=True, text=True,
                         timeout=120, env=env)
    *said, last = out.stdout.strip().splitlines()
    got = json.loads(last)
    return got["code"], got["loaded"], "\n".join(said) + out.stderr


@pytest.mark.slow
def test_the_cleanup_commands_undo_and_report_load_no_numpy_nor_the_bursts_grouping(tmp_path):
    """``undo``, ``move``, ``trash``, ``tag`` and ``report`` read the store and move files: none needs NumPy, OpenCV,
    Pillow, ONNX Runtime or the bursts grouping (NumPy, hashes, union-find). Until 2026-12-07 each loaded NumPy
    through :mod:`blurscan.actions.fresh_decisions` -> ``bursts.standing`` -> the ``blurscan.bursts`` package ->
    ``grouping`` (``undo --list``: 25 -> 41 MiB peak since 2026-12-06); ``--from-bursts`` did before that too. Each
    command runs in a fresh interpreter on a library with discards and a stored burst group (``--from-bursts --yes``
    reads a shot's standing in its burst as it takes it), and is seen to do its work; only ``--from-bursts`` loads
    the bursts package (light: the stored groups' readers), and ``bursts``, which groups, is the control that loads
    them all."""
    from blurscan.store import db_path
    from helpers_library import build_library, decide

    root = tmp_path / "lib"
    store, f = build_library(root)
    for name in ("IMG_1.JPG.xmp", "IMG_1.CR2.xmp", "IMG_5.xmp"):  # (random bytes there: tag would refuse them)
        os.remove(f[name])
    decide(store, f["IMG_4"], "discard")
    with store.transaction() as conn:  # a burst: IMG_3 its keeper, IMG_5.heic a shot to take
        for rank, key in enumerate(["IMG_3", "IMG_5h"], 1):
            conn.execute("INSERT INTO burst_groups (group_id, path, rank, is_keeper) VALUES (1, ?, ?, ?)",
                         (db_path(f[key]), rank, int(rank == 1)))
    store.close()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
           "XDG_DATA_HOME": str(tmp_path / "home" / "data")}
    rejects = tmp_path / "rejects"
    runs = [(["undo", "--list", root], "No batches."),
            (["report", root], "IMG_4.jpg"),
            (["move", "--to", rejects, "--from-bursts", root], "IMG_5.heic"),
            (["move", "--to", rejects, "--from-bursts", "--yes", root], None),
            (["undo", "--list", root], "move"),
            (["undo", root], None),
            (["trash", "--all-blurry", root], "IMG_1.JPG"),
            (["trash", "--all-blurry", "--yes", root], None),
            (["undo", root], None),
            (["tag", "--xmp", "--dry-run", root], "IMG_1.JPG"),
            (["tag", "--xmp", "--yes", root], None),
            (["undo", root], None)]
    for args, shown in runs:
        code, loaded, said = _command_fresh(*args, env=env)
        assert code == 0, (args, said)
        assert shown is None or shown in said, (args, said)
        # (the stored groups are read with --from-bursts alone; undo and the other batches need no bursts module)
        assert loaded == (["blurscan.bursts"] if "--from-bursts" in args else []), (args, loaded)
        if args[:2] == ["move", "--to"] and "--yes" in args:
            assert not os.path.exists(f["IMG_4"]) and not os.path.exists(f["IMG_5h"]) and os.path.exists(f["IMG_3"])
        if args[0] == "tag" and "--yes" in args:
            assert os.path.exists(f["IMG_1"] + ".xmp")
    # every batch undone: the photos back, the sidecars tag made gone
    assert all(os.path.exists(f[k]) for k in ("IMG_1", "IMG_2", "IMG_4", "IMG_5", "IMG_5h"))
    assert not os.path.exists(f["IMG_1"] + ".xmp")
    code, loaded, said = _command_fresh("bursts", root, env=env)  # (the control: grouping needs them)
    assert code == 0, said
    assert "numpy" in loaded and "blurscan.bursts.grouping" in loaded


_REVIEW = """
import http.client, json, sys
from blurscan.review import server

HEAVY = ("numpy", "cv2", "PIL.Image", "onnxruntime", "rawpy", "pillow_heif", "blurscan.decode",
         "blurscan.bursts.grouping")
seen = {}


def loaded():
    return [m for m in HEAVY if m in sys.modules]


def wait(self):  # (the page asked for as a browser would, from the command's own wait; then Ctrl-C)
    def get(path, cookie=None, status=200):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        answer = conn.getresponse()
        body = answer.read()
        conn.close()
        assert answer.status == status, (path, answer.status, body[:300])
        return answer, body

    seen["started"] = loaded()
    cookie = get(f"/?token={self.token}", status=303)[0].getheader("Set-Cookie").split(";")[0]
    page = get("/", cookie)[1]
    seen["page"] = [loaded(), b"blurscan-csrf" in page]
    items = json.loads(get("/api/items", cookie)[1])["items"]
    seen["items"] = [loaded(), sorted(it["name"] for it in items)]
    groups = json.loads(get("/api/bursts", cookie)[1])["groups"]
    seen["bursts"] = [loaded(), [[m["name"] for m in g["photos"]] for g in groups]]
    detail = json.loads(get(f"/api/item/{items[0]['id']}", cookie)[1])
    seen["detail"] = [loaded(), detail["name"]]
    answer, thumb = get(f"/thumb/{items[0]['id']}?v={items[0]['v']}", cookie)
    seen["thumb"] = [loaded(), answer.getheader("Content-Type"), thumb[:3] == b"\\xff\\xd8\\xff"]
    raise KeyboardInterrupt


server.ReviewServer.wait = wait
from blurscan.cli import main

try:
    main(sys.argv[1:], prog_name="blurscan")
except SystemExit as exit:
    seen["code"] = exit.code
print(json.dumps(seen))
"""


@pytest.mark.slow
def test_the_review_page_loads_numpy_opencv_and_pillow_when_a_thumbnail_is_made(tmp_path):
    """``blurscan review`` starts, answers its page, the flagged photos, the bursts view (the stored groups, read)
    and a photo's detail without NumPy, OpenCV, the bursts grouping or the decoders; Pillow comes with the detail's
    EXIF, and a thumbnail made loads the decoding (OpenCV, NumPy) it needs. Until 2026-12-07 the command loaded them
    all before its first page: the review app imported :mod:`blurscan.decode` (for a Pillow pixel limit that
    :mod:`blurscan.pillowguard` has set since 2026-12-06) and the command's quieting of the native decoders imported
    :mod:`blurscan.jpeg`: 74 MiB resident at the first page, 42 without them. The real command line runs in a fresh
    interpreter, the page asked for over HTTP from its own wait, then stopped as by Ctrl-C."""
    from blurscan.store import db_path
    from helpers_library import build_library

    root = tmp_path / "lib"
    store, f = build_library(root)
    with store.transaction() as conn:  # a burst: IMG_3 its keeper, IMG_5.heic a shot of it
        for rank, key in enumerate(["IMG_3", "IMG_5h"], 1):
            conn.execute("INSERT INTO burst_groups (group_id, path, rank, is_keeper) VALUES (1, ?, ?, ?)",
                         (db_path(f[key]), rank, int(rank == 1)))
    store.close()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
           "XDG_CACHE_HOME": str(tmp_path / "home" / "cache")}
    out = subprocess.run([sys.executable, "-c", _REVIEW, "review", "--no-browser", root], capture_output=True,
                         text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["code"] == 130 and "Stopped." in out.stdout, out
    assert seen["started"] == [] and seen["page"] == [[], True]
    assert seen["items"] == [[], ["IMG_1.JPG", "IMG_2.jpg", "IMG_4.jpg", "IMG_5.jpg"]]
    assert seen["bursts"] == [[], [["IMG_3.jpg", "IMG_5.heic"]]]
    assert seen["detail"] == [["PIL.Image"], "IMG_1.JPG"]  # (its EXIF read; neither pillow-heif nor NumPy for it)
    loaded, kind, jpeg = seen["thumb"]
    assert kind == "image/jpeg" and jpeg
    assert {"numpy", "cv2", "PIL.Image", "blurscan.decode"} <= set(loaded)
    assert not {"onnxruntime", "blurscan.bursts.grouping"} & set(loaded)
