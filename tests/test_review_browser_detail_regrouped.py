"""The detail view opened from the bursts view, its photo's information (the details panel, the blur map) still
on its way when the groups are read again under it (a keeper discarded, a keeper choice undone): the groups read
again are new objects for the same shots, and the page told whether the answer was still the photo shown by
comparing objects. The answer, come after the groups, was taken for another photo's and dropped: the details
panel stayed empty and the blur map never came, and m said "no blur map for this photo" (until 2026-12-07). It
compares the photos' ids now. The answers to /api/item are held by wrapping ``window.fetch`` (the page's CSP
forbids ``eval``) until the test lets them go: no timing. A real generated burst of three, scanned with the
shipped model (each shot has its blur map) and ranked through the CLI; the real review server and page."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpers_browser import review_page, wait_true
from helpers_images import T0, blurred, scene, shaken, shifted
from test_bursts_cli import _jpeg_with_time
from test_renamed_stale_burst import _groups, _run

pytestmark = pytest.mark.browser

# the answers to URLs holding ``path`` held until window.letHeldGo() is called (those asked after it come at once)
HOLD = """(path) => {
    const fetchNow = window.fetch;
    let go, gone = false;
    const held = new Promise((ok) => { go = ok; });
    window.heldAsked = 0;
    window.letHeldGo = () => { gone = true; go(); };
    window.fetch = (url, opts) => {
        if (gone || !String(url).includes(path)) return fetchNow(url, opts);
        window.heldAsked++;
        return held.then(() => fetchNow(url, opts));
    };
}"""
NAMES = "burstPhotos().map((item) => item.name).join(' ')"
TITLE = "$('detail-title').textContent"
TOAST = "$('toast').textContent"
IDLE = "writes.pending.size === 0 && groupsReading === null"
# the shot shown has its own information and blur map (its details panel filled, the map's cells drawn)
DETAILS_SHOWN = ("state.detail !== null && state.detail.id === current().id && "
                 "$('info').querySelector('dl') !== null && $('map').children.length > 0")


def three_shots_with_maps(lib: Path) -> None:
    """One burst of three scanned with the shipped model (a blur map each) and ranked: IMG_0002.jpg (sharp) the
    keeper, IMG_0001.jpg (shaken) and IMG_0003.jpg (out of focus) its candidates."""
    a = scene(61)
    _jpeg_with_time(lib / "IMG_0001.jpg", shaken(a), T0)
    _jpeg_with_time(lib / "IMG_0002.jpg", shifted(a, 6, 0), T0 + dt.timedelta(seconds=1))
    _jpeg_with_time(lib / "IMG_0003.jpg", blurred(shifted(a, 3, 3), 2.0), T0 + dt.timedelta(seconds=2))
    _run("scan", str(lib), "--workers", "1")
    _run("bursts", str(lib))
    assert _groups(lib) == [[("IMG_0002.jpg", True), ("IMG_0001.jpg", False), ("IMG_0003.jpg", False)]]


def _open_keeper(page):
    page.keyboard.press("b")
    page.wait_for_selector("#bursts .card.keeper.selected")
    page.evaluate(HOLD, "/api/item/")
    page.keyboard.press("Enter")
    wait_true(page, f"state.view === 'detail' && {TITLE} === 'IMG_0002.jpg' && window.heldAsked === 1")


def test_details_asked_before_the_groups_are_read_again_still_show(sync_api, tmp_path):
    """d on the keeper in the detail view: the next shot shown, its information on its way, and the groups read
    again (the discarded keeper goes last). The information, come then, shows, and m (pressed meanwhile) turns its
    blur map on."""
    lib = tmp_path / "lib"
    three_shots_with_maps(lib)
    with review_page(sync_api, lib / ".blurscan.db") as (page, _origin, errors):
        _open_keeper(page)
        page.keyboard.press("d")  # IMG_0001.jpg shown, its information asked for (held)
        wait_true(page, f"{NAMES} === 'IMG_0001.jpg IMG_0003.jpg IMG_0002.jpg' && window.heldAsked === 2")
        assert page.evaluate(TITLE) == "IMG_0001.jpg"
        assert page.evaluate("current().name") == "IMG_0001.jpg"
        page.keyboard.press("m")  # (the map asked for while the information is on its way)
        assert "no blur map" not in page.evaluate(TOAST)
        assert page.get_attribute("#btn-map", "aria-pressed") == "true"
        page.evaluate("window.letHeldGo()")
        wait_true(page, DETAILS_SHOWN)
        assert page.evaluate("state.detail.path").endswith("IMG_0001.jpg")
        assert "IMG_0001.jpg" in page.inner_text("#info")
        assert page.is_visible("#map")  # (m pressed before it came)
        page.keyboard.press("m")  # off, and on again: never "no blur map for this photo"
        page.keyboard.press("m")
        assert "no blur map" not in page.evaluate(TOAST)
        assert page.is_visible("#map")
        assert errors == []


def test_details_asked_before_an_undo_regroups_still_show(sync_api, tmp_path):
    """d on the keeper in the detail view (the groups read again: it goes last), then u: the keeper shown again,
    its information on its way, and the groups read again once more (it is the keeper again, first). Its
    information, come then, shows."""
    lib = tmp_path / "lib"
    three_shots_with_maps(lib)
    with review_page(sync_api, lib / ".blurscan.db") as (page, _origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        page.keyboard.press("Enter")
        wait_true(page, f"state.view === 'detail' && {TITLE} === 'IMG_0002.jpg' && {DETAILS_SHOWN}")
        page.keyboard.press("d")
        wait_true(page, f"{NAMES} === 'IMG_0001.jpg IMG_0003.jpg IMG_0002.jpg' && {TITLE} === 'IMG_0001.jpg'")
        wait_true(page, IDLE)
        page.evaluate(HOLD, "/api/item/")
        page.keyboard.press("u")  # its discard undone: IMG_0002.jpg shown, the keeper again, the first shot
        wait_true(page, f"{TOAST}.startsWith('undone') && {NAMES} === 'IMG_0002.jpg IMG_0001.jpg IMG_0003.jpg'")
        wait_true(page, f"{TITLE} === 'IMG_0002.jpg' && state.burstSel === 0 && window.heldAsked > 0")
        page.evaluate("window.letHeldGo()")
        wait_true(page, DETAILS_SHOWN)
        assert page.evaluate("state.detail.path").endswith("IMG_0002.jpg")
        assert errors == []
