"""u typed again before the server answered the u before, in a real headless Chromium: the selection and the last
message follow the keys, ending on the photo of the last u pressed, whatever order the server's answers come in.
`k k k u u u` typed at key-repeat speed undid the three keeps in the database, but the undos were sent at once and
each answer selected its photo as it came: the selection and the message could end on the second or third photo
instead of the first (the last one undone).

The answers to ``/api/undo`` are held back inside the page, at its ``api()`` (api.js), as a slow server delays
them, and let through newest first whenever several are waiting. The browser and the sample library are in
``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in ``conftest.py``)."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers_browser import review_page, wait_true

pytestmark = pytest.mark.browser

#: Holds the page's ``/api/undo`` requests in the page itself (as test_review_browser_step_detail.py holds the
#: photo information's): each is sent to the server when the test releases it. ``window.undoHeld``: how many are
#: waiting; ``window.undoAnswers``: how many answers the page has dealt with (counted in a task after the answer's
#: promise settles, so after the code awaiting it has run).
HOLD_UNDO = """(() => {
    const real = window.api, gates = [];
    Object.assign(window, { undoAnswers: 0, undoHeld: 0 });
    window.api = (path, body) => {
        if (path !== '/api/undo') return real(path, body);
        const answer = new Promise((resolve) => { gates.push(resolve); window.undoHeld = gates.length; })
            .then(() => real(path, body));
        const counted = () => setTimeout(() => { window.undoAnswers++; });
        answer.then(counted, counted);
        return answer;
    };
    window.releaseNewestUndo = () => { gates.pop()(); window.undoHeld = gates.length; };
})()"""


def test_undos_answered_out_of_order_end_on_the_last_u_pressed(sync_api, scanned):
    from blurscan.store import Store

    photos, db = scanned

    def stored():
        with Store(db) as store:
            return {Path(p).name: d for p, d in store.conn.execute("SELECT path, decision FROM decisions")}

    with review_page(sync_api, db) as (page, origin, errors):
        names = page.locator("#grid .card .name").all_inner_texts()
        assert len(names) == 4
        for _ in range(3):
            page.keyboard.press("k")  # photos 0, 1 and 2 kept, the selection moving on to photo 3
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"keep\"]').length === 3")
        assert stored() == {name: "keep" for name in names[:3]}
        page.evaluate(HOLD_UNDO)
        for _ in range(3):
            page.keyboard.press("u")  # undoes photo 2's keep, then photo 1's, then photo 0's
        for released in range(3):
            # the old page had sent all three: the last u's answer (photo 0) came first, photo 2's last
            wait_true(page, "window.undoHeld > 0")
            page.evaluate("window.releaseNewestUndo()")
            wait_true(page, f"window.undoAnswers > {released}")
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"keep\"]').length === 0")
        assert page.inner_text("#grid .card.selected .name") == names[0]
        assert page.inner_text("#toast") == f"undone: keep of {names[0]}"
        assert stored() == {}
        assert page.evaluate("window.undoHeld") == 0
        assert errors == []


#: The page's second ``/api/decision`` is held and then fails as with no answer (``window.failHeld()``).
FAIL_SECOND_DECISION = """(() => {
    const real = window.api; let n = 0;
    Object.assign(window, { undoAnswers: 0 });
    window.api = (path, body) => {
        if (path === '/api/decision' && ++n === 2)
            return new Promise((_, reject) => { window.failHeld = () => reject(new Error('Failed to fetch')); });
        const answer = real(path, body);
        if (path === '/api/undo') {
            const counted = () => setTimeout(() => { window.undoAnswers++; });
            answer.then(counted, counted);
        }
        return answer;
    };
})()"""


def test_a_u_whose_decision_was_not_recorded_undoes_the_one_before_it_never_a_later_one(sync_api, scanned):
    """k (recorded), k (still on its way), u, k (recorded), and then the second k fails: the u went on with the
    newest decision of the tab when the failure came, the k pressed *after* it, and undid that one."""
    from blurscan.store import Store

    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.locator("#grid .card .name").all_inner_texts()
        page.evaluate(FAIL_SECOND_DECISION)
        page.keyboard.press("k")  # photo 0: recorded
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"keep\"]').length === 1")
        page.keyboard.press("k")  # photo 1: held
        page.keyboard.press("u")  # this u undoes photo 1's keep, or, not recorded, photo 0's (selects photo 1)
        page.keyboard.press("ArrowRight")
        page.keyboard.press("k")  # photo 2: pressed after the u
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"keep\"]').length === 2")
        page.evaluate("window.failHeld()")
        wait_true(page, "window.undoAnswers === 1")
        with Store(db) as store:
            stored = {Path(p).name: d for p, d in store.conn.execute("SELECT path, decision FROM decisions")}
        assert stored == {names[2]: "keep"}
        # (the failure stays on screen, the undo's message below it: no key was pressed after it)
        failure, undone = page.inner_text("#toast").split("\n")
        assert failure.startswith(f"{names[1]}: keep not recorded: ") and undone == f"undone: keep of {names[0]}"
