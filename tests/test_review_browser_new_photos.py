"""A review tab left open while another command adds photos to its list, in a real headless Chromium: shown again,
it says how many photos are new to the list (a scan found them, `blurscan undo` put them back) and shows them on
r or its button, the selection kept on its photo (refresh.js sayNew, review/present.py ``listing``); a photo
opened from the bursts view, closed after another command took a shot, goes back to the groups as they are now.
Until 2026-12-06 the new photos appeared only once a list was chosen again or the page reloaded, unsaid, and the
bursts view showed a shot taken away until it was shown again."""
from __future__ import annotations

import shutil

import pytest

from helpers_browser import choose_folder, review_page, shown_again, wait_true
from helpers_cli import run

pytestmark = pytest.mark.browser

_NAMES = "Array.from(document.querySelectorAll('#grid .card .name')).map(n => n.textContent)"


def _discard(page, origin, times=1):
    for _ in range(times):
        with page.expect_response(lambda r: r.url == origin + "/api/decision" and r.status == 200):
            page.keyboard.press("d")


def test_photos_put_back_or_scanned_since_are_said_and_shown_on_r(sync_api, scanned, tmp_path):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.evaluate(_NAMES)
        _discard(page, origin, 2)  # the first two discarded, the selection on the third
        assert run("move", photos, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
        shown_again(page, origin)
        wait_true(page, "document.querySelectorAll('#grid .card').length === 2")
        assert page.is_hidden("#new-photos")  # (nothing new: nothing said)
        page.keyboard.press("ArrowRight")  # the selection on the last photo
        assert run("undo", photos, "--db", db).exit_code == 0  # the two put back
        (photos / "more").mkdir()  # and a blurry photo and a sharp one scanned
        shutil.copy(photos / "coffee_blurred.jpg", photos / "more" / "new_blurred.jpg")
        shutil.copy(photos / "coffee.jpg", photos / "more" / "new_sharp.jpg")
        assert run("scan", photos / "more", "--db", db, "--model", "none").exit_code == 0
        shown_again(page, origin)
        # the grid as it was (nothing slips in under the keys), and the three flagged ones said
        assert page.evaluate(_NAMES) == names[2:]
        assert page.inner_text("#grid .card.selected .name") == names[3]
        assert page.is_visible("#new-photos")
        assert page.inner_text("#new-count") == "3 photos new to this list since it was loaded"
        assert page.inner_text("#toast") == "3 photos new to this list: press r (or Show them) to show them"
        with page.expect_response(lambda r: r.url.startswith(origin + "/api/items") and r.status == 200):
            page.keyboard.press("r")
        wait_true(page, "document.querySelectorAll('#grid .card').length === 5")
        assert sorted(page.evaluate(_NAMES)) == sorted(names + ["new_blurred.jpg"])
        assert page.inner_text("#grid .card.selected .name") == names[3]  # (the selection on its photo)
        assert page.evaluate("document.activeElement.id") == "grid"
        assert page.is_hidden("#new-photos")
        with page.expect_response(lambda r: r.url == origin + "/api/decision" and r.status == 200):
            page.keyboard.press("k")  # (the keys act on the photo selected)
        wait_true(page, "document.querySelectorAll('#grid .card[data-decision=\"keep\"]').length === 1")
        assert page.inner_text("#grid .card[data-decision='keep'] .name") == names[3]
        assert errors == []


def test_the_button_shows_them_and_a_folder_chosen_counts_its_own(sync_api, scanned):
    """A photo new in another folder than the one chosen is none of this list's; one new in it is said, and
    the button shows it, the focus back on the grid."""
    photos, db = scanned
    (photos / "more").mkdir()
    shutil.copy(photos / "rocket_blurred.jpg", photos / "more" / "rocket_again.jpg")
    assert run("scan", photos / "more", "--db", db, "--model", "none").exit_code == 0
    with review_page(sync_api, db) as (page, origin, errors):
        choose_folder(page, origin, photos / "more")
        wait_true(page, "document.querySelectorAll('#grid .card').length === 1")
        page.focus("#grid")
        (photos / "other").mkdir()
        shutil.copy(photos / "chelsea_blurred.jpg", photos / "other" / "elsewhere.jpg")
        assert run("scan", photos / "other", "--db", db, "--model", "none").exit_code == 0
        shown_again(page, origin)
        assert page.is_hidden("#new-photos") and "new to this list" not in page.inner_text("#toast")
        shutil.copy(photos / "astronaut_blurred.jpg", photos / "more" / "astronaut_again.jpg")
        assert run("scan", photos / "more", "--db", db, "--model", "none").exit_code == 0
        shown_again(page, origin)
        assert page.inner_text("#new-count") == "1 photo new to this list since it was loaded"
        with page.expect_response(lambda r: r.url.startswith(origin + "/api/items") and r.status == 200):
            page.click("#btn-new")
        wait_true(page, "document.querySelectorAll('#grid .card').length === 2")
        assert sorted(page.evaluate(_NAMES)) == ["astronaut_again.jpg", "rocket_again.jpg"]
        assert page.inner_text("#grid .card.selected .name") == "rocket_again.jpg"
        wait_true(page, "document.activeElement.id === 'grid'")
        assert page.is_hidden("#new-photos")
        assert errors == []


def test_a_shot_opened_from_the_bursts_view_and_taken_away_leaves_the_groups_on_esc(sync_api, scanned, tmp_path):
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        page.keyboard.press("b")
        wait_true(page, "burstPhotos().length === 2")
        page.keyboard.press("ArrowRight")
        _discard(page, origin)  # the burst's second shot discarded, then opened
        page.keyboard.press("Enter")
        wait_true(page, "state.view === 'detail' && state.detail?.name === 'chelsea_blurred.jpg'")
        assert run("move", photos, "--db", db, "--to", tmp_path / "out", "--yes").exit_code == 0
        shown_again(page, origin)
        with page.expect_response(lambda r: r.url == origin + "/api/bursts" and r.status == 200):
            page.keyboard.press("Escape")
        wait_true(page, "state.view === 'bursts' && !burstPhotos().some((p) => p.name === 'chelsea_blurred.jpg')")
        assert page.evaluate("document.querySelectorAll('#bursts .card').length") == len(
            page.evaluate("burstPhotos()"))
        assert errors == []


def test_the_line_goes_when_the_photos_new_to_the_list_are_gone_again_before_r(sync_api, scanned):
    """Photos said new, then forgotten by another scan (deleted by hand) before r: the tab shown again no longer
    says them, nor offers to show them (a mutation that left the line up, "1 photo new to this list" with a button
    showing nothing, was seen by no test: 2026-12-06)."""
    photos, db = scanned
    with review_page(sync_api, db) as (page, origin, errors):
        names = page.evaluate(_NAMES)
        (photos / "more").mkdir()
        shutil.copy(photos / "coffee_blurred.jpg", photos / "more" / "new_blurred.jpg")
        assert run("scan", photos / "more", "--db", db, "--model", "none").exit_code == 0
        shown_again(page, origin)
        assert page.inner_text("#new-count") == "1 photo new to this list since it was loaded"
        (photos / "more" / "new_blurred.jpg").unlink()
        assert run("scan", photos / "more", "--db", db, "--model", "none").exit_code == 0
        shown_again(page, origin)
        assert page.is_hidden("#new-photos") and page.evaluate(_NAMES) == names
        assert errors == []
