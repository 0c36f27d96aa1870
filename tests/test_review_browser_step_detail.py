"""The detail view's blur map and information when stepping to the next photo, in a real headless Chromium: they
are the photo's own or none, never the previous photo's while the new one's are on their way. `m` pressed right
after a step showed the previous photo's map over the new photo (the page still held its information), and the
information panel showed the previous photo's path, size and verdict under the new photo's name.

The answers to ``/api/item/...`` (a photo's information) are held back by the test, as a slow server or a large
library delays them. The browser and the sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and
``scanned`` in ``conftest.py``); coffee_blurred.jpg is the one photo with a blur map."""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true
from helpers_routes import ServerRoutes

pytestmark = pytest.mark.browser

MAP_SHOWN = "!document.getElementById('map').hidden && document.querySelectorAll('#map .cell').length > 0"


#: Holds the page's requests for a photo's information (``/api/item/<id>``) in the page itself, at its ``api()``
#: (api.js): each is asked of the server when the test releases it, as a slow server or a large library delays
#: the answer. ``window.itemAsked``: the paths asked for, in order; ``window.itemAnswers``: how many answers the
#: page has *dealt with* (counted in a task after the answer's promise settles, so after the code awaiting it has
#: run: an answer the page leaves alone changes nothing a test could wait for); ``window.itemData``: path -> the
#: server's answer. (Held with Playwright's ``page.route`` instead, one run in some 80 waited 30 s for a request
#: the route never saw, nor the page's ``request`` event, while the page showed its answer: helpers_routes.py says
#: why.)
HOLD = """(() => {
    const real = window.api, gates = [];
    Object.assign(window, { itemAsked: [], itemAnswers: 0, itemData: {} });
    window.api = (path, body) => {
        if (!path.startsWith('/api/item/')) return real(path, body);
        window.itemAsked.push(path);
        const answer = new Promise((resolve) => gates.push({ path, resolve }))
            .then(() => real(path, body)).then((data) => { window.itemData[path] = data; return data; });
        const counted = () => setTimeout(() => { window.itemAnswers++; });
        answer.then(counted, counted);
        return answer;
    };
    window.releaseItem = (path) => {
        const at = gates.findIndex((g) => g.path === path);
        gates.splice(at, 1)[0].resolve();
    };
    window.stopHolding = () => { for (const g of gates.splice(0)) g.resolve(); window.api = real; };
})()"""


def _hold(page) -> None:
    """Hold every request for ``/api/item/...`` from now on (:data:`HOLD`)."""
    page.evaluate(HOLD)


def _wait_asked(page, count: int) -> list[str]:
    """The paths of the first ``count`` held requests, once the page has asked for them."""
    wait_true(page, f"window.itemAsked.length >= {count}")
    return page.evaluate("window.itemAsked")


def _release(page, path: str) -> dict:
    """Let the held request for ``path`` be answered; returns the server's answer once the page has dealt with
    it."""
    before = page.evaluate("window.itemAnswers")
    page.evaluate("(path) => window.releaseItem(path)", path)
    wait_true(page, f"window.itemAnswers > {before}")
    return page.evaluate("(path) => window.itemData[path]", path)


def _card_ids(page) -> dict:
    """The grid's cards, name -> item id (the id ``/api/item/<id>`` asks for)."""
    return page.evaluate("""Object.fromEntries([...document.querySelectorAll('#grid .card')].map(
        (c) => [c.querySelector('.name').textContent, c.dataset.id]))""")


def _open_coffee(page) -> None:
    page.select_option("#sort", "name")  # astronaut, chelsea, coffee, rocket (the blurred ones: flagged)
    wait_true(page, "document.querySelector('#grid .card .name').textContent === 'astronaut_blurred.jpg'")
    page.locator("#grid .card", has_text="coffee_blurred.jpg").click()
    page.wait_for_selector("#detail:not([hidden])")
    # its information (and map) came: the map's button usable (aria-disabled: it keeps the focus)
    wait_true(page, "document.getElementById('btn-map').getAttribute('aria-disabled') === 'false'")


def _shown(page) -> dict:
    return page.evaluate("""({ title: document.getElementById('detail-title').textContent,
        map: !document.getElementById('map').hidden, cells: document.querySelectorAll('#map .cell').length,
        info: document.getElementById('info').textContent,
        mapButton: document.getElementById('btn-map').getAttribute('aria-disabled') === 'false' })""")


