"""The review page's "date taken" order, made fast again (2026-12-06: reading each text by itself and ordering by
tuples made the ordering of 100,000 photos 12x slower), is the order it was: a few thousand random dates (with and
without offsets, fractions, the nights the clocks change in five zones, years 1 and 9999, texts that are no
date-time, shared seconds, ``captured_subsec`` good and bad, file times and names alike) ordered by
:func:`blurscan.review.date_order.in_date_order` and by the straightforward reading it replaced, kept here: each
row's text read by :func:`blurscan.taken_at.seconds`, tuples sorted."""
from __future__ import annotations

import datetime as dt
import json
import random
import re
import sqlite3
from itertools import groupby

import pytest

from blurscan import taken_at
from blurscan.review import date_order, library
from blurscan.store import Store, path_from_db

ZONES = {  # (POSIX TZ) -> the nights its clocks change in 2024
    "UTC0": [],
    "CET-1CEST,M3.5.0,M10.5.0/3": [dt.datetime(2024, 3, 31), dt.datetime(2024, 10, 27)],
    "EST5EDT,M3.2.0,M11.1.0": [dt.datetime(2024, 3, 10), dt.datetime(2024, 11, 3)],
    "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0": [dt.datetime(2024, 4, 7), dt.datetime(2024, 10, 6)],  # (Lord Howe)
    "<-03>3<-02>,M10.3.0/0,M2.3.0/0": [dt.datetime(2024, 2, 17, 12), dt.datetime(2024, 10, 19, 12)],  # (midnight)
    "XYZ-14": [],  # (year 1 of which the platform cannot place)
}



def _reference(conn, rows, by_name):
    """The order as it was read before it was made fast (date_order of 2026-12-06, morning)."""
    dated, undated = [], []
    for row in rows:
        when = _reference_when(row[1]["captured_at"])
        if when is None:
            undated.append(row)
        else:
            dated.append((when, row))
    dated.sort(key=lambda item: item[0][0])
    runs = [list(run) for _second, run in groupby(dated, key=lambda item: item[0][0])]
    fraction = _reference_fractions(conn, [row[1]["path"] for run in runs if len(run) > 1
                                          for (_second, own), row in run if own is None])
    out = []
    for run in runs:
        if len(run) > 1:
            run.sort(key=lambda item: (fraction.get(item[1][1]["path"], 0.0) if item[0][1] is None else item[0][1],
                                       _file_time(item[1]), by_name(item[1][0])))
        out += [row for _when, row in run]
    undated.sort(key=lambda row: (_file_time(row), by_name(row[0])))
    return out + undated


