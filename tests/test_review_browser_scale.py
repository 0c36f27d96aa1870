"""The review page on a list of thousands of photos, in a real headless Chromium: the grid draws only the cards
near the view. It built a card for every photo of the list at once (13,133 flagged photos: 6.5 s before the page
showed, then 0.2-0.3 s per arrow key; a list of some 150,000 threw "Maximum call stack size exceeded", spread
into one call), where it now keeps a few hundred cards, whatever the list's length, and everything still reaches
every photo: the count, the arrows down to the last photo, k / d / u there, a click on a card far down, the
scroll bar to either end. Speed is not asserted here: ``bench/review_keys.py`` and docs/review.md.

The browser is set up in ``helpers_browser.py`` (fixture ``sync_api`` in ``conftest.py``); the library is
written straight into a store: copies of one small generated JPEG, all flagged, the most blurry first by name."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

PHOTOS = 3000
#: Cards in the page at any time: the window at 1280 x 800 px is some 400 (the page drew all 3,000).
BOUND = 800
CARDS = "document.querySelectorAll('#grid .card').length"
SELECTED = "document.querySelector('#grid .card.selected .name')?.textContent"
NEXT_FRAME = "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
# the card named NAME drawn, and wholly on the screen (to a pixel: the page scrolls in fractions of one)
IN_VIEW = """((name) => { const c = [...document.querySelectorAll('#grid .card')]
  .find((c) => c.querySelector('.name').textContent === name);
  if (!c) return false;
  const r = c.getBoundingClientRect();
  return r.top >= -1 && r.bottom <= window.innerHeight + 1; })"""


def _name(i: int) -> str:
    return f"IMG_{i:05d}.jpg"


def _library(tmp_path: Path) -> Path:
    from blurscan.records import ScanRecord
    from blurscan.store import Store

    lib = tmp_path / "lib"
    lib.mkdir()
    sample = tmp_path / "sample.jpg"
    Image.fromarray((np.random.default_rng(0).random((48, 64, 3)) * 255).astype(np.uint8)).save(sample)
    records = []
    for i in range(PHOTOS):
        path = lib / _name(i)
        shutil.copyfile(sample, path)
        st = os.stat(path)
        records.append(ScanRecord(path=str(path), verdict="blurry", p_blurry=0.999 - i / 10 / PHOTOS,
                                  size=st.st_size, mtime_ns=st.st_mtime_ns, width=64, height=48, format="JPEG"))
    with Store(lib / ".blurscan.db") as store:
        store.put(records, "test")
    return lib / ".blurscan.db"


def _decisions(db: Path) -> dict[str, str]:
    from blurscan.store import Store

    with Store(db, create=False) as store:
        return {os.path.basename(p): d for p, d in store.conn.execute("SELECT path, decision FROM decisions")}


def _in_view(page, name: str) -> bool:
    return page.evaluate(f"{IN_VIEW}({name!r})")


def test_thousands_of_photos_every_one_reached_with_few_cards_drawn(sync_api, tmp_path):
    db = _library(tmp_path)
    with review_page(sync_api, db) as (page, origin, errors):
        assert page.inner_text("#summary").startswith(f"{PHOTOS} flagged")
        assert page.evaluate("state.items.length") == PHOTOS
        assert 0 < page.evaluate(CARDS) <= BOUND
        assert page.evaluate(SELECTED) == _name(0)

        # the arrows down to the last photo (one row each; the last row holds it), each shown as it is reached
        # (the selection read back from the page once the last rows are near: a round trip less per key before)
        near_the_end = (PHOTOS - 1) // (page.evaluate("view.cols") or PHOTOS) - 1
        for presses in range(1, PHOTOS):
            page.keyboard.press("ArrowDown")
            if presses % 100 == 0:
                page.evaluate(NEXT_FRAME)
                assert page.evaluate(CARDS) <= BOUND
                wait_true(page, f"{IN_VIEW}(state.items[state.sel].name)")
            if presses >= near_the_end and page.evaluate("state.sel") == PHOTOS - 1:
                break
        assert page.evaluate(SELECTED) == _name(PHOTOS - 1)
        wait_true(page, f"{IN_VIEW}({_name(PHOTOS - 1)!r})")
        assert page.evaluate(CARDS) <= BOUND

        # k there (the last photo: the selection stays), d on the one before (the selection moves on), u
        page.keyboard.press("k")
        wait_true(page, "document.querySelector('#grid .card.selected').dataset.decision === 'keep'")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("d")
        wait_true(page, "state.summary.discarded === 1")
        assert page.evaluate(SELECTED) == _name(PHOTOS - 1)
        assert _decisions(db) == {_name(PHOTOS - 1): "keep", _name(PHOTOS - 2): "discard"}
        page.keyboard.press("u")
        wait_true(page, "state.summary.discarded === 0")
        assert page.evaluate(SELECTED) == _name(PHOTOS - 2)  # the undone one
        assert _decisions(db) == {_name(PHOTOS - 1): "keep"}

        # the scroll bar to the top: the first cards drawn (and the last ones no more), then to the bottom: the
        # last card drawn again, with its decision's mark, on the screen
        page.evaluate("window.scrollTo(0, 0)")
        wait_true(page, f"{IN_VIEW}({_name(0)!r})")
        assert page.evaluate(CARDS) <= BOUND
        assert page.locator("#grid .card", has_text=_name(PHOTOS - 1)).count() == 0
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        wait_true(page, f"{IN_VIEW}({_name(PHOTOS - 1)!r})")
        last = page.locator("#grid .card", has_text=_name(PHOTOS - 1))
        assert last.get_attribute("data-decision") == "keep"
        assert last.locator(".decision").inner_text() == "KEEP"
        assert page.evaluate(CARDS) <= BOUND

        # a click on a card far down opens that photo, and the arrows step on from it
        page.locator("#grid .card", has_text=_name(PHOTOS - 10)).click()
        wait_true(page, f"state.view === 'detail' && document.getElementById('detail-title').textContent === "
                        f"{_name(PHOTOS - 10)!r}")
        page.keyboard.press("ArrowRight")
        wait_true(page, f"document.getElementById('detail-title').textContent === {_name(PHOTOS - 9)!r}")
        page.keyboard.press("Escape")
        assert page.evaluate(SELECTED) == _name(PHOTOS - 9)
        assert errors == []


def test_a_list_of_a_quarter_million_photos_is_drawn(sync_api, tmp_path):
    """A list far longer than a test library holds (the page's own list, made 250,000 long from the 3,000 photos
    served): drawn without a failure (it threw "Maximum call stack size exceeded"), a few hundred cards at a
    time, and its last photo reached by the selection."""
    db = _library(tmp_path)
    with review_page(sync_api, db) as (page, origin, errors):
        page.evaluate("""() => {
          const served = state.items;
          state.items = Array.from({ length: 250000 }, (_, i) => {
            const item = served[i % served.length];
            return { ...item, id: `${item.id}.${i}`, name: `P${i}.jpg` };
          });
          renderGrid();
        }""")
        assert page.evaluate(CARDS) <= BOUND
        page.keyboard.press("ArrowRight")
        assert page.evaluate(SELECTED) == "P1.jpg"
        page.evaluate("select(state.items.length - 1)")
        wait_true(page, f"{IN_VIEW}('P249999.jpg')")
        assert page.evaluate(CARDS) <= BOUND
        page.keyboard.press("ArrowUp")
        wait_true(page, f"{IN_VIEW}(state.items[state.sel].name)")
        assert page.evaluate("state.sel") < 249999
        assert errors == []
