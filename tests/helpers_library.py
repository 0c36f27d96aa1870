"""A small library of real JPEGs with sidecars, review decisions, and the file-system faults the action tests
need (used by ``test_actions_*.py``, ``test_cli_actions.py`` and ``test_xmp*.py``)."""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from blurscan.actions import moves
from blurscan.records import ScanRecord
from blurscan.store import Store, db_path
from helpers_images import blurred, save_jpeg, textured
from helpers_sqlite import closed_after_the_test

def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def snapshot(*roots) -> dict[str, tuple[str, int]]:
    """path -> (sha256, mtime_ns) of every file under ``roots`` (hidden files included)."""
    out = {}
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            for name in files:
                p = os.path.join(folder, name)
                if name.startswith(".blurscan.db"):
                    continue
                out[p] = (sha(p), os.stat(p).st_mtime_ns)
    return out


def build_library(root: Path, *, db: Path | None = None) -> tuple[Store, dict[str, str]]:
    """A small library of real JPEGs with sidecars, scanned into a store (records from the files' stat).

    Returns the store and name -> absolute path:

    ``a/IMG_1.JPG`` blurry + ``IMG_1.CR2`` (RAW twin) + ``IMG_1.JPG.xmp`` + ``IMG_1.CR2.xmp``;
    ``a/IMG_2.jpg`` blurry + ``IMG_2.AAE``; ``a/IMG_3.jpg`` sharp; ``b/c/IMG_4.jpg`` blurry;
    ``b/IMG_5.jpg`` blurry + ``IMG_5.xmp`` shared with ``IMG_5.heic`` (sharp, stays).
    """
    files = {
        "IMG_1": root / "a" / "IMG_1.JPG",
        "IMG_2": root / "a" / "IMG_2.jpg",
        "IMG_3": root / "a" / "IMG_3.jpg",
        "IMG_4": root / "b" / "c" / "IMG_4.jpg",
        "IMG_5": root / "b" / "IMG_5.jpg",
        "IMG_5h": root / "b" / "IMG_5.heic",
    }
    verdicts = {"IMG_1": "blurry", "IMG_2": "blurry", "IMG_3": "sharp", "IMG_4": "blurry", "IMG_5": "blurry",
                "IMG_5h": "sharp"}
    for i, (key, path) in enumerate(files.items()):
        img = textured(i, (120, 160))
        save_jpeg(path, blurred(img) if verdicts[key] == "blurry" else img)
    extras = {
        "IMG_1.CR2": root / "a" / "IMG_1.CR2",
        "IMG_1.JPG.xmp": root / "a" / "IMG_1.JPG.xmp",
        "IMG_1.CR2.xmp": root / "a" / "IMG_1.CR2.xmp",
        "IMG_2.AAE": root / "a" / "IMG_2.AAE",
        "IMG_5.xmp": root / "b" / "IMG_5.xmp",
    }
    for i, path in enumerate(extras.values()):
        path.write_bytes(os.urandom(3000 + i))
    db = db or (root / ".blurscan.db")
    db.parent.mkdir(parents=True, exist_ok=True)
    store = closed_after_the_test(Store(db))  # (the test may close it itself)
    records = []
    for key, path in files.items():
        st = os.stat(path)
        records.append(ScanRecord(path=str(path), verdict=verdicts[key], size=st.st_size, mtime_ns=st.st_mtime_ns,
                                  format="JPEG"))
    store.put(records, "test")
    out = {k: str(v) for k, v in {**files, **extras}.items()}
    return store, out


def blurry_library(root: Path, count: int) -> Path:
    """``count`` small blurred JPEGs ``root/IMG_NN.jpg`` stored as ``blurry`` in ``root/.blurscan.db`` (records from
    the files' stat, no scan), for tests of a ``move`` or ``trash`` of many photos (its bar, its progress lines)."""
    records = []
    for i in range(count):
        path = save_jpeg(root / f"IMG_{i:02d}.jpg", blurred(textured(i, (48, 64))))
        st = os.stat(path)
        records.append(ScanRecord(path=str(path), verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                                  format="JPEG"))
    with Store(root / ".blurscan.db") as store:
        store.put(records, "test")
    return root


