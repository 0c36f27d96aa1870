"""The review page with a slow server, in a real headless Chromium: keys pressed while an answer is on its way
act on the photo shown selected when they were pressed, and the answer, come late, never moves the selection
the person has moved since (a k or d pressed next went to a photo the person had left: the one undone, or the
keeper just chosen), nor stores two decisions on one photo in another order than their keys; the header's
figures end as the database's.

The server's answers are held back by wrapping ``window.fetch`` (``page.evaluate``: the page's CSP forbids
``eval``); the database is read once the page is idle. The browser and the sample library are in
``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in ``conftest.py``).
"""
from __future__ import annotations

import os
import sqlite3

import pytest

from helpers_browser import review_page, review_tabs, wait_true

pytestmark = pytest.mark.browser

# fetch wrapped so that the answers to URLs holding rule.path come rule.ms late (the first rule.times of them
# only, when given)
HOLD_BACK = """(rules) => {
    const fetchNow = window.fetch;
    window.fetch = (url, opts) => {
        const rule = rules.find((r) => String(url).includes(r.path) && (r.times === undefined || r.times > 0));
        if (!rule) return fetchNow(url, opts);
        if (rule.times !== undefined) rule.times--;
        return new Promise((ok) => setTimeout(ok, rule.ms)).then(() => fetchNow(url, opts));
    };
}"""
TOAST = "document.getElementById('toast').textContent"
IDLE = "writes.pending.size === 0"


def stored(db) -> dict[str, str]:
    """The decisions in the database: file name -> keep / discard."""
    conn = sqlite3.connect(db)
    try:
        return {os.path.basename(path): decision
                for path, decision in conn.execute("SELECT path, decision FROM decisions")}
    finally:
        conn.close()


def stored_once_idle(page, db) -> dict[str, str]:
    """The decisions in the database once every write of the page is answered."""
    wait_true(page, IDLE)
    return stored(db)


def selected_name(page) -> str:
    return page.evaluate("current().name")


def test_an_undo_answered_late_leaves_the_selection_moved_since(sync_api, scanned):
    """u, then an arrow before the server answered the u: the answer moved the selection back to the photo
    undone, and a d pressed then discarded that photo, the one the person had just undone, not the one they had
    gone to (until 2026-12-05). It moves there only if the selection has not moved since the u."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, _origin, errors):
        first = selected_name(page)
        page.keyboard.press("d")
        wait_true(page, f"{TOAST} === '{first}: discard'")
        assert stored(db) == {first: "discard"}
        page.evaluate(HOLD_BACK, [{"path": "/api/undo", "ms": 800}])
        page.keyboard.press("u")  # (selects the first photo at once, since 2026-12-05)
        page.keyboard.press("ArrowRight")
        gone_to = selected_name(page)  # the second photo: the person moved on from the one undone
        assert gone_to != first
        wait_true(page, f"{TOAST}.startsWith('undone: discard of')")
        assert selected_name(page) == gone_to
        page.keyboard.press("d")
        wait_true(page, f"{TOAST} === '{gone_to}: discard'")
        assert stored_once_idle(page, db) == {gone_to: "discard"}
        assert errors == []


def test_an_undo_answered_late_still_selects_the_photo_undone(sync_api, scanned):
    """The selection not moved since the u (u u pressed fast included): it goes to the photo undone, as
    before."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, _origin, errors):
        names = page.evaluate("state.items.map((item) => item.name)")
        page.keyboard.press("d")
        page.keyboard.press("k")
        wait_true(page, IDLE + " && tabDecisions.length === 2")
        page.evaluate(HOLD_BACK, [{"path": "/api/undo", "ms": 500}])
        page.keyboard.press("u")
        page.keyboard.press("u")
        wait_true(page, f"{TOAST} === 'undone: discard of {names[0]}'", timeout=15)
        assert selected_name(page) == names[0]
        assert stored(db) == {}
        assert errors == []


