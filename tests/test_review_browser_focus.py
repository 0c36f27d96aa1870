"""Where the review page leaves the keyboard focus, in a real headless Chromium: after an option picked with the
mouse in the Show / Folder / Sort lists, and after `b` or `Esc` switch between the grid and the bursts view.
The page's keys act on the photos from there; a key typed in a select stays the select's own
(``test_review_browser_a11y.py``).

The browser and the sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in
``conftest.py``).
"""
from __future__ import annotations

import pytest

from helpers_browser import LIST_ARRIVED, mark_list, review_page, wait_true

pytestmark = pytest.mark.browser


def _decisions(db) -> dict:
    import os

    from blurscan.store import Store

    with Store(db) as store:
        return {os.path.basename(p): d for p, d in store.conn.execute("SELECT path, decision FROM decisions")}


def test_an_option_picked_with_the_mouse_gives_the_keys_back_to_the_photos(sync_api, scanned):
    """Since keys typed in a select became its own (2026-12-05), a select chosen with the mouse kept the focus:
    the next d chose "date taken" in Sort instead of discarding the selected photo, an arrow switched the
    filter, and k / d / u seemed dead. An option picked with the pointer (its list opened with a click, no key
    pressed in the select) gives the focus back to the grid; the page's key hint says Esc leaves a list."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        assert "Esc leaves it" in " ".join(page.inner_text(".hint").split())
        mark_list(page)  # (the keys below are for the list chosen, once it has come)
        page.click("#filter")  # its list opens; ArrowDown and Enter there pick an option, as a click on it would
        # (waited for until it is open: keys pressed before, on a slow machine (a fixed 200 ms wait), went to the
        # closed select, which then kept the focus, rightly)
        wait_true(page, "document.getElementById('filter').matches(':open')")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        wait_true(page, "document.getElementById('filter').value === 'undecided' && state.items.length === 4 && "
                        + LIST_ARRIVED)
        assert page.evaluate("document.activeElement.id") == "grid"
        first = page.inner_text("#grid .card.selected .name")
        page.keyboard.press("d")
        wait_true(page, "document.getElementById('toast').textContent === %r" % f"{first}: discard")
        assert page.evaluate("document.getElementById('filter').value") == "undecided"
        mark_list(page)
        page.click("#sort")  # a click, then an option chosen in its open list: a pick with the mouse
        # (as above, in the list once it is open: `select_option` after the click raced the list's opening, and a
        # list that opened after the pick took the next keys, which a loaded clean-clone run once showed)
        wait_true(page, "document.getElementById('sort').matches(':open')")
        for _ in range(3):  # most blurry first, largest first, date taken, name
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        # (the photos not decided yet, by name: the first one selected. Waited for as the list that came, not
        # by its order alone: the list shown, the discarded photo taken off it, was in that order once, and an
        # arrow pressed then was undone by the list's arrival, which selects its first photo)
        wait_true(page, "!document.getElementById('sort').matches(':open') && state.items.length === 3 "
                        "&& state.items[0].name < state.items[1].name && state.sel === 0 && " + LIST_ARRIVED)
        second = page.evaluate("state.items[1].name")
        assert page.evaluate("document.activeElement.id") == "grid"
        page.keyboard.press("ArrowRight")
        page.keyboard.press("d")
        wait_true(page, "document.getElementById('toast').textContent === %r" % f"{second}: discard")
        assert page.evaluate("document.getElementById('sort').value") == "name"
        assert _decisions(db) == {first: "discard", second: "discard"}
        assert errors == []


def test_b_and_esc_put_the_focus_on_the_view_they_show(sync_api, scanned):
    """`b` left the keyboard focus on the page itself (the grid it was on hidden), where clicking the Bursts tab
    put it on the selected shot: a screen reader lost its place. `b` now does as the tab, and `b` or `Esc` back
    from the bursts view puts it on the grid."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        on_shot = "document.activeElement.matches('#bursts .card.selected')"
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        wait_true(page, on_shot)
        page.keyboard.press("ArrowRight")  # the focus follows the selection
        wait_true(page, on_shot + " && document.activeElement.querySelector('.name').textContent"
                        " === 'chelsea_blurred.jpg'")
        page.keyboard.press("Escape")
        wait_true(page, "state.view === 'grid'")
        assert page.evaluate("document.activeElement.id") == "grid"
        page.keyboard.press("b")
        wait_true(page, on_shot)
        page.keyboard.press("b")
        wait_true(page, "state.view === 'grid'")
        assert page.evaluate("document.activeElement.id") == "grid"
        page.keyboard.press("Enter")  # from the detail view too
        wait_true(page, "state.view === 'detail'")
        page.keyboard.press("b")
        wait_true(page, on_shot)
        assert errors == []


