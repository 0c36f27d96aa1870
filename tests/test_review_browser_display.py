"""The review page under a person's own display settings, in a real headless Chromium: a touch screen (a phone,
no hover) and print. The browser and the sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and
``scanned`` in ``conftest.py``)."""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

SEL = "rgb(78, 161, 255)"  # (app.css --sel: a hovered or pressed button's border)
PHONE = {"width": 390, "height": 844, "is_mobile": True, "has_touch": True}
BORDER = "(id) => getComputedStyle(document.getElementById(id)).borderTopColor"


def _phone_page(sync_api, db):
    options = dict(PHONE)
    return review_page(sync_api, db, options.pop("width"), options.pop("height"), **options)


def test_a_tapped_button_does_not_stay_highlighted_on_a_touch_screen(sync_api, scanned):
    """A touch screen keeps the last element tapped "hovered": the button's hover border (blue, the pressed
    buttons' colour) stayed on it. On a phone the Blur map button tapped off still looked on, and after Keep the
    next photo's Keep button looked chosen. The hover border is for a pointer that hovers only."""
    photos, db = scanned
    with _phone_page(sync_api, db) as (page, origin, errors):
        assert page.evaluate("matchMedia('(hover: none)').matches")
        page.locator("#grid .card", has_text="coffee_blurred.jpg").tap()  # (the photo with a blur map)
        page.wait_for_selector("#detail:not([hidden])")
        wait_true(page, "$('map').children.length > 0")
        page.tap("#btn-map")
        assert page.evaluate("$('btn-map').getAttribute('aria-pressed')") == "true"
        page.tap("#btn-map")
        assert page.evaluate("$('btn-map').getAttribute('aria-pressed')") == "false"
        assert page.evaluate(BORDER, "btn-map") != SEL  # off, and looking it
        first = page.evaluate("state.sel")
        page.tap("#btn-keep")
        wait_true(page, f"state.sel === {first + 1} && state.items[{first}].decision === 'keep'")
        assert page.evaluate("state.items[state.sel].decision") is None
        assert page.evaluate(BORDER, "btn-keep") != SEL  # (the next photo: nothing chosen on it)
        page.tap("#btn-close")
        page.tap("#btn-undo-page")
        assert page.evaluate(BORDER, "btn-undo-page") != SEL
        assert errors == []


def test_a_hovered_button_is_still_highlighted_for_a_mouse(sync_api, scanned):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.hover("#btn-undo-page")
        assert page.evaluate(BORDER, "btn-undo-page") == SEL
        assert errors == []


#: the texts printed, each with its contrast on paper: against white (the browser prints no background colour by
#: default) or the background of an element printed with its colours (print-color-adjust: exact); with
#: ``backgrounds`` (the print dialog's "Background graphics" ticked), against its background as on the screen
_PRINTED = """((backgrounds) => {
    const rgb = (css) => css.match(/[\\d.]+/g).map(Number);
    const lum = (css) => { const [r, g, b] = rgb(css).slice(0, 3).map((v) => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const paper = (node) => { for (; node; node = node.parentElement) { const s = getComputedStyle(node);
        if ((backgrounds || s.printColorAdjust === 'exact') && rgb(s.backgroundColor)[3] !== 0)
            return s.backgroundColor; }
        return 'rgb(255, 255, 255)'; };
    const low = [], buttons = [];
    let checked = 0;
    for (const node of document.querySelectorAll('body *')) {
        if (!node.getClientRects().length || node.closest('.sr-only, .toast.idle, [hidden]')) continue;
        if (node.tagName === 'BUTTON') buttons.push(node.textContent);
        const text = [...node.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        if (!text) continue;
        const c = ratio(getComputedStyle(node).color, paper(node));
        checked++;
        if (c < 4.5) low.push([node.tagName, node.className, node.textContent.slice(0, 30), c.toFixed(2)]);
    }
    return { low, buttons, checked }; })"""


