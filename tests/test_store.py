"""The images table of the store: cache lookups, non-UTF-8 paths, filters, schema guard, concurrent writers."""
from __future__ import annotations

import multiprocessing
import os
import sqlite3
from pathlib import Path

import pytest

from blurscan.errors import StoreError
from blurscan.records import ImageRef, ScanRecord
from blurscan.store import SCHEMA_VERSION, Store, db_path, path_from_db

KEY = "m1|none|abc"


def _rec(path, verdict="sharp", size=10, mtime_ns=20, **kw):
    return ScanRecord(path=path, verdict=verdict, size=size, mtime_ns=mtime_ns, laplacian_var=50.0, **kw)


@pytest.fixture
def store():
    with Store(":memory:") as s:
        yield s


def test_lookup_reuses_only_unchanged_file_and_key(store):
    store.put([_rec("/lib/a.jpg", scores={"tenengrad": 1.5})], KEY)
    hit = store.lookup_many([ImageRef("/lib/a.jpg", 10, 20)], KEY)
    assert list(hit) == ["/lib/a.jpg"]
    assert hit["/lib/a.jpg"].cached and hit["/lib/a.jpg"].scores == {"tenengrad": 1.5}
    assert store.lookup(ImageRef("/lib/a.jpg", 10, 20), KEY).verdict == "sharp"
    for ref, key in [(ImageRef("/lib/a.jpg", 11, 20), KEY),        # size changed
                     (ImageRef("/lib/a.jpg", 10, 21), KEY),        # touched
                     (ImageRef("/lib/a.jpg", 10, 20), "m2|none|abc"),  # measure / model / settings changed
                     (ImageRef("/lib/b.jpg", 10, 20), KEY)]:       # another file
        assert store.lookup_many([ref], key) == {}
        assert store.lookup(ref, key) is None


def test_lookup_many_handles_more_than_one_query_chunk(store):
    store.put([_rec(f"/lib/{i:04d}.jpg") for i in range(1200)], KEY)
    refs = [ImageRef(f"/lib/{i:04d}.jpg", 10, 20) for i in range(0, 1300)]
    assert len(store.lookup_many(refs, KEY)) == 1200


def test_put_replaces_the_row_of_a_path(store):
    store.put([_rec("/lib/a.jpg", "sharp")], KEY)
    store.put([_rec("/lib/a.jpg", "blurry", size=11)], KEY)
    assert [r.verdict for r in store.records()] == ["blurry"]


def test_non_utf8_path_round_trips(store):
    path = "/lib/caf\udce9.jpg"               # b"caf\xe9.jpg" decoded with surrogateescape
    assert db_path(path) == b"/lib/caf\xe9.jpg" and path_from_db(db_path(path)) == path
    assert db_path("/lib/café.jpg") == "/lib/café.jpg"   # valid UTF-8 stays text
    store.put([_rec(path), _rec("/lib/café.jpg")], KEY)
    assert set(store.lookup_many([ImageRef(path, 10, 20)], KEY)) == {path}
    assert store.record(path).path == path
    assert sorted(r.path for r in store.records(under="/lib")) == sorted([path, "/lib/café.jpg"])
    assert sorted(store.paths_under("/lib")) == sorted([path, "/lib/café.jpg"])
    store.forget([path])
    assert [r.path for r in store.records()] == ["/lib/café.jpg"]


def test_records_filters(store):
    store.put([_rec("/lib/a.jpg", "sharp"), _rec("/lib/b.jpg", "blurry"), _rec("/lib/c.jpg", "partial"),
               ScanRecord.failed(ImageRef("/lib/d.jpg", 1, 2), "not an image")], KEY)
    assert [r.path for r in store.records(only="blurry")] == ["/lib/b.jpg"]
    assert [r.path for r in store.records(only="partial")] == ["/lib/c.jpg"]
    assert [r.error for r in store.records(only="errors")] == ["not an image"]
    assert len(store.records()) == 4


def test_records_under_is_an_exact_case_sensitive_prefix(store):
    store.put([_rec("/lib/A_b/x.jpg"), _rec("/lib/a_b/y.jpg"), _rec("/lib/AXb/z.jpg"), _rec("/lib/A_b2/w.jpg")],
              KEY)
    assert [r.path for r in store.records(under="/lib/A_b")] == ["/lib/A_b/x.jpg"]
    assert [r.path for r in store.records(under="/lib/A_b/")] == ["/lib/A_b/x.jpg"]
    assert len(store.records(under="/lib")) == 4
    assert store.records(under="/other") == []


