"""The review app's test library and signed-in client, shared by ``test_review_app.py`` and
``test_review_decisions.py``."""
from __future__ import annotations

import os

import cv2
import numpy as np
from flask.testing import FlaskClient
from PIL import Image

from blurscan.records import ScanRecord
from blurscan.review import security
from blurscan.review.app import create_app
from blurscan.store import Store

PORT = 5123
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "token-app-tests"
CSRF = {security.CSRF_HEADER: security.csrf_token(TOKEN)}


def _photo(path, blur=0.0, seed=0, size=(120, 160), fmt=None, exif=None):
    rng = np.random.default_rng(seed)
    img = (rng.random((*size, 3)) * 255).astype(np.uint8)
    img = cv2.resize(cv2.resize(img, (size[1] // 4, size[0] // 4)), (size[1], size[0]),
                     interpolation=cv2.INTER_NEAREST)  # blocks: real edges, so blur changes something
    if blur:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    kwargs = {"exif": exif} if exif is not None else {}
    Image.fromarray(img).save(path, format=fmt, **kwargs)
    return path


def _record(path, verdict, p_blurry, **kw):
    st = os.stat(path)
    return ScanRecord(path=str(path), verdict=verdict, p_blurry=p_blurry, size=st.st_size,
                      mtime_ns=st.st_mtime_ns, width=160, height=120, format="JPEG", **kw)


def build_review_library(tmp_path):
    """A library: two folders, blurry / partial / sharp photos, one error, EXIF on one photo. Returns
    ``(database, {file name: record})``."""
    a, b = tmp_path / "lib" / "a", tmp_path / "lib" / "b"
    a.mkdir(parents=True)
    b.mkdir()
    exif = Image.Exif()
    exif[0x010F] = "TestMaker"
    exif[0x0110] = "Cam 1"
    recs = [
        _record(_photo(a / "blurry.jpg", 5.0, 1, size=(240, 320), exif=exif), "blurry", 0.95, blur_type="defocus",
                grid=[[0.9, 0.8], [None, 0.7]], grid_box=[0.0, 0.05, 1.0, 0.95]),
        _record(_photo(a / "partial.jpg", 0.0, 2), "partial", 0.6, blur_type="motion"),
        _record(_photo(b / "sharp.jpg", 0.0, 3), "sharp", 0.05, blur_type="none"),
        _record(_photo(b / "soft.png", 3.0, 4, fmt="PNG"), "blurry", 0.8),
        _record(_photo(b / "odd.bmp", 3.0, 5, fmt="BMP"), "blurry", 0.7),
    ]
    (b / "broken.jpg").write_bytes(b"\xff\xd8\xffnot really")
    recs.append(ScanRecord.failed(str(b / "broken.jpg"), "truncated JPEG"))
    db = tmp_path / "lib" / ".blurscan.db"
    with Store(db) as store:
        store.put(recs, "test")
    return db, {os.path.basename(r.path): r for r in recs}


class BufferedClient(FlaskClient):
    """A test client whose replies are read whole, and their body closed, as the request is made (Werkzeug's
    ``buffered=True``), as the real server closes a reply once sent: a photo /full serves from its open file was
    left open by every test that read the reply and never closed it (a ResourceWarning under ``-X dev``)."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


def review_client(lib):
    """A signed-in test client of the review app on ``lib`` (:func:`build_review_library`)."""
    app = create_app(lib[0], TOKEN, port=PORT)
    app.test_client_class = BufferedClient
    c = app.test_client()
    assert c.get(f"/?token={TOKEN}", base_url=BASE).status_code == 303
    return c


def _get(client, url):
    r = client.get(url, base_url=BASE)
    assert r.status_code == 200, (url, r.status_code, r.data[:200])
    return r


def _names(client, query):
    return [it["name"] for it in _get(client, "/api/items?" + query).get_json()["items"]]


def _post(client, url, body):
    return client.post(url, json=body, base_url=BASE, headers=CSRF)


def error_of(r) -> str:
    """The line of a refusal: every error reply is ``{"error": LINE, ...}`` as JSON (review/replies.py)."""
    assert r.mimetype == "application/json", (r.status_code, r.mimetype, r.data[:200])
    line = r.get_json()["error"]
    assert isinstance(line, str) and "\n" not in line, line
    return line
