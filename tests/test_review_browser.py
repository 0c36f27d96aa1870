"""The review page end to end in a real headless Chromium (Debian's ``chromium`` driven by Playwright).

Scan a folder of generated photos with the real pipeline, start the review server, mark photos with the
keyboard, reload and see the decisions kept, then move the discarded photo away with ``blurscan move`` and put
it back with ``blurscan undo``: every original must come back byte for byte. Also photos deleted by hand after
the scan (grid, detail view, bursts view), a burst shot opened full size, and the header's error count.

The bursts view's keys and undo across two tabs are in ``test_review_browser_keys.py``; the browser and the
sample library in ``helpers_browser.py`` (fixtures ``sync_api`` and ``scanned`` in ``conftest.py``).
A screenshot is saved to ``$BLURSCAN_ARTIFACTS`` (default ``artifacts/`` at the repository root).
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from PIL import Image

from helpers_browser import artifacts as _artifacts, review_page, wait_true as _wait_true

pytestmark = pytest.mark.browser


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_review_page_end_to_end(sync_api, scanned, tmp_path):
    from blurscan.cli import main
    from blurscan.review.server import ReviewServer
    from blurscan.store import Store

    photos, db = scanned
    originals = {p.name: _sha256(p) for p in sorted(photos.glob("*.jpg"))}
    out = _artifacts()

    with ReviewServer(db, port=0) as server:
        origin = f"http://127.0.0.1:{server.port}"
        browser = sync_api.browser
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
            # the information comes from its own request (/api/item), which may be answered after the picture
            _wait_true(page, "document.getElementById('info').textContent.includes('File')")
            # a clicked button gives its focus back: Enter on the next photo must not click it again (it kept
            # or discarded that photo unseen); this photo is the one kept above, the next the discarded one
            with page.expect_response(lambda r: r.url.startswith(origin + "/api/decision") and r.status == 200):
                page.click("#btn-keep")
            assert page.evaluate("document.activeElement.id") != "btn-keep"
            page.keyboard.press("Enter")
            page.wait_for_timeout(300)
            # the next photo's picture (loading since the click): the zoom is measured on its own pixels
            _wait_true(page, "document.getElementById('full').complete && "
                             "document.getElementById('full').naturalWidth > 0")
            page.keyboard.press("z")
            assert "zoomed" in page.get_attribute("#viewport", "class")
            shown, natural = page.evaluate("[document.getElementById('full').getBoundingClientRect().width"
                                           " * window.devicePixelRatio, document.getElementById('full').naturalWidth]")
            assert natural > 0 and abs(shown - natural) < 1  # one photo pixel per screen pixel
            page.screenshot(path=str(out / "review-detail.png"))
            page.keyboard.press("Escape")
            assert page.locator("#detail").is_hidden()

            # the blur map overlay of the photo that has one
            page.select_option("#sort", "name")
            _wait_true(page, "document.querySelector('#grid .card .name').textContent"
                                   " === 'astronaut_blurred.jpg'")
            page.locator("#grid .card", has_text="coffee_blurred.jpg").click()
            page.wait_for_selector("#detail:not([hidden])")
            _wait_true(page, "document.getElementById('btn-map').getAttribute('aria-disabled') === 'false'")
            # the picture too: the map lies over it, and has no size before it has come
            _wait_true(page, "document.getElementById('full').complete && "
                                   "document.getElementById('full').naturalWidth > 0")
            assert page.locator("#map").is_hidden()            # the plain photo first (the map's display:
            page.keyboard.press("m")                          # grid beat the hidden attribute: always shown)
            assert page.locator("#map").is_visible()
            assert page.locator("#map .cell").count() == 9
            assert page.locator("#map .cell.flat").count() == 2
            inset = page.evaluate("(() => { const s = document.getElementById('map').style;"
                                  " return [s.top, s.right, s.bottom, s.left]; })()")
            assert inset == ["20%", "10%", "20%", "10%"]  # placed over grid_box, not the whole photo
            page.screenshot(path=str(out / "review-blur-map.png"))
            page.keyboard.press("m")                          # and m takes it away again
            assert page.locator("#map").is_hidden()
            page.keyboard.press("Escape")

            # the bursts view: change the keeper with the keyboard (Space; Enter opens the shot)
            page.keyboard.press("b")
            page.wait_for_selector("#bursts .card.keeper")
            assert "chelsea.jpg" in page.inner_text("#bursts .card.keeper")
            # the heading says what `blurscan bursts` says (it showed the raw field: "chosen by auto")
            assert page.inner_text("#bursts .group h2") == "Group 1 · 2 shots · keeper proposed"
            page.keyboard.press("ArrowRight")
            with page.expect_response(lambda r: "/keeper" in r.url and r.status == 200):
                page.keyboard.press("Space")
            _wait_true(page, "document.querySelector('#bursts .card.keeper .name').textContent"
                                   " === 'chelsea_blurred.jpg'")
            assert page.inner_text("#bursts .group h2") == "Group 1 · 2 shots · keeper chosen by a person"
            assert "chelsea_blurred.jpg" in page.inner_text("#bursts .card.selected")  # still the chosen shot
            page.screenshot(path=str(out / "review-bursts.png"))
            page.keyboard.press("b")
            assert page.locator("#bursts").is_hidden()
            assert not foreign, f"requests left the review server: {foreign}"
            assert not errors, errors
        finally:
            sync_api.close_contexts()

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
    with Image.open(tmp_path / "review.png") as im:
        assert im.size == (1280, 800)


def test_review_page_names_missing_files_and_opens_burst_shots(sync_api, scanned):
    """Photos deleted by hand after the scan, before and while the page is open: the grid and the detail view
    show the server's reason (the file and where it was) in place of the picture, a decision on such a photo
    is refused with a toast and nothing recorded, and the bursts view leaves their shots out and says so. A
    burst shot opens in the detail view (Enter or click) and closing it returns to the bursts view."""
    from blurscan.store import Store

    photos, db = scanned
    with Store(db) as store, store.transaction() as conn:  # a second group, which loses a shot below
        conn.executemany("INSERT INTO burst_groups (group_id, path, rank, is_keeper, reason) VALUES (?,?,?,?,?)",
                         [(2, str(photos / "rocket.jpg"), 1, 1, "sharpest"),
                          (2, str(photos / "rocket_blurred.jpg"), 2, 0, None)])
    deleted = photos / "rocket_blurred.jpg"
    deleted.unlink()  # before the page opens: its thumbnail was never made
    gone = "(moved or deleted since the scan)"

    with review_page(sync_api, db) as (page, origin, errors):
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

    with ReviewServer(db, port=0) as server:
        browser = sync_api.browser
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
            sync_api.close_contexts()


def test_review_of_a_sub_folder_opens_filtered_to_it(sync_api, scanned):
    """`blurscan review SUBFOLDER` showed the whole library, while report and the actions limit themselves to
    PATH: the page now opens with its folder filter on PATH (a folder holding only folders gets an option)."""
    from blurscan.config import ScanSettings
    from blurscan.pipeline import scan
    from blurscan.review.server import ReviewServer

    photos, db = scanned
    sub = photos / "2024" / "june"
    sub.mkdir(parents=True)
    shutil.copy(photos / "coffee_blurred.jpg", sub / "cup_blurred.jpg")
    list(scan([sub], ScanSettings(workers=1, model="none"), db=db))

    with ReviewServer(db, port=0, folder=str(photos / "2024")) as server:
        assert server.url.endswith("&folder=" + quote(str(photos / "2024"), safe="/"))  # (URL-escaped: %20)
        browser = sync_api.browser
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(server.url)
            page.wait_for_selector("body[data-ready='1']")
            assert page.eval_on_selector("#folder", "s => s.value") == str(photos / "2024")
            names = page.eval_on_selector_all("#grid .card img.thumb", "els => els.map(e => e.alt)")
            assert page.locator("#grid .card").count() == 1, names
            # the header's figures are the whole library's, and say so (they read as the folder's)
            assert page.inner_text("#summary").startswith("Whole library: 5 flagged"), page.inner_text("#summary")
            page.select_option("#folder", "")          # the whole library again
            _wait_true(page, "document.querySelectorAll('#grid .card').length === 5")
            assert page.inner_text("#summary").startswith("5 flagged")
        finally:
            sync_api.close_contexts()


def test_review_card_of_a_photo_deleted_after_its_thumbnail_was_seen_says_so_after_a_reload(sync_api, scanned):
    """A photo deleted by hand while the page was open, its thumbnail seen: after a reload its card showed the
    picture again, from the browser's cache (thumbnails are cached a day), as if the file were still there;
    only the detail view said it was gone. The card now says so from the grid's own data."""
    from blurscan.review.server import ReviewServer

    photos, db = scanned
    with ReviewServer(db, port=0) as server:
        browser = sync_api.browser
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(server.url)
            page.wait_for_selector("body[data-ready='1']")
            _wait_true(page, "document.querySelectorAll('#grid img.thumb').length === 4 && Array.from("
                             "document.querySelectorAll('#grid img.thumb')).every(i => i.complete && i.naturalWidth)")
            (photos / "coffee_blurred.jpg").unlink()
            page.reload()
            page.wait_for_selector("body[data-ready='1']")
            card = page.locator("#grid .card", has_text="coffee_blurred.jpg")
            assert card.locator("img.thumb").count() == 0
            assert card.locator(".noimg").inner_text() == (f"coffee_blurred.jpg: no longer at "
                                                           f"{photos / 'coffee_blurred.jpg'} (moved or deleted since the scan)")
            assert page.locator("#grid img.thumb").count() == 3
        finally:
            sync_api.close_contexts()


