"""The detail view's blur map and information when stepping to the next photo, in a real headless Chromium: they
are the photo's own or none, never the previous photo's while the new one's are on their way. `m` pressed right
after a step showed the previous photo's map over the new photo (the page still held its information), and the
information panel showed the previous photo's path, size and verdict under the new photo's name.

The answers to ``/api/item/...`` (a photo's information) are held back by the test, as a slow server or a large
library delays them. The browser and the sample library are in ``helpers_browser.py`` (fixtures ``sync_api`` and
``scanned`` in ``conftest.py``); coffee_blurred.jpg is the one photo with a blur map."""
from __future__ import annotations

import time

import pytest

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

MAP_SHOWN = "!document.getElementById('map').hidden && document.querySelectorAll('#map .cell').length > 0"


class _Held(list):
    """The held routes, plus every ``/api/item/...`` URL the page asked for (``asked``, from the page's own
    ``request`` events, which come whether or not a route sees the request): a wait that fails says which."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []


def _hold(page) -> _Held:
    """Hold every request for ``/api/item/...`` from now on; returns the held routes in the order their handlers
    ran (mostly the order the page asked, not always). The handler only keeps the route: the answer is fetched
    when the test releases it (:func:`_release`), so nothing in the handler can fail unseen or block the next
    request's handler (with a handler that fetched, this test once waited 30 s in vain on a loaded machine; the
    handler is the likely cause, not a proven one)."""
    held = _Held()
    page.on("request", lambda request: "/api/item/" in request.url and held.asked.append(request.url))
    page.route("**/api/item/*", lambda route: held.append(route))
    return held


def _release(route) -> dict:
    """Answer a held request with the server's answer, read now; returns that answer's JSON."""
    answer = route.fetch()
    route.fulfill(response=answer)
    return answer.json()


def _count_item_answers(page) -> None:
    """From now on the page counts in ``window.itemAnswers`` the ``/api/item/...`` answers it has *dealt with*:
    counted in a task after the answer's promise settles, so after the code awaiting it has run (an answer the
    page leaves alone changes nothing a test could wait for)."""
    page.evaluate("""(() => {
        const real = window.api;
        window.itemAnswers = 0;
        window.api = (path, body) => {
            const answer = real(path, body);
            if (path.startsWith('/api/item/')) {
                const counted = () => setTimeout(() => { window.itemAnswers++; });
                answer.then(counted, counted);
            }
            return answer;
        };
    })()""")


def _wait_held(page, held: list, count: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while len(held) < count:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{count} requests were never held (waited {seconds} s); held: {[route.request.url for route in held]},"
                f" the page asked for: {getattr(held, 'asked', '(not followed)')}, the page shows: {_shown(page)}")
        page.wait_for_timeout(25)


def _card_ids(page) -> dict:
    """The grid's cards, name -> item id (the id ``/api/item/<id>`` asks for)."""
    return page.evaluate("""Object.fromEntries([...document.querySelectorAll('#grid .card')].map(
        (c) => [c.querySelector('.name').textContent, c.dataset.id]))""")


def _open_coffee(page) -> None:
    page.select_option("#sort", "name")  # astronaut, chelsea, coffee, rocket (the blurred ones: flagged)
    wait_true(page, "document.querySelector('#grid .card .name').textContent === 'astronaut_blurred.jpg'")
    page.locator("#grid .card", has_text="coffee_blurred.jpg").click()
    page.wait_for_selector("#detail:not([hidden])")
    wait_true(page, "!document.getElementById('btn-map').disabled")  # its information (and map) came


def _shown(page) -> dict:
    return page.evaluate("""({ title: document.getElementById('detail-title').textContent,
        map: !document.getElementById('map').hidden, cells: document.querySelectorAll('#map .cell').length,
        info: document.getElementById('info').textContent,
        mapButton: !document.getElementById('btn-map').disabled })""")


def test_m_right_after_a_step_never_shows_the_previous_photos_map(sync_api, scanned):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        _open_coffee(page)
        assert "coffee_blurred.jpg" in page.inner_text("#info")
        held = _hold(page)
        page.keyboard.press("ArrowRight")  # rocket_blurred.jpg: no blur map; its information held back
        _wait_held(page, held, 1)
        page.keyboard.press("m")
        shown = _shown(page)
        assert shown["title"] == "rocket_blurred.jpg"
        # the old page showed coffee_blurred.jpg's map (9 cells) and information here
        assert (shown["map"], shown["cells"], shown["mapButton"]) == (False, 0, False), shown
        assert "coffee" not in shown["info"], shown
        route = held.pop()
        assert route.request.url.endswith("/api/item/" + page.get_attribute("#grid .card.selected", "data-id"))
        assert _release(route)["name"] == "rocket_blurred.jpg"
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
        held = _hold(page)
        _count_item_answers(page)
        page.keyboard.press("ArrowRight")  # coffee_blurred.jpg
        page.keyboard.press("ArrowRight")  # rocket_blurred.jpg
        _wait_held(page, held, 2)
        # by the item asked for, not by the order the handlers ran
        ids = _card_ids(page)
        by_url = {route.request.url.rsplit("/", 1)[-1]: route for route in held}
        coffee, rocket = by_url[ids["coffee_blurred.jpg"]], by_url[ids["rocket_blurred.jpg"]]
        assert _release(coffee)["grid"]  # late: rocket_blurred.jpg is shown
        wait_true(page, "window.itemAnswers === 1")  # the page has dealt with it
        shown = _shown(page)
        assert shown["title"] == "rocket_blurred.jpg"
        assert (shown["map"], shown["cells"]) == (False, 0) and "coffee" not in shown["info"], shown
        _release(rocket)
        wait_true(page, "document.getElementById('info').textContent.includes('rocket_blurred.jpg')")
        assert not _shown(page)["map"]
        page.unroute("**/api/item/*")
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
    with review_page(sync_api, db) as (page, origin, errors):
        _open_coffee(page)
        # (shown by the picture's load event, which comes a moment after the picture is complete)
        wait_true(page, "document.getElementById('full').complete && document.getElementById('full').naturalWidth > 0"
                        " && " + visible)
        held = []
        page.route("**/full/*", lambda route: held.append(route))
        page.keyboard.press("ArrowRight")
        _wait_held(page, held, 1)
        assert page.inner_text("#detail-title") == "rocket_blurred.jpg"
        assert not page.evaluate(visible)  # the old page showed coffee_blurred.jpg's picture here
        held[0].continue_()
        wait_true(page, visible)
        assert page.evaluate("document.getElementById('full').naturalWidth") == 640  # rocket_blurred.jpg's
        page.unroute("**/full/*")
        page.keyboard.press("ArrowLeft")  # back to a picture the browser has: shown as soon as it is there
        wait_true(page, visible + " && document.getElementById('full').naturalWidth === 600")
        assert errors == []
