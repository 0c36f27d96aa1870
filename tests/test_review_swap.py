"""A photo swapped between the review server's check and its read (TOCTOU): ``/thumb`` checked the file, then
the decoder opened the path again, following links, and ``/full`` did the same for a format it converts (HEIC,
TIFF, ...): a photo swapped for a link to a secret picture in between had the secret thumbnailed, cached under
the photo's key and served (an auditor's race won 19 times in 400). Now the bytes are read once, through the
descriptor checked (``O_NOFOLLOW``, the same device and inode, size and time). The swaps are made here by a
hook at the exact moment, so the test is deterministic."""
from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from blurscan.records import ScanRecord
from blurscan.review import security
from blurscan.review.app import create_app
from blurscan.store import Store
from helpers_review import BASE, PORT, TOKEN, error_of

RED, BLUE = (220, 20, 20), (20, 20, 220)


def _picture(path, colour, fmt, noise=0):
    rng = np.random.default_rng(1)
    pixels = np.clip(np.array(colour, np.int16) + rng.integers(-noise, noise + 1, (120, 160, 3)), 0, 255)
    Image.fromarray(pixels.astype(np.uint8)).save(path, format=fmt)


def _colour(data: bytes):
    return tuple(int(v) for v in np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).reshape(-1, 3).mean(0))


def _is(colour, expected):
    return all(abs(a - b) < 40 for a, b in zip(colour, expected))


@pytest.fixture()
def lib(tmp_path):
    """A library of a red JPEG (noisy: larger than the secret) and a red TIFF; another user's blue secret.jpg."""
    folder, private = tmp_path / "lib", tmp_path / "private"
    folder.mkdir()
    private.mkdir()
    _picture(folder / "red.jpg", RED, "JPEG", noise=60)
    _picture(folder / "red.tif", RED, "TIFF")
    _picture(private / "secret.jpg", BLUE, "JPEG")
    recs = []
    for name in ("red.jpg", "red.tif"):
        st = os.stat(folder / name)
        recs.append(ScanRecord(path=str(folder / name), verdict="blurry", size=st.st_size, mtime_ns=st.st_mtime_ns,
                               width=160, height=120, format="JPEG" if name.endswith("jpg") else "TIFF"))
    with Store(folder / ".blurscan.db") as store:
        store.put(recs, "test")
    app = create_app(folder / ".blurscan.db", TOKEN, port=PORT)
    client = app.test_client()
    assert client.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    return folder, private / "secret.jpg", app, client


class Swapper:
    """Puts the photo back before each check, and swaps it for ``swap()`` right after: every read that follows a
    check meets the swapped file."""

    def __init__(self, path, swap):
        self.path, self.aside, self.swap = str(path), str(path) + ".aside", swap

    def restore(self):
        if os.path.lexists(self.aside):
            if os.path.lexists(self.path):
                os.unlink(self.path)
            os.rename(self.aside, self.path)  # (the very file, its inode and times)

    def after(self, real):
        def hooked(*args, **kwargs):
            self.restore()
            out = real(*args, **kwargs)
            os.rename(self.path, self.aside)
            self.swap(self.path)
            return out
        return hooked


def _link_to(secret):
    return lambda path: os.symlink(secret, path)


def _copy_alike(secret, photo):
    """A plain file of the secret's bytes with the photo's size and time (a JPEG is read to its end marker)."""
    st = os.stat(photo)
    data = Path(secret).read_bytes()
    assert len(data) < st.st_size

    def swap(path):
        with open(path, "wb") as fh:
            fh.write(data + b"\0" * (st.st_size - len(data)))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    return swap


def _thumbs(app):
    folder = app.config["BLURSCAN_THUMBS"]
    return [os.path.join(d, f) for d, _s, files in os.walk(folder) for f in files] if os.path.isdir(folder) else []


@pytest.mark.parametrize("how", ["link", "copy with the same size and time"])
def test_a_photo_swapped_after_its_check_is_not_thumbnailed(lib, monkeypatch, how):
    folder, secret, app, client = lib
    photo = folder / "red.jpg"
    swapper = Swapper(photo, _link_to(secret) if how == "link" else _copy_alike(secret, photo))
    monkeypatch.setattr(security, "check_known_file", swapper.after(security.check_known_file))
    r = client.get(f"/thumb/{security.path_id(str(photo))}", base_url=BASE)
    assert r.status_code == 403 and error_of(r).startswith(("cannot open the file", "file changed while")), \
        (r.status_code, r.data[:80])
    assert _thumbs(app) == []  # nothing cached under the photo's key
    monkeypatch.undo()
    swapper.restore()
    r = client.get(f"/thumb/{security.path_id(str(photo))}", base_url=BASE)
    assert r.status_code == 200 and _is(_colour(r.data), RED)
    assert [_is(_colour(Path(p).read_bytes()), RED) for p in _thumbs(app)] == [True]


def test_a_converted_photo_swapped_after_it_was_opened_is_served_from_the_file_opened(lib, monkeypatch):
    """``/full`` of a TIFF closed the checked file and had the decoder open the path again."""
    folder, secret, _app, client = lib
    photo = folder / "red.tif"
    swapper = Swapper(photo, _link_to(secret))
    monkeypatch.setattr(security, "open_known_file", swapper.after(security.open_known_file))
    r = client.get(f"/full/{security.path_id(str(photo))}", base_url=BASE)
    assert r.status_code == 200 and r.mimetype == "image/jpeg"
    assert _is(_colour(r.data), RED), _colour(r.data)


def test_a_converted_photo_swapped_after_its_check_is_refused(lib, monkeypatch):
    folder, secret, _app, client = lib
    photo = folder / "red.tif"
    swapper = Swapper(photo, _link_to(secret))
    monkeypatch.setattr(security, "check_known_file", swapper.after(security.check_known_file))
    r = client.get(f"/full/{security.path_id(str(photo))}", base_url=BASE)
    assert r.status_code == 403 and not r.data.startswith(b"\xff\xd8")