def test_a_keeper_answered_late_leaves_the_selection_moved_since(sync_api, scanned):
    """In the bursts view, Space (make the selected shot the keeper), then an arrow to the old keeper before the
    server answered: the answer selected the new keeper (moved to the front of its group), and a d pressed then
    discarded the keeper just chosen, not the shot the person had gone to (until 2026-12-05)."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, _origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        page.keyboard.press("ArrowRight")
        assert selected_name(page) == "chelsea_blurred.jpg"
        page.evaluate(HOLD_BACK, [{"path": "/keeper", "ms": 800}])
        page.keyboard.press("Space")
        page.keyboard.press("ArrowLeft")
        assert selected_name(page) == "chelsea.jpg"
        wait_true(page, f"{TOAST}.startsWith('keeper changed')")
        assert page.inner_text("#bursts .card.keeper .name") == "chelsea_blurred.jpg"
        assert selected_name(page) == "chelsea.jpg"
        assert page.inner_text("#bursts .card.selected .name") == "chelsea.jpg"
        page.keyboard.press("d")
        wait_true(page, f"{TOAST} === 'chelsea.jpg: discard'")
        assert stored_once_idle(page, db) == {"chelsea_blurred.jpg": "keep", "chelsea.jpg": "discard"}
        assert errors == []


def test_a_keeper_answered_late_selects_it_when_the_selection_stayed(sync_api, scanned):
    """Space, the selection left where it was: the new keeper, moved to the front, stays selected, as before."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, _origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        page.keyboard.press("ArrowRight")
        page.evaluate(HOLD_BACK, [{"path": "/keeper", "ms": 500}])
        page.keyboard.press("Space")
        wait_true(page, f"{TOAST}.startsWith('keeper changed')")
        # (the shot named, as a decision's toast names its photo: until 2026-12-07 "keeper changed (and marked keep)")
        assert page.evaluate(TOAST) == "keeper changed: chelsea_blurred.jpg (marked keep)"
        assert page.inner_text("#bursts .card.selected .name") == "chelsea_blurred.jpg"
        assert page.evaluate("state.burstSel") == 0
        assert errors == []


def test_two_decisions_on_one_photo_are_stored_in_the_order_of_their_keys(sync_api, scanned):
    """d, Left (back to the photo), k, the d's request slow on its way (a server busy, a database locked by a
    scan): the k was stored first and the d after it, so the photo the person meant to keep was left discarded,
    for `blurscan move` to take (until 2026-12-05). A decision waits for the one before on the same photo."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, _origin, errors):
        first = selected_name(page)
        page.evaluate(HOLD_BACK, [{"path": "/api/decision", "ms": 800, "times": 1}])
        page.keyboard.press("d")
        page.keyboard.press("ArrowLeft")
        assert selected_name(page) == first
        page.keyboard.press("k")
        wait_true(page, IDLE + " && tabDecisions.length === 2")
        assert stored(db) == {first: "keep"}
        wait_true(page, f"{TOAST} === '{first}: keep'")
        assert page.evaluate("state.items[0].decision") == "keep"
        assert errors == []


def test_the_header_shows_the_figures_of_the_last_write_stored(sync_api, scanned):
    """d d, the first answer slow on its way back: it came last, with the figures of before the second d, and
    the header said "1 discarded" with 2 discarded in the database (until 2026-12-05). Writes answered in
    another order than they were sent: the figures are read again once all are answered."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, _origin, errors):
        page.evaluate("""() => {  // the first decision's answer comes 800 ms late (it is stored at once)
            const fetchNow = window.fetch;
            let first = true;
            window.fetch = (url, opts) => {
                if (!String(url).includes("/api/decision") || !first) return fetchNow(url, opts);
                first = false;
                return fetchNow(url, opts).then((res) => new Promise((ok) => setTimeout(() => ok(res), 800)));
            };
        }""")
        page.keyboard.press("d")
        page.wait_for_timeout(200)
        page.keyboard.press("d")
        wait_true(page, IDLE + " && tabDecisions.length === 2")
        assert len(stored(db)) == 2
        wait_true(page, "document.getElementById('summary').textContent.includes(' 2 discarded ')", timeout=15)
        assert " 2 to review " in page.inner_text("#summary")
        assert errors == []


