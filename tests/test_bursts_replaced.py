"""A burst shot deleted by hand and another photo put under its name since (a camera numbering its files afresh, a
photo copied in): ``blurscan bursts`` keeps the deleted shot's row until it runs again, and the row knew its shot
by the path alone, so the new photo stood in the burst. ``move --from-bursts`` took it, a photo never in any
burst; with the keeper replaced so, it took the burst's other shots, beaten by a photo no longer there. Each row
now keeps the identity of the file ranked (blurscan.bursts.identity). Real scans of generated JPEG bursts (model
"none": the Laplacian variance ranks the shots), through the CLI."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

from PIL import Image

from blurscan.bursts import load_groups
from blurscan.bursts.identity import replaced_shots
from blurscan.review.library import bursts as review_bursts
from blurscan.review.library import bursts_left_out
from blurscan.store import Store
from helpers_images import T0, blurred, scene
from helpers_sqlite import connected
from test_bursts_cli import _jpeg_with_time
from test_renamed_stale_burst import _groups, _run, _scan, three_shot_burst

REPLACED = "not the file its burst was ranked on (replaced or changed since); scan, then run `blurscan bursts` again"


def _dry_run(lib: Path, tmp_path: Path) -> tuple[set[str], dict[str, str]]:
    """What `move --from-bursts` (dry run) would take (file names), and why it leaves the others."""
    out = _run("move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib))
    taken = {line.split()[2] for line in out.splitlines() if line.startswith("would move ")}
    skipped = dict(line[len("skip "):].split(": ", 1) for line in out.splitlines() if line.startswith("skip "))
    return taken, skipped


def _burst(lib: Path) -> None:
    """One burst of three, ranked: IMG_0002.jpg (sharp) the keeper, IMG_0001.jpg (shaken) and IMG_0003.jpg
    (out of focus) its candidates."""
    three_shot_burst(lib)
    assert _dry_run(lib, lib.parent)[0] == {"IMG_0001.jpg", "IMG_0003.jpg"}


def _another_photo(path: Path) -> None:
    """Delete the shot at ``path`` and put another photo (another scene, an hour later) under its name."""
    os.unlink(path)
    _jpeg_with_time(path, scene(63), T0 + dt.timedelta(hours=1))


def test_another_photo_under_a_deleted_candidates_name_is_not_taken(tmp_path):
    lib = tmp_path / "lib"
    _burst(lib)
    _another_photo(lib / "IMG_0003.jpg")
    _scan(lib)  # the scan sees another file; the burst row stays until `bursts` runs again
    taken, skipped = _dry_run(lib, tmp_path)
    assert taken == {"IMG_0001.jpg"}  # the old code took IMG_0003.jpg too
    assert skipped == {"IMG_0003.jpg": REPLACED}
    # the review page leaves it out of the burst, and says so
    assert _groups(lib) == [[("IMG_0002.jpg", True), ("IMG_0001.jpg", False)]]
    with Store(lib / ".blurscan.db") as store:
        shown = review_bursts(store)
        assert bursts_left_out(store, shown)["replaced_shots"] == 1
        # the identity is stored with the figures, never shown: not in the page's figures nor in the JSONL
        assert all("_file" not in p["figures"] for g in shown for p in g["photos"])
        assert all("_file" not in m for g in load_groups(store) for m in g.to_json()["members"])
    # `bursts` again: the new photo is in no burst, and the shots ranked anew carry no trace of it
    out = _run("bursts", "--format", "jsonl", str(lib))
    members = [m for line in out.splitlines() for m in json.loads(line)["members"]]
    assert sorted(os.path.basename(m["path"]) for m in members) == ["IMG_0001.jpg", "IMG_0002.jpg"]
    assert all("_file" not in m for m in members)
    assert _dry_run(lib, tmp_path) == ({"IMG_0001.jpg"}, {})


def test_a_replaced_keeper_leaves_its_burst_alone_until_bursts_runs_again(tmp_path):
    """The keeper replaced by another photo: the candidates were beaten by a photo no longer there. Not taken,
    before the next scan (the file on disk is not the one ranked) and after it."""
    lib = tmp_path / "lib"
    _burst(lib)
    _another_photo(lib / "IMG_0002.jpg")
    no_keeper = {"IMG_0001.jpg": "its burst has no keeper in place; left for review",
                 "IMG_0003.jpg": "its burst has no keeper in place; left for review"}
    assert _dry_run(lib, tmp_path) == (set(), no_keeper)
    _scan(lib)
    assert _dry_run(lib, tmp_path) == (set(), no_keeper)
    assert _groups(lib) == [[("IMG_0001.jpg", False), ("IMG_0003.jpg", False)]]  # no keeper shown
    # `bursts` again ranks the two shots left: the sharper is the keeper, the other a candidate
    _run("bursts", str(lib))
    assert _dry_run(lib, tmp_path) == ({"IMG_0003.jpg"}, {})


def test_another_photo_of_the_same_size_and_time_is_told_by_its_bytes(tmp_path):
    """The new photo has the deleted shot's size and modification time (padded to it, its time set back, as
    `cp -p` or a tool setting times to the capture date leaves it): the scan tells it by a sample of its bytes
    (blurscan.replaced), and so does the burst row."""
    lib = tmp_path / "lib"
    _burst(lib)
    old = lib / "IMG_0003.jpg"
    st = os.stat(old)
    os.unlink(old)
    img = Image.fromarray(blurred(scene(63), 4.0))
    img.save(old, format="JPEG", quality=60)
    pad = st.st_size - os.path.getsize(old) - 4  # a comment segment: 4 bytes of marker and length, then the text
    assert 0 < pad < 65000
    img.save(old, format="JPEG", quality=60, comment=b"x" * pad)
    os.utime(old, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (os.path.getsize(old), os.stat(old).st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    _scan(lib)
    assert _dry_run(lib, tmp_path) == ({"IMG_0001.jpg"}, {"IMG_0003.jpg": REPLACED})
    assert _groups(lib) == [[("IMG_0002.jpg", True), ("IMG_0001.jpg", False)]]
    # an SQLite without JSON functions: the sample is read from the record by Python, with the same answer
    with Store(lib / ".blurscan.db") as store:
        assert replaced_shots(_NoJson(store.conn)) == replaced_shots(store.conn) == {str(old)}


class _NoJson:
    """A connection whose SQLite has no JSON functions (built without them, before 3.38)."""

    def __init__(self, conn):
        self.conn = conn

    def execute(self, sql, *args):
        if "json_" in sql:
            raise sqlite3.OperationalError("no such function: json_extract")
        return self.conn.execute(sql, *args)


def test_rows_stored_without_identity_are_read_as_before(tmp_path):
    """Rows written by a blurscan before the identity was stored: a candidate is taken as it was."""
    lib = tmp_path / "lib"
    _burst(lib)
    with Store(lib / ".blurscan.db") as store:
        with store.transaction() as conn:
            conn.execute("UPDATE burst_groups SET figures = json_remove(figures, '$._file')")
            assert all("_file" not in json.loads(f) for (f,) in conn.execute("SELECT figures FROM burst_groups"))
    _another_photo(lib / "IMG_0003.jpg")
    _scan(lib)
    assert _dry_run(lib, tmp_path)[0] == {"IMG_0001.jpg", "IMG_0003.jpg"}


def test_a_folder_under_a_shots_name_leaves_its_burst_when_bursts_runs_again(tmp_path):
    """The keeper deleted and a folder made under its name, before any scan: `blurscan bursts` run again left
    the folder in the burst, as its keeper (until 2026-12-05: a folder is no photo, and the review page says
    the shot is gone). The two shots left are ranked afresh, as for a shot deleted."""
    lib = tmp_path / "lib"
    _burst(lib)
    os.unlink(lib / "IMG_0002.jpg")
    os.mkdir(lib / "IMG_0002.jpg")
    _run("bursts", str(lib))
    with connected(lib / ".blurscan.db") as conn:
        names = sorted(os.path.basename(p) for (p,) in conn.execute("SELECT path FROM burst_groups"))
    assert names == ["IMG_0001.jpg", "IMG_0003.jpg"]