_FOCUS = "document.activeElement ? document.activeElement.id : null"
_SHOWN = "current().name !== %r && state.detail !== null && state.detail.id === current().id"


def test_the_blur_map_button_keeps_the_focus_as_the_photo_shown_changes(sync_api, scanned):
    """The detail view's "Blur map (m)" button was disabled while the next photo's information was on its way (and
    for good on a photo with no map): with the keyboard focus on it (Tab), an arrow key, or k / d (which step on),
    dropped the focus to the page itself, <body>, out of the dialog. It is marked aria-disabled now, focusable
    still: the focus stays on it, and pressed on a photo with no map it says so."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.evaluate("select(state.items.findIndex((item) => item.name === 'coffee_blurred.jpg'))")
        page.keyboard.press("Enter")
        wait_true(page, _SHOWN % "")  # (its information came: the one photo with a map)
        page.focus("#btn-map")
        page.keyboard.press("ArrowRight")  # a photo with no map
        wait_true(page, _SHOWN % "coffee_blurred.jpg")
        assert page.evaluate(_FOCUS) == "btn-map"
        assert page.get_attribute("#btn-map", "aria-disabled") == "true"
        assert page.get_by_role("button", name="Blur map (m)", disabled=True).count() == 1
        page.keyboard.press("ArrowLeft")  # back to the map's photo: the button is usable again, still focused
        wait_true(page, "current().name === 'coffee_blurred.jpg' && state.detail !== null"
                        " && state.detail.id === current().id")
        assert page.evaluate(_FOCUS) == "btn-map"
        assert page.get_attribute("#btn-map", "aria-disabled") == "false"
        page.keyboard.press("ArrowRight")
        wait_true(page, _SHOWN % "coffee_blurred.jpg")
        page.keyboard.press("Enter")  # pressed where there is no map: it says so (the m key's message)
        wait_true(page, "document.getElementById('toast').textContent === 'no blur map for this photo'")
        assert page.evaluate("state.map") is False
        assert errors == []



def test_tab_goes_round_the_detail_views_buttons(sync_api, scanned):
    """Tab from the detail view's last button (Close), or Shift+Tab from its first or from the dialog itself, left
    the modal dialog for the page itself (<body>; in a browser window its address bar): a screen reader was out of
    the dialog, with the page behind it inert. Tab and Shift+Tab go round the dialog's buttons now."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.evaluate("select(state.items.findIndex((item) => item.name === 'coffee_blurred.jpg'))")
        page.keyboard.press("Enter")
        wait_true(page, _SHOWN % "")  # (the map's button usable)
        assert page.evaluate(_FOCUS) == "detail"
        # (and the photo's information, last: test_review_browser_view_focus.py)
        buttons = ["btn-keep", "btn-discard", "btn-undo", "btn-zoom", "btn-map", "btn-prev", "btn-next", "btn-close",
                   "info"]
        forward = []
        for _ in range(len(buttons) + 2):
            page.keyboard.press("Tab")
            forward.append(page.evaluate(_FOCUS))
        assert forward == buttons + buttons[:2], forward
        backward = []
        for _ in range(3):
            page.keyboard.press("Shift+Tab")
            backward.append(page.evaluate(_FOCUS))
        assert backward == ["btn-keep", "info", "btn-close"], backward
        page.focus("#detail")  # the dialog itself (as it opens): Shift+Tab to its last stop
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(_FOCUS) == "info"
        page.keyboard.press("Escape")  # closed: the keys are the grid's again, Tab leaves it as before
        wait_true(page, "state.view === 'grid' && document.activeElement === document.getElementById('grid')")
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(_FOCUS) == "sort"
        assert errors == []


_OUTLINE = "getComputedStyle(document.getElementById('grid')).outlineStyle"


def test_the_grid_shows_the_keyboard_focus_when_it_has_no_selected_card(sync_api, scanned):
    """The grid (a list box) shows the keyboard focus on its selected card: with none (a filter that leaves no
    photo), Tab reached the grid and nothing on the screen showed where the focus was. The grid itself is
    outlined then; with a selected card, only that card is."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.focus("#sort")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "grid"
        assert page.evaluate(_OUTLINE) == "none"  # (its selected card is outlined)
        assert page.evaluate("getComputedStyle(document.querySelector('#grid .card.selected')).outlineStyle") == "solid"
        page.select_option("#filter", "errors")
        wait_true(page, "state.items.length === 0 && document.activeElement.id === 'grid'")
        page.focus("#sort")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "grid"
        assert page.evaluate(_OUTLINE) == "solid"
        assert errors == []
