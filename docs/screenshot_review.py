"""Make docs/review.png, the screenshot of the review page in the README and docs/review.md.

    .venv/bin/python docs/screenshot_review.py [OUT.png]

Offline and deterministic: ``blurscan demo`` writes its photos (scikit-image's public-domain samples and
blurred copies made with a fixed seed) into a temporary folder and scans them with the shipped model, and
``blurscan bursts`` groups the demo's burst, as the demo suggests next (so the page has its Bursts button); the
review server runs on a free loopback port (as tests/test_review_browser.py starts it); Debian's
``chromium``, driven by Playwright, opens the page at 1280x800, discards the most blurry photo and keeps the
one with an intended soft background, reloads (the decisions come back from the database), waits for every
thumbnail and saves the picture, optimized with Pillow. Needs the ``demo`` and ``dev`` extras and
``apt-get install -y chromium``; only the demo photos are ever shown.
"""
from __future__ import annotations

import io
import logging
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from blurscan.review.server import ReviewServer

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "review.png"
VIEWPORT = {"width": 1280, "height": 800}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
DISCARD = "clock-real-camera-shake.jpg"  # real camera shake: the most blurry photo, first in the grid
KEEP = "astronaut-soft-background.jpg"   # flagged 'partial' for its soft background, which is intended
#: How the page names the database in its suggested commands (instead of the temporary folder), as
#: `blurscan review --db demo/photos/.blurscan.db` would after `make demo`.
DB_HINT = "demo/photos/.blurscan.db"
ALL_THUMBS = ("Array.from(document.querySelectorAll('#grid img.thumb'))"
              ".every(i => i.complete && i.naturalWidth > 0)")


def wait_true(page, expression: str, timeout: float = 20.0) -> None:
    """Poll ``expression`` through the DevTools protocol (the page's CSP forbids wait_for_function's eval)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {expression}")
        time.sleep(0.05)


def make_library(work: Path) -> Path:
    """``blurscan demo``: the demo photos, scanned with the default (shipped) model, then ``blurscan bursts``;
    returns the database."""
    photos = work / "demo" / "photos"
    done = subprocess.run([sys.executable, "-m", "blurscan", "demo", str(photos)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"blurscan demo failed:\n{done.stdout}{done.stderr}")
    db = photos / ".blurscan.db"
    if not db.exists():
        raise SystemExit(f"blurscan demo wrote no database at {db}")
    done = subprocess.run([sys.executable, "-m", "blurscan", "bursts", str(photos)], capture_output=True, text=True)
    if done.returncode or not done.stdout.startswith("group 1:"):
        raise SystemExit(f"blurscan bursts found no burst in the demo:\n{done.stdout}{done.stderr}")
    return db


def shoot(db: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request, as `blurscan review`
    with ReviewServer(db, port=0, db_hint=DB_HINT) as server, sync_playwright() as pw:
        origin = f"http://127.0.0.1:{server.port}/"
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            foreign, errors = [], []
            page.on("request", lambda r: None if r.url.startswith(origin) else foreign.append(r.url))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url)
            page.wait_for_selector("body[data-ready='1']")
            names = page.locator("#grid .card .name").all_inner_texts()
            if names[:1] != [DISCARD] or KEEP not in names:
                raise SystemExit(f"the shipped model flags other photos than expected: {names}")

            def press(key: str) -> None:  # a decision key, waiting for the server to store it
                with page.expect_response(lambda r: r.url.startswith(origin + "api/decision") and r.ok):
                    page.keyboard.press(key)

            press("d")  # the first card is selected; the selection moves on to the next one
            for _ in range(names.index(KEEP) - 1):
                page.keyboard.press("ArrowRight")
            press("k")
            page.reload()  # what the page shows is what the database holds
            page.wait_for_selector("body[data-ready='1']")
            marks = {n: page.locator("#grid .card", has_text=n).get_attribute("data-decision") for n in names}
            if marks[DISCARD] != "discard" or marks[KEEP] != "keep":
                raise SystemExit(f"decisions not shown: {marks}")
            wait_true(page, ALL_THUMBS)
            page.evaluate("document.fonts.ready")
            png = page.screenshot()
            if foreign or errors:
                raise SystemExit(f"requests left the server: {foreign}; page errors: {errors}")
        finally:
            browser.close()
    save_small(png, out)


def save_small(png: bytes, out: Path) -> None:
    """Save optimized; a 256-colour palette when the full-colour PNG would be over 300 KB."""
    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert img.size == (VIEWPORT["width"], VIEWPORT["height"]), img.size
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    if buf.tell() > 300_000:
        buf = io.BytesIO()
        img.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(buf, "PNG", optimize=True)
    out.write_bytes(buf.getvalue())
    print(f"wrote {out} ({len(buf.getvalue()) // 1000} kB)")


def temporary_folder() -> Path:
    """A new private folder whose random part is digits only: the folder filter lists the photos' folder,
    and the page's font draws every digit the same width, so the filter (sized to its longest entry) is the
    same on every run, which tempfile's letters would not give."""
    for _ in range(100):
        path = Path(tempfile.gettempdir()) / f"blurscan-screenshot-{secrets.randbelow(10 ** 8):08d}"
        try:
            path.mkdir(mode=0o700)
            return path
        except FileExistsError:
            continue
    raise SystemExit(f"cannot make a temporary folder in {tempfile.gettempdir()}")


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    work = temporary_folder()
    try:
        shoot(make_library(work), out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
