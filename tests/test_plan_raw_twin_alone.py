"""A RAW file selected on its own that is now a photo's RAW twin: marked discard while it was a photo of its own
(a Google Pixel's ``X.RAW-02.ORIGINAL.dng`` was one until 2026-12-07, :mod:`blurscan.pair_names`; any RAW alone
in its folder, a JPEG of its name put beside it since), or a record of it stored then. It goes with its photo,
never alone (:func:`blurscan.actions.raw_keeps.raw_twin_skips`): until 2026-12-07 ``move`` took the DNG and its
sidecars alone, the pair's JPEG left without its RAW, while the review page counted nothing discarded; and
``move --all-blurry`` on a database scanned before that day listed the DNG ``missing (moved or deleted since
planning)`` once its JPEG had taken it."""
from __future__ import annotations

import json

from PIL import Image

from helpers_cli import run
from helpers_images import blurred, textured
from helpers_library import decide, snapshot
from helpers_raw import write_dng

STEM = "PXL_20261201_101010123"
JPEG, DNG = f"{STEM}.RAW-01.COVER.jpg", f"{STEM}.RAW-02.ORIGINAL.dng"


def _pixel_dng_discarded_alone(tmp_path):
    """The DNG scanned and discarded alone, its cover JPEG put beside it and scanned since: ``(folder, db)``."""
    from blurscan.store import Store

    lib = tmp_path / "DCIM"
    lib.mkdir()
    picture = blurred(textured(seed=3, size=(256, 384)), 4.0)
    write_dng(lib / DNG, picture)
    (lib / f"{STEM}.RAW-02.ORIGINAL.xmp").write_text("<x:xmpmeta/>")
    db = lib / ".blurscan.db"
    assert run("scan", lib, "--workers", "1").exit_code == 0
    with Store(db) as store:
        decide(store, str(lib / DNG), "discard")
    Image.fromarray(picture).save(lib / JPEG, quality=92)
    out = run("scan", lib, "--workers", "1", "--format", "jsonl")
    assert out.exit_code == 0 and [json.loads(line)["path"] for line in out.stdout.splitlines()] == [str(lib / JPEG)]
    return lib, db


def test_a_raw_discarded_alone_is_not_taken_from_the_photo_it_is_now_the_twin_of(tmp_path):
    lib, _db = _pixel_dng_discarded_alone(tmp_path)
    before = snapshot(lib)
    dry = run("move", lib, "--to", tmp_path / "rejects")
    assert f"would move {DNG}" not in dry.output, dry.output  # (it did, with its .xmp, the JPEG left alone)
    assert f"skip {DNG}: the RAW twin of {JPEG}, one photo with it, which it goes with: decide on that photo" \
        in dry.output, dry.output
    out = run("move", lib, "--to", tmp_path / "rejects", "--yes")
    assert out.exit_code == 0, out.output
    assert snapshot(lib) == before and not (tmp_path / "rejects").exists()
    # the photo, chosen, takes it as its twin (once: not listed again as missing)
    out = run("move", lib, "--to", tmp_path / "rejects", "--all-blurry", "--yes")
    assert out.exit_code == 0 and "moved 1 photo (3 files" in out.output and "skip" not in out.output, out.output
    assert sorted(p.name for p in (tmp_path / "rejects").iterdir()) == sorted([JPEG, DNG, f"{STEM}.RAW-02.ORIGINAL.xmp"])


def test_a_raw_stored_as_a_photo_of_its_own_goes_once_with_its_photo(tmp_path):
    """A database scanned before the pair was one photo: both rows there, both blurry, the DNG chosen too."""
    from blurscan.records import ScanRecord
    from blurscan.store import Store

    lib, db = _pixel_dng_discarded_alone(tmp_path)
    st = (lib / DNG).stat()
    with Store(db) as store:  # (the DNG's own record, as a scan stored it then)
        key = store.conn.execute("SELECT cache_key FROM images").fetchone()[0]
        store.put([ScanRecord(path=str(lib / DNG), verdict="blurry", p_blurry=0.9, size=st.st_size,
                              mtime_ns=st.st_mtime_ns, width=384, height=256, format="DNG")], key)
    out = run("move", lib, "--to", tmp_path / "rejects", "--all-blurry", "--yes")
    assert out.exit_code == 0 and "moved 1 photo (3 files" in out.output, out.output
    assert "missing (moved or deleted since planning)" not in out.output and "skip" not in out.output, out.output