def test_review_detail_view_fits_a_tall_photo_with_a_long_name_in_a_small_window(sync_api, scanned):
    """At 800 x 600 (and 1280 x 800) a tall photo with a long name: the title ran past the window's edge, cut off
    mid-word, and the buttons bar, wrapped to two lines, left less height than the picture was sized for, so its
    top and bottom were cut off (found at 800 px in Chromium). The title now ends in an ellipsis (the whole
    name in its tooltip and under File) and the picture fits the space left."""
    import cv2

    from blurscan.config import ScanSettings
    from blurscan.pipeline import scan
    from blurscan.review.server import ReviewServer

    photos, db = scanned
    name = "portrait_" + "with_a_rather_long_descriptive_name_" * 3 + "blurred.jpg"
    tall = cv2.GaussianBlur(cv2.imread(str(photos / "rocket.jpg")).transpose(1, 0, 2), (0, 0), 5)
    cv2.imwrite(str(photos / name), cv2.resize(tall, (600, 1200)))
    assert [r.verdict for r in scan([photos / name], ScanSettings(workers=1, model="none"), db=db)] == ["blurry"]
    box = "(s => { const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    with ReviewServer(db, port=0) as server:
        browser = sync_api.browser
        try:
            page = browser.new_page(viewport={"width": 800, "height": 600})
            page.goto(server.url)
            page.wait_for_selector("body[data-ready='1']")
            page.locator("#grid .card", has_text=name).click()
            _wait_true(page, "document.getElementById('full').complete && document.getElementById('full').naturalWidth > 0")
            for width, height in ((800, 600), (1280, 800)):
                page.set_viewport_size({"width": width, "height": height})
                title = page.evaluate(box + "('#detail-title')")
                assert title[2] <= width, (width, title)
                assert page.get_attribute("#detail-title", "title") == name
                view, img = page.evaluate(box + "('#viewport')"), page.evaluate(box + "('#full')")
                assert view[0] <= img[0] and view[1] <= img[1] + 0.5 and img[2] <= view[2] and img[3] <= view[3] + 0.5, (
                    width, view, img)
                assert img[3] - img[1] > 0.9 * (view[3] - view[1])  # as tall as the space allows
                page.screenshot(path=str(_artifacts() / f"review-detail-tall-{width}.png"))
        finally:
            sync_api.close_contexts()


