"""ArrowDown / ArrowUp in the grid, in a real headless Chromium: one row down or up, and no layout of the page at
the key press. The page found the number of columns by reading where the cards are (``offsetTop``) at every key
press, and scrolled the selected card into view there and then: each lays the whole grid out first when anything
changed since the page was drawn (a thumbnail that arrived, a decision's mark), 6-10 ms per key with 2,000 cards
(``bench/review_keys.py``). The count is now kept until the grid's width or its cards change, and the card is
scrolled into view as the page is next drawn.

The browser is set up in ``helpers_browser.py`` (fixture ``sync_api`` in ``conftest.py``); the library is
written straight into a store: copies of one generated JPEG, all flagged, and one unreadable file."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

#: Resolves once a whole frame has run: the window's resize event and the grid's ResizeObserver come with it.
NEXT_FRAME = "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
SELECTED = "[...document.querySelectorAll('#grid .card')].findIndex((c) => c.classList.contains('selected'))"
# the cards in the first row, found here as the test sees them (never by the page's own count)
FIRST_ROW = """(() => { const all = [...document.querySelectorAll('#grid .card')];
  return all.filter((c) => c.getBoundingClientRect().top === all[0].getBoundingClientRect().top).length; })()"""
# (to a pixel: the page scrolls in fractions of one)
IN_VIEW = """(() => { const r = document.querySelector('#grid .card.selected').getBoundingClientRect();
  return r.top >= -1 && r.bottom <= window.innerHeight + 1; })()"""
# what lays the page out, recorded when the page's keydown handler calls it (a listener on window before the
# page's, one after)
WATCH = """(() => {
  window.laidOut = [];
  let inKey = false;
  window.addEventListener("keydown", () => { inKey = true; }, true);
  window.addEventListener("keydown", () => { inKey = false; });
  for (const [proto, name] of [[HTMLElement.prototype, "offsetTop"], [HTMLElement.prototype, "offsetLeft"],
                               [HTMLElement.prototype, "offsetHeight"], [Element.prototype, "clientWidth"]]) {
    const get = Object.getOwnPropertyDescriptor(proto, name).get;
    Object.defineProperty(proto, name, { configurable: true,
      get() { if (inKey) window.laidOut.push(name); return get.call(this); } });
  }
  for (const name of ["getBoundingClientRect", "scrollIntoView"]) {
    const f = Element.prototype[name];
    Element.prototype[name] = function (...args) { if (inKey) window.laidOut.push(name); return f.apply(this, args); };
  }
})()"""


def _library(tmp_path: Path, photos: int) -> Path:
    from blurscan.records import ScanRecord
    from blurscan.store import Store

    lib = tmp_path / "lib"
    lib.mkdir()
    rng = np.random.default_rng(0)
    sample = tmp_path / "sample.jpg"
    Image.fromarray((rng.random((120, 160, 3)) * 255).astype(np.uint8)).save(sample, quality=85)
    records = []
    for i in range(photos):
        path = lib / f"IMG_{i:04d}.jpg"
        shutil.copyfile(sample, path)
        st = os.stat(path)
        records.append(ScanRecord(path=str(path), verdict="blurry", p_blurry=0.99 - i / 1000, size=st.st_size,
                                  mtime_ns=st.st_mtime_ns, width=160, height=120, format="JPEG"))
    (lib / "broken.jpg").write_bytes(b"\xff\xd8\xffnot really")
    records.append(ScanRecord.failed(str(lib / "broken.jpg"), "truncated JPEG"))
    with Store(lib / ".blurscan.db") as store:
        store.put(records, "test")
    return lib / ".blurscan.db"


def test_arrow_down_lays_nothing_out_at_the_key_press(sync_api, tmp_path):
    db = _library(tmp_path, 60)
    with review_page(sync_api, db) as (page, origin, errors):
        assert page.evaluate("document.querySelectorAll('#grid .card').length") == 60
        row = page.evaluate(FIRST_ROW)
        assert 2 < row < 60
        page.evaluate(WATCH)
        page.keyboard.press("ArrowDown")  # the count is measured once
        assert page.evaluate(SELECTED) == row
        page.evaluate("window.laidOut = []")
        for i in range(1, 6):
            # a layout to redo before each key, as a thumbnail that has just arrived leaves it
            page.evaluate("document.querySelector('#grid .card.selected .meta').style.paddingTop = '%dpx'" % (i % 2))
            page.keyboard.press("ArrowDown")
            assert page.evaluate(SELECTED) == (i + 1) * row
        # the old page read offsetTop twice or more and scrolled at each key press: a layout of the whole grid
        assert page.evaluate("window.laidOut") == []
        wait_true(page, IN_VIEW)  # scrolled into view as the page was drawn
        assert page.evaluate("window.scrollY") > 0
        page.keyboard.press("ArrowUp")
        assert page.evaluate(SELECTED) == 5 * row
        assert page.evaluate("window.laidOut") == []
        assert errors == []


def test_arrow_down_goes_one_row_down_after_a_resize_and_a_new_list(sync_api, tmp_path):
    """The count kept is measured again when the window (the grid's width) or the list shown changes: a narrower
    window has fewer columns, and a list of one photo (the errors filter) has one column, the next list more
    (with the window's width unchanged since that one was counted)."""
    db = _library(tmp_path, 30)
    with review_page(sync_api, db) as (page, origin, errors):
        wide = page.evaluate(FIRST_ROW)
        page.keyboard.press("ArrowDown")
        assert page.evaluate(SELECTED) == wide
        page.keyboard.press("ArrowUp")
        assert page.evaluate(SELECTED) == 0
        page.set_viewport_size({"width": 640, "height": 800})
        wait_true(page, f"{FIRST_ROW} < {wide}")
        page.evaluate(NEXT_FRAME)  # the window's resize event comes with the next frame, after the layout read above
        narrow = page.evaluate(FIRST_ROW)
        page.keyboard.press("ArrowDown")
        assert page.evaluate(SELECTED) == narrow
        page.set_viewport_size({"width": 1280, "height": 800})
        wait_true(page, f"{FIRST_ROW} === {wide}")
        page.evaluate(NEXT_FRAME)
        page.keyboard.press("ArrowDown")
        assert page.evaluate(SELECTED) == narrow + wide

        # a scroll bar whatever the list's length: the grid keeps its width as its cards change
        page.evaluate("document.documentElement.style.overflowY = 'scroll'")
        page.select_option("#filter", "errors")
        wait_true(page, "document.querySelectorAll('#grid .card').length === 1")
        page.set_viewport_size({"width": 1000, "height": 800})
        page.evaluate(NEXT_FRAME)
        page.keyboard.press("ArrowDown")  # one card: one column, counted at this width
        assert page.evaluate(SELECTED) == 0
        page.select_option("#filter", "flagged")
        wait_true(page, "document.querySelectorAll('#grid .card').length === 30")
        assert page.evaluate(SELECTED) == 0
        row = page.evaluate(FIRST_ROW)
        assert narrow < row < wide
        page.keyboard.press("ArrowDown")
        assert page.evaluate(SELECTED) == row  # counted again for the new list (one column kept: 1)
        assert errors == []
