"""The one wording of a byte count in every message (blurscan.sizes.human_size): decimal units as file managers
show them, one decimal, bytes below 1,000, terabytes the largest unit. The tests that compare messages build their
expected text with human_size itself, so none held its wording (found by changing it on purpose)."""
from __future__ import annotations

import pytest

from blurscan.sizes import human_size


@pytest.mark.parametrize("n, words", [(0, "0 bytes"), (999, "999 bytes"), (1000, "1.0 kB"),
                                      (1023, "1.0 kB"), (120_789, "120.8 kB"), (114_688, "114.7 kB"),
                                      (999_949, "999.9 kB"), (1_500_000, "1.5 MB"), (3 * 10**9, "3.0 GB"),
                                      (2 * 10**12, "2.0 TB"), (4 * 10**15, "4000.0 TB")])
def test_sizes_in_words(n, words):
    assert human_size(n) == words
