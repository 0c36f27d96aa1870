"""The detail view's picture and information in the window, in a real headless Chromium: zoomed, the arrows pan
only where there is something to pan; in a short window the fitted picture shows whole below its bar; the
blur map's table fits the information panel, in any font: wider, it widens the panel, and beyond half the
window it scrolls sideways in its own box.

The browser and the sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in
``conftest.py``).
"""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

_VIEWPORT = "(() => { const v = document.getElementById('viewport'); return [v.scrollLeft, v.scrollTop]; })()"


def _open(page, name: str, natural_width: int) -> None:
    page.evaluate(f"select(state.items.findIndex((item) => item.name === {name!r}))")
    page.keyboard.press("Enter")
    wait_true(page, "state.view === 'detail' && document.getElementById('full').complete "
                    f"&& document.getElementById('full').naturalWidth === {natural_width}")


def test_zoomed_the_arrows_step_where_there_is_nothing_to_pan(sync_api, scanned):
    """Zoomed (z), the arrows pan the photo (2026-12-05): on a photo whose 100 % fits the window they did
    nothing at all, and the next photo could only be reached with Shift. An arrow across which the photo has
    nothing to pan steps to the next / previous photo, as when not zoomed."""
    photos, db = scanned
    # 1280 x 520: the astronaut (512 x 512) at 100 % is higher than the view, not wider
    with review_page(sync_api, db, width=1280, height=520) as (page, origin, errors):
        _open(page, "astronaut_blurred.jpg", 512)
        page.keyboard.press("z")
        wait_true(page, "document.getElementById('viewport').scrollHeight > document.getElementById('viewport').clientHeight")
        at = page.evaluate("state.sel")
        page.keyboard.press("ArrowDown")  # something to pan that way: it pans
        assert page.evaluate(_VIEWPORT)[1] > 0
        assert page.evaluate("state.sel") == at
        # nothing to pan across: the previous / next photo (the astronaut the last or the first of the list)
        away, back = ("ArrowLeft", "ArrowRight") if at > 0 else ("ArrowRight", "ArrowLeft")
        page.keyboard.press(away)
        wait_true(page, f"state.sel === {at + (-1 if at > 0 else 1)} "
                        "&& document.getElementById('detail-title').textContent !== 'astronaut_blurred.jpg'")
        assert page.evaluate("state.zoom") is True
        page.keyboard.press(back)
        wait_true(page, f"state.sel === {at} && document.getElementById('detail-title').textContent "
                        "=== 'astronaut_blurred.jpg'")
        assert errors == []
    # 1280 x 800: every sample photo fits at 100 %; Up / Down step too
    with review_page(sync_api, db) as (page, origin, errors):
        _open(page, "coffee_blurred.jpg", 600)
        page.keyboard.press("z")
        wait_true(page, "document.getElementById('viewport').classList.contains('zoomed')")
        at = page.evaluate("state.sel")
        away, back = ("ArrowUp", "ArrowDown") if at > 0 else ("ArrowDown", "ArrowUp")
        page.keyboard.press(away)
        wait_true(page, f"state.sel === {at + (-1 if at > 0 else 1)}")
        page.keyboard.press(back)
        wait_true(page, f"state.sel === {at}")
        assert page.evaluate(_VIEWPORT) == [0, 0]
        assert errors == []


def test_in_a_short_window_the_fitted_photo_shows_whole_below_the_bar(sync_api, scanned):
    """In a short window (2026-12-05: the detail view scrolls as a whole there) the fitted photo was as high as
    the window, under the bar: at 640 x 360 its lower 71 px were below the fold. It takes the height the bar
    leaves now, whole in the window; the information still follows below it."""
    photos, db = scanned
    with review_page(sync_api, db, width=640, height=360) as (page, origin, errors):
        _open(page, "astronaut_blurred.jpg", 512)
        wait_true(page, "document.getElementById('info').textContent.includes('File')")
        top, bottom, height, bar = page.evaluate(
            "(() => { const r = document.getElementById('full').getBoundingClientRect();"
            " return [r.top, r.bottom, r.height, document.querySelector('.detail-bar').getBoundingClientRect().bottom]; })()")
        assert bottom <= 360.5 and top >= bar - 0.5, (top, bottom, bar)
        assert height >= 360 - bar - 1, (height, bar)  # (as high as the bar leaves: 512 x 512 is height-bound)
        page.keyboard.press("End")  # the information below it, the view scrolled to its end
        wait_true(page, "(() => { const d = document.getElementById('detail');"
                        " return d.scrollTop > 0 && d.scrollTop + d.clientHeight >= d.scrollHeight - 1; })()")
        # (waited for, not read once: within a pixel of its end the view may still be scrolling, as a loaded
        # clean-clone run found: 361.06)
        wait_true(page, "document.getElementById('info').getBoundingClientRect().bottom <= 360.5")
        assert errors == []


