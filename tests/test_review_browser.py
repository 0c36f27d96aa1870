"""The review page end to end in a real headless Chromium (Debian's ``chromium`` driven by Playwright).

Scan a folder of generated photos with the real pipeline, start the review server, mark photos with the
keyboard, reload and see the decisions kept, then move the discarded photo away with ``blurscan move`` and put
it back with ``blurscan undo``: every original must come back byte for byte.

CI installs the browser with ``apt-get install -y chromium``; Playwright's own browser download is never used.
A screenshot is saved to ``$BLURSCAN_ARTIFACTS`` (default ``artifacts/`` at the repository root).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import cv2
import pytest
from click.testing import CliRunner
from PIL import Image

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


def _unavailable(reason: str):
    """Skip, or fail where the browser test must run (CI sets ``BLURSCAN_REQUIRE_BROWSER=1``)."""
    if os.environ.get("BLURSCAN_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(f"{reason}, and BLURSCAN_REQUIRE_BROWSER is set")
    pytest.skip(reason)


@pytest.fixture()
def sync_api():
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is missing (install it with `apt-get install -y chromium`)")
    try:
        from playwright import sync_api
    except ImportError:
        _unavailable("the playwright Python package is missing (pip install -e '.[dev]')")
    return sync_api


def _artifacts() -> Path:
    root = os.environ.get("BLURSCAN_ARTIFACTS") or Path(__file__).resolve().parents[1] / "artifacts"
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _wait_true(page, expression: str, timeout: float = 15.0) -> None:
    """Poll a JavaScript expression from Python until it is true.

    ``page.wait_for_function`` polls with ``eval`` inside the page, which the page's Content-Security-Policy
    (rightly) forbids; ``page.evaluate`` goes through the DevTools protocol instead.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def scanned(tmp_path):
    """Four photos (scikit-image's sample photos), each also saved blurred (Gaussian, sigma 4 px); scanned with
    the real pipeline."""
    data = pytest.importorskip("skimage.data")
    from blurscan.config import ScanSettings
    from blurscan.pipeline import scan

    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("astronaut", "coffee", "chelsea", "rocket"):
        img = getattr(data, name)()
        Image.fromarray(img).save(photos / f"{name}.jpg", quality=92)
        Image.fromarray(cv2.GaussianBlur(img, (0, 0), 4)).save(photos / f"{name}_blurred.jpg", quality=92)
    db = photos / ".blurscan.db"
    # the classical measures (no model): deterministic whatever model ships, and this test is about the page
    records = list(scan([photos], ScanSettings(workers=1, model="none"), db=db))
    assert len(records) == 8 and all(r.status == "ok" for r in records)
    flagged = sorted(os.path.basename(r.path) for r in records if r.verdict in ("blurry", "partial"))
    assert flagged == sorted(f"{n}_blurred.jpg" for n in ("astronaut", "coffee", "chelsea", "rocket"))
    from blurscan.store import Store

    with Store(db) as store:
        # a blur map as the model gives it (rows of per-region p_blurry, None = flat region), on one photo,
        # and one burst group as `blurscan bursts` writes it: the review page only reads these
        rec = next(r for r in records if r.path.endswith("coffee_blurred.jpg"))
        if rec.grid is None:
            rec.grid = [[0.9, 0.8, 0.7], [0.6, None, 0.2], [0.1, 0.1, None]]
            rec.grid_box = [0.1, 0.2, 0.9, 0.8]  # the grid covers the picture inside flat borders
            store.put([rec], store.conn.execute("SELECT cache_key FROM images WHERE path = ?",
                                                (rec.path,)).fetchone()[0])
        with store.transaction() as conn:
            conn.executemany("INSERT INTO burst_groups (group_id, path, rank, is_keeper, reason) VALUES (?,?,?,?,?)",
                             [(1, str(photos / "chelsea.jpg"), 1, 1, "sharpest"),
                              (1, str(photos / "chelsea_blurred.jpg"), 2, 0, None)])
    return photos, db


