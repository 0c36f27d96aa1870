"""``blurscan review`` opens the browser with a one-time login code, never the page's token (review/signin.py):
until 2026-12-06 it ran ``webbrowser.open(url)``, so the browser's command line (``$BROWSER
http://127.0.0.1:PORT/?token=...``) showed the token to every user of the machine in ``ps`` while it ran, and any
of them could open the page as its owner. The real command, its ``$BROWSER`` a script that records its arguments,
``ps`` and its environment (no real browser); the code's rules on the app; the address followed in Chromium."""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from urllib.parse import quote, urlencode, urlsplit

import pytest

from helpers_review import BASE, PORT, TOKEN, build_review_library
from helpers_signals import default_signals

RECORDER = """#!/bin/sh
# what a browser started by `blurscan review` is given, and what other users see meanwhile
printf '%s\\n' "$@" > "$RECORDED/argv.tmp"
ps -eo args > "$RECORDED/ps"
tr '\\0' '\\n' < /proc/$$/environ > "$RECORDED/environ"
mv "$RECORDED/argv.tmp" "$RECORDED/argv"
"""


def _library(tmp_path) -> str:
    import blurscan
    from blurscan.config import ScanSettings
    from helpers_images import save_jpeg, textured

    save_jpeg(tmp_path / "lib" / "2024" / "IMG_1.jpg", textured(1))
    list(blurscan.scan([tmp_path / "lib"], ScanSettings(workers=1, model="none"), db=tmp_path / "lib" / ".blurscan.db"))
    return str(tmp_path / "lib")


def _get(url, path, cookie=None):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        answer = conn.getresponse()
        return answer, answer.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.mark.slow
def test_the_browser_is_given_a_one_time_code_never_the_token(tmp_path):
    recorded = tmp_path / "recorded"
    recorded.mkdir()
    browser = tmp_path / "browser.sh"
    browser.write_text(RECORDER)
    browser.chmod(0o755)
    env = dict(os.environ, BROWSER=str(browser), RECORDED=str(recorded))
    lib = _library(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "review", f"{lib}/2024"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_signals)
    try:
        printed = proc.stdout.readline().split(": ", 1)[1].strip()  # the terminal, the person's own: as before
        url = urlsplit(printed)
        folder = quote(f"{lib}/2024", safe="/")  # (URL-escaped: a space is %20)
        assert url.path == "/" and url.query.startswith("token=") and url.query.endswith(f"&folder={folder}")
        token = url.query.split("&")[0][len("token="):]
        deadline = time.monotonic() + 60
        while not (recorded / "argv").exists():
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "the browser was never started"
            time.sleep(0.05)
        argv = (recorded / "argv").read_text().split("\n")[:-1]
        seen = [argv, (recorded / "ps").read_text(), (recorded / "environ").read_text()]
        assert not [text for text in seen if token in str(text)]  # nowhere another user could read it
        (opened,) = argv
        given = urlsplit(opened)
        assert (given.hostname, given.port, given.path) == (url.hostname, url.port, "/")
        code, folder = given.query.split("&")
        assert code.startswith("code=") and len(code) > 20 and folder == f"folder={quote(f'{lib}/2024', safe='/')}"

        # the code trades for the cookie once, and the cookie then opens everything
        page = "/?" + urlencode({"folder": f"{lib}/2024"})  # (the address without the code, as with the token)
        answer, _ = _get(url, f"/?{given.query}")
        assert answer.status == 303 and answer.getheader("Location") == page
        set_cookie = answer.getheader("Set-Cookie")
        assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie
        cookie = set_cookie.split(";")[0]
        assert _get(url, "/api/summary", cookie)[0].status == 200
        assert _get(url, page, cookie)[0].status == 200
        # used again by a browser not signed in (another user's, who read it in ps): a page saying so, no cookie
        answer, body = _get(url, f"/?{given.query}")
        assert answer.status == 403 and answer.getheader("Set-Cookie") is None
        assert answer.getheader("Content-Type").startswith("text/html") and "used already" in body
        assert "blurscan review" in body and token not in body
        # by the browser signed in with it (reloaded from its history): on to the page
        answer, _ = _get(url, f"/?{given.query}", cookie)
        assert answer.status == 303 and answer.getheader("Location") == page
        # the printed address still opens the page, as before
        answer, _ = _get(url, f"/?{url.query}")
        assert answer.status == 303 and answer.getheader("Set-Cookie").startswith(f"blurscan_review_{url.port}=")
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
        err = proc.communicate(timeout=60)[1]  # (its pipes closed too)
    assert proc.returncode == 130, err
    assert "one-time link was opened again" in err and token not in err  # said on the terminal too


