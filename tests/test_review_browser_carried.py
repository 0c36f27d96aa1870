"""The review page of a library carried with its drive to another place (a real ext4 drive, a loop device, in a
mount namespace of its own: ``DISK`` taken, so ``DISK1``), its ``.blurscan.db`` on it, opened there before any scan,
in a real headless Chromium: the line under the figures (``#carried``) says where its photos are, with the scan that
finds them, in ``report``'s words (:func:`blurscan.unmounted.carried_note`). Root only (``_drives`` of
``test_undo_remounted.py`` skips, saying why, elsewhere); the server runs in the namespace, the browser outside."""
from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from helpers_browser import wait_true
from helpers_cli import child_program
from helpers_images import blurred, save_jpeg, textured
from test_undo_remounted import _drives

pytestmark = pytest.mark.browser

_SERVED = (  # sh -c ... sh IMAGE DISK DISK1 PYTHON PHOTOS: as root, in a mount namespace of its own
    'set -e; mount --make-rprivate /; mount -o loop "$1" "$2"; cp -a "$5" "$2/lib"; '
    '"$4" -m blurscan scan "$2/lib" --model none --workers 1 >/dev/null 2>&1; umount "$2"; mount -o loop "$1" "$3"; '
    'exec "$4" -m blurscan review "$3/lib" --no-browser --port 0')


def test_the_page_of_a_library_carried_with_its_drive_says_where_its_photos_are(sync_api, tmp_path):
    """The page shows the ``carried`` line, naming the place the photos were recorded under (``DISK``), the drive's
    place now (``DISK1``) and the scan of ``DISK1/lib``; no photo card stands for them (none is on disk where
    recorded), and the page raises no error."""
    images, disk, disk1 = _drives(tmp_path, "drive.img")
    photos = tmp_path / "photos"
    save_jpeg(photos / "s.jpg", textured(2))
    save_jpeg(photos / "b1.jpg", blurred(textured(3), 4))
    save_jpeg(photos / "b2.jpg", blurred(textured(4), 4))
    server = subprocess.Popen(["unshare", "-m", "sh", "-c", _SERVED, "sh", images[0], disk, disk1, sys.executable,
                               photos], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert ": http://127.0.0.1:" in line, line + server.stderr.read() if server.poll() is not None else line
        context = sync_api.browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(line.split(": ", 1)[1].strip())
        page.wait_for_selector("body[data-ready='1']")
        wait_true(page, "!document.getElementById('carried').hidden")
        assert page.inner_text("#carried") == (
            f"3 stored photos under {disk} are not listed: this database is on a drive mounted at {disk1} (that "
            f"drive mounted at another place?): `{child_program()} scan {disk1 / 'lib'}` finds them there, scores and keeps "
            "or discards kept")
        assert page.locator("#carried").is_visible()
        assert errors == []
    finally:
        sync_api.close_contexts()
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
        server.communicate(timeout=60)