def _ten_by_ten_map(photos, db, name: str = "coffee_blurred.jpg") -> list[list]:
    """The blur map of ``name`` made 10 x 10 (the model's largest grid), its figures the widest written."""
    from blurscan.store import Store

    grid = [[[0.9, 0.996, 1.0, 0.05, None][(r + c) % 5] for c in range(10)] for r in range(10)]
    path = str(photos / name)
    with Store(db) as store:
        rec = store.record(path)
        rec.grid, rec.grid_box = grid, [0.0, 0.0, 1.0, 1.0]
        key = store.conn.execute("SELECT cache_key FROM images WHERE path = ?", (path,)).fetchone()[0]
        store.put([rec], key)
    return grid


@pytest.mark.parametrize("width, height", [(1280, 800), (360, 640)])
def test_the_blur_maps_table_fits_the_information_panel(sync_api, scanned, width, height):
    """The blur map's table (2026-12-05) was 401 px wide in the 280-px information panel at 1280 x 800: 3 of a
    10 x 10 grid's columns hidden, and no key scrolled to them (the arrows step photos). Its figures are written
    short (".90", "1" for 1.00) and share the panel's width: every one shows, none cut."""
    photos, db = scanned
    _ten_by_ten_map(photos, db)
    with review_page(sync_api, db, width=width, height=height) as (page, origin, errors):
        _open(page, "coffee_blurred.jpg", 600)
        wait_true(page, "document.querySelectorAll('#info table td').length === 100")
        rows = page.evaluate("[...document.querySelectorAll('#info table tr')]"
                             ".map((tr) => [...tr.cells].map((td) => td.textContent))")
        assert rows[0] == [".90", "1", "1", ".05", "flat"] * 2 and rows[1][:5] == ["1", "1", ".05", "flat", ".90"]
        assert page.evaluate(_CUT) == 0
        assert page.evaluate("document.getElementById('info').scrollWidth <= document.getElementById('info').clientWidth")
        assert errors == []


#: The blur map's cells cut (their figure wider than the cell) or outside the information panel's width (a cell
#: scrolled out of its box counts)
_CUT = """(() => {
    const panel = document.getElementById('info'), box = panel.getBoundingClientRect();
    return [...panel.querySelectorAll('td')].filter((td) => {
        const r = td.getBoundingClientRect();
        return r.left < box.left || r.right > box.left + panel.clientWidth || td.scrollWidth > td.clientWidth;
    }).length; })()"""

#: A wide font, whatever fonts the machine has (a monospace one, its letters spaced out), at a larger text size
#: (the page's sizes are in rem: as a browser's text size set to 20 px, or 32 px): test-only stylesheets
_WIDE = "#info, #info * { font-family: monospace !important; letter-spacing: .2em !important; }"


def test_the_blur_maps_table_in_a_wide_font_shows_every_figure_whole(sync_api, scanned):
    """Where the page's font is wider than the 280-px panel's tenths were made for (2026-12-07: Liberation Mono, the
    page's sans-serif in a browser with only Debian's fonts-liberation, cut "flat" to "fla" in 20 of the 100 cells
    at 1280 x 800), the panel widens to the table: every figure shows whole, none outside the panel."""
    photos, db = scanned
    _ten_by_ten_map(photos, db)
    with review_page(sync_api, db, bypass_csp=True) as (page, origin, errors):  # (the test's own stylesheet)
        page.add_style_tag(content="html { font-size: 20px !important; } " + _WIDE)
        _open(page, "coffee_blurred.jpg", 600)
        wait_true(page, "document.querySelectorAll('#info table td').length === 100")
        assert page.evaluate(_CUT) == 0
        assert page.evaluate("document.getElementById('info').scrollWidth <= document.getElementById('info').clientWidth")
        width = page.evaluate("document.getElementById('info').getBoundingClientRect().width")
        assert 350 < width <= 640, width  # (wider than its 17.5rem, 350 px, for the table; half the window at most)
        assert errors == []