@pytest.mark.slow
def test_no_browser_prints_the_address_and_starts_nothing(tmp_path):
    recorded = tmp_path / "recorded"
    recorded.mkdir()
    browser = tmp_path / "browser.sh"
    browser.write_text(RECORDER)
    browser.chmod(0o755)
    proc = subprocess.Popen([sys.executable, "-m", "blurscan", "review", _library(tmp_path), "--no-browser"],
                            env=dict(os.environ, BROWSER=str(browser), RECORDED=str(recorded)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=default_signals)
    try:
        url = urlsplit(proc.stdout.readline().split(": ", 1)[1].strip())
        assert url.query.startswith("token=") and "&" not in url.query
        assert _get(url, f"/?{url.query}")[0].status == 303
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=60)  # (its pipes closed too)
    assert proc.returncode == 130 and list(recorded.iterdir()) == []


# -- the code's rules, on the app --------------------------------------------------------------------------

class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _app(tmp_path):
    from blurscan.review.app import create_app
    from blurscan.review.signin import LoginCodes

    clock = _Clock()
    codes = LoginCodes(clock=clock)
    app = create_app(build_review_library(tmp_path)[0], TOKEN, port=PORT, login_codes=codes)
    return app, codes, clock


def test_a_code_is_good_once_within_two_minutes(tmp_path):
    app, codes, clock = _app(tmp_path)
    code = codes.new()
    clock.now += 119
    client = app.test_client()
    r = client.get(f"/?code={code}&folder=a%26b", base_url=BASE)
    assert r.status_code == 303 and r.headers["Location"] == "/?folder=a%26b"
    assert r.headers["Set-Cookie"].startswith(f"blurscan_review_{PORT}={TOKEN};")
    assert client.get("/api/summary", base_url=BASE).status_code == 200  # the cookie, from now on

    late = codes.new()
    clock.now += 121
    r = app.test_client().get(f"/?code={late}", base_url=BASE)
    assert r.status_code == 403 and "more than 2 minutes old" in r.get_data(as_text=True)
    assert "Set-Cookie" not in r.headers
    clock.now -= 100
    assert app.test_client().get(f"/?code={late}", base_url=BASE).status_code == 403  # dead, whatever the clock

    for other in (code, "x" + code, "", TOKEN):  # used, unknown, empty, the token given as a code
        r = app.test_client().get(f"/?code={other}", base_url=BASE)
        assert r.status_code == 403 and "Set-Cookie" not in r.headers, other
    assert "not one this review page made" in app.test_client().get("/?code=nope", base_url=BASE).get_data(True)


def test_a_code_is_spent_only_by_a_visit_to_the_page_from_this_server(tmp_path):
    app, codes, _clock = _app(tmp_path)
    code = codes.new()
    client = app.test_client()
    r = client.post(f"/api/decision?code={code}", base_url=BASE, json={})
    assert r.status_code == 403 and "Set-Cookie" not in r.headers
    r = client.get(f"/?code={code}", base_url="http://evil.example:5123")  # DNS rebinding: the Host check first
    assert r.status_code == 403 and "Host not allowed" in r.get_json()["error"]
    assert client.get(f"/?code={code}", base_url=BASE).status_code == 303  # still good


def test_only_the_newest_codes_are_kept(tmp_path):
    """Each browser opened makes a code: the server keeps the newest MAX_CODES, forgetting the oldest first (a
    server left running for weeks, its browser opened many times, keeps no more)."""
    from blurscan.review.signin import MAX_CODES

    app, codes, _clock = _app(tmp_path)
    made = [codes.new() for _ in range(MAX_CODES + 1)]
    r = app.test_client().get(f"/?code={made[0]}", base_url=BASE)
    assert r.status_code == 403 and "not one this review page made" in r.get_data(as_text=True)
    for code in (made[1], made[-1]):
        assert app.test_client().get(f"/?code={code}", base_url=BASE).status_code == 303


def test_a_write_with_the_token_in_the_address_is_answered_not_redirected(tmp_path):
    """A request other than GET with the token in its address (a script's POST, with the CSRF header) is answered
    as with the cookie: only a GET trades the token for the cookie and a 303, which a POST's client would follow
    as a GET, its write lost."""
    from blurscan.review.app import create_app
    from helpers_review import CSRF

    client = create_app(build_review_library(tmp_path)[0], TOKEN, port=PORT).test_client()
    r = client.post(f"/api/undo?token={TOKEN}", base_url=BASE, headers=CSRF, json={})
    assert r.status_code not in (303, 403) and "Set-Cookie" not in r.headers, (r.status_code, r.data[:200])
    assert client.post("/api/undo?token=wrong", base_url=BASE, headers=CSRF, json={}).status_code == 403


