"""The review page's arrow keys on a large grid, in headless Chromium: the time the page spends on each key press.

A library of ``--photos`` flagged photos (each a copy of one small generated JPEG, so that the thumbnails are
real) is written straight into a store, the page opened on it (``blurscan review``'s real server) in Debian's
Chromium through Playwright, as ``tests/test_review_browser*.py`` do, and ``--presses`` arrow keys sent one at
a time, each once the page has been drawn (two animation frames after the last: a person's key presses). Each
key's time is what the page's own handler takes, layouts it forces included, measured in the page with
``performance.now`` around the key's ``keydown`` event, and with the work of the frame that follows it (its
animation callbacks, where the page scrolls the selected card into view and draws the cards near it, then its
layout and painting: from the frame's start to its end, the wait for it left out); median and mean per key
press, for ``ArrowDown`` (one row down: the number of columns is needed) and ``ArrowRight`` (one photo on),
first with the page as it was drawn, then with one card's layout changed before each key (as a thumbnail that
has just arrived, or a decision's mark, changes it: the page must be laid out again before anything on it is
measured). Also the time from opening the page to its grid drawn (the list read from the server included).

Usage: ``python bench/review_keys.py [--photos 2000 74] [--presses 50] [--width 1280] [--height 800]``; prints a
markdown table (recorded in ``docs/review.md``, "Speed on a large library").
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from blurscan.records import ScanRecord
from blurscan.store import Store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# each key press is sent once the page has been drawn (two animation frames after the last), as a person's are;
# "changed": one card's layout is changed first, as a thumbnail that has just arrived or a decision's mark does
_PRESSES = """async ([key, presses, changed]) => {
  const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  // the work of the frame that follows a key press: from its first animation callback (asked for before the
  // key's, so run first) to the end of its rendering (a message posted then is taken after it)
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => {
    const start = performance.now();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now() - start);
    channel.port2.postMessage(0);
  }));
  const times = [], drawn = [];
  select(0);
  for (let i = 0; i < presses; i++) {
    await frames();
    if (changed) document.querySelector("#grid .card.selected .meta").style.paddingTop = (i % 2) + "px";
    const next = frame();
    const start = performance.now();
    document.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
    times.push(performance.now() - start);
    drawn.push(times[i] + await next);
  }
  await frames();
  return [times, drawn];
}"""


def build(root: Path, photos: int) -> Path:
    """``photos`` flagged photos in folders of 500 (copies of one 160 x 120 JPEG), scanned into a store."""
    rng = np.random.default_rng(0)
    sample = root / "sample.jpg"
    Image.fromarray((rng.random((120, 160, 3)) * 255).astype(np.uint8)).save(sample, quality=85)
    records = []
    for i in range(photos):
        folder = root / "lib" / f"{i // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"IMG_{i:05d}.jpg"
        shutil.copyfile(sample, path)
        st = os.stat(path)
        records.append(ScanRecord(path=str(path), verdict="blurry", p_blurry=0.5 + (i % 1000) / 2001,
                                  size=st.st_size, mtime_ns=st.st_mtime_ns, width=160, height=120, format="JPEG"))
    db = root / "lib" / ".blurscan.db"
    with Store(db) as store:
        store.put(records, "bench")
    return db


def measure(db: Path, photos: int, presses: int, width: int, height: int
            ) -> tuple[float, dict[tuple[str, bool], tuple[list[float], list[float]]]]:
    """The seconds from opening the page to its grid drawn, and the milliseconds the page spent on each of
    ``presses`` ArrowDown, then ArrowRight, key presses (its handler, and with the frame after it), with the page
    as it was drawn (False) and changed since (True)."""
    from playwright import sync_api

    from blurscan.review.server import ReviewServer

    with ReviewServer(db, port=0) as server, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            start = time.perf_counter()
            page.goto(server.url)
            page.wait_for_selector("body[data-ready='1']")
            page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
            shown = time.perf_counter() - start
            listed = page.evaluate("state.items.length")
            if listed != photos:
                sys.exit(f"the page shows {listed} photos, not {photos}")
            out = {}
            for changed in (False, True):
                for key in ("ArrowDown", "ArrowRight"):
                    out[key, changed] = tuple(page.evaluate(_PRESSES, [key, presses, changed]))
            return shown, out
        finally:
            browser.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, nargs="+", default=[2000, 74])
    parser.add_argument("--presses", type=int, default=50)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args(argv)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}, window {args.width} x {args.height}")
    print()
    print("| photos | page shown | key | page as drawn: handler | with its frame | page changed since: handler "
          "| with its frame |")
    print("|---:|---:|---|---:|---:|---:|---:|")
    for photos in args.photos:
        with tempfile.TemporaryDirectory() as tmp:
            shown, times = measure(build(Path(tmp), photos), photos, args.presses, args.width, args.height)
        for key in ("ArrowDown", "ArrowRight"):
            cells = [f"{statistics.median(ms):.1f} ms ({statistics.mean(ms):.1f})"
                     for changed in (False, True) for ms in times[key, changed]]
            print(f"| {photos:,} | {shown:.1f} s | `{key}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
