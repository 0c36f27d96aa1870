"""Security of the review server: pure checks, then the app (Flask test client), then a real server thread."""
from __future__ import annotations

import http.client
import os
import socket
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from blurscan.records import ScanRecord
from blurscan.review import security
from blurscan.review.app import create_app
from blurscan.review.server import BIND_HOST, ReviewServer
from blurscan.store import Store

PORT = 5123
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "t0ken-for-tests"


# -- pure functions -----------------------------------------------------------------------------------------

def test_token_is_random_and_long():
    tokens = {security.new_token() for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(t) >= 40 for t in tokens)


def test_token_matches():
    assert security.token_matches("abc", "abc")
    assert not security.token_matches("abd", "abc")
    assert not security.token_matches("", "abc")
    assert not security.token_matches(None, "abc")
    assert not security.token_matches("abc", "")
    assert not security.token_matches("abc\udcff", "abc")  # undecodable input does not crash


@pytest.mark.parametrize("host", ["127.0.0.1:5123", "localhost:5123", "[::1]:5123", "LOCALHOST:5123"])
def test_host_allowed(host):
    assert security.host_allowed(host, 5123)


@pytest.mark.parametrize("host", [
    None, "", "127.0.0.1", "localhost", "127.0.0.1:5124", "evil.example:5123", "evil.example",
    "127.0.0.1.nip.io:5123", "localhost.:5123", "user@127.0.0.1:5123", "127.1:5123", "0.0.0.0:5123",
    "[::ffff:127.0.0.1]:5123", "127.0.0.1:5123.evil.example", "127.0.0.1:05123",
])
def test_host_refused(host):
    assert not security.host_allowed(host, 5123)


def test_host_refused_before_the_port_is_known():
    assert not security.host_allowed("127.0.0.1:5123", None)


def test_origin_allowed():
    assert security.origin_allowed("http://127.0.0.1:5123", 5123)
    assert security.origin_allowed("http://localhost:5123", 5123)
    assert not security.origin_allowed("https://127.0.0.1:5123", 5123)
    assert not security.origin_allowed("http://127.0.0.1:5124", 5123)
    assert not security.origin_allowed("http://evil.example", 5123)
    assert not security.origin_allowed("null", 5123)


def test_write_allowed_rules():
    csrf = security.csrf_token(TOKEN)
    ok_headers = {security.CSRF_HEADER: csrf, "Origin": BASE, "Sec-Fetch-Site": "same-origin"}
    assert security.write_allowed("POST", ok_headers, PORT, csrf) == (True, "")
    assert security.write_allowed("GET", {}, PORT, csrf)[0]  # reads are not writes
    # the CSRF header alone is enough for a client that sends no fetch metadata (curl, old browsers)
    assert security.write_allowed("DELETE", {security.CSRF_HEADER: csrf}, PORT, csrf)[0]
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert not security.write_allowed(method, {}, PORT, csrf)[0]
    assert not security.write_allowed("POST", {**ok_headers, security.CSRF_HEADER: "x"}, PORT, csrf)[0]
    assert not security.write_allowed("POST", {**ok_headers, "Origin": "http://evil.example"}, PORT, csrf)[0]
    assert not security.write_allowed("POST", {**ok_headers, "Sec-Fetch-Site": "cross-site"}, PORT, csrf)[0]
    assert not security.write_allowed("POST", {**ok_headers, "Sec-Fetch-Site": "same-site"}, PORT, csrf)[0]
    assert security.csrf_token(TOKEN) != TOKEN and security.csrf_token("other") != csrf


def test_cookie_name_depends_on_port():
    assert security.cookie_name(5123) != security.cookie_name(5124)


def test_path_id_is_stable_and_does_not_reveal_the_path():
    a = security.path_id("/photos/a.jpg")
    assert a == security.path_id("/photos/a.jpg")
    assert a != security.path_id("/photos/b.jpg")
    assert "photos" not in a and len(a) == 24
    assert security.path_id("/photos/\udcff.jpg")  # undecodable names have ids too


def _file(tmp_path, name="a.jpg", data=b"\xff\xd8\xff" + b"x" * 100):
    p = tmp_path / name
    p.write_bytes(data)
    st = p.stat()
    return str(p), st.st_size, st.st_mtime_ns