def test_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "x.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this blurscan understands"):
        Store(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()


def test_missing_database_without_create(tmp_path):
    with pytest.raises(StoreError, match="no blurscan database"):
        Store(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_not_a_database_is_a_store_error(tmp_path):
    (tmp_path / "junk.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        Store(tmp_path / "junk.db")


def _writer(db, start, n):
    with Store(db) as s:
        for i in range(start, start + n, 10):  # many small transactions, interleaved with the other writer
            s.put([_rec(f"/lib/{j:05d}.jpg") for j in range(i, i + 10)], KEY)
            s.lookup_many([ImageRef(f"/lib/{j:05d}.jpg", 10, 20) for j in range(0, 2 * n)], KEY)


def test_two_processes_writing_the_same_database(tmp_path):
    db = tmp_path / "lib.db"
    Store(db).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(db), k * 1000, 300)) for k in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)  # (a hang guard: two spawned interpreters on a loaded machine)
    assert [p.exitcode for p in procs] == [0, 0]
    with Store(db) as s:
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert s.conn.execute("SELECT COUNT(*) FROM images").fetchone()[0] == 600


def test_several_openers_of_a_new_database_at_once(tmp_path):
    """Two scans started together on a new database: each connection may hold a read lock while wanting the
    write lock that WAL mode needs, and SQLite answers "database is locked" at once instead of waiting (before
    the retry, 61 of 900 such opens failed).  Every opener must succeed and see the full schema."""
    import threading

    failures = []
    for i in range(60):
        path = tmp_path / f"new{i}.db"
        barrier = threading.Barrier(3)

        def open_it():
            barrier.wait()
            try:
                with Store(path) as s:
                    assert s.schema_version == SCHEMA_VERSION
            except Exception as exc:  # collected: an assert in a thread would not fail the test
                failures.append(repr(exc))

        threads = [threading.Thread(target=open_it) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not failures, failures[:3]


def test_rows_from_other_versions_still_load(store):
    import json

    store.put([_rec("/lib/a.jpg"), _rec("/lib/b.jpg")], KEY)
    row = json.loads(store.conn.execute("SELECT record FROM images WHERE path = '/lib/a.jpg'").fetchone()[0])
    newer = {**row, "future_field": 1}                     # written by a newer blurscan
    older = {k: v for k, v in row.items() if k != "phash"}  # written before a field existed
    store.conn.execute("UPDATE images SET record = ? WHERE path = '/lib/a.jpg'", (json.dumps(newer),))
    store.conn.execute("UPDATE images SET record = ? WHERE path = '/lib/b.jpg'", (json.dumps(older),))
    found = store.lookup_many([ImageRef("/lib/a.jpg", 10, 20), ImageRef("/lib/b.jpg", 10, 20)], KEY)
    assert found["/lib/a.jpg"].verdict == "sharp" and not hasattr(found["/lib/a.jpg"], "future_field")
    assert found["/lib/b.jpg"].phash is None and found["/lib/b.jpg"].cached


def test_seeded_store_reuses_a_read_only_stores_unchanged_records_and_copies_them(tmp_path):
    from blurscan.seeded import SeededStore

    seed = tmp_path / "library.db"
    with Store(seed) as s:
        s.put([_rec("/lib/a.jpg"), _rec("/lib/b.jpg", size=11),
               ScanRecord(path="/lib/bad.jpg", status="error", error="not an image", size=5, mtime_ns=6)], KEY)
    before = seed.read_bytes()
    seed.chmod(0o444)
    refs = [ImageRef("/lib/a.jpg", 10, 20), ImageRef("/lib/b.jpg", 12, 20),   # b changed size since
            ImageRef("/lib/bad.jpg", 5, 6), ImageRef("/lib/new.jpg", 1, 2)]
    with SeededStore(tmp_path / "cache.db", seed) as store:
        found = store.lookup_many(refs, KEY)
        assert sorted(found) == ["/lib/a.jpg", "/lib/bad.jpg"] and found["/lib/a.jpg"].cached
        assert store.lookup_many(refs, "m2|none|abc") == {}                 # another cache key: nothing
        assert store.lookup(ImageRef("/lib/a.jpg", 10, 20), KEY).verdict == "sharp"
    with Store(tmp_path / "cache.db") as cache:  # the usable record was copied; the error one is tried again
        assert [r.path for r in cache.records()] == ["/lib/a.jpg"]
        assert list(cache.lookup_many(refs, KEY)) == ["/lib/a.jpg"]
    assert seed.read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "fork") or os.geteuid() != 0, reason="needs root to become nobody")
