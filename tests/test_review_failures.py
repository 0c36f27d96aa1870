"""What the review server says when a request fails: a file that changed while it was checked (the real path
could not be found: EINVAL), a body of JSON nested 30,000 deep, and any other failure were a 500 with a
traceback on the terminal. Now: one line to the page, and at most one line on the terminal."""
from __future__ import annotations

import errno
import logging
import os

import pytest

from blurscan.review import header_figures, security
from helpers_review import BASE, CSRF, build_review_library, error_of, review_client


@pytest.fixture()
def lib(tmp_path):
    return build_review_library(tmp_path)


@pytest.fixture()
def client(lib):
    return review_client(lib)


def _tracebacks(caplog):
    return [r for r in caplog.records if r.exc_info and r.levelno >= logging.INFO]


def test_a_file_whose_real_path_cannot_be_found_is_refused_in_one_line(client, lib, monkeypatch, caplog):
    path = lib[1]["blurry.jpg"].path
    real = os.path.realpath

    def realpath(p, *args, **kwargs):  # what the system said when the photo was swapped for a link meanwhile
        if p == path:
            raise OSError(errno.EINVAL, "Invalid argument", p)
        return real(p, *args, **kwargs)

    monkeypatch.setattr(os.path, "realpath", realpath)
    for kind in ("thumb", "full"):
        r = client.get(f"/{kind}/{security.path_id(path)}", base_url=BASE)
        assert r.status_code == 409, (kind, r.status_code)
        assert error_of(r) == "blurry.jpg: changed while being checked: not served (reload the page)"
    assert _tracebacks(caplog) == []


@pytest.mark.parametrize("body, reason", [
    (b"[" * 30000, "the request body is JSON nested too deeply\n"),
    (b"{\"decision\": ", "the request body is not JSON: "),
    (b"\xff\xfe{}", "the request body is not JSON: "),
])
def test_a_body_that_is_not_json_is_a_400_in_one_line(client, lib, caplog, body, reason):
    for url in ("/api/decision", "/api/undo"):
        r = client.post(url, data=body, headers={**CSRF, "Content-Type": "application/json"}, base_url=BASE)
        assert r.status_code == 400, (url, r.status_code, r.data[:100])
        text = error_of(r)
        assert text.startswith(reason.rstrip("\n")), text
    assert _tracebacks(caplog) == []
    # (an empty body is still no body: the page's undo sends none)
    r = client.post("/api/undo", headers=CSRF, base_url=BASE)
    assert r.status_code == 200


def test_an_unexpected_failure_is_one_line_to_the_page_and_to_the_terminal(client, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise RuntimeError("the summary broke\nand a second line")

    monkeypatch.setattr(header_figures, "summary", broken)
    with caplog.at_level(logging.DEBUG, logger="blurscan"):
        r = client.get("/api/summary", base_url=BASE)
    assert r.status_code == 500
    assert error_of(r) == "internal error of the review server (RuntimeError): the summary broke"
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [e.getMessage() for e in errors] == ["review server: GET /api/summary failed: the summary broke"]
    assert all(e.exc_info is None for e in errors)
    assert [r.levelno for r in caplog.records if r.exc_info] == [logging.DEBUG]  # the traceback: debug only
    assert client.get("/api/items", base_url=BASE).status_code == 500  # (and the server goes on)
    monkeypatch.undo()
    assert client.get("/api/summary", base_url=BASE).status_code == 200


def test_a_database_damaged_while_the_page_is_open_is_named_in_the_answer(lib, client, caplog):
    # a table another program dropped (or a damaged page of the file): the commands' line, naming the database;
    # until 2026-12-05 "internal error of the review server (OperationalError): no such table: journal"
    import sqlite3

    db = lib[0]
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE journal")
    conn.commit()
    conn.close()
    r = client.get("/api/items?filter=all", base_url=BASE)
    assert r.status_code == 500
    assert error_of(r) == (f"{db}: cannot use database: no such table: journal (the file is "
                                                "damaged, or was changed by another program)")
    assert not _tracebacks(caplog)