def test_check_known_file_accepts_the_scanned_file(tmp_path):
    path, size, mtime = _file(tmp_path)
    with security.open_known_file(path, size, mtime) as fh:
        assert fh.read(3) == b"\xff\xd8\xff"


def test_check_known_file_refuses_changed_missing_and_odd_paths(tmp_path):
    path, size, mtime = _file(tmp_path)
    with pytest.raises(security.RefusedFile) as e:
        security.check_known_file(path, size + 1, mtime)
    assert e.value.status == 409
    with pytest.raises(security.RefusedFile) as e:
        security.check_known_file(str(tmp_path / "gone.jpg"), size, mtime)
    assert e.value.status == 404
    for odd in ("relative.jpg", str(tmp_path) + "/../" + tmp_path.name + "/a.jpg", path + "\x00", ""):
        with pytest.raises(security.RefusedFile):
            security.check_known_file(odd, size, mtime)
    with pytest.raises(security.RefusedFile):
        security.check_known_file(str(tmp_path), None, None)  # a folder


def test_check_known_file_refuses_symlinks(tmp_path):
    secret, size, mtime = _file(tmp_path, "secret.txt", b"password")
    link = tmp_path / "photo.jpg"
    link.symlink_to(secret)
    with pytest.raises(security.RefusedFile, match="symbolic link"):
        security.check_known_file(str(link), size, mtime)  # same size/mtime as the target: still refused


def test_check_known_file_refuses_a_folder_swapped_for_a_link(tmp_path):
    real = tmp_path / "photos"
    real.mkdir()
    path, size, mtime = _file(real)
    pins: dict = {}
    security.check_known_file(path, size, mtime, pins)
    # an attacker replaces the folder with a link to another folder holding a same-looking file
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "a.jpg").write_bytes((real / "a.jpg").read_bytes())
    os.utime(other / "a.jpg", ns=(mtime, mtime))
    os.rename(real, tmp_path / "moved")
    real.symlink_to(other)
    with pytest.raises(security.RefusedFile, match="real path changed"):
        security.check_known_file(path, size, mtime, pins)


# -- the app: Flask test client ------------------------------------------------------------------------

def _photo(path, blur=0.0, seed=0):
    rng = np.random.default_rng(seed)
    img = (rng.random((120, 160, 3)) * 255).astype(np.uint8)
    if blur:
        img = cv2.GaussianBlur(img, (0, 0), blur)
    Image.fromarray(img).save(path, quality=90)
    return path


