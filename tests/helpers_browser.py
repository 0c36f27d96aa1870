"""The review page in a real headless Chromium (Debian's ``chromium`` driven by Playwright): the browser and
a scanned sample library for ``test_review_browser.py`` and ``test_review_browser_keys.py`` (their fixtures
``sync_api`` and ``scanned`` are in ``conftest.py``).

One Chromium serves a run of browser tests (:class:`Chromium`, the ``sync_api`` fixture; per pytest-xdist worker),
each test in browser contexts of its own (its storage, cookies and viewport), all closed when it ends; a browser
that crashed (no longer connected) is launched again, and after a failed test the next one gets a new browser.

CI installs the browser with ``apt-get install -y chromium``; Playwright's own browser download is never used.
Without it (or without the playwright package) the tests skip, or fail where ``BLURSCAN_REQUIRE_BROWSER=1``.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

import cv2
import pytest
from PIL import Image

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def unavailable(reason: str):
    """Skip, or fail where the browser test must run (CI sets ``BLURSCAN_REQUIRE_BROWSER=1``)."""
    if os.environ.get("BLURSCAN_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(f"{reason}, and BLURSCAN_REQUIRE_BROWSER is set")
    pytest.skip(reason)


class Chromium:
    """The one headless Chromium of a run of browser tests (the session-scoped ``chromium`` fixture; the
    ``sync_api`` fixture hands it to each test): :attr:`browser` launches it when first asked for, and again
    when it is no longer connected (crashed, or stopped after a failed test). Other attributes are Playwright's
    sync API's (``sync_api.expect``...). A test makes its pages in contexts of its own (``review_tabs``,
    ``browser.new_page``, ``browser.new_context``): :meth:`close_contexts` closes them all when it ends."""

    def __init__(self) -> None:
        self.api = None
        self.launches = 0
        self._playwright = None
        self._browser = None

    def __getattr__(self, name: str):
        if name.startswith("_") or self.__dict__.get("api") is None:
            raise AttributeError(name)
        return getattr(self.api, name)

    @property
    def live(self) -> bool:
        return self._playwright is not None

    @property
    def browser(self):
        if self._browser is not None and not self._browser.is_connected():
            self.stop()
        if self._browser is None:
            self._playwright = self.api.sync_playwright().start()
            try:
                self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                                 headless=True)
            except BaseException:
                self.stop()
                raise
            self.launches += 1
        return self._browser

    def close_contexts(self) -> None:
        """Close every browser context (each test's pages); a browser that cannot is stopped."""
        if self._browser is None:
            return
        try:
            for context in list(self._browser.contexts):
                context.close()
        except Exception:
            self.stop()

    def stop(self) -> None:
        """Stop Playwright's driver, and with it the browser (the next test launches a new one). Also between
        browser tests and the others: a live sync API marks its event loop as running in this thread."""
        playwright, self._playwright, self._browser = self._playwright, None, None
        if playwright is not None:
            with contextlib.suppress(Exception):
                playwright.stop()


def playwright_sync_api():
    """Playwright's sync API, once Chromium and the playwright package are known to be there (the ``sync_api``
    fixture)."""
    if not os.path.exists(CHROMIUM):
        unavailable(f"{CHROMIUM} is missing (install it with `apt-get install -y chromium`)")
    try:
        from playwright import sync_api
    except ImportError:
        unavailable("the playwright Python package is missing (pip install -e '.[dev]')")
    return sync_api


#: Where the screenshots go unless BLURSCAN_ARTIFACTS says: ``artifacts/`` of the source tree
SOURCE_ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
_fallback: list[Path] = []


def artifacts() -> Path:
    """The screenshots' folder: ``$BLURSCAN_ARTIFACTS``, else ``artifacts/`` of the source tree, else (a source
    tree this user may not write: a packager's read-only unpacked sdist, run as nobody) a folder of this run's in
    the temporary folder. Until 2026-12-06 every browser test that saved a screenshot failed there with
    PermissionError."""
    if os.environ.get("BLURSCAN_ARTIFACTS"):
        path = Path(os.environ["BLURSCAN_ARTIFACTS"])
        path.mkdir(parents=True, exist_ok=True)
        return path
    try:
        SOURCE_ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if os.access(SOURCE_ARTIFACTS, os.W_OK):
            return SOURCE_ARTIFACTS
    except OSError:
        pass
    if not _fallback:
        import tempfile

        _fallback.append(Path(tempfile.mkdtemp(prefix="blurscan-artifacts-")))
    return _fallback[0]


def wait_true(page, expression: str, timeout: float = 15.0) -> None:
    """Poll a JavaScript expression from Python until it is true.

    ``page.wait_for_function`` polls with ``eval`` inside the page, which the page's Content-Security-Policy
    (rightly) forbids; ``page.evaluate`` goes through the DevTools protocol instead.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.02)


def mark_list(page) -> None:
    """Mark the photos of the list the page shows before another list is chosen (Show, Folder, Sort):
    :data:`LIST_ARRIVED` is true once the list asked for has replaced it. A wait on the new list's length or
    order alone was met early where the list shown happened to match, or once a photo was taken off it
    (refresh.js ``dropTakenAway`` keeps the photos' objects, so their marks): keys pressed then were for the
    photos shown, and the new list, arriving after them, moved the selection to its first photo."""
    page.evaluate("state.items.forEach((item) => { item.beforeList = true; })")


#: true once the list shown holds none of the photos :func:`mark_list` marked (a new list from the server)
LIST_ARRIVED = "state.items.every((item) => !item.beforeList)"


def full_view_of(page, index: int) -> tuple[str, list]:
    """Open the detail view of the page's photo ``index`` and wait for its full view and blur map: its name, and
    the full view's natural width and height with the darkest channel value of its top-left 12 x 8 pixels."""
    page.evaluate(f"state.sel = {index}; openDetail()")
    wait_true(page, "state.detail !== null && $('full').naturalWidth > 0 && "
                    "!$('full').classList.contains('loading') && $('map').children.length > 0")
    name = page.evaluate("state.items[state.sel].name")
    shown = page.evaluate("""(() => { const im = $('full'), c = document.createElement('canvas');
        c.width = im.naturalWidth; c.height = im.naturalHeight; c.getContext('2d').drawImage(im, 0, 0);
        const corner = c.getContext('2d').getImageData(0, 0, 12, 8).data;
        return [im.naturalWidth, im.naturalHeight, Math.min(...corner)]; })()""")
    return name, shown


def shown_again(page, origin: str) -> None:
    """The tab shown again (a focus event, as a return from another window fires) and its refresh done."""
    with page.expect_response(lambda r: r.url.startswith(origin + "/api/decisions") and r.status == 200):
        page.evaluate("window.dispatchEvent(new Event('focus'))")
    wait_true(page, "refreshing === null")


def choose_folder(page, origin: str, folder) -> None:
    """``folder`` chosen in the page's Folder list, its list read."""
    with page.expect_response(lambda r: r.url.startswith(origin + "/api/items") and r.status == 200):
        page.select_option("#folder", str(folder))


@contextlib.contextmanager
def review_tabs(sync_api, db: Path, count: int = 2, width: int = 1280, height: int = 800, routes=None, **options):
    """A review server on ``db`` and ``count`` tabs of the run's headless Chromium (``sync_api``, a
    :class:`Chromium`) in one new browser context (one person's tabs), each with the page loaded: yields
    ``(tabs, origin, errors)`` (``errors``: the tabs' uncaught JavaScript errors, for the test to assert
    empty). ``routes``: a :class:`~helpers_routes.ServerRoutes` whose rules the server follows (never Playwright's
    ``page.route``: see helpers_routes.py). ``options``: more of the context's settings (``forced_colors="active"``...)."""
    from blurscan.review.server import ReviewServer

    with ReviewServer(db, port=0) as server:
        if routes is not None:
            routes.install(server.app)
        context = sync_api.browser.new_context(viewport={"width": width, "height": height}, **options)
        try:
            errors: list[str] = []
            tabs = []
            for _ in range(count):
                tab = context.new_page()
                tab.on("pageerror", lambda e: errors.append(str(e)))
                tab.goto(server.url)
                tab.wait_for_selector("body[data-ready='1']")
                tabs.append(tab)
            yield tabs, f"http://127.0.0.1:{server.port}", errors
        finally:
            if routes is not None:
                routes.release_all()
            sync_api.close_contexts()


@contextlib.contextmanager
def review_page(sync_api, db: Path, width: int = 1280, height: int = 800, routes=None, **options):
    """:func:`review_tabs` with one tab: yields ``(page, origin, errors)``."""
    with review_tabs(sync_api, db, 1, width, height, routes=routes, **options) as (tabs, origin, errors):
        yield tabs[0], origin, errors


def scan_sample_photos(tmp_path: Path) -> tuple[Path, Path]:
    """Four photos (scikit-image's sample photos), each also saved blurred (Gaussian, sigma 4 px); scanned with
    the real pipeline into ``photos/.blurscan.db``, with a blur map on one photo and one burst group; returns
    ``(photos, db)`` (the ``scanned`` fixture)."""
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


def copy_scanned(template: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of :func:`scan_sample_photos`' library ``template`` (its ``photos`` folder) as ``tmp_path / "photos"``,
    for one test to read and change: the database a scan of the copy stores, but for the scan's time. The photos
    keep their sizes and modification times; the database's paths are moved to the copy (the photos' rows and
    records, the burst group, the scanned folder), each record given its copy's status-change time as a scan takes
    it (:func:`blurscan.filetime.ctime_of`: a time other than the stored one has the photo's bytes read again to tell
    a replaced file, blurscan.replaced). The ``scanned`` fixture: one scan per worker, not one per browser test (127
    scans of 8 photos, 0.3 to 0.8 s each, until 2026-12-07; test_browser_sample_copy.py). Returns ``(photos, db)``
    as the scan does."""
    import json
    import sqlite3

    from blurscan.filetime import ctime_of

    old, photos = str(template), tmp_path / "photos"
    shutil.copytree(template, photos)  # (copy2: the modification time to the nanosecond)
    db = photos / ".blurscan.db"

    def moved(path: str) -> str:
        return str(photos / os.path.relpath(path, old))

    conn = sqlite3.connect(db)
    try:
        with conn:
            for path, text in conn.execute("SELECT path, record FROM images").fetchall():
                record = json.loads(text)
                record["path"] = moved(path)
                if record.get("ctime_ns") is not None:
                    record["ctime_ns"] = ctime_of(os.stat(record["path"]))
                conn.execute("UPDATE images SET path = ?, record = ? WHERE path = ?",
                             (record["path"], json.dumps(record), path))
            for path, in conn.execute("SELECT DISTINCT path FROM burst_groups").fetchall():
                conn.execute("UPDATE burst_groups SET path = ? WHERE path = ?", (moved(path), path))
            (roots,) = conn.execute("SELECT value FROM meta WHERE key = 'scanned_roots'").fetchone()
            conn.execute("UPDATE meta SET value = ? WHERE key = 'scanned_roots'",
                         (json.dumps([moved(root) for root in json.loads(roots)]),))
            tables = [name for name, in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            left = [(table, row) for table in tables for row in conn.execute(f"SELECT * FROM {table}")
                    if any(isinstance(value, str) and old in value for value in row)]
    finally:
        conn.close()
    assert not left, left  # (every path moved: none still names the template)
    return photos, db


def generated_library(tmp_path: Path, photos: int, burst_size: int = 0, sharp: int = 0) -> Path:
    """``photos`` copies of one small generated JPEG (``IMG_00000.jpg`` ...), written straight into a store
    (no scan): the first ``photos - sharp`` flagged blurry, the most blurry first, the rest sharp; with
    ``burst_size``, every photo in a burst group of that many consecutive shots (its first the keeper). Returns
    the database."""
    import numpy as np

    from blurscan.records import ScanRecord
    from blurscan.store import Store

    lib = tmp_path / "lib"
    lib.mkdir()
    sample = tmp_path / "sample.jpg"
    Image.fromarray((np.random.default_rng(0).random((48, 64, 3)) * 255).astype(np.uint8)).save(sample)
    records = []
    for i in range(photos):
        path = lib / f"IMG_{i:05d}.jpg"
        shutil.copyfile(sample, path)
        st = os.stat(path)
        blurry = i < photos - sharp
        records.append(ScanRecord(path=str(path), verdict="blurry" if blurry else "sharp",
                                  p_blurry=0.999 - i / 10 / photos if blurry else 0.01,
                                  size=st.st_size, mtime_ns=st.st_mtime_ns, width=64, height=48, format="JPEG"))
    with Store(lib / ".blurscan.db") as store:
        store.put(records, "test")
        if burst_size:
            with store.transaction() as conn:
                conn.executemany(
                    "INSERT INTO burst_groups (group_id, path, rank, is_keeper, reason) VALUES (?,?,?,?,?)",
                    [(1 + i // burst_size, r.path, 1 + i % burst_size, int(i % burst_size == 0),
                      "sharpest" if i % burst_size == 0 else None) for i, r in enumerate(records)])
    return lib / ".blurscan.db"
