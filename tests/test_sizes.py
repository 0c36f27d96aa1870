"""The one wording of a byte count in every message (blurscan.sizes.human_size): decimal units as file managers
show them, one decimal, bytes below 1,000, terabytes the largest unit. The tests that compare messages build their
expected text with human_size itself, so none held its wording (found by changing it on purpose)."""
from __future__ import annotations

import pytest

from blurscan.sizes import human_size


@pytest.mark.parametrize("n, words", [(0, "0 bytes"), (999, "999 bytes"), (1000, "1.0 kB"),
                                      (1023, "1.0 kB"), (120_789, "120.8 kB"), (114_688, "114.7 kB"),
                                      (999_949, "999.9 kB"), (999_950, "1.0 MB"), (999_960, "1.0 MB"),
                                      (999_999, "1.0 MB"), (999_960_000, "1.0 GB"), (1_500_000, "1.5 MB"), (3 * 10**9, "3.0 GB"),
                                      (2 * 10**12, "2.0 TB"), (4 * 10**15, "4000.0 TB")])
def test_sizes_in_words(n, words):
    """(A size its one decimal rounds up to 1000 of a unit is said in the next: ``move``'s dry run said
    "1 photo (1 file, 1000.0 kB) would be moved ..., freeing 1000.0 kB" of a 999,960-byte photo until 2026-12-06.)"""
    assert human_size(n) == words
