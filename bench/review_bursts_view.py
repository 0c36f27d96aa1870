"""The review page's bursts view on many burst groups, in headless Chromium: the time it takes to draw.

A library of ``--photos`` flagged photos (copies of one small generated JPEG) in burst groups of ``--size``
shots is written straight into a store, the page opened on it (``blurscan review``'s real server) in Debian's
Chromium through Playwright, as ``tests/test_review_browser*.py`` do, and ``b`` pressed. Measured: the seconds
from ``b`` to the view drawn (the groups read from the server included); the milliseconds the page takes to
draw the same groups again (``renderBursts``, timed in the page with ``performance.now``, alone and with the
frame that follows, its layout and painting: median of ``--runs``); the cards then in the page; and
``--presses`` ``ArrowRight`` presses, each with its frame, median and mean.

Usage: ``python bench/review_bursts_view.py [--photos 20000 2000] [--size 4] [--runs 3] [--presses 40]``; prints
a markdown table (recorded in ``docs/review.md``, "Speed on a large library").
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
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
FRAMES = "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
# the groups drawn again: the call alone, and with the frame after it (a message posted then is taken after it)
_RENDER = """(data) => new Promise((resolve) => {
  const start = performance.now();
  renderBursts(data);
  const alone = performance.now() - start;
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve([alone, performance.now() - start]);
    channel.port2.postMessage(0);
  });
})"""
# ArrowRight pressed ``presses`` times, each once the page has been drawn, timed with the frame after it
_PRESSES = """async (presses) => {
  const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const times = [];
  for (let i = 0; i < presses; i++) {
    await frames();
    const start = performance.now();
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    await new Promise((resolve) => requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      channel.port2.postMessage(0);
    }));
    times.push(performance.now() - start);
  }
  return times;
}"""


def build(root: Path, photos: int, size: int) -> Path:
    """``photos`` flagged photos (copies of one 64 x 48 JPEG) in burst groups of ``size``, written into a store."""
    sample = root / "sample.jpg"
    Image.fromarray((np.random.default_rng(0).random((48, 64, 3)) * 255).astype(np.uint8)).save(sample)
    lib = root / "lib"
    lib.mkdir()
    records = []
    for i in range(photos):
        path = lib / f"IMG_{i:05d}.jpg"
        shutil.copyfile(sample, path)
        st = os.stat(path)
        records.append(ScanRecord(path=str(path), verdict="blurry", p_blurry=0.999 - i / 10 / photos,
                                  size=st.st_size, mtime_ns=st.st_mtime_ns, width=64, height=48, format="JPEG"))
    with Store(lib / ".blurscan.db") as store:
        store.put(records, "bench")
        with store.transaction() as conn:
            conn.executemany("INSERT INTO burst_groups (group_id, path, rank, is_keeper, reason) VALUES (?,?,?,?,?)",
                             [(1 + i // size, r.path, 1 + i % size, int(i % size == 0), None)
                              for i, r in enumerate(records)])
    return lib / ".blurscan.db"


def measure(db: Path, runs: int, presses: int) -> tuple[float, list[list[float]], int, list[float]]:
    from playwright import sync_api

    from blurscan.review.server import ReviewServer

    with ReviewServer(db, port=0) as server, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(server.url)
            page.wait_for_selector("body[data-ready='1']")
            start = time.perf_counter()
            page.keyboard.press("b")
            page.wait_for_selector("#bursts .card.selected")
            page.evaluate(FRAMES)
            shown = time.perf_counter() - start
            data = page.evaluate_handle("api('/api/bursts')")
            renders = [page.evaluate(_RENDER, data) for _ in range(runs)]
            cards = page.evaluate("document.querySelectorAll('#bursts .card').length")
            return shown, renders, cards, page.evaluate(_PRESSES, presses)
        finally:
            browser.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, nargs="+", default=[20000, 2000])
    parser.add_argument("--size", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--presses", type=int, default=40)
    args = parser.parse_args(argv)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()}, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}, window 1280 x 800")
    print()
    print("| shots | `b` to the view drawn | drawn again | with its frame | cards drawn "
          "| `ArrowRight` with its frame |")
    print("|---:|---:|---:|---:|---:|---:|")
    for photos in args.photos:
        with tempfile.TemporaryDirectory() as tmp:
            shown, renders, cards, keys = measure(build(Path(tmp), photos, args.size), args.runs, args.presses)
        alone = statistics.median(r[0] for r in renders)
        framed = statistics.median(r[1] for r in renders)
        print(f"| {photos:,} | {shown:.1f} s | {alone:.0f} ms | {framed:.0f} ms | {cards:,} | "
              f"{statistics.median(keys):.1f} ms ({statistics.mean(keys):.1f}) |")


if __name__ == "__main__":
    main()