def test_m_right_after_a_step_never_shows_the_previous_photos_map(sync_api, scanned):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        _open_coffee(page)
        assert "coffee_blurred.jpg" in page.inner_text("#info")
        _hold(page)
        page.keyboard.press("ArrowRight")  # rocket_blurred.jpg: no blur map; its information held back
        [asked] = _wait_asked(page, 1)
        page.keyboard.press("m")
        shown = _shown(page)
        assert shown["title"] == "rocket_blurred.jpg"
        # the old page showed coffee_blurred.jpg's map (9 cells) and information here
        assert (shown["map"], shown["cells"], shown["mapButton"]) == (False, 0, False), shown
        assert "coffee" not in shown["info"], shown
        assert asked == "/api/item/" + page.get_attribute("#grid .card.selected", "data-id")
        assert _release(page, asked)["name"] == "rocket_blurred.jpg"
        wait_true(page, "document.getElementById('info').textContent.includes('rocket_blurred.jpg')")
        shown = _shown(page)
        assert (shown["map"], shown["cells"], shown["mapButton"]) == (False, 0, False), shown  # it has none
        assert str(photos / "rocket_blurred.jpg") in shown["info"] and "coffee" not in shown["info"]
        assert errors == []


def test_an_answer_for_a_photo_stepped_past_is_not_shown(sync_api, scanned):
    """The map on, the information of coffee_blurred.jpg (with its map) arrives after the page has stepped on to
    rocket_blurred.jpg: nothing of it shows; rocket_blurred.jpg's own comes when it comes. Stepping back, the map
    (still on) is coffee_blurred.jpg's again."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        _open_coffee(page)
        page.keyboard.press("m")
        wait_true(page, MAP_SHOWN)
        page.keyboard.press("ArrowLeft")  # chelsea_blurred.jpg: no map, the map stays on for the next photo
        wait_true(page, "document.getElementById('info').textContent.includes('chelsea_blurred.jpg')")
        assert not _shown(page)["map"]
        _hold(page)
        page.keyboard.press("ArrowRight")  # coffee_blurred.jpg
        page.keyboard.press("ArrowRight")  # rocket_blurred.jpg
        _wait_asked(page, 2)
        ids = _card_ids(page)
        coffee, rocket = (f"/api/item/{ids[name]}" for name in ("coffee_blurred.jpg", "rocket_blurred.jpg"))
        assert page.evaluate("window.itemAsked") == [coffee, rocket]
        assert _release(page, coffee)["grid"]  # late (rocket_blurred.jpg is shown), and dealt with by the page
        shown = _shown(page)
        assert shown["title"] == "rocket_blurred.jpg"
        assert (shown["map"], shown["cells"]) == (False, 0) and "coffee" not in shown["info"], shown
        _release(page, rocket)
        wait_true(page, "document.getElementById('info').textContent.includes('rocket_blurred.jpg')")
        assert not _shown(page)["map"]
        page.evaluate("window.stopHolding()")
        page.keyboard.press("ArrowLeft")
        wait_true(page, "document.getElementById('info').textContent.includes('coffee_blurred.jpg')")
        wait_true(page, MAP_SHOWN)  # coffee_blurred.jpg's own, the map still on
        assert _shown(page)["title"] == "coffee_blurred.jpg" and _shown(page)["cells"] == 9
        assert errors == []


def test_the_previous_photos_picture_is_not_shown_while_the_next_one_loads(sync_api, scanned):
    """The browser keeps drawing an <img>'s last picture until its new one has come: coffee_blurred.jpg's picture
    stood under rocket_blurred.jpg's name while rocket_blurred.jpg's loaded. Hidden meanwhile, shown once come."""
    photos, db = scanned
    visible = "getComputedStyle(document.getElementById('full')).visibility === 'visible'"
    routes = ServerRoutes()
    with review_page(sync_api, db, routes=routes) as (page, origin, errors):
        _open_coffee(page)
        # (shown by the picture's load event, which comes a moment after the picture is complete)
        wait_true(page, "document.getElementById('full').complete && document.getElementById('full').naturalWidth > 0"
                        " && " + visible)
        held = routes.hold("/full/*")
        page.keyboard.press("ArrowRight")
        [asked] = held.wait(1, describe=lambda: _shown(page))
        assert asked.startswith("/full/" + page.get_attribute("#grid .card.selected", "data-id") + "?")
        assert page.inner_text("#detail-title") == "rocket_blurred.jpg"
        assert not page.evaluate(visible)  # the old page showed coffee_blurred.jpg's picture here
        held.release()
        wait_true(page, visible)
        assert page.evaluate("document.getElementById('full').naturalWidth") == 640  # rocket_blurred.jpg's
        page.keyboard.press("ArrowLeft")  # back to a picture the browser has: shown as soon as it is there
        wait_true(page, visible + " && document.getElementById('full').naturalWidth === 600")
        assert errors == []
