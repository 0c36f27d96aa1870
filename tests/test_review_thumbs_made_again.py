"""A thumbnail the review page cached before a change in how thumbnails are made is made again, never served:
a grey TIFF of signed 16-bit integers was read as 0..65535 until 2026-12-07 (half as bright), and its dark
thumbnail, cached under ``THUMB_VERSION`` 3's name, was still served by the page after the upgrade that reads
it as its picture (the scan's record of it is kept until the file changes; its thumbnail is only a picture)."""
from __future__ import annotations

import hashlib
import io
import os

import numpy as np
import tifffile
from PIL import Image

from blurscan.decode import thumbnail
from blurscan.records import ScanRecord
from blurscan.review import security
from blurscan.review.thumbs import THUMB_LONG_SIDE, cache_dir_for
from blurscan.store import Store

from helpers_images import textured
from helpers_review import BASE, review_client


def _mean(jpeg: bytes) -> float:
    with Image.open(io.BytesIO(jpeg)) as im:
        return float(np.asarray(im.convert("L")).mean())


def test_a_signed_tiffs_dark_thumbnail_cached_by_the_earlier_release_is_made_again(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    grey = textured(seed=4, size=(300, 400))[..., 1]
    photo = lib / "signed.tif"
    tifffile.imwrite(photo, (grey.astype(np.int32) * 32767 // 255).astype(np.int16))
    st = os.stat(photo)
    db = lib / ".blurscan.db"
    with Store(db) as store:
        store.put([ScanRecord(path=str(photo), verdict="sharp", p_blurry=0.1, size=st.st_size,
                              mtime_ns=st.st_mtime_ns, width=400, height=300, format="TIFF")], "test")
    # the thumbnail version 3 made and kept (its name: the cache key of that release), dark as it was
    blob = "\x00".join([str(photo), str(st.st_size), str(st.st_mtime_ns), str(THUMB_LONG_SIDE), "3"])
    key = hashlib.sha256(blob.encode()).hexdigest()[:32]
    old = cache_dir_for(db) / key[:2] / f"{key}.jpg"
    old.parent.mkdir(parents=True)
    buf = io.BytesIO()
    Image.fromarray((grey // 2).astype(np.uint8)).resize((THUMB_LONG_SIDE, 288)).save(buf, "JPEG")
    old.write_bytes(buf.getvalue())
    client = review_client((db, None))
    r = client.get(f"/thumb/{security.path_id(str(photo))}", base_url=BASE)
    assert r.status_code == 200
    own = _mean(thumbnail(photo, THUMB_LONG_SIDE))
    assert abs(_mean(r.data) - own) < 2, (_mean(r.data), own)  # (the cached one: some 60 levels darker)
    assert r.data != buf.getvalue()
