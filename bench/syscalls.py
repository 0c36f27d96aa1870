"""File-system calls each command makes on a library, per photo: what a library on a slow drive pays for.

On a NAS (SMB, NFS), a USB hard disk or a cloud-synced folder each look at a file (``stat``, ``open``, a folder
listing) costs 1-20 ms rather than microseconds, so a command that looks at each photo three times is three times
slower there though it looks fine on a local SSD. This builds a library of N small generated JPEGs (default 2,000,
in 10 folders, a third of them blurred) and runs each command with the real CLI in a child process whose ``os``
functions that look at files (``stat``, ``lstat``, ``open``, ``access``, ``listdir``, ``scandir``,
``os.path.realpath`` (one call, however many folders it looks at), and a listing's ``DirEntry.stat()``: a walk's
look at each file, under ``lstat``) count the calls on paths under the library. Counted in Python, so not the calls
SQLite or a decoder make in C (reading a photo to score it, the database's own files); ``strace -f -c`` shows those.
The commands: a first ``scan --model none``, an unchanged re-scan (what users repeat daily: one look a photo and one
listing a folder is the floor), a re-scan after one photo was touched, ``report``, ``bursts``, the dry runs of
``move --all-blurry``, ``trash --all-blurry`` and ``tag --xmp``, then ``move --yes`` and its ``undo`` (the moves
re-check each file just before it goes, on purpose). The figures are counts, the same run to run on the same code:
no timing, so a loaded machine does not change them.

``--src DIR`` runs the commands of another checkout's ``src`` (``git archive <commit> src | tar -x -C /tmp/old``)
instead of this one's, for a before / after comparison.

Usage: ``python bench/syscalls.py [N] [--folders F] [--src DIR]``. Prints a markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("stat", "lstat", "open", "access", "listdir", "scandir", "realpath")

#: Run in the child: count the calls under the library (argv[1]), run the CLI on argv[3:], write the counts to
#: argv[2] at exit.
CHILD = r"""
import atexit, json, os, sys
top, out = sys.argv[1], sys.argv[2]
counts = dict.fromkeys(%r, 0)
inside = []  # a realpath's own lstats are its cost, counted once under realpath
def counted(name, real):
    def call(path=".", *args, **kwargs):
        p = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else ""
        if not inside and (p == top or p.startswith(top + os.sep)):
            counts[name] += 1
        inside.append(name) if name == "realpath" else None
        try:
            return real(path, *args, **kwargs)
        finally:
            inside.pop() if name == "realpath" else None
    return call
class Entry:  # a listing's entry whose stat() is counted too (a walk's look at each file)
    def __init__(self, entry):
        self._entry = entry
    def __getattr__(self, name):
        return getattr(self._entry, name)
    def __fspath__(self):
        return self._entry.path
    def stat(self, *, follow_symlinks=True):
        counts["stat" if follow_symlinks and self._entry.is_symlink() else "lstat"] += 1
        return self._entry.stat(follow_symlinks=follow_symlinks)
class Listing:
    def __init__(self, it):
        self._it = it
    def __iter__(self):
        return self
    def __next__(self):
        return Entry(next(self._it))
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self._it.close()
    def close(self):
        self._it.close()
for name in counts:
    if name == "realpath":
        os.path.realpath = counted(name, os.path.realpath)
    else:
        setattr(os, name, counted(name, getattr(os, name)))
_scandir = os.scandir
os.scandir = lambda path=".": Listing(_scandir(path))
atexit.register(lambda: open(out, "w").write(json.dumps(counts)))
sys.argv = ["blurscan", *sys.argv[3:]]
from blurscan.cli import main
main()
""" % (NAMES,)


def build(root: Path, n: int, folders: int) -> None:
    """``n`` small JPEGs under ``root`` in ``folders`` folders, every third one blurred."""
    import cv2
    import numpy as np

    rng = np.random.default_rng(0)
    for i in range(n):
        folder = root / f"folder_{i % folders:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        img = cv2.resize(rng.integers(0, 255, (12, 16, 3), dtype=np.uint8), (128, 96),
                         interpolation=cv2.INTER_NEAREST)
        if i % 3 == 0:
            img = cv2.GaussianBlur(img, (0, 0), 3)
        cv2.imwrite(str(folder / f"IMG_{i:05d}.jpg"), img, [cv2.IMWRITE_JPEG_QUALITY, 85])


def count(src: Path, lib: Path, args: list[str], env: dict) -> dict[str, int]:
    """The calls on ``lib`` of ``blurscan ARGS`` run with ``src`` first on the path."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        run = subprocess.run([sys.executable, "-c", CHILD, str(lib), out.name, *args], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if run.returncode != 0:
            raise SystemExit(f"blurscan {' '.join(args)} failed ({run.returncode}): {run.stderr.strip()[-500:]}")
        return json.loads(Path(out.name).read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=2000, help="photos (default 2,000)")
    parser.add_argument("--folders", type=int, default=10, help="folders they are spread over (default 10)")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the src folder whose blurscan runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(os.path.realpath(tmp))
        lib, rejects = tmp_path / "lib", tmp_path / "rejects"
        build(lib, args.n, args.folders)
        env = {**os.environ, "PYTHONPATH": str(args.src.resolve()), "XDG_DATA_HOME": str(tmp_path / "share")}
        touched = next(lib.glob("folder_001/*.jpg"))
        steps = [
            ("scan (first, --model none)", ["scan", "--model", "none", "--workers", "1", str(lib)]),
            ("scan again, nothing changed", ["scan", "--model", "none", "--workers", "1", str(lib)]),
            ("scan again, one photo touched", ["scan", "--model", "none", "--workers", "1", str(lib)]),
            ("report", ["report", str(lib)]),
            ("bursts", ["bursts", str(lib)]),
            ("move --all-blurry (dry run)", ["move", "--all-blurry", "--to", str(rejects), str(lib)]),
            ("trash --all-blurry (dry run)", ["trash", "--all-blurry", str(lib)]),
            ("tag --xmp --dry-run", ["tag", "--xmp", "--dry-run", str(lib)]),
            ("move --all-blurry --yes", ["move", "--all-blurry", "--yes", "--to", str(rejects), str(lib)]),
            ("undo", ["undo", str(lib)]),
        ]
        print(f"{args.n} photos in {args.folders} folders (a third blurred), blurscan from {args.src}\n")
        print("| command | " + " | ".join(NAMES) + " | all | per photo |")
        print("|---|" + "---:|" * (len(NAMES) + 2))
        for label, command in steps:
            if label == "scan again, one photo touched":
                os.utime(touched)
            counts = count(args.src, lib, command, env)
            total = sum(counts.values())
            print(f"| {label} | " + " | ".join(str(counts[name]) for name in NAMES)
                  + f" | {total} | {total / args.n:.2f} |", flush=True)


if __name__ == "__main__":
    main()
