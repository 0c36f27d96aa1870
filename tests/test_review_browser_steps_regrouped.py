"""The detail view's Previous / Next opened from the bursts view, when the groups are read again under it: a
discarded keeper gives its place to the next shot and goes last (the shot shown moves in the list), and its undo
puts it back first. The buttons mark the ends of the list as it is now: until 2026-12-07 they kept the ends of the
list before the groups were read again (on the shot that became the first, Previous looked available and said 'the
first photo of the list'; Next was dimmed with a shot after it). A real generated burst of three, scanned and
ranked through the CLI; the real review server and page."""
from __future__ import annotations

import pytest

from helpers_browser import review_page, wait_true
from test_renamed_stale_burst import three_shot_burst

pytestmark = pytest.mark.browser

NAMES = "burstPhotos().map((item) => item.name).join(' ')"
TITLE = "$('detail-title').textContent"


def _ends(page):
    return [page.get_attribute(f"#{button}", "aria-disabled") for button in ("btn-prev", "btn-next")]


def test_previous_and_next_mark_the_ends_of_the_groups_read_again(sync_api, tmp_path):
    lib = tmp_path / "lib"
    three_shot_burst(lib)
    with review_page(sync_api, lib / ".blurscan.db") as (page, origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        page.keyboard.press("Enter")
        wait_true(page, f"state.view === 'detail' && {TITLE} === 'IMG_0002.jpg'")
        assert _ends(page) == ["true", "false"]
        page.keyboard.press("d")  # the keeper discarded: shown, IMG_0001.jpg becomes the keeper, the first shot
        wait_true(page, f"{NAMES} === 'IMG_0001.jpg IMG_0003.jpg IMG_0002.jpg'")
        wait_true(page, f"{TITLE} === 'IMG_0001.jpg'")
        assert page.evaluate("state.burstSel") == 0
        wait_true(page, "$('btn-prev').getAttribute('aria-disabled') === 'true'")
        assert _ends(page) == ["true", "false"]
        page.click("#btn-next")
        page.click("#btn-next")
        wait_true(page, f"{TITLE} === 'IMG_0002.jpg'")  # the discarded shot, last now
        assert _ends(page) == ["false", "true"]
        page.keyboard.press("u")  # its discard undone: the keeper again, the first shot
        wait_true(page, f"{NAMES} === 'IMG_0002.jpg IMG_0001.jpg IMG_0003.jpg'")
        wait_true(page, f"{TITLE} === 'IMG_0002.jpg' && state.burstSel === 0")
        wait_true(page, "$('btn-next').getAttribute('aria-disabled') === 'false'")
        assert _ends(page) == ["true", "false"]
        page.click("#btn-next")  # (not dimmed, and it steps: the shot after it)
        wait_true(page, f"{TITLE} === 'IMG_0001.jpg'")
        assert errors == []


def test_a_shot_gone_from_the_groups_read_again_is_not_left_on_screen_for_another(sync_api, tmp_path):
    """The shot shown gone from the groups read again under it (its file deleted meanwhile): the detail view shows
    the shot selected now, the one k / d decide on. Until 2026-12-07 it went on showing the gone shot, and a k kept
    IMG_0002.jpg, the shot just discarded, unseen."""
    lib = tmp_path / "lib"
    three_shot_burst(lib)
    with review_page(sync_api, lib / ".blurscan.db") as (page, origin, errors):
        page.keyboard.press("b")
        page.wait_for_selector("#bursts .card.keeper.selected")
        page.keyboard.press("Enter")
        wait_true(page, f"state.view === 'detail' && {TITLE} === 'IMG_0002.jpg'")
        (lib / "IMG_0001.jpg").unlink()  # (the next shot, deleted by hand meanwhile)
        page.keyboard.press("d")  # the keeper discarded; the selection on IMG_0001.jpg, gone from the groups
        wait_true(page, f"{NAMES} === 'IMG_0003.jpg IMG_0002.jpg'")
        wait_true(page, f"{TITLE} === burstPhotos()[state.burstSel].name")
        assert page.evaluate("current().name") == page.evaluate(TITLE)
