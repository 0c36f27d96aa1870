"""The review page for people with low vision and keyboard or screen reader users, in a real headless Chromium:
a window 320 px wide (a page zoomed to 400 %) and a text size of 200 % need no scrolling sideways, the grid has
the keyboard focus from the start, a picture found missing is said, the selected card stays clear of the message
line, focus rings and text have the contrast WCAG asks, and the header's figures are explained to the keys too.

The browser and the sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in
``conftest.py``).
"""
from __future__ import annotations

import pytest

from helpers_browser import generated_library, review_page, wait_true

pytestmark = pytest.mark.browser

#: what runs off the window's sides (the page's own width and the elements out of it), and each burst group's
#: row of shots wider than itself (scrolled sideways)
_SIDEWAYS = """(() => { const width = document.documentElement.clientWidth, out = [];
    for (const node of document.querySelectorAll('body *')) {
        const r = node.getBoundingClientRect();
        if (r.width && !node.closest('.sr-only, .toast.idle') && (r.right > width + 0.5 || r.left < -0.5))
            out.push(`${node.tagName}#${node.id}.${node.className}`);
    }
    const rows = [...document.querySelectorAll('#bursts .row')].filter((row) => row.scrollWidth > row.clientWidth + 1);
    return { page: document.documentElement.scrollWidth - width, out: out.slice(0, 8), rows: rows.length };
})()"""


def _larger_text(page, px: int) -> None:
    """The browser's text size set to ``px`` (its default 16 px), as a person sets it in its settings."""
    page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": px, "fixed": px}})


@pytest.mark.parametrize("width,text", [(320, 16), (320, 32), (1280, 32)])
def test_a_narrow_window_and_a_larger_text_need_no_scrolling_sideways(sync_api, scanned, width, text):
    """At 320 CSS px (1280 px at 400 % zoom, WCAG 1.4.10) a burst group's shots were a row scrolled sideways in
    a page scrolled down, the second shot cut at the window's edge; they wrap now. The page's font sizes were in
    px: a text size of 200 % set in the browser left its text at 14 px. It follows that setting now, and at
    320 px the Show and Folder lists and the move command still fit the window."""
    photos, db = scanned
    with review_page(sync_api, db, width=width, height=640) as (page, origin, errors):
        _larger_text(page, text)
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size == pytest.approx(14 * text / 16), size
        assert page.evaluate(_SIDEWAYS) == {"page": 0, "out": [], "rows": 0}
        page.keyboard.press("Enter")  # the detail view
        wait_true(page, "document.getElementById('info').textContent.includes('Dimensions')")
        assert page.evaluate(_SIDEWAYS) == {"page": 0, "out": [], "rows": 0}
        buttons = page.evaluate("[...document.querySelectorAll('#detail button')].map((b) => {"
                                " const r = b.getBoundingClientRect(); return [r.left, r.right]; })")
        assert all(0 <= left and right <= width for left, right in buttons), buttons
        page.keyboard.press("Escape")
        page.keyboard.press("b")  # the bursts view: a group of two shots
        page.wait_for_selector("#bursts .card.selected")
        assert page.evaluate(_SIDEWAYS) == {"page": 0, "out": [], "rows": 0}
        assert errors == []


def test_the_grid_has_the_keyboard_focus_as_the_page_loads(sync_api, scanned):
    """The page started with the focus on <body>: the keys worked, but nothing showed where, and a screen reader
    started at the top of the page. The grid (a list box) takes it, its first photo the active option, outlined."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        assert page.evaluate("document.activeElement.id") == "grid"
        assert page.get_attribute("#grid", "aria-activedescendant") == "card-0"
        assert page.evaluate("getComputedStyle(document.getElementById('card-0')).outlineStyle") == "solid"
        page.keyboard.press("ArrowRight")
        assert page.get_attribute("#grid", "aria-activedescendant") == "card-1"
        assert errors == []


_RECORD = """(() => { window.__said = [];
    new MutationObserver(() => window.__said.push(document.getElementById('announce').textContent))
        .observe(document.getElementById('announce'), { childList: true, characterData: true, subtree: true });
})()"""


def test_a_picture_found_missing_in_the_detail_view_is_said(sync_api, scanned):
    """A photo whose file went after the list loaded: its detail view showed "NAME: no longer at PATH" in the
    picture's place, and a screen reader, on the dialog named for the photo, was told nothing. The reason is
    said now, and it is the dialog's description; a photo known gone when it is opened has it from the start."""
    photos, db = scanned
    expect = sync_api.expect
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.evaluate("state.items.map((item) => item.name)")
        (photos / names[0]).unlink()
        page.evaluate(_RECORD)
        page.keyboard.press("Enter")
        wait_true(page, "window.__said.length > 0")
        said = page.evaluate("window.__said")
        assert said[0].startswith(f"{names[0]}: no longer at ") and said[0].endswith("(moved or deleted since the scan)")
        dialog = page.get_by_role("dialog", name=names[0])
        expect(dialog).to_have_accessible_description(said[0])
        page.keyboard.press("Escape")
        # opened again, known gone: described as it takes the focus (its card said "missing" already)
        assert page.evaluate("openDetail(), [document.activeElement.id,"
                             " document.getElementById('full-missing').textContent]") == ["detail", said[0]]
        expect(dialog).to_have_accessible_description(said[0])
        page.keyboard.press("ArrowRight")  # a photo still there: no reason, its picture shown
        wait_true(page, "document.getElementById('full-missing').hidden && !document.getElementById('stage').hidden"
                        " && document.getElementById('full').naturalWidth > 0")
        expect(page.get_by_role("dialog", name=names[1])).to_have_accessible_description("")
        assert errors == []