def test_two_keeper_choices_in_one_group_are_stored_in_the_order_of_their_keys(sync_api, tmp_path):
    """A group of three shots: Space on the second (its request slow on its way), Right, Space on the third: the
    third was stored first and the second after it, so the keeper was the shot chosen first, not the last one
    the person chose (until 2026-12-05: writes were ordered per photo, and these are two photos). A keeper
    choice waits for the one before in the same group."""
    from helpers_browser import generated_library

    db = generated_library(tmp_path, 3, burst_size=3)
    with review_page(sync_api, db) as (page, _origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        page.keyboard.press("ArrowRight")
        assert selected_name(page) == "IMG_00001.jpg"
        page.evaluate(HOLD_BACK, [{"path": "/keeper", "ms": 800, "times": 1}])
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")
        assert selected_name(page) == "IMG_00002.jpg"
        page.keyboard.press("Space")
        wait_true(page, IDLE + " && tabDecisions.length === 2")
        conn = sqlite3.connect(db)
        try:
            keeper = conn.execute("SELECT path FROM burst_groups WHERE is_keeper = 1 AND rank = 1").fetchone()[0]
        finally:
            conn.close()
        assert os.path.basename(keeper) == "IMG_00002.jpg"
        wait_true(page, "document.querySelector('#bursts .card.keeper .name').textContent === 'IMG_00002.jpg'")
        assert errors == []


def test_a_decision_pressed_after_an_undo_is_stored_after_it(sync_api, scanned):
    """d (its request slow), u, Left back to the photo, k: the undo was sent once the d was answered, after the k
    already waiting for the d, so it came to the server last and was refused ("changed since this discard, to
    keep (in another tab?); not undone", until 2026-12-05). The undo keeps its place from the key press."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, _origin, errors):
        first = selected_name(page)
        page.evaluate(HOLD_BACK, [{"path": "/api/decision", "ms": 800, "times": 1}])
        page.keyboard.press("d")
        page.keyboard.press("u")
        page.keyboard.press("ArrowLeft")
        assert selected_name(page) == first
        page.keyboard.press("k")
        wait_true(page, f"{TOAST} === '{first}: keep'")
        assert stored_once_idle(page, db) == {first: "keep"}
        assert errors == []


def test_a_keeper_choice_undone_then_another_made_leaves_no_mark(sync_api, tmp_path):
    """Space on the second shot (slow), u, Right, Space on the third: the undo came after the third's choice and
    was refused, the second shot staying marked keep (never moved or trashed) though undone (until 2026-12-05)."""
    from helpers_browser import generated_library

    db = generated_library(tmp_path, 3, burst_size=3)
    with review_page(sync_api, db) as (page, _origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        page.keyboard.press("ArrowRight")
        page.evaluate(HOLD_BACK, [{"path": "/keeper", "ms": 800, "times": 1}])
        page.keyboard.press("Space")
        page.keyboard.press("u")
        page.keyboard.press("ArrowRight")
        assert selected_name(page) == "IMG_00002.jpg"
        page.keyboard.press("Space")
        wait_true(page, f"{TOAST}.startsWith('keeper changed')")
        assert stored_once_idle(page, db) == {"IMG_00002.jpg": "keep"}
        assert page.inner_text("#bursts .card.keeper .name") == "IMG_00002.jpg"
        assert errors == []


def test_a_key_pressed_right_after_u_decides_on_the_photo_undone(sync_api, scanned):
    """d, then u and k before the server answered the u: the k kept the photo shown selected meanwhile, the one
    after the photo undone (a fast server's answer had selected the photo undone first; until 2026-12-05). The u
    selects the photo it undoes at once, and its answer, come after the k moved on, leaves the selection there."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, _origin, errors):
        names = page.evaluate("state.items.map((item) => item.name)")
        page.keyboard.press("d")
        wait_true(page, f"{TOAST} === '{names[0]}: discard'")
        page.evaluate(HOLD_BACK, [{"path": "/api/undo", "ms": 800}])
        page.keyboard.press("u")
        assert selected_name(page) == names[0]
        page.keyboard.press("k")
        assert selected_name(page) == names[1]
        wait_true(page, f"{TOAST} === '{names[0]}: keep'")
        assert stored_once_idle(page, db) == {names[0]: "keep"}
        assert selected_name(page) == names[1]
        assert page.evaluate("state.items[0].decision") == "keep"
        assert errors == []


def test_u_in_the_detail_view_shows_the_photo_undone_at_once(sync_api, scanned):
    """The detail view (opened from the grid): d steps to the next photo, u (its answer slow) shows the photo
    undone at once, and the k pressed then keeps it."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, _origin, errors):
        names = page.evaluate("state.items.map((item) => item.name)")
        page.keyboard.press("Enter")
        page.keyboard.press("d")
        wait_true(page, f"{TOAST} === '{names[0]}: discard'")
        assert page.inner_text("#detail-title") == names[1]
        page.evaluate(HOLD_BACK, [{"path": "/api/undo", "ms": 800}])
        page.keyboard.press("u")
        assert page.inner_text("#detail-title") == names[0]
        page.keyboard.press("k")
        wait_true(page, f"{TOAST} === '{names[0]}: keep'")
        assert stored_once_idle(page, db) == {names[0]: "keep"}
        assert page.inner_text("#detail-title") == names[1]
        assert errors == []


def test_a_key_pressed_right_after_u_in_the_bursts_view_decides_on_the_shot_undone(sync_api, scanned):
    """The bursts view: a keeper chosen, an arrow to the old keeper, then u and k before the server answered the
    u: the k kept the old keeper, the shot the person had left (until 2026-12-05). The u selects the shot whose
    keeper choice it undoes at once, the k is stored after the undo, and the old keeper is the keeper again."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, _origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Space")
        wait_true(page, f"{TOAST}.startsWith('keeper changed')")
        page.keyboard.press("ArrowRight")
        assert selected_name(page) == "chelsea.jpg"
        page.evaluate(HOLD_BACK, [{"path": "/api/undo", "ms": 800}])
        page.keyboard.press("u")
        assert selected_name(page) == "chelsea_blurred.jpg"
        page.keyboard.press("k")
        wait_true(page, f"{TOAST} === 'chelsea_blurred.jpg: keep'")
        assert stored_once_idle(page, db) == {"chelsea_blurred.jpg": "keep"}
        assert page.inner_text("#bursts .card.keeper .name") == "chelsea.jpg"
        assert page.inner_text("#bursts .card.selected .name") == "chelsea.jpg"  # (where the k moved on to)
        assert errors == []


def test_an_undo_refused_after_a_key_pressed_on_its_photo_says_so_and_the_key_stands(sync_api, scanned):
    """d, the photo kept in another tab since, then u and k before the server answered the u: the undo is refused
    (said in the message), and the k, stored after it on the photo undone, is its decision, which u undoes. The
    refusal stays on screen, the k's message below it, until the next key: until 2026-12-05 the k's message
    replaced it one answer later, and a sighted person might never read that the undo was refused."""
    photos, db = scanned
    with review_tabs(sync_api, db) as ((page, other), _origin, errors):
        names = page.evaluate("state.items.map((item) => item.name)")
        page.keyboard.press("d")
        wait_true(page, f"{TOAST} === '{names[0]}: discard'")
        other.keyboard.press("k")
        wait_true(other, f"{TOAST} === '{names[0]}: keep'")
        page.evaluate(HOLD_BACK, [{"path": "/api/undo", "ms": 800, "times": 1}])
        page.keyboard.press("u")
        assert selected_name(page) == names[0]
        page.keyboard.press("k")
        refused = f"{names[0]}: changed since this discard, to keep (in another tab?); not undone"
        wait_true(page, f"{TOAST} === '{refused}{names[0]}: keep'")  # (the lines' text, run together)
        assert page.inner_text("#toast").split("\n") == [refused, f"{names[0]}: keep"]
        assert "idle" not in page.get_attribute("#toast", "class")
        assert stored_once_idle(page, db) == {names[0]: "keep"}
        assert page.evaluate("state.items[0].decision") == "keep"
        page.keyboard.press("u")  # the k is this tab's last decision: undone, back to the other tab's keep
        wait_true(page, f"{TOAST} === 'undone: keep of {names[0]} (back to keep)'")  # (the next key's: alone)
        assert stored(db) == {names[0]: "keep"}
        assert errors == []
