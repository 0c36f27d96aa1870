"""The directory entries a command lists, counted, and trees of documents to count them in: for the tests that a
walk stops where it should (a count of work, never a time)."""
from __future__ import annotations

import os
from pathlib import Path


def documents(root: Path, folders: int, per_folder: int) -> Path:
    """``folders`` folders ``d0``... under ``root``, each holding ``per_folder`` empty ``docN.txt``: no photo."""
    for d in range(folders):
        (root / f"d{d}").mkdir(parents=True)
        for f in range(per_folder):
            (root / f"d{d}" / f"doc{f}.txt").touch()
    return root


def count_listed(monkeypatch) -> list[str]:
    """From now on (until ``monkeypatch.undo()``), the path of every entry ``os.scandir`` yields is added to the
    list returned."""
    listed: list[str] = []
    real = os.scandir

    class Counted:
        def __init__(self, path="."):
            self.it = real(path)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.it.close()

        def __iter__(self):
            for entry in self.it:
                listed.append(entry.path)
                yield entry

    monkeypatch.setattr(os, "scandir", Counted)
    return listed
