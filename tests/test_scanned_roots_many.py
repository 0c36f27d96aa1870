"""The roots a database records, kept outermost for thousands of folders scanned (a ``--files-from`` list of
folders, ``ls -d lib/*``): each root's folders above it are looked up, not each other root looked at. Until
2026-12-06 8,000 folders took 72 s (the square of their number) before the scan's closing line."""
from __future__ import annotations

import itertools
import random

import pytest

from blurscan.scanned_roots import _within, outermost


def _reference(roots):
    """What blurscan did before 2026-12-06 (every other root looked at)."""
    kept = []
    for root in roots:
        if root in kept or any(_within(root, other) for other in roots if other != root):
            continue
        kept.append(root)
    return kept


@pytest.mark.timeout(60)
def test_thousands_of_sibling_folders_are_all_kept_at_once():
    roots = [f"/photos/lib/day{i:05d}" for i in range(30_000)]
    assert outermost(roots) == roots
    assert outermost(["/photos/lib", *roots]) == ["/photos/lib"]
    assert outermost([*roots, "/photos"]) == ["/photos"]


def test_the_roots_kept_are_those_every_other_root_looked_at_keeps():
    names = ["/", "/a", "/a/", "/a/b", "/a/b/", "/a/bc", "/ab", "/a/b/c", "/x/y", "/x", "/a//b"]
    rng = random.Random(7)
    for size in range(1, 5):
        for roots in itertools.permutations(names, size):
            assert outermost(list(roots)) == _reference(list(roots)), roots
    for _ in range(300):
        roots = [rng.choice(names) for _ in range(rng.randint(1, 7))]
        assert outermost(roots) == _reference(roots), roots