def test_the_printed_list_is_readable_and_has_no_buttons(sync_api, scanned):
    """Printed (no background colours, as browsers print by default), the page's light text was on white paper:
    the title, the figures, the scores all but invisible, and the buttons and the keys' help printed too. A long
    list's rows not drawn (the grid draws those near the view) printed as blank pages: 58 pages for 1,500 photos,
    42 of them blank."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("d")
        wait_true(page, "document.querySelector('#grid .card .decision') !== null")
        page.emulate_media(media="print")
        printed = page.evaluate(_PRINTED, False)
        assert printed["low"] == [] and printed["buttons"] == [] and printed["checked"] > 12, printed
        assert page.evaluate(_PRINTED, True)["low"] == []
        assert page.evaluate("getComputedStyle(document.querySelector('.card .decision')).printColorAdjust") == "exact"
        assert page.evaluate("getComputedStyle(document.querySelector('.card .badge')).printColorAdjust") == "exact"
        # a long list's rows not drawn (grid.js: spacers as high as they are) left out, not pages of blank paper
        spacers = page.evaluate("[...document.querySelectorAll('#grid .spacer')].map((s) => getComputedStyle(s).display)")
        assert spacers == ["none", "none"], spacers
        page.emulate_media(media="screen")
        page.keyboard.press("b")  # the bursts view: its Make keeper buttons not printed either
        page.wait_for_selector("#bursts .card.selected")
        page.emulate_media(media="print")
        printed = page.evaluate(_PRINTED, False)
        assert printed["low"] == [] and printed["buttons"] == [], printed
        assert errors == []


def test_a_photo_open_is_printed_alone(sync_api, scanned):
    """With a photo open, its view (black on screen, no background on paper) was printed over the grid: its
    buttons and information over the photos. It is printed alone now, its information readable."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("Enter")
        wait_true(page, "document.getElementById('info').textContent.includes('Dimensions')")
        page.emulate_media(media="print")
        shown = page.evaluate("[...document.querySelectorAll('body > header, main, #detail')]"
                              ".map((node) => getComputedStyle(node).display)")
        assert shown == ["none", "none", "flex"], shown
        printed = page.evaluate(_PRINTED, False)
        assert printed["low"] == [] and printed["buttons"] == [] and printed["checked"] > 10, printed
        # printed with its background colours too (the view's black was printed under its black text)
        assert page.evaluate(_PRINTED, True)["low"] == []
        assert errors == []


#: how far the page printed goes below the last card drawn (px: 0 when nothing follows it but the page's margin)
_BELOW_LAST = """((cards) => { const drawn = [...document.querySelectorAll(cards)];
    const last = Math.max(...drawn.map((c) => c.getBoundingClientRect().bottom + window.scrollY));
    return [drawn.length, document.documentElement.scrollHeight - last]; })"""


def test_a_long_list_printed_is_its_cards_drawn_without_blank_pages(sync_api, tmp_path):
    """The grid and the bursts view draw the cards near the view only, the rest stood for by blank space as high
    as they are: printed, that space was pages of blank paper (1,500 photos: 42 of 58 pages; 500 burst groups:
    125 of 131). The cards drawn are printed, and nothing below them."""
    from helpers_browser import generated_library

    db = generated_library(tmp_path, 900, burst_size=3)
    with review_page(sync_api, db) as (page, origin, errors):
        page.emulate_media(media="print")
        drawn, below = page.evaluate(_BELOW_LAST, "#grid .card")
        assert drawn < 900 and below < 100, (drawn, below)
        page.emulate_media(media="screen")
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.selected")
        page.emulate_media(media="print")
        drawn, below = page.evaluate(_BELOW_LAST, "#bursts .card")
        assert drawn < 900 and below < 100, (drawn, below)
        assert errors == []


#: the colour the browser draws a native control's field in (the system colour ``Field``), as it resolves for the
#: page's select ``#sort``: light (white) unless the page declares its colours dark
_FIELD = """(() => {
    const probe = document.createElement("span");
    probe.style.background = "Field";
    $("sort").parentElement.append(probe);
    const out = [getComputedStyle($("sort")).colorScheme, getComputedStyle(probe).backgroundColor];
    probe.remove();
    return out;
})()"""


def test_the_browsers_own_controls_are_drawn_dark_on_the_dark_page_and_light_printed(sync_api, scanned):
    """No ``color-scheme`` was declared: the browser drew its own parts of the page (scrollbars, a list's pop-up
    of choices, system colours) light, bright on the dark page. Printed, on white, they are light."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        scheme, field = page.evaluate(_FIELD)
        assert scheme == "dark" and field != "rgb(255, 255, 255)", (scheme, field)
        page.emulate_media(media="print")
        assert page.evaluate(_FIELD) == ["light", "rgb(255, 255, 255)"]
        assert errors == []
