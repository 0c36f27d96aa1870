"""A soak of the review server: the real ``blurscan review`` driven by many requests while the library changes.

A person may leave the review page open for days. This script starts the real server (``python -m blurscan
review --no-browser``, in a child process) on a library of ``--photos`` generated JPEGs (640x480, bursts of four
shots 0.5 s apart, a third of them blurred, scanned with the shipped model and grouped by ``blurscan bursts``),
and sends ``--requests`` requests from ``--threads`` clients, mixing every route the page calls (lists, items,
thumbnails, full views, EXIF details, folder lists, the refresh poll, keep / discard / clear, undo, burst keeper
choices, page loads), each on a connection of its own as a browser's are (the server closes each after its
answer). Every ``--mutate-every`` seconds the library changes underneath, by the real command line in turn: a scan
that adds 8 photos, a ``move`` of the discards and its ``undo``, 5 photos edited in place and scanned again, the
thumbnail folder deleted. Every ``--sample`` requests it prints the server's resident memory, open file
descriptors, threads, the database's WAL size, the thumbnail folder (files, KiB) and each route's mean time since
the last line. Then the connections a browser or a stuck client leaves: 300 answers aborted mid-way (a full
view of a 16 MB photo and a thumbnail, the connection reset), 100 clients that sent half a request, 200 idle
connections, one slow reader of that full view, and the same figures after the server's 30 s timeout.

Usage: ``python bench/review_soak.py [--photos 300] [--requests 20000] [--threads 3] [--sample 2000]
[--mutate-every 20] [--folder DIR]``; figures recorded in ``docs/benchmarks-commands.md``. The server is stopped
(Ctrl-C, as a person would) at the end, whatever happens.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import numpy as np
from PIL import Image, ImageFilter

PY = sys.executable


def photos(root: Path, count: int, start: int = 0) -> None:
    """``count`` JPEGs ``root/fNN/IMG_NNNN.jpg`` (50 a folder) from number ``start``: bursts of 4 shifted shots
    with EXIF capture times 0.5 s apart, every third one blurred."""
    for i in range(start, start + count):
        folder = root / f"f{i // 50:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        group = i // 4
        rng = np.random.default_rng(group)
        small = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)
        img = Image.fromarray(small).resize((640, 480), Image.NEAREST).rotate(0, translate=((i % 4) * 3, 0))
        if i % 3 == 0:
            img = img.filter(ImageFilter.GaussianBlur(3))
        exif = Image.Exif()
        exif[0x0110] = "SoakCam"
        t = 10 * group
        exif.get_ifd(0x8769).update({0x9003: f"2024:06:01 {10 + t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}",
                                     0x9291: str(i % 4 * 50)})
        img.save(folder / f"IMG_{i:04d}.jpg", quality=90, exif=exif)


def cli(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "blurscan", *map(str, args)], capture_output=True, text=True, **kwargs)


class Soak:
    def __init__(self, root: Path, threads: int) -> None:
        self.root, self.threads = root, threads
        # (a child of a background shell ignores SIGINT: the server must take Ctrl-C, as from a terminal)
        self.server = subprocess.Popen([PY, "-m", "blurscan", "review", str(root), "--no-browser"],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                       preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        url = None
        while url is None:
            line = self.server.stdout.readline()
            if not line:
                raise SystemExit(f"the server did not start: {self.server.stderr.read()}")
            url = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([\w-]+)", line)
        self.errors: list[str] = []
        for stream, keep in ((self.server.stdout, None), (self.server.stderr, self.errors)):
            threading.Thread(target=lambda s=stream, k=keep: [k.append(x) for x in s if k is not None],
                             daemon=True).start()
        self.port, token = int(url.group(1)), url.group(2)
        self.cookie = f"blurscan_review_{self.port}={token}"
        page = self.request("GET", "/")[1].decode()
        self.csrf = re.search(r'name="blurscan-csrf" content="([^"]+)"', page).group(1)
        self.lock = threading.Lock()
        self.items, self.groups, self.listed, self.changes = [], [], "", []
        self.look()

    def request(self, method: str, path: str, body=None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie}
        if body is not None:
            headers.update({"Content-Type": "application/json", "X-Blurscan-CSRF": self.csrf})
        try:
            conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            answer = conn.getresponse()
            return answer.status, answer.read()
        finally:
            conn.close()

    def look(self) -> None:
        """The list of every photo and the burst groups, read again (as a page load does)."""
        status, out = self.request("GET", "/api/items?filter=all&sort=name")
        bursts = json.loads(self.request("GET", "/api/bursts")[1])["groups"]
        if status == 200:
            data = json.loads(out)
            with self.lock:
                self.items, self.listed, self.groups = data["items"], data["listed"], bursts

    def one(self) -> str:
        """One request as the page sends them, more or less as often; the route's name."""
        with self.lock:
            it = random.choice(self.items)
            group = random.choice(self.groups) if self.groups else None
        k = random.random()
        if k < .30:
            self.request("GET", f"/thumb/{it['id']}?v={quote(it['v'])}")
            return "thumb"
        if k < .38:
            self.request("GET", f"/full/{it['id']}?v={quote(it['v'])}")
            return "full"
        if k < .48:
            self.request("GET", f"/api/item/{it['id']}")
            return "item"
        if k < .53:
            filter_ = random.choice(["flagged", "undecided", "blurry", "sharp", "all"])
            self.request("GET", f"/api/items?filter={filter_}&sort={random.choice(['p_blurry', 'size', 'name'])}")
            return "items"
        simple = {.56: ("folders", "/api/folders"), .63: ("summary", "/api/summary"),
                  .70: ("decisions", f"/api/decisions?listed={quote(self.listed)}&filter=flagged"),
                  .73: ("bursts", "/api/bursts")}
        for bound, (name, path) in simple.items():
            if k < bound:
                self.request("GET", path)
                return name
        if k < .85:
            body, path, name = {"id": it["id"], "v": it["v"], "decision": random.choice(["keep", "discard", None])}, \
                "/api/decision", "decide"
        elif k < .92:
            with self.lock:
                change = self.changes.pop(random.randrange(len(self.changes))) if self.changes else None
            self.request("POST", "/api/undo", {} if change is None else {"change": change[0], "id": change[1]})
            return "undo"
        elif k < .965 and group:
            shot = random.choice(group["photos"])
            body, path, name = {"id": shot["id"], "v": shot["v"]}, f"/api/bursts/{group['group_id']}/keeper", "keeper"
        else:
            self.request("GET", "/")
            self.look()
            return "page"
        status, out = self.request("POST", path, body)
        if status == 200 and (change := json.loads(out).get("change")):
            with self.lock:
                self.changes.append((change, body["id"]))
        return name

    def figures(self) -> str:
        pid = self.server.pid
        status = Path(f"/proc/{pid}/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024
        threads = re.search(r"Threads:\s+(\d+)", status).group(1)
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        wal = self.root / ".blurscan.db-wal"
        thumbs = [f for f in (self.root / ".blurscan-thumbs").rglob("*") if f.is_file()]
        return (f"rss {rss} MiB, fds {fds}, threads {threads}, WAL {wal.stat().st_size // 1024 if wal.exists() else 0}"
                f" KiB, thumbnails {len(thumbs)} ({sum(f.stat().st_size for f in thumbs) // 1024} KiB)")

    def mutate(self, stop: threading.Event, every: float) -> None:
        added = 10_000
        for turn in range(1, 1 << 30):
            if stop.wait(every):
                return
            if turn % 4 == 1:
                photos(self.root, 8, added)
                added += 8
                cli("scan", self.root, "--workers", "1")
            elif turn % 4 == 2:
                cli("move", self.root, "--to", self.root.parent / "rejected", "--yes")
                cli("undo", self.root)
            elif turn % 4 == 3:
                files = sorted(self.root.glob("f*/IMG_*.jpg"))
                for f in random.sample(files, 5):
                    with open(f, "ab") as fh:
                        fh.write(b"\0" * random.randint(1, 50))
                cli("scan", self.root, "--workers", "1")
            else:
                shutil.rmtree(self.root / ".blurscan-thumbs", ignore_errors=True)
            self.look()

    def run(self, total: int, sample: int, every: float) -> None:
        count, times, done = 0, defaultdict(lambda: [0, 0.0]), threading.Event()
        lock = threading.Lock()

        def client():
            nonlocal count
            while not done.is_set():
                with lock:
                    if count >= total:
                        return
                    count += 1
                began = time.perf_counter()
                name = self.one()
                with lock:
                    times[name][0] += 1
                    times[name][1] += time.perf_counter() - began

        stop = threading.Event()
        threading.Thread(target=self.mutate, args=(stop, every), daemon=True).start()
        clients = [threading.Thread(target=client) for _ in range(self.threads)]
        print(f"| requests | {self.figures()} |", flush=True)
        began, last = time.time(), 0
        for c in clients:
            c.start()
        try:
            while any(c.is_alive() for c in clients):
                time.sleep(0.5)
                if count - last >= sample or not any(c.is_alive() for c in clients):
                    with lock:
                        means = " ".join(f"{k} {1000 * t / n:.0f}" for k, (n, t) in sorted(times.items()))
                        times.clear()
                    rate = (count - last) / max(1e-9, time.time() - began)
                    last, began = count, time.time()
                    print(f"| {count:,} | {self.figures()}; {rate:.0f} requests/s; ms: {means} |", flush=True)
        finally:
            done.set()
            stop.set()
            for c in clients:
                c.join()

    def connections(self) -> None:
        """The connections a browser or a stuck client leaves, and the figures after each kind."""
        big = max(self.items, key=lambda item: item["size"])

        def opened(path: str | None = None) -> socket.socket:
            s = socket.create_connection(("127.0.0.1", self.port))
            if path:
                s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nCookie: {self.cookie}\r\n\r\n"
                          .encode())
            return s

        for i in range(300):
            for path, wanted in ((f"/full/{big['id']}?v={quote(big['v'])}", 200_000),
                                 (f"/thumb/{self.items[i % len(self.items)]['id']}", 10)):
                s, got = opened(path), 0
                while got < wanted and (data := s.recv(65536)):
                    got += len(data)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # (reset: aborted)
                s.close()
        time.sleep(2)
        print(f"| 300 full views and 300 thumbnails aborted | {self.figures()} |", flush=True)
        held = []
        for _ in range(100):
            held.append(opened())
            held[-1].sendall("GET /api/summary HTTP/1.1\r\nHost: 127.0".encode())
        held += [opened() for _ in range(200)]
        slow = opened(f"/full/{big['id']}?v={quote(big['v'])}")
        slow.recv(65536)
        time.sleep(2)
        began = time.perf_counter()
        status = self.request("GET", "/api/summary")[0]
        print(f"| + 100 half requests, 200 idle, 1 slow reader | {self.figures()}; a summary meanwhile: {status} in "
              f"{1000 * (time.perf_counter() - began):.0f} ms |", flush=True)
        time.sleep(33)
        print(f"| 35 s later | {self.figures()} |", flush=True)
        for s in held + [slow]:
            s.close()
        time.sleep(2)
        print(f"| all closed | {self.figures()} |", flush=True)

    def stop(self) -> int:
        self.server.send_signal(signal.SIGINT)
        try:
            return self.server.wait(30)
        except subprocess.TimeoutExpired:
            self.server.kill()
            return self.server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=300)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--threads", type=int, default=3)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--mutate-every", type=float, default=20.0)
    parser.add_argument("--folder", help="where the library is made (default: a temporary folder, removed)")
    args = parser.parse_args()
    top = Path(args.folder or tempfile.mkdtemp(prefix="blurscan-soak-"))
    root = top / "library"
    photos(root, args.photos)
    big = np.random.default_rng(1).integers(0, 255, (3000, 4500, 3), dtype=np.uint8)  # (16 MB: the slow reader's)
    Image.fromarray(big).save(root / "f00" / "BIG_1.jpg", quality=95)
    for step in (("scan", root), ("bursts", root)):
        if (done := cli(*step)).returncode:
            raise SystemExit(done.stderr)
    soak = Soak(root, args.threads)
    try:
        soak.run(args.requests, args.sample, args.mutate_every)
        soak.connections()
    finally:
        code = soak.stop()
        print(f"server stopped: exit status {code}; its stderr: {''.join(soak.errors).strip() or '(nothing)'}")
        if not args.folder:
            shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    main()
