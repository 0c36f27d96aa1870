"""The review page's list and its `blurscan move` hint, in a real headless Chromium: the arrows going through the
Show select's options show the list of the option they stop on, even when the answer for an option passed over
comes last; and the hint's command names a database whose path has a space or a quote as one shell word. Found
by hand-made mutations of app.js that no browser test noticed (2026-12-06). The browser and the library are in
``helpers_browser.py``."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys

import pytest

from helpers_browser import generated_library, review_page, wait_true

pytestmark = pytest.mark.browser

# fetch wrapped so that the answer to the first list asked for with ``path`` in its URL comes only once another
# list has been answered since; window.__held: 1 once that answer has been read by the page's fetch
HOLD_LIST = """(path) => {
    const fetchNow = window.fetch;
    let held = null, release = null;
    window.__held = 0;
    window.fetch = (url, opts) => {
        const u = String(url);
        if (held === null && u.includes(path)) {
            held = new Promise((ok) => { release = ok; }).then(() => fetchNow(url, opts))
                .then((res) => { window.__held = 1; return res; });
            return held;
        }
        const answer = fetchNow(url, opts);
        if (release && u.startsWith("/api/items")) answer.then(() => release());
        return answer;
    };
}"""


def test_a_list_passed_over_with_the_arrows_and_answered_last_is_not_shown(sync_api, tmp_path):
    """Down, Down in the Show select (blurry, then partly blurry): the blurry list's answer, come after the
    other's, is left, and the grid shows the list of the option chosen (never the blurry photos under "partly
    blurry", a k or d then deciding on a photo that list does not hold)."""
    db = generated_library(tmp_path, 6, sharp=2)
    with review_page(sync_api, db) as (page, origin, errors):
        page.evaluate(HOLD_LIST, "filter=blurry")
        page.focus("#filter")
        page.select_option("#filter", "undecided")  # (the option before "blurry", chosen by the program)
        page.keyboard.press("ArrowDown")  # blurry: its answer held back
        page.keyboard.press("ArrowDown")  # partly blurry: none here
        assert page.input_value("#filter") == "partial"
        wait_true(page, "window.__held === 1")
        # (a request answered after the held one: the page has read that answer by now)
        page.evaluate("fetch('/api/summary').then((r) => r.json())")
        assert page.evaluate("state.items.length") == 0 and page.is_visible("#empty")
        assert page.locator("#grid .card").count() == 0
        assert errors == []


def test_the_move_hint_quotes_a_database_path_with_a_space_or_a_quote(sync_api, tmp_path):
    """The command under the keys' hint is run as it is copied: a library in "Anne's photos" is one word."""
    folder = tmp_path / "Anne's photos"
    folder.mkdir()
    db = generated_library(folder, 1)
    with review_page(sync_api, db) as (page, origin, errors):
        hint = page.inner_text("#move-hint")
        assert shlex.split(hint) == ["blurscan", "move", "--to", "DIR", "--db", str(db)]
        assert errors == []


@pytest.mark.parametrize("name", ["new\nlib", "my\u00a0lib"])
def test_the_move_hint_names_a_database_in_a_folder_shown_with_escapes(sync_api, tmp_path, name):
    """A library folder whose name is shown escaped (``new\\x0alib``, ``my\\u00a0lib``) was in plain quotes in
    the hint, ``'.../new\\x0alib/.blurscan.db'``, which named no database pasted (2026-12-06); the server quotes it
    for the shell (:func:`blurscan.errors.shell_path`: ``$'.../new\\x0alib/.blurscan.db'``)."""
    folder = tmp_path / name
    folder.mkdir()
    db = generated_library(folder, 1)
    with review_page(sync_api, db) as (page, origin, errors):
        hint = page.inner_text("#move-hint")
        assert "\n" not in hint and "\u00a0" not in hint, hint
        words = subprocess.run(["bash", "-c", "printf '%s\\0' " + hint], capture_output=True,
                               check=True).stdout.split(b"\0")[:-1]
        assert words == [b"blurscan", b"move", b"--to", b"DIR", b"--db", os.fsencode(db)], (hint, words)
        assert errors == []


@pytest.mark.parametrize("kept", ["library", "--db elsewhere"])
def test_the_undo_shown_under_the_move_hint_puts_the_photos_back_typed_elsewhere(sync_api, tmp_path, kept):
    """The undo the page names beside the move command, as shown, run from another folder after that move:
    ``blurscan undo LIBRARY`` for a library's own database, ``blurscan undo --db FILE`` for one kept elsewhere
    (on a drive, given through a link). Until 2026-12-07 the page said a bare `blurscan undo`, which found no
    database there."""
    from helpers_cli import run
    from helpers_images import make_library

    lib, elsewhere = tmp_path / "Anne's photos", tmp_path / "elsewhere"
    make_library(lib, n_sharp=1, n_blurry=2)
    elsewhere.mkdir()
    if kept == "library":
        db = lib / ".blurscan.db"
        expected = ["blurscan", "undo", str(lib)]
    else:
        (tmp_path / "drive" / "dbs").mkdir(parents=True)
        (elsewhere / "drive").symlink_to(tmp_path / "drive")
        db = elsewhere / "drive" / "dbs" / "pics & co.db"
        expected = ["blurscan", "undo", "--db", str(db)]
    assert run("scan", lib, "--db", db, "--model", "none").exit_code == 0
    with review_page(sync_api, db) as (page, origin, errors):
        shown = page.inner_text("#undo-hint")
        assert page.locator("#undo-hint").is_visible()
        assert errors == []
    words = shlex.split(shown)
    assert words == expected, shown
    assert run("move", lib, "--db", db, "--to", tmp_path / "rej", "--all-blurry", "--yes").exit_code == 0
    assert not list(lib.glob("blurry_*"))
    done = subprocess.run([sys.executable, "-m", "blurscan", *words[1:]], cwd=elsewhere, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and "restored 2 files" in done.stdout, done.stdout + done.stderr
    assert sorted(p.name for p in lib.glob("blurry_*")) == ["blurry_0.png", "blurry_1.jpg"]