def decide(store: Store, path: str, decision: str) -> None:
    """A review decision on the current version of ``path`` (table ``decisions``, as the review page writes)."""
    st = os.stat(path)
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO decisions (path, decision, size, mtime_ns, decided_at) VALUES (?,?,?,?,?)",
                     (db_path(path), decision, st.st_size, st.st_mtime_ns, time.time()))

def decide_in(db, path, decision: str) -> None:
    """A decision made on the review page of the database ``db`` on ``path`` as it is now (the server's own
    :func:`blurscan.review.decisions.set_decision`)."""
    from blurscan.review import decisions

    st = os.stat(path)
    with Store(db) as store:
        decisions.set_decision(store, str(path), decision, size=st.st_size, mtime_ns=st.st_mtime_ns)


def moved_img4(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A library at ``tmp_path/lib`` (:func:`build_library`, its database ``tmp_path/elsewhere.db``) whose
    ``b/c/IMG_4.jpg`` was moved to ``tmp_path/rej`` by the real command line: ``(root, db, files)``."""
    from click.testing import CliRunner

    from blurscan.cli import main

    root, db = tmp_path / "lib", tmp_path / "elsewhere.db"
    store, f = build_library(root, db=db)
    decide(store, f["IMG_4"], "discard")
    store.close()
    moved = CliRunner().invoke(main, ["move", str(root), "--db", str(db), "--to", str(tmp_path / "rej"), "--yes"])
    assert moved.exit_code == 0, moved.output
    return root, db, f


def moved_to_rejects(lib, tmp_path: Path) -> tuple[Path, dict[str, str], Path]:
    """``(root, files, rejects)``: the ``lib`` fixture's IMG_1 and IMG_3 marked discard and moved by the real
    ``move --to REJECTS --yes`` (batch 1)."""
    from click.testing import CliRunner

    from blurscan.cli import main

    root, store, f = lib
    decide(store, f["IMG_1"], "discard")
    decide(store, f["IMG_3"], "discard")
    store.close()
    rejects = tmp_path / "rejects"
    assert CliRunner().invoke(main, ["move", "--to", str(rejects), "--yes", str(root)]).exit_code == 0
    return root, f, rejects


def decide_as_shown(db, path, decision: str) -> None:
    """As the review page records a decision: with the identity of the photo it shows (the stored record of
    ``path`` in the database file ``db``), through :func:`blurscan.review.decisions.decide`."""
    from blurscan.review import decisions

    with Store(db) as store:
        decisions.decide(store, str(path), decision)


def swap_names(a: Path, b: Path) -> None:
    """Swap two files' names by hand, through a temporary third name (as a person or a photo organiser would)."""
    temp = a.with_name("swap.tmp")
    os.rename(a, temp)
    os.rename(b, a)
    os.rename(temp, b)


def other_device_dir() -> Path | None:
    """A writable folder on another device than the test folders (/dev/shm is usually tmpfs)."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and os.stat(shm).st_dev != os.stat(tempfile.gettempdir()).st_dev:
        return shm
    return None


@contextlib.contextmanager
def tmpfs(path: Path, size: str = "1m", *, ro: bool = False):
    """Mount a small tmpfs at ``path`` (root with mount rights only; the test is skipped otherwise)."""
    path.mkdir(parents=True, exist_ok=True)
    opts = f"size={size}" + (",ro" if ro else "")
    try:
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True)
    except FileNotFoundError:
        pytest.skip("no mount command")
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def force_cross_device(monkeypatch) -> None:
    """Make every rename between two different folders fail with EXDEV (the cross-device code path)."""
    real = moves._rename_noreplace

    def fake(src, dst):
        if os.path.dirname(src) != os.path.dirname(dst):
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), src, None, dst)
        return real(src, dst)

    monkeypatch.setattr(moves, "_rename_noreplace", fake)


# A batch of a database running in another process: its actions locks held (journal.exclusive) until told.
_HOLD = """
import sys
from blurscan.actions import journal
from blurscan.store import Store
with Store(sys.argv[1]) as store, journal.exclusive(store):
    print("held", flush=True)
    sys.stdin.readline()
"""


@contextlib.contextmanager
def batch_held(db):
    """A ``move``, ``trash``, ``tag`` or ``undo`` of the database ``db`` running (its locks held, as
    :func:`blurscan.actions.journal.exclusive` takes them) in another process for the ``with`` block."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "held"
        yield
    finally:
        proc.communicate("done\n", timeout=30)
