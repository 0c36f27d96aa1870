"""The review page in forced colours (Windows' contrast themes, ``forced-colors: active``): the browser draws
every border in the theme's text colour and drops box shadows and the page's background colours, so what the page
showed by a border's colour, a shadow or a tint has to be shown otherwise there. In a real headless Chromium
(``helpers_browser.py``; fixtures ``sync_api`` and ``scanned`` in ``conftest.py``).
"""
from __future__ import annotations

import pytest

from helpers_browser import full_view_of, review_page, wait_true

pytestmark = pytest.mark.browser

_BORDERS = """[...document.querySelectorAll(%r)].map((c) => [c.classList.contains('selected'),
    getComputedStyle(c).borderTopColor, getComputedStyle(c).backgroundColor])"""
_LOOK = """(id) => { const s = getComputedStyle(document.getElementById(id));
    return [s.borderTopColor, s.borderTopWidth, s.boxShadow, s.outlineStyle, s.outlineWidth]; }"""


def _selection_shown(page, cards: str) -> None:
    borders = page.evaluate(_BORDERS % cards)
    selected = [colour for sel, colour, _ in borders if sel]
    others = {(colour, background) for sel, colour, background in borders if not sel}
    assert len(selected) == 1 and others
    # the others' borders not drawn (the card's own background), the selected card's drawn in another colour
    assert all(colour == background for colour, background in others), borders
    assert selected[0] not in {colour for colour, _ in others}, borders
    # and ringed outside its border too (a thin line of Highlight alone is easily missed)
    rings = page.evaluate(f"[...document.querySelectorAll({cards!r})].map((c) => [c.classList.contains('selected'),"
                          " getComputedStyle(c).outlineStyle, getComputedStyle(c).outlineWidth])")
    assert sorted(ring for sel, *ring in rings if sel) == [["solid", "2px"]], rings


def test_the_selected_photo_shows_in_forced_colours(sync_api, scanned):
    """The selected card (the photo k and d decide on) was shown by a blue border and shadow: in forced colours
    every card had the same border in the text's colour and no shadow, so once the grid's focus was not the
    keyboard's (a photo opened with the mouse and closed with Close), nothing showed which photo was selected.
    Its border is the theme's Highlight now, the others' not drawn; the same in the bursts view."""
    photos, db = scanned
    with review_page(sync_api, db, forced_colors="active") as (page, origin, errors):
        page.click("#grid .card[data-index='1']")
        wait_true(page, "state.view === 'detail'")
        page.click("#btn-close")
        wait_true(page, "state.view === 'grid' && document.activeElement.id === 'grid'")
        assert page.evaluate("state.sel") == 1
        _selection_shown(page, "#grid .card")
        page.keyboard.press("ArrowRight")
        wait_true(page, "state.sel === 2")
        _selection_shown(page, "#grid .card")
        page.keyboard.press("b")
        wait_true(page, "burstPhotos().length === 2")
        page.keyboard.press("ArrowRight")
        wait_true(page, "state.burstSel === 1")
        _selection_shown(page, "#bursts .card")
        assert errors == []


def test_a_pressed_button_shows_pressed_in_forced_colours(sync_api, scanned):
    """The tab of the view shown and the Blur map button while the map shows (aria-pressed) had a border twice as
    thick as the others', drawn by a shadow: in forced colours, which drop shadows, they looked like the others.
    Their border is thicker itself now."""
    photos, db = scanned
    with review_page(sync_api, db, forced_colors="active") as (page, origin, errors):
        pressed, other = page.evaluate(_LOOK, "tab-photos"), page.evaluate(_LOOK, "tab-bursts")
        assert pressed != other
        page.keyboard.press("b")
        wait_true(page, "burstPhotos().length === 2")
        assert page.evaluate(_LOOK, "tab-bursts") == pressed and page.evaluate(_LOOK, "tab-photos") == other
        page.keyboard.press("b")
        wait_true(page, "state.view === 'grid'")
        full_view_of(page, page.evaluate("state.items.findIndex((item) => item.name === 'coffee_blurred.jpg')"))
        page.keyboard.press("m")
        wait_true(page, "$('btn-map').getAttribute('aria-pressed') === 'true'")
        assert page.evaluate(_LOOK, "btn-map") != page.evaluate(_LOOK, "btn-zoom")
        assert errors == []


def test_the_blur_map_keeps_its_colours_in_forced_colours(sync_api, scanned):
    """The blur map tints each region of the photo by its p_blurry: forced colours replaced every tint by the
    theme's background colour (a white veil over the whole photo, the map's information gone from the picture).
    The map keeps its colours now, as the photo under it does."""
    photos, db = scanned
    with review_page(sync_api, db, forced_colors="active") as (page, origin, errors):
        full_view_of(page, page.evaluate("state.items.findIndex((item) => item.name === 'coffee_blurred.jpg')"))
        page.keyboard.press("m")
        wait_true(page, "!$('map').hidden")
        cells = page.evaluate("""[...document.querySelectorAll('#map .cell')].filter((c) => c.style.backgroundColor)
            .map((c) => [c.style.backgroundColor, getComputedStyle(c).backgroundColor])""")
        assert len(cells) >= 2 and len({given for given, _ in cells}) >= 2
        assert all(given == shown for given, shown in cells), cells
        assert errors == []


def test_an_unavailable_button_looks_unavailable_in_forced_colours(sync_api, scanned):
    """The Blur map button on a photo with no map (aria-disabled: focusable still) was dimmed by the page's grey:
    forced colours drew it in the theme's button text like every other button, so it looked as usable as Zoom.
    It is in the theme's GrayText there now, as a disabled control is."""
    photos, db = scanned
    with review_page(sync_api, db, forced_colors="active") as (page, origin, errors):
        page.evaluate("select(state.items.findIndex((item) => item.name === 'astronaut_blurred.jpg'))")
        page.keyboard.press("Enter")
        wait_true(page, "$('btn-map').getAttribute('aria-disabled') === 'true'")
        look = "(id) => { const s = getComputedStyle(document.getElementById(id)); return [s.color, s.borderTopColor]; }"
        unavailable, usable = page.evaluate(look, "btn-map"), page.evaluate(look, "btn-zoom")
        assert unavailable[0] != usable[0] and unavailable[1] != usable[1], (unavailable, usable)
        assert page.evaluate("""(() => { const probe = document.createElement('span'); probe.style.color = 'GrayText';
            document.body.append(probe); const c = getComputedStyle(probe).color; probe.remove(); return c; })()""") \
            == unavailable[0]
        assert errors == []