def test_review_card_of_a_photo_found_deleted_while_the_page_is_open_says_so_at_once(sync_api, scanned):
    """A photo deleted by hand while the page is open, its thumbnail seen: its full view said the file was gone,
    and a keep on it was refused, but its card went on showing the picture (from the browser's cache) until a
    reload, where the doc says the card shows which file is gone "even while the page is open". Now the card
    says so as soon as the page finds out: the full view not loading, or a decision refused."""
    from blurscan.review.server import ReviewServer

    photos, db = scanned
    gone = "(moved or deleted since the scan)"
    with ReviewServer(db, port=0) as server:
        browser = sync_api.browser
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url)
            page.wait_for_selector("body[data-ready='1']")
            _wait_true(page, "document.querySelectorAll('#grid img.thumb').length === 4 && Array.from("
                             "document.querySelectorAll('#grid img.thumb')).every(i => i.complete && i.naturalWidth)")
            names = page.evaluate("Array.from(document.querySelectorAll('#grid .card .name'), n => n.textContent)")
            first, second = photos / names[0], photos / names[1]
            first.unlink()
            second.unlink()
            # the first: opened at full size, which cannot load; back in the grid its card says why
            page.keyboard.press("Enter")
            _wait_true(page, "document.getElementById('full-missing').textContent.includes('no longer at')")
            page.keyboard.press("Escape")
            card = page.locator("#grid .card").nth(0)
            _wait_true(page, "document.querySelectorAll('#grid .card')[0].querySelector('.noimg') !== null")
            assert card.locator("img.thumb").count() == 0
            assert card.locator(".noimg").inner_text() == f"{first.name}: no longer at {first} {gone}"
            # the second: a keep from the grid, refused; its card says why too
            page.keyboard.press("ArrowRight")
            page.keyboard.press("k")
            _wait_true(page, "document.getElementById('toast').textContent.endsWith('keep not recorded')")
            _wait_true(page, "document.querySelectorAll('#grid .card')[1].querySelector('.noimg') !== null")
            assert page.locator("#grid .card").nth(1).locator(".noimg").inner_text() == (
                f"{second.name}: no longer at {second} {gone}")
            assert page.locator("#grid img.thumb").count() == 2  # the others keep their pictures
            assert errors == []
        finally:
            sync_api.close_contexts()