@pytest.mark.parametrize("width, height", [(1024, 700), (360, 640)])
def test_the_blur_maps_table_too_wide_for_the_panel_scrolls_in_its_own_box(sync_api, scanned, width, height):
    """Where half the window (or a phone's width) is too narrow for the table in the page's font (a wide font at a
    32 px text size), the table scrolls sideways in a box of its own: every figure whole in its cell, the panel
    itself not scrolling sideways nor over half the window, and the box scrolled to its end shows the last column.
    Until 2026-12-07 the columns were squeezed into the panel, their figures cut."""
    photos, db = scanned
    _ten_by_ten_map(photos, db)
    with review_page(sync_api, db, width=width, height=height, bypass_csp=True) as (page, origin, errors):
        page.add_style_tag(content="html { font-size: 32px !important; } " + _WIDE)
        _open(page, "coffee_blurred.jpg", 600)
        wait_true(page, "document.querySelectorAll('#info table td').length === 100")
        assert page.evaluate("[...document.querySelectorAll('#info td')].every((td) => td.scrollWidth <= td.clientWidth)")
        assert page.evaluate("document.getElementById('info').scrollWidth <= document.getElementById('info').clientWidth")
        if width > 700:  # (beside the picture: half the window at most; on a phone, below it, the window's width)
            assert page.evaluate("document.getElementById('info').getBoundingClientRect().width") <= width / 2 + 0.5
        scroller = "document.querySelector('#info table').parentElement"
        assert page.evaluate(f"{scroller}.scrollWidth > {scroller}.clientWidth")
        page.evaluate(f"{scroller}.scrollLeft = {scroller}.scrollWidth")
        last = page.evaluate("""(() => {
            const panel = document.getElementById('info'), box = panel.getBoundingClientRect();
            return [...panel.querySelectorAll('tr')].map((tr) => tr.cells[tr.cells.length - 1].getBoundingClientRect())
                .every((r) => r.left >= box.left && r.right <= box.left + panel.clientWidth + 0.5); })()""")
        assert last
        assert errors == []


#: The blur map's box (by its class, which it had before it took the keyboard focus)
_B = "document.querySelector('#info .map-scroll')"
#: The blur map's box: [scrollLeft, the most it scrolls, its tabindex (in the Tab round: "0")]
_BOX = ("(() => { const b = " + _B +
        "; return [b.scrollLeft, b.scrollWidth - b.clientWidth, b.getAttribute('tabindex')]; })()")
_CAPTION = "Blur map: p_blurry per region (flat: nothing to judge)"


