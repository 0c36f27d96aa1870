"""A review tab left open while another command changes the library, in a real headless Chromium: shown again, it
takes the photos `blurscan move` (or trash, or a scan) took away meanwhile off its grid and reads the folder list
again (refresh.js, review/present.py). Until 2026-12-06 the moved photos stayed in the grid, marked discard, until
a key on one was refused, and a folder scanned meanwhile had no option in the Folder list until the page was
reloaded. The browser and the sample library: ``helpers_browser.py``."""
from __future__ import annotations

import shutil

import pytest

from helpers_browser import choose_folder, review_page, shown_again, wait_true
from helpers_cli import run

pytestmark = pytest.mark.browser

_NAMES = "Array.from(document.querySelectorAll('#grid .card .name')).map(n => n.textContent)"
_FOLDERS = "Array.from(document.getElementById('folder').options).map(o => o.value)"


def test_photos_moved_away_leave_the_grid_and_a_new_folder_is_listed(sync_api, scanned, tmp_path):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.evaluate(_NAMES)
        assert len(names) == 4
        for _ in range(2):  # the first two discarded, the selection on the third
            with page.expect_response(lambda r: r.url == origin + "/api/decision" and r.status == 200):
                page.keyboard.press("d")
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"discard\"]').length === 2")
        folders = page.evaluate(_FOLDERS)
        assert run("move", photos, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
        (photos / "more").mkdir()
        shutil.copy(photos / "rocket.jpg", photos / "more" / "rocket_again.jpg")
        assert run("scan", photos / "more", "--db", db, "--model", "none").exit_code == 0
        shown_again(page, origin)
        wait_true(page, "document.querySelectorAll('#grid .card').length === 2")
        assert page.evaluate(_NAMES) == names[2:]
        assert page.inner_text("#grid .card.selected .name") == names[2]  # the selection stayed on its photo
        assert page.evaluate("document.activeElement.id") == "grid"
        assert page.get_attribute("#grid", "aria-activedescendant") == "card-0"
        assert page.inner_text("#toast") == ("2 photos taken off the list: moved, trashed or forgotten by another "
                                             "command")
        assert page.evaluate(_FOLDERS) == folders + [str(photos / "more")]
        with page.expect_response(lambda r: r.url == origin + "/api/decision" and r.status == 200):
            page.keyboard.press("k")  # (the keys act on the photos left)
        assert errors == []


def test_the_photo_shown_taken_away_gives_its_place_to_the_next(sync_api, scanned, tmp_path):
    """The detail view open on a photo another command took away: it shows the next photo left, as the grid
    selects it; the last photo taken too, the one before."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.evaluate(_NAMES)
        with page.expect_response(lambda r: r.url == origin + "/api/decision" and r.status == 200):
            page.keyboard.press("d")
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("Enter")  # the photo discarded, shown large
        wait_true(page, f"state.view === 'detail' && state.detail?.name === {names[0]!r}")
        assert run("move", photos, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
        shown_again(page, origin)
        wait_true(page, f"state.view === 'detail' && state.detail?.name === {names[1]!r}")
        assert page.inner_text("#detail-title").startswith(names[1])
        assert page.evaluate("state.sel") == 0 and page.evaluate(_NAMES) == names[1:]
        assert errors == []


def test_a_folder_chosen_stays_chosen_and_nothing_taken_says_nothing(sync_api, scanned, tmp_path):
    """A folder chosen in the Folder list (the page's URL names none) stays chosen when the tab, shown again
    after another command wrote, reads the folder list again; a command that took no photo of the list away
    (`blurscan tag`) leaves the grid as it was, with no message, and the next showing asks for no ids."""
    photos, db = scanned
    (photos / "more").mkdir()
    shutil.copy(photos / "rocket_blurred.jpg", photos / "more" / "rocket_again.jpg")
    assert run("scan", photos / "more", "--db", db, "--model", "none").exit_code == 0
    with review_page(sync_api, db) as (page, origin, errors):
        choose_folder(page, origin, photos / "more")
        wait_true(page, "document.querySelectorAll('#grid .card').length === 1")
        assert run("tag", "--xmp", photos, "--db", db).exit_code == 0
        shown_again(page, origin)
        assert page.evaluate("document.getElementById('folder').value") == str(photos / "more")
        assert page.evaluate(_NAMES) == ["rocket_again.jpg"]
        assert "taken off" not in page.inner_text("#toast")
        with page.expect_response(lambda r: r.url.startswith(origin + "/api/decisions")) as answer:
            page.evaluate("window.dispatchEvent(new Event('focus'))")
        assert "present" not in answer.value.json()  # (the tab's mark is the server's again)
        assert errors == []


def test_the_photo_shown_closes_when_every_photo_of_the_list_is_taken_away(sync_api, scanned, tmp_path):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        for _ in range(4):  # every photo of the list discarded
            with page.expect_response(lambda r: r.url == origin + "/api/decision" and r.status == 200):
                page.keyboard.press("d")
        page.keyboard.press("Enter")
        wait_true(page, "state.view === 'detail'")
        assert run("move", photos, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
        shown_again(page, origin)
        wait_true(page, "state.view === 'grid' && document.getElementById('detail').hidden")
        assert page.evaluate("document.querySelectorAll('#grid .card').length") == 0
        assert errors == []