def _reference_fractions(conn, stored):
    out = {}
    for start in range(0, len(stored), 500):
        chunk = stored[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        try:
            found = conn.execute(f"SELECT path, json_extract(record, '$.captured_subsec') FROM images "
                                 f"WHERE path IN ({marks})", chunk).fetchall()
        except sqlite3.OperationalError:
            found = [(path, _reference_subsec(record)) for path, record in
                     conn.execute(f"SELECT path, record FROM images WHERE path IN ({marks})", chunk)]
        for path, value in found:
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
                out[path] = float(value)
    return out


def _reference_subsec(record):
    try:
        return json.loads(record).get("captured_subsec") if record else None
    except (ValueError, AttributeError):
        return None


def _reference_when(text):
    moment = taken_at.read(text)
    if moment is None:
        return None
    if moment.microsecond or re.search(r":[0-9]{2}[.,][0-9]", str(text)):
        return taken_at.seconds(moment.replace(microsecond=0)), moment.microsecond / 1e6
    return taken_at.seconds(moment), None


def _file_time(row):
    return -1 if row[1]["mtime_ns"] is None else row[1]["mtime_ns"]


def _texts(rng: random.Random, nights: list) -> list:
    """A pool of ``captured_at`` values: most a camera's (``2024-03-31T02:30:00``), many of them on the nights
    the clocks change, some with an offset or a fraction, some that are no date-time."""
    walls = [night + dt.timedelta(seconds=rng.randrange(6 * 3600)) for night in nights for _ in range(300)]
    walls += [dt.datetime(2024, 6, 1, 10) + dt.timedelta(seconds=rng.randrange(40)) for _ in range(80)]
    walls += [dt.datetime(1965, 1, 1) + dt.timedelta(seconds=rng.randrange(70 * 365 * 86400)) for _ in range(150)]
    walls += [dt.datetime(1, 1, 1) + dt.timedelta(seconds=rng.randrange(3 * 86400)) for _ in range(15)]
    walls += [dt.datetime(9999, 12, 29) + dt.timedelta(seconds=rng.randrange(3 * 86400)) for _ in range(15)]
    pool = []
    for wall in walls:
        text = wall.isoformat()
        kind = rng.random()
        if kind < 0.12:
            text += rng.choice(["+02:00", "+01:00", "-05:00", "Z", "+0530", "+11", "+10:30"])
        elif kind < 0.2:
            text += rng.choice([".5", ",25", ".0", ".123456", ".999"])
        elif kind < 0.24:
            text = text.replace("T", " ")
        pool.append(text)
    pool += ["not a date", "2024-02-30T10:00:00", "2024-01-01T24:00:00", "2024-01-01T10:00:60", "", None,
             " 2024-06-01T10:00:05", "2024-06-01T10:00:05 ", "2024-06-01", "20240601T100005", 20240601, b"2024"]
    return pool


def _library(tmp_path, rng: random.Random, nights: list) -> Store:
    store = Store(tmp_path / ".blurscan.db")
    pool = _texts(rng, nights)
    fractions = [None] * 8 + [0.0, 0.25, 0.5, 0.75, 0.999, 1.5, -0.1, "0.3", True]
    names = ["a.jpg", "A.jpg", "b.JPG", "img_1.jpg", "IMG_1.jpg", "z.png"]
    rows = []
    for n in range(3000):
        path = f"/photos/{rng.choice(['x', 'y', 'Y', 'z/w'])}/{n:04d}_{rng.choice(names)}"
        if rng.random() < 0.3:  # (names alike in several folders: the name sort's ties)
            path = f"/photos/f{n}/{rng.choice(names)}"
        subsec = rng.choice(fractions)
        record = json.dumps({"path": path, "status": "ok", "captured_subsec": subsec})
        if rng.random() < 0.002:
            record = record[:-3]  # (no JSON: its chunk is read by Python)
        rows.append((path, "ok", record, 0.0, rng.choice(pool), rng.choice([None, 1, 2, 3, 5, 8] + [n] * 6)))
    with store.conn:
        store.conn.executemany("INSERT INTO images (path, status, record, scanned_at, captured_at, mtime_ns) "
                               "VALUES (?, ?, ?, ?, ?, ?)", rows)
    return store


@pytest.mark.slow
@pytest.mark.parametrize("tz", list(ZONES))
def test_the_date_order_is_the_one_each_moment_read_by_itself_gives(tmp_path, zone, tz):
    zone(tz)
    rng = random.Random(tz)
    with _library(tmp_path, rng, ZONES[tz]) as store:
        sql = (f"SELECT {library._COLUMNS} FROM images i LEFT JOIN decisions d ON d.path = i.path "
               f"{library._order('date')}")
        rows = [(path_from_db(r["path"]), r) for r in store.conn.execute(sql)]
        expected = [path for path, _row in _reference(store.conn, list(rows), library._by_name)]
        assert [path for path, _row in date_order.in_date_order(store.conn, list(rows), library._by_name)] == expected
        assert len(expected) == 3000
        # (the sample has what it is meant to: seconds shared, and photos without a date)
        seconds = [_reference_when(row["captured_at"]) for _path, row in rows]
        assert sum(when is None for when in seconds) > 10
        assert len({when[0] for when in seconds if when}) < len([when for when in seconds if when]) - 100


@pytest.mark.parametrize("tz", [tz for tz, nights in ZONES.items() if nights] + ["XYZ-14"])
def test_a_clock_reads_each_second_of_the_nights_the_clocks_change_as_seconds_does(zone, tz):
    """Every 7th second of six hours each night (the hours the clocks change among them), and the first and last
    days of years 1 and 9999: :class:`taken_at.Clock` (from a datetime and from the text) as :func:`seconds`."""
    zone(tz)
    clock = taken_at.Clock()
    walls = [night + dt.timedelta(seconds=s) for night in ZONES[tz] for s in range(0, 6 * 3600, 7)]
    walls += [dt.datetime(1, 1, 1) + dt.timedelta(seconds=s) for s in range(0, 2 * 86400, 997)]
    walls += [dt.datetime(9999, 12, 30) + dt.timedelta(seconds=s) for s in range(0, 2 * 86400 - 1, 997)]
    walls += [dt.datetime(9999, 12, 31, 23, 59, 59)]
    for wall in walls:
        text = wall.isoformat()
        assert clock.seconds(wall) == taken_at.seconds(wall), text
        assert clock.plain(text) in (None, taken_at.seconds(wall)), text
    assert clock.plain("2024-06-01T10:00:05") == taken_at.seconds(dt.datetime(2024, 6, 1, 10, 0, 5))
    for text in ["2024-06-01T10:00:05+02:00", "2024-06-01 10:00:05", "2024-02-30T10:00:00", "2024-01-01T24:00:00",
                 "2024-06-01T10:60:00", "2024-06-01T10:00:5x", "2024-06-01T10:00:05.5", "0001-01-01T00:00:00",
                 "2024-06-01T1٠:00:05"]:
        assert clock.plain(text) is None, text


def test_photos_of_a_few_hours_are_read_by_the_hour_not_one_by_one(tmp_path, zone, monkeypatch):
    """3,000 photos of two hours: their texts are read from the two hours' starts (two readings of
    :func:`taken_at.seconds` an hour), not each by itself (3,000 readings: 12x slower at 100,000 photos)."""
    zone("CET-1CEST,M3.5.0,M10.5.0/3")
    read = []
    seconds = taken_at.seconds
    monkeypatch.setattr(taken_at, "seconds", lambda moment: read.append(moment) or seconds(moment))
    start = dt.datetime(2024, 6, 1, 10)
    rows = [(f"/photos/{n}.jpg", {"path": f"/photos/{n}.jpg", "captured_at": (start + dt.timedelta(seconds=2 * n)
                                                                              ).isoformat(), "mtime_ns": n})
            for n in reversed(range(3000))]
    with Store(tmp_path / ".blurscan.db") as store:
        ordered = date_order.in_date_order(store.conn, rows, library._by_name)
    assert [path for path, _row in ordered] == [f"/photos/{n}.jpg" for n in range(3000)]
    assert len(read) <= 4