def test_review_detail_of_a_photo_forgotten_since_and_a_stopped_server_say_why(sync_api, scanned):
    """The detail view of a photo a scan forgot while the page was open showed the previous photo's File,
    Size, ... and blur map beside its name (its /api/item answer, a 404, was an uncaught error); with the
    server stopped (Ctrl-C in its terminal), k moved on and said only "Failed to fetch". Now the detail view
    says why it has no information, and k names the photo left undecided and what to do."""
    from blurscan.config import ScanSettings
    from blurscan.pipeline import scan
    from blurscan.review.server import ReviewServer

    photos, db = scanned
    browser = sync_api.browser
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        with ReviewServer(db, port=0) as server:
            page.goto(server.url)
            page.wait_for_selector("body[data-ready='1']")
            names = page.evaluate("state.items.map((item) => item.name)")
            page.keyboard.press("Enter")
            _wait_true(page, "document.getElementById('info').textContent.includes(%r)" % str(photos / names[0]))
            (photos / names[1]).unlink()
            list(scan([photos], ScanSettings(workers=1, model="none"), db=db))  # forgets it
            page.keyboard.press("ArrowRight")
            _wait_true(page, "document.getElementById('info').textContent.includes('forgotten by a scan')")
            info = page.inner_text("#info")
            assert str(photos / names[0]) not in info and "File" not in info, info
            assert page.inner_text("#detail-title") == names[1]
            assert page.evaluate("document.getElementById('map').hidden")
            page.keyboard.press("ArrowRight")
            _wait_true(page, "document.getElementById('info').textContent.includes(%r)" % str(photos / names[2]))
        # the server has stopped
        page.keyboard.press("k")
        _wait_true(page, "document.getElementById('toast').textContent.includes('not recorded')")
        assert page.inner_text("#toast") == (
            f"{names[2]}: keep not recorded: the review server does not answer (stopped?): run `blurscan "
            "review` again and open the URL it prints")
        assert errors == []
    finally:
        sync_api.close_contexts()