def test_review_page_end_to_end(sync_api, scanned, tmp_path):
    from blurscan.cli import main
    from blurscan.review.server import ReviewServer
    from blurscan.store import Store

    photos, db = scanned
    originals = {p.name: _sha256(p) for p in sorted(photos.glob("*.jpg"))}
    out = _artifacts()

    with ReviewServer(db, port=0) as server, sync_api.sync_playwright() as pw:
        origin = f"http://127.0.0.1:{server.port}"
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            foreign, errors = [], []
            page.on("request", lambda r: None if r.url.startswith(origin + "/") else foreign.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))

            page.goto(server.url)
            assert "token=" not in page.url  # traded for the cookie
            page.wait_for_selector("body[data-ready='1']")
            cards = page.locator("#grid .card")
            assert cards.count() == 4  # the flagged photos
            names = [cards.nth(i).get_attribute("data-id") for i in range(4)]
            _wait_true(page, "Array.from(document.querySelectorAll('#grid img.thumb'))"
                                   ".every(i => i.complete && i.naturalWidth > 0)")

            def press(key, api):
                with page.expect_response(lambda r: r.url.startswith(origin + api) and r.status == 200):
                    page.keyboard.press(key)

            # first photo: keep, second: discard, typed without waiting for the server (the selection moves
            # on at the key press, so the second key is for the second photo)
            page.keyboard.press("k")
            page.keyboard.press("d")
            _wait_true(page, "document.querySelectorAll(\"#grid .card[data-decision='keep']\").length === 1 && "
                             "document.querySelectorAll(\"#grid .card[data-decision='discard']\").length === 1")
            page.keyboard.press("ArrowRight")
            press("d", "/api/decision")      # fourth photo: discard ...
            press("u", "/api/undo")          # ... undone with u
            page.reload()
            page.wait_for_selector("body[data-ready='1']")
            marks = [page.locator(f"#grid .card[data-id='{n}']").get_attribute("data-decision") for n in names]
            assert marks == ["keep", "discard", "", ""]
            assert page.locator("#grid .card .decision").all_inner_texts() == ["KEEP", "DISCARD"]
            assert "1 kept" in page.inner_text("#summary") and "1 discarded" in page.inner_text("#summary")
            _wait_true(page, "Array.from(document.querySelectorAll('#grid img.thumb'))"
                                   ".every(i => i.complete && i.naturalWidth > 0)")
            page.screenshot(path=str(out / "review.png"))

            # detail view: full size, 100 % zoom, EXIF panel; then back to the grid
            page.keyboard.press("Enter")
            page.wait_for_selector("#detail:not([hidden])")
            _wait_true(page, "document.getElementById('full').complete && "
                                   "document.getElementById('full').naturalWidth > 0")
            assert "File" in page.inner_text("#info")
            # a clicked button gives its focus back: Enter on the next photo must not click it again (it kept
            # or discarded that photo unseen); this photo is the one kept above, the next the discarded one
            with page.expect_response(lambda r: r.url.startswith(origin + "/api/decision") and r.status == 200):
                page.click("#btn-keep")
            assert page.evaluate("document.activeElement.id") != "btn-keep"
            page.keyboard.press("Enter")
            page.wait_for_timeout(300)
            page.keyboard.press("z")
            assert "zoomed" in page.get_attribute("#viewport", "class")
            shown, natural = page.evaluate("[document.getElementById('full').getBoundingClientRect().width"
                                           " * window.devicePixelRatio, document.getElementById('full').naturalWidth]")
            assert abs(shown - natural) < 1  # one photo pixel per screen pixel
            page.screenshot(path=str(out / "review-detail.png"))
            page.keyboard.press("Escape")
            assert page.locator("#detail").is_hidden()

            # the blur map overlay of the photo that has one
            page.select_option("#sort", "name")
            _wait_true(page, "document.querySelector('#grid .card .name').textContent"
                                   " === 'astronaut_blurred.jpg'")
            page.locator("#grid .card", has_text="coffee_blurred.jpg").click()
            page.wait_for_selector("#detail:not([hidden])")
            _wait_true(page, "!document.getElementById('btn-map').disabled")
            page.keyboard.press("m")
            assert page.locator("#map .cell").count() == 9
            assert page.locator("#map .cell.flat").count() == 2
            inset = page.evaluate("(() => { const s = document.getElementById('map').style;"
                                  " return [s.top, s.right, s.bottom, s.left]; })()")
            assert inset == ["20%", "10%", "20%", "10%"]  # placed over grid_box, not the whole photo
            _wait_true(page, "document.getElementById('full').complete && "
                                   "document.getElementById('full').naturalWidth > 0")
            page.screenshot(path=str(out / "review-blur-map.png"))
            page.keyboard.press("Escape")

            # the bursts view: change the keeper with the keyboard (Space; Enter opens the shot)
            page.keyboard.press("b")
            page.wait_for_selector("#bursts .card.keeper")
            assert "chelsea.jpg" in page.inner_text("#bursts .card.keeper")
            page.keyboard.press("ArrowRight")
            with page.expect_response(lambda r: "/keeper" in r.url and r.status == 200):
                page.keyboard.press("Space")
            _wait_true(page, "document.querySelector('#bursts .card.keeper .name').textContent"
                                   " === 'chelsea_blurred.jpg'")
            assert "chosen by person" in page.inner_text("#bursts")
            assert "chelsea_blurred.jpg" in page.inner_text("#bursts .card.selected")  # still the chosen shot
            page.screenshot(path=str(out / "review-bursts.png"))
            page.keyboard.press("b")
            assert page.locator("#bursts").is_hidden()
            assert not foreign, f"requests left the review server: {foreign}"
            assert not errors, errors
        finally:
            browser.close()

    with Store(db) as store:
        rows = dict(store.conn.execute("SELECT path, decision FROM decisions").fetchall())
        bursts = store.conn.execute("SELECT path, rank, is_keeper, chosen_by FROM burst_groups ORDER BY rank")
        assert [(Path(p).name, r, k, c) for p, r, k, c in bursts] == [
            ("chelsea_blurred.jpg", 1, 1, "person"), ("chelsea.jpg", 2, 0, "person")]
    # the shot made keeper in the bursts view was the photo discarded in the grid: it is marked keep now (a
    # keeper is never moved or trashed, even after the groups change); discard another flagged photo
    assert rows[str(photos / "chelsea_blurred.jpg")] == "keep" and sorted(rows.values()) == ["keep", "keep"]
    from blurscan.review import decisions

    discarded = next(p for p in sorted(photos.glob("*_blurred.jpg")) if str(p) not in rows)
    with Store(db) as store:
        decisions.set_decision(store, str(discarded), "discard")

    # move the discarded photo away, then undo: every original comes back unchanged
    rejects = tmp_path / "rejects"
    runner = CliRunner()
    result = runner.invoke(main, ["move", "--to", str(rejects), "--yes", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert not discarded.exists()
    assert [p.name for p in rejects.rglob("*.jpg")] == [discarded.name]
    assert {p.name for p in photos.glob("*.jpg")} == set(originals) - {discarded.name}
    result = runner.invoke(main, ["undo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert {p.name: _sha256(p) for p in sorted(photos.glob("*.jpg"))} == originals
    assert not list(rejects.rglob("*.jpg"))
    shutil.copy(out / "review.png", tmp_path / "review.png")  # the artifact is a real PNG
    assert Image.open(tmp_path / "review.png").size == (1280, 800)


def test_review_page_names_missing_files_and_opens_burst_shots(sync_api, scanned):
    """Photos deleted by hand after the scan, before and while the page is open: the grid and the detail view
    show the server's reason (the file and where it was) in place of the picture, a decision on such a photo
    is refused with a toast and nothing recorded, and the bursts view leaves their shots out and says so. A
    burst shot opens in the detail view (Enter or click) and closing it returns to the bursts view."""
    from blurscan.review.server import ReviewServer
    from blurscan.store import Store

    photos, db = scanned
    with Store(db) as store, store.transaction() as conn:  # a second group, which loses a shot below
        conn.executemany("INSERT INTO burst_groups (group_id, path, rank, is_keeper, reason) VALUES (?,?,?,?,?)",
                         [(2, str(photos / "rocket.jpg"), 1, 1, "sharpest"),
                          (2, str(photos / "rocket_blurred.jpg"), 2, 0, None)])
    deleted = photos / "rocket_blurred.jpg"
    deleted.unlink()  # before the page opens: its thumbnail was never made
    gone = "(moved or deleted since the scan)"

    with ReviewServer(db, port=0) as server, sync_api.sync_playwright() as pw:
        origin = f"http://127.0.0.1:{server.port}"
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url)
            page.wait_for_selector("body[data-ready='1']")
            page.select_option("#sort", "name")
            _wait_true(page, "document.querySelector('#grid .card .name').textContent === 'astronaut_blurred.jpg'")
            missing_card = page.locator("#grid .card", has_text="rocket_blurred.jpg")
            _wait_true(page, "Array.from(document.querySelectorAll('#grid .card .noimg'))"
                             ".some(n => n.textContent.includes('no longer at'))")
            assert missing_card.locator(".noimg").inner_text() == f"rocket_blurred.jpg: no longer at {deleted} {gone}"
            _wait_true(page, "Array.from(document.querySelectorAll('#grid img.thumb'))"
                             ".every(i => i.complete && i.naturalWidth > 0)")
            page.screenshot(path=str(_artifacts() / "review-grid-missing.png"))

            # deleted while the page is open (its thumbnail is shown): the detail view says so
            while_open = photos / "coffee_blurred.jpg"
            while_open.unlink()
            page.locator("#grid .card", has_text="coffee_blurred.jpg").click()
            page.wait_for_selector("#full-missing:not([hidden])")
            assert page.inner_text("#full-missing") == f"coffee_blurred.jpg: no longer at {while_open} {gone}"
            assert page.locator("#stage").is_hidden()
            with page.expect_response(lambda r: r.url.startswith(origin + "/api/decision")) as answer:
                page.keyboard.press("k")
            assert answer.value.status == 409
            refusal = f"coffee_blurred.jpg: no longer at {while_open} {gone}; keep not recorded"
            _wait_true(page, f"document.getElementById('toast').textContent === {refusal!r}")
            assert page.locator("#grid .card[data-decision='keep']").count() == 0
            # k moved on to the next photo, gone as well
            _wait_true(page, "document.getElementById('detail-title').textContent === 'rocket_blurred.jpg'")
            _wait_true(page, "document.getElementById('full-missing').textContent.includes('no longer at')")
            page.screenshot(path=str(_artifacts() / "review-missing.png"))
            with page.expect_response(lambda r: r.url.startswith(origin + "/api/decision")) as answer:
                page.click("#btn-discard")  # the button is refused alike, with the same toast
            assert answer.value.status == 409
            _wait_true(page, "document.getElementById('toast').textContent.endsWith("
                             "'rocket_blurred.jpg (moved or deleted since the scan); discard not recorded')")
            page.keyboard.press("Escape")

            # bursts: group 2 has one shot left, so it is hidden, and the page says so
            page.keyboard.press("b")
            page.wait_for_selector("#bursts .card.keeper")
            assert page.locator("#bursts .group").count() == 1
            assert page.inner_text("#bursts .note") == ("1 shot no longer on disk left out; 1 group hidden (fewer "
                                                        "than 2 shots left). blurscan bursts regroups the photos "
                                                        "still on disk.")
            page.screenshot(path=str(_artifacts() / "review-bursts-missing.png"))
            # Enter opens the selected shot full size; arrows step through the shots; Esc goes back
            page.keyboard.press("Enter")
            page.wait_for_selector("#detail:not([hidden])")
            assert page.inner_text("#detail-title") == "chelsea.jpg"
            _wait_true(page, "document.getElementById('full').complete && "
                             "document.getElementById('full').naturalWidth > 0")
            assert page.locator("#full-missing").is_hidden()
            _wait_true(page, "document.getElementById('info').textContent.includes('chelsea.jpg')")
            page.keyboard.press("ArrowRight")
            _wait_true(page, "document.getElementById('detail-title').textContent === 'chelsea_blurred.jpg'")
            with page.expect_response(lambda r: r.url.startswith(origin + "/api/decision") and r.status == 200):
                page.keyboard.press("d")  # decided from the burst's detail view: marked on its card
            _wait_true(page, "document.querySelector(\"#bursts .card[data-decision='discard'] .name\")"
                             "?.textContent === 'chelsea_blurred.jpg'")
            page.keyboard.press("Escape")
            assert page.locator("#detail").is_hidden() and page.locator("#bursts").is_visible()
            assert page.locator("#grid").is_hidden()
            page.keyboard.press("ArrowLeft")  # the bursts view's keys work again
            assert "chelsea.jpg" in page.inner_text("#bursts .card.selected .name")
            # a click opens a shot too; the Close button returns to the bursts view
            page.locator("#bursts .card", has_text="chelsea_blurred.jpg").click()
            page.wait_for_selector("#detail:not([hidden])")
            assert page.inner_text("#detail-title") == "chelsea_blurred.jpg"
            page.click("#btn-close")
            assert page.locator("#detail").is_hidden() and page.locator("#bursts").is_visible()
            assert not errors, errors
        finally:
            browser.close()

    with Store(db) as store:
        rows = dict(store.conn.execute("SELECT path, decision FROM decisions").fetchall())
    assert rows == {str(photos / "chelsea_blurred.jpg"): "discard"}  # nothing recorded for the gone photo


def test_review_header_counts_one_error_in_the_singular(sync_api, scanned):
    """The header's error count agrees in number: '1 error', then '2 errors' once a second photo fails (it
    said '1 errors')."""
    from blurscan.config import ScanSettings
    from blurscan.pipeline import scan
    from blurscan.review.server import ReviewServer

    photos, db = scanned
    (photos / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a JPEG after all")
    assert [r.status for r in scan([photos / "broken.jpg"], ScanSettings(workers=1, model="none"), db=db)] == ["error"]

    with ReviewServer(db, port=0) as server, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(server.url)
            page.wait_for_selector("body[data-ready='1']")
            assert page.inner_text("#summary").endswith(" · 1 error")
            (photos / "broken2.jpg").write_bytes(b"\xff\xd8\xff\xe0 nor this one")
            list(scan([photos / "broken2.jpg"], ScanSettings(workers=1, model="none"), db=db))
            page.reload()
            page.wait_for_selector("body[data-ready='1']")
            assert page.inner_text("#summary").endswith(" · 2 errors")
        finally:
            browser.close()


def test_bursts_view_space_ignores_a_focused_button_and_k_d_u_decide(sync_api, scanned):
    """In the bursts view Space acts on the selected shot only: with the keeper selected and another shot's
    "Make keeper" button focused, it changed the keeper unseen (the browser clicked the focused button). k / d
    / u decide and undo on the selected shot as in the grid (they did nothing there), marked on its card."""
    from blurscan.review.server import ReviewServer
    from blurscan.store import Store

    photos, db = scanned
    with ReviewServer(db, port=0) as server, sync_api.sync_playwright() as pw:
        origin = f"http://127.0.0.1:{server.port}"
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            errors, posts = [], []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: posts.append(r.url[len(origin):]) if r.method == "POST" else None)
            page.goto(server.url)
            page.wait_for_selector("body[data-ready='1']")
            page.keyboard.press("b")
            page.wait_for_selector("#bursts .card.keeper.selected")
            assert page.inner_text("#bursts .card.selected .name") == "chelsea.jpg"
            page.focus("#bursts .make-keeper")  # chelsea_blurred.jpg's button, as after Tab or a click
            page.keyboard.press("Space")  # the selected shot is the keeper already: nothing to do
            page.keyboard.press("ArrowRight")
            assert page.inner_text("#bursts .card.selected .name") == "chelsea_blurred.jpg"
            toast = "document.getElementById('toast').textContent === "
            shot = "document.querySelector(\"#bursts .card[data-id='%s']\").dataset.decision === '%s'"
            ident = page.get_attribute("#bursts .card.selected", "data-id")
            with page.expect_response(lambda r: r.url == origin + "/api/decision" and r.status == 200):
                page.keyboard.press("d")
            _wait_true(page, shot % (ident, "discard"))
            _wait_true(page, toast + "'chelsea_blurred.jpg: discard'")
            assert page.inner_text("#bursts .card.selected .decision") == "DISCARD"
            assert posts == ["/api/decision"], posts  # Space sent nothing: the keeper was not changed
            assert page.inner_text("#bursts .card.keeper .name") == "chelsea.jpg"
            page.keyboard.press("u")
            _wait_true(page, shot % (ident, ""))
            _wait_true(page, toast + "'undone: discard of chelsea_blurred.jpg'")
            assert page.locator("#bursts .card.selected .decision").count() == 0
            page.keyboard.press("k")
            _wait_true(page, shot % (ident, "keep"))
            _wait_true(page, toast + "'chelsea_blurred.jpg: keep'")
            assert " 1 kept " in page.inner_text("#summary")
            assert posts == ["/api/decision", "/api/undo", "/api/decision"], posts
            # a click on "Make keeper" gives its focus back, as the detail view's buttons do
            page.keyboard.press("ArrowLeft")
            page.click("#bursts .make-keeper")
            _wait_true(page, "document.querySelector('#bursts .card.keeper .name').textContent"
                             " === 'chelsea_blurred.jpg'")
            assert page.evaluate("document.activeElement === document.body")
            assert not errors, errors
        finally:
            browser.close()

    with Store(db) as store:
        rows = dict(store.conn.execute("SELECT path, decision FROM decisions").fetchall())
        keeper = [r[0] for r in store.conn.execute("SELECT path FROM burst_groups WHERE is_keeper = 1")]
    assert rows == {str(photos / "chelsea_blurred.jpg"): "keep"}
    assert keeper == [str(photos / "chelsea_blurred.jpg")]


def test_u_undoes_this_tabs_decision_not_another_tabs(sync_api, scanned):
    """Two tabs on one review server: u in tab A undid the database's last decision, made in tab B. It undoes
    A's own last decision; one decided again in B since is refused with a message (and shown as it is now);
    u typed before the server answered k undoes that k; a keeper choice is undone with its keep mark."""
    from blurscan.review.server import ReviewServer
    from blurscan.store import Store

    photos, db = scanned

    def stored():
        with Store(db) as store:
            return {Path(p).name: d for p, d in store.conn.execute("SELECT path, decision FROM decisions")}

    with ReviewServer(db, port=0) as server, sync_api.sync_playwright() as pw:
        origin = f"http://127.0.0.1:{server.port}"
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            errors = []
            tab_a, tab_b = context.new_page(), context.new_page()
            for tab in (tab_a, tab_b):
                tab.on("pageerror", lambda e: errors.append(str(e)))
                tab.goto(server.url)
                tab.wait_for_selector("body[data-ready='1']")
            names = tab_a.locator("#grid .card .name").all_inner_texts()
            toast = "document.getElementById('toast').textContent === %r"

            def press(tab, key, api, status=200):
                with tab.expect_response(lambda r: r.url.startswith(origin + api) and r.status == status):
                    tab.keyboard.press(key)

            press(tab_a, "k", "/api/decision")           # A keeps the first photo
            tab_b.keyboard.press("ArrowRight")
            press(tab_b, "d", "/api/decision")           # B discards the second
            press(tab_a, "u", "/api/undo")               # A's u: A's keep, not B's discard
            _wait_true(tab_a, toast % f"undone: keep of {names[0]}")
            assert stored() == {names[1]: "discard"}

            press(tab_a, "d", "/api/decision")           # A discards the first photo (selected by the undo) ...
            tab_b.keyboard.press("ArrowLeft")
            tab_b.keyboard.press("ArrowLeft")
            press(tab_b, "k", "/api/decision")           # ... B keeps it since
            press(tab_a, "u", "/api/undo", 409)          # A's u would throw B's keep away: refused
            _wait_true(tab_a, toast % f"{names[0]}: changed since this discard, to keep (in another tab?); "
                                      "not undone")
            _wait_true(tab_a, "document.querySelector('#grid .card').dataset.decision === 'keep'")
            assert stored() == {names[0]: "keep", names[1]: "discard"}
            tab_a.keyboard.press("u")                    # A has nothing else to undo
            _wait_true(tab_a, toast % "nothing to undo in this tab")
            assert stored() == {names[0]: "keep", names[1]: "discard"}

            # k then u at once (A's selection is the second photo): u waits for k's answer and undoes it
            with tab_a.expect_response(lambda r: r.url == origin + "/api/undo" and r.status == 200):
                tab_a.keyboard.press("k")
                tab_a.keyboard.press("u")
            _wait_true(tab_a, toast % f"undone: keep of {names[1]} (back to discard)")
            assert stored() == {names[0]: "keep", names[1]: "discard"}

            # the bursts view: Space makes the selected shot keeper (and marks it keep); u puts both back
            tab_a.keyboard.press("b")
            tab_a.wait_for_selector("#bursts .card.keeper.selected")
            tab_a.keyboard.press("ArrowRight")
            press(tab_a, " ", "/api/bursts/")
            _wait_true(tab_a, "document.querySelector('#bursts .card.keeper .name').textContent"
                              " === 'chelsea_blurred.jpg'")
            press(tab_a, "u", "/api/undo")
            _wait_true(tab_a, toast % "undone: chelsea_blurred.jpg as keeper (chelsea.jpg is the keeper again)")
            assert tab_a.inner_text("#bursts .card.keeper .name") == "chelsea.jpg"
            assert tab_a.inner_text("#bursts .card.selected .name") == "chelsea_blurred.jpg"
            assert "chosen by auto" in tab_a.inner_text("#bursts")
            assert not errors, errors
        finally:
            browser.close()

    assert stored() == {names[0]: "keep", names[1]: "discard"}
    with Store(db) as store:
        assert [(Path(p).name, c) for p, c in store.conn.execute(
            "SELECT path, chosen_by FROM burst_groups WHERE is_keeper = 1")] == [("chelsea.jpg", "auto")]