@pytest.mark.parametrize("width, height", [(360, 640), (1024, 700)])
def test_the_blur_maps_scrolling_box_is_reached_and_scrolled_by_the_keys(sync_api, scanned, width, height):
    """Where the blur map's table scrolls sideways in its own box (a wide font at a 32 px text size, on a phone or
    beside the picture), Tab went past the box and the arrows stepped photos: no key showed its hidden columns
    (WCAG 2.1.1; axe: scrollable-region-focusable). Tab reaches it now after the photo's information (ringed, named
    by the table's caption), and there Left / Right scroll it, Home / End to its first / last column, the photo
    the same; Esc or Tab leave it, Shift+arrows still step (the focus on the next photo's box where it scrolls too,
    else on its information: until 2026-12-07 always the information), and a box that no longer scrolls leaves the
    round. The short Keys line names the box (until 2026-12-07 it did not)."""
    from test_review_browser_view_focus import _RING, _ring_shown

    photos, db = scanned
    _ten_by_ten_map(photos, db)
    with review_page(sync_api, db, width=width, height=height, bypass_csp=True) as (page, origin, errors):
        large = page.add_style_tag(content="html { font-size: 32px !important; } " + _WIDE)
        _open(page, "coffee_blurred.jpg", 600)
        wait_true(page, "document.querySelectorAll('#info table td').length === 100")
        wait_true(page, f"{_B}.scrollWidth > {_B}.clientWidth")  # (it scrolls)
        at = page.evaluate("state.sel")
        keys = " ".join(page.evaluate("$('keys-help').textContent").split())  # (the short Keys line names the box)
        assert "blur map (where its table scrolls, Tab past the photo's information reaches it: there ←→ Home End " \
               "scroll it)" in keys, keys
        page.focus("#btn-close")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "info"
        page.keyboard.press("Tab")
        _ring_shown(page.evaluate(_RING), "map-scroll")
        sync_api.expect(page.locator("#info .map-scroll")).to_have_accessible_name(_CAPTION)
        page.keyboard.press("ArrowRight")
        wait_true(page, f"{_B}.scrollLeft > 0")
        page.keyboard.press("End")
        wait_true(page, f"{_B}.scrollLeft >= {_B}.scrollWidth - {_B}.clientWidth - 1")
        end = page.evaluate(_BOX)[0]
        page.keyboard.press("ArrowLeft")
        wait_true(page, f"{_B}.scrollLeft < {end}")
        page.keyboard.press("Home")
        wait_true(page, f"{_B}.scrollLeft === 0")
        assert page.evaluate("state.sel") == at and page.evaluate("$('detail-title').textContent") == "coffee_blurred.jpg"
        assert page.evaluate("document.activeElement.id") == "map-scroll" and page.evaluate("state.view") == "detail"
        page.keyboard.press("Tab")  # the last of the round: on to the first button, and back
        assert page.evaluate("document.activeElement.id") == "btn-keep"
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.id") == "map-scroll"
        page.keyboard.press("Escape")  # left for the view itself, still open: its arrows step
        assert page.evaluate("document.activeElement.id") == "detail" and page.evaluate("state.view") == "detail"
        page.focus("#info .map-scroll")
        # a step from the box to a photo whose box scrolls too: the focus on that box (the person's place kept);
        # to one without: on the panel, never dropped with the box; a step from the panel leaves it there
        assert 0 < at < page.evaluate("state.items.length") - 1  # (a photo on each side)
        _ten_by_ten_map(photos, db, page.evaluate(f"state.items[{at + 1}].name"))
        boxed = f"document.querySelectorAll('#info table td').length === 100 && {_B}.getAttribute('tabindex') === '0'"
        page.keyboard.press("Shift+ArrowRight")
        wait_true(page, f"state.sel === {at + 1} && {boxed} && document.activeElement.id === 'map-scroll'")
        page.keyboard.press("Shift+ArrowLeft")
        wait_true(page, f"state.sel === {at} && {boxed} && document.activeElement.id === 'map-scroll'")
        page.keyboard.press("Shift+ArrowLeft")
        wait_true(page, f"state.sel === {at - 1} && document.querySelector('#info dl')"
                        " && !document.querySelector('#info [tabindex]')")  # (its map, if any, fits)
        assert page.evaluate("document.activeElement.id") == "info"
        page.keyboard.press("Shift+ArrowRight")
        wait_true(page, f"state.sel === {at} && {boxed}")
        assert page.evaluate("document.activeElement.id") == "info"
        page.focus("#info .map-scroll")
        large.evaluate("(style) => style.remove()")  # the text size set back: the table fits, the box left the round
        wait_true(page, f"!{_B}.hasAttribute('tabindex') && document.activeElement.id === 'info'")
        assert page.evaluate(_BOX)[1] == 0
        assert errors == []


def test_the_blur_maps_box_is_not_in_the_tab_round_where_it_fits(sync_api, scanned):
    """In a wide window at the browser's text size the table fits the panel: its box is no stop of Tab (nothing
    to scroll there), which goes from the photo's information round to the first button; the arrows step."""
    photos, db = scanned
    _ten_by_ten_map(photos, db)
    with review_page(sync_api, db) as (page, origin, errors):
        _open(page, "coffee_blurred.jpg", 600)
        wait_true(page, "document.querySelectorAll('#info table td').length === 100")
        assert page.evaluate(_BOX) == [0, 0, None]
        page.focus("#info")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "btn-keep"
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.id") == "info"
        at = page.evaluate("state.sel")
        page.keyboard.press("ArrowRight")
        wait_true(page, f"state.sel === {at + 1}")
        assert errors == []