@pytest.fixture()
def library(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    records = []
    for i, blur in enumerate([0.0, 4.0]):
        p = _photo(photos / f"img{i}.jpg", blur, seed=i)
        st = p.stat()
        records.append(ScanRecord(path=str(p), verdict="blurry" if blur else "sharp",
                                  p_blurry=0.9 if blur else 0.1, size=st.st_size, mtime_ns=st.st_mtime_ns,
                                  width=160, height=120, format="JPEG"))
    db = tmp_path / "photos" / ".blurscan.db"
    with Store(db) as store:
        store.put(records, "test")
    return db, records


@pytest.fixture()
def client(library):
    db, _ = library
    app = create_app(db, TOKEN, port=PORT)
    c = app.test_client()
    return c


def _login(client):
    r = client.get(f"/?token={TOKEN}", base_url=BASE)
    assert r.status_code == 303
    return r


def test_no_token_no_access(client):
    for url in ("/", "/api/items", "/static/app.js", "/thumb/" + "0" * 24):
        assert client.get(url, base_url=BASE).status_code == 403
    assert client.get("/?token=wrong", base_url=BASE).status_code == 403


def test_the_token_redirect_stays_on_this_server(client):
    """``//evil.example/?token=T`` asks for the path ``//evil.example/``: the redirect that drops the token stays
    on this server, never a scheme-relative address a browser would take to another host (the redirect is built
    from Werkzeug's ``request.path``, which starts with one slash: a guard should that ever change)."""
    for path in ("//evil.example/", "///evil.example/x", "/\\evil.example/"):  # (the path as a raw request sends it)
        r = client.get(f"/?token={TOKEN}", base_url=BASE, environ_overrides={"PATH_INFO": path})
        assert r.status_code == 303
        location = r.headers["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), (path, location)


def test_token_is_traded_for_a_strict_httponly_cookie(client):
    r = _login(client)
    assert r.headers["Location"] == "/"  # the token leaves the address bar
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith(security.cookie_name(PORT) + "=" + TOKEN)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = client.get("/", base_url=BASE)
    assert page.status_code == 200
    assert security.csrf_token(TOKEN) in page.text and TOKEN not in page.text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert client.get("/static/app.js", base_url=BASE).status_code == 200
    # a cookie for another run (another token) is refused
    client.set_cookie(security.cookie_name(PORT), "stale", domain="127.0.0.1")
    assert client.get("/", base_url=BASE).status_code == 403


@pytest.mark.parametrize("host", ["evil.example:5123", "127.0.0.1:9999", "localhost", "attacker.nip.io"])
def test_dns_rebinding_hosts_refused_even_with_the_token(client, host):
    r = client.get(f"/?token={TOKEN}", base_url=BASE, headers={"Host": host})
    assert r.status_code == 403
    assert "Host" in r.text


@pytest.mark.parametrize("host", ["127.0.0.1:5123", "localhost:5123", "[::1]:5123"])
def test_loopback_hosts_accepted(client, host):
    assert client.get(f"/?token={TOKEN}", base_url=BASE, headers={"Host": host}).status_code == 303


def _item_id(client):
    return client.get("/api/items?filter=all", base_url=BASE).get_json()["items"][0]["id"]


def test_cross_origin_writes_refused(client):
    _login(client)
    ident = _item_id(client)
    csrf = security.csrf_token(TOKEN)
    body = {"id": ident, "decision": "keep"}
    # no CSRF header (what a cross-origin form or fetch without pre-flight can send)
    assert client.post("/api/decision", json=body, base_url=BASE).status_code == 403
    assert client.post("/api/decision", json=body, base_url=BASE,
                       headers={security.CSRF_HEADER: csrf, "Origin": "http://evil.example"}).status_code == 403
    assert client.post("/api/decision", json=body, base_url=BASE,
                       headers={security.CSRF_HEADER: csrf, "Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert client.post("/api/undo", base_url=BASE, headers={"Origin": BASE}).status_code == 403
    with Store(client.application.config["BLURSCAN_DB"]) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0
    ok = client.post("/api/decision", json=body, base_url=BASE,
                     headers={security.CSRF_HEADER: csrf, "Origin": BASE, "Sec-Fetch-Site": "same-origin"})
    assert ok.status_code == 200 and ok.get_json()["decision"] == "keep"


def test_a_write_whose_body_is_not_a_json_object_is_a_400(client):
    """A JSON list or number as the body of a write was a 500 (an exception in the handler): now a 400 naming
    the reason, and nothing is recorded."""
    _login(client)
    csrf = {security.CSRF_HEADER: security.csrf_token(TOKEN), "Origin": BASE}
    for url in ("/api/decision", "/api/undo", "/api/bursts/1/keeper"):
        for body in ([1, 2], 3, "keep"):
            r = client.post(url, json=body, base_url=BASE, headers=csrf)
            assert r.status_code == 400 and b"must be a JSON object" in r.data, (url, body, r.status_code)
    with Store(client.application.config["BLURSCAN_DB"]) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0


def test_files_only_by_known_id(client, library, tmp_path):
    _login(client)
    (tmp_path / "secret.txt").write_text("secret")
    for url in ("/full/../../secret.txt", "/full/%2e%2e%2fsecret.txt", "/full/" + str(tmp_path / "secret.txt"),
                "/thumb/" + "f" * 24, "/full/" + security.path_id(str(tmp_path / "secret.txt")),
                "/full/XYZ", "/static/../app.py", "/static/%2e%2e/app.py"):
        r = client.get(url, base_url=BASE)
        assert r.status_code == 404, url
        assert b"secret" not in r.data
    ident = security.path_id(library[1][0].path)
    r = client.get(f"/full/{ident}", base_url=BASE)
    assert r.status_code == 200 and r.data == Path(library[1][0].path).read_bytes()


def test_symlink_swapped_in_after_the_scan_is_not_served(client, library, tmp_path):
    _login(client)
    photo = library[1][0].path
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(Path(photo).read_bytes())  # same size; mtime set equal below
    st = os.stat(photo)
    os.utime(secret, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.unlink(photo)
    os.symlink(secret, photo)
    ident = security.path_id(photo)
    for url in (f"/full/{ident}", f"/thumb/{ident}"):
        r = client.get(url, base_url=BASE)
        assert r.status_code == 403 and b"symbolic link" in r.data


def test_changed_file_is_not_served(client, library):
    _login(client)
    photo = library[1][1].path
    with open(photo, "ab") as fh:
        fh.write(b"\0" * 10)
    r = client.get(f"/full/{security.path_id(photo)}", base_url=BASE)
    assert r.status_code == 409


# -- a real server on an ephemeral port ----------------------------------------------------------------

def _request(port, method, path, headers=None, body=None):
    conn = http.client.HTTPConnection(BIND_HOST, port, timeout=60)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


def test_real_server_on_loopback(library):
    db, records = library
    with ReviewServer(db, port=0) as server:
        port = server.port
        assert server._server.socket.getsockname()[0] == "127.0.0.1"
        assert server.url.startswith(f"http://127.0.0.1:{port}/?token=") and server.token in server.url
        host = {"Host": f"127.0.0.1:{port}"}
        # the token opens the page and sets the cookie
        status, headers, _ = _request(port, "GET", f"/?token={server.token}", host)
        assert status == 303
        cookie = headers["Set-Cookie"].split(";")[0]
        assert "HttpOnly" in headers["Set-Cookie"] and "SameSite=Strict" in headers["Set-Cookie"]
        status, _, page = _request(port, "GET", "/", {**host, "Cookie": cookie})
        assert status == 200 and b"blurscan review" in page
        # DNS rebinding: right cookie, hostile Host
        status, _, _ = _request(port, "GET", "/api/items", {"Host": f"evil.example:{port}", "Cookie": cookie})
        assert status == 403
        status, _, _ = _request(port, "GET", "/api/items", {"Cookie": cookie})  # no Host at all
        assert status in (400, 403)
        # no cookie
        assert _request(port, "GET", "/api/items", host)[0] == 403
        # cross-origin write with the cookie (what a hostile page would get the browser to send)
        body = b'{"id": "%s", "decision": "discard"}' % security.path_id(records[0].path).encode()
        hostile = {**host, "Cookie": cookie, "Content-Type": "application/json", "Origin": "http://evil.example",
                   "Sec-Fetch-Site": "cross-site"}
        assert _request(port, "POST", "/api/decision", hostile, body)[0] == 403
        same = {**host, "Cookie": cookie, "Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}",
                "Sec-Fetch-Site": "same-origin", security.CSRF_HEADER: security.csrf_token(server.token)}
        status, _, data = _request(port, "POST", "/api/decision", same, body)
        assert status == 200 and b'"discard"' in data
        # not reachable on another interface address of this machine
        other = _non_loopback_address()
        if other:
            with pytest.raises(OSError):
                socket.create_connection((other, port), timeout=2).close()
    # stopped: the port no longer answers
    time.sleep(0.05)
    with pytest.raises(OSError):
        socket.create_connection((BIND_HOST, port), timeout=2).close()


def _non_loopback_address():
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: nothing is sent
            addr = s.getsockname()[0]
    except OSError:
        return None
    return None if addr.startswith("127.") else addr


def test_the_raw_twin_of_an_unreadable_jpeg_is_not_shown_through_a_symbolic_link(tmp_path):
    """The review page serves no symbolic link (docs/review.md), but the picture of a RAW + JPEG pair whose JPEG
    cannot be read came from whatever file ``IMG_1.dng`` named: a link put there showed a picture from anywhere
    (outside the library) in the thumbnail and the full view. A real RAW twin is still used."""
    from blurscan.decode import thumbnail
    from blurscan.errors import DecodeError
    from helpers_raw import write_dng

    rng = np.random.default_rng(0)
    rgb = cv2.GaussianBlur(rng.integers(0, 255, (256, 384, 3), dtype=np.uint8), (0, 0), 2)
    (tmp_path / "outside").mkdir()
    outside = write_dng(tmp_path / "outside" / "private.dng", rgb, preview=None)
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "IMG_1.jpg").write_bytes(b"\xff\xd8\xff\xe0 damaged")
    os.symlink(outside, lib / "IMG_1.dng")
    with pytest.raises(DecodeError):
        thumbnail(lib / "IMG_1.jpg", 64)
    os.unlink(lib / "IMG_1.dng")
    os.link(outside, lib / "IMG_1.dng")  # a file of its own there (a hard link is a name like any other)
    assert thumbnail(lib / "IMG_1.jpg", 64)[:3] == b"\xff\xd8\xff"