def test_two_visits_at_once_with_one_code_sign_in_one():
    from blurscan.review.signin import LoginCodes

    codes = LoginCodes()
    for _ in range(20):
        code = codes.new()
        start = threading.Barrier(8)
        answers = []

        def use():
            start.wait()
            answers.append(codes.use(code))

        threads = [threading.Thread(target=use) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(answers, key=str) == [None] + ["used"] * 7


@pytest.mark.browser
def test_chromium_opens_the_page_with_the_code_once(sync_api, scanned):
    from blurscan.review.server import ReviewServer

    photos, db = scanned
    with ReviewServer(db, port=0) as server:
        opened = server.browser_url()
        assert server.token not in opened
        page = sync_api.browser.new_context().new_page()
        page.goto(opened)
        page.wait_for_selector("body[data-ready='1']")
        assert page.url == f"http://127.0.0.1:{server.port}/"  # signed in, the code gone from the address
        assert page.evaluate("state.items.length") == 4
        other = sync_api.browser.new_context().new_page()  # another browser, the same address
        answer = other.goto(opened)
        assert answer.status == 403 and "Link no longer valid" in other.inner_text("h1")
        page.reload()  # the first one stays signed in
        page.wait_for_selector("body[data-ready='1']")
        assert page.evaluate("state.items.length") == 4


@pytest.mark.browser
@pytest.mark.parametrize("why", ["used", "unknown"])
def test_the_link_refused_page_has_its_main_landmark_and_fits_a_phone(sync_api, scanned, why):
    """The page refusing a login code no longer good had its heading and text in no landmark (axe: region,
    landmark-one-main: a screen reader's jump to the main content found none) and no viewport: a phone laid it
    out 980 px wide, its text shrunk to fit the screen. Its text is in <main> now, laid out at the phone's width."""
    from blurscan.review.server import ReviewServer

    photos, db = scanned
    with ReviewServer(db, port=0) as server:
        opened = server.browser_url()
        if why == "used":
            sync_api.browser.new_context().new_page().goto(opened)
        else:
            opened = opened.replace("code=", "code=x")
        phone = sync_api.browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True)
        page = phone.new_page()
        answer = page.goto(opened)
        assert answer.status == 403
        assert page.get_by_role("main").count() == 1  # (no wait: a page already loaded)
        assert page.evaluate("document.querySelector('main h1')?.textContent") == "Link no longer valid"
        assert page.evaluate("document.querySelectorAll('main p').length") == 2
        assert page.evaluate("document.querySelectorAll('body > :not(main)').length") == 0
        assert page.evaluate("document.documentElement.clientWidth") == 320


@pytest.mark.browser
@pytest.mark.parametrize("address", ["/", "/?token=from-an-earlier-run"])
def test_the_page_refused_to_a_browser_not_signed_in_is_a_page(sync_api, scanned, address):
    """The review page opened by a browser not signed in (the tab reloaded after `blurscan review --port N` was
    started again, a bookmark) or with an earlier run's token was answered with the API's JSON refusal, shown by
    the browser as raw text in a document with no language and no title (axe: html-has-lang, document-title,
    serious). It is a page now, as a login code no longer good gets: its title, language, heading, what happened
    and what to do. The API's refusals stay JSON (the page's script reads them)."""
    from blurscan.review.server import ReviewServer

    photos, db = scanned
    with ReviewServer(db, port=0) as server:
        origin = f"http://127.0.0.1:{server.port}"
        context = sync_api.browser.new_context()
        page = context.new_page()
        answer = page.goto(origin + address)
        assert answer.status == 403 and answer.headers["content-type"].startswith("text/html")
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.title() == "blurscan review: not signed in"
        assert page.evaluate("document.querySelector('main h1')?.textContent") == "Not signed in"
        text = page.inner_text("main")
        assert "blurscan review" in text and "printed in its terminal" in text
        assert ("earlier run" in text) == ("token=" in address)
        api = context.request.get(origin + "/api/items")
        assert api.status == 403 and api.json()["error"].startswith("not authorised")
        api = context.request.get(origin + "/api/items?token=from-an-earlier-run")
        assert api.status == 403 and api.json()["error"].startswith("wrong token")