def test_another_users_database_in_a_writable_folder_is_read_without_leaving_wal_and_shm_files():
    """Another user's library database (not writable by this user) in a folder this user may write: reading it
    (report, a scan's SeededStore) creates no -wal / -shm file there: SQLite made them this user's, read-only
    to the owner, whose next scan then failed with 'the database is read-only'."""
    import shutil
    import tempfile

    from helpers_os import run_unprivileged

    from blurscan.seeded import SeededStore

    base = Path(tempfile.mkdtemp(prefix="blurscan-other-"))
    try:
        base.chmod(0o755)
        lib, cache = base / "lib", base / "cache"
        lib.mkdir()
        cache.mkdir()
        with Store(lib / ".blurscan.db") as s:                  # the owner's scan
            s.put([_rec("/lib/a.jpg")], KEY)
        (lib / ".blurscan.db").chmod(0o644)
        lib.chmod(0o777)
        cache.chmod(0o777)
        before = sorted(p.name for p in lib.iterdir())

        def read():
            with Store(lib / ".blurscan.db", readonly=True) as s:
                listed = [r.path for r in s.records()]
            with SeededStore(cache / "cache.db", lib / ".blurscan.db") as s:
                seeded = list(s.lookup_many([ImageRef("/lib/a.jpg", 10, 20)], KEY))
            return [listed, seeded]

        assert run_unprivileged(read) == [["/lib/a.jpg"], ["/lib/a.jpg"]]
        assert sorted(p.name for p in lib.iterdir()) == before == [".blurscan.db"]
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_reading_ones_own_library_leaves_no_wal_and_shm_files_and_writes_nothing(tmp_path):
    """``blurscan report`` (and the seed of a scan of a parent folder) opened the library's own database
    ``mode=ro``, which left ``.blurscan.db-wal`` and ``-shm`` beside the photos (a read-only connection may not
    delete them). It is opened read-write with ``query_only`` now: the files go, and still nothing is written."""
    import sqlite3

    from blurscan.seeded import SeededStore

    lib = tmp_path / "lib"
    lib.mkdir()
    with Store(lib / ".blurscan.db") as s:
        s.put([_rec("/lib/a.jpg")], KEY)
    assert sorted(p.name for p in lib.iterdir()) == [".blurscan.db"]
    before = (lib / ".blurscan.db").read_bytes()
    with Store(lib / ".blurscan.db", readonly=True) as s:
        assert [r.path for r in s.records()] == ["/lib/a.jpg"]
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
            s.conn.execute("DELETE FROM images")
    with SeededStore(tmp_path / "new.db", lib / ".blurscan.db") as s:
        assert list(s.lookup_many([ImageRef("/lib/a.jpg", 10, 20)], KEY)) == ["/lib/a.jpg"]
    assert sorted(p.name for p in lib.iterdir()) == [".blurscan.db"]
    assert (lib / ".blurscan.db").read_bytes() == before


def test_a_record_is_stored_as_all_its_fields_but_cached_moved_from_rescored_and_redated(store):
    """``to_row`` is a shallow dict now (``dataclasses.asdict`` deep-copied every score and grid cell, 0.2 ms a
    record): the JSON stored is the same, key for key, in the same order."""
    import dataclasses
    import json

    rec = _rec("/lib/a.jpg", scores={"tenengrad": 310.4, "sharp_tiles": None}, grid=[[0.97, None], [0.5, 0.25]],
               grid_box=[0.0, 0.0, 1.0, 1.0], note="judged from the RAW twin", cached=True, moved_from="/old/a.jpg",
               rescored="the model's rules changed", redated=True, dates=2)
    expected = dataclasses.asdict(rec)
    del expected["cached"], expected["moved_from"], expected["rescored"], expected["redated"]
    assert json.dumps(rec.to_row()) == json.dumps(expected)
    store.put([rec], KEY)
    assert store.record("/lib/a.jpg") == dataclasses.replace(rec, cached=False, moved_from=None, rescored=None,
                                                             redated=False)