_OVERLAP = """(() => { const c = document.querySelector('#grid .card.selected').getBoundingClientRect(),
    t = document.getElementById('toast').getBoundingClientRect();
    return { across: c.left < t.right && c.right > t.left, card: c.bottom, toast: t.top, top: c.top,
             height: innerHeight }; })()"""


def test_the_selected_card_stays_clear_of_the_message_line(sync_api, tmp_path):
    """The message line (the toast, at the bottom of the window) covered the name and verdict of a selected card
    at the window's bottom edge, where the arrows leave it. The keys scroll a card clear of it, and a message of
    more lines scrolls the selected card above it."""
    db = generated_library(tmp_path, 60)
    with review_page(sync_api, db, width=800, height=600) as (page, origin, errors):
        assert page.evaluate("columns()") == 3
        page.keyboard.press("ArrowRight")  # the middle column, under the message
        for _ in range(4):
            page.keyboard.press("ArrowDown")
        wait_true(page, "state.sel === 13")
        page.keyboard.press("u")  # "nothing to undo in this tab"
        wait_true(page, "!document.getElementById('toast').classList.contains('idle')")
        box = page.evaluate(_OVERLAP)
        assert box["across"] and box["card"] <= box["toast"], box
        page.evaluate("failed(new Error('a refusal of some lines: ' + 'why '.repeat(120)))")
        box = page.evaluate(_OVERLAP)
        assert box["toast"] < box["height"] - 100, box  # (lines enough to cover more than the one-line room)
        assert box["card"] <= box["toast"] and box["top"] >= 0, box
        assert errors == []


#: the contrast ratio (WCAG 2) of two CSS colours, and an element's background (the first one not transparent
#: among it and its ancestors)
_CONTRAST = """
    const rgb = (css) => css.match(/[\\d.]+/g).map(Number);
    const lum = (css) => { const [r, g, b] = rgb(css).slice(0, 3).map((v) => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const background = (node) => { for (; node; node = node.parentElement) { const c = getComputedStyle(node).backgroundColor;
        if (rgb(c).length < 4 || rgb(c)[3] > 0) return c; } return 'rgb(255, 255, 255)'; };
"""


def test_focus_rings_and_text_have_the_contrast_wcag_asks(sync_api, scanned):
    """The buttons and lists had the browser's own focus ring, its light scheme's near-black (#101010), 1.1:1
    on the page's dark greys: under the 3:1 of WCAG 1.4.11 (it showed by a thin inner line only). They have a
    2-px ring in the text's colour now. Every text shown has 4.5:1 against its background (AA)."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        ring = "(() => {" + _CONTRAST + """const a = document.activeElement, s = getComputedStyle(a);
            return [a.id || a.tagName, s.outlineStyle, parseFloat(s.outlineWidth),
                    ratio(s.outlineColor, background(a.parentElement))]; })()"""
        rings = []
        for _ in range(7):  # back from the grid: Sort, Folder, Show, Undo, the figures' explanation, the tabs
            page.keyboard.press("Shift+Tab")
            rings.append(page.evaluate(ring))
        page.keyboard.press("b")
        page.get_by_role("button", name="Make keeper: chelsea_blurred.jpg").focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        rings.append(page.evaluate(ring))
        page.keyboard.press("Escape")
        page.keyboard.press("Enter")  # the detail view's buttons, on black
        page.wait_for_selector("#detail:not([hidden])")
        page.keyboard.press("Tab")
        rings.append(page.evaluate(ring))
        assert [r[0] for r in rings] == ["sort", "folder", "filter", "btn-undo-page", "SUMMARY", "tab-bursts",
                                         "tab-photos", "BUTTON", "btn-keep"], rings
        assert all(style == "solid" and width >= 2 and contrast >= 3 for _, style, width, contrast in rings), rings
        page.keyboard.press("Escape")
        page.click("details.totals-help summary")  # (its text shown too)
        texts = page.evaluate("(() => {" + _CONTRAST + """const low = []; let checked = 0;
            for (const node of document.querySelectorAll('body *')) {
                const text = [...node.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
                if (!text || !node.getClientRects().length || node.closest('.sr-only, .toast.idle, [hidden]')) continue;
                const s = getComputedStyle(node), c = ratio(s.color, background(node));
                checked++;
                if (c < 4.5) low.push([node.tagName, node.className, s.color, background(node), c.toFixed(2)]);
            }
            return { low, checked }; })()""")
        assert texts["low"] == [] and texts["checked"] > 40, texts
        assert errors == []


def test_the_header_figures_are_explained_to_the_keys_too(sync_api, scanned):
    """What the header's figures mean ("flagged = blurry or partial; to review + kept + discarded = flagged")
    was the summary's title only, shown on hovering it with a mouse: no key reached it. A disclosure under the
    figures says it, opened with Enter (which opened the selected photo before: a button's keys only were
    left to it)."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.focus("#tab-bursts")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "What the figures mean"
        help_text = page.locator("#summary-help")
        assert not help_text.is_visible()
        page.keyboard.press("Enter")
        assert help_text.is_visible() and page.evaluate("state.view") == "grid"
        assert help_text.inner_text() == page.get_attribute("#summary", "title")
        assert "to review + kept + discarded = flagged" in help_text.inner_text()
        page.keyboard.press(" ")  # closed again by Space
        assert not help_text.is_visible()
        assert errors == []
